# SPDX-License-Identifier: GPL-2.0
"""The network's own record: a capture made in the router namespace.

`tcpdump -i any` in the router writes Linux cooked captures (SLL2), where
each packet says whether it came in on an interface ("in": a segment
entering the network) or went out of one ("out": the network delivering
it). A segment that went in and never came out was lost in the network; one
that came out without going in was put there by the network itself (the old
duplicate SYN of the lab). The standard library and the family's spec
(ttwords) only: the host renders the pages from these files too.
"""

import ipaddress
import struct

from ttwords import TCP_FLAGS, flags_str  # noqa: F401  (wire.flags_str)

LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
PACKET_OUTGOING = 4

FIN, SYN, RST, ACK = (TCP_FLAGS[n] for n in ("FIN", "SYN", "RST", "ACK"))


def kind(flags, length):
    """What a segment is, in the words of the lab's facts: SYN, SYN-ACK,
    FIN, RST, data, ACK."""
    if flags & RST:
        return "RST"
    if flags & SYN:
        return "SYN-ACK" if flags & ACK else "SYN"
    if flags & FIN:
        return "FIN"
    if length:
        return "data"
    if not flags & ACK:
        return flags_str(flags)
    return "ACK"


def endpoint(addr, port):
    """addr:port as the tracker writes an endpoint ([addr]:port for v6)."""
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def port_of(ep):
    return int(ep.rsplit(":", 1)[1])


def addr_of(ep):
    return ep.rsplit(":", 1)[0].strip("[]")


def read_pcap(path):
    """[(time, link type, packet bytes)] of a pcap file (µs or ns)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError(f"{path}: not a pcap file")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(end + "I", data[20:24])[0]
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        t = sec + frac / (1e9 if nano else 1e6)
        out.append((t, linktype, data[off:off + incl]))
        off += incl
    return out


def write_pcap(path, packets, linktype=LINKTYPE_LINUX_SLL2):
    """Write [(time, bytes)] as a microsecond pcap."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144,
                            linktype))
        for t, pkt in packets:
            sec = int(t)
            usec = int(round((t - sec) * 1e6))
            if usec >= 1000000:
                sec, usec = sec + 1, usec - 1000000
            f.write(struct.pack("<IIII", sec, usec, len(pkt), len(pkt)))
            f.write(pkt)


def _cooked(linktype, pkt):
    """(outgoing?, ethertype, network header offset) of a cooked frame."""
    if linktype == LINKTYPE_LINUX_SLL2 and len(pkt) >= 20:
        proto, = struct.unpack(">H", pkt[0:2])
        return pkt[10] == PACKET_OUTGOING, proto, 20
    if linktype == LINKTYPE_LINUX_SLL and len(pkt) >= 16:
        ptype, = struct.unpack(">H", pkt[0:2])
        proto, = struct.unpack(">H", pkt[14:16])
        return ptype == PACKET_OUTGOING, proto, 16
    return None


def parse_segment(t, linktype, pkt):
    """One captured TCP segment as a dict, or None for anything else."""
    c = _cooked(linktype, pkt)
    if not c:
        return None
    out, proto, off = c
    ip = pkt[off:]
    if proto == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        total, = struct.unpack(">H", ip[2:4])
        src = str(ipaddress.IPv4Address(ip[12:16]))
        dst = str(ipaddress.IPv4Address(ip[16:20]))
        tcp = ip[ihl:total]
        fam = "inet"
    elif proto == 0x86dd and len(ip) >= 40 and ip[6] == 6:
        plen, = struct.unpack(">H", ip[4:6])
        src = str(ipaddress.IPv6Address(ip[8:24]))
        dst = str(ipaddress.IPv6Address(ip[24:40]))
        tcp = ip[40:40 + plen]
        fam = "inet6"
    else:
        return None
    if len(tcp) < 20:
        return None
    sport, dport, seq, ack, off_flags = struct.unpack(">HHIIH", tcp[:14])
    doff = (off_flags >> 12) * 4
    return {
        "t": t, "dir": "out" if out else "in", "family": fam,
        "src": src, "sport": sport, "dst": dst, "dport": dport,
        "flags": tcp[13], "seq": seq, "ack": ack,
        "len": max(0, len(tcp) - doff),
        "tcp": bytes(tcp),
        # The whole TCP header tells copies of one segment apart from
        # its retransmissions (their timestamps differ) and is not
        # changed by forwarding.
        "key": bytes(tcp[:doff]) + struct.pack(">I", max(0, len(tcp) - doff)),
    }


def segments(path, ports=None):
    """The segments of a capture, each copy that went in paired with the
    one that came out: [{t_in, t_out, src, sport, dst, dport, flags, seq,
    ack, len}] in order of t_in (or t_out for a segment the network made).
    t_out is None for a segment lost in the network, t_in None for one that
    did not come from an endpoint. ports: keep only segments with one of
    these ports at either end."""
    seen = []
    for t, lt, pkt in read_pcap(path):
        s = parse_segment(t, lt, pkt)
        if s and (ports is None or s["sport"] in ports or
                  s["dport"] in ports):
            seen.append(s)
    segs, waiting = [], {}
    for s in seen:
        if s["dir"] == "in":
            seg = dict(s, t_in=s["t"], t_out=None)
            segs.append(seg)
            waiting.setdefault(s["key"], []).append(seg)
        else:
            q = waiting.get(s["key"])
            if q:
                q.pop(0)["t_out"] = s["t"]
            else:
                segs.append(dict(s, t_in=None, t_out=s["t"]))
    for s in segs:
        for k in ("t", "dir", "key", "tcp"):
            s.pop(k, None)
    segs.sort(key=lambda s: s["t_in"] if s["t_in"] is not None
              else s["t_out"])
    return segs
