// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/exit/exit_test.h - helpers the exit suites share: starting children
 * at an entry function on the host port, and the leak check after a case.
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

/* flush - one fork and reap: the host frees the host side of tasks that
 * released themselves (threads) at the next task creation */
static inline void flush(void)
{
	long pid = spawn(ret_arg, ARG(0));

	if (pid > 0)
		kf_wait4((int)pid, 0, 0, 0);
}

/* The host's live objects, pages and tasks once the suite has warmed up
 * (leak_base_set), which check_leaks expects back after each case. */
struct leak_base {
	long objs, pages;
	int tasks;
};

static inline struct leak_base *leak_base(void)
{
	static struct leak_base b;

	return &b;
}

static inline void leak_base_set(void)
{
	flush();	/* warm-up: lazily created objects */
	flush();
	leak_base()->objs = kf_host_live_objects();
	leak_base()->pages = kf_host_live_pages();
	leak_base()->tasks = kf_host_tasks();
}

static inline void check_leaks(const char *id)
{
	const struct leak_base *b = leak_base();
	long objs, pages;
	int tasks;

	flush();
	objs = kf_host_live_objects();
	pages = kf_host_live_pages();
	tasks = kf_host_tasks();
	tap_ok(objs == b->objs && pages == b->pages && tasks == b->tasks, id,
	       "objects %ld (base %ld), pages %ld (base %ld), tasks %d (base %d)",
	       objs, b->objs, pages, b->pages, tasks, b->tasks);
	if (objs != b->objs || pages != b->pages)
		kf_host_dump_leaks();
}

#endif
