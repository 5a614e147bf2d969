// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * A "tcptrace" generic netlink family of version 99 and no operations: what
 * a module from another release of tcptrace would look like to a tool.
 */

#include <linux/module.h>
#include <net/genetlink.h>

static struct genl_family fake_family __ro_after_init = {
	.name = "tcptrace",
	.version = 99,
	.module = THIS_MODULE,
};

static int __init fake_init(void)
{
	return genl_register_family(&fake_family);
}

static void __exit fake_exit(void)
{
	genl_unregister_family(&fake_family);
}

module_init(fake_init);
module_exit(fake_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcptrace tests: a tcptrace family of another version");
