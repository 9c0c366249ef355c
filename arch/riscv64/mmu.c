// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/riscv64/mmu.c - satp, ASIDs and TLB/I-cache maintenance for user
 * address spaces.  See <kf/arch/mmu.h>.
 */
#include <kf/hal/tlb.h>
#include <kf/hal/asid.h>

/* Flushing more pages than this one by one costs more than the whole ASID. */
#define RV_FLUSH_ALL_THRESHOLD 32

static kf_paddr_t rv_kernel_root;
static struct kf_arch_mm *rv_cpu_mm[CONFIG_KF_NR_CPUS];	/* in satp */
static struct kf_asid_space rv_asids;
static bool rv_tagged;		/* ASIDs in use */

static inline uint64_t rv_read_satp(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, satp" : "=r"(v));
	return v;
}

static inline void rv_write_satp(uint64_t v)
{
	__asm__ volatile("csrw satp, %0" : : "r"(v) : "memory");
}

/* Order the page-table stores before the walker's reads, then drop. */
static inline void rv_sfence_page(uintptr_t va, unsigned long asid)
{
	__asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"(asid) : "memory");
}

static inline void rv_sfence_asid(unsigned long asid)
{
	__asm__ volatile("sfence.vma zero, %0" : : "r"(asid) : "memory");
}

static inline void rv_sfence_all(void)
{
	__asm__ volatile("sfence.vma" : : : "memory");
}

/*
 * The ASID field is WARL: write all ones with the kernel root and see
 * which bits stay (the kernel's entries are global, so the ASID in use
 * does not matter to them).  Fewer ASIDs than CPUs + 2 cannot guarantee
 * a free one after a rollover: run untagged then.
 */
unsigned kf_rv_mmu_init(bool use_asids)
{
	uint64_t old = rv_read_satp(), got;
	unsigned bits = 0, nr;

	rv_write_satp(old | KF_RV_SATP_ASID_MASK << KF_RV_SATP_ASID_SHIFT);
	got = rv_read_satp() >> KF_RV_SATP_ASID_SHIFT & KF_RV_SATP_ASID_MASK;
	rv_write_satp(old);
	rv_sfence_all();
	while (bits < 16 && (got >> bits & 1))
		bits++;
	nr = 1u << bits;
	if (!use_asids || bits == 0 || nr < CONFIG_KF_NR_CPUS + 2u)
		return 0;
	kf_asid_space_init(&rv_asids, nr);
	rv_tagged = true;
	return nr;
}

void kf_arch_set_kernel_root(kf_paddr_t root)
{
	rv_kernel_root = root;
}

/* The kernel root's upper half: global mappings under tables that are
 * never freed (Sv39: entries 256..511; Sv48: the same, of which only 511
 * is in use). */
void kf_arch_pgd_init(kf_paddr_t root)
{
	kf_pte_t *dst = kf_os_phys_to_virt(root);
	const kf_pte_t *src;
	unsigned i;

	if (!rv_kernel_root)
		return;
	src = kf_os_phys_to_virt(rv_kernel_root);
	for (i = KF_PT_ENTRIES / 2; i < KF_PT_ENTRIES; i++)
		dst[i] = src[i];
}

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	amm->root = root;
	kf_cpumask_zero(&amm->cpus);
	amm->ctx = 0;
}

/* On a tagged TLB the dead space stays in the sets of the CPUs that ran
 * it; only the CPU's current space matters here. */
void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	for (unsigned cpu = 0; cpu < CONFIG_KF_NR_CPUS; cpu++)
		if (rv_cpu_mm[cpu] == amm)
			kf_os_panic("kf_arch_mm_fini: %lx active on CPU %u",
				    (unsigned long)amm->root, cpu);
	amm->root = 0;
}

/*
 * The CPU joins the new set before satp is written.  Tagged: the ASID
 * allocator says when this hart must flush everything (a rollover), and
 * the old space keeps the CPU in its set (its entries may stay cached).
 * Untagged: every space is ASID 0, so the switch flushes everything and
 * the old space leaves the set.
 */
void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	unsigned cpu = kf_os_cpu_id();
	struct kf_arch_mm *prev = rv_cpu_mm[cpu];
	kf_paddr_t root = amm ? amm->root : rv_kernel_root;
	bool flush = false;
	unsigned asid = 0;

	if (amm) {
		kf_cpumask_set(&amm->cpus, cpu);
		if (rv_tagged)
			asid = kf_asid_activate(&rv_asids, &amm->ctx, cpu, &flush);
	}
	if (root && rv_read_satp() != kf_rv_satp(root, asid)) {
		rv_write_satp(kf_rv_satp(root, asid));
		if (!rv_tagged)
			flush = true;
	}
	if (flush)
		rv_sfence_all();
	rv_cpu_mm[cpu] = amm;
	if (!rv_tagged && prev && prev != amm)
		kf_cpumask_clear(&prev->cpus, cpu);
}

void kf_arch_mm_deactivate(struct kf_arch_mm *amm)
{
	if (amm && rv_cpu_mm[kf_os_cpu_id()] == amm)
		kf_arch_mm_activate(NULL);
}

/*
 * rv_flush_here - does this CPU hold @amm?  Any other CPU in the set
 * would need an SBI remote fence, which this uniprocessor HAL lacks:
 * refuse loudly instead of leaving its TLB stale.
 */
static bool rv_flush_here(const struct kf_arch_mm *amm)
{
	int other;
	bool here = kf_cpumask_split(&amm->cpus, kf_os_cpu_id(), &other);

	if (other >= 0)
		kf_os_panic("riscv64: a flush needs a remote fence (CPU %d)", other);
	return here;
}

/* The ASID @amm's entries carry: an old generation's number is harmless
 * to flush (at worst another space loses entries it can refetch). */
static unsigned long rv_asid(const struct kf_arch_mm *amm)
{
	return rv_tagged ? kf_asid_of(__atomic_load_n(&amm->ctx,
						      __ATOMIC_ACQUIRE)) : 0;
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	if (rv_flush_here(amm))
		rv_sfence_page(va & KF_PAGE_MASK, rv_asid(amm));
}

void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end, unsigned flags)
{
	unsigned long asid;
	uintptr_t va;

	if (!rv_flush_here(amm))
		return;
	asid = rv_asid(amm);
	if ((flags & KF_TLB_TABLES) ||
	    (end - start) / KF_PAGE_SIZE > RV_FLUSH_ALL_THRESHOLD) {
		rv_sfence_asid(asid);
		return;
	}
	for (va = start & KF_PAGE_MASK; va < end; va += KF_PAGE_SIZE)
		rv_sfence_page(va, asid);
}

void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm)
{
	if (rv_flush_here(amm))
		rv_sfence_asid(rv_asid(amm));
}

/*
 * fence.i makes this hart's instruction fetches see its earlier stores
 * (the kernel wrote the frame through its direct map, which is the same
 * memory).  A hart in the set other than this one would need a remote
 * fence.i; rv_flush_here refuses that case.
 */
void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va, kf_paddr_t pa)
{
	(void)va;
	(void)pa;
	rv_flush_here(amm);
	__asm__ volatile("fence.i" : : : "memory");
}
