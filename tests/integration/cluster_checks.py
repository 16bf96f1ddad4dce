#!/usr/bin/env python3
"""Heavier real-server checks, printed for a human (not part of the pytest run).

    .venv/bin/python tests/integration/cluster_checks.py [multi] [secure]

multi:  start --nodes 3; each node, queried alone, lists the other two in system.peers_v2;
        kill node 2 (SIGKILL): node 1 reports it unavailable to CL=ALL writes;
        restart node 2: it answers again and CL=ALL writes succeed.
secure: start --auth --tls; TLS + cassandra/cassandra works; a wrong password fails with
        AuthenticationFailed; a plaintext connection is refused.

Uses its own run folder ($CQLPP_CASSANDRA_RUN, default ${TMPDIR:-/tmp}/cqlpp-checks-$UID),
ties the nodes to this process (--owner-pid) and stops them at the end of each part.
Exit status 0 when every check passed.
"""
import json
import os
import ssl
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "cassandra")
os.environ.setdefault("CQLPP_CASSANDRA_RUN", os.path.join(
    os.environ.get("TMPDIR") or "/tmp", "cqlpp-checks-%d" % os.getuid()))

from cassandra import AuthenticationFailed, ConsistencyLevel, Unavailable  # noqa: E402
from cassandra.auth import PlainTextAuthProvider  # noqa: E402
from cassandra.cluster import (EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile,  # noqa: E402
                               NoHostAvailable)
from cassandra.policies import FallthroughRetryPolicy, WhiteListRoundRobinPolicy  # noqa: E402
from cassandra.query import SimpleStatement  # noqa: E402

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append((name, ok))
    print("  [%s] %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""),
          flush=True)
    return ok


def harness(*args):
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)
    dt = time.monotonic() - t0
    print("$ scripts/cassandra %s   (%.1fs, exit %d)" % (" ".join(args), dt, r.returncode))
    for line in (r.stdout + r.stderr).strip().splitlines():
        print("    " + line)
    sys.stdout.flush()
    return r, dt


def cluster_json():
    with open(os.path.join(os.environ["CQLPP_CASSANDRA_RUN"], "cluster.json")) as f:
        return json.load(f)


def only(address, **kw):
    """A driver Cluster that talks to this one node only."""
    prof = ExecutionProfile(load_balancing_policy=WhiteListRoundRobinPolicy([address]),
                            retry_policy=FallthroughRetryPolicy(), request_timeout=10)
    return Cluster([address], execution_profiles={EXEC_PROFILE_DEFAULT: prof},
                   connect_timeout=5, control_connection_timeout=5, **kw)


def start(*args):
    r, dt = harness("start", "--owner-pid", str(os.getpid()), "--max-lifetime", "1800", *args)
    if r.returncode != 0:
        check("start %s" % " ".join(args), False, "see output above")
        return None
    return cluster_json()


def multi():
    print("\n=== multi: 3 nodes, peers, kill and restart ===", flush=True)
    st = start("--nodes", "3")
    if not st:
        return
    try:
        addrs = [n["address"] for n in st["nodes"]]
        for a in addrs:
            c = only(a, protocol_version=5)
            s = c.connect()
            rows = list(s.execute("SELECT peer, native_address, native_port, host_id "
                                  "FROM system.peers_v2"))
            local = s.execute("SELECT broadcast_address, release_version FROM system.local").one()
            c.shutdown()
            peers = sorted(str(r.peer) for r in rows)
            print("  node %s (release %s) system.peers_v2:" % (local.broadcast_address,
                                                                local.release_version))
            for r in sorted(rows, key=lambda r: str(r.peer)):
                print("      peer=%s native=%s:%s host_id=%s" % (r.peer, r.native_address,
                                                                 r.native_port, r.host_id))
            check("node %s lists the other two" % a, peers == sorted(x for x in addrs if x != a),
                  ", ".join(peers))

        c = only(addrs[0], protocol_version=5)
        s = c.connect()
        s.execute("CREATE KEYSPACE IF NOT EXISTS checks WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 3}")
        s.execute("CREATE TABLE IF NOT EXISTS checks.t (k int PRIMARY KEY, v int)")
        write_all = SimpleStatement("INSERT INTO checks.t (k, v) VALUES (1, 1)",
                                    consistency_level=ConsistencyLevel.ALL)
        s.execute(write_all)
        check("CL=ALL write with 3 nodes up", True)

        harness("kill", "2")
        t0 = time.monotonic()
        err = None
        while time.monotonic() - t0 < 60:
            try:
                s.execute(write_all)
            except Unavailable as e:
                err = e
                break
            except Exception as e:  # WriteTimeout until node 1 marks node 2 down
                err = e
            time.sleep(0.5)
        check("node 1 reports node 2 down (CL=ALL write -> Unavailable)",
              isinstance(err, Unavailable),
              "after %.1fs: %s" % (time.monotonic() - t0, type(err).__name__))
        r, _ = harness("status")
        check("status says node 2 dead", r.returncode == 1 and "dead" in r.stdout)

        r, dt = harness("restart", "2")
        check("restart 2", r.returncode == 0, "%.1fs to CQL-ready" % dt)
        c2 = only(addrs[1], protocol_version=5)
        n2 = c2.connect().execute("SELECT peer FROM system.peers_v2")
        check("node 2 answers again and lists peers", sorted(str(x.peer) for x in n2)
              == [addrs[0], addrs[2]])
        c2.shutdown()
        t0 = time.monotonic()
        ok = False
        while time.monotonic() - t0 < 60:
            try:
                s.execute(write_all)
                ok = True
                break
            except Exception as e:
                err = e
                time.sleep(0.5)
        check("node 1 sees node 2 back (CL=ALL write succeeds)", ok,
              "%.1fs after restart returned" % (time.monotonic() - t0))
        c.shutdown()
    finally:
        harness("stop")


def secure():
    print("\n=== secure: --auth --tls ===", flush=True)
    st = start("--auth", "--tls")
    if not st:
        return
    try:
        a = st["nodes"][0]["address"]
        ctx = ssl.create_default_context(cafile=st["ca"])
        print("  CA: %s" % st["ca"])

        c = only(a, ssl_context=ctx, auth_provider=PlainTextAuthProvider("cassandra", "cassandra"))
        s = c.connect()
        row = s.execute("SELECT release_version FROM system.local").one()
        who = list(s.execute("SELECT username, ssl_enabled, ssl_protocol, protocol_version "
                             "FROM system_views.clients"))
        c.shutdown()
        check("TLS + cassandra/cassandra connects", row.release_version.startswith("5.0"),
              "release %s; clients: %s" % (row.release_version, sorted(
                  {(w.username, w.ssl_enabled, w.ssl_protocol, w.protocol_version) for w in who})))

        c = only(a, ssl_context=ctx, auth_provider=PlainTextAuthProvider("cassandra", "wrong"))
        try:
            c.connect()
            check("wrong password fails", False, "it connected")
        except NoHostAvailable as e:
            inner = list(e.errors.values())
            check("wrong password fails with AuthenticationFailed",
                  any(isinstance(x, AuthenticationFailed) for x in inner), repr(inner[0])[:300])
        finally:
            c.shutdown()

        c = only(a, auth_provider=PlainTextAuthProvider("cassandra", "cassandra"))
        try:
            c.connect()
            check("plaintext connection refused", False, "it connected")
        except NoHostAvailable as e:
            inner = list(e.errors.values())
            check("plaintext connection refused", True, repr(inner[0])[:300])
        finally:
            c.shutdown()

        c = only(a, ssl_context=ssl.create_default_context(),  # system CAs: not ours
                 auth_provider=PlainTextAuthProvider("cassandra", "cassandra"))
        try:
            c.connect()
            check("TLS with an untrusting client fails", False, "it connected")
        except NoHostAvailable as e:
            inner = list(e.errors.values())
            check("TLS with a client that does not trust the CA fails", True, repr(inner[0])[:200])
        finally:
            c.shutdown()
    finally:
        harness("stop")


def main(argv):
    parts = argv or ["multi", "secure"]
    for p in parts:
        if p not in ("multi", "secure"):
            print("cluster_checks.py: unknown part %r: use multi and/or secure" % p, file=sys.stderr)
            return 2
    t0 = time.monotonic()
    for p in parts:
        try:
            {"multi": multi, "secure": secure}[p]()
        except Exception as e:  # a check that crashed is a failed check, not the end
            check("%s ran to the end" % p, False, repr(e)[:400])
    passed = sum(1 for _, ok in RESULTS if ok)
    print("\ncluster_checks took %.1fs" % (time.monotonic() - t0))
    print("cluster_checks: %d passed, %d failed" % (passed, len(RESULTS) - passed))
    return 0 if RESULTS and passed == len(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
