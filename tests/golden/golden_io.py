"""Shared by the *_gen.py generators: write a golden file, or check it.

Each generator has a HEADER line and a lines() function that asks the Python
driver for the vectors; main() writes them (gen.py OUTPUT) or, with --check
GOLDEN, regenerates them in memory and reports every line that differs in
doctest's summary format, so scripts/test counts it like the C++ suites.
"""
import sys


def check(path, lines):
    """The committed corpus must be exactly what the driver produces now."""
    with open(path, encoding='utf-8') as f:
        committed = f.read().splitlines()[1:]
    fresh = lines()
    failed = 0
    for i in range(max(len(committed), len(fresh))):
        a = committed[i] if i < len(committed) else '<missing>'
        b = fresh[i] if i < len(fresh) else '<missing>'
        if a != b:
            failed += 1
            print('DIFF line %d:\n  committed %s\n  driver    %s' % (i + 2, a[:160], b[:160]))
    n = len(fresh)
    print('[doctest] test cases: %d | %d passed | %d failed |' % (n, n - failed if failed <= n else 0, failed))
    return 1 if failed else 0


def main(header, lines):
    if sys.argv[1] == '--check':
        return check(sys.argv[2], lines)
    with open(sys.argv[1], 'w', encoding='utf-8') as f:
        f.write(header + '\n')
        for line in lines():
            f.write(line + '\n')
    return 0
