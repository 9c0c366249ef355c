/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/regs.c - the x86_64 syscall register convention: across a
 * syscall every general register keeps its value except rax (the result),
 * rcx (the return address) and r11 (the flags).
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
#else
int main(void)
{
	printf("1..0 # SKIP x86_64 only\n");
	return 0;
}
#endif
