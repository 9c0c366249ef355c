// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/mm/test_mm.c - address spaces over one PTE encoding (the program
 * is built once per encoding): PTE round trips, the generic walk, mmap /
 * munmap / mprotect / madvise / brk with Linux's errnos, faults, and fork's
 * copy (COW and eager) with TLB-staleness checks through the sim CPU.
 */
#include "mm_test.h"

#define R KF_PROT_READ
#define W KF_PROT_WRITE
#define X KF_PROT_EXEC
#define U KF_PROT_USER

static bool enc_is(const char *name)
{
	return strcmp(KF_ARCH_PTE_NAME, name) == 0;
}

/* ---- PTE encoding --------------------------------------------------------- */

static unsigned norm_prot(unsigned p)
{
	unsigned a = p & (R | W | X);

	return (a ? a | R : 0) | (p & U);
}

static void test_pte_roundtrip(void)
{
	static const kf_paddr_t pas[] = {
		0x1000, 0x7fff000, 0x123456789000ull, 0x7ffffffff000ull,
	};
	int bad = 0, level;

	for (unsigned i = 0; i < sizeof(pas) / sizeof(pas[0]); i++) {
		kf_paddr_t pa = pas[i];
		kf_pte_t t = kf_arch_pte_mk_table(pa);

		for (unsigned p = 0; p < 16; p++) {
			kf_pte_t e = kf_arch_pte_mk_page(pa, p), w;
			unsigned n = norm_prot(p);

			if (!e || kf_arch_pte_pa(e) != pa ||
			    kf_arch_pte_present(e) != ((p & (R | W | X)) != 0) ||
			    kf_arch_pte_prot(e) != n) {
				tap_diag("mk_page(%#llx, %u) = %#llx: pa %#llx prot %u",
					 (unsigned long long)pa, p,
					 (unsigned long long)e,
					 (unsigned long long)kf_arch_pte_pa(e),
					 kf_arch_pte_prot(e));
				bad++;
				continue;
			}
			if (!kf_arch_pte_present(e))
				continue;
			w = kf_arch_pte_wrprotect(e);
			if (kf_arch_pte_prot(w) != (n & ~W) ||
			    kf_arch_pte_pa(w) != pa || !kf_arch_pte_present(w) ||
			    kf_arch_pte_prot(kf_arch_pte_mkwrite(w)) != (n | W) ||
			    kf_arch_pte_pa(kf_arch_pte_mkwrite(w)) != pa) {
				tap_diag("wrprotect/mkwrite of %#llx", (unsigned long long)e);
				bad++;
			}
		}
		for (level = 1; level < KF_PT_LEVELS; level++)
			if (!kf_arch_pte_is_table(t, level))
				bad++;
		if (!kf_arch_pte_present(t) || kf_arch_pte_pa(t) != pa)
			bad++;
	}
	t_eq(bad, 0, "mm.pte.roundtrip");
	tap_ok(!kf_arch_pte_present(0) && kf_arch_pte_prot(0) == 0 &&
	       !kf_arch_pte_is_table(0, 1), "mm.pte.empty_is_zero", NULL);
}

/* The exact bits of the real formats (the sim format is checked for its
 * deliberately odd layout). */
static void test_pte_bits(void)
{
	kf_paddr_t pa = 0x5000;
	kf_pte_t rw = kf_arch_pte_mk_page(pa, R | W | U);
	kf_pte_t rx = kf_arch_pte_mk_page(pa, R | X | U);
	kf_pte_t tb = kf_arch_pte_mk_table(0x6000);

	tap_diag("encoding %s: %d levels, user VA end %#lx", KF_ARCH_PTE_NAME,
		 KF_PT_LEVELS, (unsigned long)KF_USER_VA_END);
	if (enc_is("x86_64")) {
		t_eq(rw, 0x5000 | 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | (1ull << 63),
		       "mm.pte.bits.user_rw");
		t_eq(rx, 0x5000 | 0x1 | 0x4 | 0x20, "mm.pte.bits.user_rx");
		t_eq(tb, 0x6007, "mm.pte.bits.table");
		t_eq(KF_USER_VA_END, 0x0000800000000000ull, "mm.pte.bits.va_end");
		t_eq(KF_TASK_SIZE, 0x00007ffffffff000ull, "mm.pte.bits.task_size");
	} else if (enc_is("aarch64")) {
		uint64_t base = 0x5000 | 0x3 | 0x300 | 0x400 | 0x800 | 0x40 |
				(1ull << 53);
		t_eq(rw, base | (1ull << 54), "mm.pte.bits.user_rw");
		t_eq(rx, base | 0x80, "mm.pte.bits.user_rx");
		t_eq(tb, 0x6003, "mm.pte.bits.table");
		t_eq(KF_USER_VA_END, 0x0001000000000000ull, "mm.pte.bits.va_end");
		t_eq(KF_TASK_SIZE, 0x0001000000000000ull, "mm.pte.bits.task_size");
	} else if (enc_is("riscv64-sv39") || enc_is("riscv64-sv48")) {
		t_eq(rw, (5ull << 10) | 0x1 | 0x2 | 0x4 | 0x10 | 0x40 | 0x80,
		       "mm.pte.bits.user_rw");
		t_eq(rx, (5ull << 10) | 0x1 | 0x2 | 0x8 | 0x10 | 0x40,
		       "mm.pte.bits.user_rx");
		t_eq(tb, (6ull << 10) | 0x1, "mm.pte.bits.table");
		t_eq(KF_USER_VA_END, KF_PT_LEVELS == 3 ? 0x4000000000ull :
		       0x800000000000ull, "mm.pte.bits.va_end");
		t_eq(KF_TASK_SIZE, KF_USER_VA_END, "mm.pte.bits.task_size");
	} else {
		t_eq(rw >> 24, 5, "mm.pte.bits.user_rw");
		tap_ok(!(rw & 1) && (kf_arch_pte_mk_page(pa, R | U) & (1u << 4)),
		       "mm.pte.bits.user_rx", "sim: bit 0 clear, RO inverted");
		tap_ok(kf_arch_pte_is_table(tb, 1) &&
		       !kf_arch_pte_is_table(rw, 1), "mm.pte.bits.table", NULL);
		t_eq(KF_USER_VA_END, 0x0000800000000000ull, "mm.pte.bits.va_end");
		t_eq(KF_TASK_SIZE, KF_USER_VA_END, "mm.pte.bits.task_size");
	}
}

/* ---- the generic walk --------------------------------------------------- */

static void test_pgwalk(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	kf_paddr_t root = kf_mm_arch(mm)->root, pa = 0;
	uintptr_t far = KF_USER_VA_END / 2, top = KF_TASK_SIZE - PG;
	long pages0 = kf_host_live_pages();
	kf_pte_t e = 0;
	unsigned prot = 0;

	t_use(mm);
	t_eq(kf_pt_lookup(root, T_BASE, &e), -KF_EFAULT, "mm.walk.lookup_empty");
	tap_ok(kf_pt_walk(root, T_BASE, NULL, NULL) == NULL,
	       "mm.walk.no_alloc_null", NULL);
	kf_mm_map(mm, T_BASE, 4 * PG, RW, PRIV | FIX);
	kf_mm_map(mm, far, PG, RW, PRIV | FIX);
	t_eq(kf_mm_map(mm, top, PG, RW, PRIV | FIX), (long)top, "mm.walk.map_top");
	t_wb(T_BASE + PG + 5, 0x5a);
	t_wb(far, 0x11);
	t_wb(top + PG - 1, 0x22);
	t_eq(kf_pt_lookup(root, T_BASE + PG, &e), 0, "mm.walk.lookup_mapped");
	kf_mm_translate(mm, T_BASE + PG, &pa, &prot);
	tap_ok(kf_arch_pte_pa(e) == pa && pa != 0 &&
	       kf_arch_pte_prot(e) == (R | W | U) && prot == (R | W | U),
	       "mm.walk.lookup_matches", "pa %#llx/%#llx prot %u",
	       (unsigned long long)kf_arch_pte_pa(e), (unsigned long long)pa, prot);
	t_eq(((unsigned char *)kf_os_phys_to_virt(pa))[5], 0x5a,
	       "mm.walk.frame_holds_data");
	t_eq(kf_pt_lookup(root, KF_USER_VA_END, &e), -KF_EFAULT,
	       "mm.walk.lookup_beyond_end");
	t_eq(t_rb(top + PG - 1), 0x22, "mm.walk.top_page");
	t_eq(kf_pt_count_leaves(root, 0, KF_USER_VA_END), 3, "mm.walk.count_leaves");
	t_eq(kf_mm_rss(mm), 3, "mm.walk.rss");
	/* 3 pages, and (levels-1) tables for each of 3 distant pages, minus
	 * the ones T_BASE's and far's paths share (none: different root slots)
	 * and far/top's (none either: top is in the last root slot) */
	t_eq(kf_host_live_pages() - pages0, 3 + 3 * (KF_PT_LEVELS - 1),
	       "mm.walk.tables_allocated");
	kf_mm_unmap(mm, T_BASE, 4 * PG);
	kf_mm_unmap(mm, far, PG);
	kf_mm_unmap(mm, top, PG);
	t_eq(kf_host_live_pages(), pages0, "mm.walk.tables_freed_on_unmap");
	t_eq(kf_pt_lookup(root, T_BASE + PG, &e), -KF_EFAULT, "mm.walk.lookup_after_unmap");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.walk.no_leak");
}

/* ---- mmap ------------------------------------------------------------------ */

static void test_map_errors(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	uintptr_t end = KF_TASK_SIZE;

	t_eq(kf_mm_map(mm, 0, 0, RW, PRIV), -KF_EINVAL, "mm.map.len0_einval");
	/* user space ends at the arch's TASK_SIZE, not at the tables' span:
	 * on x86_64 the last page below the canonical hole is refused */
	t_eq(kf_mm_map(mm, end, PG, RW, PRIV | FIX), -KF_ENOMEM,
	       "mm.map.fixed_at_task_size_enomem");
	t_eq(kf_mm_map(mm, end - PG, PG, RW, PRIV | FIX), (long)(end - PG),
	       "mm.map.fixed_last_user_page");
	kf_mm_unmap(mm, end - PG, PG);
	t_eq(kf_mm_map(mm, T_BASE + 1, PG, RW, PRIV | FIX), -KF_EINVAL,
	       "mm.map.fixed_unaligned_einval");
	t_eq(kf_mm_map(mm, T_BASE + 1, PG, RW, PRIV | KF_MAP_FIXED_NOREPLACE),
	       -KF_EINVAL, "mm.map.noreplace_unaligned_einval");
	t_eq(kf_mm_map(mm, end - PG, 2 * PG, RW, PRIV | FIX), -KF_ENOMEM,
	       "mm.map.fixed_beyond_end_enomem");
	t_eq(kf_mm_map(mm, 0, end + PG, RW, PRIV), -KF_ENOMEM,
	       "mm.map.too_long_enomem");
	t_eq(kf_mm_map(mm, 0, SIZE_MAX, RW, PRIV), -KF_ENOMEM,
	       "mm.map.len_overflow_enomem");
	t_eq(kf_mm_map(mm, 0x1000, PG, RW, PRIV | FIX), -KF_EPERM,
	       "mm.map.fixed_below_min_eperm");
	t_eq(kf_mm_map(mm, 0, PG, RW, PRIV | FIX), -KF_EPERM,
	       "mm.map.fixed_zero_eperm");
	t_eq(kf_mm_map(mm, 0, PG, RW, KF_MAP_ANONYMOUS), -KF_EINVAL,
	       "mm.map.no_type_einval");
	t_eq(kf_mm_map(mm, 0, PG, RW, KF_MAP_SHARED_VALIDATE | KF_MAP_ANONYMOUS),
	       -KF_EINVAL, "mm.map.shared_validate_anon_einval");
	t_eq(kf_mm_map(mm, 0, PG, RW, SHRD | KF_MAP_GROWSDOWN), -KF_EINVAL,
	       "mm.map.shared_growsdown_einval");
	t_eq(kf_mm_nr_vmas(mm), 0, "mm.map.errors_map_nothing");
	/* order: the unaligned check comes after the range check */
	t_eq(kf_mm_map(mm, end - PG + 1, 2 * PG, RW, PRIV | FIX), -KF_ENOMEM,
	       "mm.map.order_range_before_align");
	kf_mm_put(mm);
	t_no_leak(m, "mm.map.errors_no_leak");
}

static void test_map_placement(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	uintptr_t base = KF_TASK_SIZE - (128ul << 20), end = KF_TASK_SIZE;
	long a1, a2, a3, a;

	a1 = kf_mm_map(mm, 0, 4 * PG, RW, PRIV);
	t_eq(a1, (long)(base - 4 * PG), "mm.map.topdown_first");
	a2 = kf_mm_map(mm, 0, 4 * PG, RW, PRIV);
	t_eq(a2, a1 - 4 * (long)PG, "mm.map.topdown_next_below");
	t_eq(kf_mm_nr_vmas(mm), 1, "mm.map.adjacent_merged");
	a3 = kf_mm_map(mm, 0, PG, RO, PRIV);
	t_eq(a3, a2 - (long)PG, "mm.map.topdown_third");
	t_eq(kf_mm_nr_vmas(mm), 2, "mm.map.other_prot_not_merged");
	a = kf_mm_map(mm, (uintptr_t)a1, PG, RW, PRIV);
	t_eq(a, a3 - (long)PG, "mm.map.hint_taken_searches");
	t_eq(kf_mm_map(mm, 0x20000123, PG, RW, PRIV), 0x20000000,
	       "mm.map.hint_rounded_down");
	t_eq(kf_mm_map(mm, 0x1000, PG, RW, PRIV), (long)KF_MM_MIN_ADDR,
	       "mm.map.hint_below_min_raised");
	t_eq(kf_mm_map(mm, (uintptr_t)a1 + PG, PG, RW,
			 PRIV | KF_MAP_FIXED_NOREPLACE), -KF_EEXIST,
	       "mm.map.noreplace_overlap_eexist");
	t_eq(kf_mm_map(mm, T_BASE, PG, RW, PRIV | KF_MAP_FIXED_NOREPLACE),
	       (long)T_BASE, "mm.map.noreplace_free_ok");
	kf_mm_put(mm);

	/* no room: a big PROT_NONE block leaves only gaps smaller than len */
	mm = kf_mm_create();
	kf_mm_map(mm, (end / 4) & ~(PG - 1), 2 * ((end / 4) & ~(PG - 1)),
		  KF_PROT_NONE, PRIV | FIX);
	t_eq(kf_mm_map(mm, 0, end / 2, RW, PRIV), -KF_ENOMEM, "mm.map.no_room_enomem");
	t_eq(kf_mm_rss(mm), 0, "mm.map.prot_none_no_pages");
	kf_mm_put(mm);

	/* below mmap_base full: bottom-up fallback above it */
	mm = kf_mm_create();
	kf_mm_map(mm, KF_MM_MIN_ADDR, base - KF_MM_MIN_ADDR, KF_PROT_NONE, PRIV | FIX);
	t_eq(kf_mm_map(mm, 0, PG, RW, PRIV), (long)base, "mm.map.bottomup_fallback");
	kf_mm_put(mm);
	t_no_leak(m, "mm.map.placement_no_leak");
}

static void test_map_fixed_replace(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	long pages;

	t_use(mm);
	kf_mm_map(mm, T_BASE, 4 * PG, RW, PRIV | FIX);
	t_fill(T_BASE, 4 * PG, 1);
	pages = kf_host_live_pages();
	t_eq(kf_mm_map(mm, T_BASE + PG, 2 * PG, RO, PRIV | FIX), (long)(T_BASE + PG),
	       "mm.map.fixed_replace");
	t_eq(kf_mm_nr_vmas(mm), 3, "mm.map.fixed_replace_splits");
	t_eq(kf_host_live_pages(), pages - 2, "mm.map.fixed_replace_frees_pages");
	t_eq(t_check(T_BASE, PG, 1), -1, "mm.map.fixed_replace_keeps_left");
	tap_ok(t_is_zero(T_BASE + PG, 2 * PG), "mm.map.fixed_replace_zeroed", NULL);
	t_eq(t_wb(T_BASE + PG, 1), -KF_EFAULT, "mm.map.fixed_replace_new_prot");
	t_eq(t_rb(T_BASE + 3 * PG + 7), t_pat(3 * PG + 7, 1),
	       "mm.map.fixed_replace_keeps_right");

	/* MAP_POPULATE: pages present at once */
	t_eq(kf_mm_map(mm, T_BASE + 16 * PG, 3 * PG, RW, PRIV | FIX | KF_MAP_POPULATE),
	       (long)(T_BASE + 16 * PG), "mm.map.populate");
	tap_ok(t_frame(mm, T_BASE + 18 * PG) != 0 &&
	       (t_prot(mm, T_BASE + 16 * PG) & W), "mm.map.populate_present_writable", NULL);
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.map.replace_no_leak");
}

static void test_map_count(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	long r = 0;
	int i;

	kf_mm_set_max_map_count(4);
	for (i = 0; i < 5; i++)	/* alternating prot: no merging */
		r = kf_mm_map(mm, T_BASE + 2 * i * PG, 2 * PG, i & 1 ? RO : RW,
			      PRIV | FIX);
	tap_ok(r == (long)(T_BASE + 8 * PG) && kf_mm_nr_vmas(mm) == 5,
	       "mm.count.linux_allows_max_plus_one", "r %ld nr %u", r,
	       kf_mm_nr_vmas(mm));
	t_eq(kf_mm_map(mm, T_BASE + 20 * PG, PG, RW, PRIV | FIX), -KF_ENOMEM,
	       "mm.count.map_enomem");
	t_eq(kf_mm_unmap(mm, T_BASE + 2 * PG + 0, PG), 0,
	       "mm.count.unmap_edge_ok");
	t_eq(kf_mm_protect(mm, T_BASE + PG, PG, RO), -KF_ENOMEM,
	       "mm.count.protect_split_enomem");
	kf_mm_set_max_map_count(5);
	t_eq(kf_mm_unmap(mm, T_BASE + 8 * PG, PG), 0, "mm.count.unmap_shrink_ok");
	kf_mm_map(mm, T_BASE + 8 * PG, 3 * PG, RW, PRIV | FIX);
	t_eq(kf_mm_nr_vmas(mm), 5, "mm.count.refilled");
	t_eq(kf_mm_unmap(mm, T_BASE + 9 * PG, PG), -KF_ENOMEM,
	       "mm.count.unmap_hole_enomem");
	t_eq(kf_mm_nr_vmas(mm), 5, "mm.count.unchanged_on_enomem");
	kf_mm_set_max_map_count(KF_MM_MAX_MAP_COUNT);
	kf_mm_put(mm);
	t_no_leak(m, "mm.count.no_leak");
}

/* ---- munmap --------------------------------------------------------------- */

static void test_unmap(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	long pages;

	t_use(mm);
	t_eq(kf_mm_unmap(mm, T_BASE + 1, PG), -KF_EINVAL, "mm.unmap.unaligned_einval");
	t_eq(kf_mm_unmap(mm, T_BASE, 0), -KF_EINVAL, "mm.unmap.len0_einval");
	t_eq(kf_mm_unmap(mm, KF_USER_VA_END + PG, PG), -KF_EINVAL,
	       "mm.unmap.beyond_end_einval");
	t_eq(kf_mm_unmap(mm, T_BASE, KF_USER_VA_END), -KF_EINVAL,
	       "mm.unmap.too_long_einval");
	t_eq(kf_mm_unmap(mm, T_BASE, PG), 0, "mm.unmap.nothing_ok");

	kf_mm_map(mm, T_BASE, 8 * PG, RW, PRIV | FIX);
	t_fill(T_BASE, 8 * PG, 3);
	pages = kf_host_live_pages();
	t_eq(kf_mm_unmap(mm, T_BASE + 2 * PG, 2 * PG), 0, "mm.unmap.middle");
	t_eq(kf_mm_nr_vmas(mm), 2, "mm.unmap.middle_splits");
	t_eq(kf_mm_rss(mm), 6, "mm.unmap.middle_rss");
	t_eq(kf_host_live_pages(), pages - 2, "mm.unmap.middle_frees");
	t_eq(t_rb(T_BASE + 2 * PG), -1, "mm.unmap.middle_faults");
	t_eq(t_rb(T_BASE + 3 * PG + 4095), -1, "mm.unmap.middle_last_byte_faults");
	tap_ok(t_check(T_BASE, 2 * PG, 3) == -1 &&
	       t_rb(T_BASE + 4 * PG) == t_pat(4 * PG, 3),
	       "mm.unmap.edges_intact", NULL);
	t_eq(kf_mm_unmap(mm, T_BASE + 7 * PG, 1), 0, "mm.unmap.len_rounded_up");
	t_eq(t_rb(T_BASE + 7 * PG), -1, "mm.unmap.rounded_page_gone");
	t_eq(kf_mm_unmap(mm, T_BASE, 8 * PG), 0, "mm.unmap.across_vmas");
	tap_ok(kf_mm_nr_vmas(mm) == 0 && kf_mm_rss(mm) == 0, "mm.unmap.all_gone", NULL);
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.unmap.no_leak");
}

/*
 * munmap frees the page tables that only the unmapped range used, and only
 * those: a lone page 4 GiB away from its neighbours takes its leaf table
 * and the table above it (3 frames in all, on every format here), while a
 * page sharing its leaf table with a neighbour gives back its frame alone.
 */
static void test_unmap_frees_tables(void)
{
	const uintptr_t gib = (uintptr_t)1 << 30;
	uintptr_t a = T_BASE, b = T_BASE + 4 * gib, c = T_BASE + 8 * gib;
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	long pages;

	t_use(mm);
	kf_mm_map(mm, a, PG, RW, PRIV | FIX);
	kf_mm_map(mm, b, PG, RW, PRIV | FIX);
	kf_mm_map(mm, c, PG, RW, PRIV | FIX);
	t_wb(a, 1);
	t_wb(b, 2);
	t_wb(c, 3);
	pages = kf_host_live_pages();
	t_eq(kf_mm_unmap(mm, b, PG), 0, "mm.unmap.lone_page");
	t_eq(kf_host_live_pages(), pages - 3, "mm.unmap.lone_page_frees_its_tables");
	tap_ok(t_rb(a) == 1 && t_rb(c) == 3, "mm.unmap.neighbours_intact", NULL);
	kf_mm_map(mm, b, PG, RW, PRIV | FIX);
	kf_mm_map(mm, b + 2 * PG, PG, RW, PRIV | FIX);
	t_wb(b, 4);
	t_wb(b + 2 * PG, 5);
	pages = kf_host_live_pages();
	t_eq(kf_mm_unmap(mm, b, PG), 0, "mm.unmap.shared_leaf");
	t_eq(kf_host_live_pages(), pages - 1, "mm.unmap.shared_leaf_keeps_tables");
	t_eq(t_rb(b + 2 * PG), 5, "mm.unmap.shared_leaf_neighbour_intact");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.unmap.tables.no_leak");
}

/* ---- mprotect -------------------------------------------------------------- */

static void test_protect(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	struct kf_mm_vma_info vi;

	t_use(mm);
	t_eq(kf_mm_protect(mm, T_BASE + 1, PG, RO), -KF_EINVAL, "mm.protect.unaligned_einval");
	t_eq(kf_mm_protect(mm, T_BASE, 0, RO), 0, "mm.protect.len0_ok");
	t_eq(kf_mm_protect(mm, T_BASE, PG, 0x10), -KF_EINVAL, "mm.protect.bad_bits_einval");
	t_eq(kf_mm_protect(mm, T_BASE, PG, RO | 0x03000000), -KF_EINVAL,
	       "mm.protect.grows_both_einval");
	t_eq(kf_mm_protect(mm, T_BASE, PG, RO), -KF_ENOMEM, "mm.protect.unmapped_enomem");
	t_eq(kf_mm_protect(mm, T_BASE, (size_t)0 - PG, RO), -KF_ENOMEM,
	       "mm.protect.wrap_enomem");
	t_eq(kf_mm_protect(mm, T_BASE, PG, RO | 0x01000000), -KF_ENOMEM,
	       "mm.protect.growsdown_unmapped_enomem");

	kf_mm_map(mm, T_BASE, 4 * PG, RW, PRIV | FIX);
	t_eq(kf_mm_protect(mm, T_BASE, PG, RO | 0x01000000), -KF_EINVAL,
	       "mm.protect.growsdown_not_stack_einval");
	t_eq(kf_mm_protect(mm, T_BASE, PG, RW | 0x8), 0, "mm.protect.prot_sem_ok");
	t_fill(T_BASE, 4 * PG, 5);
	/* the TLB now caches writable entries: mprotect must flush them */
	t_eq(kf_mm_protect(mm, T_BASE + PG, 2 * PG, RO), 0, "mm.protect.middle");
	t_eq(kf_mm_nr_vmas(mm), 3, "mm.protect.middle_splits");
	t_eq(t_wb(T_BASE + PG, 0), -KF_EFAULT, "mm.protect.write_after_ro_faults");
	t_eq(t_wb(T_BASE + 2 * PG + 100, 0), -KF_EFAULT, "mm.protect.write_after_ro_faults2");
	t_eq(t_check(T_BASE, 4 * PG, 5), -1, "mm.protect.data_kept");
	t_eq(t_wb(T_BASE, 0xee), 0, "mm.protect.left_still_writable");
	t_eq(kf_mm_protect(mm, T_BASE + PG, 2 * PG, RW), 0, "mm.protect.back_rw");
	t_eq(kf_mm_nr_vmas(mm), 1, "mm.protect.merged_back");
	t_eq(t_wb(T_BASE + PG, 0x77), 0, "mm.protect.writable_again");
	t_eq(t_rb(T_BASE + PG), 0x77, "mm.protect.write_landed");

	t_eq(kf_mm_protect(mm, T_BASE, 4 * PG, KF_PROT_NONE), 0, "mm.protect.none");
	t_eq(t_rb(T_BASE + 3 * PG), -1, "mm.protect.none_read_faults");
	t_eq(kf_mm_rss(mm), 4, "mm.protect.none_keeps_pages");
	t_eq(t_prot(mm, T_BASE + 3 * PG) & (R | W | X), 0, "mm.protect.none_pte");
	kf_mm_protect(mm, T_BASE, 4 * PG, RO);
	t_eq(t_rb(T_BASE + 3 * PG + 9), t_pat(3 * PG + 9, 5), "mm.protect.none_then_ro_data");

	/* a hole: Linux changes the VMAs before it, then fails */
	kf_mm_protect(mm, T_BASE, 4 * PG, RW);
	kf_mm_map(mm, T_BASE + 5 * PG, PG, RW, PRIV | FIX);
	t_eq(kf_mm_protect(mm, T_BASE, 6 * PG, RO), -KF_ENOMEM, "mm.protect.hole_enomem");
	vi = t_vma(mm, 0);
	tap_ok(vi.prot == RO && vi.end == T_BASE + 4 * PG, "mm.protect.hole_first_changed",
	       "prot %u", vi.prot);
	t_eq(t_vma(mm, 1).prot, RW, "mm.protect.hole_after_unchanged");
	/* exec */
	kf_mm_protect(mm, T_BASE, PG, R | X);
	t_eq(kf_mm_fault(mm, T_BASE, KF_FAULT_EXEC | KF_FAULT_USER), 0, "mm.protect.exec_ok");
	tap_ok((t_prot(mm, T_BASE) & X) != 0, "mm.protect.exec_pte", NULL);
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.protect.no_leak");
}

/* ---- madvise --------------------------------------------------------------- */

static void test_advise(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	long s;

	t_use(mm);
	t_eq(kf_mm_advise(mm, T_BASE, PG, 99), -KF_EINVAL, "mm.advise.bad_advice_einval");
	t_eq(kf_mm_advise(mm, T_BASE + 1, PG, KF_MADV_DONTFORK), -KF_EINVAL,
	       "mm.advise.unaligned_einval");
	t_eq(kf_mm_advise(mm, T_BASE, 0, KF_MADV_DONTFORK), 0, "mm.advise.len0_ok");
	t_eq(kf_mm_advise(mm, T_BASE, SIZE_MAX, KF_MADV_DONTFORK), -KF_EINVAL,
	       "mm.advise.len_wraps_einval");
	t_eq(kf_mm_advise(mm, T_BASE, PG, KF_MADV_DONTFORK), -KF_ENOMEM,
	       "mm.advise.unmapped_enomem");

	kf_mm_map(mm, T_BASE, 4 * PG, RW, PRIV | FIX);
	t_eq(kf_mm_advise(mm, T_BASE + PG, 2 * PG, KF_MADV_DONTFORK), 0, "mm.advise.dontfork");
	tap_ok(kf_mm_nr_vmas(mm) == 3 && t_vma(mm, 1).dontfork && !t_vma(mm, 0).dontfork,
	       "mm.advise.dontfork_splits", "nr %u", kf_mm_nr_vmas(mm));
	t_eq(kf_mm_advise(mm, T_BASE, 4 * PG, KF_MADV_DOFORK), 0, "mm.advise.dofork");
	t_eq(kf_mm_nr_vmas(mm), 1, "mm.advise.dofork_merges");
	t_eq(kf_mm_advise(mm, T_BASE, 8 * PG, KF_MADV_WIPEONFORK), -KF_ENOMEM,
	       "mm.advise.hole_enomem");
	tap_ok(t_vma(mm, 0).wipeonfork, "mm.advise.hole_still_applied", NULL);
	t_eq(kf_mm_advise(mm, T_BASE, 4 * PG, KF_MADV_KEEPONFORK), 0, "mm.advise.keeponfork");
	tap_ok(!t_vma(mm, 0).wipeonfork, "mm.advise.keeponfork_clears", NULL);
	t_eq(kf_mm_advise(mm, T_BASE, 4 * PG, KF_MADV_NORMAL), 0, "mm.advise.normal_ok");

	t_fill(T_BASE, 4 * PG, 7);
	t_eq(kf_mm_advise(mm, T_BASE + PG, PG, KF_MADV_DONTNEED), 0, "mm.advise.dontneed");
	t_eq(kf_mm_rss(mm), 3, "mm.advise.dontneed_rss");
	tap_ok(t_is_zero(T_BASE + PG, PG), "mm.advise.dontneed_zero", NULL);
	t_eq(t_rb(T_BASE + 2 * PG + 1), t_pat(2 * PG + 1, 7), "mm.advise.dontneed_only_range");
	t_eq(kf_mm_advise(mm, T_BASE + 2 * PG, PG, KF_MADV_FREE), 0, "mm.advise.free_private");
	tap_ok(t_is_zero(T_BASE + 2 * PG, PG), "mm.advise.free_zero", NULL);

	s = kf_mm_map(mm, T_BASE + 16 * PG, 2 * PG, RW, SHRD | FIX);
	t_fill((uintptr_t)s, 2 * PG, 8);
	t_eq(kf_mm_advise(mm, (uintptr_t)s, 2 * PG, KF_MADV_WIPEONFORK), -KF_EINVAL,
	       "mm.advise.wipeonfork_shared_einval");
	t_eq(kf_mm_advise(mm, (uintptr_t)s, 2 * PG, KF_MADV_FREE), -KF_EINVAL,
	       "mm.advise.free_shared_einval");
	t_eq(kf_mm_advise(mm, (uintptr_t)s, 2 * PG, KF_MADV_DONTNEED), 0,
	       "mm.advise.dontneed_shared");
	t_eq(t_check((uintptr_t)s, 2 * PG, 8), -1, "mm.advise.dontneed_shared_keeps_data");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.advise.no_leak");
}

/* ---- brk ------------------------------------------------------------------------ */

static void test_brk(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	uintptr_t b = 0x601000;

	t_use(mm);
	t_eq(kf_mm_brk(mm, 0x700000), 0, "mm.brk.no_base_refused");
	kf_mm_set_brk_base(mm, 0x600123);
	t_eq(kf_mm_brk(mm, 0), b, "mm.brk.query");
	t_eq(kf_mm_brk(mm, b + 5000), b + 5000, "mm.brk.grow");
	tap_ok(t_wb(b + 5000 - 1, 1) == 0 && t_wb(b + 2 * PG - 1, 2) == 0,
	       "mm.brk.grown_usable", NULL);
	t_eq(t_wb(b + 2 * PG, 1), -KF_EFAULT, "mm.brk.beyond_faults");
	t_eq(kf_mm_brk(mm, b + 3 * PG), b + 3 * PG, "mm.brk.grow_again");
	t_eq(kf_mm_nr_vmas(mm), 1, "mm.brk.one_vma");
	t_eq(kf_mm_brk(mm, b + 10), b + 10, "mm.brk.shrink");
	t_eq(t_rb(b + PG), -1, "mm.brk.shrunk_gone");
	t_eq(t_rb(b + 5), 0, "mm.brk.first_page_kept");
	t_eq(kf_mm_brk(mm, b - PG), b + 10, "mm.brk.below_start_refused");
	t_eq(kf_mm_brk(mm, b + 3 * PG), b + 3 * PG, "mm.brk.regrow");
	tap_ok(t_is_zero(b + PG, 2 * PG), "mm.brk.regrown_zero", NULL);
	kf_mm_map(mm, b + 8 * PG, PG, RW, PRIV | FIX);
	t_eq(kf_mm_brk(mm, b + 7 * PG + 1), b + 3 * PG, "mm.brk.needs_gap_page");
	t_eq(kf_mm_brk(mm, b + 7 * PG), b + 7 * PG, "mm.brk.up_to_gap");
	t_eq(kf_mm_brk(mm, KF_USER_VA_END + PG), b + 7 * PG, "mm.brk.beyond_end_refused");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.brk.no_leak");
}

/* ---- faults and kernel access ------------------------------------------------- */

static void test_fault(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();
	char buf[16];

	t_use(mm);
	t_eq(kf_mm_fault(mm, T_BASE, KF_FAULT_READ), -KF_EFAULT, "mm.fault.no_vma");
	t_eq(kf_mm_fault(mm, KF_USER_VA_END + 5, KF_FAULT_READ), -KF_EFAULT,
	       "mm.fault.beyond_end");
	kf_mm_map(mm, T_BASE, 2 * PG, RO, PRIV | FIX);
	kf_mm_map(mm, T_BASE + 2 * PG, PG, KF_PROT_NONE, PRIV | FIX);
	kf_mm_map(mm, T_BASE + 3 * PG, PG, RW, PRIV | FIX);
	t_eq(kf_mm_fault(mm, T_BASE, KF_FAULT_WRITE), -KF_EFAULT, "mm.fault.write_ro");
	t_eq(kf_mm_fault(mm, T_BASE, KF_FAULT_EXEC), -KF_EFAULT, "mm.fault.exec_noexec");
	t_eq(kf_mm_fault(mm, T_BASE + 2 * PG, KF_FAULT_READ), -KF_EFAULT,
	       "mm.fault.read_prot_none");
	t_eq(kf_mm_rss(mm), 0, "mm.fault.refused_no_pages");
	tap_ok(t_is_zero(T_BASE, 2 * PG), "mm.fault.demand_zero", NULL);
	t_eq(kf_mm_rss(mm), 2, "mm.fault.demand_zero_rss");
	t_eq(t_rb(T_BASE + 2 * PG), -1, "mm.fault.user_prot_none");
	t_eq(t_wb(T_BASE + 3 * PG + 1, 9), 0, "mm.fault.write_rw");

	/* kernel access ignores protections */
	t_eq(kf_mm_copy_in(mm, T_BASE + PG - 4, "loader!", 8), 0, "mm.copy.in_ro");
	t_eq(t_read(T_BASE + PG - 4, buf, 8) == 0 && !memcmp(buf, "loader!", 8), 1,
	       "mm.copy.user_sees_it");
	t_eq(kf_mm_copy_in(mm, T_BASE + 2 * PG, "x", 1), 0, "mm.copy.in_prot_none");
	tap_ok(kf_mm_copy_out(mm, buf, T_BASE + 2 * PG, 1) == 0 && buf[0] == 'x',
	       "mm.copy.out_prot_none", NULL);
	t_eq(kf_mm_copy_in(mm, T_BASE + 4 * PG - 2, "abcd", 4), -KF_EFAULT,
	       "mm.copy.in_hole_efault");
	tap_ok(kf_mm_copy_out(mm, buf, T_BASE + 4 * PG - 2, 2) == 0 &&
	       buf[0] == 'a' && buf[1] == 'b', "mm.copy.partial_before_hole", NULL);
	t_eq(kf_mm_copy_out(mm, buf, T_BASE + 8 * PG, 1), -KF_EFAULT, "mm.copy.out_efault");
	t_use(NULL);
	kf_mm_put(mm);
	t_no_leak(m, "mm.fault.no_leak");
}

/* ---- fork ---------------------------------------------------------------------- */

#define BIG (4ul << 20)

static void test_fork_private(unsigned df, const char *tag)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	bool cow = t_cow_mode(df);
	char id[96];
	int shared = 0, refs2 = 0, ro = 0, refs1 = 0;
	long pages;
	uintptr_t va;

#define ID(s) (snprintf(id, sizeof(id), "mm.fork.%s.%s", tag, s), id)
	t_use(p);
	kf_mm_map(p, T_BASE, BIG, RW, PRIV | FIX);
	t_fill(T_BASE, BIG, 1);
	pages = kf_host_live_pages();
	t_eq(kf_mm_dup_flags(p, df, &c), 0, ID("dup"));
	t_eq(kf_mm_rss(c), BIG / PG, ID("child_rss"));
	t_eq(kf_mm_nr_vmas(c), 1, ID("child_vmas"));
	for (va = T_BASE; va < T_BASE + BIG; va += PG) {
		shared += t_frame(p, va) == t_frame(c, va);
		refs2 += t_refs(p, va) == 2;
		ro += !(t_prot(p, va) & W) && !(t_prot(c, va) & W);
	}
	t_eq(shared, cow ? BIG / PG : 0, ID("frames_shared"));
	t_eq(refs2, cow ? BIG / PG : 0, ID("frames_refs"));
	t_eq(ro, cow ? BIG / PG : 0, ID("both_write_protected"));
	t_eq(kf_host_live_pages() - pages, (cow ? 0 : BIG / PG) +
	       (long)(BIG / kf_pt_span(1)) + KF_PT_LEVELS - 1, ID("pages_allocated"));

	t_use(c);
	t_eq(t_check(T_BASE, BIG, 1), -1, ID("child_sees_parent_data"));
	t_fill(T_BASE, BIG, 2);
	t_use(p);
	t_eq(t_check(T_BASE, BIG, 1), -1, ID("parent_unaffected_by_child"));
	t_fill(T_BASE, BIG / 2, 3);
	t_use(c);
	t_eq(t_check(T_BASE, BIG, 2), -1, ID("child_unaffected_by_parent"));
	t_use(p);
	t_eq(t_check(T_BASE, BIG / 2, 3), -1, ID("parent_own_writes"));
	t_eq(t_check(T_BASE + BIG / 2, BIG / 2, 1), -1, ID("parent_untouched_half"));

	t_use(NULL);
	kf_mm_put(c);
	for (va = T_BASE; va < T_BASE + BIG; va += PG)
		refs1 += t_refs(p, va) == 1;
	t_eq(refs1, BIG / PG, ID("refs_back_to_one"));

	/* reuse: the second half was never written since the fork; its frames
	 * are ours alone now, so a write must keep them, not copy */
	t_use(p);
	va = T_BASE + BIG / 2;
	{
		kf_paddr_t before = t_frame(p, va);
		long live = kf_host_live_pages();

		t_eq(t_wb(va, 0x42), 0, ID("reuse_write"));
		tap_ok(t_frame(p, va) == before && kf_host_live_pages() == live &&
		       (t_prot(p, va) & W), ID("reuse_same_frame"), NULL);
	}
	t_use(NULL);
	kf_mm_put(p);
	t_no_leak(m, ID("no_leak"));
#undef ID
}

/*
 * The stale-TLB check: the parent's TLB holds a writable entry when fork
 * write-protects the page; without the flush the parent's next write would
 * land in the frame the child now shares.
 */
static void test_fork_stale_tlb(unsigned df, const char *tag)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	unsigned asid, prot = 0;
	struct kf_sim_stats s0, s1;
	char id[96];

#define ID(s) (snprintf(id, sizeof(id), "mm.tlb.%s.%s", tag, s), id)
	t_use(p);
	asid = kf_sim_asid(kf_mm_arch(p));
	kf_mm_map(p, T_BASE, PG, RW, PRIV | FIX);
	t_wb(T_BASE, 0xaa);
	tap_ok(kf_sim_tlb_probe(kf_os_cpu_id(), asid, T_BASE, NULL, &prot) && (prot & W),
	       ID("parent_tlb_writable"), "prot %u", prot);
	kf_mm_dup_flags(p, df, &c);
	prot = 0;
	tap_ok(!kf_sim_tlb_probe(kf_os_cpu_id(), asid, T_BASE, NULL, &prot) || !(prot & W) ||
	       !t_cow_mode(df), ID("flushed_by_dup"), "prot %u", prot);
	kf_sim_get_stats(&s0);
	t_eq(t_wb(T_BASE, 0xbb), 0, ID("parent_write"));
	kf_sim_get_stats(&s1);
	t_eq(s1.faults - s0.faults, t_cow_mode(df) ? 1 : 0, ID("parent_write_faulted"));
	t_use(c);
	t_eq(t_rb(T_BASE), 0xaa, ID("child_keeps_old"));
	t_use(p);
	t_eq(t_rb(T_BASE), 0xbb, ID("parent_sees_new"));
	/* child's RO entry cached, then child writes: must fault and copy */
	t_use(c);
	t_eq(t_wb(T_BASE, 0xcc), 0, ID("child_write"));
	t_use(p);
	t_eq(t_rb(T_BASE), 0xbb, ID("parent_keeps_own"));
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, ID("no_leak"));
#undef ID
}

/* The sim really catches a missing flush: write-protect behind mm's back. */
static void test_tlb_catches_missing_flush(void)
{
	struct kf_mm *mm = kf_mm_create();
	kf_pte_t *slot, e;
	struct kf_sim_stats s0, s1;

	t_use(mm);
	kf_mm_map(mm, T_BASE, PG, RW, PRIV | FIX);
	t_wb(T_BASE, 1);
	slot = kf_pt_walk(kf_mm_arch(mm)->root, T_BASE, NULL, NULL);
	e = kf_pt_read(slot);
	kf_pt_write(slot, kf_arch_pte_wrprotect(e));	/* no flush */
	kf_sim_get_stats(&s0);
	t_eq(t_wb(T_BASE, 2), 0, "mm.tlb.sim_uses_stale_entry");
	kf_sim_get_stats(&s1);
	t_eq(s1.faults - s0.faults, 0, "mm.tlb.sim_stale_no_fault");
	kf_arch_tlb_flush_page(kf_mm_arch(mm), T_BASE);
	t_eq(t_wb(T_BASE, 3), 0, "mm.tlb.after_flush_write");
	kf_sim_get_stats(&s0);
	t_eq(s0.faults - s1.faults, 1, "mm.tlb.after_flush_faults");
	t_use(NULL);
	kf_mm_put(mm);
}

static void test_fork_shared(unsigned df, const char *tag)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	char id[96];

#define ID(s) (snprintf(id, sizeof(id), "mm.fork.%s.%s", tag, s), id)
	t_use(p);
	kf_mm_map(p, T_BASE, 4 * PG, RW, SHRD | FIX);
	t_wb(T_BASE, 'P');
	kf_mm_dup_flags(p, df, &c);
	t_eq(t_refs(p, T_BASE), 3, ID("shared_refs"));
	tap_ok(t_frame(p, T_BASE) == t_frame(c, T_BASE) &&
	       (t_prot(p, T_BASE) & W) && (t_prot(c, T_BASE) & W),
	       ID("shared_same_frame_writable"), NULL);
	t_use(c);
	t_eq(t_rb(T_BASE), 'P', ID("shared_child_reads"));
	t_wb(T_BASE, 'C');
	t_wb(T_BASE + 2 * PG, 'D');	/* first touched after the fork */
	t_use(p);
	t_eq(t_rb(T_BASE), 'C', ID("shared_parent_sees_child"));
	t_eq(t_rb(T_BASE + 2 * PG), 'D', ID("shared_new_page_shared"));
	t_wb(T_BASE + 3 * PG, 'E');
	t_use(c);
	t_eq(t_rb(T_BASE + 3 * PG), 'E', ID("shared_child_sees_parent"));
	t_use(NULL);
	kf_mm_put(c);
	t_eq(t_refs(p, T_BASE), 2, ID("shared_refs_after_child"));
	kf_mm_put(p);
	t_no_leak(m, ID("shared_no_leak"));
#undef ID
}

/* A huge shared mapping costs only what is touched (sparse object). */
static void test_shared_huge(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	size_t len = KF_USER_VA_END / 4;
	long a = kf_mm_map(p, 0, len, RW, SHRD);
	uintptr_t far;

	tap_ok(a > 0, "mm.shared.huge_map", "%ld", a);
	far = (uintptr_t)a + len - PG;
	t_use(p);
	t_wb((uintptr_t)a, 1);
	t_wb(far, 2);
	kf_mm_dup(p, &c);
	t_use(c);
	t_wb(far + 1, 3);
	t_use(p);
	t_eq(t_rb(far + 1), 3, "mm.shared.huge_far_shared");
	tap_ok(kf_host_live_pages() - m.pages < 64, "mm.shared.huge_sparse",
	       "%ld pages", kf_host_live_pages() - m.pages);
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, "mm.shared.huge_no_leak");
}

static void test_fork_flags(unsigned df, const char *tag)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;
	uintptr_t a = T_BASE, b = T_BASE + 4 * PG, d = T_BASE + 8 * PG;
	char id[96];

#define ID(s) (snprintf(id, sizeof(id), "mm.fork.%s.%s", tag, s), id)
	t_use(p);
	kf_mm_map(p, a, 2 * PG, RW, PRIV | FIX);
	kf_mm_map(p, b, 2 * PG, RW, PRIV | FIX);
	kf_mm_map(p, d, 2 * PG, RW, PRIV | FIX);
	t_fill(a, 2 * PG, 4);
	t_fill(b, 2 * PG, 5);
	t_fill(d, 2 * PG, 6);
	kf_mm_advise(p, a, 2 * PG, KF_MADV_DONTFORK);
	kf_mm_advise(p, b, 2 * PG, KF_MADV_WIPEONFORK);
	t_eq(kf_mm_dup_flags(p, df, &c), 0, ID("flags_dup"));
	t_eq(kf_mm_nr_vmas(c), kf_mm_nr_vmas(p) - 1, ID("dontfork_absent"));
	t_eq(kf_mm_rss(c), 2, ID("flags_child_rss"));
	tap_ok(t_vma(c, 0).start == b && t_vma(c, 0).wipeonfork,
	       ID("wipeonfork_vma_kept"), NULL);
	t_use(c);
	t_eq(t_rb(a), -1, ID("dontfork_faults"));
	tap_ok(t_is_zero(b, 2 * PG), ID("wipeonfork_zero"), NULL);
	t_eq(t_check(d, 2 * PG, 6), -1, ID("normal_copied"));
	t_use(p);
	tap_ok(t_check(a, 2 * PG, 4) == -1 && t_check(b, 2 * PG, 5) == -1,
	       ID("parent_keeps_all"), NULL);
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, ID("flags_no_leak"));
#undef ID
}

/* 1,000 VMAs, one page each, copied and checked; COW chains of three. */
static void test_fork_many(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL, *g = NULL;
	int bad = 0;
	unsigned char v;

	for (unsigned i = 0; i < 1000; i++) {
		uintptr_t va = T_BASE + i * PG;

		kf_mm_map(p, va, PG, i & 1 ? RO : RW, PRIV | FIX);
		v = (unsigned char)i;
		kf_mm_copy_in(p, va, &v, 1);
	}
	t_eq(kf_mm_nr_vmas(p), 1000, "mm.fork.many.parent_vmas");
	t_eq(kf_mm_dup(p, &c), 0, "mm.fork.many.dup");
	t_eq(kf_mm_nr_vmas(c), 1000, "mm.fork.many.child_vmas");
	t_eq(kf_mm_rss(c), 1000, "mm.fork.many.child_rss");
	for (unsigned i = 0; i < 1000; i++) {
		v = 0xff;
		kf_mm_copy_out(c, &v, T_BASE + i * PG, 1);
		bad += v != (unsigned char)i;
	}
	t_eq(bad, 0, "mm.fork.many.contents");
	t_eq(kf_mm_dup(c, &g), 0, "mm.fork.chain.dup");
	t_eq(t_refs(p, T_BASE), CONFIG_KF_COW ? 3 : 1, "mm.fork.chain.refs3");
	v = 0x99;
	kf_mm_copy_in(c, T_BASE, &v, 1);	/* COW break in the middle one */
	t_eq(t_refs(p, T_BASE), CONFIG_KF_COW ? 2 : 1, "mm.fork.chain.refs_after_copy");
	kf_mm_copy_out(g, &v, T_BASE, 1);
	t_eq(v, 0, "mm.fork.chain.grandchild_isolated");
	kf_mm_put(c);
	kf_mm_put(g);
	t_eq(t_refs(p, T_BASE + 3 * PG), 1, "mm.fork.chain.refs_back");
	kf_mm_put(p);
	t_no_leak(m, "mm.fork.many.no_leak");
}

/* mprotect on a COW-shared page must not make it writable in place. */
static void test_fork_protect(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *p = kf_mm_create(), *c = NULL;

	t_use(p);
	kf_mm_map(p, T_BASE, PG, RW, PRIV | FIX);
	t_wb(T_BASE, 1);
	kf_mm_dup(p, &c);
	kf_mm_protect(p, T_BASE, PG, RO);
	kf_mm_protect(p, T_BASE, PG, RW);
	tap_ok(!(t_prot(p, T_BASE) & W) || !CONFIG_KF_COW,
	       "mm.fork.protect.stays_cow", "prot %u", t_prot(p, T_BASE));
	t_wb(T_BASE, 2);
	t_use(c);
	t_eq(t_rb(T_BASE), 1, "mm.fork.protect.child_isolated");
	t_use(NULL);
	kf_mm_put(c);
	kf_mm_put(p);
	t_no_leak(m, "mm.fork.protect.no_leak");
}

static void test_users(void)
{
	struct t_mark m = t_mark();
	struct kf_mm *mm = kf_mm_create();

	t_eq(kf_mm_users(mm), 1, "mm.users.initial");
	kf_mm_get(mm);
	t_eq(kf_mm_users(mm), 2, "mm.users.get");
	kf_mm_map(mm, T_BASE, PG, RW, PRIV | FIX | KF_MAP_POPULATE);
	kf_mm_grab(mm);
	kf_mm_put(mm);
	kf_mm_put(mm);		/* last user: the pages go, the struct stays */
	t_eq(kf_host_live_pages() - m.pages, 1, "mm.users.struct_kept_root_only");
	kf_mm_drop(mm);
	t_no_leak(m, "mm.users.no_leak");
}

int main(void)
{
	tap_diag("mm tests over the %s page-table format, COW %s",
		 KF_ARCH_PTE_NAME, CONFIG_KF_COW ? "on" : "off");
	test_pte_roundtrip();
	test_pte_bits();
	test_pgwalk();
	test_map_errors();
	test_map_placement();
	test_map_fixed_replace();
	test_map_count();
	test_unmap();
	test_unmap_frees_tables();
	test_protect();
	test_advise();
	test_brk();
	test_fault();
	test_users();
	test_tlb_catches_missing_flush();
	test_fork_private(0, "default");
	test_fork_private(KF_MM_DUP_EAGER, "eager");
	test_fork_stale_tlb(0, "default");
	test_fork_stale_tlb(KF_MM_DUP_EAGER, "eager");
	test_fork_shared(0, "default");
	test_fork_shared(KF_MM_DUP_EAGER, "eager");
	test_shared_huge();
	test_fork_flags(0, "default");
	test_fork_flags(KF_MM_DUP_EAGER, "eager");
	test_fork_many();
	test_fork_protect();
	return tap_done();
}
