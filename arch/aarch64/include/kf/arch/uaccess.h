/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/uaccess.h (aarch64) - user copies.  The contract, with the
 * exception-table fixup every host applies, is in <kf/hal/uaccess.h>.
 *
 * The copies touch user memory only with LDTR/STTR, the unprivileged
 * loads and stores: the MMU checks them with EL0's permissions (a store
 * to a read-only page, or any access to a kernel page, faults) and PAN
 * does not stop them.  So PAN is never opened: a host that has it keeps
 * PSTATE.PAN set all the time (and SCTLR_EL1.SPAN clear, so every
 * exception entry sets it again), and any other kernel access to user
 * memory faults.  The range check keeps kernel addresses out before that.
 */
#ifndef KF_ARCH_AARCH64_UACCESS_H
#define KF_ARCH_AARCH64_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);

#endif /* KF_ARCH_AARCH64_UACCESS_H */
