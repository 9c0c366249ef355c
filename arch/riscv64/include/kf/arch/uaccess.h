/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/uaccess.h (riscv64) - user copies.  The contract, with the
 * exception-table fixup every host applies, is in <kf/hal/uaccess.h>.
 *
 * The copies run with sstatus.SUM set (S-mode may then touch U pages) and
 * clear it before they return, so the kernel touches user memory nowhere
 * else.  A host's trap entry must save sstatus in the frame, clear SUM
 * for the handler and restore the saved sstatus on the way back: a copy
 * that faults and sleeps in the fault path then lets no other thread run
 * with SUM open, and gets it back when it resumes.  Each load and store
 * of the copy loops has an exception-table entry; the fixups are labels,
 * never "pc + 4" (compressed instructions are 2 bytes).
 */
#ifndef KF_ARCH_RISCV64_UACCESS_H
#define KF_ARCH_RISCV64_UACCESS_H

#include <stddef.h>
#include <stdint.h>

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);

#endif /* KF_ARCH_RISCV64_UACCESS_H */
