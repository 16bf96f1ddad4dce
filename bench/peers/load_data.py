#!/usr/bin/env python3
"""Create cqlpp_bench and load deterministic data for the peer benchmarks.

usage: load_data.py [--host 127.0.0.1] [--rows N] [--keys K] [--force]

  cqlpp_bench.rows  N rows (default 200,000), the `stream` workload's table:
                    row i has pk = i // 100, ck = i % 100 (100 rows per partition),
                    a = 'row-%08d-cqlpp-bench' % i, b = i * 1000003, c = i * 0.25,
                    d = UUID(int = i * 0x9E3779B97F4A7C15 mod 2**128, version 4),
                    e = 2024-01-01T00:00:00Z + i seconds, f = 16 bytes (i*7+j) & 0xff,
                    g = i is even, h = [i, i+1, i+2].
  cqlpp_bench.kv    keys 0..K-1 (default 100,000), v = bytes 0..63: what `select1` reads;
                    `insert` writes keys 0..requests-1 with the same value.
  cqlpp_bench.meta  marker rows ('rows', N) and ('kv', K), written after a complete load.

Idempotent: when the markers already say N and K the load is skipped (seconds); a different
N truncates and reloads the table. Uses the DataStax Python driver (execute_concurrent).
"""

import argparse
import datetime
import sys
import time
import uuid

from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT
from cassandra.concurrent import execute_concurrent_with_args

KV_VALUE = bytes(range(64))
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)

SCHEMA = [
    "CREATE KEYSPACE IF NOT EXISTS cqlpp_bench WITH replication = "
    "{'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TABLE IF NOT EXISTS cqlpp_bench.rows (pk int, ck int, a text, b bigint, c double, "
    "d uuid, e timestamp, f blob, g boolean, h list<int>, PRIMARY KEY ((pk), ck))",
    "CREATE TABLE IF NOT EXISTS cqlpp_bench.kv (k bigint PRIMARY KEY, v blob)",
    "CREATE TABLE IF NOT EXISTS cqlpp_bench.meta (name text PRIMARY KEY, n bigint)",
]


def row_values(i):
    return (
        i // 100,
        i % 100,
        "row-%08d-cqlpp-bench" % i,
        i * 1000003,
        i * 0.25,
        uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % (1 << 128), version=4),
        EPOCH + datetime.timedelta(seconds=i),
        bytes(((i * 7 + j) & 0xFF) for j in range(16)),
        i % 2 == 0,
        [i, i + 1, i + 2],
    )


def marker(session, name):
    row = session.execute("SELECT n FROM cqlpp_bench.meta WHERE name = %s", (name,)).one()
    return None if row is None else row[0]


def load(session, name, table, n, insert_cql, params):
    have = marker(session, name)
    if have == n:
        print("load_data: %s already holds %d rows, skipped" % (table, n), file=sys.stderr)
        return
    t0 = time.monotonic()
    if have is not None or session.execute("SELECT * FROM %s LIMIT 1" % table).one():
        session.execute("DELETE FROM cqlpp_bench.meta WHERE name = %s", (name,))
        session.execute("TRUNCATE %s" % table, timeout=120)
    prepared = session.prepare(insert_cql)
    failed = 0
    first = None
    for ok, res in execute_concurrent_with_args(session, prepared, params(n), concurrency=256,
                                                raise_on_first_error=False,
                                                results_generator=True):
        if not ok:
            failed += 1
            first = first or res
    if failed:
        raise SystemExit("load_data: FAILED: %d of %d inserts into %s failed, first: %r"
                         % (failed, n, table, first))
    session.execute("INSERT INTO cqlpp_bench.meta (name, n) VALUES (%s, %s)", (name, n))
    print("load_data: loaded %d rows into %s in %.1fs" % (n, table, time.monotonic() - t0),
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--force", action="store_true", help="reload even when the markers match")
    args = ap.parse_args()

    profile = ExecutionProfile(request_timeout=60)
    cluster = Cluster([args.host], compression=False,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    session = cluster.connect()
    try:
        for cql in SCHEMA:
            session.execute(cql)
        if args.force:
            session.execute("TRUNCATE cqlpp_bench.meta")
        load(session, "rows", "cqlpp_bench.rows", args.rows,
             "INSERT INTO cqlpp_bench.rows (pk, ck, a, b, c, d, e, f, g, h) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             lambda n: (row_values(i) for i in range(n)))
        load(session, "kv", "cqlpp_bench.kv", args.keys,
             "INSERT INTO cqlpp_bench.kv (k, v) VALUES (?, ?)",
             lambda n: ((i, KV_VALUE) for i in range(n)))
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main()
