/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core/task.h - the core's task and the per-resource objects it points at.
 *
 * Internal to core/: hosts see struct kf_task only as an opaque pointer.
 *
 * Lock key (one letter on every field below, asserted in debug builds):
 *   (T) kf_tasklist_lock: parent/child/thread links, pid tables, exit_state
 *   (S) sighand->siglock: signal-struct counters, group exit, handlers
 *   (F) files->lock, (P) fs->lock: the table/paths inside those objects
 *   (A) atomic, no lock: a kf_refcount_t or kf_atomic_t, touched only
 *       through kf_ref_* / kf_atomic_* (the type forbids anything else)
 *   (C) set before the task is published, constant afterwards
 *   (O) only the task itself touches it (current)
 * Lock order: kf_tasklist_lock, then sighand->siglock, then files/fs locks,
 * then the mm's locks.  Never sleep holding any of them.
 */
#ifndef KF_CORE_TASK_H
#define KF_CORE_TASK_H

#include <kf/kf.h>
#include <kf/hal/context.h>
#include "list.h"
#include "refcount.h"

struct kf_pid;
struct kf_pid_ns;
struct kf_nsproxy;
struct kf_user;

/* ---- credentials ---------------------------------------------------------- */

/* A per-user account: counts the tasks a uid owns (RLIMIT_NPROC). */
struct kf_user {
	struct kf_list node;		/* (T) in the global user list */
	kf_refcount_t ref;		/* (A) creds pointing here */
	kf_atomic_t processes;		/* (A) tasks charged to this uid */
	kf_atomic_t sigpending;		/* (A) signals queued to its tasks */
	uint32_t uid;			/* (C) */
};

struct kf_user_ns;

struct kf_cred {
	kf_refcount_t ref;		/* (A) */
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	/* Linux's capability sets, bit n = capability n (capability.c);
	 * in the initial user namespace kf_os_capable decides what they
	 * mean */
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_bset;
	unsigned securebits;		/* KF_SECBIT_KEEP_CAPS */
	struct kf_user *user;		/* account charged for this cred's tasks */
	struct kf_user_ns *user_ns;
};

/* ---- open files and filesystem context ------------------------------------ */

struct kf_files {
	kf_refcount_t ref;		/* (A) tasks sharing this table */
	kf_os_spinlock_t lock;
	unsigned max_fds;		/* (F) slots in fd[] */
	void **fd;			/* (F) host file objects, NULL = free */
	uint64_t *cloexec;		/* (F) bitmap, max_fds bits */
};

struct kf_fs {
	kf_refcount_t ref;		/* (A) users (CLONE_FS) */
	kf_os_spinlock_t lock;
	unsigned umask;			/* (P) */
	void *root, *pwd;		/* (P) host path objects, may be NULL */
	bool in_exec;
};

/* ---- signals ------------------------------------------------------------- */

struct kf_sighand {
	kf_refcount_t ref;		/* (A) tasks sharing handlers (CLONE_SIGHAND) */
	kf_os_spinlock_t siglock;
	struct kf_sigaction action[KF_NSIG];	/* (S) index sig-1 */
};

struct kf_rlimit { uint64_t cur, max; };

/* CPU time split between user and system as last reported (Linux's
 * prev_cputime): getrusage's times never go backwards. */
struct kf_prev_cputime { uint64_t utime, stime; };

/* What a thread group has used: the sums of its reaped threads, and of
 * its reaped (waited-for) children and their descendants. */
struct kf_sig_usage {
	uint64_t utime, stime, runtime;	/* ns, as kf_os_task_cputime */
	uint64_t min_flt, nvcsw, nivcsw;
};

/* What a thread group's group_pid[] holds: its process group and session,
 * each a struct kf_pid (Linux's PIDTYPE_PGID and PIDTYPE_SID). */
enum { KF_PIDTYPE_PGID, KF_PIDTYPE_SID, KF_PIDTYPE_GROUPS };

/* Thread-group state: one per process, shared by CLONE_THREAD. */
struct kf_signal {
	kf_refcount_t ref;		/* (A) */
	kf_atomic_t live;		/* (A) threads not yet exiting */
	int nr_threads;			/* (T) threads in the group */
	struct kf_list threads;		/* (T) of kf_task.thread_node */
	kf_os_waitq_t wait_chldexit;	/* wait4/waitid sleep here */
	kf_os_waitq_t wait_stop;	/* stopped threads sleep here (jobctl.c) */
	unsigned flags;			/* (S) KF_SIGNAL_* */
	int group_exit_code;		/* (S) exit status, or the stop signal */
	int group_stop_count;		/* (S) threads yet to join a group stop */
	struct kf_rlimit rlim[KF_RLIM_NLIMITS];	/* (S) */
	/* process group and session: (T), with a reference each, linked
	 * into the pid's list; set at commit, dropped when the group dies */
	struct kf_pid *group_pid[KF_PIDTYPE_GROUPS];
	struct kf_list group_node[KF_PIDTYPE_GROUPS];
	bool leader;			/* (T) session leader (setsid) */
	bool is_child_subreaper;
	struct kf_task *group_exec_task; /* (T)+(S) an exec is ending the others */

	/* resource usage (core/rusage.c), all (T) */
	struct kf_sig_usage dead;	/* threads already reaped */
	struct kf_sig_usage children;	/* waited-for children, all theirs */
	uint64_t cutime, cstime;	/* children's, as their getrusage split them */
	unsigned long maxrss, cmaxrss;	/* peak RSS in pages: ours, children's */
	struct kf_prev_cputime prev_cputime;
	struct kf_io_context *io;	/* unused placeholder for per-group io */
};
#define KF_SIGNAL_UNKILLABLE  0x1	/* init of a pid namespace */
#define KF_SIGNAL_GROUP_EXIT  0x2
/* job control (Linux's SIGNAL_STOP_* and SIGNAL_CLD_*): one report slot */
#define KF_SIGNAL_STOP_STOPPED   0x10	/* the group stop is complete */
#define KF_SIGNAL_STOP_CONTINUED 0x20	/* continued: a WCONTINUED report */
#define KF_SIGNAL_CLD_STOPPED    0x40	/* the parent is still to hear of */
#define KF_SIGNAL_CLD_CONTINUED  0x80	/* ... a stop or a continue */
#define KF_SIGNAL_CLD_MASK  (KF_SIGNAL_CLD_STOPPED | KF_SIGNAL_CLD_CONTINUED)
#define KF_SIGNAL_STOP_MASK (KF_SIGNAL_CLD_MASK | KF_SIGNAL_STOP_STOPPED | \
			     KF_SIGNAL_STOP_CONTINUED)

/* ---- io context and sysv-sem undo ---------------------------------------- */

struct kf_io_context {
	kf_refcount_t ref;		/* (A) tasks sharing (CLONE_IO) */
	int ioprio;
};

struct kf_sem_undo_list {
	kf_refcount_t ref;		/* (A) tasks sharing (CLONE_SYSVSEM) */
	kf_os_spinlock_t lock;
	struct kf_list undos;		/* entries owned by the ipc code */
};

/* ---- vfork completion ------------------------------------------------------ */

struct kf_completion {
	kf_os_waitq_t wq;
	kf_atomic_t done;
};

/* ---- the task ------------------------------------------------------------------ */

enum kf_task_state { KF_TASK_NEW, KF_TASK_RUNNING, KF_TASK_DEAD };
enum kf_exit_state { KF_EXIT_NONE = 0, KF_EXIT_ZOMBIE = 1, KF_EXIT_DEAD = 2 };

struct kf_task {
	kf_refcount_t usage;		/* (A) kf_task_get/put */
	enum kf_task_state state;	/* (T) */
	int exit_state;			/* (T) KF_EXIT_* */
	int exit_code;			/* (T) wait status */
	int exit_signal;		/* (T) to the parent; 0 = none, -1 = thread */
	int pdeath_signal;		/* (O) */
	unsigned flags;			/* (O) KF_PF_* */
	uint64_t clone_flags;		/* (C) KF_CLONE_* it was created with */
	uint64_t min_flt;		/* (O) minor faults; others read it */
	struct kf_prev_cputime prev_cputime;	/* (T) RUSAGE_THREAD's split */
	unsigned jobctl;		/* (S) KF_JOBCTL_* */

	/* family: (T) */
	struct kf_task *real_parent;
	struct kf_task *parent;		/* == real_parent (no ptrace) */
	struct kf_list children;	/* my children (kf_task.sibling) */
	struct kf_list sibling;		/* in my parent's children */
	struct kf_task *group_leader;
	struct kf_list thread_node;	/* in signal->threads */
	struct kf_list all_node;	/* in the global task list */

	/* identity */
	struct kf_pid *pid;		/* (C) this thread's pid, one nr per level */
	struct kf_pid *tgid;		/* (C) the group leader's pid */

	/* resources, each with its own count (see the stage table) */
	const struct kf_cred *cred;	/* (O) */
	struct kf_files *files;
	struct kf_fs *fs;
	struct kf_sighand *sighand;
	struct kf_signal *signal;
	struct kf_mm *mm;
	struct kf_nsproxy *nsproxy;
	struct kf_io_context *io_context;
	struct kf_sem_undo_list *sysvsem;

	kf_uptr_t set_child_tid;	/* (O) CLONE_CHILD_SETTID */
	kf_uptr_t clear_child_tid;	/* (O) CLONE_CHILD_CLEARTID */
	struct kf_completion *vfork_done; /* (T) parent's vfork wait */
	struct kf_list dead_node;	/* (T) exit's local list of tasks to release */

	void *os;			/* host-private (kf_task_os) */
	void *kstack;			/* host-provided kernel stack base */
	struct kf_arch_thread arch;	/* machine state (hal/context.h) */
};

#define KF_PF_EXITING  0x1
#define KF_PF_VFORK    0x2	/* kf_vfork child: parent waits for release */
#define KF_PF_FORKNOEXEC 0x4	/* not exec'd since fork (setpgid's EACCES) */
#define KF_PF_NPROC_EXCEEDED 0x8	/* set*uid went over RLIMIT_NPROC */

/* jobctl: a thread's part in a group stop (Linux's JOBCTL_*) */
#define KF_JOBCTL_STOP_PENDING 0x1	/* it must stop at its next chance */
#define KF_JOBCTL_STOP_CONSUME 0x2	/* ... and count in group_stop_count */
#define KF_JOBCTL_STOPPED      0x4	/* it sleeps until SIGCONT or SIGKILL */

/* Global state (core/task.c): */
extern kf_os_spinlock_t kf_tasklist_lock;
extern struct kf_list kf_all_tasks;
extern kf_atomic_t kf_max_threads;		/* (A) kernel.threads-max */
extern kf_atomic_t kf_nr_threads_count;		/* (A) tasks from commit to reap */
extern struct kf_task kf_boot_task;

static inline struct kf_task *kf_current(void) { return kf_os_current(); }

static inline bool kf_thread_group_leader(const struct kf_task *t)
{
	return t->group_leader == t;
}

static inline bool kf_thread_group_empty(const struct kf_task *t)
{
	return t->signal->nr_threads <= 1;
}

/* a process's group and session; NULL once it was reaped.  (T) */
static inline struct kf_pid *kf_task_pgrp(const struct kf_task *t)
{
	return t->signal ? t->signal->group_pid[KF_PIDTYPE_PGID] : NULL;
}

static inline struct kf_pid *kf_task_session(const struct kf_task *t)
{
	return t->signal ? t->signal->group_pid[KF_PIDTYPE_SID] : NULL;
}

void kf_task_free(struct kf_task *t);

#endif /* KF_CORE_TASK_H */
