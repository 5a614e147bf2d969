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
 * capture's: TIME_WAIT ends, and idle or ended flows go, as the module's
 * worker would have done it (every half second of capture time).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <pcap/pcap.h>

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
#define GC_INTERVAL_NS		500000000ULL
#define NSEC_PER_SEC		1000000000ULL

#define BUCKETS			4096

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2		276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4		228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6		229
#endif

#define ETH_P_IP		0x0800
#define ETH_P_IPV6		0x86dd
#define ETH_P_8021Q		0x8100
#define ETH_P_8021AD		0x88a8

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
 * @conn: the state machine, with room for the history
 */
struct rflow {
	struct rflow *next;
	struct key key;
	uint64_t id;
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
 * @last_gc: capture time of the last expiry pass
 * @now: capture time of the current packet, ns
 * @packets: packets read
 * @segments: TCP segments handed to the state machine
 * @malformed: headers that could not be parsed
 * @fragments: non-first fragments skipped
 */
struct replay {
	struct filter filter;
	bool list;
	struct ladder ladder;
	struct tt_timeouts timeouts;
	unsigned int history;
	struct rflow *buckets[BUCKETS];
	uint64_t next_id;
	uint64_t last_gc;
	uint64_t now;
	unsigned long long packets;
	unsigned long long segments;
	unsigned long long malformed;
	unsigned long long fragments;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

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
	free(rf);
}

/* What the module's worker does every half second (gc_bucket()). */
static void expire(struct replay *r)
{
	struct tt_verdict v;
	unsigned int b;

	for (b = 0; b < BUCKETS; b++) {
		struct rflow **pp = &r->buckets[b];

		while (*pp) {
			bool remove = tt_conn_expire(&(*pp)->conn, r->now,
						     &r->timeouts, &v);

			emit_verdict(r, *pp, &v);
			if (remove)
				remove_flow(r, pp, false);
			else
				pp = &(*pp)->next;
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
	rf->next = *pp;
	*pp = rf;
	return rf;
}

/* One TCP segment, as tt_table_segment() handles it. */
static void segment(struct replay *r, uint8_t family, const uint8_t *saddr,
		    const uint8_t *daddr, const uint8_t *th, unsigned int caplen,
		    unsigned int tcplen)
{
	enum tt_parse_err perr;
	struct rflow **pp, *rf;
	struct tt_verdict v;
	struct tt_seg seg;
	unsigned int side;
	struct key k;

	perr = tt_parse_tcp(th, caplen, &seg);
	if (perr != TT_PARSE_OK) {
		r->malformed++;
		if (perr != TT_PARSE_BAD_OPTION)
			return;
	}
	seg.len = tcplen > seg.doff ? tcplen - seg.doff : 0;
	r->segments++;
	key_make(&k, family, saddr, htons(seg.sport), daddr, htons(seg.dport),
		 &side);
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
}

/* An IPv4 packet at @p, @len bytes captured. */
static void ipv4(struct replay *r, const uint8_t *p, unsigned int len)
{
	unsigned int ihl, tot;

	if (len < 20 || (p[0] >> 4) != 4) {
		r->malformed++;
		return;
	}
	ihl = (p[0] & 0x0f) * 4;
	tot = be16(p + 2);
	if (ihl < 20 || ihl > len) {
		r->malformed++;
		return;
	}
	if (p[9] != IPPROTO_TCP)
		return;
	if (be16(p + 6) & 0x1fff) {	/* not the first fragment */
		r->fragments++;
		return;
	}
	if (!tot)		/* TSO captures say 0 */
		tot = len;
	if (tot < ihl) {
		r->malformed++;
		return;
	}
	segment(r, AF_INET, p + 12, p + 16, p + ihl, len - ihl, tot - ihl);
}

/* An IPv6 packet: past the extension headers to TCP. */
static void ipv6(struct replay *r, const uint8_t *p, unsigned int len)
{
	unsigned int off = 40, plen, nh, hl;

	if (len < 40 || (p[0] >> 4) != 6) {
		r->malformed++;
		return;
	}
	plen = be16(p + 4);
	nh = p[6];
	if (!plen)
		plen = len - 40;
	for (;;) {
		switch (nh) {
		case IPPROTO_TCP:
			if (off > len || off - 40 > plen) {
				r->malformed++;
				return;
			}
			segment(r, AF_INET6, p + 8, p + 24, p + off, len - off,
				plen - (off - 40));
			return;
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
		case IPPROTO_FRAGMENT:
			if (off + 8 > len) {
				r->malformed++;
				return;
			}
			if (nh == IPPROTO_FRAGMENT) {
				if (be16(p + off + 2) & 0xfff8) {
					r->fragments++;
					return;
				}
				hl = 8;
			} else if (nh == IPPROTO_AH) {
				hl = (p[off + 1] + 2) * 4;
			} else {
				hl = (p[off + 1] + 1) * 8;
			}
			nh = p[off];
			off += hl;
			break;
		default:
			return;
		}
	}
}

static void network(struct replay *r, unsigned int proto, const uint8_t *p,
		    unsigned int len)
{
	if (proto == ETH_P_IP)
		ipv4(r, p, len);
	else if (proto == ETH_P_IPV6)
		ipv6(r, p, len);
}

/* One captured frame of link type @dlt. */
static void frame(struct replay *r, int dlt, const uint8_t *p,
		  unsigned int len)
{
	unsigned int off, proto, vlans;

	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			goto short_frame;
		proto = be16(p + 12);
		off = 14;
		for (vlans = 0; vlans < 2 && (proto == ETH_P_8021Q ||
					      proto == ETH_P_8021AD); vlans++) {
			if (len < off + 4)
				goto short_frame;
			proto = be16(p + off + 2);
			off += 4;
		}
		network(r, proto, p + off, len - off);
		return;
	case DLT_LINUX_SLL:
		if (len < 16)
			goto short_frame;
		network(r, be16(p + 14), p + 16, len - 16);
		return;
	case DLT_LINUX_SLL2:
		if (len < 20)
			goto short_frame;
		network(r, be16(p), p + 20, len - 20);
		return;
	case DLT_NULL:
		if (len < 4)
			goto short_frame;
		/* The host's byte order: 2 is AF_INET, 10/24/28/30 AF_INET6. */
		proto = p[0] | p[3];
		network(r, proto == 2 ? ETH_P_IP : ETH_P_IPV6, p + 4, len - 4);
		return;
	default:		/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		if (len < 1)
			goto short_frame;
		network(r, (p[0] >> 4) == 4 ? ETH_P_IP : ETH_P_IPV6, p, len);
		return;
	}
short_frame:
	r->malformed++;
}

static bool link_supported(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL ||
	       dlt == DLT_LINUX_SLL2 || dlt == DLT_RAW || dlt == DLT_IPV4 ||
	       dlt == DLT_IPV6 || dlt == DLT_NULL;
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
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	const char *file;
	struct replay *r;
	unsigned int b;
	pcap_t *pc;
	int err, dlt, ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = parse_args(r, argc, argv, &file);
	if (err)
		goto out_free;
	pc = pcap_open_offline_with_tstamp_precision(file,
						     PCAP_TSTAMP_PRECISION_NANO,
						     errbuf);
	if (!pc) {
		error_msg("replay: %s", errbuf);
		err = -EINVAL;
		goto out_free;
	}
	dlt = pcap_datalink(pc);
	if (!link_supported(dlt)) {
		error_msg("replay: %s: link type %s is not supported (Ethernet, Linux cooked SLL and SLL2, raw IP, BSD loopback are)",
			  file, pcap_datalink_val_to_name(dlt) ?: "?");
		err = -EPROTONOSUPPORT;
		goto out_close;
	}
	ladder_init(&r->ladder);
	while ((ret = pcap_next_ex(pc, &h, &data)) == 1) {
		r->now = (uint64_t)h->ts.tv_sec * NSEC_PER_SEC + h->ts.tv_usec;
		r->packets++;
		if (!r->last_gc || r->now < r->last_gc)
			r->last_gc = r->now;
		if (r->now - r->last_gc >= GC_INTERVAL_NS) {
			expire(r);
			r->last_gc = r->now;
		}
		frame(r, dlt, data, h->caplen);
		if (opts.ladder)	/* a capture's notes come at once */
			ladder_flush(&r->ladder, 0, 0);
	}
	if (ret == PCAP_ERROR) {
		error_msg("replay: %s: %s", file, pcap_geterr(pc));
		err = -EIO;
	}
	ladder_done(&r->ladder);
	if (!err && r->list)
		err = print_table(r);
	if (r->malformed || r->fragments)
		error_msg("replay: %s: %llu malformed headers, %llu non-first fragments skipped",
			  file, r->malformed, r->fragments);
	for (b = 0; b < BUCKETS; b++)
		while (r->buckets[b])
			remove_flow(r, &r->buckets[b], false);
out_close:
	pcap_close(pc);
out_free:
	free(r);
	return err;
}
