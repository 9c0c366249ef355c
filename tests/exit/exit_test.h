// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/exit/exit_test.h - helpers the exit suites share: starting children
 * at an entry function on the host port.
 */
#ifndef KF_TESTS_EXIT_TEST_H
#define KF_TESTS_EXIT_TEST_H

#include <stdint.h>
#include <string.h>
#include <kf/kf.h>
#include "kf_host.h"
#include "tap.h"

#define THREAD_FLAGS (KF_CLONE_VM | KF_CLONE_SIGHAND | KF_CLONE_THREAD)
#define STATUS(code) (((code) & 0xff) << 8)
#define ARG(v) ((void *)(intptr_t)(v))

static inline void eq(long long got, long long want, const char *id)
{
	tap_eq(got, want, id);
}

/* ret_arg - a child entry that exits with its argument */
static inline int ret_arg(void *arg)
{
	return (int)(intptr_t)arg;
}

/* spawn - fork a child that runs fn(arg); fn NULL: the child parks */
static inline long spawn(int (*fn)(void *), void *arg)
{
	kf_host_set_child_entry(fn, arg);
	return kf_fork();
}

static inline long spawn_clone(uint64_t flags, int sig, int (*fn)(void *),
			       void *arg, kf_uptr_t ctid)
{
	struct kf_clone_req req;

	memset(&req, 0, sizeof(req));
	req.flags = flags;
	req.exit_signal = sig;
	req.child_tid = ctid;
	kf_host_set_child_entry(fn, arg);
	return kf_clone(&req);
}

#endif
