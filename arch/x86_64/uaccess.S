/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/x86_64/uaccess.S - the one instruction that touches user memory.
 *
 * size_t kf_x86_copy_raw(void *dst, const void *src, size_t n)
 * copies with `rep movsb` with SMAP opened and returns the bytes not copied.
 * The exception table entry {insn, fixup} lets the page-fault handler
 * resume at the fixup when it cannot resolve a fault at the copy: rep movsb
 * leaves the remaining count in %rcx.
 */
#include <kf/arch/smap.inc>

	.text
	.globl kf_x86_copy_raw
	.type kf_x86_copy_raw, @function
kf_x86_copy_raw:
	movq %rdx, %rcx
	STAC
1:	rep movsb
2:	CLAC
	movq %rcx, %rax
	ret
	.size kf_x86_copy_raw, . - kf_x86_copy_raw

	.pushsection __kf_extable, "a"
	.balign 8
	.quad 1b, 2b
	.popsection
