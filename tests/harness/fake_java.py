#!/usr/bin/env python3
"""A stand-in for `java` that scripts/cassandra launches in tests/harness (no JVM, no jars).

`fake_java -version` prints a JDK 17 banner. Launched as a node (the args contain
-Dcqlpp.node.dir=DIR) it appends its pid to $FAKE_DIR/pids, then acts per $FAKE_MODE:

  serve          answer CQL OPTIONS/STARTUP on the node's rpc_address (its cassandra.yaml;
                 127.0.0.1 without one), port 9042, until killed.
  hide           first run for $FAKE_HIDE seconds (default 3) as `python3 -c ...`: a live
                 process whose command line lacks the node folder (what /proc shows while
                 the JVM is being exec'd, only longer), then exec back and serve.
  zombie-leader  serve from a second thread while the main thread exits: /proc/PID/stat says
                 Z and /proc/PID/cmdline is empty, yet the process runs.
  exit           exit with status $FAKE_EXIT (default 3) after 0.5 s.
  hang           run, never listen.
"""
import ctypes
import json
import os
import socket
import struct
import sys
import threading
import time

HIDE_STAGE = r"""
import os, sys, time
time.sleep(float(os.environ.get("FAKE_HIDE", "3")))
args = __import__("json").loads(os.environ.pop("FAKE_ARGS"))
os.execv(sys.executable, [sys.executable] + args)
"""


def serve_conn(c):
    try:
        while True:
            hdr = b""
            while len(hdr) < 9:
                chunk = c.recv(9 - len(hdr))
                if not chunk:
                    return
                hdr += chunk
            _v, _f, stream, op, n = struct.unpack(">BBhBI", hdr)
            while n:
                n -= len(c.recv(n))
            if op == 5:  # OPTIONS -> SUPPORTED (empty string multimap)
                op_out, body = 6, b"\0\0"
            else:  # STARTUP (or anything) -> READY
                op_out, body = 2, b""
            c.sendall(struct.pack(">BBhBI", 0x84, 0, stream, op_out, len(body)) + body)
    except OSError:
        pass
    finally:
        c.close()


def node_address():
    d = os.environ.get("FAKE_NODE_DIR", "")
    try:
        with open(os.path.join(d, "cassandra.yaml")) as f:
            for line in f:
                if line.startswith("rpc_address:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "127.0.0.1"


def serve():
    addr = node_address()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 9042))
    s.listen(16)
    print("fake java: Startup complete, listening on %s:9042" % addr, flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve_conn, args=(c,), daemon=True).start()


def main(argv):
    if "-version" in argv:
        sys.stderr.write('openjdk version "17.0.99" 2099-01-01\nfake java for tests/harness\n')
        return 0
    node_dir = [a for a in argv if a.startswith("-Dcqlpp.node.dir=")]
    if not node_dir:
        sys.stderr.write("fake java: not a node launch: %r\n" % argv)
        return 64
    mode = os.environ.get("FAKE_MODE", "serve")
    os.environ["FAKE_NODE_DIR"] = node_dir[0].split("=", 1)[1]
    if not os.environ.get("FAKE_STAGE2"):
        with open(os.path.join(os.environ["FAKE_DIR"], "pids"), "a") as f:
            f.write("%d %s\n" % (os.getpid(), mode))
    if mode == "hide" and not os.environ.get("FAKE_STAGE2"):
        os.environ["FAKE_STAGE2"] = "1"
        os.environ["FAKE_ARGS"] = json.dumps([os.path.realpath(__file__)] + argv)
        os.execv(sys.executable, [sys.executable, "-c", HIDE_STAGE])
    if mode in ("serve", "hide"):
        serve()
    elif mode == "zombie-leader":
        threading.Thread(target=serve).start()
        time.sleep(0.2)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall(60 if os.uname().machine == "x86_64" else 93, 0)  # SYS_exit: this thread only
    elif mode == "exit":
        time.sleep(0.5)
        return int(os.environ.get("FAKE_EXIT", "3"))
    elif mode == "hang":
        while True:
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
