// SPDX-License-Identifier: GPL-2.0
/*
 * Deletes a list entry twice at load: DEBUG_LIST reports the list_del
 * corruption (the poisoned pointers of the first deletion).
 */
#include <linux/module.h>
#include <linux/list.h>

struct labvm_item {
	struct list_head node;
};

static LIST_HEAD(labvm_list);
static struct labvm_item labvm_item;

static int __init labvm_listdel_init(void)
{
	list_add(&labvm_item.node, &labvm_list);
	list_del(&labvm_item.node);
	list_del(&labvm_item.node);
	return 0;
}

static void __exit labvm_listdel_exit(void)
{
}

module_init(labvm_listdel_init);
module_exit(labvm_listdel_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: a double list_del (DEBUG_LIST)");
MODULE_LICENSE("GPL");
