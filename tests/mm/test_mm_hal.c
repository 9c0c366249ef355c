// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/mm/test_mm_hal.c - mm/ keeping the HAL contract (<kf/hal/tlb.h>),
 * seen through the sim's counters and checks (strict: any violation
 * panics): one flush per operation, at the right width, reaching every CPU
 * that runs the address space; break-before-make on a COW copy; the
 * I-cache hook wherever an executable page gets kernel-written bytes; and
 * the user path's stores honouring protections where the kernel poke
 * does not.  Runs over every PTE encoding.
 */
#include <stdio.h>
#include "mm_test.h"

#define RX (KF_PROT_READ | KF_PROT_EXEC)
#define RWX (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)
#define NPG 64

static struct kf_sim_stats st0;

static void mark(void)
{
	kf_sim_get_stats(&st0);
}

static struct kf_sim_stats since(void)
{
	struct kf_sim_stats s;

	kf_sim_get_stats(&s);
	s.flushes -= st0.flushes;
	s.flush_page -= st0.flush_page;
	s.flush_range -= st0.flush_range;
	s.flush_mm -= st0.flush_mm;
	s.flush_tables -= st0.flush_tables;
	s.cpu_flushes -= st0.cpu_flushes;
	s.faults -= st0.faults;
	s.icache_syncs -= st0.icache_syncs;
	return s;
}

/* Fork write-protects the whole parent and flushes it once, on every CPU
 * that runs it: a parent thread on another CPU must not keep writing
 * through its stale writable entries into frames the child now shares. */
static void test_fork_one_flush(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	struct kf_sim_stats s;

	kf_host_set_cpu(1);
	t_use(p);
	kf_mm_map(p, T_BASE, NPG * PG, RW, PRIV | FIX);
	t_fill(T_BASE, NPG * PG, 1);
	kf_host_set_cpu(0);
	t_use(p);
	t_eq(t_check(T_BASE, NPG * PG, 1), -1, "hal.fork.cpu0_reads");
	t_wb(T_BASE, t_pat(0, 1));		/* writable entry on CPU 0 too */
	mark();
	t_eq(kf_mm_dup(p, &c), 0, "hal.fork.dup");
	s = since();
	t_eq(s.flushes, t_cow_mode(0) ? 1 : 0, "hal.fork.one_flush");
	t_eq(s.flush_mm, t_cow_mode(0) ? 1 : 0, "hal.fork.flush_whole_mm");
	t_eq(s.cpu_flushes, t_cow_mode(0) ? 2 : 0, "hal.fork.reaches_both_cpus");

	kf_host_set_cpu(1);
	t_use(p);
	t_fill(T_BASE, NPG * PG, 2);		/* the parent, on CPU 1 */
	t_use(c);
	t_eq(t_check(T_BASE, NPG * PG, 1), -1, "hal.fork.child_unchanged");
	kf_host_set_cpu(0);
	t_use(p);
	t_eq(t_check(T_BASE, NPG * PG, 2), -1, "hal.fork.parent_sees_own");
	t_use(NULL);
	kf_host_set_cpu(1);
	t_use(NULL);
	kf_host_set_cpu(0);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, "hal.fork.no_leak");
}

/* A COW copy replaces a valid entry by one with another frame: break,
 * flush that page, make (the sim panics otherwise). */
static void test_cow_bbm(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	kf_paddr_t before;
	struct kf_sim_stats s;

	t_use(p);
	kf_mm_map(p, T_BASE, PG, RW, PRIV | FIX);
	t_wb(T_BASE, 7);
	kf_mm_dup(p, &c);
	before = t_frame(p, T_BASE);
	t_rb(T_BASE);				/* the RO entry is cached */
	mark();
	t_eq(t_wb(T_BASE, 8), 0, "hal.cow.write");
	s = since();
	if (t_cow_mode(0)) {
		tap_ok(t_frame(p, T_BASE) != before, "hal.cow.copied", NULL);
		t_eq(s.flush_page, 1, "hal.cow.break_flushes_page");
	} else {
		tap_skip("hal.cow.copied", "eager fork");
		tap_skip("hal.cow.break_flushes_page", "eager fork");
	}
	t_eq(kf_sim_violations(), 0, "hal.cow.no_violation");
	t_use(c);
	t_eq(t_rb(T_BASE), 7, "hal.cow.child_old");
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, "hal.cow.no_leak");
}

/* munmap, mprotect and madvise flush their range once; tables freed by
 * the unmap are flushed as tables (KF_TLB_TABLES) before they are freed. */
static void test_range_ops(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	struct kf_sim_stats s;

	t_use(mm);
	kf_mm_map(mm, T_BASE, NPG * PG, RW, PRIV | FIX);
	t_fill(T_BASE, NPG * PG, 3);

	mark();
	t_eq(kf_mm_protect(mm, T_BASE, NPG * PG, RO), 0, "hal.mprotect.ro");
	s = since();
	t_eq(s.flushes, 1, "hal.mprotect.one_flush");
	t_eq(s.flush_range, 1, "hal.mprotect.by_range");
	t_eq(t_wb(T_BASE + 5 * PG, 1), -KF_EFAULT, "hal.mprotect.write_refused");

	mark();
	kf_mm_protect(mm, T_BASE, NPG * PG, RW);
	t_eq(since().flushes, 0, "hal.mprotect.widening_not_flushed");
	t_eq(t_wb(T_BASE + 5 * PG, 1), 0, "hal.mprotect.write_after_widening");

	mark();
	t_eq(kf_mm_advise(mm, T_BASE, NPG / 2 * PG, KF_MADV_DONTNEED), 0,
	     "hal.madvise.dontneed");
	s = since();
	t_eq(s.flushes, 1, "hal.madvise.one_flush");
	tap_ok(t_is_zero(T_BASE, NPG / 2 * PG), "hal.madvise.zero_after", NULL);

	mark();
	t_eq(kf_mm_unmap(mm, T_BASE, NPG * PG), 0, "hal.munmap");
	s = since();
	t_eq(s.flushes, 1, "hal.munmap.one_flush");
	t_eq(s.flush_tables, 1, "hal.munmap.tables_flagged");
	t_eq(t_rb(T_BASE + PG), -1, "hal.munmap.gone");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "hal.range.no_leak");
}

/* A shared page widened by mprotect keeps its narrow TLB entry: the write
 * takes one spurious fault, which flushes that page. */
static void test_spurious_fault(void)
{
	struct kf_mm *mm = kf_mm_create();
	struct kf_sim_stats s;

	t_use(mm);
	kf_mm_map(mm, T_BASE, PG, RO, SHRD | FIX);
	t_rb(T_BASE);
	kf_mm_protect(mm, T_BASE, PG, RW);
	mark();
	t_eq(t_wb(T_BASE, 9), 0, "hal.spurious.write");
	s = since();
	t_eq(s.faults, 1, "hal.spurious.one_fault");
	t_eq(s.flush_page, 1, "hal.spurious.flushes_page");
	t_use(NULL);
	kf_mm_put(mm);
}

static int t_fetch(uintptr_t va)
{
	unsigned char b;

	return kf_sim_fetch(va, &b, 1) ? -1 : b;
}

/* The I-cache hook wherever an executable page gets kernel-written bytes:
 * the loader's poke, the first touch, mprotect +X, the eager and the COW
 * copies.  A stale fetch would panic the sim. */
static void test_icache(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create(), *c = NULL;
	unsigned char code[4] = { 0x90, 0x91, 0x92, 0x93 };

	t_use(mm);
	kf_mm_map(mm, T_BASE, 4 * PG, RX, PRIV | FIX);
	mark();
	t_eq(kf_mm_copy_in(mm, T_BASE, code, 4), 0, "hal.icache.load");
	tap_ok(since().icache_syncs >= 1, "hal.icache.load_synced", NULL);
	t_eq(t_fetch(T_BASE + 1), 0x91, "hal.icache.fetch_loaded");
	code[1] = 0xa1;				/* reload over fetched code */
	t_eq(kf_mm_copy_in(mm, T_BASE, code, 4), 0, "hal.icache.reload");
	t_eq(t_fetch(T_BASE + 1), 0xa1, "hal.icache.fetch_reloaded");

	mark();
	t_eq(t_fetch(T_BASE + PG), 0, "hal.icache.first_touch_fetch");
	t_eq(since().icache_syncs, 1, "hal.icache.first_touch_synced");

	kf_mm_map(mm, T_BASE + 2 * PG, PG, RW, PRIV | FIX);
	t_wb(T_BASE + 2 * PG, 0x55);
	mark();
	kf_mm_protect(mm, T_BASE + 2 * PG, PG, RX);
	t_eq(since().icache_syncs, 1, "hal.icache.mprotect_exec_synced");
	t_eq(t_fetch(T_BASE + 2 * PG), 0x55, "hal.icache.mprotect_fetch");

	kf_mm_map(mm, T_BASE + 3 * PG, PG, RWX, PRIV | FIX);
	t_wb(T_BASE + 3 * PG, 0x66);
	mark();
	kf_mm_dup_flags(mm, KF_MM_DUP_EAGER, &c);
	tap_ok(since().icache_syncs >= 4, "hal.icache.eager_copies_synced",
	       "%llu", (unsigned long long)since().icache_syncs);
	kf_mm_put(c);
	if (CONFIG_KF_COW) {
		kf_mm_dup(mm, &c);
		mark();
		t_wb(T_BASE + 3 * PG, 0x67);	/* COW copy of an exec page */
		t_eq(since().icache_syncs, 1, "hal.icache.cow_copy_synced");
		t_eq(t_fetch(T_BASE + 3 * PG), 0x67, "hal.icache.cow_fetch");
		kf_mm_put(c);
	} else {
		tap_skip("hal.icache.cow_copy_synced", "no COW");
		tap_skip("hal.icache.cow_fetch", "no COW");
	}
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "hal.icache.no_leak");
}

/* The user path (kf_mm_write_user) stores as a user store would; the
 * kernel poke (kf_mm_copy_in) ignores private protections but never
 * writes a read-only shared page. */
static void test_user_store(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create(), *c = NULL;
	uintptr_t ro = T_BASE, shro = T_BASE + PG, none = T_BASE + 2 * PG;
	uintptr_t rw = T_BASE + 3 * PG;
	int v = 42;
	kf_paddr_t f;

	t_use(mm);
	kf_mm_map(mm, ro, PG, RW, PRIV | FIX);
	t_wb(ro, 1);
	kf_mm_protect(mm, ro, PG, RO);
	kf_mm_map(mm, shro, PG, RO, SHRD | FIX);
	t_rb(shro);
	kf_mm_map(mm, none, PG, KF_PROT_NONE, PRIV | FIX);
	kf_mm_map(mm, rw, PG, RW, PRIV | FIX);
	t_wb(rw, 1);
	kf_mm_dup(mm, &c);

	f = t_frame(c, ro);
	t_eq(kf_mm_write_user(c, ro, &v, sizeof(v)), -KF_EFAULT,
	     "hal.user.ro_private_efault");
	tap_ok(t_frame(c, ro) == f, "hal.user.ro_private_not_copied", NULL);
	t_eq(kf_mm_write_user(c, shro, &v, sizeof(v)), -KF_EFAULT,
	     "hal.user.ro_shared_efault");
	t_eq(kf_mm_write_user(c, none, &v, sizeof(v)), -KF_EFAULT,
	     "hal.user.prot_none_efault");
	t_eq(kf_mm_translate(c, none, NULL, NULL), -KF_EFAULT,
	     "hal.user.prot_none_untouched");
	t_eq(kf_mm_write_user(c, T_BASE + 10 * PG, &v, sizeof(v)), -KF_EFAULT,
	     "hal.user.unmapped_efault");
	f = t_frame(mm, rw);
	t_eq(kf_mm_write_user(c, rw, &v, sizeof(v)), 0, "hal.user.rw_stores");
	tap_ok(!t_cow_mode(0) || (t_frame(c, rw) != f && t_frame(mm, rw) == f),
	       "hal.user.rw_cow_broken", NULL);
	t_use(mm);
	t_eq(t_rb(rw), 1, "hal.user.parent_unchanged");

	t_eq(kf_mm_copy_in(c, ro, &v, sizeof(v)), 0, "hal.poke.ro_private");
	t_eq(kf_mm_copy_in(c, shro, &v, sizeof(v)), -KF_EFAULT,
	     "hal.poke.ro_shared_refused");
	t_eq(kf_mm_copy_in(c, none, &v, sizeof(v)), 0, "hal.poke.prot_none");
	t_eq(t_rb(ro), 1, "hal.poke.parent_unchanged");
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(mm);
	t_no_leak(m, "hal.user.no_leak");
}

int main(void)
{
	tap_diag("PTE encoding: %s", KF_ARCH_PTE_NAME);
	test_fork_one_flush();
	test_cow_bbm();
	test_range_ops();
	test_spurious_fault();
	test_icache();
	test_user_store();
	tap_eq(kf_sim_violations(), 0, "hal.no_violations");
	return tap_done();
}
