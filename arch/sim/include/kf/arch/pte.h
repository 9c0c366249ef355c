/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/pte.h for arch/sim: the software MMU walks whichever format the
 * build names with -DKF_SIM_PTE_HEADER=<kf/arch/pte_<arch>.h>, so the host
 * port proves every arch's page-table code; the default is sim's own format.
 */
#ifndef KF_ARCH_PTE_H
#define KF_ARCH_PTE_H
#ifdef KF_SIM_PTE_HEADER
#include KF_SIM_PTE_HEADER
#else
#include <kf/arch/pte_sim.h>
#endif
#endif
