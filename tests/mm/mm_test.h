/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/mm/mm_test.h - helpers shared by the mm test programs.
 *
 * The tests drive address spaces directly, without tasks: t_use(mm) makes
 * the sim CPU translate with @mm and routes its faults to kf_mm_fault(mm),
 * and t_read/t_write access user memory exactly as user code would (through
 * the software TLB, taking faults).  So a missing TLB flush in mm/ shows up
 * as a stale read or write here.
 */
#ifndef KF_TESTS_MM_TEST_H
#define KF_TESTS_MM_TEST_H

#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>
#include <kf/arch/sim.h>

#define PG ((uintptr_t)KF_PAGE_SIZE)
#define RW (KF_PROT_READ | KF_PROT_WRITE)
#define RO KF_PROT_READ
#define PRIV (KF_MAP_PRIVATE | KF_MAP_ANONYMOUS)
#define SHRD (KF_MAP_SHARED | KF_MAP_ANONYMOUS)
#define FIX KF_MAP_FIXED
#define T_BASE ((uintptr_t)0x10000000)	/* fits Sv39's 256 GiB too */

/* t_eq - tap_eq evaluating each argument once (tap_eq prints by
 * re-evaluating, which would repeat a call with side effects). */
#define t_eq(got, want, id) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	tap_ok(g_ == w_, (id), "got %lld (%#llx), want %lld (%#llx)", \
	       g_, g_, w_, w_); \
} while (0)

static struct kf_mm *t_cur;

static inline int t_fault(uintptr_t va, unsigned access)
{
	return t_cur ? kf_mm_fault(t_cur, va, access) : -KF_EFAULT;
}

/* t_use - run "user code" in @mm from now on (NULL: none). */
static inline void t_use(struct kf_mm *mm)
{
	kf_sim_set_fault_handler(t_fault);
	t_cur = mm;
	if (mm)
		kf_mm_activate(mm);
	else
		kf_arch_mm_activate(NULL);
}

static inline int t_read(uintptr_t va, void *buf, size_t n)
{
	return kf_sim_access(va, buf, n, KF_FAULT_READ | KF_FAULT_USER);
}

static inline int t_write(uintptr_t va, const void *buf, size_t n)
{
	return kf_sim_access(va, (void *)buf, n, KF_FAULT_WRITE | KF_FAULT_USER);
}

/* a byte read by user code, or -1 if it faulted */
static inline int t_rb(uintptr_t va)
{
	unsigned char b;

	return t_read(va, &b, 1) ? -1 : b;
}

static inline int t_wb(uintptr_t va, unsigned char b)
{
	return t_write(va, &b, 1);
}

static inline unsigned char t_pat(uintptr_t off, unsigned seed)
{
	return (unsigned char)((off >> 12) * 131u + (off & 0xfff) * 7u + seed * 29u + 1u);
}

/* t_fill / t_check - a byte pattern over [va, va+n), as user code */
static inline int t_fill(uintptr_t va, size_t n, unsigned seed)
{
	static unsigned char buf[4096];

	for (size_t done = 0; done < n; done += sizeof(buf)) {
		size_t c = n - done < sizeof(buf) ? n - done : sizeof(buf);

		for (size_t i = 0; i < c; i++)
			buf[i] = t_pat(done + i, seed);
		if (t_write(va + done, buf, c))
			return -1;
	}
	return 0;
}

/* the offset of the first wrong byte, or -1 when all match */
static inline long t_check(uintptr_t va, size_t n, unsigned seed)
{
	static unsigned char buf[4096];

	for (size_t done = 0; done < n; done += sizeof(buf)) {
		size_t c = n - done < sizeof(buf) ? n - done : sizeof(buf);

		if (t_read(va + done, buf, c))
			return (long)done;
		for (size_t i = 0; i < c; i++)
			if (buf[i] != t_pat(done + i, seed))
				return (long)(done + i);
	}
	return -1;
}

static inline bool t_is_zero(uintptr_t va, size_t n)
{
	unsigned char b[256];

	for (size_t done = 0; done < n; done += sizeof(b)) {
		size_t c = n - done < sizeof(b) ? n - done : sizeof(b);

		if (t_read(va + done, b, c))
			return false;
		for (size_t i = 0; i < c; i++)
			if (b[i])
				return false;
	}
	return true;
}

/* frame and refs of the page at @va (0 when unmapped) */
static inline kf_paddr_t t_frame(struct kf_mm *mm, uintptr_t va)
{
	kf_paddr_t pa = 0;

	if (kf_mm_translate(mm, va, &pa, NULL))
		return 0;
	return pa;
}

static inline unsigned t_prot(struct kf_mm *mm, uintptr_t va)
{
	unsigned prot = 0;

	kf_mm_translate(mm, va, NULL, &prot);
	return prot;
}

static inline unsigned t_refs(struct kf_mm *mm, uintptr_t va)
{
	kf_paddr_t pa = t_frame(mm, va);

	return pa ? kf_host_page_refs(pa) : 0;
}

static inline struct kf_mm_vma_info t_vma(struct kf_mm *mm, unsigned i)
{
	struct kf_mm_vma_info vi;

	memset(&vi, 0, sizeof(vi));
	kf_mm_vma_info(mm, i, &vi);
	return vi;
}

/* Leak accounting: a mark before a group of checks, compared after. */
struct t_mark { long objs, pages; };

static inline struct t_mark t_mark(void)
{
	struct t_mark m = { kf_host_live_objects(), kf_host_live_pages() };

	return m;
}

static inline void t_no_leak(struct t_mark m, const char *id)
{
	long o = kf_host_live_objects() - m.objs, p = kf_host_live_pages() - m.pages;

	tap_ok(o == 0 && p == 0, id, "objects %+ld, pages %+ld", o, p);
}

static inline bool t_cow_mode(unsigned dup_flags)
{
	return CONFIG_KF_COW && !(dup_flags & KF_MM_DUP_EAGER);
}

#endif /* KF_TESTS_MM_TEST_H */
