// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/signal.c - the thread-group state (struct kf_signal): one per
 * process, shared by CLONE_THREAD, holding the thread list, the group's
 * exit state and the resource limits a fork copies.
 *
 * Locking: rlim[] and flags are (S), the group leader's sighand->siglock;
 * threads and nr_threads are (T).  Job control (stop state, process group
 * and session) is jobctl.c's and pgrp.c's.
 */
#include "clone.h"

#define KF_NR_OPEN 1048576u		/* sysctl_nr_open */

struct kf_signal kf_init_signal = {
	.ref = { 1 },			/* the boot task's, never dropped */
	.live = { 1 },
	.nr_threads = 1,
};

/* Linux's INIT_RLIMITS; NPROC is set from max_threads at boot. */
static const struct kf_rlimit init_rlimits[KF_RLIM_NLIMITS] = {
	[0] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* CPU */
	[1] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* FSIZE */
	[2] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* DATA */
	[3] = { 8ull << 20, KF_RLIM_INFINITY },		/* STACK */
	[4] = { 0, KF_RLIM_INFINITY },			/* CORE */
	[5] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* RSS */
	[6] = { 0, 0 },					/* NPROC */
	[7] = { 1024, 4096 },				/* NOFILE */
	[8] = { 8ull << 20, 8ull << 20 },		/* MEMLOCK */
	[9] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* AS */
	[10] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* LOCKS */
	[11] = { 0, 0 },				/* SIGPENDING */
	[12] = { 819200, 819200 },			/* MSGQUEUE */
	[13] = { 0, 0 },				/* NICE */
	[14] = { 0, 0 },				/* RTPRIO */
	[15] = { KF_RLIM_INFINITY, KF_RLIM_INFINITY },	/* RTTIME */
};

/* kf_signal_boot - the boot task's group: default limits, with NPROC and
 * SIGPENDING at max_threads / 2 as Linux's fork_init sets them. */
void kf_signal_boot(struct kf_task *boot)
{
	struct kf_signal *sig = &kf_init_signal;

	kf_list_init(&sig->threads);
	kf_list_add_tail(&boot->thread_node, &sig->threads);
	kf_os_waitq_init(&sig->wait_chldexit);
	kf_os_waitq_init(&sig->wait_stop);
	/* process group and session 0: init inherits them, as on Linux; the
	 * boot task is no member (it takes no signals) */
	sig->group_pid[KF_PIDTYPE_PGID] = kf_pid_get(boot->pid);
	sig->group_pid[KF_PIDTYPE_SID] = kf_pid_get(boot->pid);
	kf_list_init(&sig->group_node[KF_PIDTYPE_PGID]);
	kf_list_init(&sig->group_node[KF_PIDTYPE_SID]);
	__builtin_memcpy(sig->rlim, init_rlimits, sizeof(sig->rlim));
	sig->rlim[KF_RLIMIT_NPROC].cur = (uint64_t)kf_atomic_read(&kf_max_threads) / 2;
	sig->rlim[KF_RLIMIT_NPROC].max = sig->rlim[KF_RLIMIT_NPROC].cur;
	sig->rlim[11] = sig->rlim[KF_RLIMIT_NPROC];
}

void kf_signal_get(struct kf_signal *sig)
{
	kf_ref_get(&sig->ref);
}

void kf_signal_put(struct kf_signal *sig)
{
	if (!sig || !kf_ref_put(&sig->ref))
		return;
	if (sig == &kf_init_signal)
		kf_os_panic("kf_signal_put: initial signal struct released");
	if (sig->group_pid[KF_PIDTYPE_PGID] || sig->group_pid[KF_PIDTYPE_SID])
		kf_os_panic("kf_signal_put: still in a process group");
	kf_os_free(sig, sizeof(*sig));
}

/*
 * kf_signal_alloc - copy_signal for a new thread group: limits copied from
 * @parent's group, everything else fresh.  The caller links the first
 * thread at commit.
 */
struct kf_signal *kf_signal_alloc(struct kf_task *parent)
{
	struct kf_signal *sig = kf_os_alloc(sizeof(*sig), KF_SITE("clone.signal"));
	unsigned long irq;

	if (!sig)
		return NULL;
	kf_ref_init(&sig->ref, 1);
	kf_atomic_set(&sig->live, 1);
	kf_list_init(&sig->threads);
	kf_os_waitq_init(&sig->wait_chldexit);
	kf_os_waitq_init(&sig->wait_stop);
	kf_list_init(&sig->group_node[KF_PIDTYPE_PGID]);
	kf_list_init(&sig->group_node[KF_PIDTYPE_SID]);
	irq = kf_os_spin_lock(&parent->sighand->siglock);
	__builtin_memcpy(sig->rlim, parent->signal->rlim, sizeof(sig->rlim));
	kf_os_spin_unlock(&parent->sighand->siglock, irq);
	return sig;
}

uint64_t kf_rlimit(int resource)
{
	struct kf_task *cur = kf_current();
	unsigned long irq = kf_os_spin_lock(&cur->sighand->siglock);
	uint64_t v = cur->signal->rlim[resource].cur;

	kf_os_spin_unlock(&cur->sighand->siglock, irq);
	return v;
}

long kf_getrlimit(int resource, uint64_t *cur, uint64_t *max)
{
	struct kf_task *t = kf_current();
	unsigned long irq;

	if ((unsigned)resource >= KF_RLIM_NLIMITS)
		return -KF_EINVAL;
	irq = kf_os_spin_lock(&t->sighand->siglock);
	if (cur)
		*cur = t->signal->rlim[resource].cur;
	if (max)
		*max = t->signal->rlim[resource].max;
	kf_os_spin_unlock(&t->sighand->siglock, irq);
	return 0;
}

/*
 * kf_setrlimit - setrlimit(2) on current's group (do_prlimit): EINVAL for
 * an unknown resource or cur > max, EPERM for NOFILE above nr_open or for
 * raising the hard limit without CAP_SYS_RESOURCE.
 */
long kf_setrlimit(int resource, uint64_t cur, uint64_t max)
{
	struct kf_task *t = kf_current();
	struct kf_rlimit *r;
	unsigned long irq;
	long err = 0;

	if ((unsigned)resource >= KF_RLIM_NLIMITS)
		return -KF_EINVAL;
	if (cur > max)
		return -KF_EINVAL;
	if (resource == KF_RLIMIT_NOFILE && max > KF_NR_OPEN)
		return -KF_EPERM;
	irq = kf_os_spin_lock(&t->sighand->siglock);
	r = &t->signal->rlim[resource];
	if (max > r->max && !kf_capable(KF_CAP_SYS_RESOURCE))
		err = -KF_EPERM;
	else
		*r = (struct kf_rlimit){ cur, max };
	kf_os_spin_unlock(&t->sighand->siglock, irq);
	return err;
}

/* kf_set_pdeath_signal - prctl(PR_SET_PDEATHSIG): 0..64, else EINVAL. */
long kf_set_pdeath_signal(int sig)
{
	if (!kf_valid_signal((unsigned long)(long)sig))
		return -KF_EINVAL;
	kf_current()->pdeath_signal = sig;
	return 0;
}
