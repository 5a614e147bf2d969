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
import struct
import subprocess
import time

from ttvm import (REPO, add_netns, busywait, del_netns, ip_batch,
                  load_module, log, netns, proc_flows, read_proc, run,
                  ss_sockets, sysctl, unload_module, veth_pair)

from . import wire

TOOL = os.path.join(REPO, "userspace", "tcptracectl")

NS = {"client": "tt-client", "router": "tt-router", "server": "tt-server"}
ADDR = {"client": "10.0.1.1", "server": "10.0.2.1"}
GATEWAY = {"client": "10.0.1.2", "server": "10.0.2.2"}
# The router's interface toward each endpoint.
ROUTER_IF = {"client": "r0", "server": "r1"}

# The stack's own timers, set in both endpoints' namespaces, so that what
# Linux does after a loss happens within seconds and always the same way.
SYSCTLS = {
    # Give up a connect() after 4 SYN retransmissions, a half-open request
    # after 4 SYN-ACK retransmissions (defaults 6 and 5).
    "net.ipv4.tcp_syn_retries": 4,
    "net.ipv4.tcp_synack_retries": 4,
    # Give up on an established connection, and on an orphan (closed by
    # its application) in FIN_WAIT_1, CLOSING or LAST_ACK, once 3 s have
    # passed since the first retransmission (Linux models the limit as an
    # RTO of 200 ms doubled tcp_retries2 times: 200 ms * (2^4 - 1),
    # retransmits_timed_out()). With the 1 s RTO floor below: two
    # retransmissions, 1 s and 3 s after the first send, and the socket
    # dies at the next timeout, 7 s after it. Defaults 15 (about 15 min)
    # and 0 (which means 8).
    "net.ipv4.tcp_retries2": 3,
    "net.ipv4.tcp_orphan_retries": 3,
    # An orphan in FIN_WAIT_2 waits 5 s for the peer's FIN (default 60).
    "net.ipv4.tcp_fin_timeout": 5,
    # No tail loss probe: every resend comes from the retransmission timer
    # (default 3: probes after about two round trips).
    "net.ipv4.tcp_early_retrans": 0,
    # Keep no per-destination metrics: otherwise a connection's first RTO
    # comes from the RTTs of earlier connections to the same address
    # (tcp_init_metrics()), and one scenario would change the next.
    "net.ipv4.tcp_no_metrics_save": 1,
}
# The retransmission timer's floor, a route metric (default 200 ms): 1 s,
# so that every resend of data or FIN is a second apart, then two, four...
RTO_MIN = "1s"
# The module's parameters: TIME_WAIT lasts 2 * msl in the tracker, 60 s as
# in Linux (scenarios that wait it out shorten it with `tcptracectl config
# msl`); an ended flow stays listed linger seconds; a flow with no segment
# for idle_timeout seconds is dropped (outcome timed-out).
MODULE_PARAMS = {"msl": 30, "linger": 1, "idle_timeout": 10}
# The same as `tcptracectl config` keys, to restore what a scenario changed.
MODULE_DEFAULTS = {"msl": MODULE_PARAMS["msl"],
                   "linger": MODULE_PARAMS["linger"],
                   "idle-timeout": MODULE_PARAMS["idle_timeout"]}


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

    def __init__(self, workdir="/tmp/breakit", ladder=False):
        self.workdir = workdir
        self.ladder = ladder      # make demo: a live ladder on the terminal
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
        if self.ladder:
            self.live = subprocess.Popen  # set by live_ladder()
            self.live = None
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
        time.sleep(0.5)

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


class Conn:
    """A socket of one endpoint, with its namespace."""

    def __init__(self, who, sock):
        self.who = who
        self.sock = sock


class Run:
    """One scenario being run: its sockets, its breakage, its pauses.

    Scenario functions (scenarios.py) get a Run and call its methods; each
    step is written down (the demo prints it, the record keeps it)."""

    def __init__(self, lab, scen, say=None):
        self.lab = lab
        self.scen = scen
        self.cport, self.sport = lab.ports()
        self.ports = {self.cport, self.sport}
        self.commands = []
        self.pauses = []
        self.steps = []
        self.socks = []
        self.notes = []
        self.say_hook = say
        self.t0 = time.time()
        self.mono0 = time.monotonic()
        self.starts = {w: m.size() for w, m in lab.mon.items()}
        self.failed = []
        if scen.config:
            self.config(scen.config)

    # --- endpoints -----------------------------------------------------------

    def ep(self, who, port=None):
        return f"{ADDR[who]}:{port or (self.cport if who == 'client' else self.sport)}"

    def _sock(self, who, port):
        with netns(NS[who]):
            s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((ADDR[who], port))
        self.socks.append(s)
        return s

    def listen(self, port=None):
        """The server listens on its port."""
        s = self._sock("server", port or self.sport)
        s.listen(8)
        self.step(f"server: listen on {self.ep('server', port)}")
        return s

    def connect(self, wait=True, port=None, sport=None):
        """The client connects from its port to the server's; without wait,
        connect() is started and this returns at once."""
        s = self._sock("client", port or self.cport)
        s.setblocking(False)
        self.step(f"client: connect() from {self.ep('client', port)} to "
                  f"{self.ep('server', sport)}")
        err = s.connect_ex((ADDR["server"], sport or self.sport))
        if err not in (0, 115):     # EINPROGRESS
            raise OSError(err, os.strerror(err))
        if wait:
            self.wait_state("client", "ESTABLISHED", timeout=30)
            s.setblocking(True)
        return s

    def accept(self, lsock, timeout=30):
        lsock.settimeout(timeout)
        a, _ = lsock.accept()
        a.settimeout(None)
        self.socks.append(a)
        return a

    def send(self, sock, who, data):
        self.step(f"{who}: send {len(data)} bytes")
        sock.sendall(data)

    def close(self, sock, who):
        self.step(f"{who}: close()")
        sock.close()

    def shutdown(self, sock, who):
        self.step(f"{who}: shutdown(SHUT_WR)")
        sock.shutdown(socket.SHUT_WR)

    def bound_socket(self, who, port):
        """A non-blocking socket of who, bound to its address and port (both
        ends of a simultaneous open connect from one)."""
        s = self._sock(who, port)
        s.setblocking(False)
        return s

    def raw_ip(self, who):
        """A raw IPv4 socket in who's namespace, for crafted segments: its
        packets go out through the namespace's stack (and its tracker)."""
        with netns(NS[who]):
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                              socket.IPPROTO_RAW)
        self.socks.append(s)
        return s

    def extra_port(self):
        """One more port for this scenario (scans probe several)."""
        self.lab.next_extra += 1
        port = 9000 + self.lab.next_extra
        self.ports.add(port)
        return port

    def kill_time_wait(self, who):
        """End who's TIME_WAIT socket at once (ss -K, sock_diag's
        SOCK_DESTROY), as if its 60 s had passed."""
        argv = ["ss", "-K", "-tn", "state", "time-wait", "src",
                ADDR[who], "sport", "=", f":{self.cport if who == 'client' else self.sport}"]
        self.commands.append({"t": self.now(), "cmd": " ".join(argv),
                              "why": f"the {who}'s TIME_WAIT is ended at "
                              "once, as if its 60 s had passed"})
        self.step(f"{who}: ss -K ends its TIME_WAIT socket")
        run(*argv, ns=NS[who])

    def mac(self, who, dev):
        """The MAC address of interface dev in who's namespace."""
        out = json.loads(run("ip", "-j", "link", "show", "dev", dev,
                             ns=NS[who], quiet=True))
        return out[0]["address"]

    def first_syn(self):
        """The TCP header (and payload) of the first SYN the client sent in
        this scenario, as the wire capture holds it."""
        for t, lt, pkt in wire.read_pcap(f"{self.lab.workdir}/wire.pcap"):
            seg = wire.parse_segment(t, lt, pkt)
            if (seg and seg["dir"] == "in" and seg["src"] == ADDR["client"]
                    and seg["sport"] == self.cport
                    and seg["dport"] == self.sport
                    and seg["flags"] & (wire.SYN | wire.ACK) == wire.SYN
                    and t >= self.t0):
                return seg["tcp"]
        raise RuntimeError("no SYN of the client on the wire")

    def config(self, settings, record=True):
        """tcptracectl config in every namespace (module settings)."""
        args = []
        for k, v in settings.items():
            args += [k, str(v)]
        for who, ns in NS.items():
            argv = [TOOL, "config", *args]
            if record and who == "client":
                self.commands.append({
                    "t": self.now(),
                    "cmd": "tcptracectl config " + " ".join(args),
                    "why": "the tracker's " + ", ".join(settings) +
                    " for this scenario, in each namespace"})
            run(*argv, ns=ns, quiet=True)

    # --- the network --------------------------------------------------------

    def _nft(self, *words, why):
        self.commands.append({"t": self.now(), "cmd": nft_cmd(*words),
                              "why": why})
        if why:
            self.step(f"network: {why}")
        self.lab.nft(*words)

    def match(self, sender):
        """The nft match of the segments sender sends in this scenario."""
        other = "server" if sender == "client" else "client"
        port = "dport" if sender == "client" else "sport"
        peer = self.sport
        return (f"ip saddr {ADDR[sender]} ip daddr {ADDR[other]} "
                f"tcp {port} {peer}")

    def drop(self, why, sender, flags, count=None, skip=0):
        """Drop in the router the first count segments that sender sends
        with these TCP flags (an nft expression, e.g. "tcp flags & (syn|ack)
        == syn"), or all of them; with skip, only after letting that many
        through. `limit rate 1/day burst N packets` lets exactly N through
        the limit: those are the ones the rule acts on."""
        rule = f"{self.match(sender)} {flags}"
        if skip:
            self._nft("add", "rule", "inet", "breakit", "cut",
                      *rule.split(), "limit", "rate", "1/day", "burst",
                      str(skip), "packets", "counter", "accept", why=None)
        if count is not None:
            rule += f" limit rate 1/day burst {count} packets"
        self._nft("add", "rule", "inet", "breakit", "cut", *rule.split(),
                  "counter", "drop", why=why)

    def cut(self, why="the path is cut: every segment of this connection "
            "is dropped, both ways"):
        """Cut the path for good: drop this connection's segments both
        ways."""
        for sender in ("client", "server"):
            self._nft("add", "rule", "inet", "breakit", "cut",
                      *self.match(sender).split(), "counter", "drop",
                      why=why if sender == "client" else None)

    def heal(self, why="the network works again: the drop rules go"):
        self._nft("flush", "chain", "inet", "breakit", "cut", why=why)

    def netem(self, spec, why):
        """tc netem on both of the router's interfaces (both directions):
        e.g. "delay 200ms"; None removes it."""
        for i, who in enumerate(("client", "server")):
            dev = ROUTER_IF[who]
            if spec:
                argv = ["tc", "qdisc", "replace", "dev", dev, "root",
                        "netem", *spec.split()]
            else:
                argv = ["tc", "qdisc", "del", "dev", dev, "root"]
            self.commands.append({"t": self.now(), "cmd": " ".join(argv),
                                  "why": why if i == 0 else None})
            run(*argv, ns=NS["router"])
        self.step(f"network: {why}")

    def inject(self, frame, why, what):
        """Put a crafted frame on the router's wire toward the server, as if
        it had been held in the network all along (AF_PACKET: no stack of
        the router sees it, only the capture and the server). what: the
        frame as scapy describes it, for the record."""
        self.commands.append({"t": self.now(), "why": why,
                              "cmd": f"send on {ROUTER_IF['server']} "
                              f"(AF_PACKET): {what}"})
        self.step(f"network: {why}")
        with netns(NS["router"]):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        try:
            s.bind((ROUTER_IF["server"], 0))
            s.send(frame)
        finally:
            s.close()

    # --- watching -----------------------------------------------------------

    def now(self):
        return round(time.monotonic() - self.mono0, 3)

    def step(self, text):
        self.steps.append({"t": self.now(), "text": text})
        if self.say_hook:
            self.say_hook(text)
        else:
            log(f"{self.scen.name} +{self.now():.3f}s {text}")

    def say(self, text):
        """Narration for make demo; kept in the record as a step."""
        self.step(text)

    def events(self, who):
        """Monitor events of namespace who for this scenario's ports."""
        evs = self.lab.mon[who].events(self.starts[who])
        return [e for e in evs if "client" in e and
                (port_of(e["client"]) in self.ports or
                 port_of(e["server"]) in self.ports)]

    def local_notes(self, who):
        """The notes of endpoint who (client or server) in its own
        namespace, where it is local."""
        me = ADDR[who]
        out = []
        for e in self.events(who):
            if e["type"] not in ("transition", "anomaly"):
                continue
            role = "client" if addr_of(e["client"]) == me else "server"
            if e["endpoint"] == role:
                out.append(e)
        return out

    def wait_note(self, who, why, count=1, timeout=20):
        """Until endpoint who's own tracker has made count notes why."""
        self.step(f"wait: {who}'s tracker notes {why}"
                  + (f" x{count}" if count > 1 else ""))
        busywait(lambda: sum(n["why"] == why for n in self.local_notes(who))
                 >= count, timeout=timeout, interval=0.05,
                 what=f"{who} {why} x{count}")

    def ss_state(self, who, me=None, peer=None):
        me = me or self.ep(who)
        peer = peer or self.ep("server" if who == "client" else "client")
        return ss_sockets(NS[who]).get((me, peer))

    def wait_state(self, who, state, timeout=20, me=None, peer=None):
        """Until ss in who's namespace shows its socket in state (None: no
        socket any more)."""
        self.step(f"wait: ss shows the {who} in {state or 'no socket'}")
        busywait(lambda: self.ss_state(who, me, peer) == state,
                 timeout=timeout, interval=0.05,
                 what=f"{who} in {state} (ss)")

    def wait_gone(self, who, timeout=30):
        """Until who's tracker has no flow of this scenario any more."""
        self.step(f"wait: {who}'s tracker forgets the flow")
        busywait(lambda: not [f for f in proc_flows(NS[who])
                              if port_of(f["client"]) in self.ports or
                              port_of(f["server"]) in self.ports],
                 timeout=timeout, interval=0.1, what=f"{who} flow gone")

    def wait_ends(self, n, timeout=30):
        """Until the client's and the server's trackers both ended n flows
        of this scenario."""
        self.step(f"wait: the trackers end {n} flows")
        busywait(lambda: all(sum(e["type"] == "end" for e in self.events(w))
                             >= n for w in ("client", "server")),
                 timeout=timeout, interval=0.1, what=f"{n} flows ended")

    def wait_wire(self, sender, kind, timeout=20):
        """Until the capture shows sender's segment of this kind (SYN, ACK,
        FIN, ...) going into the network."""
        from .record import kind as kind_of
        self.step(f"wait: the wire shows the {sender}'s {kind}")

        def seen():
            for t, lt, pkt in wire.read_pcap(f"{self.lab.workdir}/wire.pcap"):
                seg = wire.parse_segment(t, lt, pkt)
                if (seg and seg["dir"] == "in" and t >= self.t0 and
                        seg["src"] == ADDR[sender] and
                        (seg["sport"] in self.ports or
                         seg["dport"] in self.ports) and
                        kind_of(seg["flags"], seg["len"]) == kind):
                    return True
            return False
        busywait(seen, timeout=timeout, interval=0.02,
                 what=f"{sender} {kind} on the wire")

    def wait_end(self, who, timeout=30):
        """Until the monitor of who's namespace reported the flow's end."""
        self.step(f"wait: {who}'s tracker ends the flow")
        busywait(lambda: any(e["type"] == "end" for e in self.events(who)),
                 timeout=timeout, interval=0.1, what=f"{who} flow end")

    def sleep(self, seconds, why):
        """A wait that is the lesson itself (a timer running out), never a
        guess that something happened: the checks poll."""
        self.step(f"wait {seconds} s: {why}")
        time.sleep(seconds)

    def tracker_state(self, who, me=None, peer=None):
        """The tracker's state for endpoint who in who's own namespace."""
        me = me or self.ep(who)
        peer = peer or self.ep("server" if who == "client" else "client")
        for f in proc_flows(NS[who]):
            if (f["client"], f["server"]) == (me, peer):
                return f["client_state"]
            if (f["client"], f["server"]) == (peer, me):
                return f["server_state"]
        return None

    def pause(self, label, expect, why=None, timeout=5):
        """A pause point: each endpoint's state as its own tracker and as
        the kernel (ss, in the endpoint's namespace) say. expect: {who:
        state} when both must say state, or {who: (tracker, ss)} where they
        differ on purpose (a socket that dies silently: the tracker cannot
        see it); None is no flow, no socket. Polls until they are as
        expected or timeout, then records what they were."""
        point = {"t": self.now(), "label": label, "why": why,
                 "endpoints": {}}
        self.step(f"pause: {label}")
        for who, want in expect.items():
            want = want if isinstance(want, tuple) else (want, want)
            got = None

            def settled():
                nonlocal got
                # An ended flow stays listed for linger seconds: CLOSED.
                tr = self.tracker_state(who)
                got = (None if tr == "CLOSED" else tr, self.ss_state(who))
                return got == want
            try:
                busywait(settled, timeout=timeout, interval=0.05,
                         what=f"{label}: {who}")
            except TimeoutError:
                log(f"pause {label}: {who}: tracker {got[0]}, ss {got[1]}, "
                    f"want {want}")
                log(read_proc(NS[who]))
                log(run("ss", "-tan", ns=NS[who], quiet=True))
            point["endpoints"][who] = {"tracker": got[0], "ss": got[1],
                                       "want_tracker": want[0],
                                       "want_ss": want[1]}
        self.pauses.append(point)
        return point

    def finish(self):
        self.duration = self.now()
        for m in self.lab.mon.values():
            m.mark = self.starts_of(m)
        if not self.lab.marker(timeout=10):
            log("the recorders did not catch up")
        self.ends = {w: m.size() for w, m in self.lab.mon.items()}
        # Clean up after the record: the network works again and every
        # socket left is aborted (RST), so nothing lingers into the next
        # scenario.
        self.heal_quiet()
        for s in self.socks:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
            except OSError:
                pass
            s.close()
        if self.scen.config:
            self.config({k: MODULE_DEFAULTS[k] for k in self.scen.config},
                        record=False)

    def starts_of(self, mon):
        return next(self.starts[w] for w, m in self.lab.mon.items()
                    if m is mon)

    def heal_quiet(self):
        self.lab.nft("flush", "chain", "inet", "breakit", "cut", quiet=True)
        for who in ("client", "server"):
            run("tc", "qdisc", "del", "dev", ROUTER_IF[who], "root",
                ns=NS["router"], check=False, quiet=True)


def port_of(ep):
    return int(ep.rsplit(":", 1)[1])


def addr_of(ep):
    return ep.rsplit(":", 1)[0].strip("[]")
