/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kfork-bench - what clone and fork cost on the host port, beside what the
 * machine's own Linux kernel charges for the same fork in the same run.
 *
 * Cases (the process that forks is set up the same way on both sides):
 *   thread    clone(CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM) of a thread
 *   fork-1p   fork of a process with 1 touched page
 *   fork-1kv  fork of a process with 1,000 VMAs (one touched page each)
 *   fork-64m  fork after touching 64 MiB
 *   fork-1g   fork after touching 1 GiB
 * For each: "call" is the creating call alone in the parent (for kfork it
 * includes the host port starting a pthread for the child), "cycle" is
 * create + child exit + reap.  Linux's figures are fork()/waitpid() of a
 * child that _exit()s at once, measured in a separate process that has only
 * the mappings of the case.
 *
 * Usage: kfork-bench [--quick] [--only CASE] [--iters N] [--no-linux]
 * --quick skips the 1 GiB case (CI); --only runs one case (callgrind).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <pthread.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include "kf_host.h"

#define PAGE 4096ul
#define BASE 0x10000000ul

struct bcase {
	const char *name;
	unsigned long pages;	/* touched pages */
	unsigned vmas;		/* mappings they are spread over */
	int iters;
	bool thread;
	/* results, ns per operation */
	double kf_call, kf_cycle, lx_call, lx_cycle;
};

static struct bcase cases[] = {
	{ .name = "thread",   .pages = 1,      .vmas = 1,    .iters = 2000, .thread = true },
	{ .name = "fork-1p",  .pages = 1,      .vmas = 1,    .iters = 2000 },
	{ .name = "fork-1kv", .pages = 1000,   .vmas = 1000, .iters = 200 },
	{ .name = "fork-64m", .pages = 16384,  .vmas = 1,    .iters = 20 },
	{ .name = "fork-1g",  .pages = 262144, .vmas = 1,    .iters = 3 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *only;
static int iters_override;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static volatile unsigned long threads_run;

static int child_exit_now(void *arg)
{
	(void)arg;
	threads_run++;
	return 0;
}

/* ---- kfork side (runs as init on the host port) --------------------------- */

/* Lay out @c's memory in the current task: @vmas mappings separated by
 * one-page holes (so they cannot merge), @pages touched in total. */
static int kf_setup(const struct bcase *c)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	unsigned long per = c->pages / c->vmas, p;
	uint64_t v = 0x5a5a5a5a;
	unsigned i;

	for (i = 0; i < c->vmas; i++) {
		uintptr_t a = BASE + i * (per + 1) * PAGE;
		long r = kf_mm_map(mm, a, per * PAGE, KF_PROT_READ | KF_PROT_WRITE,
				   KF_MAP_PRIVATE | KF_MAP_ANONYMOUS | KF_MAP_FIXED);
		if (r < 0)
			return (int)r;
		for (p = 0; p < per; p++)
			if (kf_host_write(a + p * PAGE, &v, sizeof(v)))
				return -KF_EFAULT;
	}
	return 0;
}

static long kf_create(const struct bcase *c)
{
	struct kf_clone_req req = { 0 };

	kf_host_set_child_entry(child_exit_now, NULL);
	if (!c->thread)
		return kf_fork();
	req.flags = KF_CLONE_VM | KF_CLONE_FS | KF_CLONE_FILES |
		    KF_CLONE_SIGHAND | KF_CLONE_THREAD | KF_CLONE_SYSVSEM;
	return kf_clone(&req);
}

/* Finish one created child: a thread reaps itself once it runs. */
static int kf_finish(const struct bcase *c, long pid)
{
	if (c->thread) {
		unsigned long want = threads_run + 1;

		while (threads_run < want)
			kf_host_yield();
		return 0;
	}
	return kf_wait4((int)pid, 0, 0, 0) == pid ? 0 : -1;
}

static int kf_bench_case(struct bcase *c)
{
	double t0, call = 0, cyc0;
	int i, n = c->iters;
	long pid;

	if (kf_setup(c))
		return -1;
	/* warm up once */
	pid = kf_create(c);
	if (pid < 0 || kf_finish(c, pid))
		return -1;
	cyc0 = now_ns();
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		pid = kf_create(c);
		call += now_ns() - t0;
		if (pid < 0 || kf_finish(c, pid)) {
			fprintf(stderr, "%s: create failed: %ld\n", c->name, pid);
			return -1;
		}
	}
	c->kf_cycle = (now_ns() - cyc0) / n;
	c->kf_call = call / n;
	return 0;
}

static int kf_main(void *arg)
{
	struct bcase *c = arg;

	return kf_bench_case(c) ? 1 : 0;
}

/* ---- Linux side: the same layout in a plain process ------------------------ */

static void *thread_exit_now(void *arg)
{
	return arg;
}

static int lx_bench_case(struct bcase *c, int fd)
{
	unsigned long per = c->pages / c->vmas, p;
	double t0, call = 0, cyc0;
	int i, n = c->iters;
	unsigned v;

	for (v = 0; v < c->vmas; v++) {
		char *a = mmap((void *)(BASE + v * (per + 1) * PAGE), per * PAGE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (a == MAP_FAILED)
			return -1;
		for (p = 0; p < per; p++)
			a[p * PAGE] = 0x5a;
	}
	cyc0 = now_ns();
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if (c->thread) {
			pthread_t th;
			if (pthread_create(&th, NULL, thread_exit_now, NULL))
				return -1;
			call += now_ns() - t0;
			pthread_join(th, NULL);
		} else {
			pid_t pid = fork();
			if (pid == 0)
				_exit(0);
			call += now_ns() - t0;
			if (pid < 0 || waitpid(pid, NULL, 0) != pid)
				return -1;
		}
	}
	c->lx_cycle = (now_ns() - cyc0) / n;
	c->lx_call = call / n;
	return write(fd, c, sizeof(*c)) == sizeof(*c) ? 0 : -1;
}

/* Run the Linux measurement in a fresh child so it forks only the case's
 * own mappings, not the bench's. */
static void lx_measure(struct bcase *c)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		_exit(lx_bench_case(c, pfd[1]) ? 1 : 0);
	}
	close(pfd[1]);
	if (read(pfd[0], c, sizeof(*c)) != sizeof(*c))
		c->lx_call = c->lx_cycle = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	bool quick = false, linux_peer = true;
	unsigned i;

	for (i = 1; i < (unsigned)argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--no-linux"))
			linux_peer = false;
		else if (!strcmp(argv[i], "--only") && i + 1 < (unsigned)argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--iters") && i + 1 < (unsigned)argc)
			iters_override = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--quick] [--only CASE] [--iters N] [--no-linux]\n",
				argv[0]);
			return 2;
		}
	}
	printf("%-9s %8s %5s | %12s %12s | %12s %12s | %6s\n", "case", "pages", "vmas",
	       "kfork call", "kfork cycle", "linux fork", "linux cycle", "ratio");
	for (i = 0; i < NCASES; i++) {
		struct bcase *c = &cases[i];
		int st;

		if (only && strcmp(only, c->name))
			continue;
		if (!only && quick && c->pages > 100000)
			continue;
		if (iters_override)
			c->iters = iters_override;
		if (linux_peer)
			lx_measure(c);
		st = kf_host_run_as_init(kf_main, c);
		if (st != 0) {
			printf("%-9s failed (init status %d)\n", c->name, st);
			return 1;
		}
		printf("%-9s %8lu %5u | %10.0f ns %10.0f ns | %10.0f ns %10.0f ns | %6.2f\n",
		       c->name, c->pages, c->vmas, c->kf_call, c->kf_cycle,
		       linux_peer ? c->lx_call : 0, linux_peer ? c->lx_cycle : 0,
		       linux_peer && c->kf_cycle > 0 ? c->lx_cycle / c->kf_cycle : 0);
		fflush(stdout);
	}
	printf("ratio = linux cycle / kfork cycle (above 1: kfork is cheaper)\n");
	return 0;
}
