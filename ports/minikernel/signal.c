// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/signal.c - signal queues, delivery and the signal
 * system calls.  kfork's core keeps the dispositions (kf_sigaction, shared
 * by CLONE_SIGHAND); the port keeps what is pending and blocked, and runs
 * handlers with the arch's frames (board_signal_setup/board_sigreturn).
 *
 * Pending signals: one bit per signal per thread (thread-directed: tkill,
 * faults, the core's SIGKILL of other threads) and per thread group
 * (kill, SIGCHLD).  A second instance of a pending standard signal is
 * dropped (the first one's siginfo stays), as Linux does; real-time
 * signals (32..64) queue, each with its own siginfo, up to the receiver
 * user's RLIMIT_SIGPENDING (kfork's kf_sigpending_charge), past which
 * rt_sigqueueinfo fails with EAGAIN and kill's signal arrives without its
 * siginfo.  A group SIGKILL marks every thread.  Delivery takes the
 * thread's own signals before its group's, the synchronous ones (faults)
 * first, then the lowest number: Linux's dequeue_signal.
 *
 * Ignored signals (SIG_IGN, or SIG_DFL whose default is to ignore) are
 * dropped when the thread next looks at its signals -- Linux drops them
 * when they are sent, but the sender may hold the siglock kf_sigaction
 * needs.  The effect is the same: they never interrupt a sleep and never
 * run.
 *
 * Job control is kfork's (<kf/kf.h>): kill and friends go through the
 * core, which discards what a SIGCONT or a stop signal overrides
 * (kf_os_signal_flush) and continues a stopped group; on the way back to
 * user space every thread calls kf_signal_jobctl, and a stop signal at its
 * default action goes to kf_signal_stop, which stops the whole group (the
 * thread sleeps in the core until SIGCONT or SIGKILL).  kf_os_signal_wake
 * marks a thread that has a group stop to join: it counts as a pending
 * signal until the thread has been through kf_signal_jobctl.
 *
 * An init (pid 1 of its namespace) is protected as on Linux: a signal
 * whose action is the default one is ignored, except SIGKILL and SIGSTOP
 * from the kernel or an ancestor namespace (the core drops them
 * otherwise), and a fault's signal.
 *
 * sigaltstack: each thread may name an alternate stack, which handlers
 * installed with SA_ONSTACK run on (the boards build their frames there,
 * mk_sigsp); a thread created sharing the address space starts without
 * one, an exec drops it, and rt_sigreturn restores what the frame saved.
 *
 * Every change of the bits happens with interrupts off; with one CPU that
 * is the only lock they need.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/arch/abi.h>
#include <mk/board.h>
#include <mk/proc.h>

#define SIGBIT(s) (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(KF_SIGKILL) | SIGBIT(KF_SIGSTOP))
#define SIGRTMIN 32
/* the signals a fault raises: Linux dequeues them before any other */
#define SYNCHRONOUS (SIGBIT(KF_SIGSEGV) | SIGBIT(KF_SIGBUS) | SIGBIT(KF_SIGILL) | \
		     SIGBIT(KF_SIGTRAP) | SIGBIT(KF_SIGFPE) | SIGBIT(31) /* SIGSYS */)
#define MK_SIG_BLOCK 0
#define MK_SIG_UNBLOCK 1
#define MK_SIG_SETMASK 2
#define MK_SI_USER 0
#define MK_SI_KERNEL 0x80
#define MK_SI_QUEUE (-1)
#define MK_SI_TKILL (-6)
#define MK_EINTR 4
#define MK_SS_ONSTACK 1
#define MK_SS_DISABLE 2
#define MK_SS_AUTODISARM (1u << 31)

bool mk_sig_default_ignored(int sig)
{
	switch (sig) {
	case KF_SIGCHLD: case KF_SIGCONT:
	case 23: /* SIGURG */ case 28: /* SIGWINCH */
		return true;
	default:
		return false;
	}
}

static bool sig_valid(long sig)
{
	return sig >= 1 && sig <= KF_NSIG;
}

/* ---- Sending --------------------------------------------------------------------- */

/* may_interrupt - does @sig end @t's current sleep?  IRQs off. */
static void wake_for(struct mk_thread *t, int sig)
{
	if (t->state != MK_THREAD_SLEEPING)
		return;
	if (t->wait_mode == KF_WAIT_INTERRUPTIBLE ||
	    (t->wait_mode == KF_WAIT_KILLABLE && sig == KF_SIGKILL))
		mk_thread_wake(t);
}

/*
 * queue - @sig joins the pending set @set (with @infos, @rtq) of a thread
 * or group: a standard signal already pending is dropped, a real-time one
 * takes queue entry @q (NULL: it arrives without its siginfo).  IRQs off.
 */
static void queue(uint64_t *set, struct mk_siginfo *infos, struct mk_list *rtq,
		  int sig, const struct mk_siginfo *info, struct mk_sigq *q)
{
	if (sig < SIGRTMIN) {
		if (!(*set & SIGBIT(sig)))
			infos[sig - 1] = *info;
	} else if (q) {
		q->sig = sig;
		q->info = *info;
		mk_list_add_tail(&q->node, rtq);
	}
	*set |= SIGBIT(sig);
}

/*
 * rt_entry - a queue entry for real-time @sig to @task, charged to its
 * user's RLIMIT_SIGPENDING; NULL when memory or the limit says no (or the
 * receiver can no longer dequeue it).  Allocated before the bits are
 * touched; never uncharged here (the caller may hold the core's locks).
 */
static struct mk_sigq *rt_entry(struct kf_task *task, struct mk_thread *t,
				int sig, bool group)
{
	struct mk_sigq *q;

	if (sig < SIGRTMIN || (group ? t->proc->live == 0 : !t->task))
		return NULL;
	/* rt_sigqueueinfo reserved one before it went through kfork */
	if (mk_current()->sigq_spare) {
		q = mk_current()->sigq_spare;
		mk_current()->sigq_spare = NULL;
		return q;
	}
	q = mk_alloc(sizeof(*q));
	if (!q)
		return NULL;
	q->charge = kf_sigpending_charge(task, false);
	if (!q->charge) {
		mk_free(q, sizeof(*q));
		return NULL;
	}
	return q;
}

int mk_send_signal(struct kf_task *task, int sig, const struct mk_siginfo *info,
		   bool group)
{
	struct mk_thread *t = mk_task_thread(task), *o;
	struct mk_siginfo kinfo = { .code = MK_SI_KERNEL, .force = true };
	struct mk_sigq *q;
	struct mk_proc *p;
	struct mk_list *pos;
	unsigned long flags;

	if (!t || !t->proc || !sig_valid(sig))
		return 0;	/* the boot task takes no signals */
	if (!info)
		info = &kinfo;
	/* an init cannot be killed from inside its namespace */
	if (sig == KF_SIGKILL && !info->force && kf_task_tgid(task) == 1)
		return 0;
	p = t->proc;
	q = rt_entry(task, t, sig, group);
	/* rt_sigqueueinfo's real-time signal must arrive with its siginfo */
	if (!q && sig >= SIGRTMIN && info->user && info->code != MK_SI_USER)
		return -KF_EAGAIN;
	flags = kf_arch_irq_save();
	if (group && sig == KF_SIGKILL) {
		/* fatal to every thread at once */
		for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
			o = mk_container_of(pos, struct mk_thread, proc_node);
			queue(&o->pending, o->info, &o->rtq, sig, info, NULL);
			wake_for(o, sig);
		}
	} else if (group) {
		queue(&p->shared_pending, p->shared_info, &p->shared_rtq, sig,
		      info, q);
		for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
			o = mk_container_of(pos, struct mk_thread, proc_node);
			if (!(o->blocked & SIGBIT(sig)))
				wake_for(o, sig);
		}
	} else {
		queue(&t->pending, t->info, &t->rtq, sig, info, q);
		if (!(t->blocked & SIGBIT(sig)) || sig == KF_SIGKILL)
			wake_for(t, sig);
	}
	kf_arch_irq_restore(flags);
	return 0;
}

/* kfork's hook: the core signals a parent (SIGCHLD, pdeath) or kills. */
void kf_os_signal(struct kf_task *t, int sig, const struct kf_siginfo *info,
		  bool group)
{
	struct mk_siginfo i = { .code = MK_SI_KERNEL, .force = true };

	if (info && info->host) {
		/* rt_sigqueueinfo's: the sender's siginfo as it wrote it */
		i = *(const struct mk_siginfo *)info->host;
		i.force = true;
	} else if (info) {
		i.code = info->code;
		i.pid = info->pid;
		i.uid = info->uid;
		i.status = info->status;
	}
	(void)mk_send_signal(t, sig, &i, group);
}

/* kfork's hook: a SIGCONT or a stop signal discards these. */
bool kf_os_signal_flush(struct kf_task *task, uint64_t mask)
{
	struct mk_thread *t = mk_task_thread(task);
	unsigned long flags;
	bool had;

	if (!t || !t->proc)
		return false;
	flags = kf_arch_irq_save();
	had = ((t->pending | t->proc->shared_pending) & mask) != 0;
	t->pending &= ~mask;
	t->proc->shared_pending &= ~mask;
	kf_arch_irq_restore(flags);
	return had;
}

/* kfork's hook: @task has a group stop to join; an interruptible sleep
 * ends as for a signal. */
void kf_os_signal_wake(struct kf_task *task)
{
	struct mk_thread *t = mk_task_thread(task);
	unsigned long flags;

	if (!t || !t->proc)
		return;
	flags = kf_arch_irq_save();
	t->jobctl_wake = true;
	if (t->state == MK_THREAD_SLEEPING &&
	    t->wait_mode == KF_WAIT_INTERRUPTIBLE)
		mk_thread_wake(t);
	kf_arch_irq_restore(flags);
}

/* kfork's hook: the mask (with what an rt_sigtimedwait put aside) and
 * what is pending for the thread and its process. */
uint64_t kf_os_signal_mask(struct kf_task *task, uint64_t *pending)
{
	struct mk_thread *t = mk_task_thread(task);
	unsigned long flags;
	uint64_t mask;

	*pending = 0;
	if (!t || !t->proc)
		return 0;
	flags = kf_arch_irq_save();
	mask = t->blocked | t->real_blocked;
	*pending = t->pending | t->proc->shared_pending;
	kf_arch_irq_restore(flags);
	return mask;
}

bool mk_fatal_pending(struct mk_thread *t)
{
	return t && (t->pending & SIGBIT(KF_SIGKILL));
}

bool kf_os_fatal_signal_pending(struct kf_task *t)
{
	return mk_fatal_pending(mk_task_thread(t));
}

/* ---- Looking at one's own signals ---------------------------------------------------- */

/* kfork's hook at the start of a fork: a pending signal the running thread
 * would act on (SIGKILL, or unblocked and not ignored) makes the fork
 * return ERESTARTNOINTR, which mk_signal_deliver always restarts. */
bool kf_os_signal_pending(void)
{
	return mk_signal_pending(KF_WAIT_INTERRUPTIBLE);
}

static uint64_t deliverable(const struct mk_thread *t)
{
	return (t->pending | t->proc->shared_pending) & ~t->blocked;
}

static bool sig_ignored(int sig)
{
	struct kf_sigaction ka;

	if (sig == KF_SIGKILL)
		return false;
	kf_sigaction(sig, NULL, &ka);
	return ka.handler == KF_SIG_IGN ||
	       (ka.handler == KF_SIG_DFL && mk_sig_default_ignored(sig));
}

/* sigq_free - a queue entry leaves the queue for good.  No lock held. */
static void sigq_free(struct mk_sigq *q)
{
	if (q->charge)
		kf_sigpending_uncharge(q->charge);
	mk_free(q, sizeof(*q));
}

/* take_entry - the first entry of @sig in @rtq, unlinked, or NULL.  IRQs
 * off. */
static struct mk_sigq *take_entry(struct mk_list *rtq, int sig)
{
	struct mk_list *pos;

	for (pos = rtq->next; pos != rtq; pos = pos->next) {
		struct mk_sigq *q = mk_container_of(pos, struct mk_sigq, node);

		if (q->sig == sig) {
			mk_list_del(&q->node);
			return q;
		}
	}
	return NULL;
}

static bool has_entry(const struct mk_list *rtq, int sig)
{
	const struct mk_list *pos;

	for (pos = rtq->next; pos != rtq; pos = pos->next)
		if (mk_container_of(pos, struct mk_sigq, node)->sig == sig)
			return true;
	return false;
}

/* drop_all - forget @sig in a pending set: its bit and every queued
 * instance (uncharged after the interrupts are back on). */
static void drop_all(uint64_t *set, struct mk_list *rtq, int sig)
{
	struct mk_sigq *q;
	unsigned long flags;

	for (;;) {
		flags = kf_arch_irq_save();
		*set &= ~SIGBIT(sig);
		q = take_entry(rtq, sig);
		kf_arch_irq_restore(flags);
		if (!q)
			return;
		sigq_free(q);
	}
}

/* discard_ignored - drop the running thread's unblocked pending signals
 * that would be ignored -- not those rt_sigtimedwait waits for, which
 * Linux keeps even when ignored.  No spinlock held (kf_sigaction takes
 * one). */
static void discard_ignored(struct mk_thread *t)
{
	uint64_t set = deliverable(t) & ~t->real_blocked;

	while (set) {
		int sig = __builtin_ctzll(set) + 1;

		set &= set - 1;
		if (!sig_ignored(sig))
			continue;
		drop_all(&t->pending, &t->rtq, sig);
		drop_all(&t->proc->shared_pending, &t->proc->shared_rtq, sig);
	}
}

bool mk_signal_pending(unsigned mode)
{
	struct mk_thread *t = mk_current();

	if (!t->task || !t->proc || mode == KF_WAIT_UNINTERRUPTIBLE)
		return false;
	if (mk_fatal_pending(t))
		return true;
	if (mode != KF_WAIT_INTERRUPTIBLE)
		return false;
	if (t->jobctl_wake)
		return true;
	discard_ignored(t);
	return deliverable(t) != 0;
}

/* next_signal - the signal of @set Linux takes first: a synchronous one
 * (a fault's), else the lowest number; 0 for none. */
static int next_signal(uint64_t set)
{
	if (set & SYNCHRONOUS)
		set &= SYNCHRONOUS;
	return set ? __builtin_ctzll(set) + 1 : 0;
}

/* first_info - what @sig, pending in a set, carries: a standard signal's
 * siginfo, or a real-time signal's first queued entry's (one that lost
 * its entry arrives as from kill: Linux's SI_USER with no sender). */
static void first_info(const struct mk_siginfo *infos, struct mk_list *rtq,
		       int sig, struct mk_siginfo *info)
{
	struct mk_list *pos;

	if (sig < SIGRTMIN) {
		*info = infos[sig - 1];
		return;
	}
	for (pos = rtq->next; pos != rtq; pos = pos->next) {
		struct mk_sigq *q = mk_container_of(pos, struct mk_sigq, node);

		if (q->sig == sig) {
			*info = q->info;
			return;
		}
	}
	*info = (struct mk_siginfo){ .code = MK_SI_USER };
}

/*
 * collect - take @sig from a pending set with its siginfo: a real-time
 * signal's bit stays while more of it are queued.  *@q gets the entry to
 * free.  IRQs off.
 */
static void collect(uint64_t *set, struct mk_siginfo *infos, struct mk_list *rtq,
		    int sig, struct mk_siginfo *info, struct mk_sigq **q)
{
	first_info(infos, rtq, sig, info);
	*q = NULL;
	if (sig < SIGRTMIN) {
		*set &= ~SIGBIT(sig);
		return;
	}
	*q = take_entry(rtq, sig);
	if (!has_entry(rtq, sig))
		*set &= ~SIGBIT(sig);
}

/*
 * pick - the pending signal outside @mask the thread takes next (SIGKILL
 * before anything, then the thread's own before its group's: Linux's
 * dequeue_signal) with its siginfo; taken off the queue when @take.  0
 * when none.
 */
static int pick(struct mk_thread *t, uint64_t mask, bool take,
		struct mk_siginfo *info)
{
	unsigned long flags = kf_arch_irq_save();
	struct mk_proc *p = t->proc;
	uint64_t own = t->pending & ~mask, shared = p->shared_pending & ~mask;
	struct mk_sigq *q = NULL;
	int sig;

	if ((own | shared) & SIGBIT(KF_SIGKILL))
		sig = KF_SIGKILL;
	else
		sig = next_signal(own) ? next_signal(own) : next_signal(shared);
	if (sig && (own & SIGBIT(sig))) {
		if (take)
			collect(&t->pending, t->info, &t->rtq, sig, info, &q);
		else
			first_info(t->info, &t->rtq, sig, info);
	} else if (sig) {
		if (take)
			collect(&p->shared_pending, p->shared_info,
				&p->shared_rtq, sig, info, &q);
		else
			first_info(p->shared_info, &p->shared_rtq, sig, info);
	}
	kf_arch_irq_restore(flags);
	if (q)
		sigq_free(q);
	if (take && sig == KF_SIGALRM)
		mk_itimer_alarm_taken(p);	/* a periodic timer goes on */
	return sig;
}

/* dequeue_mask - take the next pending signal outside @mask. */
static int dequeue_mask(struct mk_thread *t, uint64_t mask,
			struct mk_siginfo *info)
{
	return pick(t, mask, true, info);
}

/* peek - the next deliverable signal and what it carries, left queued
 * (the core may take a stop signal itself). */
static int peek(struct mk_thread *t, struct mk_siginfo *info)
{
	return pick(t, t->blocked, false, info);
}

/* take - dequeue @sig, which peek found (the thread's own instance
 * first), with its siginfo; false if it has gone meanwhile. */
static bool take(struct mk_thread *t, int sig, struct mk_siginfo *info)
{
	return pick(t, ~SIGBIT(sig), true, info) == sig;
}

/* jobctl - the core's job-control step: a continue to report, a group
 * stop to join (sleeping until SIGCONT or SIGKILL). */
static void jobctl(struct mk_thread *t)
{
	unsigned long flags = kf_arch_irq_save();

	t->jobctl_wake = false;
	kf_arch_irq_restore(flags);
	kf_signal_jobctl();
}

/* drain - free every entry of @rtq.  No lock held. */
static void drain(struct mk_list *rtq)
{
	for (;;) {
		unsigned long flags = kf_arch_irq_save();
		struct mk_sigq *q = NULL;

		if (!mk_list_empty(rtq)) {
			q = mk_container_of(rtq->next, struct mk_sigq, node);
			mk_list_del(&q->node);
		}
		kf_arch_irq_restore(flags);
		if (!q)
			return;
		sigq_free(q);
	}
}

/* mk_signal_thread_exit - running thread @t ends: what was queued for it
 * alone goes, and its group's queue with the group's last thread (nobody
 * is left to take them; a group's later signals queue nothing). */
void mk_signal_thread_exit(struct mk_thread *t, bool last)
{
	drain(&t->rtq);
	if (last)
		drain(&t->proc->shared_rtq);
}

/* ---- Delivery ------------------------------------------------------------------------ */

/* Linux's 128-byte siginfo: signo, errno, code, then the union at 16. */
static void build_siginfo(uint8_t out[128], int sig, const struct mk_siginfo *in)
{
	int32_t head[3] = { sig, 0, in->code };

	memset(out, 0, 128);
	memcpy(out, head, sizeof(head));
	if (in->user) {
		/* rt_sigqueueinfo: the sender's fields as it gave them */
		memcpy(out + 4, &in->err, 4);
		memcpy(out + 16, in->data, sizeof(in->data));
	} else if (in->addr) {
		uint64_t addr = in->addr;

		memcpy(out + 16, &addr, 8);
	} else {
		int32_t u[3] = { in->pid, in->uid, in->status };

		memcpy(out + 16, u, sizeof(u));
	}
}

/*
 * syscall_restart - what happens to a syscall that returned -ERESTART*:
 * with a handler @ka about to run, -EINTR unless SA_RESTART allows the
 * restart (never for ERESTARTNOHAND or ERESTART_RESTARTBLOCK); without one
 * it is restarted -- a sleep with ERESTART_RESTARTBLOCK then resumes
 * towards the end it had, so time spent stopped counts.
 */
static void syscall_restart(struct kf_arch_regs *r, struct mk_thread *t,
			    const struct kf_sigaction *ka)
{
	int code = t->restart;

	t->restart = 0;
	if (!code)
		return;
	if (ka && (code == MK_ERESTARTNOHAND || code == MK_ERESTART_RESTARTBLOCK ||
		   (code == MK_ERESTARTSYS && !(ka->flags & KF_SA_RESTART)))) {
		board_syscall_set_return(r, -MK_EINTR);
		return;
	}
	t->resume_sleep = code == MK_ERESTART_RESTARTBLOCK;
	board_syscall_restart(r);
}

/*
 * handle - run @sig's handler @ka: the frame (with the mask to restore),
 * then the handler's mask.  A frame that cannot be written kills with
 * SIGSEGV, as Linux's force_sigsegv.
 */
static void handle(struct kf_arch_regs *r, struct mk_thread *t, int sig,
		   const struct mk_siginfo *info, struct kf_sigaction *ka)
{
	uint64_t oldmask = t->restore_mask ? t->saved_mask : t->blocked;
	uint8_t si[128];
	unsigned long flags;

	syscall_restart(r, t, ka);
	build_siginfo(si, sig, info);
	if (board_signal_setup(r, t, sig, si, ka, oldmask)) {
		mk_printk("kfork: pid %d: cannot write the signal %d frame\n",
			  t->tid, sig);
		mk_task_exit(KF_SIGSEGV, true);
	}
	flags = kf_arch_irq_save();
	t->restore_mask = false;
	t->blocked |= ka->mask;
	if (!(ka->flags & KF_SA_NODEFER))
		t->blocked |= SIGBIT(sig);
	t->blocked &= ~UNBLOCKABLE;
	kf_arch_irq_restore(flags);
	if (ka->flags & KF_SA_RESETHAND) {
		/* only the handler goes back to SIG_DFL: the flags and the
		 * mask stay as they were (Linux's get_signal) */
		struct kf_sigaction now;

		kf_sigaction(sig, NULL, &now);
		now.handler = KF_SIG_DFL;
		kf_sigaction(sig, &now, NULL);
	}
}

/* init_ignores - the running thread is an init, which ignores @sig's
 * default action unless it is a fault, or SIGKILL or SIGSTOP from outside
 * (the core only queues those for an init when they come from there). */
static bool init_ignores(int sig, const struct mk_siginfo *info)
{
	if (info->fault ||
	    (info->force && (sig == KF_SIGKILL || sig == KF_SIGSTOP)))
		return false;
	return kf_getpid() == 1;
}

void mk_signal_deliver(struct kf_arch_regs *r)
{
	struct mk_thread *t = mk_current();
	struct mk_siginfo info;
	struct kf_sigaction ka;
	int sig;

	if (!t->task || !t->proc)
		return;
	for (;;) {
		/* killed by another thread's exec: this thread alone ends */
		if (mk_fatal_pending(t))
			mk_task_exit(KF_SIGKILL, !t->proc->in_exec);
		jobctl(t);
		if (mk_fatal_pending(t))
			continue;
		discard_ignored(t);
		sig = peek(t, &info);
		if (!sig)
			break;
		kf_sigaction(sig, NULL, &ka);
		if (ka.handler == KF_SIG_DFL && kf_sig_is_stop(sig) &&
		    !init_ignores(sig, &info)) {
			/* the core takes it off the queue and stops the group */
			kf_signal_stop(sig);
			continue;
		}
		if (!take(t, sig, &info) || ka.handler == KF_SIG_IGN)
			continue;
		if (ka.handler == KF_SIG_DFL) {
			if (mk_sig_default_ignored(sig) || init_ignores(sig, &info))
				continue;
			mk_task_exit(sig, true);	/* terminate (no core) */
		}
		handle(r, t, sig, &info, &ka);
	}
	syscall_restart(r, t, NULL);
	if (t->restore_mask) {
		t->restore_mask = false;
		t->blocked = t->saved_mask;
	}
}

/*
 * mk_force_signal - a fault in the running thread: the signal cannot be
 * blocked or ignored away (a handler still runs), as Linux's
 * force_sig_fault.
 */
void mk_force_signal(int sig, int code, uintptr_t addr)
{
	struct mk_thread *t = mk_current();
	struct mk_siginfo info = {
		.code = code, .addr = addr, .force = true, .fault = true,
	};
	unsigned long flags;

	if (!t->task)
		mk_panic("fault signal %d in kernel thread %d", sig, t->tid);
	if ((t->blocked & SIGBIT(sig)) || sig_ignored(sig)) {
		struct kf_sigaction dfl = { .handler = KF_SIG_DFL };

		kf_sigaction(sig, &dfl, NULL);
	}
	flags = kf_arch_irq_save();
	t->blocked &= ~SIGBIT(sig);
	kf_arch_irq_restore(flags);
	mk_send_signal(t->task, sig, &info, false);
}

/*
 * Fork: the mask is inherited, nothing is pending.  The alternate signal
 * stack too, except for a child that shares the address space and is not
 * a vfork child (a thread): its stack would be the creator's (Linux's
 * copy_process).
 */
void mk_signal_fork(struct mk_thread *child, struct mk_thread *parent,
		    uint64_t clone_flags)
{
	child->blocked = parent->task ? parent->blocked : 0;
	child->pending = 0;
	child->real_blocked = 0;
	mk_list_init(&child->rtq);
	if ((clone_flags & (KF_CLONE_VM | KF_CLONE_VFORK)) != KF_CLONE_VM &&
	    parent->task) {
		child->sas_sp = parent->sas_sp;
		child->sas_size = parent->sas_size;
		child->sas_flags = parent->sas_flags;
	}
}

/* execve: handlers go back to SIG_DFL, ignored signals stay ignored; the
 * alternate signal stack is forgotten (its flags stay, as on Linux). */
void mk_signal_exec(void)
{
	struct mk_thread *t = mk_current();
	int sig;

	t->sas_sp = 0;
	t->sas_size = 0;

	for (sig = 1; sig <= KF_NSIG; sig++) {
		struct kf_sigaction ka, dfl = { .handler = KF_SIG_DFL };

		if (sig == KF_SIGKILL || sig == KF_SIGSTOP)
			continue;
		kf_sigaction(sig, NULL, &ka);
		if (ka.handler != KF_SIG_IGN && ka.handler != KF_SIG_DFL)
			kf_sigaction(sig, &dfl, NULL);
	}
}

/* ---- System calls ------------------------------------------------------------------------ */

/* The k_sigaction layout: handler, flags, restorer, mask (x86_64,
 * aarch64); an arch without sa_restorer (riscv64, MK_ABI_NO_SA_RESTORER in
 * <mk/arch/abi.h>) has no restorer slot, and its 24 bytes are all the
 * kernel reads or writes. */
struct mk_ksigaction {
	uint64_t handler, flags;
#ifndef MK_ABI_NO_SA_RESTORER
	uint64_t restorer;
#endif
	uint64_t mask;
};

#ifdef MK_ABI_NO_SA_RESTORER
#define KSA_GET_RESTORER(u) 0
#define KSA_SET_RESTORER(u, v) ((void)(v))
#else
#define KSA_GET_RESTORER(u) ((u)->restorer)
#define KSA_SET_RESTORER(u, v) ((u)->restorer = (v))
#endif

long mk_sys_rt_sigaction(const long *a)
{
	struct mk_ksigaction u;
	struct kf_sigaction ka, old;
	long r;

	if (a[3] != 8)
		return -KF_EINVAL;
	if (a[1]) {
		if (kf_os_copy_from_user(&u, (uintptr_t)a[1], sizeof(u)))
			return -KF_EFAULT;
		ka.handler = u.handler;
		ka.flags = u.flags & 0xffffffffu;	/* musl sign-extends */
		ka.restorer = KSA_GET_RESTORER(&u);
		ka.mask = u.mask;
	}
	r = kf_sigaction((int)a[0], a[1] ? &ka : NULL, a[2] ? &old : NULL);
	if (r)
		return r;
	if (a[2]) {
		u.handler = old.handler;
		u.flags = old.flags;
		KSA_SET_RESTORER(&u, old.restorer);
		u.mask = old.mask;
		if (kf_os_copy_to_user((uintptr_t)a[2], &u, sizeof(u)))
			return -KF_EFAULT;
	}
	return 0;
}

long mk_sys_rt_sigprocmask(const long *a)
{
	struct mk_thread *t = mk_current();
	uint64_t set = 0, old = t->blocked, nmask;
	unsigned long flags;

	if (a[3] != 8)
		return -KF_EINVAL;
	if (a[1]) {
		if (kf_os_copy_from_user(&set, (uintptr_t)a[1], sizeof(set)))
			return -KF_EFAULT;
		switch (a[0]) {
		case MK_SIG_BLOCK: nmask = old | set; break;
		case MK_SIG_UNBLOCK: nmask = old & ~set; break;
		case MK_SIG_SETMASK: nmask = set; break;
		default: return -KF_EINVAL;
		}
	}
	/* as Linux: the new mask holds even when the old one cannot be stored */
	if (a[1]) {
		flags = kf_arch_irq_save();
		t->blocked = nmask & ~UNBLOCKABLE;
		kf_arch_irq_restore(flags);
	}
	if (a[2] && kf_os_copy_to_user((uintptr_t)a[2], &old, sizeof(old)))
		return -KF_EFAULT;
	return 0;
}

long mk_sys_rt_sigpending(const long *a)
{
	struct mk_thread *t = mk_current();
	uint64_t set;

	if (a[1] != 8)
		return -KF_EINVAL;
	set = (t->pending | t->proc->shared_pending) & t->blocked;
	return kf_os_copy_to_user((uintptr_t)a[0], &set, sizeof(set)) ?
	       -KF_EFAULT : 0;
}

/* wait_for_signal - sleep until a signal is there to deliver. */
static long wait_for_signal(void)
{
	for (;;) {
		unsigned long flags = kf_arch_irq_save();

		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			return -MK_ERESTARTNOHAND;
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, 0);
		kf_arch_irq_restore(flags);
	}
}

long mk_sys_pause(const long *a)
{
	(void)a;
	return wait_for_signal();
}

/* rt_sigsuspend(mask, 8): sleep with @mask; the old mask comes back after
 * the handler (or at once, when the signal needed none). */
long mk_sys_rt_sigsuspend(const long *a)
{
	struct mk_thread *t = mk_current();
	uint64_t mask;
	unsigned long flags;

	if (a[1] != 8)
		return -KF_EINVAL;
	if (kf_os_copy_from_user(&mask, (uintptr_t)a[0], sizeof(mask)))
		return -KF_EFAULT;
	flags = kf_arch_irq_save();
	t->saved_mask = t->blocked;
	t->restore_mask = true;
	t->blocked = mask & ~UNBLOCKABLE;
	kf_arch_irq_restore(flags);
	return wait_for_signal();
}

long mk_sys_rt_sigreturn(const long *a)
{
	struct mk_thread *t = mk_current();
	struct kf_arch_regs *r = board_user_regs(t);
	uint64_t mask;

	(void)a;
	if (board_sigreturn(r, t, &mask)) {
		mk_force_signal(KF_SIGSEGV, MK_SI_KERNEL, 0);
		return 0;
	}
	t->blocked = mask & ~UNBLOCKABLE;
	return board_syscall_get_return(r);
}

/* ---- kill and friends ---------------------------------------------------------------------- */

/* kfork decides targets, permission and job control (<kf/kf.h>). */
long mk_sys_kill(const long *a)
{
	return kf_kill((int)a[0], (int)a[1]);
}

long mk_sys_tkill(const long *a)
{
	return kf_tkill((int)a[0], (int)a[1]);
}

long mk_sys_tgkill(const long *a)
{
	return kf_tgkill((int)a[0], (int)a[1], (int)a[2]);
}

/* ---- rt_sigqueueinfo, rt_tgsigqueueinfo ----------------------------------------------- */

/* Linux's si_code limits of the signals with codes of their own (NSIGILL,
 * NSIGFPE, ...); any other signal's kernel codes go up to NSIGPOLL. */
static int sicode_limit(int sig)
{
	switch (sig) {
	case KF_SIGILL: return 11;
	case KF_SIGFPE: return 15;
	case KF_SIGSEGV: return 10;
	case KF_SIGBUS: return 5;
	case KF_SIGTRAP: return 6;
	case KF_SIGCHLD: return 6;
	case 31: return 2;		/* SIGSYS */
	default: return 6;		/* NSIGPOLL */
	}
}

/* known_layout - does Linux know what the union of (@sig, @code) holds?
 * (known_siginfo_layout: SI_KERNEL, a kernel code within the signal's
 * range, a user code down to SI_DETHREAD, or SI_ASYNCNL) */
static bool known_layout(int sig, int code)
{
	if (code == MK_SI_KERNEL)
		return true;
	if (code > MK_SI_USER)
		return code <= sicode_limit(sig);
	return code >= -7 || code == -60;
}

/*
 * get_user_siginfo - Linux's __copy_siginfo_from_user: the first 48 bytes
 * (signo, errno, code and the union) are taken, si_signo is replaced by
 * @sig; for a layout Linux does not know, the rest of the 128 bytes must
 * be zero (-E2BIG), so that it would come back to user space unchanged.
 */
static long get_user_siginfo(int sig, uintptr_t u, struct mk_siginfo *info)
{
	uint8_t buf[128];
	int32_t head[3];
	size_t i;

	if (kf_os_copy_from_user(buf, u, 48))
		return -KF_EFAULT;
	memcpy(head, buf, sizeof(head));
	if (!known_layout(sig, head[2])) {
		if (kf_os_copy_from_user(buf + 48, u + 48, 80))
			return -KF_EFAULT;
		for (i = 48; i < 128; i++)
			if (buf[i])
				return -KF_E2BIG;
	}
	memset(info, 0, sizeof(*info));
	info->user = true;
	info->err = head[1];
	info->code = head[2];
	memcpy(info->data, buf + 16, sizeof(info->data));
	return 0;
}

/* impersonates - only a thread signalling itself may claim a kernel
 * si_code (>= 0) or tkill's: nobody may pose as the kernel or as kill. */
static bool impersonates(const struct mk_siginfo *info, int target)
{
	return (info->code >= 0 || info->code == MK_SI_TKILL) &&
	       target != kf_gettid();
}

/*
 * send_queued - a sigqueue'd signal through kfork (kill's permission
 * check, job control), with the queue entry of a real-time one reserved
 * first, so that a signal that cannot be queued with its siginfo fails:
 * EAGAIN.  (Linux learns that when it queues, after the checks: here a
 * full queue's EAGAIN comes before a denied permission's EPERM.)
 */
static long send_queued(struct kf_task *t, int sig, struct mk_siginfo *info,
			int scope)
{
	struct kf_siginfo ki = { .signo = sig, .code = info->code, .host = info };
	struct mk_thread *me = mk_current();
	struct mk_thread *target = mk_task_thread(t);
	long r;

	if (sig >= SIGRTMIN && sig <= KF_NSIG && target) {
		me->sigq_spare = mk_alloc(sizeof(*me->sigq_spare));
		if (me->sigq_spare) {
			me->sigq_spare->charge = kf_sigpending_charge(t, false);
			if (!me->sigq_spare->charge) {
				mk_free(me->sigq_spare, sizeof(*me->sigq_spare));
				me->sigq_spare = NULL;
			}
		}
		if (!me->sigq_spare && info->code != MK_SI_USER)
			return -KF_EAGAIN;
	}
	r = kf_kill_task(t, sig, &ki, scope);
	if (me->sigq_spare) {		/* not sent, or nothing to queue */
		sigq_free(me->sigq_spare);
		me->sigq_spare = NULL;
	}
	return r;
}

/*
 * rt_sigqueueinfo(pid, sig, info) in Linux's order: the siginfo (EFAULT,
 * E2BIG), the si_code rule (EPERM), the process (ESRCH: any thread's id
 * names its process), then kill's checks (EINVAL, EPERM).
 */
long mk_sys_rt_sigqueueinfo(const long *a)
{
	int pid = (int)a[0], sig = (int)a[1];
	struct mk_siginfo info;
	struct kf_task *t;
	long r = get_user_siginfo(sig, (uintptr_t)a[2], &info);

	if (r)
		return r;
	if (impersonates(&info, pid))
		return -KF_EPERM;
	t = pid > 0 ? kf_task_find(pid) : NULL;
	if (!t)
		return -KF_ESRCH;
	r = send_queued(t, sig, &info, KF_KILL_PROCESS);
	kf_task_put(t);
	return r;
}

/* rt_tgsigqueueinfo(tgid, tid, sig, info): the same for one thread, which
 * must belong to @tgid; EINVAL for ids that are not positive. */
long mk_sys_rt_tgsigqueueinfo(const long *a)
{
	int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
	struct mk_siginfo info;
	struct kf_task *t;
	long r = get_user_siginfo(sig, (uintptr_t)a[3], &info);

	if (r)
		return r;
	if (tid <= 0 || tgid <= 0)
		return -KF_EINVAL;
	if (impersonates(&info, tid))
		return -KF_EPERM;
	t = kf_task_find(tid);
	if (!t)
		return -KF_ESRCH;
	if (kf_task_vtgid(t) != tgid)
		r = -KF_ESRCH;
	else
		r = send_queued(t, sig, &info, KF_KILL_THREAD);
	kf_task_put(t);
	return r;
}

/* ---- rt_sigtimedwait ---------------------------------------------------------------------- */

/* timedwait_sleep - nap until a signal the thread takes now arrives (-EINTR)
 * or @deadline passes (0; @deadline 0 is never). */
static long timedwait_sleep(uint64_t deadline)
{
	for (;;) {
		unsigned long flags = kf_arch_irq_save();

		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			return -MK_EINTR;
		}
		if (mk_deadline_passed(deadline)) {
			kf_arch_irq_restore(flags);
			return 0;
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(flags);
	}
}

/*
 * rt_sigtimedwait(set, info, timeout, 8) in Linux's order: the size
 * (EINVAL), the set (EFAULT), the timeout (EFAULT, then EINVAL).  A signal
 * of @set already pending -- blocked or not -- is taken at once; else,
 * with a timeout other than 0, the thread sleeps with @set unblocked
 * until one comes (it is taken), another signal does (EINTR, and its
 * handler runs), or the time is up (EAGAIN).  The siginfo is stored after
 * the signal was taken: a fault there loses it (EFAULT).
 */
long mk_sys_rt_sigtimedwait(const long *a)
{
	struct mk_thread *t = mk_current();
	struct mk_timespec_abi { int64_t sec, nsec; } ts;
	uint64_t these, deadline = 0;
	struct mk_siginfo info;
	uint8_t si[128];
	unsigned long flags;
	long r = -KF_EAGAIN;
	int sig;

	if (a[3] != 8)
		return -KF_EINVAL;
	if (kf_os_copy_from_user(&these, (uintptr_t)a[0], sizeof(these)))
		return -KF_EFAULT;
	if (a[2] && kf_os_copy_from_user(&ts, (uintptr_t)a[2], sizeof(ts)))
		return -KF_EFAULT;
	if (a[2] && (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000))
		return -KF_EINVAL;
	these &= ~UNBLOCKABLE;

	sig = dequeue_mask(t, ~these, &info);
	if (!sig && (!a[2] || ts.sec || ts.nsec)) {
		if (a[2])
			deadline = mk_deadline_ns(ts.sec, ts.nsec);
		flags = kf_arch_irq_save();
		t->real_blocked = t->blocked;
		t->blocked &= ~these;
		kf_arch_irq_restore(flags);
		r = timedwait_sleep(deadline) ? -MK_EINTR : -KF_EAGAIN;
		flags = kf_arch_irq_save();
		t->blocked = t->real_blocked;
		t->real_blocked = 0;
		kf_arch_irq_restore(flags);
		sig = dequeue_mask(t, ~these, &info);
	}
	if (!sig)
		return r;
	if (a[1]) {
		build_siginfo(si, sig, &info);
		if (kf_os_copy_to_user((uintptr_t)a[1], si, sizeof(si)))
			return -KF_EFAULT;
	}
	return sig;
}

/* ---- sigaltstack -------------------------------------------------------------------------- */

/* Linux's stack_t on a 64-bit arch. */
struct mk_stack_abi {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};
_Static_assert(sizeof(struct mk_stack_abi) == 24, "stack_t");

/* __on_sig_stack: is @sp inside the alternate stack (it grows down)? */
bool mk_in_altstack(const struct mk_thread *t, uintptr_t sp)
{
	return sp > t->sas_sp && sp - t->sas_sp <= t->sas_size;
}
#define in_altstack mk_in_altstack

bool mk_on_sig_stack(const struct mk_thread *t, uintptr_t sp)
{
	/* SS_AUTODISARM: a handler can run on it only as its first user */
	if (t->sas_flags & MK_SS_AUTODISARM)
		return false;
	return in_altstack(t, sp);
}

/* sas_ss_flags: SS_DISABLE without a stack, SS_ONSTACK when @sp is on it. */
static int sas_state(const struct mk_thread *t, uintptr_t sp)
{
	if (!t->sas_size)
		return MK_SS_DISABLE;
	return mk_on_sig_stack(t, sp) ? MK_SS_ONSTACK : 0;
}

uintptr_t mk_sigsp(const struct mk_thread *t, uintptr_t sp,
		   const struct kf_sigaction *ka)
{
	if ((ka->flags & KF_SA_ONSTACK) && sas_state(t, sp) == 0)
		return t->sas_sp + t->sas_size;
	return sp;
}

void mk_save_altstack(struct mk_thread *t, uintptr_t sp, uint64_t *ss_sp,
		      int32_t *ss_flags, uint64_t *ss_size)
{
	*ss_sp = t->sas_sp;
	*ss_flags = sas_state(t, sp) | (int32_t)(t->sas_flags & MK_SS_AUTODISARM);
	*ss_size = t->sas_size;
	if (t->sas_flags & MK_SS_AUTODISARM) {
		t->sas_sp = 0;
		t->sas_size = 0;
		t->sas_flags = MK_SS_DISABLE;
	}
}

/*
 * do_sigaltstack - Linux's: the old state first (*@old, may be NULL),
 * then a change (@ss, may be NULL): EPERM while running on the stack,
 * EINVAL for a mode other than 0, SS_ONSTACK or SS_DISABLE, ENOMEM for a
 * stack smaller than @min.
 */
static long do_sigaltstack(struct mk_thread *t, const struct mk_stack_abi *ss,
			   struct mk_stack_abi *old, uintptr_t sp, size_t min)
{
	unsigned mode;

	if (old) {
		memset(old, 0, sizeof(*old));
		old->ss_sp = t->sas_sp;
		old->ss_size = t->sas_size;
		old->ss_flags = sas_state(t, sp) |
				(int32_t)(t->sas_flags & MK_SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (mk_on_sig_stack(t, sp))
		return -KF_EPERM;
	mode = (unsigned)ss->ss_flags & ~MK_SS_AUTODISARM;
	if (mode != MK_SS_DISABLE && mode != MK_SS_ONSTACK && mode != 0)
		return -KF_EINVAL;
	if (t->sas_sp == ss->ss_sp && t->sas_size == ss->ss_size &&
	    t->sas_flags == (unsigned)ss->ss_flags)
		return 0;
	if (mode != MK_SS_DISABLE && ss->ss_size < min)
		return -KF_ENOMEM;
	if (mode == MK_SS_DISABLE) {
		t->sas_sp = 0;
		t->sas_size = 0;
	} else {
		t->sas_sp = ss->ss_sp;
		t->sas_size = ss->ss_size;
	}
	t->sas_flags = (unsigned)ss->ss_flags;
	return 0;
}

void mk_restore_altstack(struct mk_thread *t, uint64_t ss_sp, int32_t ss_flags,
			 uint64_t ss_size, uintptr_t sp)
{
	struct mk_stack_abi ss = { ss_sp, ss_flags, 0, ss_size };

	/* errors are dropped, as Linux's restore_altstack does */
	(void)do_sigaltstack(t, &ss, NULL, sp, MK_MINSIGSTKSZ);
}

/* sigaltstack(ss, old): the change is made before the old state is
 * stored, so a bad @old still changes the stack (and gives EFAULT). */
long mk_sys_sigaltstack(const long *a)
{
	struct mk_thread *t = mk_current();
	struct mk_stack_abi ss, old;
	long r;

	if (a[0] && kf_os_copy_from_user(&ss, (uintptr_t)a[0], sizeof(ss)))
		return -KF_EFAULT;
	r = do_sigaltstack(t, a[0] ? &ss : NULL, a[1] ? &old : NULL,
			   board_user_sp(board_user_regs(t)), MK_MINSIGSTKSZ);
	if (!r && a[1] && kf_os_copy_to_user((uintptr_t)a[1], &old, sizeof(old)))
		r = -KF_EFAULT;
	return r;
}
