/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/pte_aarch64.h - AArch64 stage-1 descriptors, 4 KiB granule,
 * 4 levels (48-bit VA, TTBR0 for user space).
 *
 * Included through <kf/hal/pte.h> only (it defines KF_PROT_* first).
 * Tables (L0-L2): 0b11 | next-level address.
 * Pages (L3):     0b11 | AttrIndx 0 (normal WB) | SH inner shareable | AF,
 *                 AP[7:6] 01 = EL0 RW, 11 = EL0 RO (00/10 for kernel pages),
 *                 user pages: nG, PXN always, UXN unless executable;
 *                 kernel pages: UXN always, PXN unless executable.
 * AF is always set by software: cores without hardware AF (cortex-a72)
 * would otherwise take an access-flag fault on first touch.
 * A PROT_NONE frame is kept in an invalid descriptor (bit 0 clear) tagged
 * with the software bit 55.  The empty slot is always 0.
 */
#ifndef KF_ARCH_PTE_AARCH64_H
#define KF_ARCH_PTE_AARCH64_H

#ifndef KF_HAL_PTE_H
#error "include <kf/hal/pte.h>, not an arch PTE header"
#endif

#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_os.h>

#define KF_PAGE_SHIFT    12
#define KF_PT_LEVELS     4
#define KF_PT_INDEX_BITS 9
#define KF_USER_VA_END   0x0001000000000000ul
#define KF_TASK_SIZE     KF_USER_VA_END	/* Linux: 1 << VA_BITS (48) */
#define KF_ARCH_PTE_NAME "aarch64"

typedef uint64_t kf_pte_t;

#define KF_A64_VALID    (1ull << 0)
#define KF_A64_TYPE     (1ull << 1)	/* table (L0-L2) or page (L3) */
#define KF_A64_ATTR0    (0ull << 2)	/* AttrIndx 0: MAIR Attr0, normal WB */
#define KF_A64_AP_EL0   (1ull << 6)	/* AP[1]: EL0 may access */
#define KF_A64_AP_RO    (1ull << 7)	/* AP[2]: read-only */
#define KF_A64_SH_IS    (3ull << 8)
#define KF_A64_AF       (1ull << 10)
#define KF_A64_NG       (1ull << 11)
#define KF_A64_PXN      (1ull << 53)
#define KF_A64_UXN      (1ull << 54)
#define KF_A64_PROTNONE (1ull << 55)	/* software bit (58:55 are ignored) */
#define KF_A64_OA_MASK  0x0000fffffffff000ull	/* bits 47:12 */

static inline kf_pte_t kf_arch_pte_mk_table(kf_paddr_t table)
{
	return (table & KF_A64_OA_MASK) | KF_A64_VALID | KF_A64_TYPE;
}

/* Write or execute imply read. */
static inline kf_pte_t kf_arch_pte_mk_page(kf_paddr_t pa, unsigned prot)
{
	kf_pte_t e = (pa & KF_A64_OA_MASK) | KF_A64_TYPE | KF_A64_ATTR0 |
		     KF_A64_SH_IS | KF_A64_AF;
	bool exec = (prot & KF_PROT_EXEC) != 0;

	if (!(prot & KF_PROT_WRITE))
		e |= KF_A64_AP_RO;
	if (prot & KF_PROT_USER)
		e |= KF_A64_AP_EL0 | KF_A64_NG | KF_A64_PXN |
		     (exec ? 0 : KF_A64_UXN);
	else
		e |= KF_A64_UXN | (exec ? 0 : KF_A64_PXN);
	if (!(prot & (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)))
		return e | KF_A64_PROTNONE;
	return e | KF_A64_VALID;
}

static inline bool kf_arch_pte_present(kf_pte_t e)
{
	return (e & KF_A64_VALID) != 0;
}

static inline bool kf_arch_pte_is_table(kf_pte_t e, int level)
{
	(void)level;
	return (e & (KF_A64_VALID | KF_A64_TYPE)) == (KF_A64_VALID | KF_A64_TYPE);
}

static inline kf_paddr_t kf_arch_pte_pa(kf_pte_t e)
{
	return e & KF_A64_OA_MASK;
}

static inline unsigned kf_arch_pte_prot(kf_pte_t e)
{
	bool user = (e & KF_A64_AP_EL0) != 0;
	unsigned p;

	if (!(e & (KF_A64_VALID | KF_A64_PROTNONE)))
		return 0;
	p = user ? KF_PROT_USER : 0;
	if (!(e & KF_A64_VALID))
		return p;
	p |= KF_PROT_READ;
	if (!(e & KF_A64_AP_RO))
		p |= KF_PROT_WRITE;
	if (!(e & (user ? KF_A64_UXN : KF_A64_PXN)))
		p |= KF_PROT_EXEC;
	return p;
}

static inline kf_pte_t kf_arch_pte_wrprotect(kf_pte_t e)
{
	return e | KF_A64_AP_RO;
}

/* Only meaningful on a present leaf. */
static inline kf_pte_t kf_arch_pte_mkwrite(kf_pte_t e)
{
	return e & ~KF_A64_AP_RO;
}

#endif /* KF_ARCH_PTE_AARCH64_H */
