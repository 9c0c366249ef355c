// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/procinfo.c - a read-only view of the task list for hosts: what a
 * kernel's ps, /proc or debugger shows.  Numbers are as the calling task's
 * pid namespace sees them; tasks it cannot see are skipped.
 */
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
	out->uid = t->cred ? t->cred->uid : 0;
	out->task = t;
}

int kf_task_info(struct kf_task *t, struct kf_task_info *out)
{
	const struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	unsigned long irq = kf_tasklist_lock_irq();

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

		fill_info(t, ns, &info);
		if (!info.pid)
			continue;
		fn(&info, arg);
		n++;
	}
	kf_tasklist_unlock_irq(irq);
	return n;
}
