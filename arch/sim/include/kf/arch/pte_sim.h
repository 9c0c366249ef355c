/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/pte_sim.h - arch/sim's own page-table format: 4 levels of 512
 * entries over 4 KiB pages, deliberately unlike every real arch so that
 * code assuming one layout breaks in the host tests:
 *
 *   63          24 23     16 15       8 7 6  5  4  3  2 1 0
 *  +--------------+---------+----------+-+--+--+--+--+-+-+-+
 *  | PFN (pa>>12) |    0    | sig 0x5a |0|PN|XN|RO|NU|T|V|0|
 *  +--------------+---------+----------+-+--+--+--+--+-+-+-+
 *
 *  - the frame number sits in the HIGH bits (pa & ~0xfff is wrong here);
 *  - bit 0 is never set (it is not "present"), V is bit 1;
 *  - write and user are inverted: RO set = read-only, NU set = kernel only;
 *  - T marks a table entry, a leaf has T clear;
 *  - PN (software) keeps the frame of a PROT_NONE page with V clear;
 *  - every non-empty entry carries the signature 0x5a in bits 15:8, and an
 *    entry without it is not present: a hand-made or stray value faults.
 * Included through <kf/hal/pte.h> only.  The empty slot is always 0.
 */
#ifndef KF_ARCH_PTE_SIM_H
#define KF_ARCH_PTE_SIM_H

#ifndef KF_HAL_PTE_H
#error "include <kf/hal/pte.h>, not an arch PTE header"
#endif

#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_os.h>

#define KF_PAGE_SHIFT    12
#define KF_PT_LEVELS     4
#define KF_PT_INDEX_BITS 9
#define KF_USER_VA_END   0x0000800000000000ul
#define KF_TASK_SIZE     KF_USER_VA_END
#define KF_ARCH_PTE_NAME "sim"

typedef uint64_t kf_pte_t;

#define KF_SIM_V        (1ull << 1)
#define KF_SIM_T        (1ull << 2)
#define KF_SIM_NU       (1ull << 3)
#define KF_SIM_RO       (1ull << 4)
#define KF_SIM_XN       (1ull << 5)
#define KF_SIM_PN       (1ull << 6)
#define KF_SIM_SIG      (0x5aull << 8)
#define KF_SIM_SIG_MASK (0xffull << 8)
#define KF_SIM_PFN_SHIFT 24

static inline bool kf_sim_pte_signed(kf_pte_t e)
{
	return (e & KF_SIM_SIG_MASK) == KF_SIM_SIG;
}

static inline kf_pte_t kf_sim_pte_frame(kf_paddr_t pa)
{
	return (pa >> 12) << KF_SIM_PFN_SHIFT;
}

static inline kf_pte_t kf_arch_pte_mk_table(kf_paddr_t table)
{
	return kf_sim_pte_frame(table) | KF_SIM_SIG | KF_SIM_T | KF_SIM_V;
}

/* Write or execute imply read. */
static inline kf_pte_t kf_arch_pte_mk_page(kf_paddr_t pa, unsigned prot)
{
	kf_pte_t e = kf_sim_pte_frame(pa) | KF_SIM_SIG;

	if (!(prot & KF_PROT_USER))
		e |= KF_SIM_NU;
	if (!(prot & (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)))
		return e | KF_SIM_PN | KF_SIM_RO | KF_SIM_XN;
	if (!(prot & KF_PROT_WRITE))
		e |= KF_SIM_RO;
	if (!(prot & KF_PROT_EXEC))
		e |= KF_SIM_XN;
	return e | KF_SIM_V;
}

static inline bool kf_arch_pte_present(kf_pte_t e)
{
	return (e & KF_SIM_V) && kf_sim_pte_signed(e);
}

static inline bool kf_arch_pte_is_table(kf_pte_t e, int level)
{
	(void)level;
	return kf_arch_pte_present(e) && (e & KF_SIM_T);
}

static inline kf_paddr_t kf_arch_pte_pa(kf_pte_t e)
{
	return (e >> KF_SIM_PFN_SHIFT) << 12;
}

static inline unsigned kf_arch_pte_prot(kf_pte_t e)
{
	unsigned p = 0;

	if (!kf_sim_pte_signed(e) || !(e & (KF_SIM_V | KF_SIM_PN)))
		return 0;
	if (!(e & KF_SIM_NU))
		p |= KF_PROT_USER;
	if (!(e & KF_SIM_V))
		return p;
	p |= KF_PROT_READ;
	if (!(e & KF_SIM_RO))
		p |= KF_PROT_WRITE;
	if (!(e & KF_SIM_XN))
		p |= KF_PROT_EXEC;
	return p;
}

static inline kf_pte_t kf_arch_pte_wrprotect(kf_pte_t e)
{
	return e | KF_SIM_RO;
}

/* Only meaningful on a present leaf. */
static inline kf_pte_t kf_arch_pte_mkwrite(kf_pte_t e)
{
	return e & ~KF_SIM_RO;
}

#endif /* KF_ARCH_PTE_SIM_H */
