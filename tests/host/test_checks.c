// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/host/test_checks.c - each thing the sim models beyond a single
 * TLB, proven to catch the mistake it is there for.  Every case builds a
 * deliberately wrong sequence here, by hand (the real mm code is never
 * broken for it), sees the stale result or the check fire, then does it
 * right and sees it pass.  Runs over every PTE encoding.
 *
 *  - several CPUs: a flush that reaches only the local CPU leaves another
 *    CPU reading through its stale entry;
 *  - walk caches: a table replaced or freed without a KF_TLB_TABLES flush
 *    is still walked;
 *  - break-before-make: valid-to-valid with another frame, or valid again
 *    before the invalidation was flushed;
 *  - freed frames: a stale TLB entry to a frame freed before the flush;
 *  - I-cache: a fetch after the kernel wrote the frame without the hook;
 *  - an address space finished while a CPU runs it.
 */
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>
#include <kf/arch/sim.h>

#include "sim_space.h"

#define PG  4096ul


static kf_pte_t *slot_of(struct space *s, uintptr_t va)
{
	return kf_pt_walk(s->root, va, kf_pt_alloc_page, "test.pt");
}

/* map - point @va at @pa behind the TLB's back (no check, no flush); the
 * frame it replaces is returned, still referenced. */
static kf_paddr_t map(struct space *s, uintptr_t va, kf_paddr_t pa,
		      unsigned prot)
{
	kf_pte_t *slot = slot_of(s, va);
	kf_pte_t old = kf_pt_read(slot);

	kf_pt_write(slot, pa ? kf_arch_pte_mk_page(pa, prot) : 0);
	return old ? kf_arch_pte_pa(old) : 0;
}

static int rd(uintptr_t va)
{
	unsigned char b = 0;

	return kf_sim_access(va, &b, 1, KF_FAULT_READ) ? -1 : b;
}

static void check_rd(uintptr_t va, int want, const char *id)
{
	int got = rd(va);

	tap_eq(got, want, id);
}

static struct kf_sim_stats stats(void)
{
	struct kf_sim_stats st;

	kf_sim_get_stats(&st);
	return st;
}

static int no_fault(uintptr_t va, unsigned access)
{
	(void)va;
	(void)access;
	return -KF_EFAULT;
}

/* ---- several CPUs -------------------------------------------------------- */

static void test_cpus(void)
{
	struct space a;
	kf_paddr_t fa = frame(0xa1), fb = frame(0xb2), old;

	space_init(&a);
	map(&a, VA, fa, RW);
	kf_host_set_cpu(0);
	kf_arch_mm_activate(&a.amm);
	check_rd(VA, 0xa1, "cpus.cpu0_reads");
	kf_host_set_cpu(1);
	kf_arch_mm_activate(&a.amm);
	check_rd(VA, 0xa1, "cpus.cpu1_reads");
	tap_ok(kf_cpumask_test(&a.amm.cpus, 0) && kf_cpumask_test(&a.amm.cpus, 1) &&
	       !kf_cpumask_test(&a.amm.cpus, 2), "cpus.set_has_both", NULL);
	tap_ok(kf_sim_cpu_mm(0) == &a.amm && kf_sim_cpu_mm(1) == &a.amm &&
	       kf_sim_cpu_mm(2) == NULL, "cpus.both_run_it", NULL);

	/* wrong: the flush reaches only the CPU that made the change */
	old = map(&a, VA, fb, RW);
	kf_sim_tlb_flush_local_page(&a.amm, VA);
	check_rd(VA, 0xb2, "cpus.local_flush_local_sees_new");
	kf_host_set_cpu(0);
	check_rd(VA, 0xa1, "cpus.local_flush_other_cpu_stale");

	/* right: the HAL's flush reaches every CPU in the set */
	kf_arch_tlb_flush_page(&a.amm, VA);
	check_rd(VA, 0xb2, "cpus.hal_flush_cpu0_fresh");
	kf_host_set_cpu(1);
	check_rd(VA, 0xb2, "cpus.hal_flush_cpu1_fresh");

	/* a CPU outside the set is not touched (and had nothing cached) */
	kf_host_set_cpu(2);
	tap_eq(kf_sim_tlb_entries(2, kf_sim_asid(&a.amm)), 0,
	       "cpus.cpu2_has_nothing");
	kf_sim_reset_stats();
	kf_arch_tlb_flush_mm(&a.amm);
	tap_eq(stats().cpu_flushes, 2, "cpus.flush_reaches_the_set_only");

	kf_host_set_cpu(1);
	kf_arch_mm_activate(NULL);
	kf_host_set_cpu(0);
	kf_arch_mm_activate(NULL);
	tap_ok(kf_cpumask_test(&a.amm.cpus, 1), "cpus.tagged_keeps_cpu_in_set",
	       "entries of a tagged TLB survive the switch");
	space_fini(&a);				/* frees fb, the leaf's */
	kf_os_page_put(old);
}

/* ---- walk caches --------------------------------------------------------- */

/* The entry one level above the leaf table of @va. */
static kf_pte_t *table_slot(struct space *s, uintptr_t va)
{
	kf_pte_t *table = kf_pt_table(s->root);

	for (int level = KF_PT_LEVELS - 1; level > 1; level--)
		table = kf_pt_table(kf_arch_pte_pa(
				kf_pt_read(&table[kf_pt_index(va, level)])));
	return &table[kf_pt_index(va, 1)];
}

static void test_walk_cache(void)
{
	struct space a;
	kf_paddr_t t1, t2, fa = frame(0xa1), fb = frame(0xb2), fc = frame(0xc3);
	kf_pte_t *up;
	bool strict;

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	map(&a, VA, fa, RW);
	check_rd(VA, 0xa1, "walk.first_read");
	tap_ok(kf_sim_walk_entries(0, kf_sim_asid(&a.amm)) >= 1,
	       "walk.leaf_table_cached", NULL);

	/* wrong: replace the leaf table; flush the leaf only */
	up = table_slot(&a, VA);
	t1 = kf_arch_pte_pa(kf_pt_read(up));
	t2 = kf_os_page_alloc("test.pt2");
	kf_pt_table(t2)[kf_pt_index(VA, 0)] = kf_arch_pte_mk_page(fb, RW);
	kf_pt_write(up, kf_arch_pte_mk_table(t2));
	kf_arch_tlb_flush_page(&a.amm, VA);
	check_rd(VA, 0xa1, "walk.leaf_flush_still_walks_old_table");

	/* right: the flush that says tables changed */
	kf_sim_reset_stats();
	kf_arch_tlb_flush_range(&a.amm, VA, VA + PG, KF_TLB_TABLES);
	check_rd(VA, 0xb2, "walk.tables_flush_walks_new_table");
	tap_eq(stats().walk_misses, 1, "walk.tables_flush_missed_cache");

	/* wrong: free the replaced-and-cached table without the flush */
	kf_pt_table(t1)[kf_pt_index(VA, 0)] = 0;
	kf_arch_tlb_flush_page(&a.amm, VA);		/* leaf only */
	kf_pt_write(up, kf_arch_pte_mk_table(t1));	/* back to t1 ... */
	kf_pt_table(t1)[kf_pt_index(VA, 0)] = kf_arch_pte_mk_page(fc, RW);
	check_rd(VA, 0xb2, "walk.cache_names_t2");	/* cached span: t2 */
	kf_arch_tlb_flush_page(&a.amm, VA);
	kf_pt_table(t2)[kf_pt_index(VA, 0)] = 0;
	kf_os_page_put(t2);				/* ... t2 freed, cached */
	strict = kf_sim_set_strict(false);
	kf_sim_reset_stats();
	check_rd(VA, -1, "walk.freed_table_not_used");
	tap_eq(stats().stale_frame_uses, 1, "walk.freed_table_detected");
	kf_sim_set_strict(strict);

	/* and right: with the tables flush nothing is flagged */
	kf_arch_tlb_flush_range(&a.amm, VA, VA + PG, KF_TLB_TABLES);
	kf_sim_reset_stats();
	check_rd(VA, 0xc3, "walk.after_tables_flush");
	tap_eq(kf_sim_violations(), 0, "walk.after_tables_flush_clean");

	kf_arch_mm_activate(NULL);
	space_fini(&a);
	kf_os_page_put(fa);
	kf_os_page_put(fb);
}

/* ---- break-before-make --------------------------------------------------- */

static void set(struct space *s, uintptr_t va, kf_paddr_t pa, unsigned prot)
{
	kf_arch_pte_set(&s->amm, slot_of(s, va), va,
			pa ? kf_arch_pte_mk_page(pa, prot) : 0);
}

static void test_bbm(void)
{
	struct space a;
	kf_paddr_t f1 = frame(1), f2 = frame(2);
	uint64_t v;
	bool strict = kf_sim_set_strict(false);

	space_init(&a);
	kf_sim_reset_stats();
	set(&a, VA, f1, RW);
	set(&a, VA, f1, KF_PROT_READ | KF_PROT_USER);	/* same frame */
	tap_eq(stats().bbm_violations, 0, "bbm.same_frame_ok");

	set(&a, VA, f2, RW);				/* wrong */
	tap_eq(stats().bbm_violations, 1, "bbm.valid_to_valid_caught");

	set(&a, VA, 0, 0);
	set(&a, VA, f1, RW);				/* wrong: no flush */
	tap_eq(stats().bbm_violations, 2, "bbm.invalid_unflushed_caught");

	set(&a, VA, 0, 0);
	kf_arch_tlb_flush_page(&a.amm, VA + PG);	/* the wrong page */
	set(&a, VA, f2, RW);
	tap_eq(stats().bbm_violations, 3, "bbm.flush_elsewhere_caught");

	set(&a, VA, 0, 0);
	kf_arch_tlb_flush_page(&a.amm, VA);		/* right */
	set(&a, VA, f1, RW);
	tap_eq(stats().bbm_violations, 3, "bbm.break_flush_make_ok");

	set(&a, VA, 0, 0);
	set(&a, VA, f1, RW);			/* same frame, no flush: fine */
	tap_eq(stats().bbm_violations, 3, "bbm.same_frame_back_ok");

	/* more invalidations than the checker keeps one by one */
	for (unsigned i = 0; i < 2 * KF_SIM_BBM_PENDING; i++) {
		set(&a, VA + (i + 1) * PG, f2, RW);
		set(&a, VA + (i + 1) * PG, 0, 0);
	}
	v = stats().bbm_violations;
	set(&a, VA + 2 * KF_SIM_BBM_PENDING * PG, f1, RW);
	tap_eq(stats().bbm_violations, v + 1, "bbm.many_pending_caught");
	set(&a, VA + 2 * KF_SIM_BBM_PENDING * PG, 0, 0);
	kf_arch_tlb_flush_range(&a.amm, VA, VA + 64 * PG, 0);
	set(&a, VA + 3 * PG, f1, RW);
	tap_eq(stats().bbm_violations, v + 1, "bbm.many_then_flushed_ok");
	set(&a, VA + 3 * PG, 0, 0);
	set(&a, VA, 0, 0);
	kf_arch_tlb_flush_mm(&a.amm);

	kf_sim_set_strict(strict);
	space_fini(&a);
	kf_os_page_put(f1);
	kf_os_page_put(f2);
}

/* ---- frames freed before the flush ------------------------------------- */

static void test_freed_frame(void)
{
	struct space a;
	kf_paddr_t f = frame(0x5f);
	bool strict;

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	map(&a, VA, f, RW);
	check_rd(VA, 0x5f, "freed.read");
	map(&a, VA, 0, 0);
	kf_os_page_put(f);				/* wrong: before a flush */
	strict = kf_sim_set_strict(false);
	kf_sim_reset_stats();
	check_rd(VA, -1, "freed.stale_entry_not_used");
	tap_eq(stats().stale_frame_uses, 1, "freed.caught");
	kf_sim_set_strict(strict);
	kf_arch_mm_activate(NULL);
	space_fini(&a);
}

/* ---- I-cache ---------------------------------------------------------------- */

static int fetch(uintptr_t va)
{
	unsigned char b = 0;

	return kf_sim_fetch(va, &b, 1) ? -1 : b;
}

static void check_fetch(uintptr_t va, int want, const char *id)
{
	int got = fetch(va);

	tap_eq(got, want, id);
}

static void test_icache(void)
{
	struct space a;
	kf_paddr_t f = frame(0x90);
	unsigned char *kva = kf_os_phys_to_virt(f);
	bool strict;

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	map(&a, VA, f, RX);
	check_fetch(VA, 0x90, "icache.first_fetch");
	check_fetch(VA + 1, 0x90, "icache.hit");

	kva[0] = 0xc3;				/* wrong: no hook */
	strict = kf_sim_set_strict(false);
	kf_sim_reset_stats();
	check_fetch(VA, 0x90, "icache.stale_without_hook");
	tap_eq(stats().icache_stale, 1, "icache.caught");
	kf_sim_set_strict(strict);

	kf_arch_icache_sync(&a.amm, VA, f);	/* right */
	kf_sim_reset_stats();
	check_fetch(VA, 0xc3, "icache.fresh_after_hook");
	tap_eq(kf_sim_violations(), 0, "icache.clean_after_hook");

	/* a data read of the same page goes through the data side */
	kva[1] = 0x11;
	check_rd(VA + 1, 0x11, "icache.data_side_coherent");
	map(&a, VA, f, RW);			/* not executable now */
	kf_arch_tlb_flush_page(&a.amm, VA);
	check_fetch(VA, -1, "icache.nx_fetch_faults");
	kf_arch_mm_activate(NULL);
	space_fini(&a);
}

/* ---- lifetime -------------------------------------------------------------- */

static void test_fini_while_active(void)
{
	struct space a;
	bool strict = kf_sim_set_strict(false);

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	kf_sim_reset_stats();
	space_fini(&a);				/* wrong: still running */
	tap_eq(stats().fini_while_active, 1, "fini.while_active_caught");
	tap_eq(kf_sim_active_mm(), NULL, "fini.cpu_left_it");

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	kf_arch_mm_deactivate(&a.amm);		/* right */
	space_fini(&a);
	tap_eq(stats().fini_while_active, 1, "fini.after_deactivate_ok");
	kf_sim_set_strict(strict);
}

int main(void)
{
	long objs = kf_host_live_objects(), pages = kf_host_live_pages();

	tap_diag("PTE encoding: %s", KF_ARCH_PTE_NAME);
	kf_sim_set_fault_handler(no_fault);	/* no tasks here: no kf_fault */
	test_cpus();
	test_walk_cache();
	test_bbm();
	test_freed_frame();
	test_icache();
	test_fini_while_active();
	kf_sim_tlb_flush_all();
	tap_eq(kf_host_live_pages(), pages, "checks.no_frame_leak");
	tap_eq(kf_host_live_objects(), objs, "checks.no_object_leak");
	return tap_done();
}
