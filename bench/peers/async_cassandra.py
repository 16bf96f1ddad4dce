#!/usr/bin/env python3
"""cqlpp benchmark peer: async-cassandra (PyPI `async-cassandra`, asyncio over cassandra-driver).

Runs in bench/peers/.build/venv-ac (it needs Python >= 3.12; bench/peers/install makes it).
stream: session.execute_stream(prepared, stream_config=StreamConfig(fetch_size=P)) iterated with
`async for` (its streaming API: one page held at a time, no prefetch); rows as tuples.
insert / select1: --concurrency asyncio workers each awaiting session.execute(prepared, ...).
No compression; protocol v5 (the library refuses less). See bench/peers/README.md.
"""

import asyncio
import os
import sys
import time

# This file's name is the package's: import the package with this folder off sys.path, then
# put the folder back for peer_common.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
from async_cassandra import AsyncCluster, StreamConfig  # noqa: E402
from cassandra.query import tuple_factory  # noqa: E402

sys.path.insert(0, HERE)
import peer_common as pc  # noqa: E402


async def run(args):
    """Returns report()'s arguments less `args`."""
    cluster = AsyncCluster(contact_points=[args.host], compression=False)
    session = await cluster.connect()
    # AsyncCluster builds a legacy-mode Cluster (it passes load_balancing_policy itself), so the
    # row factory is set on the wrapped driver session.
    session._session.row_factory = tuple_factory
    session._session.default_timeout = 30
    driver = "async-cassandra"
    try:
        if args.workload == "stream":
            stmt = await session.prepare(pc.STREAM_CQL)
            t0, c0 = time.perf_counter(), time.process_time()
            rows = items = 0
            result = await session.execute_stream(
                stmt, stream_config=StreamConfig(fetch_size=args.page_size))
            async with result:
                async for row in result:
                    rows += 1
                    items += len(row[9])
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            return driver, 1, secs, rows, 0, pc.stream_problem(args, rows, items), cpu

        insert = args.workload == "insert"
        stmt = await session.prepare(pc.INSERT_CQL if insert else pc.SELECT1_CQL)
        n, keys, value = args.requests, args.keys, pc.KV_VALUE
        state = {"next": 0, "errors": 0, "read": 0, "first": None}

        async def worker():
            while True:
                i = state["next"]
                if i >= n:
                    return
                state["next"] = i + 1
                try:
                    if insert:
                        await session.execute(stmt, (i, value))
                    else:
                        k = i % keys
                        res = await session.execute(stmt, (k,))
                        if pc.check_row_content(k, res.one()):
                            state["read"] += 1
                        else:
                            raise RuntimeError("key %d: missing or wrong row" % k)
                except Exception as e:  # counted and reported, never hidden
                    state["errors"] += 1
                    state["first"] = state["first"] or repr(e)

        t0, c0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(min(args.concurrency, max(n, 1)))))
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        problem = None
        if state["errors"]:
            problem = "%d failed requests, first: %s" % (state["errors"], state["first"])
        return driver, n, secs, state["read"], state["errors"], problem, cpu
    finally:
        await session.close()
        await cluster.shutdown()


def main():
    args = pc.parse_args("async_cassandra.py")
    driver, *rest = asyncio.run(run(args))
    pc.report(driver, args, *rest)


if __name__ == "__main__":
    main()
