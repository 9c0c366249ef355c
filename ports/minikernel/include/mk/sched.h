/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/sched.h - threads and the scheduler.
 *
 * One CPU, a non-preemptive kernel and preemptible user mode: the timer
 * only marks the running thread for rescheduling, and the switch happens
 * on its way back to user space (mk_return_to_user) or when a thread
 * sleeps.  Kernel code may therefore assume it is not interrupted by
 * another thread between two sleeping points; run-queue and wait-queue
 * changes still mask interrupts because the timer runs in kernel mode too
 * (it wakes timed sleepers).
 *
 * A thread is either a kernel thread (task NULL: it runs as kfork's boot
 * task, pid 0) or the host side of one kfork task (kf_task_os() points
 * back at it).  A task's thread uses the machine state embedded in the
 * task (arch) and is freed when both the thread has died and the core
 * has released the task (two references).
 */
#ifndef MK_SCHED_H
#define MK_SCHED_H

#include <mk/mk.h>
#include <kf/hal/context.h>

struct mk_proc;
struct kf_task;

enum mk_thread_state {
	MK_THREAD_RUNNABLE,	/* on the run queue, or running */
	MK_THREAD_SLEEPING,	/* on a wait queue (or on none: a timed nap) */
	MK_THREAD_DEAD,		/* waiting for its stack to be freed */
};

/* What a signal left for a thread or its group (signal.c).  @force: sent
 * by the kernel or from an ancestor pid namespace (it may kill a
 * namespace's init); @fault: a fault's own signal (it always acts). */
struct mk_siginfo {
	int code, pid, uid, status;
	uintptr_t addr;
	bool force, fault;
};

struct mk_thread {
	struct kf_arch_thread own_arch;	/* first: 16-byte aligned (FXSAVE) */
	struct kf_arch_thread *arch;	/* in use: own_arch or the task's */
	struct mk_list node;		/* run queue, wait queue or dead list */
	struct mk_list timer_node;	/* timed sleepers (wake_at != 0) */
	struct mk_list proc_node;	/* in proc->threads */
	enum mk_thread_state state;
	unsigned wait_mode;		/* KF_WAIT_* of the current sleep */
	uint64_t wake_at;		/* when a timed sleep ends (monotonic ns) */
	bool timed_out;			/* the last sleep ended by its timer */
	int refs;			/* see the top of this file */
	int tid;			/* the kernel log's number */
	char name[16];
	void *kstack;			/* base; NULL for the idle thread */
	struct kf_task *task;		/* NULL: a kernel thread */
	struct mk_proc *proc;		/* the thread group (signal.c) */

	/* signals (signal.c); changed with interrupts off */
	uint64_t blocked;		/* rt_sigprocmask */
	uint64_t pending;		/* thread-directed, bit sig-1 */
	uint64_t saved_mask;		/* sigsuspend's, restored after it */
	bool restore_mask;
	int restart;			/* the returning syscall's -ERESTART* */
	bool jobctl_wake;		/* a group stop to join (kf_os_signal_wake) */
	bool resume_sleep;		/* the restarted sleep ends at sleep_end */
	uint64_t sleep_end;		/* (Linux's restart block, time.c) */
	struct mk_siginfo info[KF_NSIG];

	/* CPU time (time.c): exact, in board_clock_ns() nanoseconds; and
	 * sampled, in the ticks that found the thread running */
	uint64_t cpu_ns;		/* on the CPU, up to on_cpu_since */
	uint64_t on_cpu_since;		/* when it was last switched in */
	uint64_t user_ticks, sys_ticks;

	/* the next child this thread creates starts in the kernel at
	 * child_fn(child_arg) (mk_kernel_fork); a child's own copy */
	void (*child_fn)(void *);
	void *child_arg;
	void (*start_fn)(void *);
	void *start_arg;
};

/* The running thread. */
extern struct mk_thread *mk_current_thread;

static inline struct mk_thread *mk_current(void)
{
	return mk_current_thread;
}

static inline uintptr_t mk_thread_kstack_top(const struct mk_thread *t)
{
	return t->kstack ? (uintptr_t)t->kstack + KF_ARCH_KSTACK_SIZE : 0;
}

/* mk_sched_init - the boot context becomes the idle thread (tid 0). */
void mk_sched_init(void);
struct mk_thread *mk_idle_thread(void);

/* mk_thread_create - a thread with a fresh kernel stack, one reference,
 * not yet runnable; the caller sets its first context (kf_arch_thread_init,
 * or mk_thread_init_kernel), then mk_thread_start()s it.  NULL when out of
 * memory. */
struct mk_thread *mk_thread_create(const char *name);
void mk_thread_start(struct mk_thread *t);

/* mk_thread_init_kernel - the first switch to @t calls @fn(@arg) on its
 * kernel stack; @fn never returns. */
static inline void mk_thread_init_kernel(struct mk_thread *t,
					 void (*fn)(void *), void *arg)
{
	kf_arch_thread_init(t->arch, mk_thread_kstack_top(t), fn, arg);
}
/* mk_thread_get/put - references; the last put frees stack and struct. */
void mk_thread_get(struct mk_thread *t);
void mk_thread_put(struct mk_thread *t);
void mk_thread_set_name(struct mk_thread *t, const char *name);

/* mk_thread_first_run - what a new thread does first, before its own
 * code: free what dead threads left, enable interrupts. */
void mk_thread_first_run(void);

/* mk_thread_exit - the running thread stops for good; its reference is
 * dropped by whichever thread runs next. */
void mk_thread_exit(void) __attribute__((noreturn));

/* mk_schedule - let another runnable thread run (the caller stays
 * runnable unless it set another state first). */
void mk_schedule(void);

/* mk_idle_loop - the idle thread's body: run others, else wait. */
void mk_idle_loop(void) __attribute__((noreturn));

/* mk_sched_tick - the timer's part: wake timed sleepers that are due at
 * @now (board_clock_ns()). */
void mk_sched_tick(uint64_t now);

/* ---- Wait queues ------------------------------------------------------ */

struct mk_waitq {
	struct mk_list sleepers;
};

void mk_waitq_init(struct mk_waitq *q);

/*
 * mk_sleep - block the running thread on @q (may be NULL: only a timer or
 * a signal wakes it) with KF_WAIT_* @mode, until a wake-up, a signal the
 * mode lets through (mk_thread_wake_signal), or the first tick at or past
 * @deadline, in board_clock_ns() time (0: none; then t->timed_out is
 * set).  Callers re-check their condition in a loop.
 * Call with interrupts off when the condition could change in an
 * interrupt (the timer), so no wake-up is lost in between.
 */
void mk_sleep(struct mk_waitq *q, unsigned mode, uint64_t deadline);
/* mk_sleep_on - uninterruptible mk_sleep without a deadline. */
void mk_sleep_on(struct mk_waitq *q);
void mk_wake_all(struct mk_waitq *q);
/* mk_thread_wake - make sleeping @t runnable whatever it sleeps on. */
void mk_thread_wake(struct mk_thread *t);

#endif /* MK_SCHED_H */
