/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/pte_riscv64.h - RISC-V Sv39 (3 levels, default) or Sv48 (4
 * levels, CONFIG_KF_RISCV_SV48) page-table entries.
 *
 * Included through <kf/hal/pte.h> only (it defines KF_PROT_* first).
 * Non-leaf: V only (R=W=X=0, A/D/U clear as the spec asks).
 * Leaf:     V | R | A, W|D when writable, X when executable, U for user.
 * A and D are set by software: Svade cores fault instead of setting them.
 * A PROT_NONE frame is kept with V clear and the RSW bit 8 set.  The empty
 * slot is always 0.
 */
#ifndef KF_ARCH_PTE_RISCV64_H
#define KF_ARCH_PTE_RISCV64_H

#ifndef KF_HAL_PTE_H
#error "include <kf/hal/pte.h>, not an arch PTE header"
#endif

#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_config.h>
#include <kf/kf_os.h>

#define KF_PAGE_SHIFT    12
#define KF_PT_INDEX_BITS 9
/* KF_PTE_RISCV_FORCE_SV48: the host tests run both modes in one config. */
#if CONFIG_KF_RISCV_SV48 || defined(KF_PTE_RISCV_FORCE_SV48)
#define KF_PT_LEVELS     4
#define KF_USER_VA_END   0x0000800000000000ul
#define KF_ARCH_PTE_NAME "riscv64-sv48"
#else
#define KF_PT_LEVELS     3
#define KF_USER_VA_END   0x0000004000000000ul
#define KF_ARCH_PTE_NAME "riscv64-sv39"
#endif
/* Linux's TASK_SIZE: the lower half of the VA space (1 << 38 or 1 << 47). */
#define KF_TASK_SIZE     KF_USER_VA_END

typedef uint64_t kf_pte_t;

#define KF_RV_V        (1ull << 0)
#define KF_RV_R        (1ull << 1)
#define KF_RV_W        (1ull << 2)
#define KF_RV_X        (1ull << 3)
#define KF_RV_U        (1ull << 4)
#define KF_RV_G        (1ull << 5)
#define KF_RV_A        (1ull << 6)
#define KF_RV_D        (1ull << 7)
#define KF_RV_PROTNONE (1ull << 8)	/* RSW: reserved for software */
#define KF_RV_PPN_SHIFT 10
#define KF_RV_PPN_MASK (((1ull << 44) - 1) << KF_RV_PPN_SHIFT)	/* 53:10 */

static inline kf_pte_t kf_rv_ppn(kf_paddr_t pa)
{
	return ((pa >> 12) << KF_RV_PPN_SHIFT) & KF_RV_PPN_MASK;
}

static inline kf_pte_t kf_arch_pte_mk_table(kf_paddr_t table)
{
	return kf_rv_ppn(table) | KF_RV_V;
}

/* Write or execute imply read (W without R is reserved). */
static inline kf_pte_t kf_arch_pte_mk_page(kf_paddr_t pa, unsigned prot)
{
	kf_pte_t e = kf_rv_ppn(pa) | KF_RV_A;

	if (prot & KF_PROT_USER)
		e |= KF_RV_U;
	if (!(prot & (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)))
		return e | KF_RV_PROTNONE;
	e |= KF_RV_V | KF_RV_R;
	if (prot & KF_PROT_WRITE)
		e |= KF_RV_W | KF_RV_D;
	if (prot & KF_PROT_EXEC)
		e |= KF_RV_X;
	return e;
}

static inline bool kf_arch_pte_present(kf_pte_t e)
{
	return (e & KF_RV_V) != 0;
}

static inline bool kf_arch_pte_is_table(kf_pte_t e, int level)
{
	(void)level;
	return (e & (KF_RV_V | KF_RV_R | KF_RV_W | KF_RV_X)) == KF_RV_V;
}

static inline kf_paddr_t kf_arch_pte_pa(kf_pte_t e)
{
	return ((e & KF_RV_PPN_MASK) >> KF_RV_PPN_SHIFT) << 12;
}

static inline unsigned kf_arch_pte_prot(kf_pte_t e)
{
	unsigned p = 0;

	if (!(e & (KF_RV_V | KF_RV_PROTNONE)))
		return 0;
	if (e & KF_RV_U)
		p |= KF_PROT_USER;
	if (!(e & KF_RV_V))
		return p;
	if (e & KF_RV_R)
		p |= KF_PROT_READ;
	if (e & KF_RV_W)
		p |= KF_PROT_WRITE;
	if (e & KF_RV_X)
		p |= KF_PROT_EXEC;
	return p;
}

static inline kf_pte_t kf_arch_pte_wrprotect(kf_pte_t e)
{
	return e & ~KF_RV_W;
}

/* Only meaningful on a present leaf. */
static inline kf_pte_t kf_arch_pte_mkwrite(kf_pte_t e)
{
	return e | KF_RV_W | KF_RV_D;
}

#endif /* KF_ARCH_PTE_RISCV64_H */
