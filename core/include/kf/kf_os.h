/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/kf_os.h - the OS-services porting layer.
 *
 * This is the one header a host kernel implements to embed kfork.  core/ and
 * mm/ reach the host only through these functions; nothing else in them
 * calls the host or libc (beyond memcpy/memmove/memset, which every kernel
 * has).  Each hook states its calling context:
 *
 *   may sleep   the hook may block; the core never calls it with a spinlock
 *               held or IRQs off.
 *   atomic      the hook must not sleep; the core may hold spinlocks.
 *   NULL        whether pointer arguments or results may be NULL.
 *
 * Return values are 0 or a negative KF_E* errno unless stated.
 *
 * Opaque host types: a host may bind its native lock and wait-queue types by
 * defining KF_OS_TYPES_HEADER to a header that defines KF_OS_HAVE_TYPES and
 * the three types below.  Otherwise the generic storage below is used and
 * the host casts it to its own type inside its hooks.
 */
#ifndef KF_OS_H
#define KF_OS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef KF_OS_TYPES_HEADER
#include KF_OS_TYPES_HEADER
#endif

#ifndef KF_OS_HAVE_TYPES
/* Big enough for a pthread mutex or a ticket lock plus debug owner. */
typedef struct kf_os_spinlock { uint64_t opaque[6]; } kf_os_spinlock_t;
typedef struct kf_os_mutex { uint64_t opaque[6]; } kf_os_mutex_t;
typedef struct kf_os_waitq { uint64_t opaque[12]; } kf_os_waitq_t;
#endif

typedef uint64_t kf_paddr_t;	/* a physical address; 0 is never a valid frame */
typedef uintptr_t kf_uptr_t;	/* a user-space address, never dereferenced directly */

struct kf_task;
struct kf_siginfo;

/* ---- Objects (kernel heap) ------------------------------------------- */

/*
 * kf_os_alloc - allocate @size bytes of zeroed kernel memory.
 * @site: a static string naming the allocation site ("clone.task", ...);
 *        hosts use it for leak tracking and fault injection.
 * Context: may sleep.  Returns NULL on failure (the core unwinds).
 */
void *kf_os_alloc(size_t size, const char *site);

/* kf_os_free - free memory from kf_os_alloc.  @p may be NULL.  Atomic. */
void kf_os_free(void *p, size_t size);

/* ---- Page frames ------------------------------------------------------- */

/*
 * kf_os_page_alloc - allocate one zeroed frame of KF_PAGE_SIZE bytes with a
 * reference count of 1.  Returns 0 on failure.  May sleep.
 */
kf_paddr_t kf_os_page_alloc(const char *site);

/* kf_os_page_get - take a reference on a frame.  Atomic. */
void kf_os_page_get(kf_paddr_t pa);

/* kf_os_page_put - drop a reference; the frame is freed at zero.  Atomic. */
void kf_os_page_put(kf_paddr_t pa);

/* kf_os_page_count - current reference count of a frame.  Atomic. */
unsigned kf_os_page_count(kf_paddr_t pa);

/* kf_os_phys_to_virt - the kernel's mapping of a frame (a direct map). */
void *kf_os_phys_to_virt(kf_paddr_t pa);

/* ---- Locks ------------------------------------------------------------- */

/*
 * Spinlocks: lock returns the saved IRQ state that unlock restores.  Locks
 * are taken in the order written down next to the structures (the lock
 * keys of core/task.h and mm/mm_internal.h).
 */
void kf_os_spin_init(kf_os_spinlock_t *l);
unsigned long kf_os_spin_lock(kf_os_spinlock_t *l);
void kf_os_spin_unlock(kf_os_spinlock_t *l, unsigned long irqstate);
/* kf_os_spin_held - debug aid: true if the calling CPU holds @l. */
bool kf_os_spin_held(kf_os_spinlock_t *l);

/* Sleeping mutexes (the address-space lock).  Lock may sleep. */
void kf_os_mutex_init(kf_os_mutex_t *m);
void kf_os_mutex_lock(kf_os_mutex_t *m);
void kf_os_mutex_unlock(kf_os_mutex_t *m);

/* ---- Sleep and wake-up --------------------------------------------------- */

void kf_os_waitq_init(kf_os_waitq_t *q);

#define KF_WAIT_UNINTERRUPTIBLE 0	/* no signal interrupts (pid-ns teardown) */
#define KF_WAIT_KILLABLE      1	/* only a fatal signal interrupts */
#define KF_WAIT_INTERRUPTIBLE 2	/* any signal interrupts */

/*
 * kf_os_wait - sleep on @q until @cond(@arg) is true.  The host re-checks
 * @cond after every wake-up; @cond may take core locks.
 * Returns 0 when @cond is true, -KF_EINTR when a signal allowed by @mode
 * arrived first.  May sleep; called with no locks held.
 */
int kf_os_wait(kf_os_waitq_t *q, bool (*cond)(void *arg), void *arg,
	       unsigned mode);

/* kf_os_wake_all - wake every sleeper on @q.  Atomic; locks may be held. */
void kf_os_wake_all(kf_os_waitq_t *q);

/* ---- CPUs -------------------------------------------------------------------- */

/*
 * kf_os_cpu_id - the number of the CPU running the caller, 0 <=
 * id < CONFIG_KF_NR_CPUS.  The HAL asks it when it activates an address
 * space and when it flushes; it is called with preemption off, so the
 * answer stays true for the call.  Atomic.
 */
unsigned kf_os_cpu_id(void);

/* ---- Tasks ------------------------------------------------------------------ */

/* kf_os_current - the kfork task running on this CPU.  Never NULL once the
 * host has called kf_boot(). Atomic. */
struct kf_task *kf_os_current(void);

/*
 * kf_os_task_prepare - the host sets up its side of a new task (scheduler
 * entity, kernel stack) before the core calls kf_arch_copy_thread.  The
 * child is not yet visible; may fail with -KF_ENOMEM.  May sleep.
 */
int kf_os_task_prepare(struct kf_task *child);

/* kf_os_task_unprepare - undo kf_os_task_prepare for a child that never ran. */
void kf_os_task_unprepare(struct kf_task *child);

/* kf_os_task_start - make a fully published child runnable.  Cannot fail. */
void kf_os_task_start(struct kf_task *child);

/*
 * kf_os_task_release - the core is done with a reaped task; the host frees
 * its side (kernel stack...) once the task can no longer run.  Atomic.
 */
void kf_os_task_release(struct kf_task *t);

/*
 * kf_os_signal - deliver @sig to @t (to its thread group if @group).  The
 * host queues it; @info may be NULL (kernel-generated).  The core has
 * made the decisions of job control already (and holds @t's siglock,
 * except for the SIGKILLs of a group exit).  Atomic.
 */
void kf_os_signal(struct kf_task *t, int sig, const struct kf_siginfo *info,
		  bool group);

/*
 * kf_os_signal_flush - discard the pending signals of @mask (bit sig-1)
 * queued for the thread @t and for its thread group.  Returns true if any
 * was pending.  The core's side of job control: a SIGCONT discards stop
 * signals, a stop signal SIGCONTs, and kf_signal_stop takes its signal off
 * the queues this way.  Atomic; the core holds @t's siglock.
 */
bool kf_os_signal_flush(struct kf_task *t, uint64_t mask);

/*
 * kf_os_signal_wake - @t has a group stop to join (Linux's signal_wake_up):
 * treat it as having a signal pending -- end an interruptible sleep
 * (-KF_EINTR), make kf_os_signal_pending true for it, get it to the way
 * back to user space -- until it next calls kf_signal_jobctl.  Atomic; the
 * core holds @t's siglock.
 */
void kf_os_signal_wake(struct kf_task *t);

/*
 * kf_os_signal_mask - the thread @t's signal mask, with the signals an
 * rt_sigtimedwait unblocked for its wait put back (Linux's blocked |
 * real_blocked); *@pending gets the signals queued for @t or its group.
 * kfork asks before it queues a signal whose default action kills without
 * a core dump, at SIG_DFL: if a thread it is for would take it now (not
 * blocked, not exiting, not stopped, and -- unless it is the caller -- no
 * other signal it would act on pending), the group exit starts at once.
 * A host without masks says 0.  Atomic; kfork holds @t's siglock.
 */
uint64_t kf_os_signal_mask(struct kf_task *t, uint64_t *pending);

/* kf_os_fatal_signal_pending - has @t been sent SIGKILL?  Atomic. */
bool kf_os_fatal_signal_pending(struct kf_task *t);

/*
 * kf_os_signal_pending - does the current task have a signal pending that
 * it would act on when it next returns to user space?  That is SIGKILL,
 * and any signal it does not block and does not ignore (SIG_IGN, or SIG_DFL
 * whose default is to ignore), and a group stop to join (kf_os_signal_wake)
 * -- Linux's signal_pending() after recalc_sigpending().  The core asks once, at the start of every fork,
 * clone and clone3 (after the flag checks, before allocating anything); a
 * true answer makes the call return -KF_ERESTARTNOINTR, which the host
 * never shows user space: it delivers the signal and runs the syscall
 * again, so the signal is seen before the fork, never in the middle.
 * Context: atomic (must not sleep); the core holds no lock, so the host
 * may look at the dispositions (kf_sigaction).  False for a task that
 * takes no signals (the boot task).
 */
bool kf_os_signal_pending(void);

/*
 * kf_os_task_cputime - what @t has used of the CPU so far, as the host's
 * scheduler counts it: @runtime its exact time on the CPU (Linux's
 * sum_exec_runtime), @utime and @stime the same time split between user
 * and kernel mode as the host sampled it (a tick-based host: the ticks
 * that found @t in each mode, times the tick length; both may be 0 for a
 * short-lived task), @nvcsw and @nivcsw its voluntary (it slept) and
 * involuntary (it was preempted) context switches.  Monotonic while @t
 * runs; a dead task keeps its last figures until kf_os_task_release.
 * The core sums these into getrusage, times, wait4's rusage and the
 * group's totals: it asks for every live thread of a group, and once more
 * for each thread when it is reaped.  Context: atomic (the core holds the
 * tasklist lock); @t is any task the core holds, current or not, never the
 * boot task.  @out is never NULL.
 */
struct kf_cputime {
	uint64_t utime, stime, runtime;	/* nanoseconds */
	uint64_t nvcsw, nivcsw;
};
void kf_os_task_cputime(struct kf_task *t, struct kf_cputime *out);

/* ---- User memory --------------------------------------------------------- */

/*
 * Copy to and from the current task's user space.  A bad or unmapped
 * address gives -KF_EFAULT, never a kernel fault; a write may take a COW
 * fault.  May sleep.
 */
int kf_os_copy_from_user(void *dst, kf_uptr_t src, size_t n);
int kf_os_copy_to_user(kf_uptr_t dst, const void *src, size_t n);

/* kf_os_futex_wake - wake up to @n waiters on the futex at @uaddr of the
 * current address space (CLONE_CHILD_CLEARTID).  Atomic. */
void kf_os_futex_wake(kf_uptr_t uaddr, int n);

/* ---- Files, pidfds, cgroups (optional host features) ----------------- */

/*
 * Open-file objects are the host's; the core copies fd tables and takes
 * references through these.  @file is never NULL.  Atomic.  The last put
 * of a pidfd drops its task reference, which may free the task
 * (kf_task_put): the core never holds a lock when it puts a pidfd.
 */
void kf_os_file_get(void *file);
void kf_os_file_put(void *file);

/*
 * kf_os_pidfd_file - CLONE_PIDFD: a new open file (one reference, in
 * *@file) that refers to @t, the child being created, with @flags
 * (KF_PIDFD_THREAD for a thread).  The file holds a reference on @t
 * (kf_task_get) or on its pid (kf_task_pid; kf_pid_task finds the task
 * using it now, which follows an exec by a non-leader thread) that its
 * last kf_os_file_put drops: what it holds lives as long as the file
 * does, reaped or not, so nothing the file does may assume @t is alive
 * (kf_task_info says 'X' once reaped; kf_pid_task gives NULL).
 * The core owns the fd: it has reserved a slot in current's table
 * (kf_fd_reserve) before calling this, installs the file there once the
 * child is committed (kf_fd_install_reserved), and on a later failure puts
 * the file and gives the slot back -- nobody else sees the file before
 * commit.  Returns 0, -KF_ENOMEM, or -KF_ENOSYS for a host without pidfds.
 * Context: may sleep; no lock held; @t is not yet visible.  @t and @file
 * are never NULL.
 */
int kf_os_pidfd_file(struct kf_task *t, unsigned flags, void **file);

/*
 * Mount namespaces: the mounts in one are the host's business; the core
 * makes, shares and frees the namespaces (CLONE_NEWNS, unshare, setns).
 * kf_os_mnt_ns_dup - a new mount namespace is made from one whose host
 * data is @old (NULL: the initial namespace, whose data is the host's
 * own): store the copy's data (its mount table) in *@new.  0, or
 * -KF_ENOMEM (the clone or unshare fails; nothing to undo).
 * kf_os_mnt_ns_free - the namespace holding @data (never NULL's initial
 * one) is gone.  Hosts without mount tables keep *@new NULL, free nothing.
 * Context: may sleep; no lock held.
 */
int kf_os_mnt_ns_dup(void *old, void **new);
void kf_os_mnt_ns_free(void *data);

/*
 * kf_os_cgroup_can_fork - CLONE_INTO_CGROUP: check the child may join the
 * cgroup open at @cgroup_fd.  Hosts without cgroups return -KF_EOPNOTSUPP.
 * The last copy stage (the child has its pid, is not yet visible).  May
 * sleep; called with no lock held.
 */
int kf_os_cgroup_can_fork(struct kf_task *child, int cgroup_fd);

/* ---- Policy ------------------------------------------------------------ */

/* kf_os_capable - does @t hold capability @cap (KF_CAP_*)?  Atomic. */
bool kf_os_capable(struct kf_task *t, int cap);

/* ---- Diagnostics --------------------------------------------------------- */

#define KF_LOG_ERR   0
#define KF_LOG_WARN  1
#define KF_LOG_INFO  2
#define KF_LOG_DEBUG 3

/* kf_os_log - print a message.  printf-style %d %u %ld %lu %lx %s %p only. */
void kf_os_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kf_os_panic - report a broken invariant and never return. */
void kf_os_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#endif /* KF_OS_H */
