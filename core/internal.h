/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core/internal.h - functions the core's files share.  The clone side
 * (task.c, clone*.c, the stage files, pid.c, nsproxy.c, unshare.c) provides
 * the first half; the exit side (exit.c, wait.c, fault.c) the second.
 */
#ifndef KF_CORE_INTERNAL_H
#define KF_CORE_INTERNAL_H

#include "task.h"

#if CONFIG_KF_DEBUG
#define KF_ASSERT(c) do { if (!(c)) kf_os_panic("%s: assertion '%s' failed", __func__, #c); } while (0)
#define KF_ASSERT_HELD(l) KF_ASSERT(kf_os_spin_held(l))
#else
#define KF_ASSERT(c) do { } while (0)
#define KF_ASSERT_HELD(l) do { } while (0)
#endif

#if CONFIG_KF_FAULT_INJECT
#define KF_SITE(s) (s)
#else
#define KF_SITE(s) ((const char *)0)
#endif

/* tasklist lock helpers */
static inline unsigned long kf_tasklist_lock_irq(void) { return kf_os_spin_lock(&kf_tasklist_lock); }
static inline void kf_tasklist_unlock_irq(unsigned long f) { kf_os_spin_unlock(&kf_tasklist_lock, f); }

/* ---- provided by the clone side ----------------------------------------- */

/* resource puts: drop one task's reference; free on the last. */
void kf_cred_put(const struct kf_cred *c);

/* Ids in user namespaces (nsproxy.c): creds hold kernel ids, which are the
 * initial namespace's; a namespace names them through its maps. */
#define KF_OVERFLOW_ID 65534		/* Linux's overflowuid and overflowgid */
#define KF_INVALID_ID ((uint32_t)-1)
struct kf_user_ns;
/* kf_make_kuid/kf_make_kgid - the kernel id @id of @ns stands for, or
 * KF_INVALID_ID when @ns's map does not cover it (make_kuid). */
uint32_t kf_make_kuid(const struct kf_user_ns *ns, uint32_t id);
uint32_t kf_make_kgid(const struct kf_user_ns *ns, uint32_t id);
/* kf_from_kuid/kf_from_kgid - the name of kernel id @kid in @ns, or
 * KF_OVERFLOW_ID when it has none there (from_kuid_munged). */
uint32_t kf_from_kuid(const struct kf_user_ns *ns, uint32_t kid);
uint32_t kf_from_kgid(const struct kf_user_ns *ns, uint32_t kid);

void kf_files_put(struct kf_files *f);
void kf_fs_put(struct kf_fs *fs);
void kf_sighand_put(struct kf_sighand *sh);
void kf_signal_put(struct kf_signal *sig);
void kf_nsproxy_put(struct kf_nsproxy *ns);
void kf_io_put(struct kf_io_context *io);
void kf_sysvsem_exit(struct kf_task *t);	/* exit_sem: apply and drop undo list */

/* per-user process accounting (RLIMIT_NPROC) */
void kf_user_dec_processes(struct kf_user *u);

/* pids */
struct kf_pid_ns;
struct kf_pid_ns *kf_task_active_pid_ns(const struct kf_task *t);
struct kf_pid_ns *kf_pid_ns_parent(const struct kf_pid_ns *ns);
struct kf_task *kf_pid_ns_reaper(const struct kf_pid_ns *ns);	/* (T) */
/* the ns's init died: refuse further allocations (fork then gets ENOMEM) */
void kf_pid_ns_mark_dead(struct kf_pid_ns *ns);			/* (T) */
int kf_pid_nr_ns(const struct kf_pid *pid, const struct kf_pid_ns *ns);	/* 0 if not visible */
int kf_pid_nrs_ns(const struct kf_pid *pid, const struct kf_pid_ns *ns,
		  int *nrs, int max);	/* the numbers from @ns down: count */
/* kf_task_detach_pid - unhash @t's pid (no more lookups find it; the
 * numbers stay taken while a process group or session uses them).  (T) */
void kf_task_detach_pid(struct kf_task *t);
/* call @fn for every task whose pid has a number in @ns.  (T) held. */
void kf_pid_ns_for_each_task(struct kf_pid_ns *ns, void (*fn)(struct kf_task *, void *),
			     void *arg);
/* kf_pid_ns_find_task - the task using number @nr in @ns, or NULL.  (T) */
struct kf_task *kf_pid_ns_find_task(struct kf_pid_ns *ns, int nr);
struct kf_pid *kf_pid_get(struct kf_pid *pid);
void kf_pid_put(struct kf_pid *pid);

/* pids as process groups and sessions (pid.c): @type is KF_PIDTYPE_*.
 * find_pid finds a number still taken by a group after its task is gone. */
struct kf_pid *kf_pid_ns_find_pid(struct kf_pid_ns *ns, int nr);	/* (T) */
void kf_pid_group_attach(struct kf_signal *sig, int type, struct kf_pid *pid); /* (T) */
void kf_pid_group_detach(struct kf_signal *sig, int type);		/* (T) */
struct kf_signal *kf_pid_group_first(struct kf_pid *pid, int type);	/* (T) */
struct kf_list *kf_pid_groups(struct kf_pid *pid, int type);		/* (T) */

/* kf_task_put - drop a task reference; the last one (kf_task_free) drops
 * every resource pointer still non-NULL (creds, pids, nsproxy, files...)
 * and frees the task.  Whoever drops a resource earlier sets its pointer
 * to NULL.  The host's side is released by kf_os_task_release (reap), not
 * here. */
void kf_task_put(struct kf_task *t);

/* signal disposition lookups used by exit_notify (siglock taken inside) */
bool kf_sig_ignored_or_nocldwait(struct kf_task *parent, int sig);
/* kf_sig_action_get - a copy of @t's disposition of @sig (1..64). */
void kf_sig_action_get(struct kf_task *t, int sig, struct kf_sigaction *out);

/* ---- provided by the exit side ------------------------------------------- */

/* kf_mm_release - the task stops using its address space (exit or exec):
 * CHILD_CLEARTID store + futex wake, then vfork completion. */
void kf_mm_release(struct kf_task *t);

/* kf_vfork_wait - the vfork parent sleeps (killably) until @child releases
 * its mm; called by the clone side after the child is started. */
void kf_vfork_wait(struct kf_task *child, struct kf_completion *done);

void kf_completion_init(struct kf_completion *c);
void kf_complete(struct kf_completion *c);

/* kf_release_task - reap a dead task: unlink, detach pid, drop refs. */
void kf_release_task(struct kf_task *t);

/* kf_task_flags - read t->flags of another task (PF_EXITING is set by the
 * task itself while others look). */
static inline unsigned kf_task_flags(const struct kf_task *t)
{
	return __atomic_load_n(&t->flags, __ATOMIC_ACQUIRE);
}

/* kf_cld_code - split wait status @status into siginfo's CLD_* code and
 * si_status (SIGCHLD and waitid report it the same way). */
static inline int kf_cld_code(int status, int *si_status)
{
	if ((status & 0x7f) == 0) {
		*si_status = (status >> 8) & 0xff;
		return KF_CLD_EXITED;
	}
	*si_status = status & 0x7f;
	return (status & 0x80) ? KF_CLD_DUMPED : KF_CLD_KILLED;
}

/* kf_notify_parent - tell @t's parent @t died (signal @sig, wake waiters);
 * true when nobody will wait and the caller must release @t.  (T) (exit.c) */
bool kf_notify_parent(struct kf_task *t, int sig);

/* kf_signal_leader - the group leader of thread group @s (which has a
 * thread while it is on a pid's lists).  (T) */
static inline struct kf_task *kf_signal_leader(struct kf_signal *s)
{
	return kf_list_entry(s->threads.next, struct kf_task,
			     thread_node)->group_leader;
}

/* ---- job control (jobctl.c, kill.c, pgrp.c) --------------------------------- */

/* kf_send_signal_locked - @sig to @t (its thread group if @group), with
 * the side effects on stop and continue; @force: from the kernel or an
 * ancestor pid namespace (an init takes SIGKILL/SIGSTOP).  (T) */
void kf_send_signal_locked(struct kf_task *t, int sig,
			   const struct kf_siginfo *info, bool group, bool force);
/* kf_notify_parent_cldstop - SIGCHLD (unless SA_NOCLDSTOP or ignored) and
 * a wake-up to @t's parent for @why, KF_CLD_STOPPED/CONTINUED.  (T) */
void kf_notify_parent_cldstop(struct kf_task *t, int why);
/* kf_jobctl_exiting - exiting @t leaves a group stop it was to join;
 * true when that completed it (tell the parent).  Siglock held. */
bool kf_jobctl_exiting(struct kf_task *t);
/* kf_jobctl_join - new thread @p joins its group's stop.  Siglock held. */
void kf_jobctl_join(struct kf_task *p);
/* kf_jobctl_group_exit - a group exit ends any stop of @s.  Siglock held. */
void kf_jobctl_group_exit(struct kf_signal *s);
/* kf_kill_pgrp_locked - @sig to every process of @pgrp with kill(2)'s
 * checks (for @info->code <= 0) and result.  (T) */
long kf_kill_pgrp_locked(struct kf_pid *pgrp, int sig,
			 const struct kf_siginfo *info);
/* kf_send_pdeath_locked - @t's parent-death signal @sig from current.  (T) */
void kf_send_pdeath_locked(struct kf_task *t, int sig);
/* kf_pgrp_orphaned - is @pgrp orphaned without @ignored?  (T) */
bool kf_pgrp_orphaned(struct kf_pid *pgrp, struct kf_task *ignored);
/* kf_kill_orphaned_pgrp - HUP+CONT @tsk's group if @tsk's exit (@parent
 * NULL) or its move away from @parent orphaned it with a member stopped. (T) */
void kf_kill_orphaned_pgrp(struct kf_task *tsk, struct kf_task *parent);

/* reparent.c: hand a dying task's children on; end a pid namespace. */
bool kf_is_last_ns_reaper(struct kf_task *t);			/* (T) */
void kf_forget_original_parent(struct kf_task *father, struct kf_list *dead); /* (T) */
void kf_zap_pid_ns(struct kf_task *me);				/* sleeps */

/* rusage.c: the accounting (all with the tasklist lock held) */
/* kf_rusage_release - fold reaped task @t's usage into its group. */
void kf_rusage_release(struct kf_task *t);
/* kf_rusage_reap - current reaps (@reap) or looks at (WNOWAIT) zombie
 * @p: @ru (may be NULL) gets p's SELF + CHILDREN usage, and a reap adds
 * it to current's children's totals. */
void kf_rusage_reap(struct kf_task *p, bool reap, struct kf_rusage *ru);
/* kf_rusage_note_maxrss - @sig's peak RSS is at least @mm's (the group's
 * last thread exits, or exec leaves @mm). */
void kf_rusage_note_maxrss(struct kf_signal *sig, struct kf_mm *mm);

/* kf_wait_reap_all - reap every child of current's group until none is
 * left, ignoring signals (pid-ns teardown).  (wait.c) */
void kf_wait_reap_all(void);

#endif /* KF_CORE_INTERNAL_H */
