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
 * segment apply at once (TT_OBS_BOTH); no endpoint is local.  Time is the
 * capture's: each flow's timers (TIME_WAIT ends, an ended flow lingers, an
 * idle one times out) run at their own capture time, in time order, before
 * the first packet after them; a gap in the capture delays none of them.
 * The clock stops at the last packet: a timer due after it never runs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "filter.h"
#include "ladder.h"
#include "print.h"
#include "tcptracectl.h"

/* The module's defaults (module/netns.c, module/flowtable.c). */
#define DEFAULT_MSL		30
#define DEFAULT_LINGER		10
#define DEFAULT_IDLE		3600
#define DEFAULT_HISTORY		16
#define HISTORY_MAX		256
#define NSEC_PER_SEC		1000000000ULL

#define BUCKETS			4096

/**
 * struct key - a 4-tuple, normalised as the module's struct tt_key: the end
 * with the lower address (then port) bytes is [0]
 * @addr: the addresses, zero-padded to 16 bytes
 * @port: the ports, network order
 * @family: AF_INET or AF_INET6
 */
struct key {
	uint8_t addr[2][16];
	uint16_t port[2];
	uint8_t family;
};

/**
 * struct rflow - a flow of the replay's table
 * @next: in its bucket
 * @key: its key
 * @id: as the module numbers flows: from 1, in order of creation
 * @due: when its next timer runs (tt_conn_next_timer())
 * @slot: its place in the timer heap
 * @conn: the state machine, with room for the history
 */
struct rflow {
	struct rflow *next;
	struct key key;
	uint64_t id;
	uint64_t due;
	size_t slot;
	struct tt_conn conn;
};

/**
 * struct replay - one replay
 * @filter: which flows to show
 * @list: print the table at the end instead of the events
 * @ladder: the diagram, with --ladder
 * @timeouts: the configured timeouts
 * @history: notes kept per flow
 * @buckets: the table
 * @next_id: the id of the next flow
 * @timers: every flow, a binary min-heap by @due
 * @ntimers: flows in @timers
 * @timers_cap: room in @timers
 * @now: capture time of the current packet or timer, ns
 * @segments: TCP segments handed to the state machine
 * @malformed: TCP headers that could not be parsed
 */
struct replay {
	struct filter filter;
	bool list;
	struct ladder ladder;
	struct tt_timeouts timeouts;
	unsigned int history;
	struct rflow *buckets[BUCKETS];
	uint64_t next_id;
	struct rflow **timers;
	size_t ntimers;
	size_t timers_cap;
	uint64_t now;
	unsigned long long segments;
	unsigned long long malformed;
};

/* As tt_key_make(): @side is the end of the key that sent the segment. */
static void key_make(struct key *k, uint8_t family, const uint8_t *saddr,
		     uint16_t sport_be, const uint8_t *daddr,
		     uint16_t dport_be, unsigned int *side)
{
	uint8_t s[16] = {}, d[16] = {};
	unsigned int alen = addr_len(family);
	int cmp;

	memcpy(s, saddr, alen);
	memcpy(d, daddr, alen);
	cmp = memcmp(s, d, 16);
	if (!cmp)
		cmp = memcmp(&sport_be, &dport_be, 2);
	*side = cmp > 0;
	memset(k, 0, sizeof(*k));
	memcpy(k->addr[*side], s, 16);
	k->port[*side] = sport_be;
	memcpy(k->addr[!*side], d, 16);
	k->port[!*side] = dport_be;
	k->family = family;
}

static unsigned int key_hash(const struct key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	unsigned int h = 2166136261u, i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h % BUCKETS;
}

static struct rflow **lookup(struct replay *r, const struct key *k)
{
	struct rflow **pp = &r->buckets[key_hash(k)];

	for (; *pp; pp = &(*pp)->next)
		if (!memcmp(&(*pp)->key, k, sizeof(*k)))
			return pp;
	return pp;
}

/* The flow as the module would report it now (fill_flow() in netlink.c). */
static void to_flow(const struct replay *r, const struct rflow *rf,
		    struct flow *f)
{
	const struct tt_conn *c = &rf->conn;
	unsigned int cs = c->client_side, w;
	uint64_t tw;

	memset(f, 0, sizeof(*f));
	f->id = rf->id;
	f->family = rf->key.family;
	memcpy(f->addr[0], rf->key.addr[cs], 16);
	memcpy(f->addr[1], rf->key.addr[!cs], 16);
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
	if (r->list || !filter_match(&r->filter, &ev->flow))
		return;
	if (opts.ladder)
		ladder_event(&r->ladder, ev, r->now / 1000000);
	else
		print_event(ev);
}

/* The events of one call of the state machine, as tt_notify_verdict(). */
static void emit_verdict(struct replay *r, const struct rflow *rf,
			 const struct tt_verdict *v)
{
	struct event ev = {};
	unsigned int i;

	to_flow(r, rf, &ev.flow);
	if (v->created) {
		ev.type = EV_NEW;
		emit(r, &ev);
	}
	for (i = 0; i < v->nnotes; i++) {
		ev.type = v->notes[i].from != v->notes[i].to ?
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

static void timer_put(struct replay *r, size_t i, struct rflow *rf)
{
	r->timers[i] = rf;
	rf->slot = i;
}

/* Move the flow at @i to where its @due belongs. */
static void timer_fix(struct replay *r, size_t i)
{
	struct rflow *rf = r->timers[i];
	size_t c;

	while (i > 0 && r->timers[(i - 1) / 2]->due > rf->due) {
		timer_put(r, i, r->timers[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	for (; (c = 2 * i + 1) < r->ntimers; i = c) {
		if (c + 1 < r->ntimers && r->timers[c + 1]->due < r->timers[c]->due)
			c++;
		if (r->timers[c]->due >= rf->due)
			break;
		timer_put(r, i, r->timers[c]);
	}
	timer_put(r, i, rf);
}

static int timer_add(struct replay *r, struct rflow *rf)
{
	if (r->ntimers == r->timers_cap) {
		size_t cap = r->timers_cap ? 2 * r->timers_cap : 1024;
		struct rflow **t = realloc(r->timers, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		r->timers = t;
		r->timers_cap = cap;
	}
	rf->due = tt_conn_next_timer(&rf->conn, &r->timeouts);
	timer_put(r, r->ntimers++, rf);
	timer_fix(r, rf->slot);
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

/* The flow changed: its next timer may have moved. */
static void timer_update(struct replay *r, struct rflow *rf)
{
	rf->due = tt_conn_next_timer(&rf->conn, &r->timeouts);
	timer_fix(r, rf->slot);
}

/* Take a flow out; its END event if it had not ended (unlink_flow()). */
static void remove_flow(struct replay *r, struct rflow **pp, bool notify)
{
	struct rflow *rf = *pp;
	struct event ev = { .type = EV_END };

	if (notify && !tt_conn_ended(&rf->conn)) {
		to_flow(r, rf, &ev.flow);
		emit(r, &ev);
	}
	*pp = rf->next;
	timer_del(r, rf);
	free(rf);
}

/*
 * Run every timer due by @until at its own time, earliest first, as the
 * module's worker does (gc_bucket()) but without its half-second grain.
 */
static void run_timers(struct replay *r, uint64_t until)
{
	struct tt_verdict v;

	while (r->ntimers && r->timers[0]->due <= until) {
		struct rflow *rf = r->timers[0];

		if (rf->due > r->now)
			r->now = rf->due;
		if (tt_conn_expire(&rf->conn, r->now, &r->timeouts, &v)) {
			emit_verdict(r, rf, &v);
			remove_flow(r, lookup(r, &rf->key), false);
		} else {
			emit_verdict(r, rf, &v);
			timer_update(r, rf);
		}
	}
}

static struct rflow *create(struct replay *r, struct rflow **pp,
			    const struct key *k)
{
	struct rflow *rf = malloc(sizeof(*rf) - sizeof(rf->conn) +
				  tt_conn_size(r->history));

	if (!rf)
		return NULL;
	rf->key = *k;
	rf->id = ++r->next_id;
	tt_conn_init(&rf->conn, r->history);
	if (timer_add(r, rf)) {
		free(rf);
		return NULL;
	}
	rf->next = *pp;
	*pp = rf;
	return rf;
}

/* One TCP segment, as tt_table_segment() handles it. */
static void segment(struct replay *r, const struct capture_frame *f)
{
	enum tt_parse_err perr;
	struct rflow **pp, *rf;
	struct tt_verdict v;
	struct tt_seg seg;
	unsigned int side;
	struct key k;

	perr = tt_parse_tcp(f->th, f->caplen, &seg);
	if (perr != TT_PARSE_OK) {
		r->malformed++;
		if (perr != TT_PARSE_BAD_OPTION)
			return;
	}
	seg.len = f->tcplen > seg.doff ? f->tcplen - seg.doff : 0;
	r->segments++;
	key_make(&k, f->family, f->saddr, htons(seg.sport), f->daddr,
		 htons(seg.dport), &side);
	pp = lookup(r, &k);
	rf = *pp;
	if (rf && tt_conn_new_incarnation(&rf->conn, &seg)) {
		remove_flow(r, pp, true);
		rf = NULL;
	}
	if (!rf) {
		if (!tt_seg_starts_flow(&seg))
			return;
		rf = create(r, pp, &k);
		if (!rf)
			return;
	}
	tt_conn_segment(&rf->conn, &seg, side, TT_OBS_BOTH, r->now, &v);
	emit_verdict(r, rf, &v);
	timer_update(r, rf);
}

static int by_id(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* --list: the table at the end of the capture. */
static int print_table(struct replay *r)
{
	struct flow *v = NULL;
	unsigned int b, n = 0, cap = 0;
	struct rflow *rf;

	for (b = 0; b < BUCKETS; b++)
		for (rf = r->buckets[b]; rf; rf = rf->next) {
			if (n == cap) {
				struct flow *nv;

				cap = cap ? 2 * cap : 64;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
			}
			to_flow(r, rf, &v[n]);
			if (filter_match(&r->filter, &v[n]))
				n++;
		}
	qsort(v, n, sizeof(*v), by_id);
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
		{ "--msl", 3600 }, { "--linger", 3600 },
		{ "--idle-timeout", 864000 }, { "--history", HISTORY_MAX },
	};
	unsigned long long v[4] = { DEFAULT_MSL, DEFAULT_LINGER, DEFAULT_IDLE,
				    DEFAULT_HISTORY };
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
		} else if (argv[a][0] == '-' && argv[a][1]) {
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
	if (opts.json && opts.ladder)
		return usage_error("--json and --ladder do not mix");
	if (r->list && opts.ladder)
		return usage_error("--list and --ladder do not mix");
	r->timeouts.time_wait = 2 * v[0] * NSEC_PER_SEC;
	r->timeouts.linger = v[1] * NSEC_PER_SEC;
	r->timeouts.idle = v[2] * NSEC_PER_SEC;
	r->history = v[3];
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct capture_frame f;
	struct capture cap;
	const char *file;
	struct replay *r;
	unsigned int b;
	int err, ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = parse_args(r, argc, argv, &file);
	if (err)
		goto out_free;
	err = capture_open(&cap, file, "replay");
	if (err)
		goto out_free;
	ladder_init(&r->ladder);
	while ((ret = capture_next(&cap, &f)) == 1) {
		/* A capture's clock may step back (merged files): its timers
		 * then wait for it to pass them again.
		 */
		run_timers(r, f.ns);
		r->now = f.ns;
		if (f.tcp)
			segment(r, &f);
		if (opts.ladder)	/* a capture's notes come at once */
			ladder_flush(&r->ladder, 0, 0);
	}
	/* A read error ends the capture early: what came before it stands. */
	if (ret < 0)
		err = ret;
	ladder_done(&r->ladder);
	if (r->list) {
		int perr = print_table(r);

		if (!err)
			err = perr;
	}
	if (r->malformed + cap.malformed || cap.fragments)
		error_msg("replay: %s: %llu malformed headers, %llu non-first fragments skipped",
			  file, r->malformed + cap.malformed, cap.fragments);
	for (b = 0; b < BUCKETS; b++)
		while (r->buckets[b])
			remove_flow(r, &r->buckets[b], false);
	capture_close(&cap);
out_free:
	free(r->timers);
	free(r);
	return err;
}
