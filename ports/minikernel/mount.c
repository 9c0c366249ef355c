// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/mount.c - mount tables, one per mount namespace, and
 * mount(2) / umount2(2) on them.
 *
 * kfork's core makes, shares and frees mount namespaces; each holds one of
 * these tables as its host data (kf_os_mnt_ns_dup copies it for
 * CLONE_NEWNS, kf_os_mnt_ns_free frees it).  The initial namespace's table
 * is static: the initramfs at "/" and procfs at "/proc".  What can be
 * mounted is what the kernel has -- procfs, at /proc; what a table
 * records of each mount is its id, its parent's, its mount point, its
 * file system and its propagation type (shared with a peer group,
 * private, slave, unbindable), which MS_SHARED, MS_PRIVATE, MS_SLAVE and
 * MS_UNBINDABLE (with MS_REC for the subtree) change as Linux's
 * do_change_type does.  /proc/<pid>/mountinfo prints it.
 *
 * Not done: bind mounts, MS_MOVE, remounts, and propagation itself (a
 * mount made under a shared mount appears in no peer), nor "busy" (a
 * mount in use is unmounted as with MNT_DETACH).
 */
#include <kf/kf.h>
#include <mk/file.h>
#include <mk/proc.h>

#define MS_RDONLY	0x1
#define MS_NOSUID	0x2
#define MS_NODEV	0x4
#define MS_NOEXEC	0x8
#define MS_REMOUNT	0x20
#define MS_BIND		0x1000
#define MS_MOVE		0x2000
#define MS_REC		0x4000
#define MS_SILENT	0x8000
#define MS_UNBINDABLE	0x20000
#define MS_PRIVATE	0x40000
#define MS_SLAVE	0x80000
#define MS_SHARED	0x100000
#define MS_NOUSER	(1u << 31)
#define MS_MGC_VAL	0xC0ED0000u
#define MS_MGC_MSK	0xffff0000u
#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define MNT_EXPIRE	0x4
#define UMOUNT_NOFOLLOW	0x8
#define MK_ENODEV	19
#define MK_EBUSY	16

#define MOUNTS_MAX	16
#define MNT_ID_ROOT	21	/* ids as a booted Linux's, past its internal mounts */
#define MNT_ID_PROC	22

struct mk_mount {
	int id, parent;			/* mount ids */
	int fs;				/* MK_FS_* */
	unsigned prop;			/* MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE */
	int group;			/* shared: its peer group; slave: its master's */
	char point[MK_PATH_MAX];	/* canonical: "" is "/" */
};

/* One namespace's mounts, in the order they were made. */
struct mk_mnt_table {
	struct mk_mnt_table *next;	/* every table (peer groups span them) */
	int n;
	struct mk_mount m[MOUNTS_MAX];
};

static struct mk_mnt_table init_table = {
	.next = NULL,
	.n = 2,
	.m = {
		{ MNT_ID_ROOT, 1, MK_FS_ROOT, MS_PRIVATE, 0, "" },
		{ MNT_ID_PROC, MNT_ID_ROOT, MK_FS_PROC, MS_PRIVATE, 0, "proc" },
	},
};
static struct mk_mnt_table *all_tables = &init_table;
static int next_mnt_id = MNT_ID_PROC + 1;
static int next_group = 1;

/* ---- The namespaces' tables (kfork's hooks) ------------------------------------- */

static struct mk_mnt_table *table(void)
{
	struct mk_mnt_table *t = kf_mnt_ns_data();

	return t ? t : &init_table;
}

int kf_os_mnt_ns_dup(void *old, void **new)
{
	struct mk_mnt_table *src = old ? old : &init_table;
	struct mk_mnt_table *t = mk_alloc(sizeof(*t));
	int i;

	if (!t)
		return -KF_ENOMEM;
	/* a copy's mounts are new mounts (new ids), shared ones in the same
	 * peer groups as the originals (copy_tree) */
	memcpy(t, src, sizeof(*t));
	for (i = 0; i < t->n; i++) {
		int old_id = t->m[i].id, j;

		t->m[i].id = next_mnt_id++;
		for (j = 0; j < t->n; j++)
			if (t->m[j].parent == old_id && j != i)
				t->m[j].parent = t->m[i].id;
	}
	t->next = all_tables;
	all_tables = t;
	*new = t;
	return 0;
}

void kf_os_mnt_ns_free(void *data)
{
	struct mk_mnt_table **pp;

	if (!data)
		return;
	for (pp = &all_tables; *pp; pp = &(*pp)->next) {
		if (*pp == data) {
			*pp = ((struct mk_mnt_table *)data)->next;
			break;
		}
	}
	mk_free(data, sizeof(struct mk_mnt_table));
}

/* ---- Lookups ------------------------------------------------------------------------- */

/* under - is canonical @path @point or below it? */
static bool under(const char *path, const char *point)
{
	size_t len = strlen(point);

	if (!len)
		return true;
	return !strncmp(path, point, len) && (path[len] == 0 || path[len] == '/');
}

/* covering - the mount @path is on: the deepest point above it, the
 * latest of those mounted on the same point. */
static struct mk_mount *covering(struct mk_mnt_table *t, const char *path)
{
	struct mk_mount *best = NULL;
	int i;

	for (i = 0; i < t->n; i++)
		if (under(path, t->m[i].point) &&
		    (!best || strlen(t->m[i].point) >= strlen(best->point)))
			best = &t->m[i];
	return best;
}

int mk_mount_fs_of(const char *canon)
{
	struct mk_mount *m = covering(table(), canon);

	return m ? m->fs : MK_FS_ROOT;
}

int mk_mount_id_of(const char *canon)
{
	struct mk_mount *m = covering(table(), canon);

	return m ? m->id : MNT_ID_ROOT;
}

/* mounted_at - the top mount whose point is exactly @canon, or NULL. */
static struct mk_mount *mounted_at(struct mk_mnt_table *t, const char *canon)
{
	struct mk_mount *m = covering(t, canon);

	return m && !strcmp(m->point, canon) ? m : NULL;
}

/* ---- Propagation types ------------------------------------------------------------ */

/* has_peer - is a mount other than @m, in any namespace, in shared peer
 * group @group? */
static bool has_peer(const struct mk_mount *m, int group)
{
	struct mk_mnt_table *t;
	int i;

	for (t = all_tables; t; t = t->next)
		for (i = 0; i < t->n; i++)
			if (&t->m[i] != m && t->m[i].prop == MS_SHARED &&
			    t->m[i].group == group)
				return true;
	return false;
}

/* set_type - one mount's new type (change_mnt_propagation): a shared
 * mount made a slave follows its old peers, if it has any; without a
 * master a slave is private. */
static void set_type(struct mk_mount *m, unsigned type)
{
	switch (type) {
	case MS_SHARED:
		if (m->prop != MS_SHARED)
			m->group = next_group++;
		break;
	case MS_SLAVE:
		if (!(m->prop == MS_SHARED && has_peer(m, m->group)) &&
		    m->prop != MS_SLAVE) {
			type = MS_PRIVATE;
			m->group = 0;
		}
		break;
	default:
		m->group = 0;
		break;
	}
	m->prop = type;
}

/* change_type - mount(2) with one propagation flag on mount point @m. */
static long change_type(struct mk_mnt_table *t, struct mk_mount *m,
			unsigned long flags)
{
	unsigned type = (unsigned)flags & ~(unsigned)(MS_REC | MS_SILENT);
	int i;

	if ((type & ~(unsigned)MS_PROPAGATION) || __builtin_popcount(type) != 1)
		return -KF_EINVAL;
	if (!(flags & MS_REC)) {
		set_type(m, type);
		return 0;
	}
	for (i = 0; i < t->n; i++)
		if (under(t->m[i].point, m->point))
			set_type(&t->m[i], type);
	return 0;
}

/* ---- mount(2), umount2(2) ------------------------------------------------------- */

/* copy_opt_string - mount's optional strings (NULL allowed). */
static long copy_opt_string(uintptr_t u, char *buf, size_t max)
{
	long r;

	buf[0] = 0;
	if (!u)
		return 0;
	r = mk_copy_string(u, buf, max);
	return r == -MK_ENAMETOOLONG ? 0 : r;	/* a page's worth, cut */
}

/* new_mount - procfs on @canon (its only place). */
static long new_mount(struct mk_mnt_table *t, const char *canon,
		      const char *type, struct mk_mount *on)
{
	struct mk_mount *m;

	if (!type[0])
		return -KF_EINVAL;
	if (strcmp(type, "proc"))
		return -MK_ENODEV;
	if (strcmp(canon, "proc"))
		return -KF_EINVAL;	/* not done: procfs elsewhere */
	if (t->n >= MOUNTS_MAX)
		return -KF_ENOMEM;
	m = &t->m[t->n++];
	memset(m, 0, sizeof(*m));
	m->id = next_mnt_id++;
	m->parent = on->id;
	m->fs = MK_FS_PROC;
	/* a new mount under a shared one is shared too; else private */
	m->prop = on->prop == MS_SHARED ? MS_SHARED : MS_PRIVATE;
	m->group = m->prop == MS_SHARED ? next_group++ : 0;
	memcpy(m->point, canon, strlen(canon) + 1);
	return 0;
}

/*
 * mount(source, target, type, flags, data) in Linux's order: the strings
 * are copied (EFAULT), the target looked up (ENOENT, ENOTDIR), then
 * path_mount's checks: MS_NOUSER EINVAL, EPERM without CAP_SYS_ADMIN over
 * the mount namespace, then remount, bind, a propagation change (EINVAL
 * unless the target is a mount point and one type is asked for), move,
 * or a new mount (EINVAL without a type, ENODEV for an unknown one).
 */
long mk_sys_mount(const long *a)
{
	char type[32], canon[MK_PATH_MAX], src[64];
	unsigned long flags = (unsigned long)a[3];
	struct mk_mnt_table *t;
	struct mk_mount *on;
	uint32_t mode;
	long r;

	r = copy_opt_string((uintptr_t)a[2], type, sizeof(type));
	if (r >= 0)
		r = copy_opt_string((uintptr_t)a[0], src, sizeof(src));
	if (r < 0)
		return r;
	r = mk_vfs_lookup((uintptr_t)a[1], canon, &mode);
	if (r)
		return r;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if (flags & MS_NOUSER)
		return -KF_EINVAL;
	if (!kf_mnt_ns_capable(KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	t = table();
	on = covering(t, canon);
	if (flags & (MS_REMOUNT | MS_BIND | MS_MOVE))
		return -KF_EINVAL;	/* not done */
	if (flags & MS_PROPAGATION) {
		struct mk_mount *m = mounted_at(t, canon);

		return m ? change_type(t, m, flags) : -KF_EINVAL;
	}
	if ((mode & MK_S_IFMT) != MK_S_IFDIR)
		return -MK_ENOTDIR;
	return new_mount(t, canon, type, on);
}

/*
 * umount2(target, flags): EINVAL for unknown flags, the lookup, EPERM,
 * EINVAL unless the target is a mount point (the root mount stays).
 */
long mk_sys_umount2(const long *a)
{
	unsigned flags = (unsigned)a[1];
	char canon[MK_PATH_MAX];
	struct mk_mnt_table *t;
	struct mk_mount *m;
	uint32_t mode;
	long r;
	int i;

	if (flags & ~(unsigned)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -KF_EINVAL;
	r = mk_vfs_lookup((uintptr_t)a[0], canon, &mode);
	if (r)
		return r;
	if (!kf_mnt_ns_capable(KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	t = table();
	m = mounted_at(t, canon);
	if (!m)
		return -KF_EINVAL;
	if (!canon[0])
		return -MK_EBUSY;
	/* the mount and everything mounted under it go */
	for (i = 0; i < t->n;) {
		if (under(t->m[i].point, canon) && t->m[i].id >= m->id) {
			t->m[i] = t->m[--t->n];
			continue;
		}
		i++;
	}
	return 0;
}

/* ---- /proc/<pid>/mountinfo ------------------------------------------------------- */

/* mk_mount_info - Linux's mountinfo lines of the caller's namespace into
 * @buf: the bytes stored. */
size_t mk_mount_info(char *buf, size_t room)
{
	struct mk_mnt_table *t = table();
	size_t len = 0;
	int i;

	for (i = 0; i < t->n && len + 1 < room; i++) {
		const struct mk_mount *m = &t->m[i];
		bool proc = m->fs == MK_FS_PROC;
		char opt[24] = "";

		if (m->prop == MS_SHARED)
			mk_snprintf(opt, sizeof(opt), " shared:%d", m->group);
		else if (m->prop == MS_SLAVE)
			mk_snprintf(opt, sizeof(opt), " master:%d", m->group);
		else if (m->prop == MS_UNBINDABLE)
			mk_snprintf(opt, sizeof(opt), " unbindable");
		len += (size_t)mk_snprintf(buf + len, room - len,
			"%d %d 0:%d / /%s %s%s - %s %s rw\n", m->id, m->parent,
			proc ? 22 : 2, m->point,
			proc ? "rw,nosuid,nodev,noexec,relatime" : "rw", opt,
			proc ? "proc" : "rootfs", proc ? "proc" : "rootfs");
		if (len >= room)
			len = room - 1;
	}
	return len;
}
