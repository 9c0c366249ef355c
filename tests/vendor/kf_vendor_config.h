/* SPDX-License-Identifier: BSD-2-Clause */
/* A hand-written configuration, as a kernel vendoring kfork without Kconfig
 * would write it: only what differs from the defaults in kf/kf_config.h. */
#define CONFIG_KF_DEBUG 1
#define CONFIG_KF_PID_MAX 4096
#define CONFIG_KF_IO_CONTEXT 0
