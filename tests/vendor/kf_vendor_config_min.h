/* SPDX-License-Identifier: BSD-2-Clause */
/* A hand-written configuration with every optional feature off, as a small
 * vendoring kernel might write it: tests/vendor/check links it too, to show
 * that such a kernel needs nothing from its host beyond the documented list. */
#define CONFIG_KF_CLONE3 0
#define CONFIG_KF_NAMESPACES 0
#define CONFIG_KF_PID_NS 0
#define CONFIG_KF_SYSVSEM 0
#define CONFIG_KF_IO_CONTEXT 0
#define CONFIG_KF_PIDFD 0
#define CONFIG_KF_COW 0
#define CONFIG_KF_DEBUG 0
#define CONFIG_KF_FAULT_INJECT 0
