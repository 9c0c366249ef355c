/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/aarch64/uaccess.S - the only instructions that touch user memory.
 *
 * size_t kf_a64_copy_from_user_raw(void *dst, uintptr_t src, size_t n)
 * size_t kf_a64_copy_to_user_raw(uintptr_t dst, const void *src, size_t n)
 * copy with LDTR/STTR (EL0's permissions, PAN left set) and return the
 * bytes not copied.  Doublewords while 8 or more bytes are left, then
 * bytes.  Each user access has an exception-table entry {insn, fixup}: a
 * doubleword that faults falls back to the byte loop from where it
 * stood (the fault may lie anywhere in its 8 bytes), and a byte that
 * faults ends the copy there, so the count returned is exact.
 */

	.text
	.globl kf_a64_copy_from_user_raw
	.type kf_a64_copy_from_user_raw, %function
	.balign 4
kf_a64_copy_from_user_raw:
1:	cmp x2, #8
	b.lo 3f
2:	ldtr x3, [x1]
	str x3, [x0], #8
	add x1, x1, #8
	sub x2, x2, #8
	b 1b
3:	cbz x2, 9f
4:	ldtrb w3, [x1]
	strb w3, [x0], #1
	add x1, x1, #1
	subs x2, x2, #1
	b.ne 4b
9:	mov x0, x2
	ret
	.size kf_a64_copy_from_user_raw, . - kf_a64_copy_from_user_raw

	.pushsection __kf_extable, "a"
	.balign 8
	.quad 2b, 3b
	.quad 4b, 9b
	.popsection

	.globl kf_a64_copy_to_user_raw
	.type kf_a64_copy_to_user_raw, %function
	.balign 4
kf_a64_copy_to_user_raw:
1:	cmp x2, #8
	b.lo 3f
	ldr x3, [x1]
2:	sttr x3, [x0]
	add x0, x0, #8
	add x1, x1, #8
	sub x2, x2, #8
	b 1b
3:	cbz x2, 9f
4:	ldrb w3, [x1]
5:	sttrb w3, [x0]
	add x0, x0, #1
	add x1, x1, #1
	subs x2, x2, #1
	b.ne 4b
9:	mov x0, x2
	ret
	.size kf_a64_copy_to_user_raw, . - kf_a64_copy_to_user_raw

	.pushsection __kf_extable, "a"
	.balign 8
	.quad 2b, 3b
	.quad 5b, 9b
	.popsection
