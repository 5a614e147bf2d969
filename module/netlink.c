// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The "tcptrace" generic netlink family: flow dumps and lookups, counters,
 * configuration, flush, and the events.  The protocol is documented in
 * uapi/linux/tcptrace.h.  One fill function writes a flow for dumps, lookups
 * and events alike, with or without the sequence numbers, which only a
 * reader with CAP_NET_ADMIN over the namespace (or in the seq_gid group)
 * gets, as in Linux's own /proc/net/tcp and ss.  Requests are checked
 * strictly, and a refusal's extended ack names the attribute it refuses.
 *
 * Events go to the "events" group (CAP_NET_ADMIN, full), "events-public"
 * (anyone, without sequence numbers) and, by unicast, to the sockets of
 * seq_gid members that asked with TT_CMD_EVENTS_SUBSCRIBE: the netlink core
 * can only let CAP_NET_ADMIN join a group, not the members of a group.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "flowtable.h"
#include "netlink.h"
#include "netns.h"

enum {
	MCGRP_EVENTS,
	MCGRP_PUBLIC,
};

static const struct genl_multicast_group mcgrps[] = {
	[MCGRP_EVENTS] = { .name = TT_GENL_MCGRP_EVENTS,
			   .flags = GENL_MCAST_CAP_NET_ADMIN },
	[MCGRP_PUBLIC] = { .name = TT_GENL_MCGRP_PUBLIC },
};

/* The multicast group of each view of an event. */
static const unsigned int view_group[TT_VIEW_MAX] = {
	[TT_VIEW_FULL] = MCGRP_EVENTS,
	[TT_VIEW_PUBLIC] = MCGRP_PUBLIC,
};

static int seq_gid = -1;
module_param(seq_gid, int, 0444);
MODULE_PARM_DESC(seq_gid, "Members of this group (a gid of the initial user namespace) see sequence numbers as CAP_NET_ADMIN does, e.g. students on a lab machine; -1 for nobody");

/*
 * May the sender of @skb see sequence numbers?  CAP_NET_ADMIN in the user
 * namespace owning @net, as the opener of the socket had it; or the caller
 * is in seq_gid.  Called in the sender's context: a doit, or the first
 * batch of a dump.
 */
static bool may_see_seq(const struct sk_buff *skb, const struct net *net)
{
	kgid_t gid = make_kgid(&init_user_ns, seq_gid);

	return netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN) ||
	       (seq_gid >= 0 && gid_valid(gid) && in_group_p(gid));
}

/*
 * Policies of the nests a request may carry.  The family's policy only says
 * that TT_A_FLOW and TT_A_CONFIG are nests: their contents are validated by
 * parse_nest(), which names the attribute it refuses.  Attributes without a
 * policy entry (the ones only the module sends) are refused in requests.
 */
static const struct nla_policy flow_policy[TT_A_FLOW_MAX + 1] = {
	[TT_A_FLOW_FAMILY] = { .type = NLA_U8 },
	[TT_A_FLOW_CLIENT_ADDR] = NLA_POLICY_RANGE(NLA_BINARY,
						   sizeof(struct in_addr),
						   sizeof(struct in6_addr)),
	[TT_A_FLOW_CLIENT_PORT] = { .type = NLA_BE16 },
	[TT_A_FLOW_SERVER_ADDR] = NLA_POLICY_RANGE(NLA_BINARY,
						   sizeof(struct in_addr),
						   sizeof(struct in6_addr)),
	[TT_A_FLOW_SERVER_PORT] = { .type = NLA_BE16 },
	[TT_A_FLOW_CLIENT_STATE] = NLA_POLICY_MAX(NLA_U8, TT_STATE_MAX),
	[TT_A_FLOW_SERVER_STATE] = NLA_POLICY_MAX(NLA_U8, TT_STATE_MAX),
};

/* The limits of the configuration (defaults.h): policies and messages. */
/* Not const: 6.1's struct nla_policy points to them without const. */
static struct netlink_range_validation msl_range = {
	.min = TT_MSL_MIN, .max = TT_MSL_MAX,
};

static struct netlink_range_validation linger_range = {
	.min = 0, .max = TT_LINGER_MAX,
};

static struct netlink_range_validation idle_range = {
	.min = TT_IDLE_MIN, .max = TT_IDLE_MAX,
};

static struct netlink_range_validation flows_range = {
	.min = 1, .max = INT_MAX,
};

static const struct nla_policy config_policy[TT_A_CONFIG_MAX + 1] = {
	[TT_A_CONFIG_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[TT_A_CONFIG_PORT] = { .type = NLA_U16 },
	[TT_A_CONFIG_ADDR_FAMILY] = { .type = NLA_U8 },
	[TT_A_CONFIG_ADDR] = NLA_POLICY_RANGE(NLA_BINARY,
					      sizeof(struct in_addr),
					      sizeof(struct in6_addr)),
	[TT_A_CONFIG_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[TT_A_CONFIG_HISTORY] = { .type = NLA_U32 },
	[TT_A_CONFIG_MSL] = NLA_POLICY_FULL_RANGE(NLA_U32, &msl_range),
	[TT_A_CONFIG_LINGER] = NLA_POLICY_FULL_RANGE(NLA_U32, &linger_range),
	[TT_A_CONFIG_IDLE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &idle_range),
	[TT_A_CONFIG_MAX_FLOWS] = NLA_POLICY_FULL_RANGE(NLA_U32, &flows_range),
};

static const struct nla_policy tt_policy[TT_A_MAX + 1] = {
	[TT_A_FLOW] = { .type = NLA_NESTED },
	[TT_A_CONFIG] = { .type = NLA_NESTED },
};

static struct genl_family tt_genl_family;

static u64 ns_to_ms(u64 ns)
{
	return div_u64(ns, NSEC_PER_MSEC);
}

static u64 since(u64 now, u64 then)
{
	return now > then ? now - then : 0;
}

static size_t addr_len(u8 family)
{
	return family == AF_INET ? sizeof(struct in_addr) :
				   sizeof(struct in6_addr);
}

/* Room for one note nest. */
static size_t note_size(void)
{
	return nla_total_size(0) +			/* the nest */
	       nla_total_size_64bit(sizeof(u64)) +	/* TIME_MS */
	       5 * nla_total_size(sizeof(u8)) +		/* ENDPOINT..SENDER */
	       nla_total_size(sizeof(u8)) +		/* TCP_FLAGS */
	       4 * nla_total_size(sizeof(u32));		/* SEQ..ANOMALIES */
}

/* Room for a TT_A_FLOW nest with @notes history entries. */
static size_t flow_size(unsigned int notes)
{
	return nla_total_size(0) +
	       nla_total_size_64bit(sizeof(u64)) +		/* ID */
	       nla_total_size(sizeof(u8)) +			/* FAMILY */
	       2 * nla_total_size(sizeof(struct in6_addr)) +
	       2 * nla_total_size(sizeof(__be16)) +
	       5 * nla_total_size(sizeof(u8)) +			/* states.. */
	       4 * nla_total_size(sizeof(u32)) +		/* anom..isn */
	       4 * nla_total_size(sizeof(u32)) +		/* owners */
	       7 * nla_total_size_64bit(sizeof(u64)) +		/* counters.. */
	       nla_total_size(0) + notes * note_size();
}

static int fill_note(struct sk_buff *skb, int type, const struct tt_note *n,
		     u64 created, bool seq)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, TT_A_NOTE_TIME_MS,
			      ns_to_ms(since(n->time, created)),
			      TT_A_NOTE_PAD) ||
	    nla_put_u8(skb, TT_A_NOTE_ENDPOINT, n->endpoint) ||
	    nla_put_u8(skb, TT_A_NOTE_FROM, n->from) ||
	    nla_put_u8(skb, TT_A_NOTE_TO, n->to) ||
	    nla_put_u8(skb, TT_A_NOTE_WHY, n->why) ||
	    nla_put_u8(skb, TT_A_NOTE_SENDER, n->sender) ||
	    nla_put_u8(skb, TT_A_NOTE_TCP_FLAGS, n->tcp_flags) ||
	    (seq && (nla_put_u32(skb, TT_A_NOTE_SEQ, n->seq) ||
		     nla_put_u32(skb, TT_A_NOTE_ACK, n->ack))) ||
	    nla_put_u32(skb, TT_A_NOTE_LEN, n->len) ||
	    nla_put_u32(skb, TT_A_NOTE_ANOMALIES, n->anomalies)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_endpoint(struct sk_buff *skb, const struct tt_flow *flow,
			unsigned int side, int addr_type, int port_type)
{
	union nf_inet_addr addr;
	__be16 port;

	tt_key_endpoint(&flow->key, side, &addr, &port);
	if (nla_put(skb, addr_type, addr_len(flow->key.family), &addr) ||
	    nla_put_be16(skb, port_type, port))
		return -EMSGSIZE;
	return 0;
}

/* Who holds end @side's socket, if known, its uid as @uns sees it. */
static int put_owner(struct sk_buff *skb, const struct tt_flow *flow,
		     unsigned int side, struct user_namespace *uns,
		     int uid_type, int ino_type)
{
	const struct tt_owner *o = tt_flow_owner(flow, side);

	if (!o)
		return 0;
	if (nla_put_u32(skb, uid_type, from_kuid_munged(uns, o->uid)) ||
	    nla_put_u32(skb, ino_type, o->ino))
		return -EMSGSIZE;
	return 0;
}

/*
 * Write a flow as a TT_A_FLOW nest: the one fill for dumps, lookups and
 * events, with the sequence numbers if @seq, the owners' uids as seen from
 * @uns.  The caller holds the flow's lock.
 */
static int fill_flow(struct sk_buff *skb, const struct tt_flow *flow,
		     u64 now, bool history, bool seq,
		     struct user_namespace *uns)
{
	u32 flags = flow->conn.flags & ~TT_CONN_STARTED;
	const struct tt_conn *c = &flow->conn;
	const struct tt_peer *cl = &c->peer[TT_CLIENT], *sv = &c->peer[TT_SERVER];
	unsigned int cs = tt_flow_client_side(flow), i;
	const struct tt_config *cfg;
	struct nlattr *nest, *hist;
	struct tt_timeouts t;
	u64 tw;

	lockdep_assert_held(&flow->lock);

	nest = nla_nest_start(skb, TT_A_FLOW);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, TT_A_FLOW_ID, flow->id, TT_A_FLOW_PAD) ||
	    nla_put_u8(skb, TT_A_FLOW_FAMILY, flow->key.family) ||
	    put_endpoint(skb, flow, cs, TT_A_FLOW_CLIENT_ADDR,
			 TT_A_FLOW_CLIENT_PORT) ||
	    put_endpoint(skb, flow, !cs, TT_A_FLOW_SERVER_ADDR,
			 TT_A_FLOW_SERVER_PORT) ||
	    nla_put_u8(skb, TT_A_FLOW_CLIENT_STATE, cl->state) ||
	    nla_put_u8(skb, TT_A_FLOW_SERVER_STATE, sv->state) ||
	    nla_put_u8(skb, TT_A_FLOW_OPENER, c->opener) ||
	    nla_put_u8(skb, TT_A_FLOW_CLOSER, c->closer) ||
	    nla_put_u8(skb, TT_A_FLOW_OUTCOME, c->outcome) ||
	    nla_put_u32(skb, TT_A_FLOW_ANOMALIES, c->anomalies) ||
	    nla_put_u32(skb, TT_A_FLOW_FLAGS,
			seq ? flags : flags | TT_FLOW_F_SEQ_HIDDEN) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_CLIENT_PACKETS, cl->packets,
			      TT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_CLIENT_BYTES, cl->bytes,
			      TT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_SERVER_PACKETS, sv->packets,
			      TT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_SERVER_BYTES, sv->bytes,
			      TT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_AGE_MS,
			      ns_to_ms(since(now, c->created)), TT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TT_A_FLOW_STATE_AGE_MS,
			      ns_to_ms(since(now, c->changed)), TT_A_FLOW_PAD))
		goto cancel;
	if (seq && (cl->flags & TT_PEER_SYN) &&
	    nla_put_u32(skb, TT_A_FLOW_CLIENT_ISN, cl->isn))
		goto cancel;
	if (seq && (sv->flags & TT_PEER_SYN) &&
	    nla_put_u32(skb, TT_A_FLOW_SERVER_ISN, sv->isn))
		goto cancel;
	if (put_owner(skb, flow, cs, uns, TT_A_FLOW_CLIENT_UID,
		      TT_A_FLOW_CLIENT_INODE) ||
	    put_owner(skb, flow, !cs, uns, TT_A_FLOW_SERVER_UID,
		      TT_A_FLOW_SERVER_INODE))
		goto cancel;

	rcu_read_lock();
	cfg = rcu_dereference(flow->tn->config);
	tt_config_timeouts(cfg, &t);
	rcu_read_unlock();
	tw = tt_conn_time_wait_left(c, now, &t);
	if (tw && nla_put_u64_64bit(skb, TT_A_FLOW_TIME_WAIT_LEFT_MS,
				    ns_to_ms(tw), TT_A_FLOW_PAD))
		goto cancel;

	if (history) {
		hist = nla_nest_start(skb, TT_A_FLOW_HISTORY);
		if (!hist)
			goto cancel;
		for (i = 0; i < tt_conn_notes(c); i++)
			if (fill_note(skb, TT_A_FLOW_HISTORY_ENTRY,
				      tt_conn_note(c, i), c->created, seq))
				goto cancel;
		nla_nest_end(skb, hist);
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Events */

/* Build one form of an event; NULL if there is no memory for it. */
static struct sk_buff *build_event(struct tt_flow *flow, u8 cmd,
				   const struct tt_note *note, bool seq)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(flow_size(0) + (note ? note_size() : 0),
			  GFP_ATOMIC);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &tt_genl_family, 0, cmd);
	if (!hdr ||
	    fill_flow(skb, flow, ktime_get_ns(), false, seq,
		      read_pnet(&flow->net)->user_ns) ||
	    (note &&
	     fill_note(skb, TT_A_NOTE, note, flow->conn.created, seq))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/* Which forms of the events of @flow somebody listens to, TT_VIEW_* bits. */
static unsigned int listening(const struct tt_flow *flow)
{
	struct net *net = read_pnet(&flow->net);
	unsigned int views = 0;

	if (genl_has_listeners(&tt_genl_family, net, MCGRP_EVENTS) ||
	    READ_ONCE(flow->tn->nsubs))
		views |= BIT(TT_VIEW_FULL);
	if (genl_has_listeners(&tt_genl_family, net, MCGRP_PUBLIC))
		views |= BIT(TT_VIEW_PUBLIC);
	return views;
}

static void queue_event(struct tt_events *q, struct tt_flow *flow, u8 cmd,
			const struct tt_note *note, unsigned int views)
{
	struct net *net = read_pnet(&flow->net);
	unsigned int v;

	if (q->n == ARRAY_SIZE(q->ev))
		goto lost;
	/* The namespace must outlive the message, e.g. when the worker sends. */
	net = maybe_get_net(net);
	if (!net)
		return;
	for (v = 0; v < TT_VIEW_MAX; v++) {
		q->ev[q->n].skb[v] = NULL;
		if (!(views & BIT(v)))
			continue;
		q->ev[q->n].skb[v] = build_event(flow, cmd, note,
						 v == TT_VIEW_FULL);
		if (!q->ev[q->n].skb[v])
			tt_stat_inc(flow->tn, TT_STAT_EVENTS_LOST);
	}
	q->ev[q->n].net = net;
	q->n++;
	return;
lost:
	tt_stat_inc(flow->tn, TT_STAT_EVENTS_LOST);
}

/* The table's notifier: queue the events of one state machine call. */
static void notify_verdict(struct tt_events *q, struct tt_flow *flow,
			   const struct tt_verdict *v)
{
	unsigned int i, views;

	if (!v->created && !v->nnotes && !v->ended)
		return;
	views = listening(flow);
	if (!views)
		return;
	if (v->created)
		queue_event(q, flow, TT_CMD_FLOW_NEW, NULL, views);
	for (i = 0; i < v->nnotes; i++)
		queue_event(q, flow, tt_note_is_transition(&v->notes[i]) ?
			    TT_CMD_FLOW_TRANSITION : TT_CMD_FLOW_ANOMALY,
			    &v->notes[i], views);
	if (v->ended)
		queue_event(q, flow, TT_CMD_FLOW_END, NULL, views);
}

/* The table's notifier: queue the END event of a flow leaving the table. */
static void notify_end(struct tt_events *q, struct tt_flow *flow)
{
	unsigned int views = listening(flow);

	if (views)
		queue_event(q, flow, TT_CMD_FLOW_END, NULL, views);
}

/* Forget the subscriber @portid of @tn; false if it was none. */
static bool unsubscribe(struct tt_net *tn, u32 portid)
{
	bool found = false;
	unsigned int i;

	spin_lock_bh(&tn->subs_lock);
	for (i = 0; i < tn->nsubs; i++) {
		if (tn->subs[i] != portid)
			continue;
		tn->subs[i] = tn->subs[tn->nsubs - 1];
		WRITE_ONCE(tn->nsubs, tn->nsubs - 1);
		found = true;
		break;
	}
	spin_unlock_bh(&tn->subs_lock);
	return found;
}

/* Unicast a copy of @skb to each subscriber of @net. */
static void send_subscribers(struct net *net, struct tt_net *tn,
			     struct sk_buff *skb)
{
	u32 subs[TT_SUBSCRIBERS_MAX];
	struct sk_buff *copy;
	unsigned int i, n;
	int err;

	if (!READ_ONCE(tn->nsubs))
		return;
	spin_lock_bh(&tn->subs_lock);
	n = tn->nsubs;
	memcpy(subs, tn->subs, n * sizeof(subs[0]));
	spin_unlock_bh(&tn->subs_lock);

	for (i = 0; i < n; i++) {
		copy = skb_clone(skb, GFP_ATOMIC);
		if (!copy) {
			tt_stat_inc(tn, TT_STAT_EVENTS_LOST);
			continue;
		}
		err = genlmsg_unicast(net, copy, subs[i]);
		if (err == -ECONNREFUSED)	/* the socket is gone */
			unsubscribe(tn, subs[i]);
		else if (err)
			tt_stat_inc(tn, TT_STAT_EVENTS_LOST);
	}
}

/*
 * The table's notifier: send the queued events, and empty the queue.
 *
 * A listener whose receive buffer is full gets ENOBUFS from its next recv().
 * netlink tells us only about listeners that set NETLINK_BROADCAST_ERROR
 * (tcptracectl does): for those, each message they missed is counted in
 * TT_STAT_EVENTS_LOST.  -ESRCH (nobody of the namespace listens: the
 * listener check is not per namespace) is no loss.  A subscriber's full
 * receive buffer is a loss too.
 *
 * Context: any, under RCU; no lock of the table may be held.
 */
static void notify_send(struct tt_events *q)
{
	unsigned int i, v;
	struct net *net;
	int err;

	for (i = 0; i < q->n; i++) {
		net = q->ev[i].net;
		if (q->ev[i].skb[TT_VIEW_FULL])
			send_subscribers(net, tt_net(net),
					 q->ev[i].skb[TT_VIEW_FULL]);
		for (v = 0; v < TT_VIEW_MAX; v++) {
			if (!q->ev[i].skb[v])
				continue;
			err = genlmsg_multicast_netns(&tt_genl_family, net,
						      q->ev[i].skb[v], 0,
						      view_group[v],
						      GFP_ATOMIC);
			if (err && err != -ESRCH)
				tt_stat_inc(tt_net(net), TT_STAT_EVENTS_LOST);
		}
		put_net(net);
	}
	q->n = 0;
}

/* A socket closed: it no longer subscribes. */
static int release_event(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		unsubscribe(tt_net(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block release_nb = {
	.notifier_call = release_event,
};

static const struct tt_table_notifier table_notifier = {
	.verdict = notify_verdict,
	.end = notify_end,
	.send = notify_send,
};

/* Requests */

/* Say, naming it, why an attribute of a TT_A_FLOW nest was refused. */
static void flow_refused(const struct nlattr *nla,
			 struct netlink_ext_ack *extack)
{
	const struct nla_policy *pol = nla_type(nla) <= TT_A_FLOW_MAX ?
				       &flow_policy[nla_type(nla)] : NULL;

	switch (nla_type(nla)) {
	case TT_A_FLOW_FAMILY:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_FAMILY must be a u8: AF_INET or AF_INET6");
		break;
	case TT_A_FLOW_CLIENT_ADDR:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_CLIENT_ADDR must be 4 (IPv4) or 16 (IPv6) bytes");
		break;
	case TT_A_FLOW_SERVER_ADDR:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_SERVER_ADDR must be 4 (IPv4) or 16 (IPv6) bytes");
		break;
	case TT_A_FLOW_CLIENT_PORT:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_CLIENT_PORT must be a 16-bit port in network order");
		break;
	case TT_A_FLOW_SERVER_PORT:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_SERVER_PORT must be a 16-bit port in network order");
		break;
	case TT_A_FLOW_CLIENT_STATE:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_CLIENT_STATE must be a u8 enum tt_state, at most TT_STATE_MAX");
		break;
	case TT_A_FLOW_SERVER_STATE:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_FLOW_SERVER_STATE must be a u8 enum tt_state, at most TT_STATE_MAX");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "TT_A_FLOW: attribute not accepted in a request (unknown, or sent by the module only)");
		break;
	}
}

/* Say, naming it, why an attribute of a TT_A_CONFIG nest was refused. */
static void config_refused(const struct nlattr *nla,
			   struct netlink_ext_ack *extack)
{
	const struct nla_policy *pol = nla_type(nla) <= TT_A_CONFIG_MAX ?
				       &config_policy[nla_type(nla)] : NULL;

	switch (nla_type(nla)) {
	case TT_A_CONFIG_ENABLED:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_ENABLED must be a u8, 0 or 1");
		break;
	case TT_A_CONFIG_PORT:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_PORT must be a u16 (host order), 0 for all ports");
		break;
	case TT_A_CONFIG_ADDR_FAMILY:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_ADDR_FAMILY must be a u8: 0, AF_INET or AF_INET6");
		break;
	case TT_A_CONFIG_ADDR:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_ADDR must be 4 (IPv4) or 16 (IPv6) bytes");
		break;
	case TT_A_CONFIG_PREFIX_LEN:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_PREFIX_LEN must be a u8, at most 128");
		break;
	case TT_A_CONFIG_HISTORY:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_HISTORY must be a u32");
		break;
	case TT_A_CONFIG_MSL:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_MSL must be a u32 from "
					__stringify(TT_MSL_MIN) " to "
					__stringify(TT_MSL_MAX) " (seconds)");
		break;
	case TT_A_CONFIG_LINGER:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_LINGER must be a u32 from 0 to "
					__stringify(TT_LINGER_MAX) " (seconds)");
		break;
	case TT_A_CONFIG_IDLE_TIMEOUT:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_IDLE_TIMEOUT must be a u32 from "
					__stringify(TT_IDLE_MIN) " to "
					__stringify(TT_IDLE_MAX) " (seconds)");
		break;
	case TT_A_CONFIG_MAX_FLOWS:
		NL_SET_ERR_MSG_ATTR_POL(extack, nla, pol,
					"TT_A_CONFIG_MAX_FLOWS must be a u32 from 1 to the module parameter max_flows");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "TT_A_CONFIG: attribute not known to this module");
		break;
	}
}

/*
 * Parse a nest strictly.  The attributes are validated one at a time first,
 * so that a refusal can name the attribute: the policy's own messages ("integer
 * out of range") do not.
 */
static int parse_nest(struct nlattr **tb, int max, const struct nlattr *nest,
		      const struct nla_policy *policy,
		      void (*refused)(const struct nlattr *nla,
				      struct netlink_ext_ack *extack),
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) > max || !policy[nla_type(nla)].type) {
			refused(nla, extack);
			return -EINVAL;
		}
		/* -EINVAL for all refusals, as the UAPI says (not -ERANGE). */
		if (nla_validate(nla, nla->nla_len, max, policy, NULL)) {
			refused(nla, extack);
			return -EINVAL;
		}
	}
	return nla_parse_nested(tb, max, nest, policy, extack);
}

/* A request needs the nest @type: say so, naming it. */
static int need_nest(struct genl_info *info, int type)
{
	if (info->attrs[type])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	if (type == TT_A_FLOW)
		NL_SET_ERR_MSG(info->extack,
			       "TT_CMD_FLOW_GET needs a TT_A_FLOW nest with the flow's two endpoints");
	else
		NL_SET_ERR_MSG(info->extack,
			       "TT_CMD_CONFIG_SET needs a TT_A_CONFIG nest");
	return -EINVAL;
}

/* The flow key lacks attribute @type: say so, naming it. */
static void key_missing(struct netlink_ext_ack *extack,
			const struct nlattr *nest, int type)
{
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	switch (type) {
	case TT_A_FLOW_FAMILY:
		NL_SET_ERR_MSG(extack, "the flow key needs TT_A_FLOW_FAMILY");
		break;
	case TT_A_FLOW_CLIENT_ADDR:
		NL_SET_ERR_MSG(extack, "the flow key needs TT_A_FLOW_CLIENT_ADDR");
		break;
	case TT_A_FLOW_CLIENT_PORT:
		NL_SET_ERR_MSG(extack, "the flow key needs TT_A_FLOW_CLIENT_PORT");
		break;
	case TT_A_FLOW_SERVER_ADDR:
		NL_SET_ERR_MSG(extack, "the flow key needs TT_A_FLOW_SERVER_ADDR");
		break;
	default:
		NL_SET_ERR_MSG(extack, "the flow key needs TT_A_FLOW_SERVER_PORT");
		break;
	}
}

static bool family_ok(const struct nlattr *nla, struct netlink_ext_ack *extack)
{
	u8 family = nla_get_u8(nla);

	if (family == AF_INET || family == AF_INET6)
		return true;
	NL_SET_ERR_MSG_ATTR(extack, nla,
			    "TT_A_FLOW_FAMILY must be AF_INET or AF_INET6");
	return false;
}

/* Parse the key of TT_CMD_FLOW_GET: both endpoints, in either order. */
static int parse_key(struct nlattr **tb, const struct nlattr *nest,
		     struct tt_key *key, struct netlink_ext_ack *extack)
{
	static const int need[] = {
		TT_A_FLOW_FAMILY, TT_A_FLOW_CLIENT_ADDR, TT_A_FLOW_CLIENT_PORT,
		TT_A_FLOW_SERVER_ADDR, TT_A_FLOW_SERVER_PORT,
	};
	unsigned int i, side;
	u8 family;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (!tb[need[i]]) {
			key_missing(extack, nest, need[i]);
			return -EINVAL;
		}
	}
	if (tb[TT_A_FLOW_CLIENT_STATE] || tb[TT_A_FLOW_SERVER_STATE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_FLOW_CLIENT_STATE] ?:
				    tb[TT_A_FLOW_SERVER_STATE],
				    "TT_A_FLOW_CLIENT_STATE and TT_A_FLOW_SERVER_STATE filter dumps only");
		return -EINVAL;
	}
	if (!family_ok(tb[TT_A_FLOW_FAMILY], extack))
		return -EINVAL;
	family = nla_get_u8(tb[TT_A_FLOW_FAMILY]);
	if (nla_len(tb[TT_A_FLOW_CLIENT_ADDR]) != addr_len(family)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_FLOW_CLIENT_ADDR],
				    "TT_A_FLOW_CLIENT_ADDR: length does not match TT_A_FLOW_FAMILY");
		return -EINVAL;
	}
	if (nla_len(tb[TT_A_FLOW_SERVER_ADDR]) != addr_len(family)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_FLOW_SERVER_ADDR],
				    "TT_A_FLOW_SERVER_ADDR: length does not match TT_A_FLOW_FAMILY");
		return -EINVAL;
	}
	tt_key_make(key, family, nla_data(tb[TT_A_FLOW_CLIENT_ADDR]),
		    nla_get_be16(tb[TT_A_FLOW_CLIENT_PORT]),
		    nla_data(tb[TT_A_FLOW_SERVER_ADDR]),
		    nla_get_be16(tb[TT_A_FLOW_SERVER_PORT]), &side);
	return 0;
}

static int flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *tb[TT_A_FLOW_MAX + 1];
	struct tt_flow *flow;
	struct sk_buff *msg;
	struct tt_key key;
	void *hdr;
	int err;

	err = need_nest(info, TT_A_FLOW);
	if (err)
		return err;
	err = parse_nest(tb, TT_A_FLOW_MAX, info->attrs[TT_A_FLOW], flow_policy,
			 flow_refused, info->extack);
	if (err)
		return err;
	err = parse_key(tb, info->attrs[TT_A_FLOW], &key, info->extack);
	if (err)
		return err;

	msg = genlmsg_new(flow_size(tt_table.history_max), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tt_genl_family, 0,
				TT_CMD_FLOW_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}

	err = -ENOENT;
	rcu_read_lock();
	flow = tt_table_find(net, &key);
	if (flow) {
		spin_lock_bh(&flow->lock);
		if (!flow->dead)
			err = fill_flow(msg, flow, ktime_get_ns(), true,
					may_see_seq(skb, net),
					sk_user_ns(NETLINK_CB(skb).sk));
		spin_unlock_bh(&flow->lock);
	}
	rcu_read_unlock();
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "no such flow");
		goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* The dump's filter, from the request's TT_A_FLOW nest. */
struct dump_filter {
	u8 family;
	int client_state;
	int server_state;
};

static bool dump_match(const struct dump_filter *f, const struct tt_flow *flow)
{
	const struct tt_conn *c = &flow->conn;

	return (!f->family || flow->key.family == f->family) &&
	       (f->client_state < 0 ||
		c->peer[TT_CLIENT].state == f->client_state) &&
	       (f->server_state < 0 ||
		c->peer[TT_SERVER].state == f->server_state);
}

static int dump_filter(struct netlink_callback *cb, struct dump_filter *f)
{
	struct nlattr **attrs = tt_dump_attrs(cb);
	struct nlattr *tb[TT_A_FLOW_MAX + 1];
	int err, i;

	f->family = 0;
	f->client_state = -1;
	f->server_state = -1;
	/* The core validated the request's top level; the nest is ours. */
	if (!attrs || !attrs[TT_A_FLOW])
		return 0;
	err = parse_nest(tb, TT_A_FLOW_MAX, attrs[TT_A_FLOW], flow_policy,
			 flow_refused, cb->extack);
	if (err)
		return err;
	for (i = TT_A_FLOW_CLIENT_ADDR; i <= TT_A_FLOW_SERVER_PORT; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, tb[i],
					    "a dump filters by TT_A_FLOW_FAMILY and the states only");
			return -EINVAL;
		}
	}
	if (tb[TT_A_FLOW_FAMILY]) {
		if (!family_ok(tb[TT_A_FLOW_FAMILY], cb->extack))
			return -EINVAL;
		f->family = nla_get_u8(tb[TT_A_FLOW_FAMILY]);
	}
	if (tb[TT_A_FLOW_CLIENT_STATE])
		f->client_state = nla_get_u8(tb[TT_A_FLOW_CLIENT_STATE]);
	if (tb[TT_A_FLOW_SERVER_STATE])
		f->server_state = nla_get_u8(tb[TT_A_FLOW_SERVER_STATE]);
	return 0;
}

static int dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		    struct tt_flow *flow, u64 now, bool seq)
{
	void *hdr;
	int err = 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tt_genl_family, NLM_F_MULTI, TT_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	spin_lock_bh(&flow->lock);
	if (flow->dead)
		err = -ENOENT;
	else
		err = fill_flow(skb, flow, now, false, seq,
				sk_user_ns(NETLINK_CB(cb->skb).sk));
	spin_unlock_bh(&flow->lock);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err == -ENOENT ? 0 : err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Where a dump is, in cb->args[]. */
enum {
	DUMP_BUCKET,	/* the next bucket */
	DUMP_AFTER_LO,	/* the id of the last flow of it sent, 0 for none: */
	DUMP_AFTER_HI,	/* its low and high 32 bits (a long may be 32) */
	DUMP_VIEW,	/* 0 before the first batch, else 1 + may_see_seq() */
};

/*
 * The dump resumes at a bucket, cb->args[DUMP_BUCKET].  A bucket is written
 * whole or not at all, so a flow present for the whole dump is reported
 * exactly once however the table changes between batches.  Only a bucket
 * too large for an empty message is split, after the last flow sent.
 * What the reader may see is decided once, in the first batch, which runs
 * in the sender's context.
 */
static int flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tt_table_iter it = {
		.bucket = cb->args[DUMP_BUCKET],
		.after = (u64)(u32)cb->args[DUMP_AFTER_HI] << 32 |
			 (u32)cb->args[DUMP_AFTER_LO],
	};
	struct net *net = sock_net(skb->sk);
	unsigned int marked = UINT_MAX;
	struct dump_filter filter;
	u64 now = ktime_get_ns();
	struct tt_flow *flow;
	int err, mark = 0;
	bool seq;

	err = dump_filter(cb, &filter);
	if (err)
		return err;
	if (!cb->args[DUMP_VIEW])
		cb->args[DUMP_VIEW] = 1 + may_see_seq(cb->skb, net);
	seq = cb->args[DUMP_VIEW] == 2;
	cb->seq = tt_net_generation(tt_net(net));

	rcu_read_lock();
	for (; (flow = tt_table_iter_find(&it, net));
	     tt_table_iter_pass(&it, flow)) {
		if (it.bucket != marked) {
			/* A new bucket: where to cut if it does not fit. */
			marked = it.bucket;
			mark = skb->len;
		}
		if (!dump_match(&filter, flow) ||
		    !dump_one(skb, cb, flow, now, seq))
			continue;
		if (mark) {
			/* The whole bucket in the next batch. */
			nlmsg_trim(skb, skb_tail_pointer(skb) -
				   (skb->len - mark));
			it.after = 0;
		}
		/* Else the bucket alone is too large: split it here. */
		break;
	}
	rcu_read_unlock();
	cb->args[DUMP_BUCKET] = it.bucket;
	cb->args[DUMP_AFTER_LO] = lower_32_bits(it.after);
	cb->args[DUMP_AFTER_HI] = upper_32_bits(it.after);
	return skb->len;
}

static int stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	static const int attr[TT_STAT_MAX] = {
		[TT_STAT_SEGMENTS] = TT_A_STATS_SEGMENTS,
		[TT_STAT_FLOWS_CREATED] = TT_A_STATS_FLOWS_CREATED,
		[TT_STAT_FLOWS_ENDED] = TT_A_STATS_FLOWS_ENDED,
		[TT_STAT_EVICTED] = TT_A_STATS_EVICTED,
		[TT_STAT_EXPIRED] = TT_A_STATS_EXPIRED,
		[TT_STAT_MALFORMED] = TT_A_STATS_MALFORMED,
		[TT_STAT_FRAGMENTS] = TT_A_STATS_FRAGMENTS,
		[TT_STAT_FILTERED] = TT_A_STATS_FILTERED,
		[TT_STAT_ALLOC_FAILED] = TT_A_STATS_ALLOC_FAILED,
		[TT_STAT_TABLE_FULL] = TT_A_STATS_TABLE_FULL,
		[TT_STAT_EVENTS_LOST] = TT_A_STATS_EVENTS_LOST,
		[TT_STAT_EVICTED_ENDED] = TT_A_STATS_EVICTED_ENDED,
		[TT_STAT_EVICTED_TIME_WAIT] = TT_A_STATS_EVICTED_TIME_WAIT,
		[TT_STAT_EVICTED_HANDSHAKE] = TT_A_STATS_EVICTED_HANDSHAKE,
		[TT_STAT_EVICTED_ESTABLISHED] = TT_A_STATS_EVICTED_ESTABLISHED,
	};
	struct net *net = genl_info_net(info);
	struct tt_net *tn = tt_net(net);
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tt_genl_family, 0,
				TT_CMD_STATS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, TT_A_STATS);
	if (!nest)
		goto err_free;
	for (i = 0; i < TT_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, attr[i], tt_stat_read(tn, i),
				      TT_A_STATS_PAD))
			goto err_free;
	/* The host-wide count would show one namespace another's activity. */
	if (nla_put_u64_64bit(msg, TT_A_STATS_FLOWS,
			      atomic_read(&tn->flows), TT_A_STATS_PAD) ||
	    (net_eq(net, &init_net) &&
	     nla_put_u64_64bit(msg, TT_A_STATS_FLOWS_ALL,
			       atomic_read(&tt_table.count), TT_A_STATS_PAD)) ||
	    nla_put_u64_64bit(msg, TT_A_STATS_MAX_FLOWS, tt_table.max_flows,
			      TT_A_STATS_PAD))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int fill_config(struct sk_buff *msg, const struct tt_config *cfg)
{
	struct nlattr *nest = nla_nest_start(msg, TT_A_CONFIG);

	if (!nest ||
	    nla_put_u8(msg, TT_A_CONFIG_ENABLED, cfg->enabled) ||
	    nla_put_u16(msg, TT_A_CONFIG_PORT, cfg->port) ||
	    nla_put_u8(msg, TT_A_CONFIG_ADDR_FAMILY, cfg->addr_family) ||
	    (cfg->addr_family &&
	     (nla_put(msg, TT_A_CONFIG_ADDR, addr_len(cfg->addr_family),
		      &cfg->addr) ||
	      nla_put_u8(msg, TT_A_CONFIG_PREFIX_LEN, cfg->prefix_len))) ||
	    nla_put_u32(msg, TT_A_CONFIG_HISTORY, cfg->history) ||
	    nla_put_u32(msg, TT_A_CONFIG_MSL, cfg->msl) ||
	    nla_put_u32(msg, TT_A_CONFIG_LINGER, cfg->linger) ||
	    nla_put_u32(msg, TT_A_CONFIG_IDLE_TIMEOUT, cfg->idle_timeout) ||
	    nla_put_u32(msg, TT_A_CONFIG_MAX_FLOWS, cfg->max_flows))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tt_net *tn = tt_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tt_genl_family, 0,
				TT_CMD_CONFIG_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	rcu_read_lock();
	err = fill_config(msg, rcu_dereference(tn->config));
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Apply the attributes of a CONFIG_SET to @cfg; all or nothing.  @host says
 * whether the sender has CAP_NET_ADMIN in the initial user namespace.
 */
static int config_apply(struct tt_config *cfg, struct nlattr **tb,
			const struct net *net, bool host,
			struct netlink_ext_ack *extack)
{
	if (tb[TT_A_CONFIG_ADDR_FAMILY]) {
		u8 family = nla_get_u8(tb[TT_A_CONFIG_ADDR_FAMILY]);

		if (family && family != AF_INET && family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_ADDR_FAMILY],
					    "TT_A_CONFIG_ADDR_FAMILY must be 0, AF_INET or AF_INET6");
			return -EINVAL;
		}
		if (family && !tb[TT_A_CONFIG_ADDR]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_ADDR_FAMILY],
					    "TT_A_CONFIG_ADDR_FAMILY needs TT_A_CONFIG_ADDR");
			return -EINVAL;
		}
		cfg->addr_family = family;
		memset(&cfg->addr, 0, sizeof(cfg->addr));
		cfg->prefix_len = 0;
		if (family) {
			if (nla_len(tb[TT_A_CONFIG_ADDR]) != addr_len(family)) {
				NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_ADDR],
						    "TT_A_CONFIG_ADDR: length does not match TT_A_CONFIG_ADDR_FAMILY");
				return -EINVAL;
			}
			nla_memcpy(&cfg->addr, tb[TT_A_CONFIG_ADDR],
				   addr_len(family));
			cfg->prefix_len = addr_len(family) * 8;
		}
	} else if (tb[TT_A_CONFIG_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_ADDR],
				    "TT_A_CONFIG_ADDR needs TT_A_CONFIG_ADDR_FAMILY");
		return -EINVAL;
	}
	if (tb[TT_A_CONFIG_PREFIX_LEN]) {
		u8 plen = nla_get_u8(tb[TT_A_CONFIG_PREFIX_LEN]);

		if (!cfg->addr_family || plen > addr_len(cfg->addr_family) * 8) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_PREFIX_LEN],
					    "TT_A_CONFIG_PREFIX_LEN: needs an address filter, and at most its address's bits");
			return -EINVAL;
		}
		cfg->prefix_len = plen;
	}
	if (tb[TT_A_CONFIG_HISTORY]) {
		u32 h = nla_get_u32(tb[TT_A_CONFIG_HISTORY]);

		if (h > tt_table.history_max) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_HISTORY],
					    "TT_A_CONFIG_HISTORY is above the module parameter history");
			return -EINVAL;
		}
		cfg->history = h;
	}
	if (tb[TT_A_CONFIG_MAX_FLOWS]) {
		u32 m = nla_get_u32(tb[TT_A_CONFIG_MAX_FLOWS]);

		if (m > tt_table.max_flows) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_MAX_FLOWS],
					    "TT_A_CONFIG_MAX_FLOWS is above the module parameter max_flows");
			return -EINVAL;
		}
		/* The table is shared: only the host's admin hands it out. */
		if (m > tt_net_default_quota(net) && !host) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TT_A_CONFIG_MAX_FLOWS],
					    "TT_A_CONFIG_MAX_FLOWS above this namespace's share needs CAP_NET_ADMIN in the initial user namespace");
			return -EPERM;
		}
		cfg->max_flows = m;
	}
	if (tb[TT_A_CONFIG_ENABLED])
		cfg->enabled = nla_get_u8(tb[TT_A_CONFIG_ENABLED]);
	if (tb[TT_A_CONFIG_PORT])
		cfg->port = nla_get_u16(tb[TT_A_CONFIG_PORT]);
	if (tb[TT_A_CONFIG_MSL])
		cfg->msl = nla_get_u32(tb[TT_A_CONFIG_MSL]);
	if (tb[TT_A_CONFIG_LINGER])
		cfg->linger = nla_get_u32(tb[TT_A_CONFIG_LINGER]);
	if (tb[TT_A_CONFIG_IDLE_TIMEOUT])
		cfg->idle_timeout = nla_get_u32(tb[TT_A_CONFIG_IDLE_TIMEOUT]);
	return 0;
}

static int config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct tt_net *tn = tt_net(net);
	struct nlattr *tb[TT_A_CONFIG_MAX + 1];
	struct tt_config cfg;
	int err;

	err = need_nest(info, TT_A_CONFIG);
	if (err)
		return err;
	err = parse_nest(tb, TT_A_CONFIG_MAX, info->attrs[TT_A_CONFIG],
			 config_policy, config_refused, info->extack);
	if (err)
		return err;

	/*
	 * Copy, change, validate and swap under the mutex: all or nothing,
	 * and two concurrent changes of different attributes both apply.
	 */
	mutex_lock(&tt_config_mutex);
	cfg = *rcu_dereference_protected(tn->config,
					 lockdep_is_held(&tt_config_mutex));
	err = config_apply(&cfg, tb, net, netlink_capable(skb, CAP_NET_ADMIN),
			   info->extack);
	if (!err)
		err = tt_config_replace(tn, &cfg);
	mutex_unlock(&tt_config_mutex);
	return err;
}

static int flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	tt_table_flush(genl_info_net(info), true);
	return 0;
}

static int subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct tt_net *tn = tt_net(net);
	u32 portid = info->snd_portid;
	unsigned int i;
	int err = 0;

	if (!may_see_seq(skb, net)) {
		NL_SET_ERR_MSG(info->extack,
			       "the full events need CAP_NET_ADMIN or the seq_gid group; join events-public");
		return -EPERM;
	}
	spin_lock_bh(&tn->subs_lock);
	for (i = 0; i < tn->nsubs; i++)
		if (tn->subs[i] == portid)
			goto out;
	BUILD_BUG_ON(TT_SUBSCRIBERS_MAX != 16);	/* the message says 16 */
	if (tn->nsubs == TT_SUBSCRIBERS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "this namespace has its 16 subscribers already");
		err = -ENOSPC;
		goto out;
	}
	tn->subs[tn->nsubs] = portid;
	WRITE_ONCE(tn->nsubs, tn->nsubs + 1);
out:
	spin_unlock_bh(&tn->subs_lock);
	return err;
}

static const struct genl_small_ops genl_ops[] = {
	{
		.cmd = TT_CMD_FLOW_GET,
		.doit = flow_get_doit,
		.dumpit = flow_get_dumpit,
	},
	{
		.cmd = TT_CMD_STATS_GET,
		.doit = stats_get_doit,
	},
	{
		.cmd = TT_CMD_CONFIG_GET,
		.doit = config_get_doit,
	},
	{
		.cmd = TT_CMD_CONFIG_SET,
		.doit = config_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TT_CMD_FLUSH,
		.doit = flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TT_CMD_EVENTS_SUBSCRIBE,
		.doit = subscribe_doit,
	},
};

static struct genl_family tt_genl_family __ro_after_init = {
	.name = TT_GENL_NAME,
	.version = TT_GENL_VERSION,
	.maxattr = TT_A_MAX,
	.policy = tt_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = genl_ops,
	.n_small_ops = ARRAY_SIZE(genl_ops),
	.mcgrps = mcgrps,
	.n_mcgrps = ARRAY_SIZE(mcgrps),
};

/**
 * tt_genl_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int __init tt_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&release_nb);
	if (err)
		return err;
	err = genl_register_family(&tt_genl_family);
	if (err) {
		netlink_unregister_notifier(&release_nb);
		return err;
	}
	tt_table_notifier_register(&table_notifier);
	return 0;
}

/**
 * tt_genl_uninit() - unregister it
 */
void tt_genl_uninit(void)
{
	/* No event is built or sent after this, so none after the family. */
	tt_table_notifier_unregister();
	genl_unregister_family(&tt_genl_family);
	netlink_unregister_notifier(&release_nb);
}
