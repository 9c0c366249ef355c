// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_fault.c - fail the n-th allocation, n = 1, 2, ... until
 * the call succeeds, for kf_clone with several flag sets (fork, vfork, a
 * musl thread, all namespaces, pidfd + tid stores), kf_sys_clone3 (pidfd,
 * set_tid, CLEAR_SIGHAND, stack) and kf_unshare.  After every injected
 * failure: the call returned ENOMEM, no object or page is left over, every
 * reference count of the caller's resources is as before, the task count
 * is unchanged and no task holds any pid the attempt could have taken.
 */
#include "core_test.h"

/* ---- the caller's state, as far as a failed call must leave it ---------- */

#define SNAP_FIELDS(X) \
	X(objects) X(pages) X(nr_threads) X(files) X(files_ref) X(fs) X(fs_ref) \
	X(sighand) X(sighand_ref) X(signal) X(signal_ref) X(live) X(group_threads) \
	X(mm) X(mm_users) X(cred) X(cred_ref) X(user_ref) X(procs) X(userns_ref) \
	X(nsproxy) X(nsproxy_ref) X(uts_ref) X(ipc_ref) X(mnt_ref) X(net_ref) \
	X(cgroup_ref) X(time_ref) X(time_children_ref) X(pidns_ref) X(io) X(io_ref) \
	X(sem) X(sem_ref) X(file_ref) X(children)

struct snap {
#define X(f) long f;
	SNAP_FIELDS(X)
#undef X
};

static struct kf_host_file *probe_file;

static long list_len(struct kf_list *h)
{
	struct kf_list *p;
	long n = 0;

	kf_list_for_each(p, h)
		n++;
	return n;
}

static void snap(struct snap *s)
{
	struct kf_task *t = cur();
	struct kf_nsproxy *ns = t->nsproxy;

	memset(s, 0, sizeof(*s));
	s->objects = kf_host_live_objects();
	s->pages = kf_host_live_pages();
	s->nr_threads = (long)kf_nr_threads();
	s->files = (long)(uintptr_t)t->files;
	s->files_ref = kf_ref_read(&t->files->ref);
	s->fs = (long)(uintptr_t)t->fs;
	s->fs_ref = kf_fs_users(t->fs);
	s->sighand = (long)(uintptr_t)t->sighand;
	s->sighand_ref = kf_sighand_users(t->sighand);
	s->signal = (long)(uintptr_t)t->signal;
	s->signal_ref = kf_ref_read(&t->signal->ref);
	s->live = kf_atomic_read(&t->signal->live);
	s->group_threads = t->signal->nr_threads;
	s->mm = (long)(uintptr_t)t->mm;
	s->mm_users = t->mm ? kf_mm_users(t->mm) : 0;
	s->cred = (long)(uintptr_t)t->cred;
	s->cred_ref = kf_ref_read(&t->cred->ref);
	s->user_ref = kf_ref_read(&t->cred->user->ref);
	s->procs = kf_atomic_read(&t->cred->user->processes);
	s->userns_ref = kf_ref_read(&t->cred->user_ns->ref);
	s->nsproxy = (long)(uintptr_t)ns;
	s->nsproxy_ref = kf_ref_read(&ns->ref);
	s->uts_ref = kf_ref_read(&ns->uts->ns.ref);
	s->ipc_ref = kf_ref_read(&ns->ipc->ref);
	s->mnt_ref = kf_ref_read(&ns->mnt->ref);
	s->net_ref = kf_ref_read(&ns->net->ref);
	s->cgroup_ref = kf_ref_read(&ns->cgroup->ref);
	s->time_ref = kf_ref_read(&ns->time->ref);
	s->time_children_ref = kf_ref_read(&ns->time_for_children->ref);
	s->pidns_ref = kf_pid_ns_refcount(ns->pid_ns_for_children);
	s->io = (long)(uintptr_t)t->io_context;
	s->io_ref = t->io_context ? kf_ref_read(&t->io_context->ref) : 0;
	s->sem = (long)(uintptr_t)t->sysvsem;
	s->sem_ref = t->sysvsem ? kf_ref_read(&t->sysvsem->ref) : 0;
	s->file_ref = probe_file ? kf_host_file_refs(probe_file) : 0;
	s->children = list_len(&t->children);
}

/* snap_diff - name of the first field that differs, or NULL. */
static const char *snap_diff(const struct snap *a, const struct snap *b, long *x, long *y)
{
#define X(f) if (a->f != b->f) { *x = a->f; *y = b->f; return #f; }
	SNAP_FIELDS(X)
#undef X
	return NULL;
}

/*
 * fault_path - the failed allocation was a page fault's, taken by a user
 * copy (the pidfd store after fork write-protected the page).  Linux
 * answers EFAULT then too: a kernel access that faults out of memory goes
 * to the exception fixup.  Without site names (no FAULT_INJECT) any
 * EFAULT is taken as one.
 */
static bool fault_path(void)
{
	const char *site = kf_host_failed_site();

	if (!site)
		return true;
	return !strcmp(site, "mm.cow") || !strcmp(site, "mm.anon") ||
	       !strcmp(site, "mm.fault.pt");
}

/* no_task_in - no task answers to a pid in [lo, hi] any more */
static bool no_task_in(long lo, long hi)
{
	long p;

	for (p = lo; p <= hi; p++) {
		struct kf_task *t = kf_task_find((int)p);

		if (t) {
			kf_task_put(t);
			return false;
		}
	}
	return true;
}

/* flush_deferred - let the host free tasks that released themselves
 * (threads): a throw-away fork's prepare does it. */
static void flush_deferred(void)
{
	reap(clone_flags(0, KF_SIGCHLD));
}

/* next_pid - the pid the next fork would get (found by forking). */
static long next_pid(void)
{
	long p = clone_flags(0, KF_SIGCHLD);

	reap(p);
	flush_deferred();
	return p + 2;
}

/*
 * sweep - run @op with the n-th allocation failing, n = 1.. until it
 * succeeds, checking each failure; then @cleanup the success.  @pids:
 * the op creates a task, so check that none is visible after a failure.
 * Without @cleanup the successful call's effect stays (unshare).
 */
static void sweep(const char *name, long (*op)(void), void (*cleanup)(long), bool pids)
{
	char id[96], why[160] = "";
	struct snap before, after;
	long n, r = 0, lo = pids ? next_pid() : 0, x = 0, y = 0;
	bool clean = true, errno_ok = true;
	const char *f;

	snap(&before);
	for (n = 1; n < 2000; n++) {
		kf_host_fail_nth(n);
		r = op();
		if (!kf_host_fail_fired())
			break;
		kf_host_fail_nth(0);
		if (r != -KF_ENOMEM && !(r == -KF_EFAULT && fault_path()) && errno_ok) {
			errno_ok = false;
			snprintf(why, sizeof(why), "n=%ld (%s): returned %ld", n,
				 kf_host_failed_site() ? kf_host_failed_site() : "?", r);
		}
		snap(&after);
		f = snap_diff(&before, &after, &x, &y);
		if (clean && f) {
			clean = false;
			snprintf(why, sizeof(why), "n=%ld (%s): %s %ld -> %ld", n,
				 kf_host_failed_site() ? kf_host_failed_site() : "?", f, x, y);
		} else if (clean && pids && (!no_task_in(lo - 2, lo + n + 2) ||
					     !no_task_in(7000, 7000))) {
			clean = false;
			snprintf(why, sizeof(why), "n=%ld: a task is visible", n);
		}
	}
	kf_host_fail_nth(0);
	snprintf(id, sizeof(id), "fault.%s.enomem_every_time", name);
	tap_ok(errno_ok, id, "%s", why);
	snprintf(id, sizeof(id), "fault.%s.clean_after_every_failure", name);
	tap_ok(clean, id, "%s", why);
	snprintf(id, sizeof(id), "fault.%s.completes", name);
	tap_ok(r >= 0 && n > 2, id, "r=%ld after %ld injections", r, n - 1);
	if (!cleanup)		/* the success changed the caller for good */
		return;
	cleanup(r);
	flush_deferred();
	snap(&after);
	f = snap_diff(&before, &after, &x, &y);
	snprintf(id, sizeof(id), "fault.%s.clean_after_success", name);
	tap_ok(!f, id, "%s %ld -> %ld", f ? f : "", x, y);
}

/* ---- the operations ------------------------------------------------------------ */

static kf_uptr_t ubuf;

static long op_fork(void)
{
	kf_host_set_child_entry(NULL, NULL);
	return kf_fork();
}

static int ret0(void *arg)
{
	(void)arg;
	return 0;
}

static long op_vfork(void)
{
	kf_host_set_child_entry(ret0, NULL);
	return kf_vfork();
}

static void cleanup_wait(long pid)
{
	struct kf_waitinfo wi;

	if (pid > 0)
		wait_pid(pid, &wi, KF_WEXITED);
}

#define MUSL_THREAD (FL(VM) | FL(FS) | FL(FILES) | FL(SIGHAND) | FL(THREAD) | \
		     FL(SYSVSEM) | FL(SETTLS) | FL(PARENT_SETTID) | FL(CHILD_CLEARTID) | \
		     FL(DETACHED))

static long op_thread(void)
{
	return sys_clone(MUSL_THREAD, 0x300000, ubuf, ubuf + 4, 0x1234);
}

#define ALL_NS (FL(NEWUSER) | FL(NEWNS) | FL(NEWUTS) | FL(NEWIPC) | FL(NEWNET) | \
		FL(NEWCGROUP) | FL(NEWPID))

static long op_namespaces(void)
{
	return clone_flags(ALL_NS, KF_SIGCHLD);
}

static long op_tids(void)
{
	uint64_t pidfd = CONFIG_KF_PIDFD ? FL(PIDFD) : 0;
	struct kf_clone_req req = {
		.flags = FL(CHILD_SETTID) | FL(PARENT_SETTID) | FL(CHILD_CLEARTID) | pidfd | FL(IO),
		.exit_signal = KF_SIGCHLD,
		.parent_tid = ubuf + 8, .child_tid = ubuf + 12, .pidfd = ubuf + 16,
	};

	return clone_req(&req);
}

static void cleanup_tids(long pid)
{
	int fd = uget32(ubuf + 16);

	if (CONFIG_KF_PIDFD && pid > 0)
		kf_fd_close(fd);
	reap(pid);
}

static long op_clone3(void)
{
	kf_host_set_child_entry(NULL, NULL);
	return kf_sys_clone3(c3buf, KF_CLONE_ARGS_SIZE_VER2);
}

static void cleanup_clone3(long pid)
{
	if (CONFIG_KF_PIDFD && pid > 0)
		kf_fd_close(uget32(ubuf + 20));
	reap(pid);
}

/* c3_prepare - clone3's argument block, written once before the sweep:
 * the swept call itself must not fault pages in. */
static void c3_prepare(void)
{
	struct kf_clone_args a = {
		.flags = FL(CLEAR_SIGHAND) | FL(SYSVSEM) |
			 (CONFIG_KF_PIDFD ? FL(PIDFD) : 0) |
			 (CONFIG_KF_NAMESPACES ? FL(NEWUTS) | FL(NEWTIME) : 0),
		.pidfd = ubuf + 20, .exit_signal = KF_SIGCHLD,
		.stack = 0x400000, .stack_size = 0x1000,
		.set_tid = ubuf + 24, .set_tid_size = 1,
	};

	uput32(ubuf + 24, 7000);
	cleanup_clone3(clone3(&a, KF_CLONE_ARGS_SIZE_VER2));	/* fills c3buf */
	flush_deferred();
}

/* unshare runs in a child that shares files, fs and the undo list with
 * init, so that every flag has something to copy or drop */
#define UNSHARE_ALL (FL(FILES) | FL(FS) | FL(SYSVSEM) | \
		     (CONFIG_KF_NAMESPACES ? ALL_NS | FL(NEWTIME) : 0))

static long op_unshare(void)
{
	return kf_unshare(UNSHARE_ALL & ~(CONFIG_KF_PID_NS ? 0 : FL(NEWPID)));
}

static int unshare_child(void *arg)
{
	(void)arg;
	sweep("unshare", op_unshare, NULL, false);
	return 0;
}

static int body(void *arg)
{
	int fd, i;

	(void)arg;
	ubuf = umem(4096);
	uput32(ubuf, 1);		/* touch: the mm has a page to share */
	c3buf = umem(2 * 4096);
	probe_file = kf_host_file_new("probe");
	fd = kf_fd_install(probe_file, false);
	/* a grown fd table to copy */
	for (i = 0; i < 70; i++)
		kf_fd_install(kf_host_file_new("filler"), i & 1);
	kf_sysvsem_undo_list();
	kf_io_set_prio(cur(), (2 << 13) | 1);
	flush_deferred();

	sweep("fork", op_fork, reap, true);
	sweep("vfork", op_vfork, cleanup_wait, true);
	sweep("thread", op_thread, reap_thread, true);
	if (CONFIG_KF_NAMESPACES)
		sweep("namespaces", op_namespaces, reap, true);
	sweep("tids_pidfd_io", op_tids, cleanup_tids, true);
	if (CONFIG_KF_CLONE3) {
		c3_prepare();
		sweep("clone3", op_clone3, cleanup_clone3, true);
	}
	t_eq(run_child(FL(FILES) | FL(FS) | FL(SYSVSEM), unshare_child, NULL), 0,
	     "fault.unshare.child");

	for (i = 0; i < 71; i++)
		kf_fd_close(fd + i);
	return 0;
}

int main(void)
{
	run_init(body, "fault.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "fault.no_leaks");
	t_eq(kf_host_leaked_pages(), 0, "fault.no_leaked_pages");
	return tap_done();
}
