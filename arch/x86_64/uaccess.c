// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/x86_64/uaccess.c - user copies and the SMAP instruction patching
 * (see <kf/arch/uaccess.h> and uaccess.S; the fixup is hal/extable.c's).
 */
#include <kf/hal/uaccess.h>

size_t kf_x86_copy_raw(void *dst, const void *src, size_t n);

extern uint64_t __kf_smap_stac_start[], __kf_smap_stac_end[];
extern uint64_t __kf_smap_clac_start[], __kf_smap_clac_end[];

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n)
{
	if (!kf_user_range_ok(src, n))
		return n;
	return kf_x86_copy_raw(dst, (const void *)src, n);
}

size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	if (!kf_user_range_ok(dst, n))
		return n;
	return kf_x86_copy_raw((void *)dst, src, n);
}

static void x86_patch(uint64_t *start, uint64_t *end, uint8_t modrm)
{
	uint64_t *site;

	for (site = start; site < end; site++) {
		volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)*site;

		p[0] = 0x0f;
		p[1] = 0x01;
		p[2] = modrm;
	}
}

/* Code is patched before any of it runs with user pointers; the serialising
 * CR4 write that enables SMAP follows, so no stale decode survives. */
void kf_x86_smap_patch(void)
{
	x86_patch(__kf_smap_stac_start, __kf_smap_stac_end, 0xcb);
	x86_patch(__kf_smap_clac_start, __kf_smap_clac_end, 0xca);
}
