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
	.cap_effective = KF_CAP_FULL,
	.cap_permitted = KF_CAP_FULL,
	.cap_bset = KF_CAP_FULL,
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

/*
 * The queued-signal count of RLIMIT_SIGPENDING is the receiver's user's,
 * checked against the receiver's limit (Linux's sigqueue_alloc).  The
 * user is alive while @t's cred holds it, so the reference is taken
 * without the tasklist lock; dropping it may free the user, which takes
 * the lock (kf_user_put).
 */
void *kf_sigpending_charge(struct kf_task *t, bool force)
{
	const struct kf_cred *c = t->cred;
	struct kf_user *u;
	uint64_t lim;
	long n;

	if (!c || !t->signal)
		return NULL;
	u = c->user;
	lim = __atomic_load_n(&t->signal->rlim[KF_RLIMIT_SIGPENDING].cur,
			      __ATOMIC_RELAXED);
	n = kf_atomic_add(&u->sigpending, 1);
	if (!force && (uint64_t)n > lim) {
		kf_atomic_add(&u->sigpending, -1);
		return NULL;
	}
	kf_ref_get(&u->ref);
	return u;
}

void kf_sigpending_uncharge(void *handle)
{
	struct kf_user *u = handle;

	kf_atomic_add(&u->sigpending, -1);
	kf_user_put(u);
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
 * flag_nproc_exceeded - a set*uid call moves current to @new's user: if
 * that user already runs more tasks than RLIMIT_NPROC allows (not
 * counting current), current is marked and its next execve fails while
 * the user stays over the limit (kf_exec_nproc_check).  Linux defers the
 * failure so that programs which never check set*uid's result still
 * cannot escape the limit.  Root's account is never marked.  An unchanged
 * user leaves the mark as it was.
 */
static void flag_nproc_exceeded(const struct kf_cred *new)
{
	struct kf_task *cur = kf_current();
	long procs;

	if (new->user == cur->cred->user)
		return;
	procs = kf_atomic_read(&new->user->processes);
	if ((uint64_t)procs > kf_rlimit_cur(KF_RLIMIT_NPROC) &&
	    new->user != &kf_root_user)
		__atomic_fetch_or(&cur->flags, KF_PF_NPROC_EXCEEDED,
				  __ATOMIC_ACQ_REL);
	else
		__atomic_fetch_and(&cur->flags, ~KF_PF_NPROC_EXCEEDED,
				   __ATOMIC_ACQ_REL);
}

/* commit_uid - the end of every set*uid call that changed something:
 * the capability sets follow the uids (kf_cap_fixup_setuid). */
static long commit_uid(struct kf_cred *new)
{
	kf_cap_fixup_setuid(kf_current()->cred, new);
	flag_nproc_exceeded(new);
	kf_cred_commit(new);
	return 0;
}

long kf_exec_nproc_check(void)
{
	struct kf_task *cur = kf_current();
	long procs = kf_atomic_read(&cur->cred->user->processes);

	if ((kf_task_flags(cur) & KF_PF_NPROC_EXCEEDED) &&
	    (uint64_t)procs > kf_rlimit_cur(KF_RLIMIT_NPROC))
		return -KF_EAGAIN;
	__atomic_fetch_and(&cur->flags, ~KF_PF_NPROC_EXCEEDED, __ATOMIC_ACQ_REL);
	return 0;
}

/* (uint32_t)-1 names no id: "leave it" where a call allows that */
#define NO_ID ((uint32_t)-1)

/*
 * ids_to_kernel - turn each id that is not (uint32_t)-1 ("unchanged") into
 * the kernel id it names in @ns with @make; -EINVAL, changing nothing,
 * if one names none.  @c may be NULL.
 */
static int ids_to_kernel(const struct kf_user_ns *ns,
			 uint32_t (*make)(const struct kf_user_ns *, uint32_t),
			 uint32_t *a, uint32_t *b, uint32_t *c)
{
	uint32_t *ids[3] = { a, b, c }, k[3];

	for (int i = 0; i < 3; i++) {
		if (!ids[i] || *ids[i] == NO_ID)
			continue;
		k[i] = make(ns, *ids[i]);
		if (k[i] == KF_INVALID_ID)
			return -KF_EINVAL;
	}
	for (int i = 0; i < 3; i++)
		if (ids[i] && *ids[i] != NO_ID)
			*ids[i] = k[i];
	return 0;
}

/*
 * kf_setuid - setuid(2).  With CAP_SETUID in the cred's user namespace
 * every uid changes (and the account with the real uid); without it only
 * the effective and fs uid, and only to the real or saved uid (EPERM).
 * As since Linux 3.1, going over RLIMIT_NPROC does not fail here; the next
 * execve does.  Every id these calls take is a name in the caller's user
 * namespace, turned into the kernel id it stands for first (EINVAL when
 * the namespace maps none); the get calls name kernel ids back.
 */
long kf_setuid(uint32_t id)
{
	const struct kf_cred *old = kf_current()->cred;
	uint32_t uid = kf_make_kuid(old->user_ns, id);
	struct kf_cred *new;
	int err;

	/* (uid_t)-1, or an id the namespace does not map, names no user */
	if (uid == KF_INVALID_ID)
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
	return commit_uid(new);

fail:
	kf_cred_put(new);
	return err;
}

/*
 * kf_setreuid - setreuid(2): the real uid may become the real or
 * effective one, the effective uid the real, effective or saved one
 * (else CAP_SETUID).  Setting the real uid, or an effective uid other
 * than the old real one, makes the saved uid the new effective uid.
 */
long kf_setreuid(uint32_t rid, uint32_t eid)
{
	const struct kf_cred *old = kf_current()->cred;
	uint32_t ruid = rid, euid = eid;
	bool cap = false;
	struct kf_cred *new;
	int err;

	err = ids_to_kernel(old->user_ns, kf_make_kuid, &ruid, &euid, NULL);
	if (err)
		return err;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	err = -KF_EPERM;
	if (ruid != NO_ID) {
		new->uid = ruid;
		if (ruid != old->uid && ruid != old->euid &&
		    !(cap = kf_ns_capable(old->user_ns, KF_CAP_SETUID)))
			goto fail;
	}
	if (euid != NO_ID) {
		new->euid = euid;
		if (euid != old->uid && euid != old->euid && euid != old->suid &&
		    !cap && !kf_ns_capable(old->user_ns, KF_CAP_SETUID))
			goto fail;
	}
	if (new->uid != old->uid) {
		err = set_user(new, new->uid);
		if (err)
			goto fail;
	}
	if (ruid != NO_ID || (euid != NO_ID && euid != old->uid))
		new->suid = new->euid;
	new->fsuid = new->euid;
	return commit_uid(new);

fail:
	kf_cred_put(new);
	return err;
}

/* is_one_of - is @id one of the three given (an unprivileged target)? */
static bool is_one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

/*
 * kf_setresuid - setresuid(2): a call that changes nothing succeeds at
 * once; each new id must be one of the old real, effective and saved ones
 * unless current has CAP_SETUID.  The fs uid follows the effective one.
 */
long kf_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new;
	int err;

	err = ids_to_kernel(old->user_ns, kf_make_kuid, &ruid, &euid, &suid);
	if (err)
		return err;
	if ((ruid == NO_ID || ruid == old->uid) &&
	    (euid == NO_ID || (euid == old->euid && euid == old->fsuid)) &&
	    (suid == NO_ID || suid == old->suid))
		return 0;
	if (((ruid != NO_ID && !is_one_of(ruid, old->uid, old->euid, old->suid)) ||
	     (euid != NO_ID && !is_one_of(euid, old->uid, old->euid, old->suid)) ||
	     (suid != NO_ID && !is_one_of(suid, old->uid, old->euid, old->suid))) &&
	    !kf_ns_capable(old->user_ns, KF_CAP_SETUID))
		return -KF_EPERM;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	if (ruid != NO_ID) {
		new->uid = ruid;
		if (ruid != old->uid) {
			err = set_user(new, ruid);
			if (err) {
				kf_cred_put(new);
				return err;
			}
		}
	}
	if (euid != NO_ID)
		new->euid = euid;
	if (suid != NO_ID)
		new->suid = suid;
	new->fsuid = new->euid;
	return commit_uid(new);
}

/*
 * kf_setfsuid - setfsuid(2): the old fs uid, whether or not it changed;
 * the new one must be the real, effective, saved or current fs uid, or
 * current needs CAP_SETUID.  -1 (or no memory) changes nothing.
 */
long kf_setfsuid(uint32_t id)
{
	const struct kf_cred *old = kf_current()->cred;
	uint32_t old_fsuid = kf_from_kuid(old->user_ns, old->fsuid);
	uint32_t fsuid = kf_make_kuid(old->user_ns, id);
	struct kf_cred *new;

	if (fsuid == KF_INVALID_ID || fsuid == old->fsuid)
		return old_fsuid;
	if (!is_one_of(fsuid, old->uid, old->euid, old->suid) &&
	    !kf_ns_capable(old->user_ns, KF_CAP_SETUID))
		return old_fsuid;
	new = kf_cred_dup(old);
	if (!new)
		return old_fsuid;
	new->fsuid = fsuid;
	kf_cap_fixup_setfsuid(old, new);
	kf_cred_commit(new);
	return old_fsuid;
}

/* kf_setgid - setgid(2), the same rules with CAP_SETGID. */
long kf_setgid(uint32_t id)
{
	const struct kf_cred *old = kf_current()->cred;
	uint32_t gid = kf_make_kgid(old->user_ns, id);
	struct kf_cred *new;

	if (gid == KF_INVALID_ID)
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

/* kf_setregid - setregid(2): setreuid's rules for gids, CAP_SETGID. */
long kf_setregid(uint32_t rgid, uint32_t egid)
{
	const struct kf_cred *old = kf_current()->cred;
	bool cap = false;
	struct kf_cred *new;

	if (ids_to_kernel(old->user_ns, kf_make_kgid, &rgid, &egid, NULL))
		return -KF_EINVAL;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	if (rgid != NO_ID) {
		new->gid = rgid;
		if (rgid != old->gid && rgid != old->egid &&
		    !(cap = kf_ns_capable(old->user_ns, KF_CAP_SETGID)))
			goto fail;
	}
	if (egid != NO_ID) {
		new->egid = egid;
		if (egid != old->gid && egid != old->egid && egid != old->sgid &&
		    !cap && !kf_ns_capable(old->user_ns, KF_CAP_SETGID))
			goto fail;
	}
	if (rgid != NO_ID || (egid != NO_ID && egid != old->gid))
		new->sgid = new->egid;
	new->fsgid = new->egid;
	kf_cred_commit(new);
	return 0;

fail:
	kf_cred_put(new);
	return -KF_EPERM;
}

/* kf_setresgid - setresgid(2): setresuid's rules for gids, CAP_SETGID. */
long kf_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new;

	if (ids_to_kernel(old->user_ns, kf_make_kgid, &rgid, &egid, &sgid))
		return -KF_EINVAL;
	if ((rgid == NO_ID || rgid == old->gid) &&
	    (egid == NO_ID || (egid == old->egid && egid == old->fsgid)) &&
	    (sgid == NO_ID || sgid == old->sgid))
		return 0;
	if (((rgid != NO_ID && !is_one_of(rgid, old->gid, old->egid, old->sgid)) ||
	     (egid != NO_ID && !is_one_of(egid, old->gid, old->egid, old->sgid)) ||
	     (sgid != NO_ID && !is_one_of(sgid, old->gid, old->egid, old->sgid))) &&
	    !kf_ns_capable(old->user_ns, KF_CAP_SETGID))
		return -KF_EPERM;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	if (rgid != NO_ID)
		new->gid = rgid;
	if (egid != NO_ID)
		new->egid = egid;
	if (sgid != NO_ID)
		new->sgid = sgid;
	new->fsgid = new->egid;
	kf_cred_commit(new);
	return 0;
}

/* kf_setfsgid - setfsgid(2): setfsuid's rules for gids, CAP_SETGID. */
long kf_setfsgid(uint32_t id)
{
	const struct kf_cred *old = kf_current()->cred;
	uint32_t old_fsgid = kf_from_kgid(old->user_ns, old->fsgid);
	uint32_t fsgid = kf_make_kgid(old->user_ns, id);
	struct kf_cred *new;

	if (fsgid == KF_INVALID_ID || fsgid == old->fsgid)
		return old_fsgid;
	if (!is_one_of(fsgid, old->gid, old->egid, old->sgid) &&
	    !kf_ns_capable(old->user_ns, KF_CAP_SETGID))
		return old_fsgid;
	new = kf_cred_dup(old);
	if (!new)
		return old_fsgid;
	new->fsgid = fsgid;
	kf_cred_commit(new);
	return old_fsgid;
}

/* put_ids - getresuid/getresgid: three ids stored in order, real first;
 * a fault stops there (what was stored stays). */
static long put_ids(kf_uptr_t u0, kf_uptr_t u1, kf_uptr_t u2,
		    const uint32_t ids[3])
{
	if (kf_os_copy_to_user(u0, &ids[0], 4) ||
	    kf_os_copy_to_user(u1, &ids[1], 4) ||
	    kf_os_copy_to_user(u2, &ids[2], 4))
		return -KF_EFAULT;
	return 0;
}

long kf_getresuid(kf_uptr_t uruid, kf_uptr_t ueuid, kf_uptr_t usuid)
{
	const struct kf_cred *c = kf_current()->cred;
	uint32_t ids[3] = { kf_from_kuid(c->user_ns, c->uid),
			    kf_from_kuid(c->user_ns, c->euid),
			    kf_from_kuid(c->user_ns, c->suid) };

	return put_ids(uruid, ueuid, usuid, ids);
}

long kf_getresgid(kf_uptr_t urgid, kf_uptr_t uegid, kf_uptr_t usgid)
{
	const struct kf_cred *c = kf_current()->cred;
	uint32_t ids[3] = { kf_from_kgid(c->user_ns, c->gid),
			    kf_from_kgid(c->user_ns, c->egid),
			    kf_from_kgid(c->user_ns, c->sgid) };

	return put_ids(urgid, uegid, usgid, ids);
}

long kf_getuid(void)
{
	const struct kf_cred *c = kf_current()->cred;

	return kf_from_kuid(c->user_ns, c->uid);
}

long kf_geteuid(void)
{
	const struct kf_cred *c = kf_current()->cred;

	return kf_from_kuid(c->user_ns, c->euid);
}

long kf_getgid(void)
{
	const struct kf_cred *c = kf_current()->cred;

	return kf_from_kgid(c->user_ns, c->gid);
}

long kf_getegid(void)
{
	const struct kf_cred *c = kf_current()->cred;

	return kf_from_kgid(c->user_ns, c->egid);
}
