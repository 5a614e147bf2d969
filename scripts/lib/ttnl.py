# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for tcptrace's tests: any request, well
formed or not, and the kernel's whole answer (errno, extended ack).

tcptracectl is the real client; this one exists to send what tcptracectl
never would (wrong types, unknown attributes, missing nests, odd headers)
and to read the extended ack field by field.  Python's socket module speaks
AF_NETLINK; the family's names and numbers come from its YAML spec
(module/uapi/tcptrace.yaml, read with python3-yaml), as the kernel's
tools/net/ynl reads its families', never typed again here.  The tests
import it as tests/lib/ttgenl.py, which re-exports this module.

    from ttnl import *
    g = Genl()                                   # resolves "tcptrace"
    r = g.request(TT_CMD_CONFIG_SET,
                  nest(TT_A_CONFIG, u32(TT_A_CONFIG_MSL, 0)))
    r.errno, r.msg, r.offs, r.attr_at_offs()
"""

import errno as _errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_DUMP_INTR = 0x10
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_MCAST_GROUPS = 7


def c_name(*parts):
    """A spec name as C writes it: "tt-a-flow-" "client-addr" ->
    TT_A_FLOW_CLIENT_ADDR."""
    return "".join(parts).upper().replace("-", "_")


def spec_path():
    """module/uapi/tcptrace.yaml: a tcptrace.yaml next to this file (a test
    that copies ttnl.py where an unprivileged reader can reach it copies the
    spec along), else the checkout's, this file's or $TT_REPO's."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [os.path.join(here, "tcptrace.yaml")]
    for repo in (os.path.dirname(os.path.dirname(here)),
                 os.environ.get("TT_REPO")):
        if repo:
            paths.append(os.path.join(repo, "module", "uapi",
                                      "tcptrace.yaml"))
    for p in paths:
        if os.access(p, os.R_OK):
            return p
    raise FileNotFoundError("tcptrace.yaml: none of " + ", ".join(paths))


class Spec:
    """The family as module/uapi/tcptrace.yaml describes it (python3-yaml):
    ops {value: op}, attribute sets {name: {value: attr}}, enums.

    An op is a dict with name, value, do and dump (the YAML's dicts, or
    None), has_do and has_dump (a "do: {}" is a do without attributes),
    event (bool), flags (list) and reply (top-level attribute names of the
    do reply).  An attribute is the YAML's dict with its value."""

    def __init__(self, path=None):
        import yaml
        with open(path or spec_path()) as f:
            y = yaml.safe_load(f)
        self.name = y["name"]
        self.version = y["version"]
        self.enums, self.entries = {}, {}
        for d in y.get("definitions", []):
            ents = d.get("entries", [])
            self.enums[d["name"]] = (d["type"], len(ents))
            self.entries[d["name"]] = [e if isinstance(e, str) else e["name"]
                                       for e in ents]
        self.yaml = y
        self.sets = {}
        for s in y["attribute-sets"]:
            attrs, v = {}, 0
            for a in s["attributes"]:
                v = a.get("value", v + 1)
                attrs[v] = dict(a, value=v)
            self.sets[s["name"]] = attrs
        self.ops, v = {}, 0
        for o in y["operations"]["list"]:
            v = o.get("value", v + 1)
            do, dump = o.get("do"), o.get("dump")
            reply = ((do or {}).get("reply") or {}).get("attributes", [])
            self.ops[v] = {"name": o["name"], "value": v,
                           "do": None if do is None else do,
                           "dump": None if dump is None else dump,
                           "has_do": "do" in o, "has_dump": "dump" in o,
                           "event": "event" in o,
                           "flags": o.get("flags", []),
                           "set": o.get("attribute-set"), "reply": reply}

    def attr(self, set_name, name):
        """The attribute called name in a set."""
        for a in self.sets[set_name].values():
            if a["name"] == name:
                return a
        raise KeyError(f"{set_name}.{name}")

    def op(self, name):
        for o in self.ops.values():
            if o["name"] == name:
                return o
        raise KeyError(name)

    def constants(self):
        """{C name: value} as the kernel's ynl-gen names them in the UAPI
        header (prefix and name, upper case, '-' as '_'): each command
        (TT_CMD_*), each attribute (TT_A_*), each enum entry (TT_STATE_*,
        TT_WHY_*...) and each flag bit (TT_TCP_*, TT_FLOW_F_*)."""
        y, out = self.yaml, {}
        prefix = y["operations"]["name-prefix"]
        for v, o in self.ops.items():
            out[c_name(prefix, o["name"])] = v
        for s in y["attribute-sets"]:
            for v, a in self.sets[s["name"]].items():
                out[c_name(s["name-prefix"], a["name"])] = v
        for d in y.get("definitions", []):
            for i, e in enumerate(self.entries[d["name"]]):
                out[c_name(d["name-prefix"], e)] = (
                    1 << i if d["type"] == "flags" else
                    d.get("value-start", 0) + i)
        return out


def load_spec(path=None):
    """The spec at path; by default the checkout's (see spec_path)."""
    return Spec(path)


# The family's names and numbers, from the YAML spec: TT_CMD_FLOW_GET,
# TT_A_FLOW, TT_A_CONFIG_MSL, TT_STATE_CLOSED, TT_TCP_SYN... as the UAPI
# header names them (tests/tools/test-uapi-yaml keeps the header and the
# spec in step).
SPEC = load_spec()
_TT = SPEC.constants()
globals().update(_TT)


def _pad(b):
    return b + b"\0" * (-len(b) % 4)


def attr(atype, payload):
    """One attribute: header, payload, padding."""
    return _pad(struct.pack("=HH", 4 + len(payload), atype) + payload)


def u8(atype, v):
    return attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return attr(atype, struct.pack("=H", v))


def be16(atype, v):
    return attr(atype, struct.pack(">H", v))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def u64(atype, v):
    return attr(atype, struct.pack("=Q", v))


NLA_F_NESTED = 0x8000


def nest(atype, *attrs):
    """A nest, flagged NLA_F_NESTED as strict validation wants."""
    return attr(atype | NLA_F_NESTED, b"".join(attrs))


def parse_attrs(data):
    """{type: payload} of a stream of attributes (the last of a type)."""
    out, off = {}, 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = data[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def get_u(payload):
    return int.from_bytes(payload, "little")


class Reply:
    """What the kernel answered: errno (0 for success), the extended ack
    (msg, offs, miss_type), and the data messages' attributes."""

    def __init__(self, request):
        self.request = request
        self.errno = None
        self.msg = None
        self.offs = None
        self.miss_type = None
        self.messages = []      # [(cmd, flags, {type: payload})]
        self.dump_intr = False

    def attr_at_offs(self):
        """(type, outer type or None) of the request's attribute at offs."""
        if self.offs is None:
            return None
        return _find_attr(self.request, 20, len(self.request), self.offs,
                          None)

    def __repr__(self):
        return (f"Reply(errno={self.errno and _errno.errorcode.get(self.errno)}"
                f", msg={self.msg!r}, offs={self.offs}, "
                f"miss_type={self.miss_type})")


def _find_attr(buf, start, end, target, outer):
    off = start
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            return None
        if off == target:
            return (atype & 0x3fff, outer)
        if off < target < off + alen:
            return _find_attr(buf, off + 4, off + alen, target,
                              atype & 0x3fff)
        off += (alen + 3) & ~3
    return None


class Genl:
    """A socket talking to a generic netlink family (tcptrace by default)."""

    def __init__(self, name="tcptrace", ext_ack=True, cap_ack=True,
                 timeout=None, seq=1000):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.portid = self.sock.getsockname()[0]
        self.ext_ack, self.cap_ack = ext_ack, cap_ack
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, int(ext_ack))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, int(cap_ack))
        if timeout is not None:
            self.sock.settimeout(timeout)
        self.seq = seq
        self.family = GENL_ID_CTRL
        r = self.request(CTRL_CMD_GETFAMILY,
                         attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if r.errno:
            raise OSError(r.errno, f"family {name}: {os.strerror(r.errno)}")
        a = r.messages[0][2]
        self.family = get_u(a[CTRL_ATTR_FAMILY_ID])
        self.version = get_u(a[CTRL_ATTR_VERSION])

    def close(self):
        self.sock.close()

    def send_raw(self, parts):
        """Send bytes (or a list of byte strings, as one sendmsg with an
        iovec each: several messages in one skb) exactly as given."""
        if isinstance(parts, (bytes, bytearray)):
            parts = [parts]
        return self.sock.sendmsg(list(parts))

    def recv_raw(self, bufsize=1 << 18):
        """One datagram and the recvmsg flags (MSG_TRUNC: it was cut)."""
        data, _, flags, _ = self.sock.recvmsg(bufsize)
        return data, flags

    def request(self, cmd, payload=b"", flags=NLM_F_ACK, version=1,
                reserved=0, family=None):
        """Send one request, read the whole answer."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        msg = struct.pack("=IHHII", 16 + len(body),
                          self.family if family is None else family,
                          NLM_F_REQUEST | flags, self.seq, 0) + body
        self.sock.send(msg)
        r = Reply(msg)
        while r.errno is None:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from(
                    "=IHHII", data, off)
                body = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mseq != self.seq:
                    continue
                if mflags & NLM_F_DUMP_INTR:
                    r.dump_intr = True
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    self._ack(r, mtype, mflags, body)
                    break
                r.messages.append((body[0], mflags, parse_attrs(body[4:])))
        return r

    @staticmethod
    def _ack(r, mtype, mflags, body):
        (err,) = struct.unpack_from("=i", body, 0)
        r.errno = -err
        if mtype == NLMSG_DONE:
            tlv = 4
        else:
            tlv = 4 + 16
            if not mflags & NLM_F_CAPPED:
                tlv += struct.unpack_from("=I", body, 4)[0] - 16
        if mflags & NLM_F_ACK_TLVS:
            ext = parse_attrs(body[tlv:])
            if NLMSGERR_ATTR_MSG in ext:
                r.msg = ext[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
            if NLMSGERR_ATTR_OFFS in ext:
                r.offs = get_u(ext[NLMSGERR_ATTR_OFFS])
            if NLMSGERR_ATTR_MISS_TYPE in ext:
                r.miss_type = get_u(ext[NLMSGERR_ATTR_MISS_TYPE])

    def config(self):
        """The configuration, {TT_A_CONFIG_*: int or bytes}."""
        r = self.request(_TT["TT_CMD_CONFIG_GET"])
        if r.errno:
            raise OSError(r.errno, "config get")
        a = parse_attrs(r.messages[0][2][_TT["TT_A_CONFIG"]])
        return {k: (v if k == _TT["TT_A_CONFIG_ADDR"] else get_u(v))
                for k, v in a.items()}

    def stats(self):
        """The counters, {TT_A_STATS_*: int}."""
        r = self.request(_TT["TT_CMD_STATS_GET"])
        if r.errno:
            raise OSError(r.errno, "stats get")
        a = parse_attrs(r.messages[0][2][_TT["TT_A_STATS"]])
        return {k: get_u(v) for k, v in a.items() if len(v) == 8}


# --- raw messages, for the fuzzer (tests/netlink/test-fuzz) ---------------

NLMSG_NOOP = 1
NLMSG_OVERRUN = 4
NLM_F_ECHO = 0x8
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_ATOMIC = 0x400
NLA_F_NET_BYTEORDER = 0x4000
NLMSGERR_ATTR_COOKIE = 3
NLMSGERR_ATTR_POLICY = 4


def nlmsg(mtype, flags, seq, body=b"", pid=0, length=None):
    """One netlink message; length overrides nlmsg_len (the bytes stay)."""
    n = 16 + len(body) if length is None else length
    return struct.pack("=IHHII", n & 0xffffffff, mtype, flags, seq, pid) + body


def genlmsg(family, cmd, payload=b"", flags=NLM_F_REQUEST | NLM_F_ACK, seq=0,
            version=1, reserved=0, pid=0, length=None):
    """One generic netlink message, any field as given."""
    return nlmsg(family, flags, seq,
                 struct.pack("=BBH", cmd, version, reserved) + payload, pid,
                 length)


def split_messages(data):
    """The messages of a datagram the kernel sent, strictly framed:
    [(type, flags, seq, pid, body)], or ValueError naming the bad framing."""
    out, off = [], 0
    while off < len(data):
        if len(data) - off < 16:
            raise ValueError(f"{len(data) - off} stray bytes at {off}")
        mlen, mtype, mflags, mseq, mpid = struct.unpack_from("=IHHII", data,
                                                             off)
        if mlen < 16 or off + mlen > len(data):
            raise ValueError(f"nlmsg_len {mlen} at {off} of {len(data)}")
        out.append((mtype, mflags, mseq, mpid, data[off + 16:off + mlen]))
        off += (mlen + 3) & ~3
    return out


def parse_attr_list(data):
    """[(type with flags, payload)] of a stream of attributes, strictly:
    ValueError for a length below 4, past the end, or padding that is not
    zero."""
    out, off = [], 0
    while off < len(data):
        if len(data) - off < 4:
            raise ValueError(f"{len(data) - off} stray bytes at {off}")
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4 or off + alen > len(data):
            raise ValueError(f"nla_len {alen} at {off} of {len(data)}")
        out.append((atype, data[off + 4:off + alen]))
        end = min(off + ((alen + 3) & ~3), len(data))
        if any(data[off + alen:end]):
            raise ValueError(f"padding not zero after attribute at {off}")
        off = end
    return out
