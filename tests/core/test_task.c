// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_task.c - the task-level calls around creation: identity
 * and lookup, the boot task, pdeath signal, rt_sigaction's checks, rlimits,
 * setuid/setgid and the per-user process count, umask and the fd table.
 */
#include "core_test.h"

static void test_identity(void)
{
	struct kf_task *t;
	unsigned long irq;
	bool reaper;

	t_eq(kf_getpid(), 1, "task.id.init_pid_1");
	t_eq(kf_gettid(), 1, "task.id.init_tid_1");
	t_eq(kf_getppid(), 0, "task.id.init_ppid_0");
	t_eq(kf_task_tid(cur()), 1, "task.id.task_tid");
	t_eq(kf_task_tgid(cur()), 1, "task.id.task_tgid");
	t = kf_task_find(1);
	tap_ok(t == cur(), "task.find.self", NULL);
	if (t)
		kf_task_put(t);
	tap_ok(kf_task_find(0) == NULL, "task.find.boot_not_hashed", NULL);
	tap_ok(kf_task_find(-1) == NULL, "task.find.negative", NULL);
	tap_ok(kf_task_find(CONFIG_KF_PID_MAX + 5) == NULL, "task.find.out_of_range", NULL);
	tap_ok(kf_task_find(4242) == NULL, "task.find.unused", NULL);
	tap_ok(kf_boot() == &kf_boot_task, "task.boot.idempotent", NULL);
	t_eq(kf_task_tid(&kf_boot_task), 0, "task.boot.pid_0");
	tap_ok(cur()->real_parent == &kf_boot_task, "task.boot.parent_of_init", NULL);
	tap_ok(cur()->signal->flags & KF_SIGNAL_UNKILLABLE, "task.init.unkillable", NULL);
	irq = kf_tasklist_lock_irq();
	reaper = kf_pid_ns_reaper(&kf_init_pid_ns) == cur();
	kf_tasklist_unlock_irq(irq);
	tap_ok(reaper, "task.init.reaper", NULL);
	tap_ok(kf_task_mm(cur()) != NULL, "task.init.has_mm", NULL);
	t_eq(kf_nr_threads(), 1, "task.nr_threads.init_only");
}

/*
 * The task counter and its limit follow one rule, (A) in core/task.h: they
 * are kf_atomic_t, so the only way to touch them is kf_atomic_*; a plain
 * read or ++ under some lock does not compile.
 */
static void test_thread_count_rule(void)
{
	unsigned long n = kf_nr_threads();
	long pid;

	tap_ok(__builtin_types_compatible_p(__typeof__(kf_nr_threads_count), kf_atomic_t),
	       "task.nr_threads.atomic_counter", NULL);
	tap_ok(__builtin_types_compatible_p(__typeof__(kf_max_threads), kf_atomic_t),
	       "task.max_threads.atomic_limit", NULL);
	pid = clone_flags(0, KF_SIGCHLD);
	t_eq(kf_nr_threads(), n + 1, "task.nr_threads.counts_child");
	reap(pid);
	t_eq(kf_nr_threads(), n, "task.nr_threads.reap_uncounts");
	kf_set_max_threads(n);
	expect(clone_flags(0, KF_SIGCHLD), -KF_EAGAIN, "task.max_threads.at_limit_eagain");
	kf_set_max_threads(CONFIG_KF_MAX_THREADS);
}

static int child_ids(void *arg)
{
	(void)arg;
	t_eq(kf_getppid(), 1, "task.id.child_ppid");
	t_eq(kf_getpid(), kf_gettid(), "task.id.child_pid_is_tid");
	return 0;
}

static void test_pdeath(void)
{
	struct kf_task *t;
	long pid;

	t_eq(kf_set_pdeath_signal(KF_NSIG + 1), -KF_EINVAL, "task.pdeath.65_einval");
	t_eq(kf_set_pdeath_signal(-1), -KF_EINVAL, "task.pdeath.negative_einval");
	t_eq(kf_set_pdeath_signal(0), 0, "task.pdeath.zero_ok");
	t_eq(kf_set_pdeath_signal(KF_SIGUSR1), 0, "task.pdeath.set");
	t_eq(cur()->pdeath_signal, KF_SIGUSR1, "task.pdeath.stored");
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->pdeath_signal == 0, "task.pdeath.not_inherited", NULL);
	reap(pid);
	kf_set_pdeath_signal(0);
}

static void test_sigaction(void)
{
	struct kf_sigaction act = { .handler = 0x4000 }, old;
	struct kf_sigaction dfl = { .handler = KF_SIG_DFL };

	t_eq(kf_sigaction(0, &act, NULL), -KF_EINVAL, "task.sigaction.sig_0");
	t_eq(kf_sigaction(KF_NSIG + 1, NULL, &old), -KF_EINVAL, "task.sigaction.sig_65");
	t_eq(kf_sigaction(-3, NULL, &old), -KF_EINVAL, "task.sigaction.negative");
	t_eq(kf_sigaction(KF_SIGKILL, &act, NULL), -KF_EINVAL, "task.sigaction.sigkill_change");
	t_eq(kf_sigaction(KF_SIGSTOP, &act, NULL), -KF_EINVAL, "task.sigaction.sigstop_change");
	t_eq(kf_sigaction(KF_SIGKILL, NULL, &old), 0, "task.sigaction.sigkill_query_ok");
	t_eq(kf_sigaction(KF_NSIG, &act, NULL), 0, "task.sigaction.sig_64_ok");
	kf_sigaction(KF_NSIG, &dfl, NULL);

	/* musl sign-extends SA_RESETHAND: the upper half is dropped, as are
	 * unknown bits such as SA_UNSUPPORTED (0x400) */
	act.flags = 0xffffffff84000404ull;
	act.mask = ~0ull;
	t_eq(kf_sigaction(KF_SIGUSR1, &act, NULL), 0, "task.sigaction.set");
	memset(&old, 0, sizeof(old));
	kf_sigaction(KF_SIGUSR1, NULL, &old);
	t_eq(old.flags, 0x84000004ull, "task.sigaction.flags_masked");
	t_eq(old.handler, 0x4000, "task.sigaction.handler_kept");
	t_eq(old.mask, ~0ull & ~(1ull << (KF_SIGKILL - 1)) & ~(1ull << (KF_SIGSTOP - 1)),
	     "task.sigaction.mask_without_kill_stop");
	act.handler = 0x5000;
	memset(&old, 0, sizeof(old));
	kf_sigaction(KF_SIGUSR1, &act, &old);
	t_eq(old.handler, 0x4000, "task.sigaction.old_returned");
	kf_sigaction(KF_SIGUSR1, &dfl, NULL);

	tap_ok(!kf_sig_ignored_or_nocldwait(cur(), KF_SIGCHLD), "task.sigchld.default", NULL);
	act = (struct kf_sigaction){ .handler = KF_SIG_IGN };
	kf_sigaction(KF_SIGCHLD, &act, NULL);
	tap_ok(kf_sig_ignored_or_nocldwait(cur(), KF_SIGCHLD), "task.sigchld.ignored", NULL);
	act = (struct kf_sigaction){ .handler = 0x4000, .flags = KF_SA_NOCLDWAIT };
	kf_sigaction(KF_SIGCHLD, &act, NULL);
	tap_ok(kf_sig_ignored_or_nocldwait(cur(), KF_SIGCHLD), "task.sigchld.nocldwait", NULL);
	kf_sigaction(KF_SIGCHLD, &dfl, NULL);
}

static void test_rlimits(void)
{
	uint64_t c = 0, m = 0;
	struct kf_task *t;
	long pid;

	kf_getrlimit(KF_RLIMIT_NPROC, &c, &m);
	tap_ok(c == CONFIG_KF_MAX_THREADS / 2 && m == c, "task.rlimit.nproc_default", "%llu/%llu",
	       (unsigned long long)c, (unsigned long long)m);
	kf_getrlimit(KF_RLIMIT_NOFILE, &c, &m);
	tap_ok(c == 1024 && m == 4096, "task.rlimit.nofile_default", NULL);
	kf_getrlimit(KF_RLIMIT_STACK, &c, &m);
	tap_ok(c == 8ull << 20 && m == KF_RLIM_INFINITY, "task.rlimit.stack_default", NULL);
	t_eq(kf_getrlimit(KF_RLIM_NLIMITS, &c, &m), -KF_EINVAL, "task.rlimit.get_unknown");
	t_eq(kf_getrlimit(-1, &c, &m), -KF_EINVAL, "task.rlimit.get_negative");
	t_eq(kf_setrlimit(KF_RLIM_NLIMITS, 1, 1), -KF_EINVAL, "task.rlimit.set_unknown");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 20, 10), -KF_EINVAL, "task.rlimit.cur_over_max");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 10, 1048577), -KF_EPERM, "task.rlimit.nofile_over_nr_open");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 2048, 1048576), 0, "task.rlimit.nofile_raise_with_cap");
	kf_host_set_caps(cur(), 0);
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 1024, 2000000), -KF_EPERM,
	     "task.rlimit.nr_open_checked_first");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 512, 1024), 0, "task.rlimit.lower_without_cap");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 512, 2048), -KF_EPERM, "task.rlimit.raise_needs_cap");
	t_eq(kf_setrlimit(KF_RLIMIT_NOFILE, 1024, 1024), 0, "task.rlimit.raise_soft_to_hard");
	kf_host_clear_caps(cur());
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->signal->rlim[KF_RLIMIT_NOFILE].cur == 1024 &&
	       t->signal->rlim[KF_RLIMIT_NOFILE].max == 1024, "task.rlimit.inherited", NULL);
	reap(pid);
	kf_setrlimit(KF_RLIMIT_NOFILE, 1024, 4096);
}

static long procs(uint32_t uid)
{
	struct kf_user *u = kf_user_lookup(uid);
	long n = u ? kf_atomic_read(&u->processes) : -1;

	if (u)
		kf_user_put(u);
	return n;
}

static int creds_child(void *arg)
{
	long root_before = procs(0);

	(void)arg;
	t_eq(kf_getuid(), 0, "task.cred.uid_0");
	t_eq(kf_geteuid() | kf_getgid() | kf_getegid(), 0, "task.cred.ids_0");
	t_eq(kf_setuid((uint32_t)-1), -KF_EINVAL, "task.cred.setuid_invalid");
	t_eq(procs(1000), 0, "task.cred.no_tasks_for_1000");
	t_eq(kf_setuid(1000), 0, "task.cred.setuid_with_cap");
	tap_ok(cur()->cred->uid == 1000 && cur()->cred->euid == 1000 &&
	       cur()->cred->suid == 1000 && cur()->cred->fsuid == 1000,
	       "task.cred.setuid_all_ids", NULL);
	t_eq(procs(1000), 1, "task.cred.count_moved_to_new_uid");
	t_eq(procs(0), root_before - 1, "task.cred.count_left_old_uid");
	/* euid 1000: no capability any more */
	t_eq(kf_setuid(0), -KF_EPERM, "task.cred.setuid_eperm");
	t_eq(kf_setuid(1000), 0, "task.cred.setuid_own_ok");
	t_eq(kf_setgid(5), -KF_EPERM, "task.cred.setgid_eperm");
	t_eq(kf_setgid(0), 0, "task.cred.setgid_own_ok");
	t_eq(kf_setgid((uint32_t)-1), -KF_EINVAL, "task.cred.setgid_invalid");
	return 0;
}

static int setgid_child(void *arg)
{
	(void)arg;
	kf_host_set_caps(cur(), 1ull << KF_CAP_SETGID);
	t_eq(kf_setuid(7), -KF_EPERM, "task.cred.setuid_needs_setuid_cap");
	t_eq(kf_setgid(50), 0, "task.cred.setgid_with_cap");
	tap_ok(cur()->cred->gid == 50 && cur()->cred->egid == 50 &&
	       cur()->cred->sgid == 50 && cur()->cred->fsgid == 50, "task.cred.setgid_all_ids", NULL);
	kf_host_set_caps(cur(), 0);
	t_eq(kf_setgid(0), -KF_EPERM, "task.cred.setgid_old_gid_gone");
	return 0;
}

static void test_fds(void)
{
	struct kf_host_file *files[120];
	struct kf_host_file *extra;
	int fds[120], i, n, ok = 1;
	struct kf_task *t;
	void *f;
	long pid;

	for (i = 0; i < 100; i++) {
		files[i] = kf_host_file_new("fd");
		fds[i] = kf_fd_install(files[i], i % 2);
		ok &= fds[i] == i;
	}
	tap_ok(ok, "task.fd.lowest_free_in_order", NULL);
	tap_ok(cur()->files->max_fds >= 100, "task.fd.table_grew", "%u", cur()->files->max_fds);
	t_eq(kf_fd_get_cloexec(3), 1, "task.fd.cloexec_kept");
	t_eq(kf_fd_get_cloexec(4), 0, "task.fd.no_cloexec");
	f = kf_fd_get(50);
	tap_ok(f == files[50] && kf_host_file_refs(files[50]) == 2, "task.fd.get_takes_ref", NULL);
	if (f)
		kf_os_file_put(f);
	tap_ok(kf_fd_get(-1) == NULL && kf_fd_get(100) == NULL && kf_fd_get(100000) == NULL,
	       "task.fd.get_bad", NULL);
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->files->fd[99] == files[99] && kf_host_file_refs(files[99]) == 2,
	       "task.fd.fork_copies_grown_table", NULL);
	reap(pid);
	t_eq(kf_fd_close(5), 0, "task.fd.close");
	t_eq(kf_fd_close(5), -KF_EBADF, "task.fd.close_twice_ebadf");
	t_eq(kf_fd_close(-1), -KF_EBADF, "task.fd.close_negative_ebadf");
	t_eq(kf_fd_close(4000), -KF_EBADF, "task.fd.close_out_of_range_ebadf");
	files[5] = kf_host_file_new("fd5");
	t_eq(kf_fd_install(files[5], false), 5, "task.fd.reuses_lowest");
	/* RLIMIT_NOFILE bounds the fd numbers */
	kf_setrlimit(KF_RLIMIT_NOFILE, 110, 4096);
	for (n = 100; n < 120; n++) {
		files[n] = kf_host_file_new("fdn");
		fds[n] = kf_fd_install(files[n], false);
		if (fds[n] < 0)
			break;
	}
	t_eq(n, 110, "task.fd.limit_reached_at_nofile");
	t_eq(n < 120 ? fds[n] : 0, -KF_EMFILE, "task.fd.emfile");
	if (n < 120) {
		t_eq(kf_host_file_refs(files[n]), 1, "task.fd.emfile_caller_keeps_ref");
		kf_os_file_put(files[n]);
	}
	kf_setrlimit(KF_RLIMIT_NOFILE, 1024, 4096);
	extra = files[50];
	for (i = 0; i < n; i++)
		kf_fd_close(i);
	tap_ok(kf_fd_get(0) == NULL, "task.fd.all_closed", NULL);
	(void)extra;
}

/* dup2 and F_DUPFD/F_SETFD on the table: exact slots, limits, references. */
static void test_fd_slots(void)
{
	struct kf_host_file *a = kf_host_file_new("a"), *b = kf_host_file_new("b");
	struct kf_host_file *c = kf_host_file_new("c");

	/* keep a reference of our own on each, so counts stay readable */
	kf_os_file_get(a);
	kf_os_file_get(b);
	kf_os_file_get(c);
	t_eq(kf_fd_install_at(200, a, true), 200, "task.fd.install_at_grows_table");
	t_eq(kf_fd_get_cloexec(200), 1, "task.fd.install_at_cloexec");
	t_eq(kf_fd_install_at(200, b, false), 200, "task.fd.install_at_replaces");
	t_eq(kf_host_file_refs(a), 1, "task.fd.install_at_drops_old");
	t_eq(kf_fd_get_cloexec(200), 0, "task.fd.install_at_clears_cloexec");
	t_eq(kf_fd_install_at(-1, c, false), -KF_EBADF, "task.fd.install_at_negative");
	t_eq(kf_fd_install_at(1024, c, false), -KF_EBADF, "task.fd.install_at_past_nofile");
	t_eq(kf_fd_install_min(c, 150, false), 150, "task.fd.install_min_lowest_above");
	t_eq(kf_fd_install_min(c, 1024, false), -KF_EINVAL, "task.fd.install_min_past_nofile");
	t_eq(kf_fd_install_min(c, -3, false), -KF_EINVAL, "task.fd.install_min_negative");
	t_eq(kf_fd_set_cloexec(150, true), 0, "task.fd.set_cloexec");
	t_eq(kf_fd_get_cloexec(150), 1, "task.fd.set_cloexec_reads_back");
	t_eq(kf_fd_set_cloexec(151, true), -KF_EBADF, "task.fd.set_cloexec_closed_ebadf");
	kf_fd_close(150);
	kf_fd_close(200);
	tap_ok(kf_host_file_refs(b) == 1 && kf_host_file_refs(c) == 1, "task.fd.slots_released",
	       "b %ld c %ld", kf_host_file_refs(b), kf_host_file_refs(c));
	kf_os_file_put(a);
	kf_os_file_put(b);
	kf_os_file_put(c);
}

/* kf_fd_reserve / kf_fd_install_reserved / kf_fd_unreserve: a slot that is
 * taken but holds no file until its reserver fills it. */
static void test_fd_reserve(void)
{
	struct kf_host_file *a = kf_host_file_new("a"), *b = kf_host_file_new("b");
	uint64_t cur_lim = 0, max_lim = 0;
	struct kf_task *t;
	int fd, next;
	long pid;

	kf_os_file_get(b);
	fd = kf_fd_reserve(true);
	tap_ok(fd >= 0, "task.fd.reserve", "%d", fd);
	next = kf_fd_install(b, false);
	tap_ok(next >= 0 && next != fd, "task.fd.reserved_slot_taken", "%d %d", fd, next);
	kf_fd_close(next);
	tap_ok(kf_fd_get(fd) == NULL, "task.fd.reserved_no_file", NULL);
	t_eq(kf_fd_close(fd), -KF_EBADF, "task.fd.reserved_close_ebadf");
	t_eq(kf_fd_get_cloexec(fd), -KF_EBADF, "task.fd.reserved_getfd_ebadf");
	t_eq(kf_fd_set_cloexec(fd, false), -KF_EBADF, "task.fd.reserved_setfd_ebadf");
	t_eq(kf_fd_install_at(fd, b, false), -KF_EBUSY, "task.fd.reserved_dup2_ebusy");
	/* a fork copies the table without the reservation */
	pid = clone_flags(0, KF_SIGCHLD);
	t = task_of(pid);
	tap_ok(t && t->files != cur()->files && (unsigned)fd < t->files->max_fds &&
	       t->files->fd[fd] == NULL && !(t->files->cloexec[fd / 64] >> (fd % 64) & 1),
	       "task.fd.reserved_free_in_fork_copy", NULL);
	reap(pid);
	kf_fd_install_reserved(fd, a);
	tap_ok(kf_fd_get(fd) == (void *)a, "task.fd.install_reserved", NULL);
	kf_os_file_put(a);
	t_eq(kf_fd_get_cloexec(fd), 1, "task.fd.install_reserved_keeps_cloexec");
	t_eq(kf_fd_close(fd), 0, "task.fd.install_reserved_closes");
	/* given back: the next reservation gets the same number */
	fd = kf_fd_reserve(false);
	kf_fd_unreserve(fd);
	t_eq(kf_fd_reserve(false), fd, "task.fd.unreserve_frees");
	kf_fd_unreserve(fd);
	/* RLIMIT_NOFILE bounds reservations like installs */
	kf_getrlimit(KF_RLIMIT_NOFILE, &cur_lim, &max_lim);
	kf_setrlimit(KF_RLIMIT_NOFILE, (uint64_t)fd, max_lim);
	t_eq(kf_fd_reserve(false), -KF_EMFILE, "task.fd.reserve_emfile");
	kf_setrlimit(KF_RLIMIT_NOFILE, cur_lim, max_lim);
	t_eq(kf_host_file_refs(b), 1, "task.fd.reserve_refs_back");
	kf_os_file_put(b);
}

static void test_umask(void)
{
	t_eq(kf_umask(01777), 0022, "task.umask.returns_old");
	t_eq(kf_umask(0022), 0777, "task.umask.permission_bits_only");
}

static int body(void *arg)
{
	(void)arg;
	test_identity();
	test_thread_count_rule();
	t_eq(run_child(0, child_ids, NULL), 0, "task.id.child");
	test_pdeath();
	test_sigaction();
	test_rlimits();
	t_eq(run_child(0, creds_child, NULL), 0, "task.cred.child");
	t_eq(procs(1000), 0, "task.cred.count_dropped_at_exit");
	t_eq(run_child(0, setgid_child, NULL), 0, "task.cred.setgid_child");
	test_fds();
	test_fd_slots();
	test_fd_reserve();
	test_umask();
	t_eq(kf_nr_threads(), 1, "task.nr_threads.back_to_init");
	return 0;
}

int main(void)
{
	run_init(body, "task.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "task.no_leaks");
	return tap_done();
}
