/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/uaccess.h - user memory access with fault fixup, the contract.
 *
 * <kf/arch/uaccess.h> declares:
 *   size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
 *   size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);
 *       copy within the active address space, as user code would access
 *       it (page protections apply: a store to a read-only or PROT_NONE
 *       page fails); return the number of bytes NOT copied (0 on
 *       success).  SMAP/PAN/SUM is opened only for the copy itself.  May
 *       sleep (the fault path may).
 *
 * The fixup, the same on every arch: each instruction of the copy
 * routines that may fault on a user address has an entry in the exception
 * table (struct kf_extable below, emitted into the section "__kf_extable"
 * by the arch's assembly).  The host's fault handler, for a fault taken
 * in kernel mode at a user address (below KF_TASK_SIZE):
 *   1. if kf_extable_search(pc) finds no entry, it is a kernel bug (oops);
 *   2. otherwise it offers the fault to kf_fault() (demand-zero, COW) and
 *      retries the instruction when that returns 0;
 *   3. otherwise kf_uaccess_fixup(regs) resumes at the entry's fixup,
 *      and the copy returns the bytes it did not copy.
 * The host's linker script provides __kf_extable_start and
 * __kf_extable_end around the section (KEEP it; 8-byte aligned).
 */
#ifndef KF_HAL_UACCESS_H
#define KF_HAL_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/hal/pte.h>
#include <kf/hal/context.h>
#include <kf/arch/uaccess.h>

/* One exception-table entry: the address of an instruction that may fault
 * on a user address, and where to resume if the fault is not resolved. */
struct kf_extable {
	uintptr_t insn, fixup;
};

/* kf_user_range_ok - [addr, addr+n) lies inside user space (below
 * KF_TASK_SIZE) without wrapping: Linux's access_ok. */
static inline bool kf_user_range_ok(uintptr_t addr, size_t n)
{
	return addr <= KF_TASK_SIZE && n <= KF_TASK_SIZE - addr;
}

/* kf_extable_search - the fixup for a fault at @pc, or 0 (hal/extable.c). */
uintptr_t kf_extable_search(uintptr_t pc);

/* kf_uaccess_fixup - if @r faulted at a user-copy instruction, point it at
 * the fixup and return true.  Any context. */
bool kf_uaccess_fixup(struct kf_arch_regs *r);

#endif /* KF_HAL_UACCESS_H */
