/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/jobctl.c - job control as Linux does it: a stop signal stops
 * every thread of a process and SIGCONT runs them again; the parent hears
 * once (SIGCHLD with CLD_STOPPED/CLD_CONTINUED, unless SA_NOCLDSTOP) and
 * wait reports each state once (WNOWAIT leaves it; one report slot);
 * what SIGCONT and stop signals discard; process groups and sessions
 * (setpgid, setsid, getpgid, getsid); kill to a pid, 0, -pgid and -1 (in
 * a pid namespace) with its permission rules; orphaned process groups.
 *
 * The program forks a "shell": a session leader and child subreaper that
 * runs every check, so that the jobs it starts, each in a process group
 * of its own, are not orphaned -- whatever started the program (a test
 * runner, or nothing: on the mini-kernel it is /init).  Children report
 * through one shared page; spinning jobs count in it, so "stopped" means
 * their counters stand still.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define ST_STOPPED(sig) (((sig) << 8) | 0x7f)
#define ST_CONTINUED 0xffff
#define UID_OTHER 12345
#define NTHREADS 4
#define SIGBIT(s) (1ull << ((s) - 1))

/* what children and the shell share (MAP_SHARED, before every fork) */
struct shared {
	volatile long ctr[NTHREADS];	/* a spinning job's threads count */
	volatile int tid[NTHREADS];	/* their thread ids */
	volatile int cmd, done;		/* a request to the job, and its reply */
	volatile uint64_t pending;	/* the job's sigpending() */
	volatile int pid[4], st[4];	/* what a child reports */
	volatile int go;		/* the shell's word to a child */
	volatile int handled;		/* handler runs */
	volatile int nlog;
	char log[64];			/* handler runs, in order */
};

enum { CMD_NONE, CMD_PENDING, CMD_UNBLOCK };

static struct shared *sh;
static char *self_path;

/* the shell's SIGCHLD log */
static volatile int chld_n, chld_codes[64], chld_status, chld_pid;

/* ---- helpers -------------------------------------------------------------------- */

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void logc(char c)
{
	int i = __atomic_fetch_add(&sh->nlog, 1, __ATOMIC_RELAXED);

	if (i < (int)sizeof(sh->log) - 1)
		sh->log[i] = c;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_codes[chld_n % 64] = si->si_code;
	chld_status = si->si_status;
	chld_pid = si->si_pid;
	chld_n++;
}

static void set_chld(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
	sigaction(SIGCHLD, &sa, NULL);
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void on_log(int sig)
{
	logc(sig == SIGCONT ? 'C' : sig == SIGHUP ? 'H' :
	     sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : '?');
	sh->handled++;
}

/* poll_ms - until *@v is @want (or differs from @want if @ne), at most
 * @ms milliseconds */
static int poll_eq(volatile int *v, int want, long ms)
{
	for (long i = 0; i < ms && *v != want; i++)
		nap_ms(1);
	return *v == want;
}

/* wait_for - waitpid(@pid, @opts) through EINTR: the status, or -1 */
static int wait_for(pid_t pid, int opts)
{
	int st = -1;
	pid_t r;

	do
		r = waitpid(pid, &st, opts);
	while (r < 0 && errno == EINTR);
	return r == pid ? st : r == 0 ? 0 : -1;
}

/* spin - a job's body: its threads count, each in sh->ctr[i], and it
 * answers the shell's requests (sigpending, unblock) */
static void *spin_thread(void *arg)
{
	int i = (int)(intptr_t)arg;

	sh->tid[i] = (int)syscall(SYS_gettid);
	for (;;) {
		sh->ctr[i]++;
		sched_yield();
	}
	return NULL;
}

static void serve(void)
{
	sigset_t set;

	if (sh->cmd == CMD_PENDING) {
		uint64_t m = 0;

		sigpending(&set);
		for (int s = 1; s < 64; s++)
			if (sigismember(&set, s))
				m |= SIGBIT(s);
		sh->pending = m;
		sh->cmd = CMD_NONE;
		sh->done++;
	} else if (sh->cmd == CMD_UNBLOCK) {
		sigemptyset(&set);
		sh->cmd = CMD_NONE;
		sh->done++;
		sigprocmask(SIG_SETMASK, &set, NULL);
	}
}

static void __attribute__((noreturn)) spin(int nthreads)
{
	pthread_t t;

	sh->tid[0] = (int)syscall(SYS_gettid);
	for (int i = 1; i < nthreads; i++)
		pthread_create(&t, NULL, spin_thread, (void *)(intptr_t)i);
	for (;;) {
		sh->ctr[0]++;
		serve();
		sched_yield();
	}
}

/* job - fork a spinning job into a process group of its own, as a shell
 * does (both sides call setpgid); @prep runs in it first */
static pid_t job(int nthreads, void (*prep)(void))
{
	pid_t p;

	memset((void *)sh, 0, sizeof(*sh));
	p = ufork();
	if (p == 0) {
		setpgid(0, 0);
		if (prep)
			prep();
		spin(nthreads);
	}
	setpgid(p, p);
	for (int i = 0; i < 2000 && (!sh->tid[nthreads - 1] || !sh->ctr[0]); i++)
		nap_ms(1);
	return p;
}

/* advancing - do the first @n counters all move within @ms? */
static int advancing(int n, long ms)
{
	long before[NTHREADS];
	int moved = 0;

	for (int i = 0; i < n; i++)
		before[i] = sh->ctr[i];
	for (long t = 0; t < ms && moved != n; t += 2) {
		nap_ms(2);
		moved = 0;
		for (int i = 0; i < n; i++)
			moved += sh->ctr[i] != before[i];
	}
	return moved == n;
}

/* still - does no counter move for 60 ms? */
static int still(int n)
{
	long before[NTHREADS];

	for (int i = 0; i < n; i++)
		before[i] = sh->ctr[i];
	nap_ms(60);
	for (int i = 0; i < n; i++)
		if (sh->ctr[i] != before[i])
			return 0;
	return 1;
}

/* ask - a request to the spinning job; its answer */
static int ask(int cmd)
{
	int done = sh->done;

	sh->cmd = cmd;
	return poll_eq(&sh->done, done + 1, 3000);
}

static uint64_t job_pending(void)
{
	return ask(CMD_PENDING) ? sh->pending : ~0ull;
}

static void reap(pid_t p)
{
	kill(p, SIGKILL);
	wait_for(p, 0);
}

/* ---- group stop and continue -------------------------------------------------------- */

static void test_group_stop(void)
{
	int n0, st;
	pid_t p = job(NTHREADS, NULL);

	utap_ok(advancing(NTHREADS, 3000), "user.jobctl.stop.threads_run");
	n0 = chld_n;
	kill(p, SIGSTOP);
	utap_eq(wait_for(p, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.stop.wuntraced_137f");
	utap_ok(still(NTHREADS), "user.jobctl.stop.every_thread_stopped");
	nap_ms(30);
	utap_eq(chld_n - n0, 1, "user.jobctl.stop.one_sigchld");
	utap_eq(chld_codes[n0 % 64], CLD_STOPPED, "user.jobctl.stop.cld_stopped");
	utap_eq(chld_status, SIGSTOP, "user.jobctl.stop.si_status");
	utap_eq(chld_pid, p, "user.jobctl.stop.si_pid");
	utap_eq(wait_for(p, WUNTRACED | WNOHANG), 0, "user.jobctl.stop.reported_once");

	n0 = chld_n;
	kill(p, SIGCONT);
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.cont.wcontinued_ffff");
	utap_ok(advancing(NTHREADS, 3000), "user.jobctl.cont.every_thread_runs");
	nap_ms(30);
	utap_eq(chld_n - n0, 1, "user.jobctl.cont.one_sigchld");
	utap_eq(chld_codes[n0 % 64], CLD_CONTINUED, "user.jobctl.cont.cld_continued");
	utap_eq(chld_status, SIGCONT, "user.jobctl.cont.si_status");
	utap_eq(wait_for(p, WCONTINUED | WNOHANG), 0, "user.jobctl.cont.reported_once");

	for (int sig = SIGTSTP; sig <= SIGTTOU; sig++) {
		kill(p, sig);
		st = wait_for(p, WUNTRACED);
		kill(p, SIGCONT);
		wait_for(p, WCONTINUED);
		utap_eq(st, ST_STOPPED(sig), sig == SIGTSTP ? "user.jobctl.stop.tstp" :
			sig == SIGTTIN ? "user.jobctl.stop.ttin" : "user.jobctl.stop.ttou");
	}

	/* tgkill of one non-leader thread stops and continues them all */
	syscall(SYS_tgkill, p, sh->tid[2], SIGSTOP);
	utap_eq(wait_for(p, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.stop.tgkill_thread");
	utap_ok(still(NTHREADS), "user.jobctl.stop.tgkill_stops_all");
	utap_eq(chld_pid, p, "user.jobctl.stop.tgkill_si_pid_is_tgid");
	syscall(SYS_tgkill, p, sh->tid[1], SIGCONT);
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.cont.tgkill_thread");
	utap_ok(advancing(NTHREADS, 3000), "user.jobctl.cont.tgkill_runs_all");

	/* SIGKILL ends a stopped job without a SIGCONT */
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	kill(p, SIGKILL);
	utap_eq(wait_for(p, 0), SIGKILL, "user.jobctl.kill_stopped");
}

/* a sleep that is stopped: the time stopped counts towards it (Linux
 * resumes it with its restart block, it does not start over) */
static void test_stopped_sleep(void)
{
	struct timespec t0, t1, req = { 0, 400000000 };
	long ms;
	pid_t p;

	memset((void *)sh, 0, sizeof(*sh));
	p = ufork();
	if (p == 0) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		sh->st[0] = nanosleep(&req, NULL) ? -errno : 0;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sh->st[1] = (int)((t1.tv_sec - t0.tv_sec) * 1000 +
				  (t1.tv_nsec - t0.tv_nsec) / 1000000);
		_exit(0);
	}
	nap_ms(100);
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	nap_ms(500);
	kill(p, SIGCONT);
	utap_eq(wait_for(p, 0), 0, "user.jobctl.sleep.child_exits");
	ms = sh->st[1];
	utap_eq(sh->st[0], 0, "user.jobctl.sleep.no_eintr");
	utap_ok(ms >= 400 && ms < 850, "user.jobctl.sleep.stopped_time_counts");
	if (ms < 400 || ms >= 850)
		printf("# slept %ld ms (400 asked, stopped 500 of them)\n", ms);
}

/* ---- wait: WNOWAIT and the one report slot ------------------------------------------- */

static void test_wait(void)
{
	siginfo_t si;
	pid_t p = job(1, NULL);
	int ok;

	kill(p, SIGSTOP);
	for (int i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		ok = waitid(P_PID, p, &si, WSTOPPED | WNOWAIT) == 0;
		utap_ok(ok && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP &&
			si.si_pid == p, "user.jobctl.wnowait.stopped_twice");
	}
	utap_eq(wait_for(p, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.wnowait.then_waitpid");
	memset(&si, 0x55, sizeof(si));
	ok = waitid(P_PID, p, &si, WSTOPPED | WNOHANG) == 0;
	utap_ok(ok && si.si_pid == 0, "user.jobctl.wnowait.consumed");
	memset(&si, 0x55, sizeof(si));
	ok = waitid(P_PID, p, &si, WEXITED | WNOHANG) == 0;
	utap_ok(ok && si.si_pid == 0, "user.jobctl.waitid.wexited_not_a_stop");
	utap_errno(waitid(P_PID, p, &si, WNOHANG), EINVAL, "user.jobctl.waitid.einval_no_event");

	kill(p, SIGCONT);
	nap_ms(20);
	for (int i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		ok = waitid(P_PID, p, &si, WCONTINUED | WNOWAIT) == 0;
		utap_ok(ok && si.si_code == CLD_CONTINUED && si.si_status == SIGCONT &&
			si.si_pid == p, "user.jobctl.wnowait.continued_twice");
	}
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.wnowait.then_waitpid_cont");
	utap_eq(wait_for(p, WCONTINUED | WNOHANG), 0, "user.jobctl.wnowait.cont_consumed");

	/* one slot: stop, continue, then wait: only "continued" */
	kill(p, SIGSTOP);
	waitid(P_PID, p, &si, WSTOPPED | WNOWAIT);
	kill(p, SIGCONT);
	nap_ms(20);
	utap_eq(wait_for(p, WUNTRACED | WCONTINUED | WNOHANG), ST_CONTINUED,
		"user.jobctl.slot.stop_then_cont");
	utap_eq(wait_for(p, WUNTRACED | WCONTINUED | WNOHANG), 0,
		"user.jobctl.slot.stop_report_lost");
	/* continue, stop again, then wait: only "stopped" */
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	kill(p, SIGCONT);
	nap_ms(20);
	kill(p, SIGSTOP);
	waitid(P_PID, p, &si, WSTOPPED | WNOWAIT);
	utap_eq(wait_for(p, WUNTRACED | WCONTINUED | WNOHANG), ST_STOPPED(SIGSTOP),
		"user.jobctl.slot.cont_then_stop");
	utap_eq(wait_for(p, WUNTRACED | WCONTINUED | WNOHANG), 0,
		"user.jobctl.slot.cont_report_lost");
	reap(p);

	/* the only child a zombie: WSTOPPED finds nothing it could wait for */
	p = ufork();
	if (p == 0)
		_exit(3);
	for (int i = 0; i < 2000; i++) {
		memset(&si, 0, sizeof(si));
		if (!waitid(P_PID, p, &si, WEXITED | WNOWAIT | WNOHANG) && si.si_pid)
			break;
		nap_ms(1);
	}
	utap_errno(waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG), ECHILD,
		   "user.jobctl.zombie.wstopped_echild");
	utap_errno(waitid(P_PID, p, &si, WSTOPPED | WCONTINUED), ECHILD,
		   "user.jobctl.zombie.wstopped_blocking_echild");
	utap_eq(wait_for(p, 0), 3 << 8, "user.jobctl.zombie.reaped");
}

/* ---- SA_NOCLDSTOP, SIG_IGN, no-ops ---------------------------------------------------- */

static void test_nocldstop(void)
{
	int n0;
	pid_t p = job(1, NULL);

	set_chld(SA_NOCLDSTOP);
	n0 = chld_n;
	kill(p, SIGSTOP);
	utap_eq(wait_for(p, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.nocldstop.stop_reported");
	kill(p, SIGCONT);
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.nocldstop.cont_reported");
	nap_ms(30);
	utap_eq(chld_n - n0, 0, "user.jobctl.nocldstop.no_sigchld");
	kill(p, SIGKILL);
	wait_for(p, 0);
	nap_ms(10);
	utap_ok(chld_n - n0 == 1 && chld_codes[n0 % 64] == CLD_KILLED,
		"user.jobctl.nocldstop.exit_still_signals");
	set_chld(0);

	/* SIGCHLD ignored: stops still reported, exits reap themselves */
	signal(SIGCHLD, SIG_IGN);
	p = job(1, NULL);
	kill(p, SIGSTOP);
	utap_eq(wait_for(p, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.sigign.stop_reported");
	kill(p, SIGKILL);
	errno = 0;
	utap_ok(waitpid(p, NULL, 0) == -1 && errno == ECHILD, "user.jobctl.sigign.autoreaped");
	set_chld(0);

	/* SIGCONT to a running job: nothing to tell; a stop signal to a
	 * stopped one: nothing new, and the next SIGCONT discards it */
	p = job(1, NULL);
	n0 = chld_n;
	kill(p, SIGCONT);
	nap_ms(30);
	utap_eq(chld_n - n0, 0, "user.jobctl.noop.cont_running_no_sigchld");
	utap_eq(wait_for(p, WCONTINUED | WNOHANG), 0, "user.jobctl.noop.cont_running_no_report");
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	nap_ms(10);
	n0 = chld_n;
	kill(p, SIGTSTP);
	nap_ms(30);
	utap_eq(chld_n - n0, 0, "user.jobctl.noop.stop_stopped_no_sigchld");
	utap_eq(wait_for(p, WUNTRACED | WNOHANG), 0, "user.jobctl.noop.stop_stopped_no_report");
	kill(p, SIGCONT);
	wait_for(p, WCONTINUED);
	utap_ok(advancing(1, 3000) && advancing(1, 100), "user.jobctl.noop.pending_stop_discarded");

	/* a fatal signal waits while stopped; the continue is told first */
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	kill(p, SIGTERM);
	nap_ms(50);
	utap_eq(wait_for(p, WNOHANG), 0, "user.jobctl.sigterm_stopped.still_there");
	n0 = chld_n;
	kill(p, SIGCONT);
	for (int i = 0; i < 3000; i++) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		if (!waitid(P_PID, p, &si, WEXITED | WNOWAIT | WNOHANG) && si.si_pid)
			break;
		nap_ms(1);
	}
	/* dead: its exit is reported before its continue */
	utap_eq(wait_for(p, WUNTRACED | WCONTINUED), SIGTERM, "user.jobctl.sigterm_stopped.dies_after_cont");
	nap_ms(10);
	utap_ok(chld_n > n0 && chld_codes[n0 % 64] == CLD_CONTINUED,
		"user.jobctl.sigterm_stopped.cld_continued_first");
}

/* ---- handlers, masks, discards -------------------------------------------------------- */

static void prep_cont_handler(void)
{
	set_handler(SIGCONT, on_log);
}

static void prep_cont_blocked(void)
{
	sigset_t set;

	set_handler(SIGCONT, on_log);
	sigemptyset(&set);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void prep_cont_ignored(void)
{
	signal(SIGCONT, SIG_IGN);
}

static void prep_block_jobctl(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGTTIN);
	sigaddset(&set, SIGTTOU);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void prep_tstp_caught(void)
{
	set_handler(SIGTSTP, on_log);
	signal(SIGTTIN, SIG_IGN);
}

static void test_handlers(void)
{
	int n0;
	pid_t p;

	/* a SIGCONT handler runs once the job runs again, and for a job that
	 * was not stopped too */
	p = job(1, prep_cont_handler);
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	nap_ms(20);
	utap_eq(sh->handled, 0, "user.jobctl.cont_handler.not_while_stopped");
	kill(p, SIGCONT);
	utap_ok(poll_eq(&sh->handled, 1, 3000), "user.jobctl.cont_handler.runs_after");
	kill(p, SIGCONT);
	utap_ok(poll_eq(&sh->handled, 2, 3000), "user.jobctl.cont_handler.running_job");
	reap(p);

	/* blocked: the job still continues; the handler waits for the mask */
	p = job(1, prep_cont_blocked);
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	kill(p, SIGCONT);
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.cont_blocked.continues");
	utap_ok(advancing(1, 3000), "user.jobctl.cont_blocked.runs");
	utap_eq(job_pending(), SIGBIT(SIGCONT), "user.jobctl.cont_blocked.pending");
	utap_eq(sh->handled, 0, "user.jobctl.cont_blocked.no_handler_yet");
	ask(CMD_UNBLOCK);
	utap_ok(poll_eq(&sh->handled, 1, 3000), "user.jobctl.cont_blocked.handler_on_unblock");
	reap(p);

	/* ignored: continues, and the parent still hears */
	p = job(1, prep_cont_ignored);
	kill(p, SIGSTOP);
	wait_for(p, WUNTRACED);
	nap_ms(10);
	n0 = chld_n;
	kill(p, SIGCONT);
	utap_eq(wait_for(p, WCONTINUED), ST_CONTINUED, "user.jobctl.cont_ignored.continues");
	nap_ms(30);
	utap_ok(chld_n > n0 && chld_codes[n0 % 64] == CLD_CONTINUED, "user.jobctl.cont_ignored.sigchld");
	reap(p);

	/* discards happen when sent, blocked or not */
	p = job(1, prep_block_jobctl);
	kill(p, SIGTSTP);
	kill(p, SIGTTIN);
	kill(p, SIGTTOU);
	utap_eq(job_pending(), SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU),
		"user.jobctl.discard.blocked_stops_pending");
	kill(p, SIGCONT);
	utap_eq(job_pending(), SIGBIT(SIGCONT), "user.jobctl.discard.cont_drops_stops");
	kill(p, SIGTSTP);
	utap_eq(job_pending(), SIGBIT(SIGTSTP), "user.jobctl.discard.tstp_drops_cont");
	reap(p);

	/* a caught stop signal runs its handler; an ignored one is dropped */
	p = job(1, prep_tstp_caught);
	kill(p, SIGTSTP);
	utap_ok(poll_eq(&sh->handled, 1, 3000), "user.jobctl.caught_tstp.handler");
	utap_eq(wait_for(p, WUNTRACED | WNOHANG), 0, "user.jobctl.caught_tstp.not_stopped");
	kill(p, SIGTTIN);
	nap_ms(20);
	utap_ok(wait_for(p, WUNTRACED | WNOHANG) == 0 && advancing(1, 3000),
		"user.jobctl.ignored_ttin.not_stopped");
	reap(p);
}

/* ---- process groups and sessions --------------------------------------------------- */

/* child_run - fork a child running @fn, which reports through sh->st[]
 * and then pauses until killed */
static pid_t child_run(void (*fn)(void))
{
	pid_t p = ufork();

	if (p == 0) {
		fn();
		for (;;)
			pause();
	}
	return p;
}

/* child_go - child_run with a clean page, once the child said go */
static pid_t child_go(void (*fn)(void))
{
	pid_t p;

	memset((void *)sh, 0, sizeof(*sh));
	p = child_run(fn);
	poll_eq(&sh->go, 1, 3000);
	return p;
}

static void c_setsid(void)
{
	sh->st[0] = setsid();
	sh->st[1] = getsid(0);
	sh->st[2] = getpgrp();
	sh->go = 1;
}

static void c_leader_setsid(void)
{
	sh->st[0] = setpgid(0, 0) ? -errno : 0;
	sh->st[1] = setsid() < 0 ? -errno : 0;
	sh->go = 1;
}

static void c_session_leader(void)
{
	setsid();
	sh->st[0] = setpgid(0, 0) ? -errno : 0;
	sh->st[1] = setsid() < 0 ? -errno : 0;
	sh->go = 1;
}

static void c_parent_and_grandchild(void)
{
	pid_t gc;

	sh->st[0] = setpgid(getppid(), 0) ? -errno : 0;
	gc = fork();
	if (gc == 0)
		for (;;)
			pause();
	sh->pid[0] = gc;
	sh->go = 1;
}

static void *pause_thread(void *arg)
{
	(void)arg;
	sh->pid[1] = (int)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static void c_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, pause_thread, NULL);
	while (!sh->pid[1])
		nap_ms(1);
	sh->go = 1;
}

static void c_exec(void)
{
	char *argv[] = { self_path, "sleeper", NULL };

	execv(self_path, argv);
	_exit(127);
}

static void test_pgrp(void)
{
	pid_t me = getpid(), a, b, c;

	utap_eq(getpgrp(), me, "user.jobctl.pgrp.shell_leads_group");
	utap_eq(getsid(0), me, "user.jobctl.pgrp.shell_leads_session");
	utap_eq(getpgid(0), me, "user.jobctl.pgrp.getpgid_0");
#ifdef SYS_getpgrp
	utap_eq(syscall(SYS_getpgrp), me, "user.jobctl.pgrp.getpgrp_syscall");
#endif
	utap_errno(setpgid(0, -1), EINVAL, "user.jobctl.setpgid.einval");
	utap_errno(setpgid(0, 0), EPERM, "user.jobctl.setpgid.eperm_session_leader");
	utap_errno(setsid(), EPERM, "user.jobctl.setsid.eperm_session_leader");
	utap_errno(getpgid(0x7fffffff), ESRCH, "user.jobctl.getpgid.esrch");
	utap_errno(getsid(0x7fffffff), ESRCH, "user.jobctl.getsid.esrch");
	utap_errno(getpgid(-1), ESRCH, "user.jobctl.getpgid.esrch_negative");

	/* neither self nor a child: the parent, a grandchild */
	a = child_go(c_parent_and_grandchild);
	utap_eq(sh->st[0], -ESRCH, "user.jobctl.setpgid.esrch_parent");
	utap_errno(setpgid(sh->pid[0], 0), ESRCH, "user.jobctl.setpgid.esrch_grandchild");
	b = sh->pid[0];
	kill(b, SIGKILL);
	reap(a);
	wait_for(b, 0);		/* the grandchild, now ours (subreaper) */

	/* a child: its own group and back; a group must exist in the session */
	a = child_go(c_thread);
	utap_eq(getpgid(a), me, "user.jobctl.setpgid.child_inherits");
	utap_eq(setpgid(a, a), 0, "user.jobctl.setpgid.child_own_group");
	utap_eq(getpgid(a), a, "user.jobctl.setpgid.child_group_is_pid");
	utap_eq(setpgid(a, me), 0, "user.jobctl.setpgid.child_back");
	utap_eq(getpgid(a), me, "user.jobctl.setpgid.child_back_group");
	utap_errno(setpgid(sh->pid[1], 0), EINVAL, "user.jobctl.setpgid.einval_thread");
	utap_eq(getpgid(sh->pid[1]), me, "user.jobctl.getpgid.of_thread");
	utap_eq(getsid(sh->pid[1]), me, "user.jobctl.getsid.of_thread");
	utap_errno(setpgid(a, 0x7fffffff), EPERM, "user.jobctl.setpgid.eperm_no_group");
	utap_errno(setpgid(a, getppid()), EPERM, "user.jobctl.setpgid.eperm_pid_of_other_session");
	/* a group outlives its leader while it has members */
	b = child_go(c_thread);
	setpgid(a, a);
	setpgid(b, a);
	reap(a);
	utap_eq(getpgid(b), a, "user.jobctl.pgrp.outlives_leader");
	utap_eq(kill(-a, 0), 0, "user.jobctl.pgrp.leaderless_group_killable");
	c = child_go(c_thread);
	utap_eq(setpgid(c, a), 0, "user.jobctl.pgrp.join_leaderless_group");
	reap(b);
	reap(c);
	utap_errno(kill(-a, 0), ESRCH, "user.jobctl.pgrp.empty_group_esrch");

	/* after exec: EACCES */
	a = child_run(c_exec);
	for (int i = 0; i < 3000 && getpgid(a) >= 0 && setpgid(a, a) == 0; i++) {
		setpgid(a, me);
		nap_ms(1);
	}
	utap_errno(setpgid(a, a), EACCES, "user.jobctl.setpgid.eacces_after_exec");
	reap(a);

	/* another session: visible, but not a group to move to or into */
	a = child_go(c_setsid);
	utap_ok(sh->st[0] == a && sh->st[1] == a && sh->st[2] == a,
		"user.jobctl.setsid.sid_pgid_pid");
	utap_eq(getsid(a), a, "user.jobctl.getsid.other_session");
	utap_eq(getpgid(a), a, "user.jobctl.getpgid.other_session");
	utap_errno(setpgid(a, a), EPERM, "user.jobctl.setpgid.eperm_child_other_session");
	b = child_go(c_thread);
	utap_errno(setpgid(b, a), EPERM, "user.jobctl.setpgid.eperm_group_other_session");
	reap(a);
	reap(b);

	a = child_go(c_session_leader);
	utap_eq(sh->st[0], -EPERM, "user.jobctl.setpgid.eperm_own_session_leader");
	utap_eq(sh->st[1], -EPERM, "user.jobctl.setsid.eperm_twice");
	reap(a);

	a = child_go(c_leader_setsid);
	utap_eq(sh->st[0], 0, "user.jobctl.setsid.group_leader_setpgid");
	utap_eq(sh->st[1], -EPERM, "user.jobctl.setsid.eperm_group_leader");
	reap(a);
}

/* ---- kill ------------------------------------------------------------------------------- */

static void c_log_handlers(void)
{
	set_handler(SIGUSR1, on_log);
	set_handler(SIGUSR2, on_log);
	sh->go++;
}

/* c_kill0 - a group leader with a member; it kills its own group */
static void c_kill0(void)
{
	pid_t b;

	setpgid(0, 0);
	set_handler(SIGUSR1, on_log);
	b = fork();
	if (b == 0) {
		sh->go = 1;
		for (;;)
			pause();
	}
	while (!sh->go)
		nap_ms(1);
	sh->pid[0] = b;
	sh->st[0] = kill(0, SIGUSR1);
	sh->go = 2;
}

/* c_as_user - become uid 12345, then try kill(2) on sh->pid[1..2] */
static void c_as_user(void)
{
	if (setuid(UID_OTHER)) {
		sh->go = -1;
		return;
	}
	sh->st[0] = kill(sh->pid[1], SIGUSR1) ? -errno : 0;
	sh->st[1] = kill(sh->pid[1], 0) ? -errno : 0;
	sh->st[2] = kill(-sh->pid[2], SIGUSR2) ? -errno : 0;
	sh->st[3] = kill(sh->pid[3], SIGCONT) ? -errno : 0;
	sh->go = 1;
}

static void c_user_logs(void)
{
	if (setuid(UID_OTHER))
		sh->go = -100;
	c_log_handlers();
}

static void test_kill(void)
{
	pid_t a, b, r, u;
	int can_setuid;

	utap_errno(kill(0x7fffffff, 0), ESRCH, "user.jobctl.kill.esrch");
	utap_errno(kill(0x7fffffff, 99), ESRCH, "user.jobctl.kill.esrch_before_einval");
	utap_errno(kill(getpid(), 99), EINVAL, "user.jobctl.kill.einval");
	utap_errno(kill(-0x7fffffff, 0), ESRCH, "user.jobctl.kill.esrch_group");
	utap_errno(syscall(SYS_tkill, 0x7fffffff, 99), ESRCH, "user.jobctl.tkill.esrch_before_einval");
	utap_errno(syscall(SYS_tkill, 0, 0), EINVAL, "user.jobctl.tkill.einval_tid");
	utap_errno(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL, "user.jobctl.tgkill.einval_tgid");
	utap_errno(syscall(SYS_tgkill, getpid(), getpid(), 99), EINVAL, "user.jobctl.tgkill.einval_sig");
	utap_errno(syscall(SYS_tgkill, getppid(), getpid(), 0), ESRCH, "user.jobctl.tgkill.wrong_tgid");

	/* kill(0) reaches the caller and every member of its group */
	memset((void *)sh, 0, sizeof(*sh));
	a = child_run(c_kill0);
	poll_eq(&sh->go, 2, 3000);
	utap_eq(sh->st[0], 0, "user.jobctl.kill0.ok");
	utap_ok(poll_eq(&sh->handled, 2, 3000), "user.jobctl.kill0.caller_and_member");
	utap_eq(kill(-a, SIGUSR1), 0, "user.jobctl.killpg.from_outside");
	utap_ok(poll_eq(&sh->handled, 4, 3000), "user.jobctl.killpg.every_member");
	b = sh->pid[0];
	kill(b, SIGKILL);
	reap(a);
	wait_for(b, 0);

	/* permission: uid 12345 against root, if we may become it */
	can_setuid = geteuid() == 0;
	if (!can_setuid) {
		utap_skip("user.jobctl.perm", "needs root");
		return;
	}
	memset((void *)sh, 0, sizeof(*sh));
	r = child_run(c_log_handlers);		/* root, our group */
	poll_eq(&sh->go, 1, 3000);
	b = child_run(c_user_logs);		/* uid 12345, joins r's group */
	poll_eq(&sh->go, 2, 3000);
	setpgid(r, r);
	setpgid(b, r);
	sh->pid[1] = r;
	sh->pid[2] = r;
	sh->pid[3] = r;
	sh->log[0] = 0;
	sh->nlog = 0;
	u = child_run(c_as_user);
	poll_eq(&sh->go, 1, 3000);
	utap_eq(sh->st[0], -EPERM, "user.jobctl.perm.kill_root_eperm");
	utap_eq(sh->st[1], -EPERM, "user.jobctl.perm.kill_root_sig0_eperm");
	utap_eq(sh->st[2], 0, "user.jobctl.perm.mixed_group_ok");
	utap_eq(sh->st[3], 0, "user.jobctl.perm.sigcont_same_session");
	nap_ms(30);
	utap_ok(sh->nlog == 1 && sh->log[0] == '2', "user.jobctl.perm.mixed_group_only_permitted");
	reap(u);
	reap(b);
	/* an all-root group: EPERM; SIGCONT to another session: EPERM */
	memset((void *)sh, 0, sizeof(*sh));
	a = child_run(c_setsid);
	poll_eq(&sh->go, 1, 3000);
	sh->go = 0;
	sh->pid[1] = r;
	sh->pid[2] = r;
	sh->pid[3] = a;
	u = child_run(c_as_user);
	poll_eq(&sh->go, 1, 3000);
	utap_eq(sh->st[2], -EPERM, "user.jobctl.perm.root_group_eperm");
	utap_eq(sh->st[3], -EPERM, "user.jobctl.perm.sigcont_other_session_eperm");
	reap(u);
	reap(a);
	reap(r);
}

/* ---- kill(-1), inside a pid namespace of our own ------------------------------------------- */

static void c_pause_logs(void)
{
	set_handler(SIGUSR1, on_log);
	set_handler(SIGUSR2, on_log);
	__atomic_fetch_add(&sh->go, 1, __ATOMIC_RELAXED);
}

/* ns_init - pid 1 of a new namespace: kill(-1) alone, with two children,
 * from a child, and as uid 12345 */
static int ns_init(void)
{
	pid_t c1, c2, c3;

	set_handler(SIGUSR1, on_log);
	sh->st[0] = kill(-1, SIGUSR1) ? -errno : 0;	/* alone */
	c1 = child_run(c_pause_logs);
	c2 = child_run(c_pause_logs);
	poll_eq(&sh->go, 2, 3000);
	sh->st[1] = kill(-1, SIGUSR1) ? -errno : 0;
	poll_eq(&sh->handled, 2, 3000);
	nap_ms(30);
	sh->pid[0] = sh->handled;	/* 2: the children, not init */
	c3 = ufork();
	if (c3 == 0) {
		/* a child's kill(-1): the other child, not init, not itself */
		sh->st[2] = kill(-1, SIGUSR2) ? -errno : 0;
		nap_ms(50);
		/* uid 12345 with only root targets: 0, and nothing sent */
		if (setuid(UID_OTHER) == 0)
			sh->st[3] = kill(-1, SIGUSR1) ? -errno : 0;
		_exit(0);
	}
	wait_for(c3, 0);
	nap_ms(30);
	sh->pid[1] = sh->handled;
	kill(c1, SIGKILL);
	kill(c2, SIGKILL);
	wait_for(c1, 0);
	wait_for(c2, 0);
	/* our group and session are the shell's, which this namespace cannot
	 * name: 0; setsid makes them ours, numbered here */
	sh->pid[2] = getpgrp() * 1000 + getsid(0);
	sh->pid[3] = setsid();
	sh->st[3] += (getpgrp() * 1000 + getsid(0)) * 10;
	return 0;
}

static void test_kill_all(void)
{
	pid_t x;
	int st;

	memset((void *)sh, 0, sizeof(*sh));
	x = ufork();
	if (x == 0) {
		pid_t i;

		if (unshare(CLONE_NEWPID))
			_exit(2);
		i = fork();
		if (i == 0)
			_exit(ns_init());
		_exit(wait_for(i, 0) == 0 ? 0 : 1);
	}
	st = wait_for(x, 0);
	if (st == 2 << 8) {
		utap_skip("user.jobctl.kill_all", "pid namespaces not permitted here");
		return;
	}
	utap_eq(st, 0, "user.jobctl.kill_all.ns_ran");
	utap_eq(sh->st[0], -ESRCH, "user.jobctl.kill_all.init_alone_esrch");
	utap_eq(sh->st[1], 0, "user.jobctl.kill_all.ok");
	utap_eq(sh->pid[0], 2, "user.jobctl.kill_all.children_not_init");
	utap_eq(sh->st[2], 0, "user.jobctl.kill_all.from_child_ok");
	utap_eq(sh->st[3] % 10, 0, "user.jobctl.kill_all.all_eperm_is_0");
	utap_eq(sh->pid[2], 0, "user.jobctl.pidns.outer_group_and_session_are_0");
	utap_eq(sh->pid[3], 1, "user.jobctl.pidns.setsid_is_1");
	utap_eq(sh->st[3] / 10, 1001, "user.jobctl.pidns.own_group_and_session");
	/* c3's SIGUSR2 reached c1 and c2 but neither init nor c3; the uid
	 * 12345 kill reached nobody */
	utap_eq(sh->pid[1], 4, "user.jobctl.kill_all.from_child_reached");
}

/* ---- orphaned process groups ------------------------------------------------------------ */

/*
 * c_link - A, the link of a job C in a group of its own (C's pid in
 * sh->pid[0], A's in pid[1]).  link_how: 1, C logs SIGHUP and SIGCONT;
 * 2, A waits for C's stop (status in st[0]); 4, A stays in the shell's
 * session in a group of its own, else it starts a session -- and with 8
 * leaves it to a child of its own, which is not its leader.  At go == 6 A
 * joins C's group (result in st[1]); at go == 2 it exits.
 */
static int link_how;

static void c_link(void)
{
	pid_t c;

	if (link_how & 4) {
		setpgid(0, 0);
	} else {
		setsid();
		if ((link_how & 8) && fork() != 0)
			_exit(0);	/* A goes on as a child of the shell,
					 * in a session it does not lead */
	}
	sh->pid[1] = getpid();
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		if (link_how & 1) {
			set_handler(SIGHUP, on_log);
			set_handler(SIGCONT, on_log);
		}
		spin(1);
	}
	setpgid(c, c);
	sh->pid[0] = c;
	sh->go = 1;
	if (link_how & 2) {
		sh->st[0] = wait_for(c, WUNTRACED);
		sh->go = 3;
	}
	while (sh->go != 2) {
		if (sh->go == 6) {
			sh->st[1] = setpgid(0, c) ? -errno : 0;
			sh->go = 7;
		}
		nap_ms(1);
	}
	_exit(0);
}

static pid_t start_link(int how)
{
	link_how = how;
	memset((void *)sh, 0, sizeof(*sh));
	return child_run(c_link);
}

static void test_orphaned(void)
{
	pid_t a, c;
	int st;

	/* C stopped; A, its group's link, exits: C gets SIGHUP and SIGCONT
	 * (its handlers run CONT first: the later signal's frame is on top),
	 * and we, its new parent, hear of the continue */
	a = start_link(1 | 2);
	poll_eq(&sh->go, 1, 3000);
	c = sh->pid[0];
	for (int i = 0; i < 1000 && !sh->ctr[0]; i++)
		nap_ms(1);
	kill(c, SIGSTOP);
	poll_eq(&sh->go, 3, 3000);
	utap_eq(sh->st[0], ST_STOPPED(SIGSTOP), "user.jobctl.orphan.stopped");
	utap_eq(sh->nlog, 0, "user.jobctl.orphan.nothing_yet");
	sh->go = 2;
	utap_eq(wait_for(a, 0), 0, "user.jobctl.orphan.link_exits");
	poll_eq(&sh->nlog, 2, 3000);
	utap_ok(sh->nlog == 2 && sh->log[0] == 'C' && sh->log[1] == 'H',
		"user.jobctl.orphan.cont_then_hup_handlers");
	utap_eq(wait_for(c, WCONTINUED), ST_CONTINUED, "user.jobctl.orphan.new_parent_wcontinued");
	utap_ok(advancing(1, 3000), "user.jobctl.orphan.runs");
	/* in the orphaned group SIGTSTP, SIGTTIN and SIGTTOU do nothing;
	 * SIGSTOP still stops */
	kill(c, SIGTSTP);
	kill(c, SIGTTIN);
	kill(c, SIGTTOU);
	nap_ms(30);
	utap_ok(wait_for(c, WUNTRACED | WNOHANG) == 0 && advancing(1, 3000),
		"user.jobctl.orphan.tstp_ttin_ttou_discarded");
	kill(c, SIGSTOP);
	utap_eq(wait_for(c, WUNTRACED), ST_STOPPED(SIGSTOP), "user.jobctl.orphan.sigstop_stops");
	reap(c);

	/* SIGHUP at its default action kills it */
	a = start_link(2);
	poll_eq(&sh->go, 1, 3000);
	c = sh->pid[0];
	kill(c, SIGSTOP);
	poll_eq(&sh->go, 3, 3000);
	sh->go = 2;
	wait_for(a, 0);
	st = wait_for(c, 0);
	utap_eq(st, SIGHUP, "user.jobctl.orphan.hup_default_kills");

	/* nothing stopped: nothing sent */
	a = start_link(1);
	poll_eq(&sh->go, 1, 3000);
	c = sh->pid[0];
	sh->go = 2;
	wait_for(a, 0);
	nap_ms(50);
	utap_eq(sh->nlog, 0, "user.jobctl.orphan.none_stopped_nothing");
	reap(c);

	/* orphaned by setpgid: the link, no session leader and with its
	 * parent (us) outside the session, joins C's group: nothing sent */
	a = start_link(1 | 2 | 8);
	poll_eq(&sh->go, 1, 3000);
	c = sh->pid[0];
	wait_for(a, 0);			/* the session leader that forked A */
	a = sh->pid[1];
	kill(c, SIGSTOP);
	poll_eq(&sh->go, 3, 3000);
	sh->go = 6;
	poll_eq(&sh->go, 7, 3000);
	utap_eq(sh->st[1], 0, "user.jobctl.orphan.link_joins_group");
	nap_ms(50);
	utap_ok(sh->nlog == 0 && still(1), "user.jobctl.orphan.setpgid_sends_nothing");
	kill(c, SIGKILL);
	sh->go = 2;
	wait_for(a, 0);
	wait_for(c, 0);

	/* the link in our session (its own group): when it exits, C goes to
	 * us -- same session, another group: not orphaned, nothing sent */
	a = start_link(1 | 2 | 4);
	poll_eq(&sh->go, 1, 3000);
	c = sh->pid[0];
	kill(c, SIGSTOP);
	poll_eq(&sh->go, 3, 3000);
	sh->go = 2;
	wait_for(a, 0);
	nap_ms(50);
	utap_ok(sh->nlog == 0 && still(1), "user.jobctl.orphan.same_session_parent_not_orphaned");
	reap(c);
}

/* ---- the shell ------------------------------------------------------------------------ */

static int shell(void)
{
	if (setsid() < 0) {
		printf("Bail out! setsid: %d\n", errno);
		return 1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	set_chld(0);
	test_group_stop();
	test_stopped_sleep();
	test_wait();
	test_nocldstop();
	test_handlers();
	test_pgrp();
	test_kill();
	test_kill_all();
	test_orphaned();
	return utap_done();
}

int main(int argc, char **argv)
{
	pid_t s;
	int st;

	if (argc > 1 && !strcmp(argv[1], "sleeper")) {
		for (;;)
			pause();
	}
	self_path = argv[0];
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("Bail out! mmap\n");
		return 1;
	}
	s = ufork();
	if (s == 0)
		_exit(shell());
	st = wait_for(s, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
