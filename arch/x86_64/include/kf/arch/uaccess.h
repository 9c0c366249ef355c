/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/uaccess.h (x86_64) - user copies.  The contract, with the
 * exception-table fixup every host applies, is in <kf/hal/uaccess.h>.
 *
 * The copies run `rep movsb` between stac and clac (patched in at boot only
 * when the CPU has SMAP: kf_x86_smap_patch).  The range check keeps kernel
 * addresses out: the highest user page is excluded (KF_TASK_SIZE), as on
 * Linux, so a sysret can never land on a non-canonical address.
 *
 * Linker symbols the host provides besides the exception table's:
 * __kf_smap_stac_start/end and __kf_smap_clac_start/end around the
 * sections "__kf_smap_stac" and "__kf_smap_clac" (tables of the 3-byte
 * placeholders to patch; <kf/arch/smap.inc> emits them).
 */
#ifndef KF_ARCH_X86_64_UACCESS_H
#define KF_ARCH_X86_64_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);

/* kf_x86_smap_patch - turn the stac/clac placeholders into the real
 * instructions; call once at boot, before CR4.SMAP is set, when CPUID
 * reports SMAP. */
void kf_x86_smap_patch(void);

#endif /* KF_ARCH_X86_64_UACCESS_H */
