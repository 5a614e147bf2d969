// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * An event read back from a line of `monitor --json` (or `replay --json`):
 * the inverse of print.c's put_event(), for `ladder`.  Every word is
 * looked up where it is written: the states, reasons, outcomes, anomalies
 * and endpoints by the core's reverse lookups (tt_state_value(), ...,
 * state.c), the TCP flags in tt_tcp_flags_str() (parse.c), the event types
 * in event_type_name().
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "json.h"

/* The value of member @key as @value() reads its word back; 0 without. */
static unsigned int get_enum(const struct json_obj *o, const char *key,
			     int (*value)(const char *word))
{
	const char *v = json_get(o, key);
	int i = v ? value(v) : -1;

	return i < 0 ? 0 : i;
}

static uint64_t get_u64(const struct json_obj *o, const char *key, bool *has)
{
	const char *v = json_get(o, key);

	if (has)
		*has = v && *v;
	return v ? strtoull(v, NULL, 10) : 0;
}

static bool get_bool(const struct json_obj *o, const char *key)
{
	const char *v = json_get(o, key);

	return v && !strcmp(v, "true");
}

/* "retrans-syn,half-open" back to TT_ANOM_* bits. */
static uint32_t get_anomalies(const struct json_obj *o, const char *key)
{
	const char *v = json_get(o, key);
	char buf[JSON_VAL_MAX], *tok, *save;
	uint32_t bits = 0;
	int i;

	if (!v)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		i = tt_anomaly_value(tok);
		if (i >= 0)
			bits |= 1U << i;
	}
	return bits;
}

/* "SYN,ACK" back to TT_TCP_* bits. */
static uint8_t get_flags(const struct json_obj *o)
{
	const char *v = json_get(o, "flags");
	char buf[64], name[32], *tok, *save;
	uint8_t bits = 0;
	unsigned int i;

	if (!v)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		for (i = 0; i < 8; i++) {
			tt_tcp_flags_str(1U << i, name, sizeof(name));
			if (!strcmp(tok, name))
				bits |= 1U << i;
		}
	return bits;
}

/**
 * json_event() - one line of `monitor --json`, read back
 * @o: the line's members (json_read_line())
 * @ev: filled with the event; its flow as the line has it
 *
 * Return: 0 and @ev; 1 for a line to skip (not an event of a flow: "lost",
 * or no "type"); -EINVAL for an event without its endpoints.
 */
int json_event(const struct json_obj *o, struct event *ev)
{
	const char *type = json_get(o, "type"), *c, *s;
	struct flow *f = &ev->flow;
	uint8_t fam2;
	unsigned int i, local;

	memset(ev, 0, sizeof(*ev));
	if (!type)
		return 1;
	for (i = 0; i < EV_LOST; i++)
		if (!strcmp(type, event_type_name(i)))
			break;
	if (i == EV_LOST)
		return 1;	/* "lost", or something else */
	ev->type = i;
	c = json_get(o, "client");
	s = json_get(o, "server");
	if (!c || !s || endpoint_parse(c, &f->family, f->addr[0], &f->port[0]) ||
	    endpoint_parse(s, &fam2, f->addr[1], &f->port[1]) ||
	    fam2 != f->family)
		return -EINVAL;
	f->id = get_u64(o, "id", NULL);
	f->state[0] = get_enum(o, "client_state", tt_state_value);
	f->state[1] = get_enum(o, "server_state", tt_state_value);
	f->opener = get_enum(o, "opener", tt_who_value);
	f->closer = get_enum(o, "closer", tt_who_value);
	f->outcome = get_enum(o, "outcome", tt_outcome_value);
	f->anomalies = get_anomalies(o, "anomalies");
	/* tt_local_name(): the tt_who_name() of the local endpoints */
	local = get_enum(o, "local", tt_who_value);
	if (local & TT_WHO_CLIENT)
		f->flags |= TT_FLOW_F_CLIENT_LOCAL;
	if (local & TT_WHO_SERVER)
		f->flags |= TT_FLOW_F_SERVER_LOCAL;
	if (get_bool(o, "picked_up"))
		f->flags |= TT_FLOW_F_PICKED_UP;
	if (get_bool(o, "established"))
		f->flags |= TT_FLOW_F_ESTABLISHED;
	if (ev->type == EV_END)
		f->flags |= TT_FLOW_F_ENDED;
	f->packets[0] = get_u64(o, "client_packets", NULL);
	f->bytes[0] = get_u64(o, "client_bytes", NULL);
	f->packets[1] = get_u64(o, "server_packets", NULL);
	f->bytes[1] = get_u64(o, "server_bytes", NULL);
	f->isn[0] = get_u64(o, "client_isn", &f->has_isn[0]);
	f->isn[1] = get_u64(o, "server_isn", &f->has_isn[1]);
	f->age_ms = get_u64(o, "age_ms", NULL);
	/* Who held each endpoint; its processes are those of the recording
	 * host then, not looked up again (put_flow()).
	 */
	for (i = 0; i < 2; i++) {
		bool has_uid, has_inode;

		f->uid[i] = get_u64(o, i ? "server_uid" : "client_uid",
				    &has_uid);
		f->inode[i] = get_u64(o, i ? "server_inode" : "client_inode",
				      &has_inode);
		f->has_owner[i] = has_uid && has_inode;
	}
	if (ev->type == EV_TRANSITION || ev->type == EV_ANOMALY) {
		struct note *n = &ev->note;

		n->time_ms = get_u64(o, "time_ms", NULL);
		n->endpoint = get_enum(o, "endpoint", tt_who_value);
		n->from = get_enum(o, "from", tt_state_value);
		n->to = get_enum(o, "to", tt_state_value);
		n->why = get_enum(o, "why", tt_why_value);
		n->sender = get_enum(o, "sender", tt_who_value);
		n->tcp_flags = get_flags(o);
		n->seq = get_u64(o, "seq", NULL);
		n->ack = get_u64(o, "ack", NULL);
		/* put_event() leaves both out for a reader without them */
		n->seq_hidden = !json_get(o, "seq") || !json_get(o, "ack");
		n->len = get_u64(o, "len", NULL);
		n->anomalies = get_anomalies(o, "raised");
	}
	return 0;
}
