#!/usr/bin/env python3
"""Sums test cases over a scripts/test run and prints the closing line.

Inputs: plain logs (*.log, their doctest-style summary lines), meson's testlog.json files (each test prints a doctest-style summary
"[doctest] test cases: N | P passed | F failed |"; a test with none counts as
one case, passed or failed by its result) and pytest JUnit XML files.
Prints "N passed, N failed" (", N skipped" when any) as its last line and exits
non-zero when anything failed.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

SUMMARY = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed(?:\s*\|\s*(\d+) skipped)?")


def from_meson(path, totals):
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            name, result = t.get("name", "?"), t.get("result", "")
            if result == "SKIP":
                totals["skipped"] += 1
                continue
            found = SUMMARY.findall(t.get("stdout", "") or "")
            if found:
                _, p, fl, s = found[-1]
                totals["passed"] += int(p)
                totals["failed"] += int(fl)
                totals["skipped"] += int(s or 0)
                if result != "OK" and int(fl) == 0:
                    totals["failed"] += 1  # crashed after its summary, or timed out
                    totals["failed_names"].append(name)
            elif result == "OK":
                totals["passed"] += 1
            else:
                totals["failed"] += 1
            if result not in ("OK", "EXPECTEDFAIL"):
                totals["failed_names"].append(name)


def from_junit(path, totals):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for s in suites:
        n = int(s.get("tests", 0))
        fl = int(s.get("failures", 0)) + int(s.get("errors", 0))
        sk = int(s.get("skipped", 0))
        totals["passed"] += n - fl - sk
        totals["failed"] += fl
        totals["skipped"] += sk
        if fl:
            totals["failed_names"].append(path)


def from_text(path, totals):
    """A plain log whose doctest-style summary lines each count."""
    with open(path) as f:
        for _, p, fl, s in SUMMARY.findall(f.read()):
            totals["passed"] += int(p)
            totals["failed"] += int(fl)
            totals["skipped"] += int(s or 0)
            if int(fl):
                totals["failed_names"].append(path)


def main(argv):
    totals = {"passed": 0, "failed": 0, "skipped": 0, "failed_names": []}
    for p in argv[1:]:
        try:
            if p.endswith(".xml"):
                from_junit(p, totals)
            elif p.endswith(".json"):
                from_meson(p, totals)
            else:
                from_text(p, totals)
        except (OSError, ValueError, ET.ParseError) as e:
            print(f"count_tests: cannot read {p}: {e}")
            totals["failed"] += 1
            totals["failed_names"].append(p)
    for n in sorted(set(totals["failed_names"])):
        print(f"FAILED: {n}")
    line = f"{totals['passed']} passed, {totals['failed']} failed"
    if totals["skipped"]:
        line += f", {totals['skipped']} skipped"
    print(line)
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
