# SPDX-License-Identifier: GPL-2.0
"""What a scenario's answer states, which its run must show (record.check).

An Expect holds, per flow of the scenario (one, or flows=N):

  client, server   each endpoint's states, as its own tracker (where it is
                   local and matches ss) went through them
  outcome          {namespace: outcome} as each tracker ended the flow
                   ("open": not ended when the run ended)
  anomalies        {namespace: [anomaly, ...]} each tracker raised

and, for the whole run:

  lost             the segments that went into the network and never came
                   out (the router's capture), in order: "client SYN"
  lost_counts      the same without an order, where Linux races: {segment:
                   count}
  injected         segments the network delivered that no endpoint sent now
  resent           retransmissions on the wire: {"client SYN": 2}; the
                   sender's tracker must have noted each resent SYN, SYN-ACK
                   and FIN too
  intervals        the time between one segment's copies, in seconds
  notes            {endpoint: ["why on FLAGS", ...]} its tracker noted
  steps            texts among the run's steps (what the applications saw)
  holders          {endpoint: [command, ...]}: the programs holding its
                   socket at the end, as its own tracker's monitor named
                   them (client_processes, server_processes)

A count is an int, or a Range where Linux itself races (two timers). The
record keeps an Expect as to_json() gives it: the lists of a one-flow
scenario unnested, a Range as [least, most]. A pause point's expectation
(run.py, Observer.pause) is a state, or a Seen.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Range:
    """A count from least to most, both included; an exact count n is
    Range(n, n)."""

    least: int
    most: int

    @classmethod
    def of(cls, count):
        """A Range of an int (exact) or a Range."""
        return count if isinstance(count, Range) else cls(count, count)

    def __contains__(self, n):
        return self.least <= n <= self.most

    def to_json(self):
        return self.least if self.least == self.most else [self.least,
                                                           self.most]


@dataclass(frozen=True)
class Seen:
    """What an endpoint's own tracker and the kernel (ss) must show at a
    pause, where the two differ on purpose: a socket that died without a
    segment (the tracker cannot see it), a flow the tracker forgot while
    its socket stays. None is no flow, no socket."""

    tracker: str
    ss: str

    @classmethod
    def of(cls, state):
        """A Seen of a state both must show, or a Seen."""
        return state if isinstance(state, Seen) else cls(state, state)


@dataclass
class Expect:
    """The facts of a scenario's answer. The per-flow fields are given as
    one flow's (flows=1) or as a list of flows' (flows=N); they are kept
    as lists of flows."""

    client: list = None
    server: list = None
    lost: list = None
    lost_counts: dict = None
    injected: list = None
    resent: dict = field(default_factory=dict)
    intervals: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    holders: dict = field(default_factory=dict)
    outcome: dict = field(default_factory=dict)
    anomalies: dict = field(default_factory=dict)
    flows: int = 1

    PER_FLOW = ("client", "server")

    def __post_init__(self):
        one = self.flows == 1
        for who in self.PER_FLOW:
            states = getattr(self, who)
            if states is not None:
                setattr(self, who, [states] if one else states)
        self.outcome = {ns: [v] if one else v
                        for ns, v in self.outcome.items()}
        self.anomalies = {ns: [v] if one else v
                          for ns, v in self.anomalies.items()}
        for what in (*(getattr(self, w) for w in self.PER_FLOW),
                     *self.outcome.values(), *self.anomalies.values()):
            if what is not None and len(what) != self.flows:
                raise ValueError(f"{what!r}: not {self.flows} flows")
        self.resent = {k: Range.of(v) for k, v in self.resent.items()}
        if self.lost_counts is not None:
            self.lost_counts = {k: Range.of(v)
                                for k, v in self.lost_counts.items()}

    def to_json(self):
        """The expectations as the run record keeps them."""
        def flat(v):
            return v[0] if self.flows == 1 else v

        out = {}
        for who in self.PER_FLOW:
            if getattr(self, who) is not None:
                out[who] = flat(getattr(self, who))
        if self.lost_counts is not None:
            out["lost"] = {k: r.to_json() for k, r in
                           self.lost_counts.items()}
        elif self.lost is not None:
            out["lost"] = self.lost
        if self.injected is not None:
            out["injected"] = self.injected
        if self.resent:
            out["resent"] = {k: r.to_json() for k, r in self.resent.items()}
        for key in ("intervals", "notes", "steps", "holders"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.outcome:
            out["outcome"] = {ns: flat(v) for ns, v in self.outcome.items()}
        if self.anomalies:
            out["anomalies"] = {ns: flat(v)
                                for ns, v in self.anomalies.items()}
        return out
