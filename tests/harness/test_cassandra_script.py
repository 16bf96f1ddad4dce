"""scripts/cassandra's start path, against a fake `java` (tests/harness/fake_java.py): no JVM,
no jars, a few seconds per test.

The script under test is copied into a throw-away repo root (with empty stand-in jars), so
that any version can be tested: $CQLPP_HARNESS_SCRIPT, else scripts/cassandra of this checkout.
Each test has its own CQLPP_CASSANDRA_RUN. The fake node listens on 127.0.0.1:9042 (as the
script probes it): with a Cassandra running there the tests are skipped.

Run: python3 -m pytest -q tests/harness
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import importlib.machinery
import importlib.util

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.environ.get("CQLPP_HARNESS_SCRIPT") or os.path.join(ROOT, "scripts", "cassandra")
FAKE_JAVA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_java.py")


def _port_free(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def processes_with(token):
    """pid -> command line of every live process whose environment holds token. Looks at each
    thread, so a process whose leader thread has exited (a zombie leader) still counts."""
    out = {}
    needle = token.encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            tids = os.listdir("/proc/%s/task" % d)
        except OSError:
            continue
        for tid in tids:
            t = "/proc/%s/task/%s" % (d, tid)
            try:
                with open(t + "/stat") as f:
                    stat = f.read()
                if stat[stat.rindex(")") + 2] in "ZX":
                    continue
                with open(t + "/environ", "rb") as f:
                    if needle not in f.read():
                        break
                with open(t + "/cmdline", "rb") as f:
                    out[int(d)] = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
                break
            except (OSError, ValueError):
                pass
    return out


class Harness:
    def __init__(self, tmp):
        self.tmp = tmp
        self.root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(self.root, "scripts"))
        self.script = os.path.join(self.root, "scripts", "cassandra")
        shutil.copy(SCRIPT, self.script)
        os.chmod(self.script, 0o755)
        lib = os.path.join(self.root, ".cache", "cassandra", "lib")
        os.makedirs(lib)
        for jar in ("cassandra-all-5.0.9.jar", "jamm-0.4.0.jar"):
            open(os.path.join(lib, jar), "w").close()
        with open(os.path.join(self.root, ".cache", "cassandra", "stamp"), "w") as f:
            f.write("cassandra-all 5.0.9\n")
        self.java = os.path.join(tmp, "java")
        shutil.copy(FAKE_JAVA, self.java)
        os.chmod(self.java, 0o755)
        self.run_dir = os.path.join(tmp, "run")
        self.token = "CQLPP_HARNESS_TOKEN=" + uuid.uuid4().hex
        self.env = dict(os.environ, CQLPP_JAVA=self.java, CQLPP_CASSANDRA_RUN=self.run_dir,
                        FAKE_DIR=tmp, FAKE_MODE="serve")
        self.env.pop("CQLPP_CASSANDRA_JVM_OPTS", None)
        k, v = self.token.split("=")
        self.env[k] = v

    def popen(self, *args, **env):
        return subprocess.Popen([sys.executable, self.script, *args], env=dict(self.env, **env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args, timeout=90, **env):
        p = self.popen(*args, **env)
        t0 = time.monotonic()
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, time.monotonic() - t0

    def start(self, *args, **env):
        return self.run("start", "--owner-pid", str(os.getpid()), "--max-lifetime", "300",
                        *args, **env)

    def node_pids(self):
        try:
            with open(os.path.join(self.tmp, "pids")) as f:
                return [int(line.split()[0]) for line in f]
        except FileNotFoundError:
            return []

    def leftovers(self, wait=3.0):
        """Processes the script launched that still run (polled for up to `wait` seconds)."""
        deadline = time.monotonic() + wait
        while True:
            left = processes_with(self.token)
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    def cluster_json(self):
        return os.path.exists(os.path.join(self.run_dir, "cluster.json"))

    def cleanup(self):
        """SIGKILL whatever the test left (so that a failing test does not break the next)."""
        deadline = time.monotonic() + 10
        while processes_with(self.token) and time.monotonic() < deadline:
            for pid in processes_with(self.token):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        while not _port_free(9042) and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def h(tmp_path):
    for port in (9042, 7000, 7199):
        if not _port_free(port):
            pytest.skip("127.0.0.1:%d is in use (a Cassandra node running?): these tests "
                        "run a fake node there" % port)
    harness = Harness(str(tmp_path))
    yield harness
    left = processes_with(harness.token)
    harness.cleanup()
    assert not left, "the test left processes running: %s" % left


def _no_leftovers(h, what):
    left = h.leftovers()
    assert not left, "%s: processes launched by scripts/cassandra still run: %s" % (what, left)
    assert not h.cluster_json(), "%s: cluster.json is still there" % what


# (a) slow but alive -----------------------------------------------------------------------

def test_live_node_whose_cmdline_lacks_the_marker_is_not_declared_dead(h):
    """The node runs 3 s with a command line that lacks its folder (/proc reads like that
    while a JVM is exec'd), then serves: the start must wait for it, not declare it dead."""
    rc, out, err, dt = h.start("--timeout", "60", FAKE_MODE="hide", FAKE_HIDE="3")
    assert rc == 0, "start of a slow but live node failed after %.1fs:\n%s\n%s" % (dt, out, err)
    assert "ready in" in out
    rc, out, err, _ = h.run("status")
    assert rc == 0 and " up" in out, "status:\n%s\n%s" % (out, err)
    rc, out, err, _ = h.run("stop")
    assert rc == 0 and "stopped 1 node(s)" in out, "stop:\n%s\n%s" % (out, err)
    _no_leftovers(h, "after stop")


def test_live_node_whose_leader_thread_exited_is_not_declared_dead(h):
    """/proc/PID/stat says Z and cmdline is empty, but a thread still serves."""
    rc, out, err, dt = h.start("--timeout", "60", FAKE_MODE="zombie-leader")
    assert rc == 0, "start failed after %.1fs:\n%s\n%s" % (dt, out, err)
    rc, out, err, _ = h.run("status")
    assert rc == 0 and " up" in out, "status (a later process, /proc check):\n%s\n%s" % (out, err)
    rc, out, err, _ = h.run("stop")
    assert rc == 0 and "stopped 1 node(s)" in out, "stop:\n%s\n%s" % (out, err)
    _no_leftovers(h, "after stop")


def test_pid_alive_right_after_popen():
    """/proc/PID/cmdline reads empty for a moment after subprocess.Popen returns: pid_alive
    (what stop/status/kill use) must not call such a process dead."""
    loader = importlib.machinery.SourceFileLoader("cassandra_script", SCRIPT)
    spec = importlib.util.spec_from_loader("cassandra_script", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    dead = 0
    n = 300
    for _ in range(n):
        p = subprocess.Popen(["/bin/sh", "-c", "read x", "MARKER-node1"],  # no child of its own
                             stdin=subprocess.PIPE, start_new_session=True, close_fds=True)
        try:
            dead += not mod.pid_alive(p.pid, "MARKER-node1")
        finally:
            p.kill()
            p.wait()
            p.stdin.close()
    assert dead == 0, "pid_alive said %d of %d live processes were dead" % (dead, n)


# (b) a node that really exits --------------------------------------------------------------

def test_node_that_exits_is_reported_with_its_exit_status_quickly(h):
    rc, out, err, dt = h.start("--timeout", "60", FAKE_MODE="exit", FAKE_EXIT="3")
    assert rc != 0, "start succeeded with a node that exited:\n%s" % out
    assert "failed to start" in err and "exit status 3" in err, err
    assert dt < 15, "took %.1fs to notice that the node exited" % dt
    _no_leftovers(h, "after a node exited")


# (c) a failed start leaves nothing ---------------------------------------------------------

def test_timeout_stops_the_node_and_the_watchdog(h):
    rc, out, err, dt = h.start("--timeout", "3", FAKE_MODE="hang")
    assert rc != 0 and "not ready after 3s" in err, "rc %d\n%s\n%s" % (rc, out, err)
    assert h.node_pids(), "the fake node was never launched"
    _no_leftovers(h, "after a timed-out start")


def test_markerless_node_that_times_out_is_stopped(h):
    """The defect's path: the old script took this live node for a dead one, and its cleanup
    (the same /proc check) skipped it, leaving it running without a watchdog."""
    rc, out, err, dt = h.start("--timeout", "2", FAKE_MODE="hide", FAKE_HIDE="30")
    assert rc != 0, "rc %d\n%s\n%s" % (rc, out, err)
    assert "not ready after 2s" in err, err
    _no_leftovers(h, "after a timed-out start")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_start_stops_what_was_launched(h, sig):
    p = h.popen("start", "--owner-pid", str(os.getpid()), "--max-lifetime", "300",
                "--timeout", "60", FAKE_MODE="hang")
    deadline = time.monotonic() + 20
    while not h.node_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert h.node_pids(), "the fake node was never launched"
    time.sleep(0.5)
    p.send_signal(sig)
    out, err = p.communicate(timeout=60)
    assert p.returncode != 0, out
    _no_leftovers(h, "after %s during start" % signal.Signals(sig).name)


# restart I: the same parent-based readiness ------------------------------------------------

def test_restart_reports_exit_status_and_leaves_nothing(h):
    rc, out, err, _ = h.start("--timeout", "60")
    assert rc == 0, out + err
    rc, out, err, _ = h.run("kill", "1")
    assert rc == 0, out + err
    rc, out, err, dt = h.run("restart", "1", FAKE_MODE="exit", FAKE_EXIT="7")
    assert rc != 0 and "exit status 7" in err, "rc %d\n%s\n%s" % (rc, out, err)
    assert dt < 15
    rc, out, err, _ = h.run("restart", "1", FAKE_MODE="hide", FAKE_HIDE="2")
    assert rc == 0 and "ready in" in out, "rc %d\n%s\n%s" % (rc, out, err)
    rc, out, err, _ = h.run("status")
    assert rc == 0, out + err
    rc, out, err, _ = h.run("stop")
    assert rc == 0 and "stopped 1 node(s)" in out, out + err
    _no_leftovers(h, "after stop")


def test_two_clusters_side_by_side_with_prefix(h):
    """--prefix 127.0.1. beside the default 127.0.0.: own addresses, JMX ports and run folder
    (the default one derived from the prefix), each stopped on its own."""
    rc, out, err, _ = h.start("--timeout", "60")
    assert rc == 0, out + err
    other = dict(CQLPP_CASSANDRA_RUN="", TMPDIR=h.tmp)  # the prefix's default run folder, under TMPDIR
    rc, out, err, _ = h.start("--timeout", "60", "--prefix", "127.0.1.", **other)
    assert rc == 0 and "127.0.1.1:9042" in out, out + err
    rd = os.path.join(h.tmp, "cqlpp-cassandra-%d-127.0.1" % os.getuid())
    with open(os.path.join(rd, "cluster.json")) as f:
        st = json.load(f)
    assert st["prefix"] == "127.0.1." and st["nodes"][0]["address"] == "127.0.1.1"
    assert st["nodes"][0]["jmx_port"] == 7200
    with socket.create_connection(("127.0.1.1", 9042), timeout=5):
        pass
    rc, out, err, _ = h.run("status", "--prefix", "127.0.1.", **other)
    assert rc == 0, out + err
    rc, out, err, _ = h.run("stop", "--prefix=127.0.1.", **other)
    assert rc == 0 and "stopped 1 node(s)" in out, out + err
    rc, out, err, _ = h.run("status")  # the default cluster still runs
    assert rc == 0, out + err
    rc, out, err, _ = h.run("stop")
    assert rc == 0, out + err
    _no_leftovers(h, "after both stops")


def test_prefix_outside_loopback_is_refused(h):
    for bad in ("10.0.0.", "127.0.0", "127.1.0.", "127.0.100."):
        rc, out, err, _ = h.run("start", "--prefix", bad)
        assert rc == 2 and "--prefix must read 127.0.X." in err, (bad, out, err)
    assert not h.node_pids()
