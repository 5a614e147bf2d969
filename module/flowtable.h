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

#include "netns.h"
#include "state.h"

/**
 * struct tt_key - a 4-tuple, normalised so both directions find one flow
 * @addr: the two addresses; [0] with @port[0] is the lower end (memcmp)
 * @port: the two ports, network order
 * @family: AF_INET or AF_INET6
 * @pad: zero, so the key hashes and compares as bytes
 */
struct tt_key {
	union nf_inet_addr addr[2];
	__be16 port[2];
	u8 family;
	u8 pad[3];
};

/**
 * struct tt_flow - one flow in the table
 * @node: in its bucket; protected by the bucket's lock, walked under RCU
 * @rcu: frees the flow after readers are done
 * @key: the 4-tuple
 * @net: the namespace
 * @tn: its tcptrace state
 * @id: unique per flow and incarnation
 * @hash: of @key and @net
 * @lock: protects @dead and @conn
 * @dead: unlinked; a reader that finds it must look again
 * @evict_class: its list in @tn->lru, enum tt_evict_class
 * @lru: in that list; protected by @tn->lru_lock
 * @conn: the state machine; last, it ends with the history
 */
struct tt_flow {
	struct hlist_node node;
	struct rcu_head rcu;
	struct tt_key key;
	possible_net_t net;
	struct tt_net *tn;
	u64 id;
	u32 hash;
	spinlock_t lock;	/* protects dead and conn */
	bool dead;
	u8 evict_class;
	struct list_head lru;
	struct tt_conn conn;
};

/* The table, shared by all namespaces. */
struct tt_table {
	struct hlist_head *buckets;
	spinlock_t *locks;		/* protect the buckets; striped */
	unsigned int size;		/* buckets, a power of two */
	unsigned int nlocks;		/* a power of two */
	atomic_t count;			/* flows in the table */
	unsigned int max_flows;		/* the module parameter */
	unsigned int history_max;	/* notes a flow object can hold */
};

extern struct tt_table tt_table;

bool tt_key_make(struct tt_key *key, u8 family, const void *saddr,
		 __be16 sport, const void *daddr, __be16 dport,
		 unsigned int *side);
void tt_key_endpoint(const struct tt_key *key, unsigned int side,
		     union nf_inet_addr *addr, __be16 *port);
void tt_table_segment(struct net *net, const struct tt_key *key,
		      unsigned int side, unsigned int obs,
		      const struct tt_seg *seg);
struct tt_flow *tt_table_find(const struct net *net, const struct tt_key *key);
unsigned int tt_table_flush(struct net *net, bool notify);
int tt_table_init(void);
void tt_table_gc_start(void);
void tt_table_gc_stop(void);
void tt_table_uninit(void);

/* Which end of the key is the flow's client (0 or 1). */
static inline unsigned int tt_flow_client_side(const struct tt_flow *flow)
{
	return flow->conn.client_side;
}

#endif /* _TT_FLOWTABLE_H */
