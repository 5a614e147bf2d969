// SPDX-License-Identifier: GPL-2.0
/*
 * Oopses at load (a NULL dereference): with oops=panic the guest dies before
 * the command finishes, and scripts/lab-vm must still report the oops.
 */
#include <linux/module.h>

static int *labvm_null;

static int __init labvm_oops_init(void)
{
	/* READ_ONCE() keeps the compiler from proving the access undefined. */
	return READ_ONCE(*READ_ONCE(labvm_null));
}

static void __exit labvm_oops_exit(void)
{
}

module_init(labvm_oops_init);
module_exit(labvm_oops_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: an oops at load");
MODULE_LICENSE("GPL");
