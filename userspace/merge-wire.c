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
		w = ARRAY_PUSH(p->seg, p->nseg, p->seg_cap);
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
		mark_resends(&m->pairs[i]);
	return err;
}

