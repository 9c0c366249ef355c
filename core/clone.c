// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/clone.c - creating a task: Linux's kernel_clone/copy_process.
 *
 * kf_clone runs in three phases:
 *
 *  1. validate   the flag rules that need no allocation, one per line, in
 *                Linux's order (clone_validate).
 *  2. prepare    the stage table below, walked forward; each stage copies
 *                or shares one resource of the parent, or makes one check
 *                Linux makes at that point.  On an error the stages done so
 *                far are undone backward and the child is freed.  The child
 *                is invisible throughout.
 *  3. commit     under the tasklist lock: the last two checks Linux makes
 *                there (dying pid namespace: ENOMEM; fatal signal: EINTR),
 *                then the pid is hashed and the child linked to its parent
 *                and thread group, none of which can fail.  After the lock:
 *                the pidfd file goes into its reserved fd, the
 *                PARENT_SETTID and CHILD_SETTID stores
 *                (failures ignored, as Linux ignores them), start, and for
 *                CLONE_VFORK the wait.
 *
 * Every errno in the order Linux 6.12 produces it:
 *   validate   ENOSYS (feature not built), EINVAL (flag rules)
 *   signal     ERESTARTNOINTR (a signal is pending: the host handles it
 *              and restarts the call; user space never sees this value)
 *   task       ENOMEM
 *   creds      ENOMEM; NEWUSER: ENOSPC (nesting), ENOMEM
 *   limits     EAGAIN (RLIMIT_NPROC), EAGAIN (max_threads)
 *   sysvsem .. io   ENOMEM; fs: EAGAIN (exec in progress); namespaces:
 *                EPERM (CLONE_NEW* without CAP_SYS_ADMIN), EINVAL
 *                (NEWIPC|SYSVSEM), EINVAL (second NEWPID before a fork),
 *                ENOSPC (pid ns nesting)
 *   thread     host errors (ENOMEM)
 *   pid        EINVAL/EPERM/EEXIST (set_tid), EAGAIN (full), ENOMEM
 *   pidfd      EMFILE (RLIMIT_NOFILE), ENOMEM (reserving the fd, making
 *              the file), EFAULT (storing the fd)
 *   cgroup     host errors
 *   commit     ENOMEM (the pid namespace's init died), EINTR
 */
#include <kf/mm.h>
#include <kf/hal/context.h>
#include "clone.h"

/* Every flag kf_clone knows (CSIGNAL's 0x80 is CLONE_NEWTIME here). */
#define KF_CLONE_KNOWN ((KF_CLONE_LEGACY_FLAGS & ~(KF_CSIGNAL & ~KF_CLONE_NEWTIME)) | \
			KF_CLONE_CLEAR_SIGHAND | KF_CLONE_INTO_CGROUP)

/*
 * Flags whose feature this build leaves out: they answer ENOSYS.  Not
 * CLONE_SYSVSEM and CLONE_IO: without their feature they are accepted and
 * do nothing, as on Linux without SYSVIPC or BLOCK (musl's pthread_create
 * always passes CLONE_SYSVSEM).
 */
#if !CONFIG_KF_NAMESPACES
#define KF_CLONE_NO_NS (KF_CLONE_NEWNS_ALL | KF_CLONE_NEWUSER)
#elif !CONFIG_KF_PID_NS
#define KF_CLONE_NO_NS KF_CLONE_NEWPID
#else
#define KF_CLONE_NO_NS 0
#endif
#define KF_CLONE_NO_PIDFD (CONFIG_KF_PIDFD ? 0 : KF_CLONE_PIDFD)
#define KF_CLONE_NOT_BUILT (KF_CLONE_NO_NS | KF_CLONE_NO_PIDFD)

static bool has_all(uint64_t flags, uint64_t want)
{
	return (flags & want) == want;
}

/*
 * clone_validate - the rules Linux checks before allocating anything
 * (kernel_clone, then the top of copy_process), first failure wins.
 */
static int clone_validate(const struct kf_clone_req *req, struct kf_task *cur)
{
	uint64_t f = req->flags;
	struct kf_nsproxy *nsp = cur->nsproxy;

	/* bits no clone flag uses (only a host's own caller can pass them) */
	if (f & ~KF_CLONE_KNOWN)
		return -KF_EINVAL;
	/* a feature this build leaves out: user space falls back on ENOSYS */
	if (f & KF_CLONE_NOT_BUILT)
		return -KF_ENOSYS;
	/* legacy clone stores the pidfd through parent_tid: one slot, two values */
	if (has_all(f, KF_CLONE_PIDFD | KF_CLONE_PARENT_SETTID) &&
	    req->pidfd == req->parent_tid)
		return -KF_EINVAL;
	/* a new mount namespace cannot share root and cwd with the old one */
	if (has_all(f, KF_CLONE_NEWNS | KF_CLONE_FS))
		return -KF_EINVAL;
	/* nor can a new user namespace */
	if (has_all(f, KF_CLONE_NEWUSER | KF_CLONE_FS))
		return -KF_EINVAL;
	/* a thread shares its group's signal handlers */
	if ((f & KF_CLONE_THREAD) && !(f & KF_CLONE_SIGHAND))
		return -KF_EINVAL;
	/* shared handlers need a shared address space */
	if ((f & KF_CLONE_SIGHAND) && !(f & KF_CLONE_VM))
		return -KF_EINVAL;
	/* an init (global or of a pid namespace) may not create siblings */
	if ((f & KF_CLONE_PARENT) && (cur->signal->flags & KF_SIGNAL_UNKILLABLE))
		return -KF_EINVAL;
	/* a thread stays in its group's user and pid namespaces */
	if ((f & KF_CLONE_THREAD) && (f & (KF_CLONE_NEWUSER | KF_CLONE_NEWPID)))
		return -KF_EINVAL;
	/* ... also after unshare(CLONE_NEWPID) */
	if ((f & KF_CLONE_THREAD) &&
	    kf_task_active_pid_ns(cur) != nsp->pid_ns_for_children)
		return -KF_EINVAL;
	/* after unshare(CLONE_NEWTIME) only vfork may share the mm (the
	 * child enters the new time namespace at exec) */
	if ((f & (KF_CLONE_VM | KF_CLONE_VFORK)) == KF_CLONE_VM &&
	    nsp->time != nsp->time_for_children)
		return -KF_EINVAL;
	/* CLONE_DETACHED is reserved for a future use with CLONE_PIDFD */
	if (has_all(f, KF_CLONE_PIDFD | KF_CLONE_DETACHED))
		return -KF_EINVAL;
	return 0;
}

/* ---- the stages ----------------------------------------------------------------- */

struct clone_ctx {
	const struct kf_clone_req *req;
	uint64_t flags;
	struct kf_task *cur;		/* the parent (current) */
	struct kf_task *p;		/* the child being built */
	int pidfd;			/* CLONE_PIDFD: reserved fd, else -1 */
	void *pidfile;			/* ... and the file that will fill it */
	struct kf_completion *vfork;	/* CLONE_VFORK: the parent's wait */
};

struct clone_stage {
	const char *name;
	int (*copy)(struct clone_ctx *c);
	void (*undo)(struct clone_ctx *c);	/* NULL: nothing to undo */
};

/* creds: shared by a thread, else a copy; NEWUSER gives the copy a new
 * user namespace.  The child is charged to its uid's process count. */
static int copy_creds(struct clone_ctx *c)
{
	struct kf_cred *new;
	int err;

	if (c->flags & KF_CLONE_THREAD) {
		c->p->cred = kf_cred_get(c->cur->cred);
	} else {
		new = kf_cred_dup(c->cur->cred);
		if (!new)
			return -KF_ENOMEM;
		if (c->flags & KF_CLONE_NEWUSER) {
			err = kf_user_ns_create(new);
			if (err) {
				kf_cred_put(new);
				return err;
			}
		}
		c->p->cred = new;
	}
	kf_user_inc_processes(c->p->cred->user);
	return 0;
}

static void undo_creds(struct clone_ctx *c)
{
	kf_user_dec_processes(c->p->cred->user);
	kf_cred_put(c->p->cred);
	c->p->cred = NULL;
}

/* limits: the checks Linux makes right after copy_creds. */
static int check_limits(struct clone_ctx *c)
{
	struct kf_user *u = c->p->cred->user;
	long procs = kf_atomic_read(&u->processes);

	/* RLIMIT_NPROC counts the uid's tasks, this one included; root and
	 * holders of CAP_SYS_RESOURCE or CAP_SYS_ADMIN may go past it */
	if ((uint64_t)procs > kf_rlimit(KF_RLIMIT_NPROC) && u != &kf_root_user &&
	    !kf_capable(KF_CAP_SYS_RESOURCE) && !kf_capable(KF_CAP_SYS_ADMIN))
		return -KF_EAGAIN;
	/* the system-wide task limit (stops root fork bombs) */
	if (kf_nr_threads() >= (unsigned long)kf_atomic_read(&kf_max_threads))
		return -KF_EAGAIN;
	return 0;
}

/* sysvsem: CLONE_SYSVSEM shares the undo list, else none. */
static int copy_sysvsem(struct clone_ctx *c)
{
	return kf_sysvsem_copy(c->p, c->flags & KF_CLONE_SYSVSEM);
}

static void undo_sysvsem(struct clone_ctx *c)
{
	kf_sysvsem_exit(c->p);
}

/* files: CLONE_FILES shares the table, else a copy. */
static int copy_files(struct clone_ctx *c)
{
	struct kf_files *old = c->cur->files;

	if (!old)
		return 0;
	if (c->flags & KF_CLONE_FILES) {
		kf_files_get(old);
		c->p->files = old;
		return 0;
	}
	c->p->files = kf_files_dup(old);
	return c->p->files ? 0 : -KF_ENOMEM;
}

static void undo_files(struct clone_ctx *c)
{
	kf_files_put(c->p->files);
	c->p->files = NULL;
}

/* fs: CLONE_FS shares umask/root/cwd, else a copy. */
static int copy_fs(struct clone_ctx *c)
{
	struct kf_fs *old = c->cur->fs;
	int err;

	if (!old)
		return 0;
	if (c->flags & KF_CLONE_FS) {
		err = kf_fs_share(old);
		if (!err)
			c->p->fs = old;
		return err;
	}
	c->p->fs = kf_fs_dup(old);
	return c->p->fs ? 0 : -KF_ENOMEM;
}

static void undo_fs(struct clone_ctx *c)
{
	kf_fs_put(c->p->fs);
	c->p->fs = NULL;
}

/* sighand: CLONE_SIGHAND shares the handlers, else a copy (reset by
 * CLONE_CLEAR_SIGHAND). */
static int copy_sighand(struct clone_ctx *c)
{
	struct kf_sighand *old = c->cur->sighand;

	if (c->flags & KF_CLONE_SIGHAND) {
		kf_sighand_get(old);
		c->p->sighand = old;
		return 0;
	}
	c->p->sighand = kf_sighand_dup(old, c->flags & KF_CLONE_CLEAR_SIGHAND);
	return c->p->sighand ? 0 : -KF_ENOMEM;
}

static void undo_sighand(struct clone_ctx *c)
{
	kf_sighand_put(c->p->sighand);
	c->p->sighand = NULL;
}

/* signal: a thread joins its group's, a process gets a new one. */
static int copy_signal(struct clone_ctx *c)
{
	if (c->flags & KF_CLONE_THREAD) {
		kf_signal_get(c->cur->signal);
		c->p->signal = c->cur->signal;
		return 0;
	}
	c->p->signal = kf_signal_alloc(c->cur);
	return c->p->signal ? 0 : -KF_ENOMEM;
}

static void undo_signal(struct clone_ctx *c)
{
	kf_signal_put(c->p->signal);
	c->p->signal = NULL;
}

/* mm: CLONE_VM shares the address space, else fork's copy.  A parent
 * without one (the boot task) has a child without one. */
static int copy_mm(struct clone_ctx *c)
{
	struct kf_mm *old = c->cur->mm;

	if (!old)
		return 0;
	if (c->flags & KF_CLONE_VM) {
		kf_mm_get(old);
		c->p->mm = old;
		return 0;
	}
	return kf_mm_dup(old, &c->p->mm);
}

static void undo_mm(struct clone_ctx *c)
{
	if (c->p->mm)
		kf_mm_put(c->p->mm);
	c->p->mm = NULL;
}

/* namespaces: copy_namespaces. */
static int copy_namespaces(struct clone_ctx *c)
{
	struct kf_nsproxy *old = c->cur->nsproxy, *new;
	struct kf_user_ns *user_ns = c->p->cred->user_ns;
	uint64_t f = c->flags;
	int err;

	if (!(f & KF_CLONE_NEWNS_ALL)) {
		/* nothing new: share, unless the child enters the time
		 * namespace chosen for children */
		if ((f & KF_CLONE_VM) || old->time_for_children == old->time) {
			kf_nsproxy_get(old);
			c->p->nsproxy = old;
			return 0;
		}
	} else if (!kf_ns_capable(user_ns, KF_CAP_SYS_ADMIN)) {
		/* new namespaces need CAP_SYS_ADMIN over the child's user ns */
		return -KF_EPERM;
	}
	/* a new ipc namespace cannot keep the old one's semaphore undos */
	if (has_all(f, KF_CLONE_NEWIPC | KF_CLONE_SYSVSEM))
		return -KF_EINVAL;
	err = kf_nsproxy_create(f, old, user_ns, &new);
	if (err)
		return err;
	if (!(f & KF_CLONE_VM))
		kf_nsproxy_timens_on_fork(new);
	c->p->nsproxy = new;
	return 0;
}

static void undo_namespaces(struct clone_ctx *c)
{
	kf_nsproxy_put(c->p->nsproxy);
	c->p->nsproxy = NULL;
}

/* io: CLONE_IO shares the I/O context. */
static int copy_io(struct clone_ctx *c)
{
	return kf_io_copy(c->cur, c->p, c->flags & KF_CLONE_IO);
}

static void undo_io(struct clone_ctx *c)
{
	kf_io_put(c->p->io_context);
	c->p->io_context = NULL;
}

/* thread: the host's side (kernel stack...), then the machine state. */
static int copy_thread(struct clone_ctx *c)
{
	const struct kf_clone_req *req = c->req;
	int err = kf_os_task_prepare(c->p);

	if (err)
		return err;
	err = kf_arch_copy_thread(c->p, c->cur, req->stack, req->tls,
				  c->flags & KF_CLONE_SETTLS);
	if (err)
		kf_os_task_unprepare(c->p);
	return err;
}

static void undo_thread(struct clone_ctx *c)
{
	kf_os_task_unprepare(c->p);
}

/* pid: numbers in the children's pid namespace and its ancestors. */
static int alloc_pid(struct clone_ctx *c)
{
	return kf_pid_alloc(c->p->nsproxy->pid_ns_for_children,
			    c->req->set_tid, c->req->set_tid_size, &c->p->pid);
}

static void undo_pid(struct clone_ctx *c)
{
	kf_pid_unalloc(c->p->pid);
	c->p->pid = NULL;
}

/*
 * pidfd: reserve the lowest free fd of the parent's table (after the
 * child's table was copied, so it does not leak into it), have the host
 * make the file, store the number.  The file enters the table only after
 * commit (after_commit), as Linux's get_unused_fd_flags + fd_install: until
 * then a thread sharing the table finds no file in the slot, and a failure
 * gives back a slot nobody else could have touched.
 */
static int make_pidfd(struct clone_ctx *c)
{
	unsigned fl = (c->flags & KF_CLONE_THREAD) ? KF_PIDFD_THREAD : 0;
	int fd, err;

	if (!(c->flags & KF_CLONE_PIDFD))
		return 0;
	fd = kf_fd_reserve(true);
	if (fd < 0)
		return fd;
	err = kf_os_pidfd_file(c->p, fl, &c->pidfile);
	if (err)
		goto fail_unreserve;
	err = kf_os_copy_to_user(c->req->pidfd, &fd, sizeof(fd));
	if (err)
		goto fail_put;
	c->pidfd = fd;
	return 0;

fail_put:
	kf_os_file_put(c->pidfile);
	c->pidfile = NULL;
fail_unreserve:
	kf_fd_unreserve(fd);
	return err;
}

static void undo_pidfd(struct clone_ctx *c)
{
	if (c->pidfd < 0)
		return;
	kf_os_file_put(c->pidfile);
	kf_fd_unreserve(c->pidfd);
	c->pidfile = NULL;
	c->pidfd = -1;
}

/* cgroup: CLONE_INTO_CGROUP asks the host whether the child may join. */
static int check_cgroup(struct clone_ctx *c)
{
	if (!(c->flags & KF_CLONE_INTO_CGROUP))
		return 0;
	return kf_os_cgroup_can_fork(c->p, c->req->cgroup);
}

/* The stages in copy_process's order.  unshare reuses their primitives. */
static const struct clone_stage clone_stages[] = {
	{ "creds",	copy_creds,	 undo_creds },
	{ "limits",	check_limits,	 NULL },
	{ "sysvsem",	copy_sysvsem,	 undo_sysvsem },
	{ "files",	copy_files,	 undo_files },
	{ "fs",		copy_fs,	 undo_fs },
	{ "sighand",	copy_sighand,	 undo_sighand },
	{ "signal",	copy_signal,	 undo_signal },
	{ "mm",		copy_mm,	 undo_mm },
	{ "namespaces",	copy_namespaces, undo_namespaces },
	{ "io",		copy_io,	 undo_io },
	{ "thread",	copy_thread,	 undo_thread },
	{ "pid",	alloc_pid,	 undo_pid },
	{ "pidfd",	make_pidfd,	 undo_pidfd },
	{ "cgroup",	check_cgroup,	 NULL },
};
#define NR_STAGES (sizeof(clone_stages) / sizeof(clone_stages[0]))

/* unwind - undo stages [0, n) backward. */
static void unwind(struct clone_ctx *c, size_t n)
{
	while (n-- > 0)
		if (clone_stages[n].undo)
			clone_stages[n].undo(c);
}

/* prepare - run every stage; on failure undo the done ones and return the
 * error (the child struct itself is the caller's to free). */
static int prepare(struct clone_ctx *c)
{
	size_t i;
	int err;

	for (i = 0; i < NR_STAGES; i++) {
		err = clone_stages[i].copy(c);
		if (err) {
			kf_os_log(KF_LOG_DEBUG, "clone: stage %s failed: %d",
				  clone_stages[i].name, err);
			unwind(c, i);
			return err;
		}
	}
	return 0;
}

/* task_alloc - dup_task_struct: a zeroed child with its links ready. */
static struct kf_task *task_alloc(const struct kf_clone_req *req)
{
	struct kf_task *p = kf_os_alloc(sizeof(*p), KF_SITE("clone.task"));

	if (!p)
		return NULL;
	kf_ref_init(&p->usage, 1);	/* dropped when the task is reaped */
	p->state = KF_TASK_NEW;
	p->flags = KF_PF_FORKNOEXEC;
	kf_list_init(&p->children);
	kf_list_init(&p->sibling);
	kf_list_init(&p->thread_node);
	kf_list_init(&p->all_node);
	kf_list_init(&p->dead_node);
	if (req->flags & KF_CLONE_CHILD_SETTID)
		p->set_child_tid = req->child_tid;
	if (req->flags & KF_CLONE_CHILD_CLEARTID)
		p->clear_child_tid = req->child_tid;
	return p;
}

/* ---- commit ------------------------------------------------------------------- */

/* link_family - parent, exit signal and thread group.  (T) */
static void link_family(struct clone_ctx *c)
{
	struct kf_task *p = c->p, *cur = c->cur;

	KF_ASSERT_HELD(&kf_tasklist_lock);

	if (c->flags & KF_CLONE_THREAD) {
		p->group_leader = cur->group_leader;
		p->tgid = kf_pid_get(cur->tgid);
	} else {
		p->group_leader = p;
		p->tgid = kf_pid_get(p->pid);
	}
	/* CLONE_PARENT and threads are siblings of the caller */
	if (c->flags & (KF_CLONE_PARENT | KF_CLONE_THREAD)) {
		p->real_parent = cur->real_parent;
		p->exit_signal = (c->flags & KF_CLONE_THREAD) ? -1 :
				 cur->group_leader->exit_signal;
	} else {
		p->real_parent = cur;
		p->exit_signal = c->req->exit_signal;
	}
	p->parent = p->real_parent;
}

/* link_group - a new process joins its parent's children; a thread joins
 * the caller's group.  (T) and current's siglock. */
static void link_group(struct clone_ctx *c)
{
	struct kf_task *p = c->p, *cur = c->cur;
	struct kf_signal *sig = p->signal;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	KF_ASSERT_HELD(&cur->sighand->siglock);

	if (kf_thread_group_leader(p)) {
		/* the first task of a pid namespace is its init and reaper */
		if (kf_pid_nr(p->pid) == 1) {
			kf_pid_ns_set_reaper(kf_pid_ns_of(p->pid), p);
			sig->flags |= KF_SIGNAL_UNKILLABLE;
		}
		/* the creator's group and session, even with CLONE_PARENT */
		kf_pid_group_attach(sig, KF_PIDTYPE_PGID, kf_task_pgrp(cur));
		kf_pid_group_attach(sig, KF_PIDTYPE_SID, kf_task_session(cur));
		sig->nr_threads = 1;
		kf_list_add_tail(&p->sibling, &p->real_parent->children);
	} else {
		sig->nr_threads++;
		kf_atomic_add(&sig->live, 1);
		kf_jobctl_join(p);
	}
	kf_list_add_tail(&p->thread_node, &sig->threads);
}

/*
 * commit - publish the child.  The two checks Linux makes under the
 * tasklist lock come first and fail with nothing changed; after them
 * nothing can fail.  Returns 0 or -ENOMEM / -EINTR.
 */
static int commit(struct clone_ctx *c)
{
	struct kf_task *p = c->p, *cur = c->cur;
	unsigned long irq, irq_sig;
	int err = 0;

	irq = kf_tasklist_lock_irq();
	irq_sig = kf_os_spin_lock(&cur->sighand->siglock);
	/* don't start children in a dying pid namespace */
	if (!kf_pid_ns_adding(kf_pid_ns_of(p->pid)))
		err = -KF_ENOMEM;
	/* let a fatal signal end the fork */
	else if (kf_os_fatal_signal_pending(cur))
		err = -KF_EINTR;
	if (err) {
		kf_os_spin_unlock(&cur->sighand->siglock, irq_sig);
		kf_tasklist_unlock_irq(irq);
		return err;
	}
	link_family(c);
	link_group(c);
	kf_list_add_tail(&p->all_node, &kf_all_tasks);
	kf_pid_attach(p->pid, p);
	kf_atomic_add(&kf_nr_threads_count, 1);
	if (c->vfork) {
		p->vfork_done = c->vfork;
		p->flags |= KF_PF_VFORK;
	}
	p->state = KF_TASK_RUNNING;
	kf_os_spin_unlock(&cur->sighand->siglock, irq_sig);
	kf_tasklist_unlock_irq(irq);
	return 0;
}

/*
 * store_child_tid - CLONE_CHILD_SETTID: the child's tid (as the child sees
 * it) at set_child_tid in the child's address space.  Linux stores it with
 * put_user from the child's first schedule and ignores a fault; kfork
 * stores it before the child runs, as a user store of the child would (a
 * read-only or unmapped address fails, and a read-only page is never
 * copied or written), and ignores a fault too.
 */
static void store_child_tid(struct kf_task *p)
{
	int nr = kf_task_tid(p);

	if (!p->set_child_tid || !p->mm)
		return;
	if (p->mm == kf_current()->mm)
		(void)kf_os_copy_to_user(p->set_child_tid, &nr, sizeof(nr));
	else
		(void)kf_mm_write_user(p->mm, p->set_child_tid, &nr, sizeof(nr));
}

/*
 * after_commit - what kernel_clone does once the child is visible: the
 * pidfd, the tid stores, start, and the vfork wait.  Returns the child's
 * pid as current sees it.
 */
static long after_commit(struct clone_ctx *c)
{
	struct kf_task *p = c->p;
	int nr = kf_task_vpid(p);

	if (c->pidfd >= 0)
		kf_fd_install_reserved(c->pidfd, c->pidfile);
	/* a bad parent_tid is ignored: the child exists now */
	if (c->flags & KF_CLONE_PARENT_SETTID)
		(void)kf_os_copy_to_user(c->req->parent_tid, &nr, sizeof(nr));
	store_child_tid(p);
	if (c->vfork)
		kf_task_get(p);		/* kf_vfork_wait drops it */
	kf_os_task_start(p);
	if (c->vfork)
		kf_vfork_wait(p, c->vfork);
	return nr;
}

/*
 * kf_clone - create a task as @req describes (see the top of this file).
 * On failure nothing is left behind: no object, no reference, no pid.  The
 * child struct goes through its refcount like any task's (kf_task_put), so
 * it could not be freed under a reference someone still held.
 */
long kf_clone(const struct kf_clone_req *req)
{
	struct kf_task *cur = kf_current();
	struct kf_completion vfork;
	struct clone_ctx c = {
		.req = req,
		.flags = req->flags,
		.cur = cur,
		.pidfd = -1,
	};
	int err;

	err = clone_validate(req, cur);
	if (err)
		return err;
	/* a signal sent before the fork is handled before it: with nothing
	 * allocated, the host delivers it and restarts the call */
	if (kf_os_signal_pending())
		return -KF_ERESTARTNOINTR;
	c.p = task_alloc(req);
	if (!c.p)
		return -KF_ENOMEM;
	err = prepare(&c);
	if (err)
		goto fail_free;
	if (c.flags & KF_CLONE_VFORK) {
		kf_completion_init(&vfork);
		c.vfork = &vfork;
	}
	err = commit(&c);
	if (err)
		goto fail_unwind;
	return after_commit(&c);

fail_unwind:
	unwind(&c, NR_STAGES);
fail_free:
	kf_task_put(c.p);
	return err;
}

long kf_fork(void)
{
	struct kf_clone_req req = { .exit_signal = KF_SIGCHLD };

	return kf_clone(&req);
}

long kf_vfork(void)
{
	struct kf_clone_req req = {
		.flags = KF_CLONE_VM | KF_CLONE_VFORK,
		.exit_signal = KF_SIGCHLD,
	};

	return kf_clone(&req);
}

/*
 * kf_sys_clone - clone(2): only the low 32 bits of @flags count; the low
 * byte (CSIGNAL) is the exit signal, unchecked as in Linux (an invalid
 * one is simply never sent).  CLONE_PIDFD returns the fd through
 * @uparent_tid.
 */
long kf_sys_clone(uint64_t flags, kf_uptr_t newsp, kf_uptr_t uparent_tid,
		  kf_uptr_t uchild_tid, kf_uptr_t tls)
{
	uint32_t lo = (uint32_t)flags;
	struct kf_clone_req req = {
		.flags = lo & ~(uint32_t)KF_CSIGNAL,
		.exit_signal = (int)(lo & KF_CSIGNAL),
		.stack = newsp,
		.tls = tls,
		.parent_tid = uparent_tid,
		.child_tid = uchild_tid,
		.pidfd = uparent_tid,
	};

	return kf_clone(&req);
}

/* kf_set_tid_address - set_tid_address(2): CLEARTID's address from now
 * on; returns the caller's tid. */
long kf_set_tid_address(kf_uptr_t utidptr)
{
	struct kf_task *cur = kf_current();

	cur->clear_child_tid = utidptr;
	return kf_task_vpid(cur);
}
