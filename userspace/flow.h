/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Flows, notes and events as tcptracectl holds them: decoded from the
 * module's attributes (flow.c) or built from the in-process state machine
 * of `replay`.  Index 0 of the two-element arrays is the client, 1 the
 * server, as TT_CLIENT and TT_SERVER in state.h.
 */

#ifndef TCPTRACECTL_FLOW_H
#define TCPTRACECTL_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "state.h"

/* "[ffff:...:ffff]:65535" and a NUL */
#define ENDPOINT_STRLEN	56

/**
 * struct note - one history entry, or the cause of an event (TT_A_NOTE_*)
 * @time_ms: since the flow was created
 * @seq: the segment's sequence number, absolute; 0 if @seq_hidden
 * @ack: its acknowledgment number, absolute; 0 if @seq_hidden
 * @len: its payload bytes
 * @anomalies: TT_ANOM_* bits it raised
 * @endpoint: whose state, enum tt_who
 * @from: enum tt_state
 * @to: enum tt_state, == @from for a remark
 * @why: enum tt_why
 * @sender: who sent the segment, enum tt_who; TT_WHO_NONE for the clock
 * @tcp_flags: TT_TCP_* bits
 * @seq_hidden: the module withheld @seq and @ack from this reader (no
 *	TT_A_NOTE_SEQ or TT_A_NOTE_ACK; see TT_FLOW_F_SEQ_HIDDEN); false in
 *	notes of replay, which has every number
 */
struct note {
	uint64_t time_ms;
	uint32_t seq;
	uint32_t ack;
	uint32_t len;
	uint32_t anomalies;
	uint8_t endpoint;
	uint8_t from;
	uint8_t to;
	uint8_t why;
	uint8_t sender;
	uint8_t tcp_flags;
	bool seq_hidden;
};

/**
 * struct flow - one flow (TT_A_FLOW_*)
 * @id: unique per flow and incarnation
 * @family: AF_INET or AF_INET6
 * @addr: the client's and the server's address, network order
 * @port: their ports, host order
 * @state: their states, enum tt_state
 * @opener: enum tt_who
 * @closer: enum tt_who
 * @outcome: enum tt_outcome
 * @anomalies: TT_ANOM_* bits
 * @flags: TT_FLOW_F_* bits
 * @packets: segments each sent
 * @bytes: payload bytes each sent
 * @isn: their initial sequence numbers, where @has_isn says so
 * @has_isn: whether @isn is known (not for a flow picked up mid-stream, nor
 *	for a reader the module hides sequence numbers from: TT_FLOW_F_SEQ_HIDDEN
 *	in @flags)
 * @age_ms: since the flow was created
 * @state_age_ms: since the last state change
 * @time_wait_left_ms: until TIME_WAIT ends, where @has_time_wait says so
 * @has_time_wait: an endpoint is in TIME_WAIT
 * @uid: the owner of each endpoint's local socket, where @has_owner says so
 * @inode: that socket's inode, where @has_owner says so
 * @has_owner: the endpoint is a local socket seen sending, not orphaned, in
 *	TIME_WAIT or CLOSED (TT_A_FLOW_*_UID and TT_A_FLOW_*_INODE)
 * @hist: the history, oldest first (show only), @nhist entries
 * @nhist: how many
 */
struct flow {
	uint64_t id;
	uint8_t family;
	uint8_t addr[2][16];
	uint16_t port[2];
	uint8_t state[2];
	uint8_t opener;
	uint8_t closer;
	uint8_t outcome;
	uint32_t anomalies;
	uint32_t flags;
	uint64_t packets[2];
	uint64_t bytes[2];
	uint32_t isn[2];
	bool has_isn[2];
	uint64_t age_ms;
	uint64_t state_age_ms;
	uint64_t time_wait_left_ms;
	bool has_time_wait;
	uint32_t uid[2];
	uint32_t inode[2];
	bool has_owner[2];
	struct note *hist;
	unsigned int nhist;
};

/* What a monitor sees: the module's events, and the loss of some. */
enum event_type {
	EV_NEW,
	EV_TRANSITION,
	EV_ANOMALY,
	EV_END,
	EV_LOST,
};

/**
 * struct event - one event of the "events" group, or of replay
 * @type: enum event_type
 * @flow: the flow (not for EV_LOST)
 * @note: the cause of EV_TRANSITION and EV_ANOMALY
 * @dropped: EV_LOST: events this socket missed, where @has_dropped says so
 * @events_lost: EV_LOST: increase of the module's events_lost counter
 * @has_dropped: @dropped is known
 * @has_events_lost: @events_lost is known
 */
struct event {
	enum event_type type;
	struct flow flow;
	struct note note;
	unsigned long long dropped;
	unsigned long long events_lost;
	bool has_dropped;
	bool has_events_lost;
};

int flow_parse(const struct nlattr *nest, struct flow *f);
void flow_free(struct flow *f);
int event_parse(const struct nlmsghdr *nlh, struct event *ev);
const char *event_type_name(enum event_type type);

int endpoint_str(const struct flow *f, unsigned int who, char *buf,
		 size_t size);
int endpoint_parse(const char *s, uint8_t *family, uint8_t addr[16],
		   uint16_t *port);
unsigned int addr_len(uint8_t family);
const char *family_name(uint8_t family);

#endif /* TCPTRACECTL_FLOW_H */
