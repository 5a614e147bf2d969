// SPDX-License-Identifier: GPL-2.0
/*
 * Allocates an object at load and drops the only pointer to it: kmemleak's
 * scans at the end of the run (scripts/labvm-init) report it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static int __init labvm_leak_init(void)
{
	char *p = kmalloc(256, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	strscpy(p, "labvm_leak: dropped", 256);
	/* The compiler must not drop the allocation of an unused pointer. */
	OPTIMIZER_HIDE_VAR(p);
	return 0;
}

static void __exit labvm_leak_exit(void)
{
}

module_init(labvm_leak_init);
module_exit(labvm_leak_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: a leaked kmalloc (kmemleak)");
MODULE_LICENSE("GPL");
