// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/sighand.c - signal handlers: shared by CLONE_SIGHAND (threads and
 * CLONE_VM siblings), copied otherwise; CLONE_CLEAR_SIGHAND resets the
 * copy.  Delivery itself is the host's; the core keeps the dispositions
 * exit needs (SIGCHLD ignored, SA_NOCLDWAIT) and rt_sigaction's checks.
 *
 * Locking: action[] is (S), sighand->siglock.
 */
#include "clone.h"

/* sa_flags user space may see (Linux's UAPI_SA_FLAGS; SA_UNSUPPORTED and
 * unknown bits, e.g. musl's sign-extended upper half, are dropped). */
#define KF_SA_EXPOSE_TAGBITS 0x00000800u
#define KF_UAPI_SA_FLAGS (KF_SA_NOCLDSTOP | KF_SA_NOCLDWAIT | KF_SA_SIGINFO | \
			  KF_SA_ONSTACK | KF_SA_RESTART | KF_SA_NODEFER | \
			  KF_SA_RESETHAND | KF_SA_EXPOSE_TAGBITS | KF_SA_RESTORER)

#define KF_SIGMASK(sig) (1ull << ((sig) - 1))

struct kf_sighand kf_init_sighand = {
	.ref = { 1 },			/* the boot task's, never dropped */
};

void kf_sighand_boot(void)
{
	kf_os_spin_init(&kf_init_sighand.siglock);
}

void kf_sighand_get(struct kf_sighand *sh)
{
	kf_ref_get(&sh->ref);
}

int kf_sighand_users(struct kf_sighand *sh)
{
	return kf_ref_read(&sh->ref);
}

void kf_sighand_put(struct kf_sighand *sh)
{
	if (!sh || !kf_ref_put(&sh->ref))
		return;
	if (sh == &kf_init_sighand)
		kf_os_panic("kf_sighand_put: initial handlers released");
	kf_os_free(sh, sizeof(*sh));
}

/* flush_handlers - flush_signal_handlers(force_default = 0): caught
 * signals go back to SIG_DFL, ignored ones stay ignored; flags, restorer
 * and masks are cleared for all. */
static void flush_handlers(struct kf_sighand *sh)
{
	int i;

	for (i = 0; i < KF_NSIG; i++) {
		struct kf_sigaction *ka = &sh->action[i];

		if (ka->handler != KF_SIG_IGN)
			ka->handler = KF_SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
}

struct kf_sighand *kf_sighand_dup(struct kf_sighand *old, bool clear)
{
	struct kf_sighand *sh = kf_os_alloc(sizeof(*sh), KF_SITE("clone.sighand"));
	unsigned long irq;

	if (!sh)
		return NULL;
	kf_ref_init(&sh->ref, 1);
	kf_os_spin_init(&sh->siglock);
	irq = kf_os_spin_lock(&old->siglock);
	__builtin_memcpy(sh->action, old->action, sizeof(sh->action));
	kf_os_spin_unlock(&old->siglock, irq);
	if (clear)
		flush_handlers(sh);
	return sh;
}

/*
 * kf_sigaction - rt_sigaction(2) on current's handlers: EINVAL for a
 * signal outside 1..64 or for changing SIGKILL/SIGSTOP.  Unknown flag bits
 * are dropped from both the new and the reported old action, and SIGKILL
 * and SIGSTOP can never be blocked by a handler's mask.
 */
long kf_sigaction(int sig, const struct kf_sigaction *act,
		  struct kf_sigaction *oact)
{
	struct kf_sighand *sh = kf_current()->sighand;
	struct kf_sigaction *k;
	unsigned long irq;

	if (sig < 1 || sig > KF_NSIG ||
	    (act && (sig == KF_SIGKILL || sig == KF_SIGSTOP)))
		return -KF_EINVAL;
	k = &sh->action[sig - 1];
	irq = kf_os_spin_lock(&sh->siglock);
	if (oact) {
		*oact = *k;
		oact->flags &= KF_UAPI_SA_FLAGS;
	}
	if (act) {
		*k = *act;
		k->flags &= KF_UAPI_SA_FLAGS;
		k->mask &= ~(KF_SIGMASK(KF_SIGKILL) | KF_SIGMASK(KF_SIGSTOP));
	}
	kf_os_spin_unlock(&sh->siglock, irq);
	return 0;
}

/* kf_sig_action_get - a copy of @t's disposition of @sig (siglock taken). */
void kf_sig_action_get(struct kf_task *t, int sig, struct kf_sigaction *out)
{
	struct kf_sighand *sh = t->sighand;
	unsigned long irq = kf_os_spin_lock(&sh->siglock);

	*out = sh->action[sig - 1];
	kf_os_spin_unlock(&sh->siglock, irq);
}

/* kf_task_sigaction - the tasklist lock keeps a task that is not yet
 * unhashed from dropping its handlers (release does that after). */
long kf_task_sigaction(struct kf_task *t, int sig, struct kf_sigaction *out)
{
	unsigned long irq;
	long r = -KF_ESRCH;

	if (sig < 1 || sig > KF_NSIG)
		return -KF_EINVAL;
	irq = kf_tasklist_lock_irq();
	if (t->real_parent && t->sighand) {
		kf_sig_action_get(t, sig, out);
		r = 0;
	}
	kf_tasklist_unlock_irq(irq);
	return r;
}

/*
 * kf_sig_ignored_or_nocldwait - does @parent ignore @sig, or (for SIGCHLD)
 * ask not to be left zombies (SA_NOCLDWAIT)?  Either way exit_notify
 * reaps the child itself.  Use kf_sig_action_get to tell them apart.
 */
bool kf_sig_ignored_or_nocldwait(struct kf_task *parent, int sig)
{
	struct kf_sigaction ka;

	if (sig < 1 || sig > KF_NSIG || !parent->sighand)
		return false;
	kf_sig_action_get(parent, sig, &ka);
	if (ka.handler == KF_SIG_IGN)
		return true;
	return sig == KF_SIGCHLD && (ka.flags & KF_SA_NOCLDWAIT);
}
