/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf_host.h - the host port: kfork in an ordinary Linux process, for unit
 * tests, fault-injection sweeps, the demo and benchmarks.
 *
 * What the port is (docs/porting-os.md has every hook in detail):
 *
 *  - Tasks are real host threads (one pthread per kfork task, running on the
 *    task's kernel stack), but only one runs at a time: a "baton" passed at
 *    the few scheduling points (kf_os_wait, kf_host_yield, futex waits,
 *    exit).  Scheduling is cooperative and FIFO, so every run of a test is
 *    the same run.  A new child is queued behind the running tasks; the
 *    parent keeps running until it sleeps or yields.
 *  - User memory exists only behind the sim CPU (arch/sim, <kf/arch/sim.h>):
 *    every user access walks the current address space's page tables
 *    through a software TLB and takes real faults (COW, demand-zero).
 *  - Objects and page frames are tracked per allocation site; the n-th
 *    allocation call can be made to fail.
 *
 * Running code as a task:  kf_host_run_as_init(fn, arg) boots the core,
 * creates init (pid 1) with a fresh empty address space, runs fn(arg) in it
 * and returns init's wait status.  Inside, kf_host_set_child_entry(f, a)
 * before kf_fork / kf_clone / kf_vfork makes the child run f(a); f's return
 * value v becomes the exit status (v & 0xff) << 8.  A child created with no
 * entry parks until it receives SIGKILL and then dies of it.  To exit early
 * from inside an entry, call kf_host_exit(), never kf_exit() directly (the
 * host must also leave the entry function).
 *
 * Decisions worth knowing:
 *  - The entry is one-shot: the creator's pc/arg are cleared when a child
 *    starts, and the child's own when it begins running, so a grandchild
 *    created without a new kf_host_set_child_entry parks.
 *  - A fatal signal (SIGKILL) makes the task exit with kf_exit(SIGKILL) at
 *    its next host checkpoint: before its entry starts, while parked, in
 *    kf_host_yield, kf_host_futex_wait and kf_host_check_signals -- with
 *    kf_exit_group(SIGKILL) when it was sent to the thread group, which
 *    kills the other threads (stopped ones too), as on Linux.  Core
 *    sleeps (kf_os_wait) return -KF_EINTR as the contract says.  Other
 *    signals are only recorded (kf_host_pending); SIGCHLD, SIGCONT, SIGURG
 *    and SIGWINCH (default action: ignore) do not interrupt waits.
 *  - Job control acts at the same checkpoints (but parked): the core's
 *    kf_signal_jobctl, then every pending stop signal whose action is
 *    SIG_DFL goes to kf_signal_stop -- the task stops there, sleeping
 *    until SIGCONT or SIGKILL.  Ignored stop signals are dropped; caught
 *    ones stay for the test, like every other signal.
 *  - A fork that finds another signal pending (kf_os_signal_pending)
 *    returns -KF_ERESTARTNOINTR to the caller unchanged: the port does not
 *    restart calls, the test takes the signals and calls again.
 *  - pidfds are host file objects holding a task reference; the core
 *    installs them (cloexec) into the fd it reserved, after commit.
 *  - Capabilities: a mask set with kf_host_set_caps (inherited by children
 *    created afterwards); without one, a task has every capability while its
 *    effective uid is 0 and none otherwise.
 *  - Leak accounting: kf_host_run_as_init marks a baseline right after the
 *    first kf_boot (whose objects live for the whole program);
 *    kf_host_leaked_objects/pages count what is live beyond it.
 */
#ifndef KF_HOST_H
#define KF_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf.h>

/* ---- Boot and tasks ---------------------------------------------------- */

/*
 * kf_host_run_as_init - boot (once per program), create init with @fn(@arg)
 * as its entry and a fresh address space, wait for it from the boot task,
 * kill and reap whatever is left, and return init's wait status (or a
 * negative errno if init could not be created).
 */
int kf_host_run_as_init(int (*fn)(void *), void *arg);

/* kf_host_shutdown - kill and reap every task left but the boot task and
 * free the host side of all reaped tasks.  run_as_init calls it. */
void kf_host_shutdown(void);

/* kf_host_set_child_entry - the next child created by the current task
 * starts at fn(arg) (stored in the current task's sim registers). */
void kf_host_set_child_entry(int (*fn)(void *), void *arg);

/* kf_host_yield - let every other runnable task run before returning.
 * A checkpoint: the task dies here if SIGKILL is pending. */
void kf_host_yield(void);

/* kf_host_exit - kf_exit(@code) and leave the entry function.  Only from a
 * task started by the host (not the boot task). */
void kf_host_exit(int code) __attribute__((noreturn));
void kf_host_exit_group(int code) __attribute__((noreturn));

/* kf_host_check_signals - a "return to user space": die if SIGKILL is
 * pending, otherwise return. */
void kf_host_check_signals(void);

/* kf_host_runnable - tasks queued to run (not counting the caller). */
int kf_host_runnable(void);
/* kf_host_tasks - host tasks alive (prepared, not yet released), boot too. */
int kf_host_tasks(void);
/* kf_host_switches - baton hand-overs so far. */
unsigned long kf_host_switches(void);

/* ---- CPUs ---------------------------------------------------------------
 *
 * The sim has KF_SIM_NR_CPUS CPUs, each with its own TLB, walk cache and
 * I-cache (<kf/arch/sim.h>); kf_os_cpu_id() answers the calling thread's.
 * Tasks still run one at a time (the baton), but each on its own CPU:
 * new tasks are dealt round-robin over the first n CPUs (all of them by
 * default), so a flush that misses a CPU leaves a stale entry that a
 * later access there sees.
 */
void kf_host_set_cpus(unsigned n);	/* 1 .. KF_SIM_NR_CPUS */
/* kf_host_set_cpu - move the calling thread (and its task) to @cpu. */
void kf_host_set_cpu(unsigned cpu);
unsigned kf_host_task_cpu(struct kf_task *t);

/* ---- Signals (as the host recorded them) ------------------------------- */

uint64_t kf_host_pending(struct kf_task *t);	/* bit (sig-1) per signal */
uint64_t kf_host_group_pending(struct kf_task *t);
/* kf_host_sigcount - how many times @sig was sent to @t. */
unsigned kf_host_sigcount(struct kf_task *t, int sig);
/* kf_host_siginfo - the siginfo of the last @sig sent to @t (in *@info,
 * may be NULL); returns the tid of the task that sent it (0: the boot
 * task), or -1 when none was sent. */
int kf_host_siginfo(struct kf_task *t, int sig, struct kf_siginfo *info);
/* kf_host_sigdequeue - take the lowest pending signal of the current task
 * (as delivering it to a handler would); 0 if none. */
int kf_host_sigdequeue(void);

/* ---- Memory: tracking and fault injection ------------------------------ */

long kf_host_live_objects(void);	/* kf_os_alloc'd and host objects */
long kf_host_live_pages(void);		/* allocated frames */
long kf_host_site_objects(const char *site);	/* live objects of one site */
long kf_host_site_pages(const char *site);
/* kf_host_dump_leaks - print sites whose live counts differ from the
 * baseline to stderr; returns the number of such objects and pages. */
long kf_host_dump_leaks(void);
void kf_host_mark_baseline(void);
long kf_host_leaked_objects(void);	/* live minus baseline */
long kf_host_leaked_pages(void);

/*
 * Fault injection.  kf_host_fail_nth(n): the n-th allocation call from now
 * (kf_os_alloc, kf_os_page_alloc, and host allocations made inside hooks
 * such as the kernel stack in kf_os_task_prepare) fails, once; 0 disarms.
 * Sweep idiom:
 *   for (n = 1; ; n++) {
 *           kf_host_fail_nth(n);
 *           r = op();
 *           if (!kf_host_fail_fired()) break;   // op ran to completion
 *           ... check r is the error, nothing leaked, no child visible ...
 *   }
 *   kf_host_fail_nth(0);
 */
void kf_host_fail_nth(long n);
bool kf_host_fail_fired(void);		/* the armed failure happened */
const char *kf_host_failed_site(void);	/* of the last injected failure */
long kf_host_alloc_calls(void);		/* allocation calls so far */

/* ---- Frames ------------------------------------------------------------ */

unsigned kf_host_page_refs(kf_paddr_t pa);	/* 0 for a free frame */

/* ---- User memory (the current task's address space, through the sim) --- */

/* kf_host_read / kf_host_write - access user memory as user code would
 * (KF_FAULT_USER): faults are taken, COW happens.  0 or -KF_EFAULT. */
int kf_host_read(kf_uptr_t va, void *buf, size_t n);
int kf_host_write(kf_uptr_t va, const void *buf, size_t n);

/* kf_host_futex_wait - sleep while the u32 at @uaddr equals @val, until a
 * kf_os_futex_wake on the same address space and address.  0 when woken,
 * -KF_EAGAIN if the value differs, -KF_EFAULT.  Checkpoint for SIGKILL. */
int kf_host_futex_wait(kf_uptr_t uaddr, uint32_t val);
/* kf_host_futex_wakes - kf_os_futex_wake calls on @uaddr (any mm). */
unsigned long kf_host_futex_wakes(kf_uptr_t uaddr);

/* ---- Files, pidfds, cgroups, capabilities ------------------------------ */

/* A trivial refcounted host file: created with one reference. */
struct kf_host_file;
struct kf_host_file *kf_host_file_new(const char *name);
long kf_host_file_refs(const struct kf_host_file *f);
const char *kf_host_file_name(const struct kf_host_file *f);
/* kf_host_file_pidfd_task - the task a pidfd refers to, else NULL. */
struct kf_task *kf_host_file_pidfd_task(const struct kf_host_file *f);
unsigned kf_host_pidfd_flags(const struct kf_host_file *f);

/* kf_host_cgroup_enable - make @fd a fake cgroup fd: can_fork on it returns
 * @result (0 = allowed); other fds give -KF_EBADF.  @fd < 0 disables (every
 * call then gives -KF_EOPNOTSUPP). */
void kf_host_cgroup_enable(int fd, int result);
unsigned long kf_host_cgroup_calls(void);
/*
 * kf_host_cgroup_hook - call @fn(@arg) inside every kf_os_cgroup_can_fork,
 * before it answers: the last stage of a CLONE_INTO_CGROUP copy, after the
 * pid and the pidfd, with no lock held, so @fn may yield to other tasks or
 * send signals -- a test's way to act "in the middle of a fork".  @fn NULL
 * removes it.
 */
void kf_host_cgroup_hook(void (*fn)(void *), void *arg);

/* kf_host_set_caps - @t's capability mask (bit per KF_CAP_*). */
void kf_host_set_caps(struct kf_task *t, uint64_t mask);
void kf_host_clear_caps(struct kf_task *t);	/* back to the uid rule */

/* ---- Logging ----------------------------------------------------------- */

/* Threshold for kf_os_log; KF_HOST_LOG=err|warn|info|debug in the
 * environment sets it at start-up (default: errors only). */
void kf_host_set_log_level(int level);

#endif /* KF_HOST_H */
