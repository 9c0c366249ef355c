/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/pte_x86_64.h - x86_64 4-level paging entries (4 KiB pages).
 *
 * Included through <kf/hal/pte.h> only (it defines KF_PROT_* first).
 * Leaves:  P | US | A, RW|D when writable, NX unless executable.
 * Tables:  P | RW | US (the leaf decides the final permissions; US must be
 *          set at every level for user pages).
 * A frame mapped with no access (PROT_NONE) keeps its frame in an entry with
 * P clear and the software bit KF_X86_PROTNONE set, so the hardware faults
 * and mm can still find and free the frame.  The empty slot is always 0.
 */
#ifndef KF_ARCH_PTE_X86_64_H
#define KF_ARCH_PTE_X86_64_H

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
/* Linux's TASK_SIZE_MAX: the last page below the canonical hole is never
 * user memory (a sysret to the hole's edge would fault in the kernel). */
#define KF_TASK_SIZE     0x00007ffffffff000ul
#define KF_ARCH_PTE_NAME "x86_64"

typedef uint64_t kf_pte_t;

#define KF_X86_P        (1ull << 0)
#define KF_X86_RW       (1ull << 1)
#define KF_X86_US       (1ull << 2)
#define KF_X86_A        (1ull << 5)
#define KF_X86_D        (1ull << 6)
#define KF_X86_PS       (1ull << 7)
#define KF_X86_PROTNONE (1ull << 9)	/* software ("available") bit */
#define KF_X86_NX       (1ull << 63)
#define KF_X86_PA_MASK  0x000ffffffffff000ull	/* bits 51:12 */

static inline kf_pte_t kf_arch_pte_mk_table(kf_paddr_t table)
{
	return (table & KF_X86_PA_MASK) | KF_X86_P | KF_X86_RW | KF_X86_US;
}

/* Write or execute imply read, as on the hardware. */
static inline kf_pte_t kf_arch_pte_mk_page(kf_paddr_t pa, unsigned prot)
{
	kf_pte_t e = (pa & KF_X86_PA_MASK) | KF_X86_A;

	if (prot & KF_PROT_USER)
		e |= KF_X86_US;
	if (!(prot & (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)))
		return e | KF_X86_PROTNONE;
	e |= KF_X86_P;
	if (prot & KF_PROT_WRITE)
		e |= KF_X86_RW | KF_X86_D;
	if (!(prot & KF_PROT_EXEC))
		e |= KF_X86_NX;
	return e;
}

static inline bool kf_arch_pte_present(kf_pte_t e)
{
	return (e & KF_X86_P) != 0;
}

static inline bool kf_arch_pte_is_table(kf_pte_t e, int level)
{
	(void)level;
	return (e & (KF_X86_P | KF_X86_PS)) == KF_X86_P;
}

static inline kf_paddr_t kf_arch_pte_pa(kf_pte_t e)
{
	return e & KF_X86_PA_MASK;
}

static inline unsigned kf_arch_pte_prot(kf_pte_t e)
{
	unsigned p = 0;

	if (!(e & (KF_X86_P | KF_X86_PROTNONE)))
		return 0;
	if (e & KF_X86_US)
		p |= KF_PROT_USER;
	if (!(e & KF_X86_P))
		return p;
	p |= KF_PROT_READ;
	if (e & KF_X86_RW)
		p |= KF_PROT_WRITE;
	if (!(e & KF_X86_NX))
		p |= KF_PROT_EXEC;
	return p;
}

static inline kf_pte_t kf_arch_pte_wrprotect(kf_pte_t e)
{
	return e & ~KF_X86_RW;
}

/* Only meaningful on a present leaf. */
static inline kf_pte_t kf_arch_pte_mkwrite(kf_pte_t e)
{
	return e | KF_X86_RW | KF_X86_D;
}

#endif /* KF_ARCH_PTE_X86_64_H */
