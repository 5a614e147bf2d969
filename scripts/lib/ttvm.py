# SPDX-License-Identifier: GPL-2.0
"""Helpers for tcptrace's tests in the lab VM.

Namespaces, the kernel's own view of TCP sockets (ss), the tracer's view
(/proc/tcptrace), polling instead of sleeping, and kselftest-style results.
Run with /usr/bin/python3 (Debian's, which has scapy).  The lab
(scripts/lib/breakit) and the tests use it; the tests import it as
tests/lib/ttlab.py, which re-exports this module.

    import sys; sys.path.insert(0, os.path.join(os.environ["TT_REPO"], "scripts/lib"))
    from ttvm import *
"""

import contextlib
import ctypes
import os
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

# ss -tan state names -> RFC 793 names as /proc/tcptrace prints them.
SS_STATES = {
    "ESTAB": "ESTABLISHED",
    "SYN-SENT": "SYN_SENT",
    "SYN-RECV": "SYN_RECEIVED",
    "FIN-WAIT-1": "FIN_WAIT_1",
    "FIN-WAIT-2": "FIN_WAIT_2",
    "TIME-WAIT": "TIME_WAIT",
    "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK",
    "CLOSING": "CLOSING",
    "LISTEN": "LISTEN",
    "UNCONN": "CLOSED",
    "CLOSE": "CLOSED",
}

REPO = os.environ.get("TT_REPO", os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))


def log(*args):
    """A comment line in the test output (kselftest: '# ...')."""
    print("#", *args, flush=True)


def run(*cmd, ns=None, check=True, input=None, quiet=False):
    """Run a command (in namespace ns), echoed like netns.sh does; stdout.

    The child inherits the namespace from setns() rather than through
    "ip netns exec", which costs about a second under TCG.
    """
    argv = [str(c) for c in cmd]
    if not quiet:
        log(f"[{ns or 'init'}] " + " ".join(argv))
    with netns(ns):
        p = subprocess.run(argv, input=input, capture_output=True,
                           text=True)
    if check and p.returncode:
        raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: "
                           f"{p.stderr.strip()}")
    return p.stdout


def _setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


@contextlib.contextmanager
def netns(name):
    """Run the body in network namespace name (None: the initial one).

    Sockets keep the namespace they were created in, so a test can make the
    client's sockets in one namespace and the server's in another.
    """
    if name is None:
        yield
        return
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        _setns(f"/run/netns/{name}")
        yield
    finally:
        if _libc.setns(home, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns back")
        os.close(home)


def add_netns(name):
    run("ip", "netns", "add", name)
    run("ip", "link", "set", "lo", "up", ns=name)


def del_netns(name):
    run("ip", "netns", "del", name, check=False)


def veth_pair(ns_a, ns_b, v4=("10.0.0.1", "10.0.0.2"),
              v6=("fd00::1", "fd00::2"), names=("veth-a", "veth-b")):
    """Join two namespaces: veth names[0] (ns_a) <-> veth names[1] (ns_b).

    Addresses: ns_a gets v4[0]/24 and v6[0]/64, ns_b the second ones.  DAD
    is off so IPv6 works at once.
    """
    run("modprobe", "veth")
    run("ip", "link", "add", names[0], "netns", ns_a, "type", "veth",
        "peer", "name", names[1], "netns", ns_b)
    for ns, dev, a4, a6 in ((ns_a, names[0], v4[0], v6[0]),
                            (ns_b, names[1], v4[1], v6[1])):
        sysctl(f"net.ipv6.conf.{dev}.accept_dad", 0, ns=ns)
        ip_batch([f"addr add {a4}/24 dev {dev}",
                  f"addr add {a6}/64 dev {dev} nodad",
                  f"link set {dev} up"], ns=ns)


def sysctl(key, value, ns=None):
    """Set a sysctl (of namespace ns) by writing /proc/sys: no process."""
    with netns(ns), open("/proc/sys/" + key.replace(".", "/"), "w") as f:
        f.write(str(value))


def ip_batch(cmds, ns=None):
    """Several ip(8) commands in one process (each costs ~0.5 s under TCG)."""
    return run("ip", "-batch", "-", ns=ns, input="\n".join(cmds) + "\n")


def load_module(**params):
    """insmod $TT_KO with module parameters."""
    run("insmod", os.environ["TT_KO"], *[f"{k}={v}" for k, v in params.items()])


def unload_module():
    run("rmmod", "tcptrace")


def read_proc(ns=None, name="tcptrace"):
    """The text of /proc/<name> as a reader in namespace ns sees it."""
    with netns(ns), open(f"/proc/{name}") as f:
        return f.read()


def proc_flows(ns=None):
    """/proc/tcptrace as a list of dicts keyed by the header's column names."""
    lines = read_proc(ns).splitlines()
    head = lines[0].split()
    return [dict(zip(head, line.split())) for line in lines[1:] if line]


def proc_stats(ns=None):
    """/proc/tcptrace_stats as a dict of ints."""
    out = {}
    for line in read_proc(ns, "tcptrace_stats").splitlines():
        k, v = line.split()
        out[k] = int(v)
    return out


_diag_loaded = False


def _load_diag():
    """ss asks the kernel over sock_diag (tcp_diag, a module the guest does
    not autoload); without it ss falls back to /proc/net/tcp and has no
    tcp_info (ss -i)."""
    global _diag_loaded
    if not _diag_loaded:
        run("modprobe", "-a", "inet_diag", "tcp_diag", quiet=True)
        _diag_loaded = True


def ss_sockets(ns=None):
    """The kernel's TCP sockets: {(local, peer): state}, states as ours."""
    _load_diag()
    out = {}
    for line in run("ss", "-tanH", ns=ns, quiet=True).splitlines():
        f = line.split()
        if len(f) < 5:
            continue
        out[(f[3], f[4])] = SS_STATES.get(f[0], f[0])
    return out


# The states of /proc/net/tcp's "st" column (include/net/tcp_states.h).
PROC_TCP_STATES = {
    0x01: "ESTABLISHED", 0x02: "SYN_SENT", 0x03: "SYN_RECEIVED",
    0x04: "FIN_WAIT_1", 0x05: "FIN_WAIT_2", 0x06: "TIME_WAIT",
    0x07: "CLOSED", 0x08: "CLOSE_WAIT", 0x09: "LAST_ACK", 0x0A: "LISTEN",
    0x0B: "CLOSING", 0x0C: "SYN_RECEIVED",
}


def _proc_tcp_addr(field, listen_peer=False):
    """ADDR:PORT of /proc/net/tcp{,6} (each 32-bit word in host order) as
    ss -n prints it."""
    addr, port = field.split(":")
    raw = b"".join(bytes.fromhex(addr[i:i + 8])[::-1]
                   for i in range(0, len(addr), 8))
    if len(raw) == 4:
        host = socket.inet_ntop(socket.AF_INET, raw)
    elif raw[:12] == b"\0" * 10 + b"\xff" * 2:
        host = "[::ffff:" + socket.inet_ntop(socket.AF_INET, raw[12:]) + "]"
    else:
        host = "[" + socket.inet_ntop(socket.AF_INET6, raw) + "]"
    port = int(port, 16)
    return f"{host}:{'*' if listen_peer and not port else port}"


def tcp_sockets(ns=None):
    """The kernel's TCP sockets as ss_sockets() gives them, read from
    /proc/net/tcp and tcp6 (the table ss falls back to and netstat reads)
    in this process: no ss process, which costs 0.2 s in an idle lab VM and
    0.5 to 2.5 s with two busy guests on two CPUs, more than the 2 s a
    pause between two SYN retransmissions has."""
    out = {}
    with netns(ns):
        for name in ("tcp", "tcp6"):
            try:
                with open(f"/proc/net/{name}") as f:
                    lines = f.read().splitlines()[1:]
            except FileNotFoundError:
                continue
            for line in lines:
                f = line.split()
                if len(f) < 4:
                    continue
                st = PROC_TCP_STATES.get(int(f[3], 16), f[3])
                out[(_proc_tcp_addr(f[1]),
                     _proc_tcp_addr(f[2], st == "LISTEN"))] = st
    return out


NETLINK_SOCK_DIAG = 4
SOCK_DESTROY = 21
TCPF_TIME_WAIT = 1 << 6


def _sockid(hostport):
    """ss -n's ADDR:PORT as (family, packed address of 16 bytes, port)."""
    host, port = hostport.rsplit(":", 1)
    host = host.strip("[]")
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    raw = socket.inet_pton(fam, host)
    return fam, raw + b"\0" * (16 - len(raw)), int(port)


def destroy_time_wait(local, ns=None):
    """End the TIME_WAIT socket whose local end is ADDR:PORT (as ss -n
    prints it), as `ss -K state time-wait src ADDR sport = :PORT` does
    (sock_diag's SOCK_DESTROY), in this process: an ss process costs up to
    2.5 s on a busy machine, more than a FIN resend leaves.  Returns the
    peers whose sockets were ended."""
    _load_diag()
    done = []
    for (lo, peer), st in tcp_sockets(ns).items():
        if lo != local or st != "TIME_WAIT":
            continue
        fam, src, sport = _sockid(lo)
        _, dst, dport = _sockid(peer)
        req = struct.pack("=BBBxI", fam, socket.IPPROTO_TCP, 0,
                          TCPF_TIME_WAIT) + \
            struct.pack(">HH", sport, dport) + src + dst + \
            struct.pack("=III", 0, 0xffffffff, 0xffffffff)
        msg = struct.pack("=IHHII", 16 + len(req), SOCK_DESTROY,
                          0x1 | 0x4, 1, 0) + req   # NLM_F_REQUEST | ACK
        with netns(ns):
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                              NETLINK_SOCK_DIAG)
        try:
            s.send(msg)
            ack = s.recv(4096)
        finally:
            s.close()
        err = -struct.unpack_from("=i", ack, 16)[0]
        if err:
            raise OSError(err, f"SOCK_DESTROY {lo} {peer}: "
                          f"{os.strerror(err)}")
        done.append(peer)
    return done


def ss_info(ns=None):
    """ss -tani: {(local, peer): {"state": ..., "segs_out": n, ...}}.

    Besides the state (as ours), the numeric fields of tcp_info that ss
    prints as key:value (segs_out, segs_in, bytes_sent, bytes_acked,
    bytes_received, data_segs_out, ...).
    """
    _load_diag()
    out = {}
    cur = None
    for line in run("ss", "-taniH", ns=ns, quiet=True).splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            f = line.split()
            if len(f) < 5:
                cur = None
                continue
            cur = {"state": SS_STATES.get(f[0], f[0])}
            out[(f[3], f[4])] = cur
            continue
        if cur is None:
            continue
        for tok in line.split():
            k, sep, v = tok.partition(":")
            if sep and v.isdigit():
                cur[k] = int(v)
    return out


def slabinfo(name):
    """A cache's line of /proc/slabinfo as a dict, or None."""
    keys = ("active_objs", "num_objs", "objsize", "objperslab",
            "pagesperslab")
    with open("/proc/slabinfo") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == name:
                return dict(zip(keys, map(int, fields[1:6])))
    return None


def flow_index(flows):
    """{(client, server): flow} of a proc_flows() list."""
    return {(f["client"], f["server"]): f for f in flows}


def endpoint(family, addr, port):
    """addr:port as /proc/tcptrace and ss write it ([addr]:port for v6)."""
    if family in (socket.AF_INET6, "inet6", 6):
        return f"[{addr}]:{port}"
    return f"{addr}:{port}"


def find_flow(flows, port):
    """The flows with port at either end."""
    return [f for f in flows
            if f["client"].endswith(f":{port}") or
            f["server"].endswith(f":{port}")]


def local_states(flow):
    """[(endpoint name, addr:port, peer addr:port, state)] of local ends."""
    out = []
    local = flow["local"]
    if local in ("client", "both"):
        out.append(("client", flow["client"], flow["server"],
                    flow["client_state"]))
    if local in ("server", "both"):
        out.append(("server", flow["server"], flow["client"],
                    flow["server_state"]))
    return out


def disagreements(ns=None, port=None, flows=None, socks=None):
    """Where /proc/tcptrace and ss differ for local endpoints in ns.

    A local endpoint the tracker has CLOSED must have no socket in ss (or a
    CLOSED one); every other state must equal ss's state for that 4-tuple.
    flows and socks, if given, are proc_flows(ns) and ss_sockets(ns) (or
    ss_info(ns)) read already.  Returns a list of strings, empty when they
    agree.
    """
    if flows is None:
        flows = proc_flows(ns)
    if port is not None:
        flows = find_flow(flows, port)
    if socks is None:
        socks = ss_sockets(ns)
    bad = []
    for flow in flows:
        for who, me, peer, state in local_states(flow):
            kernel = socks.get((me, peer), "CLOSED")
            if isinstance(kernel, dict):
                kernel = kernel["state"]
            if kernel != state:
                bad.append(f"{who} {me}->{peer}: tracker {state}, "
                           f"ss {kernel}")
    return bad


def busywait(pred, timeout=10.0, interval=0.02, what="condition"):
    """Poll pred() until it returns a true value; return it, or raise."""
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout}s waiting for "
                               f"{what}")
        time.sleep(interval)


def agree(ns=None, port=None, timeout=10.0):
    """Wait until the tracker and ss agree in ns; the last differences."""
    last = []

    def ok():
        nonlocal last
        last = disagreements(ns, port)
        return not last
    try:
        busywait(ok, timeout=timeout, what=f"tracker and ss to agree in "
                 f"{ns or 'init'}")
        return []
    except TimeoutError:
        return last


class Results:
    """PASS:/FAIL:/SKIP: lines and the exit status (kselftest)."""

    def __init__(self):
        self.failed = 0
        self.passed = 0
        self.kernel = os.environ.get("TT_KERNEL", "host")

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS: {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL: {name}" + (f": {detail}" if detail else ""),
                  flush=True)
        return ok

    def equal(self, got, want, name):
        return self.check(got == want, name, f"got {got!r}, want {want!r}")

    def skip(self, name, why):
        print(f"SKIP: {name}: {why}", flush=True)

    def exit(self):
        sys.exit(1 if self.failed else 0)
