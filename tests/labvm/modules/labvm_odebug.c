// SPDX-License-Identifier: GPL-2.0
/*
 * Frees memory that holds an armed timer at load: debug objects (ODEBUG)
 * report freeing an active timer_list (and deactivate it, so nothing
 * fires in freed memory).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>

struct labvm_odebug {
	struct timer_list timer;
};

static void labvm_odebug_fire(struct timer_list *t)
{
}

static int __init labvm_odebug_init(void)
{
	struct labvm_odebug *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	timer_setup(&o->timer, labvm_odebug_fire, 0);
	mod_timer(&o->timer, jiffies + 3600 * HZ);
	kfree(o);
	return 0;
}

static void __exit labvm_odebug_exit(void)
{
}

module_init(labvm_odebug_init);
module_exit(labvm_odebug_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: freeing an active timer (ODEBUG)");
MODULE_LICENSE("GPL");
