"""Fixtures for the real-server tests: one plain Cassandra 5.0 node on 127.0.0.1:9042.

If `scripts/cassandra status` says a cluster is already up in the run folder
($CQLPP_CASSANDRA_RUN, else ${TMPDIR:-/tmp}/cqlpp-cassandra-$UID), the tests reuse it and
leave it running. Otherwise the session starts one node (tied to this pytest process with
--owner-pid, so it dies with pytest even on a crash) and stops it at the end.

Run: .venv/bin/python -m pytest tests/integration   (after scripts/setup)
"""
import json
import os
import subprocess
import sys
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "cassandra")


def _cassandra(*args, check=True):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope="session")
def cassandra_node():
    """cluster.json of a running cluster (dict): nodes, auth, tls, ca, ..."""
    status = _cassandra("status", "--json")
    started_here = False
    if status.returncode != 0:
        if status.returncode == 1:  # a cluster that is half up: not ours to fix
            pytest.fail("a cluster exists but not every node is up:\n" + status.stdout)
        t0 = time.monotonic()
        r = _cassandra("start", "--owner-pid", str(os.getpid()), "--max-lifetime", "3600")
        if r.returncode != 0:
            pytest.fail("scripts/cassandra start failed:\n%s\n%s" % (r.stdout, r.stderr))
        sys.stderr.write("\n[started Cassandra in %.1fs]\n%s" % (time.monotonic() - t0, r.stdout))
        started_here = True
        status = _cassandra("status", "--json")
    info = json.loads(status.stdout)
    yield info
    if started_here:
        _cassandra("stop")


@pytest.fixture(scope="session")
def contact(cassandra_node):
    """Keyword arguments for cassandra.cluster.Cluster that reach node 1."""
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.policies import WhiteListRoundRobinPolicy
    from cassandra.cluster import ExecutionProfile, EXEC_PROFILE_DEFAULT
    import ssl

    node = cassandra_node["nodes"][0]
    kw = {"contact_points": [node["address"]], "port": node["native_port"],
          "execution_profiles": {EXEC_PROFILE_DEFAULT: ExecutionProfile(
              load_balancing_policy=WhiteListRoundRobinPolicy([node["address"]]))}}
    if cassandra_node.get("auth"):
        kw["auth_provider"] = PlainTextAuthProvider(cassandra_node["username"],
                                                    cassandra_node["password"])
    if cassandra_node.get("tls"):
        ctx = ssl.create_default_context(cafile=cassandra_node["ca"])
        kw["ssl_context"] = ctx
    return kw


@pytest.fixture(scope="session")
def connect(contact):
    """connect(**extra) -> (cluster, session); every cluster is shut down at the end."""
    from cassandra.cluster import Cluster
    clusters = []

    def _connect(**extra):
        c = Cluster(**{**contact, **extra})
        clusters.append(c)
        return c, c.connect()

    yield _connect
    for c in clusters:
        c.shutdown()


@pytest.fixture
def keyspace(connect):
    """A fresh keyspace (RF 1), dropped after the test."""
    _, s = connect(protocol_version=5)
    name = "it_" + uuid.uuid4().hex[:12]
    s.execute("CREATE KEYSPACE %s WITH replication = "
              "{'class': 'SimpleStrategy', 'replication_factor': 1}" % name)
    yield name
    s.execute("DROP KEYSPACE IF EXISTS %s" % name)
