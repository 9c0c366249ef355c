// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/pid.c - pids and nested pid namespaces.
 *
 * A struct kf_pid is one thread's identity: one number per namespace level,
 * from the initial namespace (numbers[0]) down to the namespace it was
 * created in (numbers[level]).  Each namespace allocates its numbers below
 * CONFIG_KF_PID_MAX from a bitmap, cyclically like Linux (the next search
 * starts after the last number handed out; once past RESERVED_PIDS the
 * wrap-around restarts at RESERVED_PIDS, so pid 1 and the low numbers of
 * early daemons are not reused), and finds them through a small hash.
 *
 * Life of a pid: kf_pid_alloc reserves the numbers (the clone "pid" stage);
 * kf_pid_attach hashes them at commit, from when on lookups find the task;
 * kf_task_detach_pid (release) unhashes them and frees the numbers -- unless
 * the pid still names a process group or a session that has members, as
 * Linux's free_pid waits for the last user of any type: a group's number
 * stays taken, and findable, after its leader is gone.  The struct itself
 * lives while references remain (the task holds one on its pid and one on
 * its group leader's, a thread group one on its pgrp and session pid).
 *
 * Locking: numbers, maps, hashes, pid->task and the namespace's reaper and
 * counters are all (T): kf_tasklist_lock.
 */
#include "clone.h"

#define KF_RESERVED_PIDS 300		/* Linux's RESERVED_PIDS */
#define KF_PIDNS_ADDING  0x80000000u	/* the namespace accepts new pids */
#define KF_PID_HASH_SIZE 256u		/* buckets per namespace */
#define KF_PIDMAP_WORDS  ((CONFIG_KF_PID_MAX + 63) / 64)

struct kf_upid {
	int nr;				/* (C) */
	struct kf_pid_ns *ns;		/* (C) */
	struct kf_list hash;		/* (T) in ns->hash while attached */
};

struct kf_pid {
	kf_refcount_t count;		/* (A) */
	unsigned level;			/* (C) depth of the innermost namespace */
	bool hashed;			/* (T) the numbers are taken and found */
	struct kf_task *task;		/* (T) user of the pid; NULL once reaped */
	/* (T) thread groups (kf_signal.group_node[type]) using this pid as
	 * their process group (KF_PIDTYPE_PGID) or session (KF_PIDTYPE_SID) */
	struct kf_list groups[KF_PIDTYPE_GROUPS];
	struct kf_upid numbers[];	/* (C) level + 1 entries */
};

struct kf_pid_ns {
	kf_refcount_t ref;		/* (A) pids, nsproxies, child namespaces */
	unsigned level;			/* (C) 0 for the initial namespace */
	struct kf_pid_ns *parent;	/* (C) with a reference */
	struct kf_user_ns *owner;	/* (C) with a reference */
	unsigned inum;			/* (C) its nsfs inode number */
	struct kf_task *child_reaper;	/* (T) its init, NULL before it exists */
	unsigned pid_allocated;		/* (T) numbers in use | KF_PIDNS_ADDING */
	int next;			/* (T) where the cyclic search starts */
	uint64_t *map;			/* (T) one bit per number */
	struct kf_list *hash;		/* (T) buckets of kf_upid.hash */
};

static uint64_t init_pidmap[KF_PIDMAP_WORDS];
static struct kf_list init_pidhash[KF_PID_HASH_SIZE];

struct kf_pid_ns kf_init_pid_ns = {
	.ref = { 1 },			/* never freed */
	.owner = &kf_init_user_ns,
	.inum = KF_NS_INUM_PID_INIT,
	.map = init_pidmap,
	.hash = init_pidhash,
};

/* pid 0: a kf_pid with room for one number, built without allocating. */
static union {
	struct kf_pid pid;
	char room[sizeof(struct kf_pid) + sizeof(struct kf_upid)];
} boot_pid;

static size_t pid_size(unsigned level)
{
	return sizeof(struct kf_pid) + (level + 1) * sizeof(struct kf_upid);
}

static void pid_groups_init(struct kf_pid *pid)
{
	int i;

	for (i = 0; i < KF_PIDTYPE_GROUPS; i++)
		kf_list_init(&pid->groups[i]);
}

/* ---- bitmap of numbers in use -------------------------------------------- */

static bool pidmap_test(const struct kf_pid_ns *ns, int nr)
{
	return (ns->map[nr / 64] >> (nr % 64)) & 1;
}

static void pidmap_set(struct kf_pid_ns *ns, int nr)
{
	ns->map[nr / 64] |= 1ull << (nr % 64);
}

static void pidmap_clear(struct kf_pid_ns *ns, int nr)
{
	ns->map[nr / 64] &= ~(1ull << (nr % 64));
}

/* pidmap_find_free - the lowest free number in [start, end), or -1. */
static int pidmap_find_free(const struct kf_pid_ns *ns, int start, int end)
{
	int nr = start;

	while (nr < end) {
		uint64_t free = ~ns->map[nr / 64] >> (nr % 64);

		if (free) {
			nr += __builtin_ctzll(free);
			return nr < end ? nr : -1;
		}
		nr = (nr / 64 + 1) * 64;
	}
	return -1;
}

/*
 * pidmap_alloc_cyclic - the next free number after the last one handed
 * out, wrapping to 1 (or to RESERVED_PIDS once the cursor passed it).
 * Returns it, or -EAGAIN when the namespace is full.  (T)
 */
static int pidmap_alloc_cyclic(struct kf_pid_ns *ns)
{
	int min = ns->next > KF_RESERVED_PIDS ? KF_RESERVED_PIDS : 1;
	int start = ns->next < min ? min : ns->next;
	int nr = pidmap_find_free(ns, start, CONFIG_KF_PID_MAX);

	if (nr < 0 && start > min)
		nr = pidmap_find_free(ns, min, CONFIG_KF_PID_MAX);
	if (nr < 0)
		return -KF_EAGAIN;
	pidmap_set(ns, nr);
	ns->next = nr + 1;
	return nr;
}

/* pidmap_take - reserve exactly @nr (set_tid): it or -EEXIST.  (T) */
static int pidmap_take(struct kf_pid_ns *ns, int nr)
{
	if (pidmap_test(ns, nr))
		return -KF_EEXIST;
	pidmap_set(ns, nr);
	return nr;
}

/*
 * pidmap_release - give @nr back and count one pid less in @ns.  As in
 * Linux, the reaper is woken when it is (nearly) alone, and a namespace
 * whose first task failed to fork stops accepting tasks.  The initial
 * namespace instead starts over at pid 1 when it empties, so a host can
 * run init again.  (T)
 */
static void pidmap_release(struct kf_pid_ns *ns, int nr)
{
	pidmap_clear(ns, nr);
	ns->pid_allocated--;
	if ((ns->pid_allocated == 1 || ns->pid_allocated == 2) && ns->child_reaper)
		kf_os_wake_all(&ns->child_reaper->signal->wait_chldexit);
	else if (ns->pid_allocated == KF_PIDNS_ADDING && ns != &kf_init_pid_ns)
		ns->pid_allocated = 0;
	else if (ns->pid_allocated == KF_PIDNS_ADDING)
		ns->next = 0;	/* an emptied initial ns: the next init is pid 1 */
}

/* ---- namespaces ------------------------------------------------------------ */

struct kf_pid *kf_pid_boot(void)
{
	struct kf_pid *pid = &boot_pid.pid;
	unsigned i;

	for (i = 0; i < KF_PID_HASH_SIZE; i++)
		kf_list_init(&init_pidhash[i]);
	kf_init_pid_ns.pid_allocated = KF_PIDNS_ADDING;
	kf_init_pid_ns.child_reaper = &kf_boot_task;

	kf_ref_init(&pid->count, 1);	/* held forever by the boot task */
	pid->level = 0;
	pid->task = &kf_boot_task;
	pid_groups_init(pid);
	pid->numbers[0].nr = 0;
	pid->numbers[0].ns = &kf_init_pid_ns;
	kf_list_init(&pid->numbers[0].hash);
	return pid;
}

void kf_pid_ns_get(struct kf_pid_ns *ns)
{
	kf_ref_get(&ns->ref);
}

static void pid_ns_free(struct kf_pid_ns *ns)
{
	kf_os_free(ns->map, KF_PIDMAP_WORDS * sizeof(uint64_t));
	kf_os_free(ns->hash, KF_PID_HASH_SIZE * sizeof(struct kf_list));
	kf_os_free(ns, sizeof(*ns));
}

void kf_pid_ns_put(struct kf_pid_ns *ns)
{
	while (ns && kf_ref_put(&ns->ref)) {
		struct kf_pid_ns *parent = ns->parent;

		if (ns == &kf_init_pid_ns)
			kf_os_panic("kf_pid_ns_put: initial namespace released");
		kf_user_ns_put(ns->owner);
		pid_ns_free(ns);
		ns = parent;
	}
}

unsigned kf_pid_ns_inum(const struct kf_pid_ns *ns)
{
	return ns->inum;
}

struct kf_user_ns *kf_pid_ns_owner(const struct kf_pid_ns *ns)
{
	return ns->owner;
}

unsigned kf_pid_ns_level(const struct kf_pid_ns *ns)
{
	return ns->level;
}

int kf_pid_ns_refcount(const struct kf_pid_ns *ns)
{
	return kf_ref_read(&ns->ref);
}

/*
 * kf_pid_ns_create - a child namespace of @parent.  Its first task gets
 * pid 1 and becomes its reaper.  On failure nothing is allocated.
 */
int kf_pid_ns_create(struct kf_pid_ns *parent, struct kf_user_ns *owner,
		     struct kf_pid_ns **out)
{
	struct kf_pid_ns *ns;
	unsigned i;

	/* at most KF_MAX_PID_NS_LEVEL namespaces below the initial one */
	if (parent->level + 1 > KF_MAX_PID_NS_LEVEL)
		return -KF_ENOSPC;
	ns = kf_os_alloc(sizeof(*ns), KF_SITE("clone.pid_ns"));
	if (!ns)
		goto fail;
	ns->map = kf_os_alloc(KF_PIDMAP_WORDS * sizeof(uint64_t),
			      KF_SITE("clone.pid_ns.map"));
	if (!ns->map)
		goto fail_ns;
	ns->hash = kf_os_alloc(KF_PID_HASH_SIZE * sizeof(struct kf_list),
			       KF_SITE("clone.pid_ns.hash"));
	if (!ns->hash)
		goto fail_map;
	for (i = 0; i < KF_PID_HASH_SIZE; i++)
		kf_list_init(&ns->hash[i]);
	kf_ref_init(&ns->ref, 1);
	ns->level = parent->level + 1;
	ns->parent = parent;
	kf_pid_ns_get(parent);
	ns->owner = owner;
	kf_user_ns_get(owner);
	ns->inum = kf_ns_inum_alloc();
	ns->pid_allocated = KF_PIDNS_ADDING;
	*out = ns;
	return 0;

fail_map:
	kf_os_free(ns->map, KF_PIDMAP_WORDS * sizeof(uint64_t));
fail_ns:
	kf_os_free(ns, sizeof(*ns));
fail:
	return -KF_ENOMEM;
}

struct kf_pid_ns *kf_pid_ns_parent(const struct kf_pid_ns *ns)
{
	return ns->parent;
}

struct kf_task *kf_pid_ns_reaper(const struct kf_pid_ns *ns)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	return ns->child_reaper;
}

void kf_pid_ns_set_reaper(struct kf_pid_ns *ns, struct kf_task *t)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	ns->child_reaper = t;
}

bool kf_pid_ns_adding(const struct kf_pid_ns *ns)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	return ns->pid_allocated & KF_PIDNS_ADDING;
}

/*
 * kf_pid_ns_mark_dead - @ns's init died: no new task may join (forks into
 * it fail with ENOMEM).  The initial namespace is exempt, so that a host
 * may start init again after it exited.
 */
void kf_pid_ns_mark_dead(struct kf_pid_ns *ns)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (ns != &kf_init_pid_ns)
		ns->pid_allocated &= ~KF_PIDNS_ADDING;
}

/* ---- pids -------------------------------------------------------------------- */

/* set_tid_check - may current pick @tid in @ns?  (clone3 set_tid) */
static int set_tid_check(const struct kf_pid_ns *ns, int tid)
{
	/* a pid lives in [1, pid_max) */
	if (tid < 1 || tid >= CONFIG_KF_PID_MAX)
		return -KF_EINVAL;
	/* without an init, only pid 1 (the init itself) may be chosen */
	if (tid != 1 && !ns->child_reaper)
		return -KF_EINVAL;
	/* choosing pids is checkpoint/restore's privilege */
	if (!kf_ns_capable(ns->owner, KF_CAP_CHECKPOINT_RESTORE) &&
	    !kf_ns_capable(ns->owner, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	return 0;
}

/* pid_release_levels - give back the numbers of levels [from, level].  (T) */
static void pid_release_levels(struct kf_pid *pid, int from, bool counted)
{
	int i;

	for (i = from; i <= (int)pid->level; i++) {
		struct kf_pid_ns *ns = pid->numbers[i].ns;

		if (counted) {
			pidmap_release(ns, pid->numbers[i].nr);
			continue;
		}
		pidmap_clear(ns, pid->numbers[i].nr);
		/* a failed first pid leaves a fresh namespace as it was */
		if (ns->pid_allocated == KF_PIDNS_ADDING)
			ns->next = 0;
	}
}

/* pid_alloc_levels - pick a number at every level, innermost first, as
 * Linux does (so the innermost error wins).  (T) */
static int pid_alloc_levels(struct kf_pid *pid, struct kf_pid_ns *ns,
			    const int *set_tid, size_t set_tid_size, int *failed)
{
	struct kf_pid_ns *tmp = ns;
	int i, nr, err;

	for (i = ns->level; i >= 0; i--, tmp = tmp->parent) {
		int tid = 0;

		*failed = i;
		if (set_tid_size) {
			tid = set_tid[ns->level - i];
			err = set_tid_check(tmp, tid);
			if (err)
				return err;
			set_tid_size--;
		}
		nr = tid ? pidmap_take(tmp, tid) : pidmap_alloc_cyclic(tmp);
		if (nr < 0)
			return nr;
		pid->numbers[i].nr = nr;
		pid->numbers[i].ns = tmp;
		kf_list_init(&pid->numbers[i].hash);
	}
	*failed = -1;
	return 0;
}

int kf_pid_alloc(struct kf_pid_ns *ns, const int *set_tid, size_t set_tid_size,
		 struct kf_pid **out)
{
	struct kf_pid *pid;
	unsigned long irq;
	int failed, err, i;

	/* set_tid names at most one pid per level */
	if (set_tid_size > ns->level + 1)
		return -KF_EINVAL;
	pid = kf_os_alloc(pid_size(ns->level), KF_SITE("clone.pid"));
	if (!pid)
		return -KF_ENOMEM;
	pid->level = ns->level;

	irq = kf_tasklist_lock_irq();
	err = pid_alloc_levels(pid, ns, set_tid, set_tid_size, &failed);
	/* a namespace whose init died takes no new task (ENOMEM, as Linux) */
	if (!err && !(ns->pid_allocated & KF_PIDNS_ADDING))
		err = -KF_ENOMEM;
	if (err) {
		pid_release_levels(pid, failed + 1, false);
		kf_tasklist_unlock_irq(irq);
		kf_os_free(pid, pid_size(pid->level));
		return err;
	}
	for (i = 0; i <= (int)pid->level; i++)
		pid->numbers[i].ns->pid_allocated++;
	kf_tasklist_unlock_irq(irq);

	kf_ref_init(&pid->count, 1);
	pid_groups_init(pid);
	kf_pid_ns_get(ns);
	*out = pid;
	return 0;
}

void kf_pid_unalloc(struct kf_pid *pid)
{
	unsigned long irq = kf_tasklist_lock_irq();

	pid_release_levels(pid, 0, true);
	kf_tasklist_unlock_irq(irq);
	kf_pid_put(pid);
}

struct kf_pid *kf_pid_get(struct kf_pid *pid)
{
	kf_ref_get(&pid->count);
	return pid;
}

void kf_pid_put(struct kf_pid *pid)
{
	struct kf_pid_ns *ns;

	if (!pid || !kf_ref_put(&pid->count))
		return;
	if (pid == &boot_pid.pid)
		kf_os_panic("kf_pid_put: pid 0 released");
	ns = pid->numbers[pid->level].ns;
	kf_os_free(pid, pid_size(pid->level));
	kf_pid_ns_put(ns);
}

static struct kf_list *pid_bucket(struct kf_pid_ns *ns, int nr)
{
	return &ns->hash[(unsigned)nr % KF_PID_HASH_SIZE];
}

void kf_pid_attach(struct kf_pid *pid, struct kf_task *t)
{
	unsigned i;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	pid->task = t;
	pid->hashed = true;
	for (i = 0; i <= pid->level; i++) {
		struct kf_upid *u = &pid->numbers[i];

		kf_list_add_tail(&u->hash, pid_bucket(u->ns, u->nr));
	}
}

/*
 * pid_unhash_if_unused - give @pid's numbers back once nothing uses it any
 * more: no task, and no thread group as its process group or session.
 * The struct stays while references remain, so its numbers can still be
 * read.  (T)
 */
static void pid_unhash_if_unused(struct kf_pid *pid)
{
	unsigned i;

	if (!pid->hashed || pid->task)
		return;
	for (i = 0; i < KF_PIDTYPE_GROUPS; i++)
		if (!kf_list_empty(&pid->groups[i]))
			return;
	for (i = 0; i <= pid->level; i++)
		kf_list_del(&pid->numbers[i].hash);
	pid->hashed = false;
	pid_release_levels(pid, 0, true);
}

/*
 * kf_task_detach_pid - @t is being reaped: lookups stop finding it, and its
 * numbers are freed for reuse unless a process group or session still
 * goes by them.  A reaped init of the initial namespace hands the role
 * back to the boot task.  (T)
 */
void kf_task_detach_pid(struct kf_task *t)
{
	struct kf_pid *pid = t->pid;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!pid || pid->task != t)
		return;
	pid->task = NULL;
	pid_unhash_if_unused(pid);
	if (kf_init_pid_ns.child_reaper == t)
		kf_init_pid_ns.child_reaper = &kf_boot_task;
}

/*
 * kf_pid_exchange - @a and @b trade their thread pids (Linux's
 * exchange_tids, for an exec by a thread that is not its group's leader:
 * it takes the leader's number).  Both stay hashed; lookups of each
 * number find the other task from now on.  (T)
 */
void kf_pid_exchange(struct kf_task *a, struct kf_task *b)
{
	struct kf_pid *pa = a->pid, *pb = b->pid;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	a->pid = pb;
	b->pid = pa;
	pb->task = a;
	pa->task = b;
}

/*
 * kf_pid_group_attach - @sig's process group (@type KF_PIDTYPE_PGID) or
 * session (KF_PIDTYPE_SID) becomes @pid, with a reference; the old one,
 * if any, is left first.  (T)
 */
void kf_pid_group_attach(struct kf_signal *sig, int type, struct kf_pid *pid)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (sig->group_pid[type] == pid)
		return;
	kf_pid_get(pid);
	kf_pid_group_detach(sig, type);
	sig->group_pid[type] = pid;
	kf_list_add_tail(&sig->group_node[type], &pid->groups[type]);
}

/* kf_pid_group_detach - @sig leaves its group or session of @type; the
 * pid's numbers go back if that was their last use.  (T) */
void kf_pid_group_detach(struct kf_signal *sig, int type)
{
	struct kf_pid *pid = sig->group_pid[type];

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!pid)
		return;
	kf_list_del(&sig->group_node[type]);
	sig->group_pid[type] = NULL;
	pid_unhash_if_unused(pid);
	kf_pid_put(pid);
}

/* kf_pid_group_first - a thread group in @pid's group or session of
 * @type, or NULL when it has none (Linux's pid_task(pid, PIDTYPE_PGID)).
 * (T) */
struct kf_signal *kf_pid_group_first(struct kf_pid *pid, int type)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (kf_list_empty(&pid->groups[type]))
		return NULL;
	return kf_list_entry(pid->groups[type].next, struct kf_signal,
			     group_node[type]);
}

/* kf_pid_groups - the list of thread groups in @pid's group or session of
 * @type, for kf_list_for_each (entries: kf_signal.group_node[type]).  (T) */
struct kf_list *kf_pid_groups(struct kf_pid *pid, int type)
{
	KF_ASSERT_HELD(&kf_tasklist_lock);
	return &pid->groups[type];
}

/* ---- pids for hosts (pidfds) ------------------------------------------------- */

struct kf_pid *kf_task_pid(struct kf_task *t)
{
	unsigned long irq = kf_tasklist_lock_irq();
	struct kf_pid *pid = kf_pid_get(t->pid);

	kf_tasklist_unlock_irq(irq);
	return pid;
}

struct kf_task *kf_pid_task(struct kf_pid *pid)
{
	unsigned long irq = kf_tasklist_lock_irq();
	struct kf_task *t = pid->task;

	if (t)
		kf_task_get(t);
	kf_tasklist_unlock_irq(irq);
	return t;
}

void kf_pid_release(struct kf_pid *pid)
{
	kf_pid_put(pid);
}

struct kf_pid_ns *kf_pid_ns_of(const struct kf_pid *pid)
{
	return pid->numbers[pid->level].ns;
}

int kf_pid_nr(const struct kf_pid *pid)
{
	return pid->numbers[pid->level].nr;
}

int kf_pid_nr_ns(const struct kf_pid *pid, const struct kf_pid_ns *ns)
{
	if (!pid || !ns || ns->level > pid->level)
		return 0;
	if (pid->numbers[ns->level].ns != ns)
		return 0;
	return pid->numbers[ns->level].nr;
}

/* kf_pid_nrs_ns - @pid's numbers from @ns's level down to its innermost:
 * how many (0 when @ns does not see it), at most @max stored. */
int kf_pid_nrs_ns(const struct kf_pid *pid, const struct kf_pid_ns *ns,
		  int *nrs, int max)
{
	unsigned i;
	int n = 0;

	if (!kf_pid_nr_ns(pid, ns))
		return 0;
	for (i = ns->level; i <= pid->level; i++, n++)
		if (n < max)
			nrs[n] = pid->numbers[i].nr;
	return n;
}

struct kf_pid_ns *kf_task_active_pid_ns(const struct kf_task *t)
{
	return kf_pid_ns_of(t->pid);
}

struct kf_pid *kf_pid_ns_find_pid(struct kf_pid_ns *ns, int nr)
{
	struct kf_list *head, *pos;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (nr <= 0 || nr >= CONFIG_KF_PID_MAX)
		return NULL;
	head = pid_bucket(ns, nr);
	kf_list_for_each(pos, head) {
		struct kf_upid *u = kf_list_entry(pos, struct kf_upid, hash);

		if (u->nr == nr && u->ns == ns)
			return kf_container_of(u - ns->level, struct kf_pid,
					       numbers[0]);
	}
	return NULL;
}

struct kf_task *kf_pid_ns_find_task(struct kf_pid_ns *ns, int nr)
{
	struct kf_pid *pid = kf_pid_ns_find_pid(ns, nr);

	return pid ? pid->task : NULL;
}

/*
 * kf_pid_ns_for_each_task - @fn(task, @arg) for every task with a number
 * in @ns (its own and all nested namespaces').  @fn may detach the pid of
 * the task it is given, no other.  (T)
 */
void kf_pid_ns_for_each_task(struct kf_pid_ns *ns,
			     void (*fn)(struct kf_task *, void *), void *arg)
{
	unsigned b;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	for (b = 0; b < KF_PID_HASH_SIZE; b++) {
		struct kf_list *pos, *tmp;

		kf_list_for_each_safe(pos, tmp, &ns->hash[b]) {
			struct kf_upid *u = kf_list_entry(pos, struct kf_upid, hash);
			struct kf_pid *pid;

			if (u->ns != ns)
				continue;
			pid = kf_container_of(u - ns->level, struct kf_pid, numbers[0]);
			if (pid->task)
				fn(pid->task, arg);
		}
	}
}
