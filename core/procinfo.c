// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/procinfo.c - a read-only view of the task list for hosts: what a
 * kernel's ps, /proc or debugger shows.  Numbers are as the calling task's
 * pid namespace sees them; tasks it cannot see are skipped.
 */
#include <kf/mm.h>
#include "internal.h"
#include "clone.h"

static char task_state(const struct kf_task *t)
{
	if (t->exit_state == KF_EXIT_ZOMBIE)
		return 'Z';
	if (t->exit_state == KF_EXIT_DEAD)
		return 'X';
	if (__atomic_load_n(&t->jobctl, __ATOMIC_RELAXED) & KF_JOBCTL_STOPPED)
		return 'T';
	return t->state == KF_TASK_NEW ? 'N' : 'R';
}

/* fill_info - (T) held, so parent links and pids are stable.  A reaped
 * task's links are gone (its parent may be freed) and its numbers were
 * given back: only its state is reported. */
static void fill_info(struct kf_task *t, const struct kf_pid_ns *ns,
		      struct kf_task_info *out)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!t->real_parent) {
		*out = (struct kf_task_info){ .state = 'X', .task = t };
		return;
	}
	out->pid = kf_pid_nr_ns(t->pid, ns);
	out->tgid = kf_pid_nr_ns(t->tgid, ns);
	out->ppid = kf_pid_nr_ns(t->real_parent->tgid, ns);
	out->ns_pid = kf_pid_nr(t->pid);
	out->pgid = kf_task_pgrp(t) ? kf_pid_nr_ns(kf_task_pgrp(t), ns) : 0;
	out->sid = kf_task_session(t) ? kf_pid_nr_ns(kf_task_session(t), ns) : 0;
	out->state = task_state(t);
	out->nr_threads = t->signal ? t->signal->nr_threads : 0;
	out->exit_signal = t->exit_signal;
	out->exit_code = t->exit_code;
	if (t->cred) {
		const struct kf_cred *c = t->cred;

		out->uid = c->uid;
		out->euid = c->euid;
		out->suid = c->suid;
		out->fsuid = c->fsuid;
		out->gid = c->gid;
		out->egid = c->egid;
		out->sgid = c->sgid;
		out->fsgid = c->fsgid;
	}
	out->min_flt = (unsigned long)__atomic_load_n(&t->min_flt,
						       __ATOMIC_RELAXED);
	out->task = t;
}

int kf_task_info(struct kf_task *t, struct kf_task_info *out)
{
	const struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	unsigned long irq = kf_tasklist_lock_irq();

	__builtin_memset(out, 0, sizeof(*out));
	fill_info(t, ns, out);
	kf_tasklist_unlock_irq(irq);
	return out->pid ? 0 : -KF_ESRCH;
}

/*
 * kf_for_each_task - call @fn once per task the caller's pid namespace can
 * see, in creation order, with the tasklist lock held: @fn must not sleep or
 * call back into the core.  Returns the number of tasks reported.
 */
int kf_for_each_task(void (*fn)(const struct kf_task_info *, void *), void *arg)
{
	const struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	struct kf_task_info info;
	struct kf_list *pos;
	unsigned long irq;
	int n = 0;

	irq = kf_tasklist_lock_irq();
	kf_list_for_each(pos, &kf_all_tasks) {
		struct kf_task *t = kf_list_entry(pos, struct kf_task, all_node);

		__builtin_memset(&info, 0, sizeof(info));
		fill_info(t, ns, &info);
		if (!info.pid)
			continue;
		fn(&info, arg);
		n++;
	}
	kf_tasklist_unlock_irq(irq);
	return n;
}

/* kf_task_get_mm - get_task_mm: the tasklist lock keeps t->mm and its
 * user count from going between the read and the get (exit clears the
 * pointer under it before dropping its user). */
struct kf_mm *kf_task_get_mm(struct kf_task *t)
{
	unsigned long irq = kf_tasklist_lock_irq();
	struct kf_mm *mm = t->mm;

	if (mm)
		kf_mm_get(mm);
	kf_tasklist_unlock_irq(irq);
	return mm;
}

uint64_t kf_task_clone_flags(struct kf_task *t)
{
	return t->clone_flags;
}

/*
 * kf_task_ns_pids - @t's thread id (@group: its thread group's id) as the
 * caller's pid namespace numbers it, then in each namespace nested below
 * down to @t's own: /proc's NSpid and NStgid lines, a pidfd's fdinfo.
 * Stores at most @max numbers, outermost first; returns how many there
 * are, 0 when the caller cannot see @t or @t was reaped.
 */
int kf_task_ns_pids(struct kf_task *t, bool group, int *nrs, int max)
{
	const struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	unsigned long irq = kf_tasklist_lock_irq();
	int n = 0;

	if (t->real_parent) {
		const struct kf_pid *pid = group ? t->tgid : t->pid;

		n = kf_pid_nrs_ns(pid, ns, nrs, max);
	}
	kf_tasklist_unlock_irq(irq);
	return n;
}
