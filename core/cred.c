// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/cred.c - credentials and per-user process accounts.
 *
 * A cred is immutable once a task uses it: a change (setuid, a new user
 * namespace) builds a copy and swaps the task's pointer (commit).  Threads
 * of a group share their creator's cred until one of them changes its own.
 *
 * Every task is charged to the struct kf_user of its cred's uid, which
 * counts the tasks (threads included) the uid owns for RLIMIT_NPROC.  The
 * count moves with setuid and is dropped when the task is released.
 *
 * Locking: the user list is (T); refcounts of users are changed under (T)
 * too, so a lookup never finds a user on its way out.
 */
#include "clone.h"

struct kf_user kf_root_user = {
	.ref = { 2 },			/* permanent + kf_init_cred's */
	.uid = 0,
};

static struct kf_list user_list = KF_LIST_INIT(user_list);	/* (T) */

struct kf_cred kf_init_cred = {
	.ref = { 1 },			/* the boot task's, never dropped */
	.cap_effective = ~0ull,
	.user = &kf_root_user,
	.user_ns = &kf_init_user_ns,
};

void kf_cred_boot(void)
{
	unsigned long irq = kf_tasklist_lock_irq();

	kf_list_add(&kf_root_user.node, &user_list);
	kf_tasklist_unlock_irq(irq);
}

/* ---- users --------------------------------------------------------------- */

static struct kf_user *user_find(uint32_t uid)
{
	struct kf_list *pos;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	kf_list_for_each(pos, &user_list) {
		struct kf_user *u = kf_list_entry(pos, struct kf_user, node);

		if (u->uid == uid)
			return u;
	}
	return NULL;
}

/* user_find_get - the account of @uid with a new reference, or NULL. */
static struct kf_user *user_find_get(uint32_t uid)
{
	unsigned long irq = kf_tasklist_lock_irq();
	struct kf_user *u = user_find(uid);

	if (u)
		kf_ref_get(&u->ref);
	kf_tasklist_unlock_irq(irq);
	return u;
}

struct kf_user *kf_user_lookup(uint32_t uid)
{
	struct kf_user *u = user_find_get(uid), *nu;
	unsigned long irq;

	if (u)
		return u;
	nu = kf_os_alloc(sizeof(*nu), KF_SITE("cred.user"));
	if (!nu)
		return NULL;
	irq = kf_tasklist_lock_irq();
	u = user_find(uid);		/* someone else may have added it */
	if (u) {
		kf_ref_get(&u->ref);
		kf_tasklist_unlock_irq(irq);
		kf_os_free(nu, sizeof(*nu));
		return u;
	}
	kf_ref_init(&nu->ref, 1);
	nu->uid = uid;
	kf_list_add(&nu->node, &user_list);
	kf_tasklist_unlock_irq(irq);
	return nu;
}

void kf_user_put(struct kf_user *u)
{
	unsigned long irq = kf_tasklist_lock_irq();

	if (!kf_ref_put(&u->ref)) {
		kf_tasklist_unlock_irq(irq);
		return;
	}
	if (u == &kf_root_user)
		kf_os_panic("kf_user_put: root user released");
	kf_list_del(&u->node);
	kf_tasklist_unlock_irq(irq);
	kf_os_free(u, sizeof(*u));
}

void kf_user_inc_processes(struct kf_user *u)
{
	kf_atomic_add(&u->processes, 1);
}

void kf_user_dec_processes(struct kf_user *u)
{
	if (kf_atomic_add(&u->processes, -1) < 0)
		kf_os_panic("kf_user_dec_processes: uid %u below zero", u->uid);
}

/* ---- creds ------------------------------------------------------------------ */

const struct kf_cred *kf_cred_get(const struct kf_cred *c)
{
	kf_ref_get(&((struct kf_cred *)c)->ref);
	return c;
}

struct kf_cred *kf_cred_dup(const struct kf_cred *old)
{
	struct kf_cred *c = kf_os_alloc(sizeof(*c), KF_SITE("clone.cred"));

	if (!c)
		return NULL;
	*c = *old;
	kf_ref_init(&c->ref, 1);
	kf_ref_get(&c->user->ref);	/* the user is alive: @old holds it */
	kf_user_ns_get(c->user_ns);
	return c;
}

void kf_cred_put(const struct kf_cred *cc)
{
	struct kf_cred *c = (struct kf_cred *)cc;

	if (!c || !kf_ref_put(&c->ref))
		return;
	if (c == &kf_init_cred)
		kf_os_panic("kf_cred_put: initial cred released");
	kf_user_put(c->user);
	kf_user_ns_put(c->user_ns);
	kf_os_free(c, sizeof(*c));
}

/*
 * kf_cred_commit - current's cred becomes @new (one reference, taken
 * over).  A change of user moves the task's process count along.
 */
void kf_cred_commit(struct kf_cred *new)
{
	struct kf_task *cur = kf_current();
	const struct kf_cred *old = cur->cred;
	unsigned long f;

	if (new->user != old->user) {
		kf_user_inc_processes(new->user);
		kf_user_dec_processes(old->user);
	}
	/* others read a task's cred under the tasklist lock (kill's
	 * permission check, kf_task_info): no put while they may look */
	f = kf_tasklist_lock_irq();
	cur->cred = new;
	kf_tasklist_unlock_irq(f);
	kf_cred_put(old);
}

/* set_user - @new's account becomes @uid's: 0 or -ENOMEM. */
static int set_user(struct kf_cred *new, uint32_t uid)
{
	struct kf_user *u = kf_user_lookup(uid);

	if (!u)
		return -KF_ENOMEM;
	kf_user_put(new->user);
	new->user = u;
	return 0;
}

/*
 * kf_setuid - setuid(2).  With CAP_SETUID in the cred's user namespace
 * every uid changes (and the account with the real uid); without it only
 * the effective and fs uid, and only to the real or saved uid (EPERM).
 * As since Linux 3.1, going over RLIMIT_NPROC does not fail here; the next
 * fork does.
 */
long kf_setuid(uint32_t uid)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new;
	int err;

	/* (uid_t)-1 names no user */
	if (uid == (uint32_t)-1)
		return -KF_EINVAL;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	if (kf_ns_capable(old->user_ns, KF_CAP_SETUID)) {
		new->uid = new->suid = uid;
		if (uid != old->uid) {
			err = set_user(new, uid);
			if (err)
				goto fail;
		}
	} else if (uid != old->uid && uid != old->suid) {
		err = -KF_EPERM;
		goto fail;
	}
	new->euid = new->fsuid = uid;
	kf_cred_commit(new);
	return 0;

fail:
	kf_cred_put(new);
	return err;
}

/* kf_setgid - setgid(2), the same rules with CAP_SETGID. */
long kf_setgid(uint32_t gid)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new;

	if (gid == (uint32_t)-1)
		return -KF_EINVAL;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	if (kf_ns_capable(old->user_ns, KF_CAP_SETGID)) {
		new->gid = new->egid = new->sgid = new->fsgid = gid;
	} else if (gid == old->gid || gid == old->sgid) {
		new->egid = new->fsgid = gid;
	} else {
		kf_cred_put(new);
		return -KF_EPERM;
	}
	kf_cred_commit(new);
	return 0;
}

long kf_getuid(void)
{
	return kf_current()->cred->uid;
}

long kf_geteuid(void)
{
	return kf_current()->cred->euid;
}

long kf_getgid(void)
{
	return kf_current()->cred->gid;
}

long kf_getegid(void)
{
	return kf_current()->cred->egid;
}
