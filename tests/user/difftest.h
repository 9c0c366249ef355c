/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/difftest.h - what tests/user/difftest.c needs from each arch:
 * raw system calls that return -errno and touch no thread-local state,
 * difftest_spawn (a clone-like call whose child starts a function on a
 * stack of our choosing), a signal-return trampoline, the thread pointer,
 * the kernel's struct sigaction and an address in the kernel's half.
 *
 * The actors of difftest.c run with whatever thread pointer a clone gave
 * them (CLONE_SETTLS with an arbitrary value, or the creator's), so
 * nothing here may use libc's errno or any other thread-local variable.
 */
#ifndef DIFFTEST_H
#define DIFFTEST_H

#include <stdint.h>
#include <sys/syscall.h>

/* difftest_spawn(nr, a0..a4, child_sp, fn, arg): system call @nr with up
 * to five arguments; in a child (the call returned 0) switch to @child_sp
 * at once, before touching memory, and call fn(arg), which never returns.
 * The parent gets the call's result.  The child's registers are the
 * parent's but for the return value, on every arch here. */
long difftest_spawn(long nr, long a0, long a1, long a2, long a3, long a4,
		    void *child_sp, void (*fn)(long), long arg);
/* the sa_restorer of handlers installed with SA_RESTORER */
void difftest_restorer(void);

#if defined(__x86_64__)

#define DT_ARCH "x86_64"
#define DT_HAVE_RESTORER 1
/* the first page of the kernel's direct map: never user space */
#define DT_KERNEL_PTR 0xffff888000001000ul
/* clone's argument order: flags, newsp, parent_tid, child_tid, tls */
#define DT_CLONE_ARGS(f, sp, pt, ct, tls) (f), (sp), (pt), (ct), (tls)

static inline long rsys(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* the fs base: arch_prctl(ARCH_GET_FS), as rdfsbase needs FSGSBASE on */
static inline unsigned long dt_tls(void)
{
	unsigned long v = 0;

	rsys(SYS_arch_prctl, 0x1003, (long)&v, 0, 0, 0, 0);
	return v;
}

__asm__(
	".text\n"
	".globl difftest_spawn\n"
	".type difftest_spawn,@function\n"
	"difftest_spawn:\n\t"
	"pushq %rbx\n\t"
	"pushq %r12\n\t"
	"pushq %r13\n\t"
	"movq 32(%rsp), %rbx\n\t"	/* child_sp */
	"movq 40(%rsp), %r12\n\t"	/* fn */
	"movq 48(%rsp), %r13\n\t"	/* arg */
	"movq %rdi, %rax\n\t"
	"movq %rsi, %rdi\n\t"
	"movq %rdx, %rsi\n\t"
	"movq %rcx, %rdx\n\t"
	"movq %r8, %r10\n\t"
	"movq %r9, %r8\n\t"
	"syscall\n\t"
	"testq %rax, %rax\n\t"
	"jnz 1f\n\t"
	"movq %rbx, %rsp\n\t"
	"xorl %ebp, %ebp\n\t"
	"movq %r13, %rdi\n\t"
	"callq *%r12\n\t"
	"ud2\n"
	"1:\n\t"
	"popq %r13\n\t"
	"popq %r12\n\t"
	"popq %rbx\n\t"
	"ret\n"
	".size difftest_spawn, .-difftest_spawn\n"
	".globl difftest_restorer\n"
	".type difftest_restorer,@function\n"
	"difftest_restorer:\n\t"
	"movl $15, %eax\n\t"		/* rt_sigreturn */
	"syscall\n\t"
	"ud2\n"
	".size difftest_restorer, .-difftest_restorer\n");

#elif defined(__aarch64__)

#define DT_ARCH "aarch64"
#define DT_HAVE_RESTORER 1
#define DT_KERNEL_PTR 0xffff000000001000ul
/* clone's argument order: flags, newsp, parent_tid, tls, child_tid */
#define DT_CLONE_ARGS(f, sp, pt, ct, tls) (f), (sp), (pt), (tls), (ct)

static inline long rsys(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

static inline unsigned long dt_tls(void)
{
	unsigned long v;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

__asm__(
	".text\n"
	".globl difftest_spawn\n"
	".type difftest_spawn,%function\n"
	"difftest_spawn:\n\t"
	"ldr x9, [sp]\n\t"		/* arg: x9-x11 survive the svc */
	"mov x10, x6\n\t"
	"mov x11, x7\n\t"
	"mov x8, x0\n\t"
	"mov x0, x1\n\t"
	"mov x1, x2\n\t"
	"mov x2, x3\n\t"
	"mov x3, x4\n\t"
	"mov x4, x5\n\t"
	"svc #0\n\t"
	"cbnz x0, 1f\n\t"
	"mov sp, x10\n\t"
	"mov x29, xzr\n\t"
	"mov x30, xzr\n\t"
	"mov x0, x9\n\t"
	"blr x11\n\t"
	"brk #0\n"
	"1:\n\t"
	"ret\n"
	".size difftest_spawn, .-difftest_spawn\n"
	".globl difftest_restorer\n"
	".type difftest_restorer,%function\n"
	"difftest_restorer:\n\t"
	"mov x8, #139\n\t"		/* rt_sigreturn */
	"svc #0\n\t"
	"brk #0\n"
	".size difftest_restorer, .-difftest_restorer\n");

#elif defined(__riscv) && __riscv_xlen == 64

#define DT_ARCH "riscv64"
#define DT_HAVE_RESTORER 0	/* the kernel's own trampoline returns */
#define DT_KERNEL_PTR 0xffffffd800001000ul
#define DT_CLONE_ARGS(f, sp, pt, ct, tls) (f), (sp), (pt), (tls), (ct)

static inline long rsys(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}

static inline unsigned long dt_tls(void)
{
	unsigned long v;

	__asm__ volatile("mv %0, tp" : "=r"(v));
	return v;
}

__asm__(
	".text\n"
	".globl difftest_spawn\n"
	".type difftest_spawn,@function\n"
	"difftest_spawn:\n\t"
	"ld t0, 0(sp)\n\t"		/* arg: t0-t2 survive the ecall */
	"mv t1, a6\n\t"
	"mv t2, a7\n\t"
	"mv a7, a0\n\t"
	"mv a0, a1\n\t"
	"mv a1, a2\n\t"
	"mv a2, a3\n\t"
	"mv a3, a4\n\t"
	"mv a4, a5\n\t"
	"ecall\n\t"
	"bnez a0, 1f\n\t"
	"mv sp, t1\n\t"
	"mv s0, zero\n\t"
	"mv ra, zero\n\t"
	"mv a0, t0\n\t"
	"jalr t2\n\t"
	"unimp\n"
	"1:\n\t"
	"ret\n"
	".size difftest_spawn, .-difftest_spawn\n"
	".globl difftest_restorer\n"
	".type difftest_restorer,@function\n"
	"difftest_restorer:\n\t"
	"li a7, 139\n\t"
	"ecall\n\t"
	"unimp\n"
	".size difftest_restorer, .-difftest_restorer\n");

#else
#error "difftest: no arch layer for this machine"
#endif

/* the kernel's struct sigaction (riscv64 has no sa_restorer) */
struct dt_ksigaction {
	void *handler;
	unsigned long flags;
#if DT_HAVE_RESTORER
	void (*restorer)(void);
#endif
	uint64_t mask;
};

#endif /* DIFFTEST_H */
