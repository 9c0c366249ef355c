// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/nsproxy.c - namespace objects and the per-task set of them.
 *
 * kfork keeps the objects and their sharing rules (refcounts, owners,
 * nesting, the uts hostname); what lives inside a mount, net, ipc or cgroup
 * namespace is the host's business.  A task points at one struct
 * kf_nsproxy, shared until CLONE_NEW* or unshare makes a new set.
 *
 * User namespaces hang off credentials, not the nsproxy, as in Linux: they
 * decide capabilities (kf_ns_capable).
 */
#include "clone.h"

/* the initial namespace names every id but (uint32_t)-1 as itself */
#define ID_MAP_ALL { .nr = 1, .range = { { 0, 0, 0xffffffffu } } }

struct kf_user_ns kf_init_user_ns = {
	.ref = { 1 },			/* never freed */
	.inum = KF_NS_INUM_USER_INIT,
	.uid_map = ID_MAP_ALL,
	.gid_map = ID_MAP_ALL,
};

/* The next namespace inode number (Linux's proc_inum ida counts from
 * 0xF0000000; these are never reused). */
static kf_atomic_t next_inum = { KF_NS_INUM_DYNAMIC + 2 };

unsigned kf_ns_inum_alloc(void)
{
	return (unsigned)kf_atomic_add(&next_inum, 1) - 1;
}

static struct kf_uts_ns init_uts = {
	.ns = { .ref = { 1 }, .owner = &kf_init_user_ns,
		.inum = KF_NS_INUM_UTS_INIT },
	.nodename = "(none)",		/* Linux's UTS_NODENAME default */
};
/* Linux's inode numbers of the initial namespaces (PROC_*_INIT_INO); the
 * mount and network ones are the first dynamic numbers, as on a booted
 * Linux. */
static struct kf_ns init_ipc = { .ref = { 1 }, .owner = &kf_init_user_ns,
				 .inum = KF_NS_INUM_IPC_INIT };
static struct kf_ns init_mnt = { .ref = { 1 }, .owner = &kf_init_user_ns,
				 .inum = KF_NS_INUM_DYNAMIC + 1 };
static struct kf_ns init_net = { .ref = { 1 }, .owner = &kf_init_user_ns,
				 .inum = KF_NS_INUM_DYNAMIC };
static struct kf_ns init_cgroup = { .ref = { 1 }, .owner = &kf_init_user_ns,
				    .inum = KF_NS_INUM_CGROUP_INIT };
static struct kf_ns init_time = { .ref = { 2 }, .owner = &kf_init_user_ns,
				  .inum = KF_NS_INUM_TIME_INIT };

struct kf_nsproxy kf_init_nsproxy = {
	.ref = { 1 },			/* the boot task's, never dropped */
	.uts = &init_uts,
	.ipc = &init_ipc,
	.mnt = &init_mnt,
	.net = &init_net,
	.cgroup = &init_cgroup,
	.time = &init_time,
	.time_for_children = &init_time,
	.pid_ns_for_children = &kf_init_pid_ns,
};

/* ---- user namespaces ------------------------------------------------------- */

void kf_user_ns_get(struct kf_user_ns *ns)
{
	kf_ref_get(&ns->ref);
}

void kf_user_ns_put(struct kf_user_ns *ns)
{
	while (ns && kf_ref_put(&ns->ref)) {
		struct kf_user_ns *parent = ns->parent;

		if (ns == &kf_init_user_ns)
			kf_os_panic("kf_user_ns_put: initial namespace released");
		kf_os_free(ns, sizeof(*ns));
		ns = parent;
	}
}

/* ---- id maps ------------------------------------------------------------- */

/* map_down - the kernel id that @id of @m stands for, or KF_INVALID_ID. */
static uint32_t map_down(const struct kf_id_map *m, uint32_t id)
{
	for (unsigned i = 0; i < m->nr; i++)
		if (id - m->range[i].first < m->range[i].count)
			return m->range[i].lower_first + (id - m->range[i].first);
	return KF_INVALID_ID;
}

/* map_up - the id of @m that stands for kernel id @kid, or the overflow
 * id when no range covers it. */
static uint32_t map_up(const struct kf_id_map *m, uint32_t kid)
{
	for (unsigned i = 0; i < m->nr; i++)
		if (kid - m->range[i].lower_first < m->range[i].count)
			return m->range[i].first + (kid - m->range[i].lower_first);
	return KF_OVERFLOW_ID;
}

/* has_mapping - does some id of @m stand for kernel id @kid? */
static bool has_mapping(const struct kf_id_map *m, uint32_t kid)
{
	for (unsigned i = 0; i < m->nr; i++)
		if (kid - m->range[i].lower_first < m->range[i].count)
			return true;
	return false;
}

uint32_t kf_make_kuid(const struct kf_user_ns *ns, uint32_t id)
{
	return map_down(&ns->uid_map, id);
}

uint32_t kf_make_kgid(const struct kf_user_ns *ns, uint32_t id)
{
	return map_down(&ns->gid_map, id);
}

uint32_t kf_from_kuid(const struct kf_user_ns *ns, uint32_t kid)
{
	return kid == KF_INVALID_ID ? KF_OVERFLOW_ID : map_up(&ns->uid_map, kid);
}

uint32_t kf_from_kgid(const struct kf_user_ns *ns, uint32_t kid)
{
	return kid == KF_INVALID_ID ? KF_OVERFLOW_ID : map_up(&ns->gid_map, kid);
}

/* ranges_ok - @r has 1..KF_ID_MAP_MAX ranges, none empty, none wrapping
 * past the id space on either side, no two overlapping on either side. */
static bool ranges_ok(const struct kf_id_map *r)
{
	if (r->nr == 0 || r->nr > KF_ID_MAP_MAX)
		return false;
	for (unsigned i = 0; i < r->nr; i++) {
		uint32_t f = r->range[i].first, l = r->range[i].lower_first;
		uint32_t n = r->range[i].count;

		if (n == 0 || f + n - 1 < f || l + n - 1 < l ||
		    f + n - 1 == KF_INVALID_ID || l + n - 1 == KF_INVALID_ID)
			return false;
		for (unsigned j = 0; j < i; j++) {
			uint32_t f2 = r->range[j].first, l2 = r->range[j].lower_first;
			uint32_t n2 = r->range[j].count;

			if ((f <= f2 + n2 - 1 && f2 <= f + n - 1) ||
			    (l <= l2 + n2 - 1 && l2 <= l + n - 1))
				return false;
		}
	}
	return true;
}

/* map_permitted - Linux's new_idmap_permitted for current writing @r. */
static bool map_permitted(const struct kf_user_ns *ns, bool gid,
			  const struct kf_id_map *r)
{
	const struct kf_cred *c = kf_current()->cred;

	if (r->nr == 1 && r->range[0].count == 1 && ns->owner == c->euid) {
		uint32_t id = r->range[0].lower_first;

		if (!gid && kf_make_kuid(ns->parent, id) == c->euid)
			return true;
		if (gid && kf_make_kgid(ns->parent, id) == c->egid)
			return true;
	}
	return kf_ns_capable(ns->parent, gid ? KF_CAP_SETGID : KF_CAP_SETUID);
}

int kf_user_ns_write_map(struct kf_user_ns *ns, bool gid,
			 const struct kf_id_map *r)
{
	struct kf_id_map *m = gid ? &ns->gid_map : &ns->uid_map, k = *r;
	const struct kf_id_map *pm;

	if (ns == &kf_init_user_ns || m->nr != 0 ||
	    !kf_ns_capable(ns, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	if (!ranges_ok(r))
		return -KF_EINVAL;
	if (!map_permitted(ns, gid, r))
		return -KF_EPERM;
	pm = gid ? &ns->parent->gid_map : &ns->parent->uid_map;
	for (unsigned i = 0; i < k.nr; i++) {
		uint32_t lo = map_down(pm, r->range[i].lower_first);

		/* the whole range must lie in one range of the parent */
		if (lo == KF_INVALID_ID ||
		    map_down(pm, r->range[i].lower_first + r->range[i].count - 1) !=
		    lo + r->range[i].count - 1)
			return -KF_EPERM;
		k.range[i].lower_first = lo;
	}
	/* readers look without a lock: the count goes last */
	for (unsigned i = 0; i < k.nr; i++)
		m->range[i] = k.range[i];
	__atomic_store_n(&m->nr, k.nr, __ATOMIC_RELEASE);
	return 0;
}

/*
 * kf_user_ns_create - @new moves into a new child of its user namespace,
 * owned by its euid; the creator holds every capability there.  ENOSPC
 * past the nesting limit, then EPERM when the parent namespace maps no
 * name for @new's euid or egid (create_user_ns).  On failure @new is
 * unchanged.
 */
int kf_user_ns_create(struct kf_cred *new)
{
	struct kf_user_ns *parent = new->user_ns, *ns;

	/* nesting limit (Linux answers ENOSPC since 4.9, EUSERS before) */
	if (parent->level > KF_USER_NS_MAX_LEVEL)
		return -KF_ENOSPC;
	/* the owner must have a name where the namespace hangs: no new
	 * namespace from one whose maps were never written */
	if (!has_mapping(&parent->uid_map, new->euid) ||
	    !has_mapping(&parent->gid_map, new->egid))
		return -KF_EPERM;
	ns = kf_os_alloc(sizeof(*ns), KF_SITE("clone.user_ns"));
	if (!ns)
		return -KF_ENOMEM;
	kf_ref_init(&ns->ref, 1);
	ns->level = parent->level + 1;
	ns->parent = parent;		/* takes over new's reference */
	ns->owner = new->euid;
	ns->inum = kf_ns_inum_alloc();
	ns->uid_map.nr = ns->gid_map.nr = 0;	/* nothing mapped yet */
	new->user_ns = ns;
	/* every capability in the new namespace, nothing to inherit */
	new->cap_effective = new->cap_permitted = new->cap_bset = KF_CAP_FULL;
	new->cap_inheritable = 0;
	new->securebits = 0;
	return 0;
}

/* cred_has_cap - @c's own capability in its own user namespace. */
static bool cred_has_cap(const struct kf_cred *c, int cap)
{
	if (c->user_ns == &kf_init_user_ns)
		return kf_os_capable(kf_current(), cap);
	return (c->cap_effective >> cap) & 1;
}

bool kf_ns_capable(const struct kf_user_ns *target, int cap)
{
	return kf_cred_ns_capable(kf_current()->cred, target, cap);
}

/* kf_cred_ns_capable - the same walk for cred @c, which current is about
 * to take on (setns's: its capabilities are decided before it commits). */
bool kf_cred_ns_capable(const struct kf_cred *c, const struct kf_user_ns *target,
			int cap)
{
	const struct kf_user_ns *ns;

	for (ns = target; ns; ns = ns->parent) {
		/* in its own namespace a cred has the caps it holds */
		if (ns == c->user_ns)
			return cred_has_cap(c, cap);
		/* a namespace at or above ours that is not ours: none */
		if (ns->level <= c->user_ns->level)
			return false;
		/* the owner of a child of our namespace has every cap in it */
		if (ns->parent == c->user_ns && ns->owner == c->euid)
			return true;
	}
	return false;
}

/* ---- simple namespaces -------------------------------------------------- */

static void ns_get(struct kf_ns *ns)
{
	kf_ref_get(&ns->ref);
}

static void ns_put(struct kf_ns *ns, size_t size)
{
	if (ns && kf_ref_put(&ns->ref)) {
		kf_user_ns_put(ns->owner);
		kf_os_free(ns, size);
	}
}

static struct kf_ns *ns_new(struct kf_user_ns *owner, const char *site)
{
	struct kf_ns *ns = kf_os_alloc(sizeof(*ns), site);

	if (!ns)
		return NULL;
	kf_ref_init(&ns->ref, 1);
	ns->owner = owner;
	ns->inum = kf_ns_inum_alloc();
	ns->os = NULL;
	kf_user_ns_get(owner);
	return ns;
}

/* ns_copy - @old with a new reference, or a new namespace when @want. */
static struct kf_ns *ns_copy(bool want, struct kf_ns *old,
			     struct kf_user_ns *owner, const char *site)
{
	if (!want) {
		ns_get(old);
		return old;
	}
	return ns_new(owner, site);
}

/* mnt_put - a mount namespace's last put also frees the host's table. */
static void mnt_put(struct kf_ns *ns)
{
	if (ns && kf_ref_put(&ns->ref)) {
		kf_os_mnt_ns_free(ns->os);
		kf_user_ns_put(ns->owner);
		kf_os_free(ns, sizeof(*ns));
	}
}

/* mnt_copy - CLONE_NEWNS: a new mount namespace whose table the host
 * copies from @old's (copy_mnt_ns), else @old shared. */
static struct kf_ns *mnt_copy(bool want, struct kf_ns *old,
			      struct kf_user_ns *owner)
{
	struct kf_ns *ns = ns_copy(want, old, owner, KF_SITE("clone.mnt_ns"));

	if (!ns || !want)
		return ns;
	if (kf_os_mnt_ns_dup(old->os, &ns->os)) {
		kf_user_ns_put(ns->owner);
		kf_os_free(ns, sizeof(*ns));
		return NULL;
	}
	return ns;
}

/* uts_copy - @old shared, or a new uts namespace with @old's hostname. */
static struct kf_uts_ns *uts_copy(bool want, struct kf_uts_ns *old,
				  struct kf_user_ns *owner)
{
	struct kf_uts_ns *uts;
	unsigned long irq;

	if (!want) {
		ns_get(&old->ns);
		return old;
	}
	uts = kf_os_alloc(sizeof(*uts), KF_SITE("clone.uts_ns"));
	if (!uts)
		return NULL;
	kf_ref_init(&uts->ns.ref, 1);
	uts->ns.owner = owner;
	uts->ns.inum = kf_ns_inum_alloc();
	uts->ns.os = NULL;
	kf_user_ns_get(owner);
	kf_os_spin_init(&uts->lock);
	irq = kf_os_spin_lock(&old->lock);
	__builtin_memcpy(uts->nodename, old->nodename, sizeof(uts->nodename));
	kf_os_spin_unlock(&old->lock, irq);
	return uts;
}

static void uts_put(struct kf_uts_ns *uts)
{
	ns_put(&uts->ns, sizeof(*uts));
}

/* ---- the nsproxy ----------------------------------------------------------------- */

void kf_nsproxy_get(struct kf_nsproxy *ns)
{
	kf_ref_get(&ns->ref);
}

/* nsproxy_drop_members - put every member that is set. */
static void nsproxy_drop_members(struct kf_nsproxy *ns)
{
	if (ns->uts)
		uts_put(ns->uts);
	ns_put(ns->ipc, sizeof(struct kf_ns));
	mnt_put(ns->mnt);
	ns_put(ns->net, sizeof(struct kf_ns));
	ns_put(ns->cgroup, sizeof(struct kf_ns));
	ns_put(ns->time, sizeof(struct kf_ns));
	ns_put(ns->time_for_children, sizeof(struct kf_ns));
	if (ns->pid_ns_for_children)
		kf_pid_ns_put(ns->pid_ns_for_children);
}

void kf_nsproxy_put(struct kf_nsproxy *ns)
{
	if (!ns || !kf_ref_put(&ns->ref))
		return;
	if (ns == &kf_init_nsproxy)
		kf_os_panic("kf_nsproxy_put: initial nsproxy released");
	nsproxy_drop_members(ns);
	kf_os_free(ns, sizeof(*ns));
}

/* pid_ns_copy - copy_pid_ns: the children's pid namespace, new or shared. */
static int pid_ns_copy(uint64_t flags, struct kf_pid_ns *old,
		       struct kf_user_ns *owner, struct kf_pid_ns **out)
{
	if (!(flags & KF_CLONE_NEWPID)) {
		kf_pid_ns_get(old);
		*out = old;
		return 0;
	}
	/* an unshared pid namespace must be forked into before another */
	if (kf_task_active_pid_ns(kf_current()) != old)
		return -KF_EINVAL;
	return kf_pid_ns_create(old, owner, out);
}

/*
 * kf_nsproxy_create - create_new_namespaces, in Linux's member order (mnt,
 * uts, ipc, pid, cgroup, net, time).  The active time namespace is kept;
 * CLONE_NEWTIME only changes the one for children.  On failure everything
 * made so far is dropped.
 */
int kf_nsproxy_create(uint64_t flags, struct kf_nsproxy *old,
		      struct kf_user_ns *user_ns, struct kf_nsproxy **out)
{
	struct kf_nsproxy *ns;
	int err = -KF_ENOMEM;

	ns = kf_os_alloc(sizeof(*ns), KF_SITE("clone.nsproxy"));
	if (!ns)
		return -KF_ENOMEM;
	kf_ref_init(&ns->ref, 1);
	ns->mnt = mnt_copy(flags & KF_CLONE_NEWNS, old->mnt, user_ns);
	if (!ns->mnt)
		goto fail;
	ns->uts = uts_copy(flags & KF_CLONE_NEWUTS, old->uts, user_ns);
	if (!ns->uts)
		goto fail;
	ns->ipc = ns_copy(flags & KF_CLONE_NEWIPC, old->ipc, user_ns,
			  KF_SITE("clone.ipc_ns"));
	if (!ns->ipc)
		goto fail;
	err = pid_ns_copy(flags, old->pid_ns_for_children, user_ns,
			  &ns->pid_ns_for_children);
	if (err)
		goto fail;
	err = -KF_ENOMEM;
	ns->cgroup = ns_copy(flags & KF_CLONE_NEWCGROUP, old->cgroup, user_ns,
			     KF_SITE("clone.cgroup_ns"));
	if (!ns->cgroup)
		goto fail;
	ns->net = ns_copy(flags & KF_CLONE_NEWNET, old->net, user_ns,
			  KF_SITE("clone.net_ns"));
	if (!ns->net)
		goto fail;
	ns->time_for_children = ns_copy(flags & KF_CLONE_NEWTIME,
					old->time_for_children, user_ns,
					KF_SITE("clone.time_ns"));
	if (!ns->time_for_children)
		goto fail;
	ns->time = old->time;
	ns_get(ns->time);
	*out = ns;
	return 0;

fail:
	nsproxy_drop_members(ns);
	kf_os_free(ns, sizeof(*ns));
	return err;
}

void kf_nsproxy_timens_on_fork(struct kf_nsproxy *ns)
{
	if (ns->time == ns->time_for_children)
		return;
	ns_get(ns->time_for_children);
	ns_put(ns->time, sizeof(struct kf_ns));
	ns->time = ns->time_for_children;
}

/* ---- the hostname ---------------------------------------------------------------- */

/*
 * kf_sethostname - sethostname(2) on current's uts namespace: EPERM
 * without CAP_SYS_ADMIN over it, then EINVAL for a name over 64 bytes.
 * @name is a kernel copy; it need not be NUL-terminated.
 */
long kf_sethostname(const char *name, size_t len)
{
	struct kf_uts_ns *uts = kf_current()->nsproxy->uts;
	unsigned long irq;

	if (!kf_ns_capable(uts->ns.owner, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	if (len > KF_UTS_LEN)
		return -KF_EINVAL;
	irq = kf_os_spin_lock(&uts->lock);
	__builtin_memcpy(uts->nodename, name, len);
	__builtin_memset(uts->nodename + len, 0, sizeof(uts->nodename) - len);
	kf_os_spin_unlock(&uts->lock, irq);
	return 0;
}

/*
 * kf_gethostname - gethostname(2): copies min(@len, strlen + 1) bytes
 * (the name is not terminated when @buf is too small).
 */
long kf_gethostname(char *buf, size_t len)
{
	struct kf_uts_ns *uts = kf_current()->nsproxy->uts;
	unsigned long irq;
	size_t n = 0;

	irq = kf_os_spin_lock(&uts->lock);
	while (n < KF_UTS_LEN && uts->nodename[n])
		n++;
	n++;
	if (n > len)
		n = len;
	__builtin_memcpy(buf, uts->nodename, n);
	kf_os_spin_unlock(&uts->lock, irq);
	return 0;
}

/* ---- any namespace by its CLONE_NEW* type (nsfs.c) -------------------------- */

void kf_nsobj_get(uint64_t type, void *obj)
{
	if (type == KF_CLONE_NEWUSER)
		kf_user_ns_get(obj);
	else if (type == KF_CLONE_NEWPID)
		kf_pid_ns_get(obj);
	else
		ns_get(obj);	/* uts too: its kf_ns comes first */
}

void kf_nsobj_put(uint64_t type, void *obj)
{
	if (type == KF_CLONE_NEWUSER)
		kf_user_ns_put(obj);
	else if (type == KF_CLONE_NEWPID)
		kf_pid_ns_put(obj);
	else if (type == KF_CLONE_NEWUTS)
		uts_put(obj);
	else if (type == KF_CLONE_NEWNS)
		mnt_put(obj);
	else
		ns_put(obj, sizeof(struct kf_ns));
}

/* ---- mount namespaces: the host's table ------------------------------------- */

void *kf_mnt_ns_data(void)
{
	return kf_current()->nsproxy->mnt->os;
}

bool kf_mnt_ns_capable(int cap)
{
	return kf_ns_capable(kf_current()->nsproxy->mnt->owner, cap);
}

/* kf_nsproxy_boot - the initial objects' locks. */
void kf_nsproxy_boot(void)
{
	kf_os_spin_init(&init_uts.lock);
}
