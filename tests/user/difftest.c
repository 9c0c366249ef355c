/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/difftest.c - the differential tester's program.  From a seed
 * it generates a sequence of process calls (fork, vfork, clone and clone3
 * with random flag sets and sizes, unshare, exit and exit_group from
 * leaders and threads, wait4 and waitid, kill/tkill/tgkill and
 * pidfd_send_signal, signal dispositions and masks, rlimits, uid changes,
 * bad pointers of every kind) and prints one normalised line per call:
 * the result, errno and what could be seen to change.  It asserts nothing.
 * ci/difftest runs the same binary on Linux and on the kfork kernels and
 * diffs what they print.
 *
 *   difftest [-j] [-d] [-n STEPS] SEED|FIRST-LAST...
 *
 * -j adds the job-control calls (stop and continue signals, process
 * groups and sessions); -n sets the calls per seed (default 50); -d
 * traces every command to an actor on stderr.
 *
 * How a seed runs.  The program (D) starts a runner per seed with
 * clone(CLONE_NEWPID | CLONE_NEWUTS): pid 1 of a fresh pid namespace,
 * on Linux as on kfork, so kill(-1) and orphans stay inside and pid
 * numbers start alike.  The runner draws each call and has one of its
 * actors make it.  An actor is a task the tested calls created (a
 * process or a thread); it waits on a futex in a MAP_SHARED page for a
 * command, runs the raw system call, writes the result back and wakes
 * the runner.  Actors touch no libc state (they may run with any thread
 * pointer), and each has a stack of its own, so a CLONE_VM child never
 * writes to its creator's.
 *
 * What is normalised, and why:
 *  - pids and tids are printed as the names of the actors they belong to
 *    (a0, a1, ... in creation order; "init" for the runner), looked up
 *    in the namespace of the actor that saw them: the numbers depend on
 *    what else the machine ran.
 *  - fd numbers are printed as they are: each actor's table starts as
 *    0, 1, 2 on both systems (D closes the rest).
 *  - rusage is printed as written or not: its figures are times.
 *  - a straddling pointer's partly written bytes are not compared: how
 *    much of a struct copy_to_user stores before the fault is up to the
 *    arch's copy routine (Linux's own arches differ); the result and
 *    errno are.
 *  - signal handlers count per process, not per thread: which thread
 *    takes a process-directed signal is the kernel's choice; and as a
 *    set, not a count, per step: two SIGCHLDs may merge into one.
 *  - rlimits, signal dispositions and the mask are set to fixed values
 *    before a seed, as D's environment differs (a shell's ulimit, signals
 *    ignored by a CI runner); the hostname likewise.
 *  - SA_RESTORER is masked out of sa_flags: libc sets it on some arches.
 *  - CLONE_SETTLS gets valid user addresses only: x86_64 refuses a
 *    non-canonical fs base with EPERM, arm64 takes anything.
 *  - where Linux changed after 6.12 (kfork's reference) and the machine
 *    running the native side may be newer, the draw keeps out of the
 *    difference: no unshare(CLONE_NEWTIME), exit(2) codes the same for
 *    every thread of a group, PIDFD_THREAD for a thread's pidfd_open.
 *  - root never raises a hard rlimit: that needs CAP_SYS_RESOURCE, which
 *    a container running the native side may lack.
 *  - the result of a call whose caller dies in the same step (killed by
 *    what the call set off) reads "(died)": whether it got back to user
 *    space first is a race on Linux too; likewise a vfork parent's return
 *    and CLEARTID's word are shown only where they do not race.
 *
 * Timing.  After every call the runner settles: it pings every actor and
 * waits until each has answered or is gone (a process: its pidfd polls
 * readable, the group has exited; a thread: tgkill(.., 0) says ESRCH),
 * then takes a wait-queue barrier (waitid WNOWAIT, which serialises with
 * the exit path on Linux) and pings the survivors once more, so every
 * SIGCHLD and handler has run; repeated while deaths cause deaths.  Only
 * then is the next call drawn.  A wait that would block is first probed
 * with waitid(WNOHANG | WNOWAIT) and recorded as "blocks" instead.  Three
 * states cannot answer a ping and give no sign when they end, so they get
 * bounded waits: a vfork parent after a signal that may kill it (300 ms),
 * a pid namespace's init whose exit waits for members another namespace
 * has to reap (1 s), and with -j a stopped process (500 ms).
 *
 * Only actors of the runner's own pid namespace create tasks: the runner
 * then knows every pid (a creator in a deeper namespace gets numbers the
 * runner cannot translate).  Deeper namespaces are filled by the actor
 * that unshared CLONE_NEWPID, and their members make every other call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "difftest.h"

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ull
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define MAXA 32			/* actors per seed */
#define STK (64 * 1024)		/* an actor's stack (signal frames can be big) */
#define NSIGS 65
#define PAGE 4096
#define DT_WOULDBLOCK 0x7ffffff0l	/* C_WAIT: the probe says it blocks */
#define DT_DIED 0x7ffffff1l		/* the caller died in its call */
#define DT_STOPPED 0x7ffffff2l		/* -j: the call stopped its caller */
#define DEADLINE_MS 20000	/* one command or settle; then the seed aborts */
#define NOPID 30000		/* a pid no actor has */
#define UID_OTHER 43210		/* setuid target: a uid nothing else runs as */

/* ---- the page the runner and its actors share ---------------------------- */

enum { C_PING = 1, C_SYS, C_SPAWN, C_EXIT, C_WAIT, C_OBS };

struct cmd {
	int op;
	int newk;		/* C_SPAWN: the new actor's slot */
	long nr;
	long a[6];
	long probe[3];		/* C_WAIT: waitid idtype, id, options; [2] 0: none */
};

/* what an actor sees of itself (hello, and C_OBS) */
struct obs {
	long pid, tid, ppid, uid, euid, pgid, sid;
	unsigned long tls;
	uint64_t mask;
	unsigned long disp[4], dflags[4];	/* USR1, CHLD, TERM, CONT */
	uint64_t nofile, nproc;
	char node[65];
};

struct rep {
	long ret;
	long probe;
	struct obs o;
};

struct slot {
	uint32_t cmd_seq, rep_seq;	/* futex words */
	struct cmd cmd;
	struct rep rep;
	uint32_t sig[NSIGS];		/* the handler's counts */
	int32_t ptid, ctid, pidfd, pad;	/* clone's output words */
	uint64_t tlsarea[2];		/* its CLONE_SETTLS value points here */
	uint64_t in[64];		/* input structs (clone_args, rlimit...) */
	uint64_t out[64];		/* output structs (status, siginfo, uname) */
	uint64_t ru[32];		/* rusage */
	uint64_t info[16];		/* the wait probe's siginfo */
};

struct shared {
	uint32_t reply, pad;
	struct slot s[MAXA];
};

static struct shared *sh;
static char *stacks;		/* MAXA stacks of STK bytes */
static char *arena;		/* bad pointers: RW, PROT_NONE, RO, unmapped */
static int jobctl;		/* -j */

static const int obs_sigs[4] = { SIGUSR1, SIGCHLD, SIGTERM, SIGCONT };

/* ---- the actors: raw system calls only ------------------------------------ */

static long sys0(long n) { return rsys(n, 0, 0, 0, 0, 0, 0); }

static void futex_wait(uint32_t *w, uint32_t v, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	/* shared (not FUTEX_PRIVATE): the waker may be another process */
	rsys(SYS_futex, (long)w, 0 /* WAIT */, v, ms ? (long)&ts : 0, 0, 0);
}

static void futex_wake(uint32_t *w)
{
	rsys(SYS_futex, (long)w, 1 /* WAKE */, 0x7fffffff, 0, 0, 0);
}

/* on_signal - every handled signal: count it in the slot whose stack it
 * runs on (no thread pointer to find it by). */
static void on_signal(int sig)
{
	char *sp = __builtin_frame_address(0);
	long k = (sp - stacks) / STK;

	if (sp >= stacks && k < MAXA && sig > 0 && sig < NSIGS)
		__atomic_add_fetch(&sh->s[k].sig[sig], 1, __ATOMIC_SEQ_CST);
}

static void observe(struct obs *o)
{
	struct dt_ksigaction ka;
	uint64_t rl[2];
	long r;
	int i;

	o->pid = sys0(SYS_getpid);
	o->tid = sys0(SYS_gettid);
	o->ppid = sys0(SYS_getppid);
	o->uid = sys0(SYS_getuid);
	o->euid = sys0(SYS_geteuid);
	o->pgid = jobctl ? rsys(SYS_getpgid, 0, 0, 0, 0, 0, 0) : 0;
	o->sid = jobctl ? rsys(SYS_getsid, 0, 0, 0, 0, 0, 0) : 0;
	o->tls = dt_tls();
	o->mask = 0;
	rsys(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&o->mask, 8, 0, 0);
	for (i = 0; i < 4; i++) {
		ka.handler = (void *)-1l;
		ka.flags = 0;
		r = rsys(SYS_rt_sigaction, obs_sigs[i], 0, (long)&ka, 8, 0, 0);
		o->disp[i] = r ? (unsigned long)-2 : (unsigned long)ka.handler;
		o->dflags[i] = ka.flags;
	}
	rl[0] = rl[1] = 0;
	rsys(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)rl, 0, 0);
	o->nofile = rl[0];
	rsys(SYS_prlimit64, 0, RLIMIT_NPROC, 0, (long)rl, 0, 0);
	o->nproc = rl[0];
	{
		char u[6 * 65];

		u[65] = 0;
		rsys(SYS_uname, (long)u, 0, 0, 0, 0, 0);
		for (i = 0; i < 64 && u[65 + i]; i++)
			o->node[i] = u[65 + i];
		o->node[i] = 0;
	}
}

static void actor_main(long k);

static void actor_run(struct slot *s)
{
	struct cmd *c = &s->cmd;
	long *a = c->a;
	long r;

	switch (c->op) {
	case C_SYS:
	case C_EXIT:
		s->rep.ret = rsys(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	case C_SPAWN:
		s->rep.ret = difftest_spawn(c->nr, a[0], a[1], a[2], a[3], a[4],
					    stacks + (long)(c->newk + 1) * STK,
					    actor_main, c->newk);
		break;
	case C_WAIT:
		s->rep.probe = 0;
		if (c->probe[2]) {
			/* would it block?  Ask without reaping or sleeping. */
			int *si = (int *)s->info;

			si[0] = si[1] = si[2] = si[3] = si[4] = 0;
			r = rsys(SYS_waitid, c->probe[0], c->probe[1], (long)si,
				 c->probe[2] | WNOHANG | WNOWAIT, 0, 0);
			s->rep.probe = r;
			if (r == 0 && si[4] == 0) {	/* si_pid */
				s->rep.ret = DT_WOULDBLOCK;
				break;
			}
		}
		s->rep.ret = rsys(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	case C_OBS:
		observe(&s->rep.o);
		break;
	default:	/* C_PING */
		break;
	}
}

static void actor_reply(struct slot *s, uint32_t seq)
{
	__atomic_store_n(&s->rep_seq, seq, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sh->reply, 1, __ATOMIC_SEQ_CST);
	futex_wake(&sh->reply);
}

/* actor_main - a new task's first code (difftest_spawn's child): say
 * hello with what it sees, then serve commands until one ends it. */
static void actor_main(long k)
{
	struct slot *s = &sh->s[k];
	uint32_t seen = __atomic_load_n(&s->cmd_seq, __ATOMIC_SEQ_CST);

	observe(&s->rep.o);
	s->rep.ret = 0;
	actor_reply(s, seen);
	for (;;) {
		uint32_t now = __atomic_load_n(&s->cmd_seq, __ATOMIC_SEQ_CST);

		if (now == seen) {
			futex_wait(&s->cmd_seq, seen, 0);
			continue;
		}
		seen = now;
		actor_run(s);
		actor_reply(s, seen);
	}
}

/* ---- the runner's picture of its actors ------------------------------------ */

/* A_TEXIT: a leader that called exit(2), its threads still running;
 * A_EXITING: a pid namespace's init whose exit waits for the members
 * another namespace's parent has not reaped yet (Linux's init waits for
 * every pid of its namespace to be freed before it becomes a zombie) */
enum { A_FREE, A_ALIVE, A_TEXIT, A_EXITING, A_GONE };

struct actor {
	int state;
	int leader;		/* its thread group's leader (itself for a process) */
	int creator;		/* a slot, or -1: the runner */
	int ns, nsc;		/* its pid namespace, and its children's */
	int cns;		/* the namespace its creator saw it from */
	long pidc, pidn;	/* its tid there (0: not known yet), and in ns */
	int pidfd;		/* the runner's pidfd on it (cns 0), or -1 */
	int busy;		/* vfork: the child it waits for, or -1 */
	int out;		/* a command sent and not answered */
	int stopped;		/* -j: did not answer while a stop was due */
	uint32_t seq;
	uint64_t flags;		/* the clone flags that made it */
	long exit_sig;		/* the signal its end sends its parent */
	int ctid_word;		/* its slot's ctid word is CLEARTID's target */
	int self_exit;		/* it left by its own exit(2) */
	int nsinit;		/* it is a (deeper) pid namespace's init */
	unsigned long tls;	/* its thread pointer at hello */
	uint32_t sigbase[NSIGS];
};

/* a pid namespace: its init (a slot; -1 none yet; -2 the runner) */
struct nsinfo {
	int parent, init;
};

struct name {
	int ns, slot;
	long v;
};

static struct actor act[MAXA];
static struct nsinfo nsi[MAXA + 1];
static int nns;
static struct name names[4 * MAXA];
static int nnames;
static int nslots;		/* slots handed out (never reused) */
static int step;
static uint64_t rng;
static unsigned long runner_tls;
static int stop_due;		/* -j: a stop signal went out this step */
static int cont_due;		/* -j: ... a SIGCONT, or anything that kills */
static char pend_line[512];	/* a kill's line, waiting for its result */
static int pend_actor = -1;
static long pend_ret;
static int doom[MAXA];		/* by leader: a signal that may kill went its way */
static int doom_next[MAXA];	/* ... sent by a death settle found (exit signal) */
static long spawn_exit_sig;	/* the exit signal the next spawn asks for */

static uint64_t rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int rnd(int n)
{
	return (int)(rnd64() % (uint64_t)n);
}

static int chance(int pct)
{
	return rnd(100) < pct;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void seed_abort(const char *why, int k)
{
	printf("ABORT step %d: %s a%d\n", step, why, k);
	fflush(stdout);
	_exit(3);	/* the namespace dies with its init, and its actors */
}

/* ---- names ------------------------------------------------------------------ */

static void name_add(int ns, long v, int slot)
{
	if (v > 0 && nnames < (int)(sizeof(names) / sizeof(names[0])))
		names[nnames++] = (struct name){ ns, slot, v };
}

/* pname - @v as namespace @ns sees it: an actor's name, "init" for the
 * runner, or "?" for a number no actor was seen to have (the value
 * itself would differ between systems). */
static const char *pname(int ns, long v)
{
	static char buf[8][16];
	static int i;
	char *b = buf[i++ & 7];
	int j;

	if (v <= 0) {
		snprintf(b, 16, "%ld", v);
		return b;
	}
	for (j = nnames - 1; j >= 0; j--)
		if (names[j].ns == ns && names[j].v == v)
			break;
	if (j < 0)
		return v == NOPID ? "nx" : "?";
	if (names[j].slot == -2)
		return "init";
	snprintf(b, 16, "a%d", names[j].slot);
	return b;
}

/* pvalue - the number namespace @ns knows slot @k by (0: none). */
static long pvalue(int ns, int k)
{
	int j;

	for (j = nnames - 1; j >= 0; j--)
		if (names[j].ns == ns && names[j].slot == k)
			return names[j].v;
	return 0;
}

static const char *errname(long e)
{
	static const struct { int e; const char *n; } t[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOSPC, "ENOSPC" },
		{ E2BIG, "E2BIG" }, { ENOSYS, "ENOSYS" }, { EUSERS, "EUSERS" },
		{ ENOTDIR, "ENOTDIR" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char b[16];
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(b, sizeof(b), "E%ld", e);
	return b;
}

static const char *signame(long s)
{
	static const char *n[] = {
		"0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
		"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
		"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
	};
	static char b[4][12];
	static int i;
	char *p = b[i++ & 3];

	if (s >= 0 && s < (long)(sizeof(n) / sizeof(n[0])))
		return n[s];
	snprintf(p, 12, "%ld", s);
	return p;
}

/* result - "= value" or "= -1 ERRNO" for a raw return. */
static const char *result(long r)
{
	static char b[32];

	if (r == DT_DIED)
		return "= (died)";
	if (r == DT_STOPPED)
		return "= (stopped)";
	if (r < 0 && r > -4096)
		snprintf(b, sizeof(b), "= -1 %s", errname(-r));
	else
		snprintf(b, sizeof(b), "= %ld", r);
	return b;
}

/* pres - a call's result that is a pid: "= name", or "= -1 ERRNO". */
static const char *pres(int ns, long r)
{
	static char b[32];

	if (r <= 0 || r == DT_DIED)
		return result(r);
	snprintf(b, sizeof(b), "= %s", pname(ns, r));
	return b;
}

/* ---- bad pointers -------------------------------------------------------------- */

enum { PK_OK, PK_NULL, PK_UNMAPPED, PK_KERNEL, PK_NONE, PK_RO, PK_STRADDLE, PK_N };
static const char *pk_name[PK_N] = {
	"ok", "null", "unmapped", "kernel", "prot_none", "ro", "straddle"
};

/* pk_pick - mostly a good pointer; else one kind of bad one.  A struct
 * of 8 bytes or less cannot straddle a page boundary aligned. */
static int pk_pick(int ok_pct, size_t size)
{
	int k;

	if (chance(ok_pct))
		return PK_OK;
	do
		k = 1 + rnd(PK_N - 1);
	while (k == PK_STRADDLE && size <= 8);
	return k;
}

static long pk_addr(int kind, void *ok)
{
	switch (kind) {
	case PK_OK: return (long)ok;
	case PK_NULL: return 0;
	case PK_UNMAPPED: return (long)(arena + 3 * PAGE);
	case PK_KERNEL: return (long)DT_KERNEL_PTR;
	case PK_NONE: return (long)(arena + PAGE);
	case PK_RO: return (long)(arena + 2 * PAGE);
	default: return (long)(arena + PAGE - 8);	/* RW into PROT_NONE */
	}
}

/* ---- talking to actors ---------------------------------------------------------- */

static int debug;

static void send_cmd(int k, const struct cmd *c)
{
	struct slot *s = &sh->s[k];

	if (debug)
		fprintf(stderr, "[a%d op %d nr %ld %lx %lx %lx]\n", k, c->op, c->nr,
			c->a[0], c->a[1], c->a[2]);
	s->cmd = *c;
	act[k].seq = __atomic_add_fetch(&s->cmd_seq, 1, __ATOMIC_SEQ_CST);
	act[k].out = 1;
	futex_wake(&s->cmd_seq);
}

static int replied(int k)
{
	return __atomic_load_n(&sh->s[k].rep_seq, __ATOMIC_SEQ_CST) == act[k].seq;
}

static int gone(int k);

static int gone_now[MAXA], run_now[MAXA], exiting_now[MAXA];
static int reaped;		/* a wait reaped a child this step */
static long vfork_ret[MAXA];
static int vfork_now[MAXA];

/* reap_vforks - vfork parents that have returned (their child left the
 * mm) are idle again: their return is printed when the step settles. */
static void reap_vforks(void)
{
	int j;

	for (j = 0; j < nslots; j++)
		if (act[j].state == A_ALIVE && act[j].busy >= 0 && replied(j)) {
			vfork_ret[j] = sh->s[j].rep.ret;
			vfork_now[j] = 1;
			act[j].busy = -1;
			act[j].out = 0;
		}
}

/* proc_gone - has the thread group led by @l exited (a zombie, or
 * reaped)?  Its pidfd says: the runner knows every process's pid, as
 * every process is made by an actor of the runner's namespace (see
 * op_spawn). */
static int proc_gone(int l)
{
	struct actor *a = &act[l];
	struct pollfd p;
	int r;

	if (a->state == A_GONE)
		return 1;
	if (a->pidfd < 0) {
		if (!a->pidc)
			return 0;	/* a vfork child before its parent returns */
		r = (int)syscall(SYS_pidfd_open, a->pidc, 0);
		if (r < 0)
			return errno == ESRCH;
		a->pidfd = r;
	}
	p.fd = a->pidfd;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* thread_gone - has thread @t been released (tgkill finds it no more)?
 * Threads are of the runner's namespace too. */
static int thread_gone(int t)
{
	struct actor *a = &act[t];
	long lp = act[a->leader].pidn;

	if (!a->pidn || !lp)
		return 0;
	return syscall(SYS_tgkill, lp, a->pidn, 0) < 0 && errno == ESRCH;
}

/* gone - has actor @k's task exited for good (a thread released; a
 * process's whole group exited)? */
static int gone(int k)
{
	if (act[k].state == A_GONE)
		return 1;
	if (act[k].leader == k)
		return proc_gone(k);
	return proc_gone(act[k].leader) || thread_gone(k);
}

/* wait_reply - until @k answers (1) or, with @watch, is gone (0); a
 * bounded wait (-1) when @ms is not 0. */
static int wait_reply(int k, int watch, long ms)
{
	long deadline = now_ms() + (ms ? ms : DEADLINE_MS);
	uint32_t v;

	for (;;) {
		v = __atomic_load_n(&sh->reply, __ATOMIC_SEQ_CST);
		if (replied(k)) {
			act[k].out = 0;
			return 1;
		}
		if (watch && gone(k))
			return 0;
		if (now_ms() > deadline) {
			if (ms)
				return -1;
			seed_abort("no answer from", k);
		}
		futex_wait(&sh->reply, v, 2);
	}
}

static struct rep died = { .ret = DT_DIED };
static struct rep stopped = { .ret = DT_STOPPED };
static int stop_now[MAXA];

/* call - have @k run @c and answer; its slot's rep, or &died when the
 * call ended it (a kill of itself): settle then finds it gone; with -j,
 * &stopped when the call stopped it (its answer comes when continued). */
static struct rep *call(int k, struct cmd *c)
{
	int r;

	send_cmd(k, c);
	r = wait_reply(k, 1, jobctl && stop_due ? 500 : 0);
	if (r == 0)
		return &died;
	if (r < 0) {
		act[k].stopped = 1;
		stop_now[k] = 1;
		return &stopped;
	}
	return &sh->s[k].rep;
}

static struct rep *sys(int k, long nr, long a0, long a1, long a2, long a3, long a4)
{
	struct cmd c;

	memset(&c, 0, sizeof(c));
	c.op = C_SYS;
	c.nr = nr;
	c.a[0] = a0, c.a[1] = a1, c.a[2] = a2, c.a[3] = a3, c.a[4] = a4;
	return call(k, &c);
}

/* ---- settling ------------------------------------------------------------------ */

static int sig_kills(long sig);

static void mark_gone(int k)
{
	int j;

	act[k].state = A_GONE;
	act[k].out = 0;
	gone_now[k] = 1;
	cont_due = 1;	/* -j: an orphaned process group gets SIGHUP, SIGCONT */
	/* a process's end signals its parent: with some exit signals that
	 * kills it (which parent is not tracked here: any) */
	if (act[k].leader == k && sig_kills(act[k].exit_sig))
		for (j = 0; j < nslots; j++)
			doom_next[j] = 1;
}

/* may_wait_for_ns - could @k's exit wait for members of its namespace?
 * (see A_EXITING; whether one is an unreaped zombie is not known here) */
static int may_wait_for_ns(int k)
{
	int j;

	if (!act[k].nsinit)
		return 0;
	for (j = 0; j < nslots; j++)
		if (j != k && act[j].state != A_FREE && act[j].ns == act[k].ns)
			return 1;
	return 0;
}

/* stuck - @k, an init, did not end within its bound: it waits in its exit */
static void stuck(int k)
{
	act[k].state = A_EXITING;
	exiting_now[k] = 1;
}

/* ping - is @k alive?  An idle actor gets a ping; one with a command
 * out (a stopped actor's ping) is waited for.  With -j, an actor that
 * may have been stopped gets a bounded wait. */
static void ping(int k)
{
	struct cmd c;
	long ms = 0;
	int r;

	if (!act[k].out) {
		memset(&c, 0, sizeof(c));
		c.op = C_PING;
		send_cmd(k, &c);
	}
	/* a stopped actor stays so until a SIGCONT, a signal that kills or a
	 * death (an orphaned process group's SIGCONT) comes: no wait else */
	if (act[k].stopped && !cont_due) {
		if (replied(k)) {
			act[k].out = 0;
			act[k].stopped = 0;
			run_now[k] = 1;
		}
		return;
	}
	if (jobctl && (stop_due || act[k].stopped))
		ms = 500;
	/* an init that was told to exit, or killed, answers nothing and may
	 * wait in its exit: it gets a bound too (a live one answers at once) */
	if (may_wait_for_ns(k))
		ms = 1000;
	r = wait_reply(k, 1, ms);
	if (r == 0) {
		mark_gone(k);
	} else if (r < 0 && may_wait_for_ns(k)) {
		stuck(k);
	} else if (r < 0) {
		if (!act[k].stopped)
			stop_now[k] = 1;
		act[k].stopped = 1;
	} else if (act[k].stopped) {
		act[k].stopped = 0;
		run_now[k] = 1;
	}
}

/* busy_gone - has @j, asleep in a vfork, gone?  It cannot answer; a
 * signal that kills makes it exit at once, but nothing tells that it
 * will, so after a step that may have sent one (a kill, or an exit whose
 * exit signal kills the parent) it gets 300 ms to be seen gone, once per
 * step (an exit takes far less on Linux and on kfork). */
static int busy_gone(int j)
{
	long deadline = now_ms() + (doom[act[j].leader] ? 300 : 0);

	for (;;) {
		if (gone(j))
			return 1;
		if (now_ms() >= deadline)
			return 0;
		usleep(2000);
	}
}

/* group_threads_gone - have all of @l's group but @l gone? */
static int group_threads_gone(int l)
{
	int j;

	for (j = 0; j < nslots; j++)
		if (j != l && act[j].leader == l && act[j].state != A_GONE)
			return 0;
	return 1;
}

static int count_gone(void)
{
	int j, n = 0;

	for (j = 0; j < nslots; j++)
		n += act[j].state == A_GONE;
	return n;
}

/* the vfork parents whose child has left the mm: their call returns */
static int settle_vforks(void)
{
	int j, c, changed = 0;

	for (j = 0; j < nslots; j++) {
		if (act[j].state != A_ALIVE || act[j].busy < 0)
			continue;
		c = act[j].busy;
		if (act[c].state == A_ALIVE && !gone(c))
			continue;
		if (wait_reply(j, 1, 0)) {
			vfork_ret[j] = sh->s[j].rep.ret;
			vfork_now[j] = 1;
		} else {
			mark_gone(j);
		}
		act[j].busy = -1;
		changed = 1;
	}
	return changed;
}

/* leaders that exited before their threads: gone with the last thread */
static int settle_leaders(void)
{
	long deadline;
	int j, changed = 0;

	for (j = 0; j < nslots; j++) {
		if (act[j].state != A_TEXIT || !group_threads_gone(j))
			continue;
		deadline = now_ms() + (may_wait_for_ns(j) ? 1000 : DEADLINE_MS);
		while (!proc_gone(j)) {
			if (now_ms() > deadline)
				break;
			usleep(1000);
		}
		if (proc_gone(j))
			mark_gone(j);
		else if (may_wait_for_ns(j))
			stuck(j);
		else
			seed_abort("group never ended:", j);
		changed = 1;
	}
	return changed;
}

/* settle_exiting - inits waiting in their exit end once the last member
 * of their namespace is reaped: after a step that reaped or ended
 * anything, each gets a bound to be seen gone. */
static int settle_exiting(void)
{
	int j, any = reaped, changed = 0;
	long deadline;

	for (j = 0; j < nslots; j++)
		any |= gone_now[j];
	for (j = 0; j < nslots; j++) {
		if (act[j].state != A_EXITING)
			continue;
		deadline = now_ms() + (any ? 1000 : 0);
		while (!proc_gone(j) && now_ms() < deadline)
			usleep(1000);
		if (proc_gone(j)) {
			mark_gone(j);
			changed = 1;
		}
	}
	return changed;
}

static void barrier(void)
{
	siginfo_t si;

	/* waitid takes the lock exit_notify holds while it reparents,
	 * makes the zombie and signals the parent: after it, everything
	 * the exits seen above started is done */
	syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL, NULL);
}

static const char *sigset_str(uint64_t m)
{
	static char b[160];
	int s, n = 0;

	b[0] = 0;
	for (s = 1; s < NSIGS; s++)
		if (m & (1ull << (s - 1)))
			n += snprintf(b + n, sizeof(b) - n, "%s%s", n ? "," : "", signame(s));
	if (!n)
		snprintf(b, sizeof(b), "-");
	return b;
}

/* report_signals - per process, the signals its handlers ran since the
 * last report (a set: standard signals merge). */
static void report_signals(void)
{
	int l, j, s;

	for (l = 0; l < nslots; l++) {
		uint64_t set = 0;

		if (act[l].leader != l || act[l].state == A_FREE)
			continue;
		for (j = 0; j < nslots; j++) {
			if (act[j].leader != l)
				continue;
			for (s = 1; s < NSIGS; s++) {
				uint32_t n = __atomic_load_n(&sh->s[j].sig[s], __ATOMIC_SEQ_CST);

				if (n != act[j].sigbase[s])
					set |= 1ull << (s - 1);
				act[j].sigbase[s] = n;
			}
		}
		if (set && act[l].state != A_GONE)
			printf("    a%d handled %s\n", l, sigset_str(set));
	}
}

/* settle - wait until every effect of the last call has happened: each
 * actor answers a ping or is gone, vfork parents whose child left have
 * returned, leaders whose last thread ended are gone; a barrier; then
 * the survivors once more (their handlers have run by their answer).
 * Repeated until a round finds nothing new: a death can cause others
 * (a pid namespace's init, an orphaned process group). */
static void settle(void)
{
	int j, before, changed;

	do {
		before = count_gone();
		reap_vforks();
		for (j = 0; j < nslots; j++) {
			if (act[j].state != A_ALIVE)
				continue;
			if (act[j].busy >= 0) {
				if (busy_gone(j))
					mark_gone(j);
				continue;
			}
			ping(j);
		}
		memcpy(doom, doom_next, sizeof(doom));
		memset(doom_next, 0, sizeof(doom_next));
		do
			changed = settle_vforks() | settle_leaders() | settle_exiting();
		while (changed);
		barrier();
		for (j = 0; j < nslots; j++)
			if (act[j].state == A_ALIVE && act[j].busy < 0)
				ping(j);
	} while (count_gone() != before);

	if (pend_actor >= 0) {
		printf("%s %s\n", pend_line, act[pend_actor].state == A_GONE ?
		       "= (died)" : result(pend_ret));
		pend_actor = -1;
	}
	for (j = 0; j < nslots; j++) {
		if (!gone_now[j])
			continue;
		printf("    a%d gone", j);
		/* CLEARTID clears only while another task uses the mm: when
		 * the whole group dies at once, which of its threads is the
		 * last user is a race (on Linux too); so only a thread that
		 * left alone by exit(2) shows its word */
		if (act[j].ctid_word && act[j].self_exit) {
			int32_t w = sh->s[j].ctid;

			printf(" ctid=%s", w == 0x5a5a5a5a ? "unset" : pname(act[j].ns, w));
		}
		printf("\n");
	}
	/* a vfork parent that died in the same step may or may not have got
	 * back to user space first (on Linux too: the child's exit signal
	 * comes after the mm is let go): its return is shown when it lives */
	for (j = 0; j < nslots; j++)
		if (vfork_now[j] && act[j].state != A_GONE)
			printf("    a%d returned %s\n", j, pres(act[j].ns, vfork_ret[j]));
	for (j = 0; j < nslots; j++)
		if (exiting_now[j] && act[j].state == A_EXITING)
			printf("    a%d exiting (waits for its namespace's members)\n", j);
	for (j = 0; j < nslots; j++) {
		if (stop_now[j])
			printf("    a%d stopped (no answer in 500 ms)\n", j);
		if (run_now[j])
			printf("    a%d running\n", j);
	}
	report_signals();
	memset(gone_now, 0, sizeof(gone_now));
	memset(stop_now, 0, sizeof(stop_now));
	memset(run_now, 0, sizeof(run_now));
	memset(vfork_now, 0, sizeof(vfork_now));
	memset(exiting_now, 0, sizeof(exiting_now));
	reaped = 0;
}

/* ---- what actors see ---------------------------------------------------------- */

#define SENT 0x5a5a5a5a		/* a clone output word nothing wrote */
#define SA_RESTORER_ 0x04000000ul

static const char *disp_str(unsigned long h, unsigned long f)
{
	static const struct { unsigned long f; const char *n; } t[] = {
		{ SA_NOCLDSTOP, "nocldstop" }, { SA_NOCLDWAIT, "nocldwait" },
		{ SA_SIGINFO, "siginfo" }, { SA_ONSTACK, "onstack" },
		{ SA_RESTART, "restart" }, { SA_NODEFER, "nodefer" },
		{ SA_RESETHAND, "resethand" },
	};
	static char b[4][96];
	static int i;
	char *p = b[i++ & 3];
	int n;
	unsigned j;

	f &= ~SA_RESTORER_;	/* libc's business, set on some arches */
	n = snprintf(p, 96, "%s", h == 0 ? "dfl" : h == 1 ? "ign" :
		     h == (unsigned long)on_signal ? "h" :
		     h == (unsigned long)-2 ? "err" : "?");
	for (j = 0; j < sizeof(t) / sizeof(t[0]); j++)
		if (f & t[j].f) {
			n += snprintf(p + n, 96 - n, "+%s", t[j].n);
			f &= ~t[j].f;
		}
	if (f)
		snprintf(p + n, 96 - n, "+%#lx", f);
	return p;
}

static const char *lim_str(uint64_t v)
{
	static char b[4][24];
	static int i;
	char *p = b[i++ & 3];

	if (v == (uint64_t)-1)
		return "inf";
	snprintf(p, 24, "%llu", (unsigned long long)v);
	return p;
}

static void print_obs(const struct obs *o, int ns)
{
	int i;

	printf(" uid=%ld/%ld", o->uid, o->euid);
	if (jobctl)
		printf(" pgid=%s sid=%s", pname(ns, o->pgid), pname(ns, o->sid));
	printf(" mask=%s", sigset_str(o->mask));
	for (i = 0; i < 4; i++)
		printf(" %s=%s", i == 0 ? "usr1" : i == 1 ? "chld" : i == 2 ? "term" : "cont",
		       disp_str(o->disp[i], o->dflags[i]));
	printf(" nofile=%s nproc=%s node=%s", lim_str(o->nofile), lim_str(o->nproc), o->node);
}

/* observe_now - what @k sees now (after a call that changed it). */
static void observe_now(int k)
{
	struct cmd c;
	struct rep *r;

	memset(&c, 0, sizeof(c));
	c.op = C_OBS;
	r = call(k, &c);
	if (r == &died)
		return;
	printf("    a%d now pid=%s ppid=%s", k, pname(act[k].ns, r->o.pid),
	       pname(act[k].ns, r->o.ppid));
	print_obs(&r->o, act[k].ns);
	printf("\n");
}

/* ---- process creation ------------------------------------------------------------ */

static const struct { uint64_t f; const char *n; } cflag_names[] = {
	{ CLONE_VM, "VM" }, { CLONE_FS, "FS" }, { CLONE_FILES, "FILES" },
	{ CLONE_SIGHAND, "SIGHAND" }, { CLONE_PIDFD, "PIDFD" },
	{ CLONE_PTRACE, "PTRACE" }, { CLONE_VFORK, "VFORK" },
	{ CLONE_PARENT, "PARENT" }, { CLONE_THREAD, "THREAD" },
	{ CLONE_NEWNS, "NEWNS" }, { CLONE_SYSVSEM, "SYSVSEM" },
	{ CLONE_SETTLS, "SETTLS" }, { CLONE_PARENT_SETTID, "PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CHILD_CLEARTID" }, { CLONE_DETACHED, "DETACHED" },
	{ CLONE_UNTRACED, "UNTRACED" }, { CLONE_CHILD_SETTID, "CHILD_SETTID" },
	{ CLONE_NEWCGROUP, "NEWCGROUP" }, { CLONE_NEWUTS, "NEWUTS" },
	{ CLONE_NEWIPC, "NEWIPC" }, { CLONE_NEWUSER, "NEWUSER" },
	{ CLONE_NEWPID, "NEWPID" }, { CLONE_NEWNET, "NEWNET" }, { CLONE_IO, "IO" },
	{ CLONE_NEWTIME, "NEWTIME" }, { CLONE_CLEAR_SIGHAND, "CLEAR_SIGHAND" },
	{ CLONE_INTO_CGROUP, "INTO_CGROUP" },
};

static const char *cflags_str(uint64_t f)
{
	static char b[2][400];
	static int i;
	char *p = b[i++ & 1];
	int n = 0;
	unsigned j;

	p[0] = 0;
	for (j = 0; j < sizeof(cflag_names) / sizeof(cflag_names[0]); j++)
		if (f & cflag_names[j].f) {
			n += snprintf(p + n, 400 - n, "%s%s", n ? "|" : "", cflag_names[j].n);
			f &= ~cflag_names[j].f;
		}
	if (f)
		n += snprintf(p + n, 400 - n, "%s%#llx", n ? "|" : "", (unsigned long long)f);
	if (!n)
		snprintf(p, 400, "0");
	return p;
}

/* the flag sets a clone is drawn near: fork, thread, vfork, a process
 * sharing the mm, a new namespace; then a few flags flipped */
static uint64_t clone_template(void)
{
	static const uint64_t t[] = {
		0,
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
			CLONE_CHILD_CLEARTID,
		CLONE_VM | CLONE_VFORK,
		CLONE_VM | CLONE_FS | CLONE_FILES,
		CLONE_NEWPID | CLONE_NEWUTS,
		CLONE_PIDFD | CLONE_CHILD_SETTID,
	};
	static const uint64_t pool[] = {
		CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_PIDFD,
		CLONE_PTRACE, CLONE_VFORK, CLONE_PARENT, CLONE_THREAD, CLONE_NEWNS,
		CLONE_SYSVSEM, CLONE_SETTLS, CLONE_PARENT_SETTID,
		CLONE_CHILD_CLEARTID, CLONE_DETACHED, CLONE_UNTRACED,
		CLONE_CHILD_SETTID, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
		CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_IO,
	};
	uint64_t f = t[rnd(sizeof(t) / sizeof(t[0]))];
	int n = rnd(3);

	while (n--)
		f ^= pool[rnd(sizeof(pool) / sizeof(pool[0]))];
	return f;
}

/* adopt - slot @k is @a's new child made with @fl (@r: the pid @a got,
 * 0 not yet): where it lives, as Linux places it. */
static void adopt(int a, int k, uint64_t fl, long r)
{
	struct actor *c = &act[k];

	memset(c, 0, sizeof(*c));
	c->state = A_ALIVE;
	c->creator = a;
	c->leader = (fl & CLONE_THREAD) ? act[a].leader : k;
	c->cns = act[a].ns;
	if (fl & CLONE_NEWPID) {
		c->ns = nns++;
		nsi[c->ns] = (struct nsinfo){ act[a].nsc, k };
		c->nsinit = 1;
	} else {
		c->ns = (fl & CLONE_THREAD) ? act[a].ns : act[a].nsc;
		if (nsi[c->ns].init == -1) {
			nsi[c->ns].init = k;
			c->nsinit = 1;
		}
	}
	c->nsc = c->ns;
	c->pidc = r;
	c->pidfd = -1;
	c->busy = -1;
	c->flags = fl;
	/* CLONE_PARENT takes the creator's, as its parent is the creator's */
	c->exit_sig = (fl & CLONE_THREAD) ? 0 : (fl & CLONE_PARENT) ?
		      act[act[a].leader].exit_sig : spawn_exit_sig;
	c->seq = 1;		/* its hello answers command 1 */
	c->out = 1;
	if (r > 0)
		name_add(c->cns, r, k);
}

/* spawn - actor @a runs the creating call @c for slot @k; prints the
 * result and the child's hello. */
static void spawn(int a, int k, struct cmd *c, uint64_t fl, const char *desc)
{
	struct slot *ks = &sh->s[k];
	long deadline = now_ms() + DEADLINE_MS, r;
	int ar = 0, kh = 0;
	uint32_t v;

	c->newk = k;
	send_cmd(a, c);
	for (;;) {
		v = __atomic_load_n(&sh->reply, __ATOMIC_SEQ_CST);
		ar = replied(a);
		kh = __atomic_load_n(&ks->rep_seq, __ATOMIC_SEQ_CST) == 1;
		if (ar || (kh && (fl & CLONE_VFORK)))
			break;
		if (now_ms() > deadline)
			seed_abort("no answer to a clone from", a);
		futex_wait(&sh->reply, v, 2);
	}
	if (!ar) {
		printf("%03d a%d %s = a%d (waits)\n", step, a, desc, k);
		adopt(a, k, fl, 0);
		act[a].busy = k;
	} else {
		act[a].out = 0;
		r = sh->s[a].rep.ret;
		if (r <= 0) {
			printf("%03d a%d %s %s\n", step, a, desc, result(r));
			if (kh)
				printf("    a%d said hello after a failed clone\n", k);
			return;
		}
		adopt(a, k, fl, r);
		printf("%03d a%d %s %s\n", step, a, desc, pres(act[a].ns, r));
	}
	nslots = k + 1;
	if (wait_reply(k, 1, 0) == 0) {
		printf("    a%d gone before hello\n", k);
		act[k].state = A_GONE;
		return;
	}
	{
		struct obs *o = &ks->rep.o;
		struct actor *n = &act[k];
		unsigned long ctls = a >= 0 ? act[a].tls : runner_tls;

		n->pidn = o->tid;
		name_add(n->ns, o->tid, k);
		if (!n->pidc && n->cns == n->ns)
			n->pidc = o->tid;
		n->tls = o->tls;
		printf("    a%d hello pid=%s tid=%s ppid=%s tls=%s", k,
		       pname(n->ns, o->pid), pname(n->ns, o->tid), pname(n->ns, o->ppid),
		       o->tls == (unsigned long)ks->tlsarea ? "set" :
		       o->tls == ctls ? "inherited" : "other");
		print_obs(o, n->ns);
		printf("\n");
	}
}

/* the child's clone words, once it said hello */
static void print_words(int a, int k, uint64_t fl, int pt_ok, int ct_ok, int fd_ok)
{
	struct slot *ks = &sh->s[k];
	int any = 0;

	if (act[k].state == A_FREE)
		return;
	if ((fl & CLONE_PARENT_SETTID) && pt_ok) {
		printf("    words ptid=%s", ks->ptid == SENT ? "unset" :
		       pname(act[a].ns, ks->ptid));
		any = 1;
	}
	if ((fl & CLONE_CHILD_SETTID) && ct_ok) {
		printf("%s ctid=%s", any ? "" : "    words", ks->ctid == SENT ? "unset" :
		       pname(act[k].ns, ks->ctid));
		any = 1;
	}
	if ((fl & CLONE_PIDFD) && fd_ok) {
		printf("%s pidfd=", any ? "" : "    words");
		if (ks->pidfd == SENT)
			printf("unset");
		else
			printf("%d", ks->pidfd);
		any = 1;
	}
	if (any)
		printf("\n");
	if ((fl & CLONE_CHILD_CLEARTID) && ct_ok)
		act[k].ctid_word = 1;
}

static long exit_sig_pick(void)
{
	static const long s[] = { SIGCHLD, SIGCHLD, SIGCHLD, SIGCHLD, SIGCHLD, SIGCHLD,
				  0, 0, SIGUSR1, 64, 65 };

	return s[rnd(sizeof(s) / sizeof(s[0]))];
}

/* no_vfork_across - a vfork child in another pid namespace than its
 * creator could not be told apart from its creator's view until the
 * creator returns (the runner tracks a process by the pid its creator
 * got): such draws lose CLONE_VFORK. */
static uint64_t no_vfork_across(int a, uint64_t fl)
{
	if ((fl & CLONE_NEWPID) || act[a].nsc != act[a].ns)
		fl &= ~(uint64_t)CLONE_VFORK;
	return fl;
}

static void op_fork(int a, int k, int vfork)
{
	struct cmd c;
	uint64_t fl = vfork ? CLONE_VM | CLONE_VFORK : 0;

	memset(&c, 0, sizeof(c));
	c.op = C_SPAWN;
	if (vfork && act[a].nsc != act[a].ns) {
		/* see no_vfork_across: a plain fork instead */
		vfork = 0;
		fl = 0;
	}
	spawn_exit_sig = SIGCHLD;
#ifdef SYS_fork
	c.nr = vfork ? SYS_vfork : SYS_fork;
#else
	/* no fork or vfork numbers: clone does it, as libc does */
	c.nr = SYS_clone;
	c.a[0] = (long)(fl | SIGCHLD);
#endif
	spawn(a, k, &c, fl, vfork ? "vfork()" : "fork()");
}

static void op_clone(int a, int k)
{
	struct slot *ks = &sh->s[k];
	uint64_t fl = no_vfork_across(a, clone_template());
	long sig = exit_sig_pick();
	int pt = PK_OK, ct = PK_OK;
	long ptid = 0, ctid = 0, sp = 0, tls = 0;
	char desc[512];
	struct cmd c;
	int n;

	fl &= ~(uint64_t)(0xff);	/* CSIGNAL: the exit signal goes there */
	if (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
		pt = pk_pick(80, 4);
		/* one slot for two values: PIDFD's fd, or PARENT_SETTID's tid */
		ptid = pk_addr(pt, (fl & CLONE_PARENT_SETTID) ? &ks->ptid : &ks->pidfd);
	}
	if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		ct = pk_pick(80, 4);
		ctid = pk_addr(ct, &ks->ctid);
	}
	if (chance(80))
		sp = (long)(stacks + (long)(k + 1) * STK);
	if (fl & CLONE_SETTLS)
		tls = (long)ks->tlsarea;
	spawn_exit_sig = sig;
	memset(&c, 0, sizeof(c));
	c.op = C_SPAWN;
	c.nr = SYS_clone;
	{
		long args[5] = { DT_CLONE_ARGS((long)(fl | (uint64_t)sig), sp, ptid, ctid, tls) };

		memcpy(c.a, args, sizeof(args));
	}
	n = snprintf(desc, sizeof(desc), "clone(%s, sig=%s, stack=%s", cflags_str(fl),
		     signame(sig), sp ? "ok" : "0");
	if (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD))
		n += snprintf(desc + n, sizeof(desc) - n, ", ptid=%s", pk_name[pt]);
	if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		n += snprintf(desc + n, sizeof(desc) - n, ", ctid=%s", pk_name[ct]);
	snprintf(desc + n, sizeof(desc) - n, ")");
	spawn(a, k, &c, fl, desc);
	print_words(a, k, (fl & CLONE_PIDFD) && !(fl & CLONE_PARENT_SETTID) ?
		    fl & ~(uint64_t)CLONE_PARENT_SETTID : fl & ~(uint64_t)CLONE_PIDFD,
		    pt == PK_OK, ct == PK_OK, pt == PK_OK);
}

struct dt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		 stack_size, tls, set_tid, set_tid_size, cgroup;
};

static void op_clone3(int a, int k)
{
	struct slot *ks = &sh->s[a];	/* the creator's input buffer */
	struct slot *kk = &sh->s[k];
	struct dt_clone_args *ca = (struct dt_clone_args *)ks->in;
	uint64_t fl = no_vfork_across(a, clone_template());
	int pf = PK_OK, ct = PK_OK, pt = PK_OK, ak = PK_OK, st, ts = 0;
	static const long sizes[] = { 88, 88, 88, 88, 88, 64, 64, 80, 96, 96, 56, 0, 5000 };
	long size = sizes[rnd(sizeof(sizes) / sizeof(sizes[0]))];
	char desc[600];
	struct cmd c;
	int n;

	/* no CLONE_INTO_CGROUP: kfork's hosts without cgroups answer it with
	 * EOPNOTSUPP by design (kf_os.h), where Linux, which has them, says
	 * EBADF for an fd that is not a cgroup directory */
	if (chance(10))
		fl |= CLONE_CLEAR_SIGHAND;
	if (chance(3))
		fl |= CLONE_NEWTIME;
	if (chance(2))
		fl |= 1ull << 40;	/* no such flag */
	memset(ks->in, 0, sizeof(ks->in));
	ca->flags = fl;
	if (fl & CLONE_PIDFD) {
		pf = pk_pick(80, 4);
		ca->pidfd = (uint64_t)pk_addr(pf, &kk->pidfd);
	}
	if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		ct = pk_pick(80, 4);
		ca->child_tid = (uint64_t)pk_addr(ct, &kk->ctid);
	}
	if (fl & CLONE_PARENT_SETTID) {
		pt = pk_pick(80, 4);
		ca->parent_tid = (uint64_t)pk_addr(pt, &kk->ptid);
	}
	ca->exit_signal = (uint64_t)exit_sig_pick();
	if (chance(3))
		ca->exit_signal = 1ull << 32;
	st = rnd(20);
	if (st < 12) {
		ca->stack = (uint64_t)(stacks + (long)k * STK);
		ca->stack_size = STK;
	} else if (st == 12) {
		ca->stack_size = STK;		/* a size without a stack */
	} else if (st == 13) {
		ca->stack = (uint64_t)(stacks + (long)k * STK);	/* no size */
	} else if (st == 14) {
		ca->stack = DT_KERNEL_PTR;
		ca->stack_size = STK;
	}				/* else neither: the creator's stack */
	if (fl & CLONE_SETTLS)
		ca->tls = (uint64_t)kk->tlsarea;
	if (chance(8)) {
		/* set_tid: a chosen pid (CAP_SYS_ADMIN: root) */
		ts = 1 + rnd(2);
		if (chance(15))
			ts = 40;		/* deeper than any nesting */
		ks->in[20] = (uint64_t)(200 + k) | ((uint64_t)1 << 32);	/* [200+k, 1] */
		ca->set_tid = (uint64_t)&ks->in[20];
		ca->set_tid_size = (uint64_t)ts;
	}
	if (size == 96)
		ks->in[11] = chance(50);	/* the tail past the struct */
	if (chance(10))
		ak = pk_pick(0, sizeof(*ca));
	memset(&c, 0, sizeof(c));
	c.op = C_SPAWN;
	c.nr = SYS_clone3;
	c.a[0] = pk_addr(ak, ca);
	c.a[1] = size;
	n = snprintf(desc, sizeof(desc), "clone3(");
	if (ak != PK_OK) {
		n += snprintf(desc + n, sizeof(desc) - n, "args=%s", pk_name[ak]);
	} else {
		n += snprintf(desc + n, sizeof(desc) - n, "{%s, exit=%s, stack=%s",
			      cflags_str(fl), ca->exit_signal >> 32 ? "1<<32" :
			      signame((long)ca->exit_signal),
			      st < 12 ? "ok" : st == 12 ? "0+size" : st == 13 ? "ok+0" :
			      st == 14 ? "kernel" : "0");
		if (fl & CLONE_PIDFD)
			n += snprintf(desc + n, sizeof(desc) - n, ", pidfd=%s", pk_name[pf]);
		if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
			n += snprintf(desc + n, sizeof(desc) - n, ", ctid=%s", pk_name[ct]);
		if (fl & CLONE_PARENT_SETTID)
			n += snprintf(desc + n, sizeof(desc) - n, ", ptid=%s", pk_name[pt]);
		if (ts)
			n += snprintf(desc + n, sizeof(desc) - n, ", set_tid=%d", ts);
		if (size == 96)
			n += snprintf(desc + n, sizeof(desc) - n, ", tail=%d", (int)ks->in[11]);
		n += snprintf(desc + n, sizeof(desc) - n, "}");
	}
	snprintf(desc + n, sizeof(desc) - n, ", %ld)", size);
	spawn_exit_sig = (long)ca->exit_signal;
	if (ak == PK_RO) {
		fl = 0;		/* the read-only page holds zeros: a plain clone */
		spawn_exit_sig = 0;
	}
	spawn(a, k, &c, fl, desc);
	if (ak == PK_OK)
		print_words(a, k, fl, pt == PK_OK, ct == PK_OK, pf == PK_OK);
}

/* op_spawn - a creating call by @a.  Only actors of the runner's own pid
 * namespace make them: the runner then knows the pid of every process
 * (its pidfd tells when the process is gone) and of every thread, as its
 * creator got them.  A process in a deeper namespace does everything
 * else; its namespace is filled by the actor that unshared it. */
static void op_spawn(int a)
{
	int k = nslots, r = rnd(100);
	struct slot *ks;

	if (k >= MAXA)
		return;
	ks = &sh->s[k];
	memset(ks, 0, sizeof(*ks));
	ks->ptid = ks->ctid = ks->pidfd = SENT;
	ks->cmd_seq = 1;
	if (r < 20)
		op_fork(a, k, 0);
	else if (r < 30)
		op_fork(a, k, 1);
	else if (r < 65)
		op_clone(a, k);
	else
		op_clone3(a, k);
}

/* ---- targets ---------------------------------------------------------------------- */

/* pick_target - a pid for @a to name: itself, another actor it can see
 * (a process or a thread), its namespace's init, or a pid nobody has.
 * Its name goes to @name. */
static long pick_target(int a, const char **name)
{
	int r = rnd(100), j, tries;
	long v;

	if (r < 15) {
		v = pvalue(act[a].ns, act[a].leader);
	} else if (r < 22) {
		*name = "nx";
		return NOPID;
	} else if (r < 27) {
		v = 1;
	} else {
		for (tries = 0; tries < 8; tries++) {
			j = rnd(nslots);
			v = pvalue(act[a].ns, j);
			if (v)
				break;
		}
		if (!v)
			v = pvalue(act[a].ns, act[a].leader);
	}
	*name = pname(act[a].ns, v);
	return v;
}

static int live_count(void)
{
	int j, n = 0;

	for (j = 0; j < nslots; j++)
		n += act[j].state == A_ALIVE;
	return n;
}

/* pick_sig - a signal to send; with few actors left, none whose default
 * action ends a process (a seed that ends early tests little). */
static long pick_sig(int fatal_ok)
{
	static const long s[] = { 0, SIGUSR1, SIGUSR1, SIGUSR1, SIGCHLD, SIGCONT,
				  SIGTERM, SIGKILL, 65, SIGUSR2 };
	static const long stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT };
	long sig;

	if (jobctl && chance(20))
		return stops[rnd(5)];
	do
		sig = s[rnd(sizeof(s) / sizeof(s[0]))];
	while (!fatal_ok && (sig == SIGKILL || sig == SIGTERM || sig == SIGUSR1 ||
			     sig == SIGUSR2));
	return sig;
}

/* sig_kills - does @sig's default action end a process? */
static int sig_kills(long sig)
{
	return sig > 0 && sig < NSIGS && sig != SIGCHLD && sig != SIGCONT &&
	       sig != SIGURG && sig != SIGWINCH && sig != SIGSTOP && sig != SIGTSTP &&
	       sig != SIGTTIN && sig != SIGTTOU;
}

/* doom_value - @sig went to the process or thread namespace @ns knows as
 * @v: if it may kill, its group is doomed (see busy_gone); -1 for @v:
 * every group but @spare's. */
static void doom_value(int ns, long v, long sig, int spare)
{
	int j;

	if (!sig_kills(sig))
		return;
	for (j = 0; j < nslots; j++)
		if (v == -1 ? act[j].leader != spare : pvalue(ns, j) == v)
			doom[act[j].leader] = 1;
}

/* note_stop - with -j, what @sig may do to stopped or running actors
 * (see ping) */
static void note_stop(long sig)
{
	if (sig == SIGCONT || sig_kills(sig))
		cont_due = 1;
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		stop_due = 1;
}

/* ---- the calls ------------------------------------------------------------------------ */

static const char *status_str(int st)
{
	static char b[48];

	if (WIFEXITED(st))
		snprintf(b, sizeof(b), "exit(%d)", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, sizeof(b), "sig(%s)%s", signame(WTERMSIG(st)),
			 WCOREDUMP(st) ? "+core" : "");
	else if (WIFSTOPPED(st))
		snprintf(b, sizeof(b), "stop(%s)", signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(b, sizeof(b), "cont");
	else
		snprintf(b, sizeof(b), "%#x", st);
	return b;
}

static int written(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0xa5)
			return 1;
	return 0;
}

static const char *wopts_str(long o)
{
	static const struct { long f; const char *n; } t[] = {
		{ WNOHANG, "WNOHANG" }, { WUNTRACED, "WUNTRACED" },
		{ WEXITED, "WEXITED" }, { WCONTINUED, "WCONTINUED" },
		{ WNOWAIT, "WNOWAIT" }, { __WNOTHREAD, "__WNOTHREAD" },
		{ __WALL, "__WALL" }, { __WCLONE, "__WCLONE" },
	};
	static char b[160];
	int n = 0;
	unsigned j;

	b[0] = 0;
	for (j = 0; j < sizeof(t) / sizeof(t[0]); j++)
		if (o & t[j].f) {
			n += snprintf(b + n, sizeof(b) - n, "%s%s", n ? "|" : "", t[j].n);
			o &= ~t[j].f;
		}
	if (o)
		n += snprintf(b + n, sizeof(b) - n, "%s%#lx", n ? "|" : "", o);
	if (!n)
		snprintf(b, sizeof(b), "0");
	return b;
}

static long wait_opts_pick(int waitid)
{
	long o = 0;

	if (chance(45))
		o |= WNOHANG;
	if (waitid) {
		if (chance(85))
			o |= WEXITED;
		if (chance(15))
			o |= WNOWAIT;
		if (chance(20))
			o |= WSTOPPED;
	} else if (chance(20)) {
		o |= WUNTRACED;
	}
	if (chance(15))
		o |= WCONTINUED;
	if (chance(10))
		o |= __WCLONE;
	if (chance(15))
		o |= __WALL;
	if (chance(8))
		o |= __WNOTHREAD;
	if (chance(3))
		o |= waitid ? 0x100 : WNOWAIT;	/* not allowed here */
	return o;
}

/* __WNOTHREAD would race with a leader's exit still moving its children
 * to another thread (nothing tells when that is done): not drawn then */
static long wait_opts_fix(int a, long o)
{
	if (act[act[a].leader].state == A_TEXIT)
		o &= ~(long)__WNOTHREAD;
	return o;
}

#define WAIT4_OK (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WAITID_OK (WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | \
		   __WNOTHREAD | __WCLONE | __WALL)

static void op_wait4(int a)
{
	struct slot *s = &sh->s[a];
	long pid, o = wait_opts_fix(a, wait_opts_pick(0));
	int sk = chance(20) ? PK_NULL : pk_pick(80, 4);
	int rk = chance(60) ? PK_NULL : pk_pick(70, 144);
	const char *pn;
	struct cmd c;
	long r;
	int r100 = rnd(100);

	if (r100 < 35) {
		pid = -1;
		pn = "-1";
	} else if (r100 < 40) {
		pid = -2147483647l - 1;
		pn = "INT_MIN";
	} else if (jobctl && r100 < 50) {
		pid = chance(50) ? 0 : -pick_target(a, &pn);
		if (!pid)
			pn = "0";
		else
			pn = pid == -NOPID ? "-nx" : "-pgid";
	} else {
		pid = pick_target(a, &pn);
	}
	memset(s->out, 0xa5, sizeof(s->out));
	memset(s->ru, 0xa5, sizeof(s->ru));
	memset(&c, 0, sizeof(c));
	c.op = C_WAIT;
	c.nr = SYS_wait4;
	c.a[0] = pid;
	c.a[1] = pk_addr(sk, s->out);
	c.a[2] = o;
	c.a[3] = pk_addr(rk, s->ru);
	if (!(o & WNOHANG) && !(o & ~(long)WAIT4_OK) && pid != -2147483647l - 1) {
		c.probe[0] = pid == -1 ? P_ALL : pid > 0 ? P_PID : P_PGID;
		c.probe[1] = pid == -1 ? 0 : pid > 0 ? pid : -pid;
		c.probe[2] = WEXITED | (o & WUNTRACED ? WSTOPPED : 0) |
			     (o & (WCONTINUED | __WNOTHREAD | __WCLONE | __WALL));
	}
	r = call(a, &c)->ret;
	reaped |= r > 0 && r != DT_WOULDBLOCK;
	printf("%03d a%d wait4(%s, status=%s, %s, ru=%s) ", step, a,
	       pid == 0 ? "0" : pn, pk_name[sk], wopts_str(o), pk_name[rk]);
	if (r == DT_WOULDBLOCK) {
		printf("= blocks\n");
		return;
	}
	printf("%s", pres(act[a].ns, r));
	if (r > 0 && sk == PK_OK)
		printf(" %s", status_str(*(int *)s->out));
	if (r >= 0 && rk == PK_OK)
		printf(" ru=%s", written(s->ru, 144) ? "written" : "untouched");
	printf("\n");
}

static void op_waitid(int a)
{
	struct slot *s = &sh->s[a];
	long o = wait_opts_fix(a, wait_opts_pick(1)), id = 0;
	int ik = chance(10) ? PK_NULL : pk_pick(80, 128);
	int rk = chance(70) ? PK_NULL : pk_pick(70, 144);
	int r100 = rnd(100), *si = (int *)s->out;
	long idt;
	const char *idn = "0", *tn = "P_ALL";
	char ids[32];
	struct cmd c;
	long r;

	if (r100 < 30) {
		idt = P_ALL;
	} else if (r100 < 75) {
		idt = P_PID;
		tn = "P_PID";
		id = pick_target(a, &idn);
	} else if (r100 < 88) {
		idt = P_PIDFD;
		tn = "P_PIDFD";
		id = 3 + rnd(4);
		snprintf(ids, sizeof(ids), "fd%ld", id);
		idn = ids;
	} else if (r100 < 93 || !jobctl) {
		idt = 7;
		tn = "7";
		id = 0;
	} else {
		idt = P_PGID;
		tn = "P_PGID";
		id = chance(40) ? 0 : pick_target(a, &idn);
	}
	memset(s->out, 0xa5, sizeof(s->out));
	memset(s->ru, 0xa5, sizeof(s->ru));
	memset(&c, 0, sizeof(c));
	c.op = C_WAIT;
	c.nr = SYS_waitid;
	c.a[0] = idt;
	c.a[1] = id;
	c.a[2] = pk_addr(ik, s->out);
	c.a[3] = o;
	c.a[4] = pk_addr(rk, s->ru);
	if (!(o & WNOHANG) && !(o & ~(long)WAITID_OK) &&
	    (o & (WEXITED | WSTOPPED | WCONTINUED))) {
		c.probe[0] = idt;
		c.probe[1] = id;
		c.probe[2] = o & ~(long)WNOWAIT;
	}
	r = call(a, &c)->ret;
	reaped |= r == 0;
	printf("%03d a%d waitid(%s, %s, info=%s, %s, ru=%s) ", step, a, tn, idn,
	       pk_name[ik], wopts_str(o), pk_name[rk]);
	if (r == DT_WOULDBLOCK) {
		printf("= blocks\n");
		return;
	}
	printf("%s", result(r));
	if (r == 0 && ik == PK_OK) {
		static const char *codes[] = { "0", "EXITED", "KILLED", "DUMPED",
					       "TRAPPED", "STOPPED", "CONTINUED" };

		if (!written(si, 32))
			printf(" si=untouched");
		else if (si[0] == 0 && si[4] == 0)
			printf(" si=empty(code=%d status=%d)", si[2], si[6]);
		else
			printf(" si=%s/%s/%s/uid%d/%s", signame(si[0]),
			       si[2] >= 0 && si[2] <= 6 ? codes[si[2]] : "?",
			       pname(act[a].ns, si[4]), si[5],
			       si[2] == 1 ? (snprintf(ids, sizeof(ids), "%d", si[6]), ids) :
			       signame(si[6]));
	}
	if (r >= 0 && rk == PK_OK)
		printf(" ru=%s", written(s->ru, 144) ? "written" : "untouched");
	printf("\n");
}

/* op_kill - a kill(2)-like call.  Its line waits for the step to
 * settle: a caller killed by what its call set off (its child's exit
 * signal) may or may not have got back to user space first, on Linux
 * too, so a caller that died in the step shows "(died)" either way. */
static void op_kill(int a)
{
	int r100 = rnd(100), fatal = live_count() >= 3;
	const char *tn;
	char *l = pend_line;
	const size_t n = sizeof(pend_line);
	long pid, sig, r;

	if (r100 < 45) {
		pid = pick_target(a, &tn);
		sig = pick_sig(fatal);
		note_stop(sig);
		doom_value(act[a].ns, pid, sig, -1);
		r = sys(a, SYS_kill, pid, sig, 0, 0, 0)->ret;
		snprintf(l, n, "%03d a%d kill(%s, %s)", step, a, tn, signame(sig));
	} else if (r100 < 52) {
		sig = pick_sig(fatal && chance(20));
		note_stop(sig);
		doom_value(act[a].ns, -1, sig, act[a].leader);
		r = sys(a, SYS_kill, -1, sig, 0, 0, 0)->ret;
		snprintf(l, n, "%03d a%d kill(-1, %s)", step, a, signame(sig));
	} else if (jobctl && r100 < 60) {
		pid = chance(40) ? 0 : -pick_target(a, &tn);
		sig = pick_sig(fatal);
		note_stop(sig);
		doom_value(act[a].ns, -1, sig, -1);
		r = sys(a, SYS_kill, pid, sig, 0, 0, 0)->ret;
		snprintf(l, n, "%03d a%d kill(%s, %s)", step, a,
			 pid == 0 ? "0" : pid == -NOPID ? "-nx" : "-pgid", signame(sig));
	} else if (r100 < 72) {
		pid = pick_target(a, &tn);
		sig = pick_sig(fatal);
		note_stop(sig);
		doom_value(act[a].ns, pid, sig, -1);
		r = sys(a, SYS_tkill, pid, sig, 0, 0, 0)->ret;
		snprintf(l, n, "%03d a%d tkill(%s, %s)", step, a, tn, signame(sig));
	} else if (r100 < 88) {
		const char *gn;
		long tid = pick_target(a, &tn);
		long tgid = chance(80) ? pvalue(act[a].ns, act[a].leader) : pick_target(a, &gn);
		int j;

		/* mostly the right group: the target's own */
		for (j = 0; j < nslots; j++)
			if (pvalue(act[a].ns, j) == tid && chance(80))
				tgid = pvalue(act[a].ns, act[j].leader);
		if (tgid == 0)
			tgid = tid;
		gn = pname(act[a].ns, tgid);
		sig = pick_sig(fatal);
		note_stop(sig);
		doom_value(act[a].ns, tid, sig, -1);
		r = sys(a, SYS_tgkill, tgid, tid, sig, 0, 0)->ret;
		snprintf(l, n, "%03d a%d tgkill(%s, %s, %s)", step, a, gn, tn, signame(sig));
	} else {
		int fd = 3 + rnd(4);

		sig = pick_sig(fatal);
		note_stop(sig);
		doom_value(act[a].ns, -1, sig, -1);
		r = sys(a, SYS_pidfd_send_signal, fd, sig, 0, chance(5), 0)->ret;
		snprintf(l, n, "%03d a%d pidfd_send_signal(%d, %s)", step, a, fd, signame(sig));
	}
	pend_actor = a;
	pend_ret = r;
}

static void op_exit(int a)
{
	struct cmd c;
	int grp = chance(50), code = rnd(256);

	/* exit(2) of any thread of a group uses the group's own code: which
	 * thread's code a process that outlived its leader reports changed
	 * after Linux 6.12 (the leader's there, the last thread's later) */
	if (!grp)
		code = (act[a].leader * 37 + 11) & 0xff;

	memset(&c, 0, sizeof(c));
	c.op = C_EXIT;
	c.nr = grp ? SYS_exit_group : SYS_exit;
	c.a[0] = code;
	send_cmd(a, &c);
	printf("%03d a%d %s(%d)\n", step, a, grp ? "exit_group" : "exit", code);
	act[a].self_exit = !grp;
	/* (the exit signal that kills a parent: see mark_gone) */
	/* a leader's own exit leaves its group until the last thread ends;
	 * else settle waits for the exit (the command never answers) */
	if (!grp && act[a].leader == a) {
		act[a].state = A_TEXIT;
		act[a].out = 0;
	}
}

static void op_sigaction(int a)
{
	static const long sigs[] = { SIGUSR1, SIGUSR1, SIGCHLD, SIGCHLD, SIGTERM,
				     SIGCONT, SIGKILL };
	static const unsigned long fls[] = { 0, SA_RESTART, SA_NOCLDSTOP, SA_NOCLDWAIT,
					     SA_SIGINFO, SA_NODEFER, SA_RESETHAND };
	struct slot *s = &sh->s[a];
	struct dt_ksigaction *ka = (struct dt_ksigaction *)s->in;
	long sig = sigs[rnd(sizeof(sigs) / sizeof(sigs[0]))], r, size = chance(95) ? 8 : 4;
	int kind = rnd(10), ak, ok;
	unsigned long f = 0;

	memset(ka, 0, sizeof(*ka));
	ka->handler = kind < 6 ? (void *)on_signal : kind < 8 ? (void *)SIG_IGN : (void *)SIG_DFL;
	if (chance(60))
		f |= fls[rnd(sizeof(fls) / sizeof(fls[0]))];
	if (chance(20))
		f |= fls[rnd(sizeof(fls) / sizeof(fls[0]))];
#if DT_HAVE_RESTORER
	f |= SA_RESTORER_;
	ka->restorer = difftest_restorer;
#endif
	ka->flags = f;
	if (chance(20))
		ka->mask = 1ull << (SIGUSR2 - 1);
	ak = chance(10) ? PK_NULL : pk_pick(85, sizeof(*ka));
	ok = chance(70) ? PK_NULL : pk_pick(75, sizeof(*ka));
	memset(s->out, 0xa5, sizeof(s->out));
	r = sys(a, SYS_rt_sigaction, sig, pk_addr(ak, ka), pk_addr(ok, s->out), size, 0)->ret;
	printf("%03d a%d rt_sigaction(%s, act=%s%s%s, old=%s, %ld) %s\n", step, a,
	       signame(sig), pk_name[ak], ak == PK_OK ? ":" : "",
	       ak == PK_OK ? disp_str((unsigned long)ka->handler, f) : "",
	       pk_name[ok], size, result(r));
	if (ak != PK_NULL || ok != PK_NULL)
		observe_now(a);
}

static void op_sigprocmask(int a)
{
	static const uint64_t sets[] = {
		1ull << (SIGUSR1 - 1), 1ull << (SIGCHLD - 1),
		(1ull << (SIGUSR1 - 1)) | (1ull << (SIGCHLD - 1)) | (1ull << (SIGTERM - 1)),
		(1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)) | (1ull << (SIGUSR1 - 1)),
	};
	struct slot *s = &sh->s[a];
	long how = rnd(20), size = chance(95) ? 8 : 4, r;
	int sk = chance(10) ? PK_NULL : pk_pick(85, 8);
	int ok = chance(70) ? PK_NULL : pk_pick(75, 8);

	how = how < 8 ? SIG_BLOCK : how < 15 ? SIG_UNBLOCK : how < 19 ? SIG_SETMASK : 7;
	s->in[0] = sets[rnd(4)];
	memset(s->out, 0xa5, sizeof(s->out));
	r = sys(a, SYS_rt_sigprocmask, how, pk_addr(sk, s->in), pk_addr(ok, s->out), size,
		0)->ret;
	printf("%03d a%d rt_sigprocmask(%s, set=%s%s%s, old=%s, %ld) %s\n", step, a,
	       how == SIG_BLOCK ? "BLOCK" : how == SIG_UNBLOCK ? "UNBLOCK" :
	       how == SIG_SETMASK ? "SETMASK" : "7", pk_name[sk], sk == PK_OK ? ":" : "",
	       sk == PK_OK ? sigset_str(s->in[0]) : "", pk_name[ok], size, result(r));
	if (ok == PK_OK && r == 0)
		printf("    old=%s\n", sigset_str(s->out[0]));
	if (sk != PK_NULL)
		observe_now(a);
}

static const char *res_name(long r)
{
	switch (r) {
	case RLIMIT_NOFILE: return "NOFILE";
	case RLIMIT_NPROC: return "NPROC";
	case RLIMIT_STACK: return "STACK";
	case RLIMIT_AS: return "AS";
	case RLIMIT_CORE: return "CORE";
	case RLIMIT_SIGPENDING: return "SIGPENDING";
	case RLIMIT_DATA: return "DATA";
	default: return "99";
	}
}

static void op_rlimit(int a)
{
	static const long res[] = { RLIMIT_NOFILE, RLIMIT_NOFILE, RLIMIT_NPROC,
				    RLIMIT_NPROC, RLIMIT_STACK, RLIMIT_AS, RLIMIT_CORE,
				    RLIMIT_SIGPENDING, RLIMIT_DATA, 99 };
	static const uint64_t vals[] = { 0, 1, 8, 64, 256, 1024, 4096, 1u << 20,
					 (uint64_t)-1 };
	struct slot *s = &sh->s[a];
	long rs = res[rnd(sizeof(res) / sizeof(res[0]))], r;
	int which = rnd(3), nk, ok;
	uint64_t cur = vals[rnd(9)], max = vals[rnd(9)];
	const char *tn = "0";
	long pid = 0;

	if (cur > max && chance(80)) {
		uint64_t t = cur;

		cur = max;
		max = t;
	}
	if (which > 0 && rs != 99 && sys(a, SYS_geteuid, 0, 0, 0, 0, 0)->ret == 0 &&
	    sys(a, SYS_prlimit64, 0, rs, 0, (long)s->out, 0)->ret == 0 &&
	    max > s->out[1]) {
		/* root raising a hard limit needs CAP_SYS_RESOURCE, which the
		 * machine running the native side may withhold (containers
		 * do): root never raises one here */
		max = s->out[1];
		if (cur > max)
			cur = max;
	}
	s->in[0] = cur;
	s->in[1] = max;
	memset(s->out, 0xa5, sizeof(s->out));
	if (which == 0) {
		ok = pk_pick(80, 16);
		r = sys(a, SYS_getrlimit, rs, pk_addr(ok, s->out), 0, 0, 0)->ret;
		printf("%03d a%d getrlimit(%s, %s) %s", step, a, res_name(rs), pk_name[ok],
		       result(r));
		if (r == 0 && ok == PK_OK)
			printf(" {%s, %s}", lim_str(s->out[0]), lim_str(s->out[1]));
		printf("\n");
		return;
	}
	if (which == 1) {
		nk = pk_pick(85, 16);
		r = sys(a, SYS_setrlimit, rs, pk_addr(nk, s->in), 0, 0, 0)->ret;
		printf("%03d a%d setrlimit(%s, %s%s%s%s%s) %s\n", step, a, res_name(rs),
		       pk_name[nk], nk == PK_OK ? ":{" : "", nk == PK_OK ? lim_str(cur) : "",
		       nk == PK_OK ? ", " : "", nk == PK_OK ? lim_str(max) : "", result(r));
	} else {
		/* another process's limits need the caller's real ids to be
		 * all of the target's, or CAP_SYS_RESOURCE over it, which root
		 * of the initial namespace holds or not as the machine running
		 * the native side decides (containers withhold it): root asks
		 * about its own */
		if (chance(30) && sys(a, SYS_geteuid, 0, 0, 0, 0, 0)->ret != 0)
			pid = pick_target(a, &tn);
		nk = chance(30) ? PK_NULL : pk_pick(80, 16);
		if (pid && nk == PK_OK) {
			/* another process's limits: what they are is not
			 * known here, so nothing that might raise them */
			s->in[0] = cur = rnd(2);
			s->in[1] = max = 0;
		}
		ok = chance(40) ? PK_NULL : pk_pick(80, 16);
		r = sys(a, SYS_prlimit64, pid, rs, pk_addr(nk, s->in), pk_addr(ok, s->out),
			0)->ret;
		printf("%03d a%d prlimit64(%s, %s, new=%s", step, a, tn, res_name(rs),
		       pk_name[nk]);
		if (nk == PK_OK)
			printf(":{%s, %s}", lim_str(cur), lim_str(max));
		printf(", old=%s) %s", pk_name[ok], result(r));
		if (r == 0 && ok == PK_OK)
			printf(" old={%s, %s}", lim_str(s->out[0]), lim_str(s->out[1]));
		printf("\n");
	}
	if (rs == 99)
		return;
	/* what the limit is now, whatever the call returned */
	memset(s->out, 0xa5, sizeof(s->out));
	r = sys(a, SYS_prlimit64, 0, rs, 0, (long)s->out, 0)->ret;
	if (r == 0)
		printf("    now %s={%s, %s}\n", res_name(rs), lim_str(s->out[0]),
		       lim_str(s->out[1]));
}

/* unshare: no CLONE_NEWTIME.  After it Linux 6.12 (kfork's reference)
 * refuses a CLONE_VM child without CLONE_VFORK; later kernels, which CI
 * machines run, allow one. */
static void op_unshare(int a)
{
	static const uint64_t pool[] = {
		CLONE_FILES, CLONE_FS, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS,
		CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
		CLONE_SYSVSEM, CLONE_THREAD, CLONE_SIGHAND, CLONE_VM, CLONE_NEWPID,
		CLONE_NEWUTS, CLONE_FILES, CLONE_PARENT, 0x40000000ull,
	};
	uint64_t f = 0;
	int n = 1 + rnd(2);
	long r;

	while (n--)
		f |= pool[rnd(sizeof(pool) / sizeof(pool[0]))];
	r = sys(a, SYS_unshare, (long)f, 0, 0, 0, 0)->ret;
	printf("%03d a%d unshare(%s) %s\n", step, a, cflags_str(f), result(r));
	if (r == 0 && (f & CLONE_NEWPID)) {
		/* the next child is the new namespace's init */
		nsi[nns] = (struct nsinfo){ act[a].nsc, -1 };
		act[a].nsc = nns++;
	}
	if (r == 0 && (f & (CLONE_NEWUSER | CLONE_NEWUTS)))
		observe_now(a);
}

static void op_ids(int a)
{
	int r100 = rnd(100);
	long r;

	if (r100 < 60) {
		static const long nrs[] = { SYS_getpid, SYS_getppid, SYS_gettid, SYS_getuid };
		static const char *nn[] = { "getpid", "getppid", "gettid", "getuid" };
		int i = rnd(4);

		r = sys(a, nrs[i], 0, 0, 0, 0, 0)->ret;
		printf("%03d a%d %s() %s\n", step, a, nn[i],
		       i == 3 ? result(r) : pres(act[a].ns, r));
		return;
	}
	r = sys(a, SYS_setuid, r100 < 92 ? UID_OTHER : 0, 0, 0, 0, 0)->ret;
	printf("%03d a%d setuid(%s) %s\n", step, a, r100 < 92 ? "43210" : "0", result(r));
	observe_now(a);
}

static void op_uts(int a)
{
	struct slot *s = &sh->s[a];
	long r, len;
	int pk;

	if (chance(50)) {
		pk = pk_pick(80, 390);
		memset(s->out, 0xa5, sizeof(s->out));
		r = sys(a, SYS_uname, pk_addr(pk, s->out), 0, 0, 0, 0)->ret;
		printf("%03d a%d uname(%s) %s", step, a, pk_name[pk], result(r));
		if (r == 0 && pk == PK_OK)
			printf(" node=%.64s", (char *)s->out + 65);
		printf("\n");
		return;
	}
	pk = pk_pick(80, 16);
	len = chance(90) ? 4 : chance(50) ? 65 : 0;
	snprintf((char *)s->in, 16, "h%d", step % 100);
	r = sys(a, SYS_sethostname, pk_addr(pk, s->in), len, 0, 0, 0)->ret;
	printf("%03d a%d sethostname(%s%s%.4s, %ld) %s\n", step, a, pk_name[pk],
	       pk == PK_OK ? ":" : "", pk == PK_OK ? (char *)s->in : "", len, result(r));
}

/* PIDFD_THREAD: pidfd_open of a thread that does not lead its group
 * needs it (without it Linux 6.12 says EINVAL, later kernels ENOENT: not
 * drawn) */
#define DT_PIDFD_THREAD 0200

static int is_thread_value(int ns, long v)
{
	int j;

	for (j = nnames - 1; j >= 0; j--)
		if (names[j].ns == ns && names[j].v == v)
			return names[j].slot >= 0 && act[names[j].slot].leader != names[j].slot;
	return 0;
}

static void op_pidfd_open(int a)
{
	const char *tn;
	long pid = pick_target(a, &tn), r;
	long fl = chance(75) ? 0 : chance(40) ? 04000 : chance(60) ? DT_PIDFD_THREAD : 1;

	if (is_thread_value(act[a].ns, pid))
		fl = (fl & 04000) | DT_PIDFD_THREAD;
	r = sys(a, SYS_pidfd_open, pid, fl, 0, 0, 0)->ret;
	printf("%03d a%d pidfd_open(%s, %#lo) %s\n", step, a, tn, fl, result(r));
}

/* -j: process groups and sessions */
static void op_jobctl(int a)
{
	int r100 = rnd(100);
	const char *tn, *gn = "0";
	long r, pid, pg;

	if (r100 < 35) {
		pid = chance(50) ? 0 : pick_target(a, &tn);
		pg = chance(50) ? 0 : pick_target(a, &gn);
		if (!pid)
			tn = "0";
		r = sys(a, SYS_setpgid, pid, pg, 0, 0, 0)->ret;
		printf("%03d a%d setpgid(%s, %s) %s\n", step, a, tn, pg ? gn : "0", result(r));
	} else if (r100 < 55) {
		pid = chance(40) ? 0 : pick_target(a, &tn);
		r = sys(a, SYS_getpgid, pid, 0, 0, 0, 0)->ret;
		printf("%03d a%d getpgid(%s) %s\n", step, a, pid ? tn : "0", pres(act[a].ns, r));
	} else if (r100 < 75) {
		pid = chance(40) ? 0 : pick_target(a, &tn);
		r = sys(a, SYS_getsid, pid, 0, 0, 0, 0)->ret;
		printf("%03d a%d getsid(%s) %s\n", step, a, pid ? tn : "0", pres(act[a].ns, r));
	} else {
		r = sys(a, SYS_setsid, 0, 0, 0, 0, 0)->ret;
		printf("%03d a%d setsid() %s\n", step, a, pres(act[a].ns, r));
	}
}

/* ---- a seed ------------------------------------------------------------------------- */

static int pick_actor(void)
{
	int c[MAXA], n = 0, j;

	for (j = 0; j < nslots; j++)
		if (act[j].state == A_ALIVE && act[j].busy < 0 && !act[j].out &&
		    !act[j].stopped)
			c[n++] = j;
	return n ? c[rnd(n)] : -1;
}

static void one_step(int a)
{
	int r = rnd(jobctl ? 108 : 100);

	if (step <= 3 || live_count() < 3)
		r = rnd(2) ? 0 : r;	/* grow first */
	if (r < 24 && nslots < MAXA && act[a].ns == 0)
		op_spawn(a);
	else if (r < 24)
		op_ids(a);
	else if (r < 32)
		op_wait4(a);
	else if (r < 40)
		op_waitid(a);
	else if (r < 54)
		op_kill(a);
	else if (r < 61 && live_count() >= 3)
		op_exit(a);
	else if (r < 61)
		op_ids(a);
	else if (r < 69)
		op_sigaction(a);
	else if (r < 74)
		op_sigprocmask(a);
	else if (r < 82)
		op_rlimit(a);
	else if (r < 87)
		op_unshare(a);
	else if (r < 93)
		op_ids(a);
	else if (r < 96)
		op_uts(a);
	else if (r < 100)
		op_pidfd_open(a);
	else
		op_jobctl(a);
}

/* the limits every seed starts from: the environment's differ */
static void setup_limits(void)
{
	static const struct { int res; uint64_t cur, max; } l[] = {
		{ RLIMIT_NOFILE, 256, 1024 }, { RLIMIT_NPROC, 4096, 4096 },
		{ RLIMIT_STACK, 8 << 20, (uint64_t)-1 }, { RLIMIT_AS, (uint64_t)-1, (uint64_t)-1 },
		{ RLIMIT_CORE, 0, (uint64_t)-1 }, { RLIMIT_SIGPENDING, 1024, 1024 },
		{ RLIMIT_DATA, (uint64_t)-1, (uint64_t)-1 },
	};
	unsigned i;

	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		uint64_t v[2] = { l[i].cur, l[i].max };

		if (syscall(SYS_prlimit64, 0, l[i].res, v, NULL))
			printf("setup: prlimit64(%s) -1 %s\n", res_name(l[i].res),
			       errname(errno));
	}
}

static void setup_signals(void)
{
	sigset_t none;
	int s;

	struct dt_ksigaction dfl;

	/* SIG_DFL with no flags (libc's signal() would add SA_RESTART) */
	memset(&dfl, 0, sizeof(dfl));
	for (s = 1; s < NSIGS; s++)
		if (s != SIGKILL && s != SIGSTOP)
			rsys(SYS_rt_sigaction, s, (long)&dfl, 0, 8, 0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void setup_memory(void)
{
	size_t shsize = (sizeof(struct shared) + PAGE - 1) & ~(size_t)(PAGE - 1);

	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	stacks = mmap(NULL, (size_t)MAXA * STK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	arena = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (sh == MAP_FAILED || stacks == MAP_FAILED || arena == MAP_FAILED ||
	    mprotect(arena + PAGE, PAGE, PROT_NONE) ||
	    mprotect(arena + 2 * PAGE, PAGE, PROT_READ) ||
	    munmap(arena + 3 * PAGE, PAGE)) {
		printf("setup: memory: %s\n", errname(errno));
		fflush(stdout);
		_exit(2);
	}
}

/* runner - pid 1 of a fresh pid namespace: one seed's calls. */
static void runner(uint64_t seed, int nsteps)
{
	struct cmd c;
	long t0;

	if (getpid() != 1) {
		/* kill(-1) would reach the machine's processes */
		printf("difftest: the runner is not pid 1 of its namespace\n");
		fflush(stdout);
		_exit(2);
	}
	setsid();	/* kill(0) stays among the actors (EPERM/ENOSYS: fine) */
	sethostname("difftest", 8);
	setup_signals();
	setup_limits();
	setup_memory();
	runner_tls = dt_tls();
	rng = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	nsi[0] = (struct nsinfo){ -1, -2 };
	nns = 1;
	name_add(0, 1, -2);

	/* a0: the runner's only child, made as fork makes one */
	memset(&c, 0, sizeof(c));
	c.op = C_SPAWN;
	sh->s[0].cmd_seq = 1;
	sh->s[0].ptid = sh->s[0].ctid = sh->s[0].pidfd = SENT;
	{
		long r = difftest_spawn(SYS_clone, DT_CLONE_ARGS(SIGCHLD, 0, 0, 0, 0),
					stacks + STK, actor_main, 0);
		struct obs *o = &sh->s[0].rep.o;

		if (r <= 0) {
			printf("000 init fork() %s\n", result(r));
			fflush(stdout);
			_exit(2);
		}
		act[0] = (struct actor){ .state = A_ALIVE, .creator = -1, .pidc = r,
					 .pidfd = -1, .busy = -1, .seq = 1, .out = 1 };
		nslots = 1;
		name_add(0, r, 0);
		printf("000 init fork() = a0\n");
		if (!wait_reply(0, 1, 0))
			seed_abort("gone before hello:", 0);
		act[0].pidn = o->tid;
		act[0].tls = o->tls;
		printf("    a0 hello pid=%s tid=%s ppid=%s tls=%s", pname(0, o->pid),
		       pname(0, o->tid), pname(0, o->ppid),
		       o->tls == runner_tls ? "inherited" : "other");
		print_obs(o, 0);
		printf("\n");
	}
	for (step = 1; step <= nsteps; step++) {
		int a = pick_actor();

		if (a < 0) {
			printf("no actor left\n");
			break;
		}
		stop_due = cont_due = 0;
		t0 = now_ms();
		one_step(a);
		settle();
		if (debug && now_ms() - t0 > 50)
			fprintf(stderr, "[seed %llu step %d: %ld ms]\n",
				(unsigned long long)seed, step, now_ms() - t0);
		fflush(stdout);
	}
	printf("end\n");
	fflush(stdout);
	_exit(0);	/* the namespace's end takes every actor with it */
}

/* run_seed - a runner in a new pid namespace for @seed; 0, or 1 when
 * none could be made. */
static int run_seed(uint64_t seed, int nsteps)
{
	long pid;
	int st = 0;

	printf("=== seed %llu%s\n", (unsigned long long)seed, jobctl ? " -j" : "");
	fflush(stdout);
	pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		runner(seed, nsteps);
	if (pid < 0) {
		printf("difftest: clone(NEWPID) -1 %s\n", errname(errno));
		return 1;
	}
	if (waitpid((pid_t)pid, &st, 0) != pid || st != 0)
		printf("runner %s\n", status_str(st));
	fflush(stdout);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: difftest [-j] [-d] [-n STEPS] SEED|FIRST-LAST...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int nsteps = 50, i, fd;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j"))
			jobctl = 1;
		else if (!strcmp(argv[i], "-d"))
			debug = 1;	/* each command to stderr */
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			nsteps = atoi(argv[++i]);
		else
			usage();
	}
	if (i == argc)
		usage();
	if (geteuid() != 0) {
		fprintf(stderr, "difftest: needs root (each seed runs in a new pid namespace)\n");
		return 2;
	}
	/* what each actor's fd table starts with: 0, 1, 2 */
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (; i < argc; i++) {
		/* SEED, or FIRST-LAST (the kernel passes /init few arguments) */
		char *end;
		uint64_t seed = strtoull(argv[i], &end, 0), last = seed;

		if (*end == '-')
			last = strtoull(end + 1, NULL, 0);
		for (; seed <= last; seed++)
			if (run_seed(seed, nsteps))
				return 1;
	}
	return 0;
}
