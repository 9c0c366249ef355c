// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/selftest.c - boot self-tests of the failure paths, run
 * with kfork.test=NAME instead of /init.  Each must end the machine in a
 * known way, which ci/run-elf's own checks assert:
 *   panic     mk_panic()                           -> panic status
 *   fault     a kernel NULL dereference            -> panic status, with
 *                                                     the fault report
 *   overflow  runaway recursion on a kernel stack  -> panic status (the
 *                                                     guard page faults)
 *   hang      spin with the timer running          -> watchdog status
 *   threads   two kernel threads take turns, then  -> "exit" status 0
 *             the test ends as if /init exited 0
 *   smap      the kernel reads a user page         -> panic status (SMAP
 *             directly, not through a user copy       fault); status 1 on
 *                                                     a CPU without SMAP
 *   preempt   /bin/spin A and /bin/spin B, forked  -> status 0 when both
 *             by kfork from the boot task, run        were reaped and the
 *             together; only the timer can make       heap is back; their
 *             their output interleave                 output interleaves
 *   leak      each program of kfork.leak=a,b (in   -> status 0 when each
 *             /bin) runs as a child of the boot       exited 0 and the heap
 *             task, one after the other               came back to the byte
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>

static volatile int test_sink;

static void test_fault(void)
{
	volatile int *p = NULL;

	test_sink = *p;
}

static int __attribute__((noinline)) test_recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (test_sink >= 0)	/* always: the guard page ends it */
		return test_recurse(n + 1) + pad[0];
	return pad[0];
}

static void test_overflow(void *arg)
{
	(void)arg;
	test_sink = test_recurse(0);
}

static int turns;
static struct mk_waitq turn_q;

static void test_thread(void *arg)
{
	long id = (long)arg;
	int i;

	for (i = 0; i < 3; i++) {
		while (turns % 2 != id)
			mk_sleep_on(&turn_q);
		mk_printk("selftest: thread %ld turn %d\n", id, turns);
		turns++;
		mk_wake_all(&turn_q);
	}
	if (turns == 6) {
		mk_printk("selftest: threads done\n");
		mk_init_exited(0);
	}
	mk_thread_exit();
}

static void test_threads(void)
{
	long i;

	mk_waitq_init(&turn_q);
	for (i = 0; i < 2; i++) {
		struct mk_thread *t = mk_thread_create("selftest");

		if (!t)
			mk_panic("selftest: no memory for a thread");
		mk_thread_init_kernel(t, test_thread, (void *)i);
		mk_thread_start(t);
	}
}

static void test_smap(void)
{
	struct kf_mm *mm = kf_mm_create();
	long va;

	if (!mm)
		mk_panic("selftest: no memory for an mm");
	va = kf_mm_map(mm, 0, MK_PAGE_SIZE, KF_PROT_READ | KF_PROT_WRITE,
		       KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	if (va < 0 || kf_mm_copy_in(mm, (uintptr_t)va, "x", 1))
		mk_panic("selftest: cannot map a user page");
	kf_mm_activate(mm);
	mk_printk("selftest: reading user address %lx directly\n", va);
	test_sink = *(volatile char *)va;
	mk_printk("selftest: the read succeeded: no SMAP\n");
	mk_init_exited(1);
}

static size_t preempt_heap, preempt_pages;

/*
 * Waits (in a kernel thread, as the boot task) until every process the
 * test forked has been reaped, then checks that their memory came back:
 * the heap to the byte, beyond this thread's own struct.
 */
static void test_reaper(void *arg)
{
	size_t heap, pages;
	long pid;

	(void)arg;
	while ((pid = kf_wait4(-1, 0, 0, 0)) > 0)
		mk_printk("selftest: reaped pid %ld\n", pid);
	mk_schedule();		/* let the last exited thread be freed */
	heap = mk_heap_in_use();
	pages = mk_pmm_free_pages();
	mk_printk("selftest: all processes ended (%ld); heap %lu -> %lu bytes, "
		  "free frames %lu -> %lu\n", pid, (unsigned long)preempt_heap,
		  (unsigned long)heap, (unsigned long)preempt_pages,
		  (unsigned long)pages);
	/* the reaper's own struct is still allocated */
	mk_init_exited(pid == -KF_ECHILD &&
		       heap == preempt_heap + sizeof(struct mk_thread) ? 0 : 1);
}

/* A forked process's first steps in the kernel: exec /bin/spin TAG. */
static void spin_main(void *arg)
{
	char *argv[] = { "/bin/spin", arg, NULL };
	char *envp[] = { NULL };
	long err = 0;
	int i;

	for (i = 0; i < 3 && !err; i++)		/* stdin, stdout, stderr */
		err = mk_console_install() == i ? 0 : -KF_EMFILE;
	if (!err)
		err = mk_exec("/bin/spin", argv, envp);
	if (err)
		mk_panic("selftest: cannot exec /bin/spin: %ld", err);
}

static void test_preempt(void)
{
	struct mk_thread *t;

	preempt_heap = mk_heap_in_use();
	preempt_pages = mk_pmm_free_pages();
	if (mk_kernel_fork(spin_main, "A") < 0 ||
	    mk_kernel_fork(spin_main, "B") < 0)
		mk_panic("selftest: cannot fork /bin/spin");
	t = mk_thread_create("reaper");
	if (!t)
		mk_panic("selftest: no memory for a thread");
	mk_thread_init_kernel(t, test_reaper, NULL);
	mk_thread_start(t);
}

/* ---- leak: user programs must give back every byte they cost ---------------- */

static char leak_names[MK_CMDLINE_MAX];

/* The child's kernel start: console as fds 0-2, exec /bin/NAME. */
static void leak_main(void *arg)
{
	char path[64];
	char *argv[] = { path, NULL };
	char *envp[] = { "HOME=/", NULL };
	long err = 0;
	int i;

	mk_snprintf(path, sizeof(path), "/bin/%s", (const char *)arg);
	for (i = 0; i < 3 && !err; i++)
		err = mk_console_install() == i ? 0 : -KF_EMFILE;
	if (!err)
		err = mk_exec(path, argv, envp);
	if (err) {
		mk_printk("selftest: leak: cannot run %s: %ld\n", path, err);
		mk_task_exit(KF_W_EXITCODE(127, 0), true);
	}
}

/*
 * leak_run - @name as a child of the boot task (so not init), to its end:
 * true when it exited 0 and the heap is exactly as before.
 */
static bool leak_run(const char *name)
{
	size_t heap = mk_heap_in_use();
	struct kf_waitinfo wi = { 0 };
	long pid = mk_kernel_fork(leak_main, (void *)name);

	if (pid < 0 || kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED) < 0)
		return false;
	mk_schedule();		/* the exited thread is freed by the next one */
	mk_printk("selftest: leak %s: %s %d, heap %lu -> %lu bytes\n", name,
		  wi.code == KF_CLD_EXITED ? "exit" : "signal", wi.status,
		  (unsigned long)heap, (unsigned long)mk_heap_in_use());
	return wi.code == KF_CLD_EXITED && wi.status == 0 &&
	       mk_heap_in_use() == heap;
}

/* kfork.leak=a,b,c: each /bin program in turn, from a kernel thread. */
static void test_leak_thread(void *arg)
{
	char *p = leak_names, *name;
	bool ok = true;

	(void)arg;
	while (*p) {
		name = p;
		while (*p && *p != ',')
			p++;
		if (*p)
			*p++ = 0;
		ok = leak_run(name) && ok;
	}
	mk_init_exited(ok ? 0 : 1);
}

static void test_leak(void)
{
	struct mk_thread *t;

	if (!mk_cmdline_get("kfork.leak", leak_names, sizeof(leak_names)))
		mk_panic("selftest: leak needs kfork.leak=PROGRAM,...");
	t = mk_thread_create("leak");
	if (!t)
		mk_panic("selftest: no memory for a thread");
	mk_thread_init_kernel(t, test_leak_thread, NULL);
	mk_thread_start(t);
}

void mk_selftest(const char *name)
{
	mk_printk("selftest: %s\n", name);
	if (!strcmp(name, "panic"))
		mk_panic("selftest panic");
	if (!strcmp(name, "fault"))
		test_fault();
	if (!strcmp(name, "overflow")) {
		/* on a guarded kernel stack, not the boot stack */
		struct mk_thread *t = mk_thread_create("overflow");

		if (!t)
			mk_panic("selftest: no memory for a thread");
		mk_thread_init_kernel(t, test_overflow, NULL);
		mk_thread_start(t);
		return;
	}
	if (!strcmp(name, "hang")) {
		__asm__ volatile("" : : : "memory");
		for (;;)
			board_idle();
	}
	if (!strcmp(name, "threads")) {
		test_threads();
		return;
	}
	if (!strcmp(name, "smap"))
		test_smap();
	if (!strcmp(name, "preempt")) {
		test_preempt();
		return;
	}
	if (!strcmp(name, "leak")) {
		test_leak();
		return;
	}
	mk_panic("selftest: unknown test '%s'", name);
}
