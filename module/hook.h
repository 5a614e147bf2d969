/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 1 of the pipeline: the netfilter hooks that see every TCP segment.
 */

#ifndef _TT_HOOK_H
#define _TT_HOOK_H

struct net;

int tt_hooks_register(struct net *net);
void tt_hooks_unregister(struct net *net);

#endif /* _TT_HOOK_H */
