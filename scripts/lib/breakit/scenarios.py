# SPDX-License-Identifier: GPL-2.0
"""The scenarios of the break-it lab.

Each answers one question of the note (docs/lab.md): what happens when the
network breaks at this step? A scenario is a function that drives real
sockets in the client and server namespaces and breaks "the network" (the
router) with nft and tc, plus the words of the page: the question, how the
network is broken, the answer, and the facts the answer states, which the
run must show (an Expect, expect.py; the tests and `make lab` check them
all), and the pause points (s.watch.pause, run.py) where each endpoint's
tracker and ss must show the given state.
"""

import socket
from dataclasses import dataclass, field
from typing import Callable

from .expect import Expect, Range, Seen
from .topology import ADDR

SCENARIOS = []
GROUPS = ("handshake", "close", "simultaneous", "cut", "crafted")


@dataclass
class Scenario:
    """A scenario: its function (given a Run), its words and its facts;
    config: `tcptracectl config` settings for its run."""

    fn: Callable
    name: str
    group: str
    title: str
    question: str
    network: str
    answer: str
    expect: Expect
    config: dict = field(default_factory=dict)
    scapy: bool = False


def scenario(**kw):
    def add(fn):
        SCENARIOS.append(Scenario(fn, **kw))
        return fn
    return add


def find(names):
    """Scenarios by name or group, in the lab's order; all for none."""
    if not names:
        return list(SCENARIOS)
    out = []
    for s in SCENARIOS:
        if s.name in names or s.group in names:
            out.append(s)
    unknown = set(names) - {s.name for s in SCENARIOS} - set(GROUPS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    return out


# --- building blocks ----------------------------------------------------------

def established(s):
    """A connection, handshake done on both ends."""
    lsock = s.server.listen()
    c = s.client.connect()
    a = s.server.accept(lsock)
    s.watch.wait_state("server", "ESTABLISHED")
    return c, a


def eof(sock):
    """Read until the peer's FIN (recv() returns b"")."""
    sock.settimeout(30)
    while sock.recv(4096):
        pass


# Each endpoint's states through a handshake and the textbook close, the
# client closing first.
ACTIVE_CLOSE = ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                "FIN_WAIT_2", "TIME_WAIT"]
PASSIVE_CLOSE = ["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
                 "LAST_ACK", "CLOSED"]


# How every namespace's tracker ends a connection closed by FINs.
COMPLETED = {"client": "completed", "server": "completed",
             "router": "completed"}


def server_closes(s, a):
    """The second half of the close: the server reads the client's FIN and
    closes; the client ends in TIME_WAIT, the server's socket is gone."""
    eof(a)
    s.server.close(a)
    s.watch.wait_state("client", "TIME_WAIT")
    s.watch.wait_state("server", None)
    s.watch.pause("closed", {"client": "TIME_WAIT", "server": None})


def close_four_way(s, c, a):
    """The textbook close: the client first; the server when the client
    sits in FIN_WAIT_2."""
    s.client.close(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    server_closes(s, a)


# --- handshake ----------------------------------------------------------------

@scenario(
    name="syn-lost", group="handshake",
    title="Handshake step 1: the SYN is lost",
    question="The client's SYN never reaches the server. What happens to "
    "each side?",
    network="The router drops the client's first two SYNs.",
    answer="Nothing happens at the server: it never heard of the "
    "connection and has no state for it (its tracker has no flow, ss shows "
    "only the listening socket). The client waits in SYN_SENT and sends "
    "its SYN again each time its retransmission timer runs out: after 1 s, "
    "then after 2 s more (the timer doubles). The third SYN gets through "
    "and the handshake completes as usual, 3 s late. Only the client knows "
    "that anything went wrong: its tracker raised retrans-syn, while the "
    "server's and the router's saw one ordinary SYN.",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["client SYN", "client SYN"],
        resent={"client SYN": 2},
        intervals={"client SYN": [1, 2]},
        outcome=COMPLETED,
        anomalies={"client": ["retrans-syn"], "server": [],
                   "router": []},
    ))
def syn_lost(s):
    lsock = s.server.listen()
    s.net.drop("the router drops the client's SYN, twice", "client",
               "tcp flags & (syn|ack) == syn", count=2)
    c = s.client.connect(wait=False)
    s.watch.wait_note("client", "retransmitted-syn")
    s.watch.pause("the SYN and its first resend are lost",
                  {"client": "SYN_SENT", "server": None})
    s.watch.wait_state("client", "ESTABLISHED")
    c.setblocking(True)
    a = s.server.accept(lsock)
    s.watch.pause("the third SYN got through",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    close_four_way(s, c, a)


@scenario(
    name="synack-lost", group="handshake",
    title="Handshake step 2: the SYN-ACK is lost",
    question="The server's SYN-ACK never reaches the client. What happens "
    "to each side?",
    network="The router drops the server's first SYN-ACK.",
    answer="Now both sides have state and both wait: the server in "
    "SYN_RECEIVED, holding a half-open connection (the next scenario shows "
    "it in ss), the client in SYN_SENT. Both have a 1 s timer. The server sends its "
    "SYN-ACK again when its timer runs out, and also at once when the "
    "client's repeated SYN arrives; the client sends its SYN again when "
    "its own timer runs out first. The two timers end within a millisecond "
    "of each other, so which of these happen changes from run to run: one "
    "or two SYN-ACK resends, at most one SYN resend. As soon as a SYN-ACK "
    "arrives, the client acknowledges it and both sides are ESTABLISHED.",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["server SYN-ACK"],
        resent={"server SYN-ACK": Range(1, 2), "client SYN": Range(0, 1)},
        outcome=COMPLETED,
    ))
def synack_lost(s):
    lsock = s.server.listen()
    s.net.drop("the router drops the server's SYN-ACK, once", "server",
               "tcp flags & (syn|ack) == syn|ack", count=1)
    c = s.client.connect(wait=False)
    s.watch.wait_state("client", "ESTABLISHED")
    c.setblocking(True)
    a = s.server.accept(lsock)
    s.watch.wait_state("server", "ESTABLISHED")
    s.watch.pause("connected",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    close_four_way(s, c, a)


@scenario(
    name="ack-lost", group="handshake",
    title="Handshake step 3: the final ACK is lost",
    question="The client's ACK of the SYN-ACK never reaches the server, and "
    "the client has nothing to send. What happens to each side?",
    network="The router drops the client's first two bare ACKs (segments "
    "whose only flag is ACK).",
    answer="The client is ESTABLISHED as soon as it sends its ACK: for it "
    "the handshake is over. The server is still in SYN_RECEIVED, waiting "
    "for that ACK, and accept() does not return. The two ends disagree "
    "about whether there is a connection at all, and ss shows it in each "
    "namespace (ESTAB in the client's, SYN-RECV in the server's). After 1 s "
    "the server sends its SYN-ACK again; the client answers with the same "
    "ACK (lost too here). After 2 s more the server tries once more, that "
    "ACK arrives, and the server is ESTABLISHED, 3 s after the client. "
    "Nothing told the client that anything was wrong.",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["client ACK", "client ACK"],
        resent={"server SYN-ACK": 2},
        intervals={"server SYN-ACK": [1, 2]},
        outcome=COMPLETED,
        anomalies={"client": ["retrans-synack"],
                   "server": ["retrans-synack"],
                   "router": ["retrans-synack"]},
    ))
def ack_lost(s):
    lsock = s.server.listen()
    s.net.drop("the router drops the client's bare ACKs, twice", "client",
               "tcp flags == ack", count=2)
    c = s.client.connect()
    s.watch.wait_note("server", "retransmitted-synack")
    s.watch.pause("the client is connected, the server is not",
                  {"client": "ESTABLISHED", "server": "SYN_RECEIVED"})
    s.watch.wait_state("server", "ESTABLISHED")
    a = s.server.accept(lsock)
    s.watch.pause("connected",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    close_four_way(s, c, a)


@scenario(
    name="ack-lost-data", group="handshake",
    title="Handshake step 3: the final ACK is lost, and the client sends",
    question="The client's final ACK is lost, but the client sends data at "
    "once. What does the data do?",
    network="The router drops the client's first bare ACK.",
    answer="Every segment after the SYN carries the ACK flag and the "
    "acknowledgment of the SYN-ACK, so the client's first data segment "
    "does what the lost ACK would have done: it reaches the server in "
    "SYN_RECEIVED, acknowledges its SYN, and the server becomes ESTABLISHED "
    "on that segment (its tracker notes handshake-done on PSH,ACK) and "
    "gets the data. Nothing is sent again: the loss cost nothing.",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["client ACK"],
        notes={"server": ["handshake-done on PSH,ACK"]},
        outcome=COMPLETED,
        anomalies={"client": [], "server": [], "router": []},
    ))
def ack_lost_data(s):
    lsock = s.server.listen()
    s.net.drop("the router drops the client's bare ACK, once", "client",
               "tcp flags == ack", count=1)
    c = s.client.connect()
    s.client.send(c, b"hello")
    a = s.server.accept(lsock)
    a.settimeout(10)
    got = a.recv(100)
    s.step(f"server: received {got!r}")
    s.watch.pause("connected",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    close_four_way(s, c, a)


# --- close --------------------------------------------------------------------

@scenario(
    name="fin-lost", group="close",
    title="Close step 1: the first FIN is lost",
    question="The client closes, and its FIN is lost. What happens to each "
    "side?",
    network="The router drops the client's first two FINs.",
    answer="The client has closed: it is in FIN_WAIT_1, waiting for the ACK "
    "of its FIN. The server knows nothing: it is still ESTABLISHED. A FIN "
    "is sent again like data: the client's retransmission timer resends it "
    "after 1 s (the lab's shortest retransmission timeout), then after 2 s "
    "more. The third copy arrives: the server goes to CLOSE_WAIT and "
    "acknowledges it, the client moves to FIN_WAIT_2, and the close goes "
    "on as usual. Only the client's tracker saw a FIN sent again "
    "(retrans-fin).",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["client FIN", "client FIN"],
        resent={"client FIN": 2},
        intervals={"client FIN": [1, 2]},
        outcome=COMPLETED,
        anomalies={"client": ["retrans-fin"], "server": [],
                   "router": []},
    ))
def fin_lost(s):
    c, a = established(s)
    s.net.drop("the router drops the client's FIN, twice", "client",
               "tcp flags & fin == fin", count=2)
    s.client.close(c)
    s.watch.wait_note("client", "retransmitted-fin")
    s.watch.pause("the FIN and its first resend are lost",
                  {"client": "FIN_WAIT_1", "server": "ESTABLISHED"})
    s.watch.wait_state("client", "FIN_WAIT_2")
    s.watch.pause("the resent FIN arrived",
                  {"client": "FIN_WAIT_2", "server": "CLOSE_WAIT"})
    server_closes(s, a)


@scenario(
    name="fin-ack-lost", group="close",
    title="Close step 2: the ACK of the first FIN is lost",
    question="The client's FIN arrives, but the server's ACK of it is lost. "
    "What happens to each side?",
    network="The router drops the server's first two bare ACKs (segments "
    "whose only flag is ACK).",
    answer="The server got the FIN: it is in CLOSE_WAIT, waiting for its "
    "application to close. The client did not get the ACK: it stays in "
    "FIN_WAIT_1, a pair of states the textbook drawing never shows side by "
    "side. After 1 s the client sends its FIN again; the server gets the "
    "same FIN once more (its tracker too notes retrans-fin) and "
    "acknowledges it again at once, and that ACK is lost too. The third "
    "FIN, 2 s later, gets an ACK through, and the client moves to "
    "FIN_WAIT_2.",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["server ACK", "server ACK"],
        resent={"client FIN": 2},
        intervals={"client FIN": [1, 2]},
        outcome=COMPLETED,
        anomalies={"client": ["retrans-fin"], "server": ["retrans-fin"],
                   "router": ["retrans-fin"]},
    ))
def fin_ack_lost(s):
    c, a = established(s)
    s.net.drop("the router drops the server's bare ACKs, twice", "server",
               "tcp flags == ack", count=2)
    s.client.close(c)
    s.watch.wait_note("client", "retransmitted-fin")
    s.watch.pause("the FIN arrived, its ACKs are lost",
                  {"client": "FIN_WAIT_1", "server": "CLOSE_WAIT"})
    s.watch.wait_state("client", "FIN_WAIT_2")
    s.watch.pause("the resent FIN was acknowledged",
                  {"client": "FIN_WAIT_2", "server": "CLOSE_WAIT"})
    server_closes(s, a)


@scenario(
    name="second-fin-lost", group="close",
    title="Close step 3: the second FIN is lost",
    question="The server closes too, and its FIN is lost. What happens to "
    "each side?",
    network="The router drops the server's first two FINs.",
    answer="The client is in FIN_WAIT_2: it has shut down its sending side "
    "and waits for the server's FIN. The server's application has closed: its "
    "FIN is out and it waits in LAST_ACK. The FIN is lost, and the "
    "server's retransmission timer sends it again after 1 s (lost too) and "
    "after 2 s more. This time it arrives: the client "
    "acknowledges it and enters TIME_WAIT, the server is CLOSED. The "
    "client would have waited as long as it took: its application only "
    "shut down sending and still holds the socket. One that has closed its "
    "socket waits tcp_fin_timeout at most (see the path cut in "
    "FIN_WAIT_2).",
    expect=Expect(
        client=ACTIVE_CLOSE,
        server=PASSIVE_CLOSE,
        lost=["server FIN", "server FIN"],
        resent={"server FIN": 2},
        intervals={"server FIN": [1, 2]},
        outcome=COMPLETED,
        anomalies={"client": [], "server": ["retrans-fin"],
                   "router": []},
    ))
def second_fin_lost(s):
    c, a = established(s)
    s.client.shutdown(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    eof(a)
    s.watch.pause("half closed",
                  {"client": "FIN_WAIT_2", "server": "CLOSE_WAIT"})
    s.net.drop("the router drops the server's FIN, twice", "server",
               "tcp flags & fin == fin", count=2)
    s.server.close(a)
    s.watch.wait_note("server", "retransmitted-fin")
    s.watch.pause("the second FIN and its first resend are lost",
                  {"client": "FIN_WAIT_2", "server": "LAST_ACK"})
    s.watch.wait_state("client", "TIME_WAIT")
    s.watch.wait_state("server", None)
    s.watch.pause("closed", {"client": "TIME_WAIT", "server": None})


@scenario(
    name="last-ack-lost", group="close",
    title="Close step 4: the last ACK is lost (why TIME_WAIT)",
    question="The client's last ACK, the one that acknowledges the server's "
    "FIN, is lost. What happens, and why does the client wait in TIME_WAIT?",
    network="The router drops the client's ACK of the server's FIN, and "
    "the next bare ACK of the client too.",
    answer="The client thinks the connection is over: it is in TIME_WAIT. "
    "The server does not: it waits in LAST_ACK and after 1 s sends its FIN "
    "again. That FIN needs an answer, and TIME_WAIT is what gives it one: "
    "the client still remembers the connection and acknowledges the FIN "
    "again (its tracker notes time-wait-restart: Linux starts TIME_WAIT "
    "over when a FIN comes again). That ACK is lost too; the server tries "
    "once more after 2 s, and this time it closes cleanly. That is why the "
    "side that closes first waits 2 MSL before it forgets the connection: "
    "its last ACK may be lost, and the FIN sent again must find someone "
    "who remembers. The tracker ends its TIME_WAIT after 2 * msl (msl is "
    "2 s in this scenario); Linux's always lasts 60 s, so at the last "
    "pause ss still shows TIME-WAIT.",
    expect=Expect(
        client=ACTIVE_CLOSE + ["CLOSED"],
        server=PASSIVE_CLOSE,
        lost=["client ACK", "client ACK"],
        resent={"server FIN": 2},
        intervals={"server FIN": [1, 2]},
        notes={"client": ["time-wait-restart on FIN,ACK",
                          "time-wait-done"]},
        outcome=COMPLETED,
        anomalies={"client": ["retrans-fin"], "server": ["retrans-fin"],
                   "router": ["retrans-fin"]},
    ), config={"msl": 2})
def last_ack_lost(s):
    c, a = established(s)
    s.client.close(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    eof(a)
    s.net.drop("the router drops the client's bare ACKs, twice", "client",
               "tcp flags == ack", count=2)
    s.server.close(a)
    s.watch.wait_note("client", "time-wait-restart")
    s.watch.pause("the last ACK is lost, and the ACK of the resent FIN too",
                  {"client": "TIME_WAIT", "server": "LAST_ACK"})
    s.watch.wait_state("server", None)
    s.watch.pause("the resent FIN was acknowledged",
                  {"client": "TIME_WAIT", "server": None})
    s.watch.wait_note("client", "time-wait-done")
    s.watch.pause("the tracker's TIME_WAIT is over (2 * msl); Linux's lasts "
                  "60 s",
                  {"client": Seen(None, "TIME_WAIT"), "server": None})


@scenario(
    name="last-ack-lost-no-time-wait", group="close",
    title="Close step 4 again: the last ACK is lost, and there is no "
          "TIME_WAIT",
    question="What if the client forgot the connection at once instead of "
    "waiting in TIME_WAIT?",
    network="The router drops the client's ACK of the server's FIN and "
    "the server's first FIN resend (which leaves time to look at both "
    "ends); the client's TIME_WAIT socket is ended at once with ss -K.",
    answer="The server sends its FIN again after 1 s (lost) and 2 s later, "
    "as before, but now nobody remembers the connection: the client's kernel answers a segment "
    "of a connection it does not know with RST. The server's connection "
    "ends in a reset instead of a clean close (its tracker: "
    "reset-by-client). The client's tracker cannot see ss -K, which sends "
    "nothing: it shows TIME_WAIT while ss shows no socket, until the RST. "
    "The three trackers end this flow in two ways: the client's says "
    "completed (it saw both FINs acknowledged), the server's and the "
    "router's say reset-by-client.",
    expect=Expect(
        client=ACTIVE_CLOSE + ["CLOSED"],
        server=PASSIVE_CLOSE,
        lost=["client ACK", "server FIN"],
        resent={"server FIN": 2},
        intervals={"server FIN": [1, 2]},
        notes={"server": ["reset on RST"]},
        outcome={"client": "completed", "server": "reset-by-client",
                 "router": "reset-by-client"},
    ))
def last_ack_lost_no_tw(s):
    c, a = established(s)
    s.client.close(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    eof(a)
    s.net.drop("the router drops the client's bare ACK, once", "client",
               "tcp flags == ack", count=1)
    s.net.drop("the router lets the server's FIN through, then drops its "
               "next one", "server", "tcp flags & fin == fin", count=1, skip=1)
    s.server.close(a)
    s.watch.wait_state("client", "TIME_WAIT")
    s.client.kill_time_wait()
    s.watch.pause("the last ACK is lost, and the client forgot the connection",
                  {"client": Seen("TIME_WAIT", None), "server": "LAST_ACK"})
    s.watch.wait_note("server", "reset")
    s.watch.pause("the resent FIN was answered with RST",
                  {"client": None, "server": None})


@scenario(
    name="fin-with-ack", group="close",
    title="The server's FIN arrives in FIN_WAIT_1: straight to TIME_WAIT",
    question="The server's FIN reaches the client while the client is still "
    "in FIN_WAIT_1, waiting for the ACK of its own FIN. What happens?",
    network="The router drops the server's bare ACKs (first of all its ACK "
    "of the client's FIN); the server's application closes as soon as that "
    "ACK is on the wire.",
    answer="The next segment the client gets is the server's FIN, and like "
    "every segment after the SYN it carries an acknowledgment, here of the "
    "client's FIN. The client takes both at once and goes from FIN_WAIT_1 "
    "straight to TIME_WAIT, never through FIN_WAIT_2 (its tracker: "
    "fin-and-ack): the case the note describes. Linux often does this "
    "without any loss: after a FIN it holds its ACK back for a moment, and "
    "if the application closes in time the ACK rides on its FIN. Whether "
    "it does is a race with the application, so the lab drops the bare "
    "ACK to make it happen every time. (On a slow machine the client's "
    "1 s timer may send its FIN again before the server's FIN comes; the "
    "server's bare ACK of it is dropped too, and nothing else changes.)",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                "TIME_WAIT"],
        server=PASSIVE_CLOSE,
        lost_counts={"server ACK": Range(1, 2)},
        resent={"client FIN": Range(0, 1)},
        notes={"client": ["fin-and-ack on FIN,ACK"]},
        outcome=COMPLETED,
    ))
def fin_with_ack(s):
    c, a = established(s)
    s.net.drop("the router drops the server's bare ACKs", "server",
               "tcp flags == ack")
    s.client.close(c)
    s.watch.wait_wire("server", "ACK")
    server_closes(s, a)


# --- simultaneous ---------------------------------------------------------------

@scenario(
    name="simultaneous-open", group="simultaneous",
    title="Simultaneous open: both send a SYN",
    question="Both ends connect() to each other at the same moment. Who is "
    "the client?",
    network="Both sockets connect() to each other at once; the router "
    "delays every segment by 200 ms (tc netem), so the two SYNs cross.",
    answer="Nobody listens. Each end sends its SYN and is in SYN_SENT; each "
    "then receives the other's SYN, which does not answer its own, goes to "
    "SYN_RECEIVED and answers it with a SYN-ACK (RFC 793, figure 8). Each "
    "SYN-ACK acknowledges the other's SYN, so each end becomes ESTABLISHED "
    "when it arrives, and acknowledges its SYN in turn. Neither end is the "
    "server: each namespace's tracker calls its own end the client, since "
    "it saw its own SYN first (the ladder's left side is the client "
    "namespace's). The close then goes as usual.",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
                "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT"],
        server=["CLOSED", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
                "CLOSE_WAIT", "LAST_ACK", "CLOSED"],
        notes={"client": ["simultaneous-open on SYN"],
               "server": ["simultaneous-open on SYN"]},
        outcome=COMPLETED,
        anomalies={"client": [], "server": [], "router": []},
    ))
def simultaneous_open(s):
    s.net.netem("delay 200ms", "the router delays every segment by 200 ms, "
                "both ways, so that the two SYNs cross")
    c = s.client.bound_socket()
    a = s.server.bound_socket()
    s.step("client and server: connect() to each other at once")
    c.connect_ex((ADDR["server"], s.server.port))
    a.connect_ex((ADDR["client"], s.client.port))
    s.watch.wait_state("client", "ESTABLISHED")
    s.watch.wait_state("server", "ESTABLISHED")
    s.watch.pause("both connected",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    s.net.netem(None, "the delay goes")
    c.setblocking(True)
    a.setblocking(True)
    close_four_way(s, c, a)


@scenario(
    name="simultaneous-close", group="simultaneous",
    title="Simultaneous close: both send a FIN (CLOSING)",
    question="Both ends close at the same moment. Who waits in TIME_WAIT?",
    network="Both applications call shutdown() at once; the router delays "
    "every segment by 200 ms, so the two FINs cross.",
    answer="Each end sends its FIN and is in FIN_WAIT_1. Each then receives "
    "the other's FIN before the ACK of its own: that is CLOSING, the one "
    "state of the diagram that only this case reaches. Each acknowledges "
    "the other's FIN, and when the ACK of its own FIN arrives, goes to "
    "TIME_WAIT. Both ends closed actively, so both wait in TIME_WAIT.",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                "CLOSING", "TIME_WAIT"],
        server=["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
                "CLOSING", "TIME_WAIT"],
        outcome=COMPLETED,
        anomalies={"client": [], "server": [], "router": []},
    ))
def simultaneous_close(s):
    c, a = established(s)
    s.net.netem("delay 200ms", "the router delays every segment by 200 ms, "
                "both ways, so that the two FINs cross")
    s.step("client and server: shutdown(SHUT_WR) at once")
    c.shutdown(socket.SHUT_WR)
    a.shutdown(socket.SHUT_WR)
    s.watch.wait_state("client", "TIME_WAIT")
    s.watch.wait_state("server", "TIME_WAIT")
    s.watch.pause("both in TIME_WAIT", {"client": "TIME_WAIT",
                                        "server": "TIME_WAIT"})


# --- the path cut for good ------------------------------------------------------

@scenario(
    name="cut-established", group="cut",
    title="The path is cut in ESTABLISHED",
    question="The network breaks for good while the connection is open, and "
    "the client sends. What is left behind, and for how long?",
    network="The router drops every segment of the connection, both ways; "
    "then the client sends 14 bytes.",
    answer="The client's data is never acknowledged. Its timer sends it "
    "again after 1 s and 2 s more; at the next timeout, with 3 s of "
    "resends behind it (tcp_retries2 = 3 here), the kernel gives up: the "
    "socket is gone and the application's next call fails with ETIMEDOUT. Giving up sends "
    "nothing, so nothing tells the server: its socket stays ESTABLISHED, a "
    "half-open connection it keeps for as long as it sends nothing (TCP "
    "keepalive, off by default, would find out after two hours). The "
    "trackers see only segments, like conntrack: the client's still shows "
    "ESTABLISHED after its socket died, and both drop the flow after "
    "idle_timeout (15 s here) with outcome timed-out. What is left behind: "
    "the server's ESTABLISHED socket, for good.",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "ESTABLISHED"],
        server=["LISTEN", "SYN_RECEIVED", "ESTABLISHED"],
        lost=["client data", "client data", "client data"],
        resent={"client data": 2},
        intervals={"client data": [1, 2]},
        steps=["client: recv() fails: Connection timed out"],
        outcome={"client": "timed-out", "server": "timed-out",
                 "router": "timed-out"},
        anomalies={"client": ["retrans-data"], "server": [],
                   "router": []},
    # The server's tracker last sees the handshake's ACK, the client gives
    # up about 9.7 s later: with the lab's 10 s the server's flow could end
    # before the pause that shows it, once timers ran on time.
    ), config={"idle-timeout": 15})
def cut_established(s):
    c, a = established(s)
    s.net.cut()
    s.client.send(c, b"are you there?")
    s.watch.wait_note("client", "retransmitted-data")
    s.watch.pause("the client resends into the void",
                  {"client": "ESTABLISHED", "server": "ESTABLISHED"})
    s.watch.wait_state("client", None, timeout=20)
    try:
        c.recv(1)
    except OSError as e:
        s.step(f"client: recv() fails: {e.strerror}")
    s.watch.pause("the client gave up; nothing told the server",
                  {"client": Seen("ESTABLISHED", None),
                   "server": "ESTABLISHED"})
    s.watch.wait_end("client")
    s.watch.wait_end("server")
    s.watch.pause("the trackers forgot it (idle_timeout); the server's socket "
                  "stays", {"client": None,
                            "server": Seen(None, "ESTABLISHED")})


@scenario(
    name="cut-fin-wait-2", group="cut",
    title="The path is cut in FIN_WAIT_2",
    question="The network breaks for good after the client's FIN was "
    "acknowledged, and then the server closes. What is left behind, and "
    "for how long?",
    network="Once the client is in FIN_WAIT_2 (and the server in "
    "CLOSE_WAIT), the router drops every segment of the connection; then "
    "the server's application closes.",
    answer="The server's FIN never arrives. The server, in LAST_ACK, sends "
    "it again after 1 s and 2 s more, then gives up at the next timeout "
    "(tcp_orphan_retries: its application has closed, there is nobody to "
    "tell) and its socket is gone. The client waits in FIN_WAIT_2 for a FIN "
    "that will not come; since its application has closed too, Linux gives "
    "it tcp_fin_timeout (5 s here, 60 s by default) and then drops it. Both "
    "give up silently. The trackers cannot see a socket give up: they show "
    "FIN_WAIT_2 and LAST_ACK until idle_timeout, outcome timed-out.",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                "FIN_WAIT_2"],
        server=["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
                "LAST_ACK"],
        lost=["server FIN", "server FIN", "server FIN"],
        resent={"server FIN": 2},
        intervals={"server FIN": [1, 2]},
        outcome={"client": "timed-out", "server": "timed-out",
                 "router": "timed-out"},
        anomalies={"client": [], "server": ["retrans-fin"],
                   "router": []},
    ))
def cut_fin_wait_2(s):
    c, a = established(s)
    s.client.close(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    eof(a)
    s.net.cut()
    s.server.close(a)
    s.watch.wait_note("server", "retransmitted-fin")
    s.watch.pause("the server's FIN goes nowhere",
                  {"client": "FIN_WAIT_2", "server": "LAST_ACK"})
    s.watch.wait_state("client", None, timeout=20)
    s.watch.wait_state("server", None, timeout=20)
    s.watch.pause("both sockets gave up",
                  {"client": Seen("FIN_WAIT_2", None),
                   "server": Seen("LAST_ACK", None)})
    s.watch.wait_end("client")
    s.watch.wait_end("server")
    s.watch.pause("the trackers forgot it (idle_timeout)",
                  {"client": None, "server": None})


@scenario(
    name="cut-close-wait", group="cut",
    title="The path is cut in CLOSE_WAIT",
    question="The network breaks for good after the client's FIN arrived, "
    "and the server's application never closes. What is left behind, and "
    "for how long? Who is to blame?",
    network="Once the client is in FIN_WAIT_2 and the server in CLOSE_WAIT, "
    "the router drops every segment of the connection. The server's "
    "application, a program called leaky-server, reads to the end and "
    "does not close.",
    answer="The client gives up FIN_WAIT_2 after tcp_fin_timeout (5 s "
    "here), silently. The server stays in CLOSE_WAIT: no timer ends "
    "CLOSE_WAIT, only the application's close(). A program that forgets "
    "to close its sockets piles them up in CLOSE_WAIT, a classic leak that "
    "ss shows. The server's tracker names the program that never closed, "
    "as ss -p does: `tcptracectl show` says `CLOSE_WAIT (pid N "
    "leaky-server, uid 0)`, and its monitor's server_processes name "
    "leaky-server to the end. The trackers forget the flow after "
    "idle_timeout (outcome timed-out) while ss still shows CLOSE-WAIT.",
    expect=Expect(
        client=["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                "FIN_WAIT_2"],
        server=["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT"],
        outcome={"client": "timed-out", "server": "timed-out",
                 "router": "timed-out"},
        anomalies={"client": [], "server": [], "router": []},
        steps=["leaky-server, uid 0)", '(("leaky-server",pid='],
        holders={"server": ["leaky-server"]},
    ))
def cut_close_wait(s):
    c, a = established(s)
    app = s.server.hand_over(a, "leaky-server")
    s.client.close(c)
    s.watch.wait_state("client", "FIN_WAIT_2")
    app.wait_eof()
    s.net.cut()
    s.watch.pause("half closed, and cut",
                  {"client": "FIN_WAIT_2", "server": "CLOSE_WAIT"})
    s.watch.holders("server")
    s.watch.wait_state("client", None, timeout=20)
    s.watch.pause("the client gave up waiting for the FIN",
                  {"client": Seen("FIN_WAIT_2", None),
                   "server": "CLOSE_WAIT"})
    s.watch.wait_end("server")
    s.watch.wait_end("client")
    s.watch.pause("the trackers forgot it; the server's application has not "
                  "closed",
                  {"client": None, "server": Seen(None, "CLOSE_WAIT")})
    s.watch.ss_users("server")


# --- crafted segments -----------------------------------------------------------

def _scapy():
    from scapy.all import IP, TCP, Ether  # noqa: F401  (slow: ~10 s)
    return IP, TCP, Ether


@scenario(
    name="old-duplicate-syn", group="crafted",
    title="An old duplicate SYN: why three steps, not two",
    question="A SYN held up in the network arrives long after its "
    "connection is gone. Why does the handshake need three steps?",
    network="A connection is made and closed; the client's TIME_WAIT is "
    "ended with ss -K (as if its 60 s had passed). Then the router delivers "
    "a copy of the client's first SYN, made with scapy from the capture, as "
    "if it had been held up in the network all this time.",
    answer="The server cannot tell an old SYN from a new one: it answers "
    "with a SYN-ACK and enters SYN_RECEIVED, holding a half-open "
    "connection. With a two-step handshake that SYN-ACK would have opened "
    "the connection, and the server would wait for data from a client that "
    "never asked for it. With three steps the server waits for the "
    "client's ACK, and the client, which never sent this SYN and has no "
    "socket for it, answers the SYN-ACK with RST. The server takes the RST "
    "and frees what it held (half-open-reset). The client's tracker had no "
    "flow when the SYN-ACK came: it picks the connection up and assumes a "
    "client in SYN_SENT, as it must when it joins late; the RST ends that "
    "at once (reject-synack).",
    expect=Expect(
        client=[["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                 "FIN_WAIT_2", "TIME_WAIT", "CLOSED"],
                ["SYN_SENT", "CLOSED"]],
        server=[["LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
                 "LAST_ACK", "CLOSED"],
                ["LISTEN", "SYN_RECEIVED", "CLOSED"]],
        injected=["client SYN"],
        notes={"client": ["reject-synack on RST"],
               "server": ["half-open-reset on RST"]},
        outcome={"client": ["completed", "half-open"],
                 "server": ["completed", "half-open"]},
        anomalies={"server": [[], ["half-open"]]},
        flows=2,
    ), scapy=True, config={"msl": 1})
def old_duplicate_syn(s):
    IP, TCP, Ether = _scapy()
    c, a = established(s)
    close_four_way(s, c, a)
    s.client.kill_time_wait()
    s.watch.wait_gone("client")
    # The client's first SYN as the capture kept it; its checksum was left
    # to the veth (offload), so scapy computes it anew.
    syn = TCP(s.watch.first_syn())
    del syn.chksum
    frame = (Ether(src=s.net.mac("router", "r1"),
                   dst=s.net.mac("server", "s0")) /
             IP(src=ADDR["client"], dst=ADDR["server"], ttl=63) / syn)
    s.net.inject(bytes(frame), "the network delivers a copy of the client's "
                 "first SYN, held back all this time",
                 f"{frame.summary()} seq={syn.seq} "
                 f"options={[o[0] for o in syn.options]}")
    s.watch.wait_note("server", "half-open-reset")
    s.watch.pause("the server let the half-open connection go",
                  {"client": None, "server": None})


def scan(s, flags, what):
    IP, TCP, _ = _scapy()
    lsock = s.server.listen()
    closed = s.extra_port()
    probes = ((s.client.port, s.server.port, "the open port"),
              (s.extra_port(), closed, "a closed port"))
    with_socket = s.client.raw_ip()
    for sport, dport, where in probes:
        s.step(f"client: sends {what} from port {sport} to {where}, "
               f"{dport} (scapy, raw socket)")
        with_socket.sendto(bytes(IP(src=ADDR["client"], dst=ADDR["server"]) /
                                 TCP(sport=sport, dport=dport, flags=flags,
                                     seq=1000, window=1024)),
                           (ADDR["server"], 0))
    with_socket.close()
    lsock.close()
    return probes


def probe_scan(s, flags, what):
    scan(s, flags, what)
    s.watch.wait_ends(2)
    s.watch.pause("probed", {"client": None, "server": None})


@scenario(
    name="syn-scan", group="crafted",
    title="A half-open SYN scan",
    question="A scanner sends a bare SYN to an open port and to a closed "
    "one. What does each answer, and why is it called half-open?",
    network="Scapy, in the client's namespace, sends a SYN to the server's "
    "open port and one to a closed port, from a raw socket: no TCP socket "
    "stands behind them.",
    answer="The open port answers with a SYN-ACK, which tells the scanner "
    "what it wanted to know. The client's kernel has no socket for it and "
    "answers RST, and the server drops its half-open connection "
    "(half-open-reset, anomaly half-open). The closed port answers the SYN "
    "with RST: refused. No handshake is ever completed, hence half-open. "
    "The client's tracker saw a SYN leave and calls the scanner's end "
    "SYN_SENT, though ss never shows a socket: scapy's raw socket is not a "
    "TCP socket.",
    expect=Expect(
        client=[["CLOSED", "SYN_SENT", "CLOSED"],
                ["CLOSED", "SYN_SENT", "CLOSED"]],
        server=[["LISTEN", "SYN_RECEIVED", "CLOSED"],
                ["LISTEN", "CLOSED"]],
        notes={"server": ["half-open-reset on RST",
                          "not-listening on RST,ACK"]},
        outcome={"client": ["half-open", "refused"],
                 "server": ["half-open", "refused"]},
        anomalies={"server": [["half-open"], []]},
        flows=2,
    ), scapy=True, config={"idle-timeout": 3})
def syn_scan(s):
    probe_scan(s, "S", "a SYN")


def stealth_scan(name, title, what, flags, shown, anomaly):
    """The FIN, NULL and XMAS scans: one probe without SYN, ACK or RST to
    an open and a closed port. They differ only in the flags (scapy's
    letters, and as the tracker shows them) and the anomaly those raise."""
    probe = [anomaly, "scan-probe"]
    scenario(
        name=name, group="crafted", title=title,
        question=f"A scanner sends {what} to an open port and to a closed "
        "one. What does each answer?",
        network=f"Scapy, in the client's namespace, sends {what} (TCP flags "
        f"{shown}) to the server's open port and to a closed port, from a "
        "raw socket.",
        answer="RFC 793 answers a segment without SYN, ACK or RST at a "
        "closed port with RST, and drops it at a listening port. So silence "
        "means open and RST means closed, and no handshake is even started. "
        f"Both trackers mark the probe (scan-probe) and its odd flags "
        f"({anomaly}); nobody changes state. The closed port's flow ends "
        "with the RST (refused); the open port's stays until idle_timeout "
        "(3 s in this scenario), outcome half-open.",
        expect=Expect(
            client=[["CLOSED"], ["CLOSED"]],
            server=[["LISTEN"], ["LISTEN", "CLOSED"]],
            notes={"client": [f"scan-probe on {shown}"],
                   "server": ["not-listening on RST,ACK"]},
            outcome={"client": ["half-open", "refused"],
                     "server": ["half-open", "refused"]},
            anomalies={"client": [probe, probe],
                       "server": [probe, probe]},
            flows=2,
        ), scapy=True, config={"idle-timeout": 3})(
            lambda s: probe_scan(s, flags, what))


stealth_scan("fin-scan", "A FIN scan", "a lone FIN", "F", "FIN",
             "fin-no-ack")
stealth_scan("null-scan", "A NULL scan", "a segment with no flags at all",
             "", "NONE", "null")
stealth_scan("xmas-scan", "An XMAS scan", "a FIN, PSH and URG segment", "FPU",
             "FIN,PSH,URG", "xmas")
