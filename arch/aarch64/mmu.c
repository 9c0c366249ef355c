// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/aarch64/mmu.c - TTBR0, ASIDs, TLB invalidation and I-cache
 * maintenance for user address spaces (see <kf/arch/mmu.h>).
 *
 * Every TLBI takes ASID << 48 | VA[55:12] >> 12 and is framed by the
 * barriers the architecture asks for: dsb ishst so the table walkers see
 * the entry changes before the invalidation, dsb ish so the invalidation
 * is complete on every CPU of the inner-shareable domain, isb so this
 * CPU's later instructions translate anew.
 */
#include <kf/kf.h>
#include <kf/hal/tlb.h>
#include <kf/hal/asid.h>

/* Flushing more pages than this one by one costs more than the ASID. */
#define A64_FLUSH_ALL_THRESHOLD 64

#define MMFR0_ASIDBITS(v)	(((v) >> 4) & 0xf)	/* 2: 16 bits, 0: 8 */
#define TCR_AS			(1ull << 36)
#define CTR_IMINLINE(v)		((v) & 0xf)
#define CTR_L1IP(v)		(((v) >> 14) & 0x3)
#define CTR_DMINLINE(v)		(((v) >> 16) & 0xf)
#define CTR_IDC			(1ull << 28)
#define CTR_DIC			(1ull << 29)
#define L1IP_PIPT		3
#define PAR_F			1ull
#define PAR_PA_MASK		0x0000fffffffff000ull

static struct kf_asid_space a64_asids;
static unsigned a64_asid_bits;		/* 0: untagged */
static kf_paddr_t a64_empty_root;	/* TTBR0 with no user space */
static struct kf_arch_mm *a64_cpu_mm[CONFIG_KF_NR_CPUS];
static unsigned a64_dline, a64_iline;	/* cache line bytes */
static bool a64_idc, a64_dic, a64_ic_pipt;

/* An all-invalid L0 table: walks of TTBR0 with no user space end here. */
static kf_pte_t a64_empty_l0[KF_PT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t a64_read_mmfr0(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(v));
	return v;
}

static uint64_t a64_read_tcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tcr_el1" : "=r"(v));
	return v;
}

static uint64_t a64_read_ctr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(v));
	return v;
}

/* a64_kernel_pa - the physical address of a kernel address, from the MMU
 * itself (AT S1E1R), so the HAL needs no host hook for it. */
static kf_paddr_t a64_kernel_pa(const void *p)
{
	uint64_t par;

	__asm__ volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1"
			 : "=r"(par) : "r"(p) : "memory");
	if (par & PAR_F)
		kf_os_panic("kf_a64_mmu_init: %p is not mapped", p);
	return (par & PAR_PA_MASK) | ((uintptr_t)p & (KF_PAGE_SIZE - 1));
}

void kf_a64_mmu_init(void)
{
	uint64_t ctr = a64_read_ctr();
	unsigned bits = MMFR0_ASIDBITS(a64_read_mmfr0()) == 2 &&
			(a64_read_tcr() & TCR_AS) ? 16 : 8;

	if ((1u << bits) >= CONFIG_KF_NR_CPUS + 2u) {
		kf_asid_space_init(&a64_asids, 1u << bits);
		a64_asid_bits = bits;
	}
	a64_empty_root = a64_kernel_pa(a64_empty_l0);
	a64_dline = 4u << CTR_DMINLINE(ctr);
	a64_iline = 4u << CTR_IMINLINE(ctr);
	a64_idc = ctr & CTR_IDC;
	a64_dic = ctr & CTR_DIC;
	a64_ic_pipt = CTR_L1IP(ctr) == L1IP_PIPT;
}

unsigned kf_a64_asid_bits(void)
{
	return a64_asid_bits;
}

/* The kernel half is TTBR1's: nothing to remember, nothing to copy. */
void kf_arch_set_kernel_root(kf_paddr_t root)
{
	(void)root;
}

void kf_arch_pgd_init(kf_paddr_t root)
{
	(void)root;
}

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	amm->root = root;
	amm->ctx = 0;
	kf_cpumask_zero(&amm->cpus);
}

void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	for (unsigned cpu = 0; cpu < CONFIG_KF_NR_CPUS; cpu++)
		if (__atomic_load_n(&a64_cpu_mm[cpu], __ATOMIC_ACQUIRE) == amm)
			kf_os_panic("kf_arch_mm_fini: %lx still active on CPU %u",
				    (unsigned long)amm->root, cpu);
	amm->root = 0;
}

static void a64_write_ttbr0(uint64_t v)
{
	__asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(v) : "memory");
}

/* Everything this CPU caches, every ASID (a rollover's local flush). */
static void a64_flush_local_all(void)
{
	__asm__ volatile("dsb nshst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb"
			 : : : "memory");
}

/* This CPU's entries of ASID 0, which every address space shares when
 * they run untagged. */
static void a64_flush_local_asid0(void)
{
	__asm__ volatile("dsb nshst\n\ttlbi aside1, xzr\n\tdsb nsh\n\tisb"
			 : : : "memory");
}

/*
 * The CPU joins the set before TTBR0 names the tables; a tagged address
 * space keeps it afterwards (its entries may stay cached under its ASID),
 * an untagged one loses it once the switch flushed them.
 */
void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	unsigned cpu = kf_os_cpu_id();
	struct kf_arch_mm *prev = a64_cpu_mm[cpu];
	uint64_t ttbr = a64_empty_root;
	bool flush = false;

	if (amm) {
		kf_cpumask_set(&amm->cpus, cpu);
		ttbr = amm->root;
		if (a64_asid_bits)
			ttbr |= (uint64_t)kf_asid_activate(&a64_asids, &amm->ctx,
							   cpu, &flush) << 48;
	}
	if (flush)
		a64_flush_local_all();
	if (!a64_asid_bits && prev == amm)
		return;
	a64_write_ttbr0(ttbr);
	if (!a64_asid_bits)
		a64_flush_local_asid0();
	__atomic_store_n(&a64_cpu_mm[cpu], amm, __ATOMIC_RELEASE);
	if (!a64_asid_bits && prev && prev != amm)
		kf_cpumask_clear(&prev->cpus, cpu);
}

void kf_arch_mm_deactivate(struct kf_arch_mm *amm)
{
	if (amm && a64_cpu_mm[kf_os_cpu_id()] == amm)
		kf_arch_mm_activate(NULL);
}

/* The TLBI operand for @va of @amm: ASID[63:48], VA[55:12] in [43:0]. */
static uint64_t a64_tlbi_arg(const struct kf_arch_mm *amm, uintptr_t va)
{
	uint64_t asid = a64_asid_bits ? kf_asid_of(amm->ctx) : 0;

	return asid << 48 | ((va >> KF_PAGE_SHIFT) & 0xfffffffffffull);
}

/* Nothing to flush for an address space no CPU ever ran. */
static bool a64_may_cache(const struct kf_arch_mm *amm)
{
	return !kf_cpumask_empty(&amm->cpus);
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	if (!a64_may_cache(amm))
		return;
	__asm__ volatile("dsb ishst\n\ttlbi vale1is, %0\n\tdsb ish\n\tisb"
			 : : "r"(a64_tlbi_arg(amm, va)) : "memory");
}

void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm)
{
	if (!a64_may_cache(amm))
		return;
	__asm__ volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb"
			 : : "r"(a64_tlbi_arg(amm, 0)) : "memory");
}

/*
 * Per page: vale1is drops the leaf only; with KF_TLB_TABLES the tables
 * above the leaves went too, so vae1is drops the walk caches' entries
 * for each page as well.  Past the threshold the whole ASID goes.
 */
void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end, unsigned flags)
{
	uintptr_t va;

	if (!a64_may_cache(amm) || end <= start)
		return;
	if ((end - start) / KF_PAGE_SIZE > A64_FLUSH_ALL_THRESHOLD) {
		kf_arch_tlb_flush_mm(amm);
		return;
	}
	__asm__ volatile("dsb ishst" : : : "memory");
	for (va = start & KF_PAGE_MASK; va < end; va += KF_PAGE_SIZE) {
		if (flags & KF_TLB_TABLES)
			__asm__ volatile("tlbi vae1is, %0"
					 : : "r"(a64_tlbi_arg(amm, va)) : "memory");
		else
			__asm__ volatile("tlbi vale1is, %0"
					 : : "r"(a64_tlbi_arg(amm, va)) : "memory");
	}
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

/*
 * kf_arch_icache_sync - the kernel wrote frame @pa through its own
 * mapping: clean the data to the point of unification (unless CTR_EL0.IDC
 * says the hardware keeps them coherent), then invalidate the
 * instruction cache for it (unless CTR_EL0.DIC): by address through the
 * kernel alias when the I-cache is PIPT, else the whole I-cache (a VIPT
 * one may hold the lines under the user address's index).  The *is forms
 * and dsb ish reach every CPU that may run @amm.
 */
void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va, kf_paddr_t pa)
{
	uintptr_t kva = (uintptr_t)kf_os_phys_to_virt(pa & KF_PAGE_MASK), p;

	(void)amm;
	(void)va;
	if (!a64_idc) {
		for (p = kva; p < kva + KF_PAGE_SIZE; p += a64_dline)
			__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
	}
	__asm__ volatile("dsb ish" : : : "memory");
	if (!a64_dic) {
		if (a64_ic_pipt) {
			for (p = kva; p < kva + KF_PAGE_SIZE; p += a64_iline)
				__asm__ volatile("ic ivau, %0" : : "r"(p)
						 : "memory");
		} else {
			__asm__ volatile("ic ialluis" : : : "memory");
		}
		__asm__ volatile("dsb ish" : : : "memory");
	}
	__asm__ volatile("isb" : : : "memory");
}
