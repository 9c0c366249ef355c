/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kfork-demo - kfork's core running in an ordinary Linux process: init
 * forks, clones threads, vforks and unshares, and every page fault of the
 * software MMU is printed as it happens (demand-zero, COW copy, COW reuse),
 * with the process tree shown at each step.
 *
 * Exit status 0 means every step saw what Linux would show; the demo checks
 * its own results so it can be used as a smoke test.
 */
#include <stdio.h>
#include <string.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/arch/sim.h>
#include "kf_host.h"

#define DATA 0x20000000ul	/* init's 4-page private buffer */
#define PAGE 4096ul

static int failures;

#define CHECK(cond, what) do { \
	if (!(cond)) { printf("  !! unexpected: %s\n", what); failures++; } \
} while (0)

/* ---- fault tracing: wrap the sim CPU's fault handler ----------------------- */

static kf_sim_fault_fn next_handler;

static int trace_fault(uintptr_t va, unsigned access)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	kf_paddr_t before = 0, after = 0;
	unsigned prot;
	bool had = mm && kf_mm_translate(mm, va, &before, &prot) == 0;
	int r = next_handler(va, access);
	const char *what;

	if (!mm || kf_mm_translate(mm, va, &after, &prot))
		what = "unresolved";
	else if (!had)
		what = "demand-zero page";
	else if (before != after)
		what = "COW: copied to a new frame";
	else
		what = (access & KF_FAULT_WRITE) ? "COW: reused (no one else maps it)" :
						   "permission fixed";
	printf("    [fault] pid %d %s 0x%lx -> %s (frame 0x%llx -> 0x%llx)\n",
	       kf_gettid(), (access & KF_FAULT_WRITE) ? "write" : "read",
	       (unsigned long)va, what, (unsigned long long)before,
	       (unsigned long long)after);
	return r;
}

/* ---- the process tree ------------------------------------------------------ */

static void print_one(const struct kf_task_info *i, void *arg)
{
	(void)arg;
	printf("    %5d %5d %5d  %c  %7d   %s\n", i->pid, i->tgid, i->ppid, i->state,
	       i->ns_pid, i->pid == i->tgid ? "process" : "thread");
}

static void print_tree(const char *when)
{
	printf("  process tree (%s):\n    %5s %5s %5s  %s  %7s\n", when, "pid", "tgid",
	       "ppid", "S", "ns-pid");
	kf_for_each_task(print_one, NULL);
}

/* ---- user memory helpers ----------------------------------------------------- */

static void put_str(uintptr_t va, const char *s)
{
	CHECK(kf_host_write(va, s, strlen(s) + 1) == 0, "user write");
}

static const char *get_str(uintptr_t va)
{
	static char buf[64];

	if (kf_host_read(va, buf, sizeof(buf)))
		return "<EFAULT>";
	buf[sizeof(buf) - 1] = 0;
	return buf;
}

/* ---- the children ------------------------------------------------------------ */

static int fork_child(void *arg)
{
	(void)arg;
	printf("  child %d (parent %d) reads: \"%s\"\n", kf_getpid(), kf_getppid(),
	       get_str(DATA));
	printf("  child %d writes its own text:\n", kf_getpid());
	put_str(DATA, "written by the child");
	printf("  child %d now reads: \"%s\"; exits with 3\n", kf_getpid(), get_str(DATA));
	return 3;
}

static volatile int threads_done;

static int thread_fn(void *arg)
{
	long n = (long)arg;
	char msg[32];

	snprintf(msg, sizeof(msg), "thread %ld was here", n);
	printf("  thread tid %d in group %d writes \"%s\" at +%ld\n", kf_gettid(),
	       kf_getpid(), msg, n * 64);
	put_str(DATA + PAGE + n * 64, msg);
	threads_done++;
	return 0;
}

static int vfork_child(void *arg)
{
	(void)arg;
	printf("  vfork child %d runs while its parent is suspended; writes shared memory\n",
	       kf_getpid());
	put_str(DATA + 2 * PAGE, "set by the vfork child");
	return 0;
}

static volatile int ns_go;

static int ns_grandchild(void *arg)
{
	char host[65] = "";

	(void)arg;
	kf_gethostname(host, sizeof(host));
	printf("  grandchild sees itself as pid %d (ppid %d), hostname \"%s\"\n",
	       kf_getpid(), kf_getppid(), host);
	CHECK(kf_getpid() == 1, "first task of a new pid namespace is pid 1");
	while (!ns_go)
		kf_host_yield();
	return 0;
}

static int ns_child(void *arg)
{
	long r;
	int st = -1;

	(void)arg;
	r = kf_unshare(KF_CLONE_NEWUTS | KF_CLONE_NEWPID);
	printf("  child %d: unshare(CLONE_NEWUTS|CLONE_NEWPID) = %ld\n", kf_getpid(), r);
	if (r)
		return r == -KF_ENOSYS ? 0 : 1;
	kf_sethostname("kfork-ns", 8);
	kf_host_set_child_entry(ns_grandchild, NULL);
	r = kf_fork();
	printf("  child %d: fork into the new namespace = %ld (as this task sees it)\n",
	       kf_getpid(), r);
	kf_wait4((int)r, 0, 0, 0);
	(void)st;
	return 0;
}

static int zombie_child(void *arg)
{
	(void)arg;
	return 9;
}

/* ---- init ------------------------------------------------------------------------ */

static int init_main(void *arg)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	struct kf_clone_req req = { 0 };
	char host[65] = "";
	long pid, tids[2];
	int status = 0, i;

	(void)arg;
	next_handler = kf_sim_set_fault_handler(trace_fault);
	printf("init is pid %d; it maps 4 private pages at 0x%lx and writes a string:\n",
	       kf_getpid(), DATA);
	CHECK(kf_mm_map(mm, DATA, 4 * PAGE, KF_PROT_READ | KF_PROT_WRITE,
			KF_MAP_PRIVATE | KF_MAP_ANONYMOUS | KF_MAP_FIXED) == (long)DATA, "mmap");
	put_str(DATA, "written by init");

	printf("\n1. fork: the child shares the page copy-on-write\n");
	kf_host_set_child_entry(fork_child, NULL);
	pid = kf_fork();
	printf("  init: fork() = %ld\n", pid);
	print_tree("child created, not yet run");
	CHECK(kf_wait4((int)pid, (kf_uptr_t)0, 0, 0) == pid, "wait4");
	printf("  init reads after the child exited: \"%s\"\n", get_str(DATA));
	CHECK(!strcmp(get_str(DATA), "written by init"), "parent copy unchanged");
	printf("  init writes again (its page is no longer shared):\n");
	put_str(DATA, "init again");

	printf("\n2. clone: two threads share init's address space\n");
	req.flags = KF_CLONE_VM | KF_CLONE_FS | KF_CLONE_FILES | KF_CLONE_SIGHAND |
		    KF_CLONE_THREAD | KF_CLONE_SYSVSEM;
	for (i = 0; i < 2; i++) {
		kf_host_set_child_entry(thread_fn, (void *)(long)i);
		tids[i] = kf_clone(&req);
		printf("  init: clone(CLONE_THREAD|...) = %ld\n", tids[i]);
	}
	print_tree("threads created");
	while (threads_done < 2)
		kf_host_yield();
	printf("  init reads what the threads wrote: \"%s\"", get_str(DATA + PAGE));
	printf(", \"%s\"\n", get_str(DATA + PAGE + 64));
	CHECK(!strcmp(get_str(DATA + PAGE + 64), "thread 1 was here"), "threads share memory");

	printf("\n3. vfork: init sleeps until the child exits\n");
	kf_host_set_child_entry(vfork_child, NULL);
	pid = kf_vfork();
	printf("  init resumes after vfork() = %ld and reads \"%s\"\n", pid,
	       get_str(DATA + 2 * PAGE));
	CHECK(!strcmp(get_str(DATA + 2 * PAGE), "set by the vfork child"), "vfork shares memory");
	kf_wait4((int)pid, 0, 0, 0);

	printf("\n4. unshare: a child moves into new uts and pid namespaces\n");
	kf_host_set_child_entry(ns_child, NULL);
	pid = kf_fork();
	kf_host_yield();
	print_tree("as init sees it: the grandchild is pid 1 in its own namespace");
	ns_go = 1;
	kf_wait4((int)pid, (kf_uptr_t)0, 0, 0);
	kf_gethostname(host, sizeof(host));
	printf("  init's hostname is still \"%s\"\n", host);
	CHECK(strcmp(host, "kfork-ns") != 0, "uts namespace isolates the hostname");

	printf("\n5. a zombie, then wait4 reaps it\n");
	kf_host_set_child_entry(zombie_child, NULL);
	pid = kf_fork();
	kf_host_yield();
	print_tree("child exited, not yet reaped");
	CHECK(kf_wait4((int)pid, (kf_uptr_t)DATA + 3 * PAGE, 0, 0) == pid, "reap zombie");
	kf_host_read(DATA + 3 * PAGE, &status, sizeof(status));
	printf("  wait4 status 0x%x: exited with %d\n", status, (status >> 8) & 0xff);
	CHECK(status == 9 << 8, "exit status 9");
	print_tree("after reaping");
	return failures ? 1 : 0;
}

int main(void)
{
	int st;

	printf("kfork demo: the process-creation core on the host port (arch/sim)\n\n");
	st = kf_host_run_as_init(init_main, NULL);
	printf("\ninit exited with status 0x%x; live objects beyond boot: %ld, pages: %ld\n",
	       st, kf_host_leaked_objects(), kf_host_leaked_pages());
	if (st != 0 || failures || kf_host_leaked_objects() || kf_host_leaked_pages()) {
		printf("demo: FAILED\n");
		return 1;
	}
	printf("demo: all steps behaved as on Linux\n");
	return 0;
}
