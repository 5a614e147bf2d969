// SPDX-License-Identifier: GPL-2.0
/*
 * Reads a kmalloc'ed object after kfree() at load: KASAN (debug kernel)
 * reports a slab-use-after-free and scripts/lab-vm must name it.
 */
#include <linux/module.h>
#include <linux/slab.h>

static int __init labvm_uaf_init(void)
{
	int *p = kmalloc(sizeof(*p), GFP_KERNEL);
	int v;

	if (!p)
		return -ENOMEM;
	*p = 1;
	kfree(p);
	/* READ_ONCE(): the compiler may not drop or move the bad read. */
	v = READ_ONCE(*p);
	pr_info("labvm_uaf: read %d after kfree\n", v);
	return 0;
}

static void __exit labvm_uaf_exit(void)
{
}

module_init(labvm_uaf_init);
module_exit(labvm_uaf_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: a use-after-free at load (KASAN)");
MODULE_LICENSE("GPL");
