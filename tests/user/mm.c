/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/mm.c - brk and anonymous mmap/munmap as musl uses them
 * (Linux's semantics; raw syscalls for brk, whose libc wrapper differs).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utap.h"

#define PAGE 4096ul

static uintptr_t sys_brk(uintptr_t b)
{
	return (uintptr_t)syscall(SYS_brk, b);
}

static void test_brk(void)
{
	uintptr_t cur = sys_brk(0), top;

	utap_ok(cur != 0 && cur % PAGE == 0, "user.mm.brk_initial_page_aligned");
	top = sys_brk(cur + 2 * PAGE);
	utap_eq((long)top, (long)(cur + 2 * PAGE), "user.mm.brk_grow_exact");
	memset((void *)cur, 0x5a, 2 * PAGE);
	utap_eq(((volatile unsigned char *)cur)[2 * PAGE - 1], 0x5a,
		"user.mm.brk_memory_usable");
	/* musl's guard: MAP_FIXED PROT_NONE over the first heap page */
	utap_ok(mmap((void *)cur, PAGE, PROT_NONE,
		     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == (void *)cur,
		"user.mm.mmap_fixed_over_brk");
	utap_eq((long)sys_brk(cur + PAGE), (long)(cur + PAGE),
		"user.mm.brk_shrink");
	utap_eq((long)sys_brk(0x1000), (long)(cur + PAGE),
		"user.mm.brk_below_start_returns_current");
	utap_eq((long)sys_brk(0), (long)(cur + PAGE), "user.mm.brk_query");
}

static void test_mmap(void)
{
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned i, zero = 1;

	utap_ok(p != MAP_FAILED && (uintptr_t)p % PAGE == 0,
		"user.mm.mmap_anon");
	for (i = 0; i < 3 * PAGE; i++)
		zero &= p[i] == 0;
	utap_ok(zero, "user.mm.mmap_anon_zeroed");
	p[0] = 1;
	p[3 * PAGE - 1] = 2;
	utap_eq(munmap(p + PAGE, PAGE), 0, "user.mm.munmap_middle");
	utap_ok(p[0] == 1 && p[3 * PAGE - 1] == 2, "user.mm.munmap_keeps_rest");
	utap_ok(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		MAP_FAILED && errno == EINVAL, "user.mm.mmap_len0_einval");
	utap_ok(munmap(p + 1, PAGE) == -1 && errno == EINVAL,
		"user.mm.munmap_unaligned_einval");
	utap_eq(munmap(p, 3 * PAGE), 0, "user.mm.munmap_all");
}

/*
 * The top of user space is the arch's TASK_SIZE, not the page tables'
 * span: x86_64 keeps the last page below the canonical hole out of user
 * space (so a sysret can never return to the hole's edge); aarch64's is
 * the whole 48-bit TTBR0 range, riscv64's the lower half of its paging
 * mode.
 */
static void test_task_size(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
#if defined(__x86_64__)
	uintptr_t top = 0x00007ffffffff000ul;	/* TASK_SIZE_MAX */
#else
	uintptr_t top = 0x0001000000000000ul;	/* 1 << VA_BITS */
#endif
	void *p;

	p = mmap((void *)top, PAGE, PROT_READ | PROT_WRITE,
		 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	utap_ok(p == MAP_FAILED && errno == ENOMEM,
		"user.mm.fixed_above_task_size_enomem");
	p = mmap((void *)(top - PAGE), PAGE, PROT_READ | PROT_WRITE,
		 MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	utap_ok(p == (void *)(top - PAGE) || (p == MAP_FAILED && errno == EEXIST),
		"user.mm.last_user_page_mappable");
	if (p != MAP_FAILED) {
		((volatile char *)p)[PAGE - 1] = 1;
		munmap(p, PAGE);
	}
#elif defined(__riscv) && __riscv_xlen == 64
	/* riscv64's TASK_SIZE is the lower half of the paging mode the
	 * kernel runs: 1 << 38 (Sv39), 1 << 47 (Sv48) or 1 << 56 (Sv57).
	 * The first of those where MAP_FIXED fails with ENOMEM is the top;
	 * the page below it is user space (it may be in use: EEXIST). */
	static const unsigned bits[3] = { 38, 47, 56 };
	uintptr_t top = 0;
	void *p = MAP_FAILED;
	unsigned i;

	for (i = 0; i < 3 && !top; i++) {
		uintptr_t b = (uintptr_t)1 << bits[i];

		p = mmap((void *)b, PAGE, PROT_READ | PROT_WRITE,
			 MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED && errno == ENOMEM)
			top = b;
		else if (p != MAP_FAILED)
			munmap(p, PAGE);
	}
	utap_ok(top != 0, "user.mm.fixed_above_task_size_enomem");
	if (!top)
		top = (uintptr_t)1 << 38;
	p = mmap((void *)(top - PAGE), PAGE, PROT_READ | PROT_WRITE,
		 MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	utap_ok(p == (void *)(top - PAGE) || (p == MAP_FAILED && errno == EEXIST),
		"user.mm.last_user_page_mappable");
	if (p != MAP_FAILED) {
		((volatile char *)p)[PAGE - 1] = 1;
		munmap(p, PAGE);
	}
#else
	utap_skip("user.mm.fixed_above_task_size_enomem", "x86_64, aarch64 and riscv64 only");
	utap_skip("user.mm.last_user_page_mappable", "x86_64, aarch64 and riscv64 only");
#endif
}

int main(void)
{
	test_brk();
	test_mmap();
	test_task_size();
	return utap_done();
}
