/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/bench.c - process-creation costs as a program sees them, for
 * ci/bench-qemu: the same static binary runs as /init on Linux and on the
 * kfork mini-kernel, in the same QEMU machine, and the two outputs are
 * compared line by line.
 *
 * Cases (ns per operation, timed with CLOCK_MONOTONIC inside the guest):
 *   syscall      getppid(): the kernel's entry and exit, for scale
 *   fork         fork + child _exit(0) + waitpid, minimal parent
 *   vfork        vfork + child _exit(0) + waitpid
 *   thread       pthread_create + pthread_join of an empty thread
 *   touch-64m    first write to one page (ns per page) of a fresh 64 MiB
 *                anonymous mapping
 *   fork-1m .. fork-256m
 *                fork + _exit + waitpid after the parent mapped and wrote
 *                every page of 1, 16, 64 or 256 MiB
 *
 * Output, one line per case, then a last line:
 *   bench <case> <ns_per_op> <iters>      (or: bench <case> n/a 0)
 *   bench done
 * Lines starting with '#' are comments (why a case is n/a, the kernel).
 *
 * Usage: bench [-t MS] [-s MS] [poweroff] [CASE...]
 *   -t MS      time each case for at least MS ms of guest time (default
 *              500); iterations run in doubling batches until then, so a
 *              line takes between MS and about 2*MS.
 *   -s MS      sleep MS ms before the first case (default 0), so that work
 *              a kernel defers past its boot is over before the timing.
 *   poweroff   when running as PID 1, end the machine at the end instead
 *              of exiting (Linux panics when init exits).  BENCH_POWEROFF=1
 *              in the environment means the same.
 *   CASE...    run only these cases.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <sys/io.h>
#endif

#define PAGE 4096ul
#define MIB (1024ul * 1024ul)
#define MAX_BATCH 1024ul

static uint64_t target_ns = 500ull * 1000 * 1000;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The next change of the clock.  A clock that only moves with a timer tick
 * (the mini-kernel's did, every 10 ms, before it read the CPU's counter)
 * would otherwise lose up to a tick at the start of every measurement.
 */
static uint64_t clock_edge(void)
{
	uint64_t t0 = now_ns(), t;

	while ((t = now_ns()) == t0)
		;
	return t;
}

/* ---- the operations: 0 on success, else an errno -------------------------- */

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : EPROTO;
}

static int op_syscall(void)
{
	return getppid() < 0 ? errno : 0;
}

static int op_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	return reap(pid);
}

static int op_vfork(void)
{
	pid_t pid = vfork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	return reap(pid);
}

static void *thread_body(void *arg)
{
	return arg;
}

static int op_thread(void)
{
	pthread_t t;
	void *ret = NULL;
	int err = pthread_create(&t, NULL, thread_body, &target_ns);

	if (err)
		return err;
	err = pthread_join(t, &ret);
	if (err)
		return err;
	return ret == &target_ns ? 0 : EPROTO;
}

/* ---- timing ---------------------------------------------------------------- */

struct result {
	uint64_t ns;		/* per operation */
	unsigned long iters;
	int err;		/* errno of the first failure, 0 if none */
};

/*
 * Run @op once untimed (faults in stacks and caches), then in batches of
 * 1, 2, 4, ... MAX_BATCH operations until target_ns of guest time has
 * passed.  Reading the clock only between batches keeps its cost out of
 * the figure.
 */
static struct result measure(int (*op)(void))
{
	struct result r = { 0, 0, 0 };
	unsigned long batch = 1, i;
	uint64_t t0, el;

	r.err = op();
	if (r.err)
		return r;
	t0 = clock_edge();
	for (;;) {
		for (i = 0; i < batch; i++) {
			r.err = op();
			if (r.err)
				return r;
		}
		r.iters += batch;
		el = now_ns() - t0;
		if (el >= target_ns)
			break;
		if (batch < MAX_BATCH)
			batch *= 2;
	}
	r.ns = el / r.iters;
	return r;
}

static void report(const char *name, struct result r, const char *what)
{
	if (r.err || !r.iters) {
		printf("# %s: %s failed: %s\n", name, what, strerror(r.err));
		printf("bench %s n/a 0\n", name);
	} else {
		printf("bench %s %llu %lu\n", name, (unsigned long long)r.ns,
		       r.iters);
	}
	fflush(stdout);
}

/* ---- memory: map and write every page --------------------------------------- */

static char *map_touched(size_t bytes, struct result *touch)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *v;
	uint64_t t0;
	size_t off;

	if (p == MAP_FAILED) {
		touch->err = errno;
		return NULL;
	}
	/* 4 KiB pages on both kernels: a huge page would make fork cheap */
	madvise(p, bytes, MADV_NOHUGEPAGE);
	v = p;
	t0 = clock_edge();
	for (off = 0; off < bytes; off += PAGE)
		v[off] = 1;
	touch->iters = bytes / PAGE;
	touch->ns = (now_ns() - t0) / touch->iters;
	touch->err = 0;
	return p;
}

static void bench_fork_touched(const char *name, unsigned mib)
{
	struct result touch = { 0, 0, 0 }, r;
	size_t bytes = (size_t)mib * MIB;
	char *p = map_touched(bytes, &touch);

	if (!p) {
		report(name, touch, "mmap");
		return;
	}
	if (mib == 64)
		report("touch-64m", touch, "mmap");
	r = measure(op_fork);
	report(name, r, "fork");
	munmap(p, bytes);
}

/* ---- main ------------------------------------------------------------------- */

static void bench_syscall(void)
{
	report("syscall", measure(op_syscall), "getppid");
}

static void bench_fork(void)
{
	report("fork", measure(op_fork), "fork");
}

static void bench_vfork(void)
{
	report("vfork", measure(op_vfork), "vfork");
}

static void bench_thread(void)
{
	report("thread", measure(op_thread), "pthread_create");
}

static void bench_fork_1m(void) { bench_fork_touched("fork-1m", 1); }
static void bench_fork_16m(void) { bench_fork_touched("fork-16m", 16); }
static void bench_fork_64m(void) { bench_fork_touched("fork-64m", 64); }
static void bench_fork_256m(void) { bench_fork_touched("fork-256m", 256); }

static const struct bench_case {
	const char *name;
	void (*run)(void);
} cases[] = {
	{ "syscall", bench_syscall },
	{ "fork", bench_fork },
	{ "vfork", bench_vfork },
	{ "thread", bench_thread },
	{ "fork-1m", bench_fork_1m },
	{ "fork-16m", bench_fork_16m },
	{ "fork-64m", bench_fork_64m },	/* also prints touch-64m */
	{ "fork-256m", bench_fork_256m },
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static bool wanted(const char *name, char **only, int nr_only)
{
	int i;

	if (!nr_only)
		return true;
	for (i = 0; i < nr_only; i++)
		if (!strcmp(only[i], name) ||
		    (!strcmp(only[i], "touch-64m") && !strcmp(name, "fork-64m")))
			return true;
	return false;
}

/*
 * End the machine from PID 1.  x86: QEMU's isa-debug-exit device at port
 * 0xf4 (QEMU then exits with status 1, like the mini-kernel after an init
 * status of 0); elsewhere, or without the device's permission, a power-off
 * through the kernel (QEMU exits with status 0).
 */
static void power_off(void)
{
	fflush(stdout);
	fflush(stderr);
#if defined(__x86_64__)
	if (ioperm(0xf4, 4, 1) == 0)
		outb(0, 0xf4);
#endif
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_POWEROFF");
	bool poweroff = env && !strcmp(env, "1");
	char *only[NR_CASES + 1];
	int nr_only = 0, i;
	long settle_ms = 0;
	struct utsname u;
	size_t c;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "poweroff"))
			poweroff = true;
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			target_ns = strtoull(argv[++i], NULL, 10) * 1000000ull;
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			settle_ms = strtol(argv[++i], NULL, 10);
		else if (nr_only < (int)NR_CASES + 1)
			only[nr_only++] = argv[i];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u) == 0)
		printf("# bench on %s %s %s\n", u.sysname, u.release, u.machine);
	printf("# target %llu ms per case\n",
	       (unsigned long long)(target_ns / 1000000));
	if (settle_ms > 0) {
		struct timespec ts = { settle_ms / 1000, settle_ms % 1000 * 1000000 };

		nanosleep(&ts, NULL);
	}
	for (c = 0; c < NR_CASES; c++)
		if (wanted(cases[c].name, only, nr_only))
			cases[c].run();
	printf("bench done\n");
	fflush(stdout);
	if (poweroff && getpid() == 1)
		power_off();
	return 0;
}
