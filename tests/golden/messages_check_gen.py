"""Re-runs messages_gen.py into a temporary file and diffs it with the committed
messages.golden, so the corpus provably comes from the Python driver."""
import os
import subprocess
import sys
import tempfile

here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "messages.golden")
    subprocess.run([sys.executable, os.path.join(here, "messages_gen.py"), out], check=True)
    fresh = open(out).read().splitlines()
committed = open(os.path.join(here, "messages.golden")).read().splitlines()
same = sum(1 for a, b in zip(fresh, committed) if a == b)
failed = max(len(fresh), len(committed)) - same
for a, b in zip(fresh, committed):
    if a != b:
        print("DIFF\n  fresh:     %s\n  committed: %s" % (a[:120], b[:120]))
print("[doctest] test cases: %d | %d passed | %d failed |" % (same + failed, same, failed))
sys.exit(1 if failed or same == 0 else 0)
