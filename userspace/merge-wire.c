// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder --wire CAPTURE`: each connection's segments as the capture shows
 * them.  A capture made with `tcpdump -i any` on a router (Linux cooked
 * capture) says of each packet whether it came into the network or went
 * out of it: the copy that went in and the copy that came out of one
 * segment become one struct wseg, with both times; one that went in and
 * never came out keeps no time out (lost), one that came out without going
 * in no time in (from the network itself).
 */

#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "ladder.h"
#include "merge.h"
#include "tcptracectl.h"

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

/**
 * wire_add() - a copy of a segment, into a connection's segments
 * @v: the segments
 * @n: how many
 * @cap: room in @v
 * @fr: the frame
 * @seg: its segment, parsed
 * @from: its sender: 0 the client, 1 the server
 * @order: the frame's place, for sorting
 *
 * A copy that came out of the network is the earliest one that went in
 * and is still in; any other copy is a segment of its own.
 *
 * Return: 0, or -ENOMEM.
 */
int wire_add(struct wseg **v, unsigned int *n, size_t *cap,
	     const struct capture_frame *fr, const struct tt_seg *seg,
	     int from, unsigned int order)
{
	unsigned int j, keylen;
	struct wseg *w;

	keylen = seg->doff < sizeof(w->key) ? seg->doff : sizeof(w->key);
	if (keylen > fr->caplen)
		keylen = fr->caplen;
	if (fr->dir == CAPTURE_DIR_OUT) {
		/* The earliest copy that went in and is still in. */
		for (j = 0; j < *n; j++) {
			w = &(*v)[j];
			if (w->t_in != NO_TIME && w->t_out == NO_TIME &&
			    w->keylen == keylen &&
			    w->n.len == fr->tcplen - seg->doff &&
			    !memcmp(w->key, fr->th, keylen)) {
				w->t_out = fr->ns;
				return 0;
			}
		}
	}
	w = ARRAY_PUSH(*v, *n, *cap);
	if (!w)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	w->t_in = fr->dir == CAPTURE_DIR_OUT ? NO_TIME : (int64_t)fr->ns;
	w->t_out = fr->dir == CAPTURE_DIR_IN ? NO_TIME : (int64_t)fr->ns;
	w->n.sender = from ? TT_WHO_SERVER : TT_WHO_CLIENT;
	w->n.tcp_flags = seg->flags;
	w->n.seq = seg->seq;
	w->n.ack = seg->ack;
	w->n.len = fr->tcplen > seg->doff ? fr->tcplen - seg->doff : 0;
	memcpy(w->key, fr->th, keylen);
	w->keylen = keylen;
	w->in_order = order;
	return 0;
}

/* A segment the network took in, delivered, or both at once. */
static int wire_frame(struct merge *m, const struct capture_frame *fr,
		      unsigned int order)
{
	struct tt_seg seg;
	unsigned int i;
	int from, to;

	if (tt_parse_tcp(fr->th, fr->caplen, &seg) != TT_PARSE_OK)
		return 0;
	for (i = 0; i < m->npairs; i++) {
		struct pair *p = &m->pairs[i];

		from = side_of(p, fr->family, fr->saddr, seg.sport);
		to = side_of(p, fr->family, fr->daddr, seg.dport);
		if (from < 0 || to < 0 || from == to)
			continue;
		return wire_add(&p->seg, &p->nseg, &p->seg_cap, fr, &seg, from,
				order);
	}
	return 0;
}

/*
 * Mark the segments their sender had sent before, as the module would: each
 * segment that went into the network, in order, through the core's state
 * machine (state.c), one struct tt_conn a connection, a new one for each
 * incarnation.  A SYN, SYN-ACK or FIN resent is a note of the sender's
 * (retransmitted-syn, ...); data resent is noted for the first segment of
 * a run, and the sender's peer stays TT_PEER_RETRANS through the run.  A
 * segment lost on the way is seen by its sender only.
 */
void wire_mark_resends(struct wseg *segs, unsigned int n)
{
	struct tt_conn c;
	struct tt_verdict v;
	struct tt_seg seg;
	unsigned int i, k, side, snd;

	tt_conn_init(&c, NULL, 0);
	for (i = 0; i < n; i++) {
		struct wseg *w = &segs[i];

		if (w->t_in == NO_TIME ||
		    tt_parse_tcp(w->key, w->keylen, &seg) != TT_PARSE_OK)
			continue;
		seg.len = w->n.len;	/* @key is the header alone */
		if (tt_conn_new_incarnation(&c, &seg))
			tt_conn_init(&c, NULL, 0);
		if (!(c.flags & TT_CONN_STARTED) && !tt_seg_starts_flow(&seg))
			continue;
		side = w->n.sender == TT_WHO_SERVER;
		tt_conn_segment(&c, &seg, side, w->t_out == NO_TIME ?
				TT_OBS_SEND : TT_OBS_BOTH, w->t_in, &v);
		snd = side == c.client_side ? TT_CLIENT : TT_SERVER;
		for (k = 0; k < v.nnotes; k++)
			if (v.notes[k].endpoint == TT_WHO_CLIENT + snd &&
			    tt_why_resent(v.notes[k].why))
				w->retrans = true;
		if (seg.len &&
		    !(seg.flags & (TT_TCP_SYN | TT_TCP_FIN | TT_TCP_RST)) &&
		    (c.peer[snd].flags & TT_PEER_RETRANS))
			w->retrans = true;
	}
}

int read_wire(struct merge *m)
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
		wire_mark_resends(m->pairs[i].seg, m->pairs[i].nseg);
	return err;
}

