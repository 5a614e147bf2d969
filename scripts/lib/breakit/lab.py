# SPDX-License-Identifier: GPL-2.0
"""The break-it lab: a client and a server with "the network" between them.

    tt-client                 tt-router                  tt-server
    10.0.1.1  c0 ---- veth ---- r0   r1 ---- veth ---- s0  10.0.2.1
                         10.0.1.2  10.0.2.2
                         forwarding; nft table inet breakit,
                         chain cut (hook forward): the breakage;
                         tc netem on r0/r1: delay;
                         tcpdump -i any: the wire record

The module is loaded, so each endpoint's own namespace tracks it as a local
endpoint (its states match the kernel's, ss), and the router's tracker sees
what crossed the network (its FORWARD hook runs after the drop rules).
Every namespace has a `tcptracectl --json monitor` running for the whole
lab; a scenario's record is what they and the wire capture saw of its ports
while it ran.

Runs inside the lab VM as root, with Debian's /usr/bin/python3. Uses
scripts/lib/ttvm.py for namespaces, ss and the tracker's /proc view.
"""

import ctypes
import json
import os
import select
import shlex
import socket
import subprocess
import time

from ttvm import (add_netns, busywait, del_netns, ip_batch, load_module, log,
                  netns, run, sysctl, unload_module, veth_pair)

from . import wire
from .topology import (ADDR, GATEWAY, MODULE_PARAMS, NS, RTO_MIN, SYSCTLS,
                       TOOL)

def nft_cmd(*words):
    """An nft command as one shell-quoted line, for the record."""
    return "nft " + " ".join(shlex.quote(w) for w in words)


class Nft:
    """nft commands in one namespace, run in this process by libnftables
    (what nft(8) itself calls), so that a rule is in place within
    milliseconds: starting nft takes a second or two on a busy lab VM, and
    the scenarios race retransmission timers of 1 s. Falls back to nft(8)
    if the library is missing."""

    def __init__(self, ns):
        self.ns = ns
        self.lib = None
        try:
            self.lib = ctypes.CDLL("libnftables.so.1")
        except OSError:
            return
        self.lib.nft_ctx_new.restype = ctypes.c_void_p
        self.lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
        self.lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p,
                                                     ctypes.c_char_p]
        self.lib.nft_ctx_buffer_error.argtypes = [ctypes.c_void_p]
        self.lib.nft_ctx_get_error_buffer.restype = ctypes.c_char_p
        self.lib.nft_ctx_get_error_buffer.argtypes = [ctypes.c_void_p]
        self.lib.nft_ctx_free.argtypes = [ctypes.c_void_p]
        with netns(ns):
            self.ctx = self.lib.nft_ctx_new(0)
        self.lib.nft_ctx_buffer_error(self.ctx)

    def __call__(self, *words, quiet=False):
        if not quiet:
            log(f"[{self.ns}] {nft_cmd(*words)}")
        if not self.lib:
            return run("nft", *words, ns=self.ns, quiet=True)
        with netns(self.ns):
            rc = self.lib.nft_run_cmd_from_buffer(
                self.ctx, " ".join(words).encode())
        if rc:
            err = self.lib.nft_ctx_get_error_buffer(self.ctx) or b""
            raise RuntimeError(f"{nft_cmd(*words)}: {err.decode().strip()}")
        return ""

    def close(self):
        if self.lib:
            self.lib.nft_ctx_free(self.ctx)
            self.lib = None


class Recorder:
    """A process writing to a file, read back whole when asked."""

    def __init__(self, argv, path, ns):
        self.path = path
        self.mark = 0
        self.f = open(path, "wb")
        with netns(ns):
            self.p = subprocess.Popen(argv, stdout=self.f,
                                      stderr=subprocess.PIPE,
                                      env=dict(os.environ, NO_COLOR="1"))

    def size(self):
        self.f.flush()
        return os.path.getsize(self.path)

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.f.close()


class Monitor(Recorder):
    """tcptracectl --json monitor in one namespace."""

    def __init__(self, ns, path):
        super().__init__([TOOL, "--json", "monitor"], path, ns)

    def events(self, start=0):
        with open(self.path, "rb") as f:
            f.seek(start)
            data = f.read()
        out = []
        for line in data.decode().splitlines():
            if line.startswith("{") and line.endswith("}"):
                out.append(json.loads(line))
        return out

    def lines(self, start=0, end=None):
        with open(self.path, "rb") as f:
            f.seek(start)
            data = f.read() if end is None else f.read(end - start)
        return [ln for ln in data.decode().splitlines()
                if ln.startswith("{") and ln.endswith("}")]


class Lab:
    """The three namespaces, the module, the recorders."""

    def __init__(self, workdir="/tmp/breakit"):
        self.workdir = workdir
        self.mon = {}
        self.nft = None
        self.wire = None
        self.live = None
        self.next_port = 0
        self.next_extra = 0
        self.next_marker = 0
        self.started = None

    # --- setting up ---------------------------------------------------------

    def start(self):
        t = time.monotonic()
        os.makedirs(self.workdir, exist_ok=True)
        load_module(**MODULE_PARAMS)
        for ns in NS.values():
            add_netns(ns)
        veth_pair(NS["client"], NS["router"],
                  v4=(ADDR["client"], GATEWAY["client"]),
                  v6=("fd01::1", "fd01::2"), names=("c0", "r0"))
        veth_pair(NS["router"], NS["server"],
                  v4=(GATEWAY["server"], ADDR["server"]),
                  v6=("fd02::2", "fd02::1"), names=("r1", "s0"))
        sysctl("net.ipv4.ip_forward", 1, ns=NS["router"])
        sysctl("net.ipv6.conf.all.forwarding", 1, ns=NS["router"])
        for who in ("client", "server"):
            ip_batch([f"route add default via {GATEWAY[who]} "
                      f"rto_min {RTO_MIN}"], ns=NS[who])
            for k, v in SYSCTLS.items():
                sysctl(k, v, ns=NS[who])
        self.nft = Nft(NS["router"])
        self.nft("add", "table", "inet", "breakit")
        self.nft("add", "chain", "inet", "breakit", "cut", "{", "type",
                 "filter", "hook", "forward", "priority", "filter;",
                 "policy", "accept;", "}")
        run("modprobe", "sch_netem")
        for who, ns in NS.items():
            self.mon[who] = Monitor(ns, f"{self.workdir}/{who}.jsonl")
        self.wire = Recorder(["tcpdump", "-i", "any", "-U", "-n", "-s", "256",
                              "-w", f"{self.workdir}/wire.pcap", "tcp"],
                             f"{self.workdir}/tcpdump.out", NS["router"])
        self._sync()
        self.started = time.monotonic()
        log(f"lab ready in {self.started - t:.1f} s")

    def _sync(self):
        """Wait until the monitors and the capture are listening."""
        def listening():
            # tcpdump says "listening on any" on stderr once it captures.
            r, _, _ = select.select([self.wire.p.stderr], [], [], 0)
            if r:
                self._tcpdump_err += os.read(self.wire.p.stderr.fileno(),
                                             4096)
            return b"listening on" in self._tcpdump_err
        self._tcpdump_err = b""
        busywait(listening, timeout=30, interval=0.1,
                 what="tcpdump to listen")
        # The first marker may go out before a monitor has joined the
        # events group: send another one until one is seen everywhere.
        busywait(lambda: self.marker(timeout=5), timeout=60, interval=0,
                 what="the monitors to listen")

    def marker(self, timeout=0.0):
        """Send a marker through the network (a SYN to a closed port, from
        a port of its own) and wait until every monitor and the capture
        have it: they have then written everything that came before.
        Returns whether they all had it."""
        self.next_marker += 1
        port = 20000 + self.next_marker % 10000
        with netns(NS["client"]):
            s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((ADDR["client"], port))
        s.settimeout(2)
        try:
            s.connect((ADDR["server"], 9))
        except OSError:
            pass
        s.close()
        tag = f'"client":"{ADDR["client"]}:{port}"'

        def seen():
            if not all(any(tag in ln for ln in m.lines(m.mark))
                       for m in self.mon.values()):
                return False
            return any(seg["sport"] == port for t, lt, pkt in
                       wire.read_pcap(f"{self.workdir}/wire.pcap")
                       for seg in [wire.parse_segment(t, lt, pkt)] if seg)
        try:
            busywait(seen, timeout=max(timeout, 0.01), interval=0.05,
                     what="the marker")
        except TimeoutError:
            return False
        return True

    def live_ladder(self, port):
        """make demo: `tcptracectl monitor --ladder` of the client's
        namespace, drawing on the terminal as segments come and go."""
        self.stop_live()
        with netns(NS["client"]):
            self.live = subprocess.Popen(
                [TOOL, "--ladder", "monitor", "port",
                 str(port)])
        # Draw only once it has joined the events group: a fixed pause was
        # not always enough under load, and the ladder began mid-flow.
        try:
            busywait(lambda: self._joined(self.live.pid), timeout=10,
                     interval=0.02, what="the live monitor to listen")
        except TimeoutError:
            log("the live monitor has not joined a group yet: going on")

    @staticmethod
    def _joined(pid):
        """Has the generic netlink socket of process @pid (its port id)
        joined a multicast group?  /proc/PID/net/netlink, of its namespace,
        shows the first 32 groups it is a member of."""
        try:
            with open(f"/proc/{pid}/net/netlink") as f:
                rows = [ln.split() for ln in f][1:]
        except OSError:
            return False
        return any(r[1] == "16" and r[2] == str(pid) and int(r[3], 16)
                   for r in rows if len(r) > 3)

    def stop_live(self):
        if self.live:
            time.sleep(0.3)     # the ladder waits 100 ms for late notes
            self.live.terminate()
            self.live.wait()
            self.live = None

    def stop(self):
        self.stop_live()
        for m in self.mon.values():
            m.stop()
        if self.wire:
            self.wire.stop()
        if self.nft:
            self.nft.close()
        for ns in NS.values():
            del_netns(ns)
        unload_module()

    def ports(self):
        """A fresh (client port, server port) pair for a scenario."""
        self.next_port += 1
        return 40000 + self.next_port, 8000 + self.next_port
