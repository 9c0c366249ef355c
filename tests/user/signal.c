/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/signal.c - signal delivery: handlers with siginfo, the
 * interrupted code's registers and FPU state restored by rt_sigreturn,
 * masks (blocked signals wait, and arrive when unblocked), SIG_IGN,
 * SA_RESETHAND, a SIGSEGV handler that repairs the fault, SIGCHLD, EINTR
 * versus SA_RESTART on a blocking read, and kill/tkill/tgkill errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

static volatile sig_atomic_t hits;
static volatile int last_sig, last_code, last_pid;
static volatile double fp_scratch;

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	double x = 1.5;
	int i;

	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	for (i = 0; i < 10; i++)	/* the handler's FPU use */
		x = x * 3.25 + 0.5;
	fp_scratch = x;
#ifdef __aarch64__
	/* registers a handler may change: only the frame brings them back */
	__asm__ volatile("mov x9, xzr\n\tmov x15, xzr\n\t"
			 "movi v16.2d, #0\n\tmovi v31.2d, #0"
			 : : : "x9", "x15", "v16", "v31");
#elif defined(__riscv) && __riscv_xlen == 64
	/* registers a handler may change: only the frame brings them back */
	__asm__ volatile("li t3, 0\n\tli t6, 0\n\t"
			 "fmv.d.x ft0, zero\n\tfmv.d.x fa7, zero"
			 : : : "t3", "t6", "ft0", "fa7");
#endif
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void set_info_handler(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

/* ---- handlers -------------------------------------------------------------------- */

static void test_handler(void)
{
	volatile double keep = 2.71828;
	double before;

	set_info_handler(SIGUSR1, 0);
	hits = 0;
	before = keep * 3.0;
	raise(SIGUSR1);
	utap_eq(hits, 1, "user.signal.handler_runs");
	utap_eq(last_sig, SIGUSR1, "user.signal.siginfo_signo");
	utap_eq(last_code, SI_TKILL, "user.signal.raise_si_code_tkill");
	utap_eq(last_pid, getpid(), "user.signal.siginfo_pid");
	utap_ok(keep * 3.0 == before && fp_scratch > 1000.0,
		"user.signal.fpu_state_restored");

	/* kill(): SI_USER */
	kill(getpid(), SIGUSR1);
	utap_eq(hits, 2, "user.signal.kill_self_delivered");
	utap_eq(last_code, SI_USER, "user.signal.kill_si_code_user");

	/* SA_RESETHAND: once, then the default action again */
	set_info_handler(SIGUSR2, SA_RESETHAND);
	raise(SIGUSR2);
	{
		struct sigaction sa;

		sigaction(SIGUSR2, NULL, &sa);
		utap_ok(hits == 3 && sa.sa_handler == SIG_DFL,
			"user.signal.resethand");
	}

	/* SIG_IGN: nothing happens */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	utap_eq(hits, 3, "user.signal.sig_ign");
	signal(SIGUSR2, SIG_DFL);

	utap_errno(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = on_plain },
			     NULL), EINVAL, "user.signal.sigaction_sigkill_einval");
	utap_errno(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL,
		   "user.signal.sigaction_bad_signal_einval");
	utap_errno(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL,
		   "user.signal.sigaction_bad_setsize_einval");
}

/* the interrupted code's integer registers survive a handler */
#ifdef __x86_64__
static uint64_t regs_across_signal(void)
{
	uint64_t r12 = 0x1212121212121212ull, r13 = 0x1313131313131313ull;
	uint64_t r14 = 0x1414141414141414ull, r15 = 0x1515151515151515ull;
	uint64_t tid = (uint64_t)syscall(SYS_gettid);

	/* tkill(tid, SIGUSR1) by hand, with values live in callee-saved
	 * registers the handler's C code is free to use */
	__asm__ volatile("syscall"
			 : "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
			 : "a"(SYS_tkill), "D"(tid), "S"(SIGUSR1)
			 : "rcx", "r11", "memory");
	return (r12 == 0x1212121212121212ull) + (r13 == 0x1313131313131313ull) +
	       (r14 == 0x1414141414141414ull) + (r15 == 0x1515151515151515ull);
}
#define REGS_CHECKED 4
#elif defined(__aarch64__)
/*
 * tkill(tid, SIGUSR1) by hand with patterns in x9..x15 and x19..x28, and
 * in d8, v16 and v31: registers the handler may change (x9..x15 and v16,
 * v31 are caller-saved) come back only from the frame rt_sigreturn
 * restores, the FP/SIMD ones from its fpsimd_context.
 */
static uint64_t regs_across_signal(void)
{
	uint64_t tid = (uint64_t)syscall(SYS_gettid), out[20], n = 0;
	int i;

	__asm__ volatile(
		"ldr x9, =0x0909090909090909\n\t"
		"add x10, x9, #1\n\t	add x11, x9, #2\n\t	add x12, x9, #3\n\t"
		"add x13, x9, #4\n\t	add x14, x9, #5\n\t	add x15, x9, #6\n\t"
		"add x19, x9, #7\n\t	add x20, x9, #8\n\t	add x21, x9, #9\n\t"
		"add x22, x9, #10\n\t	add x23, x9, #11\n\t	add x24, x9, #12\n\t"
		"add x25, x9, #13\n\t	add x26, x9, #14\n\t	add x27, x9, #15\n\t"
		"add x28, x9, #16\n\t"
		"fmov d8, x19\n\t	fmov d16, x20\n\t	fmov d31, x21\n\t"
		"mov x0, %[tid]\n\t"
		"mov x1, #10\n\t"		/* SIGUSR1 */
		"mov x8, #130\n\t"		/* tkill */
		"svc #0\n\t"
		"stp x9, x10, [%[out], #0]\n\t	stp x11, x12, [%[out], #16]\n\t"
		"stp x13, x14, [%[out], #32]\n\t	stp x15, x19, [%[out], #48]\n\t"
		"stp x20, x21, [%[out], #64]\n\t	stp x22, x23, [%[out], #80]\n\t"
		"stp x24, x25, [%[out], #96]\n\t	stp x26, x27, [%[out], #112]\n\t"
		"str x28, [%[out], #128]\n\t"
		"fmov x9, d8\n\t	fmov x10, d16\n\t	fmov x11, d31\n\t"
		"stp x9, x10, [%[out], #136]\n\t	str x11, [%[out], #152]"
		: : [tid] "r"(tid), [out] "r"(out)
		: "x0", "x1", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
		  "x15", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
		  "x27", "x28", "v8", "v16", "v31", "memory", "cc");
	for (i = 0; i < 17; i++)
		n += out[i] == 0x0909090909090909ull + i;
	n += out[17] == 0x0909090909090909ull + 7;	/* d8 */
	n += out[18] == 0x0909090909090909ull + 8;	/* v16 */
	n += out[19] == 0x0909090909090909ull + 9;	/* v31 */
	return n;
}
#define REGS_CHECKED 20
#elif defined(__riscv) && __riscv_xlen == 64
/*
 * tkill(tid, SIGUSR1) by hand with patterns in t3..t6, s2..s11, ft0, fs0
 * and fa7: the handler may change the caller-saved ones (on_info clears
 * t3, t6, ft0 and fa7), which come back only from the frame rt_sigreturn
 * restores, the FP ones from its FP state.
 */
static uint64_t regs_across_signal(void)
{
	uint64_t tid = (uint64_t)syscall(SYS_gettid), out[17], n = 0;
	int i;

	__asm__ volatile(
		"li t3, 0x0909090909090909\n\t"
		"addi t4, t3, 1\n\t	addi t5, t3, 2\n\t	addi t6, t3, 3\n\t"
		"addi s2, t3, 4\n\t	addi s3, t3, 5\n\t	addi s4, t3, 6\n\t"
		"addi s5, t3, 7\n\t	addi s6, t3, 8\n\t	addi s7, t3, 9\n\t"
		"addi s8, t3, 10\n\t	addi s9, t3, 11\n\t	addi s10, t3, 12\n\t"
		"addi s11, t3, 13\n\t"
		"fmv.d.x ft0, s2\n\t	fmv.d.x fs0, s3\n\t	fmv.d.x fa7, s4\n\t"
		"mv a0, %[tid]\n\t"
		"li a1, 10\n\t"		/* SIGUSR1 */
		"li a7, 130\n\t"		/* tkill */
		"ecall\n\t"
		"sd t3, 0(%[out])\n\t	sd t4, 8(%[out])\n\t"
		"sd t5, 16(%[out])\n\t	sd t6, 24(%[out])\n\t"
		"sd s2, 32(%[out])\n\t	sd s3, 40(%[out])\n\t"
		"sd s4, 48(%[out])\n\t	sd s5, 56(%[out])\n\t"
		"sd s6, 64(%[out])\n\t	sd s7, 72(%[out])\n\t"
		"sd s8, 80(%[out])\n\t	sd s9, 88(%[out])\n\t"
		"sd s10, 96(%[out])\n\t	sd s11, 104(%[out])\n\t"
		"fsd ft0, 112(%[out])\n\t	fsd fs0, 120(%[out])\n\t"
		"fsd fa7, 128(%[out])"
		: : [tid] "r"(tid), [out] "r"(out)
		: "a0", "a1", "a7", "t3", "t4", "t5", "t6", "s2", "s3", "s4",
		  "s5", "s6", "s7", "s8", "s9", "s10", "s11", "ft0", "fs0", "fa7",
		  "memory");
	for (i = 0; i < 14; i++)
		n += out[i] == 0x0909090909090909ull + i;
	for (i = 14; i < 17; i++)	/* ft0, fs0, fa7: copies of s2..s4 */
		n += out[i] == 0x0909090909090909ull + (i - 10);
	return n;
}
#define REGS_CHECKED 17
#endif

static void test_registers(void)
{
#ifdef REGS_CHECKED
	set_info_handler(SIGUSR1, 0);
	hits = 0;
	utap_eq((long)regs_across_signal(), REGS_CHECKED,
		"user.signal.registers_restored");
	utap_eq(hits, 1, "user.signal.registers_handler_ran");
#else
	utap_skip("user.signal.registers_restored", "x86_64, aarch64 and riscv64 only");
#endif
}

/*
 * A handler arriving at any instruction of a floating-point loop (sent by
 * another thread, so not at a call where the ABI lets registers go) must
 * find and leave every FP register as it was: the loop's running sums
 * stay exact.
 */
static volatile int fp_stop;

static void *fp_pester(void *arg)
{
	pthread_t target = *(pthread_t *)arg;
	int i;

	for (i = 0; i < 20; i++) {
		pthread_kill(target, SIGUSR1);
		nap_ms(1);
	}
	fp_stop = 1;
	return NULL;
}

static void test_fpu_async(void)
{
	pthread_t self = pthread_self(), th;
	double a = 0, b = 0;
	long n = 0;

	set_info_handler(SIGUSR1, 0);
	hits = 0;
	fp_stop = 0;
	if (pthread_create(&th, NULL, fp_pester, &self)) {
		utap_ok(0, "user.signal.fpu_kept_across_async_handlers");
		return;
	}
	while (!fp_stop) {
		a += 0.5;
		b += 0.25;
		n++;
	}
	pthread_join(th, NULL);
	utap_ok(a == 0.5 * (double)n && b == 0.25 * (double)n && hits > 0,
		"user.signal.fpu_kept_across_async_handlers");
}

/* ---- masks --------------------------------------------------------------------------- */

static void test_mask(void)
{
	sigset_t set, old, pend;

	set_handler(SIGUSR1, on_plain, 0);
	hits = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	utap_eq(hits, 0, "user.signal.blocked_not_delivered");
	sigemptyset(&pend);
	sigpending(&pend);
	utap_ok(sigismember(&pend, SIGUSR1), "user.signal.blocked_is_pending");
	raise(SIGUSR1);		/* merged with the pending one */
	sigprocmask(SIG_SETMASK, &old, NULL);
	utap_eq(hits, 1, "user.signal.delivered_on_unblock_once");

	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, &old);
	sigprocmask(SIG_SETMASK, NULL, &set);
	utap_ok(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP),
		"user.signal.kill_stop_unblockable");
	sigprocmask(SIG_SETMASK, &old, NULL);
	utap_errno(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL,
		   "user.signal.sigprocmask_bad_how_einval");

	/* the handler runs with its signal and sa_mask blocked */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_info;
		sa.sa_flags = SA_SIGINFO;
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaction(SIGUSR1, &sa, NULL);
	}
	/* a forked child inherits the mask, not the pending signals */
	{
		pid_t pid;
		int st = -1;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_BLOCK, &set, &old);
		raise(SIGUSR2);
		pid = ufork();
		if (pid == 0) {
			sigset_t m, p;

			sigprocmask(SIG_SETMASK, NULL, &m);
			sigpending(&p);
			_exit(sigismember(&m, SIGUSR2) && !sigismember(&p, SIGUSR2) ?
			      0 : 1);
		}
		waitpid(pid, &st, 0);
		utap_eq(st, 0, "user.signal.fork_inherits_mask_not_pending");
		signal(SIGUSR2, SIG_IGN);	/* drop the pending one */
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGUSR2, SIG_DFL);
	}
}

/* ---- faults -------------------------------------------------------------------------- */

static char *fault_page;
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	fault_code = si->si_code;
	/* repair: the access is retried when we return */
	mprotect(fault_page, 4096, PROT_READ | PROT_WRITE);
}

static void test_segv(void)
{
	struct sigaction sa;

	fault_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	((volatile char *)fault_page)[100] = 42;
	utap_eq(fault_page[100], 42, "user.signal.segv_handler_repairs");
	utap_eq((long)fault_addr, (long)(uintptr_t)(fault_page + 100),
		"user.signal.segv_si_addr");
	utap_eq(fault_code, SEGV_ACCERR, "user.signal.segv_accerr");
	signal(SIGSEGV, SIG_DFL);
	munmap(fault_page, 4096);
}

/* ---- SIGCHLD and interrupted syscalls ---------------------------------------------------- */

static void test_sigchld(void)
{
	pid_t pid;
	int i;

	set_handler(SIGCHLD, on_plain, 0);
	hits = 0;
	pid = ufork();
	if (pid == 0)
		_exit(0);
	for (i = 0; i < 2500 && !hits; i++)	/* at most 5 s */
		nap_ms(2);
	utap_eq(hits, 1, "user.signal.sigchld_handler");
	utap_eq(waitpid(pid, NULL, 0), pid, "user.signal.sigchld_child_still_waitable");
	signal(SIGCHLD, SIG_DFL);
}

/*
 * A child blocks in read() on an empty pipe and is sent SIGUSR1 (again
 * and again until it is done: a signal that lands before the read must
 * not hang the test).  Without SA_RESTART the read fails with EINTR; with
 * it the read is restarted and returns the byte the parent then writes.
 */
static int interrupted_read(int restart)
{
	int p[2], st = -1, i;
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = ufork();
	if (pid == 0) {
		ssize_t r;

		set_handler(SIGUSR1, on_plain, restart ? SA_RESTART : 0);
		close(p[1]);
		r = read(p[0], &c, 1);
		if (restart)
			_exit(r == 1 && c == 'k' ? 0 : 1);
		_exit(r == -1 && errno == EINTR ? 0 : 2);
	}
	close(p[0]);
	for (i = 0; i < 500; i++) {	/* at most 5 s */
		nap_ms(10);
		kill(pid, SIGUSR1);
		if (restart && i == 20 && write(p[1], "k", 1) != 1)
			break;
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
	}
	if (i == 500) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	close(p[1]);
	return st;
}

static void test_eintr(void)
{
	utap_eq(interrupted_read(0), 0, "user.signal.read_eintr_without_restart");
	utap_eq(interrupted_read(1), 0, "user.signal.read_restarted_with_sa_restart");
}

/* ---- kill, tkill, tgkill ------------------------------------------------------------------ */

static void test_kill(void)
{
	pid_t pid, tid = (pid_t)syscall(SYS_gettid);

	utap_errno(kill(getpid(), 65), EINVAL, "user.signal.kill_bad_signal_einval");
	utap_eq(kill(getpid(), 0), 0, "user.signal.kill_signal0_probe");
	pid = ufork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	utap_errno(kill(pid, 0), ESRCH, "user.signal.kill_reaped_esrch");

	set_handler(SIGUSR1, on_plain, 0);
	hits = 0;
	utap_eq(syscall(SYS_tgkill, getpid(), tid, SIGUSR1), 0, "user.signal.tgkill_self");
	utap_eq(hits, 1, "user.signal.tgkill_delivered");
	utap_errno(syscall(SYS_tgkill, pid, tid, SIGUSR1), ESRCH,
		   "user.signal.tgkill_wrong_group_esrch");
	utap_errno(syscall(SYS_tgkill, 0, tid, SIGUSR1), EINVAL,
		   "user.signal.tgkill_bad_tgid_einval");
	utap_errno(syscall(SYS_tkill, 0, SIGUSR1), EINVAL,
		   "user.signal.tkill_bad_tid_einval");
	utap_errno(syscall(SYS_tkill, tid, 99), EINVAL,
		   "user.signal.tkill_bad_signal_einval");

	/* a plain user may not signal root's processes */
	pid = ufork();
	if (pid == 0) {
		if (setuid(54323))
			_exit(3);	/* not root (or no such uid here) */
		_exit(kill(getppid(), SIGUSR1) == -1 && errno == EPERM ? 0 : 1);
	}
	{
		int st = -1;

		waitpid(pid, &st, 0);
		if (st == 3 << 8)
			utap_skip("user.signal.kill_other_user_eperm", "no setuid here");
		else
			utap_eq(st, 0, "user.signal.kill_other_user_eperm");
	}
	utap_eq(hits, 1, "user.signal.eperm_kill_not_delivered");
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	test_handler();
	test_registers();
	test_fpu_async();
	test_mask();
	test_segv();
	test_sigchld();
	test_eintr();
	test_kill();
	return utap_done();
}
