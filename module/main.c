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

/*
 * Each part is set up after everything it reaches, and torn down before it:
 *
 *   table       the flows, their cache and locks (flowtable.c)
 *   namespaces  per-namespace data, then its /proc files and hooks (netns.c)
 *   /proc links /proc/tcptrace -> net/tcptrace
 *   genl family its requests reach the table and tt_net(); a request is
 *               handled as soon as the family is registered, and until it is
 *               unregistered (only a dump pins the module); then it
 *               registers the table's notifier, and unregisters it first
 *   GC worker   reaches the flows' namespaces and, through the notifier,
 *               sends events
 *
 * Segments the hooks see before the notifier is there, or after it is
 * gone, change the table but make no event: nobody could listen then.
 */
static int __init tt_init(void)
{
	int err;

	err = tt_table_init();
	if (err)
		return err;
	err = tt_net_init();
	if (err)
		goto err_uninit_table;
	err = tt_proc_init();
	if (err)
		goto err_uninit_net;
	err = tt_genl_init();
	if (err)
		goto err_uninit_proc;
	tt_table_gc_start();

	pr_info("tracing TCP in every network namespace: up to %u flows of %zu bytes, and %zu of history each\n",
		tt_table.max_flows, sizeof(struct tt_flow),
		tt_history_size(tt_table.history_max));
	return 0;

err_uninit_proc:
	tt_proc_uninit();
err_uninit_net:
	tt_net_uninit();
err_uninit_table:
	tt_table_uninit();
	return err;
}

static void __exit tt_exit(void)
{
	tt_table_gc_stop();
	tt_genl_uninit();
	tt_proc_uninit();
	tt_net_uninit();
	tt_table_uninit();
}

module_init(tt_init);
module_exit(tt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Educational TCP state tracer: both endpoints' RFC 793 states of every connection");
MODULE_AUTHOR("The tcptrace developers");
MODULE_ALIAS_GENL_FAMILY(TT_GENL_NAME);
