// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/aarch64/context.c - copy_thread, the user frame's place, and the
 * first-run context of a kernel thread.
 *
 * A task's user frame (struct kf_arch_regs) sits at the top of its kernel
 * stack, where the entry code saves it.  A kernel context that has never
 * run gets a saved lr at the trampoline in switch.S, so the first
 * kf_arch_switch to it "returns" there and calls its function.
 */
#include <stddef.h>
#include <kf/kf.h>
#include <kf/hal/context.h>

/* The assembly's offsets (context.h) are the structs' own. */
_Static_assert(offsetof(struct kf_arch_regs, sp) == KF_A64_REGS_SP, "regs.sp");
_Static_assert(offsetof(struct kf_arch_regs, pc) == KF_A64_REGS_PC, "regs.pc");
_Static_assert(offsetof(struct kf_arch_regs, pstate) == KF_A64_REGS_PSTATE,
	       "regs.pstate");
_Static_assert(offsetof(struct kf_arch_regs, orig_x0) == KF_A64_REGS_ORIG_X0,
	       "regs.orig_x0");
_Static_assert(offsetof(struct kf_arch_regs, syscallno) ==
	       KF_A64_REGS_SYSCALLNO, "regs.syscallno");
_Static_assert(sizeof(struct kf_arch_regs) == KF_A64_REGS_SIZE &&
	       KF_A64_REGS_SIZE % 16 == 0, "regs size");
_Static_assert(offsetof(struct kf_arch_thread, x19_x28) == KF_A64_THREAD_X19,
	       "thread.x19");
_Static_assert(offsetof(struct kf_arch_thread, sp) == KF_A64_THREAD_SP,
	       "thread.sp");
_Static_assert(offsetof(struct kf_arch_thread, tpidr) == KF_A64_THREAD_TPIDR,
	       "thread.tpidr");
_Static_assert(offsetof(struct kf_arch_thread, fpsimd) == KF_A64_THREAD_FPSIMD,
	       "thread.fpsimd");
_Static_assert(offsetof(struct kf_a64_fpsimd, fpsr) == KF_A64_FPSIMD_FPSR &&
	       offsetof(struct kf_a64_fpsimd, fpcr) == KF_A64_FPSIMD_FPCR,
	       "fpsimd.fpsr/fpcr");

extern char kf_a64_thread_start[];

/* x19 = function, x20 = argument; sp 16-byte aligned below @top. */
void kf_arch_thread_init(struct kf_arch_thread *th, uintptr_t top,
			 void (*fn)(void *), void *arg)
{
	__builtin_memset(th->x19_x28, 0, sizeof(th->x19_x28));
	th->x19_x28[0] = (uintptr_t)fn;
	th->x19_x28[1] = (uintptr_t)arg;
	th->fp = 0;
	th->lr = (uintptr_t)kf_a64_thread_start;
	th->sp = top & ~(uintptr_t)15;
}

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return kf_a64_regs_at_top((uintptr_t)kf_task_kstack(t) +
				  KF_ARCH_KSTACK_SIZE);
}

/*
 * kf_arch_copy_thread - the child resumes EL0 where the parent made the
 * call, with every register the parent had (Linux keeps all but x0 across
 * an svc), x0 = 0, the new stack pointer and TPIDR_EL0 when given.
 * @parent is the running task: its thread pointer and FP/SIMD registers
 * are live in the CPU (musl writes TPIDR_EL0 itself), so they are read
 * from there.  The child's kernel context is the host's to make.
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	struct kf_arch_thread *cth = kf_task_arch(child);
	struct kf_arch_regs *r = kf_arch_task_regs(child);

	*r = *kf_arch_task_regs(parent);
	kf_arch_set_return(r, 0);
	if (stack)
		r->sp = stack;
	cth->tpidr = settls ? tls : kf_a64_read_tpidr_el0();
	kf_a64_fpsimd_save(&cth->fpsimd);
	return 0;
}

/* The running task's thread pointer is the register; the others' what
 * their last switch saved. */
uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	if (t == kf_os_current())
		return kf_a64_read_tpidr_el0();
	return kf_task_arch(t)->tpidr;
}
