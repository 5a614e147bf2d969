/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 4 of the pipeline: the table of flows, keyed by network namespace and
 * normalised 4-tuple.
 */

#ifndef _TT_FLOWTABLE_H
#define _TT_FLOWTABLE_H

#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "key.h"
#include "netns.h"
#include "state.h"

/**
 * struct tt_owner - who holds one end's local socket, as /proc/net/tcp says
 * @ino: the socket's inode number (socket:[@ino] in /proc/PID/fd); 0 until
 *	a segment the socket sent was seen
 * @uid: its owner
 */
struct tt_owner {
	u32 ino;
	kuid_t uid;
};

/**
 * struct tt_flow - one flow in the table
 * @node: in its bucket; protected by the bucket's lock, walked under RCU
 * @hash: of @key and @net
 * @key: the 4-tuple
 * @net: the namespace
 * @tn: its tcptrace state
 * @id: unique per flow and incarnation
 * @lock: protects @dead and @conn
 * @dead: unlinked; a reader that finds it must look again
 * @evict_class: its list in @tn->lru, enum tt_evict_class
 * @owner_listener: bit (1 << end of @key): that end's @owner is its
 *	listening socket's (it sent a SYN-ACK, not yet accepted)
 * @due: the time, in ns, it is queued for in @tn->wheel: at or before its
 *	next timer (tt_conn_next_timer()); written under @tn->lru_lock (and
 *	@lock, except when tt_table_retime() sets it to 0)
 * @lru: in its list; protected by @tn->lru_lock
 * @timer: in a slot of @tn->wheel; protected by @tn->lru_lock
 * @owner: the local socket of each end of @key, by end; under @lock
 * @rcu: frees the flow after readers are done
 * @conn: the state machine; its history, if the namespace keeps one, is an
 *	allocation of its own, sized to the namespace's depth
 *
 * A lookup walks a bucket comparing @hash and @key: with @node they fill
 * the first cache line of the object (the cache aligns it), so that a flow
 * passed over costs one line.  @net, compared when those match, starts the
 * second, which the lookup's caller reads next anyway (@lock, @conn).
 */
struct tt_flow {
	struct hlist_node node;
	u32 hash;
	struct tt_key key;
	possible_net_t net;
	struct tt_net *tn;
	u64 id;
	spinlock_t lock;	/* protects dead and conn */
	bool dead;
	u8 evict_class;
	u8 owner_listener;
	u64 due;
	struct list_head lru;
	struct hlist_node timer;
	struct tt_owner owner[2];
	struct rcu_head rcu;
	struct tt_conn conn;
};

/* Events of one segment: NEW, one per note, END, and an END of a flow that
 * made room or gave way to a new incarnation.
 */
#define TT_EVENTS_MAX	(TT_NOTES_PER_SEG + 4)

/* The two forms of an event: with sequence numbers, and without. */
enum tt_view {
	TT_VIEW_FULL,
	TT_VIEW_PUBLIC,
	TT_VIEW_MAX
};

struct sk_buff;
struct tt_table_notifier;

/**
 * struct tt_events - events built under a flow's lock, sent after it
 * @by: the notifier that built them, and sends them
 * @n: how many are queued
 * @ev: each event, in the forms somebody listens to (NULL for the others),
 *	with a reference on the namespace it goes to
 */
struct tt_events {
	const struct tt_table_notifier *by;
	unsigned int n;
	struct {
		struct sk_buff *skb[TT_VIEW_MAX];
		struct net *net;
	} ev[TT_EVENTS_MAX];
};

/**
 * struct tt_table_notifier - who hears what happens to the flows
 * @verdict: queue the events of one state machine call (the flow locked)
 * @end: queue the END event of a flow leaving the table (the flow locked)
 * @send: send what was queued; no lock of the table is held
 *
 * The netlink family registers one, as ctnetlink registers conntrack's
 * event notifier: the table never calls up into netlink by name.  The
 * table calls it under rcu_read_lock(), building and sending one queue in
 * one read-side section, so tt_table_notifier_unregister() waits for all.
 */
struct tt_table_notifier {
	void (*verdict)(struct tt_events *q, struct tt_flow *flow,
			const struct tt_verdict *v);
	void (*end)(struct tt_events *q, struct tt_flow *flow);
	void (*send)(struct tt_events *q);
};

/**
 * struct tt_table_iter - a place in a walk over one namespace's flows
 * @bucket: the bucket of the current flow
 * @after: the id of the last flow passed in that bucket, 0 for none
 *
 * It is a position, not a reference: a walk may stop, drop RCU and go on
 * later (a dump, a read of /proc).  A bucket lists its flows newest first,
 * and ids grow, so the walk goes on with the first flow of the namespace
 * whose id is below @after: one that came meanwhile (at the head) is not
 * seen, one that went does not move the place.  A flow present for the
 * whole walk is seen exactly once.
 */
struct tt_table_iter {
	unsigned int bucket;
	u64 after;
};

/**
 * tt_table_iter_pass() - go on past @flow, the flow at @it
 * @it: the place
 * @flow: what tt_table_iter_find() returned for it
 */
static inline void tt_table_iter_pass(struct tt_table_iter *it,
				      const struct tt_flow *flow)
{
	it->after = flow->id;
}

/*
 * The table, shared by all namespaces.  Its geometry, which every lookup
 * reads, is not on the line of @count, which every insert and unlink
 * writes.
 */
struct tt_table {
	struct hlist_head *buckets;
	spinlock_t *locks;		/* protect the buckets; striped */
	unsigned int size;		/* buckets, a power of two */
	unsigned int nlocks;		/* a power of two */
	unsigned int max_flows;		/* the module parameter */
	unsigned int history_max;	/* notes a flow object can hold */
	atomic_t count ____cacheline_aligned_in_smp;	/* flows in the table */
};

extern struct tt_table tt_table;

void tt_table_segment(struct net *net, const struct tt_key *key,
		      unsigned int side, unsigned int obs,
		      const struct tt_seg *seg, struct sock *sk,
		      unsigned int sk_side);
struct tt_flow *tt_table_find(const struct net *net, const struct tt_key *key);
unsigned int tt_table_flush(struct net *net, bool notify);
void tt_table_retime(struct tt_net *tn);
struct tt_flow *tt_table_iter_find(struct tt_table_iter *it,
				   const struct net *net);
void tt_table_notifier_register(const struct tt_table_notifier *n);
void tt_table_notifier_unregister(void);
int tt_table_init(void);
void tt_table_gc_start(void);
void tt_table_gc_stop(void);
void tt_table_uninit(void);

/* Which end of the key is the flow's client (0 or 1). */
static inline unsigned int tt_flow_client_side(const struct tt_flow *flow)
{
	return flow->conn.client_side;
}

/**
 * tt_flow_owner() - who holds the local socket at an end of a flow
 * @flow: the flow, locked
 * @side: the end of its key
 *
 * An end in TIME_WAIT or CLOSED has no socket anybody holds (Linux keeps a
 * TIME_WAIT minisock, which ss shows with inode 0).
 *
 * Return: the owner, or NULL if none is known.
 */
static inline const struct tt_owner *tt_flow_owner(const struct tt_flow *flow,
						   unsigned int side)
{
	unsigned int peer = side == tt_flow_client_side(flow) ? TT_CLIENT :
								TT_SERVER;
	u8 state = flow->conn.peer[peer].state;

	if (!flow->owner[side].ino || state == TT_STATE_TIME_WAIT ||
	    state == TT_STATE_CLOSED)
		return NULL;
	return &flow->owner[side];
}

#endif /* _TT_FLOWTABLE_H */
