// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The flow table.  Packets look flows up under RCU and update one flow under
 * that flow's lock; inserts and removals take the lock of one bucket (striped
 * locks).  Flows come from their own kmem_cache, allocated with GFP_ATOMIC on
 * the packet path, and are freed after an RCU grace period.  The table is
 * bounded, and shared fairly: a namespace at its quota, or the namespace
 * with the most flows when the whole table is full, makes room by evicting
 * its least useful flow.  Each namespace keeps its flows in lists by class
 * (enum tt_evict_class), so that flow is found at once: the oldest ended,
 * then the oldest in TIME_WAIT, then the oldest never established, then the
 * longest idle of the first few established (a clock).  A deferrable worker
 * lets time pass: TIME_WAIT ends, ended flows linger and go, idle flows
 * expire.
 *
 * Lock order: bucket lock, then flow lock, then the namespace's lru_lock.
 * Never two bucket locks.
 */

#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include "compat.h"
#include "flowtable.h"

/* Established flows one eviction compares: bounded work on the packet path. */
#define EVICT_LOOK	8

/* The worker runs this often, and looks at every bucket each time. */
#define GC_INTERVAL	(HZ / 2)

static unsigned int max_flows = TT_MAX_FLOWS_DEFAULT;
module_param(max_flows, uint, 0444);
MODULE_PARM_DESC(max_flows, "Most flows the table holds, all namespaces together ("
		 __stringify(TT_MAX_FLOWS_MIN) "-" __stringify(TT_MAX_FLOWS_MAX) ")");

static unsigned int history = TT_HISTORY_DEFAULT;
module_param(history, uint, 0444);
MODULE_PARM_DESC(history, "Notes of history each flow keeps (0-"
		 __stringify(TT_HISTORY_MAX) ")");

struct tt_table tt_table;

static struct kmem_cache *flow_cache;
static siphash_key_t hash_secret __read_mostly;
static atomic64_t next_id;
static struct delayed_work gc_work;
static bool gc_stopping;
static const struct tt_table_notifier __rcu *notifier;

/* The lock of bucket @b: both sizes are powers of two, nlocks <= size. */
static spinlock_t *lock_of(unsigned int b)
{
	return &tt_table.locks[b & (tt_table.nlocks - 1)];
}

static spinlock_t *bucket_lock(u32 hash)
{
	return lock_of(hash & (tt_table.size - 1));
}

static struct hlist_head *bucket(u32 hash)
{
	return &tt_table.buckets[hash & (tt_table.size - 1)];
}

/*
 * The notifier's calls.  All of one queue's happen in one RCU read-side
 * section (the packet path's, or the caller's own), and the queue keeps the
 * notifier that built it: it is the one that sends it.
 */
static void notify_verdict(struct tt_events *q, struct tt_flow *flow,
			   const struct tt_verdict *v)
{
	const struct tt_table_notifier *n = rcu_dereference(notifier);

	if (n) {
		q->by = n;
		n->verdict(q, flow, v);
	}
}

static void notify_end(struct tt_events *q, struct tt_flow *flow)
{
	const struct tt_table_notifier *n = rcu_dereference(notifier);

	if (n) {
		q->by = n;
		n->end(q, flow);
	}
}

static void notify_send(struct tt_events *q)
{
	if (q->n)
		q->by->send(q);
}

/**
 * tt_table_notifier_register() - tell @n what happens to the flows
 * @n: the notifier; only one at a time
 */
void tt_table_notifier_register(const struct tt_table_notifier *n)
{
	rcu_assign_pointer(notifier, n);
}

/**
 * tt_table_notifier_unregister() - stop, and wait for calls in progress
 *
 * Context: process context; sleeps.
 */
void tt_table_notifier_unregister(void)
{
	RCU_INIT_POINTER(notifier, NULL);
	synchronize_rcu();
}

/**
 * tt_table_iter_find() - the flow of a namespace at a place in the table
 * @it: the place: the @it->skip-th flow of @net at or after @it->bucket;
 *	moved to the bucket where that flow is (skip 0 when it moves)
 * @net: the namespace
 *
 * Increment @it->skip to go on to the next flow.  /proc and the netlink
 * dump both walk the table with it.
 *
 * Context: rcu_read_lock() held.
 * Return: the flow (check @flow->dead under its lock), or NULL at the end.
 */
struct tt_flow *tt_table_iter_find(struct tt_table_iter *it,
				   const struct net *net)
{
	struct tt_flow *flow;
	unsigned int n;

	for (; it->bucket < tt_table.size; it->bucket++, it->skip = 0) {
		n = 0;
		hlist_for_each_entry_rcu(flow, &tt_table.buckets[it->bucket],
					 node) {
			if (!net_eq(read_pnet(&flow->net), net))
				continue;
			if (n++ == it->skip)
				return flow;
		}
	}
	return NULL;
}

static u32 flow_hash(const struct net *net, const struct tt_key *key)
{
	return (u32)siphash(key, sizeof(*key), &hash_secret) ^
	       net_hash_mix(net);
}

static struct tt_flow *lookup(const struct net *net, const struct tt_key *key,
			      u32 hash)
{
	struct tt_flow *flow;

	hlist_for_each_entry_rcu(flow, bucket(hash), node)
		if (flow->hash == hash &&
		    net_eq(read_pnet(&flow->net), net) &&
		    !memcmp(&flow->key, key, sizeof(*key)))
			return flow;
	return NULL;
}

/**
 * tt_table_find() - look a flow up
 * @net: its namespace
 * @key: its key
 *
 * Context: rcu_read_lock() held; the flow stays valid until it is dropped.
 * Return: the flow, or NULL.  Check @flow->dead under its lock.
 */
struct tt_flow *tt_table_find(const struct net *net, const struct tt_key *key)
{
	return lookup(net, key, flow_hash(net, key));
}

static void flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(flow_cache, container_of(rcu, struct tt_flow, rcu));
}

/* The eviction class of a flow; its lock is held. */
static enum tt_evict_class evict_class(const struct tt_conn *c)
{
	if (c->flags & TT_FLOW_F_ENDED)
		return TT_EVICT_ENDED;
	if (c->peer[0].state == TT_STATE_TIME_WAIT ||
	    c->peer[1].state == TT_STATE_TIME_WAIT)
		return TT_EVICT_TIME_WAIT;
	if (!(c->flags & TT_FLOW_F_ESTABLISHED))
		return TT_EVICT_HANDSHAKE;
	return TT_EVICT_ESTABLISHED;
}

/*
 * Put a flow at the back of the list of its class, if the state machine
 * moved it to another class.  Its lock is held (so bottom halves are off),
 * and it is in its namespace's lists.
 */
static void lru_update(struct tt_flow *flow)
{
	enum tt_evict_class cls = evict_class(&flow->conn);
	struct tt_net *tn = flow->tn;

	lockdep_assert_held(&flow->lock);
	if (cls == flow->evict_class || flow->dead)
		return;
	spin_lock(&tn->lru_lock);
	list_move_tail(&flow->lru, &tn->lru[cls]);
	flow->evict_class = cls;
	spin_unlock(&tn->lru_lock);
}

/* What an evicted flow hands to the new flow it makes room for. */
#define GIVE_TABLE	BIT(0)	/* its place in the table (tt_table.count) */
#define GIVE_NS		BIT(1)	/* its place in its namespace's quota */

/*
 * Take a flow out of the table.  @q, if set, gets its END event (unless it
 * has ended already), and @outcome becomes its outcome if it had none.
 * @give: GIVE_* places that pass to a new flow instead of being freed, so
 * that no other CPU can take them in between.
 */
static void unlink_flow(struct tt_flow *flow, enum tt_outcome outcome,
			struct tt_events *q, unsigned int give)
{
	struct tt_net *tn = flow->tn;

	lockdep_assert_held(bucket_lock(flow->hash));

	spin_lock(&flow->lock);
	flow->dead = true;
	if (flow->conn.outcome == TT_OUTCOME_OPEN)
		flow->conn.outcome = outcome;
	if (q && !tt_conn_ended(&flow->conn))
		notify_end(q, flow);
	spin_lock(&tn->lru_lock);
	list_del_init(&flow->lru);	/* pick_victim() may have taken it */
	spin_unlock(&tn->lru_lock);
	spin_unlock(&flow->lock);

	hlist_del_rcu(&flow->node);
	if (!(give & GIVE_TABLE))
		atomic_dec(&tt_table.count);
	if (!(give & GIVE_NS))
		atomic_dec(&tn->flows);
	atomic_inc(&tn->generation);
	tt_stat_inc(tn, TT_STAT_FLOWS_ENDED);
	call_rcu(&flow->rcu, flow_free_rcu);
}

/*
 * The least useful flow of @tn: the oldest of the first class that has one,
 * or of the established, the longest idle of the first EVICT_LOOK.  Those
 * it passed over go to the back of the list, so that the next look sees
 * others (the clock algorithm, without touching the list on every segment).
 * last_seen is read without the flow's lock: a stale value only picks a
 * slightly worse victim.
 */
static struct tt_flow *pick_victim(struct tt_net *tn,
				   enum tt_evict_class *cls)
{
	struct list_head *est = &tn->lru[TT_EVICT_ESTABLISHED];
	struct tt_flow *flow, *victim = NULL;
	unsigned int c, looked = 0;

	spin_lock_bh(&tn->lru_lock);
	for (c = 0; c < TT_EVICT_ESTABLISHED && !victim; c++) {
		victim = list_first_entry_or_null(&tn->lru[c], struct tt_flow,
						  lru);
		*cls = c;
	}
	if (!victim) {
		*cls = TT_EVICT_ESTABLISHED;
		list_for_each_entry(flow, est, lru) {
			if (looked++ == EVICT_LOOK)
				break;
			if (!victim ||
			    data_race(flow->conn.last_seen) < /* a hint */
			    data_race(victim->conn.last_seen))
				victim = flow;
		}
		if (victim)
			list_rotate_to_front(&victim->lru, est);
	}
	/* Taken out of the lists: another CPU that needs room takes another. */
	if (victim)
		list_del_init(&victim->lru);
	spin_unlock_bh(&tn->lru_lock);
	return victim;
}

/*
 * Remove the least useful flow of @tn to make room, handing its @give
 * places (GIVE_*) to the new flow.
 *
 * Context: rcu_read_lock() held (the victim stays valid after lru_lock).
 * Return: false if @tn has no flow to give.
 */
static bool evict_one(struct tt_net *tn, struct tt_events *q,
		      unsigned int give)
{
	enum tt_evict_class cls;
	struct tt_flow *victim;
	spinlock_t *lock;	/* the victim's bucket */
	int tries;

	/* Another CPU's victim is not ours (pick_victim() takes it out of
	 * the lists), but the worker or a flush may unlink ours meanwhile.
	 */
	for (tries = 0; tries < 4; tries++) {
		victim = pick_victim(tn, &cls);
		if (!victim)
			return false;
		lock = bucket_lock(victim->hash);
		spin_lock_bh(lock);
		if (!victim->dead) {
			/* Count while the flow is linked: the lock keeps its
			 * namespace's tt_table_flush(), and so its exit, from
			 * going past this bucket.
			 */
			tt_stat_inc(tn, TT_STAT_EVICTED);
			tt_stat_inc(tn, TT_STAT_EVICTED_ENDED + cls);
			unlink_flow(victim, TT_OUTCOME_EVICTED, q, give);
			spin_unlock_bh(lock);
			return true;
		}
		spin_unlock_bh(lock);
	}
	return false;
}

/*
 * The namespace that gives up a flow when the whole table is full: the one
 * holding the most flows, which is over its fair share of the table if any
 * namespace is.  @tn, the namespace that needs the room, wins ties.
 */
static struct tt_net *largest_net(struct tt_net *tn)
{
	int most = atomic_read(&tn->flows);
	struct tt_net *other, *best = tn;

	list_for_each_entry_rcu(other, &tt_nets, node) {
		int n = atomic_read(&other->flows);

		if (n > most) {
			most = n;
			best = other;
		}
	}
	return best;
}

static bool inc_below(atomic_t *v, int limit)
{
	int c = atomic_read(v);

	do {
		if (c >= limit)
			return false;
	} while (!atomic_try_cmpxchg(v, &c, c + 1));
	return true;
}

/*
 * Reserve a place for a new flow of @tn: at its quota, its least useful
 * flow gives its place; in a full table, the largest namespace's gives its
 * place in the table.  The places pass from the evicted flow to the new
 * one, so a flow is refused only when there is nothing to evict.
 *
 * Context: rcu_read_lock() held.
 */
static bool reserve(struct tt_net *tn, const struct tt_config *cfg,
		    struct tt_events *q)
{
	if (!inc_below(&tn->flows, cfg->max_flows)) {
		if (evict_one(tn, q, GIVE_TABLE | GIVE_NS))
			return true;
	} else {
		if (inc_below(&tt_table.count, tt_table.max_flows) ||
		    evict_one(largest_net(tn), q, GIVE_TABLE))
			return true;
		atomic_dec(&tn->flows);
	}
	tt_stat_inc(tn, TT_STAT_TABLE_FULL);
	return false;
}

static bool filter_match(const struct tt_config *cfg, const struct tt_key *k)
{
	__be16 port = htons(cfg->port);

	if (cfg->port && k->port[0] != port && k->port[1] != port)
		return false;
	if (!cfg->addr_family)
		return true;
	if (k->family != cfg->addr_family)
		return false;
	/* The IPv4 address sits in the first bytes of the union too. */
	return ipv6_prefix_equal(&k->addr[0].in6, &cfg->addr.in6,
				 cfg->prefix_len) ||
	       ipv6_prefix_equal(&k->addr[1].in6, &cfg->addr.in6,
				 cfg->prefix_len);
}

/* Run the state machine on one sighting of a segment and queue its events. */
static void feed(struct tt_flow *flow, const struct tt_seg *seg,
		 unsigned int side, unsigned int obs, struct tt_events *q)
{
	struct tt_verdict v;

	lockdep_assert_held(&flow->lock);
	tt_conn_segment(&flow->conn, seg, side, obs, ktime_get_ns(), &v);
	notify_verdict(q, flow, &v);
}

/*
 * Create the flow for @key with its first segment in it, and insert it; set
 * *@fed.  If another CPU inserted it first, return that one, without the
 * segment.  The flow is returned unlocked.
 *
 * The flow is complete (key, locks, the state and the times its first
 * segment sets) before hlist_add_head_rcu() publishes it: a flow seen
 * before its first segment has last_seen and created 0, so that eviction
 * would take it first and the GC would end it at once, as old as the system.
 */
static struct tt_flow *create(struct net *net, struct tt_net *tn,
			      const struct tt_config *cfg,
			      const struct tt_key *key, u32 hash,
			      unsigned int side, unsigned int obs,
			      const struct tt_seg *seg, struct tt_events *q,
			      bool *fed)
{
	unsigned int depth = min(cfg->history, tt_table.history_max);
	spinlock_t *lock = bucket_lock(hash);
	struct tt_flow *flow, *other;

	if (!reserve(tn, cfg, q))
		return NULL;
	flow = kmem_cache_alloc(flow_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!flow) {
		atomic_dec(&tt_table.count);
		atomic_dec(&tn->flows);
		tt_stat_inc(tn, TT_STAT_ALLOC_FAILED);
		return NULL;
	}
	flow->key = *key;
	write_pnet(&flow->net, net);
	flow->tn = tn;
	flow->hash = hash;
	flow->dead = false;
	INIT_LIST_HEAD(&flow->lru);
	spin_lock_init(&flow->lock);
	tt_conn_init(&flow->conn, depth);

	spin_lock_bh(lock);
	other = lookup(net, key, hash);
	if (other) {
		spin_unlock_bh(lock);
		kmem_cache_free(flow_cache, flow);
		atomic_dec(&tt_table.count);
		atomic_dec(&tn->flows);
		return other;
	}
	flow->id = atomic64_inc_return(&next_id);
	/* Lock order as everywhere: bucket, then flow (nobody else has it).
	 * Into the namespace's lists with its first segment applied: an
	 * eviction never sees it before.
	 */
	spin_lock(&flow->lock);
	feed(flow, seg, side, obs, q);
	flow->evict_class = evict_class(&flow->conn);
	spin_lock(&tn->lru_lock);
	list_add_tail(&flow->lru, &tn->lru[flow->evict_class]);
	spin_unlock(&tn->lru_lock);
	spin_unlock(&flow->lock);
	hlist_add_head_rcu(&flow->node, bucket(hash));
	atomic_inc(&tn->generation);
	tt_stat_inc(tn, TT_STAT_FLOWS_CREATED);
	spin_unlock_bh(lock);
	*fed = true;
	return flow;
}

/* End a flow that a new incarnation replaces. */
static void replace(struct tt_flow *flow, struct tt_events *q)
{
	spinlock_t *lock = bucket_lock(flow->hash);

	spin_lock_bh(lock);
	if (!flow->dead)
		unlink_flow(flow, TT_OUTCOME_OPEN, q, 0);
	spin_unlock_bh(lock);
}

/**
 * tt_table_segment() - hand one sighting of a segment to its flow
 * @net: the namespace it was seen in
 * @key: its normalised 4-tuple
 * @side: the end of @key that sent it
 * @obs: TT_OBS_* bits, see tt_conn_segment()
 * @seg: the parsed segment
 *
 * Finds or creates the flow, runs the state machine and sends the events.
 *
 * Context: the packet path, rcu_read_lock() held.  Never sleeps.
 */
void tt_table_segment(struct net *net, const struct tt_key *key,
		      unsigned int side, unsigned int obs,
		      const struct tt_seg *seg)
{
	struct tt_net *tn = tt_net(net);
	const struct tt_config *cfg = rcu_dereference(tn->config);
	u32 hash = flow_hash(net, key);
	struct tt_events q = { .n = 0 };
	struct tt_flow *flow;
	bool fed = false;
	int tries;

	if (!cfg->enabled) {
		tt_stat_inc(tn, TT_STAT_FILTERED);
		return;
	}
	/* A segment seen twice (loopback) counts once, when it leaves. */
	if (obs & TT_OBS_SEND)
		tt_stat_inc(tn, TT_STAT_SEGMENTS);

	/* Twice at most: once more after losing a race with a removal, or
	 * after ending the incarnation that this SYN replaces.
	 */
	for (tries = 0; tries < 2; tries++) {
		flow = lookup(net, key, hash);
		if (!flow) {
			if (tt_table_step(NULL, seg) == TT_STEP_IGNORE)
				break;
			if (!filter_match(cfg, key)) {
				tt_stat_inc(tn, TT_STAT_FILTERED);
				break;
			}
			flow = create(net, tn, cfg, key, hash, side, obs, seg,
				      &q, &fed);
			if (!flow || fed)
				break;
		}

		spin_lock_bh(&flow->lock);
		if (unlikely(flow->dead)) {
			spin_unlock_bh(&flow->lock);
			continue;
		}
		if (unlikely(tt_table_step(&flow->conn, seg) ==
			     TT_STEP_REPLACE)) {
			spin_unlock_bh(&flow->lock);
			replace(flow, &q);
			continue;
		}
		feed(flow, seg, side, obs, &q);
		lru_update(flow);
		spin_unlock_bh(&flow->lock);
		break;
	}
	notify_send(&q);
}

/**
 * tt_table_flush() - remove every flow of a namespace
 * @net: the namespace
 * @notify: send an END event for each (TT_OUTCOME_FLUSHED)
 *
 * Every bucket is looked at under its lock, also an empty one: a flow that
 * another CPU unlinks (an eviction, the GC) is accounted to its namespace
 * under that lock, so when the flush of a namespace that goes away returns,
 * nothing touches the namespace's counters any more.
 *
 * Context: process context.
 * Return: how many flows were removed.
 */
unsigned int tt_table_flush(struct net *net, bool notify)
{
	struct tt_events q = { .n = 0 };
	unsigned int b, removed = 0;
	struct hlist_node *tmp;
	struct tt_flow *flow;

	for (b = 0; b < tt_table.size; b++) {
		spinlock_t *lock = lock_of(b);

		rcu_read_lock();	/* for the notifier */
again:
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(flow, tmp, &tt_table.buckets[b],
					  node) {
			if (!net_eq(read_pnet(&flow->net), net))
				continue;
			if (notify && q.n == ARRAY_SIZE(q.ev)) {
				spin_unlock_bh(lock);
				notify_send(&q);
				goto again;
			}
			unlink_flow(flow, TT_OUTCOME_FLUSHED,
				    notify ? &q : NULL, 0);
			removed++;
		}
		spin_unlock_bh(lock);
		notify_send(&q);
		rcu_read_unlock();
		if (!(b & 255))
			cond_resched();
	}
	return removed;
}

/* Let time pass for the flows of one bucket. */
static void gc_bucket(unsigned int b, u64 now)
{
	spinlock_t *lock = lock_of(b);
	struct tt_events q = { .n = 0 };
	struct hlist_node *tmp;
	struct tt_timeouts t;
	struct tt_verdict v;
	struct tt_flow *flow;
	bool remove;

again:
	rcu_read_lock();
	spin_lock_bh(lock);
	hlist_for_each_entry_safe(flow, tmp, &tt_table.buckets[b], node) {
		/* Room for the events of one flow, or send what we have. */
		if (q.n > ARRAY_SIZE(q.ev) - (TT_NOTES_PER_SEG + 2)) {
			spin_unlock_bh(lock);
			notify_send(&q);
			rcu_read_unlock();
			goto again;
		}
		tt_config_timeouts(rcu_dereference(flow->tn->config), &t);
		spin_lock(&flow->lock);
		remove = tt_conn_expire(&flow->conn, now, &t, &v);
		notify_verdict(&q, flow, &v);
		if (!remove)
			lru_update(flow);
		spin_unlock(&flow->lock);
		if (remove) {
			tt_stat_inc(flow->tn, TT_STAT_EXPIRED);
			unlink_flow(flow, TT_OUTCOME_OPEN, NULL, 0);
		}
	}
	spin_unlock_bh(lock);
	notify_send(&q);
	rcu_read_unlock();
}

static void gc_worker(struct work_struct *work)
{
	u64 now = ktime_get_ns();
	unsigned int b;

	for (b = 0; b < tt_table.size; b++) {
		if (!hlist_empty(&tt_table.buckets[b]))
			gc_bucket(b, now);
		if (!(b & 255))
			cond_resched();
	}
	if (!READ_ONCE(gc_stopping))
		queue_delayed_work(system_power_efficient_wq, &gc_work,
				   GC_INTERVAL);
}

/**
 * tt_table_init() - create the table
 *
 * Sizes it from the module parameters: about four flows per bucket when
 * full, objects with room for @history notes.
 *
 * Return: 0, -EINVAL for a parameter out of range, or -ENOMEM.
 */
int tt_table_init(void)
{
	unsigned int i;

	if (max_flows < TT_MAX_FLOWS_MIN || max_flows > TT_MAX_FLOWS_MAX ||
	    history > TT_HISTORY_MAX) {
		pr_err("max_flows=%u or history=%u out of range (%u-%u, 0-%u)\n",
		       max_flows, history, TT_MAX_FLOWS_MIN, TT_MAX_FLOWS_MAX,
		       TT_HISTORY_MAX);
		return -EINVAL;
	}
	tt_table.max_flows = max_flows;
	tt_table.history_max = history;
	tt_table.size = roundup_pow_of_two(max(tt_table.max_flows / 4, 16U));
	tt_table.nlocks = min(tt_table.size, 1024U);
	atomic_set(&tt_table.count, 0);
	get_random_bytes(&hash_secret, sizeof(hash_secret));

	tt_table.buckets = kvcalloc(tt_table.size, sizeof(*tt_table.buckets),
				    GFP_KERNEL);
	if (!tt_table.buckets)
		return -ENOMEM;
	tt_table.locks = kvcalloc(tt_table.nlocks, sizeof(*tt_table.locks),
				  GFP_KERNEL);
	if (!tt_table.locks)
		goto err_free_buckets;
	for (i = 0; i < tt_table.nlocks; i++)
		spin_lock_init(&tt_table.locks[i]);

	flow_cache = kmem_cache_create("tcptrace_flow",
				       sizeof(struct tt_flow) +
				       tt_table.history_max *
				       sizeof(struct tt_note),
				       0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	if (!flow_cache)
		goto err_free_locks;

	INIT_DEFERRABLE_WORK(&gc_work, gc_worker);
	return 0;

err_free_locks:
	kvfree(tt_table.locks);
err_free_buckets:
	kvfree(tt_table.buckets);
	return -ENOMEM;
}

/**
 * tt_table_gc_start() - start letting time pass for the flows
 *
 * The worker reaches the flows' namespaces (their configuration and
 * counters) and sends events: start it once both are there.
 */
void tt_table_gc_start(void)
{
	WRITE_ONCE(gc_stopping, false);
	queue_delayed_work(system_power_efficient_wq, &gc_work, GC_INTERVAL);
}

/**
 * tt_table_gc_stop() - stop the worker and wait for it
 *
 * Before the namespaces' data or the netlink family goes.  The worker
 * re-arms itself unless gc_stopping is set, and cancel_delayed_work_sync()
 * waits for a run in progress, so it does not run again after this.
 *
 * Context: process context; sleeps.
 */
void tt_table_gc_stop(void)
{
	WRITE_ONCE(gc_stopping, true);
	cancel_delayed_work_sync(&gc_work);
}

/**
 * tt_table_uninit() - destroy the table
 *
 * Context: tt_table_gc_stop() was called, every namespace has flushed its
 * flows and no hook runs any more.
 */
void tt_table_uninit(void)
{
	WARN_ON(atomic_read(&tt_table.count));
	/* Wait for flow_free_rcu() of every flow before the cache goes. */
	rcu_barrier();
	kmem_cache_destroy(flow_cache);
	kvfree(tt_table.locks);
	kvfree(tt_table.buckets);
}
