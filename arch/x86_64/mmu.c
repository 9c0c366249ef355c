// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/x86_64/mmu.c - CR3 and TLB maintenance for user address spaces.
 * See <kf/arch/mmu.h>: no PCID (TCG has none), one CPU, and every user
 * root carries a copy of the kernel's upper half.
 */
#include <kf/hal/tlb.h>

/* Flushing more pages than this one by one costs more than a CR3 reload. */
#define X86_FLUSH_ALL_THRESHOLD 32

static kf_paddr_t x86_kernel_root;

static inline kf_paddr_t x86_read_cr3(void)
{
	kf_paddr_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v & KF_X86_PA_MASK;
}

static inline void x86_write_cr3(kf_paddr_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void x86_invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void kf_x86_set_kernel_root(kf_paddr_t root)
{
	x86_kernel_root = root;
}

kf_paddr_t kf_x86_kernel_root(void)
{
	return x86_kernel_root;
}

/* Only the loaded address space can have cached translations (no PCID). */
static bool x86_mm_loaded(const struct kf_arch_mm *amm)
{
	return amm && amm->root && x86_read_cr3() == amm->root;
}

/* kf_arch_mm_init - bind @root and give it the kernel half (PML4 slots
 * 256..511 point at the kernel's own, never-freed, tables). */
void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	kf_pte_t *dst = kf_os_phys_to_virt(root);
	const kf_pte_t *src;
	unsigned i;

	amm->root = root;
	if (!x86_kernel_root)
		return;
	src = kf_os_phys_to_virt(x86_kernel_root);
	for (i = KF_PT_ENTRIES / 2; i < KF_PT_ENTRIES; i++)
		dst[i] = src[i];
}

/* The address space is dead: never leave it loaded. */
void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	if (x86_mm_loaded(amm))
		x86_write_cr3(x86_kernel_root);
	amm->root = 0;
}

void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	kf_paddr_t root = amm ? amm->root : x86_kernel_root;

	if (root && x86_read_cr3() != root)
		x86_write_cr3(root);
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	if (x86_mm_loaded(amm))
		x86_invlpg(va);
}

void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end)
{
	uintptr_t va;

	if (!x86_mm_loaded(amm))
		return;
	if ((end - start) / KF_PAGE_SIZE > X86_FLUSH_ALL_THRESHOLD) {
		x86_write_cr3(amm->root);
		return;
	}
	for (va = start & KF_PAGE_MASK; va < end; va += KF_PAGE_SIZE)
		x86_invlpg(va);
}

void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm)
{
	if (x86_mm_loaded(amm))
		x86_write_cr3(amm->root);
}
