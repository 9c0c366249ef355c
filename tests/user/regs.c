/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/regs.c - the syscall register convention: across a syscall
 * every general register keeps its value except, on x86_64, rax (the
 * result), rcx (the return address) and r11 (the flags), and on riscv64
 * a0 (the result).
 */
#include <stdint.h>
#include "utap.h"

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

int main(void)
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
	return utap_done();
}
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

int main(void)
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
	return utap_done();
}
#else
int main(void)
{
	printf("1..0 # SKIP x86_64 and riscv64 only\n");
	return 0;
}
#endif
