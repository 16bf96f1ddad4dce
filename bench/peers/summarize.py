#!/usr/bin/env python3
"""Fold bench/run_peers's raw runs into medians: a markdown table on stdout and a JSON file.

usage: summarize.py RUNS.jsonl PEERS.tsv OUT.json COMMAND
  RUNS.jsonl  one object per run: {"peer", "workload", "run", "exit", "result": {...} | null}
  PEERS.tsv   name, version, command (bench/peers/.build/peers.tsv plus --peer additions)
Exit status 1 when any run failed (non-zero exit, no JSON line, ok false).
"""

import datetime
import json
import os
import platform
import statistics
import sys

WORKLOADS = ["stream", "insert", "select1"]
METRIC = {"stream": ("rows_per_s", "rows/s"), "insert": ("ops_per_s", "ops/s"),
          "select1": ("ops_per_s", "ops/s")}


def main():
    runs_path, peers_path, out_path, command = sys.argv[1:5]
    runs = [json.loads(line) for line in open(runs_path) if line.strip()]
    peers = []
    for line in open(peers_path):
        if line.strip():
            name, version, cmd = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            peers.append({"name": name, "version": version, "command": cmd})

    medians = {}
    failures = []
    for r in runs:
        res = r.get("result")
        if r["exit"] != 0 or not res or not res.get("ok", False):
            failures.append(r)
    for p in peers:
        for w in WORKLOADS:
            good = [r["result"] for r in runs if r["peer"] == p["name"] and r["workload"] == w
                    and r["exit"] == 0 and r.get("result") and r["result"].get("ok")]
            if not good:
                continue
            key = METRIC[w][0]
            medians.setdefault(p["name"], {})[w] = {
                "n": len(good),
                key: statistics.median(g[key] for g in good),
                "min": min(g[key] for g in good), "max": max(g[key] for g in good),
                "seconds": statistics.median(g["seconds"] for g in good),
                "cpu_s": statistics.median(g.get("cpu_s", 0) for g in good),
                "peak_rss_kb": max(g["peak_rss_kb"] for g in good),
                "ops": statistics.median(g.get("ops", 0) for g in good),
            }
            # Latency percentiles (peers that time requests, BENCH_LATENCY=1).
            for q in ("p50_ms", "p99_ms", "p999_ms"):
                vals = [g[q] for g in good if q in g]
                if vals:
                    medians[p["name"]][w][q] = statistics.median(vals)

    doc = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform()},
        "server": "Apache Cassandra 5.0.9, 1 node on 127.0.0.1 (scripts/cassandra), same machine",
        "peers": peers, "medians": medians, "runs": runs,
    }
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

    print("| driver | stream rows/s | insert ops/s | select1 ops/s | client CPU s (stream / insert / select1) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for p in peers:
        m = medians.get(p["name"], {})
        cells, cpus, rss = [], [], 0
        for w in WORKLOADS:
            if w in m:
                cells.append("{:,.0f}".format(m[w][METRIC[w][0]]))
                cpus.append("%.2f" % m[w]["cpu_s"])
                rss = max(rss, m[w]["peak_rss_kb"])
            else:
                cells.append("—")
                cpus.append("—")
        print("| %s (%s) | %s | %s | %s | %s | %.0f |"
              % (p["name"], p["version"], *cells, " / ".join(cpus), rss / 1024))
    rows = []
    for p in peers:
        for w in ("insert", "select1"):
            m = medians.get(p["name"], {}).get(w)
            if not m:
                continue
            cpu_us = 1e6 * m["cpu_s"] / m["ops"] if m.get("ops") else float("nan")
            lat = ["%.2f" % m[q] if q in m else "—" for q in ("p50_ms", "p99_ms", "p999_ms")]
            rows.append("| %s | %s | {:,.0f} | %.1f | %s | %s | %s |".format(m["ops_per_s"])
                        % (p["name"], w, cpu_us, *lat))
    if rows:
        print("\n| driver | workload | ops/s | client CPU µs/request | p50 ms | p99 ms | p999 ms |")
        print("|---|---|---:|---:|---:|---:|---:|")
        print("\n".join(rows))
    print("\nmedian of the successful runs per cell (n, min..max in %s)" % out_path)
    if failures:
        print("\nFAILED RUNS (%d):" % len(failures))
        for r in failures:
            print("  %s %s run %s: exit %s, result %s%s" % (
                r["peer"], r["workload"], r["run"], r["exit"], json.dumps(r.get("result")),
                (" — " + r["stderr_tail"]) if r.get("stderr_tail") else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
