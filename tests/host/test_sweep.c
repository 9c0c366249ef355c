// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/host/test_sweep.c - fail-the-n-th-allocation sweeps over task
 * creation, seen from the host port: every failure of a host hook
 * (host.task, host.kstack, host.pidfd) and of the core behind it must leave
 * no object, frame, host task or fd behind, and the sweep must end in a
 * working child.
 */
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/mm.h>

static kf_uptr_t page;

static int child(void *arg)
{
	unsigned char b = 0;

	(void)arg;
	kf_host_read(page, &b, 1);
	return b;
}

static int reap(long pid)
{
	struct kf_waitinfo wi;

	memset(&wi, 0, sizeof(wi));
	if (kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED) < 0)
		return -1;
	return wi.code == KF_CLD_EXITED ? (wi.status & 0xff) << 8 : wi.status;
}

struct sweep {
	int failures;
	bool clean, host_task, host_kstack, host_pidfd;
	long pid;
};

static void note_site(struct sweep *s)
{
	const char *site = kf_host_failed_site();

	if (!site)
		return;
	s->host_task |= !strcmp(site, "host.task");
	s->host_kstack |= !strcmp(site, "host.kstack");
	s->host_pidfd |= !strcmp(site, "host.pidfd");
}

/* sweep - run @op with the n-th allocation failing, n = 1, 2, ... */
static void sweep(long (*op)(void), struct sweep *s)
{
	memset(s, 0, sizeof(*s));
	s->clean = true;
	for (int n = 1; n < 1000; n++) {
		long objs = kf_host_live_objects(), pages = kf_host_live_pages();
		int tasks = kf_host_tasks();
		bool fired;

		kf_host_fail_nth(n);
		s->pid = op();
		fired = kf_host_fail_fired();
		kf_host_fail_nth(0);
		if (!fired)
			return;
		s->failures++;
		note_site(s);
		kf_host_set_child_entry(NULL, NULL);
		if (s->pid >= 0 || kf_host_live_objects() != objs ||
		    kf_host_live_pages() != pages || kf_host_tasks() != tasks) {
			if (s->clean)
				tap_diag("n=%d (%s): r=%ld objects %+ld pages %+ld "
					 "tasks %+d", n, kf_host_failed_site(),
					 s->pid, kf_host_live_objects() - objs,
					 kf_host_live_pages() - pages,
					 kf_host_tasks() - tasks);
			s->clean = false;
			if (s->pid > 0)
				reap(s->pid);
		}
	}
}

static long do_fork(void)
{
	kf_host_set_child_entry(child, NULL);
	return kf_fork();
}

static long do_clone_pidfd(void)
{
	struct kf_clone_req req;

	memset(&req, 0, sizeof(req));
	req.flags = KF_CLONE_PIDFD;
	req.exit_signal = KF_SIGCHLD;
	req.pidfd = page + 64;
	kf_host_set_child_entry(child, NULL);
	return kf_clone(&req);
}

#if CONFIG_KF_PIDFD
static void check_pidfd(long pid)
{
	struct kf_host_file *f;
	struct kf_task *t;
	int pidfd = -1;

	kf_host_read(page + 64, &pidfd, sizeof(pidfd));
	f = kf_fd_get(pidfd);
	t = kf_task_find((int)pid);
	tap_ok(f && t && kf_host_file_pidfd_task(f) == t,
	       "sweep.pidfd.refers_to_child", "fd %d", pidfd);
	if (f)
		kf_os_file_put(f);
	if (t)
		kf_task_put(t);
	kf_fd_close(pidfd);
}
#endif

static int body(void *arg)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	unsigned char v = 42;
	struct sweep s;
	int st;

	(void)arg;
	page = (kf_uptr_t)kf_mm_map(mm, 0, 4096, KF_PROT_READ | KF_PROT_WRITE,
				    KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	kf_host_write(page, &v, 1);

	sweep(do_fork, &s);
	tap_ok(s.failures >= 3, "sweep.fork.failures", "%d", s.failures);
	tap_ok(s.clean, "sweep.fork.clean", NULL);
	tap_ok(s.host_task && s.host_kstack, "sweep.fork.host_hooks_failed", NULL);
	st = reap(s.pid);
	tap_eq(st, 42 << 8, "sweep.fork.child_works");

	sweep(do_clone_pidfd, &s);
#if CONFIG_KF_PIDFD
	tap_ok(s.clean, "sweep.pidfd.clean", NULL);
	tap_ok(s.host_pidfd, "sweep.pidfd.hook_failed", NULL);
	tap_ok(s.pid > 0, "sweep.pidfd.created", "%ld", s.pid);
	if (s.pid > 0)
		check_pidfd(s.pid);
#else
	tap_eq(s.pid, -KF_ENOSYS, "sweep.pidfd.configured_out");
#endif
	if (s.pid > 0) {
		st = reap(s.pid);
		tap_eq(st, 42 << 8, "sweep.pidfd.child_works");
	}
	return 0;
}

int main(void)
{
	int status = kf_host_run_as_init(body, NULL);

	tap_eq(status, 0, "sweep.init_status");
	tap_eq(kf_host_leaked_objects(), 0, "sweep.no_object_leak");
	tap_eq(kf_host_leaked_pages(), 0, "sweep.no_page_leak");
	if (kf_host_leaked_objects() || kf_host_leaked_pages())
		kf_host_dump_leaks();
	return tap_done();
}
