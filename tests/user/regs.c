/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/regs.c - the system call register convention and the user
 * thread pointer:
 *   x86_64   across a syscall every general register keeps its value
 *            except rax (the result), rcx (the return address) and r11
 *            (the flags);
 *   aarch64  across an svc every general register but x0 (the result)
 *            keeps its value, x8 (the number) and the flags included;
 *   both     the thread pointer (x86_64's FS base, aarch64's TPIDR_EL0)
 *            survives system calls and switches to other processes, a
 *            fork child inherits it and CLONE_SETTLS sets the child's.
 * While a test has its own value in the thread pointer it calls nothing
 * of libc (which finds errno, and on x86_64 the stack canary, through it):
 * raw system calls only.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include "utap.h"
#include "uclone.h"

#define NO_SSP __attribute__((no_stack_protector, noinline))

#ifdef __x86_64__
/*
 * regs_probe(out): load known patterns, make getpid(), store what the
 * registers hold afterwards: out[0..11] = rbx rdx rsi rdi rbp r8 r9 r10
 * r12 r13 r14 r15, out[12] = rcx, out[13] = the address after the syscall,
 * out[14] = r11, out[15] = rax.
 */
__asm__(
	".text\n"
	".globl regs_probe\n"
	"regs_probe:\n"
	"	pushq %rbx\n	pushq %rbp\n	pushq %r12\n"
	"	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	pushq %rdi\n"
	"	movabsq $0x1111111111111101, %rbx\n"
	"	movabsq $0x2222222222222202, %rdx\n"
	"	movabsq $0x3333333333333303, %rsi\n"
	"	movabsq $0x4444444444444404, %rdi\n"
	"	movabsq $0x5555555555555505, %rbp\n"
	"	movabsq $0x6666666666666606, %r8\n"
	"	movabsq $0x7777777777777707, %r9\n"
	"	movabsq $0x8888888888888808, %r10\n"
	"	movabsq $0x9999999999999909, %r12\n"
	"	movabsq $0xaaaaaaaaaaaaaa0a, %r13\n"
	"	movabsq $0xbbbbbbbbbbbbbb0b, %r14\n"
	"	movabsq $0xcccccccccccccc0c, %r15\n"
	"	movq $0x0d0d0d0d, %rcx\n"
	"	movq $0x0e0e0e0e, %r11\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"1:	xchgq %rdi, (%rsp)\n"
	"	movq %rbx, 0(%rdi)\n	movq %rdx, 8(%rdi)\n"
	"	movq %rsi, 16(%rdi)\n	popq 24(%rdi)\n"
	"	movq %rbp, 32(%rdi)\n	movq %r8, 40(%rdi)\n"
	"	movq %r9, 48(%rdi)\n	movq %r10, 56(%rdi)\n"
	"	movq %r12, 64(%rdi)\n	movq %r13, 72(%rdi)\n"
	"	movq %r14, 80(%rdi)\n	movq %r15, 88(%rdi)\n"
	"	movq %rcx, 96(%rdi)\n	leaq 1b(%rip), %rcx\n"
	"	movq %rcx, 104(%rdi)\n	movq %r11, 112(%rdi)\n"
	"	movq %rax, 120(%rdi)\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n"
	"	popq %r12\n	popq %rbp\n	popq %rbx\n"
	"	ret\n");

void regs_probe(uint64_t out[16]);

static const char *const names[12] = {
	"rbx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
	"r12", "r13", "r14", "r15",
};
static const uint64_t want[12] = {
	0x1111111111111101, 0x2222222222222202, 0x3333333333333303,
	0x4444444444444404, 0x5555555555555505, 0x6666666666666606,
	0x7777777777777707, 0x8888888888888808, 0x9999999999999909,
	0xaaaaaaaaaaaaaa0a, 0xbbbbbbbbbbbbbb0b, 0xcccccccccccccc0c,
};

static void test_syscall_regs(void)
{
	uint64_t out[16];
	char id[64];
	int i;

	regs_probe(out);
	for (i = 0; i < 12; i++) {
		snprintf(id, sizeof(id), "user.regs.syscall_keeps_%s", names[i]);
		utap_ok(out[i] == want[i], id);
	}
	utap_ok(out[12] == out[13], "user.regs.syscall_rcx_is_return_address");
	utap_ok((out[14] & 0x202) == 0x202, "user.regs.syscall_r11_is_rflags");
	utap_ok((long)out[15] > 0, "user.regs.getpid_positive");
}

static long raw_syscall2(long nr, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return r;
}

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static inline __attribute__((always_inline)) uint64_t tls_get(void)
{
	uint64_t v = 0;

	raw_syscall2(SYS_arch_prctl, ARCH_GET_FS, (long)&v);
	return v;
}

static inline __attribute__((always_inline)) void tls_set(uint64_t v)
{
	raw_syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)v);
}
#define HAVE_TLS_TESTS 1

#elif defined(__aarch64__)
/*
 * regs_probe(out): x1..x30 get the pattern 0x0101010101010101 * n (x8 the
 * number of getpid), the flags Z and C set (cmp of equal values), then
 * svc; out[n] = xn afterwards (out[0] = x0, the result), out[31] = NZCV.
 */
__asm__(
	".text\n"
	".globl regs_probe\n"
	"regs_probe:\n"
	"	stp x29, x30, [sp, #-16]!\n"
	"	stp x19, x20, [sp, #-16]!\n"
	"	stp x21, x22, [sp, #-16]!\n"
	"	stp x23, x24, [sp, #-16]!\n"
	"	stp x25, x26, [sp, #-16]!\n"
	"	stp x27, x28, [sp, #-16]!\n"
	"	str x0, [sp, #-16]!\n"
	"	ldr x1, =0x0101010101010101\n"
	"	add x2, x1, x1\n	add x3, x2, x1\n	add x4, x3, x1\n"
	"	add x5, x4, x1\n	add x6, x5, x1\n	add x7, x6, x1\n"
	"	add x9, x7, x1\n	add x9, x9, x1\n	add x10, x9, x1\n"
	"	add x11, x10, x1\n	add x12, x11, x1\n	add x13, x12, x1\n"
	"	add x14, x13, x1\n	add x15, x14, x1\n	add x16, x15, x1\n"
	"	add x17, x16, x1\n	add x18, x17, x1\n	add x19, x18, x1\n"
	"	add x20, x19, x1\n	add x21, x20, x1\n	add x22, x21, x1\n"
	"	add x23, x22, x1\n	add x24, x23, x1\n	add x25, x24, x1\n"
	"	add x26, x25, x1\n	add x27, x26, x1\n	add x28, x27, x1\n"
	"	add x29, x28, x1\n	add x30, x29, x1\n"
	"	mov x8, #172\n"		/* getpid */
	"	cmp x1, x1\n"		/* Z and C */
	"	svc #0\n"
	"	str x30, [sp, #-16]!\n"
	"	ldr x30, [sp, #16]\n"
	"	stp x0, x1, [x30, #0]\n	stp x2, x3, [x30, #16]\n"
	"	stp x4, x5, [x30, #32]\n	stp x6, x7, [x30, #48]\n"
	"	stp x8, x9, [x30, #64]\n	stp x10, x11, [x30, #80]\n"
	"	stp x12, x13, [x30, #96]\n	stp x14, x15, [x30, #112]\n"
	"	stp x16, x17, [x30, #128]\n	stp x18, x19, [x30, #144]\n"
	"	stp x20, x21, [x30, #160]\n	stp x22, x23, [x30, #176]\n"
	"	stp x24, x25, [x30, #192]\n	stp x26, x27, [x30, #208]\n"
	"	stp x28, x29, [x30, #224]\n"
	"	mrs x1, nzcv\n"
	"	ldr x2, [sp], #16\n"
	"	stp x2, x1, [x30, #240]\n"
	"	add sp, sp, #16\n"
	"	ldp x27, x28, [sp], #16\n"
	"	ldp x25, x26, [sp], #16\n"
	"	ldp x23, x24, [sp], #16\n"
	"	ldp x21, x22, [sp], #16\n"
	"	ldp x19, x20, [sp], #16\n"
	"	ldp x29, x30, [sp], #16\n"
	"	ret\n");

void regs_probe(uint64_t out[32]);

static void test_syscall_regs(void)
{
	uint64_t out[32];
	char id[64];
	int n;

	regs_probe(out);
	for (n = 1; n <= 30; n++) {
		uint64_t want = n == 8 ? 172 : 0x0101010101010101ull * n;

		snprintf(id, sizeof(id), "user.regs.svc_keeps_x%d", n);
		utap_eq((long)out[n], (long)want, id);
	}
	utap_eq((long)(out[31] & 0xf0000000), 0x60000000, "user.regs.svc_keeps_nzcv");
	utap_ok((long)out[0] > 0, "user.regs.getpid_positive");
}

static long raw_syscall2(long nr, long a, long b)
{
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x8 __asm__("x8") = nr;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
}

static inline uint64_t tls_get(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

static inline void tls_set(uint64_t v)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(v) : "memory");
}
#define HAVE_TLS_TESTS 1
#endif

#ifdef HAVE_TLS_TESTS
#define TLS_MINE  0x0000123456789000ull
#define TLS_OTHER 0x0000234567891000ull
#define TLS_CHILD 0x0000345678912000ull
#define ROUNDS 20

/* With @v in the thread pointer: a system call, then yields (another
 * process runs meanwhile if one is runnable); how often it was lost. */
static NO_SSP int tls_hold(uint64_t v, int rounds)
{
	uint64_t old = tls_get();
	int lost = 0, i;

	tls_set(v);
	raw_syscall2(SYS_getpid, 0, 0);
	lost += tls_get() != v;
	for (i = 0; i < rounds; i++) {
		raw_syscall2(SYS_sched_yield, 0, 0);
		lost += tls_get() != v;
	}
	tls_set(old);
	return lost;
}

static uint64_t settls_seen;

static NO_SSP int settls_child(void *arg)
{
	(void)arg;
	settls_seen = tls_get();
	return 0;
}

static void test_tls(void)
{
	uint64_t before = tls_get();
	pid_t pid;

	utap_eq(tls_hold(TLS_MINE, 0), 0, "user.regs.tls_kept_across_syscall");

	/* another process with its own thread pointer runs in between */
	pid = ufork();
	if (pid == 0)
		_exit(tls_hold(TLS_OTHER, ROUNDS) ? 1 : 0);
	utap_eq(tls_hold(TLS_MINE, ROUNDS), 0, "user.regs.tls_kept_across_switch");
	utap_eq(wait_status(pid), 0, "user.regs.tls_other_process_kept");

	pid = ufork();
	if (pid == 0)
		_exit(tls_get() == before ? 0 : 1);
	utap_eq(wait_status(pid), 0, "user.regs.tls_inherited_by_fork");

	if (UCLONE_HAVE) {
		size_t size = 64 * 1024;
		char *stack = malloc(size);

		pid = (pid_t)uclone(CLONE_VM | CLONE_SETTLS | SIGCHLD,
				    stack + size, NULL, NULL, TLS_CHILD,
				    settls_child, NULL);
		utap_eq(wait_status(pid), 0, "user.regs.settls_child_exits");
		utap_eq((long)settls_seen, (long)TLS_CHILD,
			"user.regs.settls_sets_child_tls");
		free(stack);
	} else {
		utap_skip("user.regs.settls_child_exits", "no raw clone here");
		utap_skip("user.regs.settls_sets_child_tls", "no raw clone here");
	}
	utap_eq((long)tls_get(), (long)before, "user.regs.tls_parent_unchanged");
}

int main(void)
{
	test_syscall_regs();
	test_tls();
	return utap_done();
}
#else
int main(void)
{
	printf("1..0 # SKIP x86_64 and aarch64 only\n");
	return 0;
}
#endif
