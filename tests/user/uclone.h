/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/uclone.h - the raw clone(2) system call with a child
 * function, for flag combinations libc wrappers refuse (musl's clone()
 * rejects CLONE_THREAD, CLONE_SETTLS and CLONE_CHILD_CLEARTID).
 *
 * uclone(flags, stack_top, ptid, ctid, tls, fn, arg): the child runs
 * fn(arg) on @stack_top and leaves with SYS_exit(fn's result); it must not
 * rely on its own thread pointer (it shares the caller's unless SETTLS).
 * Returns the child's tid or -errno (no errno is set).  x86_64, aarch64
 * and riscv64 have an implementation; elsewhere UCLONE_HAVE is 0 and
 * uclone returns -ENOSYS.
 */
#ifndef UCLONE_H
#define UCLONE_H

#include <errno.h>
#include <stdint.h>

#if defined(__x86_64__)
#define UCLONE_HAVE 1

static inline long uclone(unsigned long flags, void *stack_top, void *ptid,
			  void *ctid, unsigned long tls, int (*fn)(void *),
			  void *arg)
{
	uintptr_t *sp = (uintptr_t *)((uintptr_t)stack_top & ~(uintptr_t)15);
	register void *r10 __asm__("r10") = ctid;
	register unsigned long r8 __asm__("r8") = tls;
	long ret;

	if (sp) {
		*--sp = (uintptr_t)arg;
		*--sp = (uintptr_t)fn;
	}
	/* x86_64 order: flags, stack, ptid, ctid, tls */
	__asm__ volatile(
		"syscall\n\t"
		"testq %%rax, %%rax\n\t"
		"jnz 1f\n\t"
		"xorl %%ebp, %%ebp\n\t"
		"popq %%rax\n\t"
		"popq %%rdi\n\t"
		"andq $-16, %%rsp\n\t"
		"callq *%%rax\n\t"
		"movl %%eax, %%edi\n\t"
		"movl $60, %%eax\n\t"
		"syscall\n\t"
		"hlt\n"
		"1:"
		: "=a"(ret)
		: "a"(56L), "D"(flags), "S"(sp), "d"(ptid), "r"(r10), "r"(r8)
		: "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define UCLONE_HAVE 1

static inline long uclone(unsigned long flags, void *stack_top, void *ptid,
			  void *ctid, unsigned long tls, int (*fn)(void *),
			  void *arg)
{
	uintptr_t *sp = (uintptr_t *)((uintptr_t)stack_top & ~(uintptr_t)15);
	/* aarch64 order: flags, stack, ptid, tls, ctid */
	register unsigned long x0 __asm__("x0") = flags;
	register uintptr_t *x1 __asm__("x1");
	register void *x2 __asm__("x2") = ptid;
	register unsigned long x3 __asm__("x3") = tls;
	register void *x4 __asm__("x4") = ctid;
	register long x8 __asm__("x8") = 220;	/* SYS_clone */

	if (sp) {
		sp -= 2;
		sp[0] = (uintptr_t)fn;
		sp[1] = (uintptr_t)arg;
	}
	x1 = sp;
	__asm__ volatile(
		"svc #0\n\t"
		"cbnz x0, 1f\n\t"
		"ldp x1, x0, [sp], #16\n\t"
		"mov x29, xzr\n\t"
		"mov x30, xzr\n\t"
		"blr x1\n\t"
		"mov x8, #93\n\t"		/* SYS_exit */
		"svc #0\n\t"
		"brk #0\n"
		"1:"
		: "+r"(x0)
		: "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x8)
		: "memory");
	return (long)x0;
}
#elif defined(__riscv) && __riscv_xlen == 64
#define UCLONE_HAVE 1

static inline long uclone(unsigned long flags, void *stack_top, void *ptid,
			  void *ctid, unsigned long tls, int (*fn)(void *),
			  void *arg)
{
	uintptr_t *sp = (uintptr_t *)((uintptr_t)stack_top & ~(uintptr_t)15);
	register unsigned long a0 __asm__("a0") = flags;
	register void *a1 __asm__("a1");
	register void *a2 __asm__("a2") = ptid;
	register unsigned long a3 __asm__("a3") = tls;
	register void *a4 __asm__("a4") = ctid;
	register long a7 __asm__("a7") = 220;	/* SYS_clone */

	if (sp) {
		sp -= 2;	/* stays 16-byte aligned */
		sp[0] = (uintptr_t)fn;
		sp[1] = (uintptr_t)arg;
	}
	a1 = sp;
	/* riscv64 order: flags, stack, ptid, tls, ctid */
	__asm__ volatile(
		"ecall\n\t"
		"bnez a0, 1f\n\t"
		"ld t0, 0(sp)\n\t"
		"ld a0, 8(sp)\n\t"
		"addi sp, sp, 16\n\t"
		"li s0, 0\n\t"
		"jalr t0\n\t"
		"li a7, 93\n\t"	/* SYS_exit with fn's result */
		"ecall\n\t"
		"unimp\n"
		"1:"
		: "+r"(a0)
		: "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7)
		: "memory");
	return (long)a0;
}
#else
#define UCLONE_HAVE 0

static inline long uclone(unsigned long flags, void *stack_top, void *ptid,
			  void *ctid, unsigned long tls, int (*fn)(void *),
			  void *arg)
{
	(void)flags; (void)stack_top; (void)ptid; (void)ctid; (void)tls;
	(void)fn; (void)arg;
	return -ENOSYS;
}
#endif

#endif /* UCLONE_H */
