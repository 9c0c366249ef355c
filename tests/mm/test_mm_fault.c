// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/mm/test_mm_fault.c - fail-the-Nth-allocation sweeps over the mm
 * calls that allocate: for N = 1, 2, ... until the call succeeds, the
 * failed call must return -ENOMEM, leave the address space as it was and
 * leak nothing.  Built once per PTE encoding, suite 'fault'.
 */
#include "mm_test.h"

/* Everything observable about an address space that a failure must keep. */
struct snap {
	unsigned nr_vmas;
	unsigned long rss;
	struct kf_mm_vma_info vma[8];
	unsigned char sum[8];	/* first byte of each VMA, via copy_out */
};

static struct snap snap_take(struct kf_mm *mm)
{
	struct snap s;

	memset(&s, 0, sizeof(s));
	s.nr_vmas = kf_mm_nr_vmas(mm);
	s.rss = kf_mm_rss(mm);
	for (unsigned i = 0; i < s.nr_vmas && i < 8; i++) {
		s.vma[i] = t_vma(mm, i);
		if (kf_mm_translate(mm, s.vma[i].start, NULL, NULL) == 0)
			kf_mm_copy_out(mm, &s.sum[i], s.vma[i].start, 1);
	}
	return s;
}

static bool snap_same(const struct snap *a, const struct snap *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* A parent worth forking: private pages across a leaf-table boundary, a
 * shared mapping, a DONTFORK and a WIPEONFORK range, 60 small VMAs. */
static struct kf_mm *make_parent(void)
{
	struct kf_mm *p = kf_mm_create();
	uintptr_t span = kf_pt_span(1);
	uintptr_t priv = (T_BASE + span) - 8 * PG;	/* crosses a leaf table */

	t_use(p);
	kf_mm_map(p, priv, 16 * PG, RW, PRIV | FIX);
	t_fill(priv, 16 * PG, 1);
	kf_mm_map(p, T_BASE + 4 * span, 4 * PG, RW, SHRD | FIX);
	t_fill(T_BASE + 4 * span, 4 * PG, 2);
	kf_mm_map(p, T_BASE + 5 * span, 2 * PG, RW, PRIV | FIX);
	t_fill(T_BASE + 5 * span, 2 * PG, 3);
	kf_mm_advise(p, T_BASE + 5 * span, PG, KF_MADV_DONTFORK);
	kf_mm_advise(p, T_BASE + 5 * span + PG, PG, KF_MADV_WIPEONFORK);
	for (unsigned i = 0; i < 60; i++) {
		uintptr_t va = T_BASE + 6 * span + 2 * i * PG;

		kf_mm_map(p, va, PG, i % 3 ? RW : RO, PRIV | FIX);
		kf_mm_copy_in(p, va, &i, 1);
	}
	t_use(NULL);
	return p;
}

static void sweep_dup(unsigned df, const char *tag)
{
	struct t_mark m0 = t_mark();
	struct kf_mm *p = make_parent(), *c = NULL;
	struct snap before = snap_take(p), after;
	struct t_mark m = t_mark();
	int n, bad_rc = 0, leaks = 0, changed = 0, refs = 0;
	uintptr_t priv = T_BASE + kf_pt_span(1) - 8 * PG;
	char id[96];
	int rc;

	for (n = 1; ; n++) {
		c = NULL;
		kf_host_fail_nth(n);
		rc = kf_mm_dup_flags(p, df, &c);
		if (!kf_host_fail_fired())
			break;
		bad_rc += rc != -KF_ENOMEM || c != NULL;
		leaks += kf_host_live_objects() != m.objs || kf_host_live_pages() != m.pages;
		after = snap_take(p);
		changed += !snap_same(&before, &after);
		refs += t_refs(p, priv + 9 * PG) != 1;
	}
	kf_host_fail_nth(0);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.swept", tag);
	tap_ok(rc == 0 && n > 3, id, "rc %d after %d failures", rc, n - 1);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.enomem", tag);
	t_eq(bad_rc, 0, id);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.no_leak", tag);
	t_eq(leaks, 0, id);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.parent_intact", tag);
	t_eq(changed, 0, id);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.refs_back", tag);
	t_eq(refs, 0, id);
	/* the successful child is complete */
	t_use(c);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.child_ok", tag);
	tap_ok(c && kf_mm_nr_vmas(c) == before.nr_vmas - 1 &&
	       t_check(priv, 16 * PG, 1) == -1 &&
	       t_check(T_BASE + 4 * kf_pt_span(1), 4 * PG, 2) == -1, id, NULL);
	t_use(NULL);
	if (c)
		kf_mm_put(c);
	kf_mm_put(p);
	snprintf(id, sizeof(id), "mm.fault.dup.%s.all_freed", tag);
	t_no_leak(m0, id);
}

/* A second address space a setup may create (a fork child that keeps
 * pages shared); sweep_call frees it with the mm. */
static struct kf_mm *g_extra;

static void put_all(struct kf_mm *mm)
{
	t_use(NULL);
	kf_mm_put(mm);
	if (g_extra)
		kf_mm_put(g_extra);
	g_extra = NULL;
}

/*
 * sweep_call - fail each allocation of @op(@mm) in turn, on a fresh
 * @setup() each time; there must be at least @min_failures of them.  A
 * failed call must return -ENOMEM and change nothing observable; what it
 * allocated before failing (page tables of the mm) may stay but must be
 * freed with the mm.
 */
static void sweep_call(const char *name, struct kf_mm *(*setup)(void),
		       long (*op)(struct kf_mm *), long ok, int min_failures)
{
	struct t_mark m0 = t_mark();
	int n, bad = 0, changed = 0;
	long rc;
	char id[96];

	for (n = 1; ; n++) {
		struct kf_mm *mm = setup();
		struct snap before = snap_take(mm), after;
		bool fired;

		t_use(mm);
		kf_host_fail_nth(n);
		rc = op(mm);
		fired = kf_host_fail_fired();
		kf_host_fail_nth(0);
		if (fired) {
			bad += rc != -KF_ENOMEM;
			after = snap_take(mm);
			changed += !snap_same(&before, &after);
		}
		put_all(mm);
		if (!fired)
			break;
	}
	snprintf(id, sizeof(id), "mm.fault.%s.swept", name);
	tap_ok(rc == ok && n - 1 >= min_failures, id, "rc %ld after %d failures",
	       rc, n - 1);
	snprintf(id, sizeof(id), "mm.fault.%s.enomem", name);
	t_eq(bad, 0, id);
	snprintf(id, sizeof(id), "mm.fault.%s.unchanged", name);
	t_eq(changed, 0, id);
	snprintf(id, sizeof(id), "mm.fault.%s.no_leak", name);
	t_no_leak(m0, id);
}

static struct kf_mm *setup_empty(void)
{
	return kf_mm_create();
}

/*
 * 16 VMAs in a 16-slot array (maps keep two slots spare for their own
 * splits; a protect splitting one VMA in three fills them), so the next
 * split must grow the array.  VMA 0 is [T_BASE, +3 pages) RW.
 */
static struct kf_mm *setup_full(void)
{
	struct kf_mm *mm = kf_mm_create();

	for (unsigned i = 0; i < 14; i++)
		kf_mm_map(mm, T_BASE + 3 * i * PG, 3 * PG, i & 1 ? RO : RW,
			  PRIV | FIX);
	kf_mm_protect(mm, T_BASE + 40 * PG, PG, RW);
	if (kf_mm_nr_vmas(mm) != 16)
		tap_diag("setup_full: %u VMAs", kf_mm_nr_vmas(mm));
	return mm;
}

#define FAR (T_BASE + 3 * kf_pt_span(2))

/* one RW page far from everything: faulting it needs new tables */
static struct kf_mm *setup_far(void)
{
	struct kf_mm *mm = kf_mm_create();

	kf_mm_map(mm, T_BASE, PG, RW, PRIV | FIX | KF_MAP_POPULATE);
	kf_mm_map(mm, FAR, PG, RW, PRIV | FIX);
	return mm;
}

/* a private page shared copy-on-write with a live fork child */
static struct kf_mm *setup_cow(void)
{
	struct kf_mm *mm = kf_mm_create();

	kf_mm_map(mm, T_BASE, 8 * PG, RW, PRIV | FIX);
	kf_mm_copy_in(mm, T_BASE, "abc", 3);
	kf_mm_dup(mm, &g_extra);
	return mm;
}

/* a shared mapping with one page touched; the op touches a far one */
static struct kf_mm *setup_shared(void)
{
	struct kf_mm *mm = kf_mm_create();

	kf_mm_map(mm, T_BASE, 2 * kf_pt_span(2), RW, SHRD | FIX);
	kf_mm_copy_in(mm, T_BASE, "s", 1);
	kf_mm_dup(mm, &g_extra);	/* the object is shared too */
	return mm;
}

static long op_shared_fault(struct kf_mm *mm)
{
	return kf_mm_fault(mm, T_BASE + 2 * kf_pt_span(2) - PG, KF_FAULT_WRITE);
}

static long op_map_shared(struct kf_mm *mm)
{
	return kf_mm_map(mm, T_BASE, 4 * PG, RW, SHRD | FIX);
}

static long op_map_split(struct kf_mm *mm)
{
	return kf_mm_map(mm, T_BASE + PG, PG, RO, PRIV | FIX);
}

static long op_unmap_hole(struct kf_mm *mm)
{
	return kf_mm_unmap(mm, T_BASE + PG, PG);
}

static long op_protect_split(struct kf_mm *mm)
{
	return kf_mm_protect(mm, T_BASE + PG, PG, RO);
}

static long op_advise_split(struct kf_mm *mm)
{
	return kf_mm_advise(mm, T_BASE + PG, PG, KF_MADV_DONTFORK);
}

static long op_fault(struct kf_mm *mm)
{
	return kf_mm_fault(mm, FAR, KF_FAULT_WRITE);
}

static long op_cow_write(struct kf_mm *mm)
{
	return kf_mm_copy_in(mm, T_BASE, "x", 1);
}

static long op_brk(struct kf_mm *mm)
{
	kf_mm_set_brk_base(mm, 0x600000);
	return kf_mm_brk(mm, 0x600000 + 3 * PG) == 0x600000 + 3 * PG ? 0 : -KF_ENOMEM;
}

/* the first map of a fresh mm allocates the VMA array too */
static long op_map_first(struct kf_mm *mm)
{
	return kf_mm_map(mm, T_BASE, PG, RW, SHRD | FIX);
}

int main(void)
{
	tap_diag("mm fault-injection sweeps, %s page-table format", KF_ARCH_PTE_NAME);
	sweep_dup(0, "default");
	sweep_dup(KF_MM_DUP_EAGER, "eager");
	sweep_call("map_first", setup_empty, op_map_first, (long)T_BASE, 1);
	sweep_call("map_shared", setup_full, op_map_shared, (long)T_BASE, 1);
	sweep_call("map_split", setup_full, op_map_split, (long)(T_BASE + PG), 1);
	sweep_call("unmap_hole", setup_full, op_unmap_hole, 0, 1);
	sweep_call("protect_split", setup_full, op_protect_split, 0, 1);
	sweep_call("advise_split", setup_full, op_advise_split, 0, 1);
	sweep_call("fault_tables", setup_far, op_fault, 0, 1);
	sweep_call("shared_fault", setup_shared, op_shared_fault, 0, 1);
	sweep_call("cow_write", setup_cow, op_cow_write, 0, CONFIG_KF_COW);
	sweep_call("brk", setup_empty, op_brk, 0, 1);
	return tap_done();
}
