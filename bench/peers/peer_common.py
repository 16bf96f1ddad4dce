"""Shared by the Python peers: the command-line contract and the one JSON result line.

Contract (bench/peers/README.md):
  PEER --host 127.0.0.1 --workload stream|insert|select1
       [--rows N] [--requests N] [--concurrency C] [--page-size P] [--keys K]
prints ONE JSON line on stdout (the contract's keys plus errors, ok, and cpu_s: the client
process's user+system CPU seconds over the timed part) and exits 1 (after printing it) when validation failed.
"""

import argparse
import json
import resource
import sys

STREAM_CQL = "SELECT pk, ck, a, b, c, d, e, f, g, h FROM cqlpp_bench.rows"
INSERT_CQL = "INSERT INTO cqlpp_bench.kv (k, v) VALUES (?, ?)"
SELECT1_CQL = "SELECT k, v FROM cqlpp_bench.kv WHERE k = ?"
KV_VALUE = bytes(range(64))   # what every peer writes into cqlpp_bench.kv.v


def parse_args(prog):
    ap = argparse.ArgumentParser(prog=prog)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--workload", required=True, choices=["stream", "insert", "select1"])
    ap.add_argument("--rows", type=int, default=200_000,
                    help="stream: expected row count of cqlpp_bench.rows")
    ap.add_argument("--requests", type=int, default=200_000, help="insert/select1: requests")
    ap.add_argument("--concurrency", type=int, default=1024, help="insert/select1: in flight")
    ap.add_argument("--page-size", type=int, default=5000, help="stream: page size")
    ap.add_argument("--keys", type=int, default=100_000,
                    help="select1: keys 0..K-1 preloaded in cqlpp_bench.kv")
    a = ap.parse_args()
    a.concurrency = max(1, a.concurrency)
    a.keys = max(1, a.keys)
    return a


def check_row_content(k, row):
    """select1: the row read for key k must be (k, KV_VALUE)."""
    return row is not None and row[0] == k and len(row[1]) == 64


def report(driver, args, ops, seconds, rows, errors, problem, cpu_s):
    """Print the result line; on a validation problem say so on stderr and exit 1."""
    out = {
        "driver": driver, "workload": args.workload, "ops": ops,
        "seconds": round(seconds, 4), "ops_per_s": round(ops / seconds, 3),
        "rows": rows, "rows_per_s": round(rows / seconds, 3),
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "cpu_s": round(cpu_s, 3),
        "errors": errors, "ok": problem is None,
    }
    print(json.dumps(out), flush=True)
    if problem is not None:
        print("%s: VALIDATION FAILED (%s): %s" % (driver, args.workload, problem), file=sys.stderr)
        sys.exit(1)


def stream_problem(args, rows, list_items):
    if rows != args.rows:
        return "read %d rows, expected %d" % (rows, args.rows)
    if list_items != 3 * rows:
        return "list<int> items %d, expected %d" % (list_items, 3 * rows)
    return None
