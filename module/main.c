// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * tcptrace: an educational TCP state tracer.  Every TCP segment the host
 * sees goes hook -> parse -> state machine -> flow table, and is shown in
 * /proc/tcptrace and on the "tcptrace" generic netlink family.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "flowtable.h"
#include "netlink.h"
#include "netns.h"
#include "proc.h"

static int __init tt_init(void)
{
	int err;

	err = tt_genl_init();
	if (err)
		return err;
	err = tt_table_init();
	if (err)
		goto err_uninit_genl;
	err = tt_net_init();
	if (err)
		goto err_uninit_table;
	err = tt_proc_init();
	if (err)
		goto err_uninit_net;

	pr_info("tracing TCP in every network namespace: up to %u flows of %zu bytes\n",
		tt_table.max_flows,
		sizeof(struct tt_flow) +
		tt_table.history_max * sizeof(struct tt_note));
	return 0;

err_uninit_net:
	tt_net_uninit();
err_uninit_table:
	tt_table_uninit();
err_uninit_genl:
	tt_genl_uninit();
	return err;
}

static void __exit tt_exit(void)
{
	tt_proc_uninit();
	tt_net_uninit();
	tt_table_uninit();
	tt_genl_uninit();
}

module_init(tt_init);
module_exit(tt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Educational TCP state tracer: both endpoints' RFC 793 states of every connection");
MODULE_AUTHOR("The tcptrace developers");
MODULE_ALIAS_GENL_FAMILY(TT_GENL_NAME);
