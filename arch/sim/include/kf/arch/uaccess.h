/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/uaccess.h (sim) - user copies through the software MMU.
 *
 * The contract is in <kf/hal/uaccess.h>.  Every byte goes through the sim
 * TLB and page-table walk of the active address space on the calling
 * CPU; a missing or read-only page takes a real fault into kf_fault()
 * (COW, demand-zero), and what the fault cannot resolve ends the copy: the
 * functions then return the number of bytes not copied.  No exception
 * table is needed: the sim's copies are C loops that see the fault.
 */
#ifndef KF_ARCH_SIM_UACCESS_H
#define KF_ARCH_SIM_UACCESS_H

#include <stddef.h>
#include <stdint.h>

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n);
size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n);

#endif /* KF_ARCH_SIM_UACCESS_H */
