#!/usr/bin/env python3
"""cqlpp benchmark peer: the DataStax Python driver (cassandra-driver, from .venv).

stream: one prepared full-table SELECT, iterated through the driver's synchronous paging
(ResultSet fetches the next page as the loop reaches it); rows as tuples (tuple_factory).
insert / select1: prepared statements through cassandra.concurrent.execute_concurrent_with_args
at --concurrency requests in flight. No compression (the driver would pick lz4 when installed).
See bench/peers/README.md for the contract.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402

import cassandra  # noqa: E402
from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT  # noqa: E402
from cassandra.concurrent import execute_concurrent_with_args  # noqa: E402
from cassandra.query import tuple_factory  # noqa: E402


def main():
    args = pc.parse_args("python_driver.py")
    profile = ExecutionProfile(row_factory=tuple_factory, request_timeout=30)
    cluster = Cluster([args.host], compression=False,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    session = cluster.connect()
    driver = "python-driver"
    try:
        if args.workload == "stream":
            stmt = session.prepare(pc.STREAM_CQL)
            stmt.fetch_size = args.page_size
            t0, c0 = time.perf_counter(), time.process_time()
            rows = items = 0
            for row in session.execute(stmt):
                rows += 1
                items += len(row[9])
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            pc.report(driver, args, 1, secs, rows, 0, pc.stream_problem(args, rows, items), cpu)
        else:
            insert = args.workload == "insert"
            stmt = session.prepare(pc.INSERT_CQL if insert else pc.SELECT1_CQL)
            n, keys, value = args.requests, args.keys, pc.KV_VALUE
            if insert:
                params = ((i, value) for i in range(n))
            else:
                params = ((i % keys,) for i in range(n))
            errors = read = 0
            first = None
            t0, c0 = time.perf_counter(), time.process_time()
            results = execute_concurrent_with_args(
                session, stmt, params, concurrency=args.concurrency,
                raise_on_first_error=False, results_generator=True)
            for i, (ok, res) in enumerate(results):
                if not ok:
                    errors += 1
                    first = first or repr(res)
                elif not insert:
                    k = i % keys
                    if pc.check_row_content(k, res.one()):
                        read += 1
                    else:
                        errors += 1
                        first = first or "key %d: missing or wrong row" % k
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            problem = None
            if errors:
                problem = "%d failed requests, first: %s" % (errors, first)
            pc.report(driver, args, n, secs, read, errors, problem, cpu)
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main()
