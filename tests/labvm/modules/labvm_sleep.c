// SPDX-License-Identifier: GPL-2.0
/*
 * Allocates with GFP_KERNEL, which may sleep, under a spinlock at load:
 * DEBUG_ATOMIC_SLEEP reports a sleeping function called from invalid
 * context.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(labvm_sleep_lock);

static int __init labvm_sleep_init(void)
{
	void *p;

	spin_lock(&labvm_sleep_lock);
	p = kmalloc(64, GFP_KERNEL);
	spin_unlock(&labvm_sleep_lock);
	kfree(p);
	return 0;
}

static void __exit labvm_sleep_exit(void)
{
}

module_init(labvm_sleep_init);
module_exit(labvm_sleep_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: sleep in atomic context");
MODULE_LICENSE("GPL");
