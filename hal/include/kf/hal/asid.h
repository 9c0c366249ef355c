/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/asid.h - ASID allocation with generations (hal/asid.c), shared by
 * every arch whose TLB tags entries with an address-space id (aarch64,
 * riscv64, sim; x86_64's PCIDs would fit too).
 *
 * An address space's context is one 64-bit word: its generation above
 * KF_ASID_GEN_SHIFT, its ASID below.  ASIDs are handed out in the current
 * generation until none is left; then the generation rolls over: every
 * ASID becomes free again except those running on a CPU right now (kept,
 * "reserved", by their address spaces), and every CPU must flush its whole
 * TLB before it next uses an ASID.  So an ASID is never reused without a
 * flush, and freeing an address space needs no ASID bookkeeping at all:
 * its ASID simply stays used until the next rollover.
 *
 * All of it happens in kf_asid_activate, called by the arch's
 * kf_arch_mm_activate with preemption off (IRQs may be off: it takes one
 * spinlock on the slow path and never waits for another CPU).
 */
#ifndef KF_HAL_ASID_H
#define KF_HAL_ASID_H

#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_config.h>
#include <kf/kf_os.h>
#include <kf/hal/cpumask.h>

#define KF_ASID_GEN_SHIFT 16
#define KF_ASID_MAX (1u << KF_ASID_GEN_SHIFT)	/* 16-bit ASIDs at most */

struct kf_asid_space {
	kf_os_spinlock_t lock;
	unsigned nr;			/* ASIDs 1 .. nr-1; 0 is never handed out */
	unsigned next;			/* search cursor */
	uint64_t generation;		/* (A) current, a multiple of 1 << SHIFT */
	unsigned long long used[KF_ASID_MAX / 64];	/* this generation */
	uint64_t active[CONFIG_KF_NR_CPUS];	/* (A) context on each CPU; 0
						 * after a rollover took it */
	uint64_t reserved[CONFIG_KF_NR_CPUS];	/* survived the last rollover */
	struct kf_cpumask flush_pending;	/* must flush before next use */
	unsigned long rollovers, allocs;	/* for tests and benchmarks */
};

/* kf_asid_space_init - @nr ASIDs (2 .. KF_ASID_MAX; at least
 * CONFIG_KF_NR_CPUS + 2 so a rollover always frees one). */
void kf_asid_space_init(struct kf_asid_space *s, unsigned nr);

/*
 * kf_asid_activate - the ASID this CPU (@cpu) runs the address space whose
 * context word is *@ctx with, updating *@ctx (0 = never had one) to the
 * current generation.  *@flush_local is set when the caller must flush
 * this CPU's whole TLB before loading the ASID (a rollover happened since
 * this CPU last took one).
 */
unsigned kf_asid_activate(struct kf_asid_space *s, uint64_t *ctx,
			  unsigned cpu, bool *flush_local);

static inline unsigned kf_asid_of(uint64_t ctx)
{
	return (unsigned)(ctx & (KF_ASID_MAX - 1));
}

#endif /* KF_HAL_ASID_H */
