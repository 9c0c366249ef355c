/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hal/extable.c - the exception table every arch's user copies use (see
 * <kf/hal/uaccess.h>).  A linear search: the table holds a handful of
 * entries (the copy loops), and it is searched only on a kernel-mode fault.
 */
#include <kf/hal/uaccess.h>

extern const struct kf_extable __kf_extable_start[], __kf_extable_end[];

uintptr_t kf_extable_search(uintptr_t pc)
{
	const struct kf_extable *e;

	for (e = __kf_extable_start; e < __kf_extable_end; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

bool kf_uaccess_fixup(struct kf_arch_regs *r)
{
	uintptr_t fixup = kf_extable_search(kf_arch_regs_pc(r));

	if (!fixup)
		return false;
	kf_arch_regs_set_pc(r, fixup);
	return true;
}
