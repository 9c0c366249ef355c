// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_clone.c - clone(2) and kf_clone: every validation rule
 * and the errno Linux picks when several fail, what each flag shares or
 * copies, thread groups, CLONE_PARENT, SETTLS, the stack, the tid stores,
 * pidfds, fork and vfork.  Runs as init on the host port.
 */
#include "core_test.h"

/* ---- validation: each rule alone ------------------------------------------- */

static void test_rules(void)
{
	kf_uptr_t u = umem(4096);
	long pidfd_einval = CONFIG_KF_PIDFD ? -KF_EINVAL : -KF_ENOSYS;

	expect(sys_clone(FL(NEWNS) | FL(FS) | KF_SIGCHLD, 0, 0, 0, 0),
	       want_ns(-KF_EINVAL), "clone.valid.newns_with_fs");
	expect(sys_clone(FL(NEWUSER) | FL(FS) | KF_SIGCHLD, 0, 0, 0, 0),
	       want_ns(-KF_EINVAL), "clone.valid.newuser_with_fs");
	expect(sys_clone(FL(THREAD) | FL(VM), 0, 0, 0, 0), -KF_EINVAL,
	       "clone.valid.thread_needs_sighand");
	expect(sys_clone(FL(SIGHAND) | KF_SIGCHLD, 0, 0, 0, 0), -KF_EINVAL,
	       "clone.valid.sighand_needs_vm");
	expect(sys_clone(FL(PARENT) | KF_SIGCHLD, 0, 0, 0, 0), -KF_EINVAL,
	       "clone.valid.parent_from_init");
	expect(sys_clone(FL(THREAD) | FL(SIGHAND) | FL(VM) | FL(NEWUSER), 0, 0, 0, 0),
	       want_ns(-KF_EINVAL), "clone.valid.thread_newuser");
	expect(sys_clone(FL(THREAD) | FL(SIGHAND) | FL(VM) | FL(NEWPID), 0, 0, 0, 0),
	       want_pidns(-KF_EINVAL), "clone.valid.thread_newpid");
	expect(sys_clone(FL(PIDFD) | FL(DETACHED) | KF_SIGCHLD, 0, u, 0, 0),
	       pidfd_einval, "clone.valid.pidfd_detached");
	expect(sys_clone(FL(PIDFD) | FL(PARENT_SETTID) | KF_SIGCHLD, 0, u, 0, 0),
	       pidfd_einval, "clone.valid.pidfd_parent_settid_same_slot");
	expect(sys_clone(FL(NEWIPC) | FL(SYSVSEM) | KF_SIGCHLD, 0, 0, 0, 0),
	       want_ns(-KF_EINVAL), "clone.valid.newipc_sysvsem");
	{
		struct kf_clone_req req = { .flags = 1ull << 40 };

		expect(clone_req(&req), -KF_EINVAL, "clone.valid.unknown_bits");
	}
	/* legal neighbours of those rules succeed */
	expect_child(sys_clone(FL(NEWNS) | KF_SIGCHLD, 0, 0, 0, 0), CONFIG_KF_NAMESPACES,
		     "clone.valid.newns_alone_ok");
	expect_child(sys_clone(FL(SIGHAND) | FL(VM) | KF_SIGCHLD, 0, 0, 0, 0), true,
		     "clone.valid.sighand_vm_ok");
}

/* ---- rules that need a task other than init ------------------------------ */

static int thread_after_unshare_newpid(void *arg)
{
	long r;

	(void)arg;
	t_eq(kf_unshare(FL(NEWPID)), want_pidns(0), "clone.valid.unshare_newpid");
	r = clone_flags(FL(THREAD) | FL(SIGHAND) | FL(VM), 0);
	if (CONFIG_KF_PID_NS) {
		t_eq(r, -KF_EINVAL, "clone.valid.thread_after_unshare_newpid");
	} else {
		tap_ok(r > 0, "clone.valid.thread_after_unshare_newpid", "%ld", r);
		reap_thread(r);
	}
	return 0;
}

static int time_ns_rules(void *arg)
{
	struct kf_nsproxy *ns;
	struct kf_task *t;
	long r;

	(void)arg;
	t_eq(kf_unshare(FL(NEWTIME)), want_ns(0), "clone.valid.unshare_newtime");
	ns = cur()->nsproxy;
	/* sharing the mm with a child in another time namespace: EINVAL */
	expect_child(clone_flags(FL(VM), KF_SIGCHLD), !CONFIG_KF_NAMESPACES,
		     "clone.valid.time_ns_vm");
	r = clone_flags(FL(THREAD) | FL(SIGHAND) | FL(VM), 0);
	tap_ok((r > 0) == !CONFIG_KF_NAMESPACES, "clone.valid.time_ns_thread", "%ld", r);
	reap_thread(r);
	/* a fork enters the children's time namespace; current keeps its own */
	r = clone_flags(0, KF_SIGCHLD);
	t = task_of(r);
	tap_ok(t && t->nsproxy->time == ns->time_for_children,
	       "clone.valid.time_ns_fork_enters", NULL);
	tap_ok((ns->time != ns->time_for_children) == CONFIG_KF_NAMESPACES,
	       "clone.valid.time_ns_own_kept", NULL);
	reap(r);
	return 0;
}

static int vfork_ret0(void *arg)
{
	(void)arg;
	return 0;
}

static int time_ns_vfork(void *arg)
{
	struct kf_clone_req req = {
		.flags = FL(VM) | FL(VFORK), .exit_signal = KF_SIGCHLD,
	};
	struct kf_waitinfo wi;
	long r;

	(void)arg;
	kf_unshare(FL(NEWTIME));
	kf_host_set_child_entry(vfork_ret0, NULL);
	r = kf_clone(&req);
	tap_ok(r > 0, "clone.valid.time_ns_vfork_ok", "%ld", r);
	if (r > 0)
		wait_pid(r, &wi, KF_WEXITED);
	return 0;
}

/* ---- several rules at once: the one Linux picks -------------------------- */

static int nproc_then_eperm(void *arg)
{
	(void)arg;
	t_eq(kf_setrlimit(KF_RLIMIT_NPROC, 1, 1), 0, "clone.order.setrlimit_nproc");
	t_eq(kf_setuid(1000), 0, "clone.order.setuid");
	/* uid 1000 now has no capability: NEWUTS would be EPERM, but the
	 * NPROC check comes first */
	expect(clone_flags(FL(NEWUTS), KF_SIGCHLD), want_ns(-KF_EAGAIN),
	       "clone.order.nproc_before_eperm");
	expect(clone_flags(0, KF_SIGCHLD), -KF_EAGAIN, "clone.nproc.after_setuid");
	/* ... and the flag rules before both */
	expect(clone_flags(FL(NEWNS) | FL(FS), KF_SIGCHLD), want_ns(-KF_EINVAL),
	       "clone.order.einval_before_nproc");
	return 0;
}

static int nproc_root_exempt(void *arg)
{
	(void)arg;
	kf_setrlimit(KF_RLIMIT_NPROC, 1, 1);
	expect_child(clone_flags(0, KF_SIGCHLD), true, "clone.nproc.root_exempt");
	return 0;
}

static int nproc_cap_exempt(void *arg)
{
	(void)arg;
	kf_setrlimit(KF_RLIMIT_NPROC, 2, 2);
	kf_setuid(1000);
	kf_host_set_caps(cur(), 0);
	expect_child(clone_flags(0, KF_SIGCHLD), true, "clone.nproc.under_limit_ok");
	t_eq(kf_setrlimit(KF_RLIMIT_NPROC, 1, 2), 0, "clone.nproc.lower_soft_limit");
	expect(clone_flags(0, KF_SIGCHLD), -KF_EAGAIN, "clone.nproc.at_limit");
	kf_host_set_caps(cur(), 1ull << KF_CAP_SYS_RESOURCE);
	expect_child(clone_flags(0, KF_SIGCHLD), true, "clone.nproc.cap_sys_resource_exempt");
	kf_host_set_caps(cur(), 1ull << KF_CAP_SYS_ADMIN);
	expect_child(clone_flags(0, KF_SIGCHLD), true, "clone.nproc.cap_sys_admin_exempt");
	return 0;
}

static void test_order(void)
{
	unsigned long n = kf_nr_threads();

	t_eq(run_child(0, nproc_then_eperm, NULL), 0, "clone.order.nproc_child");
	t_eq(run_child(0, nproc_root_exempt, NULL), 0, "clone.nproc.root_child");
	t_eq(run_child(0, nproc_cap_exempt, NULL), 0, "clone.nproc.cap_child");

	/* max_threads */
	kf_set_max_threads(n);
	expect(clone_flags(0, KF_SIGCHLD), -KF_EAGAIN, "clone.limit.max_threads");
	kf_host_set_caps(cur(), 0);
	expect(clone_flags(FL(NEWUTS), KF_SIGCHLD), want_ns(-KF_EAGAIN),
	       "clone.order.max_threads_before_eperm");
	kf_host_clear_caps(cur());
	expect(clone_flags(FL(PARENT), KF_SIGCHLD), -KF_EINVAL,
	       "clone.order.einval_before_max_threads");
	kf_set_max_threads(n + 1);
	expect_child(clone_flags(0, KF_SIGCHLD), true, "clone.limit.max_threads_one_more");
	kf_set_max_threads(CONFIG_KF_MAX_THREADS);

	/* flag rules come before the capability check */
	kf_host_set_caps(cur(), 0);
	expect(clone_flags(FL(PARENT) | FL(NEWUTS), KF_SIGCHLD),
	       want_ns(-KF_EINVAL), "clone.order.parent_before_eperm");
	/* EPERM before copy_namespaces' NEWIPC|SYSVSEM rule */
	expect(clone_flags(FL(NEWIPC) | FL(SYSVSEM), KF_SIGCHLD),
	       want_ns(-KF_EPERM), "clone.order.eperm_before_ipc_sysvsem");
	kf_host_clear_caps(cur());
	/* the pidfd/parent_tid rule comes from kernel_clone, before the rest */
	expect(sys_clone(FL(PIDFD) | FL(PARENT_SETTID) | FL(SIGHAND), 0, 0, 0, 0),
	       CONFIG_KF_PIDFD ? -KF_EINVAL : -KF_ENOSYS, "clone.order.pidfd_slot_first");
}

/* ---- capabilities ------------------------------------------------------------ */

static void test_caps(void)
{
	static const struct { uint64_t f; const char *id; } news[] = {
		{ KF_CLONE_NEWNS, "clone.perm.newns" },
		{ KF_CLONE_NEWUTS, "clone.perm.newuts" },
		{ KF_CLONE_NEWIPC, "clone.perm.newipc" },
		{ KF_CLONE_NEWNET, "clone.perm.newnet" },
		{ KF_CLONE_NEWPID, "clone.perm.newpid" },
		{ KF_CLONE_NEWCGROUP, "clone.perm.newcgroup" },
	};
	size_t i;

	kf_host_set_caps(cur(), 0);
	for (i = 0; i < sizeof(news) / sizeof(news[0]); i++) {
		long want = news[i].f == KF_CLONE_NEWPID ? want_pidns(-KF_EPERM) :
			    want_ns(-KF_EPERM);

		expect(clone_flags(news[i].f, KF_SIGCHLD), want, news[i].id);
	}
	/* a new user namespace needs no capability and grants them inside */
	expect_child(clone_flags(FL(NEWUSER), KF_SIGCHLD), CONFIG_KF_NAMESPACES,
		     "clone.perm.newuser_needs_none");
	expect_child(clone_flags(FL(NEWUSER) | FL(NEWUTS) | FL(NEWNS), KF_SIGCHLD),
		     CONFIG_KF_NAMESPACES, "clone.perm.newuser_grants_new_ns");
	kf_host_set_caps(cur(), 1ull << KF_CAP_SYS_ADMIN);
	expect_child(clone_flags(FL(NEWUTS), KF_SIGCHLD), CONFIG_KF_NAMESPACES,
		     "clone.perm.cap_sys_admin_enough");
	kf_host_clear_caps(cur());
}

/* ---- share or copy, per resource ------------------------------------------------- */

static void test_files(void)
{
	struct kf_host_file *f = kf_host_file_new("t.files");
	int fd = kf_fd_install(f, false);
	int fd2 = kf_fd_install(kf_host_file_new("t.cloexec"), true);
	struct kf_task *t;
	long pid;

	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->files != cur()->files, "clone.share.files_copied", NULL);
	t_eq(kf_host_file_refs(f), 2, "clone.share.files_copy_takes_refs");
	tap_ok(t && fd >= 0 && t->files->fd[fd] == f, "clone.share.files_copy_same_file", NULL);
	tap_ok(t && fd2 >= 0 && (t->files->cloexec[fd2 / 64] >> (fd2 % 64) & 1),
	       "clone.share.files_copy_keeps_cloexec", NULL);
	reap(pid);
	t_eq(kf_host_file_refs(f), 1, "clone.share.files_copy_refs_back");

	pid = clone_flags(FL(FILES), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->files == cur()->files, "clone.share.files_shared", NULL);
	t_eq(kf_ref_read(&cur()->files->ref), 2, "clone.share.files_shared_count");
	t_eq(kf_host_file_refs(f), 1, "clone.share.files_shared_no_file_refs");
	reap(pid);
	t_eq(kf_ref_read(&cur()->files->ref), 1, "clone.share.files_count_back");
	kf_fd_close(fd);
	kf_fd_close(fd2);
}

static void test_fs(void)
{
	struct kf_task *t;
	long pid;

	kf_umask(0027);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->fs != cur()->fs && t->fs->umask == 0027, "clone.share.fs_copied", NULL);
	reap(pid);
	pid = clone_flags(FL(FS), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->fs == cur()->fs, "clone.share.fs_shared", NULL);
	t_eq(kf_fs_users(cur()->fs), 2, "clone.share.fs_shared_count");
	reap(pid);
	t_eq(kf_fs_users(cur()->fs), 1, "clone.share.fs_count_back");
	t_eq(kf_umask(0022), 0027, "clone.share.umask_returns_old");
}

static void test_sighand(void)
{
	struct kf_sigaction act = { .handler = 0x4000, .flags = KF_SA_RESTART, .mask = 2 };
	struct kf_sigaction ign = { .handler = KF_SIG_IGN, .flags = KF_SA_RESTART };
	struct kf_sigaction dfl = { .handler = KF_SIG_DFL };
	struct kf_clone_args a = { .exit_signal = KF_SIGCHLD };
	struct kf_task *t;
	long pid;

	kf_sigaction(KF_SIGUSR1, &act, NULL);
	kf_sigaction(KF_SIGUSR2, &ign, NULL);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->sighand != cur()->sighand &&
	       t->sighand->action[KF_SIGUSR1 - 1].handler == 0x4000 &&
	       t->sighand->action[KF_SIGUSR1 - 1].flags == KF_SA_RESTART,
	       "clone.share.sighand_copied", NULL);
	reap(pid);
	pid = clone_flags(FL(SIGHAND) | FL(VM), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->sighand == cur()->sighand, "clone.share.sighand_shared", NULL);
	t_eq(kf_sighand_users(cur()->sighand), 2, "clone.share.sighand_shared_count");
	reap(pid);

	a.flags = FL(CLEAR_SIGHAND);
	pid = clone3(&a, KF_CLONE_ARGS_SIZE_VER0);
	if (CONFIG_KF_CLONE3) {
		t = task_of(pid);
		tap_ok(t && t->sighand->action[KF_SIGUSR1 - 1].handler == KF_SIG_DFL &&
		       t->sighand->action[KF_SIGUSR1 - 1].flags == 0 &&
		       t->sighand->action[KF_SIGUSR1 - 1].mask == 0,
		       "clone.share.clear_sighand_resets", NULL);
		tap_ok(t && t->sighand->action[KF_SIGUSR2 - 1].handler == KF_SIG_IGN &&
		       t->sighand->action[KF_SIGUSR2 - 1].flags == 0,
		       "clone.share.clear_sighand_keeps_ign", NULL);
		t_eq(cur()->sighand->action[KF_SIGUSR1 - 1].handler, 0x4000,
		       "clone.share.clear_sighand_parent_kept");
		reap(pid);
	} else {
		t_eq(pid, -KF_ENOSYS, "clone.share.clear_sighand_resets");
	}
	kf_sigaction(KF_SIGUSR1, &dfl, NULL);
	kf_sigaction(KF_SIGUSR2, &dfl, NULL);
}

static void test_signal(void)
{
	uint64_t c, m;
	struct kf_task *t;
	long pid;

	kf_getrlimit(KF_RLIMIT_NOFILE, &c, &m);
	kf_setrlimit(KF_RLIMIT_NOFILE, 333, m);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->signal != cur()->signal &&
	       t->signal->rlim[KF_RLIMIT_NOFILE].cur == 333, "clone.share.signal_new_rlimits_copied", NULL);
	tap_ok(t && t->signal->nr_threads == 1 && !(t->signal->flags & KF_SIGNAL_UNKILLABLE),
	       "clone.share.signal_fresh", NULL);
	reap(pid);
	kf_setrlimit(KF_RLIMIT_NOFILE, c, m);
}

static void test_io(void)
{
	struct kf_task *t;
	long pid;

	if (!CONFIG_KF_IO_CONTEXT) {
		t_eq(kf_io_set_prio(cur(), 2 << 13), -KF_ENOSYS, "clone.share.io_not_built");
		expect_child(clone_flags(FL(IO), KF_SIGCHLD), true, "clone.share.io_flag_noop");
		return;
	}
	pid = clone_flags(FL(IO), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && !t->io_context, "clone.share.io_none_without_context", NULL);
	reap(pid);
	kf_io_set_prio(cur(), 0);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && !t->io_context, "clone.share.io_none_without_prio", NULL);
	reap(pid);
	kf_io_set_prio(cur(), (2 << 13) | 4);
	pid = clone_flags(FL(IO), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->io_context == cur()->io_context, "clone.share.io_shared", NULL);
	reap(pid);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->io_context && t->io_context != cur()->io_context &&
	       t->io_context->ioprio == ((2 << 13) | 4), "clone.share.io_copied_with_prio", NULL);
	reap(pid);
}

static void test_sysvsem(void)
{
	struct kf_task *t;
	long pid;

	pid = clone_flags(FL(SYSVSEM), KF_SIGCHLD);
	t = task_of(pid);
	if (CONFIG_KF_SYSVSEM)
		tap_ok(t && t->sysvsem && t->sysvsem == cur()->sysvsem &&
		       kf_ref_read(&cur()->sysvsem->ref) == 2,
		       "clone.share.sysvsem_shared", NULL);
	else
		tap_ok(t && !t->sysvsem, "clone.share.sysvsem_shared", NULL);
	reap(pid);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && !t->sysvsem, "clone.share.sysvsem_none_without_flag", NULL);
	reap(pid);
}

static void test_namespaces(void)
{
	struct kf_nsproxy *ns = cur()->nsproxy;
	struct kf_task *t;
	long pid;

	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->nsproxy == ns, "clone.share.nsproxy_shared", NULL);
	reap(pid);
	pid = clone_flags(FL(NEWUTS), KF_SIGCHLD);
	t = task_of(pid);
	if (CONFIG_KF_NAMESPACES) {
		tap_ok(t && t->nsproxy != ns && t->nsproxy->uts != ns->uts &&
		       t->nsproxy->ipc == ns->ipc && t->nsproxy->mnt == ns->mnt &&
		       t->nsproxy->net == ns->net,
		       "clone.share.newuts_only_uts", NULL);
		reap(pid);
		pid = clone_flags(FL(NEWIPC) | FL(NEWNET) | FL(NEWNS) | FL(NEWCGROUP), KF_SIGCHLD);
		t = task_of(pid);
		tap_ok(t && t->nsproxy->ipc != ns->ipc && t->nsproxy->net != ns->net &&
		       t->nsproxy->mnt != ns->mnt && t->nsproxy->cgroup != ns->cgroup &&
		       t->nsproxy->uts == ns->uts, "clone.share.new_namespaces", NULL);
		reap(pid);
		pid = clone_flags(FL(NEWUSER), KF_SIGCHLD);
		t = task_of(pid);
		tap_ok(t && t->cred->user_ns != cur()->cred->user_ns &&
		       t->cred->user_ns->parent == cur()->cred->user_ns &&
		       t->nsproxy == ns, "clone.share.newuser_in_cred", NULL);
	} else {
		t_eq(pid, -KF_ENOSYS, "clone.share.newuts_only_uts");
	}
	reap(pid);
}

static void test_mm(void)
{
	kf_uptr_t u = umem(4096);
	struct kf_mm *mm = kf_task_mm(cur());
	int users = kf_mm_users(mm);
	uint32_t v = 0;
	struct kf_task *t;
	long pid;

	uput32(u, 0xabc);
	pid = clone_flags(FL(VM), KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->mm == mm, "clone.share.mm_shared", NULL);
	t_eq(kf_mm_users(mm), users + 1, "clone.share.mm_users");
	reap(pid);
	t_eq(kf_mm_users(mm), users, "clone.share.mm_users_back");

	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->mm && t->mm != mm, "clone.share.mm_copied", NULL);
	uput32(u, 0xdef);
	if (t)
		kf_mm_copy_out(t->mm, &v, u, sizeof(v));
	t_eq(v, 0xabc, "clone.share.mm_copy_is_private");
	t_eq(uget32(u), 0xdef, "clone.share.mm_parent_sees_own_write");
	reap(pid);
}

/* ---- thread groups, CLONE_PARENT, fork ------------------------------------------ */

static void test_threads(void)
{
	unsigned long n = kf_nr_threads();
	struct kf_task *t;
	long tid;

	tid = clone_flags(FL(THREAD) | FL(SIGHAND) | FL(VM) | FL(FS) | FL(FILES), 0);
	t = task_of(tid);
	tap_ok(tid > 1 && t, "clone.thread.created", "%ld", tid);
	if (!t)
		return;
	t_eq(kf_task_vtgid(t), kf_getpid(), "clone.thread.same_tgid");
	t_eq(kf_task_vpid(t), tid, "clone.thread.own_tid");
	tap_ok(t->signal == cur()->signal && t->group_leader == cur(),
	       "clone.thread.shares_group", NULL);
	t_eq(cur()->signal->nr_threads, 2, "clone.thread.nr_threads");
	t_eq(kf_atomic_read(&cur()->signal->live), 2, "clone.thread.live");
	t_eq(t->exit_signal, -1, "clone.thread.exit_signal_minus_one");
	tap_ok(t->real_parent == cur()->real_parent, "clone.thread.sibling_parent", NULL);
	tap_ok(kf_list_empty(&t->sibling), "clone.thread.not_a_child", NULL);
	t_eq(kf_nr_threads(), n + 1, "clone.thread.counted");
	tap_ok(t->cred == cur()->cred, "clone.thread.shares_cred", NULL);
	t_eq(kf_unshare(FL(THREAD)), -KF_EINVAL, "clone.thread.unshare_thread_einval");
	reap_thread(tid);
	t_eq(cur()->signal->nr_threads, 1, "clone.thread.nr_threads_back");
	t_eq(kf_nr_threads(), n, "clone.thread.count_back");
}

static long parent_gchild;
static int parent_gexit;
static struct kf_task *parent_greal;

static int clone_parent_child(void *arg)
{
	struct kf_task *g;

	(void)arg;
	parent_gchild = clone_flags(FL(PARENT), KF_SIGUSR2);
	g = task_of(parent_gchild);
	if (g) {
		parent_greal = g->real_parent;
		parent_gexit = g->exit_signal;
	}
	return 0;
}

static void test_clone_parent(void)
{
	struct kf_clone_req req = { .exit_signal = KF_SIGUSR1 };
	struct kf_waitinfo wi;
	long c;

	kf_host_set_child_entry(clone_parent_child, NULL);
	c = RESTARTED(kf_clone(&req));
	tap_ok(c > 0, "clone.parent.child", "%ld", c);
	wait_pid(c, &wi, KF_WEXITED | KF___WALL);
	tap_ok(parent_gchild > 0 && parent_greal == cur(), "clone.parent.sibling_of_caller",
	       "g=%ld", parent_gchild);
	t_eq(parent_gexit, KF_SIGUSR1, "clone.parent.keeps_callers_exit_signal");
	tap_ok(task_of(parent_gchild) && task_of(parent_gchild)->real_parent == cur(),
	       "clone.parent.reapable_by_grandparent", NULL);
	reap(parent_gchild);
	tap_ok(task_of(parent_gchild) == NULL, "clone.parent.reaped", NULL);
}

static void test_fork(void)
{
	struct kf_task *t;
	long pid;

	kf_host_set_child_entry(NULL, NULL);
	pid = RESTARTED(kf_fork());
	t = task_of(pid);

	tap_ok(pid > 1 && t, "clone.fork.created", "%ld", pid);
	if (!t)
		return;
	tap_ok(t->real_parent == cur() && t->parent == cur(), "clone.fork.parent", NULL);
	t_eq(t->exit_signal, KF_SIGCHLD, "clone.fork.exit_signal");
	tap_ok(!kf_list_empty(&cur()->children), "clone.fork.in_children", NULL);
	tap_ok(t->flags & KF_PF_FORKNOEXEC, "clone.fork.forknoexec", NULL);
	t_eq(kf_task_tgid(t), pid, "clone.fork.own_tgid");
	tap_ok(t->cred != cur()->cred && t->cred->uid == cur()->cred->uid,
	       "clone.fork.cred_copied", NULL);
	t_eq(t->set_child_tid | t->clear_child_tid, 0, "clone.fork.no_tid_pointers");
	reap(pid);
}

static int vfork_flag;

static int vfork_child(void *arg)
{
	(void)arg;
	vfork_flag = kf_getppid();
	return 7;
}

static void test_vfork(void)
{
	struct kf_waitinfo wi;
	long pid;

	vfork_flag = 0;
	kf_host_set_child_entry(vfork_child, NULL);
	pid = RESTARTED(kf_vfork());
	tap_ok(pid > 0, "clone.vfork.created", "%ld", pid);
	t_eq(vfork_flag, 1, "clone.vfork.parent_waited_for_child");
	wait_pid(pid, &wi, KF_WEXITED);
	t_eq(wi.status, 7, "clone.vfork.child_status");
}

/* ---- legacy argument handling, stack, TLS, tid stores, pidfd ------------------- */

static void test_legacy(void)
{
	struct kf_sigaction act = { .handler = 0x5000 };
	struct kf_sigaction dfl = { .handler = KF_SIG_DFL };
	struct kf_task *t;
	long pid;

	kf_sigaction(KF_SIGUSR1, &act, NULL);
	/* bit 32 is CLONE_CLEAR_SIGHAND in clone3; legacy clone ignores it */
	pid = sys_clone((1ull << 32) | KF_SIGCHLD, 0, 0, 0, 0);
	t = task_of(pid);
	tap_ok(t && t->sighand->action[KF_SIGUSR1 - 1].handler == 0x5000,
	       "clone.legacy.upper_bits_ignored", NULL);
	reap(pid);
	kf_sigaction(KF_SIGUSR1, &dfl, NULL);
	pid = sys_clone(KF_SIGUSR1, 0, 0, 0, 0);
	t = task_of(pid);
	tap_ok(t && t->exit_signal == KF_SIGUSR1, "clone.legacy.exit_signal_from_csignal", NULL);
	reap(pid);
	/* 0x80 is CLONE_NEWTIME only in clone3: here part of the exit signal */
	pid = sys_clone(0x91, 0, 0, 0, 0);
	t = task_of(pid);
	tap_ok(t && t->exit_signal == 0x91 && t->nsproxy == cur()->nsproxy,
	       "clone.legacy.csignal_not_newtime", NULL);
	reap(pid);
}

static void test_stack_tls(void)
{
	uintptr_t sp = kf_arch_user_sp(kf_arch_task_regs(cur()));
	uintptr_t tls = kf_arch_get_tls(cur());
	struct kf_task *t;
	long pid;

	pid = sys_clone(KF_SIGCHLD, 0x7ff000, 0, 0, 0);
	t = task_of(pid);
	tap_ok(t && kf_arch_user_sp(kf_arch_task_regs(t)) == 0x7ff000, "clone.stack.new_sp", NULL);
	reap(pid);
	pid = sys_clone(KF_SIGCHLD, 0, 0, 0, 0);
	t = task_of(pid);
	tap_ok(t && kf_arch_user_sp(kf_arch_task_regs(t)) == sp, "clone.stack.zero_keeps_sp", NULL);
	reap(pid);
	pid = sys_clone(FL(SETTLS) | KF_SIGCHLD, 0, 0, 0, 0x123450);
	t = task_of(pid);
	tap_ok(t && kf_arch_get_tls(t) == 0x123450, "clone.settls.set", NULL);
	reap(pid);
	pid = sys_clone(KF_SIGCHLD, 0, 0, 0, 0x777000);
	t = task_of(pid);
	tap_ok(t && kf_arch_get_tls(t) == tls, "clone.settls.ignored_without_flag", NULL);
	reap(pid);
}

static void test_tids(void)
{
	kf_uptr_t u = umem(4096);
	int32_t v = 0;
	struct kf_task *t;
	long pid;

	uput32(u, 0);
	uput32(u + 4, 0);
	pid = sys_clone(FL(PARENT_SETTID) | FL(CHILD_SETTID) | FL(CHILD_CLEARTID) | KF_SIGCHLD,
			0, u, u + 4, 0);
	t = task_of(pid);
	t_eq(uget32(u), pid, "clone.tid.parent_settid");
	t_eq(uget32(u + 4), 0, "clone.tid.child_settid_not_in_parent_mm");
	if (t)
		kf_mm_copy_out(t->mm, &v, u + 4, sizeof(v));
	t_eq(v, pid, "clone.tid.child_settid_in_child_mm");
	tap_ok(t && t->set_child_tid == u + 4 && t->clear_child_tid == u + 4,
	       "clone.tid.child_pointers", NULL);
	reap(pid);

	uput32(u, 0);
	pid = sys_clone(FL(VM) | FL(PARENT_SETTID) | FL(CHILD_SETTID) | KF_SIGCHLD, 0, u, u + 8, 0);
	t_eq(uget32(u), pid, "clone.tid.vm_parent_settid");
	t_eq(uget32(u + 8), pid, "clone.tid.vm_child_settid");
	reap(pid);

	uput32(u, -1);
	uput32(u + 4, -1);
	pid = sys_clone(KF_SIGCHLD, 0, u, u + 4, 0);
	tap_ok(pid > 0 && uget32(u) == -1 && uget32(u + 4) == -1,
	       "clone.tid.ignored_without_flags", NULL);
	tap_ok(task_of(pid) && task_of(pid)->clear_child_tid == 0,
	       "clone.tid.no_cleartid_without_flag", NULL);
	reap(pid);

	pid = sys_clone(FL(PARENT_SETTID) | KF_SIGCHLD, 0, BAD_UPTR, 0, 0);
	tap_ok(pid > 0, "clone.tid.bad_parent_tid_ignored", "%ld", pid);
	reap(pid);
	pid = sys_clone(FL(CHILD_SETTID) | KF_SIGCHLD, 0, 0, BAD_UPTR, 0);
	tap_ok(pid > 0, "clone.tid.bad_child_tid_ignored", "%ld", pid);
	reap(pid);
	t_eq(kf_set_tid_address(u), kf_gettid(), "clone.tid.set_tid_address_returns_tid");
	t_eq(cur()->clear_child_tid, u, "clone.tid.set_tid_address_sets");
	kf_set_tid_address(0);
}

/* ---- the pidfd slot while the fork is in progress ------------------------------ */

/* What a thread sharing the parent's fd table finds in the pidfd's slot
 * while the parent is in the middle of the fork. */
static struct {
	int fd;				/* the slot (from the stored pidfd) */
	bool go, done;
	void *kept;			/* kf_fd_get's file, kept (a dup) */
	long close_r, dup2_r;
	struct kf_host_file *probe;	/* what the thread tries to put there */
} sib;

static int sibling(void *arg)
{
	(void)arg;
	while (!sib.go)
		kf_host_yield();
	sib.kept = kf_fd_get(sib.fd);
	sib.close_r = kf_fd_close(sib.fd);
	kf_os_file_get(sib.probe);
	sib.dup2_r = kf_fd_install_at(sib.fd, sib.probe, false);
	if (sib.dup2_r < 0)
		kf_os_file_put(sib.probe);
	sib.done = true;
	return 0;
}

/* poke_slot - the cgroup hook: the pidfd stage has stored the fd; let the
 * sibling thread at it. */
static void poke_slot(void *arg)
{
	sib.fd = uget32((kf_uptr_t)arg);
	sib.go = true;
	while (!sib.done)
		kf_host_yield();
}

/* pidfd_fork_poked - a CLONE_PIDFD fork whose last copy stage answers
 * @result, with a sibling thread poking at the slot just before. */
static long pidfd_fork_poked(kf_uptr_t u, int result)
{
	struct kf_clone_req req = {
		.flags = FL(PIDFD) | FL(INTO_CGROUP), .exit_signal = KF_SIGCHLD,
		.pidfd = u, .cgroup = FAKE_CGROUP,
	};
	uint64_t thread = FL(THREAD) | FL(SIGHAND) | FL(VM) | FL(FS) | FL(FILES);
	struct kf_clone_req treq = { .flags = thread };
	long tid, r;

	sib.go = sib.done = false;
	sib.kept = NULL;
	sib.close_r = sib.dup2_r = 1;
	tid = RESTARTED((kf_host_set_child_entry(sibling, NULL), kf_clone(&treq)));
	kf_host_cgroup_enable(FAKE_CGROUP, result);
	kf_host_cgroup_hook(poke_slot, (void *)u);
	uput32(u, -1);
	r = clone_req(&req);
	kf_host_cgroup_hook(NULL, NULL);
	kf_host_cgroup_enable(-1, 0);
	reap_thread(tid);
	return r;
}

/* use_kept - what the sibling kept must still be a live pidfd whose task
 * can be asked about (a freed task shows under ASan); drop it. */
static void use_kept(void)
{
	struct kf_task_info ti;
	struct kf_task *t;

	if (!sib.kept)
		return;
	t = kf_host_file_pidfd_task(sib.kept);
	if (t)
		kf_task_info(t, &ti);
	kf_os_file_put(sib.kept);
	sib.kept = NULL;
}

static void test_pidfd_slot(kf_uptr_t u)
{
	struct kf_host_file *f;
	long pid;
	int fd;

	sib.probe = kf_host_file_new("sibling");
	/* during the copy the fd is reserved: taken, but no file in it */
	pid = pidfd_fork_poked(u, 0);
	fd = uget32(u);
	tap_ok(pid > 0 && sib.done && fd == sib.fd, "clone.pidfd.slot.fork_ok", "%ld", pid);
	tap_ok(!sib.kept, "clone.pidfd.slot.no_file_before_commit", NULL);
	t_eq(sib.close_r, -KF_EBADF, "clone.pidfd.slot.close_ebadf");
	t_eq(sib.dup2_r, -KF_EBUSY, "clone.pidfd.slot.dup2_ebusy");
	use_kept();
	f = kf_fd_get(fd);
	tap_ok(f && kf_host_file_pidfd_task(f) == task_of(pid),
	       "clone.pidfd.slot.installed_at_commit", NULL);
	if (f)
		kf_os_file_put(f);
	kf_fd_close(fd);
	reap(pid);

	/* a failure after the reservation: the slot is just free again, and
	 * nothing another thread put in the table is closed */
	pid = pidfd_fork_poked(u, -KF_EPERM);
	t_eq(pid, -KF_EPERM, "clone.pidfd.slot.late_failure");
	tap_ok(!sib.kept, "clone.pidfd.slot.late_failure_no_reference_escaped", NULL);
	use_kept();
	t_eq(sib.dup2_r, -KF_EBUSY, "clone.pidfd.slot.late_failure_dup2_ebusy");
	f = kf_fd_get(sib.fd);
	tap_ok(sib.dup2_r == sib.fd ? f == (void *)sib.probe : f == NULL,
	       "clone.pidfd.slot.late_failure_closes_nothing_else", "dup2 %ld file %p",
	       sib.dup2_r, (void *)f);
	if (f)
		kf_os_file_put(f);
	if (sib.dup2_r == sib.fd)
		kf_fd_close(sib.fd);
	t_eq(kf_host_file_refs(sib.probe), 1, "clone.pidfd.slot.probe_refs");
	kf_os_file_put(sib.probe);
}

/* ---- a pidfd outlives its process ------------------------------------------------ */

static struct kf_host_file *held_pidfd;

/* pidfd_keeper - a child with CLONE_PIDFD; keep a reference on the pidfd
 * (as a process that inherited the fd would), reap the child, exit: the
 * child and its parent are both gone, the pidfd is not. */
static int pidfd_keeper(void *arg)
{
	kf_uptr_t u = umem(4096);
	long pid;

	(void)arg;
	uput32(u, -1);
	pid = sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, u, 0, 0);
	held_pidfd = pid > 0 ? kf_fd_get(uget32(u)) : NULL;
	reap(pid);
	return held_pidfd ? 0 : 1;
}

static void test_pidfd_after_reap(void)
{
	long tasks = kf_host_site_objects("clone.task");
	struct kf_task_info ti;
	struct kf_task *t;
	int r = 0;

	t_eq(run_child(0, pidfd_keeper, NULL), 0, "clone.pidfd.reaped.keeper");
	t = held_pidfd ? kf_host_file_pidfd_task(held_pidfd) : NULL;
	if (CONFIG_KF_FAULT_INJECT)	/* site names need it */
		t_eq(kf_host_site_objects("clone.task"), tasks + 1,
		     "clone.pidfd.reaped.struct_kept_by_pidfd");
	memset(&ti, 0, sizeof(ti));
	if (t)
		r = kf_task_info(t, &ti);
	tap_ok(t && r == -KF_ESRCH && ti.state == 'X' && ti.ppid == 0 && ti.pid == 0,
	       "clone.pidfd.reaped.info_esrch", "r %d state %c ppid %d pid %d", r,
	       ti.state ? ti.state : '?', ti.ppid, ti.pid);
	if (held_pidfd)
		kf_os_file_put(held_pidfd);
	held_pidfd = NULL;
	if (CONFIG_KF_FAULT_INJECT)
		t_eq(kf_host_site_objects("clone.task"), tasks,
		     "clone.pidfd.reaped.freed_with_last_pidfd");
}

static void test_pidfd(void)
{
	kf_uptr_t u = umem(4096);
	unsigned long n = kf_nr_threads();
	uint64_t lim_cur = 0, lim_max = 0;
	struct kf_host_file *f;
	long pid, tid;
	int fd;

	if (!CONFIG_KF_PIDFD) {
		expect(sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, u, 0, 0), -KF_ENOSYS,
		       "clone.pidfd.not_built");
		return;
	}
	uput32(u, -1);
	pid = sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, u, 0, 0);
	fd = uget32(u);
	f = kf_fd_get(fd);
	tap_ok(pid > 0 && fd >= 0 && f, "clone.pidfd.stored", "pid %ld fd %d", pid, fd);
	tap_ok(f && kf_host_file_pidfd_task(f) == task_of(pid), "clone.pidfd.refers_to_child", NULL);
	t_eq(kf_fd_get_cloexec(fd), 1, "clone.pidfd.cloexec");
	t_eq(f ? kf_host_pidfd_flags(f) : 99, 0, "clone.pidfd.process_flags");
	if (f)
		kf_os_file_put(f);
	kf_fd_close(fd);
	reap(pid);

	uput32(u, -1);
	tid = sys_clone(FL(PIDFD) | FL(THREAD) | FL(SIGHAND) | FL(VM), 0, u, 0, 0);
	fd = uget32(u);
	f = kf_fd_get(fd);
	tap_ok(tid > 0 && f && kf_host_pidfd_flags(f) == KF_PIDFD_THREAD,
	       "clone.pidfd.thread_flag", NULL);
	if (f)
		kf_os_file_put(f);
	kf_fd_close(fd);
	reap_thread(tid);

	/* storing the fd faults: EFAULT, no child, no fd left behind */
	fd = kf_fd_install(kf_host_file_new("probe"), false);
	kf_fd_close(fd);
	pid = sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, BAD_UPTR, 0, 0);
	t_eq(pid, -KF_EFAULT, "clone.pidfd.bad_pointer_efault");
	t_eq(kf_nr_threads(), n, "clone.pidfd.bad_pointer_no_child");
	f = kf_fd_get(fd);
	tap_ok(f == NULL, "clone.pidfd.bad_pointer_fd_closed", NULL);
	if (f)
		kf_os_file_put(f);

	/* the reservation obeys RLIMIT_NOFILE: the lowest free fd is at the
	 * limit, so EMFILE, with no child */
	kf_getrlimit(KF_RLIMIT_NOFILE, &lim_cur, &lim_max);
	kf_setrlimit(KF_RLIMIT_NOFILE, (uint64_t)fd, lim_max);
	expect(sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, u, 0, 0), -KF_EMFILE, "clone.pidfd.nofile_emfile");
	t_eq(kf_nr_threads(), n, "clone.pidfd.nofile_no_child");
	kf_setrlimit(KF_RLIMIT_NOFILE, lim_cur, lim_max);

	test_pidfd_slot(u);
	test_pidfd_after_reap();
}

/* ---- a signal pending when the fork starts: ERESTARTNOINTR -------------------------- */

/* drain - act on every pending signal, as the handlers would. */
static void drain(void)
{
	while (kf_host_sigdequeue())
		;
}

/* raw_clone - kf_clone without the helpers' restart: the core's answer. */
static long raw_clone(uint64_t flags, int sig)
{
	struct kf_clone_req req = { .flags = flags, .exit_signal = sig };

	kf_host_set_child_entry(NULL, NULL);
	return kf_clone(&req);
}

/* A SIGKILL pending at the start restarts too (the kill then ends the
 * caller on the way out); runs in a child, which dies of it. */
static int killed_before_fork(void *arg)
{
	unsigned long n = kf_nr_threads();
	long calls = kf_host_alloc_calls();

	(void)arg;
	kf_os_signal(cur(), KF_SIGKILL, NULL, false);
	expect(raw_clone(0, KF_SIGCHLD), -KF_ERESTARTNOINTR, "clone.restart.sigkill_pending");
	t_eq(kf_host_alloc_calls(), calls, "clone.restart.sigkill_nothing_allocated");
	t_eq(kf_nr_threads(), n, "clone.restart.sigkill_no_child");
	kf_host_check_signals();	/* the way back to user space */
	return 0;
}

static void test_restart(void)
{
	unsigned long n = kf_nr_threads();
	long calls, objs = kf_host_live_objects();
	struct kf_waitinfo wi;
	long pid;

	drain();
	kf_os_signal(cur(), KF_SIGUSR1, NULL, true);
	calls = kf_host_alloc_calls();
	expect(raw_clone(0, KF_SIGCHLD), -KF_ERESTARTNOINTR, "clone.restart.pending_signal");
	t_eq(kf_host_alloc_calls(), calls, "clone.restart.nothing_allocated");
	t_eq(kf_host_live_objects(), objs, "clone.restart.nothing_live");
	t_eq(kf_nr_threads(), n, "clone.restart.no_child");
	/* the handler runs (the signal is taken), then the restarted call
	 * creates the child as if nothing had happened */
	t_eq(kf_host_sigdequeue(), KF_SIGUSR1, "clone.restart.signal_still_pending");
	expect_child(raw_clone(0, KF_SIGCHLD), true, "clone.restart.restarted_call_forks");
	/* every way in checks: vfork, legacy clone, clone3 */
	kf_os_signal(cur(), KF_SIGUSR2, NULL, false);
	kf_host_set_child_entry(NULL, NULL);
	expect(kf_vfork(), -KF_ERESTARTNOINTR, "clone.restart.vfork");
	expect(kf_sys_clone(KF_SIGCHLD, 0, 0, 0, 0), -KF_ERESTARTNOINTR,
	       "clone.restart.legacy_clone");
	drain();
	/* a signal whose default is to be ignored does not count */
	kf_os_signal(cur(), KF_SIGCHLD, NULL, true);
	expect_child(raw_clone(0, KF_SIGCHLD), true, "clone.restart.ignored_signal_no_restart");
	drain();
	/* the flag rules come first, as in copy_process */
	kf_os_signal(cur(), KF_SIGUSR1, NULL, true);
	expect(raw_clone(FL(SIGHAND), KF_SIGCHLD), -KF_EINVAL, "clone.restart.after_flag_rules");
	drain();
	expect_child(raw_clone(0, KF_SIGCHLD), true, "clone.restart.no_signal_forks");
	kf_host_set_child_entry(killed_before_fork, NULL);
	pid = kf_fork();
	wait_pid(pid, &wi, KF_WEXITED);
	tap_ok(pid > 0 && wi.code == KF_CLD_KILLED && wi.status == KF_SIGKILL,
	       "clone.restart.sigkill_child_dies", "pid %ld code %d status %d", pid, wi.code,
	       wi.status);
}

/* ---- a SIGKILL during the copy: commit's EINTR ------------------------------------- */

static void kill_current(void *arg)
{
	(void)arg;
	kf_os_signal(cur(), KF_SIGKILL, NULL, false);
}

/* killed_during_fork - SIGKILL arrives in the last copy stage: the commit
 * refuses with EINTR and leaves nothing behind, not even the pidfd's fd;
 * then the task dies of the signal on its way out. */
static int killed_during_fork(void *arg)
{
	uint64_t pidfd = CONFIG_KF_PIDFD ? FL(PIDFD) : 0;
	kf_uptr_t u = umem(4096);
	struct kf_clone_req req = {
		.flags = FL(INTO_CGROUP) | pidfd, .exit_signal = KF_SIGCHLD,
		.pidfd = u, .cgroup = FAKE_CGROUP,
	};
	unsigned long n = kf_nr_threads();
	long objs, pages, r;
	int fd;

	(void)arg;
	uput32(u, -1);
	fd = kf_fd_reserve(false);	/* the number the pidfd would get */
	kf_fd_unreserve(fd);
	objs = kf_host_live_objects();
	pages = kf_host_live_pages();
	kf_host_cgroup_enable(FAKE_CGROUP, 0);
	kf_host_cgroup_hook(kill_current, NULL);
	kf_host_set_child_entry(NULL, NULL);
	r = kf_clone(&req);
	kf_host_cgroup_hook(NULL, NULL);
	kf_host_cgroup_enable(-1, 0);
	t_eq(r, -KF_EINTR, "clone.commit.sigkill_eintr");
	if (r > 0)
		reap(r);
	t_eq(kf_nr_threads(), n, "clone.commit.sigkill_no_child");
	tap_ok(kf_list_empty(&cur()->children), "clone.commit.sigkill_not_linked", NULL);
	t_eq(kf_host_live_objects(), objs, "clone.commit.sigkill_no_object_left");
	t_eq(kf_host_live_pages(), pages, "clone.commit.sigkill_no_page_left");
	t_eq(kf_fd_reserve(false), fd, "clone.commit.sigkill_pidfd_slot_free");
	kf_fd_unreserve(fd);
	kf_host_check_signals();	/* the way back to user space */
	return 0;
}

static void test_commit_sigkill(void)
{
	struct kf_waitinfo wi;
	long pid;

	kf_host_set_child_entry(killed_during_fork, NULL);
	pid = RESTARTED(kf_fork());
	wait_pid(pid, &wi, KF_WEXITED);
	tap_ok(pid > 0 && wi.code == KF_CLD_KILLED && wi.status == KF_SIGKILL,
	       "clone.commit.sigkill_then_dies", "pid %ld code %d status %d", pid, wi.code,
	       wi.status);
}

static int body(void *arg)
{
	(void)arg;
	test_rules();
	t_eq(run_child(0, thread_after_unshare_newpid, NULL), 0, "clone.valid.newpid_child");
	t_eq(run_child(0, time_ns_rules, NULL), 0, "clone.valid.time_child");
	t_eq(run_child(0, time_ns_vfork, NULL), 0, "clone.valid.time_vfork_child");
	test_order();
	test_caps();
	test_files();
	test_fs();
	test_sighand();
	test_signal();
	test_io();
	test_sysvsem();
	test_namespaces();
	test_mm();
	test_threads();
	test_clone_parent();
	test_fork();
	test_vfork();
	test_legacy();
	test_stack_tls();
	test_tids();
	test_pidfd();
	test_restart();
	test_commit_sigkill();
	return 0;
}

int main(void)
{
	run_init(body, "clone.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "clone.no_leaks");
	t_eq(kf_host_leaked_pages(), 0, "clone.no_leaked_pages");
	return tap_done();
}
