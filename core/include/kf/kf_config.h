/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/kf_config.h - configuration with defaults.
 *
 * The Meson build generates a header from Kconfig's .config and names it
 * with -DKF_CONFIG_HEADER.  A vendoring kernel without Kconfig may do the
 * same with a hand-written header, or define the CONFIG_KF_* macros on the
 * command line, or take the defaults below.  Every symbol is 0 or 1 (or a
 * number); test with #if, never #ifdef.
 */
#ifndef KF_CONFIG_H
#define KF_CONFIG_H

#ifdef KF_CONFIG_HEADER
#include KF_CONFIG_HEADER
#endif

#ifndef CONFIG_KF_CLONE3
#define CONFIG_KF_CLONE3 1
#endif
#ifndef CONFIG_KF_NAMESPACES
#define CONFIG_KF_NAMESPACES 1
#endif
#ifndef CONFIG_KF_PID_NS
#define CONFIG_KF_PID_NS CONFIG_KF_NAMESPACES
#endif
#ifndef CONFIG_KF_SYSVSEM
#define CONFIG_KF_SYSVSEM 1
#endif
#ifndef CONFIG_KF_IO_CONTEXT
#define CONFIG_KF_IO_CONTEXT 1
#endif
#ifndef CONFIG_KF_PIDFD
#define CONFIG_KF_PIDFD 1
#endif
#ifndef CONFIG_KF_PID_MAX
#define CONFIG_KF_PID_MAX 32768
#endif
#ifndef CONFIG_KF_MAX_THREADS
#define CONFIG_KF_MAX_THREADS 4096
#endif
#ifndef CONFIG_KF_NR_CPUS
#define CONFIG_KF_NR_CPUS 8
#endif
#ifndef CONFIG_KF_COW
#define CONFIG_KF_COW 1
#endif
#ifndef CONFIG_KF_DEBUG
#define CONFIG_KF_DEBUG 0
#endif
#ifndef CONFIG_KF_FAULT_INJECT
#define CONFIG_KF_FAULT_INJECT 0
#endif
#ifndef CONFIG_KF_RISCV_SV48
#define CONFIG_KF_RISCV_SV48 0
#endif

#if CONFIG_KF_PID_NS && !CONFIG_KF_NAMESPACES
#error "CONFIG_KF_PID_NS needs CONFIG_KF_NAMESPACES"
#endif

#endif /* KF_CONFIG_H */
