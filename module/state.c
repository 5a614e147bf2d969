// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The TCP state machine of both endpoints of a flow, as RFC 793 draws it and
 * as Linux runs it, driven by the segments one host sees.
 *
 * A segment has two halves.  Its sender's half is what sending it says about
 * the sender (a SYN: the sender opens; a FIN: the sender closes).  Its
 * receiver's half is what receiving it does to the receiver (a FIN moves
 * ESTABLISHED to CLOSE_WAIT).  The caller says which halves a sighting
 * carries (TT_OBS_*): a segment seen once gets both; a segment between two
 * local sockets is seen leaving and again arriving, one half each time, so
 * that each endpoint changes state when its own socket does.
 *
 * Two transitions are shown by the reply rather than by the segment that
 * causes them, because only the reply proves them: a server enters
 * SYN_RECEIVED when its SYN-ACK is seen (a closed port answers RST instead),
 * and a client enters ESTABLISHED when its ACK of the SYN-ACK is seen (a
 * client that never asked for the connection answers RST: the reason the
 * handshake has three steps).
 *
 * Sequence numbers are followed just far enough to be right: ISNs, the
 * highest sequence number each side sent, the sequence number of each FIN and
 * whether it was acknowledged, and the last window, for RST acceptance as
 * RFC 5961 and Linux do it.
 */

#include "state.h"

#define S_CL TT_STATE_CLOSED
#define S_LI TT_STATE_LISTEN
#define S_SS TT_STATE_SYN_SENT
#define S_SR TT_STATE_SYN_RECEIVED
#define S_ES TT_STATE_ESTABLISHED
#define S_F1 TT_STATE_FIN_WAIT_1
#define S_F2 TT_STATE_FIN_WAIT_2
#define S_CW TT_STATE_CLOSE_WAIT
#define S_CG TT_STATE_CLOSING
#define S_LA TT_STATE_LAST_ACK
#define S_TW TT_STATE_TIME_WAIT

/*
 * The sender's half: what sending a segment says about its sender, by what
 * the segment is (rows) and the sender's state (columns).  An empty cell
 * changes nothing.  Retransmissions never reach this table.
 */
const u8 tt_send_rules[TT_SEND_EVENTS][__TT_STATE_MAX] = {
	[TT_SEND_ACK_SYN] = {
		/* Step 3 of the handshake: the client acknowledges the
		 * SYN-ACK, and only now do we know it wanted this connection.
		 */
		[S_SS] = TT_WHY_HANDSHAKE_ACK,
	},
	[TT_SEND_SYN] = {
		/* Step 1 of the handshake: connect(). */
		[S_CL] = TT_WHY_ACTIVE_OPEN,
		/* RFC 793 lets a listener send a SYN: simultaneous open. */
		[S_LI] = TT_WHY_LISTEN_SYN,
	},
	[TT_SEND_SYNACK] = {
		/* Step 2: a listener answers the SYN.  The SYN made it enter
		 * SYN_RECEIVED; the SYN-ACK is where we can see it did.
		 */
		[S_LI] = TT_WHY_PASSIVE_OPEN,
		/* Both sides sent SYN: each answers the other's. */
		[S_SS] = TT_WHY_SIMULTANEOUS_OPEN,
	},
	[TT_SEND_FIN] = {
		/* close() before the handshake completed (RFC 793 3.5). */
		[S_SR] = TT_WHY_EARLY_CLOSE,
		/* The active close: the first FIN. */
		[S_ES] = TT_WHY_ACTIVE_CLOSE,
		/* The passive closer's application closes too. */
		[S_CW] = TT_WHY_PASSIVE_CLOSE,
	},
	[TT_SEND_FIN_CROSSED] = {
		/* A FIN that does not acknowledge the peer's FIN, which was
		 * seen, was sent before that FIN arrived.  From SYN_RECEIVED
		 * or ESTABLISHED (on loopback the peer's FIN is still on its
		 * way) it closes as any first FIN does.
		 */
		[S_SR] = TT_WHY_EARLY_CLOSE,
		[S_ES] = TT_WHY_ACTIVE_CLOSE,
		/* Seen once, the peer's FIN moved us to CLOSE_WAIT when it
		 * was seen; our FIN shows that it had not arrived yet: both
		 * closed at once, and we wait for the ACK of ours in CLOSING.
		 */
		[S_CW] = TT_WHY_SIMULTANEOUS_CLOSE,
	},
	[TT_SEND_RST] = {
		/* Nobody listens on the port: the SYN is refused. */
		[S_LI] = TT_WHY_NOT_LISTENING,
		/* A SYN-ACK for a SYN this host never sent (an old duplicate,
		 * or a half-open scan that never meant to connect).
		 */
		[S_SS] = TT_WHY_REJECT_SYNACK,
		/* Abort: SO_LINGER 0, close() with unread data, a dead
		 * socket answering a segment, or a crafted RST.
		 */
		[S_SR] = TT_WHY_ABORT,
		[S_ES] = TT_WHY_ABORT,
		[S_F1] = TT_WHY_ABORT,
		[S_F2] = TT_WHY_ABORT,
		[S_CW] = TT_WHY_ABORT,
		[S_CG] = TT_WHY_ABORT,
		[S_LA] = TT_WHY_ABORT,
		[S_TW] = TT_WHY_ABORT,
	},
	[TT_SEND_RST_FIN_UNACKED] = {
		/* TIME_WAIT acknowledges the peer's FIN and answers a FIN
		 * again with an ACK, never with RST.  A RST from an end whose
		 * ACK of the FIN was never seen answers it for a socket that
		 * was gone: an orphan that tcp_fin_timeout took out of
		 * FIN_WAIT_2 before the FIN came (the FIN did not move it to
		 * TIME_WAIT), or a socket killed (ss -K) after an ACK that
		 * was lost on its way.
		 */
		[S_TW] = TT_WHY_SOCKET_GONE,
	},
};

/*
 * The receiver's half: what receiving a segment does to its receiver.  A
 * segment that acknowledges the receiver's SYN is applied as TT_RECV_ACK_SYN
 * first and then as what else it is, as Linux processes the ACK before the
 * FIN.  RSTs reach this table only when acceptable (rst_check()).
 */
const u8 tt_recv_rules[TT_RECV_EVENTS][__TT_STATE_MAX] = {
	[TT_RECV_ACK_SYN] = {
		/* Step 3 arrives: the server's connection is established.
		 * (A client in SYN_SENT waits for its own ACK, see above.)
		 */
		[S_SR] = TT_WHY_HANDSHAKE_DONE,
	},
	[TT_RECV_SYN] = {
		/* A listener stays in LISTEN until its SYN-ACK shows that it
		 * answered; a retransmitted SYN changes nothing.
		 */
		/* Both sides sent SYN: the peer's SYN crosses ours. */
		[S_SS] = TT_WHY_SIMULTANEOUS_OPEN,
		/* RFC 5961 4.2: a SYN on a synchronised connection draws a
		 * challenge ACK and changes nothing.
		 */
		[S_ES] = TT_WHY_SYN_CHALLENGE,
		[S_F1] = TT_WHY_SYN_CHALLENGE,
		[S_F2] = TT_WHY_SYN_CHALLENGE,
		[S_CW] = TT_WHY_SYN_CHALLENGE,
		[S_CG] = TT_WHY_SYN_CHALLENGE,
		[S_LA] = TT_WHY_SYN_CHALLENGE,
	},
	[TT_RECV_SYNACK] = {
		/* Nothing here: a client's ESTABLISHED is shown by its ACK,
		 * and a retransmitted SYN-ACK only draws another ACK.
		 */
	},
	[TT_RECV_ACK_FIN] = {
		/* Our FIN is acknowledged; the peer may still send. */
		[S_F1] = TT_WHY_FIN_ACKED,
		/* Simultaneous close: the last ACK arrives. */
		[S_CG] = TT_WHY_CLOSING_ACKED,
		/* The passive closer is done. */
		[S_LA] = TT_WHY_LAST_ACK_ACKED,
	},
	[TT_RECV_FIN] = {
		/* The passive close: the peer has no more to send. */
		[S_ES] = TT_WHY_PEER_FIN,
		/* Both sent FIN before seeing the other's. */
		[S_F1] = TT_WHY_SIMULTANEOUS_CLOSE,
		/* The second FIN of the four-way close. */
		[S_F2] = TT_WHY_SECOND_FIN,
		/* Our last ACK was lost, the peer sent its FIN again: this is
		 * what TIME_WAIT waits for.  Linux restarts the 2 * MSL timer.
		 */
		[S_TW] = TT_WHY_TIME_WAIT_RESTART,
	},
	[TT_RECV_FIN_ACK] = {
		/* FIN and the ACK of our FIN in one segment: FIN_WAIT_2 is
		 * skipped.
		 */
		[S_F1] = TT_WHY_FIN_AND_ACK,
		[S_F2] = TT_WHY_SECOND_FIN,
		[S_CG] = TT_WHY_CLOSING_ACKED,
		[S_LA] = TT_WHY_LAST_ACK_ACKED,
		[S_TW] = TT_WHY_TIME_WAIT_RESTART,
	},
	[TT_RECV_RST] = {
		/* RST answering our SYN: connection refused. */
		[S_SS] = TT_WHY_REFUSED,
		/* The peer took back its handshake (half-open scan, old
		 * duplicate SYN); the listener stays.
		 */
		[S_SR] = TT_WHY_HALF_OPEN_RESET,
		[S_ES] = TT_WHY_RESET,
		[S_F1] = TT_WHY_RESET,
		[S_F2] = TT_WHY_RESET,
		[S_CW] = TT_WHY_RESET,
		[S_CG] = TT_WHY_RESET,
		[S_LA] = TT_WHY_RESET,
		/* RFC 1337 "TIME-WAIT assassination"; Linux allows it unless
		 * net.ipv4.tcp_rfc1337 is set.
		 */
		[S_TW] = TT_WHY_TIME_WAIT_ASSASSINATED,
	},
	[TT_RECV_RST_OPENER] = {
		/* SYN_RECEIVED from SYN_SENT (a simultaneous open): RFC 9293
		 * 3.10.7.4, "the connection was refused".
		 */
		[S_SR] = TT_WHY_REFUSED,
	},
};

static const char * const send_event_names[TT_SEND_EVENTS] = {
	[TT_SEND_ACK_SYN] = "ACK of SYN-ACK",
	[TT_SEND_SYN] = "SYN",
	[TT_SEND_SYNACK] = "SYN-ACK",
	[TT_SEND_FIN] = "FIN",
	[TT_SEND_FIN_CROSSED] = "FIN not acking the peer's FIN",
	[TT_SEND_RST] = "RST",
	[TT_SEND_RST_FIN_UNACKED] = "RST, the peer's FIN unacknowledged",
};

static const char * const recv_event_names[TT_RECV_EVENTS] = {
	[TT_RECV_ACK_SYN] = "ACK of its SYN",
	[TT_RECV_SYN] = "SYN",
	[TT_RECV_SYNACK] = "SYN-ACK",
	[TT_RECV_ACK_FIN] = "ACK of its FIN",
	[TT_RECV_FIN] = "FIN",
	[TT_RECV_FIN_ACK] = "FIN + ACK of its FIN",
	[TT_RECV_RST] = "acceptable RST",
	[TT_RECV_RST_OPENER] = "acceptable RST, having sent a SYN",
};

/* Each reason: its name, where it leads, and one line for learners. */
static const struct {
	const char *name;
	u8 next;
	const char *text;
} whys[__TT_WHY_MAX] = {
	[TT_WHY_NONE] = { "none", TT_STATE_SAME, "" },
	[TT_WHY_ACTIVE_OPEN] = { "active-open", S_SS,
		"sends SYN: opens the connection (handshake step 1)" },
	[TT_WHY_LISTEN_SYN] = { "listen-syn", S_SS,
		"sends SYN from LISTEN" },
	[TT_WHY_PASSIVE_OPEN] = { "passive-open", S_SR,
		"answers the SYN with SYN-ACK (handshake step 2)" },
	[TT_WHY_SIMULTANEOUS_OPEN] = { "simultaneous-open", S_SR,
		"both sides sent SYN: simultaneous open" },
	[TT_WHY_HANDSHAKE_ACK] = { "handshake-ack", S_ES,
		"acknowledges the SYN-ACK (handshake step 3)" },
	[TT_WHY_ACTIVE_CLOSE] = { "active-close", S_F1,
		"sends FIN first: closes actively" },
	[TT_WHY_EARLY_CLOSE] = { "early-close", S_F1,
		"sends FIN before the handshake completed" },
	[TT_WHY_PASSIVE_CLOSE] = { "passive-close", S_LA,
		"sends its own FIN after the peer's" },
	[TT_WHY_ABORT] = { "abort", S_CL,
		"sends RST: aborts the connection" },
	[TT_WHY_NOT_LISTENING] = { "not-listening", S_CL,
		"answers the SYN with RST: nothing listens on the port" },
	[TT_WHY_REJECT_SYNACK] = { "reject-synack", S_CL,
		"answers a SYN-ACK it did not ask for with RST" },
	[TT_WHY_HANDSHAKE_DONE] = { "handshake-done", S_ES,
		"receives the ACK of its SYN-ACK (handshake step 3)" },
	[TT_WHY_FIN_ACKED] = { "fin-acked", S_F2,
		"its FIN is acknowledged; waits for the peer's FIN" },
	[TT_WHY_CLOSING_ACKED] = { "closing-acked", S_TW,
		"its FIN is acknowledged after both sent FIN" },
	[TT_WHY_LAST_ACK_ACKED] = { "last-ack-acked", S_CL,
		"receives the last ACK: the passive closer is done" },
	[TT_WHY_PEER_FIN] = { "peer-fin", S_CW,
		"receives FIN: waits for its application to close" },
	[TT_WHY_SIMULTANEOUS_CLOSE] = { "simultaneous-close", S_CG,
		"both sent FIN before receiving the other's: simultaneous close" },
	[TT_WHY_FIN_AND_ACK] = { "fin-and-ack", S_TW,
		"receives FIN together with the ACK of its FIN" },
	[TT_WHY_SECOND_FIN] = { "second-fin", S_TW,
		"receives the peer's FIN and acknowledges it" },
	[TT_WHY_REFUSED] = { "refused", S_CL,
		"receives RST answering its SYN: connection refused" },
	[TT_WHY_RESET] = { "reset", S_CL,
		"receives an acceptable RST: connection reset" },
	[TT_WHY_HALF_OPEN_RESET] = { "half-open-reset", S_CL,
		"receives RST in SYN_RECEIVED: the half-open connection is dropped" },
	[TT_WHY_TIME_WAIT_ASSASSINATED] = { "time-wait-assassinated", S_CL,
		"receives an exact RST in TIME_WAIT (RFC 1337)" },
	[TT_WHY_TIME_WAIT_DONE] = { "time-wait-done", S_CL,
		"2*MSL passed in TIME_WAIT" },
	[TT_WHY_TIME_WAIT_RESTART] = { "time-wait-restart", TT_STATE_SAME,
		"receives the peer's FIN again: its last ACK was lost; TIME_WAIT restarts" },
	[TT_WHY_RETRANSMITTED_SYN] = { "retransmitted-syn", TT_STATE_SAME,
		"sends its SYN again: no SYN-ACK came back" },
	[TT_WHY_RETRANSMITTED_SYNACK] = { "retransmitted-synack", TT_STATE_SAME,
		"sends its SYN-ACK again: no ACK came back" },
	[TT_WHY_RETRANSMITTED_FIN] = { "retransmitted-fin", TT_STATE_SAME,
		"sends its FIN again: no ACK came back" },
	[TT_WHY_RETRANSMITTED_DATA] = { "retransmitted-data", TT_STATE_SAME,
		"sends data again: no ACK came back" },
	[TT_WHY_RST_CHALLENGE] = { "rst-challenge", TT_STATE_SAME,
		"RST in the window but not exact: answered with a challenge ACK (RFC 5961)" },
	[TT_WHY_RST_OUT_OF_WINDOW] = { "rst-out-of-window", TT_STATE_SAME,
		"RST outside the window: ignored" },
	[TT_WHY_RST_BAD_ACK] = { "rst-bad-ack", TT_STATE_SAME,
		"RST that does not acknowledge the SYN: ignored" },
	[TT_WHY_SYN_CHALLENGE] = { "syn-challenge", TT_STATE_SAME,
		"SYN on an open connection: answered with a challenge ACK (RFC 5961)" },
	[TT_WHY_SYNACK_BAD_ACK] = { "synack-bad-ack", TT_STATE_SAME,
		"SYN-ACK that does not acknowledge its SYN: answered with RST" },
	[TT_WHY_ODD_SEGMENT] = { "odd-segment", TT_STATE_SAME,
		"unusual flags, or data on a SYN" },
	[TT_WHY_SCAN_PROBE] = { "scan-probe", TT_STATE_SAME,
		"a FIN, NULL or XMAS probe: a closed port answers RST, an open one stays silent" },
	[TT_WHY_PICKED_UP] = { "picked-up", TT_STATE_SAME,
		"first segment seen mid-stream: earlier states are assumed" },
	[TT_WHY_BAD_CHECKSUM] = { "bad-checksum", TT_STATE_SAME,
		"its checksum is wrong: the receiver drops it unread" },
	[TT_WHY_SOCKET_GONE] = { "socket-gone", S_CL,
		"answers the peer's FIN with RST: its socket was gone" },
	[TT_WHY_ONE_SIDED] = { "one-sided", TT_STATE_SAME,
		"a segment proves what this end sent unseen: one direction is hidden" },
};

static const char * const state_names[__TT_STATE_MAX] = {
	[S_CL] = "CLOSED",
	[S_LI] = "LISTEN",
	[S_SS] = "SYN_SENT",
	[S_SR] = "SYN_RECEIVED",
	[S_ES] = "ESTABLISHED",
	[S_F1] = "FIN_WAIT_1",
	[S_F2] = "FIN_WAIT_2",
	[S_CW] = "CLOSE_WAIT",
	[S_CG] = "CLOSING",
	[S_LA] = "LAST_ACK",
	[S_TW] = "TIME_WAIT",
};

static const char * const who_names[__TT_WHO_MAX] = {
	[TT_WHO_NONE] = "none",
	[TT_WHO_CLIENT] = "client",
	[TT_WHO_SERVER] = "server",
	[TT_WHO_BOTH] = "both",
};

static const char * const outcome_names[__TT_OUTCOME_MAX] = {
	[TT_OUTCOME_OPEN] = "open",
	[TT_OUTCOME_COMPLETED] = "completed",
	[TT_OUTCOME_REFUSED] = "refused",
	[TT_OUTCOME_RESET_BY_CLIENT] = "reset-by-client",
	[TT_OUTCOME_RESET_BY_SERVER] = "reset-by-server",
	[TT_OUTCOME_HALF_OPEN] = "half-open",
	[TT_OUTCOME_TIMED_OUT] = "timed-out",
	[TT_OUTCOME_MIDSTREAM] = "midstream",
	[TT_OUTCOME_EVICTED] = "evicted",
	[TT_OUTCOME_FLUSHED] = "flushed",
	[TT_OUTCOME_ONE_SIDED] = "one-sided",
};

static const char * const anomaly_names[__TT_ANOM_MAX] = {
	[TT_ANOM_SYN_FIN] = "syn-fin",
	[TT_ANOM_SYN_RST] = "syn-rst",
	[TT_ANOM_FIN_NO_ACK] = "fin-no-ack",
	[TT_ANOM_NULL] = "null",
	[TT_ANOM_XMAS] = "xmas",
	[TT_ANOM_SYN_DATA] = "syn-data",
	[TT_ANOM_SCAN_PROBE] = "scan-probe",
	[TT_ANOM_HALF_OPEN] = "half-open",
	[TT_ANOM_RETRANS_SYN] = "retrans-syn",
	[TT_ANOM_RETRANS_SYNACK] = "retrans-synack",
	[TT_ANOM_RETRANS_FIN] = "retrans-fin",
	[TT_ANOM_RETRANS_DATA] = "retrans-data",
	[TT_ANOM_RST_CHALLENGE] = "rst-challenge",
	[TT_ANOM_RST_IGNORED] = "rst-ignored",
	[TT_ANOM_SYN_CHALLENGE] = "syn-challenge",
	[TT_ANOM_MIDSTREAM] = "midstream",
	[TT_ANOM_BAD_CHECKSUM] = "bad-checksum",
	[TT_ANOM_ONE_SIDED] = "one-sided",
};

#define ANOM(x)		(1U << TT_ANOM_##x)
#define TCP_CTL		(TT_TCP_SYN | TT_TCP_FIN | TT_TCP_RST | TT_TCP_ACK)
#define XMAS_FLAGS	(TT_TCP_FIN | TT_TCP_PSH | TT_TCP_URG)

/* One sighting of one segment, passed between the helpers below. */
struct step {
	struct tt_conn *c;
	struct tt_verdict *v;
	const struct tt_seg *seg;
	u64 now;
	unsigned int snd;	/* TT_CLIENT or TT_SERVER: who sent it */
};

static unsigned int who(unsigned int idx)
{
	return idx == TT_CLIENT ? TT_WHO_CLIENT : TT_WHO_SERVER;
}

static u64 elapsed(u64 now, u64 since)
{
	return now > since ? now - since : 0;
}

/* Does @ack cover @target without acknowledging more than @r ever sent? */
static bool acks(u32 ack, u32 target, const struct tt_peer *r)
{
	if (tt_before(ack, target))
		return false;
	return !(r->flags & TT_PEER_SEQ) || !tt_after(ack, r->snd_nxt);
}

static void add_note(struct step *x, unsigned int idx, u8 from, u8 to,
		     unsigned int why, u32 anomalies)
{
	struct tt_conn *c = x->c;
	struct tt_verdict *v = x->v;
	struct tt_note n = {
		.time = x->now,
		.anomalies = anomalies,
		.endpoint = who(idx),
		.from = from,
		.to = to,
		.why = why,
		.sender = TT_WHO_NONE,
	};

	if (x->seg) {
		n.seq = x->seg->seq;
		n.ack = x->seg->ack;
		n.len = x->seg->len;
		n.sender = who(x->snd);
		n.tcp_flags = x->seg->flags;
	}
	c->anomalies |= anomalies;

	if (c->hist_depth) {
		unsigned int i = c->hist_head + c->hist_len;

		if (i >= c->hist_depth)
			i -= c->hist_depth;
		c->hist[i] = n;
		if (c->hist_len < c->hist_depth)
			c->hist_len++;
		else if (++c->hist_head == c->hist_depth)
			c->hist_head = 0;
	}
	if (v->nnotes < TT_NOTES_PER_SEG)
		v->notes[v->nnotes++] = n;
}

/* Apply one cell of a table to endpoint @idx. */
static void apply(struct step *x, unsigned int idx, unsigned int why,
		  u32 anomalies)
{
	struct tt_conn *c = x->c;
	struct tt_peer *p = &c->peer[idx];
	u8 from = p->state, to;

	if (why == TT_WHY_NONE)
		return;
	to = whys[why].next;
	if (to == TT_STATE_SAME) {
		if (why == TT_WHY_TIME_WAIT_RESTART)
			p->tw_since = x->now;
		if (why == TT_WHY_SYN_CHALLENGE)
			anomalies |= ANOM(SYN_CHALLENGE);
		add_note(x, idx, from, from, why, anomalies);
		return;
	}

	p->state = to;
	c->changed = x->now;
	if (to == S_ES)
		c->flags |= TT_FLOW_F_ESTABLISHED;
	if (to == S_TW)
		p->tw_since = x->now;
	if (why == TT_WHY_ACTIVE_OPEN || why == TT_WHY_LISTEN_SYN)
		c->opener |= who(idx);
	if (why == TT_WHY_ACTIVE_CLOSE || why == TT_WHY_EARLY_CLOSE ||
	    why == TT_WHY_SIMULTANEOUS_CLOSE)
		c->closer |= who(idx);
	add_note(x, idx, from, to, why, anomalies);
}

/*
 * An accepted RST that closes an endpoint (@why, the rule it applies, is not
 * TT_WHY_NONE) decides the outcome, unless something did before. One that
 * changes nothing, such as a RST to a listener (RFC 9293 3.10.7.2) in the
 * half-open discovery of RFC 9293 3.5.1, decides nothing.
 */
static void rst_outcome(struct tt_conn *c, unsigned int snd, unsigned int why)
{
	if (c->outcome != TT_OUTCOME_OPEN || why == TT_WHY_NONE)
		return;
	if (why == TT_WHY_REFUSED)
		c->outcome = TT_OUTCOME_REFUSED;
	else if (!(c->flags & TT_FLOW_F_ESTABLISHED))
		c->outcome = snd == TT_SERVER ? TT_OUTCOME_REFUSED :
						TT_OUTCOME_HALF_OPEN;
	else
		c->outcome = snd == TT_SERVER ? TT_OUTCOME_RESET_BY_SERVER :
						TT_OUTCOME_RESET_BY_CLIENT;
}

/* The window the receiver offered, for in-window tests. */
static u32 rcv_window(const struct tt_peer *r)
{
	if (!(r->flags & TT_PEER_ACK))
		return 65535;
	if (!(r->flags & TT_PEER_SYN))	/* picked up: scale unknown, be wide */
		return r->wnd << 14;
	return r->wnd;
}

/* Did endpoint @idx send a SYN of its own (connect(), or a listener's)? */
static bool opened(const struct tt_conn *c, unsigned int idx)
{
	return c->opener & who(idx);
}

/*
 * RST acceptance as Linux does it: tcp_rcv_synsent_state_process() in
 * SYN_SENT, tcp_check_req() in a listener's SYN_RECEIVED (a request socket),
 * tcp_timewait_state_process() in TIME_WAIT and RFC 5961 section 3
 * (tcp_validate_incoming()) elsewhere, also in the SYN_RECEIVED of a
 * simultaneous open, which is a full socket.
 *
 * The window is Linux's (tcp_sequence()): from what the receiver
 * acknowledged last, RCV.WUP, to RCV.WUP plus the window it advertised then.
 * RFC 9293 3.10.7.4 writes RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND, where
 * RCV.WND is what is left of that window: the same right edge.  Linux
 * takes the left edge from RCV.WUP, so that a RST between RCV.WUP and
 * RCV.NXT draws a challenge ACK rather than silence.
 *
 * Return: TT_WHY_NONE if the receiver accepts the RST, else the remark.
 */
static unsigned int rst_check(const struct tt_conn *c, unsigned int snd,
			      const struct tt_seg *seg)
{
	const struct tt_peer *s = &c->peer[snd], *r = &c->peer[!snd];
	u32 rcv_nxt = s->snd_nxt, wnd = rcv_window(r), wup;

	switch (r->state) {
	case S_CL:
	case S_LI:
		return TT_WHY_NONE;
	case S_SS:
		/* Acceptable only if it acknowledges our SYN (RFC 793). */
		if ((seg->flags & TT_TCP_ACK) &&
		    (!(r->flags & TT_PEER_SEQ) || seg->ack == r->snd_nxt))
			return TT_WHY_NONE;
		return TT_WHY_RST_BAD_ACK;
	}
	if (!(s->flags & TT_PEER_SEQ) || seg->seq == rcv_nxt)
		return TT_WHY_NONE;
	/* A request socket takes any RST in its window. */
	if (r->state == S_SR && !opened(c, !snd))
		return !tt_before(seg->seq, rcv_nxt) &&
		       !tt_after(seg->seq, rcv_nxt + wnd) ?
		       TT_WHY_NONE : TT_WHY_RST_OUT_OF_WINDOW;
	/* TIME_WAIT ignores any RST that is not exact, silently. */
	if (r->state == S_TW)
		return TT_WHY_RST_OUT_OF_WINDOW;
	/* After a FIN, RCV.NXT - 1 is exact too (tcp_reset_check()). */
	if ((s->flags & TT_PEER_FIN) && seg->seq == rcv_nxt - 1 &&
	    (r->state == S_CW || r->state == S_LA || r->state == S_CG))
		return TT_WHY_NONE;
	/* In the window [RCV.WUP, RCV.WUP + window]: a challenge ACK. */
	wup = (r->flags & TT_PEER_ACK) ? r->ack : rcv_nxt;
	if (!tt_before(seg->seq, wup) && !tt_after(seg->seq, wup + wnd))
		return TT_WHY_RST_CHALLENGE;
	return TT_WHY_RST_OUT_OF_WINDOW;
}

/* Anomalies of the flags alone. */
static u32 flag_anomalies(const struct tt_seg *seg)
{
	u8 f = seg->flags;
	u32 a = 0;

	if ((f & (TT_TCP_SYN | TT_TCP_FIN)) == (TT_TCP_SYN | TT_TCP_FIN))
		a |= ANOM(SYN_FIN);
	if ((f & (TT_TCP_SYN | TT_TCP_RST)) == (TT_TCP_SYN | TT_TCP_RST))
		a |= ANOM(SYN_RST);
	if (!f)
		a |= ANOM(NULL);
	if ((f & (TCP_CTL | XMAS_FLAGS)) == XMAS_FLAGS)
		a |= ANOM(XMAS);
	else if ((f & TCP_CTL) == TT_TCP_FIN)
		a |= ANOM(FIN_NO_ACK);
	if ((f & TT_TCP_SYN) && seg->len)
		a |= ANOM(SYN_DATA);
	return a;
}

/* SYN with FIN or RST: Linux drops these; they move nobody. */
static bool bad_combo(u8 f)
{
	return (f & TT_TCP_SYN) && (f & (TT_TCP_FIN | TT_TCP_RST));
}

/* Is the segment a resend of a SYN, SYN-ACK, FIN or data we saw? */
static unsigned int retrans_why(const struct tt_peer *s,
				const struct tt_seg *seg)
{
	u8 f = seg->flags;

	if (f & TT_TCP_RST)
		return TT_WHY_NONE;
	/* In a simultaneous open the first SYN-ACK repeats the ISN of the
	 * sender's SYN (RFC 793 figure 8): only a second one is a resend.
	 */
	if ((f & TT_TCP_SYN) && (s->flags & TT_PEER_SYN) &&
	    seg->seq == s->isn &&
	    (!(f & TT_TCP_ACK) || (s->flags & TT_PEER_SYNACK)))
		return (f & TT_TCP_ACK) ? TT_WHY_RETRANSMITTED_SYNACK :
					  TT_WHY_RETRANSMITTED_SYN;
	if ((f & TT_TCP_FIN) && (s->flags & TT_PEER_FIN) &&
	    seg->seq + seg->len == s->fin_seq)
		return TT_WHY_RETRANSMITTED_FIN;
	if (!(f & (TT_TCP_SYN | TT_TCP_FIN)) && seg->len &&
	    (s->flags & TT_PEER_SEQ) &&
	    !tt_after(seg->seq + seg->len, s->snd_nxt))
		return TT_WHY_RETRANSMITTED_DATA;
	return TT_WHY_NONE;
}

/* Follow the sender's sequence space.  Idempotent: both halves may call it. */
static void track(struct tt_conn *c, struct tt_peer *s,
		  const struct tt_seg *seg)
{
	u8 f = seg->flags;
	u32 end = seg->seq + seg->len + !!(f & TT_TCP_SYN) + !!(f & TT_TCP_FIN);

	/* A RST consumes no sequence space, and a crafted one must not move
	 * our idea of the window.
	 */
	if ((f & TT_TCP_RST) || bad_combo(f))
		return;
	if ((f & TT_TCP_SYN) && !(s->flags & TT_PEER_SYN)) {
		s->isn = seg->seq;
		s->flags |= TT_PEER_SYN;
		if (seg->opts & TT_OPT_WSCALE) {
			s->flags |= TT_PEER_WSCALE;
			s->wscale = seg->wscale > 14 ? 14 : seg->wscale;
		}
	}
	if ((f & (TT_TCP_SYN | TT_TCP_ACK)) == (TT_TCP_SYN | TT_TCP_ACK))
		s->flags |= TT_PEER_SYNACK;
	if (!(s->flags & TT_PEER_SEQ) || tt_after(end, s->snd_nxt)) {
		s->snd_nxt = end;
		s->flags |= TT_PEER_SEQ;
		s->flags &= ~TT_PEER_RETRANS;
	}
	if ((f & TT_TCP_FIN) && !(s->flags & TT_PEER_FIN)) {
		s->fin_seq = seg->seq + seg->len;
		s->flags |= TT_PEER_FIN;
	}
	if (f & TT_TCP_ACK) {
		const struct tt_peer *r = &c->peer[s == &c->peer[0]];
		bool scaled = (s->flags & r->flags & TT_PEER_WSCALE) &&
			      !(f & TT_TCP_SYN);

		if (!(s->flags & TT_PEER_ACK) || tt_after(seg->ack, s->ack))
			s->ack = seg->ack;
		s->wnd = (u32)seg->window << (scaled ? s->wscale : 0);
		s->flags |= TT_PEER_ACK;
	}
}

/* The first segment of a flow decides who is the client and where we start. */
static void start(struct tt_conn *c, const struct tt_seg *seg,
		  unsigned int side, u64 now, struct tt_verdict *v)
{
	u8 f = seg->flags;
	struct tt_peer *cl = &c->peer[TT_CLIENT], *sv = &c->peer[TT_SERVER];

	c->flags |= TT_CONN_STARTED;
	c->created = now;
	c->changed = now;
	c->client_side = side;
	v->created = true;
	cl->state = S_CL;
	sv->state = S_LI;

	if ((f & (TT_TCP_SYN | TT_TCP_ACK)) == (TT_TCP_SYN | TT_TCP_ACK)) {
		/* A SYN-ACK answers a SYN we missed: its receiver is the
		 * client, caught waiting in SYN_SENT.
		 */
		c->client_side = !side;
		c->flags |= TT_FLOW_F_PICKED_UP;
		c->opener = TT_WHO_CLIENT;
		cl->state = S_SS;
		cl->isn = seg->ack - 1;
		cl->snd_nxt = seg->ack;
		cl->flags |= TT_PEER_SYN | TT_PEER_SEQ;
	} else if (!(f & TT_TCP_SYN) && (f & TT_TCP_ACK)) {
		/* Mid-stream: assume both ends are established. */
		c->flags |= TT_FLOW_F_PICKED_UP | TT_FLOW_F_ESTABLISHED;
		cl->state = S_ES;
		sv->state = S_ES;
		sv->snd_nxt = seg->ack;
		sv->flags |= TT_PEER_SEQ;
	}
}

/* Remarks a new flow starts with: picked up, or opened by a scan probe. */
static void start_notes(struct step *x)
{
	struct tt_conn *c = x->c;
	u8 f = x->seg->flags;

	if (c->flags & TT_FLOW_F_PICKED_UP)
		add_note(x, TT_CLIENT, c->peer[TT_CLIENT].state,
			 c->peer[TT_CLIENT].state, TT_WHY_PICKED_UP,
			 ANOM(MIDSTREAM));
	else if (!(f & (TT_TCP_SYN | TT_TCP_ACK | TT_TCP_RST)) &&
		 (!(f & TCP_CTL) || (f & TT_TCP_FIN)))
		add_note(x, x->snd, c->peer[x->snd].state,
			 c->peer[x->snd].state, TT_WHY_SCAN_PROBE,
			 ANOM(SCAN_PROBE));
}

/*
 * One-sided captures (asymmetric routing, a one-way tap): a segment can prove
 * that its receiver sent segments that were not seen.  Two proofs only:
 *
 * - An endpoint in SYN_SENT that sends an ACK without SYN or RST has
 *   received a SYN-ACK: a SYN_SENT TCP answers anything else with RST, or a
 *   SYN with a SYN-ACK.  If the peer's SYN was never seen, that SYN-ACK was
 *   not: the peer answered our SYN (LISTEN -> SYN_RECEIVED, its ISN the ACK
 *   number minus one), and the handshake goes on as if it had been seen.
 * - An endpoint that sent a SYN-ACK and acknowledges more than its peer in
 *   SYN_SENT was seen to send (its SYN) got more from that peer, which only
 *   sends past its SYN once it has acknowledged the SYN-ACK: the peer is
 *   ESTABLISHED, and so are we if we were still in SYN_RECEIVED.  (A
 *   listener's stale ACK, RFC 9293 3.5.1, comes without a SYN-ACK.)
 *
 * Each raises the one-sided remark on the endpoint that was not seen.  What
 * an ACK cannot prove is not guessed: an acknowledgment of one more byte
 * can be a FIN or a byte of data, so a FIN that was not seen stays unseen.
 */
static void one_sided(struct step *x, unsigned int idx)
{
	struct tt_peer *p = &x->c->peer[idx];

	add_note(x, idx, p->state, p->state, TT_WHY_ONE_SIDED, ANOM(ONE_SIDED));
}

static void unseen_segments(struct step *x)
{
	const struct tt_seg *seg = x->seg;
	unsigned int rcv = !x->snd;
	struct tt_peer *s = &x->c->peer[x->snd], *r = &x->c->peer[rcv];

	if ((seg->flags & (TT_TCP_ACK | TT_TCP_SYN | TT_TCP_RST)) != TT_TCP_ACK)
		return;
	if (s->state == S_SS && !(r->flags & TT_PEER_SYN)) {
		/* The peer's SYN-ACK. */
		r->isn = seg->ack - 1;
		if (!(r->flags & TT_PEER_SEQ) || tt_after(seg->ack, r->snd_nxt))
			r->snd_nxt = seg->ack;
		r->flags |= TT_PEER_SYN | TT_PEER_SEQ | TT_PEER_SYNACK;
		one_sided(x, rcv);
		apply(x, rcv, tt_send_rules[TT_SEND_SYNACK][r->state], 0);
	} else if ((s->flags & TT_PEER_SYNACK) && r->state == S_SS &&
		   (r->flags & TT_PEER_SEQ) && tt_after(seg->ack, r->snd_nxt)) {
		/* The peer's ACK of our SYN-ACK, and what followed it. */
		r->snd_nxt = seg->ack;
		one_sided(x, rcv);
		apply(x, rcv, tt_send_rules[TT_SEND_ACK_SYN][r->state], 0);
		apply(x, x->snd, tt_recv_rules[TT_RECV_ACK_SYN][s->state], 0);
	}
}

/* The sender's half: its own transitions, retransmissions, odd flags. */
static void send_half(struct step *x)
{
	struct tt_conn *c = x->c;
	const struct tt_seg *seg = x->seg;
	struct tt_peer *s = &c->peer[x->snd], *r = &c->peer[!x->snd];
	unsigned int ev, why = retrans_why(s, seg);
	u32 anom = flag_anomalies(seg);
	u8 f = seg->flags;

	s->packets += seg->segs;
	s->bytes += seg->len;
	if (anom)
		add_note(x, x->snd, s->state, s->state, TT_WHY_ODD_SEGMENT,
			 anom);

	if (why == TT_WHY_RETRANSMITTED_DATA) {
		/* Note the first resend of a run, count them all. */
		c->anomalies |= ANOM(RETRANS_DATA);
		if (!(s->flags & TT_PEER_RETRANS))
			add_note(x, x->snd, s->state, s->state, why,
				 ANOM(RETRANS_DATA));
		s->flags |= TT_PEER_RETRANS;
		track(c, s, seg);
		return;
	}
	if (why != TT_WHY_NONE) {
		add_note(x, x->snd, s->state, s->state, why,
			 why == TT_WHY_RETRANSMITTED_SYN ? ANOM(RETRANS_SYN) :
			 why == TT_WHY_RETRANSMITTED_SYNACK ? ANOM(RETRANS_SYNACK) :
			 ANOM(RETRANS_FIN));
		track(c, s, seg);
		return;
	}
	if (bad_combo(f))
		return;
	track(c, s, seg);
	unseen_segments(x);

	/* Step 3 of the handshake rides on any segment that acknowledges
	 * the peer's SYN.
	 */
	if ((f & (TT_TCP_ACK | TT_TCP_SYN | TT_TCP_RST)) == TT_TCP_ACK &&
	    (r->flags & TT_PEER_SYN) && acks(seg->ack, r->isn + 1, r))
		apply(x, x->snd, tt_send_rules[TT_SEND_ACK_SYN][s->state], 0);

	if (f & TT_TCP_RST) {
		if (rst_check(c, x->snd, seg) != TT_WHY_NONE)
			return;
		/* From SYN_SENT, only a RST refusing a SYN-ACK that
		 * acknowledged our own SYN closes us: one answering a bad
		 * SYN-ACK leaves Linux in SYN_SENT (RFC 793 figure 9).
		 */
		if (s->state == S_SS && (s->flags & TT_PEER_SYN) &&
		    seg->seq != s->isn + 1)
			return;
		ev = s->state == S_TW && (r->flags & TT_PEER_FIN) &&
		     !((s->flags & TT_PEER_ACK) &&
		       acks(s->ack, r->fin_seq + 1, r)) ?
		     TT_SEND_RST_FIN_UNACKED : TT_SEND_RST;
		rst_outcome(c, x->snd, tt_send_rules[ev][s->state]);
	} else if (f & TT_TCP_SYN) {
		ev = (f & TT_TCP_ACK) ? TT_SEND_SYNACK : TT_SEND_SYN;
	} else if (f & TT_TCP_FIN) {
		ev = (r->flags & TT_PEER_FIN) && !((f & TT_TCP_ACK) &&
		     acks(seg->ack, r->fin_seq + 1, r)) ?
		     TT_SEND_FIN_CROSSED : TT_SEND_FIN;
	} else {
		return;
	}
	why = tt_send_rules[ev][s->state];
	apply(x, x->snd, why, 0);
	/* Seen once, the peer's SYN-ACK may have acknowledged our SYN
	 * before our own SYN-ACK showed that we were in SYN_RECEIVED.
	 */
	if (why == TT_WHY_SIMULTANEOUS_OPEN && (r->flags & TT_PEER_ACK) &&
	    acks(r->ack, s->isn + 1, s))
		apply(x, x->snd, tt_recv_rules[TT_RECV_ACK_SYN][s->state], 0);
}

/* The receiver's half: what the segment does to the other endpoint. */
static void recv_half(struct step *x)
{
	struct tt_conn *c = x->c;
	const struct tt_seg *seg = x->seg;
	unsigned int rcv = !x->snd, why, ev;
	struct tt_peer *s = &c->peer[x->snd], *r = &c->peer[rcv];
	u8 f = seg->flags;
	bool fin_acked;

	if (bad_combo(f))
		return;
	/* Both halves may follow the sender; the receiver needs it now. */
	track(c, s, seg);

	if (f & TT_TCP_RST) {
		why = rst_check(c, x->snd, seg);
		if (why != TT_WHY_NONE) {
			add_note(x, rcv, r->state, r->state, why,
				 why == TT_WHY_RST_CHALLENGE ?
				 ANOM(RST_CHALLENGE) : ANOM(RST_IGNORED));
			return;
		}
		ev = r->state == S_SR && opened(c, rcv) ? TT_RECV_RST_OPENER :
							  TT_RECV_RST;
		why = tt_recv_rules[ev][r->state];
		rst_outcome(c, x->snd, why);
		apply(x, rcv, why, why == TT_WHY_HALF_OPEN_RESET &&
		      x->snd == TT_CLIENT ? ANOM(HALF_OPEN) : 0);
		return;
	}

	if ((f & TT_TCP_ACK) && (r->flags & TT_PEER_SYN) &&
	    acks(seg->ack, r->isn + 1, r))
		apply(x, rcv, tt_recv_rules[TT_RECV_ACK_SYN][r->state], 0);

	if (f & TT_TCP_SYN) {
		if (!(f & TT_TCP_ACK)) {
			ev = TT_RECV_SYN;
		} else {
			ev = TT_RECV_SYNACK;
			if (r->state == S_SS && (r->flags & TT_PEER_SYN) &&
			    !acks(seg->ack, r->isn + 1, r))
				add_note(x, rcv, S_SS, S_SS,
					 TT_WHY_SYNACK_BAD_ACK, 0);
		}
		apply(x, rcv, tt_recv_rules[ev][r->state], 0);
		return;
	}

	fin_acked = (f & TT_TCP_ACK) && (r->flags & TT_PEER_FIN) &&
		    acks(seg->ack, r->fin_seq + 1, r);
	if (fin_acked)
		r->flags |= TT_PEER_FIN_ACKED;
	if (f & TT_TCP_FIN)
		ev = fin_acked ? TT_RECV_FIN_ACK : TT_RECV_FIN;
	else if (fin_acked)
		ev = TT_RECV_ACK_FIN;
	else
		return;
	apply(x, rcv, tt_recv_rules[ev][r->state], 0);

	if ((c->peer[0].flags & c->peer[1].flags & TT_PEER_FIN_ACKED) &&
	    c->outcome == TT_OUTCOME_OPEN)
		c->outcome = TT_OUTCOME_COMPLETED;
}

/* Both endpoints CLOSED: the flow has ended. */
static void check_end(struct tt_conn *c, struct tt_verdict *v)
{
	if (tt_conn_ended(c) || c->peer[0].state != S_CL ||
	    c->peer[1].state != S_CL)
		return;
	c->flags |= TT_FLOW_F_ENDED;
	v->ended = true;
	if (c->outcome == TT_OUTCOME_OPEN)
		c->outcome = (c->flags & TT_FLOW_F_ESTABLISHED) ?
			     TT_OUTCOME_COMPLETED : TT_OUTCOME_HALF_OPEN;
}

static void verdict_init(struct tt_verdict *v)
{
	v->nnotes = 0;
	v->created = false;
	v->ended = false;
}

/**
 * tt_conn_init() - prepare a flow for its first segment
 * @c: the flow
 * @hist: tt_history_size(@depth) bytes for its history, or NULL
 * @depth: notes of history to keep; 0 without @hist
 */
void tt_conn_init(struct tt_conn *c, struct tt_note *hist,
		  unsigned int depth)
{
	memset(c, 0, sizeof(*c));
	if (hist) {
		c->hist = hist;
		c->hist_depth = depth;
	}
}

/**
 * tt_seg_starts_flow() - may this segment create a flow?
 * @seg: the segment, for which no flow exists
 *
 * A RST without SYN does not: it answers something that is already gone, and
 * tracking it would let anyone fill the table with one packet each.
 *
 * Return: true if a flow should be created for @seg.
 */
bool tt_seg_starts_flow(const struct tt_seg *seg)
{
	return (seg->flags & (TT_TCP_RST | TT_TCP_SYN)) != TT_TCP_RST;
}

/**
 * tt_conn_new_incarnation() - does this segment start a new connection?
 * @c: the flow its 4-tuple maps to
 * @seg: the segment
 *
 * A SYN on a 4-tuple whose endpoints are both CLOSED or in TIME_WAIT opens a
 * new incarnation (RFC 1122 4.2.2.13), even when it repeats an old ISN: that
 * is what an old duplicate SYN is.  The caller ends @c and starts a new flow.
 *
 * Return: true if @seg belongs to a new flow.
 */
bool tt_conn_new_incarnation(const struct tt_conn *c, const struct tt_seg *seg)
{
	unsigned int i;

	if (!(c->flags & TT_CONN_STARTED) ||
	    (seg->flags & TCP_CTL) != TT_TCP_SYN)
		return false;
	for (i = 0; i < 2; i++)
		if (c->peer[i].state != S_CL && c->peer[i].state != S_TW)
			return false;
	return true;
}

/**
 * tt_table_step() - what a table of flows does with a segment
 * @c: the flow the segment's key finds (its lock held), or NULL for none
 * @seg: the segment
 *
 * The one policy of the module's table (tt_table_segment()) and of the
 * tools' replay: which segments make a flow (tt_seg_starts_flow()) and
 * which end one to start the next (tt_conn_new_incarnation()).
 *
 * Return: the step to take.
 */
enum tt_step tt_table_step(const struct tt_conn *c, const struct tt_seg *seg)
{
	if (!c)
		return tt_seg_starts_flow(seg) ? TT_STEP_CREATE : TT_STEP_IGNORE;
	return tt_conn_new_incarnation(c, seg) ? TT_STEP_REPLACE : TT_STEP_FEED;
}

/**
 * tt_conn_segment() - feed one sighting of one segment to a flow
 * @c: the flow
 * @seg: the segment
 * @side: which end of the caller's flow key sent it, 0 or 1
 * @obs: TT_OBS_* bits: the halves this sighting carries, and which sockets
 *	are local
 * @now: the caller's clock, in ns
 * @v: filled with what changed
 *
 * Count each segment once per flow: a segment seen twice must carry
 * TT_OBS_SEND the first time and TT_OBS_RECV the second.  A sighting of a
 * segment with @seg->csum_bad set that carries TT_OBS_RECV applies the
 * sender's half only, and remarks on the receiver with the bad-checksum
 * anomaly: the receiver's TCP drops the segment.
 */
void tt_conn_segment(struct tt_conn *c, const struct tt_seg *seg,
		     unsigned int side, unsigned int obs, u64 now,
		     struct tt_verdict *v)
{
	struct step x = { .c = c, .v = v, .seg = seg, .now = now };
	u8 f = seg->flags;

	verdict_init(v);
	if (!(c->flags & TT_CONN_STARTED))
		start(c, seg, side, now, v);
	x.snd = side == c->client_side ? TT_CLIENT : TT_SERVER;
	c->last_seen = now;
	if (obs & TT_OBS_LOCAL_SENDER)
		c->flags |= x.snd == TT_CLIENT ? TT_FLOW_F_CLIENT_LOCAL :
						 TT_FLOW_F_SERVER_LOCAL;
	if (obs & TT_OBS_LOCAL_RECEIVER)
		c->flags |= x.snd == TT_CLIENT ? TT_FLOW_F_SERVER_LOCAL :
						 TT_FLOW_F_CLIENT_LOCAL;
	if (v->created)
		start_notes(&x);

	/* The sender did send a segment whose checksum is wrong, but its
	 * receiver's TCP drops it before reading a field: only the sender's
	 * half applies, and the receiver gets a remark.
	 */
	if (unlikely(seg->csum_bad && (obs & TT_OBS_RECV))) {
		if (obs & TT_OBS_SEND)
			send_half(&x);
		add_note(&x, !x.snd, c->peer[!x.snd].state,
			 c->peer[!x.snd].state, TT_WHY_BAD_CHECKSUM,
			 ANOM(BAD_CHECKSUM));
		check_end(c, v);
		return;
	}

	/* The common case: data and ACKs of an established connection. */
	if (likely(c->peer[0].state == S_ES && c->peer[1].state == S_ES &&
		   (f & TCP_CTL) == TT_TCP_ACK)) {
		if (obs & TT_OBS_SEND)
			send_half(&x);
		return;
	}

	if (obs & TT_OBS_SEND)
		send_half(&x);
	if (obs & TT_OBS_RECV)
		recv_half(&x);
	check_end(c, v);
}

/**
 * tt_conn_expire() - let time pass for a flow
 * @c: the flow
 * @now: the caller's clock, in ns
 * @t: the timeouts
 * @v: filled with what changed
 *
 * Ends TIME_WAIT after 2 * MSL, and decides whether the flow should go: an
 * ended flow after @t->linger, any flow after @t->idle without segments (its
 * outcome then says how far it got).  A flow that has not had its first
 * segment yet has no times to measure from: it never expires.  Nor does a
 * flow whose last segment came after @now (a clock read before it): time
 * does not run backwards.
 *
 * Return: true if the caller should remove the flow.
 */
bool tt_conn_expire(struct tt_conn *c, u64 now, const struct tt_timeouts *t,
		    struct tt_verdict *v)
{
	struct step x = { .c = c, .v = v, .now = now };
	unsigned int i;

	verdict_init(v);
	if (!(c->flags & TT_CONN_STARTED))
		return false;
	for (i = 0; i < 2; i++)
		if (c->peer[i].state == S_TW &&
		    elapsed(now, c->peer[i].tw_since) >= t->time_wait)
			apply(&x, i, TT_WHY_TIME_WAIT_DONE, 0);
	check_end(c, v);

	if (tt_conn_ended(c))
		return elapsed(now, c->changed) >= t->linger;
	if (elapsed(now, c->last_seen) < t->idle)
		return false;
	if (c->outcome == TT_OUTCOME_OPEN) {
		if ((c->anomalies & ANOM(ONE_SIDED)) &&
		    (!c->peer[TT_CLIENT].packets || !c->peer[TT_SERVER].packets))
			c->outcome = TT_OUTCOME_ONE_SIDED;
		else if (c->flags & TT_FLOW_F_PICKED_UP)
			c->outcome = TT_OUTCOME_MIDSTREAM;
		else if (c->flags & TT_FLOW_F_ESTABLISHED)
			c->outcome = TT_OUTCOME_TIMED_OUT;
		else
			c->outcome = TT_OUTCOME_HALF_OPEN;
	}
	v->ended = true;
	return true;
}

/**
 * tt_conn_next_timer() - when tt_conn_expire() next has work for a flow
 * @c: the flow
 * @t: the timeouts
 *
 * The earliest of: an endpoint's TIME_WAIT ends, an ended flow's linger
 * runs out, a flow that has not ended reaches the idle timeout. A caller
 * that calls tt_conn_expire() at exactly this time, and again at the time
 * this then returns, runs every timer of the flow at its own time.
 *
 * Return: that time, on the clock of tt_conn_segment()'s @now.
 */
u64 tt_conn_next_timer(const struct tt_conn *c, const struct tt_timeouts *t)
{
	u64 due;
	unsigned int i;

	if (tt_conn_ended(c))
		return c->changed + t->linger;
	due = c->last_seen + t->idle;
	for (i = 0; i < 2; i++)
		if (c->peer[i].state == S_TW &&
		    c->peer[i].tw_since + t->time_wait < due)
			due = c->peer[i].tw_since + t->time_wait;
	return due;
}

/**
 * tt_conn_time_wait_left() - how long until TIME_WAIT ends
 * @c: the flow
 * @now: the caller's clock, in ns
 * @t: the timeouts
 *
 * Return: ns left for the endpoint that stays longest, 0 if none is there.
 */
u64 tt_conn_time_wait_left(const struct tt_conn *c, u64 now,
			   const struct tt_timeouts *t)
{
	u64 left = 0, e;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (c->peer[i].state != S_TW)
			continue;
		e = elapsed(now, c->peer[i].tw_since);
		if (e < t->time_wait && t->time_wait - e > left)
			left = t->time_wait - e;
	}
	return left;
}

/**
 * tt_conn_note() - a note of the history
 * @c: the flow
 * @i: 0 for the oldest note kept
 *
 * Return: the note, or NULL past the last.
 */
const struct tt_note *tt_conn_note(const struct tt_conn *c, unsigned int i)
{
	if (i >= c->hist_len)
		return NULL;
	i += c->hist_head;
	if (i >= c->hist_depth)
		i -= c->hist_depth;
	return &c->hist[i];
}

/**
 * tt_why_next() - where a reason leads
 * @why: enum tt_why
 *
 * Return: an enum tt_state, or TT_STATE_SAME for a remark.
 */
unsigned int tt_why_next(unsigned int why)
{
	return why < __TT_WHY_MAX ? whys[why].next : TT_STATE_SAME;
}

/**
 * tt_state_name() - the RFC 793 name of a state
 * @state: enum tt_state
 *
 * Return: a static string, "?" if out of range.  The same helpers exist for
 * enum tt_who, tt_outcome, tt_anomaly bits and tt_why.
 */
const char *tt_state_name(unsigned int state)
{
	return state < __TT_STATE_MAX ? state_names[state] : "?";
}

const char *tt_who_name(unsigned int w)
{
	return w < __TT_WHO_MAX ? who_names[w] : "?";
}

const char *tt_outcome_name(unsigned int outcome)
{
	return outcome < __TT_OUTCOME_MAX ? outcome_names[outcome] : "?";
}

static_assert(TT_WHO_BOTH == (TT_WHO_CLIENT | TT_WHO_SERVER),
	      "tt_local_name() ORs the endpoints' enum tt_who");

/**
 * tt_local_name() - which endpoints of a flow are on this host
 * @flags: the flow's TT_FLOW_F_* flags
 *
 * Return: the tt_who_name() of them: "client", "server", "both"
 * (loopback) or "none" (forwarded).
 */
const char *tt_local_name(unsigned int flags)
{
	return tt_who_name((flags & TT_FLOW_F_CLIENT_LOCAL ? TT_WHO_CLIENT : 0) |
			   (flags & TT_FLOW_F_SERVER_LOCAL ? TT_WHO_SERVER : 0));
}

const char *tt_anomaly_name(unsigned int bit)
{
	return bit < __TT_ANOM_MAX ? anomaly_names[bit] : "?";
}

const char *tt_why_name(unsigned int why)
{
	return why < __TT_WHY_MAX ? whys[why].name : "?";
}

const char *tt_why_text(unsigned int why)
{
	return why < __TT_WHY_MAX ? whys[why].text : "?";
}

/**
 * tt_why_resent() - does a reason say its segment was sent before
 * @why: enum tt_why
 *
 * The retransmission classes: a SYN, a SYN-ACK, a FIN or data sent again.
 *
 * Return: true for those four remarks.
 */
bool tt_why_resent(unsigned int why)
{
	switch (why) {
	case TT_WHY_RETRANSMITTED_SYN:
	case TT_WHY_RETRANSMITTED_SYNACK:
	case TT_WHY_RETRANSMITTED_FIN:
	case TT_WHY_RETRANSMITTED_DATA:
		return true;
	default:
		return false;
	}
}

/* The value whose name() is @word, or -1: the reverse of the helpers. */
static int value_of(const char *(*name)(unsigned int), unsigned int max,
		    const char *word)
{
	unsigned int v;

	for (v = 0; v <= max; v++)
		if (!strcmp(name(v), word))
			return v;
	return -1;
}

/**
 * tt_state_value() - the state a word names: the reverse of tt_state_name()
 * @word: as tt_state_name() writes it, "SYN_SENT"
 *
 * Return: the enum tt_state, or -1 for a word that names none.  The same
 * lookups exist for enum tt_who, tt_outcome, tt_anomaly (a bit number) and
 * tt_why.
 */
int tt_state_value(const char *word)
{
	return value_of(tt_state_name, TT_STATE_MAX, word);
}

int tt_who_value(const char *word)
{
	return value_of(tt_who_name, TT_WHO_MAX, word);
}

int tt_outcome_value(const char *word)
{
	return value_of(tt_outcome_name, TT_OUTCOME_MAX, word);
}

int tt_anomaly_value(const char *word)
{
	return value_of(tt_anomaly_name, TT_ANOM_MAX, word);
}

int tt_why_value(const char *word)
{
	return value_of(tt_why_name, TT_WHY_MAX, word);
}

const char *tt_send_event_name(unsigned int ev)
{
	return ev < TT_SEND_EVENTS ? send_event_names[ev] : "?";
}

const char *tt_recv_event_name(unsigned int ev)
{
	return ev < TT_RECV_EVENTS ? recv_event_names[ev] : "?";
}

/**
 * tt_anomalies_str() - write anomaly bits as "retrans-syn,half-open"
 * @anomalies: TT_ANOM_* bits
 * @buf: where to write, always NUL-terminated when @size > 0
 * @size: bytes at @buf
 *
 * No anomaly is written "-".  Names that do not fit are left out whole.
 *
 * Return: the length written, without the NUL.
 */
unsigned int tt_anomalies_str(u32 anomalies, char *buf, unsigned int size)
{
	unsigned int bit, n = 0, l;
	const char *name;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!anomalies && size > 1) {
		buf[n++] = '-';
		buf[n] = '\0';
	}
	for (bit = 0; bit < __TT_ANOM_MAX; bit++) {
		if (!(anomalies & (1U << bit)))
			continue;
		name = anomaly_names[bit];
		l = strlen(name);
		if (n + !!n + l + 1 > size)
			break;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, name, l);
		n += l;
		buf[n] = '\0';
	}
	return n;
}
