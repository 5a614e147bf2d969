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

/* Flows the worker or a flush takes off a list at a time; flows one run of
 * the worker handles at most.
 */
#define GC_BATCH	16
#define GC_BUDGET	4096

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
static unsigned long gc_tick;	/* jiffies: a wheel tick, at least 1 */
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
 * @it: the place: the first flow of @net in @it->bucket older than
 *	@it->after (any, if 0), or else in a later bucket; moved to the bucket
 *	where that flow is (@it->after 0 when it moves)
 * @net: the namespace
 *
 * Pass the flow with tt_table_iter_pass() to go on to the next one.  /proc
 * and the netlink dump both walk the table with it.
 *
 * Context: rcu_read_lock() held.
 * Return: the flow (check @flow->dead under its lock), or NULL at the end.
 */
struct tt_flow *tt_table_iter_find(struct tt_table_iter *it,
				   const struct net *net)
{
	struct tt_flow *flow;

	for (; it->bucket < tt_table.size; it->bucket++, it->after = 0) {
		hlist_for_each_entry_rcu(flow, &tt_table.buckets[it->bucket],
					 node) {
			/* Newest first: ids fall along the bucket. */
			if (it->after && flow->id >= it->after)
				continue;
			if (net_eq(read_pnet(&flow->net), net))
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

static void flow_free(struct tt_flow *flow)
{
	kfree(flow->conn.hist);
	kmem_cache_free(flow_cache, flow);
}

static void flow_free_rcu(struct rcu_head *rcu)
{
	flow_free(container_of(rcu, struct tt_flow, rcu));
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

/* The tick of a time in ns, and the wheel slot of a tick. */
static u64 tick_of(u64 ns)
{
	return ns >> TT_WHEEL_SHIFT;
}

static struct hlist_head *slot_of(struct tt_net *tn, u64 tick)
{
	return &tn->wheel[tick & (TT_WHEEL_SLOTS - 1)];
}

/*
 * Queue @flow in its namespace's wheel for @due: in the slot of its tick,
 * or of the next tick the worker has not done if that is later.  A due a
 * revolution or more away waits in its slot, passed over until it comes.
 */
static void timer_set(struct tt_flow *flow, u64 due)
{
	struct tt_net *tn = flow->tn;

	lockdep_assert_held(&flow->lock);
	lockdep_assert_held(&tn->lru_lock);
	hlist_del_init(&flow->timer);
	WRITE_ONCE(flow->due, due);
	hlist_add_head(&flow->timer,
		       slot_of(tn, max(tick_of(due), tn->wheel_done + 1)));
}

/*
 * After the state machine ran on a flow (its lock held, so bottom halves
 * are off; not dead): put it at the back of the list of its class if it
 * moved to another class, and queue it earlier if its next timer comes
 * earlier than the one it is queued for.  A later one (a segment put the
 * idle end off) leaves it where it is: the worker finds it there, sees
 * nothing to do and queues it for the later time.  So a segment touches
 * the namespace's lists only when its flow changes class or gets an
 * earlier timer: TIME_WAIT, an end.  @force: queue it for its timer even
 * if that is later (the worker).
 */
static void settle(struct tt_flow *flow, const struct tt_timeouts *t,
		   bool force)
{
	enum tt_evict_class cls = evict_class(&flow->conn);
	u64 due = tt_conn_next_timer(&flow->conn, t);
	struct tt_net *tn = flow->tn;

	lockdep_assert_held(&flow->lock);
	if (cls == flow->evict_class && due >= READ_ONCE(flow->due) && !force)
		return;
	spin_lock(&tn->lru_lock);
	if (cls != flow->evict_class) {
		list_move_tail(&flow->lru, &tn->lru[cls]);
		flow->evict_class = cls;
	}
	timer_set(flow, due);
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
	hlist_del_init(&flow->timer);
	spin_unlock(&tn->lru_lock);
	spin_unlock(&flow->lock);

	hlist_del_rcu(&flow->node);
	if (!(give & GIVE_TABLE))
		atomic_dec(&tt_table.count);
	if (!(give & GIVE_NS))
		atomic_dec(&tn->flows);
	tt_net_changed(tn);
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
			      const struct tt_timeouts *t,
			      const struct tt_key *key, u32 hash,
			      unsigned int side, unsigned int obs,
			      const struct tt_seg *seg, struct tt_events *q,
			      bool *fed)
{
	unsigned int depth = min(cfg->history, tt_table.history_max);
	spinlock_t *lock = bucket_lock(hash);
	struct tt_flow *flow, *other;
	struct tt_note *hist = NULL;

	if (!reserve(tn, cfg, q))
		return NULL;
	flow = kmem_cache_alloc(flow_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!flow) {
		atomic_dec(&tt_table.count);
		atomic_dec(&tn->flows);
		tt_stat_inc(tn, TT_STAT_ALLOC_FAILED);
		return NULL;
	}
	/* Without memory for its history, the flow is still tracked. */
	if (depth) {
		hist = kmalloc(tt_history_size(depth),
			       GFP_ATOMIC | __GFP_NOWARN);
		if (!hist)
			tt_stat_inc(tn, TT_STAT_ALLOC_FAILED);
	}
	flow->key = *key;
	write_pnet(&flow->net, net);
	flow->tn = tn;
	flow->hash = hash;
	flow->dead = false;
	memset(flow->owner, 0, sizeof(flow->owner));
	flow->owner_listener = 0;
	tt_conn_init(&flow->conn, hist, depth);

	spin_lock_bh(lock);
	other = lookup(net, key, hash);
	if (other) {
		spin_unlock_bh(lock);
		flow_free(flow);
		atomic_dec(&tt_table.count);
		atomic_dec(&tn->flows);
		return other;
	}
	/* Under the bucket lock, so that a bucket lists its flows by falling
	 * id (struct tt_table_iter).
	 */
	flow->id = atomic64_inc_return(&next_id);
	/* Lock order as everywhere: bucket, then flow (nobody else has it).
	 * Into the namespace's lists with its first segment applied: an
	 * eviction or the worker never sees it before.
	 */
	spin_lock(&flow->lock);
	feed(flow, seg, side, obs, q);
	flow->evict_class = evict_class(&flow->conn);
	spin_lock(&tn->lru_lock);
	list_add_tail(&flow->lru, &tn->lru[flow->evict_class]);
	timer_set(flow, tt_conn_next_timer(&flow->conn, t));
	spin_unlock(&tn->lru_lock);
	spin_unlock(&flow->lock);
	hlist_add_head_rcu(&flow->node, bucket(hash));
	tt_net_changed(tn);
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

/*
 * Should the socket @sk at end @side of a segment of @flow (NULL: none yet)
 * tell the flow who holds that end?  Yes while the flow knows nobody there,
 * or only the listener that sent the SYN-ACK; and once the socket is
 * orphaned (its application closed it: SOCK_DEAD), when nobody holds it
 * any more, as ss then shows.  A hint, read without the flow's lock:
 * owner_read() must not run under it, as sock_i_ino() takes the socket's
 * sk_callback_lock.
 */
static bool owner_wanted(const struct tt_flow *flow, unsigned int side,
			 const struct sock *sk)
{
	u32 ino;

	if (!sk)
		return false;
	if (!flow)
		return !sock_flag(sk, SOCK_DEAD);
	/* A hint: owner_set() decides under the flow's lock. */
	ino = data_race(flow->owner[side].ino);
	if (sock_flag(sk, SOCK_DEAD))
		return ino;
	return !ino ||
	       /* the same */
	       ((data_race(flow->owner_listener) & BIT(side)) &&
		sk->sk_state != TCP_LISTEN);
}

/* Who holds @sk, as /proc/net/tcp says: inode 0 once it is orphaned. */
static void owner_read(struct sock *sk, struct tt_owner *own)
{
	own->ino = sock_i_ino(sk);
	own->uid = own->ino ? sock_i_uid(sk) : GLOBAL_ROOT_UID;
}

/*
 * @flow's end @side is held by @own (inode 0: by nobody); a listener's
 * never replaces another's.
 */
static void owner_set(struct tt_flow *flow, unsigned int side,
		      const struct tt_owner *own, bool listener)
{
	lockdep_assert_held(&flow->lock);
	if (listener && flow->owner[side].ino &&
	    !(flow->owner_listener & BIT(side)))
		return;
	flow->owner[side] = *own;
	if (listener)
		flow->owner_listener |= BIT(side);
	else
		flow->owner_listener &= ~BIT(side);
}

/**
 * tt_table_segment() - hand one sighting of a segment to its flow
 * @net: the namespace it was seen in
 * @key: its normalised 4-tuple
 * @side: the end of @key that sent it
 * @obs: TT_OBS_* bits, see tt_conn_segment()
 * @seg: the parsed segment
 * @sk: a user's local TCP socket at one end of it, or NULL
 * @sk_side: that end of @key
 *
 * Finds or creates the flow, runs the state machine and sends the events.
 * The flow learns who holds end @sk_side from @sk while it does not know,
 * or knows only the listener's.
 *
 * Context: the packet path, rcu_read_lock() held.  Never sleeps.
 */
void tt_table_segment(struct net *net, const struct tt_key *key,
		      unsigned int side, unsigned int obs,
		      const struct tt_seg *seg, struct sock *sk,
		      unsigned int sk_side)
{
	struct tt_net *tn = tt_net(net);
	const struct tt_config *cfg = rcu_dereference(tn->config);
	u32 hash = flow_hash(net, key);
	struct tt_events q = { .n = 0 };
	bool fed = false, listener = false, have_own = false;
	struct tt_owner own;
	struct tt_timeouts t;
	struct tt_flow *flow;
	int tries;

	if (!cfg->enabled) {
		tt_stat_inc(tn, TT_STAT_FILTERED);
		return;
	}
	tt_config_timeouts(cfg, &t);
	/* A segment seen twice (loopback) counts once, when it leaves. */
	if (obs & TT_OBS_SEND)
		tt_stat_inc(tn, TT_STAT_SEGMENTS);

	/* Twice at most: once more after losing a race with a removal, or
	 * after ending the incarnation that this SYN replaces.
	 */
	for (tries = 0; tries < 2; tries++) {
		flow = lookup(net, key, hash);
		if (owner_wanted(flow, sk_side, sk)) {
			listener = sk->sk_state == TCP_LISTEN;
			owner_read(sk, &own);
			have_own = true;
			sk = NULL;		/* read once */
		}
		if (!flow) {
			if (tt_table_step(NULL, seg) == TT_STEP_IGNORE)
				break;
			if (!filter_match(cfg, key)) {
				tt_stat_inc(tn, TT_STAT_FILTERED);
				break;
			}
			flow = create(net, tn, cfg, &t, key, hash, side, obs,
				      seg, &q, &fed);
			if (!flow)
				break;
			if (fed) {
				if (have_own) {
					spin_lock_bh(&flow->lock);
					if (!flow->dead)
						owner_set(flow, sk_side, &own,
							  listener);
					spin_unlock_bh(&flow->lock);
				}
				break;
			}
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
		if (have_own)
			owner_set(flow, sk_side, &own, listener);
		settle(flow, &t, false);
		spin_unlock_bh(&flow->lock);
		break;
	}
	notify_send(&q);
}

/* Unlink @flow, which was on its namespace's lists, unless it is dead. */
static bool flush_one(struct tt_flow *flow, struct tt_events *q)
{
	spinlock_t *lock = bucket_lock(flow->hash);
	bool done = false;

	spin_lock_bh(lock);
	if (!flow->dead) {
		unlink_flow(flow, TT_OUTCOME_FLUSHED, q, 0);
		done = true;
	}
	spin_unlock_bh(lock);
	return done;
}

/**
 * tt_table_flush() - remove every flow of a namespace
 * @net: the namespace
 * @notify: send an END event for each (TT_OUTCOME_FLUSHED)
 *
 * Walks the namespace's own lists (@tn->lru), not the table, so its cost
 * is that of the namespace's flows, whatever the other namespaces hold.
 * Under lru_lock the lists are moved to a list of the flush's own; then
 * flows are taken off it under lru_lock, GC_BATCH at a time, and each is
 * unlinked under its bucket lock (the lock order forbids a bucket lock
 * under lru_lock), kept valid by RCU.  A flow that changes class meanwhile goes back to
 * the namespace's lists, so the flush looks again until they are empty,
 * at most a few times: a namespace that keeps making flows is not
 * flushed for ever.
 *
 * A namespace that goes away has no hook, no tt_nets entry (so neither
 * the worker nor another namespace's eviction finds it) and an RCU grace
 * period behind it: when this returns, nothing touches its counters.
 *
 * Context: process context.
 * Return: how many flows were removed.
 */
unsigned int tt_table_flush(struct net *net, bool notify)
{
	struct tt_events q = { .n = 0 };
	unsigned int c, i, n, round, removed = 0;
	struct tt_flow *batch[GC_BATCH], *flow;
	struct tt_net *tn = tt_net(net);
	LIST_HEAD(todo);

	for (round = 0; round < 4; round++) {
		spin_lock_bh(&tn->lru_lock);
		for (c = 0; c < TT_EVICT_MAX; c++)
			list_splice_tail_init(&tn->lru[c], &todo);
		spin_unlock_bh(&tn->lru_lock);
		if (list_empty(&todo))
			break;
		do {
			n = 0;
			rcu_read_lock();	/* the flows; the notifier */
			spin_lock_bh(&tn->lru_lock);
			while (n < GC_BATCH && !list_empty(&todo)) {
				flow = list_first_entry(&todo, struct tt_flow,
							lru);
				list_del_init(&flow->lru);
				batch[n++] = flow;
			}
			spin_unlock_bh(&tn->lru_lock);
			for (i = 0; i < n; i++) {
				/* One END event a flow at most. */
				if (q.n == ARRAY_SIZE(q.ev))
					notify_send(&q);
				if (flush_one(batch[i], notify ? &q : NULL))
					removed++;
			}
			notify_send(&q);	/* in the section that built it */
			rcu_read_unlock();
			cond_resched();
		} while (n);
	}
	return removed;
}

/* Let time pass for one flow, which the worker found due. */
static void gc_flow(struct tt_flow *flow, u64 now)
{
	spinlock_t *lock = bucket_lock(flow->hash);
	struct tt_events q = { .n = 0 };
	struct tt_timeouts t;
	struct tt_verdict v;
	bool remove;

	tt_config_timeouts(rcu_dereference(flow->tn->config), &t);
	spin_lock_bh(lock);
	if (flow->dead) {
		spin_unlock_bh(lock);
		return;
	}
	spin_lock(&flow->lock);
	remove = tt_conn_expire(&flow->conn, now, &t, &v);
	notify_verdict(&q, flow, &v);
	if (!remove)
		settle(flow, &t, true);
	spin_unlock(&flow->lock);
	if (remove) {
		tt_stat_inc(flow->tn, TT_STAT_EXPIRED);
		unlink_flow(flow, TT_OUTCOME_OPEN, NULL, 0);
	}
	spin_unlock_bh(lock);
	notify_send(&q);
}

/*
 * Run the wheel of @tn up to @now: every flow due by then, at most @budget
 * (a few more).  The slots of the ticks before @now's are done once all
 * their due flows are taken; @now's own stays to be looked at again.  Due
 * flows are taken under lru_lock, GC_BATCH at a time, and handled without
 * it (the lock order puts the bucket and flow locks first), kept valid by
 * RCU.  A slot also holds flows due a revolution or more later: they are
 * passed over, without their locks.
 *
 * Context: rcu_read_lock() held.
 * Return: how many flows it handled.
 */
static unsigned int gc_net(struct tt_net *tn, u64 now, unsigned int budget)
{
	struct tt_flow *batch[GC_BATCH], *flow;
	u64 tick, until = tick_of(now);
	unsigned int i, n, done = 0;

	do {
		n = 0;
		spin_lock_bh(&tn->lru_lock);
		if (until - tn->wheel_done > TT_WHEEL_SLOTS)
			tn->wheel_done = until - TT_WHEEL_SLOTS;
		for (tick = tn->wheel_done + 1; tick <= until; tick++) {
			hlist_for_each_entry(flow, slot_of(tn, tick), timer) {
				if (flow->due > now)
					continue;
				if (n == GC_BATCH)
					break;
				batch[n++] = flow;
			}
			if (flow || tick == until)
				break;	/* more due here, or @now's own */
			tn->wheel_done = tick;
		}
		spin_unlock_bh(&tn->lru_lock);
		for (i = 0; i < n; i++)
			gc_flow(batch[i], now);
		done += n;
	} while (n == GC_BATCH && done < budget);
	return done;
}

/*
 * Each namespace's due flows: TIME_WAIT ends, ended flows go after
 * linger, idle ones after idle_timeout.  It runs every GC_TICK while the
 * table has flows (a flow's time then comes at most a tick late, plus the
 * scheduling delay), every second while it is empty (no flow is due in
 * less than a second, except one that ends, with linger 0, in that
 * second), and again at once when it ran out of budget.  Deferrable, as
 * conntrack's: an idle CPU runs it when it wakes up, and is not woken up
 * 30 times a second for it.
 */
static void gc_worker(struct work_struct *work)
{
	unsigned int done = 0;
	u64 now = ktime_get_ns();
	unsigned long delay;
	struct tt_net *tn;

	rcu_read_lock();
	list_for_each_entry_rcu(tn, &tt_nets, node) {
		done += gc_net(tn, now, GC_BUDGET - done);
		if (done >= GC_BUDGET)
			break;
	}
	rcu_read_unlock();
	if (READ_ONCE(gc_stopping))
		return;
	if (done >= GC_BUDGET)
		delay = 0;
	else if (atomic_read(&tt_table.count))
		delay = gc_tick;
	else
		delay = HZ;
	queue_delayed_work(system_power_efficient_wq, &gc_work, delay);
}

/**
 * tt_table_retime() - look at each flow of a namespace at once
 * @tn: the namespace, whose timeouts became shorter
 *
 * A flow waits in the wheel for the time its timeouts gave it: queue every
 * flow for now, so that the worker gives it its new time.  Each flow is on
 * one of @tn's eviction lists (or being evicted).
 *
 * Context: process context.
 */
void tt_table_retime(struct tt_net *tn)
{
	struct tt_flow *flow;
	unsigned int c;

	spin_lock_bh(&tn->lru_lock);
	for (c = 0; c < TT_EVICT_MAX; c++) {
		list_for_each_entry(flow, &tn->lru[c], lru) {
			hlist_del_init(&flow->timer);
			WRITE_ONCE(flow->due, 0);
			hlist_add_head(&flow->timer,
				       slot_of(tn, tn->wheel_done + 1));
		}
	}
	spin_unlock_bh(&tn->lru_lock);
}

/*
 * The flow cache's constructor: the lock and the empty list nodes of an
 * object, once.  A flow leaves the table with them so (unlocked, unlinked
 * by list_del_init() and hlist_del_init()), so that create() finds them
 * ready.  A cache with a constructor is never merged into another (neither
 * is one with Linux 6.5's SLAB_NO_MERGE): it keeps its name in
 * /proc/slabinfo, where the tests and students read its size.
 */
static void flow_ctor(void *obj)
{
	struct tt_flow *flow = obj;

	spin_lock_init(&flow->lock);
	INIT_LIST_HEAD(&flow->lru);
	INIT_HLIST_NODE(&flow->timer);
}

/* Does a full table, each flow with the most history, fit the memory share? */
static bool fits_memory(void)
{
	u64 flow = L1_CACHE_ALIGN(sizeof(struct tt_flow)) +
		   (history ? kmalloc_size_roundup(tt_history_size(history)) : 0);
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	if ((u64)max_flows * flow <= ram / TT_MEM_DIV)
		return true;
	pr_err("max_flows=%u flows of %llu bytes (history=%u) need %llu MiB, more than 1/%u of this machine's %llu MiB\n",
	       max_flows, flow, history, ((u64)max_flows * flow) >> 20,
	       TT_MEM_DIV, ram >> 20);
	return false;
}

/**
 * tt_table_init() - create the table
 *
 * Sizes it from the module parameters: about four flows per bucket when
 * full.  A full table must fit 1/TT_MEM_DIV of the memory.
 *
 * Return: 0, -EINVAL for a parameter out of range or a table too big for
 * the memory, or -ENOMEM.
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
	if (!fits_memory())
		return -EINVAL;
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

	/* No room for history: that is kmalloc()ed, sized to the namespace. */
	flow_cache = kmem_cache_create("tcptrace_flow", sizeof(struct tt_flow),
				       0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE,
				       flow_ctor);
	if (!flow_cache)
		goto err_free_locks;

	gc_tick = max(nsecs_to_jiffies(1ULL << TT_WHEEL_SHIFT), 1UL);
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
	queue_delayed_work(system_power_efficient_wq, &gc_work, gc_tick);
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
