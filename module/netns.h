/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What each network namespace has of its own: its configuration, its
 * counters, its hooks and its /proc files.
 */

#ifndef _TT_NETNS_H
#define _TT_NETNS_H

#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "state.h"

/**
 * struct tt_config - how a namespace is traced (TT_A_CONFIG_*)
 * @rcu: frees a replaced configuration
 * @enabled: trace this namespace at all
 * @port: trace only flows with this port at either end, 0 for all
 * @addr_family: AF_INET or AF_INET6 to filter by @addr, 0 for no filter
 * @prefix_len: bits of @addr that must match one end of the flow
 * @addr: the address filter
 * @history: notes kept per new flow, at most tt_history_max
 * @msl: seconds; TIME_WAIT lasts 2 * @msl
 * @linger: seconds an ended flow stays listed
 * @idle_timeout: seconds without segments before a flow is dropped
 * @max_flows: flows this namespace may hold
 *
 * Readers use rcu_dereference(); writers replace the whole structure under
 * tt_config_mutex, so a reader always sees one consistent configuration.
 */
struct tt_config {
	struct rcu_head rcu;
	bool enabled;
	u16 port;
	u8 addr_family;
	u8 prefix_len;
	union nf_inet_addr addr;
	u32 history;
	u32 msl;
	u32 linger;
	u32 idle_timeout;
	u32 max_flows;
};

/* Counters of one namespace, per CPU; see enum tt_stats_attr. */
enum tt_counter {
	TT_STAT_SEGMENTS,
	TT_STAT_FLOWS_CREATED,
	TT_STAT_FLOWS_ENDED,
	TT_STAT_EVICTED,
	TT_STAT_EXPIRED,
	TT_STAT_MALFORMED,
	TT_STAT_FRAGMENTS,
	TT_STAT_FILTERED,
	TT_STAT_ALLOC_FAILED,
	TT_STAT_TABLE_FULL,
	TT_STAT_EVENTS_LOST,
	TT_STAT_EVICTED_ENDED,		/* TT_STAT_EVICTED by class, in the */
	TT_STAT_EVICTED_TIME_WAIT,	/* order of enum tt_evict_class */
	TT_STAT_EVICTED_HANDSHAKE,
	TT_STAT_EVICTED_ESTABLISHED,
	TT_STAT_MAX
};

/**
 * enum tt_evict_class - how useful a flow still is, least useful first
 * @TT_EVICT_ENDED: both endpoints CLOSED: it only lingers to be seen
 * @TT_EVICT_TIME_WAIT: an endpoint waits out 2 * MSL
 * @TT_EVICT_HANDSHAKE: never established: a scan, a flood or a refusal
 * @TT_EVICT_ESTABLISHED: the rest: established once, not ended
 * @TT_EVICT_MAX: number of classes
 *
 * Eviction takes the oldest flow of the first class that has one (of the
 * established, the longest idle of the first few).
 */
enum tt_evict_class {
	TT_EVICT_ENDED,
	TT_EVICT_TIME_WAIT,
	TT_EVICT_HANDSHAKE,
	TT_EVICT_ESTABLISHED,
	TT_EVICT_MAX
};

/**
 * struct tt_stats - a namespace's counters on one CPU
 * @count: enum tt_counter
 * @generation: flows inserted and unlinked (tt_net_generation())
 */
struct tt_stats {
	u64 count[TT_STAT_MAX];
	u32 generation;
};

/*
 * Each namespace's timer wheel (flowtable.c): TT_WHEEL_SLOTS slots, each a
 * tick of 2^TT_WHEEL_SHIFT ns (33.6 ms), one revolution 17 s.  A flow
 * waits in the slot of the tick it is due in, modulo the revolution.
 */
#define TT_WHEEL_SHIFT		25
#define TT_WHEEL_SLOTS		512

/**
 * struct tt_net - per network namespace state
 * @net: the namespace
 * @config: current configuration, RCU protected
 * @stats: per-CPU counters
 * @node: in tt_nets, from init to pre_exit; walked under RCU
 * @flows: flows of this namespace in the table; on a line of its own,
 *	written at each insert and unlink
 * @lru_lock: protects @lru, @wheel and @wheel_done, and each flow's place
 *	in them
 * @lru: the namespace's flows by enum tt_evict_class, oldest first
 * @wheel_done: the last tick whose slot the GC worker has done
 * @wheel: the namespace's flows by the tick they are due in
 * @subs_lock: protects @subs and @nsubs
 * @nsubs: sockets that asked for the full events (TT_CMD_EVENTS_SUBSCRIBE)
 * @subs: their netlink port ids
 */
struct tt_net {
	struct net *net;
	struct tt_config __rcu *config;
	struct tt_stats __percpu *stats;
	struct list_head node;
	atomic_t flows ____cacheline_aligned_in_smp;
	spinlock_t lru_lock ____cacheline_aligned_in_smp; /* lru, wheel */
	struct list_head lru[TT_EVICT_MAX];
	u64 wheel_done;
	struct hlist_head wheel[TT_WHEEL_SLOTS];
	spinlock_t subs_lock;	/* protects nsubs and subs */
	unsigned int nsubs;
	u32 subs[TT_SUBSCRIBERS_MAX];
};

extern unsigned int tt_net_id;
extern struct mutex tt_config_mutex;
extern struct list_head tt_nets;

static inline struct tt_net *tt_net(const struct net *net)
{
	return net_generic(net, tt_net_id);
}

static inline void tt_stat_inc(struct tt_net *tn, enum tt_counter c)
{
	this_cpu_inc(tn->stats->count[c]);
}

/*
 * A flow of @tn came or went: a netlink dump in progress is told (its
 * batches compare tt_net_generation()).  The bucket lock is held.
 */
static inline void tt_net_changed(struct tt_net *tn)
{
	this_cpu_inc(tn->stats->generation);
}

u64 tt_stat_read(struct tt_net *tn, enum tt_counter c);
u32 tt_net_generation(struct tt_net *tn);
u32 tt_net_default_quota(const struct net *net);
void tt_config_timeouts(const struct tt_config *cfg, struct tt_timeouts *t);
int tt_config_replace(struct tt_net *tn, const struct tt_config *cfg);
int tt_net_init(void);
void tt_net_uninit(void);

#endif /* _TT_NETNS_H */
