/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 5 of the pipeline, for programs: the "tcptrace" generic netlink family
 * (uapi/linux/tcptrace.h).  It hears of the table's events through the
 * table's notifier (flowtable.h), which it registers.
 */

#ifndef _TT_NETLINK_H
#define _TT_NETLINK_H

int tt_genl_init(void);
void tt_genl_uninit(void);

#endif /* _TT_NETLINK_H */
