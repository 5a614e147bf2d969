// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `replay --stats`: what each endpoint of each connection sent, as classic
 * tcptrace (`tcptrace -l -r`) counts it, the oracle of tests/tools/test-stats.
 *
 * - A retransmission is the state machine's: a segment whose verdict has a
 *   resend note (tt_why_resent()), or, since the machine notes only the
 *   first data resend of a run, a data segment after which its sender is
 *   still inside a run of resends (TT_PEER_RETRANS: a segment that brings
 *   new data ends the run before anyone looks).  Except a segment that is
 *   out of order (below): the machine keeps no map of the bytes it saw,
 *   so a first copy that arrives after a later segment is a resend to it;
 *   these statistics remember the bytes, as classic tcptrace does.
 * - RTT is measured where the capture was made, as classic tcptrace does:
 *   each segment that uses sequence space (data, SYN, FIN) is kept with
 *   when it was seen until an ACK covers it; an ACK of exactly its end
 *   gives a sample of its time, unless the segment was sent more than once
 *   (Karn), or an ACK had covered only part of it, or a segment before it
 *   was sent after it (the ACK may answer that one).  The SYN's sample is
 *   the handshake's RTT.
 * - An out-of-order segment fills a hole: sequence space above what the
 *   peer has acknowledged, below what its sender was seen to send, and not
 *   seen before.  (The state machine calls it a retransmission too: its
 *   sender had sent past it.)
 * - A duplicate ACK is RFC 5681's: no data, no SYN or FIN, the same
 *   acknowledgment and window as the sender's ACK before, while the peer
 *   has data outstanding.
 * - Windows are the machine's, scaled (tt_peer.wnd), those of the ACKs
 *   after the SYN; the throughput is the bytes sent once (not
 *   retransmitted) over the connection's duration.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "json.h"
#include "print.h"
#include "stats.h"
#include "tcptracectl.h"

/**
 * struct sent - a stretch of sequence space one endpoint sent, not yet
 * acknowledged
 * @start: its first sequence number
 * @end: the one after its last
 * @time: when it was seen sent (last sent, if it was resent)
 * @resent: it was sent more than once: Karn's rule takes no sample of it
 * @partly_acked: an ACK covered part of it: nor of this
 * @syn: it holds a SYN: its sample is the handshake's
 */
struct sent {
	uint32_t start;
	uint32_t end;
	uint64_t time;
	bool resent;
	bool partly_acked;
	bool syn;
};

/**
 * struct dir_stats - what one endpoint sent, and how its peer answered
 * @packets: segments captured
 * @bytes: payload bytes
 * @resent: retransmitted segments (the state machine's)
 * @resent_bytes: their payload bytes
 * @out_of_order: segments that filled a hole
 * @dupacks: duplicate ACKs it sent
 * @zero_windows: segments advertising a zero window
 * @max_window: the largest window it advertised, scaled
 * @rtt_n: RTT samples of its segments
 * @rtt_sum: their sum, ns
 * @rtt_min: the smallest, ns
 * @rtt_max: the largest, ns
 * @rtt_syn: the sample of its SYN, ns
 * @has_rtt_syn: @rtt_syn is one
 * @out: what it sent that is not acknowledged yet, in sequence order
 * @nout: entries in @out
 * @out_cap: room in @out
 * @snd_max: the end of the highest sequence it was seen to send
 * @una: the highest acknowledgment its peer sent
 * @acked_time: the latest time an acknowledged stretch was sent
 * @ack: its last acknowledgment number
 * @win: its last window, scaled
 * @flags: DIR_* bits
 */
struct dir_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t resent;
	uint64_t resent_bytes;
	uint64_t out_of_order;
	uint64_t dupacks;
	uint64_t zero_windows;
	uint64_t max_window;
	uint64_t rtt_n;
	uint64_t rtt_sum;
	uint64_t rtt_min;
	uint64_t rtt_max;
	uint64_t rtt_syn;
	bool has_rtt_syn;
	struct sent *out;
	size_t nout;
	size_t out_cap;
	uint32_t snd_max;
	uint32_t una;
	uint64_t acked_time;
	uint32_t ack;
	uint32_t win;
	unsigned int flags;
};

#define DIR_SEQ		(1U << 0)	/* snd_max is valid */
#define DIR_UNA		(1U << 1)	/* una is valid */
#define DIR_ACK		(1U << 2)	/* ack and win are valid */

/**
 * struct flow_stats - one connection
 * @next: the connection after it, in the order of the flows' ids
 * @st: the replay's statistics
 * @dir: [TT_CLIENT] and [TT_SERVER]
 * @first: time of its first segment, ns
 * @last: time of its latest segment, ns
 * @wscale: the shift each endpoint's SYN offered, or -1
 * @flow: the flow as it ended, for the output
 * @done: @flow is set
 * @shown: the filter kept it
 */
struct flow_stats {
	struct flow_stats *next;
	struct stats *st;
	struct dir_stats dir[2];
	uint64_t first;
	uint64_t last;
	int wscale[2];
	struct flow flow;
	bool done;
	bool shown;
};

/**
 * struct stats - every connection of a replay
 * @head: the first, in the order of the flows' ids
 * @tail: the last
 * @nomem: a stretch could not be kept: the RTT of some flow is short of
 *	samples
 */
struct stats {
	struct flow_stats *head;
	struct flow_stats *tail;
	bool nomem;
};

struct stats *stats_new(void)
{
	return calloc(1, sizeof(struct stats));
}

/* A new connection, after those made before it; NULL without memory. */
struct flow_stats *stats_flow_new(struct stats *st)
{
	struct flow_stats *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return NULL;
	fs->st = st;
	fs->wscale[0] = fs->wscale[1] = -1;
	if (st->tail)
		st->tail->next = fs;
	else
		st->head = fs;
	st->tail = fs;
	return fs;
}

static bool seq_le(uint32_t a, uint32_t b)
{
	return !tt_after(a, b);
}

/* A new stretch at @i of @d->out; false without memory. */
static bool out_insert(struct stats *st, struct dir_stats *d, size_t i,
		       struct sent s)
{
	if (array_reserve(&d->out, &d->out_cap, d->nout + 1, sizeof(*d->out),
			  16)) {
		st->nomem = true;
		return false;
	}
	memmove(&d->out[i + 1], &d->out[i], (d->nout - i) * sizeof(*d->out));
	d->out[i] = s;
	d->nout++;
	return true;
}

/*
 * The sender sent [@seq, @end) at @now: stretches it sent before are sent
 * again (they lose their RTT sample), new ones are kept.  Returns whether
 * the segment is out of order: it filled a hole, and none of it had been
 * seen before.
 */
static bool sent_range(struct stats *st, struct dir_stats *d, uint32_t seq,
		       uint32_t end, bool syn, uint64_t now)
{
	bool hole = false, again = false;
	uint32_t cur = seq;
	size_t i = 0;

	if ((d->flags & DIR_UNA) && tt_before(cur, d->una)) {
		cur = d->una;	/* acknowledged already: nothing to time */
		again = true;
	}
	while (i < d->nout && seq_le(d->out[i].end, cur))
		i++;
	while (tt_before(cur, end)) {
		struct sent *o = i < d->nout ? &d->out[i] : NULL;
		uint32_t next;

		if (o && seq_le(o->start, cur)) {
			again = true;
			o->resent = true;
			o->time = now;
			cur = o->end;
			i++;
			continue;
		}
		next = o && tt_before(o->start, end) ? o->start : end;
		/* Below what the sender was seen to send: a hole filled. */
		if ((d->flags & DIR_SEQ) && tt_before(cur, d->snd_max))
			hole = true;
		if (!out_insert(st, d, i, (struct sent){
				.start = cur, .end = next, .time = now,
				.syn = syn && cur == seq }))
			break;
		cur = next;
		i++;
	}
	if (!(d->flags & DIR_SEQ) || tt_after(end, d->snd_max))
		d->snd_max = end;
	d->flags |= DIR_SEQ;
	return hole && !again;
}

static void rtt_sample(struct dir_stats *d, uint64_t rtt, bool syn)
{
	if (!d->rtt_n || rtt < d->rtt_min)
		d->rtt_min = rtt;
	if (rtt > d->rtt_max)
		d->rtt_max = rtt;
	d->rtt_sum += rtt;
	d->rtt_n++;
	if (syn) {
		d->rtt_syn = rtt;
		d->has_rtt_syn = true;
	}
}

/* The peer of @d acknowledged up to @ack at @now. */
static void acked(struct dir_stats *d, uint32_t ack, uint64_t now)
{
	uint64_t latest = d->acked_time;
	size_t n = 0;

	if ((d->flags & DIR_UNA) && !tt_after(ack, d->una))
		return;
	d->una = ack;
	d->flags |= DIR_UNA;
	while (n < d->nout && tt_before(d->out[n].start, ack)) {
		struct sent *o = &d->out[n];

		if (o->time > latest)
			latest = o->time;
		if (tt_after(o->end, ack)) {
			o->start = ack;
			o->partly_acked = true;
			break;
		}
		/* No sample if a stretch before this one was sent after
		 * it: the ACK may answer that one instead.
		 */
		if (o->end == ack && !o->resent && !o->partly_acked &&
		    latest <= o->time && now >= o->time)
			rtt_sample(d, now - o->time, o->syn);
		if (o->time > d->acked_time)
			d->acked_time = o->time;
		n++;
	}
	memmove(d->out, &d->out[n], (d->nout - n) * sizeof(*d->out));
	d->nout -= n;
}

/* Did the state machine take this segment for a resend? */
static bool resent(const struct tt_conn *c, const struct tt_seg *seg,
		   unsigned int snd, const struct tt_verdict *v)
{
	unsigned int i;

	for (i = 0; i < v->nnotes; i++)
		if (tt_why_resent(v->notes[i].why))
			return true;
	return seg->len &&
	       !(seg->flags & (TT_TCP_SYN | TT_TCP_FIN | TT_TCP_RST)) &&
	       (c->peer[snd].flags & TT_PEER_RETRANS);
}

/* The RFC 5681 duplicate ACK: @s sends it, @r has data outstanding. */
static bool dupack(const struct dir_stats *s, const struct dir_stats *r,
		   const struct tt_seg *seg, uint32_t win)
{
	return !seg->len && !(seg->flags & (TT_TCP_SYN | TT_TCP_FIN)) &&
	       (s->flags & DIR_ACK) && seg->ack == s->ack && win == s->win &&
	       (r->flags & DIR_SEQ) && tt_after(r->snd_max, seg->ack);
}

/**
 * stats_segment() - one segment of a connection, after the state machine
 * @fs: the connection
 * @c: its state machine, after the segment
 * @seg: the segment
 * @snd: who sent it, TT_CLIENT or TT_SERVER
 * @v: the machine's verdict on it
 * @now: its capture time, ns
 */
void stats_segment(struct flow_stats *fs, const struct tt_conn *c,
		   const struct tt_seg *seg, unsigned int snd,
		   const struct tt_verdict *v, uint64_t now)
{
	struct dir_stats *s = &fs->dir[snd], *r = &fs->dir[!snd];
	const struct tt_peer *p = &c->peer[snd];
	uint8_t f = seg->flags;
	uint32_t space = seg->len + !!(f & TT_TCP_SYN) + !!(f & TT_TCP_FIN);

	if (!s->packets && !r->packets)
		fs->first = now;
	fs->last = now;
	s->packets++;
	s->bytes += seg->len;
	if ((f & TT_TCP_SYN) && (seg->opts & TT_OPT_WSCALE))
		fs->wscale[snd] = p->wscale;
	/* A RST takes no sequence space, and its window means nothing. */
	if (f & TT_TCP_RST) {
		if (f & TT_TCP_ACK)
			acked(r, seg->ack, now);
		return;
	}
	if (space && sent_range(fs->st, s, seg->seq, seg->seq + space,
				f & TT_TCP_SYN, now)) {
		s->out_of_order++;
	} else if (resent(c, seg, snd, v)) {
		s->resent++;
		s->resent_bytes += seg->len;
	}
	if (!(f & TT_TCP_ACK))
		return;
	if (dupack(s, r, seg, p->wnd))
		s->dupacks++;
	if (!(s->flags & DIR_ACK) || tt_after(seg->ack, s->ack))
		s->ack = seg->ack;
	s->win = p->wnd;
	s->flags |= DIR_ACK;
	/* A SYN's window is never scaled: classic tcptrace leaves it out. */
	if (!(f & TT_TCP_SYN) && !p->wnd)
		s->zero_windows++;
	if (!(f & TT_TCP_SYN) && p->wnd > s->max_window)
		s->max_window = p->wnd;
	acked(r, seg->ack, now);
}

/**
 * stats_flow_done() - a connection left the table, or the capture ended
 * @fs: the connection
 * @f: its flow as it is now, for the output
 * @shown: whether the filter keeps it
 */
void stats_flow_done(struct flow_stats *fs, const struct flow *f, bool shown)
{
	unsigned int i;

	fs->flow = *f;
	fs->flow.hist = NULL;
	fs->flow.nhist = 0;
	fs->done = true;
	fs->shown = shown;
	for (i = 0; i < 2; i++) {
		free(fs->dir[i].out);
		fs->dir[i].out = NULL;
		fs->dir[i].nout = fs->dir[i].out_cap = 0;
	}
}

/* Bytes sent once a second, rounded: the throughput classic tcptrace gives. */
static uint64_t throughput(const struct flow_stats *fs,
			   const struct dir_stats *d)
{
	uint64_t ns = fs->last - fs->first;

	if (!ns)
		return 0;
	return (uint64_t)((double)(d->bytes - d->resent_bytes) * 1e9 / ns +
			  0.5);
}

/* --- output ------------------------------------------------------------ */

static void json_dir(struct json *j, const char *key,
		     const struct flow_stats *fs, unsigned int w)
{
	const struct dir_stats *d = &fs->dir[w];

	json_object(j, key);
	json_u64(j, "packets", d->packets);
	json_u64(j, "bytes", d->bytes);
	json_u64(j, "retransmitted", d->resent);
	json_u64(j, "retransmitted_bytes", d->resent_bytes);
	json_u64(j, "out_of_order", d->out_of_order);
	json_u64(j, "duplicate_acks", d->dupacks);
	json_u64(j, "zero_windows", d->zero_windows);
	json_u64(j, "max_window", d->max_window);
	if (fs->wscale[w] >= 0)
		json_u64(j, "window_scale", fs->wscale[w]);
	json_u64(j, "throughput", throughput(fs, d));
	json_u64(j, "rtt_samples", d->rtt_n);
	if (d->rtt_n) {
		json_u64(j, "rtt_min_us", d->rtt_min / 1000);
		json_u64(j, "rtt_avg_us", d->rtt_sum / d->rtt_n / 1000);
		json_u64(j, "rtt_max_us", d->rtt_max / 1000);
	}
	if (d->has_rtt_syn)
		json_u64(j, "handshake_rtt_us", d->rtt_syn / 1000);
	json_object_end(j);
}

static void print_json(const struct flow_stats *fs)
{
	struct json j;

	json_begin(&j, stdout);
	print_flow_json(&j, &fs->flow);
	json_u64(&j, "duration_us", (fs->last - fs->first) / 1000);
	json_dir(&j, "client_stats", fs, TT_CLIENT);
	json_dir(&j, "server_stats", fs, TT_SERVER);
	json_end(&j);
}

#define COL	16	/* the width of a column of values */

static void row_u64(const char *name, uint64_t a, uint64_t b)
{
	printf("  %-20s %*" PRIu64 " %*" PRIu64 "\n", name, COL, a, COL, b);
}

/* A duration in ns as milliseconds, or "-" when there is none. */
static void ms_str(bool has, uint64_t ns, char *buf, size_t size)
{
	if (has)
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 " ms",
			 ns / 1000000, ns / 1000 % 1000);
	else
		snprintf(buf, size, "-");
}

static void row_ms(const char *name, const struct flow_stats *fs,
		   uint64_t (*pick)(const struct dir_stats *),
		   bool (*has)(const struct dir_stats *))
{
	char v[2][32];
	unsigned int w;

	for (w = 0; w < 2; w++)
		ms_str(has(&fs->dir[w]), pick(&fs->dir[w]), v[w], sizeof(v[w]));
	printf("  %-20s %*s %*s\n", name, COL, v[0], COL, v[1]);
}

static bool has_rtt(const struct dir_stats *d)
{
	return d->rtt_n;
}

static bool has_rtt_syn(const struct dir_stats *d)
{
	return d->has_rtt_syn;
}

static uint64_t rtt_min(const struct dir_stats *d)
{
	return d->rtt_min;
}

static uint64_t rtt_avg(const struct dir_stats *d)
{
	return d->rtt_n ? d->rtt_sum / d->rtt_n : 0;
}

static uint64_t rtt_max(const struct dir_stats *d)
{
	return d->rtt_max;
}

static uint64_t rtt_syn(const struct dir_stats *d)
{
	return d->rtt_syn;
}

static void print_text(const struct flow_stats *fs)
{
	const struct dir_stats *c = &fs->dir[TT_CLIENT], *s = &fs->dir[TT_SERVER];
	char ep[2][ENDPOINT_STRLEN], v[2][32], dur[32];
	unsigned int w;

	endpoint_str(&fs->flow, 0, ep[0], sizeof(ep[0]));
	endpoint_str(&fs->flow, 1, ep[1], sizeof(ep[1]));
	time_str((fs->last - fs->first) / 1000000, dur, sizeof(dur));
	printf("%sflow %" PRIu64 "%s  %s  %s -> %s  %s\n", color_on(C_BOLD),
	       fs->flow.id, color_off(C_BOLD), family_name(fs->flow.family),
	       ep[0], ep[1], dur);
	printf("  %-20s %*s %*s\n", "sent by", COL, "client", COL, "server");
	row_u64("packets", c->packets, s->packets);
	row_u64("bytes", c->bytes, s->bytes);
	row_u64("retransmitted", c->resent, s->resent);
	row_u64("retransmitted bytes", c->resent_bytes, s->resent_bytes);
	row_u64("out of order", c->out_of_order, s->out_of_order);
	row_u64("duplicate ACKs", c->dupacks, s->dupacks);
	row_u64("zero windows", c->zero_windows, s->zero_windows);
	row_u64("largest window", c->max_window, s->max_window);
	for (w = 0; w < 2; w++) {
		if (fs->wscale[w] >= 0)
			snprintf(v[w], sizeof(v[w]), "%d", fs->wscale[w]);
		else
			snprintf(v[w], sizeof(v[w]), "-");
	}
	printf("  %-20s %*s %*s\n", "window scale", COL, v[0], COL, v[1]);
	for (w = 0; w < 2; w++)
		snprintf(v[w], sizeof(v[w]), "%" PRIu64 " B/s",
			 throughput(fs, &fs->dir[w]));
	printf("  %-20s %*s %*s\n", "throughput", COL, v[0], COL, v[1]);
	row_u64("RTT samples", c->rtt_n, s->rtt_n);
	row_ms("RTT min", fs, rtt_min, has_rtt);
	row_ms("RTT avg", fs, rtt_avg, has_rtt);
	row_ms("RTT max", fs, rtt_max, has_rtt);
	row_ms("handshake RTT", fs, rtt_syn, has_rtt_syn);
}

/**
 * stats_print() - every connection the filter keeps, in the order of ids
 * @st: the statistics, every connection done (stats_flow_done())
 *
 * Return: 0, or -ENOMEM if some stretch could not be kept (the output is
 * printed all the same, a warning said).
 */
int stats_print(struct stats *st)
{
	const struct flow_stats *fs;
	bool first = true;

	for (fs = st->head; fs; fs = fs->next) {
		if (!fs->done || !fs->shown)
			continue;
		if (opts.json) {
			print_json(fs);
			continue;
		}
		if (!first)
			printf("\n");
		first = false;
		print_text(fs);
	}
	if (st->nomem) {
		error_msg("replay --stats: out of memory: some RTT samples are missing");
		return -ENOMEM;
	}
	return 0;
}

void stats_free(struct stats *st)
{
	struct flow_stats *fs, *next;
	unsigned int i;

	if (!st)
		return;
	for (fs = st->head; fs; fs = next) {
		next = fs->next;
		for (i = 0; i < 2; i++)
			free(fs->dir[i].out);
		free(fs);
	}
	free(st);
}
