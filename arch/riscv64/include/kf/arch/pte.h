/* SPDX-License-Identifier: BSD-2-Clause */
/* kf/arch/pte.h - this arch's page-table format (see <kf/hal/pte.h>). */
#ifndef KF_ARCH_PTE_H
#define KF_ARCH_PTE_H
#include <kf/arch/pte_riscv64.h>
#endif
