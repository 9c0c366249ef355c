// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/host/test_tlb.c - the sim CPU's software TLB and ASIDs, over page
 * tables built by hand with the generic walk (so it runs in every PTE
 * encoding the build knows).  The point of the sim TLB: a translation stays
 * cached until the right flush drops it, so these tests change PTEs behind
 * its back and check exactly which flushes make the change visible.
 */
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>
#include <kf/hal/uaccess.h>
#include <kf/arch/sim.h>

#include "sim_space.h"


/* Frames replaced behind the TLB's back stay allocated until the end:
 * the host panics on any access to a freed frame, and a stale entry would
 * make exactly that access. */
static kf_paddr_t graveyard[64];
static int ngraves;

static void bury_all(void)
{
	while (ngraves)
		kf_os_page_put(graveyard[--ngraves]);
}

/* set_pte - point @va at @pa (0: clear) without any TLB maintenance. */
static void set_pte(struct space *s, uintptr_t va, kf_paddr_t pa, unsigned prot)
{
	kf_pte_t *slot = kf_pt_walk(s->root, va, kf_pt_alloc_page, "test.pt");
	kf_pte_t old = kf_pt_read(slot);

	kf_pt_write(slot, pa ? kf_arch_pte_mk_page(pa, prot) : 0);
	if (old && ngraves < 64)
		graveyard[ngraves++] = kf_arch_pte_pa(old);
}


static int rd(uintptr_t va)
{
	unsigned char b = 0;

	if (kf_sim_access(va, &b, 1, KF_FAULT_READ))
		return -1;
	return b;
}

/* check_rd - read one byte and compare (tap_eq evaluates twice). */
static void check_rd(uintptr_t va, int want, const char *id)
{
	int got = rd(va);

	tap_eq(got, want, id);
}

static void check_int(long got, long want, const char *id)
{
	tap_eq(got, want, id);
}

static struct kf_sim_stats stats(void)
{
	struct kf_sim_stats st;

	kf_sim_get_stats(&st);
	return st;
}

/* ---- a fault handler the tests control --------------------------------- */

static int faults;
static struct space *fix_space;		/* upgrade the PTE here on a fault */
static int fix_result;

static int test_fault(uintptr_t va, unsigned access)
{
	(void)access;
	faults++;
	if (fix_space) {
		kf_pte_t *slot = kf_pt_walk(fix_space->root, va, NULL, NULL);

		if (slot && kf_pt_read(slot))
			kf_pt_write(slot, kf_arch_pte_mkwrite(kf_pt_read(slot)));
	}
	return fix_result;
}

static void test_hit_and_stale(void)
{
	struct space a, b;
	kf_paddr_t fb;

	space_init(&a);
	space_init(&b);
	tap_ok(!kf_sim_asid(&a.amm) && !kf_sim_asid(&b.amm),
	       "sim.asid.none_before_activate", NULL);
	set_pte(&a, VA, frame(0xa1), RW);
	set_pte(&b, VA, frame(0xb1), RW);
	kf_arch_mm_activate(&b.amm);
	kf_arch_mm_activate(&a.amm);
	tap_ok(kf_sim_active_mm() == &a.amm, "sim.activate", NULL);
	tap_ok(kf_sim_asid(&a.amm) && kf_sim_asid(&b.amm) &&
	       kf_sim_asid(&a.amm) != kf_sim_asid(&b.amm),
	       "sim.asid.distinct", "%u %u", kf_sim_asid(&a.amm),
	       kf_sim_asid(&b.amm));

	kf_sim_reset_stats();
	check_rd(VA, 0xa1, "sim.tlb.first_read");
	tap_eq(stats().misses, 1, "sim.tlb.first_is_miss");
	check_rd(VA + 100, 0xa1, "sim.tlb.second_read");
	tap_eq(stats().hits, 1, "sim.tlb.second_is_hit");
	tap_ok(kf_sim_tlb_probe(0, kf_sim_asid(&a.amm), VA, NULL, NULL),
	       "sim.tlb.cached", NULL);

	/* the PTE now says frame 0xa2; the TLB still says 0xa1 */
	fb = frame(0xa2);
	set_pte(&a, VA, fb, RW);
	check_rd(VA, 0xa1, "sim.tlb.stale_without_flush");
	kf_arch_tlb_flush_page(&a.amm, VA + 4096);
	check_rd(VA, 0xa1, "sim.tlb.stale_after_wrong_page_flush");
	kf_arch_tlb_flush_page(&b.amm, VA);
	check_rd(VA, 0xa1, "sim.tlb.stale_after_wrong_asid_flush");
	kf_arch_tlb_flush_range(&a.amm, VA + 4096, VA + 3 * 4096, 0);
	check_rd(VA, 0xa1, "sim.tlb.stale_after_range_beside");
	kf_arch_tlb_flush_mm(&b.amm);
	check_rd(VA, 0xa1, "sim.tlb.stale_after_other_mm_flush");
	kf_arch_tlb_flush_page(&a.amm, VA + 123);
	check_rd(VA, 0xa2, "sim.tlb.fresh_after_page_flush");

	/* a write through a stale writable entry lands in the old frame */
	set_pte(&a, VA, frame(0xa3), RW);
	{
		unsigned char w = 0x77;

		kf_sim_access(VA, &w, 1, KF_FAULT_WRITE);
		tap_eq(((unsigned char *)kf_os_phys_to_virt(fb))[0], 0x77,
		       "sim.tlb.stale_write_hits_old_frame");
	}
	kf_arch_tlb_flush_range(&a.amm, VA, VA + 1, 0);
	check_rd(VA, 0xa3, "sim.tlb.fresh_after_range_flush");

	/* the other address space has its own translation of VA */
	kf_arch_mm_activate(&b.amm);
	check_rd(VA, 0xb1, "sim.tlb.asid_tagged");
	kf_arch_mm_activate(&a.amm);
	check_rd(VA, 0xa3, "sim.tlb.asid_switch_back");
	tap_ok(kf_sim_tlb_entries(0, kf_sim_asid(&a.amm)) >= 1 &&
	       kf_sim_tlb_entries(0, kf_sim_asid(&b.amm)) >= 1,
	       "sim.tlb.both_cached", NULL);
	kf_arch_tlb_flush_mm(&a.amm);
	tap_eq(kf_sim_tlb_entries(0, kf_sim_asid(&a.amm)), 0,
	       "sim.tlb.flush_mm_drops_all");
	tap_ok(kf_sim_tlb_entries(0, kf_sim_asid(&b.amm)) >= 1,
	       "sim.tlb.flush_mm_only_own", NULL);
	check_int((long)stats().flushes, 7, "sim.stats.flushes_counted");

	kf_arch_mm_deactivate(&b.amm);
	tap_eq(kf_sim_active_mm(), &a.amm, "sim.deactivate_other_no_effect");
	kf_arch_mm_deactivate(&a.amm);
	tap_eq(kf_sim_active_mm(), NULL, "sim.deactivate");
	space_fini(&a);
	space_fini(&b);
}

static void test_faults(void)
{
	struct space a;
	unsigned char buf[64], w = 0x55;
	kf_sim_fault_fn old = kf_sim_set_fault_handler(test_fault);

	space_init(&a);
	kf_arch_mm_activate(&a.amm);
	set_pte(&a, VA, frame(1), RO);
	set_pte(&a, VA + 4096, frame(2), RW);
	set_pte(&a, VA + 2 * 4096, frame(3), KF_PROT_READ | KF_PROT_WRITE);

	faults = 0;
	fix_space = NULL;
	fix_result = -KF_EFAULT;
	check_rd(VA, 1, "sim.fault.read_ro_ok");
	check_int(kf_sim_access(VA, &w, 1, KF_FAULT_WRITE), -KF_EFAULT,
	       "sim.fault.write_ro_efault");
	tap_eq(faults, 1, "sim.fault.handler_called_once");
	tap_ok(!kf_sim_tlb_probe(0, kf_sim_asid(&a.amm), VA, NULL, NULL),
	       "sim.fault.entry_dropped", NULL);

	/* the handler makes it writable without a flush: the retry re-walks */
	check_rd(VA, 1, "sim.fault.recache");
	faults = 0;
	fix_space = &a;
	fix_result = 0;
	check_int(kf_sim_access(VA, &w, 1, KF_FAULT_WRITE), 0,
	       "sim.fault.retry_after_fix");
	tap_eq(faults, 1, "sim.fault.one_fault");
	check_rd(VA, 0x55, "sim.fault.written");

	/* a handler that claims success without fixing anything */
	faults = 0;
	fix_space = NULL;
	kf_sim_reset_stats();
	check_rd(VA + 3 * 4096, -1, "sim.fault.loop_gives_up");
	tap_eq(faults, KF_SIM_MAX_FAULT_RETRIES, "sim.fault.loop_retries");
	tap_eq(stats().fault_loops, 1, "sim.fault.loop_counted");

	fix_result = -KF_EFAULT;
	faults = 0;
	check_rd(VA + 2 * 4096, -1, "sim.fault.kernel_page_denied");
	tap_eq(faults, 1, "sim.fault.kernel_page_faults");
	check_int(kf_sim_access(KF_USER_VA_END - 1, buf, 2, KF_FAULT_READ),
	       -KF_EFAULT, "sim.fault.beyond_user_end");

	/* an access across a page boundary, stopping at the bad page */
	memset(buf, 0, sizeof(buf));
	check_int(kf_sim_copy(VA + 4096 - 8, buf, 16, KF_FAULT_READ), 0,
	       "sim.copy.two_pages");
	tap_ok(buf[0] == 1 && buf[7] == 1 && buf[8] == 2 && buf[15] == 2,
	       "sim.copy.bytes", "%x %x %x %x", buf[0], buf[7], buf[8], buf[15]);
	check_int(kf_sim_copy(VA + 2 * 4096 - 4, buf, 16, KF_FAULT_READ), 12,
	       "sim.copy.partial");
	tap_ok(kf_user_range_ok(VA, 4096) &&
	       kf_user_range_ok(KF_TASK_SIZE - 8, 8) &&
	       !kf_user_range_ok(KF_TASK_SIZE - 4, 8) &&
	       !kf_user_range_ok(UINTPTR_MAX - 2, 8),
	       "sim.uaccess.range_ok", NULL);

	kf_arch_mm_activate(NULL);
	check_rd(VA, -1, "sim.fault.no_active_mm");
	kf_sim_set_fault_handler(old);
	space_fini(&a);
}

/*
 * ASIDs with generations: distinct ones while they last; then a rollover
 * that keeps the ASIDs running on CPUs, makes each CPU flush once before
 * its next ASID, and lets a reused number show nothing of its old owner.
 */
#define NSPACES (CONFIG_KF_NR_CPUS + 1)	/* every ASID of the limit below */

static void test_asids(void)
{
	struct space s[NSPACES + 1];
	unsigned long roll = kf_sim_asid_rollovers();
	unsigned keep0, seen = 0;
	uint64_t flushes;

	kf_sim_set_asid_limit(NSPACES + 1);	/* ASIDs 1 .. NSPACES */
	for (int i = 0; i <= NSPACES; i++) {
		space_init(&s[i]);
		set_pte(&s[i], VA, frame(0x10 + i), RW);
	}
	for (int i = 0; i < NSPACES; i++) {
		kf_arch_mm_activate(&s[i].amm);
		check_rd(VA, 0x10 + i, "sim.asid.each_reads_own");
		seen |= 1u << kf_sim_asid(&s[i].amm);
	}
	tap_eq(seen, ((1u << NSPACES) - 1) << 1, "sim.asid.all_distinct");
	tap_eq(kf_sim_asid_rollovers(), roll, "sim.asid.no_rollover_yet");

	/* CPU 1 runs s[0] across the rollover */
	kf_host_set_cpu(1);
	kf_arch_mm_activate(&s[0].amm);
	check_rd(VA, 0x10, "sim.asid.cpu1_reads");
	keep0 = kf_sim_asid(&s[0].amm);
	kf_host_set_cpu(0);

	kf_sim_reset_stats();
	kf_arch_mm_activate(&s[NSPACES].amm);	/* none left: roll over */
	tap_eq(kf_sim_asid_rollovers(), roll + 1, "sim.asid.rollover");
	tap_eq(stats().local_full_flushes, 1, "sim.asid.rollover_flushes_cpu0");
	check_rd(VA, 0x10 + NSPACES, "sim.asid.reused_number_not_stale");
	/* two ASIDs are kept (CPU 0's s[NSPACES-1], CPU 1's s[0]) and one is
	 * s[NSPACES]'s: the rest fit in this generation */
	for (int i = 1; i < NSPACES - 2; i++) {
		kf_arch_mm_activate(&s[i].amm);
		check_rd(VA, 0x10 + i, "sim.asid.new_generation_reads_own");
	}
	tap_eq(stats().local_full_flushes, 1, "sim.asid.one_flush_per_cpu");

	kf_host_set_cpu(1);
	tap_eq(kf_sim_asid(&s[0].amm), keep0, "sim.asid.running_one_kept");
	check_rd(VA, 0x10, "sim.asid.kept_still_reads");
	flushes = stats().local_full_flushes;
	kf_arch_mm_activate(&s[0].amm);
	tap_eq(kf_sim_asid(&s[0].amm), keep0, "sim.asid.kept_after_activate");
	tap_eq(stats().local_full_flushes, flushes + 1,
	       "sim.asid.cpu1_flushes_at_next_activate");
	check_rd(VA, 0x10, "sim.asid.kept_reads_after_flush");
	kf_arch_mm_activate(NULL);
	kf_host_set_cpu(0);
	kf_arch_mm_activate(NULL);
	for (int i = 0; i <= NSPACES; i++)
		space_fini(&s[i]);
	kf_sim_set_asid_limit(KF_SIM_MAX_ASIDS);
}

/*
 * Freeing an address space's tables must leave the root slots above user
 * space alone: kernels put their shared kernel tables there, and a CPU
 * still on this root walks them on its next kernel TLB miss.
 */
static void test_free_keeps_kernel_slots(void)
{
	struct space s;
	unsigned top = KF_PT_ENTRIES - 1;
	unsigned user = kf_pt_index(KF_USER_VA_END - 1, KF_PT_LEVELS - 1) + 1;
	kf_paddr_t ktable = kf_os_page_alloc("test.kernel_table");
	kf_pte_t *root;

	space_init(&s);
	root = kf_pt_table(s.root);
	set_pte(&s, VA, kf_os_page_alloc("test.user_page"), RW);
	if (user <= top)
		kf_pt_write(&root[top], kf_arch_pte_mk_table(ktable));
	kf_arch_mm_fini(&s.amm);
	kf_pt_free_tree(s.root);
	tap_eq(kf_pt_read(&root[kf_pt_index(VA, KF_PT_LEVELS - 1)]), 0,
	       "pgwalk.free_tree.clears_user_slots");
	if (user <= top) {
		tap_ok(kf_pt_read(&root[top]) == kf_arch_pte_mk_table(ktable),
		       "pgwalk.free_tree.keeps_kernel_slots", "slot %u of %u", top, user);
		tap_eq(kf_host_page_refs(ktable), 1, "pgwalk.free_tree.kernel_table_untouched");
		kf_pt_write(&root[top], 0);
	} else {
		tap_skip("pgwalk.free_tree.keeps_kernel_slots", "user space fills the root");
		tap_skip("pgwalk.free_tree.kernel_table_untouched", "user space fills the root");
	}
	kf_os_page_put(ktable);
	kf_os_page_put(s.root);
}

/* An exiting address space is detached first (no walk reaches its
 * tables), flushed, then freed from the packed slots. */
static void test_detach(void)
{
	struct space s;
	kf_pte_t e;
	uintptr_t far = KF_USER_VA_END / 2;
	long pages = kf_host_live_pages();

	space_init(&s);
	set_pte(&s, VA, frame(1), RW);
	set_pte(&s, far, frame(2), RW);
	tap_ok(kf_pt_lookup(s.root, VA, &e) == 0 &&
	       kf_pt_lookup(s.root, far, &e) == 0, "pgwalk.detach.before", NULL);
	kf_pt_detach_user(s.root);
	tap_ok(kf_pt_lookup(s.root, VA, &e) == -KF_EFAULT &&
	       kf_pt_lookup(s.root, far, &e) == -KF_EFAULT,
	       "pgwalk.detach.unreachable", NULL);
	kf_pt_free_detached(s.root);
	tap_eq(kf_host_live_pages(), pages + 1, "pgwalk.detach.all_freed");
	kf_arch_mm_fini(&s.amm);
	kf_os_page_put(s.root);
}

int main(void)
{
	long objs = kf_host_live_objects(), pages = kf_host_live_pages();

	tap_diag("PTE encoding: %s", KF_ARCH_PTE_NAME);
	test_hit_and_stale();
	test_faults();
	test_asids();
	test_free_keeps_kernel_slots();
	test_detach();
	bury_all();
	tap_eq(kf_host_live_pages(), pages, "sim.no_frame_leak");
	tap_eq(kf_host_live_objects(), objs, "sim.no_object_leak");
	return tap_done();
}
