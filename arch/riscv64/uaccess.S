/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/riscv64/uaccess.S - the copy loop that touches user memory.
 *
 * size_t kf_rv_copy_raw(void *dst, const void *src, size_t n) copies with
 * sstatus.SUM set and returns the bytes not copied.  When dst and src
 * share their alignment modulo 8 it copies doublewords between a byte
 * head and tail; otherwise bytes.  Exception-table entries {insn, fixup}:
 * a fault in the doubleword loop resumes the byte loop at the same place
 * (so the count left is exact to the byte), a fault in the byte loop ends
 * the copy.  a0/a1/a2 always describe what is left, and t6 holds the SUM
 * bit throughout (the trap restores every register it does not fix up).
 */
#define SSTATUS_SUM_HI 0x40	/* 1 << 18, as a lui immediate */

	.text
	.globl kf_rv_copy_raw
	.type kf_rv_copy_raw, @function
kf_rv_copy_raw:
	lui t6, SSTATUS_SUM_HI
	csrs sstatus, t6
	xor t0, a0, a1
	andi t0, t0, 7
	bnez t0, .Lbytes		/* never both aligned: bytes only */
.Lhead:					/* bytes up to dst's alignment */
	andi t0, a0, 7
	beqz t0, .Lwords
	beqz a2, .Ldone
1:	lb t2, 0(a1)
2:	sb t2, 0(a0)
	addi a1, a1, 1
	addi a0, a0, 1
	addi a2, a2, -1
	j .Lhead
.Lwords:
	li t1, 8
.Lwloop:
	bltu a2, t1, .Lbytes
3:	ld t2, 0(a1)
4:	sd t2, 0(a0)
	addi a1, a1, 8
	addi a0, a0, 8
	addi a2, a2, -8
	j .Lwloop
.Lbytes:
	beqz a2, .Ldone
5:	lb t2, 0(a1)
6:	sb t2, 0(a0)
	addi a1, a1, 1
	addi a0, a0, 1
	addi a2, a2, -1
	j .Lbytes
.Ldone:
	csrc sstatus, t6
	mv a0, a2
	ret
	.size kf_rv_copy_raw, . - kf_rv_copy_raw

	.pushsection __kf_extable, "a"
	.balign 8
	.dword 1b, .Ldone
	.dword 2b, .Ldone
	.dword 3b, .Lbytes
	.dword 4b, .Lbytes
	.dword 5b, .Ldone
	.dword 6b, .Ldone
	.popsection
