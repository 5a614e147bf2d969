# SPDX-License-Identifier: GPL-2.0
"""What the tests of tests/netlink share: tcptracectl run in a namespace,
a monitor in the background, and scripted TCP connections.

The tool is the checkout's userspace/tcptracectl, built on the host (the
guest's root is read-only): `make userspace` or `tests/run --build`.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("TT_REPO", os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
    "tests", "lib"))
from ttlab import REPO, busywait, log, netns  # noqa: E402

TOOL = os.path.join(REPO, "userspace", "tcptracectl")


def tool_is_fresh(results):
    """The tool exists and is up to date with its sources (make -q)."""
    p = subprocess.run(["make", "-q", "-C", os.path.join(REPO, "userspace")],
                       capture_output=True)
    return results.check(os.access(TOOL, os.X_OK) and p.returncode == 0,
                         "userspace/tcptracectl is built and up to date "
                         "(make userspace on the host)")


def tool(*args, ns=None, user=None, env=None):
    """Run tcptracectl (in namespace ns, as user via setpriv)."""
    argv = [TOOL, *map(str, args)]
    if user:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}",
                "--clear-groups", *argv]
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    with netns(ns):
        return subprocess.run(argv, capture_output=True, text=True, env=e)


def tool_json(*args, ns=None):
    """The JSON objects tcptracectl --json prints."""
    p = tool("--json", *args, ns=ns)
    if p.returncode:
        raise RuntimeError(f"tcptracectl {' '.join(map(str, args))}: "
                           f"{p.stderr.strip()}")
    return [json.loads(line) for line in p.stdout.splitlines()]


class Monitor:
    """tcptracectl monitor in the background; lines() is what it printed."""

    def __init__(self, *args, ns=None, json_=True):
        argv = [TOOL, "monitor", *map(str, args)]
        if json_:
            argv.insert(1, "--json")
        with netns(ns):
            self.p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True,
                                      env=dict(os.environ, NO_COLOR="1"))
        self.ns = ns
        self.json = json_
        self._lines = []
        self._lock = threading.Lock()
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()

    def _read(self):
        for line in self.p.stdout:
            with self._lock:
                self._lines.append(line.rstrip("\n"))

    def lines(self):
        with self._lock:
            return list(self._lines)

    def events(self):
        return [json.loads(line) for line in self.lines()]

    def sync(self, port=1, timeout=20):
        """Wait until the monitor is listening: poke a closed port (a
        refused connection makes events) until its events show up."""
        def seen():
            refused(self.ns, port, "127.0.0.1")
            want = f":{port}"
            return any(want in line for line in self.lines())
        busywait(seen, timeout=timeout, interval=0.2,
                 what=f"the monitor in {self.ns or 'init'} to listen")

    def stop(self):
        """SIGTERM, and its exit status and standard error."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self._t.join(timeout=5)
        return rc, self.p.stderr.read()


# --- scripted connections ----------------------------------------------------

def _sock(family):
    return socket.socket(family, socket.SOCK_STREAM)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def listener(ns, addr, port):
    with netns(ns):
        s = _sock(family_of(addr))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(128)
    return s


def connect(ns, addr, port, src=None, sport=0):
    with netns(ns):
        c = _sock(family_of(addr))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if src or sport:
            c.bind((src or ("::" if ":" in addr else "0.0.0.0"), sport))
        c.connect((addr, port))
    return c


def refused(ns, port, addr="127.0.0.1", src=None, sport=0):
    """A SYN to a closed port; True if it was refused."""
    try:
        connect(ns, addr, port, src, sport).close()
    except ConnectionRefusedError:
        return True
    return False


def endpoint(sock, peer=False):
    """"addr:port" or "[addr]:port" of a socket, as tcptracectl writes it."""
    a = sock.getpeername() if peer else sock.getsockname()
    return f"[{a[0]}]:{a[1]}" if sock.family == socket.AF_INET6 else \
        f"{a[0]}:{a[1]}"


def _closes_first(first, cns, sns, saddr, port, caddr, sport):
    """Handshake; the side that closes first sends a few bytes (a request,
    or a server's banner) and closes; the other reads them and the end,
    waits (its ACK of the FIN goes out alone) and closes.  Returns the
    client's and the server's endpoint strings."""
    ls = listener(sns, saddr, port)
    c = connect(cns, saddr, port, caddr, sport)
    a, _ = ls.accept()
    closer, other = (c, a) if first == "client" else (a, c)
    closer.sendall(b"hello")
    other.recv(16)
    eps = (endpoint(c), endpoint(c, peer=True))
    closer.close()
    other.recv(16)
    time.sleep(0.2)
    other.close()
    ls.close()
    time.sleep(0.1)
    return eps


def client_closes_first(cns, sns, saddr, port, caddr=None, sport=0):
    return _closes_first("client", cns, sns, saddr, port, caddr, sport)


def server_closes_first(cns, sns, saddr, port, caddr=None, sport=0):
    return _closes_first("server", cns, sns, saddr, port, caddr, sport)


def refused_conn(cns, sns, saddr, port, caddr=None, sport=0):
    """A SYN to a port nobody listens on, answered with RST."""
    with netns(cns):
        c = _sock(family_of(saddr))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((caddr or ("::" if ":" in saddr else "0.0.0.0"), sport))
        try:
            c.connect((saddr, port))
            raise RuntimeError("connection to a closed port succeeded")
        except ConnectionRefusedError:
            pass
        a = c.getsockname()
    c.close()
    time.sleep(0.1)
    cl = f"[{a[0]}]:{a[1]}" if ":" in saddr else f"{a[0]}:{a[1]}"
    sv = f"[{saddr}]:{port}" if ":" in saddr else f"{saddr}:{port}"
    return cl, sv


def rst_abort(cns, sns, saddr, port, caddr=None, sport=0):
    """An established connection the client aborts (SO_LINGER 0: RST)."""
    ls = listener(sns, saddr, port)
    c = connect(cns, saddr, port, caddr, sport)
    a, _ = ls.accept()
    c.sendall(b"GET /")
    a.recv(16)
    eps = (endpoint(c), endpoint(c, peer=True))
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    time.sleep(0.1)
    a.close()
    ls.close()
    return eps


# The transitions each endpoint goes through, (from, to) in order, and the
# outcome: RFC 793's diagram for each scenario.
EXPECTED = {
    "client-closes-first": {
        "client": ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                   "FIN_WAIT_2", "TIME_WAIT"],
        "server": ["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
                   "LAST_ACK", "CLOSED"],
        "outcome": "completed",
    },
    "server-closes-first": {
        "client": ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT",
                   "LAST_ACK", "CLOSED"],
        "server": ["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
                   "FIN_WAIT_2", "TIME_WAIT"],
        "outcome": "completed",
    },
    "refused": {
        "client": ["CLOSED", "SYN_SENT", "CLOSED"],
        "server": ["LISTEN", "CLOSED"],
        "outcome": "refused",
    },
    "rst-abort": {
        "client": ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"],
        "server": ["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSED"],
        "outcome": "reset-by-client",
    },
}

SCENARIOS = {
    "client-closes-first": client_closes_first,
    "server-closes-first": server_closes_first,
    "refused": refused_conn,
    "rst-abort": rst_abort,
}


def chain(events, who):
    """The states an endpoint went through, from its transition events."""
    tr = [e for e in events if e["type"] == "transition" and
          e["endpoint"] == who]
    if not tr:
        return []
    out = [tr[0]["from"]]
    for e in tr:
        if e["from"] != out[-1]:
            out.append(f"<gap:{e['from']}>")
        out.append(e["to"])
    return out


__all__ = ["TOOL", "tool_is_fresh", "tool", "tool_json", "Monitor",
           "listener", "connect", "refused", "endpoint", "EXPECTED",
           "SCENARIOS", "chain", "log"]
