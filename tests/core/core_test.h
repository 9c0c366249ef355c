/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/core/core_test.h - helpers the core's test programs share: running
 * as init, parked children and their clean-up, user memory, clone3 calls,
 * and expectations that follow the build's configuration.
 *
 * The tests look inside tasks (core/task.h, core/clone.h) to check what is
 * shared and what is copied; they change nothing through those headers.
 */
#ifndef KF_TESTS_CORE_TEST_H
#define KF_TESTS_CORE_TEST_H

#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include "clone.h"

#define FL(x) KF_CLONE_##x

/* t_eq - tap_eq evaluating each argument once (tap_eq's macro evaluates
 * them again to print them). */
static inline int t_eq(long long got, long long want, const char *id)
{
	return tap_eq(got, want, id);
}
#define ALLCAPS (~0ull)

static inline struct kf_task *cur(void)
{
	return kf_os_current();
}

/* task_of - the task with pid @pid (borrowed: valid while it lives). */
static inline struct kf_task *task_of(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t)
		kf_task_put(t);
	return t;
}

/*
 * RESTARTED - evaluate a fork-like call @call as user space sees it: the
 * core answers ERESTARTNOINTR while a signal is pending, and a host then
 * delivers the signals (here: the test takes them, as handlers would) and
 * runs the call again.  With SIGKILL pending the task would die instead,
 * so the value is returned.  test_clone.c's restart tests call the core
 * directly to see the raw value.
 */
#define RESTARTED(call) ({						\
	long r_;							\
	while ((r_ = (call)) == -KF_ERESTARTNOINTR &&			\
	       !kf_os_fatal_signal_pending(kf_os_current()))		\
		while (kf_host_sigdequeue())				\
			;						\
	r_;								\
})

/* clone_req - kf_clone of @req with a parked child (no entry). */
static inline long clone_req(const struct kf_clone_req *req)
{
	kf_host_set_child_entry(NULL, NULL);
	return RESTARTED(kf_clone(req));
}

static inline long clone_flags(uint64_t flags, int sig)
{
	struct kf_clone_req req = { .flags = flags, .exit_signal = sig };

	return clone_req(&req);
}

static inline long sys_clone(uint64_t flags, kf_uptr_t sp, kf_uptr_t ptid,
			     kf_uptr_t ctid, kf_uptr_t tls)
{
	kf_host_set_child_entry(NULL, NULL);
	return RESTARTED(kf_sys_clone(flags, sp, ptid, ctid, tls));
}

/*
 * wait_pid - waitid for @pid.  Signals the children sent us (SIGUSR1 as an
 * exit signal...) are dropped first: the host would let them interrupt
 * the wait, as a pending signal does on Linux.
 */
static inline long wait_pid(long pid, struct kf_waitinfo *wi, int options)
{
	long r = -KF_EINTR;
	int i;

	for (i = 0; i < 100; i++) {
		while (kf_host_sigdequeue())
			;
		memset(wi, 0, sizeof(*wi));
		r = kf_waitid(KF_P_PID, (int)pid, wi, options);
		if (r != -KF_ERESTARTSYS && r != -KF_EINTR)
			break;
	}
	return r;
}

/* reap - kill a child process (any exit signal) and reap it. */
static inline void reap(long pid)
{
	struct kf_task *t;
	struct kf_waitinfo wi;

	if (pid <= 0)
		return;
	t = kf_task_find((int)pid);
	if (t) {
		kf_os_signal(t, KF_SIGKILL, NULL, true);
		kf_task_put(t);
	}
	wait_pid(pid, &wi, KF_WEXITED | KF___WALL);
}

/* reap_thread - kill a thread (it releases itself) and wait until gone. */
static inline void reap_thread(long tid)
{
	struct kf_task *t;
	int i;

	if (tid <= 0)
		return;
	t = kf_task_find((int)tid);
	if (!t)
		return;
	kf_os_signal(t, KF_SIGKILL, NULL, false);
	kf_task_put(t);
	for (i = 0; i < 1000 && (t = kf_task_find((int)tid)); i++) {
		kf_task_put(t);
		kf_host_yield();
	}
}

/* run_child - run @fn(@arg) in a new child created with @flags and
 * SIGCHLD; returns its exit code (or -1000 + errno when clone failed). */
static inline int run_child(uint64_t flags, int (*fn)(void *), void *arg)
{
	struct kf_clone_req req = { .flags = flags, .exit_signal = KF_SIGCHLD };
	struct kf_waitinfo wi;
	long pid;

	pid = RESTARTED((kf_host_set_child_entry(fn, arg), kf_clone(&req)));
	if (pid < 0)
		return -1000 + (int)pid;
	if (wait_pid(pid, &wi, KF_WEXITED | KF___WALL) < 0)
		return -2000;
	return wi.code == KF_CLD_EXITED ? wi.status : -3000 - wi.status;
}

/* umem - @len bytes of fresh user memory in current's address space. */
static inline kf_uptr_t umem(size_t len)
{
	long a = kf_mm_map(kf_task_mm(cur()), 0, len, KF_PROT_READ | KF_PROT_WRITE,
			   KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);

	return a < 0 ? 0 : (kf_uptr_t)a;
}

static inline int32_t uget32(kf_uptr_t a)
{
	int32_t v = -12345;

	kf_host_read(a, &v, sizeof(v));
	return v;
}

static inline void uput32(kf_uptr_t a, int32_t v)
{
	kf_host_write(a, &v, sizeof(v));
}

/* a cgroup fd for kf_host_cgroup_enable: CLONE_INTO_CGROUP with it reaches
 * kf_host_cgroup_hook, the last copy stage, just before commit */
#define FAKE_CGROUP 77

/* an address no mapping covers (below mmap_min_addr) */
#define BAD_UPTR ((kf_uptr_t)0x1000)

/*
 * clone3 - write @a (its first min(size, sizeof) bytes) to user memory,
 * zero-filled up to @size, and call kf_sys_clone3 with a parked child.
 */
static kf_uptr_t c3buf;
static inline long clone3(const struct kf_clone_args *a, size_t size)
{
	static uint8_t zero[2 * 4096];

	if (!c3buf)
		c3buf = umem(sizeof(zero));
	kf_host_write(c3buf, zero, sizeof(zero));
	kf_host_write(c3buf, a, size < sizeof(*a) ? size : sizeof(*a));
	kf_host_set_child_entry(NULL, NULL);
	return RESTARTED(kf_sys_clone3(c3buf, size));
}

/* expected results that depend on the configuration */
static inline long want_ns(long r)
{
	return CONFIG_KF_NAMESPACES ? r : -KF_ENOSYS;
}

static inline long want_pidns(long r)
{
	return CONFIG_KF_PID_NS ? r : -KF_ENOSYS;
}

static inline long want_c3(long r)
{
	return CONFIG_KF_CLONE3 ? r : -KF_ENOSYS;
}

/* expect - @r must be @want; a child created by mistake is reaped. */
static inline void expect(long r, long want, const char *id)
{
	t_eq(r, want, id);
	if (r > 0)
		reap(r);
}

/* expect_child - a clone that must succeed when @ok, else fail; reaped. */
static inline void expect_child(long r, bool ok, const char *id)
{
	tap_ok((r > 0) == ok, id, "got %ld", r);
	if (r > 0)
		reap(r);
}

/* run_init - kf_host_run_as_init(@fn) and check init exited with 0. */
static inline void run_init(int (*fn)(void *), const char *id)
{
	int st = kf_host_run_as_init(fn, NULL);

	tap_ok(st == 0, id, "init status 0x%x", st);
}

#endif
