// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_nsfs.c - namespaces as files and setns (core/nsfs.c):
 * the initial inode numbers, a task's namespace of each kind, setns with
 * a namespace and with a task (all or nothing, EINVAL/EPERM/ESRCH), the
 * pid numbers at every namespace level, pids that outlive their task
 * (what a pidfd holds), kcmp, and no leaks.
 */
#include "core_test.h"

static void test_kinds(void)
{
	static const unsigned want[KF_NS_KINDS] = {
		[KF_NS_CGROUP] = 0xEFFFFFFBu, [KF_NS_IPC] = 0xEFFFFFFFu,
		[KF_NS_PID] = 0xEFFFFFFCu, [KF_NS_PID_FOR_CHILDREN] = 0xEFFFFFFCu,
		[KF_NS_TIME] = 0xEFFFFFFAu, [KF_NS_TIME_FOR_CHILDREN] = 0xEFFFFFFAu,
		[KF_NS_USER] = 0xEFFFFFFDu, [KF_NS_UTS] = 0xEFFFFFFEu,
	};
	struct kf_nsref r;
	int k, bad = 0;

	for (k = 0; k < KF_NS_KINDS; k++) {
		if (kf_task_ns_get(cur(), k, true, &r)) {
			bad++;
			continue;
		}
		if (want[k] && r.inum != want[k])
			bad++;
		if (strcmp(kf_ns_type_name(r.type), k == KF_NS_PID_FOR_CHILDREN ? "pid" :
			   k == KF_NS_TIME_FOR_CHILDREN ? "time" : kf_ns_kind_name(k)))
			bad++;
		kf_nsref_put(&r);
	}
	t_eq(bad, 0, "nsfs.initial_inodes_and_names");
	t_eq(kf_task_ns_get(cur(), KF_NS_KINDS, false, &r), -KF_EINVAL, "nsfs.bad_kind");
	tap_ok(!strcmp(kf_ns_kind_name(KF_NS_PID_FOR_CHILDREN), "pid_for_children"),
	       "nsfs.kind_name", NULL);
}

static struct kf_nsref uts_ref;
static struct kf_task *uts_task;

static int enter_by_ref(void *arg)
{
	char buf[16] = "";

	(void)arg;
	t_eq(kf_setns(&uts_ref, KF_CLONE_NEWPID), -KF_EINVAL, "nsfs.setns_wrong_type");
	t_eq(kf_setns(&uts_ref, 0), 0, "nsfs.setns_ref");
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "inner"), "nsfs.setns_ref_entered", "%s", buf);
	return 0;
}

static int enter_by_task(void *arg)
{
	char buf[16] = "";

	(void)arg;
	t_eq(kf_setns_task(uts_task, 0), -KF_EINVAL, "nsfs.setns_task_no_flags");
	t_eq(kf_setns_task(uts_task, FL(VM)), -KF_EINVAL, "nsfs.setns_task_clone_vm");
	t_eq(kf_setns_task(uts_task, FL(NEWUTS) | FL(NEWIPC)), 0, "nsfs.setns_task");
	kf_gethostname(buf, sizeof(buf));
	tap_ok(!strcmp(buf, "inner"), "nsfs.setns_task_entered", "%s", buf);
	return 0;
}

static int enter_unprivileged(void *arg)
{
	struct kf_nsproxy *before = cur()->nsproxy;

	(void)arg;
	kf_host_set_caps(cur(), 0);
	t_eq(kf_setns(&uts_ref, 0), -KF_EPERM, "nsfs.setns_eperm");
	t_eq(kf_setns_task(uts_task, FL(NEWUTS)), -KF_EPERM, "nsfs.setns_task_eperm");
	tap_ok(cur()->nsproxy == before, "nsfs.eperm_changes_nothing", NULL);
	kf_host_clear_caps(cur());
	return 0;
}

static void test_setns(void)
{
	struct kf_pid *pid;
	long child;

	if (!CONFIG_KF_NAMESPACES)
		return;
	/* a parked child with its own uts namespace, named "inner" then */
	kf_sethostname("inner", 5);
	child = clone_flags(FL(NEWUTS), KF_SIGCHLD);
	kf_sethostname("outer", 5);
	tap_ok(child > 0, "nsfs.uts_child", "%ld", child);
	uts_task = kf_task_find((int)child);
	t_eq(kf_task_ns_get(uts_task, KF_NS_UTS, true, &uts_ref), 0, "nsfs.child_uts");
	tap_ok(uts_ref.inum != 0xEFFFFFFEu, "nsfs.child_uts_new_inode", NULL);
	t_eq(run_child(0, enter_by_ref, NULL), 0, "nsfs.by_ref_child");
	t_eq(run_child(0, enter_by_task, NULL), 0, "nsfs.by_task_child");
	t_eq(run_child(0, enter_unprivileged, NULL), 0, "nsfs.unprivileged_child");
	/* the pid outlives the task: a pidfd's view */
	pid = kf_task_pid(uts_task);
	{
		struct kf_task *t = kf_pid_task(pid);

		tap_ok(t == uts_task, "nsfs.pid_task_alive", NULL);
		if (t)
			kf_task_put(t);
	}
	reap(child);
	tap_ok(kf_pid_task(pid) == NULL, "nsfs.pid_task_reaped", NULL);
	t_eq(kf_setns_task(uts_task, FL(NEWUTS)), -KF_ESRCH, "nsfs.setns_reaped_esrch");
	kf_pid_release(pid);
	kf_task_put(uts_task);
	kf_nsref_put(&uts_ref);
}

/* ---- pid numbers at every level ----------------------------------------------------- */

static int pidns_child(void *arg)
{
	int nrs[KF_MAX_NS_PIDS], n;

	(void)arg;
	n = kf_task_ns_pids(cur(), false, nrs, KF_MAX_NS_PIDS);
	return n == 1 && nrs[0] == 1 ? 0 : 10 + n;
}

static int pidns_seen(void *arg)
{
	int nrs[KF_MAX_NS_PIDS];

	(void)arg;
	/* as the parent sees it: its own number, then 1 */
	return kf_task_ns_pids(cur(), true, nrs, KF_MAX_NS_PIDS);
}

static void test_ns_pids(void)
{
	int nrs[KF_MAX_NS_PIDS], n;

	n = kf_task_ns_pids(cur(), false, nrs, KF_MAX_NS_PIDS);
	tap_ok(n == 1 && nrs[0] == kf_getpid(), "nsfs.ns_pids_self", "%d", n);
	if (!CONFIG_KF_PID_NS)
		return;
	t_eq(run_child(FL(NEWPID), pidns_child, NULL), 0, "nsfs.ns_pids_inside");
	t_eq(run_child(FL(NEWPID), pidns_seen, NULL), 1, "nsfs.ns_pids_own_view");
}

/* ---- kcmp ----------------------------------------------------------------------------- */

static void test_kcmp(void)
{
	long child = clone_flags(0, KF_SIGCHLD), a, b;

	t_eq(kf_kcmp(kf_getpid(), kf_getpid(), 1, 0, 0), 0, "nsfs.kcmp_vm_self");
	a = kf_kcmp(kf_getpid(), (int)child, 1, 0, 0);
	b = kf_kcmp((int)child, kf_getpid(), 1, 0, 0);
	tap_ok(a > 0 && a + b == 3, "nsfs.kcmp_vm_differs_ordered", "%ld %ld", a, b);
	t_eq(kf_kcmp(kf_getpid(), (int)child, 99, 0, 0), -KF_EINVAL, "nsfs.kcmp_bad_type");
	t_eq(kf_kcmp(kf_getpid(), 99999, 1, 0, 0), -KF_ESRCH, "nsfs.kcmp_esrch");
	t_eq(kf_kcmp(kf_getpid(), kf_getpid(), 0, 500, 500), -KF_EBADF, "nsfs.kcmp_file_ebadf");
	reap(child);
}

static int body(void *arg)
{
	unsigned long n = kf_nr_threads();

	(void)arg;
	test_kinds();
	test_setns();
	test_ns_pids();
	test_kcmp();
	t_eq(kf_nr_threads(), n, "nsfs.no_task_left");
	return 0;
}

int main(void)
{
	run_init(body, "nsfs.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "nsfs.no_leaks");
	return tap_done();
}
