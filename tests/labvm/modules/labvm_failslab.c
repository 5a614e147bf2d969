// SPDX-License-Identifier: GPL-2.0
/*
 * A kmem_cache of its own, allocated from on request: writing N to the
 * parameter alloc allocates N objects with GFP_ATOMIC (as tcptrace's flow
 * table does) and frees them; failed counts the allocations that failed.
 * With failslab restricted to this cache (/sys/kernel/slab/labvm_failslab/
 * failslab and the cache-filter of /sys/kernel/debug/failslab), a test
 * injects allocation failures into this module only.
 */
#include <linux/module.h>
#include <linux/slab.h>

struct labvm_obj {
	unsigned long data[4];
};

static struct kmem_cache *labvm_cache;
static unsigned int failed;
module_param(failed, uint, 0444);
MODULE_PARM_DESC(failed, "allocations from the cache that failed");

static int labvm_alloc_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		/* Not __GFP_NOWARN: failslab then keeps its report quiet. */
		struct labvm_obj *o = kmem_cache_alloc(labvm_cache, GFP_ATOMIC);

		if (!o)
			failed++;
		else
			kmem_cache_free(labvm_cache, o);
	}
	return 0;
}

static const struct kernel_param_ops labvm_alloc_ops = {
	.set = labvm_alloc_set,
};
module_param_cb(alloc, &labvm_alloc_ops, NULL, 0200);
MODULE_PARM_DESC(alloc, "write N: allocate and free N objects");

static int __init labvm_failslab_init(void)
{
	labvm_cache = kmem_cache_create("labvm_failslab",
					sizeof(struct labvm_obj), 0, 0, NULL);
	return labvm_cache ? 0 : -ENOMEM;
}

static void __exit labvm_failslab_exit(void)
{
	kmem_cache_destroy(labvm_cache);
}

module_init(labvm_failslab_init);
module_exit(labvm_failslab_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: failslab on a module's cache");
MODULE_LICENSE("GPL");
