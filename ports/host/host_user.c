// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_user.c - user memory: the kf_os_copy_*_user hooks and
 * the test accessors, all through the sim CPU of the current task.
 */
#include <kf/hal/uaccess.h>
#include <kf/arch/sim.h>
#include "host.h"

int kf_os_copy_from_user(void *dst, kf_uptr_t src, size_t n)
{
	host_assert_may_sleep("kf_os_copy_from_user");
	return kf_arch_copy_from_user(dst, src, n) ? -KF_EFAULT : 0;
}

int kf_os_copy_to_user(kf_uptr_t dst, const void *src, size_t n)
{
	host_assert_may_sleep("kf_os_copy_to_user");
	return kf_arch_copy_to_user(dst, src, n) ? -KF_EFAULT : 0;
}

int kf_host_read(kf_uptr_t va, void *buf, size_t n)
{
	return kf_sim_access(va, buf, n, KF_FAULT_READ | KF_FAULT_USER);
}

int kf_host_write(kf_uptr_t va, const void *buf, size_t n)
{
	return kf_sim_access(va, (void *)(uintptr_t)buf, n,
			     KF_FAULT_WRITE | KF_FAULT_USER);
}
