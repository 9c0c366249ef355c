// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/host/test_sched.c - the host port with the core: baton scheduling
 * (who runs when), wait/wake order, signals ending waits, parked children,
 * sleeping mutexes, futex wake-ups, capabilities, and the fork smoke test
 * (copy-on-write seen from both sides, exit status through wait4).
 * Everything runs inside init (kf_host_run_as_init); tasks share this
 * process's globals, which the tests use as their "kernel log".
 */
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/mm.h>

static char order[64];
static int norder;

static void mark(char c)
{
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = c;
}

static void order_reset(void)
{
	memset(order, 0, sizeof(order));
	norder = 0;
}

static int child_mark(void *arg)
{
	mark(*(const char *)arg);
	return 0;
}

/* spawn - fork a child that starts at @fn(@arg). */
static long spawn(int (*fn)(void *), void *arg)
{
	kf_host_set_child_entry(fn, arg);
	return kf_fork();
}

/* reap - wait for @pid, return its status (kernel-side waitid). */
static int reap(long pid)
{
	struct kf_waitinfo wi;
	long r;

	memset(&wi, 0, sizeof(wi));
	r = kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED);
	if (r < 0)
		return (int)r;
	return wi.code == KF_CLD_EXITED ? (wi.status & 0xff) << 8 : wi.status;
}

static void kill_task(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t) {
		kf_os_signal(t, KF_SIGKILL, NULL, false);
		kf_task_put(t);
	}
}

/* ---- who runs when ----------------------------------------------------- */

static void test_order(void)
{
	long a, b;
	int sa, sb;

	order_reset();
	a = spawn(child_mark, "A");
	b = spawn(child_mark, "B");
	tap_ok(a > 1 && b > a, "sched.fork.pids", "%ld %ld", a, b);
	tap_eq(norder, 0, "sched.fork.parent_keeps_running");
	tap_eq(kf_host_runnable(), 2, "sched.fork.children_queued");
	{
		struct kf_task *ta = kf_task_find((int)a), *tb = kf_task_find((int)b);

		/* dealt round-robin over the sim CPUs: siblings run apart */
		tap_ok(ta && tb && kf_host_task_cpu(ta) != kf_host_task_cpu(tb),
		       "sched.fork.children_on_other_cpus", NULL);
		if (ta)
			kf_task_put(ta);
		if (tb)
			kf_task_put(tb);
	}
	kf_host_yield();
	tap_ok(!strcmp(order, "AB"), "sched.yield.children_ran_fifo", "%s", order);
	tap_eq(kf_host_runnable(), 0, "sched.yield.queue_empty");
	sa = reap(a);
	sb = reap(b);
	tap_eq(sa, 0, "sched.exit.status_a");
	tap_eq(sb, 0, "sched.exit.status_b");
}

static int seven(void *arg)
{
	(void)arg;
	return 0x107;	/* only the low 8 bits make the exit code */
}

static int early_exit(void *arg)
{
	(void)arg;
	mark('e');
	kf_host_exit(3 << 8);
}

static void test_exit_codes(void)
{
	long p = spawn(seven, NULL);
	int s = reap(p);

	tap_eq(s, 7 << 8, "sched.exit.return_value_low_byte");
	order_reset();
	p = spawn(early_exit, NULL);
	s = reap(p);
	tap_eq(s, 3 << 8, "sched.exit.host_exit");
	tap_ok(!strcmp(order, "e"), "sched.exit.host_exit_ran", "%s", order);
}

/* ---- wait queues ------------------------------------------------------- */

static kf_os_waitq_t wq;
static int flag;

static bool flag_set(void *arg)
{
	(void)arg;
	return flag != 0;
}

static int sleeper(void *arg)
{
	int r = kf_os_wait(&wq, flag_set, NULL, KF_WAIT_KILLABLE);

	mark(r == 0 ? *(const char *)arg : '!');
	return 0;
}

static void test_wait_wake(void)
{
	long p[3];

	kf_os_waitq_init(&wq);
	flag = 0;
	order_reset();
	p[0] = spawn(sleeper, "C");
	p[1] = spawn(sleeper, "D");
	p[2] = spawn(sleeper, "E");
	kf_host_yield();
	tap_eq(norder, 0, "sched.wait.all_asleep");
	tap_eq(kf_host_runnable(), 0, "sched.wait.none_runnable");
	kf_os_wake_all(&wq);
	tap_eq(kf_host_runnable(), 3, "sched.wake.all_queued");
	kf_host_yield();
	tap_eq(norder, 0, "sched.wake.cond_rechecked");
	flag = 1;
	kf_os_wake_all(&wq);
	tap_eq(norder, 0, "sched.wake.does_not_run_them");
	kf_host_yield();
	tap_ok(!strcmp(order, "CDE"), "sched.wake.fifo_order", "%s", order);
	for (int i = 0; i < 3; i++)
		reap(p[i]);
}

/* ---- signals ----------------------------------------------------------- */

static kf_os_waitq_t never_q;
static int res[2];

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static int sig_sleeper(void *arg)
{
	(void)arg;
	res[0] = kf_os_wait(&never_q, never, NULL, KF_WAIT_INTERRUPTIBLE);
	res[1] = kf_os_wait(&never_q, never, NULL, KF_WAIT_KILLABLE);
	kf_host_check_signals();
	return 99;
}

static void test_signals(void)
{
	struct kf_task *t;
	long p;
	int s;

	res[0] = res[1] = 1;
	p = spawn(sig_sleeper, NULL);
	kf_host_yield();
	t = kf_task_find((int)p);
	tap_ok(t != NULL, "sched.signal.find_child", NULL);
	if (!t)
		return;
	kf_os_signal(t, KF_SIGCHLD, NULL, false);
	kf_host_yield();
	tap_eq(res[0], 1, "sched.signal.sigchld_does_not_interrupt");
	kf_os_signal(t, KF_SIGUSR1, NULL, true);
	tap_eq(kf_host_pending(t),
	       1ull << (KF_SIGUSR1 - 1) | 1ull << (KF_SIGCHLD - 1),
	       "sched.signal.pending_mask");
	tap_eq(kf_host_group_pending(t), 1ull << (KF_SIGUSR1 - 1),
	       "sched.signal.group_mask");
	tap_eq(kf_host_sigcount(t, KF_SIGUSR1), 1, "sched.signal.counted");
	tap_ok(!kf_os_fatal_signal_pending(t), "sched.signal.usr1_not_fatal", NULL);
	kf_host_yield();
	tap_eq(res[0], -KF_EINTR, "sched.signal.interruptible_eintr");
	tap_eq(res[1], 1, "sched.signal.killable_ignores_usr1");
	kf_os_signal(t, KF_SIGKILL, NULL, false);
	tap_ok(kf_os_fatal_signal_pending(t), "sched.signal.sigkill_fatal", NULL);
	kf_task_put(t);
	s = reap(p);
	tap_eq(res[1], -KF_EINTR, "sched.signal.killable_eintr");
	tap_eq(s, KF_SIGKILL, "sched.signal.killed_status");
}

static void test_parked(void)
{
	long p;
	int s;

	kf_host_set_child_entry(NULL, NULL);
	p = kf_fork();
	kf_host_yield();
	tap_eq(kf_host_runnable(), 0, "sched.park.child_sleeps");
	kill_task(p);
	s = reap(p);
	tap_eq(s, KF_SIGKILL, "sched.park.killed");

	/* the entry is one-shot: after a child started, the next one parks */
	order_reset();
	p = spawn(child_mark, "P");
	reap(p);
	p = kf_fork();
	kf_host_yield();
	tap_ok(!strcmp(order, "P"), "sched.entry.one_shot", "%s", order);
	kill_task(p);
	s = reap(p);
	tap_eq(s, KF_SIGKILL, "sched.entry.second_child_parked");
}

static void test_vfork(void)
{
	long p;
	int s;

	order_reset();
	kf_host_set_child_entry(child_mark, "V");
	p = kf_vfork();
	tap_ok(p > 0 && !strcmp(order, "V"), "sched.vfork.parent_waits",
	       "%ld %s", p, order);
	s = reap(p);
	tap_eq(s, 0, "sched.vfork.reaped");
}

/* ---- threads: autoreaped, freed by the next reap point ----------------- */

static void test_thread(void)
{
	struct kf_clone_req req;
	int before = kf_host_tasks();
	struct kf_task *t;
	long tid, p;

	memset(&req, 0, sizeof(req));
	req.flags = KF_CLONE_VM | KF_CLONE_FS | KF_CLONE_FILES |
		    KF_CLONE_SIGHAND | KF_CLONE_THREAD | KF_CLONE_SYSVSEM;
	order_reset();
	kf_host_set_child_entry(child_mark, "T");
	tid = kf_clone(&req);
	tap_ok(tid > 1, "sched.thread.created", "%ld", tid);
	kf_host_yield();
	tap_ok(!strcmp(order, "T"), "sched.thread.ran", "%s", order);
	t = kf_task_find((int)tid);
	tap_ok(t == NULL, "sched.thread.autoreaped", NULL);
	if (t)
		kf_task_put(t);
	p = spawn(child_mark, "x");
	reap(p);
	tap_eq(kf_host_tasks(), before, "sched.thread.host_side_freed");
}

/* ---- sleeping mutex ---------------------------------------------------- */

static kf_os_mutex_t mu;

static int mutex_holder(void *arg)
{
	(void)arg;
	kf_os_mutex_lock(&mu);
	mark('a');
	kf_host_yield();	/* init now blocks on the mutex */
	mark('u');
	kf_os_mutex_unlock(&mu);
	return 0;
}

static void test_mutex(void)
{
	long p;

	kf_os_mutex_init(&mu);
	order_reset();
	p = spawn(mutex_holder, NULL);
	kf_host_yield();
	kf_os_mutex_lock(&mu);
	mark('i');
	kf_os_mutex_unlock(&mu);
	tap_ok(!strcmp(order, "aui"), "sched.mutex.contended_sleeps", "%s", order);
	reap(p);
}

/* ---- user memory: COW smoke test and futexes --------------------------- */

static kf_uptr_t page;
static int child_saw;

static int cow_child(void *arg)
{
	unsigned char b = 0, w = 2;

	(void)arg;
	kf_host_read(page, &b, 1);
	child_saw = b;
	kf_host_write(page, &w, 1);
	return 7;
}

static void test_cow(void)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	unsigned char one = 1, three = 3, b = 0;
	int status = -1;
	long p, r;

	page = (kf_uptr_t)kf_mm_map(mm, 0, 8192, KF_PROT_READ | KF_PROT_WRITE,
				    KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	tap_ok((long)page > 0, "smoke.map", "%lx", (unsigned long)page);
	r = kf_host_write(page, &one, 1);
	tap_eq(r, 0, "smoke.write_before_fork");
	child_saw = -1;
	p = spawn(cow_child, NULL);
	/* the parent writes first: fork must have write-protected its page
	 * and flushed its TLB, or this lands in the frame the child shares */
	kf_host_write(page, &three, 1);
	r = kf_wait4((int)p, page + 4096, 0, 0);
	tap_eq(r, p, "smoke.wait4_pid");
	kf_host_read(page + 4096, &status, sizeof(status));
	tap_eq(status, 7 << 8, "smoke.wait4_status_copied_out");
	tap_eq(child_saw, 1, "smoke.child_sees_pre_fork_byte");
	kf_host_read(page, &b, 1);
	tap_eq(b, 3, "smoke.parent_byte_unchanged_by_child");
}

static int futex_res;

static int futex_child(void *arg)
{
	(void)arg;
	futex_res = kf_host_futex_wait(page + 64, 0);
	return 5;
}

static void test_futex(void)
{
	struct kf_clone_req req;
	unsigned long before = kf_host_futex_wakes(page + 64);
	long p;
	int s;

	s = kf_host_futex_wait(page + 64, 42);
	tap_eq(s, -KF_EAGAIN, "futex.wait_value_differs");
	memset(&req, 0, sizeof(req));
	req.flags = KF_CLONE_VM;
	req.exit_signal = KF_SIGCHLD;
	futex_res = 1;
	kf_host_set_child_entry(futex_child, NULL);
	p = kf_clone(&req);
	tap_ok(p > 0, "futex.clone_vm", "%ld", p);
	kf_host_yield();
	tap_eq(futex_res, 1, "futex.child_sleeps");
	kf_os_futex_wake(page + 68, 1);
	kf_host_yield();
	tap_eq(futex_res, 1, "futex.other_address_no_wake");
	kf_os_futex_wake(page + 64, 1);
	tap_eq(kf_host_futex_wakes(page + 64), before + 1, "futex.wake_counted");
	s = reap(p);
	tap_eq(s, 5 << 8, "futex.child_woken_and_exited");
	tap_eq(futex_res, 0, "futex.wait_returned_0");
}

/* ---- policy ------------------------------------------------------------ */

static void test_caps(void)
{
	struct kf_task *me = kf_os_current();

	tap_ok(kf_os_capable(me, KF_CAP_SYS_ADMIN), "caps.root_has_all", NULL);
	kf_host_set_caps(me, 1ull << KF_CAP_SETUID);
	tap_ok(!kf_os_capable(me, KF_CAP_SYS_ADMIN) &&
	       kf_os_capable(me, KF_CAP_SETUID), "caps.mask", NULL);
	kf_host_clear_caps(me);
	tap_ok(kf_os_capable(me, KF_CAP_SYS_ADMIN), "caps.cleared", NULL);
	tap_eq(kf_os_cgroup_can_fork(me, 3), -KF_EOPNOTSUPP, "cgroup.off");
	kf_host_cgroup_enable(3, 0);
	tap_eq(kf_os_cgroup_can_fork(me, 3), 0, "cgroup.fake_fd");
	tap_eq(kf_os_cgroup_can_fork(me, 4), -KF_EBADF, "cgroup.other_fd");
	kf_host_cgroup_enable(-1, 0);
}

static int init_body(void *arg)
{
	(void)arg;
	tap_eq(kf_getpid(), 1, "init.is_pid_1");
	test_order();
	test_exit_codes();
	test_wait_wake();
	test_signals();
	test_parked();
	test_vfork();
	test_mutex();
	test_thread();
	test_cow();
	test_futex();
	test_caps();
	/* leave a parked child and a zombie behind: shutdown must clean up */
	kf_host_set_child_entry(NULL, NULL);
	kf_fork();
	spawn(child_mark, "z");
	kf_host_yield();
	return 0;
}

int main(void)
{
	long objs = kf_host_live_objects(), pages = kf_host_live_pages();
	int status = kf_host_run_as_init(init_body, NULL);

	tap_eq(status, 0, "init.exit_status");
	tap_eq(kf_host_tasks(), 1, "host.only_boot_task_left");
	tap_eq(kf_host_leaked_objects(), 0, "host.no_object_leak");
	tap_eq(kf_host_leaked_pages(), 0, "host.no_page_leak");
	if (kf_host_leaked_objects() || kf_host_leaked_pages())
		kf_host_dump_leaks();
	tap_diag("before boot: %ld objects, %ld pages", objs, pages);
	return tap_done();
}
