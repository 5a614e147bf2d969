# SPDX-License-Identifier: GPL-2.0
"""A scenario's run record: what the trackers and the wire saw, the facts
drawn from it, and the checks of the scenario's expectations against them.

The record is a directory: client.jsonl, server.jsonl and router.jsonl (the
`tcptracectl --json monitor` lines of each namespace for the scenario's
ports), wire.pcap (the router's capture), and run.json (everything else).
`tcptracectl ladder` draws the ladder from the first four; scripts/lab-render
writes the page from run.json and those ladders. The standard library and
the family's spec (python3-yaml) only: the host renders the pages too.
"""

import json
import os

from ttnl import SPEC
from ttwords import word

from . import wire
from .topology import ADDR, MODULE_PARAMS, RTO_MIN, SYSCTLS
from .wire import addr_of, kind, port_of

# The spec's retransmission classes (its whys retransmitted-*, as the
# core's tt_why_resent() has them), by the word the tracker notes them
# with, to the kind of segment resent (wire.kind).
RETRANS_KIND = {"syn": "SYN", "synack": "SYN-ACK", "fin": "FIN",
                "data": "data"}
RETRANS = {word("why", w): RETRANS_KIND[w[len("retransmitted-"):]]
           for w in SPEC.entries["why"] if w.startswith("retransmitted-")}
WHO = ("client", "server")


class Names:
    """Who is who: endpoint addresses to the lab's names."""

    def __init__(self, addrs):
        self.by_addr = {a: w for w, a in addrs.items()}

    def who(self, addr):
        return self.by_addr.get(addr, addr)


def wire_facts(segs, names, t0):
    """The wire as the record keeps it: one entry per segment copy."""
    isn = {}
    out = []
    for s in segs:
        if s["flags"] & wire.SYN and (s["src"], s["sport"]) not in isn:
            isn[(s["src"], s["sport"])] = s["seq"]
    sent = {}
    for s in segs:
        snd = names.who(s["src"])
        base = isn.get((s["src"], s["sport"]))
        abase = isn.get((s["dst"], s["dport"]))
        k = kind(s["flags"], s["len"])
        fate = ("lost" if s["t_out"] is None else
                "injected" if s["t_in"] is None else "delivered")
        # A resend: a SYN, FIN or data its sender already sent once.
        ident = (s["src"], s["sport"], s["dst"], s["dport"], k,
                 s["seq"], s["len"])
        resend = False
        if fate != "injected" and (k in ("SYN", "SYN-ACK", "FIN", "data")):
            resend = ident in sent
            sent[ident] = True
        out.append({
            "t_in": None if s["t_in"] is None else round(s["t_in"] - t0, 3),
            "t_out": None if s["t_out"] is None else round(s["t_out"] - t0, 3),
            "from": snd, "to": names.who(s["dst"]),
            "src": f"{s['src']}:{s['sport']}", "dst": f"{s['dst']}:{s['dport']}",
            "kind": k, "flags": wire.flags_str(s["flags"]),
            "seq": (s["seq"] - base) % 2**32 if base is not None else s["seq"],
            "ack": ((s["ack"] - abase) % 2**32 if abase is not None
                    else s["ack"]) if s["flags"] & wire.ACK else None,
            "len": s["len"], "fate": fate, "resend": resend,
        })
    return out


def flows_of(events):
    """Events grouped by flow id, in order of appearance."""
    flows = {}
    for e in events:
        if "id" in e:
            flows.setdefault(e["id"], []).append(e)
    return list(flows.values())


def align(evs, me, segs):
    """The wall time at which a flow of endpoint me's own namespace was
    created: notes count milliseconds from there. A flow starts with the
    first segment me sent or received, so it is the earliest time the wire
    shows one of its segments leaving me or delivered to me, after any
    earlier incarnation of the same 4-tuple."""
    f = evs[0]
    a, b = f["client"], f["server"]
    tup = {a, b}
    times = []
    for s in segs:
        src = wire.endpoint(s["src"], s["sport"])
        dst = wire.endpoint(s["dst"], s["dport"])
        if {src, dst} != tup:
            continue
        if addr_of(src) == me and s["t_in"] is not None:
            times.append(s["t_in"])
        elif addr_of(dst) == me and s["t_out"] is not None:
            times.append(s["t_out"])
    return sorted(times)


def timelines(events, me, segs, t0):
    """Per flow of endpoint me's own namespace: its state changes and
    remarks, with times on the wire's clock (relative to t0)."""
    out = []
    used_until = {}
    for evs in flows_of(events):
        f = evs[0]
        role = "client" if addr_of(f["client"]) == me else "server"
        key = frozenset((f["client"], f["server"]))
        times = [t for t in align(evs, me, segs)
                 if t > used_until.get(key, float("-inf"))]
        start = times[0] if times else None
        notes = [e for e in evs if e["type"] in ("transition", "anomaly")]
        last = max([e["time_ms"] for e in notes] + [0])
        if start is not None:
            used_until[key] = start + last / 1000.0 + 0.001
        flow = {
            "flow": f"{f['client']} -> {f['server']}",
            "role": role,
            "local": f["local"],
            "states": [], "notes": [],
        }
        for e in notes:
            if e["endpoint"] != role:
                continue
            t = (round(start + e["time_ms"] / 1000.0 - t0, 3)
                 if start is not None else None)
            n = {"t": t, "time_ms": e["time_ms"], "from": e["from"],
                 "to": e["to"], "why": e["why"], "sender": e["sender"],
                 "flags": e["flags"], "raised": e["raised"]}
            if not flow["states"]:
                flow["states"].append(e["from"])
            if e["type"] == "transition":
                flow["states"].append(e["to"])
            flow["notes"].append(n)
        if not flow["states"]:
            flow["states"].append(f[f"{role}_state"])
        out.append(flow)
    return out


def tracker_views(events):
    """Each flow as a namespace's tracker last reported it."""
    out = []
    for evs in flows_of(events):
        last = evs[-1]
        out.append({
            "flow": f"{last['client']} -> {last['server']}",
            "local": last["local"],
            "client_state": last["client_state"],
            "server_state": last["server_state"],
            "outcome": last["outcome"],
            "anomalies": last["anomalies"],
            "ended": last["type"] == "end",
        })
    return out


def holders(events, me):
    """The commands of the processes holding endpoint me's socket, as its
    own namespace's monitor last named them (tcptracectl finds them as ss
    -p does), per flow: [[comm, ...], ...]; None for a flow no event of
    which named its holders (no local socket seen, or a record made before
    the tool knew)."""
    out = []
    for evs in flows_of(events):
        role = "client" if addr_of(evs[0]["client"]) == me else "server"
        named = [e[f"{role}_processes"] for e in evs
                 if f"{role}_processes" in e]
        out.append(sorted({p["comm"] for p in named[-1]}) if named
                   else None)
    return out


def facts_of(rec):
    """The facts the checks and the page speak of."""
    f = {"states": {}, "lost": [], "injected": [], "resent": {},
         "resent_tracker": {}, "intervals": {}, "outcome": {},
         "anomalies": {}}
    for who in WHO:
        f["states"][who] = [fl["states"] for fl in rec["timelines"][who]]
        for fl in rec["timelines"][who]:
            for n in fl["notes"]:
                if n["why"] in RETRANS:
                    k = f"{who} {RETRANS[n['why']]}"
                    f["resent_tracker"][k] = f["resent_tracker"].get(k, 0) + 1
    for s in rec["wire"]:
        k = f"{s['from']} {s['kind']}"
        if s["fate"] == "lost":
            f["lost"].append(k)
        elif s["fate"] == "injected":
            f["injected"].append(k)
        if s["resend"]:
            f["resent"][k] = f["resent"].get(k, 0) + 1
    # The time between one segment's copies, per resent segment.
    sends = {}
    for s in rec["wire"]:
        if s["t_in"] is not None and s["kind"] in ("SYN", "SYN-ACK", "FIN",
                                                    "data"):
            sends.setdefault((s["from"], s["kind"], s["seq"], s["len"]),
                             []).append(s["t_in"])
    for (who, k, _, _), ts in sends.items():
        if len(ts) > 1:
            f["intervals"][f"{who} {k}"] = [round(b - a, 3) for a, b in
                                            zip(ts, ts[1:])]
    f["holders"] = rec.get("holders", {})
    for ns, views in rec["trackers"].items():
        f["outcome"][ns] = [v["outcome"] for v in views]
        f["anomalies"][ns] = [v["anomalies"] for v in views]
    return f


def check(rec, exp):
    """The scenario's expectations (an Expect) against the facts of its
    record: [{name, ok, detail}]. Every fact the scenario's text states is
    one of these; a detail shows what was expected as the record keeps
    it."""
    f, kept = rec["facts"], exp.to_json()
    out = []

    def eq(name, got, want):
        out.append({"name": name, "ok": got == want,
                    "detail": f"got {got!r}, want {want!r}"})

    def counts(got, want):
        """got {segment: n} against want {segment: Range} (a segment that
        may be missing has a Range from 0)."""
        return set(got) <= set(want) and all(got.get(k, 0) in r
                                              for k, r in want.items())

    for who in WHO:
        if getattr(exp, who) is not None:
            eq(f"{who}'s states (its own tracker)", f["states"][who],
               getattr(exp, who))
    # The lost segments in order, or as counts where Linux races.
    if exp.lost_counts is not None:
        got = {}
        for k in f["lost"]:
            got[k] = got.get(k, 0) + 1
        out.append({"name": "segments lost in the network",
                    "ok": counts(got, exp.lost_counts),
                    "detail": f"got {f['lost']!r}, want {kept['lost']!r}"})
    else:
        eq("segments lost in the network", f["lost"], exp.lost or [])
    if exp.injected is not None or f["injected"]:
        eq("segments the network made up", f["injected"],
           exp.injected or [])
    out.append({"name": "retransmissions on the wire",
                "ok": counts(f["resent"], exp.resent),
                "detail": f"got {f['resent']!r}, want "
                f"{kept.get('resent', {})!r}"})
    # Retransmission timers: each wait, within a quarter (and 0.25 s).
    for k, want in exp.intervals.items():
        got = f["intervals"].get(k, [])
        ok = len(got) == len(want) and all(
            abs(g - w) <= max(0.25, w / 4) for g, w in zip(got, want))
        out.append({"name": f"time between the {k}'s copies (s)",
                    "ok": ok, "detail": f"got {got!r}, want about {want!r}"})
    # Notes the text speaks of: "why on FLAGS" in who's own tracker.
    for who, notes in exp.notes.items():
        have = [f"{n['why']} on {n['flags']}" if n["flags"] else n["why"]
                for fl in rec["timelines"][who] for n in fl["notes"]]
        for n in notes:
            out.append({"name": f"{who}'s tracker notes {n}",
                        "ok": n in have, "detail": f"it noted {have!r}"})
    # What the applications saw.
    for text in exp.steps:
        out.append({"name": f"step: {text}",
                    "ok": any(text in st["text"] for st in rec["steps"]),
                    "detail": "not among the steps"})
    # The tracker notes each resent SYN, SYN-ACK and FIN, and the first of
    # a run of resent data: it must have seen what the wire shows.
    tr = {k: v for k, v in f["resent"].items() if not k.endswith(" data")}
    got = {k: v for k, v in f["resent_tracker"].items()
           if not k.endswith(" data")}
    eq("retransmissions the senders' trackers noted", got, tr)
    for who, want in exp.holders.items():
        eq(f"who holds the {who}'s socket at the end, as its tracker "
           "named it", (f["holders"].get(who) or [None])[-1], want)
    for ns, want in exp.outcome.items():
        eq(f"outcome ({ns}'s tracker)", f["outcome"][ns], want)
    for ns, want in exp.anomalies.items():
        eq(f"anomalies ({ns}'s tracker)", f["anomalies"][ns], want)
    for p in rec["pauses"]:
        for who, e in p["endpoints"].items():
            got = (e["tracker"], e["ss"])
            want = (e["want_tracker"], e["want_ss"])
            out.append({"name": f"pause '{p['label']}': {who} "
                        "(tracker, ss)", "ok": got == want,
                        "detail": f"got {got!r}, want {want!r}"})
    return out


def build(run, outdir=None, error=None):
    """The record of a finished Run; with outdir, also written there."""
    lab, scen = run.lab, run.scen
    names = Names(ADDR)
    events = {}
    for who, mon in lab.mon.items():
        lines = mon.lines(run.starts[who], run.ends[who])
        keep = []
        for ln in lines:
            e = json.loads(ln)
            if "client" in e and (port_of(e["client"]) in run.ports or
                                  port_of(e["server"]) in run.ports):
                keep.append(ln)
        events[who] = keep
    segs = [s for s in wire.segments(f"{lab.workdir}/wire.pcap", run.ports)
            if run.t0 - 1 <= (s["t_in"] or s["t_out"]) <= run.t_end]
    t0 = min([s["t_in"] if s["t_in"] is not None else s["t_out"]
              for s in segs] or [run.t0])
    rec = {
        "scenario": scen.name,
        "group": scen.group,
        "title": scen.title,
        "question": scen.question,
        "network": scen.network,
        "answer": scen.answer,
        "expect": scen.expect.to_json(),
        "kernel": os.environ.get("TT_KERNEL", "?"),
        "kernel_release": os.environ.get("TT_KVER", "?"),
        "endpoints": {"client": run.client.ep, "server": run.server.ep},
        "lab": {"sysctls": SYSCTLS, "rto_min": RTO_MIN,
                "module": MODULE_PARAMS, "config": scen.config},
        "duration": run.duration,
        "commands": run.commands,
        "steps": run.steps,
        "pauses": run.pauses,
    }
    # One clock for the whole record: 0 is the first segment on the wire.
    shift = t0 - run.t0
    for key in ("commands", "steps", "pauses"):
        for item in rec[key]:
            item["t"] = round(item["t"] - shift, 3)
    parsed = {w: [json.loads(ln) for ln in events[w]] for w in events}
    rec["timelines"] = {who: timelines(parsed[who], ADDR[who], segs, t0)
                        for who in WHO}
    rec["trackers"] = {w: tracker_views(parsed[w]) for w in parsed}
    rec["holders"] = {who: holders(parsed[who], ADDR[who]) for who in WHO}
    rec["wire"] = wire_facts(segs, names, t0)
    rec["facts"] = facts_of(rec)
    rec["checks"] = [{"name": "ran to the end", "ok": error is None,
                      "detail": error or ""}] + check(rec, scen.expect)
    if outdir:
        os.makedirs(outdir, exist_ok=True)
        for who, lines in events.items():
            with open(os.path.join(outdir, f"{who}.jsonl"), "w") as f:
                f.write("".join(ln + "\n" for ln in lines))
        keep = []
        for t, lt, pkt in wire.read_pcap(f"{lab.workdir}/wire.pcap"):
            s = wire.parse_segment(t, lt, pkt)
            if s and (s["sport"] in run.ports or s["dport"] in run.ports) \
                    and run.t0 - 1 <= t <= run.t_end:
                keep.append((t, pkt))
        wire.write_pcap(os.path.join(outdir, "wire.pcap"), keep)
        with open(os.path.join(outdir, "run.json"), "w") as f:
            json.dump(rec, f, indent=1, sort_keys=False)
            f.write("\n")
    return rec
