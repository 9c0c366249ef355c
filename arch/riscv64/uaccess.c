// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/riscv64/uaccess.c - user copies: the range check, then the copy
 * loop of uaccess.S (SUM open only inside it; the fixup is hal/extable.c's).
 */
#include <kf/hal/uaccess.h>

size_t kf_rv_copy_raw(void *dst, const void *src, size_t n);

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n)
{
	if (!kf_user_range_ok(src, n))
		return n;
	return kf_rv_copy_raw(dst, (const void *)src, n);
}

size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	if (!kf_user_range_ok(dst, n))
		return n;
	return kf_rv_copy_raw((void *)dst, src, n);
}
