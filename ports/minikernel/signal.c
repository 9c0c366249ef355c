// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/signal.c - signal queues, delivery and the signal
 * system calls.  kfork's core keeps the dispositions (kf_sigaction, shared
 * by CLONE_SIGHAND); the port keeps what is pending and blocked, and runs
 * handlers with the arch's frames (board_signal_setup/board_sigreturn).
 *
 * Pending signals: one bit per signal per thread (thread-directed: tkill,
 * faults, the core's SIGKILL of other threads) and per thread group
 * (kill, SIGCHLD).  A second instance of a pending signal is dropped, and
 * the first one's siginfo stays, as for Linux's standard signals.  A
 * group SIGKILL marks every thread.
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
#define MK_SIG_BLOCK 0
#define MK_SIG_UNBLOCK 1
#define MK_SIG_SETMASK 2
#define MK_SI_KERNEL 0x80
#define MK_EINTR 4

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

void mk_send_signal(struct kf_task *task, int sig, const struct mk_siginfo *info,
		    bool group)
{
	struct mk_thread *t = mk_task_thread(task), *o;
	struct mk_siginfo kinfo = { .code = MK_SI_KERNEL, .force = true };
	struct mk_proc *p;
	struct mk_list *pos;
	unsigned long flags;

	if (!t || !t->proc || !sig_valid(sig))
		return;		/* the boot task takes no signals */
	if (!info)
		info = &kinfo;
	/* an init cannot be killed from inside its namespace */
	if (sig == KF_SIGKILL && !info->force && kf_task_tgid(task) == 1)
		return;
	p = t->proc;
	flags = kf_arch_irq_save();
	if (group && sig == KF_SIGKILL) {
		/* fatal to every thread at once */
		for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
			o = mk_container_of(pos, struct mk_thread, proc_node);
			o->pending |= SIGBIT(sig);
			o->info[sig - 1] = *info;
			wake_for(o, sig);
		}
	} else if (group) {
		if (!(p->shared_pending & SIGBIT(sig)))
			p->shared_info[sig - 1] = *info;
		p->shared_pending |= SIGBIT(sig);
		for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
			o = mk_container_of(pos, struct mk_thread, proc_node);
			if (!(o->blocked & SIGBIT(sig)))
				wake_for(o, sig);
		}
	} else {
		if (!(t->pending & SIGBIT(sig)))
			t->info[sig - 1] = *info;
		t->pending |= SIGBIT(sig);
		if (!(t->blocked & SIGBIT(sig)) || sig == KF_SIGKILL)
			wake_for(t, sig);
	}
	kf_arch_irq_restore(flags);
}

/* kfork's hook: the core signals a parent (SIGCHLD, pdeath) or kills. */
void kf_os_signal(struct kf_task *t, int sig, const struct kf_siginfo *info,
		  bool group)
{
	struct mk_siginfo i = { .code = MK_SI_KERNEL, .force = true };

	if (info) {
		i.code = info->code;
		i.pid = info->pid;
		i.uid = info->uid;
		i.status = info->status;
	}
	mk_send_signal(t, sig, &i, group);
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

/* discard_ignored - drop the running thread's unblocked pending signals
 * that would be ignored.  No spinlock held (kf_sigaction takes one). */
static void discard_ignored(struct mk_thread *t)
{
	uint64_t set = deliverable(t);

	while (set) {
		int sig = __builtin_ctzll(set) + 1;
		unsigned long flags;

		set &= set - 1;
		if (!sig_ignored(sig))
			continue;
		flags = kf_arch_irq_save();
		t->pending &= ~SIGBIT(sig);
		t->proc->shared_pending &= ~SIGBIT(sig);
		kf_arch_irq_restore(flags);
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

/* peek - the lowest deliverable signal (SIGKILL first) and what was sent
 * with it, left queued; 0 when none. */
static int peek(struct mk_thread *t, struct mk_siginfo *info)
{
	unsigned long flags = kf_arch_irq_save();
	uint64_t set = deliverable(t);
	int sig = 0;

	if (set) {
		sig = (set & SIGBIT(KF_SIGKILL)) ? KF_SIGKILL :
		      __builtin_ctzll(set) + 1;
		*info = (t->pending & SIGBIT(sig)) ? t->info[sig - 1] :
			t->proc->shared_info[sig - 1];
	}
	kf_arch_irq_restore(flags);
	return sig;
}

/* take - dequeue @sig (the thread's own instance first); false if it has
 * gone meanwhile. */
static bool take(struct mk_thread *t, int sig)
{
	unsigned long flags = kf_arch_irq_save();
	bool found = true;

	if (t->pending & SIGBIT(sig))
		t->pending &= ~SIGBIT(sig);
	else if (t->proc->shared_pending & SIGBIT(sig))
		t->proc->shared_pending &= ~SIGBIT(sig);
	else
		found = false;
	kf_arch_irq_restore(flags);
	return found;
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

/* ---- Delivery ------------------------------------------------------------------------ */

/* Linux's 128-byte siginfo: signo, errno, code, then the union at 16. */
static void build_siginfo(uint8_t out[128], int sig, const struct mk_siginfo *in)
{
	int32_t head[3] = { sig, 0, in->code };

	memset(out, 0, 128);
	memcpy(out, head, sizeof(head));
	if (in->addr) {
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
		struct kf_sigaction dfl = { .handler = KF_SIG_DFL };

		kf_sigaction(sig, &dfl, NULL);
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
		if (mk_fatal_pending(t))
			mk_task_exit(KF_SIGKILL, true);
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
		if (!take(t, sig) || ka.handler == KF_SIG_IGN)
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

/* Fork: the mask is inherited, nothing is pending. */
void mk_signal_fork(struct mk_thread *child, struct mk_thread *parent)
{
	child->blocked = parent->task ? parent->blocked : 0;
	child->pending = 0;
}

/* execve: handlers go back to SIG_DFL, ignored signals stay ignored. */
void mk_signal_exec(void)
{
	int sig;

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
