// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_pidns.c - pids and pid namespaces: cyclic allocation
 * with Linux's wrap past RESERVED_PIDS, CLONE_NEWPID (pid 1, reaper,
 * numbers per level, getpid/getppid inside), nesting to the limit,
 * clone3's set_tid rules, unshare(CLONE_NEWPID), and a namespace whose
 * init died.  Also the user-namespace nesting limit.
 */
#include "core_test.h"

/* ---- allocation ----------------------------------------------------------------- */

static struct kf_pid *pids[CONFIG_KF_PID_MAX];

static void test_alloc(void)
{
	long a, b;
	int n = 0, i, first;
	struct kf_pid *p, *q;

	kf_host_set_child_entry(NULL, NULL);
	a = clone_flags(0, KF_SIGCHLD);
	reap(a);
	b = clone_flags(0, KF_SIGCHLD);
	t_eq(b, a + 1, "pidns.alloc.cyclic_no_reuse");
	reap(b);

	/* fill the initial namespace through the allocator itself */
	while (n < CONFIG_KF_PID_MAX && kf_pid_alloc(&kf_init_pid_ns, NULL, 0, &pids[n]) == 0)
		n++;
	first = n ? kf_pid_nr(pids[0]) : 0;
	t_eq(first, b + 1, "pidns.alloc.continues_after_last");
	t_eq(n ? kf_pid_nr(pids[n - 1]) : 0, CONFIG_KF_PID_MAX - 1, "pidns.alloc.up_to_pid_max");
	t_eq(kf_pid_alloc(&kf_init_pid_ns, NULL, 0, &p), -KF_EAGAIN, "pidns.alloc.full_eagain");
	/* free one pid below RESERVED_PIDS and one above: the wrap restarts
	 * at 300, so only the second comes back */
	for (i = 0; i < n; i++) {
		int nr = kf_pid_nr(pids[i]);

		if (nr == 100 || nr == 400) {
			kf_pid_unalloc(pids[i]);
			pids[i] = NULL;
		}
	}
	p = NULL;
	t_eq(kf_pid_alloc(&kf_init_pid_ns, NULL, 0, &p), 0, "pidns.alloc.wrap_finds_free");
	t_eq(p ? kf_pid_nr(p) : 0, 400, "pidns.alloc.wrap_skips_reserved");
	t_eq(kf_pid_alloc(&kf_init_pid_ns, NULL, 0, &q), -KF_EAGAIN,
	     "pidns.alloc.reserved_not_reused");
	/* a full namespace: fork fails with EAGAIN */
	expect(clone_flags(0, KF_SIGCHLD), -KF_EAGAIN, "pidns.alloc.fork_when_full");
	if (p)
		kf_pid_unalloc(p);
	for (i = 0; i < n; i++)
		if (pids[i])
			kf_pid_unalloc(pids[i]);
}

/* ---- CLONE_NEWPID ------------------------------------------------------------------ */

static int inside_ns(void *arg)
{
	long c, g;
	struct kf_task *t;

	(void)arg;
	t_eq(kf_getpid(), 1, "pidns.inside.getpid_is_1");
	t_eq(kf_gettid(), 1, "pidns.inside.gettid_is_1");
	t_eq(kf_getppid(), 0, "pidns.inside.getppid_outside_is_0");
	t = kf_task_find(1);
	tap_ok(t == cur(), "pidns.inside.find_1_is_self", NULL);
	if (t)
		kf_task_put(t);
	expect(clone_flags(FL(PARENT), KF_SIGCHLD), -KF_EINVAL, "pidns.inside.init_no_siblings");
	c = clone_flags(0, KF_SIGCHLD);
	t_eq(c, 2, "pidns.inside.second_task_pid_2");
	t = task_of(c);
	tap_ok(t && kf_pid_nr_ns(t->pid, &kf_init_pid_ns) > 2,
	       "pidns.inside.other_number_outside", NULL);
	g = clone_flags(FL(NEWPID), KF_SIGCHLD);
	t_eq(g, 3, "pidns.nested.pid_in_parent_ns");
	t = task_of(g);
	tap_ok(t && kf_pid_nr(t->pid) == 1 &&
	       kf_pid_nr_ns(t->pid, kf_task_active_pid_ns(cur())) == 3 &&
	       kf_pid_nr_ns(t->pid, &kf_init_pid_ns) > 3 &&
	       kf_pid_ns_level(kf_pid_ns_of(t->pid)) == 2,
	       "pidns.nested.one_number_per_level", NULL);
	reap(g);
	reap(c);
	return 0;
}

static void test_newpid(void)
{
	struct kf_task *t;
	unsigned long irq;
	long pid;
	bool reaper;

	pid = clone_flags(FL(NEWPID), KF_SIGCHLD);
	if (!CONFIG_KF_PID_NS) {
		expect(pid, -KF_ENOSYS, "pidns.newpid.child_is_pid_1");
		return;
	}
	t = task_of(pid);
	tap_ok(t && kf_task_tid(t) == 1, "pidns.newpid.child_is_pid_1", NULL);
	tap_ok(pid > 1 && t && kf_task_vpid(t) == pid, "pidns.newpid.parent_sees_own_number", NULL);
	tap_ok(t && (t->signal->flags & KF_SIGNAL_UNKILLABLE), "pidns.newpid.init_unkillable", NULL);
	irq = kf_tasklist_lock_irq();
	reaper = t && kf_pid_ns_reaper(kf_pid_ns_of(t->pid)) == t;
	kf_tasklist_unlock_irq(irq);
	tap_ok(reaper, "pidns.newpid.init_is_reaper", NULL);
	tap_ok(t && kf_pid_ns_level(kf_pid_ns_of(t->pid)) == 1 &&
	       kf_pid_ns_parent(kf_pid_ns_of(t->pid)) == &kf_init_pid_ns,
	       "pidns.newpid.level_1", NULL);
	tap_ok(t && t->nsproxy->pid_ns_for_children == kf_pid_ns_of(t->pid),
	       "pidns.newpid.children_in_same_ns", NULL);
	reap(pid);
	t_eq(run_child(FL(NEWPID), inside_ns, NULL), 0, "pidns.inside.child");
}

/* ---- nesting limit ----------------------------------------------------------------- */

static long depth_err;
static int depth_max;

/*
 * set_tid_full - at the deepest level (32 namespaces below the initial
 * one), clone3 with a set_tid array exactly KF_MAX_PID_NS_LEVEL long: it
 * names the child's pid in every namespace but the initial one and is
 * accepted; one entry more is EINVAL.  Its own user memory: core_test.h's
 * clone3 buffer belongs to another address space.
 */
#define FULL_TID 500
static long set_tid_full_r, set_tid_over_r;
static bool set_tid_full_levels;

static void set_tid_full(void)
{
	struct kf_clone_args a = { .exit_signal = KF_SIGCHLD };
	int tids[KF_MAX_PID_NS_LEVEL + 1];
	kf_uptr_t u = umem(4096);
	struct kf_pid_ns *ns;
	struct kf_task *t;
	size_t i;

	for (i = 0; i < KF_MAX_PID_NS_LEVEL + 1; i++)
		tids[i] = FULL_TID;
	kf_host_write(u, tids, sizeof(tids));
	a.set_tid = u;
	a.set_tid_size = KF_MAX_PID_NS_LEVEL;
	kf_host_write(u + 1024, &a, sizeof(a));
	kf_host_set_child_entry(NULL, NULL);
	set_tid_full_r = RESTARTED(kf_sys_clone3(u + 1024, sizeof(a)));
	t = task_of(set_tid_full_r);
	set_tid_full_levels = t != NULL;
	for (ns = t ? kf_pid_ns_of(t->pid) : NULL; ns && kf_pid_ns_level(ns) > 0;
	     ns = kf_pid_ns_parent(ns))
		if (kf_pid_nr_ns(t->pid, ns) != FULL_TID)
			set_tid_full_levels = false;
	if (t && kf_pid_nr_ns(t->pid, &kf_init_pid_ns) <= 0)
		set_tid_full_levels = false;
	reap(set_tid_full_r);
	a.set_tid_size = KF_MAX_PID_NS_LEVEL + 1;
	kf_host_write(u + 1024, &a, sizeof(a));
	set_tid_over_r = RESTARTED(kf_sys_clone3(u + 1024, sizeof(a)));
	reap(set_tid_over_r);
}

static int nest(void *arg)
{
	long level = (long)arg;
	long r;

	if (kf_getpid() != 1)
		return 1;
	depth_max = (int)level;
	if (level == KF_MAX_PID_NS_LEVEL) {
		r = clone_flags(FL(NEWPID), KF_SIGCHLD);
		depth_err = r;
		reap(r);
		if (CONFIG_KF_CLONE3)
			set_tid_full();
		return 0;
	}
	return run_child(FL(NEWPID), nest, (void *)(level + 1));
}

static void test_depth(void)
{
	int r;

	if (!CONFIG_KF_PID_NS)
		return;
	r = run_child(FL(NEWPID), nest, (void *)1L);
	t_eq(r, 0, "pidns.depth.chain");
	t_eq(depth_max, KF_MAX_PID_NS_LEVEL, "pidns.depth.32_levels");
	t_eq(depth_err, -KF_ENOSPC, "pidns.depth.33rd_enospc");
	if (!CONFIG_KF_CLONE3)
		return;
	t_eq(set_tid_full_r, FULL_TID, "pidns.set_tid.max_levels_accepted");
	tap_ok(set_tid_full_levels, "pidns.set_tid.max_levels_every_number", NULL);
	t_eq(set_tid_over_r, -KF_EINVAL, "pidns.set_tid.max_levels_plus_one_einval");
}

/* map_own_ids - current names its own euid and egid 0 in the user
 * namespace it just made (what writing "0 EUID 1" to uid_map does). */
static int map_own_ids(void)
{
	struct kf_user_ns *ns = cur()->cred->user_ns;
	struct kf_id_map u = { .nr = 1, .range = { { 0, kf_from_kuid(ns->parent,
							cur()->cred->euid), 1 } } };
	struct kf_id_map g = { .nr = 1, .range = { { 0, kf_from_kgid(ns->parent,
							cur()->cred->egid), 1 } } };

	return kf_user_ns_write_map(ns, false, &u) ?: kf_user_ns_write_map(ns, true, &g);
}

/* user namespaces nest 33 deep below the initial one; then ENOSPC */
static int user_nest(void *arg)
{
	int i, r = 0;

	(void)arg;
	for (i = 1; i <= 33 && r == 0; i++) {
		r = (int)kf_unshare(FL(NEWUSER));
		/* a namespace below needs the owner named here */
		if (r == 0)
			r = map_own_ids();
	}
	t_eq(r, 0, "userns.depth.33_levels");
	t_eq(cur()->cred->user_ns->level, 33, "userns.depth.level");
	t_eq(kf_unshare(FL(NEWUSER)), -KF_ENOSPC, "userns.depth.34th_enospc");
	expect(clone_flags(FL(NEWUSER), KF_SIGCHLD), -KF_ENOSPC, "userns.depth.clone_enospc");
	return 0;
}

/* ---- set_tid --------------------------------------------------------------------------- */

static long c3_set_tid(uint64_t flags, const int *tids, size_t n)
{
	static kf_uptr_t u;
	struct kf_clone_args a = { .flags = flags, .exit_signal = KF_SIGCHLD,
				   .set_tid_size = n };

	if (!u)
		u = umem(4096);
	kf_host_write(u, tids, n * sizeof(int));
	a.set_tid = u;
	return clone3(&a, KF_CLONE_ARGS_SIZE_VER1);
}

static void test_set_tid(void)
{
	int t1[1], t2[2];
	struct kf_task *t;
	long a, r;

	if (!CONFIG_KF_CLONE3) {
		t1[0] = 5000;
		t_eq(c3_set_tid(0, t1, 1), -KF_ENOSYS, "pidns.set_tid.chosen");
		return;
	}
	t1[0] = 5000;
	a = c3_set_tid(0, t1, 1);
	t_eq(a, 5000, "pidns.set_tid.chosen");
	expect(c3_set_tid(0, t1, 1), -KF_EEXIST, "pidns.set_tid.taken_eexist");
	t1[0] = 0;
	expect(c3_set_tid(0, t1, 1), -KF_EINVAL, "pidns.set_tid.zero_einval");
	t1[0] = -5;
	expect(c3_set_tid(0, t1, 1), -KF_EINVAL, "pidns.set_tid.negative_einval");
	t1[0] = CONFIG_KF_PID_MAX;
	expect(c3_set_tid(0, t1, 1), -KF_EINVAL, "pidns.set_tid.pid_max_einval");
	t1[0] = CONFIG_KF_PID_MAX - 1;
	expect(c3_set_tid(0, t1, 1), CONFIG_KF_PID_MAX - 1, "pidns.set_tid.pid_max_minus_1");
	t2[0] = 5001;
	t2[1] = 5002;
	expect(c3_set_tid(0, t2, 2), -KF_EINVAL, "pidns.set_tid.more_than_levels");
	kf_host_set_caps(cur(), 0);
	t1[0] = 5003;
	expect(c3_set_tid(0, t1, 1), -KF_EPERM, "pidns.set_tid.needs_cap");
	kf_host_set_caps(cur(), 1ull << KF_CAP_CHECKPOINT_RESTORE);
	expect(c3_set_tid(0, t1, 1), 5003, "pidns.set_tid.checkpoint_restore_enough");
	kf_host_set_caps(cur(), 1ull << KF_CAP_SYS_ADMIN);
	expect(c3_set_tid(0, t1, 1), 5003, "pidns.set_tid.sys_admin_enough");
	/* EPERM from copy_namespaces comes before the set_tid checks */
	kf_host_set_caps(cur(), 0);
	t1[0] = 5000;
	expect(c3_set_tid(FL(NEWUTS), t1, 1), want_ns(-KF_EPERM),
	       "pidns.order.ns_eperm_before_set_tid");
	kf_host_clear_caps(cur());

	if (!CONFIG_KF_PID_NS) {
		reap(a);
		return;
	}
	/* per level, innermost first */
	t2[0] = 1;
	t2[1] = 6000;
	r = c3_set_tid(FL(NEWPID), t2, 2);
	t = task_of(r);
	tap_ok(r == 6000 && t && kf_task_tid(t) == 1, "pidns.set_tid.nested_levels", "%ld", r);
	reap(r);
	t1[0] = 1;
	r = c3_set_tid(FL(NEWPID), t1, 1);
	t = task_of(r);
	tap_ok(r > 1 && t && kf_task_tid(t) == 1, "pidns.set_tid.innermost_only", "%ld", r);
	reap(r);
	t1[0] = 2;
	expect(c3_set_tid(FL(NEWPID), t1, 1), -KF_EINVAL, "pidns.set_tid.not_1_without_init");
	t2[0] = 5;
	t2[1] = 5000;
	expect(c3_set_tid(FL(NEWPID), t2, 2), -KF_EINVAL, "pidns.set_tid.innermost_error_first");
	t2[0] = 1;
	expect(c3_set_tid(FL(NEWPID), t2, 2), -KF_EEXIST, "pidns.set_tid.outer_taken_eexist");
	t2[1] = 0;
	expect(c3_set_tid(FL(NEWPID), t2, 2), -KF_EINVAL, "pidns.set_tid.outer_zero_einval");
	reap(a);
}

/* ---- unshare(CLONE_NEWPID) and a dying namespace ------------------------------------ */

static int unshare_pid(void *arg)
{
	int me = kf_getpid();
	struct kf_task *t;
	long c, c2;

	(void)arg;
	t_eq(kf_unshare(FL(NEWPID)), 0, "pidns.unshare.ok");
	t_eq(kf_getpid(), me, "pidns.unshare.own_pid_unchanged");
	tap_ok(cur()->nsproxy->pid_ns_for_children != kf_task_active_pid_ns(cur()),
	       "pidns.unshare.for_children_only", NULL);
	t_eq(kf_unshare(FL(NEWPID)), -KF_EINVAL, "pidns.unshare.second_einval");
	c = clone_flags(0, KF_SIGCHLD);
	t = task_of(c);
	tap_ok(c > 1 && t && kf_task_tid(t) == 1, "pidns.unshare.first_child_pid_1", "%ld", c);
	c2 = clone_flags(0, KF_SIGCHLD);
	t = task_of(c2);
	tap_ok(t && kf_task_tid(t) == 2, "pidns.unshare.second_child_pid_2", NULL);
	t_eq(kf_unshare(FL(NEWPID)), -KF_EINVAL, "pidns.unshare.again_after_fork_einval");
	/* the namespace's init dies (c2 first: its parent is outside the
	 * namespace, and the init waits until every member is reaped, as on
	 * Linux); nothing may join afterwards */
	reap(c2);
	reap(c);
	expect(clone_flags(0, KF_SIGCHLD), -KF_ENOMEM, "pidns.dead_ns_enomem");
	return 0;
}

/*
 * The namespace's init dies while a fork into it is in progress, after the
 * child got its pid there: commit's check (Linux's "don't start children
 * in a dying pid namespace") refuses with ENOMEM.  Afterwards the pid stage
 * itself refuses, before any later stage: ENOMEM even with a bad pidfd
 * pointer, and the cgroup stage is never asked.
 */
static struct kf_task *dying_init;

static bool ns_adding(struct kf_pid_ns *ns)
{
	unsigned long irq = kf_tasklist_lock_irq();
	bool r = kf_pid_ns_adding(ns);

	kf_tasklist_unlock_irq(irq);
	return r;
}

/* kill_ns_init - the cgroup hook: SIGKILL the namespace's init and let it
 * run until it has closed the namespace. */
static void kill_ns_init(void *arg)
{
	struct kf_pid_ns *ns = arg;
	int i;

	kf_os_signal(dying_init, KF_SIGKILL, NULL, true);
	for (i = 0; i < 100 && ns_adding(ns); i++)
		kf_host_yield();
}

static int dying_ns_fork(void *arg)
{
	struct kf_clone_req req = {
		.flags = FL(INTO_CGROUP), .exit_signal = KF_SIGCHLD, .cgroup = FAKE_CGROUP,
	};
	unsigned long n, calls;
	long init, r;

	(void)arg;
	kf_unshare(FL(NEWPID));
	init = clone_flags(0, KF_SIGCHLD);
	dying_init = task_of(init);
	if (!tap_ok(dying_init && kf_task_tid(dying_init) == 1, "pidns.dying.init", NULL))
		return 1;
	n = kf_nr_threads();
	kf_host_cgroup_enable(FAKE_CGROUP, 0);
	kf_host_cgroup_hook(kill_ns_init, kf_pid_ns_of(dying_init->pid));
	r = clone_req(&req);
	kf_host_cgroup_hook(NULL, NULL);
	t_eq(r, -KF_ENOMEM, "pidns.dying.commit_enomem");
	if (r > 0)
		reap(r);
	t_eq(kf_nr_threads(), n, "pidns.dying.no_child");
	reap(init);
	calls = kf_host_cgroup_calls();
	if (CONFIG_KF_PIDFD)
		expect(sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, BAD_UPTR, 0, 0), -KF_ENOMEM,
		       "pidns.dying.pid_stage_before_pidfd");
	expect(clone_req(&req), -KF_ENOMEM, "pidns.dead.into_cgroup_enomem");
	t_eq(kf_host_cgroup_calls(), calls, "pidns.dead.pid_stage_before_cgroup");
	kf_host_cgroup_enable(-1, 0);
	return 0;
}

static int first_fork_fails(void *arg)
{
	long r;

	(void)arg;
	kf_unshare(FL(NEWPID));
	/* a failure after the pid was allocated (the pidfd store) kills the
	 * fresh namespace, as Linux's free_pid does */
	r = sys_clone(FL(PIDFD) | KF_SIGCHLD, 0, BAD_UPTR, 0, 0);
	t_eq(r, -KF_EFAULT, "pidns.first_fork.pidfd_efault");
	expect(clone_flags(0, KF_SIGCHLD), -KF_ENOMEM, "pidns.first_fork.failure_disables_ns");
	return 0;
}

static int first_fork_early_failure(void *arg)
{
	struct kf_task *t;
	long r;

	(void)arg;
	kf_unshare(FL(NEWPID));
	/* a failure before any pid was taken leaves the namespace usable */
	expect(clone_flags(FL(NEWUTS) | FL(NEWIPC) | FL(SYSVSEM), KF_SIGCHLD), -KF_EINVAL,
	       "pidns.first_fork.early_failure");
	r = clone_flags(0, KF_SIGCHLD);
	t = task_of(r);
	tap_ok(t && kf_task_tid(t) == 1, "pidns.first_fork.early_failure_keeps_ns", NULL);
	reap(r);
	return 0;
}

static int body(void *arg)
{
	unsigned long n = kf_nr_threads();

	(void)arg;
	test_alloc();
	test_newpid();
	test_depth();
	if (CONFIG_KF_NAMESPACES)
		t_eq(run_child(0, user_nest, NULL), 0, "userns.depth.child");
	test_set_tid();
	if (CONFIG_KF_PID_NS) {
		t_eq(run_child(0, unshare_pid, NULL), 0, "pidns.unshare.child");
		t_eq(run_child(0, dying_ns_fork, NULL), 0, "pidns.dying.child");
		if (CONFIG_KF_PIDFD)
			t_eq(run_child(0, first_fork_fails, NULL), 0, "pidns.first_fork.child");
		t_eq(run_child(0, first_fork_early_failure, NULL), 0,
		     "pidns.first_fork.early_child");
	} else {
		t_eq(kf_unshare(FL(NEWPID)), -KF_ENOSYS, "pidns.unshare.ok");
	}
	t_eq(kf_nr_threads(), n, "pidns.no_task_left");
	return 0;
}

int main(void)
{
	run_init(body, "pidns.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "pidns.no_leaks");
	return tap_done();
}
