// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/mm/test_mm_limits.c - what an address space counts and the limits
 * that bound it: the page counts Linux's vm_stat_account keeps (total,
 * data, stack, exec) through map, unmap, mprotect and fork; RLIMIT_AS and
 * RLIMIT_DATA in mmap, a MAP_FIXED over old mappings, brk and mprotect;
 * a MAP_GROWSDOWN stack growing on faults within RLIMIT_STACK, RLIMIT_AS
 * and its guard gap; the peak RSS; and the minor faults the fault path
 * counts for the current task.  The limits are the current task's, so the
 * checks run inside init on the host port.  Built once per PTE encoding.
 */
#include "mm_test.h"

#define STK_GAP (256 * PG)	/* Linux's stack_guard_gap */

static struct kf_mm *mm;

static struct kf_mm_stats stats(void)
{
	struct kf_mm_stats s;

	kf_mm_stats(mm, &s);
	return s;
}

static void set_limit(int res, uint64_t cur, uint64_t max)
{
	kf_setrlimit(res, cur, max);
}

static void no_limits(void)
{
	set_limit(KF_RLIMIT_AS, KF_RLIM_INFINITY, KF_RLIM_INFINITY);
	set_limit(KF_RLIMIT_DATA, KF_RLIM_INFINITY, KF_RLIM_INFINITY);
	set_limit(KF_RLIMIT_STACK, 8u << 20, KF_RLIM_INFINITY);
}

static long map(size_t pages, unsigned prot, unsigned flags)
{
	return kf_mm_map(mm, 0, pages * PG, prot, flags);
}

/* ---- counting ------------------------------------------------------------------ */

static void test_counts(void)
{
	struct kf_mm_stats a = stats(), b;
	long rw = map(4, RW, PRIV), ro = map(3, RO, PRIV);
	long rx = map(2, KF_PROT_READ | KF_PROT_EXEC, PRIV), sh = map(5, RW, SHRD);
	long st = map(6, RW, PRIV | KF_MAP_GROWSDOWN);

	b = stats();
	t_eq(b.total_vm - a.total_vm, 20, "mm.limits.total_counts_all");
	t_eq(b.data_vm - a.data_vm, 4, "mm.limits.data_private_writable");
	t_eq(b.exec_vm - a.exec_vm, 2, "mm.limits.exec_not_writable");
	t_eq(b.stack_vm - a.stack_vm, 6, "mm.limits.stack_growsdown");
	/* mprotect moves pages between kinds */
	kf_mm_protect(mm, (uintptr_t)ro, 2 * PG, RW);
	t_eq(stats().data_vm - a.data_vm, 6, "mm.limits.protect_makes_data");
	kf_mm_protect(mm, (uintptr_t)rw, 4 * PG, KF_PROT_NONE);
	t_eq(stats().data_vm - a.data_vm, 2, "mm.limits.protect_none_not_data");
	/* fork copies the counts, less what it does not copy */
	kf_mm_advise(mm, (uintptr_t)sh, 5 * PG, KF_MADV_DONTFORK);
	{
		struct kf_mm *child = NULL;
		struct kf_mm_stats c;

		t_eq(kf_mm_dup(mm, &child), 0, "mm.limits.dup");
		if (child) {
			kf_mm_stats(child, &c);
			t_eq(c.total_vm, stats().total_vm - 5, "mm.limits.dup_total");
			t_eq(c.data_vm, stats().data_vm, "mm.limits.dup_data");
			kf_mm_put(child);
		}
	}
	kf_mm_unmap(mm, (uintptr_t)rw, 4 * PG);
	kf_mm_unmap(mm, (uintptr_t)ro, 3 * PG);
	kf_mm_unmap(mm, (uintptr_t)rx, 2 * PG);
	kf_mm_unmap(mm, (uintptr_t)sh, 5 * PG);
	kf_mm_unmap(mm, (uintptr_t)st, 6 * PG);
	b = stats();
	tap_ok(b.total_vm == a.total_vm && b.data_vm == a.data_vm &&
	       b.stack_vm == a.stack_vm && b.exec_vm == a.exec_vm,
	       "mm.limits.unmap_uncounts", "total %lu/%lu", b.total_vm, a.total_vm);
}

/* ---- RLIMIT_AS and RLIMIT_DATA ----------------------------------------------------- */

static void test_as(void)
{
	unsigned long total = stats().total_vm;
	long a, b;

	set_limit(KF_RLIMIT_AS, (total + 16) * PG, KF_RLIM_INFINITY);
	t_eq(map(32, RW, PRIV), -KF_ENOMEM, "mm.limits.as_rw");
	t_eq(map(32, KF_PROT_NONE, PRIV), -KF_ENOMEM, "mm.limits.as_prot_none");
	t_eq(map(32, RW, SHRD), -KF_ENOMEM, "mm.limits.as_shared");
	a = map(12, RW, PRIV);
	tap_ok(a > 0, "mm.limits.as_within", "%ld", a);
	t_eq(map(8, KF_PROT_NONE, PRIV), -KF_ENOMEM, "mm.limits.as_used_up");
	/* replacing what is mapped needs no room */
	b = kf_mm_map(mm, (uintptr_t)a, 12 * PG, RO, PRIV | FIX);
	t_eq(b, a, "mm.limits.as_fixed_over_own");
	/* a limit below the usage: everything fails, nothing breaks */
	set_limit(KF_RLIMIT_AS, PG, KF_RLIM_INFINITY);
	t_eq(map(1, RO, PRIV), -KF_ENOMEM, "mm.limits.as_below_usage");
	kf_mm_unmap(mm, (uintptr_t)a, 12 * PG);
	no_limits();
}

static void test_data(void)
{
	unsigned long data = stats().data_vm;
	long p;

	set_limit(KF_RLIMIT_DATA, (data + 16) * PG, KF_RLIM_INFINITY);
	t_eq(map(32, RW, PRIV), -KF_ENOMEM, "mm.limits.data_rw");
	p = map(32, RO, PRIV);
	tap_ok(p > 0, "mm.limits.data_ro_ok", "%ld", p);
	t_eq(kf_mm_protect(mm, (uintptr_t)p, 32 * PG, RW), -KF_ENOMEM,
	     "mm.limits.data_protect_to_rw");
	t_eq(kf_mm_protect(mm, (uintptr_t)p, 8 * PG, RW), 0, "mm.limits.data_protect_within");
	kf_mm_unmap(mm, (uintptr_t)p, 32 * PG);
	p = map(32, RW, SHRD);
	tap_ok(p > 0, "mm.limits.data_shared_ok", "%ld", p);
	kf_mm_unmap(mm, (uintptr_t)p, 32 * PG);
	/* a soft limit of 0 means the hard one */
	set_limit(KF_RLIMIT_DATA, 0, KF_RLIM_INFINITY);
	p = map(4, RW, PRIV);
	tap_ok(p > 0, "mm.limits.data_soft_zero", "%ld", p);
	kf_mm_unmap(mm, (uintptr_t)p, 4 * PG);
	set_limit(KF_RLIMIT_DATA, 0, 0);
	t_eq(map(4, RW, PRIV), -KF_ENOMEM, "mm.limits.data_zero");
	no_limits();
}

/* brk: RLIMIT_DATA counts the heap and the loader's data segment (checked
 * first: the old break comes back), RLIMIT_AS the new pages */
static void test_brk(void)
{
	struct kf_mm *b = kf_mm_create();
	struct kf_mm_layout l = { 0 };
	uintptr_t base = T_BASE;

	if (!b)
		return;
	kf_mm_set_brk_base(b, base);
	l.start_data = base - 3 * PG;
	l.end_data = base - PG;			/* 2 pages of data */
	kf_mm_set_layout(b, &l);
	set_limit(KF_RLIMIT_DATA, 8 * PG, KF_RLIM_INFINITY);
	t_eq(kf_mm_brk(b, base + 6 * PG), base + 6 * PG, "mm.limits.brk_within_data");
	t_eq(kf_mm_brk(b, base + 7 * PG), base + 6 * PG, "mm.limits.brk_data_counts_segment");
	no_limits();
	/* the heap's 6 pages are all of @b: one more page fits, two do not */
	set_limit(KF_RLIMIT_AS, 7 * PG, KF_RLIM_INFINITY);
	t_eq(kf_mm_brk(b, base + 8 * PG), base + 6 * PG, "mm.limits.brk_past_as");
	t_eq(kf_mm_brk(b, base + 7 * PG), base + 7 * PG, "mm.limits.brk_up_to_as");
	no_limits();
	kf_mm_put(b);
}

/* ---- the stack ----------------------------------------------------------------------------- */

static void test_stack(void)
{
	uintptr_t top = T_BASE + 64 * STK_GAP, lo;
	long st = kf_mm_map(mm, top - 4 * PG, 4 * PG, RW, PRIV | FIX | KF_MAP_GROWSDOWN);
	struct kf_mm_stats s0 = stats();
	struct kf_mm_vma_info vi;
	unsigned i;
	long below;

	t_eq(st, (long)(top - 4 * PG), "mm.limits.stack_map");
	/* a fault two pages below grows it to there */
	t_eq(t_wb(top - 6 * PG, 1), 0, "mm.limits.stack_grows");
	t_eq(stats().stack_vm - s0.stack_vm, 2, "mm.limits.stack_counted");
	for (i = 0; kf_mm_vma_info(mm, i, &vi) == 0; i++)
		if (vi.end == top)
			break;
	tap_ok(vi.end == top && vi.start == top - 6 * PG && vi.growsdown,
	       "mm.limits.stack_vma_grown", "%#lx", (unsigned long)vi.start);
	/* RLIMIT_STACK bounds the whole stack */
	set_limit(KF_RLIMIT_STACK, 10 * PG, KF_RLIM_INFINITY);
	t_eq(t_wb(top - 10 * PG, 2), 0, "mm.limits.stack_up_to_limit");
	t_eq(t_wb(top - 11 * PG, 3), -KF_EFAULT, "mm.limits.stack_past_limit");
	no_limits();
	/* RLIMIT_AS too */
	set_limit(KF_RLIMIT_AS, stats().total_vm * PG, KF_RLIM_INFINITY);
	t_eq(t_wb(top - 12 * PG, 4), -KF_EFAULT, "mm.limits.stack_past_as");
	no_limits();
	/* the guard gap: an accessible mapping below keeps it 1 MiB away,
	 * a PROT_NONE one does not */
	lo = top - 10 * PG - STK_GAP - 8 * PG;
	below = kf_mm_map(mm, lo, 4 * PG, RO, PRIV | FIX);
	t_eq(below, (long)lo, "mm.limits.map_below_stack");
	t_eq(t_wb(lo + 4 * PG + STK_GAP - PG, 5), -KF_EFAULT, "mm.limits.stack_guard_gap");
	t_eq(t_wb(lo + 4 * PG + STK_GAP, 5), 0, "mm.limits.stack_outside_gap");
	kf_mm_protect(mm, lo, 4 * PG, KF_PROT_NONE);
	t_eq(t_wb(lo + 4 * PG + PG, 6), 0, "mm.limits.stack_gap_ignores_prot_none");
	kf_mm_unmap(mm, lo, 4 * PG);
	kf_mm_unmap(mm, lo + 4 * PG, top - lo - 4 * PG);
}

/* ---- peak RSS and minor faults ------------------------------------------------------------- */

static unsigned long min_flt(void)
{
	struct kf_task_info ti;

	kf_task_info(kf_os_current(), &ti);
	return ti.min_flt;
}

static void test_rss_faults(void)
{
	unsigned long f0 = min_flt(), hw;
	long p = map(16, RW, PRIV);
	unsigned i;

	for (i = 0; i < 16; i++)
		t_wb((uintptr_t)p + i * PG, 1);
	t_eq(min_flt() - f0, 16, "mm.limits.minflt_per_fault");
	for (i = 0; i < 16; i++)
		t_wb((uintptr_t)p + i * PG, 2);
	t_eq(min_flt() - f0, 16, "mm.limits.no_fault_no_count");
	hw = kf_mm_hiwater_rss(mm);
	tap_ok(hw >= kf_mm_rss(mm) && hw >= 16, "mm.limits.hiwater", "%lu", hw);
	kf_mm_unmap(mm, (uintptr_t)p, 16 * PG);
	t_eq(kf_mm_hiwater_rss(mm), hw, "mm.limits.hiwater_is_a_peak");
	t_eq(stats().rss, kf_mm_rss(mm), "mm.limits.stats_rss");
}

static int init_main(void *arg)
{
	(void)arg;
	mm = kf_task_mm(kf_os_current());
	t_use(mm);
	no_limits();
	test_counts();
	test_as();
	test_data();
	test_brk();
	test_stack();
	test_rss_faults();
	t_use(NULL);
	return 0;
}

int main(void)
{
	int st = kf_host_run_as_init(init_main, NULL);

	t_eq(st, 0, "mm.limits.init_status");
	t_eq(kf_host_leaked_objects(), 0, "mm.limits.no_leaked_objects");
	t_eq(kf_host_leaked_pages(), 0, "mm.limits.no_leaked_pages");
	return tap_done();
}
