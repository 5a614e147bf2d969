/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 3 of the pipeline: the TCP state machine of both endpoints of a flow,
 * driven by the segments one host sees.  Shared by the module and the tools;
 * it allocates nothing, sleeps never and takes the time from its caller.
 * docs/state-machine.md explains the model; state.c holds the tables.
 */

#ifndef _TT_STATE_H
#define _TT_STATE_H

#include "shared.h"
#include "parse.h"

/* Index of an endpoint in struct tt_conn.peer[]. */
#define TT_CLIENT	0
#define TT_SERVER	1

/*
 * How the host saw a segment, the @obs argument of tt_conn_segment().  A
 * segment's sender changes state when the segment is seen leaving it; its
 * receiver when the segment is seen arriving.  Most segments are seen once,
 * as both (TT_OBS_SEND | TT_OBS_RECV); a segment between two local sockets
 * (loopback) is seen leaving and then arriving, and each sighting carries
 * one half.
 */
#define TT_OBS_SEND		BIT(0)	/* apply the sender's half */
#define TT_OBS_RECV		BIT(1)	/* apply the receiver's half */
#define TT_OBS_BOTH		(TT_OBS_SEND | TT_OBS_RECV)
#define TT_OBS_LOCAL_SENDER	BIT(2)	/* sender is a local socket */
#define TT_OBS_LOCAL_RECEIVER	BIT(3)	/* receiver is a local socket */

/* What we know of one endpoint, bits of tt_peer.flags. */
#define TT_PEER_SYN		BIT(0)	/* its SYN was seen: isn valid */
#define TT_PEER_SEQ		BIT(1)	/* snd_nxt valid */
#define TT_PEER_FIN		BIT(2)	/* its FIN was seen: fin_seq valid */
#define TT_PEER_FIN_ACKED	BIT(3)	/* its FIN was acknowledged */
#define TT_PEER_ACK		BIT(4)	/* ack and wnd valid */
#define TT_PEER_WSCALE		BIT(5)	/* its SYN offered window scaling */
#define TT_PEER_RETRANS		BIT(6)	/* inside a run of data resends */
#define TT_PEER_SYNACK		BIT(7)	/* its SYN-ACK was seen */

/**
 * struct tt_peer - one endpoint as seen from its segments
 * @packets: segments it sent (wire segments: a GSO packet counts as many)
 * @bytes: payload bytes it sent
 * @tw_since: when its TIME_WAIT (re)started
 * @isn: initial sequence number, from its SYN
 * @snd_nxt: highest sequence number it sent, plus one
 * @fin_seq: sequence number of its FIN
 * @ack: highest acknowledgment number it sent
 * @wnd: window it advertised last, scaled
 * @state: enum tt_state
 * @wscale: shift its SYN offered
 * @flags: TT_PEER_* bits
 *
 * 48 bytes, without holes: the 64-bit fields first.
 */
struct tt_peer {
	u64 packets;
	u64 bytes;
	u64 tw_since;
	u32 isn;
	u32 snd_nxt;
	u32 fin_seq;
	u32 ack;
	u32 wnd;
	u8 state;
	u8 wscale;
	u8 flags;
};

/**
 * struct tt_note - one state change of one endpoint, or a remark on a segment
 * @time: when, on the caller's clock (ns)
 * @seq: the segment's sequence number
 * @ack: the segment's acknowledgment number
 * @len: the segment's payload bytes
 * @anomalies: TT_ANOM_* bits the segment raised (remarks only)
 * @endpoint: whose state, enum tt_who
 * @from: state before, enum tt_state
 * @to: state after; equal to @from for a remark
 * @why: enum tt_why
 * @sender: who sent the segment, enum tt_who; TT_WHO_NONE for the clock
 * @tcp_flags: the segment's TT_TCP_* flags
 */
struct tt_note {
	u64 time;
	u32 seq;
	u32 ack;
	u32 len;
	u32 anomalies;
	u8 endpoint;
	u8 from;
	u8 to;
	u8 why;
	u8 sender;
	u8 tcp_flags;
};

/**
 * struct tt_conn - both endpoints of one flow, and its story so far
 * @peer: [TT_CLIENT] and [TT_SERVER]
 * @created: time of the first segment
 * @last_seen: time of the latest segment
 * @changed: time of the latest state change of either endpoint
 * @anomalies: TT_ANOM_* bits raised so far
 * @flags: TT_FLOW_F_* bits (uapi), and TT_CONN_STARTED
 * @client_side: which end of the caller's flow key is the client (0 or 1)
 * @opener: who opened actively, enum tt_who
 * @closer: who closed actively, enum tt_who
 * @outcome: enum tt_outcome
 * @hist_depth: notes @hist can hold, 0 for no history
 * @hist_len: notes it holds
 * @hist_head: index of the oldest
 * @hist: ring of the latest notes, @hist_depth entries; the caller's
 *	memory (tt_conn_init()), so that a flow without history has none
 */
struct tt_conn {
	struct tt_peer peer[2];
	u64 created;
	u64 last_seen;
	u64 changed;
	u32 anomalies;
	u16 flags;
	u8 client_side;
	u8 opener;
	u8 closer;
	u8 outcome;
	u16 hist_depth;
	u16 hist_len;
	u16 hist_head;
	struct tt_note *hist;
};

/* Internal bit of tt_conn.flags, above the uapi's TT_FLOW_F_* bits. */
#define TT_CONN_STARTED		BIT(15)

/* Most notes one segment can add: transitions, remarks, both halves. */
#define TT_NOTES_PER_SEG	8

/**
 * struct tt_verdict - what one call changed, for the caller to report
 * @notes: the notes this call added, also when the history keeps none
 * @nnotes: how many
 * @created: this was the flow's first segment
 * @ended: the flow ended in this call (both endpoints CLOSED, or expired)
 */
struct tt_verdict {
	struct tt_note notes[TT_NOTES_PER_SEG];
	u8 nnotes;
	bool created;
	bool ended;
};

/**
 * struct tt_timeouts - how long things last, in ns of the caller's clock
 * @time_wait: TIME_WAIT, 2 * MSL
 * @linger: how long an ended flow stays visible
 * @idle: a flow without segments for this long is dropped
 */
struct tt_timeouts {
	u64 time_wait;
	u64 linger;
	u64 idle;
};

/**
 * tt_history_size() - bytes of a history of @depth notes
 * @depth: history depth
 *
 * Return: the size to allocate for tt_conn_init()'s @hist.
 */
static inline size_t tt_history_size(unsigned int depth)
{
	return depth * sizeof(struct tt_note);
}

void tt_conn_init(struct tt_conn *c, struct tt_note *hist,
		  unsigned int depth);
bool tt_seg_starts_flow(const struct tt_seg *seg);
bool tt_conn_new_incarnation(const struct tt_conn *c, const struct tt_seg *seg);

/**
 * enum tt_step - what a table does with a segment, given what its key finds
 * @TT_STEP_IGNORE: no flow, and this segment may not make one
 * @TT_STEP_CREATE: no flow: make one and feed it the segment
 * @TT_STEP_REPLACE: the flow's connection is over and the segment opens
 *	the next one: end the flow, then look again (and create)
 * @TT_STEP_FEED: feed the segment to the flow
 */
enum tt_step {
	TT_STEP_IGNORE,
	TT_STEP_CREATE,
	TT_STEP_REPLACE,
	TT_STEP_FEED,
};

enum tt_step tt_table_step(const struct tt_conn *c, const struct tt_seg *seg);

/* A note changes an endpoint's state (a transition), or remarks (anomaly). */
static inline bool tt_note_is_transition(const struct tt_note *n)
{
	return n->from != n->to;
}

void tt_conn_segment(struct tt_conn *c, const struct tt_seg *seg,
		     unsigned int side, unsigned int obs, u64 now,
		     struct tt_verdict *v);
bool tt_conn_expire(struct tt_conn *c, u64 now, const struct tt_timeouts *t,
		    struct tt_verdict *v);
u64 tt_conn_time_wait_left(const struct tt_conn *c, u64 now,
			   const struct tt_timeouts *t);
u64 tt_conn_next_timer(const struct tt_conn *c, const struct tt_timeouts *t);
const struct tt_note *tt_conn_note(const struct tt_conn *c, unsigned int i);

/**
 * tt_conn_notes() - how many notes the history holds
 * @c: the flow
 *
 * Return: the number of notes tt_conn_note() gives, oldest first.
 */
static inline unsigned int tt_conn_notes(const struct tt_conn *c)
{
	return c->hist_len;
}

/**
 * tt_conn_ended() - have both endpoints reached CLOSED?
 * @c: the flow
 *
 * Return: true once the flow has ended.
 */
static inline bool tt_conn_ended(const struct tt_conn *c)
{
	return c->flags & TT_FLOW_F_ENDED;
}

/* Names shared by /proc, netlink users and the tools: one home for each. */
const char *tt_state_name(unsigned int state);
const char *tt_who_name(unsigned int who);
const char *tt_outcome_name(unsigned int outcome);
const char *tt_local_name(unsigned int flags);
const char *tt_anomaly_name(unsigned int bit);
const char *tt_why_name(unsigned int why);
const char *tt_why_text(unsigned int why);
bool tt_why_resent(unsigned int why);
int tt_state_value(const char *word);
int tt_who_value(const char *word);
int tt_outcome_value(const char *word);
int tt_anomaly_value(const char *word);
int tt_why_value(const char *word);
unsigned int tt_anomalies_str(u32 anomalies, char *buf, unsigned int size);

/*
 * The transition tables, exported for the generated documentation and the
 * tests.  Each cell is an enum tt_why; tt_why_next() says where it leads.
 */
enum tt_send_event {
	TT_SEND_ACK_SYN,	/* first segment acknowledging the peer's SYN */
	TT_SEND_SYN,
	TT_SEND_SYNACK,
	TT_SEND_FIN,
	TT_SEND_FIN_CROSSED,	/* FIN not acknowledging the peer's, seen */
	TT_SEND_RST,		/* one the receiver accepts */
	TT_SEND_RST_FIN_UNACKED,	/* the same, not having acked the peer's FIN */
	TT_SEND_EVENTS
};

enum tt_recv_event {
	TT_RECV_ACK_SYN,	/* acknowledges the receiver's SYN */
	TT_RECV_SYN,
	TT_RECV_SYNACK,
	TT_RECV_ACK_FIN,	/* acknowledges the receiver's FIN */
	TT_RECV_FIN,
	TT_RECV_FIN_ACK,	/* FIN that also acknowledges the receiver's FIN */
	TT_RECV_RST,		/* an acceptable RST */
	TT_RECV_RST_OPENER,	/* the same, to an end that sent a SYN */
	TT_RECV_EVENTS
};

/* tt_why_next() of a remark: the endpoint stays where it is. */
#define TT_STATE_SAME	0xff

extern const u8 tt_send_rules[TT_SEND_EVENTS][__TT_STATE_MAX];
extern const u8 tt_recv_rules[TT_RECV_EVENTS][__TT_STATE_MAX];
const char *tt_send_event_name(unsigned int ev);
const char *tt_recv_event_name(unsigned int ev);
unsigned int tt_why_next(unsigned int why);

#endif /* _TT_STATE_H */
