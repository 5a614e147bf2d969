// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * /proc/tcptrace: the flow table for cat, and /proc/tcptrace_stats.  Like
 * /proc/net/tcp they are for everyone, and show no sequence numbers.
 *
 * Both live in each namespace's /proc/net; /proc/tcptrace is a link to
 * net/tcptrace, like /proc/mounts to self/mounts, so a reader sees the flows
 * of its own network namespace.  The walk holds no bucket lock, only each
 * flow's lock while one line is written.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "flowtable.h"
#include "netns.h"
#include "proc.h"

/**
 * struct flow_iter - where a read of /proc/tcptrace is
 * @p: for seq_file_net()
 * @at: the current flow's place in the table
 * @pos: the seq_file position of the current flow
 * @now: the time this read started, in ns
 */
struct flow_iter {
	struct seq_net_private p;
	struct tt_table_iter at;
	loff_t pos;
	u64 now;
};

static void *flows_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct flow_iter *it = seq->private;
	struct net *net = seq_file_net(seq);
	struct tt_flow *flow = NULL;
	loff_t i;

	rcu_read_lock();
	if (*pos == 0) {
		it->at = (struct tt_table_iter){};
		it->pos = 0;
		it->now = ktime_get_ns();
		return SEQ_START_TOKEN;
	}
	/* Resume where the last read stopped; anything else walks again. */
	if (*pos == it->pos)
		return tt_table_iter_find(&it->at, net);
	it->at = (struct tt_table_iter){};
	for (i = 0; i < *pos; i++) {
		flow = tt_table_iter_find(&it->at, net);
		if (!flow)
			break;
		if (i + 1 < *pos)
			tt_table_iter_pass(&it->at, flow);
	}
	it->pos = *pos;
	return flow;
}

static void *flows_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct flow_iter *it = seq->private;

	if (v != SEQ_START_TOKEN)
		tt_table_iter_pass(&it->at, v);
	it->pos = ++*pos;
	return tt_table_iter_find(&it->at, seq_file_net(seq));
}

static void flows_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static void show_endpoint(struct seq_file *seq, const struct tt_flow *flow,
			  unsigned int side)
{
	union nf_inet_addr addr;
	__be16 port;

	tt_key_endpoint(&flow->key, side, &addr, &port);
	if (flow->key.family == AF_INET)
		seq_printf(seq, " %pI4:%u", &addr.ip, ntohs(port));
	else
		seq_printf(seq, " [%pI6c]:%u", &addr.in6, ntohs(port));
}

/* Seconds with milliseconds, from ns. */
static void show_secs(struct seq_file *seq, u64 ns)
{
	u64 ms = div_u64(ns, NSEC_PER_MSEC);
	u32 rem;

	ms = div_u64_rem(ms, MSEC_PER_SEC, &rem);
	seq_printf(seq, " %llu.%03u", ms, rem);
}

/* Who holds end @side's socket, as /proc/net/tcp shows it; - if unknown. */
static void show_uid(struct seq_file *seq, const struct tt_flow *flow,
		     unsigned int side)
{
	const struct tt_owner *o = tt_flow_owner(flow, side);

	if (o)
		seq_printf(seq, " %u", from_kuid_munged(seq_user_ns(seq),
							o->uid));
	else
		seq_puts(seq, " -");
}

static int flows_show(struct seq_file *seq, void *v)
{
	struct flow_iter *it = seq->private;
	const struct tt_config *cfg;
	struct tt_flow *flow = v;
	const struct tt_conn *c;
	struct tt_timeouts t;
	char anomalies[160];
	unsigned int cs;
	u64 tw;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "family client server client_state server_state opener closer client_packets client_bytes server_packets server_bytes age state_age outcome anomalies time_wait_left local client_uid server_uid\n");
		return 0;
	}

	cfg = rcu_dereference(flow->tn->config);
	tt_config_timeouts(cfg, &t);
	spin_lock_bh(&flow->lock);
	if (flow->dead) {
		spin_unlock_bh(&flow->lock);
		return SEQ_SKIP;
	}
	c = &flow->conn;
	cs = tt_flow_client_side(flow);
	seq_puts(seq, flow->key.family == AF_INET ? "inet" : "inet6");
	show_endpoint(seq, flow, cs);
	show_endpoint(seq, flow, !cs);
	seq_printf(seq, " %s %s %s %s %llu %llu %llu %llu",
		   tt_state_name(c->peer[TT_CLIENT].state),
		   tt_state_name(c->peer[TT_SERVER].state),
		   tt_who_name(c->opener), tt_who_name(c->closer),
		   c->peer[TT_CLIENT].packets, c->peer[TT_CLIENT].bytes,
		   c->peer[TT_SERVER].packets, c->peer[TT_SERVER].bytes);
	show_secs(seq, it->now > c->created ? it->now - c->created : 0);
	show_secs(seq, it->now > c->changed ? it->now - c->changed : 0);
	tt_anomalies_str(c->anomalies, anomalies, sizeof(anomalies));
	seq_printf(seq, " %s %s", tt_outcome_name(c->outcome), anomalies);
	tw = tt_conn_time_wait_left(c, it->now, &t);
	if (tw)
		show_secs(seq, tw);
	else
		seq_puts(seq, " -");
	seq_printf(seq, " %s", tt_local_name(c->flags));
	show_uid(seq, flow, cs);
	show_uid(seq, flow, !cs);
	seq_putc(seq, '\n');
	spin_unlock_bh(&flow->lock);
	return 0;
}

static const struct seq_operations flows_seq_ops = {
	.start = flows_start,
	.next = flows_next,
	.stop = flows_stop,
	.show = flows_show,
};

/* One name per counter, as /proc/tcptrace_stats prints them. */
static const char * const stat_names[TT_STAT_MAX] = {
	[TT_STAT_SEGMENTS] = "segments",
	[TT_STAT_FLOWS_CREATED] = "flows_created",
	[TT_STAT_FLOWS_ENDED] = "flows_ended",
	[TT_STAT_EVICTED] = "evicted",
	[TT_STAT_EXPIRED] = "expired",
	[TT_STAT_MALFORMED] = "malformed",
	[TT_STAT_FRAGMENTS] = "fragments",
	[TT_STAT_FILTERED] = "filtered",
	[TT_STAT_ALLOC_FAILED] = "alloc_failed",
	[TT_STAT_TABLE_FULL] = "table_full",
	[TT_STAT_EVENTS_LOST] = "events_lost",
	[TT_STAT_EVICTED_ENDED] = "evicted_ended",
	[TT_STAT_EVICTED_TIME_WAIT] = "evicted_time_wait",
	[TT_STAT_EVICTED_HANDSHAKE] = "evicted_handshake",
	[TT_STAT_EVICTED_ESTABLISHED] = "evicted_established",
};

static int stats_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct tt_net *tn = tt_net(net);
	unsigned int i;

	seq_printf(seq, "flows %d\n", atomic_read(&tn->flows));
	for (i = 0; i < TT_STAT_MAX; i++)
		seq_printf(seq, "%s %llu\n", stat_names[i], tt_stat_read(tn, i));
	/* The host-wide count would show one namespace another's activity. */
	if (net_eq(net, &init_net))
		seq_printf(seq, "flows_all %d\n", atomic_read(&tt_table.count));
	seq_printf(seq, "max_flows %u\n", tt_table.max_flows);
	seq_printf(seq, "flow_object_size %zu\n", sizeof(struct tt_flow));
	rcu_read_lock();
	seq_printf(seq, "flow_history_size %zu\n",
		   tt_history_size(rcu_dereference(tn->config)->history));
	rcu_read_unlock();
	return 0;
}

/**
 * tt_proc_net_init() - create /proc/net/tcptrace{,_stats} of a namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int tt_proc_net_init(struct net *net)
{
	if (!proc_create_net("tcptrace", 0444, net->proc_net, &flows_seq_ops,
			     sizeof(struct flow_iter)))
		return -ENOMEM;
	if (!proc_create_net_single("tcptrace_stats", 0444, net->proc_net,
				    stats_show, NULL)) {
		remove_proc_entry("tcptrace", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

/**
 * tt_proc_net_uninit() - remove them
 * @net: the namespace
 */
void tt_proc_net_uninit(struct net *net)
{
	remove_proc_entry("tcptrace_stats", net->proc_net);
	remove_proc_entry("tcptrace", net->proc_net);
}

/**
 * tt_proc_init() - /proc/tcptrace and /proc/tcptrace_stats, the links
 *
 * Return: 0 or -ENOMEM.
 */
int tt_proc_init(void)
{
	if (!proc_symlink("tcptrace", NULL, "net/tcptrace"))
		return -ENOMEM;
	if (!proc_symlink("tcptrace_stats", NULL, "net/tcptrace_stats")) {
		remove_proc_entry("tcptrace", NULL);
		return -ENOMEM;
	}
	return 0;
}

/**
 * tt_proc_uninit() - remove the links
 */
void tt_proc_uninit(void)
{
	remove_proc_entry("tcptrace_stats", NULL);
	remove_proc_entry("tcptrace", NULL);
}
