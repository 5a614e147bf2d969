// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `replay FILE`: the tracker without a kernel.  Each TCP segment of a
 * capture goes through the module's own parser (tt_parse_tcp()) and state
 * machine (tt_conn_segment()) in a small flow table of this process, keyed
 * as the module keys its table, and the events come out as `monitor` prints
 * them (text, --json or --ladder), or the final table as `list` prints it
 * (--list).  A capture sees each segment once, so both halves of every
 * segment apply at once (TT_OBS_BOTH); no endpoint is local.  A segment
 * whose checksum is wrong (capture_csum()) is its receiver's to drop, as the
 * module's LOCAL_IN hook finds it: tt_seg.csum_bad applies its sender's
 * half only (--ignore-checksums takes every checksum as right).  Time is the
 * capture's: each flow's timers (TIME_WAIT ends, an ended flow lingers, an
 * idle one times out) run at their own capture time, in time order, before
 * the first packet after them; a gap in the capture delays none of them.
 * The clock stops at the last packet: a timer due after it never runs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "capture.h"
#include "filter.h"
#include "key.h"
#include "ladder.h"
#include "print.h"
#include "stats.h"
#include "tcptracectl.h"
#include "tsg.h"

#define NSEC_PER_SEC		1000000000ULL

/*
 * The table starts with this many buckets and doubles whenever it holds
 * more flows than buckets, so that a chain is one flow long on average
 * however many flows are open at once.  It does not shrink: its size is
 * that of the most flows open at once, 8 bytes a bucket.
 */
#define MIN_BUCKETS_SHIFT	10

/* Flows are allocated this many at a time, and reused from a free list. */
#define SLAB_FLOWS		1024

/* The output buffer of stdout: a few hundred events a write(). */
#define STDOUT_BUF		(1U << 20)

/**
 * struct rflow - a flow of the replay's table
 * @next: in its bucket
 * @older: the flow created before it, in the list of all flows
 * @newer: the flow created after it
 * @hash: key_hash() of @key: chains compare it first, growth reuses it
 * @key: its key
 * @id: as the module numbers flows: from 1, in order of creation
 * @slot: its place in the timer heap
 * @stats: its statistics, with --stats
 * @conn: the state machine (no history: see parse_args())
 */
struct rflow {
	struct rflow *next;
	struct rflow *older;
	struct rflow *newer;
	uint32_t hash;
	struct tt_key key;
	uint64_t id;
	size_t slot;
	struct flow_stats *stats;
	struct tt_conn conn;
};

/**
 * struct timer - an entry of the timer heap
 * @due: when the flow's next timer runs, or earlier (see timer_touch())
 * @rf: the flow
 *
 * The time is kept in the heap, not in the flow: sifting compares
 * neighbouring entries without touching the flows themselves.
 */
struct timer {
	uint64_t due;
	struct rflow *rf;
};

/**
 * struct replay - one replay
 * @filter: which flows to show
 * @list: print the table at the end instead of the events
 * @stats: --stats: print each connection's statistics instead
 * @ignore_csum: --ignore-checksums: verify no checksum
 * @ladder: the diagram, with --ladder
 * @graph: --graph tsg and its options
 * @tsg: the graph being gathered, with --graph
 * @timeouts: the configured timeouts
 * @history: notes kept per flow, as --history says (see parse_args())
 * @buckets: the table, 1 << @shift chains
 * @shift: log2 of the number of buckets
 * @nflows: flows in the table
 * @oldest: the list of all flows, in the order of their ids
 * @newest: its other end
 * @free: flows to reuse, linked by @next
 * @slabs: the blocks of flows allocated, linked by their first word
 * @next_id: the id of the next flow
 * @timers: every flow, a binary min-heap by (due, id)
 * @ntimers: flows in @timers
 * @timers_cap: room in @timers
 * @now: capture time of the current packet or timer, ns
 * @segments: TCP segments handed to the state machine
 */
struct replay {
	struct filter filter;
	bool list;
	struct stats *stats;
	bool ignore_csum;
	struct ladder ladder;
	struct tsg_opts graph;
	struct tsg *tsg;
	struct tt_timeouts timeouts;
	unsigned int history;
	struct rflow **buckets;
	unsigned int shift;
	size_t nflows;
	struct rflow *oldest;
	struct rflow *newest;
	struct rflow *free;
	void *slabs;
	uint64_t next_id;
	struct timer *timers;
	size_t ntimers;
	size_t timers_cap;
	uint64_t now;
	unsigned long long segments;
};

/*
 * A multiplicative hash of the key's five words: a few instructions a
 * word, where byte-wise FNV took ten a byte.  Its high bits pick the
 * bucket.
 */
static uint32_t key_hash(const struct tt_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = 0;
	unsigned int i;

	memcpy(w, k, sizeof(w));
#pragma GCC unroll 5	/* five words: no loop at -O2 either */
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return h >> 32;
}

/* As memcmp(), but a word at a time, inline. */
static bool key_equal(const struct tt_key *a, const struct tt_key *b)
{
	uint64_t x[sizeof(*a) / 8], y[sizeof(*a) / 8], d = 0;
	unsigned int i;

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
#pragma GCC unroll 5
	for (i = 0; i < ARRAY_SIZE(x); i++)
		d |= x[i] ^ y[i];
	return !d;
}

static struct rflow **bucket(struct replay *r, uint32_t hash)
{
	return &r->buckets[hash >> (32 - r->shift)];
}

static struct rflow **lookup(struct replay *r, const struct tt_key *k,
			     uint32_t hash)
{
	struct rflow **pp = bucket(r, hash);

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == hash && key_equal(&(*pp)->key, k))
			return pp;
	return pp;
}

/* Twice the buckets, every flow rehashed from the hash it keeps. */
static int table_grow(struct replay *r)
{
	unsigned int shift = r->shift ? r->shift + 1 : MIN_BUCKETS_SHIFT;
	struct rflow **old = r->buckets, **nb, *rf, *next;
	size_t i, n = r->shift ? (size_t)1 << r->shift : 0;

	if (shift > 31)
		return 0;	/* 2^31 buckets: chains grow instead */
	nb = calloc((size_t)1 << shift, sizeof(*nb));
	if (!nb)
		return r->buckets ? 0 : -ENOMEM;	/* longer chains */
	r->buckets = nb;
	r->shift = shift;
	for (i = 0; i < n; i++)
		for (rf = old[i]; rf; rf = next) {
			struct rflow **pp = bucket(r, rf->hash);

			next = rf->next;
			rf->next = *pp;
			*pp = rf;
		}
	free(old);
	return 0;
}

/* The flow as the module would report it now (fill_flow() in netlink.c). */
static void to_flow(const struct replay *r, const struct rflow *rf,
		    struct flow *f)
{
	const struct tt_conn *c = &rf->conn;
	unsigned int cs = c->client_side, w;
	uint64_t tw;

	f->id = rf->id;
	f->family = rf->key.family;
	memcpy(f->addr[0], &rf->key.addr[cs], 16);
	memcpy(f->addr[1], &rf->key.addr[!cs], 16);
	f->port[0] = ntohs(rf->key.port[cs]);
	f->port[1] = ntohs(rf->key.port[!cs]);
	for (w = 0; w < 2; w++) {
		f->state[w] = c->peer[w].state;
		f->packets[w] = c->peer[w].packets;
		f->bytes[w] = c->peer[w].bytes;
		f->has_isn[w] = c->peer[w].flags & TT_PEER_SYN;
		f->isn[w] = c->peer[w].isn;
	}
	f->opener = c->opener;
	f->closer = c->closer;
	f->outcome = c->outcome;
	f->anomalies = c->anomalies;
	f->flags = c->flags & ~TT_CONN_STARTED;
	f->age_ms = r->now > c->created ? (r->now - c->created) / 1000000 : 0;
	f->state_age_ms = r->now > c->changed ?
			  (r->now - c->changed) / 1000000 : 0;
	tw = tt_conn_time_wait_left(c, r->now, &r->timeouts);
	f->has_time_wait = tw;
	f->time_wait_left_ms = tw / 1000000;
	/* A capture shows segments, not whose sockets sent them. */
	f->has_owner[0] = f->has_owner[1] = false;
	f->hist = NULL;
	f->nhist = 0;
}

/* --stats: the flow is over (or the capture): its statistics stay. */
static void stats_done(const struct replay *r, const struct rflow *rf)
{
	struct flow f;

	if (!rf->stats)
		return;
	to_flow(r, rf, &f);
	stats_flow_done(rf->stats, &f, filter_match(&r->filter, &f));
}

static void to_note(const struct tt_conn *c, const struct tt_note *tn,
		    struct note *n)
{
	n->time_ms = tn->time > c->created ? (tn->time - c->created) / 1000000 :
					     0;
	n->seq = tn->seq;
	n->ack = tn->ack;
	n->len = tn->len;
	n->anomalies = tn->anomalies;
	n->endpoint = tn->endpoint;
	n->from = tn->from;
	n->to = tn->to;
	n->why = tn->why;
	n->sender = tn->sender;
	n->tcp_flags = tn->tcp_flags;
}

static void emit(struct replay *r, struct event *ev)
{
	if (opts.ladder)
		ladder_event(&r->ladder, ev, r->now / 1000000);
	else
		print_event(ev);
}

/*
 * The events of one call of the state machine, as tt_notify_verdict().
 * With --list there are none to build: only the table at the end counts.
 */
static void emit_verdict(struct replay *r, const struct rflow *rf,
			 const struct tt_verdict *v)
{
	struct event ev;
	unsigned int i;

	if (r->list || r->stats || r->tsg ||
	    (!v->created && !v->nnotes && !v->ended))
		return;
	ev.type = EV_NEW;
	memset(&ev.note, 0, sizeof(ev.note));
	ev.dropped = 0;
	ev.events_lost = 0;
	ev.has_dropped = false;
	ev.has_events_lost = false;
	to_flow(r, rf, &ev.flow);
	if (!filter_match(&r->filter, &ev.flow))
		return;
	if (v->created)
		emit(r, &ev);
	for (i = 0; i < v->nnotes; i++) {
		ev.type = tt_note_is_transition(&v->notes[i]) ?
			  EV_TRANSITION : EV_ANOMALY;
		to_note(&rf->conn, &v->notes[i], &ev.note);
		emit(r, &ev);
	}
	if (v->ended) {
		ev.type = EV_END;
		emit(r, &ev);
	}
}

/* --- the timers: a binary min-heap of the flows by when they are due --- */

/*
 * Earlier first; at the same time, the older flow first, so that the order
 * of timers due together does not depend on the heap's shape.
 */
static bool timer_before(const struct timer *a, const struct timer *b)
{
	return a->due < b->due || (a->due == b->due && a->rf->id < b->rf->id);
}

static void timer_put(struct replay *r, size_t i, struct timer t)
{
	r->timers[i] = t;
	t.rf->slot = i;
}

static void timer_up(struct replay *r, size_t i)
{
	struct timer t = r->timers[i];

	while (i > 0 && timer_before(&t, &r->timers[(i - 1) / 2])) {
		timer_put(r, i, r->timers[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	timer_put(r, i, t);
}

/*
 * Bottom-up (Floyd): the hole goes down to a leaf by the earlier child,
 * then the entry climbs back to its place.  An entry moved here from the
 * last place, or put off by seconds, belongs near the bottom: one compare
 * a level instead of two.
 */
static void timer_down(struct replay *r, size_t i)
{
	struct timer t = r->timers[i];
	size_t c, top = i;

	while ((c = 2 * i + 1) < r->ntimers) {
		if (c + 1 < r->ntimers &&
		    timer_before(&r->timers[c + 1], &r->timers[c]))
			c++;
		timer_put(r, i, r->timers[c]);
		i = c;
	}
	while (i > top && timer_before(&t, &r->timers[(i - 1) / 2])) {
		timer_put(r, i, r->timers[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	timer_put(r, i, t);
}

/* Move the entry at @i to where its time belongs. */
static void timer_fix(struct replay *r, size_t i)
{
	if (i > 0 && timer_before(&r->timers[i], &r->timers[(i - 1) / 2]))
		timer_up(r, i);
	else
		timer_down(r, i);
}

static int timer_add(struct replay *r, struct rflow *rf)
{
	if (array_reserve(&r->timers, &r->timers_cap, r->ntimers + 1,
			  sizeof(*r->timers), 1024))
		return -ENOMEM;
	/* At the bottom, with no time yet: the flow's first segment, next,
	 * gives it one (timer_touch()), and it climbs no further.
	 */
	timer_put(r, r->ntimers++, (struct timer){ .due = UINT64_MAX, .rf = rf });
	return 0;
}

static void timer_del(struct replay *r, struct rflow *rf)
{
	size_t i = rf->slot;

	if (i != --r->ntimers) {
		timer_put(r, i, r->timers[r->ntimers]);
		timer_fix(r, i);
	}
}

/*
 * A segment came: the flow's next timer may have moved.  Most segments
 * move it later (the idle timeout starts again); the heap then keeps the
 * earlier time, and run_timers() finds the real one when that comes, once
 * per flow instead of a sift per segment.  An earlier time (TIME_WAIT
 * began) is put in at once.  So every entry is at or before its flow's
 * next timer, and an entry at the top that is exact is the earliest.
 */
static void timer_touch(struct replay *r, struct rflow *rf)
{
	uint64_t due = tt_conn_next_timer(&rf->conn, &r->timeouts);
	struct timer *t = &r->timers[rf->slot];

	if (due < t->due) {
		t->due = due;
		timer_up(r, rf->slot);
	}
}

/* The time is exact again (after tt_conn_expire()): either way it moved. */
static void timer_update(struct replay *r, struct rflow *rf)
{
	r->timers[rf->slot].due = tt_conn_next_timer(&rf->conn, &r->timeouts);
	timer_fix(r, rf->slot);
}

/* --- flows ---------------------------------------------------------------- */

static struct rflow *flow_alloc(struct replay *r)
{
	struct rflow *rf = r->free;
	size_t size = sizeof(*rf);
	char *slab;
	unsigned int i;

	if (rf) {
		r->free = rf->next;
		return rf;
	}
	/* One block of SLAB_FLOWS, its first slot the link to the others. */
	size = (size + 15) & ~(size_t)15;
	slab = malloc(size * (SLAB_FLOWS + 1));
	if (!slab)
		return NULL;
	*(void **)slab = r->slabs;
	r->slabs = slab;
	for (i = SLAB_FLOWS; i > 1; i--) {
		rf = (struct rflow *)(slab + size * i);
		rf->next = r->free;
		r->free = rf;
	}
	return (struct rflow *)(slab + size);
}

/* Take a flow out; its END event if it had not ended (unlink_flow()). */
static void remove_flow(struct replay *r, struct rflow **pp, bool notify)
{
	struct rflow *rf = *pp;
	struct tt_verdict v = { .ended = true };

	if (notify && !tt_conn_ended(&rf->conn))
		emit_verdict(r, rf, &v);
	stats_done(r, rf);
	*pp = rf->next;
	if (rf->older)
		rf->older->newer = rf->newer;
	else
		r->oldest = rf->newer;
	if (rf->newer)
		rf->newer->older = rf->older;
	else
		r->newest = rf->older;
	r->nflows--;
	timer_del(r, rf);
	rf->next = r->free;
	r->free = rf;
}

/*
 * Run every timer due by @until at its own time, earliest first, as the
 * module's worker does (gc_bucket()) but without its half-second grain.
 */
static void run_timers(struct replay *r, uint64_t until)
{
	struct tt_verdict v;

	while (r->ntimers && r->timers[0].due <= until) {
		struct rflow *rf = r->timers[0].rf;
		uint64_t due = tt_conn_next_timer(&rf->conn, &r->timeouts);

		if (due != r->timers[0].due) {	/* put off: see timer_touch() */
			r->timers[0].due = due;
			timer_down(r, 0);
			continue;
		}
		if (due > r->now)
			r->now = due;
		if (tt_conn_expire(&rf->conn, r->now, &r->timeouts, &v)) {
			emit_verdict(r, rf, &v);
			remove_flow(r, lookup(r, &rf->key, rf->hash), false);
		} else {
			emit_verdict(r, rf, &v);
			timer_update(r, rf);
		}
	}
}

static struct rflow *create(struct replay *r, const struct tt_key *k,
			    uint32_t hash)
{
	struct rflow *rf, **pp;

	if (r->nflows >= ((size_t)1 << r->shift) && table_grow(r))
		return NULL;
	rf = flow_alloc(r);
	if (!rf)
		return NULL;
	rf->hash = hash;
	rf->key = *k;
	rf->id = ++r->next_id;
	tt_conn_init(&rf->conn, NULL, 0);
	rf->stats = NULL;
	if ((r->stats && !(rf->stats = stats_flow_new(r->stats))) ||
	    timer_add(r, rf)) {
		rf->next = r->free;
		r->free = rf;
		return NULL;
	}
	pp = bucket(r, hash);
	rf->next = *pp;
	*pp = rf;
	rf->older = r->newest;
	rf->newer = NULL;
	if (r->newest)
		r->newest->newer = rf;
	else
		r->oldest = rf;
	r->newest = rf;
	r->nflows++;
	return rf;
}

/* One TCP segment, as tt_table_segment() handles it. */
static void segment(struct replay *r, struct capture *cap,
		    const struct capture_frame *f)
{
	enum tt_parse_err perr;
	struct rflow **pp, *rf;
	struct tt_verdict v;
	struct tt_seg seg;
	unsigned int side;
	uint32_t hash;
	struct tt_key k;

	perr = tt_parse_tcp(f->th, f->caplen, &seg);
	if (perr != TT_PARSE_OK) {
		if (!tt_parse_usable(perr)) {
			capture_skip(cap, CAPTURE_SKIP_TCP, 0);
			return;
		}
		capture_skip(cap, CAPTURE_SKIP_TCP_USED, 0);
	}
	seg.len = f->tcplen > seg.doff ? f->tcplen - seg.doff : 0;
	seg.csum_bad = !r->ignore_csum &&
		       capture_csum(cap, f) == CAPTURE_CSUM_WRONG;
	r->segments++;
	if (!tt_key_make(&k, f->family, f->saddr, htons(seg.sport), f->daddr,
			 htons(seg.dport), &side))
		return;
	hash = key_hash(&k);
	pp = lookup(r, &k, hash);
	rf = *pp;
	switch (tt_table_step(rf ? &rf->conn : NULL, &seg)) {
	case TT_STEP_IGNORE:
		return;
	case TT_STEP_REPLACE:
		remove_flow(r, pp, true);
		if (tt_table_step(NULL, &seg) == TT_STEP_IGNORE)
			return;
		fallthrough;
	case TT_STEP_CREATE:
		rf = create(r, &k, hash);
		if (!rf)
			return;
		break;
	case TT_STEP_FEED:
		break;
	}
	tt_conn_segment(&rf->conn, &seg, side, TT_OBS_BOTH, r->now, &v);
	if (rf->stats)	/* the sender, as tt_conn_segment() names it */
		stats_segment(rf->stats, &rf->conn, &seg,
			      side == rf->conn.client_side ? TT_CLIENT :
							     TT_SERVER,
			      &v, r->now);
	emit_verdict(r, rf, &v);
	if (r->tsg) {
		struct flow fl;

		to_flow(r, rf, &fl);
		tsg_segment(r->tsg, &fl, filter_match(&r->filter, &fl), f,
			    &seg, side != rf->conn.client_side);
	}
	timer_touch(r, rf);
}

/* --list: the table at the end of the capture, in the order of the ids. */
static int print_table(struct replay *r)
{
	struct flow *v;
	unsigned int n = 0;
	struct rflow *rf;

	v = malloc((r->nflows ? r->nflows : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (rf = r->oldest; rf; rf = rf->newer) {
		to_flow(r, rf, &v[n]);
		if (filter_match(&r->filter, &v[n]))
			n++;
	}
	print_flows(v, n);
	free(v);
	return 0;
}

static int parse_args(struct replay *r, int argc, char **argv,
		      const char **file)
{
	static const struct {
		const char *opt;
		unsigned long long max;
	} nums[] = {
		{ "--msl", TT_MSL_MAX }, { "--linger", TT_LINGER_MAX },
		{ "--idle-timeout", TT_IDLE_MAX }, { "--history", TT_HISTORY_MAX },
	};
	unsigned long long v[4] = { TT_MSL_DEFAULT, TT_LINGER_DEFAULT,
				    TT_IDLE_DEFAULT, TT_HISTORY_DEFAULT };
	unsigned int i;
	int a = 1, err;

	*file = NULL;
	while (a < argc) {
		for (i = 0; i < 4; i++)
			if (!strcmp(argv[a], nums[i].opt))
				break;
		if (i < 4) {
			if (a + 1 >= argc ||
			    !parse_uint(argv[a + 1], nums[i].max, &v[i]) ||
			    (i == 0 && !v[i]) || (i == 2 && !v[i]))
				return usage_error("%s takes a number up to %llu",
						   nums[i].opt, nums[i].max);
			a += 2;
		} else if (!strcmp(argv[a], "--list")) {
			r->list = true;
			a++;
		} else if (!strcmp(argv[a], "--stats")) {
			if (!r->stats && !(r->stats = stats_new()))
				return -ENOMEM;
			a++;
		} else if (!strcmp(argv[a], "--ignore-checksums")) {
			r->ignore_csum = true;
			a++;
		} else if (argv[a][0] == '-' && argv[a][1]) {
			err = tsg_option(&r->graph, argc, argv, &a);
			if (err < 0)
				return err;
			if (err)
				return usage_error("replay: unknown option '%s'",
						   argv[a]);
		} else {
			err = filter_parse(&r->filter, argc, argv, &a);
			if (err < 0)
				return err;
			if (err == 0)
				continue;
			if (*file)
				return usage_error("replay: one capture file, not '%s' too",
						   argv[a]);
			*file = argv[a++];
		}
	}
	if (!*file)
		return usage_error("replay needs a capture file");
	if (r->stats && r->graph.on)
		return usage_error("--stats and --graph do not mix");
	err = tsg_check(&r->graph, r->list);
	if (err)
		return err;
	if (opts.json && opts.ladder)
		return usage_error("--json and --ladder do not mix");
	if (r->list && opts.ladder)
		return usage_error("--list and --ladder (or --svg) do not mix");
	if (r->stats && (r->list || opts.ladder))
		return usage_error("--stats, --list and --ladder (or --svg) do not mix");
	r->timeouts.time_wait = 2 * v[0] * NSEC_PER_SEC;
	r->timeouts.linger = v[1] * NSEC_PER_SEC;
	r->timeouts.idle = v[2] * NSEC_PER_SEC;
	/* Checked and kept, as the config key; but nothing of replay shows a
	 * flow's history (events carry the notes of their own segment), so
	 * the flows keep none: 512 bytes a flow, and a copy of every note,
	 * saved.
	 */
	r->history = v[3];
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct capture_frame f;
	struct capture cap;
	const char *file;
	struct replay *r;
	void *slab;
	int err, ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = parse_args(r, argc, argv, &file);
	if (err)
		goto out_free;
	err = table_grow(r);
	if (err)
		goto out_free;
	err = capture_open(&cap, file, "replay");
	if (err)
		goto out_free;
	/* Nothing reads the output while it is written (it is not a
	 * monitor): one write() for many events, none flushed by itself.
	 * error_msg() flushes stdout before it writes to stderr.
	 */
	if (!opts.ladder) {
		setvbuf(stdout, NULL, _IOFBF, STDOUT_BUF);
		print_flush = false;
	}
	err = ladder_init(&r->ladder);
	if (!err && r->graph.on)
		err = tsg_open(&r->graph, file, &r->tsg);
	if (err) {
		capture_close(&cap);
		goto out_free;
	}
	while ((ret = capture_next(&cap, &f)) == 1) {
		/* A capture's clock may step back (merged files): its timers
		 * then wait for it to pass them again.
		 */
		run_timers(r, f.ns);
		r->now = f.ns;
		if (f.tcp)
			segment(r, &cap, &f);
		if (opts.ladder)	/* a capture's notes come at once */
			ladder_flush(&r->ladder, 0, 0);
	}
	/* A read error ends the capture early: what came before it stands. */
	if (ret < 0)
		err = ret;
	ret = ladder_done(&r->ladder);
	if (!err)
		err = ret;
	if (r->tsg) {
		ret = tsg_close(r->tsg);
		if (!err)
			err = ret;
	}
	if (r->list) {
		int perr = print_table(r);

		if (!err)
			err = perr;
	}
	if (r->stats) {
		struct rflow *rf;
		int serr;

		for (rf = r->oldest; rf; rf = rf->newer)
			stats_done(r, rf);
		serr = stats_print(r->stats);
		if (!err)
			err = serr;
	}
	/* Every frame that gave no segment, by the reason, in one block. */
	capture_report(&cap);
	capture_close(&cap);
out_free:
	while ((slab = r->slabs)) {
		r->slabs = *(void **)slab;
		free(slab);
	}
	free(r->buckets);
	free(r->timers);
	stats_free(r->stats);
	free(r);
	return err;
}
