#!/usr/bin/env python
"""Writes tests/golden/segments.golden from the DataStax Python driver.

Line format (tab-separated):
    name  protocol_version  kind  input  output
kind:
    seg_none   v5 segments, SegmentCodec() as the driver's connection uses it
               without compression (cassandra.connection.segment_codec_no_compression)
    seg_lz4    v5 segments, SegmentCodec(lz4_compress, lz4_decompress)
               (cassandra.connection.segment_codec_lz4)
    body_lz4   a v4 frame body through the driver's lz4_compress (4-byte
               big-endian uncompressed length + lz4 block)
input: comma-separated byte specs, one per envelope (for body_lz4: the body):
    hex:<hex>                 literal bytes (envelopes made by the driver's encoders)
    env:<pattern>:<n>         a v5 RESULT response envelope (85 00 0001 08 <n>) with an
                              n-byte body of <pattern>
    gen:<pattern>:<n>         n bytes of <pattern>
  <pattern>: "text" (a repeated sentence, compressible) or "rand<seed>" (xorshift32
  bytes, incompressible).
output: space-separated tokens whose concatenation is the driver's bytes:
    <hex>                     literal bytes
    @<offset>+<length>        a slice of the concatenated input (used for raw payloads,
                              so large cases stay small; the generator checks that the
                              expansion equals the driver's output exactly)

Segments are grouped as cqlpp's segment_encoder packs them: consecutive envelopes
share one self-contained segment while they fit in 131071 bytes; a larger envelope
goes alone. Each group is one SegmentCodec.encode() call.

Usage: segments_gen.py [OUTPUT]   (default: segments.golden next to this script)
       segments_gen.py --check GOLDEN   regenerate into a temp file and compare
"""
import io
import os
import struct
import sys
import tempfile

from cassandra import ConsistencyLevel
from cassandra.connection import lz4_compress, lz4_decompress, segment_codec_lz4, \
    segment_codec_no_compression
from cassandra.protocol import _ProtocolHandler, OptionsMessage, QueryMessage, StartupMessage
from cassandra.segment import Segment

MAX = Segment.MAX_PAYLOAD_LENGTH
TEXT = b"the quick brown fox jumps over the lazy dog; "


def pattern(name, n):
    if name == "text":
        return (TEXT * (n // len(TEXT) + 1))[:n]
    assert name.startswith("rand")
    x = int(name[4:]) or 1
    out = bytearray(n)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x & 0xFF
    return bytes(out)


def expand(spec):
    kind, _, rest = spec.partition(":")
    if kind == "hex":
        return bytes.fromhex(rest)
    pat, n = rest.split(":")
    body = pattern(pat, int(n))
    if kind == "gen":
        return body
    assert kind == "env"
    return struct.pack(">BBhBi", 0x85, 0, 1, 0x08, len(body)) + body


def driver_envelope(msg, stream=1):
    return _ProtocolHandler.encode_message(msg, stream, 5, None, False)


def groups(frames):
    out, cur = [], []
    for f in frames:
        if cur and sum(map(len, cur)) + len(f) > MAX:
            out.append(cur)
            cur = []
        if len(f) > MAX:
            out.append([f])
        else:
            cur.append(f)
    if cur:
        out.append(cur)
    return out


def compact(data, source, codec):
    """Splits the driver's segment bytes into tokens, replacing raw payloads by
    references into the source. Uses the driver's own header decoder."""
    tokens, pos, src = [], 0, 0
    buf = io.BytesIO(data)
    while pos < len(data):
        buf.seek(pos)
        h = codec.decode_header(buf)
        hl = codec.header_length_with_crc
        payload = data[pos + hl:pos + hl + h.payload_length]
        tokens.append(data[pos:pos + hl].hex())
        raw = h.uncompressed_payload_length <= 0
        if raw and len(payload) >= 64 and source[src:src + len(payload)] == payload:
            tokens.append("@%d+%d" % (src, len(payload)))
        else:
            tokens.append(payload.hex())
        tokens.append(data[pos + hl + h.payload_length:pos + hl + h.payload_length + 4].hex())
        src += h.payload_length if raw else h.uncompressed_payload_length
        pos += hl + h.payload_length + 4
    return [t for t in tokens if t]


def inflate(tokens, source):
    out = bytearray()
    for t in tokens:
        if t.startswith("@"):
            off, n = map(int, t[1:].split("+"))
            out += source[off:off + n]
        else:
            out += bytes.fromhex(t)
    return bytes(out)


def seg_line(name, mode, specs):
    codec = segment_codec_lz4 if mode == "lz4" else segment_codec_no_compression
    frames = [expand(s) for s in specs]
    source = b"".join(frames)
    buf = io.BytesIO()
    for g in groups(frames):
        codec.encode(buf, b"".join(g))
    data = buf.getvalue()
    tokens = compact(data, source, codec)
    assert inflate(tokens, source) == data
    return "\t".join([name, "5", "seg_" + mode, ",".join(specs), " ".join(tokens)])


def body_line(name, spec):
    body = expand(spec)
    data = lz4_compress(body)
    assert lz4_decompress(data) == body
    return "\t".join([name, "4", "body_lz4", spec, data.hex()])


def check(golden):
    """The committed corpus must be exactly what the driver produces today."""
    with tempfile.TemporaryDirectory() as d:
        fresh = os.path.join(d, "segments.golden")
        write(fresh)
        with open(fresh) as a, open(golden) as b:
            new, old = a.read().splitlines(), b.read().splitlines()
    bad = [i for i in range(max(len(new), len(old)))
           if i >= len(new) or i >= len(old) or new[i] != old[i]]
    for i in bad[:5]:
        print("line %d differs: %s" % (i + 1, (old[i] if i < len(old) else "<missing>")[:80]))
    n = max(len(new), len(old))
    print("[doctest] test cases: %d | %d passed | %d failed |" % (n, n - len(bad), len(bad)))
    return 1 if bad else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    write(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "segments.golden"))


def write(out_path):
    options = "hex:" + driver_envelope(OptionsMessage(), 0).hex()
    query = "hex:" + driver_envelope(
        QueryMessage("SELECT * FROM system.local", ConsistencyLevel.ONE), 7).hex()
    startup = "hex:" + driver_envelope(StartupMessage("3.0.0", {"COMPRESSION": "lz4"}), 0).hex()
    seg_cases = [
        ("options", [options]),
        ("query", [query]),
        ("several_frames", [options, query, startup]),
        ("empty", ["hex:"]),
        ("small_text", ["env:text:1000"]),
        ("small_rand", ["env:rand1:1000"]),
        ("max_single_131071", ["env:rand2:%d" % (MAX - 9)]),
        ("max_single_text_131071", ["env:text:%d" % (MAX - 9)]),
        ("split_131072", ["env:rand3:%d" % (MAX + 1 - 9)]),
        ("split_text_131072", ["env:text:%d" % (MAX + 1 - 9)]),
        ("large_text", ["env:text:300000"]),
        ("large_rand", ["env:rand4:300000"]),
        ("exact_multiple", ["env:rand8:%d" % (2 * MAX - 9)]),
        ("mixed", [options, query, "env:rand5:200000", startup]),
        ("pack_boundary", ["env:rand6:65526", "env:rand7:65527", options]),
    ]
    lines = []
    for mode in ("none", "lz4"):
        for name, specs in seg_cases:
            lines.append(seg_line(name, mode, specs))
    body_cases = [
        ("body_empty", "hex:"),
        ("body_query", "hex:" + driver_envelope(
            QueryMessage("SELECT * FROM system.local", ConsistencyLevel.ONE))[9:].hex()),
        ("body_text_1000", "gen:text:1000"),
        ("body_rand_1000", "gen:rand9:1000"),
        ("body_text_300000", "gen:text:300000"),
    ]
    for name, spec in body_cases:
        lines.append(body_line(name, spec))
    with open(out_path, "w") as f:
        f.write("# Generated by segments_gen.py from the DataStax Python driver; do not edit.\n")
        for line in lines:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
