// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/x86_64/mmu.c - CR3 and TLB maintenance for user address spaces.
 * See <kf/arch/mmu.h>: no PCID, and every user root carries a copy of the
 * kernel's upper half.
 */
#include <kf/hal/tlb.h>

/* Flushing more pages than this one by one costs more than a CR3 reload. */
#define X86_FLUSH_ALL_THRESHOLD 32

static kf_paddr_t x86_kernel_root;
static struct kf_arch_mm *x86_cpu_mm[CONFIG_KF_NR_CPUS];	/* in CR3 */

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

/* invlpg also drops the paging-structure caches, so it serves the
 * KF_TLB_TABLES flushes too. */
static inline void x86_invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void kf_arch_set_kernel_root(kf_paddr_t root)
{
	x86_kernel_root = root;
}

/* PML4 slots 256..511 point at the kernel's own, never-freed, tables. */
void kf_arch_pgd_init(kf_paddr_t root)
{
	kf_pte_t *dst = kf_os_phys_to_virt(root);
	const kf_pte_t *src;
	unsigned i;

	if (!x86_kernel_root)
		return;
	src = kf_os_phys_to_virt(x86_kernel_root);
	for (i = KF_PT_ENTRIES / 2; i < KF_PT_ENTRIES; i++)
		dst[i] = src[i];
}

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	amm->root = root;
	kf_cpumask_zero(&amm->cpus);
}

void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	if (!kf_cpumask_empty(&amm->cpus))
		kf_os_panic("kf_arch_mm_fini: %lx still active",
			    (unsigned long)amm->root);
	amm->root = 0;
}

/*
 * The CPU joins the new set before CR3 is loaded, so a flush that reads
 * the set afterwards cannot miss a CPU walking the tables, and leaves the
 * old set only after: the CR3 write dropped the old entries.
 */
void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	unsigned cpu = kf_os_cpu_id();
	struct kf_arch_mm *prev = x86_cpu_mm[cpu];
	kf_paddr_t root = amm ? amm->root : x86_kernel_root;

	if (amm)
		kf_cpumask_set(&amm->cpus, cpu);
	if (root && x86_read_cr3() != root)
		x86_write_cr3(root);
	x86_cpu_mm[cpu] = amm;
	if (prev && prev != amm)
		kf_cpumask_clear(&prev->cpus, cpu);
}

void kf_arch_mm_deactivate(struct kf_arch_mm *amm)
{
	if (amm && x86_cpu_mm[kf_os_cpu_id()] == amm)
		kf_arch_mm_activate(NULL);
}

/*
 * x86_flush_here - does this CPU hold @amm?  Any other CPU in the set
 * would need a shootdown, which this uniprocessor HAL lacks: refuse
 * loudly instead of leaving its TLB stale.
 */
static bool x86_flush_here(const struct kf_arch_mm *amm)
{
	int other;
	bool here = kf_cpumask_split(&amm->cpus, kf_os_cpu_id(), &other);

	if (other >= 0)
		kf_os_panic("x86: a flush needs a shootdown (CPU %d)", other);
	return here;
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	if (x86_flush_here(amm))
		x86_invlpg(va);
}

void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end, unsigned flags)
{
	uintptr_t va;

	(void)flags;
	if (!x86_flush_here(amm))
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
	if (x86_flush_here(amm))
		x86_write_cr3(amm->root);
}
