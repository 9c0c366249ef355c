/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/sim.h - what only the software CPU offers: user-memory access as
 * the CPU would do it, TLB inspection, counters and test knobs.
 *
 * The sim CPU is a single CPU (the host port runs one task at a time).  Its
 * state: the active address space (kf_arch_mm_activate), a software TLB of
 * KF_SIM_TLB_SETS x KF_SIM_TLB_WAYS entries, each caching one 4 KiB
 * translation tagged (ASID, virtual page) with the frame and the KF_PROT_*
 * bits of the leaf PTE, and an ASID allocator.
 *
 * An access (kf_sim_access) translates each page: a TLB hit whose
 * permissions allow the access is used as is, even if the page table has
 * changed since (that is the point: only a kf_arch_tlb_flush_* drops it).  A
 * miss walks the page tables with kf_pt_lookup() and caches the result.  A
 * missing translation or insufficient permission is a fault: the entry is
 * dropped and the fault handler (kf_fault() unless a test installed its own)
 * is called; 0 means retry, anything else ends the access with -KF_EFAULT.
 * A handler that keeps returning 0 without fixing the page gives up after
 * KF_SIM_MAX_FAULT_RETRIES and counts a fault loop.
 *
 * Required permissions: KF_PROT_USER always, plus READ / WRITE / EXEC as
 * asked by the access kind (KF_FAULT_READ, KF_FAULT_WRITE, KF_FAULT_EXEC;
 * KF_FAULT_USER marks an access by user code rather than a kernel copy and
 * is passed through to the fault handler).
 */
#ifndef KF_ARCH_SIM_H
#define KF_ARCH_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf.h>
#include <kf/arch/mmu.h>

#define KF_SIM_TLB_SETS  256
#define KF_SIM_TLB_WAYS  4
#define KF_SIM_MAX_ASIDS 4096
#define KF_SIM_MAX_FAULT_RETRIES 8

/*
 * kf_sim_access - copy @n bytes between @buf and user address @va of the
 * active address space (@access KF_FAULT_WRITE: from @buf to user memory;
 * otherwise from user memory to @buf).  Returns 0, or -KF_EFAULT when a
 * fault could not be resolved (bytes before the bad page are transferred).
 * May sleep (the fault handler may).
 */
int kf_sim_access(uintptr_t va, void *buf, size_t n, unsigned access);

/* kf_sim_copy - the same, returning the number of bytes NOT transferred. */
size_t kf_sim_copy(uintptr_t va, void *buf, size_t n, unsigned access);

/* Counters since the last kf_sim_reset_stats (or program start). */
struct kf_sim_stats {
	uint64_t accesses;	/* pages translated for an access */
	uint64_t hits, misses;	/* TLB lookups */
	uint64_t faults;	/* calls of the fault handler */
	uint64_t fault_loops;	/* accesses abandoned after too many retries */
	uint64_t flushes;	/* kf_arch_tlb_flush_* calls, all kinds */
	uint64_t flush_page, flush_range, flush_mm;
	uint64_t dropped;	/* entries removed by flushes and faults */
	uint64_t evictions;	/* entries replaced because a set was full */
	uint64_t asid_allocs, asid_recycles, asid_shared;
	uint64_t activates;	/* kf_arch_mm_activate calls */
};
void kf_sim_get_stats(struct kf_sim_stats *out);
void kf_sim_reset_stats(void);

/* The address space the CPU translates with, or NULL. */
struct kf_arch_mm *kf_sim_active_mm(void);

/* kf_sim_tlb_probe - is (@asid, page of @va) cached?  Fills @pa / @prot
 * (either may be NULL) when it is.  Does not count as a lookup. */
bool kf_sim_tlb_probe(unsigned asid, uintptr_t va, kf_paddr_t *pa,
		      unsigned *prot);

/* kf_sim_tlb_entries - entries cached for @asid. */
unsigned kf_sim_tlb_entries(unsigned asid);

/* kf_sim_tlb_flush_all - drop every entry (not counted as a HAL flush). */
void kf_sim_tlb_flush_all(void);

/* kf_sim_set_asid_limit - hand out ASIDs 1..@n-1 only (2 <= n <=
 * KF_SIM_MAX_ASIDS), so tests can force recycling and the shared ASID 0.
 * Applies to later allocations. */
void kf_sim_set_asid_limit(unsigned n);

/* kf_sim_asids_in_use - ASIDs currently owned by an address space. */
unsigned kf_sim_asids_in_use(void);

/* kf_sim_set_fault_handler - replace the fault handler (NULL restores
 * kf_fault).  Returns the previous one (kf_fault by default), so a wrapper
 * can chain to it. */
typedef int (*kf_sim_fault_fn)(uintptr_t va, unsigned access);
kf_sim_fault_fn kf_sim_set_fault_handler(kf_sim_fault_fn fn);

#endif /* KF_ARCH_SIM_H */
