// SPDX-License-Identifier: GPL-2.0
/*
 * A module that does nothing: loading and unloading it must leave a clean
 * kernel log, or the harness would fail every test that loads a module.
 */
#include <linux/module.h>

static int __init labvm_clean_init(void)
{
	pr_info("labvm_clean: loaded\n");
	return 0;
}

static void __exit labvm_clean_exit(void)
{
	pr_info("labvm_clean: unloaded\n");
}

module_init(labvm_clean_init);
module_exit(labvm_clean_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: a clean load and unload");
MODULE_LICENSE("GPL");
