/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/riscv64/entry.S - every way into and out of the
 * kernel after boot: the trap vector (stvec, direct mode) and the return.
 *
 * Each trap saves a struct kf_arch_regs (<kf/arch/context.h>): pc and
 * x1..x31 at 8 * N, then sstatus, scause, stval, orig_a0.  sscratch is the
 * kernel stack top while the hart runs user code and 0 while it runs the
 * kernel, so the first instruction tells the two apart: from user space
 * the frame goes at the top of the thread's kernel stack (where
 * board_user_regs expects it), from the kernel below the current sp.
 *
 * sstatus is saved as it was and SUM is cleared for the handler; the
 * return writes the saved value back, so a user copy that faulted gets
 * its SUM again and nothing else runs with it (<kf/arch/uaccess.h>).
 *
 * A kernel trap whose frame would not fit above rv_kstack_lo (the running
 * thread's stack bottom, kept by board_switch) ran off its stack into the
 * guard page: it is taken on rv_overflow_stack instead, where the fault
 * report can still run.
 */
#define FRAME		288
#define F_SP		16
#define F_SSTATUS	256
#define F_SCAUSE	264
#define F_STVAL		272
#define SSTATUS_SPP	0x100
#define SSTATUS_SUM_HI	0x40		/* lui: 1 << 18 */

.macro SAVE_GPRS
	sd x1, 8(sp)
	sd x3, 24(sp)
	sd x4, 32(sp)
	sd x5, 40(sp)
	sd x6, 48(sp)
	sd x7, 56(sp)
	sd x8, 64(sp)
	sd x9, 72(sp)
	sd x10, 80(sp)
	sd x11, 88(sp)
	sd x12, 96(sp)
	sd x13, 104(sp)
	sd x14, 112(sp)
	sd x15, 120(sp)
	sd x16, 128(sp)
	sd x17, 136(sp)
	sd x18, 144(sp)
	sd x19, 152(sp)
	sd x20, 160(sp)
	sd x21, 168(sp)
	sd x22, 176(sp)
	sd x23, 184(sp)
	sd x24, 192(sp)
	sd x25, 200(sp)
	sd x26, 208(sp)
	sd x27, 216(sp)
	sd x28, 224(sp)
	sd x29, 232(sp)
	sd x30, 240(sp)
	sd x31, 248(sp)
.endm

.macro RESTORE_GPRS
	ld x1, 8(sp)
	ld x3, 24(sp)
	ld x4, 32(sp)
	ld x5, 40(sp)
	ld x6, 48(sp)
	ld x7, 56(sp)
	ld x8, 64(sp)
	ld x9, 72(sp)
	ld x10, 80(sp)
	ld x11, 88(sp)
	ld x12, 96(sp)
	ld x13, 104(sp)
	ld x14, 112(sp)
	ld x15, 120(sp)
	ld x16, 128(sp)
	ld x17, 136(sp)
	ld x18, 144(sp)
	ld x19, 152(sp)
	ld x20, 160(sp)
	ld x21, 168(sp)
	ld x22, 176(sp)
	ld x23, 184(sp)
	ld x24, 192(sp)
	ld x25, 200(sp)
	ld x26, 208(sp)
	ld x27, 216(sp)
	ld x28, 224(sp)
	ld x29, 232(sp)
	ld x30, 240(sp)
	ld x31, 248(sp)
.endm

	.text
	.balign 4
	.globl rv_trap_entry
	.type rv_trap_entry, @function
rv_trap_entry:
	csrrw sp, sscratch, sp
	bnez sp, .Lfrom_user
	/* from the kernel: sp back, sscratch 0 again */
	csrrw sp, sscratch, sp
	csrw sscratch, t0		/* park t0 for the stack check */
	ld t0, rv_kstack_lo
	addi t0, t0, FRAME
	bltu sp, t0, .Loverflow
	csrrw t0, sscratch, zero
	addi sp, sp, -FRAME
	SAVE_GPRS
	addi t0, sp, FRAME
	sd t0, F_SP(sp)
	j .Lsave_csrs
.Loverflow:
	/* the faulting sp goes into the frame; the report runs here, and a
	 * trap during it stays on this stack (no bound to check any more) */
	mv t0, sp
	la sp, rv_overflow_stack_top
	addi sp, sp, -FRAME
	sd t0, F_SP(sp)
	la t0, rv_kstack_lo
	sd zero, 0(t0)
	csrrw t0, sscratch, zero
	SAVE_GPRS
	j .Lsave_csrs
.Lfrom_user:
	addi sp, sp, -FRAME
	SAVE_GPRS
	csrrw t0, sscratch, zero	/* the user sp; 0: now in the kernel */
	sd t0, F_SP(sp)
.Lsave_csrs:
	csrr t0, sepc
	sd t0, 0(sp)
	lui t1, SSTATUS_SUM_HI
	csrrc t0, sstatus, t1
	sd t0, F_SSTATUS(sp)
	csrr t0, scause
	sd t0, F_SCAUSE(sp)
	csrr t0, stval
	sd t0, F_STVAL(sp)
	mv a0, sp
	call rv_trap
	/* fall through */

	/* Return through the frame at sp, interrupts off. */
rv_trap_return:
	csrci sstatus, 2
	ld t0, F_SSTATUS(sp)
	andi t1, t0, SSTATUS_SPP
	bnez t1, 1f
	addi t1, sp, FRAME		/* back to user: the stack top */
	csrw sscratch, t1
1:	csrw sstatus, t0
	ld t0, 0(sp)
	csrw sepc, t0
	RESTORE_GPRS
	ld sp, F_SP(sp)
	sret
	.size rv_trap_entry, . - rv_trap_entry

	/* void board_enter_user(struct kf_arch_regs *r): r is the frame at
	 * the top of the running thread's kernel stack. */
	.globl board_enter_user
	.type board_enter_user, @function
board_enter_user:
	mv sp, a0
	j rv_trap_return
	.size board_enter_user, . - board_enter_user

	.bss
	.balign 16
	.globl rv_overflow_stack_top
rv_overflow_stack:
	.space 8192
rv_overflow_stack_top:

/*
 * long rv_semihost(long op, const void *arg) - a semihosting call: QEMU
 * (-semihosting) recognizes this uncompressed, aligned slli/ebreak/srai
 * triple and answers in a0.  Without semihosting the ebreak is a plain
 * breakpoint exception, which rv_trap steps over (rv_semihost_probe_fault,
 * console.c) with a0 unchanged.
 */
	.text
	.balign 16
	.globl rv_semihost, rv_semihost_ebreak
	.type rv_semihost, @function
rv_semihost:
	.option push
	.option norvc
	slli zero, zero, 0x1f
rv_semihost_ebreak:
	ebreak
	srai zero, zero, 7
	.option pop
	ret
	.size rv_semihost, . - rv_semihost
