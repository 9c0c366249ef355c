/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/uaccess.h (x86_64) - user copies with fault fixup.  The contract
 * is in <kf/hal/uaccess.h>.
 *
 * The copies run `rep movsb` between stac and clac (patched in at boot only
 * when the CPU has SMAP).  A fault inside them is first offered to the page
 * fault path (demand-zero, copy-on-write); one it cannot resolve resumes at
 * the fixup, which returns the bytes left.  The range check keeps kernel
 * addresses out: the highest user page is excluded, as on Linux, so a
 * sysret can never land on a non-canonical address.
 */
#ifndef KF_ARCH_X86_64_UACCESS_H
#define KF_ARCH_X86_64_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define KF_X86_USER_TOP 0x00007ffffffff000ul	/* Linux's TASK_SIZE_MAX */

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);

static inline bool kf_arch_user_range_ok(uintptr_t addr, size_t n)
{
	return addr <= KF_X86_USER_TOP && n <= KF_X86_USER_TOP - addr;
}

struct kf_arch_regs;

/*
 * kf_x86_uaccess_fixup - the trap handler's question for a kernel-mode
 * fault at @r->rip: if it is a user-copy instruction, point @r->rip at its
 * fixup and return true.
 */
bool kf_x86_uaccess_fixup(struct kf_arch_regs *r);

/* kf_x86_smap_patch - turn the stac/clac placeholders into the real
 * instructions; call once at boot when CPUID reports SMAP. */
void kf_x86_smap_patch(void);

#endif /* KF_ARCH_X86_64_UACCESS_H */
