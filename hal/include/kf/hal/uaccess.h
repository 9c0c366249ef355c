/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/uaccess.h - user memory access with fault fixup, the contract.
 *
 * <kf/arch/uaccess.h> declares:
 *   size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
 *   size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);
 *       copy within the active address space; return the number of bytes
 *       NOT copied (0 on success).  A fault the COW path cannot resolve is
 *       fixed up, never fatal to the kernel.  SMAP/PAN/SUM is opened only
 *       for the copy itself.
 *   bool kf_arch_user_range_ok(uintptr_t addr, size_t n);
 *       [addr, addr+n) lies below KF_USER_VA_END without wrapping (the
 *       access_ok check clone3 uses for its stack).
 * A host's kf_os_copy_*_user hooks are normally thin wrappers on these.
 */
#ifndef KF_HAL_UACCESS_H
#define KF_HAL_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/arch/uaccess.h>

#endif /* KF_HAL_UACCESS_H */
