# SPDX-License-Identifier: GPL-2.0
"""One scenario being run, and the objects its function drives.

    s.client, s.server   the two endpoints: their sockets (Endpoint), and
                         programs of their own that hold one (App)
    s.net                the router between them: drops, delays, frames
                         of its own (Network)
    s.watch              what the trackers, ss and the wire show, waited
                         for, and the pause points (Observer)

and s (Run) itself: the record of what was done, on one clock (steps,
commands, pauses), and the cleanup at the end. Each step is written down:
the demo prints it, the record keeps it.
"""

import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

from ttvm import (busywait, destroy_time_wait, log, netns, proc_flows,
                  read_proc, run,
                  tcp_sockets)

from . import wire
from .expect import Seen
from .lab import nft_cmd
from .topology import ADDR, MODULE_DEFAULTS, NS, ROUTER_IF, TOOL


class Run:
    """The record of one scenario's run, and its endpoints, network and
    observer. Scenario functions (scenarios.py) get one."""

    def __init__(self, lab, scen, say=None):
        self.lab = lab
        self.scen = scen
        cport, sport = lab.ports()
        self.ports = {cport, sport}
        self.commands = []
        self.pauses = []
        self.steps = []
        self.socks = []
        self.apps = []
        self.say_hook = say
        self.t0 = time.time()
        self.mono0 = time.monotonic()
        self.starts = {w: m.size() for w, m in lab.mon.items()}
        self.client = Endpoint(self, "client", cport)
        self.server = Endpoint(self, "server", sport)
        self.net = Network(self)
        self.watch = Observer(self)
        if scen.config:
            self.config(scen.config)

    def now(self):
        return round(time.monotonic() - self.mono0, 3)

    def step(self, text):
        self.steps.append({"t": self.now(), "text": text})
        if self.say_hook:
            self.say_hook(text)
        else:
            log(f"{self.scen.name} +{self.now():.3f}s {text}")

    def command(self, cmd, why):
        """A command that changed the lab, for the record."""
        self.commands.append({"t": self.now(), "cmd": cmd, "why": why})

    def extra_port(self):
        """One more port for this scenario (scans probe several)."""
        self.lab.next_extra += 1
        port = 9000 + self.lab.next_extra
        self.ports.add(port)
        return port

    def config(self, settings, record=True):
        """tcptracectl config in every namespace (module settings)."""
        args = []
        for k, v in settings.items():
            args += [k, str(v)]
        for who, ns in NS.items():
            argv = [TOOL, "config", *args]
            if record and who == "client":
                self.command("tcptracectl config " + " ".join(args),
                             "the tracker's " + ", ".join(settings) +
                             " for this scenario, in each namespace")
            run(*argv, ns=ns, quiet=True)

    def finish(self):
        self.duration = self.now()
        # The record ends here: not the cleanup's segments (the RSTs of
        # the sockets and programs it ends).
        self.t_end = time.time()
        for w, m in self.lab.mon.items():
            m.mark = self.starts[w]
        if not self.lab.marker(timeout=10):
            log("the recorders did not catch up")
        self.ends = {w: m.size() for w, m in self.lab.mon.items()}
        # Clean up after the record: the network works again and every
        # socket left is aborted (RST), so nothing lingers into the next
        # scenario.
        self.net.heal_quiet()
        for s in self.socks:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
            except OSError:
                pass
            s.close()
        for app in self.apps:
            app.stop()
        if self.scen.config:
            self.config({k: MODULE_DEFAULTS[k] for k in self.scen.config},
                        record=False)


class Endpoint:
    """The client or the server: its sockets, made in its own namespace and
    bound to its address and this scenario's port."""

    def __init__(self, run, who, port):
        self.run = run
        self.who = who
        self.port = port
        self.ns = NS[who]
        self.addr = ADDR[who]
        self.ep = f"{self.addr}:{port}"

    @property
    def peer(self):
        return self.run.server if self.who == "client" else self.run.client

    def _sock(self):
        with netns(self.ns):
            s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.addr, self.port))
        self.run.socks.append(s)
        return s

    def listen(self):
        """Listen on its port."""
        s = self._sock()
        s.listen(8)
        self.run.step(f"{self.who}: listen on {self.ep}")
        return s

    def connect(self, wait=True):
        """Connect from its port to the peer's; without wait, connect() is
        started and this returns at once."""
        s = self._sock()
        s.setblocking(False)
        self.run.step(f"{self.who}: connect() from {self.ep} to "
                      f"{self.peer.ep}")
        err = s.connect_ex((self.peer.addr, self.peer.port))
        if err not in (0, 115):     # EINPROGRESS
            raise OSError(err, os.strerror(err))
        if wait:
            self.run.watch.wait_state(self.who, "ESTABLISHED", timeout=30)
            s.setblocking(True)
        return s

    def accept(self, lsock, timeout=30):
        lsock.settimeout(timeout)
        a, _ = lsock.accept()
        a.settimeout(None)
        self.run.socks.append(a)
        return a

    def send(self, sock, data):
        self.run.step(f"{self.who}: send {len(data)} bytes")
        sock.sendall(data)

    def close(self, sock):
        self.run.step(f"{self.who}: close()")
        sock.close()

    def shutdown(self, sock):
        self.run.step(f"{self.who}: shutdown(SHUT_WR)")
        sock.shutdown(socket.SHUT_WR)

    def hand_over(self, sock, name):
        """Give sock to a program of its own, named name, which reads it
        to the end and never closes it (App); this process closes its
        copy, so that the program is the only one holding it."""
        return App(self, sock, name)

    def bound_socket(self):
        """A non-blocking socket bound to its address and port (both ends
        of a simultaneous open connect from one)."""
        s = self._sock()
        s.setblocking(False)
        return s

    def raw_ip(self):
        """A raw IPv4 socket in its namespace, for crafted segments: their
        packets go out through the namespace's stack (and its tracker)."""
        with netns(self.ns):
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                              socket.IPPROTO_RAW)
        self.run.socks.append(s)
        return s

    def kill_time_wait(self):
        """End its TIME_WAIT socket at once (ss -K, sock_diag's
        SOCK_DESTROY), as if its 60 s had passed."""
        argv = ["ss", "-K", "-tn", "state", "time-wait", "src",
                self.addr, "sport", "=", f":{self.port}"]
        self.run.command(" ".join(argv), f"the {self.who}'s TIME_WAIT is "
                         "ended at once, as if its 60 s had passed")
        self.run.step(f"{self.who}: ss -K ends its TIME_WAIT socket")
        # What ss -K does, without an ss process (up to 2.5 s when busy).
        local = (f"[{self.addr}]" if ":" in self.addr else self.addr) + \
            f":{self.port}"
        if not destroy_time_wait(local, ns=self.ns):
            raise RuntimeError(f"no TIME_WAIT socket at {local} to end")


# A program that holds a socket and never closes it: its name (comm) set
# as `ss -p` and tcptracectl show it, the socket's fd given as an argument.
APP = """
import ctypes, socket, sys
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)  # PR_SET_NAME
s = socket.socket(fileno=int(sys.argv[2]))
print("ready", flush=True)
while s.recv(4096):
    pass
print("eof", flush=True)
sys.stdin.read()                # until the lab ends it: s is never closed
"""


class App:
    """An endpoint's application as a process of its own: it holds one
    socket, reads it to the end (the peer's FIN) and never closes it, the
    leak of a program that forgets to close."""

    def __init__(self, ep, sock, name, timeout=30):
        self.ep = ep
        self.name = name
        # The lab's cleanup aborts it (RST) like its other sockets, when
        # the program is ended.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        fd = sock.fileno()
        self.p = subprocess.Popen([sys.executable, "-c", APP, name, str(fd)],
                                  pass_fds=(fd,), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        ep.run.apps.append(self)
        self._expect("ready", timeout)
        sock.close()
        ep.run.step(f"{ep.who}: its socket goes to a program of its own, "
                    f"{name} (pid {self.p.pid}), which reads it but never "
                    "closes it")

    def _expect(self, word, timeout):
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        line = self.p.stdout.readline().strip() if ready else None
        if line != word:
            raise RuntimeError(f"{self.name}: said {line!r}, not {word!r}")

    def wait_eof(self, timeout=30):
        """Until it has read the peer's FIN (recv() returned b"")."""
        self._expect("eof", timeout)
        self.ep.run.step(f"{self.ep.who}: {self.name} read to the end (the "
                         "peer's FIN), and does not close")

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


class Network:
    """The router between the endpoints, where the lab breaks things: nft
    rules in its forward chain, tc netem on its interfaces, and frames put
    on its wire."""

    def __init__(self, run):
        self.run = run

    def _nft(self, *words, why):
        self.run.command(nft_cmd(*words), why)
        if why:
            self.run.step(f"network: {why}")
        self.run.lab.nft(*words)

    def match(self, sender):
        """The nft match of the segments sender sends in this scenario."""
        other = "server" if sender == "client" else "client"
        port = "dport" if sender == "client" else "sport"
        return (f"ip saddr {ADDR[sender]} ip daddr {ADDR[other]} "
                f"tcp {port} {self.run.server.port}")

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
                # Deleting netem drops the segments it still holds: let it
                # send them first (a pause can now end within its delay).
                busywait(lambda: " backlog 0b 0p" in run(
                    "tc", "-s", "qdisc", "show", "dev", dev,
                    ns=NS["router"], quiet=True), timeout=5, interval=0.05,
                    what=f"{dev}: netem's queue sent")
            self.run.command(" ".join(argv), why if i == 0 else None)
            run(*argv, ns=NS["router"])
        self.run.step(f"network: {why}")

    def inject(self, frame, why, what):
        """Put a crafted frame on the router's wire toward the server, as if
        it had been held in the network all along (AF_PACKET: no stack of
        the router sees it, only the capture and the server). what: the
        frame as scapy describes it, for the record."""
        self.run.command(f"send on {ROUTER_IF['server']} (AF_PACKET): "
                         f"{what}", why)
        self.run.step(f"network: {why}")
        with netns(NS["router"]):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        try:
            s.bind((ROUTER_IF["server"], 0))
            s.send(frame)
        finally:
            s.close()

    def mac(self, who, dev):
        """The MAC address of interface dev in who's namespace."""
        out = json.loads(run("ip", "-j", "link", "show", "dev", dev,
                             ns=NS[who], quiet=True))
        return out[0]["address"]

    def heal_quiet(self):
        self.run.lab.nft("flush", "chain", "inet", "breakit", "cut",
                         quiet=True)
        for who in ("client", "server"):
            run("tc", "qdisc", "del", "dev", ROUTER_IF[who], "root",
                ns=NS["router"], check=False, quiet=True)


class Observer:
    """What the endpoints' trackers (their monitors and /proc/tcptrace), the
    kernel (ss) and the wire (the router's capture) show of this scenario:
    waited for, and recorded at the pause points."""

    def __init__(self, run):
        self.run = run

    def _ep(self, who):
        return getattr(self.run, who).ep

    def _peer(self, who):
        return getattr(self.run, who).peer.ep

    def events(self, who):
        """Monitor events of namespace who for this scenario's ports."""
        r = self.run
        evs = r.lab.mon[who].events(r.starts[who])
        return [e for e in evs if "client" in e and
                (wire.port_of(e["client"]) in r.ports or
                 wire.port_of(e["server"]) in r.ports)]

    def local_notes(self, who):
        """The notes of endpoint who (client or server) in its own
        namespace, where it is local."""
        me = ADDR[who]
        out = []
        for e in self.events(who):
            if e["type"] not in ("transition", "anomaly"):
                continue
            role = "client" if wire.addr_of(e["client"]) == me else "server"
            if e["endpoint"] == role:
                out.append(e)
        return out

    def wait_note(self, who, why, count=1, timeout=20):
        """Until endpoint who's own tracker has made count notes why."""
        self.run.step(f"wait: {who}'s tracker notes {why}"
                      + (f" x{count}" if count > 1 else ""))
        busywait(lambda: sum(n["why"] == why for n in self.local_notes(who))
                 >= count, timeout=timeout, interval=0.05,
                 what=f"{who} {why} x{count}")

    def ss_state(self, who):
        """The kernel's state of who's socket, as ss shows it: read from
        its socket table in this process (tcp_sockets()), fast enough for
        the lab's pauses."""
        return tcp_sockets(NS[who]).get((self._ep(who), self._peer(who)))

    def holders(self, who):
        """Who holds who's socket, as its own tracker says (tcptracectl
        show, in who's namespace): a step, for the record."""
        c, s = self.run.client.ep, self.run.server.ep
        out = run(TOOL, "show", c, s, ns=NS[who], quiet=True)
        line = next((ln for ln in out.splitlines()
                     if ln.startswith(f"  {who} ")), "")
        self.run.step(f"tcptracectl show, {who}'s namespace: "
                      f"{' '.join(line.split('  sent')[0].split())}")

    def ss_users(self, who):
        """Who holds who's socket, as ss -tnp says: a step, for the record
        (ss -p reads all of /proc: seconds under TCG, so where no timer
        runs)."""
        out = run("ss", "-tnpH", "src", self._ep(who), "dst",
                  self._peer(who), ns=NS[who], quiet=True).split()
        users = next((w for w in out if w.startswith("users:")), "none")
        self.run.step(f"ss -tnp, {who}'s namespace: {users}")

    def wait_state(self, who, state, timeout=20):
        """Until ss in who's namespace shows its socket in state (None: no
        socket any more)."""
        self.run.step(f"wait: ss shows the {who} in {state or 'no socket'}")
        busywait(lambda: self.ss_state(who) == state,
                 timeout=timeout, interval=0.05,
                 what=f"{who} in {state} (ss)")

    def wait_gone(self, who, timeout=30):
        """Until who's tracker has no flow of this scenario any more."""
        ports = self.run.ports
        self.run.step(f"wait: {who}'s tracker forgets the flow")
        busywait(lambda: not [f for f in proc_flows(NS[who])
                              if wire.port_of(f["client"]) in ports or
                              wire.port_of(f["server"]) in ports],
                 timeout=timeout, interval=0.1, what=f"{who} flow gone")

    def wait_ends(self, n, timeout=30):
        """Until the client's and the server's trackers both ended n flows
        of this scenario."""
        self.run.step(f"wait: the trackers end {n} flows")
        busywait(lambda: all(sum(e["type"] == "end" for e in self.events(w))
                             >= n for w in ("client", "server")),
                 timeout=timeout, interval=0.1, what=f"{n} flows ended")

    def _segments(self):
        """This scenario's captured segments so far, in capture order."""
        r = self.run
        for t, lt, pkt in wire.read_pcap(f"{r.lab.workdir}/wire.pcap"):
            seg = wire.parse_segment(t, lt, pkt)
            if seg and t >= r.t0:
                yield seg

    def wait_wire(self, sender, kind, timeout=20):
        """Until the capture shows sender's segment of this kind (SYN, ACK,
        FIN, ...) going into the network."""
        ports = self.run.ports
        self.run.step(f"wait: the wire shows the {sender}'s {kind}")
        busywait(lambda: any(
            seg["dir"] == "in" and seg["src"] == ADDR[sender] and
            (seg["sport"] in ports or seg["dport"] in ports) and
            wire.kind(seg["flags"], seg["len"]) == kind
            for seg in self._segments()),
            timeout=timeout, interval=0.02,
            what=f"{sender} {kind} on the wire")

    def first_syn(self):
        """The TCP header (and payload) of the first SYN the client sent in
        this scenario, as the wire capture holds it."""
        c, s = self.run.client, self.run.server
        for seg in self._segments():
            if (seg["dir"] == "in" and seg["src"] == c.addr
                    and seg["sport"] == c.port and seg["dport"] == s.port
                    and seg["flags"] & (wire.SYN | wire.ACK) == wire.SYN):
                return seg["tcp"]
        raise RuntimeError("no SYN of the client on the wire")

    def wait_end(self, who, timeout=30):
        """Until the monitor of who's namespace reported the flow's end."""
        self.run.step(f"wait: {who}'s tracker ends the flow")
        busywait(lambda: any(e["type"] == "end" for e in self.events(who)),
                 timeout=timeout, interval=0.1, what=f"{who} flow end")

    def tracker_state(self, who):
        """The tracker's state for endpoint who in who's own namespace."""
        me, peer = self._ep(who), self._peer(who)
        for f in proc_flows(NS[who]):
            if (f["client"], f["server"]) == (me, peer):
                return f["client_state"]
            if (f["client"], f["server"]) == (peer, me):
                return f["server_state"]
        return None

    def pause(self, label, expect, why=None, timeout=5):
        """A pause point: each endpoint's state as its own tracker and as
        the kernel (ss, in the endpoint's namespace) say. expect: {who:
        state} when both must say state, or {who: Seen(tracker, ss)} where
        they differ on purpose (a socket that dies silently: the tracker
        cannot see it); None is no flow, no socket. Polls until they are as
        expected or timeout, then records what they were."""
        point = {"t": self.run.now(), "label": label, "why": why,
                 "endpoints": {}}
        self.run.step(f"pause: {label}")
        for who, seen in expect.items():
            seen = Seen.of(seen)
            want = (seen.tracker, seen.ss)
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
        self.run.pauses.append(point)
        return point
