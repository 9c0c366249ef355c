// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/aarch64/uaccess.c - the user copies' range checks (see
 * <kf/arch/uaccess.h> and uaccess.S; the fixup is hal/extable.c's).
 */
#include <kf/hal/uaccess.h>

size_t kf_a64_copy_from_user_raw(void *dst, uintptr_t src, size_t n);
size_t kf_a64_copy_to_user_raw(uintptr_t dst, const void *src, size_t n);

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n)
{
	if (!kf_user_range_ok(src, n))
		return n;
	return kf_a64_copy_from_user_raw(dst, src, n);
}

size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	if (!kf_user_range_ok(dst, n))
		return n;
	return kf_a64_copy_to_user_raw(dst, src, n);
}
