// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/exit.c - a task's end: exit, exit_group, the parent's notification
 * and the final release.
 *
 * The life of a dying task:
 *   kf_exit      PF_EXITING, release mm (CLEARTID, vfork parent), files,
 *                fs, sem undo, io; then exit_notify:
 *   exit_notify  (a pid-ns init first empties its namespace, reparent.c)
 *                reparent the children, become a zombie and tell the
 *                parent -- or, when nobody will wait, release at once;
 *   release      (wait.c reaps, or autoreap) unhash the task and drop
 *                everything it still holds.
 * The tasklist lock guards the family links and exit_state; the resources
 * are dropped with no lock held.
 */
#include <kf/mm.h>
#include "internal.h"

/* ---- notifying the parent -------------------------------------------------- */

/* child_siginfo - what SIGCHLD tells the parent about @t's end. */
static void child_siginfo(struct kf_task *t, int sig, struct kf_siginfo *info)
{
	__builtin_memset(info, 0, sizeof(*info));
	info->signo = sig;
	info->pid = kf_pid_nr_ns(t->pid, kf_task_active_pid_ns(t->parent));
	/* the uid as the parent's user namespace names it */
	info->uid = (int)kf_from_kuid(t->parent->cred->user_ns, t->cred->uid);
	info->code = kf_cld_code(t->exit_code, &info->status);
}

/*
 * kf_notify_parent - @t (a zombie leader of an empty group) tells its
 * parent with @sig and wakes its waiters.  Returns true when nobody will
 * wait for @t -- the parent ignores SIGCHLD or set SA_NOCLDWAIT, and @sig
 * is SIGCHLD -- so the caller must release it.  With SIG_IGN no signal is
 * sent at all.  Tasklist lock held (the parent's siglock is taken inside).
 */
bool kf_notify_parent(struct kf_task *t, int sig)
{
	struct kf_task *parent = t->parent;
	struct kf_sigaction act;
	struct kf_siginfo info;
	bool autoreap = false;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	child_siginfo(t, sig, &info);
	kf_sig_action_get(parent, KF_SIGCHLD, &act);
	if (sig == KF_SIGCHLD &&
	    (act.handler == KF_SIG_IGN || (act.flags & KF_SA_NOCLDWAIT))) {
		autoreap = true;
		if (act.handler == KF_SIG_IGN)
			sig = 0;
	}
	if (sig > 0 && sig <= KF_NSIG)
		kf_send_signal_locked(parent, sig, &info, true, false);
	kf_os_wake_all(&parent->signal->wait_chldexit);
	return autoreap;
}

/* exec_wake - a thread of @sig's group is gone or became a zombie: an
 * exec waiting for the group to empty (kf_exec_de_thread) looks again.  (T) */
static void exec_wake(struct kf_signal *sig)
{
	if (sig->group_exec_task)
		kf_os_wake_all(&sig->wait_chldexit);
}

/* ---- release ----------------------------------------------------------------- */

/*
 * unhash_task - take @t out of every table: no lookup, wait or thread walk
 * finds it afterwards.  Its parent links are cleared too: the parent may be
 * freed while a reference on @t (a pidfd) keeps @t itself.  Tasklist lock
 * held.
 */
static void unhash_task(struct kf_task *t)
{
	struct kf_signal *sig = t->signal;

	kf_rusage_release(t);
	if (kf_thread_group_leader(t)) {
		/* the process is gone (its leader goes last) */
		kf_pid_group_detach(sig, KF_PIDTYPE_PGID);
		kf_pid_group_detach(sig, KF_PIDTYPE_SID);
	}
	kf_task_detach_pid(t);
	kf_list_del(&t->thread_node);
	sig->nr_threads--;
	kf_list_del(&t->sibling);
	kf_list_del(&t->all_node);
	t->real_parent = t->parent = NULL;
	kf_atomic_add(&kf_nr_threads_count, -1);
}

/* put_task_refs - drop what a reaped task still holds.  No lock held. */
static void put_task_refs(struct kf_task *t)
{
	kf_sighand_put(t->sighand);
	t->sighand = NULL;
	kf_signal_put(t->signal);
	t->signal = NULL;
	kf_nsproxy_put(t->nsproxy);
	t->nsproxy = NULL;
	kf_cred_put(t->cred);
	t->cred = NULL;
}

/*
 * kf_release_task - reap @t, a task nobody will wait for any more
 * (exit_state KF_EXIT_DEAD, set under the tasklist lock by whoever won
 * it).  When @t was the last thread beside a zombie group leader, the
 * leader's parent is told now, and if it will not wait either the leader
 * is released too.  No lock held; does not sleep.
 */
void kf_release_task(struct kf_task *t)
{
	struct kf_task *leader;
	bool zap_leader;
	unsigned long f;

	do {
		kf_user_dec_processes(t->cred->user);

		f = kf_tasklist_lock_irq();
		unhash_task(t);
		exec_wake(t->signal);
		leader = t->group_leader;
		zap_leader = false;
		if (leader != t && kf_thread_group_empty(leader) &&
		    leader->exit_state == KF_EXIT_ZOMBIE) {
			zap_leader = kf_notify_parent(leader, leader->exit_signal);
			if (zap_leader)
				leader->exit_state = KF_EXIT_DEAD;
		}
		kf_tasklist_unlock_irq(f);

		put_task_refs(t);
		kf_os_task_release(t);
		kf_task_put(t);
		t = leader;
	} while (zap_leader);
}

/* release_dead - release the tasks exit_notify collected on @dead. */
static void release_dead(struct kf_list *dead)
{
	struct kf_list *pos, *tmp;

	kf_list_for_each_safe(pos, tmp, dead) {
		struct kf_task *t = kf_list_entry(pos, struct kf_task, dead_node);

		kf_list_del(&t->dead_node);
		kf_release_task(t);
	}
}

/* ---- exit ---------------------------------------------------------------------- */

/*
 * exit_signals - mark @t exiting, so nobody picks it to inherit children,
 * to take over as reaper or to join a group stop; a stop it was still to
 * join counts as done, and if that completes it the parent hears now.  A
 * thread that dies in a group exit reports the group's code.  Returns the
 * code @t exits with; *@group_dead: @t is its group's last live thread.
 */
static int exit_signals(struct kf_task *t, int code, bool *group_dead)
{
	struct kf_signal *sig = t->signal;
	bool stopped = false;
	unsigned long f, irq;

	f = kf_tasklist_lock_irq();
	irq = kf_os_spin_lock(&t->sighand->siglock);
	if (sig->flags & KF_SIGNAL_GROUP_EXIT)
		code = sig->group_exit_code;
	else if (!kf_thread_group_empty(t))
		stopped = kf_jobctl_exiting(t);
	__atomic_fetch_or(&t->flags, KF_PF_EXITING, __ATOMIC_ACQ_REL);
	kf_os_spin_unlock(&t->sighand->siglock, irq);
	if (stopped)
		kf_notify_parent_cldstop(t, KF_CLD_STOPPED);
	kf_tasklist_unlock_irq(f);
	*group_dead = kf_atomic_add(&sig->live, -1) == 0;
	/* the group's last thread keeps its peak RSS for getrusage */
	if (*group_dead && t->mm)
		kf_rusage_note_maxrss(sig, t->mm);
	return code;
}

/*
 * exit_resources - let go of everything a zombie does not need: the
 * address space (after kf_mm_release has done CLEARTID and woken a vfork
 * parent), semaphore undos, files, fs and io context.  The pointers are
 * cleared under the tasklist lock so a reader holding it sees either the
 * object or NULL.  May sleep.
 */
static void exit_resources(struct kf_task *t)
{
	struct kf_mm *mm;
	struct kf_files *files;
	struct kf_fs *fs;
	struct kf_io_context *io;
	unsigned long f;

	kf_mm_release(t);
	kf_sysvsem_exit(t);
	f = kf_tasklist_lock_irq();
	mm = t->mm;
	t->mm = NULL;
	files = t->files;
	t->files = NULL;
	fs = t->fs;
	t->fs = NULL;
	io = t->io_context;
	t->io_context = NULL;
	kf_tasklist_unlock_irq(f);

	if (mm)
		kf_mm_put(mm);
	kf_files_put(files);
	kf_fs_put(fs);
	kf_io_put(io);
}

/*
 * exit_notify - hand the children on, become a zombie and tell the parent.
 * A group leader with live threads stays a silent zombie: its parent hears
 * when the last thread is released (kf_release_task).  A non-leader thread,
 * or a child whose parent will not wait, is released right here.
 */
static void exit_notify(struct kf_task *t, int code, bool group_dead)
{
	struct kf_list dead;
	bool autoreap;
	unsigned long f;

	kf_list_init(&dead);
	f = kf_tasklist_lock_irq();
	if (kf_is_last_ns_reaper(t)) {
		/* the namespace's init: empty it first (sleeps) */
		kf_tasklist_unlock_irq(f);
		kf_zap_pid_ns(t);
		f = kf_tasklist_lock_irq();
	}
	kf_forget_original_parent(t, &dead);
	/* the process is gone: its group may have lost its last link */
	if (group_dead)
		kf_kill_orphaned_pgrp(t->group_leader, NULL);

	t->exit_code = code;
	t->exit_state = KF_EXIT_ZOMBIE;
	t->state = KF_TASK_DEAD;
	if (kf_thread_group_leader(t))
		autoreap = kf_thread_group_empty(t) &&
			   kf_notify_parent(t, t->exit_signal);
	else
		autoreap = true;
	exec_wake(t->signal);
	if (autoreap) {
		t->exit_state = KF_EXIT_DEAD;
		kf_list_add_tail(&t->dead_node, &dead);
	}
	kf_tasklist_unlock_irq(f);

	release_dead(&dead);
}

/*
 * kf_exit - the current task ends with wait status @code.  Returns to the
 * host, which switches away for good.  The boot task cannot exit.
 */
void kf_exit(int code)
{
	struct kf_task *t = kf_current();
	bool group_dead;

	if (t == &kf_boot_task)
		kf_os_panic("kf_exit: the boot task cannot exit");
	if (kf_task_flags(t) & KF_PF_EXITING) {
		kf_os_log(KF_LOG_ERR, "kf_exit: task %d is already exiting",
			  kf_task_tid(t));
		return;
	}
	code = exit_signals(t, code, &group_dead);
	exit_resources(t);
	exit_notify(t, code, group_dead);
}

/*
 * zap_other_threads - SIGKILL every other live thread of @t's group.
 * Tasklist lock and siglock held.
 */
static void zap_other_threads(struct kf_task *t)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &t->signal->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		if (o != t && !o->exit_state)
			kf_os_signal(o, KF_SIGKILL, NULL, false);
	}
}

/*
 * kf_exit_group - end the whole thread group with @code.  The first caller
 * sets the group's exit code and kills the other threads; a thread that
 * gets here after that (the host runs a killed thread into exit_group)
 * exits with the code already set.  While another thread's exec is ending
 * the group's other threads (kf_exec_de_thread), a killed thread ends
 * alone with code 0, as Linux's do_group_exit.
 */
void kf_exit_group(int code)
{
	struct kf_task *t = kf_current();
	struct kf_signal *sig = t->signal;
	unsigned long f, fs;

	f = kf_tasklist_lock_irq();
	fs = kf_os_spin_lock(&t->sighand->siglock);
	if (sig->flags & KF_SIGNAL_GROUP_EXIT) {
		code = sig->group_exit_code;
	} else if (sig->group_exec_task) {
		/* killed by another thread's exec: end alone, quietly */
		code = 0;
	} else {
		sig->group_exit_code = code;
		sig->flags |= KF_SIGNAL_GROUP_EXIT;
		kf_jobctl_group_exit(sig);
		zap_other_threads(t);
	}
	kf_os_spin_unlock(&t->sighand->siglock, fs);
	kf_tasklist_unlock_irq(f);

	kf_exit(code);
}
