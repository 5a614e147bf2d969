/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 5 of the pipeline, for programs: the "tcptrace" generic netlink family
 * (uapi/linux/tcptrace.h) and its events.
 */

#ifndef _TT_NETLINK_H
#define _TT_NETLINK_H

#include <linux/skbuff.h>

#include "flowtable.h"

/* Events of one segment: NEW, one per note, END, and an END of a flow that
 * made room or gave way to a new incarnation.
 */
#define TT_EVENTS_MAX	(TT_NOTES_PER_SEG + 4)

/* The two forms of an event: with sequence numbers, and without. */
enum tt_view {
	TT_VIEW_FULL,
	TT_VIEW_PUBLIC,
	TT_VIEW_MAX
};

/**
 * struct tt_events - events built under a flow's lock, sent after it
 * @n: how many are queued
 * @ev: each event, in the forms somebody listens to (NULL for the others),
 *	with a reference on the namespace it goes to
 */
struct tt_events {
	unsigned int n;
	struct {
		struct sk_buff *skb[TT_VIEW_MAX];
		struct net *net;
	} ev[TT_EVENTS_MAX];
};

void tt_notify_verdict(struct tt_events *q, struct tt_flow *flow,
		       const struct tt_verdict *v);
void tt_notify_end(struct tt_events *q, struct tt_flow *flow);
void tt_notify_send(struct tt_events *q);
int tt_genl_init(void);
void tt_genl_uninit(void);

#endif /* _TT_NETLINK_H */
