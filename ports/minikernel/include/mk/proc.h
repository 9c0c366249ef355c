/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/proc.h - user processes on top of kfork's core.
 *
 * kfork owns creation, exit, wait, pids, credentials, namespaces and the
 * fd table; the mini-kernel owns everything a task does while it runs:
 * its thread (sched.h), signal queues and delivery (signal.c), files
 * (file.c), exec (exec.c) and the system calls.  struct mk_proc is the
 * part of a thread group the port keeps: the group's shared signal queue
 * and its threads, so a group signal can wake any of them.
 */
#ifndef MK_PROC_H
#define MK_PROC_H

#include <mk/sched.h>

struct kf_mm;
struct kf_arch_regs;

struct mk_proc {
	int refs;			/* threads pointing here */
	struct mk_list threads;		/* of mk_thread.proc_node */
	int live;			/* threads that have not exited */
	bool is_init;			/* /init's group: its end stops the machine */
	bool group_exit;		/* exit_group or a fatal signal began */
	int exit_status;		/* wait status of the group's end */
	int reboot_sig;			/* a pid namespace's init that reboot(2)
					 * ended: its group dies of this signal */
	bool in_exec;			/* a thread's execve is ending the others */
	bool nodump;			/* prctl(PR_SET_DUMPABLE, 0) */
	uint64_t shared_pending;	/* group-directed signals, bit sig-1 */
	struct mk_siginfo shared_info[KF_NSIG];
	struct mk_list shared_rtq;	/* queued real-time signals (mk_sigq) */
	/* setitimer's timers (time.c), by ITIMER_*: REAL's value is a
	 * deadline on the monotonic clock, the CPU ones' the CPU time left
	 * (ns; 0 = disarmed) */
	struct mk_itimer {
		uint64_t value, interval;
	} itimer[3];
	bool itimer_armed;		/* REAL is on time.c's list: */
	struct mk_list itimer_node;
};

void mk_proc_put(struct mk_proc *p);

/* mk_rlimit_cur - the running task's soft limit of @resource. */
uint64_t mk_rlimit_cur(int resource);

/* mk_current_task - the running kfork task (the boot task for kthreads). */
struct kf_task *mk_current_task(void);
struct kf_mm *mk_current_mm(void);
/* mk_task_thread - @t's thread, or NULL (boot task, released task). */
struct mk_thread *mk_task_thread(struct kf_task *t);

/* mk_boot_tasks - kf_boot and make the idle thread its boot task. */
void mk_boot_tasks(void);

/*
 * mk_kernel_fork - kf_fork from the running (kernel) context; the child
 * starts in the kernel at @fn(@arg), as itself, and enters user space
 * through its user frame when @fn returns (fn typically execs).  Returns
 * the pid or a negative errno.
 */
long mk_kernel_fork(void (*fn)(void *), void *arg);

/* mk_start_init - run /init as pid 1. */
void mk_start_init(void);

/* mk_init_exited - /init (or a self-test standing in for it) ended with
 * exit status @status (0..255): log the line run-elf reads and halt. */
void mk_init_exited(int status) __attribute__((noreturn));

/*
 * mk_task_exit - the running task ends: kf_exit (@group: kf_exit_group)
 * with wait status @wstatus, then its thread dies.  /init's group ending
 * stops the machine.
 */
void mk_task_exit(int wstatus, bool group) __attribute__((noreturn));

/* mk_thread_activate_mm - load @t's address space (the kernel's alone for
 * kernel threads); the scheduler calls it on every switch. */
void mk_thread_activate_mm(struct mk_thread *t);

/*
 * mk_exec - replace the running task's program by @path from the
 * initramfs (argv, envp: kernel strings).  On failure (negative errno)
 * nothing changed; on success the task runs the new program when it
 * returns to user space.
 */
long mk_exec(const char *path, char *const argv[], char *const envp[]);

/* ---- The process system calls (proc.c, reboot.c) ---------------------- */

long mk_sys_fork(const long *a);	/* legacy: no generic number */
long mk_sys_vfork(const long *a);	/* legacy: no generic number */
long mk_sys_clone(const long *a);
long mk_sys_clone3(const long *a);
long mk_sys_execve(const long *a);
long mk_sys_exit(const long *a);
long mk_sys_exit_group(const long *a);
long mk_sys_wait4(const long *a);
long mk_sys_waitid(const long *a);
long mk_sys_set_tid_address(const long *a);
long mk_sys_set_robust_list(const long *a);
long mk_sys_getpid(const long *a);
long mk_sys_getppid(const long *a);
long mk_sys_gettid(const long *a);
long mk_sys_getuid(const long *a);
long mk_sys_geteuid(const long *a);
long mk_sys_getgid(const long *a);
long mk_sys_getegid(const long *a);
long mk_sys_setuid(const long *a);
long mk_sys_capget(const long *a);
long mk_sys_capset(const long *a);
long mk_sys_setgid(const long *a);
long mk_sys_setreuid(const long *a);
long mk_sys_setregid(const long *a);
long mk_sys_setresuid(const long *a);
long mk_sys_setresgid(const long *a);
long mk_sys_getresuid(const long *a);
long mk_sys_getresgid(const long *a);
long mk_sys_setfsuid(const long *a);
long mk_sys_setfsgid(const long *a);
long mk_sys_getrusage(const long *a);
long mk_sys_times(const long *a);
long mk_sys_sched_setaffinity(const long *a);
long mk_sys_sched_getaffinity(const long *a);
long mk_sys_umask(const long *a);
long mk_sys_unshare(const long *a);
long mk_sys_setpgid(const long *a);
long mk_sys_getpgid(const long *a);
long mk_sys_getpgrp(const long *a);	/* legacy: no generic number */
long mk_sys_getsid(const long *a);
long mk_sys_setsid(const long *a);
long mk_sys_sched_yield(const long *a);
long mk_sys_getrlimit(const long *a);
long mk_sys_setrlimit(const long *a);
long mk_sys_prlimit64(const long *a);
long mk_sys_uname(const long *a);
long mk_sys_sethostname(const long *a);
long mk_sys_prctl(const long *a);
long mk_sys_getrandom(const long *a);
long mk_sys_pidfd_open(const long *a);
long mk_sys_pidfd_send_signal(const long *a);
long mk_sys_reboot(const long *a);

/* ---- Signals (signal.c) ----------------------------------------------- */

/* Wait statuses and the default action of each signal. */
bool mk_sig_default_ignored(int sig);

/*
 * mk_signal_pending - does a signal the sleep @mode lets through wait for
 * the running thread?  Discards pending signals whose disposition is to
 * ignore them (Linux drops those at send time).  No lock held.
 */
bool mk_signal_pending(unsigned mode);
bool mk_fatal_pending(struct mk_thread *t);

/* mk_send_signal - queue @sig for @t's thread (or @group) with @info
 * (NULL: from the kernel); wakes a sleeper it interrupts.  Atomic.  0, or
 * -KF_EAGAIN: a real-time signal from rt_sigqueueinfo (@info->user) found
 * no room in the queue (RLIMIT_SIGPENDING). */
int mk_send_signal(struct kf_task *t, int sig, const struct mk_siginfo *info,
		   bool group);

/* mk_force_signal - a fault's signal: unblocked and, if ignored, reset to
 * the default action first (force_sig). */
void mk_force_signal(int sig, int code, uintptr_t addr);

/* mk_signal_deliver - on the way to user space with frame @r: run
 * default actions, build handler frames, restart syscalls.  May not
 * return (the task dies). */
void mk_signal_deliver(struct kf_arch_regs *r);

/* mk_signal_fork - a new thread's signal state from its creator's
 * (@clone_flags: what kfork creates it with). */
void mk_signal_fork(struct mk_thread *child, struct mk_thread *parent,
		    uint64_t clone_flags);
/* mk_signal_exec - execve: caught signals go back to SIG_DFL, the
 * alternate signal stack is dropped. */
void mk_signal_exec(void);
/* mk_signal_thread_exit - the running thread @t has exited (@last: its
 * group's last): the signals queued for it are freed. */
void mk_signal_thread_exit(struct mk_thread *t, bool last);

/* the signal syscalls (signal.c) */
long mk_sys_rt_sigaction(const long *a);
long mk_sys_rt_sigprocmask(const long *a);
long mk_sys_rt_sigreturn(const long *a);
long mk_sys_rt_sigsuspend(const long *a);
long mk_sys_pause(const long *a);	/* legacy: no generic number */
long mk_sys_kill(const long *a);
long mk_sys_tkill(const long *a);
long mk_sys_tgkill(const long *a);
long mk_sys_rt_sigpending(const long *a);
long mk_sys_rt_sigqueueinfo(const long *a);
long mk_sys_rt_tgsigqueueinfo(const long *a);
long mk_sys_rt_sigtimedwait(const long *a);
long mk_sys_sigaltstack(const long *a);

/* ---- Futexes (futex.c) ------------------------------------------------- */

long mk_sys_futex(const long *a);

/* ---- Time (time.c) ----------------------------------------------------- */

long mk_sys_nanosleep(const long *a);
long mk_sys_clock_gettime(const long *a);
long mk_sys_clock_getres(const long *a);
long mk_sys_clock_nanosleep(const long *a);
long mk_sys_gettimeofday(const long *a);
long mk_sys_getitimer(const long *a);
long mk_sys_setitimer(const long *a);
long mk_sys_alarm(const long *a);	/* legacy: no generic number */

/* mk_itimer_alarm_taken - a SIGALRM of @p's was dequeued (a periodic
 * ITIMER_REAL that fired starts again).  mk_itimer_proc_free - @p is
 * freed: its ITIMER_REAL stops. */
void mk_itimer_alarm_taken(struct mk_proc *p);
void mk_itimer_proc_free(struct mk_proc *p);

/* mk_deadline_ns - when a relative timeout of @sec s + @nsec ns (valid:
 * not negative) ends, as mk_sleep's deadline; ~0 when beyond reach. */
uint64_t mk_deadline_ns(int64_t sec, int64_t nsec);
/* mk_deadline_passed - has @deadline (0: none) passed? */
bool mk_deadline_passed(uint64_t deadline);
/* mk_time_tick - the timer interrupt's part: the COARSE clocks' time. */
void mk_time_tick(void);

/*
 * CPU time (interrupts off): mk_cputime_switch at every context switch
 * (it also counts the switch, voluntary or not); mk_cputime_tick on every
 * timer tick, which samples the running thread as in user mode
 * (@from_user) or not; mk_cputime_exit when thread @t stops for good.
 * mk_thread_cputime - @t's figures as kfork's kf_os_task_cputime reports
 * them (a process's are the core's sum, kf_task_group_cputime).
 */
void mk_cputime_switch(struct mk_thread *prev, struct mk_thread *next);
void mk_cputime_tick(bool from_user);
void mk_cputime_exit(struct mk_thread *t);
void mk_thread_cputime(const struct mk_thread *t, struct kf_cputime *out);

#define MK_ERESTARTSYS 512
#define MK_ERESTARTNOINTR 513
#define MK_ERESTARTNOHAND 514
#define MK_ERESTART_RESTARTBLOCK 516	/* a relative sleep: resume it */

#endif /* MK_PROC_H */
