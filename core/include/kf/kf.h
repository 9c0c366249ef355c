/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/kf.h - the API a host kernel calls.
 *
 * Conventions: every call returns 0 (or a pid) on success and a negative
 * KF_E* errno on failure, exactly the value the matching Linux syscall
 * returns.  Calls act on the current task (kf_os_current()).  Pointers
 * named u* are user addresses: the core reads and writes them only through
 * kf_os_copy_*_user.  "May sleep" applies to every call unless stated.
 */
#ifndef KF_H
#define KF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_config.h>
#include <kf/uapi.h>
#include <kf/kf_os.h>

struct kf_task;
struct kf_mm;

/* ---- Boot ----------------------------------------------------------------- */

/*
 * kf_boot - set up the initial namespaces, pid 0 (the boot task, which
 * never exits) and the tunables.  Returns the boot task; the host makes it
 * current and then creates init (pid 1) with kf_clone or kf_fork.
 */
struct kf_task *kf_boot(void);

/* kf_set_max_threads - the system-wide task limit (Linux's max_threads). */
void kf_set_max_threads(unsigned long n);
unsigned long kf_nr_threads(void);

/* ---- Creation ----------------------------------------------------------- */

/*
 * struct kf_clone_req - one request for every way of creating a task
 * (FreeBSD's fork_req).  kf_clone validates it in Linux's order before
 * anything is allocated.
 */
struct kf_clone_req {
	uint64_t flags;		/* KF_CLONE_*, without the exit signal */
	int exit_signal;	/* signal sent to the parent at exit, or 0 */
	kf_uptr_t stack;	/* new user stack pointer; 0 = keep */
	kf_uptr_t tls;		/* CLONE_SETTLS */
	kf_uptr_t parent_tid;	/* CLONE_PARENT_SETTID */
	kf_uptr_t child_tid;	/* CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID */
	kf_uptr_t pidfd;	/* CLONE_PIDFD: where the fd is stored */
	const int *set_tid;	/* kernel copy; set_tid[0] is the innermost level */
	size_t set_tid_size;
	int cgroup;		/* CLONE_INTO_CGROUP fd */
};

/* kf_clone - create a task as described by @req.  Returns the child's pid
 * as the parent's pid namespace sees it. */
long kf_clone(const struct kf_clone_req *req);

/* kf_sys_clone - the legacy clone(2) arguments, already in logical order
 * (the host undoes its arch's CLONE_BACKWARDS ordering). */
long kf_sys_clone(uint64_t flags, kf_uptr_t newsp, kf_uptr_t uparent_tid,
		  kf_uptr_t uchild_tid, kf_uptr_t tls);

/* kf_sys_clone3 - clone3(2): parse a size-versioned struct clone_args. */
long kf_sys_clone3(kf_uptr_t uargs, size_t size);

/* kf_clone3_copy_args - clone3's argument parsing alone (exposed for tests
 * and for hosts with their own clone3 entry).  @set_tid must hold
 * KF_MAX_PID_NS_LEVEL entries. */
long kf_clone3_copy_args(kf_uptr_t uargs, size_t size,
			 struct kf_clone_req *req, int *set_tid);

long kf_fork(void);
long kf_vfork(void);

/* kf_unshare - unshare(2). */
long kf_unshare(uint64_t flags);

/* kf_set_tid_address - set_tid_address(2); returns the caller's tid. */
long kf_set_tid_address(kf_uptr_t utidptr);

/* ---- Exit and wait ------------------------------------------------------ */

/*
 * kf_exit - the current thread exits with wait status @code (an exit code
 * is encoded as (status & 0xff) << 8, a signal death as the signal number).
 * Releases the address space (waking a vfork parent, clearing and waking
 * CHILD_CLEARTID), reparents children and notifies the parent.  Returns to
 * the host, which must switch away and never run the task again.
 */
void kf_exit(int code);

/* kf_exit_group - exit every thread of the group with @code.  Sends SIGKILL
 * to the other threads (through kf_os_signal) and exits the caller. */
void kf_exit_group(int code);

/*
 * struct kf_rusage - Linux's struct rusage on a 64-bit arch (144 bytes):
 * two timevals, then fourteen longs.  kfork fills the times, maxrss (KiB),
 * minflt, majflt (always 0: nothing is paged in from a file or swap) and
 * the context switches; the rest stay 0, as on Linux.
 */
struct kf_rusage {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap;
	int64_t inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

struct kf_waitinfo {		/* what waitid stores in siginfo */
	int signo, code, pid, uid, status;
};

/* kf_wait4 - wait4(2): @ustatus and @urusage may be 0.  A signal that
 * interrupts the sleep gives -KF_ERESTARTSYS (as Linux's do_wait): the host
 * restarts the call or returns -KF_EINTR, as its SA_RESTART rules say.
 * kf_waitid likewise. */
long kf_wait4(int pid, kf_uptr_t ustatus, int options, kf_uptr_t urusage);

/* kf_waitid - waitid(2) with a kernel-side result; @info is zeroed when
 * WNOHANG finds nothing.  The host copies it out in its siginfo layout.
 * kf_waitid_rusage - the same, and @ru (may be NULL) gets the reported
 * child's rusage; it is written only when a child was reported (info->pid
 * not 0): Linux copies it out then, before the siginfo. */
long kf_waitid(int which, int id, struct kf_waitinfo *info, int options);
long kf_waitid_rusage(int which, int id, struct kf_waitinfo *info,
		      int options, struct kf_rusage *ru);

/*
 * kf_getrusage - getrusage(2): RUSAGE_SELF (every thread of the group,
 * dead ones included), RUSAGE_CHILDREN (the waited-for descendants only)
 * or RUSAGE_THREAD, copied to @uru.  -EINVAL for another @who, -EFAULT.
 * Times are Linux's: the exact CPU time the host reports, split between
 * user and system in the proportion of the host's tick samples
 * (kf_os_task_cputime), never decreasing between calls.
 */
long kf_getrusage(int who, kf_uptr_t uru);
/* kf_task_rusage - the same for task @t (a reference the caller holds):
 * KF_RUSAGE_SELF/THREAD/CHILDREN or KF_RUSAGE_BOTH (SELF + CHILDREN, what
 * wait4 reports), for a host's /proc.  A reaped task reports zeros. */
void kf_task_rusage(struct kf_task *t, int who, struct kf_rusage *out);

/* kf_task_group_cputime - the sum of kf_os_task_cputime over @t's thread
 * group, its reaped threads included (Linux's thread_group_cputime): what
 * a process's CPU-time clocks read.  Zeros for a reaped task. */
void kf_task_group_cputime(struct kf_task *t, struct kf_cputime *out);

/*
 * kf_times - times(2)'s struct tms at @utms (may be 0): the group's and
 * the waited-for children's user and system time in clock ticks of
 * 1/@hz s (Linux's USER_HZ, 100).  0 or -EFAULT; the host returns its
 * tick count on success.
 */
long kf_times(kf_uptr_t utms, unsigned hz);

/* ---- Tasks and pids ------------------------------------------------------ */

struct kf_siginfo {		/* kernel-side siginfo for kf_os_signal */
	int signo, code, pid, uid, status;
	/* the host's own details of a signal it sends through the core
	 * (kf_kill_task), handed to kf_os_signal untouched: rt_sigqueueinfo's
	 * siginfo as user space wrote it.  NULL for the core's own. */
	const void *host;
};

int kf_task_tid(struct kf_task *t);	/* pid in t's own active namespace */
int kf_task_tgid(struct kf_task *t);
int kf_task_vpid(struct kf_task *t);	/* t's tid as current sees it; 0 if invisible */
int kf_task_vtgid(struct kf_task *t);
int kf_getpid(void);
int kf_getppid(void);
int kf_gettid(void);

/* kf_task_find - the task with tid @vpid in current's pid namespace, with
 * a reference (drop it with kf_task_put), or NULL. */
struct kf_task *kf_task_find(int vpid);
void kf_task_get(struct kf_task *t);
void kf_task_put(struct kf_task *t);

/* A snapshot of one task for ps-like views (core/procinfo.c).  Numbers are
 * as the caller's pid namespace sees them. */
struct kf_task_info {
	int pid, tgid, ppid;	/* ppid 0: parent outside the caller's namespace */
	int ns_pid;		/* the pid in the task's own innermost namespace */
	int pgid, sid;		/* process group and session; 0: not visible */
	char state;		/* 'N' new, 'R' alive, 'T' stopped, 'Z' zombie,
				 * 'X' being reaped */
	int nr_threads, exit_signal, exit_code;
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	unsigned long min_flt;	/* this task's minor faults */
	struct kf_task *task;	/* valid only inside the callback */
};
/* kf_task_info - a snapshot of @t (a reference the caller holds); -ESRCH
 * when the caller cannot see it.  A task already reaped -- reachable only
 * through such a reference, a pidfd's for one -- reports state 'X' and
 * every number 0 (they may belong to a new task by now), and -ESRCH. */
int kf_task_info(struct kf_task *t, struct kf_task_info *out);
/* kf_for_each_task - @fn for every task the caller can see, in creation
 * order, under the tasklist lock (@fn must not sleep).  Returns the count. */
int kf_for_each_task(void (*fn)(const struct kf_task_info *, void *), void *arg);

/*
 * pidfds name a pid, not a task (Linux's struct pid): after a thread that
 * was not the leader exec'd, the process's pid is that thread's.
 * kf_task_pid - @t's pid with a reference (kf_pid_release it);
 * kf_pid_task - the task using @pid now, with a reference (kf_task_put),
 * or NULL once it was reaped.  Atomic.
 */
struct kf_pid;
struct kf_pid *kf_task_pid(struct kf_task *t);
struct kf_task *kf_pid_task(struct kf_pid *pid);
void kf_pid_release(struct kf_pid *pid);

/* kf_task_ns_pids - @t's thread id (@group: its process id) as the
 * caller's pid namespace numbers it, then in each nested namespace down to
 * @t's own, outermost first (/proc's NSpid and NStgid, a pidfd's fdinfo):
 * the count (at most @max stored), 0 when the caller cannot see @t or @t
 * was reaped. */
#define KF_MAX_NS_PIDS (KF_MAX_PID_NS_LEVEL + 1)
int kf_task_ns_pids(struct kf_task *t, bool group, int *nrs, int max);

/* kf_task_get_mm - @t's address space with a user reference (kf_mm_put
 * it), or NULL once @t has left it (exit) -- Linux's get_task_mm. */
struct kf_mm *kf_task_get_mm(struct kf_task *t);

/* kf_task_clone_flags - the KF_CLONE_* flags @t was created with (no exit
 * signal; 0 for the boot task), for host state a clone resets: Linux
 * gives a CLONE_VM child that is not a vfork child no sigaltstack. */
uint64_t kf_task_clone_flags(struct kf_task *t);

/* Host-private pointer: the host keeps its per-task state here. */
void *kf_task_os(struct kf_task *t);
void kf_task_set_os(struct kf_task *t, void *p);
struct kf_mm *kf_task_mm(struct kf_task *t);

/*
 * The machine side of a task, for the arch code and the host (struct
 * kf_task is core-private): its struct kf_arch_thread (<kf/hal/context.h>),
 * and the kernel stack the host allocated in kf_os_task_prepare
 * (KF_ARCH_KSTACK_SIZE bytes; the arch keeps the user frame at its top).
 * kf_task_set_kstack is the host's, from kf_os_task_prepare (NULL in
 * kf_os_task_unprepare).  Atomic.
 */
struct kf_arch_thread;
struct kf_arch_thread *kf_task_arch(struct kf_task *t);
void *kf_task_kstack(struct kf_task *t);
void kf_task_set_kstack(struct kf_task *t, void *kstack);

/* ---- Signals the core must know about ---------------------------------- */

struct kf_sigaction {
	uintptr_t handler;	/* KF_SIG_DFL, KF_SIG_IGN or a user address */
	uint64_t flags;
	uintptr_t restorer;
	uint64_t mask;
};

/* kf_sigaction - rt_sigaction(2) on the current task's shared table.
 * Either pointer may be NULL. */
long kf_sigaction(int sig, const struct kf_sigaction *act,
		  struct kf_sigaction *oact);

/* kf_task_sigaction - @t's disposition of @sig (1..64), for a host's
 * /proc (SigIgn, SigCgt): 0, or -KF_ESRCH once @t was reaped. */
long kf_task_sigaction(struct kf_task *t, int sig, struct kf_sigaction *out);

/* ---- Job control: stop, continue, kill ------------------------------------
 *
 * The host keeps pending signals and delivers them; the core decides what
 * stop signals and SIGCONT do (docs/porting-os.md, "Job control").  Every
 * signal that may stop or continue -- kill(2) and friends, a terminal's
 * ^Z -- goes through the core: kf_kill & co. for user space's,
 * kf_signal_send for the kernel's own.  The core then queues it with
 * kf_os_signal and discards pending ones with kf_os_signal_flush.
 */

/* kf_sig_is_stop - SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: their default
 * action stops the thread group. */
static inline bool kf_sig_is_stop(int sig)
{
	return sig == KF_SIGSTOP || sig == KF_SIGTSTP || sig == KF_SIGTTIN ||
	       sig == KF_SIGTTOU;
}

/*
 * kf_signal_jobctl - the current thread's job-control step, on every way
 * back to user space before the host takes a signal (Linux's get_signal
 * head) and again after each one: it tells the parent of a continue that
 * woke the group (CLD_CONTINUED), and takes part in a group stop another
 * thread started, sleeping (killably) until SIGCONT or SIGKILL.  Returns
 * true if it stopped.  Cheap when there is nothing to do.  May sleep.
 */
bool kf_signal_jobctl(void);

/*
 * kf_signal_stop - @sig, a stop signal whose action is SIG_DFL, is the next
 * signal the current thread would take (not blocked; the host has not
 * dequeued it, and has already let an init ignore it).  The core takes it
 * off the queues (kf_os_signal_flush) and starts a group stop: the caller
 * stops, the other threads follow, the last tells the parent.  Returns
 * true after the group was continued (or the caller was killed), false
 * when the signal was discarded instead: SIGTSTP, SIGTTIN and SIGTTOU in
 * an orphaned process group, or a SIGCONT took it first.  May sleep.
 */
bool kf_signal_stop(int sig);

/* kf_signal_send - a signal the kernel generates (no permission check;
 * an init takes SIGKILL/SIGSTOP): to @t, or its thread group if @group.
 * @info may be NULL.  Atomic: takes the tasklist lock and @t's siglock. */
void kf_signal_send(struct kf_task *t, int sig, const struct kf_siginfo *info,
		    bool group);

/* kill(2) (pid > 0: a process, by any of its thread ids; 0: the caller's
 * process group; -1: every process but init and the caller; < -1: the
 * group -pid), tkill(2) and tgkill(2), with Linux's permission rules and
 * errno order.  Atomic (they only queue). */
long kf_kill(int pid, int sig);
long kf_tkill(int tid, int sig);
long kf_tgkill(int tgid, int tid, int sig);

/* kf_kill_pgrp - the kernel's @sig (SI_KERNEL, no permission check) to
 * every process of group @pgid, as the caller's pid namespace numbers it
 * (a terminal's ^C, ^Z, SIGTTIN...): 0 or -ESRCH.  Atomic. */
long kf_kill_pgrp(int pgid, int sig);

/* kf_kill_task - a user signal to the task @t in hand, with kill's
 * permission check (when @info->code <= 0): pidfd_send_signal,
 * rt_sigqueueinfo.  @scope: KF_KILL_THREAD (@t alone), KF_KILL_PROCESS
 * (its thread group) or KF_KILL_PGRP (the process group @t's pid names,
 * as kill(-pid) would).  @info NULL: kill's own (SI_USER, or SI_TKILL for
 * a thread).  -ESRCH once @t was reaped.  Atomic. */
#define KF_KILL_THREAD  0
#define KF_KILL_PROCESS 1
#define KF_KILL_PGRP    2
long kf_kill_task(struct kf_task *t, int sig, const struct kf_siginfo *info,
		  int scope);

/* Process groups and sessions: setpgid(2), getpgid(2) (getpgrp is
 * getpgid(0)), getsid(2), setsid(2), as the caller's pid namespace
 * numbers them.  Atomic. */
long kf_setpgid(int pid, int pgid);
long kf_getpgid(int pid);
long kf_getsid(int pid);
long kf_setsid(void);

/* For a host's terminal (TIOCSPGRP, background reads and writes):
 * kf_pgrp_orphaned_current - is the caller's process group orphaned?
 * kf_pgrp_check_session - 0 if @pgid names a process group of the
 * caller's session; -EINVAL (negative), -ESRCH (no such group), -EPERM
 * (another session's).  Atomic. */
bool kf_pgrp_orphaned_current(void);
long kf_pgrp_check_session(int pgid);

/* kf_set_pdeath_signal - prctl(PR_SET_PDEATHSIG). */
long kf_set_pdeath_signal(int sig);

/* kf_set_child_subreaper - prctl(PR_SET_CHILD_SUBREAPER): current's process
 * inherits its descendants' orphans; kf_child_subreaper reads the flag
 * (core/task.c). */
void kf_set_child_subreaper(bool on);
bool kf_child_subreaper(void);

/*
 * RLIMIT_SIGPENDING, for a host that queues signals with their siginfo:
 * kf_sigpending_charge - one more signal queued to @t counts against the
 * user @t runs as; NULL (nothing charged) when that user would pass @t's
 * RLIMIT_SIGPENDING and @force is false, else a handle (a reference on
 * the user) for kf_sigpending_uncharge when the signal leaves the queue.
 * Charge: atomic, no lock taken (the core may be holding its own when it
 * sends a signal).  Uncharge: no lock held; does not sleep.
 */
void *kf_sigpending_charge(struct kf_task *t, bool force);
void kf_sigpending_uncharge(void *handle);

/* ---- Credentials and limits --------------------------------------------- */

/*
 * The set*id family with Linux's rules (kernel/sys.c): an id of
 * (uint32_t)-1 means "unchanged" where Linux says so; without CAP_SETUID
 * (CAP_SETGID) in the cred's user namespace an id may only become one of
 * the real, effective or saved ones (setreuid's real: real or effective).
 * A change of the real uid moves the task to the new user's process count;
 * going over RLIMIT_NPROC does not fail (the next execve does, see
 * kf_exec_nproc_check).  setfsuid/setfsgid return the old fs id, changed
 * or not.  kf_getresuid/kf_getresgid store the three ids as Linux does,
 * real first: a fault at a later pointer leaves the earlier ones written.
 */
long kf_getuid(void);
long kf_geteuid(void);
long kf_getgid(void);
long kf_getegid(void);
long kf_setuid(uint32_t uid);
long kf_setgid(uint32_t gid);
long kf_setreuid(uint32_t ruid, uint32_t euid);
long kf_setregid(uint32_t rgid, uint32_t egid);
long kf_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid);
long kf_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid);
long kf_setfsuid(uint32_t fsuid);
long kf_setfsgid(uint32_t fsgid);
long kf_getresuid(kf_uptr_t uruid, kf_uptr_t ueuid, kf_uptr_t usuid);
long kf_getresgid(kf_uptr_t urgid, kf_uptr_t uegid, kf_uptr_t usgid);

/*
 * Capabilities (capability.c): the cred holds Linux's permitted,
 * effective and inheritable sets and the bounding set, which the set*id
 * calls and execve change by Linux's rules (no file capabilities, no
 * ambient set).  kf_capget/kf_capset are capget(2)/capset(2) with the v1,
 * v2 and v3 headers (an unknown version: the preferred one written back,
 * EINVAL).  kf_get_keepcaps/kf_set_keepcaps and kf_capbset_read/
 * kf_capbset_drop are prctl's PR_{GET,SET}_KEEPCAPS and
 * PR_CAPBSET_{READ,DROP}.  Holding a capability in the initial user
 * namespace is still what kf_os_capable says; a host may answer with
 * kf_task_has_cap (the effective set).  execve: kf_exec_cred_prepare
 * before the point of no return (NULL: out of memory), then
 * kf_exec_cred_commit after it, or kf_exec_cred_abort.
 */
struct kf_cred;
long kf_capget(kf_uptr_t header, kf_uptr_t data);
long kf_capset(kf_uptr_t header, kf_uptr_t data);
long kf_get_keepcaps(void);
long kf_set_keepcaps(unsigned long on);
long kf_capbset_read(unsigned long cap);
long kf_capbset_drop(unsigned long cap);
bool kf_task_has_cap(struct kf_task *t, int cap);
struct kf_cred *kf_exec_cred_prepare(void);
void kf_exec_cred_commit(struct kf_cred *new);
void kf_exec_cred_abort(struct kf_cred *new);

long kf_getrlimit(int resource, uint64_t *cur, uint64_t *max);
long kf_setrlimit(int resource, uint64_t cur, uint64_t max);
/*
 * kf_prlimit - prlimit64(2) on the process with tid @pid (0: current) as
 * current's pid namespace sees it: -ESRCH, then Linux's permission check
 * (even for a read: the caller's real uid and gid must be the target's
 * real, effective and saved ones, or it needs CAP_SYS_RESOURCE), then
 * setrlimit's checks.  @new and @old may be NULL; *@old gets the limit
 * from before the change.
 */
struct kf_rlimit64 { uint64_t cur, max; };
long kf_prlimit(int pid, int resource, const struct kf_rlimit64 *new,
		struct kf_rlimit64 *old);
/* kf_rlimit_cur / kf_rlimit_max - current's limit of @resource, read
 * without a lock (Linux's rlimit()); KF_RLIM_INFINITY when no task is
 * current (a host driving an address space on its own).  Atomic.  mm/
 * checks RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK with them. */
uint64_t kf_rlimit_cur(int resource);
uint64_t kf_rlimit_max(int resource);

/* ---- Namespace-visible state --------------------------------------------- */

/* uts: the hostname lives in the task's uts namespace. */
long kf_sethostname(const char *name, size_t len);
long kf_gethostname(char *buf, size_t len);

/*
 * mnt: what is mounted is the host's (kf_os_mnt_ns_dup).  kf_mnt_ns_data -
 * the host's data of current's mount namespace (NULL: the initial
 * namespace's, until a CLONE_NEWNS copy exists).  kf_mnt_ns_capable - does
 * current hold @cap over it (mount(2)'s CAP_SYS_ADMIN)?  Atomic.
 */
void *kf_mnt_ns_data(void);
bool kf_mnt_ns_capable(int cap);

/* ---- Namespaces as files (core/nsfs.c) -----------------------------------
 *
 * /proc/<pid>/ns/<name>, setns(2) and the pidfd ioctls hand namespaces
 * around.  A struct kf_nsref names one with a reference; the host keeps it
 * in the file it opens (kf_nsref_put when the file goes).
 */
enum {
	KF_NS_CGROUP, KF_NS_IPC, KF_NS_MNT, KF_NS_NET, KF_NS_PID,
	KF_NS_PID_FOR_CHILDREN, KF_NS_TIME, KF_NS_TIME_FOR_CHILDREN,
	KF_NS_USER, KF_NS_UTS, KF_NS_KINDS
};
struct kf_nsref {
	uint64_t type;		/* its kind's KF_CLONE_NEW* bit */
	void *ns;		/* the core's object, with a reference */
	unsigned inum;		/* its nsfs inode number ("pid:[inum]") */
};
/* kf_ns_kind_name - /proc/<pid>/ns's entry of @kind ("pid_for_children");
 * kf_ns_type_name - the name in a link's target ("pid"); NULL if none. */
const char *kf_ns_kind_name(int kind);
const char *kf_ns_type_name(uint64_t type);
/* kf_task_ns_get - @t's namespace of @kind (KF_NS_*) into @out: 0, -EINVAL
 * for an unknown kind, -EACCES when @check and current may not look at
 * @t (Linux's ptrace read check with the fs ids), -ESRCH when @t has
 * exited (its user and pid namespaces stay until it is reaped). */
long kf_task_ns_get(struct kf_task *t, int kind, bool check, struct kf_nsref *out);
void kf_nsref_get(const struct kf_nsref *r);
void kf_nsref_put(struct kf_nsref *r);
/* kf_setns - setns(2) with a namespace file: @nstype 0 or its type
 * (EINVAL), then that namespace's own checks (EPERM, EINVAL, EUSERS).
 * kf_setns_task - setns(2) with a pidfd: every namespace of @t that
 * @flags names (EINVAL for none or others; ESRCH once @t exited; EPERM
 * for the ptrace check), all or nothing.  setns(CLONE_NEWNS) sets the cwd
 * to NULL: the new namespace's root. */
long kf_setns(const struct kf_nsref *r, uint64_t nstype);
long kf_setns_task(struct kf_task *t, uint64_t flags);
/* kf_ptrace_may_access - Linux's __ptrace_may_access for the checks that
 * pidfds and /proc make: 0 when current is in @t's thread group, or its
 * real ids (@fscreds: fs ids) match @t's real, effective and saved ones,
 * or it holds CAP_SYS_PTRACE over @t's user namespace; else -EPERM. */
long kf_ptrace_may_access(struct kf_task *t, bool fscreds);

/* kf_kcmp - kcmp(2): 0 when the two tasks (current's pid numbers) share
 * the resource, 1 or 2 (a scrambled order) when not; ESRCH, EPERM (ptrace
 * read access), EBADF (KCMP_FILE), EINVAL (an unknown type, or
 * KCMP_EPOLL_TFD, which is not done). */
long kf_kcmp(int pid1, int pid2, int type, unsigned long idx1, unsigned long idx2);

/* ---- Files (fd table shared or copied by CLONE_FILES) ------------------ */

/* kf_fd_install - put host file @file into the lowest free slot >= 0.
 * Takes over the caller's reference.  Returns the fd or -KF_EMFILE (past
 * RLIMIT_NOFILE) or -KF_ENOMEM (growing the table); on failure the caller
 * keeps its reference. */
int kf_fd_install(void *file, bool cloexec);
/*
 * Two-step install (Linux's get_unused_fd_flags + fd_install), for a file
 * that is made after its fd number must be known: kf_fd_reserve takes the
 * lowest free slot (-KF_EMFILE past RLIMIT_NOFILE, -KF_ENOMEM); until the
 * reserver calls kf_fd_install_reserved (the table takes over its reference
 * on @file) or kf_fd_unreserve, the slot holds no file for anyone --
 * kf_fd_get finds nothing, kf_fd_close answers -KF_EBADF, kf_fd_install_at
 * -KF_EBUSY -- and a copy of the table (fork) leaves it free.  The reserver
 * must be current and use the same table throughout.  Atomic except
 * kf_fd_reserve, which may sleep.
 */
int kf_fd_reserve(bool cloexec);
void kf_fd_install_reserved(int fd, void *file);
void kf_fd_unreserve(int fd);
/* kf_fd_get - the file at @fd with a new reference, or NULL. */
void *kf_fd_get(int fd);
long kf_fd_close(int fd);

/* Host helpers for dup2/dup3, F_DUPFD and F_GETFD/F_SETFD (core/files.c).
 * kf_fd_install_at replaces what @fd held (-EBADF outside the NOFILE
 * limit, -EBUSY while @fd is reserved); kf_fd_install_min takes the lowest
 * free slot >= @min (-EINVAL, -EMFILE).  Both take over the caller's
 * reference on success. */
long kf_fd_install_at(int fd, void *file, bool cloexec);
int kf_fd_install_min(void *file, int min, bool cloexec);
int kf_fd_get_cloexec(int fd);		/* 1/0, -KF_EBADF */
long kf_fd_set_cloexec(int fd, bool on);	/* 0, -KF_EBADF */

/* kf_task_fd_get - the file at @fd of task @t's table (a reference the
 * caller holds on @t) with a new reference, or NULL; *@cloexec (may be
 * NULL) gets its close-on-exec bit.  kf_task_fd_next - the lowest fd above
 * @after holding a file, or -1.  For /proc/<pid>/fd* and pidfd_getfd.
 * Atomic. */
void *kf_task_fd_get(struct kf_task *t, int fd, bool *cloexec);
int kf_task_fd_next(struct kf_task *t, int after);

/* fs: cwd (a host object) and umask */
long kf_umask(unsigned mask);
/* kf_fs_get_pwd - the cwd object with a reference (kf_os_file_get), or
 * NULL; kf_fs_set_pwd - chdir: takes over the reference on @dir (may be
 * NULL) and drops the old cwd's.  Shared by CLONE_FS (core/task.c). */
void *kf_fs_get_pwd(void);
void kf_fs_set_pwd(void *dir);

/* ---- Address spaces (see kf/mm.h for the full VMA API) ------------------ */

#define KF_FAULT_READ  0x1u
#define KF_FAULT_WRITE 0x2u
#define KF_FAULT_EXEC  0x4u
#define KF_FAULT_USER  0x8u

/*
 * kf_fault - the page-fault entry point: resolve a fault at @va in the
 * current task's address space (COW copy or reuse, demand-zero).
 * Returns 0 when the access can be retried, -KF_EFAULT when the host must
 * deliver SIGSEGV (or apply its uaccess fixup), -KF_ENOMEM when a frame or
 * table could not be allocated (the host kills the task, as Linux's OOM
 * path would, or fails the uaccess with EFAULT).
 */
int kf_fault(uintptr_t va, unsigned access);

/* kf_exec_mm - exec installs @mm as current's address space; the old one
 * is released (a vfork parent wakes), its peak RSS kept for getrusage. */
void kf_exec_mm(struct kf_mm *mm);

/*
 * kf_account_fault - mm/'s fault path counts one resolved fault for the
 * current task (Linux's mm_account_fault: ru_minflt).  Atomic; nothing
 * when no task is current.
 */
void kf_account_fault(void);

/*
 * execve's steps in the core, in Linux's order:
 * kf_exec_nproc_check - first of all: a task whose set*id call took it
 *   over RLIMIT_NPROC may not exec while its user is still over the
 *   limit (-EAGAIN); else the mark is cleared.
 * kf_exec_de_thread - once the new image is loaded and nothing else can
 *   fail: SIGKILL every other thread of the group and wait (killably)
 *   until they are gone; a caller that is not the group leader then takes
 *   the leader's pid and place (the old leader is released without a
 *   word to the parent).  The exit signal becomes SIGCHLD.  -EAGAIN when
 *   another group exit or exec is in progress or the caller was killed
 *   while waiting (it dies on its way out).  The host runs the killed
 *   threads into kf_exit_group, which ends each alone while the exec is
 *   in progress.  May sleep.
 */
long kf_exec_nproc_check(void);
long kf_exec_de_thread(void);

#endif /* KF_H */
