// SPDX-License-Identifier: GPL-2.0
/*
 * Takes two locks in one order, then in the other (one thread: no deadlock
 * happens): lockdep reports a possible circular locking dependency.
 */
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(labvm_lock_a);
static DEFINE_MUTEX(labvm_lock_b);

static int __init labvm_abba_init(void)
{
	mutex_lock(&labvm_lock_a);
	mutex_lock(&labvm_lock_b);
	mutex_unlock(&labvm_lock_b);
	mutex_unlock(&labvm_lock_a);

	mutex_lock(&labvm_lock_b);
	mutex_lock(&labvm_lock_a);
	mutex_unlock(&labvm_lock_a);
	mutex_unlock(&labvm_lock_b);
	return 0;
}

static void __exit labvm_abba_exit(void)
{
}

module_init(labvm_abba_init);
module_exit(labvm_abba_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: AB-BA lock order (lockdep)");
MODULE_LICENSE("GPL");
