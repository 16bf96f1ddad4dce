#!/usr/bin/env python3
"""Golden vectors for cqlpp's routing (session/murmur3, routing_key, token_map),
made by the DataStax Python driver.

Usage: tokens_gen.py OUTPUT           (writes tests/golden/tokens.golden)
       tokens_gen.py --check GOLDEN   (regenerates in memory, diffs against GOLDEN)

Lines are tab-separated; the first column says what the line is:
  murmur3   name  key_hex  token
      token = cassandra.metadata.Murmur3Token.hash_fn(key) (the driver's C
      murmur3, normalised as Murmur3Partitioner), cross-checked here against
      the driver's pure-Python cassandra.murmur3._murmur3.
  routing   name  components  key_hex  token
      components: hex per partition-key component, ',' separated, '-' for an
      empty one; key_hex: the routing key the driver builds from them
      (Statement.routing_key = [...]), token: its Murmur3 token.
  host      ring  index  datacenter  rack  tokens (',' separated, '-' for none)
  keyspace  ring  name  strategy class  options ('k=v' ';' separated, '-' for none)
  replicas  ring  keyspace  token  host indexes in replica order (',' separated, '-' for none)
      from the driver's own TokenMap.get_replicas over the strategy's
      make_token_replica_map, with fake Host objects for the ring's hosts.
  replicas_dup  ring  keyspace  token  host indexes
      the same, where the driver lists a host twice. Its
      NetworkTopologyStrategy remembers a skipped host (one of an already-used
      rack) each time the walk meets one of its tokens, and later adds it as
      often, each copy using up a replica; Cassandra keeps those hosts in a
      set. Per DC, the driver's list without the repeats is then a prefix of
      Cassandra's (the walk afterwards is the same, it just stops sooner), and
      that is what the C++ test checks for these lines.
"""
import random
import struct
import sys
import uuid

from cassandra.metadata import KeyspaceMetadata, Metadata, Murmur3Token, TokenMap
from cassandra.murmur3 import _murmur3
from cassandra.policies import SimpleConvictionPolicy
from cassandra.pool import Host
from cassandra.query import SimpleStatement

import golden_io  # beside this script

INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1


def token_of(key):
    t = Murmur3Token.hash_fn(key)
    pure = _murmur3(key)
    assert t == (INT64_MAX if pure == INT64_MIN else pure), 'C and Python murmur3 disagree on %s' % key.hex()
    return t


def murmur3_keys():
    """(name, key): every length 0..40 in several byte patterns; bytes >= 0x80
    in a 1..15-byte tail are what Cassandra's sign-extension quirk changes."""
    rnd = random.Random(3)
    keys = []
    for n in range(41):
        keys.append(('asc%d' % n, bytes((i * 7 + n) & 0xff for i in range(n))))
        keys.append(('low%d' % n, bytes((i * 5 + 1) & 0x7f for i in range(n))))
        keys.append(('high%d' % n, bytes(0x80 | (i * 11 + n) & 0x7f for i in range(n))))
        keys.append(('ff%d' % n, b'\xff' * n))
        keys.append(('rnd%d' % n, bytes(rnd.randrange(256) for _ in range(n))))
    keys += [
        ('text_hello', b'hello'),
        ('text_utf8', 'h\u00e9llo w\u00f6rld \u4e16\u754c'.encode()),
        ('int_42', struct.pack('>i', 42)),
        ('int_m1', struct.pack('>i', -1)),
        ('bigint_0', struct.pack('>q', 0)),
        ('bigint_1', struct.pack('>q', 1)),
        ('bigint_max', struct.pack('>q', INT64_MAX)),
        ('bigint_min', struct.pack('>q', INT64_MIN)),
        ('uuid', uuid.UUID('01234567-89ab-cdef-0123-456789abcdef').bytes),
        ('rnd1000', bytes(rnd.randrange(256) for _ in range(1000))),
    ]
    return keys


def routing_cases():
    """(name, components) for single and composite partition keys."""
    rnd = random.Random(5)
    return [
        ('single_text', [b'abc']),
        ('single_empty', [b'']),
        ('int_text', [struct.pack('>i', 1), b'abc']),
        ('bigint_uuid_text', [struct.pack('>q', -7), uuid.UUID(int=12345).bytes, 'cl\u00e9'.encode()]),
        ('two_empty', [b'', b'']),
        ('high_bytes', [b'\xff' * 17, b'\x80']),
        ('len_256', [bytes(range(256)), b'x']),
        ('len_1000', [bytes(rnd.randrange(256) for _ in range(1000)), b'\x00', b'\x01\x02']),
        ('four_parts', [b'a', b'bb', b'ccc', b'dddd']),
    ]


# Rings: hosts as (datacenter, rack, number of tokens or an explicit list).
# dc1 has three racks of unequal size, dc2 two racks, dc3 a single rack.
RINGS = {
    'vnodes': [('dc1', 'r1', 6), ('dc1', 'r1', 4), ('dc1', 'r2', 8), ('dc1', 'r2', 5), ('dc1', 'r3', 7),
               ('dc2', 'ra', 5), ('dc2', 'rb', 8), ('dc2', 'rb', 4),
               ('dc3', 'solo', 6), ('dc3', 'solo', 5)],
    # One token per host, and a host still joining (no tokens yet).
    'single_token': [('dc1', 'r1', 1), ('dc1', 'r2', 1), ('dc1', 'r3', 1), ('dc1', 'r1', 1), ('dc1', 'r2', 0),
                     ('dc2', 'ra', 1), ('dc2', 'rb', 1),
                     ('dc3', 'solo', 1), ('dc3', 'solo', 1)],
}

KEYSPACES = [
    ('simple_rf1', 'SimpleStrategy', {'replication_factor': '1'}),
    ('simple_rf3', 'SimpleStrategy', {'replication_factor': '3'}),
    ('simple_rf_over', 'SimpleStrategy', {'replication_factor': '12'}),
    ('simple_fq', 'org.apache.cassandra.locator.SimpleStrategy', {'replication_factor': '2'}),
    ('nts_3_2', 'NetworkTopologyStrategy', {'dc1': '3', 'dc2': '2'}),
    ('nts_over', 'NetworkTopologyStrategy', {'dc1': '4', 'dc2': '5', 'dc3': '3'}),
    ('nts_single_rack', 'NetworkTopologyStrategy', {'dc3': '2', 'dc1': '1'}),
    ('nts_fq', 'org.apache.cassandra.locator.NetworkTopologyStrategy', {'dc1': '2', 'dc2': '1', 'dc3': '1'}),
    ('nts_all', 'NetworkTopologyStrategy', {'dc1': '5', 'dc2': '3', 'dc3': '2'}),
    ('nts_dc1_5', 'NetworkTopologyStrategy', {'dc1': '5'}),
    ('nts_transient', 'NetworkTopologyStrategy', {'dc1': '3/1', 'dc2': '1'}),
    ('nts_unknown_dc', 'NetworkTopologyStrategy', {'dc1': '1', 'dc9': '3'}),
    ('nts_zero', 'NetworkTopologyStrategy', {'dc1': '0', 'dc2': '2'}),
    ('local', 'LocalStrategy', {}),
    ('unknown', 'com.example.CustomStrategy', {'replication_factor': '3'}),
]


def ring_hosts(name, spec):
    rnd = random.Random('ring-' + name)
    hosts = []
    for i, (dc, rack, ntokens) in enumerate(spec):
        tokens = sorted(rnd.randrange(INT64_MIN + 1, INT64_MAX) for _ in range(ntokens))
        hosts.append((dc, rack, tokens))
    return hosts


def probes(all_tokens, rnd):
    out = {INT64_MIN, INT64_MAX, min(all_tokens) - 1, max(all_tokens) + 1}
    for t in all_tokens:
        out.update((t - 1, t, t + 1))
    out.update(rnd.randrange(INT64_MIN, INT64_MAX + 1) for _ in range(16))
    return sorted(t for t in out if INT64_MIN <= t <= INT64_MAX)


def ring_lines(name, spec):
    hosts = ring_hosts(name, spec)
    fake = [Host('10.0.%d.%d' % (len(name), i), SimpleConvictionPolicy, datacenter=dc, rack=rack)
            for i, (dc, rack, _) in enumerate(hosts)]
    index = {h: i for i, h in enumerate(fake)}
    owner = {}
    for h, (_, _, tokens) in zip(fake, hosts):
        for t in tokens:
            assert Murmur3Token(t) not in owner, 'token collision; change the seed'
            owner[Murmur3Token(t)] = h
    ring = sorted(owner)
    metadata = Metadata()
    for ks, cls, opts in KEYSPACES:
        metadata.keyspaces[ks] = KeyspaceMetadata(ks, True, cls, dict(opts))
    token_map = TokenMap(Murmur3Token, owner, ring, metadata)

    out = []
    for i, (dc, rack, tokens) in enumerate(hosts):
        out.append('\t'.join(['host', name, str(i), dc, rack, ','.join(map(str, tokens)) or '-']))
    for ks, cls, opts in KEYSPACES:
        out.append('\t'.join(['keyspace', name, ks, cls, ';'.join('%s=%s' % kv for kv in opts.items()) or '-']))
    rnd = random.Random('probe-' + name)
    for t in probes([t.value for t in ring], rnd):
        for ks, _, _ in KEYSPACES:
            replicas = [index[h] for h in token_map.get_replicas(ks, Murmur3Token(t))]
            kind = 'replicas' if len(set(replicas)) == len(replicas) else 'replicas_dup'
            out.append('\t'.join([kind, name, ks, str(t), ','.join(map(str, replicas)) or '-']))
    return out


def lines():
    out = []
    for name, key in murmur3_keys():
        out.append('\t'.join(['murmur3', name, key.hex() or '-', str(token_of(key))]))
    for name, parts in routing_cases():
        s = SimpleStatement('')
        s.routing_key = parts
        key = s.routing_key
        out.append('\t'.join(['routing', name, ','.join(p.hex() or '-' for p in parts), key.hex() or '-',
                              str(token_of(key))]))
    for name, spec in RINGS.items():
        out += ring_lines(name, spec)
    return out


HEADER = '# kind\tfields...  (generated by tokens_gen.py; do not edit; see its docstring)'


if __name__ == '__main__':
    sys.exit(golden_io.main(HEADER, lines))
