/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/sim.h - what only the software CPUs offer: user-memory access and
 * instruction fetch as a CPU would do them, cache inspection, counters,
 * the checks, and test knobs.
 *
 * The sim models KF_SIM_NR_CPUS CPUs.  The calling thread runs on CPU
 * kf_os_cpu_id() (the host decides).  Each CPU has:
 *  - an active address space (kf_arch_mm_activate) and the ASID it got
 *    from the generic allocator (<kf/hal/asid.h>);
 *  - a TLB of KF_SIM_TLB_SETS x KF_SIM_TLB_WAYS entries, each caching one
 *    4 KiB translation tagged (ASID, page) with the frame and the
 *    KF_PROT_* bits of the leaf;
 *  - a walk cache of KF_SIM_WALK_ENTRIES entries, each caching which leaf
 *    table maps a 2 MiB-sized span for an ASID (x86's PDE cache, Arm's
 *    and RISC-V's non-leaf entries), so a TLB miss there reads the leaf
 *    straight from the cached table;
 *  - an I-cache of KF_SIM_ICACHE_LINES lines, each a snapshot of one
 *    frame taken when an instruction fetch first read it.
 * Nothing is dropped behind the kernel's back: only the HAL's flushes
 * (and kf_arch_icache_sync for the I-cache) make a change visible, and
 * only on the CPUs the flush reaches (the address space's CPU set).  An
 * access that hits a cached entry uses it even if the tables have changed:
 * that is the point.
 *
 * An access (kf_sim_access) translates each page on the calling CPU: a
 * TLB hit whose permissions allow the access is used as is; a miss walks
 * (through the walk cache when it hits) and caches the result.  A missing
 * translation or insufficient permission is a fault: the TLB entry is
 * dropped and the fault handler (kf_fault() unless a test installed its
 * own) is called; 0 means retry, anything else ends the access with
 * -KF_EFAULT.  A handler that keeps returning 0 without fixing the page
 * gives up after KF_SIM_MAX_FAULT_RETRIES and counts a fault loop.
 * Required permissions: KF_PROT_USER always, plus READ / WRITE / EXEC as
 * the access kind asks (KF_FAULT_READ, KF_FAULT_WRITE, KF_FAULT_EXEC;
 * KF_FAULT_USER marks user code rather than a kernel copy and is passed
 * through to the fault handler).
 *
 * The checks (each counted in struct kf_sim_stats; in strict mode, the
 * default, each also panics, failing whatever test ran into it):
 *  - break-before-make: a leaf store (kf_arch_pte_set) that replaces a
 *    valid entry by a valid one with another frame, or makes an entry
 *    valid again with another frame before a flush covered the
 *    invalidation;
 *  - stale use of a freed frame: a TLB or walk-cache hit that leads to a
 *    frame (data or table) the host has freed, i.e. something was freed
 *    before the flush that made it unreachable;
 *  - stale instruction: a fetch whose I-cache line no longer matches the
 *    frame (the kernel wrote it and kf_arch_icache_sync was not called);
 *  - an address space finished (kf_arch_mm_fini) while a CPU runs it.
 */
#ifndef KF_ARCH_SIM_H
#define KF_ARCH_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf.h>
#include <kf/hal/tlb.h>

#define KF_SIM_NR_CPUS   4
#define KF_SIM_TLB_SETS  256
#define KF_SIM_TLB_WAYS  4
#define KF_SIM_WALK_ENTRIES 64
#define KF_SIM_ICACHE_LINES 16
#define KF_SIM_MAX_ASIDS 4096
#define KF_SIM_MAX_FAULT_RETRIES 8

_Static_assert(KF_SIM_NR_CPUS <= CONFIG_KF_NR_CPUS,
	       "CONFIG_KF_NR_CPUS is below the sim's CPU count");

/*
 * kf_sim_access - copy @n bytes between @buf and user address @va of the
 * calling CPU's address space (@access KF_FAULT_WRITE: from @buf to user
 * memory; otherwise from user memory to @buf).  Returns 0, or -KF_EFAULT
 * when a fault could not be resolved (bytes before the bad page are
 * transferred).  May sleep (the fault handler may).
 */
int kf_sim_access(uintptr_t va, void *buf, size_t n, unsigned access);

/* kf_sim_copy - the same, returning the number of bytes NOT transferred. */
size_t kf_sim_copy(uintptr_t va, void *buf, size_t n, unsigned access);

/* kf_sim_fetch - an instruction fetch of @n bytes at @va (within one
 * page): translated for KF_FAULT_EXEC|KF_FAULT_USER, read through this
 * CPU's I-cache.  0 or -KF_EFAULT. */
int kf_sim_fetch(uintptr_t va, void *buf, size_t n);

/* Counters since the last kf_sim_reset_stats (or program start). */
struct kf_sim_stats {
	uint64_t accesses;	/* pages translated for an access */
	uint64_t hits, misses;	/* TLB lookups */
	uint64_t walk_hits, walk_misses;	/* walk cache, on TLB misses */
	uint64_t faults;	/* calls of the fault handler */
	uint64_t fault_loops;	/* accesses abandoned after too many retries */
	uint64_t flushes;	/* kf_arch_tlb_flush_* calls, all kinds */
	uint64_t flush_page, flush_range, flush_mm;
	uint64_t flush_tables;	/* flush_range calls with KF_TLB_TABLES */
	uint64_t cpu_flushes;	/* CPUs a flush reached, summed */
	uint64_t dropped;	/* entries removed by flushes and faults */
	uint64_t evictions;	/* entries replaced because a set was full */
	uint64_t activates;	/* kf_arch_mm_activate calls */
	uint64_t local_full_flushes;	/* after an ASID rollover */
	uint64_t pte_sets;	/* kf_arch_pte_set calls */
	uint64_t fetches, icache_hits, icache_syncs;
	/* the checks */
	uint64_t bbm_violations;
	uint64_t stale_frame_uses;
	uint64_t icache_stale;
	uint64_t fini_while_active;
};
void kf_sim_get_stats(struct kf_sim_stats *out);
void kf_sim_reset_stats(void);
/* kf_sim_violations - the four check counters summed. */
uint64_t kf_sim_violations(void);

/* kf_sim_set_strict - panic on a violation (true, the default) or only
 * count it (tests that prove a check fires).  Returns the old mode. */
bool kf_sim_set_strict(bool strict);

/* The calling CPU's address space, or another CPU's. */
struct kf_arch_mm *kf_sim_active_mm(void);
struct kf_arch_mm *kf_sim_cpu_mm(unsigned cpu);

/* kf_sim_asid - the ASID @amm holds now (0: none yet). */
unsigned kf_sim_asid(const struct kf_arch_mm *amm);

/* kf_sim_tlb_probe - is (@asid, page of @va) cached on @cpu?  Fills @pa /
 * @prot (either may be NULL) when it is.  Not counted as a lookup. */
bool kf_sim_tlb_probe(unsigned cpu, unsigned asid, uintptr_t va,
		      kf_paddr_t *pa, unsigned *prot);

/* kf_sim_tlb_entries - entries cached for @asid on @cpu, or on every CPU
 * with KF_SIM_ALL_CPUS. */
#define KF_SIM_ALL_CPUS (~0u)
unsigned kf_sim_tlb_entries(unsigned cpu, unsigned asid);

/* kf_sim_walk_entries - walk-cache entries for @asid on @cpu (or all). */
unsigned kf_sim_walk_entries(unsigned cpu, unsigned asid);

/* kf_sim_tlb_flush_all - drop every TLB, walk-cache and I-cache entry on
 * every CPU (test set-up; not counted as a HAL flush). */
void kf_sim_tlb_flush_all(void);

/* kf_sim_tlb_flush_local_page - a deliberately too-narrow flush for tests:
 * drop @amm's leaf entry for @va on the calling CPU only. */
void kf_sim_tlb_flush_local_page(struct kf_arch_mm *amm, uintptr_t va);

/* kf_sim_set_asid_limit - restart the ASID allocator with @n ASIDs
 * (clamped to CONFIG_KF_NR_CPUS + 2 .. KF_SIM_MAX_ASIDS) and flush every
 * CPU, so tests can force rollovers.  No address space may be active. */
void kf_sim_set_asid_limit(unsigned n);
/* kf_sim_asid_rollovers - generations rolled over since start. */
unsigned long kf_sim_asid_rollovers(void);

/* kf_sim_set_fault_handler - replace the fault handler (NULL restores
 * kf_fault).  Returns the previous one (kf_fault by default), so a wrapper
 * can chain to it. */
typedef int (*kf_sim_fault_fn)(uintptr_t va, unsigned access);
kf_sim_fault_fn kf_sim_set_fault_handler(kf_sim_fault_fn fn);

/* kf_sim_set_frame_live - how the sim asks the host whether a frame is
 * still allocated (so a stale use of a freed one is reported as such and
 * never dereferenced); without it no such check is made. */
typedef bool (*kf_sim_frame_live_fn)(kf_paddr_t pa);
void kf_sim_set_frame_live(kf_sim_frame_live_fn fn);

#endif /* KF_ARCH_SIM_H */
