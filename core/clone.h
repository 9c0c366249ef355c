/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core/clone.h - what the clone side's files share: the namespace objects,
 * and the copy/undo primitives that both the clone stages (clone.c) and
 * unshare (unshare.c) are built from.  Internal to core/.
 *
 * Convention: a "dup" primitive returns a new object with one reference,
 * or NULL / a negative errno; it never changes the object it copies.
 */
#ifndef KF_CORE_CLONE_H
#define KF_CORE_CLONE_H

#include "internal.h"

/* CLONE_NEW* flags that ask for namespace objects (time included). */
#define KF_CLONE_NEWNS_ALL (KF_CLONE_NEWNS | KF_CLONE_NEWUTS | KF_CLONE_NEWIPC | \
			    KF_CLONE_NEWNET | KF_CLONE_NEWPID | KF_CLONE_NEWCGROUP | \
			    KF_CLONE_NEWTIME)

/* Linux's valid_signal(): 0..64 (0 means "no signal"). */
static inline bool kf_valid_signal(unsigned long sig)
{
	return sig <= KF_NSIG;
}

/* ---- user namespaces and capabilities (nsproxy.c) ---------------------- */

#define KF_USER_NS_MAX_LEVEL 32	/* a parent deeper than this: ENOSPC */

/*
 * An id map: the ranges of a user namespace's ids that stand for kernel
 * ids (the ids creds hold, which are the initial namespace's).  A new
 * namespace's maps are empty until its uid_map/gid_map is written, and an
 * id that no range covers is invalid there: set*id refuses it (EINVAL)
 * and a kernel id without a name there reads as the overflow id.
 */
#define KF_ID_MAP_MAX 5			/* ranges per map (Linux's, before 4.15) */

struct kf_id_map {
	unsigned nr;			/* ranges in use */
	struct {
		uint32_t first;		/* the first id in the namespace */
		uint32_t lower_first;	/* the kernel id it stands for */
		uint32_t count;
	} range[KF_ID_MAP_MAX];
};

struct kf_user_ns {
	kf_refcount_t ref;		/* (A) creds and child namespaces */
	unsigned level;			/* (C) 0 for the initial namespace */
	struct kf_user_ns *parent;	/* (C) with a reference */
	uint32_t owner;			/* (C) euid of the creator */
	unsigned inum;			/* (C) its nsfs inode number */
	struct kf_id_map uid_map;	/* (C) empty in a new namespace */
	struct kf_id_map gid_map;	/* (C) */
};
extern struct kf_user_ns kf_init_user_ns;

/*
 * kf_user_ns_write_map - what writing /proc/PID/uid_map (@gid: gid_map)
 * does to @ns, with Linux's map_write rules: once only (EPERM after), the
 * writer needs CAP_SYS_ADMIN over @ns (EPERM); 1..KF_ID_MAP_MAX ranges,
 * none empty, wrapping or overlapping another (EINVAL); then EPERM unless
 * the writer is @ns's owner mapping one id onto its own effective one, or
 * holds CAP_SETUID (CAP_SETGID) over the parent; then each range's lower
 * ids must have names in the parent (EPERM), which become kernel ids.
 * kfork has no supplementary groups, so a gid map needs no "deny" first.
 * @r[i] holds first, lower_first (in the parent) and count.
 */
int kf_user_ns_write_map(struct kf_user_ns *ns, bool gid,
			 const struct kf_id_map *r);

void kf_user_ns_get(struct kf_user_ns *ns);
void kf_user_ns_put(struct kf_user_ns *ns);
/* kf_user_ns_create - give @new a child of its user namespace, owned by its
 * euid, with every capability there (create_user_ns).  -ENOSPC past the
 * nesting limit, -EPERM when the parent maps no name for @new's euid or
 * egid, -ENOMEM. */
int kf_user_ns_create(struct kf_cred *new);

/* kf_ns_capable - does current hold @cap in @ns (Linux's cap_capable walk:
 * its own namespace decides by its caps; the owner of a child namespace
 * holds every cap in it).  In the initial namespace the host decides. */
bool kf_ns_capable(const struct kf_user_ns *ns, int cap);
bool kf_cred_ns_capable(const struct kf_cred *c, const struct kf_user_ns *ns,
			int cap);
static inline bool kf_capable(int cap)
{
	return kf_ns_capable(&kf_init_user_ns, cap);
}

/* ---- the other namespaces (nsproxy.c) ------------------------------------ */

/* nsfs inode numbers: Linux's fixed ones for the initial namespaces
 * (PROC_*_INIT_INO), then one per namespace made (kf_ns_inum_alloc). */
#define KF_NS_INUM_IPC_INIT	0xEFFFFFFFu
#define KF_NS_INUM_UTS_INIT	0xEFFFFFFEu
#define KF_NS_INUM_USER_INIT	0xEFFFFFFDu
#define KF_NS_INUM_PID_INIT	0xEFFFFFFCu
#define KF_NS_INUM_CGROUP_INIT	0xEFFFFFFBu
#define KF_NS_INUM_TIME_INIT	0xEFFFFFFAu
#define KF_NS_INUM_DYNAMIC	0xF0000000u
unsigned kf_ns_inum_alloc(void);
/* kf_nsobj_get/put - a reference on namespace @obj of CLONE_NEW* @type. */
void kf_nsobj_get(uint64_t type, void *obj);
void kf_nsobj_put(uint64_t type, void *obj);
/* kf_pid_ns_inum / kf_pid_ns_owner - pid.c's private struct's fields */
unsigned kf_pid_ns_inum(const struct kf_pid_ns *ns);
struct kf_user_ns *kf_pid_ns_owner(const struct kf_pid_ns *ns);

/* ipc, mnt, net, cgroup and time namespaces: identity and owner, and for
 * a mount namespace the host's mount table (kf_os_mnt_ns_dup). */
struct kf_ns {
	kf_refcount_t ref;		/* (A) nsproxies and ns files pointing here */
	struct kf_user_ns *owner;	/* (C) with a reference */
	unsigned inum;			/* (C) its nsfs inode: /proc/<pid>/ns/<x> */
	void *os;			/* (C) mnt: the host's data, NULL = initial */
};

#define KF_UTS_LEN 64			/* __NEW_UTS_LEN */
struct kf_uts_ns {
	struct kf_ns ns;
	kf_os_spinlock_t lock;		/* nodename */
	char nodename[KF_UTS_LEN + 1];	/* NUL-terminated */
};

/* Per-task namespace set; shared until a CLONE_NEW* or unshare. */
struct kf_nsproxy {
	kf_refcount_t ref;		/* (A) tasks using it */
	struct kf_uts_ns *uts;		/* (C) all members hold a reference */
	struct kf_ns *ipc, *mnt, *net, *cgroup;
	struct kf_ns *time, *time_for_children;
	struct kf_pid_ns *pid_ns_for_children;
};
extern struct kf_nsproxy kf_init_nsproxy;

void kf_nsproxy_get(struct kf_nsproxy *ns);
/* kf_nsproxy_create - a new set from @old: new objects for the CLONE_NEW*
 * bits of @flags (owned by @user_ns), references to the rest.  Errors:
 * -ENOMEM; NEWPID: -EINVAL when current already unshared a pid namespace
 * it has not forked into, -ENOSPC past the nesting limit. */
int kf_nsproxy_create(uint64_t flags, struct kf_nsproxy *old,
		      struct kf_user_ns *user_ns, struct kf_nsproxy **out);
/* kf_nsproxy_timens_on_fork - a child without CLONE_VM enters the time
 * namespace its parent chose for children. */
void kf_nsproxy_timens_on_fork(struct kf_nsproxy *ns);

/* ---- pids and pid namespaces (pid.c) -------------------------------------- */

extern struct kf_pid_ns kf_init_pid_ns;

/* kf_pid_boot - set up the initial pid namespace; returns pid 0, the boot
 * task's (never hashed, never freed). */
struct kf_pid *kf_pid_boot(void);

void kf_pid_ns_get(struct kf_pid_ns *ns);
void kf_pid_ns_put(struct kf_pid_ns *ns);
unsigned kf_pid_ns_level(const struct kf_pid_ns *ns);
int kf_pid_ns_refcount(const struct kf_pid_ns *ns);	/* for tests */
/* kf_pid_ns_create - a child pid namespace of @parent owned by @owner:
 * -ENOSPC past KF_MAX_PID_NS_LEVEL, -ENOMEM. */
int kf_pid_ns_create(struct kf_pid_ns *parent, struct kf_user_ns *owner,
		     struct kf_pid_ns **out);

/*
 * kf_pid_alloc - reserve one number in @ns and in each ancestor (set_tid
 * picks them, innermost first).  The pid is not findable until
 * kf_pid_attach.  Errors in Linux's order: -EINVAL (set_tid too long, a tid
 * out of range, a tid other than 1 in a namespace without init), -EPERM
 * (set_tid without CAP_CHECKPOINT_RESTORE/CAP_SYS_ADMIN), -EEXIST (tid
 * taken), -EAGAIN (namespace full), -ENOMEM (memory, or the namespace's
 * init has died).  Takes the tasklist lock.
 */
int kf_pid_alloc(struct kf_pid_ns *ns, const int *set_tid, size_t set_tid_size,
		 struct kf_pid **out);
/* kf_pid_unalloc - give back the numbers of a pid never attached and drop
 * the caller's reference.  Takes the tasklist lock. */
void kf_pid_unalloc(struct kf_pid *pid);
/* kf_pid_attach - publish: lookups of pid's numbers find @t.  (T) */
void kf_pid_attach(struct kf_pid *pid, struct kf_task *t);
/* kf_pid_exchange - @a and @b swap their thread pids (de_thread).  (T) */
void kf_pid_exchange(struct kf_task *a, struct kf_task *b);
struct kf_pid *kf_pid_get(struct kf_pid *pid);
void kf_pid_put(struct kf_pid *pid);
/* the namespace a pid was allocated in (its innermost) */
struct kf_pid_ns *kf_pid_ns_of(const struct kf_pid *pid);
int kf_pid_nr(const struct kf_pid *pid);	/* in that namespace */
/* kf_pid_ns_adding - does @ns still accept new tasks?  (T) */
bool kf_pid_ns_adding(const struct kf_pid_ns *ns);
void kf_pid_ns_set_reaper(struct kf_pid_ns *ns, struct kf_task *t);	/* (T) */

/* ---- credentials (cred.c) ------------------------------------------------- */

extern struct kf_cred kf_init_cred;
extern struct kf_user kf_root_user;	/* uid 0: exempt from RLIMIT_NPROC */

const struct kf_cred *kf_cred_get(const struct kf_cred *c);
/* kf_cred_dup - a private copy of @old (prepare_creds), or NULL. */
struct kf_cred *kf_cred_dup(const struct kf_cred *old);
/* kf_cred_commit - current's cred becomes @new (its reference is taken
 * over); a change of user moves the process count. */
void kf_cred_commit(struct kf_cred *new);
/* kf_cap_fixup_setuid, kf_cap_fixup_setfsuid - the capability sets of
 * @new after a set*uid (setfsuid) call changed @old's ids (capability.c). */
void kf_cap_fixup_setuid(const struct kf_cred *old, struct kf_cred *new);
void kf_cap_fixup_setfsuid(const struct kf_cred *old, struct kf_cred *new);
/* kf_user_lookup - the account of @uid with a reference, created on first
 * use; NULL when out of memory. */
struct kf_user *kf_user_lookup(uint32_t uid);
void kf_user_put(struct kf_user *u);
void kf_user_inc_processes(struct kf_user *u);

/* ---- files, fs, sighand, signal (files.c, fs.c, sighand.c, signal.c) ---- */

extern struct kf_files kf_init_files;
extern struct kf_fs kf_init_fs;
extern struct kf_sighand kf_init_sighand;
extern struct kf_signal kf_init_signal;

void kf_files_get(struct kf_files *f);
/* kf_files_dup - a copy of @old's table: each open file gets a reference,
 * cloexec bits are kept (dup_fd).  NULL when out of memory. */
struct kf_files *kf_files_dup(struct kf_files *old);

/* kf_fs_share - one more CLONE_FS user; -EAGAIN while an exec is
 * switching the fs (in_exec). */
int kf_fs_share(struct kf_fs *fs);
int kf_fs_users(struct kf_fs *fs);
/* kf_fs_dup - a copy (umask, root and cwd with references), or NULL. */
struct kf_fs *kf_fs_dup(struct kf_fs *old);

void kf_sighand_get(struct kf_sighand *sh);
/* kf_sighand_dup - a copy of @old's handlers; @clear: CLONE_CLEAR_SIGHAND
 * (handlers other than SIG_IGN become SIG_DFL; flags and masks cleared). */
struct kf_sighand *kf_sighand_dup(struct kf_sighand *old, bool clear);
int kf_sighand_users(struct kf_sighand *sh);

/* kf_signal_alloc - a new thread group's state with @parent's rlimits;
 * not yet linked to any thread (nr_threads 0, live 1).  NULL on ENOMEM. */
struct kf_signal *kf_signal_alloc(struct kf_task *parent);
void kf_signal_get(struct kf_signal *sig);
/* kf_rlimit - current's soft limit of @resource. */
uint64_t kf_rlimit(int resource);

/* ---- io context and sysv-sem undo (io.c, sysvsem.c) ---------------------- */

/* kf_io_copy - copy_io: share with @share, else a new context only when
 * @parent has one with a priority set.  0 or -ENOMEM. */
int kf_io_copy(struct kf_task *parent, struct kf_task *child, bool share);
/* kf_io_set_prio - ioprio_set on @t (creates its context): 0 or -ENOMEM. */
int kf_io_set_prio(struct kf_task *t, int ioprio);

/* kf_sysvsem_copy - copy_semundo: with @share the child shares current's
 * undo list (created now if current has none), else it starts with none. */
int kf_sysvsem_copy(struct kf_task *child, bool share);
/* kf_sysvsem_undo_list - current's list, created on first use (as a
 * semop with SEM_UNDO would): NULL when out of memory. */
struct kf_sem_undo_list *kf_sysvsem_undo_list(void);
void kf_sysvsem_put(struct kf_sem_undo_list *ul);

/* ---- boot steps (task.c calls them from kf_boot) ------------------------- */

void kf_nsproxy_boot(void);
void kf_files_boot(void);
void kf_fs_boot(void);
void kf_sighand_boot(void);
void kf_signal_boot(struct kf_task *boot);
void kf_cred_boot(void);

#endif /* KF_CORE_CLONE_H */
