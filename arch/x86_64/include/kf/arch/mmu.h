/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (x86_64) - address-space contexts and TLB maintenance.
 * The contract is in <kf/hal/tlb.h>.
 *
 * No PCID: QEMU's TCG has none, so switching CR3 drops every non-global
 * translation and an address space that is not loaded has nothing cached.
 * Each user root shares the kernel half (PML4 entries 256..511) with the
 * kernel's own root, which the host names once at boot with
 * kf_x86_set_kernel_root(); the kernel never adds PML4 entries after that,
 * so the copies stay valid.  Single CPU: no shootdown IPIs yet.
 */
#ifndef KF_ARCH_X86_64_MMU_H
#define KF_ARCH_X86_64_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>

struct kf_arch_mm {
	kf_paddr_t root;	/* PML4 frame */
};

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root);
void kf_arch_mm_fini(struct kf_arch_mm *amm);
/* @amm may be NULL: run on the kernel's root (no user mappings). */
void kf_arch_mm_activate(struct kf_arch_mm *amm);
void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va);
void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end);
void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm);

/* kf_x86_set_kernel_root - the PML4 whose upper half every user root
 * copies (set once, before the first kf_arch_mm_init). */
void kf_x86_set_kernel_root(kf_paddr_t root);
kf_paddr_t kf_x86_kernel_root(void);

#endif /* KF_ARCH_X86_64_MMU_H */
