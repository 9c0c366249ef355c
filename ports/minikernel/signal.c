// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/signal.c - signal queues, delivery and the signal
 * system calls.  kfork's core keeps the dispositions (kf_sigaction, shared
 * by CLONE_SIGHAND); the port keeps what is pending and blocked, and runs
 * handlers with the arch's frames (board_signal_setup/board_sigreturn).
 *
 * Pending signals: one bit per signal per thread (thread-directed: tkill,
 * faults, the core's SIGKILL of other threads) and per thread group
 * (kill, SIGCHLD).  A second instance of a pending signal is merged, as
 * for Linux's standard signals.  A group SIGKILL marks every thread.
 *
 * Ignored signals (SIG_IGN, or SIG_DFL whose default is to ignore) are
 * dropped when the thread next looks at its signals -- Linux drops them
 * when they are sent, but the sender may hold the siglock kf_sigaction
 * needs.  The effect is the same: they never interrupt a sleep and never
 * run.  No job control: stop signals are ignored.
 *
 * An init (pid 1 of its namespace) is protected as on Linux: a signal
 * whose action is the default one is ignored, except SIGKILL from the
 * kernel or an ancestor namespace, and a fault's signal.
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
#define MK_SI_USER 0
#define MK_SI_KERNEL 0x80
#define MK_SI_TKILL (-6)
#define MK_EINTR 4

bool mk_sig_default_ignored(int sig)
{
	switch (sig) {
	case KF_SIGCHLD: case KF_SIGCONT:
	case 23: /* SIGURG */ case 28: /* SIGWINCH */
	case KF_SIGSTOP: case 20: case 21: case 22: /* TSTP TTIN TTOU */
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
		p->shared_pending |= SIGBIT(sig);
		p->shared_info[sig - 1] = *info;
		for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
			o = mk_container_of(pos, struct mk_thread, proc_node);
			if (!(o->blocked & SIGBIT(sig)))
				wake_for(o, sig);
		}
	} else {
		t->pending |= SIGBIT(sig);
		t->info[sig - 1] = *info;
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
	discard_ignored(t);
	return deliverable(t) != 0;
}

/* dequeue - take the lowest deliverable signal (SIGKILL first) and what
 * was sent with it; 0 when none. */
static int dequeue(struct mk_thread *t, struct mk_siginfo *info)
{
	unsigned long flags = kf_arch_irq_save();
	uint64_t set = deliverable(t);
	int sig = 0;

	if (set) {
		sig = (set & SIGBIT(KF_SIGKILL)) ? KF_SIGKILL :
		      __builtin_ctzll(set) + 1;
		if (t->pending & SIGBIT(sig)) {
			t->pending &= ~SIGBIT(sig);
			*info = t->info[sig - 1];
		} else {
			t->proc->shared_pending &= ~SIGBIT(sig);
			*info = t->proc->shared_info[sig - 1];
		}
	}
	kf_arch_irq_restore(flags);
	return sig;
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
 * restart (never for ERESTARTNOHAND); without one it is restarted.
 */
static void syscall_restart(struct kf_arch_regs *r, struct mk_thread *t,
			    const struct kf_sigaction *ka)
{
	int code = t->restart;

	t->restart = 0;
	if (!code)
		return;
	if (ka && (code == MK_ERESTARTNOHAND ||
		   (code == MK_ERESTARTSYS && !(ka->flags & KF_SA_RESTART)))) {
		board_syscall_set_return(r, -MK_EINTR);
		return;
	}
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
 * default action unless it is a fault or SIGKILL from outside. */
static bool init_ignores(int sig, const struct mk_siginfo *info)
{
	if (info->fault || (info->force && sig == KF_SIGKILL))
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
		discard_ignored(t);
		sig = dequeue(t, &info);
		if (!sig)
			break;
		kf_sigaction(sig, NULL, &ka);
		if (ka.handler == KF_SIG_IGN)
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

/*
 * may_signal - Linux's kill_ok_by_cred, as far as kfork tells the target's
 * credentials (its real uid): root, or a sender whose real or effective
 * uid is the target's.
 */
static bool may_signal(const struct kf_task_info *ti)
{
	long euid = kf_geteuid();

	return euid == 0 || (uint32_t)euid == ti->uid ||
	       (uint32_t)kf_getuid() == ti->uid;
}

/* send_checked - permission, then @sig (0: only the checks) to @task. */
static long send_checked(struct kf_task *task, int sig, int code, bool group)
{
	struct mk_siginfo info = { .code = code };
	struct kf_task_info ti;

	if (kf_task_info(task, &ti))
		return -KF_ESRCH;
	if (!may_signal(&ti))
		return -KF_EPERM;
	if (!sig || ti.state == 'Z' || ti.state == 'X')
		return 0;
	info.pid = kf_getpid();
	info.uid = (int)kf_getuid();
	/* the caller sees a namespace's init under another number: it is
	 * in an ancestor namespace */
	info.force = ti.pid != ti.ns_pid;
	mk_send_signal(task, sig, &info, group);
	return 0;
}

long mk_kill_task(struct kf_task *t, int sig, int code, bool group)
{
	return send_checked(t, sig, code, group);
}

struct kill_all {
	struct kf_task **tasks;
	int n, max, self_tgid;
};

/* collect_procs - every process but init and the caller (kill -1).  The
 * tasklist lock is held: only references are taken. */
static void collect_procs(const struct kf_task_info *ti, void *arg)
{
	struct kill_all *k = arg;

	if (ti->pid != ti->tgid || ti->tgid == 1 || ti->tgid == k->self_tgid)
		return;
	if (k->n < k->max) {
		kf_task_get(ti->task);
		k->tasks[k->n] = ti->task;
	}
	k->n++;
}

static void count_task(const struct kf_task_info *ti, void *arg)
{
	(void)ti;
	(*(int *)arg)++;
}

/* kill(-1, sig): every process the caller may signal but init and itself;
 * ESRCH when there is none, EPERM when it may signal none of them. */
static long kill_all(int sig)
{
	struct kill_all k = { .self_tgid = kf_getpid() };
	long r = -KF_ESRCH, e;
	int i, ok = 0;

	kf_for_each_task(count_task, &k.max);
	k.tasks = mk_alloc((size_t)(k.max + 1) * sizeof(*k.tasks));
	if (!k.tasks)
		return -KF_ENOMEM;
	kf_for_each_task(collect_procs, &k);
	for (i = 0; i < k.n && i < k.max; i++) {
		e = send_checked(k.tasks[i], sig, MK_SI_USER, true);
		if (!e)
			ok++;
		else
			r = e;
		kf_task_put(k.tasks[i]);
	}
	mk_free(k.tasks, (size_t)(k.max + 1) * sizeof(*k.tasks));
	return ok ? 0 : r;
}

long mk_sys_kill(const long *a)
{
	int pid = (int)a[0], sig = (int)a[1];
	struct kf_task *t;
	struct kf_task_info ti;
	long r;

	if (sig < 0 || sig > KF_NSIG)
		return -KF_EINVAL;
	if (pid == -1)
		return kill_all(sig);
	if (pid <= 0)
		return -KF_ESRCH;	/* no process groups of our own yet */
	t = kf_task_find(pid);
	if (!t)
		return -KF_ESRCH;
	r = kf_task_info(t, &ti) ? -KF_ESRCH :
	    ti.pid != ti.tgid ? -KF_ESRCH : send_checked(t, sig, MK_SI_USER, true);
	kf_task_put(t);
	return r;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct kf_task *t;
	struct kf_task_info ti;
	long r;

	if (tid <= 0 || (tgid <= 0 && tgid != -1))
		return -KF_EINVAL;
	if (sig < 0 || sig > KF_NSIG)
		return -KF_EINVAL;
	t = kf_task_find(tid);
	if (!t)
		return -KF_ESRCH;
	if (kf_task_info(t, &ti) || (tgid != -1 && ti.tgid != tgid))
		r = -KF_ESRCH;
	else
		r = send_checked(t, sig, MK_SI_TKILL, false);
	kf_task_put(t);
	return r;
}

long mk_sys_tkill(const long *a)
{
	return do_tkill(-1, (int)a[0], (int)a[1]);
}

long mk_sys_tgkill(const long *a)
{
	return do_tkill((int)a[0], (int)a[1], (int)a[2]);
}
