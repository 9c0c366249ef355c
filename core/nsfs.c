// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/nsfs.c - namespaces as things a host hands out as files, and
 * setns(2): entering the namespaces such a file or a pidfd names.
 *
 * setns follows Linux's nsset: a private copy of current's nsproxy (and,
 * for a user namespace, of its cred) is made first; each namespace asked
 * for is checked and put into the copy with the capabilities the copied
 * cred will have; only when every one passed does current switch to the
 * copy -- a failure changes nothing.
 */
#include "clone.h"

static const char *const kind_names[KF_NS_KINDS] = {
	[KF_NS_CGROUP] = "cgroup", [KF_NS_IPC] = "ipc", [KF_NS_MNT] = "mnt",
	[KF_NS_NET] = "net", [KF_NS_PID] = "pid",
	[KF_NS_PID_FOR_CHILDREN] = "pid_for_children", [KF_NS_TIME] = "time",
	[KF_NS_TIME_FOR_CHILDREN] = "time_for_children", [KF_NS_USER] = "user",
	[KF_NS_UTS] = "uts",
};

static const uint64_t kind_types[KF_NS_KINDS] = {
	[KF_NS_CGROUP] = KF_CLONE_NEWCGROUP, [KF_NS_IPC] = KF_CLONE_NEWIPC,
	[KF_NS_MNT] = KF_CLONE_NEWNS, [KF_NS_NET] = KF_CLONE_NEWNET,
	[KF_NS_PID] = KF_CLONE_NEWPID, [KF_NS_PID_FOR_CHILDREN] = KF_CLONE_NEWPID,
	[KF_NS_TIME] = KF_CLONE_NEWTIME, [KF_NS_TIME_FOR_CHILDREN] = KF_CLONE_NEWTIME,
	[KF_NS_USER] = KF_CLONE_NEWUSER, [KF_NS_UTS] = KF_CLONE_NEWUTS,
};

/* the namespaces setns can enter */
#define SETNS_TYPES (KF_CLONE_NEWNS | KF_CLONE_NEWUTS | KF_CLONE_NEWIPC | \
		     KF_CLONE_NEWNET | KF_CLONE_NEWUSER | KF_CLONE_NEWPID | \
		     KF_CLONE_NEWCGROUP | KF_CLONE_NEWTIME)

const char *kf_ns_kind_name(int kind)
{
	return kind >= 0 && kind < KF_NS_KINDS ? kind_names[kind] : NULL;
}

const char *kf_ns_type_name(uint64_t type)
{
	int k;

	for (k = 0; k < KF_NS_KINDS; k++)
		if (kind_types[k] == type)
			return kind_names[k];
	return NULL;
}

/* owner - the user namespace that owns namespace @obj of @type. */
static struct kf_user_ns *owner(uint64_t type, void *obj)
{
	if (type == KF_CLONE_NEWUSER)
		return obj;
	if (type == KF_CLONE_NEWPID)
		return kf_pid_ns_owner(obj);
	return ((struct kf_ns *)obj)->owner;
}

static unsigned inum_of(uint64_t type, void *obj)
{
	if (type == KF_CLONE_NEWUSER)
		return ((struct kf_user_ns *)obj)->inum;
	if (type == KF_CLONE_NEWPID)
		return kf_pid_ns_inum(obj);
	return ((struct kf_ns *)obj)->inum;
}

/* ---- Who may look --------------------------------------------------------------- */

static bool ids_match(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a && id == b && id == c;
}

long kf_ptrace_may_access(struct kf_task *t, bool fscreds)
{
	const struct kf_cred *me = kf_current()->cred, *tc;
	unsigned long irq;
	bool ok;

	irq = kf_tasklist_lock_irq();
	if (t->signal && t->signal == kf_current()->signal) {
		kf_tasklist_unlock_irq(irq);
		return 0;
	}
	tc = t->cred ? kf_cred_get(t->cred) : NULL;
	kf_tasklist_unlock_irq(irq);
	if (!tc)
		return -KF_EPERM;
	ok = ids_match(fscreds ? me->fsuid : me->uid, tc->uid, tc->euid, tc->suid) &&
	     ids_match(fscreds ? me->fsgid : me->gid, tc->gid, tc->egid, tc->sgid);
	if (!ok)
		ok = kf_ns_capable(tc->user_ns, KF_CAP_SYS_PTRACE);
	kf_cred_put(tc);
	return ok ? 0 : -KF_EPERM;
}

/* ---- References -------------------------------------------------------------------- */

/* task_ns - @t's namespace object of @kind, or NULL once it exited (only
 * its user and pid namespaces are left to a zombie).  (T) */
static void *task_ns(struct kf_task *t, int kind)
{
	struct kf_nsproxy *nsp = t->nsproxy;

	if (!t->real_parent)
		return NULL;		/* reaped */
	if (kind == KF_NS_USER)
		return t->cred ? t->cred->user_ns : NULL;
	if (kind == KF_NS_PID)
		return kf_task_active_pid_ns(t);
	if (t->exit_state != KF_EXIT_NONE || !nsp)
		return NULL;
	switch (kind) {
	case KF_NS_CGROUP: return nsp->cgroup;
	case KF_NS_IPC: return nsp->ipc;
	case KF_NS_MNT: return nsp->mnt;
	case KF_NS_NET: return nsp->net;
	case KF_NS_PID_FOR_CHILDREN: return nsp->pid_ns_for_children;
	case KF_NS_TIME: return nsp->time;
	case KF_NS_TIME_FOR_CHILDREN: return nsp->time_for_children;
	case KF_NS_UTS: return &nsp->uts->ns;
	default: return NULL;
	}
}

long kf_task_ns_get(struct kf_task *t, int kind, bool check, struct kf_nsref *out)
{
	unsigned long irq;
	void *obj;

	if (kind < 0 || kind >= KF_NS_KINDS)
		return -KF_EINVAL;
	if (check && kf_ptrace_may_access(t, true))
		return -KF_EACCES;
	irq = kf_tasklist_lock_irq();
	obj = task_ns(t, kind);
	if (obj)
		kf_nsobj_get(kind_types[kind], obj);
	kf_tasklist_unlock_irq(irq);
	if (!obj)
		return -KF_ESRCH;
	out->type = kind_types[kind];
	out->ns = obj;
	out->inum = inum_of(out->type, obj);
	return 0;
}

void kf_nsref_get(const struct kf_nsref *r)
{
	kf_nsobj_get(r->type, r->ns);
}

void kf_nsref_put(struct kf_nsref *r)
{
	if (r->ns)
		kf_nsobj_put(r->type, r->ns);
	r->ns = NULL;
}

/* ---- setns ----------------------------------------------------------------------------- */

struct nsset {
	struct kf_nsproxy *nsp;		/* current's, copied */
	struct kf_cred *cred;		/* current's, copied (CLONE_NEWUSER) */
	uint64_t flags;
};

static const struct kf_cred *nsset_cred(const struct nsset *s)
{
	return s->cred ? s->cred : kf_current()->cred;
}

/* admin - CAP_SYS_ADMIN over namespace @obj and over the caller's own user
 * namespace (with the cred it will have): every install's first check. */
static bool admin(const struct nsset *s, uint64_t type, void *obj)
{
	const struct kf_cred *c = nsset_cred(s);

	return kf_cred_ns_capable(c, owner(type, obj), KF_CAP_SYS_ADMIN) &&
	       kf_cred_ns_capable(c, c->user_ns, KF_CAP_SYS_ADMIN);
}

/* swap - @slot takes a reference on @obj and drops its old one. */
static void swap(void **slot, uint64_t type, void *obj)
{
	kf_nsobj_get(type, obj);
	kf_nsobj_put(type, *slot);
	*slot = obj;
}

static long install_user(struct nsset *s, struct kf_user_ns *ns)
{
	struct kf_task *cur = kf_current();

	if (ns == cur->cred->user_ns)
		return -KF_EINVAL;
	if (!kf_thread_group_empty(cur) || kf_fs_users(cur->fs) != 1)
		return -KF_EINVAL;
	if (!kf_ns_capable(ns, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	/* the entered namespace's full set, as set_cred_user_ns gives */
	swap((void **)&s->cred->user_ns, KF_CLONE_NEWUSER, ns);
	s->cred->cap_effective = ~0ull;
	return 0;
}

static long install_mnt(struct nsset *s, struct kf_ns *ns)
{
	const struct kf_cred *c = nsset_cred(s);

	if (!kf_cred_ns_capable(c, ns->owner, KF_CAP_SYS_ADMIN) ||
	    !kf_cred_ns_capable(c, c->user_ns, KF_CAP_SYS_CHROOT) ||
	    !kf_cred_ns_capable(c, c->user_ns, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	if (kf_fs_users(kf_current()->fs) != 1)
		return -KF_EINVAL;
	swap((void **)&s->nsp->mnt, KF_CLONE_NEWNS, ns);
	return 0;
}

/* install_pid - only the caller's own pid namespace or one below it:
 * pid_for_children changes, the caller's own pid does not. */
static long install_pid(struct nsset *s, struct kf_pid_ns *ns)
{
	struct kf_pid_ns *active = kf_task_active_pid_ns(kf_current());
	struct kf_pid_ns *up = ns;

	if (!admin(s, KF_CLONE_NEWPID, ns))
		return -KF_EPERM;
	while (up && kf_pid_ns_level(up) > kf_pid_ns_level(active))
		up = kf_pid_ns_parent(up);
	if (up != active)
		return -KF_EINVAL;
	swap((void **)&s->nsp->pid_ns_for_children, KF_CLONE_NEWPID, ns);
	return 0;
}

/* install_time - the caller's time and its children's change at once;
 * only a single-threaded process may (EUSERS). */
static long install_time(struct nsset *s, struct kf_ns *ns)
{
	if (!kf_thread_group_empty(kf_current()))
		return -KF_EUSERS;
	if (!admin(s, KF_CLONE_NEWTIME, ns))
		return -KF_EPERM;
	swap((void **)&s->nsp->time, KF_CLONE_NEWTIME, ns);
	swap((void **)&s->nsp->time_for_children, KF_CLONE_NEWTIME, ns);
	return 0;
}

/* install - namespace @obj of @type into @s (Linux's ns->ops->install). */
static long install(struct nsset *s, uint64_t type, void *obj)
{
	struct kf_nsproxy *n = s->nsp;

	switch (type) {
	case KF_CLONE_NEWUSER:
		return install_user(s, obj);
	case KF_CLONE_NEWNS:
		return install_mnt(s, obj);
	case KF_CLONE_NEWPID:
		return install_pid(s, obj);
	case KF_CLONE_NEWTIME:
		return install_time(s, obj);
	default:
		break;
	}
	if (!admin(s, type, obj))
		return -KF_EPERM;
	if (type == KF_CLONE_NEWUTS) {
		struct kf_uts_ns *uts = kf_container_of(obj, struct kf_uts_ns, ns);

		swap((void **)&n->uts, type, uts);
	} else if (type == KF_CLONE_NEWIPC) {
		swap((void **)&n->ipc, type, obj);
	} else if (type == KF_CLONE_NEWNET) {
		swap((void **)&n->net, type, obj);
	} else {
		swap((void **)&n->cgroup, type, obj);
	}
	return 0;
}

/* prepare - the copies the namespaces go into.  0 or -ENOMEM. */
static long prepare(struct nsset *s, uint64_t flags)
{
	struct kf_task *cur = kf_current();
	long err;

	s->flags = flags;
	s->cred = NULL;
	err = kf_nsproxy_create(0, cur->nsproxy, cur->cred->user_ns, &s->nsp);
	if (err)
		return err;
	if (flags & KF_CLONE_NEWUSER) {
		s->cred = kf_cred_dup(cur->cred);
		if (!s->cred) {
			kf_nsproxy_put(s->nsp);
			return -KF_ENOMEM;
		}
	}
	return 0;
}

static void discard(struct nsset *s)
{
	kf_nsproxy_put(s->nsp);
	kf_cred_put(s->cred);
}

/* commit - current takes the new set (and cred); entering a mount
 * namespace puts the cwd at its root. */
static void commit(struct nsset *s)
{
	struct kf_task *cur = kf_current();
	struct kf_nsproxy *old;
	unsigned long irq;

	if (s->cred)
		kf_cred_commit(s->cred);
	if (s->flags & KF_CLONE_NEWNS)
		kf_fs_set_pwd(NULL);
	irq = kf_tasklist_lock_irq();
	old = cur->nsproxy;
	cur->nsproxy = s->nsp;
	kf_tasklist_unlock_irq(irq);
	kf_nsproxy_put(old);
}

long kf_setns(const struct kf_nsref *r, uint64_t nstype)
{
	struct nsset s;
	long err;

	if (nstype && nstype != r->type)
		return -KF_EINVAL;
	err = prepare(&s, r->type);
	if (err)
		return err;
	err = install(&s, r->type, r->ns);
	if (err) {
		discard(&s);
		return err;
	}
	commit(&s);
	return 0;
}

/* the order Linux's validate_nsset installs them in */
static const int task_order[] = {
	KF_NS_USER, KF_NS_MNT, KF_NS_UTS, KF_NS_IPC, KF_NS_PID, KF_NS_CGROUP,
	KF_NS_NET, KF_NS_TIME,
};

long kf_setns_task(struct kf_task *t, uint64_t flags)
{
	const unsigned kinds = sizeof(task_order) / sizeof(task_order[0]);
	struct kf_nsref refs[sizeof(task_order) / sizeof(task_order[0])], probe;
	struct nsset s;
	unsigned i, n = 0;
	long err;

	if (!flags || (flags & ~(uint64_t)SETNS_TYPES))
		return -KF_EINVAL;
	err = prepare(&s, flags);
	if (err)
		return err;
	/* a snapshot of @t's namespaces first: ESRCH once it exited (it has
	 * no namespaces left), EPERM when it is not ours to look at */
	err = kf_task_ns_get(t, KF_NS_UTS, false, &probe);
	if (!err) {
		kf_nsref_put(&probe);
		err = kf_ptrace_may_access(t, false);
	}
	for (i = 0; !err && i < kinds; i++) {
		if (!(flags & kind_types[task_order[i]]))
			continue;
		err = kf_task_ns_get(t, task_order[i], false, &refs[n]);
		if (!err)
			n++;
	}
	for (i = 0; !err && i < n; i++)
		err = install(&s, refs[i].type, refs[i].ns);
	for (i = 0; i < n; i++)
		kf_nsref_put(&refs[i]);
	if (err) {
		discard(&s);
		return err;
	}
	commit(&s);
	return 0;
}
