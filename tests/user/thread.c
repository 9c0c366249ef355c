/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/thread.c - threads: pthread create/join/detach with __thread
 * variables and a mutex, the raw CLONE_CHILD_SETTID/CLEARTID/PARENT_SETTID
 * protocol pthread_join relies on, and futex WAIT/WAKE (private, shared
 * across processes, with a timeout).
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "uclone.h"
#include "utap.h"

/* <linux/futex.h> (not in the musl sysroot) */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

#define NTHREADS 6
#define ITERS 2000
#define STACK_SIZE (64 * 1024)

static __thread int tls_value = 5;
static __thread char tls_buf[64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- pthreads ------------------------------------------------------------------------ */

struct targ {
	int id;
	int tls_start;		/* tls_value as the thread first saw it */
	pid_t tid;
};

static void *worker(void *p)
{
	struct targ *a = p;
	int i;

	a->tls_start = tls_value;
	a->tid = (pid_t)syscall(SYS_gettid);
	tls_value = 100 + a->id;
	snprintf(tls_buf, sizeof(tls_buf), "thread %d", a->id);
	for (i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 500 == 0)
			sched_yield();
	}
	if (tls_value != 100 + a->id || strcmp(tls_buf + 7, "") == 0)
		return (void *)1;
	return (void *)(intptr_t)(1000 + a->id);
}

static void test_pthreads(void)
{
	pthread_t th[NTHREADS];
	struct targ args[NTHREADS];
	int i, joined = 0, tls_ok = 1, tids_ok = 1;

	for (i = 0; i < NTHREADS; i++) {
		args[i].id = i;
		if (pthread_create(&th[i], NULL, worker, &args[i]))
			break;
	}
	utap_eq(i, NTHREADS, "user.thread.create");
	for (i = 0; i < NTHREADS; i++) {
		void *ret = NULL;

		if (pthread_join(th[i], &ret) == 0 &&
		    (intptr_t)ret == 1000 + i)
			joined++;
		tls_ok &= args[i].tls_start == 5;
		tids_ok &= args[i].tid != getpid() && args[i].tid > 0;
	}
	utap_eq(joined, NTHREADS, "user.thread.join_return_values");
	utap_eq(counter, (long)NTHREADS * ITERS, "user.thread.mutex_counter");
	utap_ok(tls_ok, "user.thread.tls_initial_value_per_thread");
	utap_eq(tls_value, 5, "user.thread.tls_main_untouched");
	utap_ok(tids_ok, "user.thread.own_tids");
}

/*
 * Threads that share one CPU (the mini-kernel) are switched at timer ticks
 * in the middle of their floating-point loops: each must get its own FP
 * registers back, so every thread's running sums stay exact.
 */
#define FP_THREADS 3

static volatile int fp_stop;

static void *fp_worker(void *arg)
{
	double step = 0.5 * (double)((intptr_t)arg + 1), a = 0, b = 0;
	long n = 0;

	while (!fp_stop) {
		a += step;
		b += step * 0.5;
		n++;
	}
	return (void *)(intptr_t)(a == step * (double)n &&
				  b == step * 0.5 * (double)n && n > 0);
}

static void test_fpu_switches(void)
{
	pthread_t th[FP_THREADS];
	int i, made = 0, ok = 0;

	fp_stop = 0;
	for (i = 0; i < FP_THREADS; i++)
		if (pthread_create(&th[i], NULL, fp_worker, (void *)(intptr_t)i) == 0)
			made++;
	nanosleep(&(struct timespec){ 0, 60 * 1000000 }, NULL);	/* ticks */
	fp_stop = 1;
	for (i = 0; i < made; i++) {
		void *r = NULL;

		pthread_join(th[i], &r);
		ok += r != NULL;
	}
	utap_ok(made == FP_THREADS && ok == FP_THREADS,
		"user.thread.fpu_kept_across_switches");
}

static volatile int detached_ran;

static void *detached(void *p)
{
	(void)p;
	detached_ran = getpid();
	return NULL;
}

static void test_detach(void)
{
	pthread_attr_t attr;
	pthread_t th;
	int i, r;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&th, &attr, detached, NULL);
	pthread_attr_destroy(&attr);
	utap_eq(r, 0, "user.thread.create_detached");
	for (i = 0; i < 500 && !detached_ran; i++)
		nap_ms(2);
	utap_eq(detached_ran, getpid(), "user.thread.detached_ran_in_process");

	/* many short-lived threads: stacks and tids are recycled */
	for (i = 0; i < 40; i++) {
		r = pthread_create(&th, NULL, detached, NULL);
		if (r || pthread_join(th, NULL))
			break;
	}
	utap_eq(i, 40, "user.thread.create_join_40_times");
}

/* ---- raw clone: the tid protocol ----------------------------------------------------------- */

static volatile pid_t ctid, ptid, child_saw_ctid;

static int raw_child(void *p)
{
	(void)p;
	child_saw_ctid = ctid;	/* CHILD_SETTID is done before we run */
	nap_ms(20);
	return 0;	/* exits with SYS_exit: the kernel clears ctid */
}

static void test_cleartid(void)
{
	char *stack = malloc(STACK_SIZE);
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		    CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_SETTID |
		    CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID;
	pid_t tid;
	int i;

	ctid = -1;
	ptid = -1;
	if (!UCLONE_HAVE) {
		utap_skip("user.thread.raw_clone_thread", "no raw clone here");
		free(stack);
		return;
	}
	tid = (pid_t)uclone(flags, stack + STACK_SIZE, (void *)&ptid,
			    (void *)&ctid, 0, raw_child, NULL);
	utap_ok(tid > 0, "user.thread.raw_clone_thread");
	utap_eq(ptid, tid, "user.thread.parent_settid");
	/* pthread_join's wait: until the kernel clears ctid (bounded) */
	for (i = 0; i < 200 && ctid != 0; i++) {
		struct timespec ts = { 0, 50 * 1000000 };
		pid_t v = ctid;

		if (v)
			futex((void *)&ctid, FUTEX_WAIT, (uint32_t)v, &ts);
	}
	utap_eq(ctid, 0, "user.thread.child_cleartid_woken");
	utap_eq(child_saw_ctid, tid, "user.thread.child_settid");
	utap_errno(waitpid(tid, NULL, __WALL | WNOHANG), ECHILD,
		   "user.thread.thread_not_a_child");
	free(stack);
}

/*
 * The last user of an address space: exit skips CHILD_CLEARTID (nobody
 * could be waiting in it), so a word the child stored survives in a page
 * the parent shares.
 */
static void test_cleartid_last_user(void)
{
	int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	pid = ufork();
	if (pid == 0) {
		syscall(SYS_set_tid_address, word);
		*word = 12345;
		syscall(SYS_exit_group, 0);
	}
	utap_eq(wait_status(pid), 0, "user.thread.cleartid_last_user_exits");
	utap_eq(*word, 12345, "user.thread.cleartid_last_user_skipped");
	munmap(word, 4096);
}

/* fork with CLONE_CHILD_SETTID at @ctid: 0 in the child, as fork does */
static long fork_settid(int *ctid)
{
	fflush(stdout);
#if defined(__x86_64__)
	return syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, NULL, ctid, 0);
#else	/* aarch64, riscv64: flags, stack, ptid, tls, ctid */
	return syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, NULL, 0, ctid);
#endif
}

/*
 * CLONE_CHILD_SETTID is a store by the child (Linux: put_user from its
 * first schedule): into a read-only page it fails silently and copies
 * nothing; into a writable private page it lands in the child's copy only.
 */
static void test_settid_protection(void)
{
	int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int *shro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pid;

	priv[0] = 77;
	priv[1] = 88;
	shro[0] = 66;
	mprotect(priv, 4096, PROT_READ);
	mprotect(shro, 4096, PROT_READ);
	pid = fork_settid(&priv[0]);
	if (pid == 0)
		_exit(priv[0] == 77 ? 0 : 1);
	utap_eq(wait_status((pid_t)pid), 0, "user.thread.settid_ro_private_silent");
	pid = fork_settid(&shro[0]);
	if (pid == 0)
		_exit(shro[0] == 66 ? 0 : 1);
	utap_eq(wait_status((pid_t)pid), 0, "user.thread.settid_ro_shared_child");
	utap_eq(shro[0], 66, "user.thread.settid_ro_shared_unwritten");
	mprotect(priv, 4096, PROT_READ | PROT_WRITE);
	pid = fork_settid(&priv[1]);
	if (pid == 0)
		_exit(priv[1] == (int)getpid() ? 0 : 1);
	utap_eq(wait_status((pid_t)pid), 0, "user.thread.settid_rw_child_sees_tid");
	utap_eq(priv[1], 88, "user.thread.settid_rw_parent_unchanged");
	munmap(priv, 4096);
	munmap(shro, 4096);
}

/* ---- futexes ------------------------------------------------------------------------------- */

static uint32_t fword;

static void *futex_waker(void *p)
{
	(void)p;
	nap_ms(20);
	__atomic_store_n(&fword, 1, __ATOMIC_SEQ_CST);
	return (void *)syscall(SYS_futex, &fword, FUTEX_WAKE_PRIVATE, 1, NULL,
			       NULL, 0);
}

static void test_futex(void)
{
	struct timespec ts = { 0, 30 * 1000000 }, bad = { 0, 1000000000 };
	uint32_t *shm;
	pthread_t th;
	void *woke = NULL;
	int st = -1, i;
	pid_t pid;

	utap_errno(futex(&fword, FUTEX_WAIT_PRIVATE, 1, NULL), EAGAIN,
		   "user.thread.futex_wait_value_mismatch");
	utap_errno(futex(&fword, FUTEX_WAIT_PRIVATE, 0, &ts), ETIMEDOUT,
		   "user.thread.futex_wait_timeout");
	utap_errno(futex(&fword, FUTEX_WAIT_PRIVATE, 0, &bad), EINVAL,
		   "user.thread.futex_bad_timeout_einval");
	utap_errno(futex((char *)&fword + 1, FUTEX_WAKE, 1, NULL), EINVAL,
		   "user.thread.futex_unaligned_einval");
	utap_errno(futex((void *)8, FUTEX_WAIT, 0, NULL), EFAULT,
		   "user.thread.futex_bad_address_efault");
	utap_eq(futex(&fword, FUTEX_WAKE_PRIVATE, 5, NULL), 0,
		"user.thread.futex_wake_nobody");

	fword = 0;
	pthread_create(&th, NULL, futex_waker, NULL);
	for (i = 0; i < 100 && __atomic_load_n(&fword, __ATOMIC_SEQ_CST) == 0; i++)
		futex(&fword, FUTEX_WAIT_PRIVATE, 0, &ts);
	pthread_join(th, &woke);
	utap_eq(fword, 1, "user.thread.futex_private_wait_wake");
	utap_ok((intptr_t)woke <= 1, "user.thread.futex_wake_count");

	/* shared: a MAP_SHARED word between two processes */
	shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		   -1, 0);
	if (shm == MAP_FAILED) {
		utap_ok(0, "user.thread.futex_shared_mmap");
		return;
	}
	shm[0] = 0;
	shm[1] = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* announce, then sleep until the parent's wake */
		__atomic_store_n(&shm[1], 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&shm[0], __ATOMIC_SEQ_CST) == 0)
			futex(&shm[0], FUTEX_WAIT, 0, NULL);
		_exit(shm[0] == 7 ? 0 : 1);
	}
	for (i = 0; i < 500 && !__atomic_load_n(&shm[1], __ATOMIC_SEQ_CST); i++)
		nap_ms(2);
	nap_ms(20);		/* let it go to sleep */
	__atomic_store_n(&shm[0], 7, __ATOMIC_SEQ_CST);
	futex(&shm[0], FUTEX_WAKE, 1, NULL);
	waitpid(pid, &st, 0);
	utap_eq(st, 0, "user.thread.futex_shared_across_fork");
	munmap(shm, 4096);
}

int main(void)
{
	test_pthreads();
	test_fpu_switches();
	test_detach();
	test_cleartid();
	test_cleartid_last_user();
	test_settid_protection();
	test_futex();
	return utap_done();
}
