/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/oom.c - fork under memory exhaustion.  As /init of a small
 * machine: a process touches a buffer of an eighth of RAM, a chain of
 * descendants each writes its copy-on-write copy and forks the next, and
 * when memory is nearly gone the last one forks children until fork
 * fails.  Checks: a fork failed with ENOMEM (EAGAIN) or a process died of
 * SIGKILL (the kfork kernel must give the ENOMEM), nothing died of
 * anything else, and once every process is reaped the free memory
 * (sysinfo's freeram) is back to its value before -- exactly on kfork,
 * within a tolerance on Linux -- and fork still works.
 *
 * Not as pid 1 (natively, or as a child of the kernel's leak self-test)
 * the storm is skipped: it would exhaust the whole machine.
 *
 * Bookkeeping lives in a MAP_SHARED page faulted in beforehand, and the
 * processes that must survive the storm fork with the raw system call
 * (no errno, no libc locks): writing it never needs a free frame.
 *
 * Usage: oom [KIB] - writers stop when less than KIB is free (default
 * 1024); 0 makes them write until one is killed (stress runs by hand).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

#define PAGE 4096ul
#define MARGIN (1ul << 20)	/* writers stop when less is free ... */
#define CHECK_EVERY 8		/* pages written between two looks */
#define MAX_BOMBS 64
#define LINUX_SLACK (8ul << 20)	/* Linux: page cache, slabs, per-cpu lists */

/* What the storm's processes report (shared by all of them). */
struct board {
	int enomem, eagain, other_err;	/* fork failures */
	int other_errno;
	int killed, died_other;		/* processes that did not come back */
	int writers;			/* full COW copies written */
	int bombs, bombs_done;		/* processes that forked until failure */
	int made[MAX_BOMBS];		/* children each bomb made ... */
	int holding[MAX_BOMBS];		/* ... and how many of them got going */
};

static struct board *bd;
static unsigned long margin = MARGIN;	/* ... or argv[1] KiB (stress runs) */
static int rel_fd = -1, done_fd = -1;	/* release (read end), done (write) */

/*
 * raw_fork - fork(2) as a bare system call: -errno on failure.  libc's
 * wrapper would write errno and its locks in pages the children share,
 * which needs a free frame at the worst moment.
 */
static long raw_fork(void)
{
#if defined(__x86_64__)
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_fork)
			 : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	/* clone(SIGCHLD, 0, ...): fork as musl makes it */
	register long x0 __asm__("x0") = SIGCHLD;
	register long x1 __asm__("x1") = 0;
	register long x8 __asm__("x8") = SYS_clone;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
#elif defined(__riscv) && __riscv_xlen == 64
	/* no fork number: clone(SIGCHLD, stack 0) is fork */
	register long a0 __asm__("a0") = SIGCHLD;
	register long a1 __asm__("a1") = 0;
	register long a2 __asm__("a2") = 0;
	register long a3 __asm__("a3") = 0;
	register long a4 __asm__("a4") = 0;
	register long a7 __asm__("a7") = SYS_clone;

	__asm__ volatile("ecall" : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7)
			 : "memory");
	return a0;
#else
	pid_t p = fork();

	return p < 0 ? -errno : p;
#endif
}

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 0;
	return si.freeram * si.mem_unit;
}

static void count_death(int st)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		__atomic_fetch_add(&bd->killed, 1, __ATOMIC_RELAXED);
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		__atomic_fetch_add(&bd->died_other, 1, __ATOMIC_RELAXED);
}

static void count_fork_error(long err)
{
	if (err == -ENOMEM)
		__atomic_fetch_add(&bd->enomem, 1, __ATOMIC_RELAXED);
	else if (err == -EAGAIN)
		__atomic_fetch_add(&bd->eagain, 1, __ATOMIC_RELAXED);
	else {
		__atomic_fetch_add(&bd->other_err, 1, __ATOMIC_RELAXED);
		bd->other_errno = (int)-err;
	}
}

/* hold - wait for the release (EOF), reap own children, leave. */
static void hold(void)
{
	char c;
	int st;

	while (read(rel_fd, &c, 1) > 0)
		;
	while (wait(&st) > 0)
		count_death(st);
	_exit(0);
}

/*
 * bomb - fork children that only hold until fork fails; wait until each
 * child either got going or died (counting SIGKILLs), then report done
 * and hold.
 */
static void bomb(void)
{
	int gen = __atomic_fetch_add(&bd->bombs, 1, __ATOMIC_RELAXED);
	int made = 0, dead = 0, st;
	long pid;

	if (gen >= MAX_BOMBS)	/* shared counts: the wait may end early */
		gen = MAX_BOMBS - 1;
	for (;;) {
		pid = raw_fork();
		if (pid == 0) {
			__atomic_fetch_add(&bd->holding[gen], 1, __ATOMIC_RELAXED);
			hold();
		}
		if (pid < 0)
			break;
		made++;
		__atomic_fetch_add(&bd->made[gen], 1, __ATOMIC_RELAXED);
	}
	count_fork_error(pid);
	while (__atomic_load_n(&bd->holding[gen], __ATOMIC_RELAXED) + dead < made) {
		pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			count_death(st);
			dead++;
		} else {
			sched_yield();
		}
	}
	__atomic_fetch_add(&bd->bombs_done, 1, __ATOMIC_RELAXED);
	if (write(done_fd, "d", 1) != 1)
		__atomic_fetch_add(&bd->died_other, 1, __ATOMIC_RELAXED);
	hold();
}

/* write_copy - write every page of @buf (its COW copy) unless memory gets
 * low first: false then. */
static int write_copy(volatile char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len / PAGE; i++) {
		if (i % CHECK_EVERY == 0 && free_bytes() < margin)
			return 0;
		buf[i * PAGE] = (char)i;
	}
	return 1;
}

/*
 * writer - the chain: fork the next writer, which writes its copy and
 * goes on; the last one, short of memory, bombs.  A writer whose child was
 * killed bombs itself (the memory the victim freed is used up again, so
 * that a fork meets the shortage).  Ends with its child, after release.
 */
static void writer(volatile char *buf, size_t len)
{
	long pid;
	int st;

	for (;;) {
		pid = raw_fork();
		if (pid < 0)
			bomb();		/* which meets (and counts) the failure */
		if (pid == 0) {
			if (!write_copy(buf, len))
				bomb();
			__atomic_fetch_add(&bd->writers, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (waitpid((pid_t)pid, &st, 0) != pid)
			_exit(3);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			count_death(st);
			bomb();
		}
		if (st)
			count_death(st);
		_exit(0);
	}
}

/* storm - the first process: the buffer, touched, then the chain. */
static void storm(size_t len)
{
	volatile char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (buf == MAP_FAILED)
		_exit(4);
	for (i = 0; i < len; i += PAGE)
		buf[i] = 1;
	writer(buf, len);
}

/* ---- /init's side ------------------------------------------------------------ */

static int on_kfork(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "kfork") != NULL;
}

/* Stack pages /init uses later are touched before the baseline. */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char pad[64 << 10];
	size_t i;

	for (i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

static void test_sysinfo(struct sysinfo *si)
{
	memset(si, 0xa5, sizeof(*si));
	utap_eq(sysinfo(si), 0, "user.oom.sysinfo");
	utap_eq(si->mem_unit, 1, "user.oom.sysinfo_mem_unit");
	utap_ok(si->totalram > 0 && si->freeram > 0 &&
		si->freeram <= si->totalram, "user.oom.sysinfo_freeram_le_totalram");
	utap_ok(si->procs >= 1, "user.oom.sysinfo_procs");
	utap_errno(syscall(SYS_sysinfo, (void *)16), EFAULT,
		   "user.oom.sysinfo_efault");
}

/*
 * wait_done - until the storm reports done with no bomb still busy, or its
 * first process ends (which should not happen before the release).
 */
static void wait_done(int done_rd, pid_t first, int *first_st)
{
	struct pollfd pfd = { done_rd, POLLIN, 0 };
	char c;

	for (;;) {
		if (poll(&pfd, 1, 100) == 1 && read(done_rd, &c, 1) == 1 &&
		    __atomic_load_n(&bd->bombs_done, __ATOMIC_RELAXED) ==
		    __atomic_load_n(&bd->bombs, __ATOMIC_RELAXED))
			return;
		if (waitpid(first, first_st, WNOHANG) == first)
			return;
	}
}

/* reap_all - every process left (the storm, orphans): deaths counted. */
static void reap_all(int first_st)
{
	pid_t p;
	int st;

	if (first_st != -1)
		count_death(first_st);
	while ((p = wait(&st)) > 0 || (p < 0 && errno == EINTR))
		if (p > 0)
			count_death(st);
}

static void skip_all(const char *why)
{
	static const char *const ids[] = {
		"user.oom.exhausted", "user.oom.fork_enomem",
		"user.oom.deaths_are_sigkill", "user.oom.freeram_back",
		"user.oom.procs_back", "user.oom.fork_after",
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		utap_skip(ids[i], why);
}

static void test_oom(const struct sysinfo *si0)
{
	int kfork = on_kfork(), rel[2], done[2], first_st = -1, st = -1;
	struct sysinfo before, after;
	size_t len = (size_t)(si0->totalram * si0->mem_unit / 8) & ~(PAGE - 1);
	unsigned long diff;
	pid_t first, pid;
	int i, made = 0;

	bd = mmap(NULL, sizeof(*bd), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (bd == MAP_FAILED) {
		utap_ok(0, "user.oom.setup");
		return;
	}
	memset(bd, 0, sizeof(*bd));
	touch_stack();
	fflush(stdout);
	/* the baseline: from here on, whatever is allocated is freed again */
	sysinfo(&before);
	if (pipe(rel) || pipe(done)) {
		utap_ok(0, "user.oom.pipes");
		return;
	}

	first = fork();
	if (first == 0) {
		close(rel[1]);
		close(done[0]);
		rel_fd = rel[0];
		done_fd = done[1];
		storm(len);
	}
	close(done[1]);
	close(rel[0]);
	if (first > 0)
		wait_done(done[0], first, &first_st);
	close(rel[1]);			/* the release */
	reap_all(first_st);
	close(done[0]);
	sysinfo(&after);
	for (i = 0; i < MAX_BOMBS; i++)
		made += bd->made[i];

	printf("# buffer %zu KiB; %d full copies; bombs %d, children made %d;"
	       " fork failures: ENOMEM %d, EAGAIN %d, other %d (errno %d);"
	       " killed by SIGKILL %d, other deaths %d\n", len >> 10,
	       bd->writers, bd->bombs, made, bd->enomem, bd->eagain,
	       bd->other_err, bd->other_errno, bd->killed, bd->died_other);
	printf("# freeram %lu before, %lu after; procs %u before, %u after\n",
	       before.freeram, after.freeram, before.procs, after.procs);
	utap_ok(first > 0 && (bd->enomem + bd->eagain + bd->killed) > 0,
		"user.oom.exhausted");
	if (bd->enomem + bd->eagain > 0)
		printf("# exhaustion seen as: a fork failed (%s)\n",
		       bd->enomem ? "ENOMEM" : "EAGAIN");
	if (bd->killed > 0)
		printf("# exhaustion seen as: %d process(es) killed by SIGKILL\n",
		       bd->killed);
	if (kfork)
		utap_ok(bd->enomem > 0, "user.oom.fork_enomem");
	else
		utap_skip("user.oom.fork_enomem", "Linux's OOM killer may act first");
	utap_eq(bd->died_other + bd->other_err, 0, "user.oom.deaths_are_sigkill");
	diff = before.freeram > after.freeram ? before.freeram - after.freeram :
	       after.freeram - before.freeram;
	if (kfork) {
		utap_eq((long)after.freeram, (long)before.freeram,
			"user.oom.freeram_back");
		utap_eq(after.procs, before.procs, "user.oom.procs_back");
	} else {
		utap_ok(diff * after.mem_unit <= LINUX_SLACK, "user.oom.freeram_back");
		utap_skip("user.oom.procs_back", "kernel threads come and go");
	}

	/* the kernel is still alive */
	pid = fork();
	if (pid == 0)
		_exit(7);
	utap_ok(pid > 0 && waitpid(pid, &st, 0) == pid && st == 7 << 8,
		"user.oom.fork_after");
}

int main(int argc, char **argv)
{
	struct sysinfo si;

	if (argc > 1)
		margin = strtoul(argv[1], NULL, 0) << 10;

	test_sysinfo(&si);
	if (getpid() != 1)
		skip_all("not init");
	else
		test_oom(&si);
	return utap_done();
}
