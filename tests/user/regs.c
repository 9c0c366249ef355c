/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/regs.c - the system call register convention and the user
 * thread pointer:
 *   x86_64   across a syscall every general register keeps its value
 *            except rax (the result), rcx (the return address) and r11
 *            (the flags);
 *   aarch64  across an svc every general register but x0 (the result)
 *            keeps its value, x8 (the number) and the flags included;
 *   riscv64  across an ecall every register but a0 (the result) keeps
 *            its value, a7 (the number) included;
 *   all      the thread pointer (x86_64's FS base, aarch64's TPIDR_EL0,
 *            riscv64's tp) survives system calls and switches to other
 *            processes, a fork child inherits it and CLONE_SETTLS sets
 *            the child's.
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
#elif defined(__riscv) && __riscv_xlen == 64
/*
 * regs_probe(out): load a pattern into every register but sp, gp, tp and
 * a0, make getpid() (a7 = 172), store what they hold afterwards:
 * out[0..25] in the order of names[], out[26] = a0 (the result), out[27]
 * = a7.  Linux's riscv64 convention keeps every register but a0.
 */
__asm__(
	".text\n"
	".globl regs_probe\n"
	"regs_probe:\n"
	"	addi sp, sp, -128\n"
	"	sd ra, 0(sp)\n"
	"	sd s0, 8(sp)\n"
	"	sd s1, 16(sp)\n"
	"	sd s2, 24(sp)\n"
	"	sd s3, 32(sp)\n"
	"	sd s4, 40(sp)\n"
	"	sd s5, 48(sp)\n"
	"	sd s6, 56(sp)\n"
	"	sd s7, 64(sp)\n"
	"	sd s8, 72(sp)\n"
	"	sd s9, 80(sp)\n"
	"	sd s10, 88(sp)\n"
	"	sd s11, 96(sp)\n"
	"	sd a0, 104(sp)\n"
	"	li ra, 0x0101010101010101\n"
	"	li t0, 0x0202020202020202\n"
	"	li t1, 0x0303030303030303\n"
	"	li t2, 0x0404040404040404\n"
	"	li s0, 0x0505050505050505\n"
	"	li s1, 0x0606060606060606\n"
	"	li a1, 0x0707070707070707\n"
	"	li a2, 0x0808080808080808\n"
	"	li a3, 0x0909090909090909\n"
	"	li a4, 0x0a0a0a0a0a0a0a0a\n"
	"	li a5, 0x0b0b0b0b0b0b0b0b\n"
	"	li a6, 0x0c0c0c0c0c0c0c0c\n"
	"	li s2, 0x0d0d0d0d0d0d0d0d\n"
	"	li s3, 0x0e0e0e0e0e0e0e0e\n"
	"	li s4, 0x0f0f0f0f0f0f0f0f\n"
	"	li s5, 0x1010101010101010\n"
	"	li s6, 0x1111111111111111\n"
	"	li s7, 0x1212121212121212\n"
	"	li s8, 0x1313131313131313\n"
	"	li s9, 0x1414141414141414\n"
	"	li s10, 0x1515151515151515\n"
	"	li s11, 0x1616161616161616\n"
	"	li t3, 0x1717171717171717\n"
	"	li t4, 0x1818181818181818\n"
	"	li t5, 0x1919191919191919\n"
	"	li t6, 0x1a1a1a1a1a1a1a1a\n"
	"	li a7, 172\n"
	"	ecall\n"
	"	sd t0, 112(sp)\n"		/* t0 is needed for the pointer */
	"	ld t0, 104(sp)\n"
	"	sd ra, 0(t0)\n"
	"	sd t1, 16(t0)\n"
	"	sd t2, 24(t0)\n"
	"	sd s0, 32(t0)\n"
	"	sd s1, 40(t0)\n"
	"	sd a1, 48(t0)\n"
	"	sd a2, 56(t0)\n"
	"	sd a3, 64(t0)\n"
	"	sd a4, 72(t0)\n"
	"	sd a5, 80(t0)\n"
	"	sd a6, 88(t0)\n"
	"	sd s2, 96(t0)\n"
	"	sd s3, 104(t0)\n"
	"	sd s4, 112(t0)\n"
	"	sd s5, 120(t0)\n"
	"	sd s6, 128(t0)\n"
	"	sd s7, 136(t0)\n"
	"	sd s8, 144(t0)\n"
	"	sd s9, 152(t0)\n"
	"	sd s10, 160(t0)\n"
	"	sd s11, 168(t0)\n"
	"	sd t3, 176(t0)\n"
	"	sd t4, 184(t0)\n"
	"	sd t5, 192(t0)\n"
	"	sd t6, 200(t0)\n"
	"	sd a0, 208(t0)\n"
	"	sd a7, 216(t0)\n"
	"	ld t1, 112(sp)\n"
	"	sd t1, 8(t0)\n"
	"	ld ra, 0(sp)\n"
	"	ld s0, 8(sp)\n"
	"	ld s1, 16(sp)\n"
	"	ld s2, 24(sp)\n"
	"	ld s3, 32(sp)\n"
	"	ld s4, 40(sp)\n"
	"	ld s5, 48(sp)\n"
	"	ld s6, 56(sp)\n"
	"	ld s7, 64(sp)\n"
	"	ld s8, 72(sp)\n"
	"	ld s9, 80(sp)\n"
	"	ld s10, 88(sp)\n"
	"	ld s11, 96(sp)\n"
	"	addi sp, sp, 128\n"
	"	ret\n");

void regs_probe(uint64_t out[28]);

static const char *const names[26] = {
	"ra", "t0", "t1", "t2", "s0", "s1", "a1", "a2", "a3", "a4", "a5", "a6", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"
};

static void test_syscall_regs(void)
{
	uint64_t out[28];
	char id[64];
	int i;

	regs_probe(out);
	for (i = 0; i < 26; i++) {
		snprintf(id, sizeof(id), "user.regs.syscall_keeps_%s", names[i]);
		utap_ok(out[i] == 0x0101010101010101ull * (uint64_t)(i + 1), id);
	}
	utap_ok(out[27] == 172, "user.regs.syscall_keeps_a7");
	utap_ok((long)out[26] > 0, "user.regs.getpid_positive");
}

static long raw_syscall2(long nr, long a, long b)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
	return a0;
}

static inline uint64_t tls_get(void)
{
	uint64_t v;

	__asm__ volatile("mv %0, tp" : "=r"(v));
	return v;
}

static inline void tls_set(uint64_t v)
{
	__asm__ volatile("mv tp, %0" : : "r"(v) : "memory");
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
	printf("1..0 # SKIP x86_64, aarch64 and riscv64 only\n");
	return 0;
}
#endif
