// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * From the module's attributes to struct flow and struct event.  Each nest
 * is parsed like libmnl's examples and iproute2 do: a callback validates
 * every attribute's type and length and files it into tb[]; unknown
 * attributes (a newer module of the same version) are skipped.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "flow.h"

/* The type each attribute must have; MNL_TYPE_UNSPEC: checked by hand. */
static const enum mnl_attr_data_type flow_types[TT_A_FLOW_MAX + 1] = {
	[TT_A_FLOW_ID] = MNL_TYPE_U64,
	[TT_A_FLOW_FAMILY] = MNL_TYPE_U8,
	[TT_A_FLOW_CLIENT_PORT] = MNL_TYPE_U16,
	[TT_A_FLOW_SERVER_PORT] = MNL_TYPE_U16,
	[TT_A_FLOW_CLIENT_STATE] = MNL_TYPE_U8,
	[TT_A_FLOW_SERVER_STATE] = MNL_TYPE_U8,
	[TT_A_FLOW_OPENER] = MNL_TYPE_U8,
	[TT_A_FLOW_CLOSER] = MNL_TYPE_U8,
	[TT_A_FLOW_OUTCOME] = MNL_TYPE_U8,
	[TT_A_FLOW_ANOMALIES] = MNL_TYPE_U32,
	[TT_A_FLOW_FLAGS] = MNL_TYPE_U32,
	[TT_A_FLOW_CLIENT_PACKETS] = MNL_TYPE_U64,
	[TT_A_FLOW_CLIENT_BYTES] = MNL_TYPE_U64,
	[TT_A_FLOW_SERVER_PACKETS] = MNL_TYPE_U64,
	[TT_A_FLOW_SERVER_BYTES] = MNL_TYPE_U64,
	[TT_A_FLOW_CLIENT_ISN] = MNL_TYPE_U32,
	[TT_A_FLOW_SERVER_ISN] = MNL_TYPE_U32,
	[TT_A_FLOW_AGE_MS] = MNL_TYPE_U64,
	[TT_A_FLOW_STATE_AGE_MS] = MNL_TYPE_U64,
	[TT_A_FLOW_TIME_WAIT_LEFT_MS] = MNL_TYPE_U64,
	[TT_A_FLOW_HISTORY] = MNL_TYPE_NESTED,
	[TT_A_FLOW_CLIENT_UID] = MNL_TYPE_U32,
	[TT_A_FLOW_CLIENT_INODE] = MNL_TYPE_U32,
	[TT_A_FLOW_SERVER_UID] = MNL_TYPE_U32,
	[TT_A_FLOW_SERVER_INODE] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type note_types[TT_A_NOTE_MAX + 1] = {
	[TT_A_NOTE_TIME_MS] = MNL_TYPE_U64,
	[TT_A_NOTE_ENDPOINT] = MNL_TYPE_U8,
	[TT_A_NOTE_FROM] = MNL_TYPE_U8,
	[TT_A_NOTE_TO] = MNL_TYPE_U8,
	[TT_A_NOTE_WHY] = MNL_TYPE_U8,
	[TT_A_NOTE_SENDER] = MNL_TYPE_U8,
	[TT_A_NOTE_TCP_FLAGS] = MNL_TYPE_U8,
	[TT_A_NOTE_SEQ] = MNL_TYPE_U32,
	[TT_A_NOTE_ACK] = MNL_TYPE_U32,
	[TT_A_NOTE_LEN] = MNL_TYPE_U32,
	[TT_A_NOTE_ANOMALIES] = MNL_TYPE_U32,
};

static int flow_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);

	if (mnl_attr_type_valid(attr, TT_A_FLOW_MAX) < 0)
		return MNL_CB_OK;
	if (type == TT_A_FLOW_CLIENT_ADDR || type == TT_A_FLOW_SERVER_ADDR) {
		if (len != 4 && len != 16) {
			errno = EBADMSG;
			return MNL_CB_ERROR;
		}
	} else if (flow_types[type] != MNL_TYPE_UNSPEC &&
		   mnl_attr_validate(attr, flow_types[type]) < 0) {
		return MNL_CB_ERROR;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int note_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, TT_A_NOTE_MAX) < 0)
		return MNL_CB_OK;
	if (note_types[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, note_types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int top_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, TT_A_MAX) < 0)
		return MNL_CB_OK;
	if (type != TT_A_PAD && mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static uint8_t get_u8(const struct nlattr *a, uint8_t dflt)
{
	return a ? mnl_attr_get_u8(a) : dflt;
}

static uint32_t get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

static int note_parse(const struct nlattr *nest, struct note *n)
{
	const struct nlattr *tb[TT_A_NOTE_MAX + 1] = {};

	if (mnl_attr_parse_nested(nest, note_attr_cb, tb) < 0)
		return -errno;
	memset(n, 0, sizeof(*n));
	n->time_ms = get_u64(tb[TT_A_NOTE_TIME_MS]);
	n->endpoint = get_u8(tb[TT_A_NOTE_ENDPOINT], TT_WHO_NONE);
	n->from = get_u8(tb[TT_A_NOTE_FROM], TT_STATE_CLOSED);
	n->to = get_u8(tb[TT_A_NOTE_TO], n->from);
	n->why = get_u8(tb[TT_A_NOTE_WHY], TT_WHY_NONE);
	n->sender = get_u8(tb[TT_A_NOTE_SENDER], TT_WHO_NONE);
	n->tcp_flags = get_u8(tb[TT_A_NOTE_TCP_FLAGS], 0);
	/* Withheld from a reader without the privilege to see them. */
	n->seq_hidden = !tb[TT_A_NOTE_SEQ] || !tb[TT_A_NOTE_ACK];
	n->seq = get_u32(tb[TT_A_NOTE_SEQ]);
	n->ack = get_u32(tb[TT_A_NOTE_ACK]);
	n->len = get_u32(tb[TT_A_NOTE_LEN]);
	n->anomalies = get_u32(tb[TT_A_NOTE_ANOMALIES]);
	return 0;
}

static int history_parse(const struct nlattr *nest, struct flow *f)
{
	const struct nlattr *pos;
	unsigned int n = 0;
	int err;

	mnl_attr_for_each_nested(pos, nest)
		n++;
	f->hist = calloc(n ? n : 1, sizeof(*f->hist));
	if (!f->hist)
		return -ENOMEM;
	mnl_attr_for_each_nested(pos, nest) {
		if (mnl_attr_get_type(pos) != TT_A_FLOW_HISTORY_ENTRY)
			continue;
		err = note_parse(pos, &f->hist[f->nhist]);
		if (err)
			return err;
		f->nhist++;
	}
	return 0;
}

static int addr_get(const struct nlattr *a, uint8_t family, uint8_t *addr)
{
	if (!a || mnl_attr_get_payload_len(a) != addr_len(family))
		return -EBADMSG;
	memcpy(addr, mnl_attr_get_payload(a), addr_len(family));
	return 0;
}

/**
 * flow_parse() - decode a TT_A_FLOW nest
 * @nest: the nest
 * @f: filled in; free with flow_free()
 *
 * Return: 0, -EBADMSG when the key is missing or malformed, -ENOMEM.
 */
int flow_parse(const struct nlattr *nest, struct flow *f)
{
	const struct nlattr *tb[TT_A_FLOW_MAX + 1] = {};
	int err;

	memset(f, 0, sizeof(*f));
	if (mnl_attr_parse_nested(nest, flow_attr_cb, tb) < 0)
		return -errno;
	if (!tb[TT_A_FLOW_FAMILY] || !tb[TT_A_FLOW_CLIENT_PORT] ||
	    !tb[TT_A_FLOW_SERVER_PORT])
		return -EBADMSG;
	f->family = mnl_attr_get_u8(tb[TT_A_FLOW_FAMILY]);
	if (f->family != AF_INET && f->family != AF_INET6)
		return -EBADMSG;
	err = addr_get(tb[TT_A_FLOW_CLIENT_ADDR], f->family, f->addr[0]);
	if (!err)
		err = addr_get(tb[TT_A_FLOW_SERVER_ADDR], f->family,
			       f->addr[1]);
	if (err)
		return err;
	f->port[0] = ntohs(mnl_attr_get_u16(tb[TT_A_FLOW_CLIENT_PORT]));
	f->port[1] = ntohs(mnl_attr_get_u16(tb[TT_A_FLOW_SERVER_PORT]));
	f->id = get_u64(tb[TT_A_FLOW_ID]);
	f->state[0] = get_u8(tb[TT_A_FLOW_CLIENT_STATE], TT_STATE_CLOSED);
	f->state[1] = get_u8(tb[TT_A_FLOW_SERVER_STATE], TT_STATE_CLOSED);
	f->opener = get_u8(tb[TT_A_FLOW_OPENER], TT_WHO_NONE);
	f->closer = get_u8(tb[TT_A_FLOW_CLOSER], TT_WHO_NONE);
	f->outcome = get_u8(tb[TT_A_FLOW_OUTCOME], TT_OUTCOME_OPEN);
	f->anomalies = get_u32(tb[TT_A_FLOW_ANOMALIES]);
	f->flags = get_u32(tb[TT_A_FLOW_FLAGS]);
	f->packets[0] = get_u64(tb[TT_A_FLOW_CLIENT_PACKETS]);
	f->bytes[0] = get_u64(tb[TT_A_FLOW_CLIENT_BYTES]);
	f->packets[1] = get_u64(tb[TT_A_FLOW_SERVER_PACKETS]);
	f->bytes[1] = get_u64(tb[TT_A_FLOW_SERVER_BYTES]);
	f->has_isn[0] = tb[TT_A_FLOW_CLIENT_ISN];
	f->isn[0] = get_u32(tb[TT_A_FLOW_CLIENT_ISN]);
	f->has_isn[1] = tb[TT_A_FLOW_SERVER_ISN];
	f->isn[1] = get_u32(tb[TT_A_FLOW_SERVER_ISN]);
	f->age_ms = get_u64(tb[TT_A_FLOW_AGE_MS]);
	f->state_age_ms = get_u64(tb[TT_A_FLOW_STATE_AGE_MS]);
	f->has_time_wait = tb[TT_A_FLOW_TIME_WAIT_LEFT_MS];
	f->time_wait_left_ms = get_u64(tb[TT_A_FLOW_TIME_WAIT_LEFT_MS]);
	/* The module sends both or neither; one alone is not an owner. */
	f->has_owner[0] = tb[TT_A_FLOW_CLIENT_UID] && tb[TT_A_FLOW_CLIENT_INODE];
	f->uid[0] = get_u32(tb[TT_A_FLOW_CLIENT_UID]);
	f->inode[0] = get_u32(tb[TT_A_FLOW_CLIENT_INODE]);
	f->has_owner[1] = tb[TT_A_FLOW_SERVER_UID] && tb[TT_A_FLOW_SERVER_INODE];
	f->uid[1] = get_u32(tb[TT_A_FLOW_SERVER_UID]);
	f->inode[1] = get_u32(tb[TT_A_FLOW_SERVER_INODE]);
	if (tb[TT_A_FLOW_HISTORY])
		return history_parse(tb[TT_A_FLOW_HISTORY], f);
	return 0;
}

void flow_free(struct flow *f)
{
	free(f->hist);
	f->hist = NULL;
	f->nhist = 0;
}

/**
 * event_parse() - decode one message of the "events" group
 * @nlh: the message
 * @ev: filled in; flow_free(&ev->flow) afterwards
 *
 * Return: 0, -ENOMSG for a command that is not an event, or -errno.
 */
int event_parse(const struct nlmsghdr *nlh, struct event *ev)
{
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[TT_A_MAX + 1] = {};
	int err;

	memset(ev, 0, sizeof(*ev));
	switch (gh->cmd) {
	case TT_CMD_FLOW_NEW:
		ev->type = EV_NEW;
		break;
	case TT_CMD_FLOW_TRANSITION:
		ev->type = EV_TRANSITION;
		break;
	case TT_CMD_FLOW_ANOMALY:
		ev->type = EV_ANOMALY;
		break;
	case TT_CMD_FLOW_END:
		ev->type = EV_END;
		break;
	default:
		return -ENOMSG;
	}
	if (mnl_attr_parse(nlh, sizeof(*gh), top_attr_cb, tb) < 0)
		return -errno;
	if (!tb[TT_A_FLOW])
		return -EBADMSG;
	err = flow_parse(tb[TT_A_FLOW], &ev->flow);
	if (err)
		return err;
	if (ev->type == EV_TRANSITION || ev->type == EV_ANOMALY) {
		if (!tb[TT_A_NOTE])
			return -EBADMSG;
		return note_parse(tb[TT_A_NOTE], &ev->note);
	}
	return 0;
}

/* The "type" of an event in --json output, and its word in text. */
const char *event_type_name(enum event_type type)
{
	static const char * const names[] = {
		[EV_NEW] = "new",
		[EV_TRANSITION] = "transition",
		[EV_ANOMALY] = "anomaly",
		[EV_END] = "end",
		[EV_LOST] = "lost",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

unsigned int addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

const char *family_name(uint8_t family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "?";
}

/**
 * endpoint_str() - "10.0.0.1:80" or "[fd00::1]:80"
 * @f: the flow
 * @who: 0 for the client, 1 for the server
 * @buf: where to write
 * @size: ENDPOINT_STRLEN is enough
 *
 * Return: the length written.
 */
int endpoint_str(const struct flow *f, unsigned int who, char *buf,
		 size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(f->family, f->addr[who], a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (f->family == AF_INET6)
		return snprintf(buf, size, "[%s]:%u", a, f->port[who]);
	return snprintf(buf, size, "%s:%u", a, f->port[who]);
}

/**
 * endpoint_parse() - read "ADDR:PORT" or "[ADDR6]:PORT"
 * @s: the text
 * @family: set to AF_INET or AF_INET6
 * @addr: set to the address, network order
 * @port: set to the port, host order
 *
 * Return: 0 or -EINVAL.
 */
int endpoint_parse(const char *s, uint8_t *family, uint8_t addr[16],
		   uint16_t *port)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *p;
	bool bracketed = s[0] == '[';
	unsigned long v;
	char *end;
	size_t n;

	if (bracketed) {
		p = strchr(s, ']');
		if (!p || p[1] != ':')
			return -EINVAL;
		n = p - s - 1;
		colon = p + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -EINVAL;
		n = colon - s;
	}
	if (n == 0 || n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	errno = 0;
	v = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || v > 65535)
		return -EINVAL;
	*port = v;
	memset(addr, 0, 16);
	if (!bracketed && inet_pton(AF_INET, host, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (bracketed && inet_pton(AF_INET6, host, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}
