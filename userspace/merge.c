// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder FILE...`: one sequence diagram per connection from what was
 * recorded of it: the `monitor --json` output of several network namespaces,
 * and a capture of the network between them.
 *
 * Each side's states come from the file in which that side is local (its
 * own namespace, whose tracker follows its socket); a side that is local in
 * no file is drawn as the first file with the connection guesses it.  The
 * left side is the client of the first file that has the connection.
 *
 * A capture made with `tcpdump -i any` on a router (Linux cooked capture)
 * says of each packet whether it came into the network or went out of it.
 * Every segment is then drawn: one that went in and never came out as lost,
 * one that came out without going in as coming from the network itself, and
 * one that was on its way while something else happened as two rows, where
 * it leaves and where it arrives.  Each note is put on the segment it was
 * made for: its sender's notes where the segment left, its receiver's where
 * it arrived.  A flow's notes count their time from its first segment, and
 * the capture dates that segment.  Without a capture only the segments that
 * made a note are drawn: each side's notes in their order, the two sides'
 * clocks lined up on the first segment both noted.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "filter.h"
#include "json.h"
#include "ladder.h"
#include "print.h"
#include "tcptracectl.h"

#define MAX_FILES	16
#define LINE_MAX_LEN	8192
#define NS_PER_MS	1000000LL
/* A note further than this from every copy of its segment stays alone. */
#define ATTACH_NS	(250 * NS_PER_MS)
#define NO_TIME		INT64_MIN

/**
 * struct rev - an event read back from a file, turned to its connection
 * @ev: the event; ev.flow's index 0 is the connection's left side
 * @file: the file it came from
 * @flowno: which of the connection's flows in that file (incarnation)
 */
struct rev {
	struct event ev;
	unsigned int file;
	unsigned int flowno;
};

/**
 * struct wseg - a segment on the wire
 * @t_in: when it went into the network (ns), or NO_TIME
 * @t_out: when it came out of it, or NO_TIME
 * @n: its sender, flags, sequence numbers and length, as a note
 * @retrans: its sender had sent it before
 * @key: its TCP header: the copies of one segment share it
 * @keylen: bytes of @key
 * @in_order: order of the copy that went in (or came out), for sorting
 */
struct wseg {
	int64_t t_in;
	int64_t t_out;
	struct note n;
	bool retrans;
	uint8_t key[64];
	unsigned int keylen;
	unsigned int in_order;
};

/**
 * struct anote - a note of one side, placed on the time line
 * @n: the note, turned to the connection
 * @side: 0 left, 1 right
 * @t: its time (ns on the capture's clock, or lined up without one)
 * @seg: the wire segment it belongs to, or -1
 * @at_send: it was made where @seg left (else where it arrived)
 * @line: its event's place among the connection's events (file order)
 */
struct anote {
	struct note n;
	int side;
	int64_t t;
	int seg;
	bool at_send;
	unsigned int line;
};

/**
 * struct pair - one connection (both ends' addresses and ports)
 * @f: what its last event says of it, turned so that index 0 is left
 * @ev: its events, in the order of the files and their lines
 * @nev: how many
 * @auth: the file each side's states come from
 * @guess: that file is not the side's own: it guesses the side's states
 * @seg: its segments on the wire
 * @nseg: how many
 */
struct pair {
	struct flow f;
	struct rev *ev;
	unsigned int nev;
	int auth[2];
	bool guess[2];
	struct wseg *seg;
	unsigned int nseg;
};

/**
 * struct merge - the whole run
 * @files: the event files
 * @nfiles: how many
 * @wire: the capture, or NULL
 * @filter: which connections to draw
 * @pairs: the connections, in order of appearance
 * @npairs: how many
 */
struct merge {
	const char *files[MAX_FILES];
	unsigned int nfiles;
	const char *wire;
	struct filter filter;
	struct pair *pairs;
	unsigned int npairs;
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Room for element @n of an array that holds @n: 16, then doubling. */
static int grow(void **v, unsigned int n, size_t size)
{
	void *nv;

	if (n && (n < 16 || (n & (n - 1))))
		return 0;
	nv = realloc(*v, (n ? 2 * (size_t)n : 16) * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

#define APPEND(arr, n) \
	(grow((void **)&(arr), (n), sizeof(*(arr))) ? NULL : &(arr)[(n)++])

/* --- reading the events ------------------------------------------------- */

static int name_index(const char *(*name)(unsigned int), unsigned int max,
		      const char *s)
{
	unsigned int i;

	for (i = 0; i <= max; i++)
		if (!strcmp(name(i), s))
			return i;
	return -1;
}

static unsigned int get_enum(const struct json_obj *o, const char *key,
			     const char *(*name)(unsigned int),
			     unsigned int max)
{
	const char *v = json_get(o, key);
	int i = v ? name_index(name, max, v) : -1;

	return i < 0 ? 0 : i;
}

static uint64_t get_u64(const struct json_obj *o, const char *key, bool *has)
{
	const char *v = json_get(o, key);

	if (has)
		*has = v && *v;
	return v ? strtoull(v, NULL, 10) : 0;
}

static bool get_bool(const struct json_obj *o, const char *key)
{
	const char *v = json_get(o, key);

	return v && !strcmp(v, "true");
}

/* "retrans-syn,half-open" back to TT_ANOM_* bits. */
static uint32_t get_anomalies(const struct json_obj *o, const char *key)
{
	const char *v = json_get(o, key);
	char buf[JSON_VAL_MAX], *tok, *save;
	uint32_t bits = 0;
	int i;

	if (!v)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		i = name_index(tt_anomaly_name, TT_ANOM_MAX, tok);
		if (i >= 0)
			bits |= 1U << i;
	}
	return bits;
}

/* "SYN,ACK" back to TT_TCP_* bits. */
static uint8_t get_flags(const struct json_obj *o)
{
	static const char * const names[8] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
	};
	const char *v = json_get(o, "flags");
	char buf[64], *tok, *save;
	uint8_t bits = 0;
	unsigned int i;

	if (!v)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		for (i = 0; i < 8; i++)
			if (!strcmp(tok, names[i]))
				bits |= 1U << i;
	return bits;
}

static const char *type_names[] = {
	[EV_NEW] = "new", [EV_TRANSITION] = "transition",
	[EV_ANOMALY] = "anomaly", [EV_END] = "end", [EV_LOST] = "lost",
};

/* One line of `monitor --json`: 0 and @ev, 1 to skip it, or -EINVAL. */
static int to_event(const struct json_obj *o, struct event *ev)
{
	const char *type = json_get(o, "type"), *local, *c, *s;
	struct flow *f = &ev->flow;
	uint8_t fam2;
	unsigned int i;

	memset(ev, 0, sizeof(*ev));
	if (!type)
		return 1;
	for (i = 0; i < EV_LOST; i++)
		if (!strcmp(type, type_names[i]))
			break;
	if (i == EV_LOST)
		return 1;	/* "lost", or something else */
	ev->type = i;
	c = json_get(o, "client");
	s = json_get(o, "server");
	if (!c || !s || endpoint_parse(c, &f->family, f->addr[0], &f->port[0]) ||
	    endpoint_parse(s, &fam2, f->addr[1], &f->port[1]) ||
	    fam2 != f->family)
		return -EINVAL;
	f->id = get_u64(o, "id", NULL);
	f->state[0] = get_enum(o, "client_state", tt_state_name, TT_STATE_MAX);
	f->state[1] = get_enum(o, "server_state", tt_state_name, TT_STATE_MAX);
	f->opener = get_enum(o, "opener", tt_who_name, TT_WHO_MAX);
	f->closer = get_enum(o, "closer", tt_who_name, TT_WHO_MAX);
	f->outcome = get_enum(o, "outcome", tt_outcome_name, TT_OUTCOME_MAX);
	f->anomalies = get_anomalies(o, "anomalies");
	local = json_get(o, "local");
	if (local && (!strcmp(local, "client") || !strcmp(local, "both")))
		f->flags |= TT_FLOW_F_CLIENT_LOCAL;
	if (local && (!strcmp(local, "server") || !strcmp(local, "both")))
		f->flags |= TT_FLOW_F_SERVER_LOCAL;
	if (get_bool(o, "picked_up"))
		f->flags |= TT_FLOW_F_PICKED_UP;
	if (get_bool(o, "established"))
		f->flags |= TT_FLOW_F_ESTABLISHED;
	if (ev->type == EV_END)
		f->flags |= TT_FLOW_F_ENDED;
	f->packets[0] = get_u64(o, "client_packets", NULL);
	f->bytes[0] = get_u64(o, "client_bytes", NULL);
	f->packets[1] = get_u64(o, "server_packets", NULL);
	f->bytes[1] = get_u64(o, "server_bytes", NULL);
	f->isn[0] = get_u64(o, "client_isn", &f->has_isn[0]);
	f->isn[1] = get_u64(o, "server_isn", &f->has_isn[1]);
	f->age_ms = get_u64(o, "age_ms", NULL);
	if (ev->type == EV_TRANSITION || ev->type == EV_ANOMALY) {
		struct note *n = &ev->note;

		n->time_ms = get_u64(o, "time_ms", NULL);
		n->endpoint = get_enum(o, "endpoint", tt_who_name, TT_WHO_MAX);
		n->from = get_enum(o, "from", tt_state_name, TT_STATE_MAX);
		n->to = get_enum(o, "to", tt_state_name, TT_STATE_MAX);
		n->why = get_enum(o, "why", tt_why_name, TT_WHY_MAX);
		n->sender = get_enum(o, "sender", tt_who_name, TT_WHO_MAX);
		n->tcp_flags = get_flags(o);
		n->seq = get_u64(o, "seq", NULL);
		n->ack = get_u64(o, "ack", NULL);
		n->len = get_u64(o, "len", NULL);
		n->anomalies = get_anomalies(o, "raised");
	}
	return 0;
}

static unsigned int swap_who(unsigned int w)
{
	return w == TT_WHO_CLIENT ? TT_WHO_SERVER :
	       w == TT_WHO_SERVER ? TT_WHO_CLIENT : w;
}

/* Turn a flow end for end: its server becomes index 0. */
static void swap_flow(struct flow *f)
{
	uint8_t a[16], st;
	uint32_t flags = f->flags, isn;
	uint64_t v;
	uint16_t p;
	bool h;

#define SWAP(x, y, t) do { t = x; x = y; y = t; } while (0)
	memcpy(a, f->addr[0], 16);
	memcpy(f->addr[0], f->addr[1], 16);
	memcpy(f->addr[1], a, 16);
	SWAP(f->port[0], f->port[1], p);
	SWAP(f->state[0], f->state[1], st);
	SWAP(f->packets[0], f->packets[1], v);
	SWAP(f->bytes[0], f->bytes[1], v);
	SWAP(f->isn[0], f->isn[1], isn);
	SWAP(f->has_isn[0], f->has_isn[1], h);
#undef SWAP
	f->opener = swap_who(f->opener);
	f->closer = swap_who(f->closer);
	f->flags &= ~(TT_FLOW_F_CLIENT_LOCAL | TT_FLOW_F_SERVER_LOCAL);
	if (flags & TT_FLOW_F_CLIENT_LOCAL)
		f->flags |= TT_FLOW_F_SERVER_LOCAL;
	if (flags & TT_FLOW_F_SERVER_LOCAL)
		f->flags |= TT_FLOW_F_CLIENT_LOCAL;
}

static bool same_end(const struct flow *f, unsigned int i,
		     const struct flow *g, unsigned int j)
{
	return f->family == g->family && f->port[i] == g->port[j] &&
	       !memcmp(f->addr[i], g->addr[j], addr_len(f->family));
}

/* The connection of @f, turned to it (0) or end for end (1); or -1. */
static int find_pair(struct merge *m, const struct flow *f, int *swapped)
{
	unsigned int i;

	for (i = 0; i < m->npairs; i++) {
		const struct flow *p = &m->pairs[i].f;

		if (same_end(p, 0, f, 0) && same_end(p, 1, f, 1)) {
			*swapped = 0;
			return i;
		}
		if (same_end(p, 0, f, 1) && same_end(p, 1, f, 0)) {
			*swapped = 1;
			return i;
		}
	}
	return -1;
}

static int add_event(struct merge *m, struct event *ev, unsigned int file)
{
	struct pair *p;
	struct rev *r;
	int i, swapped = 0;

	i = find_pair(m, &ev->flow, &swapped);
	if (i < 0) {
		p = APPEND(m->pairs, m->npairs);
		if (!p)
			return -ENOMEM;
		memset(p, 0, sizeof(*p));
		p->f = ev->flow;
		p->auth[0] = p->auth[1] = -1;
	} else {
		p = &m->pairs[i];
	}
	if (swapped) {
		swap_flow(&ev->flow);
		ev->note.endpoint = swap_who(ev->note.endpoint);
		ev->note.sender = swap_who(ev->note.sender);
	}
	r = APPEND(p->ev, p->nev);
	if (!r)
		return -ENOMEM;
	r->ev = *ev;
	r->file = file;
	p->f = ev->flow;
	return 0;
}

static int read_events(struct merge *m, unsigned int file)
{
	struct json_obj *o;
	struct event ev;
	char *line;
	FILE *fp;
	int err = 0, ret;
	unsigned int lineno = 0;

	fp = fopen(m->files[file], "r");
	if (!fp) {
		error_msg("ladder: %s: %s", m->files[file], strerror(errno));
		return -errno;
	}
	line = malloc(LINE_MAX_LEN);
	o = malloc(sizeof(*o));
	if (!line || !o) {
		err = -ENOMEM;
		goto out;
	}
	while (fgets(line, LINE_MAX_LEN, fp)) {
		lineno++;
		if (line[0] != '{')
			continue;
		if (json_read_line(line, o)) {
			error_msg("ladder: %s:%u: not a line of --json output",
				  m->files[file], lineno);
			err = -EINVAL;
			break;
		}
		ret = to_event(o, &ev);
		if (ret < 0) {
			error_msg("ladder: %s:%u: an event without its endpoints",
				  m->files[file], lineno);
			err = ret;
			break;
		}
		if (ret == 0) {
			err = add_event(m, &ev, file);
			if (err)
				break;
		}
	}
out:
	free(o);
	free(line);
	fclose(fp);
	return err;
}

/* Number each file's flows of a connection in order: its incarnations. */
static void number_flows(struct pair *p)
{
	uint64_t ids[MAX_FILES][64];
	unsigned int n[MAX_FILES] = { 0 }, i, k;

	for (i = 0; i < p->nev; i++) {
		struct rev *r = &p->ev[i];

		for (k = 0; k < n[r->file]; k++)
			if (ids[r->file][k] == r->ev.flow.id)
				break;
		if (k == n[r->file] && k < 64)
			ids[r->file][n[r->file]++] = r->ev.flow.id;
		r->flowno = k;
	}
}

/* Which file each side's states come from: where that side is local. */
static void choose_auth(struct pair *p)
{
	unsigned int i, s;

	for (i = 0; i < p->nev; i++)
		for (s = 0; s < 2; s++)
			if (p->auth[s] < 0 && (p->ev[i].ev.flow.flags &
			    (s ? TT_FLOW_F_SERVER_LOCAL :
				 TT_FLOW_F_CLIENT_LOCAL)))
				p->auth[s] = p->ev[i].file;
	/* Files come in order: the events of the first one come first. */
	for (s = 0; s < 2; s++)
		if (p->auth[s] < 0 && p->nev) {
			p->auth[s] = p->ev[0].file;
			p->guess[s] = true;
		}
}

/* --- reading the wire ------------------------------------------------- */

static int side_of(const struct pair *p, uint8_t family, const uint8_t *addr,
		   uint16_t port)
{
	unsigned int s;

	for (s = 0; s < 2; s++)
		if (p->f.family == family && p->f.port[s] == port &&
		    !memcmp(p->f.addr[s], addr, addr_len(family)))
			return s;
	return -1;
}

/* A segment the network took in, delivered, or both at once. */
static int wire_frame(struct merge *m, const struct capture_frame *fr,
		      unsigned int order)
{
	struct tt_seg seg;
	struct wseg *w;
	unsigned int i, j, keylen;
	int from, to;

	if (tt_parse_tcp(fr->th, fr->caplen, &seg) != TT_PARSE_OK)
		return 0;
	keylen = seg.doff < sizeof(w->key) ? seg.doff : sizeof(w->key);
	if (keylen > fr->caplen)
		keylen = fr->caplen;
	for (i = 0; i < m->npairs; i++) {
		struct pair *p = &m->pairs[i];

		from = side_of(p, fr->family, fr->saddr, seg.sport);
		to = side_of(p, fr->family, fr->daddr, seg.dport);
		if (from < 0 || to < 0 || from == to)
			continue;
		if (fr->dir == CAPTURE_DIR_OUT) {
			/* The earliest copy that went in and is still in. */
			for (j = 0; j < p->nseg; j++) {
				w = &p->seg[j];
				if (w->t_in != NO_TIME && w->t_out == NO_TIME &&
				    w->keylen == keylen &&
				    w->n.len == fr->tcplen - seg.doff &&
				    !memcmp(w->key, fr->th, keylen)) {
					w->t_out = fr->ns;
					return 0;
				}
			}
		}
		w = APPEND(p->seg, p->nseg);
		if (!w)
			return -ENOMEM;
		memset(w, 0, sizeof(*w));
		w->t_in = fr->dir == CAPTURE_DIR_OUT ? NO_TIME : (int64_t)fr->ns;
		w->t_out = fr->dir == CAPTURE_DIR_IN ? NO_TIME : (int64_t)fr->ns;
		w->n.sender = from ? TT_WHO_SERVER : TT_WHO_CLIENT;
		w->n.tcp_flags = seg.flags;
		w->n.seq = seg.seq;
		w->n.ack = seg.ack;
		w->n.len = fr->tcplen > seg.doff ? fr->tcplen - seg.doff : 0;
		memcpy(w->key, fr->th, keylen);
		w->keylen = keylen;
		w->in_order = order;
		return 0;
	}
	return 0;
}

/*
 * Mark the segments their sender had sent before: a SYN, SYN-ACK, FIN or
 * data with the sequence number of an earlier one.  (The SYN-ACK of a
 * simultaneous open repeats its sender's SYN's sequence number: it is not
 * a resend of it.)
 */
static void mark_resends(struct pair *p)
{
	unsigned int i, j;

	for (i = 0; i < p->nseg; i++) {
		struct wseg *w = &p->seg[i];
		uint8_t sf = w->n.tcp_flags & (TT_TCP_SYN | TT_TCP_FIN);

		if (sf & TT_TCP_SYN)
			sf |= w->n.tcp_flags & TT_TCP_ACK;

		if (w->t_in == NO_TIME || (!sf && !w->n.len) ||
		    (w->n.tcp_flags & TT_TCP_RST))
			continue;
		for (j = 0; j < i; j++) {
			const struct wseg *v = &p->seg[j];

			uint8_t vf = v->n.tcp_flags & (TT_TCP_SYN | TT_TCP_FIN);

			if (vf & TT_TCP_SYN)
				vf |= v->n.tcp_flags & TT_TCP_ACK;
			if (v->t_in != NO_TIME && v->n.sender == w->n.sender &&
			    vf == sf &&
			    v->n.seq == w->n.seq && v->n.len == w->n.len) {
				w->retrans = true;
				break;
			}
		}
	}
}

static int read_wire(struct merge *m)
{
	struct capture_frame fr;
	struct capture cap;
	unsigned int order = 0, i;
	int err, ret;

	err = capture_open(&cap, m->wire, "ladder");
	if (err)
		return err;
	while ((ret = capture_next(&cap, &fr)) == 1) {
		if (!fr.tcp)
			continue;
		err = wire_frame(m, &fr, order++);
		if (err)
			break;
	}
	if (!err && ret < 0)
		err = ret;
	capture_close(&cap);
	for (i = 0; i < m->npairs; i++)
		mark_resends(&m->pairs[i]);
	return err;
}

/* --- lining notes up with the wire -------------------------------------- */

static bool same_seg(const struct note *a, const struct note *b)
{
	return a->sender == b->sender && a->tcp_flags == b->tcp_flags &&
	       a->seq == b->seq && a->ack == b->ack && a->len == b->len;
}

/* Where side @s saw segment @w: left it, or arrived; NO_TIME if not. */
static int64_t seen_at(const struct wseg *w, int s)
{
	bool sent = (w->n.sender == TT_WHO_SERVER) == s;

	return sent ? w->t_in : w->t_out;
}

/*
 * When the flow of @file numbered @flowno began, on the wire's clock: at the
 * first segment its side @s sent or got after @after.  NO_TIME if the wire
 * shows none.
 */
static int64_t flow_start(const struct pair *p, int s, int64_t after)
{
	int64_t best = NO_TIME, t;
	unsigned int i;

	for (i = 0; i < p->nseg; i++) {
		t = seen_at(&p->seg[i], s);
		if (t != NO_TIME && t > after && (best == NO_TIME || t < best))
			best = t;
	}
	return best;
}

/* Does copy @seg already carry a note like @a (same side and reason)? */
static bool taken(const struct anote *all, unsigned int n, int seg,
		  const struct anote *a, bool send)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (all[i].seg == seg && all[i].at_send == send &&
		    all[i].side == a->side && all[i].n.why == a->n.why)
			return true;
	return false;
}

/*
 * The wire segment of note @a: the nearest copy in time that has no note
 * of the same reason yet (each resend of a SYN has its own), or -1.
 * @all holds the notes placed so far, @n of them.
 */
static int attach(const struct pair *p, struct anote *a,
		  const struct anote *all, unsigned int n)
{
	int64_t best = 0, d, t;
	int i, found = -1;
	bool send = false;

	for (i = 0; i < (int)p->nseg; i++) {
		const struct wseg *w = &p->seg[i];
		bool mine = (w->n.sender == TT_WHO_SERVER) == a->side;

		if (!same_seg(&w->n, &a->n))
			continue;
		t = mine ? w->t_in : w->t_out;
		if (t == NO_TIME || taken(all, n, i, a, mine))
			continue;
		d = t > a->t ? t - a->t : a->t - t;
		if (d <= ATTACH_NS && (found < 0 || d < best)) {
			best = d;
			found = i;
			send = mine;
		}
	}
	a->at_send = send;
	return found;
}

static int by_note_time(const void *x, const void *y)
{
	const struct anote *a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Side @s's note @r of flow @k, from the file its states come from? */
static bool side_note(const struct pair *p, const struct rev *r, int s,
		      unsigned int k)
{
	return (r->ev.type == EV_TRANSITION || r->ev.type == EV_ANOMALY) &&
	       (int)r->file == p->auth[s] && r->flowno == k &&
	       r->ev.note.endpoint == TT_WHO_CLIENT + s &&
	       r->ev.note.sender != TT_WHO_NONE;
}

/*
 * Without a capture: shift the right side's flow @k so that the first
 * segment both sides noted (the left's earliest that the right noted too)
 * comes at the same time on both.
 */
static void line_up(const struct pair *p, unsigned int k,
		    int64_t start[2][64])
{
	unsigned int i, j;

	for (i = 0; i < p->nev; i++) {
		const struct rev *a = &p->ev[i];

		if (!side_note(p, a, 0, k))
			continue;
		for (j = 0; j < p->nev; j++) {
			const struct rev *b = &p->ev[j];

			if (!side_note(p, b, 1, k) ||
			    !same_seg(&a->ev.note, &b->ev.note))
				continue;
			start[1][k] = start[0][k] +
				      ((int64_t)a->ev.note.time_ms -
				       (int64_t)b->ev.note.time_ms) * NS_PER_MS;
			return;
		}
	}
}

/*
 * The notes of each side, from the file where it is local, placed in time:
 * [@out, @nout).  Each flow of a file counts from its first segment.
 */
static int place_notes(const struct pair *p, bool wire, struct anote **out,
		       unsigned int *nout)
{
	int64_t start[2][64], end[2][64];
	unsigned int i, k, s, nflows[2] = { 0, 0 };

	for (s = 0; s < 2; s++)
		for (k = 0; k < 64; k++)
			start[s][k] = end[s][k] = NO_TIME;
	/* Each side's flows, and where they end (their last note). */
	for (i = 0; i < p->nev; i++) {
		const struct rev *r = &p->ev[i];

		for (s = 0; s < 2; s++) {
			if ((int)r->file != p->auth[s] || r->flowno >= 64)
				continue;
			if (r->flowno + 1 > nflows[s])
				nflows[s] = r->flowno + 1;
		}
	}
	for (s = 0; s < 2; s++) {
		int64_t after = INT64_MIN + 1;

		for (k = 0; k < nflows[s]; k++) {
			uint64_t last = 0;

			for (i = 0; i < p->nev; i++) {
				const struct rev *r = &p->ev[i];

				if ((int)r->file == p->auth[s] &&
				    r->flowno == k &&
				    (r->ev.type == EV_TRANSITION ||
				     r->ev.type == EV_ANOMALY) &&
				    r->ev.note.time_ms > last)
					last = r->ev.note.time_ms;
			}
			if (wire) {
				start[s][k] = flow_start(p, s, after);
				if (start[s][k] == NO_TIME)
					start[s][k] = after == INT64_MIN + 1 ?
						      0 : after;
			} else {
				start[s][k] = after == INT64_MIN + 1 ? 0 :
					      after;
			}
			end[s][k] = start[s][k] + (int64_t)last * NS_PER_MS;
			after = end[s][k] + 1;
		}
	}
	/* Without a capture, the clocks of the two sides' flows are lined up
	 * on the first segment both noted (a flow may begin later on one
	 * side: the SYNs before the first that arrived are not the server's).
	 */
	if (!wire)
		for (k = 0; k < 64; k++)
			if (start[0][k] != NO_TIME && start[1][k] != NO_TIME)
				line_up(p, k, start);
	for (i = 0; i < p->nev; i++) {
		const struct rev *r = &p->ev[i];
		struct anote *a;

		if (r->ev.type != EV_TRANSITION && r->ev.type != EV_ANOMALY)
			continue;
		s = r->ev.note.endpoint == TT_WHO_SERVER;
		if (r->ev.note.endpoint != TT_WHO_CLIENT + s ||
		    (int)r->file != p->auth[s] || r->flowno >= 64)
			continue;
		a = APPEND(*out, *nout);
		if (!a)
			return -ENOMEM;
		a->n = r->ev.note;
		a->side = s;
		a->t = start[s][r->flowno] +
		       (int64_t)r->ev.note.time_ms * NS_PER_MS;
		a->seg = -1;
		a->at_send = false;
		a->line = i;
	}
	/* In time order, so that the first note takes the first copy. */
	qsort(*out, *nout, sizeof(**out), by_note_time);
	for (i = 0; wire && i < *nout; i++)
		if ((*out)[i].n.sender != TT_WHO_NONE)
			(*out)[i].seg = attach(p, &(*out)[i], *out, i);
	return 0;
}

/* --- drawing ------------------------------------------------------------ */

enum item_kind { IT_SEND, IT_ARRIVE, IT_NOTE };

/**
 * struct item - something that happened at one time: a segment leaving or
 * arriving, or a note that belongs to no segment on the wire
 */
struct item {
	int64_t t;
	enum item_kind kind;
	unsigned int idx;
	unsigned int order;
};

static int by_time(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Does side @s have a note of @n's segment at or after @from? */
static bool matched_ahead(const struct anote *a, const unsigned int *idx,
			  unsigned int from, unsigned int n,
			  const struct note *seg)
{
	for (; from < n; from++)
		if (same_seg(&a[idx[from]].n, seg))
			return true;
	return false;
}

/*
 * Without a capture, the notes are all there is: each side's in their own
 * order, merged by time.  A segment both sides noted becomes one row, and
 * at the same millisecond the note the other side has no match for comes
 * first (a SYN-ACK before the ACK both noted).  Fills @it in that order.
 */
static int merge_notes(const struct anote *a, unsigned int na,
		       struct item **it, unsigned int *nit)
{
	unsigned int *idx[2], n[2] = { 0, 0 }, i = 0, j = 0, k, s;
	struct item *x;
	int err = 0;

	idx[0] = calloc(na + 1, sizeof(*idx[0]));
	idx[1] = calloc(na + 1, sizeof(*idx[1]));
	if (!idx[0] || !idx[1]) {
		err = -ENOMEM;
		goto out;
	}
	for (k = 0; k < na; k++)
		idx[a[k].side][n[a[k].side]++] = k;
	while (i < n[0] || j < n[1]) {
		const struct anote *l = i < n[0] ? &a[idx[0][i]] : NULL;
		const struct anote *r = j < n[1] ? &a[idx[1][j]] : NULL;

		if (!r)
			s = 0;
		else if (!l)
			s = 1;
		else if (same_seg(&l->n, &r->n) && l->n.sender != TT_WHO_NONE)
			s = 0;	/* the right one follows, gathered with it */
		else if (l->t != r->t)
			s = r->t < l->t;
		else
			s = !matched_ahead(a, idx[0], i, n[0], &r->n);
		x = APPEND(*it, *nit);
		if (!x) {
			err = -ENOMEM;
			goto out;
		}
		k = s ? idx[1][j++] : idx[0][i++];
		*x = (struct item){ a[k].t, IT_NOTE, k, *nit };
	}
out:
	free(idx[0]);
	free(idx[1]);
	return err;
}

static bool is_retrans_why(unsigned int why)
{
	return why == TT_WHY_RETRANS_SYN || why == TT_WHY_RETRANS_SYNACK ||
	       why == TT_WHY_RETRANS_FIN || why == TT_WHY_RETRANS_DATA;
}

/* Notes of segment @seg made where it left (@send) or arrived, in order. */
static unsigned int seg_notes(const struct anote *a, unsigned int na, int seg,
			      bool send, struct note *out, unsigned int max,
			      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < na && n < max; i++)
		if (a[i].seg == seg && a[i].at_send == send)
			out[n++] = a[i].n;
	return n;
}

static void row_states(struct ladder_row *r, const struct note *n,
		       unsigned int nn)
{
	unsigned int i;

	r->to[0] = r->to[1] = -1;
	for (i = 0; i < nn; i++)
		if (n[i].from != n[i].to && (n[i].endpoint == TT_WHO_CLIENT ||
					     n[i].endpoint == TT_WHO_SERVER))
			r->to[n[i].endpoint - TT_WHO_CLIENT] = n[i].to;
}

static void end_lines(const struct merge *m, const struct pair *p)
{
	unsigned int s, i;
	const char *name;

	for (s = 0; s < 2; s++) {
		const struct flow *f = NULL;

		if (p->auth[s] < 0 || (s == 1 && p->auth[1] == p->auth[0]))
			continue;
		for (i = 0; i < p->nev; i++)
			if ((int)p->ev[i].file == p->auth[s])
				f = &p->ev[i].ev.flow;
		if (!f)
			continue;
		name = strrchr(m->files[p->auth[s]], '/');
		name = name ? name + 1 : m->files[p->auth[s]];
		if (f->flags & TT_FLOW_F_ENDED)
			printf("%s= %s: the flow ended: %s%s\n",
			       color_on(C_BOLD), name,
			       tt_outcome_name(f->outcome), color_off(C_BOLD));
		else
			printf("%s= %s: client %s, server %s, outcome %s%s\n",
			       color_on(C_BOLD), name, tt_state_name(f->state[0]),
			       tt_state_name(f->state[1]),
			       tt_outcome_name(f->outcome), color_off(C_BOLD));
	}
}

/*
 * Sequence numbers are drawn relative to the ISNs of the flow they belong
 * to: each SYN seen sets its sender's (a 4-tuple may be used again, by a
 * new connection or by an old duplicate SYN).
 */
static void follow_isn(struct flow *f, const struct note *seg)
{
	unsigned int s = seg->sender == TT_WHO_SERVER;

	if (seg->sender == TT_WHO_NONE || !(seg->tcp_flags & TT_TCP_SYN) ||
	    (seg->tcp_flags & TT_TCP_RST))
		return;
	f->isn[s] = seg->seq;
	f->has_isn[s] = true;
}

static int draw_pair(const struct merge *m, struct pair *p)
{
	struct flow cur = p->ev[0].ev.flow;
	struct anote *a = NULL;
	struct item *it = NULL;
	struct note notes[2 * LADDER_NOTES + 8];
	unsigned int na = 0, nit = 0, i, j, nn;
	char label[2][128];
	const char *from[2];
	uint8_t first[2];
	int64_t t0 = NO_TIME;
	bool done_first[2] = { false, false };
	int err, s;

	err = place_notes(p, m->wire, &a, &na);
	if (err)
		goto out;
	for (i = 0; i < p->nseg; i++) {
		struct item *x;

		if (p->seg[i].t_in != NO_TIME) {
			x = APPEND(it, nit);
			if (!x)
				goto nomem;
			*x = (struct item){ p->seg[i].t_in, IT_SEND, i,
					    p->seg[i].in_order };
		}
		if (p->seg[i].t_out != NO_TIME) {
			x = APPEND(it, nit);
			if (!x)
				goto nomem;
			*x = (struct item){ p->seg[i].t_out, IT_ARRIVE, i,
					    p->seg[i].in_order };
		}
	}
	if (m->wire) {
		for (i = 0; i < na; i++) {
			struct item *x;

			if (a[i].seg >= 0)
				continue;
			x = APPEND(it, nit);
			if (!x)
				goto nomem;
			*x = (struct item){ a[i].t, IT_NOTE, i, 0 };
		}
		qsort(it, nit, sizeof(*it), by_time);
	} else {
		err = merge_notes(a, na, &it, &nit);
		if (err)
			goto out;
	}
	if (!nit)
		goto out;
	t0 = it[0].t;

	/* The states before the first row: each side's first note's. */
	for (s = 0; s < 2; s++)
		first[s] = p->ev[0].ev.flow.state[s];
	for (i = 0; i < nit; i++) {
		const struct anote *x;
		unsigned int k;

		for (k = 0; k < na; k++) {
			x = &a[k];
			if (done_first[x->side])
				continue;
			if ((it[i].kind == IT_NOTE && it[i].idx == k) ||
			    (it[i].kind != IT_NOTE && x->seg == (int)it[i].idx &&
			     x->at_send == (it[i].kind == IT_SEND))) {
				first[x->side] = x->n.from;
				done_first[x->side] = true;
			}
		}
	}
	for (s = 0; s < 2; s++) {
		const char *name = p->auth[s] < 0 ? NULL : m->files[p->auth[s]];

		from[s] = NULL;
		if (!name)
			continue;
		if (strrchr(name, '/'))
			name = strrchr(name, '/') + 1;
		snprintf(label[s], sizeof(label[s]), "%s%s", name,
			 p->guess[s] ? ", guessed" : "");
		from[s] = label[s];
	}
	ladder_pair_header(&p->f, from, first);

	for (i = 0; i < nit; i++) {
		struct ladder_row r = { .ms = (it[i].t - t0) / 1e6 };
		const struct wseg *w;

		if (it[i].kind == IT_NOTE) {
			const struct anote *x = &a[it[i].idx];

			/* Notes of one segment without a wire: one arrow. */
			nn = 0;
			notes[nn++] = x->n;
			while (i + 1 < nit && it[i + 1].kind == IT_NOTE &&
			       nn < ARRAY_LEN(notes) &&
			       x->n.sender != TT_WHO_NONE &&
			       same_seg(&a[it[i + 1].idx].n, &x->n) &&
			       it[i + 1].t - it[i].t <= 1000 * NS_PER_MS)
				notes[nn++] = a[it[++i].idx].n;
			r.seg = x->n.sender == TT_WHO_NONE ? NULL : &notes[0];
			r.how = LADDER_WHOLE;
			for (j = 0; j < nn; j++)
				r.retrans |= is_retrans_why(notes[j].why);
			r.notes = notes;
			r.nnotes = nn;
			row_states(&r, notes, nn);
			if (r.seg)
				follow_isn(&cur, r.seg);
			ladder_pair_row(&cur, &r);
			continue;
		}
		w = &p->seg[it[i].idx];
		nn = 0;
		if (it[i].kind == IT_SEND) {
			nn = seg_notes(a, na, it[i].idx, true, notes,
				       ARRAY_LEN(notes), nn);
			if (w->t_out == NO_TIME) {
				r.how = LADDER_LOST;
			} else if (i + 1 < nit && it[i + 1].kind == IT_ARRIVE &&
				   it[i + 1].idx == it[i].idx) {
				r.how = LADDER_WHOLE;
				nn = seg_notes(a, na, it[i].idx, false, notes,
					       ARRAY_LEN(notes), nn);
				i++;
			} else {
				r.how = LADDER_LEAVES;
			}
		} else {
			nn = seg_notes(a, na, it[i].idx, false, notes,
				       ARRAY_LEN(notes), nn);
			r.how = w->t_in == NO_TIME ? LADDER_FROM_NETWORK :
						     LADDER_ARRIVES;
		}
		r.seg = &w->n;
		r.retrans = w->retrans;
		for (j = 0; j < nn; j++)
			r.retrans |= is_retrans_why(notes[j].why) &&
				     notes[j].sender == w->n.sender;
		r.notes = notes;
		r.nnotes = nn;
		row_states(&r, notes, nn);
		follow_isn(&cur, &w->n);
		ladder_pair_row(&cur, &r);
	}
	end_lines(m, p);
	goto out;
nomem:
	err = -ENOMEM;
out:
	free(it);
	free(a);
	return err;
}

/* --- the subcommand ------------------------------------------------------- */

static int parse_args(struct merge *m, int argc, char **argv)
{
	int a = 1, err;

	while (a < argc) {
		if (!strcmp(argv[a], "--wire")) {
			if (a + 1 >= argc || m->wire)
				return usage_error("ladder: --wire takes one capture file");
			m->wire = argv[a + 1];
			a += 2;
			continue;
		}
		if (argv[a][0] == '-' && argv[a][1])
			return usage_error("ladder: unknown option '%s'",
					   argv[a]);
		err = filter_parse(&m->filter, argc, argv, &a);
		if (err < 0)
			return err;
		if (err == 0)
			continue;
		if (m->nfiles == MAX_FILES)
			return usage_error("ladder: at most %d files",
					   MAX_FILES);
		m->files[m->nfiles++] = argv[a++];
	}
	if (!m->nfiles)
		return usage_error("ladder needs the --json output of monitor (or replay)");
	if (opts.json)
		return usage_error("ladder draws; --json does not apply");
	return 0;
}

int cmd_ladder(int argc, char **argv)
{
	struct merge *m;
	unsigned int i, drawn = 0;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = parse_args(m, argc, argv);
	for (i = 0; !err && i < m->nfiles; i++)
		err = read_events(m, i);
	for (i = 0; !err && i < m->npairs; i++) {
		number_flows(&m->pairs[i]);
		choose_auth(&m->pairs[i]);
	}
	if (!err && m->wire)
		err = read_wire(m);
	for (i = 0; !err && i < m->npairs; i++) {
		if (!filter_match(&m->filter, &m->pairs[i].f))
			continue;
		if (drawn++)
			printf("\n");
		err = draw_pair(m, &m->pairs[i]);
	}
	for (i = 0; i < m->npairs; i++) {
		free(m->pairs[i].ev);
		free(m->pairs[i].seg);
	}
	free(m->pairs);
	free(m);
	return err;
}
