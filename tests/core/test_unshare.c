// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_unshare.c - unshare(2): unknown flags, every flag with
 * its implied flags, the "nothing to unshare" cases, the EINVAL rules for
 * shared handlers, mm and thread groups, EPERM and its order, and uts
 * isolation (hostnames) through unshare and clone.
 */
#include "core_test.h"

static bool ns_built(void)
{
	return CONFIG_KF_NAMESPACES;
}

static void test_flags(void)
{
	struct kf_task *me = cur();
	struct kf_files *files = me->files;
	struct kf_fs *fs = me->fs;

	t_eq(kf_unshare(FL(VFORK)), -KF_EINVAL, "unshare.flags.vfork_unknown");
	t_eq(kf_unshare(FL(PIDFD)), -KF_EINVAL, "unshare.flags.pidfd_unknown");
	t_eq(kf_unshare(FL(PARENT)), -KF_EINVAL, "unshare.flags.parent_unknown");
	t_eq(kf_unshare(FL(IO)), -KF_EINVAL, "unshare.flags.io_unknown");
	t_eq(kf_unshare(FL(SETTLS)), -KF_EINVAL, "unshare.flags.settls_unknown");
	t_eq(kf_unshare(FL(CLEAR_SIGHAND)), -KF_EINVAL, "unshare.flags.clear_sighand_unknown");
	t_eq(kf_unshare(FL(VFORK) | FL(NEWUTS)), -KF_EINVAL, "unshare.order.unknown_first");
	t_eq(kf_unshare(0), 0, "unshare.flags.none");
	/* nothing shared: each is accepted and changes nothing */
	t_eq(kf_unshare(FL(THREAD)), 0, "unshare.thread.alone_ok");
	t_eq(kf_unshare(FL(SIGHAND)), 0, "unshare.sighand.alone_ok");
	t_eq(kf_unshare(FL(VM)), 0, "unshare.vm.alone_ok");
	t_eq(kf_unshare(FL(FILES)), 0, "unshare.files.private_ok");
	t_eq(kf_unshare(FL(FS)), 0, "unshare.fs.private_ok");
	tap_ok(me->files == files && me->fs == fs, "unshare.private_unchanged", NULL);
}

/* ---- files and fs ------------------------------------------------------------------ */

static struct kf_host_file *shared_file;
static int shared_fd;

static int unshare_files(void *arg)
{
	struct kf_files *old = cur()->files;

	(void)arg;
	t_eq(kf_ref_read(&old->ref), 2, "unshare.files.shared_before");
	t_eq(kf_unshare(FL(FILES)), 0, "unshare.files.ok");
	tap_ok(cur()->files != old, "unshare.files.own_table", NULL);
	t_eq(kf_ref_read(&old->ref), 1, "unshare.files.old_dropped");
	tap_ok(cur()->files->fd[shared_fd] == shared_file, "unshare.files.contents_copied", NULL);
	t_eq(kf_host_file_refs(shared_file), 2, "unshare.files.file_ref_taken");
	return 0;
}

static int unshare_fs(void *arg)
{
	struct kf_fs *old = cur()->fs;

	(void)arg;
	t_eq(kf_fs_users(old), 2, "unshare.fs.shared_before");
	t_eq(kf_unshare(FL(FS)), 0, "unshare.fs.ok");
	tap_ok(cur()->fs != old && cur()->fs->umask == old->umask, "unshare.fs.own_copy", NULL);
	t_eq(kf_fs_users(old), 1, "unshare.fs.old_dropped");
	kf_umask(0077);
	t_eq(old->umask, 0022, "unshare.fs.umask_private");
	return 0;
}

static int unshare_newns(void *arg)
{
	struct kf_fs *old = cur()->fs;
	struct kf_nsproxy *ns = cur()->nsproxy;

	(void)arg;
	t_eq(kf_unshare(FL(NEWNS)), want_ns(0), "unshare.newns.ok");
	if (!ns_built())
		return 0;
	tap_ok(cur()->fs != old, "unshare.newns.implies_fs", NULL);
	tap_ok(cur()->nsproxy != ns && cur()->nsproxy->mnt != ns->mnt &&
	       cur()->nsproxy->uts == ns->uts, "unshare.newns.new_mnt_ns", NULL);
	return 0;
}

static int unshare_newuser(void *arg)
{
	struct kf_fs *old = cur()->fs;
	const struct kf_cred *c = cur()->cred;	/* freed by the unshare */
	struct kf_user_ns *user_ns = c->user_ns;
	uint32_t uid = c->uid;

	(void)arg;
	kf_host_set_caps(cur(), 0);
	t_eq(kf_unshare(FL(NEWUSER)), want_ns(0), "unshare.newuser.no_cap_needed");
	if (!ns_built())
		return 0;
	tap_ok(cur()->fs != old, "unshare.newuser.implies_fs", NULL);
	tap_ok(cur()->cred->user_ns->parent == user_ns && cur()->cred->uid == uid,
	       "unshare.newuser.new_cred", NULL);
	/* capabilities inside the new namespace: new namespaces are allowed */
	t_eq(kf_unshare(FL(NEWUTS)), 0, "unshare.newuser.grants_newuts");
	return 0;
}

/* ---- thread groups, handlers, mm --------------------------------------------- */

static int with_thread(void *arg)
{
	long tid;

	(void)arg;
	tid = clone_flags(FL(THREAD) | FL(SIGHAND) | FL(VM), 0);
	t_eq(kf_unshare(FL(THREAD)), -KF_EINVAL, "unshare.thread.with_threads_einval");
	t_eq(kf_unshare(FL(SIGHAND)), -KF_EINVAL, "unshare.sighand.implies_thread");
	t_eq(kf_unshare(FL(VM)), -KF_EINVAL, "unshare.vm.implies_thread");
	t_eq(kf_unshare(FL(NEWUSER)), want_ns(-KF_EINVAL), "unshare.newuser.implies_thread");
	t_eq(kf_unshare(FL(FILES) | FL(FS)), 0, "unshare.thread.files_fs_fine");
	reap_thread(tid);
	t_eq(kf_unshare(FL(THREAD)), 0, "unshare.thread.alone_again");
	return 0;
}

static int with_vm_sighand(void *arg)
{
	long pid;

	(void)arg;
	pid = clone_flags(FL(VM) | FL(SIGHAND), KF_SIGCHLD);
	t_eq(kf_unshare(FL(SIGHAND)), -KF_EINVAL, "unshare.sighand.shared_einval");
	t_eq(kf_unshare(FL(VM)), -KF_EINVAL, "unshare.vm.shared_sighand_einval");
	reap(pid);
	pid = clone_flags(FL(VM), KF_SIGCHLD);
	t_eq(kf_unshare(FL(SIGHAND)), 0, "unshare.sighand.private_ok");
	t_eq(kf_unshare(FL(VM)), -KF_EINVAL, "unshare.vm.shared_mm_einval");
	reap(pid);
	t_eq(kf_unshare(FL(VM)), 0, "unshare.vm.private_again");
	return 0;
}

/* ---- namespaces ---------------------------------------------------------------------- */

static int unshare_each_ns(void *arg)
{
	static const struct { uint64_t f; const char *id; } one[] = {
		{ KF_CLONE_NEWUTS, "unshare.newuts.ok" },
		{ KF_CLONE_NEWIPC, "unshare.newipc.ok" },
		{ KF_CLONE_NEWNET, "unshare.newnet.ok" },
		{ KF_CLONE_NEWCGROUP, "unshare.newcgroup.ok" },
		{ KF_CLONE_NEWTIME, "unshare.newtime.ok" },
		{ KF_CLONE_NEWPID, "unshare.newpid.ok" },
	};
	struct kf_nsproxy before;
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		long want = one[i].f == KF_CLONE_NEWPID ? want_pidns(0) : want_ns(0);
		struct kf_nsproxy *n;

		before = *cur()->nsproxy;
		t_eq(kf_unshare(one[i].f), want, one[i].id);
		if (want)
			continue;
		n = cur()->nsproxy;
		tap_ok((n->uts != before.uts) == (one[i].f == KF_CLONE_NEWUTS) &&
		       (n->ipc != before.ipc) == (one[i].f == KF_CLONE_NEWIPC) &&
		       (n->net != before.net) == (one[i].f == KF_CLONE_NEWNET) &&
		       (n->cgroup != before.cgroup) == (one[i].f == KF_CLONE_NEWCGROUP) &&
		       (n->time_for_children != before.time_for_children) ==
		       (one[i].f == KF_CLONE_NEWTIME) &&
		       (n->pid_ns_for_children != before.pid_ns_for_children) ==
		       (one[i].f == KF_CLONE_NEWPID) &&
		       n->mnt == before.mnt && n->time == before.time,
		       one[i].id, "only its own namespace is new");
	}
	return 0;
}

static int unshare_sysvsem(void *arg)
{
	struct kf_sem_undo_list *ul;

	(void)arg;
	ul = cur()->sysvsem;
	tap_ok(ul != NULL || !CONFIG_KF_SYSVSEM, "unshare.sysvsem.shared_before", NULL);
	if (ul)
		t_eq(kf_ref_read(&ul->ref), 2, "unshare.sysvsem.two_users");
	t_eq(kf_unshare(FL(SYSVSEM)), 0, "unshare.sysvsem.ok");
	tap_ok(cur()->sysvsem == NULL, "unshare.sysvsem.dropped", NULL);
	if (ul)
		t_eq(kf_ref_read(&ul->ref), 1, "unshare.sysvsem.parent_keeps");
	kf_sysvsem_undo_list();
	t_eq(kf_unshare(FL(NEWIPC)), want_ns(0), "unshare.newipc.ok_with_undo_list");
	tap_ok(!ns_built() || cur()->sysvsem == NULL, "unshare.newipc.drops_undo_list", NULL);
	return 0;
}

static int unshare_eperm(void *arg)
{
	struct kf_files *files = cur()->files;
	struct kf_fs *fs = cur()->fs;

	(void)arg;
	kf_host_set_caps(cur(), 0);
	t_eq(kf_unshare(FL(NEWUTS)), want_ns(-KF_EPERM), "unshare.perm.newuts");
	t_eq(kf_unshare(FL(NEWNS)), want_ns(-KF_EPERM), "unshare.perm.newns");
	t_eq(kf_unshare(FL(NEWPID)), want_pidns(-KF_EPERM), "unshare.perm.newpid");
	/* the fs and files copies prepared before the check are dropped */
	t_eq(kf_unshare(FL(NEWUTS) | FL(FILES) | FL(FS)), want_ns(-KF_EPERM),
	     "unshare.perm.with_files_fs");
	tap_ok(cur()->files == files && cur()->fs == fs, "unshare.perm.nothing_changed", NULL);
	t_eq(kf_unshare(FL(NEWUSER) | FL(NEWUTS)), want_ns(0), "unshare.perm.newuser_grants");
	return 0;
}

/* ---- uts isolation ------------------------------------------------------------------- */

static int uts_child(void *arg)
{
	char buf[80];

	(void)arg;
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "outer"), "uts.clone.inherits_name", "%s", buf);
	t_eq(kf_sethostname("inner", 5), 0, "uts.clone.set_inside");
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "inner"), "uts.clone.sees_own", "%s", buf);
	return 0;
}

static int uts_unshare(void *arg)
{
	char buf[80];

	(void)arg;
	t_eq(kf_unshare(FL(NEWUTS)), 0, "uts.unshare.ok");
	kf_sethostname("mine", 4);
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "mine"), "uts.unshare.sees_own", "%s", buf);
	return 0;
}

static int uts_shared(void *arg)
{
	(void)arg;
	kf_sethostname("shared", 6);
	return 0;
}

static void test_uts(void)
{
	char buf[80], big[70];

	memset(big, 'x', sizeof(big));
	t_eq(kf_sethostname(big, 65), -KF_EINVAL, "uts.sethostname.too_long");
	t_eq(kf_sethostname(big, 64), 0, "uts.sethostname.64_ok");
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	t_eq(strlen(buf), 64, "uts.gethostname.64");
	memset(buf, 'z', sizeof(buf));
	kf_gethostname(buf, 10);
	tap_ok(!memcmp(buf, "xxxxxxxxxx", 10) && buf[10] == 'z', "uts.gethostname.truncated", NULL);
	kf_host_set_caps(cur(), 0);
	t_eq(kf_sethostname(big, 65), -KF_EPERM, "uts.sethostname.eperm_before_einval");
	kf_host_clear_caps(cur());
	kf_sethostname("outer", 5);
	if (ns_built()) {
		t_eq(run_child(FL(NEWUTS), uts_child, NULL), 0, "uts.clone.child");
		t_eq(run_child(0, uts_unshare, NULL), 0, "uts.unshare.child");
	}
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "outer"), "uts.parent_unchanged", "%s", buf);
	t_eq(run_child(0, uts_shared, NULL), 0, "uts.shared.child");
	memset(buf, 0, sizeof(buf));
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "shared"), "uts.shared_without_newuts", "%s", buf);
}

static int body(void *arg)
{
	unsigned long n = kf_nr_threads();

	(void)arg;
	test_flags();
	shared_file = kf_host_file_new("shared");
	shared_fd = kf_fd_install(shared_file, false);
	t_eq(run_child(FL(FILES), unshare_files, NULL), 0, "unshare.files.child");
	kf_fd_close(shared_fd);
	t_eq(run_child(FL(FS), unshare_fs, NULL), 0, "unshare.fs.child");
	t_eq(kf_umask(0022), 0022, "unshare.fs.parent_umask_kept");
	t_eq(run_child(FL(FS), unshare_newns, NULL), 0, "unshare.newns.child");
	t_eq(run_child(FL(FS), unshare_newuser, NULL), 0, "unshare.newuser.child");
	t_eq(run_child(0, with_thread, NULL), 0, "unshare.thread.child");
	t_eq(run_child(0, with_vm_sighand, NULL), 0, "unshare.sighand.child");
	t_eq(run_child(0, unshare_each_ns, NULL), 0, "unshare.ns.child");
	kf_sysvsem_undo_list();
	t_eq(run_child(FL(SYSVSEM), unshare_sysvsem, NULL), 0, "unshare.sysvsem.child");
	t_eq(run_child(0, unshare_eperm, NULL), 0, "unshare.perm.child");
	test_uts();
	t_eq(kf_nr_threads(), n, "unshare.no_task_left");
	return 0;
}

int main(void)
{
	run_init(body, "unshare.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "unshare.no_leaks");
	return tap_done();
}
