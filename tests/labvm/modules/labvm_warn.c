// SPDX-License-Identifier: GPL-2.0
/*
 * Loads successfully but WARNs on the way: scripts/lab-vm must fail the run
 * even though insmod exits 0. The test of the kernel log detector.
 */
#include <linux/module.h>

static int __init labvm_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit labvm_warn_exit(void)
{
}

module_init(labvm_warn_init);
module_exit(labvm_warn_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: WARN_ON(1) at load");
MODULE_LICENSE("GPL");
