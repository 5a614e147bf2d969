// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Generic netlink plumbing on libmnl, the way libmnl's examples and
 * iproute2 do it: the controller resolves the family by name, requests are
 * built with mnl_nlmsg_put_header(), replies are run through mnl_cb_run2()
 * with our own NLMSG_ERROR and NLMSG_DONE handlers so that the kernel's
 * extended ack (the message naming the bad attribute) reaches the user.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "genl.h"
#include "shared.h"
#include "tcptracectl.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO	55
#endif

/* The answer of CTRL_CMD_GETFAMILY. */
struct family_info {
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp_events;
	uint32_t mcgrp_public;
	bool found_id;
};

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, CTRL_ATTR_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel: skip */
	switch (type) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		break;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int grp_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, CTRL_ATTR_MCAST_GRP_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case CTRL_ATTR_MCAST_GRP_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_MCAST_GRP_NAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = {};
	struct family_info *fi = data;
	const struct nlattr *pos;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctrl_attr_cb,
			   tb) < 0)
		return MNL_CB_ERROR;
	if (tb[CTRL_ATTR_FAMILY_ID]) {
		fi->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
		fi->found_id = true;
	}
	if (tb[CTRL_ATTR_VERSION])
		fi->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(pos, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};

		const char *name;
		uint32_t id;

		if (mnl_attr_parse_nested(pos, grp_attr_cb, g) < 0)
			return MNL_CB_ERROR;
		if (!g[CTRL_ATTR_MCAST_GRP_NAME] || !g[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		name = mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]);
		id = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
		if (!strcmp(name, TT_GENL_MCGRP_EVENTS))
			fi->mcgrp_events = id;
		else if (!strcmp(name, TT_GENL_MCGRP_PUBLIC))
			fi->mcgrp_public = id;
	}
	return MNL_CB_OK;
}

/* The data callback of one request, and what it needs to see. */
struct talk {
	struct genl *g;
	mnl_cb_t cb;
	void *data;
};

/* Extended ack attributes (NLMSGERR_ATTR_*), after the error header. */
static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, NLMSGERR_ATTR_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Keep the extended ack found at @off bytes into @nlh's payload. */
static void take_ext_ack(struct genl *g, const struct nlmsghdr *nlh,
			 unsigned int off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    off > mnl_nlmsg_get_payload_len(nlh))
		return;
	if (mnl_attr_parse(nlh, off, ext_attr_cb, tb) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(g->ext_msg, sizeof(g->ext_msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		g->ext_miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct genl *g = ((struct talk *)data)->g;
	unsigned int off = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* The request comes back after the error unless it was capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	take_ext_ack(g, nlh, off);
	if (err->error == 0)
		return MNL_CB_STOP;
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

/* The end of a dump carries its error, if any, and maybe an extended ack. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl *g = ((struct talk *)data)->g;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		take_ext_ack(g, nlh, sizeof(int));
	}
	if (err == 0)
		return MNL_CB_STOP;
	errno = err < 0 ? -err : err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/*
 * libmnl stops at a message flagged NLM_F_DUMP_INTR (EINTR), dropping the
 * rest of the batch.  The module's dumps report each flow present for the
 * whole dump exactly once however the table changes, so the flag only says
 * that flows which came or went meanwhile may be missing: note it, clear
 * it, and read on.
 */
static void take_dump_intr(struct genl *g, void *buf, int len)
{
	struct nlmsghdr *nlh = buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			g->dump_intr = true;
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
		}
	}
}

static int open_socket(struct genl *g)
{
	int one = 1;

	g->buf = malloc(GENL_BUF_SIZE);
	if (!g->buf)
		return -ENOMEM;
	g->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!g->nl)
		return -errno;
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	g->portid = mnl_socket_get_portid(g->nl);
	g->seq = (unsigned int)time(NULL);
	/* Extended acks, without our request echoed back in front of them. */
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

/* Build a request to family @id: the netlink and genetlink headers. */
static struct nlmsghdr *put_request(struct genl *g, void *buf, uint16_t id,
				    uint8_t cmd, uint8_t version,
				    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

/**
 * genl_open() - open a socket and find the tcptrace family
 * @g: filled in
 *
 * Return: 0; -ERR_NOMODULE, reported, when the family is not there or has
 * another version than this tool was built for; another -errno (not
 * reported) when netlink itself fails.  Nothing is left open on failure.
 */
int genl_open(struct genl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_info fi = {};
	struct nlmsghdr *nlh;
	int err;

	memset(g, 0, sizeof(*g));
	err = open_socket(g);
	if (err)
		goto fail;
	nlh = put_request(g, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			  NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TT_GENL_NAME);
	err = genl_talk(g, nlh, family_cb, &fi);
	if (err == -ENOENT || (!err && !fi.found_id)) {
		error_msg("the tcptrace module is not loaded (no generic netlink family \"%s\");\n"
			  "  load it with 'modprobe tcptrace', or 'insmod module/tcptrace.ko' in a checkout",
			  TT_GENL_NAME);
		err = -ERR_NOMODULE;
		goto fail;
	}
	if (err)
		goto fail;
	if (fi.version != TT_GENL_VERSION) {
		error_msg("the loaded tcptrace module speaks version %u of the netlink protocol, this tcptracectl version %u;\n"
			  "  use the tcptracectl built with that module (attribute numbers differ between versions)",
			  fi.version, TT_GENL_VERSION);
		err = -ERR_NOMODULE;
		goto fail;
	}
	g->family = fi.id;
	g->version = fi.version;
	g->mcgrp_events = fi.mcgrp_events;
	g->mcgrp_public = fi.mcgrp_public;
	return 0;
fail:
	genl_close(g);
	return err;
}

void genl_close(struct genl *g)
{
	if (g->nl)
		mnl_socket_close(g->nl);
	free(g->buf);
	g->nl = NULL;
	g->buf = NULL;
}

/**
 * genl_request() - start a request to the tcptrace family
 * @g: the socket
 * @buf: room for the message, MNL_SOCKET_BUFFER_SIZE bytes
 * @cmd: enum tt_cmd
 * @flags: NLM_F_DUMP or NLM_F_ACK (genl_talk() needs one of them to know
 *	when the answer is complete)
 *
 * Return: the message, for mnl_attr_put_*().
 */
struct nlmsghdr *genl_request(struct genl *g, void *buf, uint8_t cmd,
			      uint16_t flags)
{
	return put_request(g, buf, g->family, cmd, TT_GENL_VERSION, flags);
}

/**
 * genl_talk() - send a request and run its answer through @cb
 * @g: the socket
 * @nlh: the request, from genl_request()
 * @cb: called for each data message, may be NULL
 * @data: for @cb
 *
 * Return: 0 or -errno.  On a kernel error, @g->ext_msg holds its extended
 * ack message, if it sent one.
 */
int genl_talk(struct genl *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	struct talk t = { .g = g, .cb = cb, .data = data };
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	g->ext_msg[0] = '\0';
	g->ext_miss_type = 0;
	g->dump_intr = false;
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(g->nl, g->buf, GENL_BUF_SIZE);
		if (n < 0)
			return -errno;
		take_dump_intr(g, g->buf, n);
		/* libmnl passes @t to data_cb and to our control callbacks. */
		ret = mnl_cb_run2(g->buf, n, seq, g->portid, data_cb, &t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

/**
 * genl_report() - tell the user why a request failed
 * @g: the socket it failed on
 * @what: what was asked, e.g. "flush"
 * @err: the -errno of genl_talk()
 *
 * A refusal (EPERM) is one line: the kernel's extended ack message if it
 * sent one (it says which privilege is missing), else what is needed.
 */
void genl_report(const struct genl *g, const char *what, int err)
{
	if (err == -EPERM) {
		error_msg("%s: %s: %s", what, strerror(-err),
			  g->ext_msg[0] ? g->ext_msg :
			  "changing tcptrace needs CAP_NET_ADMIN in the user namespace that owns this network namespace (run as root)");
		return;
	}
	error_msg("%s: %s", what, strerror(-err));
	if (g->ext_msg[0])
		fprintf(stderr, "  kernel says: %s\n", g->ext_msg);
	if (g->ext_miss_type)
		fprintf(stderr, "  kernel says: attribute %u is missing\n",
			g->ext_miss_type);
}

static int join(struct genl *g, uint32_t group)
{
	if (mnl_socket_setsockopt(g->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

/*
 * TT_CMD_EVENTS_SUBSCRIBE: the full events to this socket by unicast.
 * Events that come before the answer are dropped by genl_talk(): the
 * subscription is not complete before it anyway.
 */
static int subscribe_unicast(struct genl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = genl_request(g, buf, TT_CMD_EVENTS_SUBSCRIBE, NLM_F_ACK);
	return genl_talk(g, nlh, NULL, NULL);
}

/**
 * genl_subscribe() - start receiving events on @g
 * @g: the socket, used for events only from now on
 * @rcvbuf: receive buffer in bytes, 0 to keep the default
 * @how: set to how the events come
 *
 * The full events when this user may have them: the "events" group, which
 * needs CAP_NET_ADMIN over the network namespace; if that is refused,
 * TT_CMD_EVENTS_SUBSCRIBE, which a member of the module's seq_gid group may
 * send.  If that is refused too, the "events-public" group, open to
 * everyone, whose events carry no sequence numbers.  An older module has
 * neither the subscription nor "events-public", and lets everyone join
 * "events".
 *
 * Also asks for NETLINK_BROADCAST_ERROR, so that the module learns about,
 * and counts in events_lost, each event this socket could not take.
 *
 * Return: 0 or -errno (the error of joining "events" when no fallback
 * was possible).
 */
int genl_subscribe(struct genl *g, int rcvbuf, enum genl_events *how)
{
	int one = 1, fd = mnl_socket_get_fd(g->nl), err;

	if (!g->mcgrp_events && !g->mcgrp_public)
		return -ENOENT;
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		return -errno;
	if (mnl_socket_setsockopt(g->nl, NETLINK_BROADCAST_ERROR, &one,
				  sizeof(one)) < 0)
		return -errno;
	*how = GENL_EVENTS_FULL;
	err = g->mcgrp_events ? join(g, g->mcgrp_events) : -ENOENT;
	if (!err || (err != -EPERM && err != -EACCES && err != -ENOENT))
		return err;
	*how = GENL_EVENTS_UNICAST;
	if (!subscribe_unicast(g))
		return 0;
	if (!g->mcgrp_public)
		return err;
	*how = GENL_EVENTS_PUBLIC;
	return join(g, g->mcgrp_public);
}

/**
 * genl_recv() - wait for the next batch of events
 * @g: a subscribed socket
 *
 * Return: bytes in @g->buf, or -errno: -ENOBUFS when events were lost
 * because the receive buffer was full (the socket stays usable).
 */
int genl_recv(struct genl *g)
{
	ssize_t n = mnl_socket_recvfrom(g->nl, g->buf, GENL_BUF_SIZE);

	return n < 0 ? -errno : (int)n;
}

/**
 * genl_drops() - messages the kernel dropped for this socket so far
 * @g: the socket
 * @drops: set to the count (SK_MEMINFO_DROPS)
 *
 * Return: 0 or -errno.
 */
int genl_drops(const struct genl *g, unsigned long long *drops)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(mnl_socket_get_fd(g->nl), SOL_SOCKET, SO_MEMINFO, mem,
		       &len) < 0)
		return -errno;
	if (len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return -EOPNOTSUPP;
	*drops = mem[SK_MEMINFO_DROPS];
	return 0;
}
