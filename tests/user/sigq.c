/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/sigq.c - the signal calls beyond kill: rt_sigqueueinfo and
 * rt_tgsigqueueinfo (the si_code rule, the siginfo that arrives, the
 * order of their errors), queued real-time signals against merged
 * standard ones, RLIMIT_SIGPENDING, rt_sigtimedwait (timeouts, EINTR,
 * EAGAIN, a lost siginfo), rt_sigsuspend, and sigaltstack: its flags and
 * errors, SA_ONSTACK handlers on the alternate stack, SS_AUTODISARM, and
 * what threads, fork and exec inherit.  Raw syscalls where libc would
 * hide what the kernel does (musl retries sigtimedwait on EINTR).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define SIGRT 40	/* a real-time signal libc leaves alone */

static const char *self;

static long qinfo(pid_t pid, int sig, siginfo_t *si)
{
	return syscall(SYS_rt_sigqueueinfo, pid, sig, si);
}

static long tgqinfo(pid_t tgid, pid_t tid, int sig, siginfo_t *si)
{
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, si);
}

static long twait(const uint64_t *set, siginfo_t *si, const struct timespec *ts)
{
	return syscall(SYS_rt_sigtimedwait, set, si, ts, 8);
}

static uint64_t bit(int sig)
{
	return 1ull << (sig - 1);
}

static void block(uint64_t set)
{
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
}

static void unblock(uint64_t set)
{
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
}

static siginfo_t queued(int code, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = code;
	si.si_value.sival_int = value;
	return si;
}

static const struct timespec zero;

/* ---- queueing --------------------------------------------------------------------- */

/* Real-time signals queue in order, each with its value; a second standard
 * signal is dropped (the first one's value stays). */
static void test_queueing(void)
{
	uint64_t set = bit(SIGRT) | bit(SIGUSR1);
	siginfo_t si;
	int i, ok = 1;

	block(set);
	for (i = 0; i < 3; i++) {
		si = queued(SI_QUEUE, 10 + i);
		ok &= qinfo(getpid(), SIGRT, &si) == 0;
		si = queued(SI_QUEUE, 20 + i);
		ok &= qinfo(getpid(), SIGUSR1, &si) == 0;
	}
	utap_ok(ok, "user.sigq.queue_ok");
	/* the lowest signal first: SIGUSR1, once, with the first value */
	memset(&si, 0, sizeof(si));
	utap_eq(twait(&set, &si, &zero), SIGUSR1, "user.sigq.standard_first");
	utap_ok(si.si_code == SI_QUEUE && si.si_value.sival_int == 20,
		"user.sigq.standard_keeps_first_value");
	for (i = 0; i < 3; i++) {
		memset(&si, 0, sizeof(si));
		ok = twait(&set, &si, &zero) == SIGRT &&
		     si.si_value.sival_int == 10 + i && si.si_signo == SIGRT;
		utap_ok(ok, "user.sigq.rt_queued_in_order");
	}
	utap_errno(twait(&set, &si, &zero), EAGAIN, "user.sigq.queue_empty");
	unblock(set);
}

/* The union arrives as the sender wrote it, si_signo is the signal sent,
 * si_errno is kept; a layout Linux does not know must end in zeros. */
static void test_siginfo_fields(void)
{
	uint64_t set = bit(SIGRT);
	unsigned char raw[128];
	siginfo_t si;
	int32_t *w = (int32_t *)raw;

	block(set);
	memset(raw, 0, sizeof(raw));
	w[0] = 99;		/* replaced by the signal number */
	w[1] = 7;		/* si_errno */
	w[2] = SI_QUEUE;
	w[4] = 1234;		/* si_pid, as the sender claims it */
	w[5] = 4321;		/* si_uid */
	w[6] = 55;		/* si_value */
	utap_eq(qinfo(getpid(), SIGRT, (siginfo_t *)raw), 0, "user.sigq.raw_queue");
	memset(&si, 0xff, sizeof(si));
	utap_eq(twait(&set, &si, &zero), SIGRT, "user.sigq.raw_taken");
	utap_ok(si.si_signo == SIGRT && si.si_errno == 7 && si.si_code == SI_QUEUE &&
		si.si_pid == 1234 && si.si_uid == 4321 &&
		si.si_value.sival_int == 55, "user.sigq.raw_fields_kept");
	utap_eq(((unsigned char *)&si)[127], 0, "user.sigq.tail_zeroed");

	memset(raw, 0, sizeof(raw));
	w[2] = -50;		/* a code Linux has no layout for */
	raw[100] = 1;
	utap_errno(qinfo(getpid(), SIGRT, (siginfo_t *)raw), E2BIG,
		   "user.sigq.unknown_layout_e2big");
	raw[100] = 0;
	utap_eq(qinfo(getpid(), SIGRT, (siginfo_t *)raw), 0,
		"user.sigq.unknown_layout_zero_tail_ok");
	utap_eq(twait(&set, &si, &zero), SIGRT, "user.sigq.unknown_layout_taken");
	utap_eq(si.si_code, -50, "user.sigq.unknown_layout_code");
	unblock(set);
}

/* The errors, in Linux's order. */
static void test_errors(void)
{
	siginfo_t si = queued(SI_QUEUE, 0);
	pid_t child;

	child = ufork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	utap_errno(qinfo(getpid(), SIGRT, (siginfo_t *)8), EFAULT, "user.sigq.efault");
	utap_errno(qinfo(999999, SIGRT, (siginfo_t *)8), EFAULT,
		   "user.sigq.efault_before_esrch");
	/* only a process signalling itself may claim a kernel or kill code */
	si.si_code = SI_USER;
	utap_errno(qinfo(child, SIGRT, &si), EPERM, "user.sigq.si_user_eperm");
	si.si_code = SI_TKILL;
	utap_errno(qinfo(child, SIGRT, &si), EPERM, "user.sigq.si_tkill_eperm");
	si.si_code = 5;
	utap_errno(qinfo(999999, SIGRT, &si), EPERM, "user.sigq.eperm_before_esrch");
	si.si_code = SI_QUEUE;
	utap_errno(qinfo(999999, SIGRT, &si), ESRCH, "user.sigq.esrch");
	utap_errno(qinfo(999999, 65, &si), ESRCH, "user.sigq.esrch_before_einval");
	utap_errno(qinfo(child, 65, &si), EINVAL, "user.sigq.bad_signal_einval");
	utap_errno(qinfo(0, SIGRT, &si), ESRCH, "user.sigq.pid0_esrch");
	utap_errno(qinfo(-1, SIGRT, &si), ESRCH, "user.sigq.pid_minus1_esrch");
	utap_eq(qinfo(child, 0, &si), 0, "user.sigq.signal0_probe");
	/* to itself, any code */
	si.si_code = SI_USER;
	block(bit(SIGRT));
	utap_eq(qinfo(getpid(), SIGRT, &si), 0, "user.sigq.si_user_to_self");
	utap_eq(twait((uint64_t[]){ bit(SIGRT) }, NULL, &zero), SIGRT,
		"user.sigq.si_user_to_self_arrives");
	unblock(bit(SIGRT));
	/* rt_tgsigqueueinfo */
	si.si_code = SI_QUEUE;
	utap_errno(tgqinfo(getpid(), 0, SIGRT, &si), EINVAL, "user.sigq.tg_tid0_einval");
	utap_errno(tgqinfo(0, getpid(), SIGRT, &si), EINVAL, "user.sigq.tg_tgid0_einval");
	utap_errno(tgqinfo(getpid(), 0, SIGRT, (siginfo_t *)8), EFAULT,
		   "user.sigq.tg_efault_first");
	utap_errno(tgqinfo(getpid(), child, SIGRT, &si), ESRCH,
		   "user.sigq.tg_wrong_group_esrch");
	utap_eq(tgqinfo(child, child, 0, &si), 0, "user.sigq.tg_probe");
	si.si_code = SI_USER;
	utap_errno(tgqinfo(child, child, SIGRT, &si), EPERM, "user.sigq.tg_si_user_eperm");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static volatile int got_value, got_tid;

static void rt_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_value = si->si_value.sival_int;
	got_tid = (int)syscall(SYS_gettid);
}

static volatile int thread_tid, thread_stop;

static void *waiter(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

/* rt_tgsigqueueinfo reaches the one thread named, whose handler runs. */
static void test_thread_target(void)
{
	struct sigaction sa;
	siginfo_t si = queued(SI_QUEUE, 77);
	pthread_t th;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = rt_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRT, &sa, NULL);
	block(bit(SIGRT));	/* the thread inherits it blocked... */
	thread_stop = 0;
	thread_tid = 0;
	got_value = 0;
	pthread_create(&th, NULL, waiter, NULL);
	unblock(bit(SIGRT));	/* ...and main takes it unblocked */
	while (!thread_tid)
		usleep(1000);
	block(bit(SIGRT));
	/* so only the thread's own, later unblocking, can take it */
	utap_eq(tgqinfo(getpid(), thread_tid, SIGRT, &si), 0, "user.sigq.tg_send");
	usleep(20000);
	utap_eq(got_value, 0, "user.sigq.tg_waits_for_thread");
	thread_stop = 1;
	pthread_join(th, NULL);
	/* the thread ended with it pending: it is gone with the thread */
	utap_errno(twait((uint64_t[]){ bit(SIGRT) }, NULL, &zero), EAGAIN,
		   "user.sigq.tg_private_to_thread");
	/* to the process: the one thread that does not block it */
	thread_stop = 0;
	thread_tid = 0;
	pthread_create(&th, NULL, waiter, NULL);
	while (!thread_tid)
		usleep(1000);
	unblock(bit(SIGRT));
	si = queued(SI_QUEUE, 88);
	utap_eq(qinfo(thread_tid, SIGRT, &si), 0, "user.sigq.queue_by_thread_id");
	for (i = 0; i < 100 && got_value != 88; i++)
		usleep(1000);
	utap_eq(got_value, 88, "user.sigq.process_directed_handled");
	thread_stop = 1;
	pthread_join(th, NULL);
	signal(SIGRT, SIG_DFL);
}

/* RLIMIT_SIGPENDING: the receiver's user may have so many queued; past
 * that rt_sigqueueinfo fails with EAGAIN, and kill's signal arrives
 * without its siginfo (as from nobody) -- or merges into the one already
 * pending. */
static void test_sigpending_limit(void)
{
	pid_t pid = ufork();

	if (pid == 0) {
		struct rlimit rl = { 4, 4 };
		siginfo_t si = queued(SI_QUEUE, 1);
		int i;

		block(bit(SIGRT) | bit(SIGRT + 1));
		if (setrlimit(RLIMIT_SIGPENDING, &rl) ||
		    syscall(SYS_setresuid, 34567, 34567, 34567))
			_exit(1);
		for (i = 0; i < 4; i++)
			if (qinfo(getpid(), SIGRT, &si))
				_exit(2);
		if (qinfo(getpid(), SIGRT, &si) != -1 || errno != EAGAIN)
			_exit(3);
		if (kill(getpid(), SIGRT + 1) || kill(getpid(), SIGRT))
			_exit(4);
		memset(&si, 0xff, sizeof(si));
		if (twait((uint64_t[]){ bit(SIGRT + 1) }, &si, &zero) != SIGRT + 1 ||
		    si.si_code != SI_USER || si.si_pid != 0)
			_exit(5);
		for (i = 0; i < 4; i++)
			if (twait((uint64_t[]){ bit(SIGRT) }, &si, &zero) != SIGRT ||
			    si.si_code != SI_QUEUE)
				_exit(6 + i);
		_exit(twait((uint64_t[]){ bit(SIGRT) }, &si, &zero) == -1 &&
		      errno == EAGAIN ? 0 : 11);
	}
	utap_eq(wait_status(pid), 0, "user.sigq.sigpending_limit");
}

/* ---- rt_sigtimedwait ------------------------------------------------------------------ */

static void on_usr2(int sig)
{
	(void)sig;
}

static void test_timedwait(void)
{
	uint64_t set = bit(SIGUSR1);
	struct timespec ts = { 0, 30 * 1000000 }, bad = { 0, 1000000000 };
	struct timespec t0, t1;
	siginfo_t si;
	pid_t pid;
	long r;

	utap_errno(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4), EINVAL,
		   "user.sigq.tw_size_einval");
	utap_errno(twait((uint64_t *)8, NULL, &bad), EFAULT, "user.sigq.tw_set_efault_first");
	utap_errno(twait(&set, NULL, (struct timespec *)8), EFAULT,
		   "user.sigq.tw_timeout_efault");
	utap_errno(twait(&set, NULL, &bad), EINVAL, "user.sigq.tw_bad_timeout_einval");
	utap_errno(twait(&set, NULL, &zero), EAGAIN, "user.sigq.tw_zero_timeout");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	utap_errno(twait(&set, NULL, &ts), EAGAIN, "user.sigq.tw_timeout");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	utap_ok((t1.tv_sec - t0.tv_sec) * 1000000000ll + t1.tv_nsec - t0.tv_nsec >=
		29 * 1000000, "user.sigq.tw_slept");

	/* a pending signal is taken whether blocked or not (not blocked and
	 * SIG_IGN it would be gone: SIGUSR1's default is to terminate) */
	block(set);
	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	utap_eq(twait(&set, &si, NULL), SIGUSR1, "user.sigq.tw_pending");
	utap_ok(si.si_code == SI_USER && si.si_pid == getpid() &&
		si.si_uid == getuid(), "user.sigq.tw_kill_info");

	/* it arrives while waiting, from another process */
	pid = ufork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	memset(&si, 0, sizeof(si));
	r = twait(&set, &si, NULL);
	utap_eq(r, SIGUSR1, "user.sigq.tw_wakes");
	utap_eq(si.si_pid, pid, "user.sigq.tw_sender");
	waitpid(pid, NULL, 0);

	/* another signal with a handler ends the wait: EINTR */
	signal(SIGUSR2, on_usr2);
	pid = ufork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	utap_errno(twait(&set, NULL, NULL), EINTR, "user.sigq.tw_eintr");
	waitpid(pid, NULL, 0);
	signal(SIGUSR2, SIG_DFL);

	/* the signal is taken before the siginfo is stored: a bad pointer
	 * loses it */
	kill(getpid(), SIGUSR1);
	utap_errno(twait(&set, (siginfo_t *)8, NULL), EFAULT, "user.sigq.tw_info_efault");
	utap_errno(twait(&set, NULL, &zero), EAGAIN, "user.sigq.tw_efault_consumed");

	/* SIGCHLD blocked and at its default (ignore) is still waited for */
	block(bit(SIGCHLD));
	pid = ufork();
	if (pid == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	r = twait((uint64_t[]){ bit(SIGCHLD) }, &si, NULL);
	utap_ok(r == SIGCHLD && si.si_pid == pid && si.si_code == CLD_EXITED &&
		si.si_status == 3, "user.sigq.tw_sigchld");
	waitpid(pid, NULL, 0);
	unblock(bit(SIGCHLD) | set);
}

/* ---- rt_sigsuspend -------------------------------------------------------------------- */

static volatile int suspend_mask_ok;

static void on_usr1(int sig)
{
	uint64_t cur;

	(void)sig;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8);
	/* the handler runs with the suspend mask plus its own signal */
	suspend_mask_ok = (cur & bit(SIGUSR2)) && (cur & bit(SIGUSR1));
}

static void test_sigsuspend(void)
{
	uint64_t mask = bit(SIGUSR2), cur;
	pid_t pid;

	signal(SIGUSR1, on_usr1);
	block(bit(SIGUSR1));
	utap_errno(syscall(SYS_rt_sigsuspend, &mask, 4), EINVAL, "user.sigq.suspend_size");
	utap_errno(syscall(SYS_rt_sigsuspend, (void *)8, 8), EFAULT,
		   "user.sigq.suspend_efault");
	pid = ufork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	utap_errno(syscall(SYS_rt_sigsuspend, &mask, 8), EINTR, "user.sigq.suspend_eintr");
	utap_ok(suspend_mask_ok, "user.sigq.suspend_handler_mask");
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8);
	utap_ok((cur & bit(SIGUSR1)) && !(cur & bit(SIGUSR2)),
		"user.sigq.suspend_mask_restored");
	waitpid(pid, NULL, 0);
	unblock(bit(SIGUSR1));
	signal(SIGUSR1, SIG_DFL);
}

/* ---- sigaltstack --------------------------------------------------------------------------- */

#define ALT_SIZE (64 * 1024)
static char *alt;
static volatile uintptr_t handler_sp;
static volatile int handler_flags, handler_eperm;

static void on_alt(int sig)
{
	stack_t ss, cur;
	char here;

	(void)sig;
	handler_sp = (uintptr_t)&here;
	sigaltstack(NULL, &cur);
	handler_flags = cur.ss_flags;
	/* no change while running on it */
	memset(&ss, 0, sizeof(ss));
	ss.ss_flags = SS_DISABLE;
	handler_eperm = sigaltstack(&ss, NULL) == -1 && errno == EPERM;
}

static int on_alt_stack(uintptr_t sp)
{
	return sp > (uintptr_t)alt && sp <= (uintptr_t)alt + ALT_SIZE;
}

static void set_alt(int flags)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = flags };

	sigaltstack(&ss, NULL);
}

/* alt_call - the kernel's sigaltstack: libc checks flags and sizes of
 * its own first (musl refuses SS_ONSTACK, and small stacks before bad
 * flags). */
static long alt_call(const stack_t *ss, stack_t *old)
{
	return syscall(SYS_sigaltstack, ss, old);
}

static void test_altstack_calls(void)
{
	stack_t ss, old;

	memset(&old, 0x55, sizeof(old));
	utap_eq(alt_call(NULL, &old), 0, "user.sigq.alt_query");
	utap_ok(old.ss_flags == SS_DISABLE && old.ss_size == 0 && old.ss_sp == NULL,
		"user.sigq.alt_none_at_start");
	ss.ss_sp = alt;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	utap_errno(alt_call(&ss, NULL), ENOMEM, "user.sigq.alt_too_small");
	ss.ss_flags = 4;
	utap_errno(alt_call(&ss, NULL), EINVAL, "user.sigq.alt_bad_flags_before_size");
	ss.ss_flags = SS_DISABLE;
	utap_eq(alt_call(&ss, NULL), 0, "user.sigq.alt_disable_any_size");
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = SS_ONSTACK;	/* accepted as 0, for old programs */
	utap_eq(alt_call(&ss, NULL), 0, "user.sigq.alt_set");
	alt_call(NULL, &old);
	utap_ok(old.ss_sp == alt && old.ss_size == ALT_SIZE && old.ss_flags == 0,
		"user.sigq.alt_reads_back");
	/* the change is made before the old state is stored */
	ss.ss_size = ALT_SIZE / 2;
	ss.ss_flags = 0;
	utap_errno(syscall(SYS_sigaltstack, &ss, (void *)8), EFAULT,
		   "user.sigq.alt_old_efault");
	alt_call(NULL, &old);
	utap_eq(old.ss_size, ALT_SIZE / 2, "user.sigq.alt_changed_despite_efault");
	utap_errno(syscall(SYS_sigaltstack, (void *)8, NULL), EFAULT,
		   "user.sigq.alt_new_efault");
	ss.ss_flags = SS_DISABLE | SS_AUTODISARM;
	alt_call(&ss, NULL);
	alt_call(NULL, &old);
	utap_ok(old.ss_flags == (int)(SS_DISABLE | SS_AUTODISARM) && old.ss_size == 0,
		"user.sigq.alt_disable_keeps_flags");
}

static void test_altstack_handler(void)
{
	struct sigaction sa;
	stack_t old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	set_alt(0);
	handler_sp = 0;
	raise(SIGUSR1);
	utap_ok(on_alt_stack(handler_sp), "user.sigq.alt_handler_on_stack");
	utap_eq(handler_flags, SS_ONSTACK, "user.sigq.alt_onstack_flag");
	utap_ok(handler_eperm, "user.sigq.alt_change_on_stack_eperm");
	sigaltstack(NULL, &old);
	utap_eq(old.ss_flags, 0, "user.sigq.alt_not_on_it_after");

	/* without SA_ONSTACK the handler stays on the normal stack */
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	utap_ok(!on_alt_stack(handler_sp), "user.sigq.alt_only_with_sa_onstack");

	/* SS_AUTODISARM: disarmed while the handler runs (so it may set
	 * another), back after it returns */
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	set_alt(SS_AUTODISARM);
	raise(SIGUSR1);
	utap_ok(on_alt_stack(handler_sp), "user.sigq.autodisarm_on_stack");
	utap_eq(handler_flags, SS_DISABLE, "user.sigq.autodisarm_disarmed_in_handler");
	utap_ok(!handler_eperm, "user.sigq.autodisarm_change_allowed");
	sigaltstack(NULL, &old);
	utap_ok(old.ss_flags == (int)SS_AUTODISARM && old.ss_size == ALT_SIZE,
		"user.sigq.autodisarm_restored");
	signal(SIGUSR1, SIG_DFL);
}

static volatile int thread_alt_flags;

static void *alt_thread(void *arg)
{
	stack_t old;

	(void)arg;
	sigaltstack(NULL, &old);
	thread_alt_flags = old.ss_flags;
	return NULL;
}

/* A thread starts without one; a forked child keeps it; exec drops it. */
static void test_altstack_inherit(void)
{
	char *argv[] = { (char *)self, "alt-after-exec", NULL };
	pthread_t th;
	pid_t pid;

	set_alt(0);
	pthread_create(&th, NULL, alt_thread, NULL);
	pthread_join(th, NULL);
	utap_eq(thread_alt_flags, SS_DISABLE, "user.sigq.alt_thread_none");
	pid = ufork();
	if (pid == 0) {
		stack_t old;

		sigaltstack(NULL, &old);
		_exit(old.ss_sp == alt && old.ss_size == ALT_SIZE ? 0 : 1);
	}
	utap_eq(wait_status(pid), 0, "user.sigq.alt_fork_keeps");
	pid = ufork();
	if (pid == 0) {
		execve(self, argv, NULL);
		_exit(9);
	}
	utap_eq(wait_status(pid), 0, "user.sigq.alt_exec_drops");
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "alt-after-exec")) {
		stack_t old;

		sigaltstack(NULL, &old);
		return old.ss_size == 0 && (old.ss_flags & SS_DISABLE) ? 0 : 1;
	}
	alt = malloc(ALT_SIZE);
	test_queueing();
	test_siginfo_fields();
	test_errors();
	test_thread_target();
	test_sigpending_limit();
	test_timedwait();
	test_sigsuspend();
	test_altstack_calls();
	test_altstack_handler();
	test_altstack_inherit();
	return utap_done();
}
