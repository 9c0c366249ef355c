// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/jobctl.c - job control: what sending a signal does to a thread
 * group's stop state, group stop itself, and the parent's CLD_STOPPED and
 * CLD_CONTINUED.
 *
 * The host keeps what is pending and delivers it (kf_os.h); the core
 * decides what stop signals and SIGCONT mean, as Linux's kernel/signal.c:
 *  - sending (send_signal): a stop signal discards the group's pending
 *    SIGCONTs; a SIGCONT discards its pending stop signals and continues
 *    the group -- even when SIGCONT is blocked or ignored, only a handler
 *    waits for delivery.  A dying group takes nothing; an init takes
 *    SIGKILL and SIGSTOP only from the kernel or an ancestor namespace.
 *    A signal that kills by default, which a thread would take now, ends
 *    the group there and then (complete_signal).
 *  - a stop signal whose action is the default one (kf_signal_stop, when
 *    the host is about to deliver it) starts a group stop: every other
 *    thread is told (kf_os_signal_wake) and stops at its next
 *    kf_signal_jobctl; the last one to stop tells the parent; each sleeps
 *    until SIGCONT or SIGKILL.  In an orphaned process group, SIGTSTP,
 *    SIGTTIN and SIGTTOU are discarded instead.
 *  - the first thread to run after a continue tells the parent
 *    (kf_signal_jobctl).
 *  - a group has one stop/continue report slot, which wait.c reads:
 *    SIGNAL_STOP_STOPPED with group_exit_code, or SIGNAL_STOP_CONTINUED.
 *
 * Locking: a task's jobctl and its group's flags, group_stop_count and
 * group_exit_code are (S), the siglock its threads share; walking a
 * group's threads, and sending, need the tasklist lock too (taken first).
 */
#include "clone.h"

#define SIGBIT(s) (1ull << ((s) - 1))
#define STOP_SIGS (SIGBIT(KF_SIGSTOP) | SIGBIT(KF_SIGTSTP) | \
		   SIGBIT(KF_SIGTTIN) | SIGBIT(KF_SIGTTOU))

/* SIGKILL and SIGSTOP: no handler, no mask, no ignoring (sig_kernel_only) */
static bool sig_kernel_only(int sig)
{
	return sig == KF_SIGKILL || sig == KF_SIGSTOP;
}

/* is_global_init - @t is pid 1 of the initial pid namespace. */
static bool is_global_init(const struct kf_task *t)
{
	return kf_pid_nr_ns(t->tgid, &kf_init_pid_ns) == 1;
}

/* set_stop_flags - the one report slot becomes @flags (Linux's
 * signal_set_stop_flags): a stop replaces a continue and vice versa. */
static void set_stop_flags(struct kf_signal *s, unsigned flags)
{
	s->flags = (s->flags & ~KF_SIGNAL_STOP_MASK) | flags;
}

/* ---- sending ------------------------------------------------------------------ */

/* flush_group - discard the signals of @mask pending for any thread of
 * @t's group or for the group.  (T) and siglock. */
static void flush_group(struct kf_task *t, uint64_t mask)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &t->signal->threads)
		kf_os_signal_flush(kf_list_entry(pos, struct kf_task,
						 thread_node), mask);
}

/*
 * continue_group - a SIGCONT for @t's group: drop its pending stop
 * signals, cancel a group stop under way and wake every stopped thread.
 * A group that was stopped (or half-way there) fills its report slot
 * with "continued" and leaves the parent's notification to the first
 * thread that runs.  (T) and siglock.
 */
static void continue_group(struct kf_task *t)
{
	struct kf_signal *s = t->signal;
	struct kf_list *pos;
	unsigned why = 0;

	kf_list_for_each(pos, &s->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		kf_os_signal_flush(o, STOP_SIGS);
		o->jobctl &= ~(KF_JOBCTL_STOP_PENDING | KF_JOBCTL_STOP_CONSUME |
			       KF_JOBCTL_STOPPED);
	}
	kf_os_wake_all(&s->wait_stop);

	/* a stop that was not complete yet is reported as complete: one
	 * SIGCHLD says "stopped", the "continued" one is as if lost */
	if (s->flags & KF_SIGNAL_STOP_STOPPED)
		why = KF_SIGNAL_CLD_CONTINUED;
	else if (s->group_stop_count)
		why = KF_SIGNAL_CLD_STOPPED;
	if (why) {
		set_stop_flags(s, why | KF_SIGNAL_STOP_CONTINUED);
		s->group_stop_count = 0;
		s->group_exit_code = 0;
	}
}

/* init_drops - is @sig lost on @t because @t is an init?  SIGKILL and
 * SIGSTOP never reach the initial namespace's init, and reach another
 * namespace's only when @force (from the kernel or an ancestor
 * namespace).  Other signals an init ignores by default are the host's to
 * drop at delivery, where it knows the mask.  (S) */
static bool init_drops(const struct kf_task *t, int sig, bool force)
{
	if (!sig_kernel_only(sig))
		return false;
	if (is_global_init(t))
		return true;
	return (t->signal->flags & KF_SIGNAL_UNKILLABLE) && !force;
}

/*
 * prepare_signal - Linux's prepare_signal: the side effects of sending
 * @sig to @t's group, and whether it is to be queued at all.  A group
 * that is dying (a group exit, or no thread left running) takes nothing.
 * (T) and @t's siglock.
 */
static bool prepare_signal(struct kf_task *t, int sig, bool force)
{
	struct kf_signal *s = t->signal;

	if ((s->flags & KF_SIGNAL_GROUP_EXIT) || kf_atomic_read(&s->live) == 0)
		return false;
	if (kf_sig_is_stop(sig))
		flush_group(t, SIGBIT(KF_SIGCONT));
	else if (sig == KF_SIGCONT)
		continue_group(t);
	return !init_drops(t, sig, force);
}

/* group_target - the thread a group signal is queued on: @t, unless it
 * is exiting (a zombie leader whose threads live on) and another is not.
 * (T) */
static struct kf_task *group_target(struct kf_task *t)
{
	struct kf_list *pos;

	if (!(kf_task_flags(t) & KF_PF_EXITING))
		return t;
	kf_list_for_each(pos, &t->signal->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		if (!(kf_task_flags(o) & KF_PF_EXITING))
			return o;
	}
	return t;
}

/* default_kills - does @sig's default action end the process without a
 * core dump (neither ignore, stop nor core: Linux's sig_fatal masks)? */
static bool default_kills(int sig)
{
	switch (sig) {
	case KF_SIGCHLD: case KF_SIGCONT: case 23 /* URG */: case 28 /* WINCH */:
	case KF_SIGSTOP: case KF_SIGTSTP: case KF_SIGTTIN: case KF_SIGTTOU:
	case KF_SIGQUIT: case KF_SIGILL: case KF_SIGTRAP: case KF_SIGABRT:
	case KF_SIGBUS: case KF_SIGFPE: case KF_SIGSEGV: case 24 /* XCPU */:
	case 25 /* XFSZ */: case 31 /* SYS */:
		return false;
	default:
		return true;
	}
}

/* ignored_now - would @t's group ignore @sig if it were delivered now
 * (SIG_IGN, or SIG_DFL whose default is to ignore)?  Siglock held. */
static bool ignored_now(struct kf_task *t, int sig)
{
	uintptr_t h = t->sighand->action[sig - 1].handler;

	if (h == KF_SIG_IGN)
		return true;
	return h == KF_SIG_DFL && (sig == KF_SIGCHLD || sig == KF_SIGCONT ||
				   sig == 23 /* URG */ || sig == 28 /* WINCH */);
}

/*
 * wants_signal - would the thread @t take @sig now (Linux's wants_signal,
 * with real_blocked): it does not block it, is not exiting, is not
 * stopped -- a stopped group keeps even a fatal signal pending until
 * SIGCONT -- and, unless it is the caller, has no other signal it would
 * act on pending already (that one goes first; the new one waits its
 * turn).  Asked before @sig is queued.  Siglock held.
 */
static bool wants_signal(struct kf_task *t, int sig)
{
	uint64_t pending, mask;

	if (kf_task_flags(t) & KF_PF_EXITING)
		return false;
	if (sig == KF_SIGKILL)
		return true;
	mask = kf_os_signal_mask(t, &pending);
	if ((mask & SIGBIT(sig)) || (t->jobctl & KF_JOBCTL_STOPPED))
		return false;
	if (t == kf_current())
		return true;
	pending &= ~mask;
	while (pending) {
		int s = __builtin_ctzll(pending) + 1;

		pending &= pending - 1;
		if (!ignored_now(t, s))
			return false;
	}
	return true;
}

/*
 * fatal_target - Linux's complete_signal for a signal that will kill: if
 * @sig, about to be queued for @t (its group if @group), has its default
 * action there and that action kills without a core dump, the thread that
 * would take it now (@t, else for a group any that wants it), or NULL.
 * An init does not die of a signal it has no handler for (SIGKILL only
 * gets here when init_drops let it).  (T) and siglock.
 */
static struct kf_task *fatal_target(struct kf_task *t, int sig, bool group)
{
	struct kf_signal *s = t->signal;
	struct kf_list *pos;

	if (!default_kills(sig) || (s->flags & KF_SIGNAL_GROUP_EXIT) ||
	    s->group_exec_task)
		return NULL;
	if (t->sighand->action[sig - 1].handler != KF_SIG_DFL)
		return NULL;
	if (sig != KF_SIGKILL &&
	    ((s->flags & KF_SIGNAL_UNKILLABLE) || is_global_init(t)))
		return NULL;
	if (wants_signal(t, sig))
		return t;
	if (!group)
		return NULL;
	kf_list_for_each(pos, &s->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		if (wants_signal(o, sig))
			return o;
	}
	return NULL;
}

/*
 * group_kill - the group exit starts at once: @t's group's code becomes
 * @sig and every thread gets SIGKILL, so a sender in the group never
 * returns to user space and a vfork parent dies in its wait.  (T) and
 * siglock.
 */
static void group_kill(struct kf_task *t, int sig)
{
	struct kf_signal *s = t->signal;
	struct kf_list *pos;

	s->group_exit_code = sig;
	s->flags |= KF_SIGNAL_GROUP_EXIT;
	kf_jobctl_group_exit(s);
	kf_list_for_each(pos, &s->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		if (!o->exit_state)
			kf_os_signal(o, KF_SIGKILL, NULL, false);
	}
}

/*
 * kf_send_signal_locked - send @sig to @t (to its thread group if
 * @group): the side effects, then the host queues it -- a group signal on
 * a thread that is still alive -- and a signal that kills ends the group
 * at once (fatal_target, group_kill).  @force: from the kernel or an
 * ancestor pid namespace.  A reaped @t takes nothing.  (T)
 */
void kf_send_signal_locked(struct kf_task *t, int sig,
			   const struct kf_siginfo *info, bool group, bool force)
{
	unsigned long irq;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!t->sighand || !t->signal || sig < 1 || sig > KF_NSIG)
		return;
	if (group)
		t = group_target(t);
	irq = kf_os_spin_lock(&t->sighand->siglock);
	if (prepare_signal(t, sig, force)) {
		bool kills = fatal_target(t, sig, group) != NULL;

		kf_os_signal(t, sig, info, group);
		if (kills)
			group_kill(t, sig);
	}
	kf_os_spin_unlock(&t->sighand->siglock, irq);
}

void kf_signal_send(struct kf_task *t, int sig, const struct kf_siginfo *info,
		    bool group)
{
	unsigned long f = kf_tasklist_lock_irq();

	kf_send_signal_locked(t, sig, info, group, true);
	kf_tasklist_unlock_irq(f);
}

/* ---- telling the parent ---------------------------------------------------- */

/*
 * kf_notify_parent_cldstop - @t's group stopped or continued (@why,
 * CLD_STOPPED or CLD_CONTINUED): the group leader's parent gets SIGCHLD
 * unless it ignores SIGCHLD or set SA_NOCLDSTOP, and its waiters are
 * woken either way.  (T)
 */
void kf_notify_parent_cldstop(struct kf_task *t, int why)
{
	struct kf_task *leader = t->group_leader;
	struct kf_task *parent = leader->real_parent;
	struct kf_siginfo info = { .signo = KF_SIGCHLD, .code = why };
	struct kf_sigaction ka;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!parent)
		return;
	info.pid = kf_pid_nr_ns(leader->pid, kf_task_active_pid_ns(parent));
	info.uid = (int)kf_from_kuid(parent->cred->user_ns, leader->cred->uid);
	info.status = why == KF_CLD_CONTINUED ? KF_SIGCONT :
		      t->signal->group_exit_code & 0x7f;
	kf_sig_action_get(parent, KF_SIGCHLD, &ka);
	if (ka.handler != KF_SIG_IGN && !(ka.flags & KF_SA_NOCLDSTOP))
		kf_send_signal_locked(parent, KF_SIGCHLD, &info, true, false);
	kf_os_wake_all(&parent->signal->wait_chldexit);
}

/* ---- group stop ---------------------------------------------------------------- */

/* set_jobctl_pending - ask @t to join the group stop; not a thread that is
 * exiting or being killed.  Siglock held. */
static bool set_jobctl_pending(struct kf_task *t)
{
	if (kf_os_fatal_signal_pending(t) || (kf_task_flags(t) & KF_PF_EXITING))
		return false;
	t->jobctl |= KF_JOBCTL_STOP_PENDING | KF_JOBCTL_STOP_CONSUME;
	return true;
}

/*
 * participate - @t takes its part in the group stop (stopping or
 * exiting).  True when it was the last of a fresh stop: the group is now
 * stopped and @t must tell the parent.  Siglock held.
 */
static bool participate(struct kf_task *t)
{
	struct kf_signal *s = t->signal;
	bool consume = t->jobctl & KF_JOBCTL_STOP_CONSUME;

	t->jobctl &= ~(KF_JOBCTL_STOP_PENDING | KF_JOBCTL_STOP_CONSUME);
	if (!consume)
		return false;
	if (s->group_stop_count > 0)
		s->group_stop_count--;
	if (!s->group_stop_count && !(s->flags & KF_SIGNAL_STOP_STOPPED)) {
		set_stop_flags(s, KF_SIGNAL_STOP_STOPPED);
		return true;
	}
	return false;
}

/*
 * kf_jobctl_exiting - @t (current, now PF_EXITING) will not stop: if it
 * was still to join a group stop, it counts as stopped.  True when that
 * completed the stop: the caller tells the parent (CLD_STOPPED) once it
 * holds the tasklist lock.  Siglock held.
 */
bool kf_jobctl_exiting(struct kf_task *t)
{
	if (!(t->jobctl & KF_JOBCTL_STOP_PENDING))
		return false;
	return participate(t);
}

static bool not_stopped(void *arg)
{
	struct kf_task *me = arg;
	unsigned long irq = kf_os_spin_lock(&me->sighand->siglock);
	bool r = !(me->jobctl & KF_JOBCTL_STOPPED);

	kf_os_spin_unlock(&me->sighand->siglock, irq);
	return r;
}

/* stopped_sleep - @me (current) sleeps stopped until a SIGCONT clears
 * KF_JOBCTL_STOPPED, or SIGKILL ends the sleep (and the stop with it).
 * No lock held. */
static void stopped_sleep(struct kf_task *me)
{
	unsigned long irq;

	if (kf_os_wait(&me->signal->wait_stop, not_stopped, me,
		       KF_WAIT_KILLABLE) == 0)
		return;
	irq = kf_os_spin_lock(&me->sighand->siglock);
	me->jobctl &= ~KF_JOBCTL_STOPPED;
	kf_os_spin_unlock(&me->sighand->siglock, irq);
}

/*
 * do_signal_stop - Linux's do_signal_stop: @me (current) starts a group
 * stop for stop signal @signr, or joins the one under way (@signr 0),
 * then sleeps stopped.  Starting one records @signr as the report (unless
 * the group is stopped already: no second report) and asks every other
 * thread that is not stopped to join.  Entered with the tasklist lock
 * (@f) and the siglock (@irq) held; returns with neither, true when @me
 * stopped, false when there was nothing to do (no stop under way, or the
 * group is dying).
 */
static bool do_signal_stop(struct kf_task *me, int signr, unsigned long f,
			   unsigned long irq)
{
	struct kf_signal *s = me->signal;
	struct kf_list *pos;
	bool notify;

	if (!(me->jobctl & KF_JOBCTL_STOP_PENDING)) {
		if (!signr || (s->flags & KF_SIGNAL_GROUP_EXIT)) {
			kf_os_spin_unlock(&me->sighand->siglock, irq);
			kf_tasklist_unlock_irq(f);
			return false;
		}
		if (!(s->flags & KF_SIGNAL_STOP_STOPPED))
			s->group_exit_code = signr;
		s->group_stop_count = 0;
		if (set_jobctl_pending(me))
			s->group_stop_count++;
		kf_list_for_each(pos, &s->threads) {
			struct kf_task *t = kf_list_entry(pos, struct kf_task,
							  thread_node);

			if (t == me || (t->jobctl & KF_JOBCTL_STOPPED))
				continue;
			if (set_jobctl_pending(t)) {
				s->group_stop_count++;
				kf_os_signal_wake(t);
			}
		}
	}
	notify = participate(me);
	me->jobctl |= KF_JOBCTL_STOPPED;
	kf_os_spin_unlock(&me->sighand->siglock, irq);
	if (notify)
		kf_notify_parent_cldstop(me, KF_CLD_STOPPED);
	kf_tasklist_unlock_irq(f);

	stopped_sleep(me);
	return true;
}

/* jobctl_idle - nothing for kf_signal_jobctl to do: a lock-free look,
 * which the siglock confirms (whoever sets either bit also wakes @me). */
static bool jobctl_idle(struct kf_task *me)
{
	return !(__atomic_load_n(&me->jobctl, __ATOMIC_ACQUIRE) &
		 KF_JOBCTL_STOP_PENDING) &&
	       !(__atomic_load_n(&me->signal->flags, __ATOMIC_ACQUIRE) &
		 KF_SIGNAL_CLD_MASK);
}

bool kf_signal_jobctl(void)
{
	struct kf_task *me = kf_current();
	struct kf_signal *s = me->signal;
	bool stopped = false;
	unsigned long f, irq;
	int why;

	if (me == &kf_boot_task)
		return false;
	while (!jobctl_idle(me)) {
		f = kf_tasklist_lock_irq();
		irq = kf_os_spin_lock(&me->sighand->siglock);
		if (s->flags & KF_SIGNAL_CLD_MASK) {
			/* the first thread to run after a continue tells */
			why = (s->flags & KF_SIGNAL_CLD_CONTINUED) ?
			      KF_CLD_CONTINUED : KF_CLD_STOPPED;
			s->flags &= ~KF_SIGNAL_CLD_MASK;
			kf_os_spin_unlock(&me->sighand->siglock, irq);
			kf_notify_parent_cldstop(me, why);
			kf_tasklist_unlock_irq(f);
			continue;
		}
		if (kf_os_fatal_signal_pending(me) ||
		    (s->flags & KF_SIGNAL_GROUP_EXIT)) {
			/* dying: the host acts on the SIGKILL */
			kf_os_spin_unlock(&me->sighand->siglock, irq);
			kf_tasklist_unlock_irq(f);
			break;
		}
		if (!do_signal_stop(me, 0, f, irq))
			break;
		stopped = true;
	}
	return stopped;
}

/*
 * is_current_pgrp_orphaned - would a stop signal be discarded?  SIGTSTP,
 * SIGTTIN and SIGTTOU are, in an orphaned process group (nobody outside
 * it in the session could continue it).  (T)
 */
static bool is_current_pgrp_orphaned(void)
{
	struct kf_pid *pgrp = kf_task_pgrp(kf_current());

	return pgrp && kf_pgrp_orphaned(pgrp, NULL);
}

bool kf_signal_stop(int sig)
{
	struct kf_task *me = kf_current();
	unsigned long f, irq;
	bool taken;

	if (me == &kf_boot_task || !kf_sig_is_stop(sig))
		return false;
	f = kf_tasklist_lock_irq();
	if (sig != KF_SIGSTOP && is_current_pgrp_orphaned()) {
		irq = kf_os_spin_lock(&me->sighand->siglock);
		kf_os_signal_flush(me, SIGBIT(sig));
		kf_os_spin_unlock(&me->sighand->siglock, irq);
		kf_tasklist_unlock_irq(f);
		return false;
	}
	irq = kf_os_spin_lock(&me->sighand->siglock);
	/* taking it off the queues under the siglock: a SIGCONT sent since
	 * the host looked has discarded it, and then nothing stops */
	taken = kf_os_signal_flush(me, SIGBIT(sig));
	if (!taken) {
		kf_os_spin_unlock(&me->sighand->siglock, irq);
		kf_tasklist_unlock_irq(f);
		return false;
	}
	if (!do_signal_stop(me, sig, f, irq))
		return false;
	kf_signal_jobctl();	/* the continue's report, or the next stop */
	return true;
}

/* kf_jobctl_join - a new thread @p of current's group joins a group stop
 * under way, or the stop the group is in (Linux's task_join_group_stop).
 * Siglock held. */
void kf_jobctl_join(struct kf_task *p)
{
	struct kf_signal *s = p->signal;

	if (s->group_stop_count) {
		s->group_stop_count++;
		p->jobctl |= KF_JOBCTL_STOP_PENDING | KF_JOBCTL_STOP_CONSUME;
	} else if (s->flags & KF_SIGNAL_STOP_STOPPED) {
		p->jobctl |= KF_JOBCTL_STOP_PENDING;
	}
}

/* kf_jobctl_group_exit - a group exit overrides any stop: no thread is to
 * join one, and no stop or continue is reported any more.  Siglock held. */
void kf_jobctl_group_exit(struct kf_signal *s)
{
	struct kf_list *pos;

	s->group_stop_count = 0;
	set_stop_flags(s, 0);
	kf_list_for_each(pos, &s->threads) {
		struct kf_task *t = kf_list_entry(pos, struct kf_task, thread_node);

		t->jobctl &= ~(KF_JOBCTL_STOP_PENDING | KF_JOBCTL_STOP_CONSUME);
	}
}
