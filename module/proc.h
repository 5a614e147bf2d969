/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 5 of the pipeline, for people: /proc/tcptrace and its counters.
 */

#ifndef _TT_PROC_H
#define _TT_PROC_H

struct net;

int tt_proc_net_init(struct net *net);
void tt_proc_net_uninit(struct net *net);
int tt_proc_init(void);
void tt_proc_uninit(void);

#endif /* _TT_PROC_H */
