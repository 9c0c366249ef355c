// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/procfs.c - a minimal /proc: what ps(1) and programs
 * that look at themselves read.
 *
 *   /proc/self                 a symbolic link to the caller's process
 *   /proc/<pid>/               a directory per process (any thread's id
 *                              opens one; the listing shows processes)
 *   /proc/<pid>/stat           Linux's 52 fields of do_task_stat
 *   /proc/<pid>/status         Linux's "Key:\tvalue" lines (those kfork
 *                              can answer)
 *   /proc/<pid>/cmdline        the argument strings, NUL-separated
 *   /proc/<pid>/mountinfo      the mount table (mount.c) of the caller's
 *                              mount namespace
 *   /proc/<pid>/fdinfo/<fd>    position, flags, mount id, inode, and what
 *                              the file's kind adds (a pidfd's Pid and
 *                              NSpid, an epoll fd's items)
 *   /proc/sys/kernel/pid_max   the pid limit (read-only)
 *   /proc/<pid>/pagemap        a 64-bit entry per page (pagemap.c)
 *
 * Numbers are as the caller's pid namespace sees them; a process it cannot
 * see has no directory.  Every figure comes from kfork's core (ids, family,
 * usage, limits) or its mm (sizes), the rest from the thread (name, state,
 * signals, start time).  A file's text is made when it is opened and read
 * from that snapshot, as one read of a seq_file would see it.  Everything
 * is read-only: no write is taken (EINVAL; opening one for writing is
 * root's alone, EACCES else).
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>

#define PROC_DEV	3		/* st_dev of /proc, apart from the initramfs' */
#define INO_ROOT	1
#define INO_SELF	2
#define INO_SYS		3
#define INO_SYS_KERNEL	4
#define INO_PID_MAX	5
#define INO_PID(pid, k)	(((uint64_t)(pid) << 8) | (k))
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10
#define MK_S_IFLNK	0120000
#define TEXT_MAX	4096
#define NSEC_PER_TICK	(1000000000ull / MK_HZ)

/* What a /proc path names. */
enum proc_kind {
	P_ROOT, P_SELF, P_PID, P_STAT, P_STATUS, P_CMDLINE, P_MOUNTINFO,
	P_PAGEMAP,
	P_FDINFO_DIR, P_FDINFO,		/* <pid>/fdinfo, <pid>/fdinfo/<fd> */
	P_NS_DIR, P_NS,			/* <pid>/ns, <pid>/ns/<name>: a link */
	P_SYS, P_SYS_KERNEL, P_PID_MAX,	/* sys, sys/kernel, .../pid_max */
};

struct proc_node {
	enum proc_kind kind;
	int pid;			/* P_PID and below: as the caller sees it */
	int arg;			/* P_FDINFO: the fd; P_NS: KF_NS_* */
	struct kf_pid *kpid;		/* an open P_PID directory: its pid */
};

/* a process's directory: its files, then its subdirectories */
static const char *const pid_files[] = { "cmdline", "mountinfo", "pagemap",
					 "stat", "status" };
static const char *const pid_dirs[] = { "fdinfo", "ns" };
#define PID_ENTRIES (MK_ARRAY_SIZE(pid_files) + MK_ARRAY_SIZE(pid_dirs))

/* /proc is what is mounted there in the caller's mount namespace (procfs
 * is mounted nowhere else). */
bool mk_procfs_owns(const char *canon)
{
	return !strncmp(canon, "proc", 4) && (canon[4] == 0 || canon[4] == '/') &&
	       mk_mount_fs_of(canon) == MK_FS_PROC;
}

/* ---- Lookup ------------------------------------------------------------------------ */

/* parse_pid - the decimal number that is all of [@s, @s + @len), or 0. */
static int parse_pid(const char *s, size_t len)
{
	int v = 0;
	size_t i;

	if (!len || len > 9 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* task_visible - a task the caller can see has that number. */
static bool task_visible(int pid)
{
	struct kf_task *t = kf_task_find(pid);
	struct kf_task_info ti;
	bool ok = t && !kf_task_info(t, &ti) && ti.state != 'X';

	if (t)
		kf_task_put(t);
	return ok;
}

/* component - the next path component at @p: its length; *@next is what
 * follows the '/' after it (or the end). */
static size_t component(const char *p, const char **next)
{
	size_t len = 0;

	while (p[len] && p[len] != '/')
		len++;
	*next = p[len] ? p + len + 1 : p + len;
	return len;
}

static bool is_name(const char *p, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(p, name, len);
}

/* fd_open - does process @pid have @fd open? */
static bool fd_open(int pid, int fd)
{
	struct kf_task *t = kf_task_find(pid);
	void *f = t ? kf_task_fd_get(t, fd, NULL) : NULL;

	if (f)
		mk_file_put(f);
	if (t)
		kf_task_put(t);
	return f != NULL;
}

/* lookup_sys - below "sys": kernel/pid_max, the one tunable there. */
static long lookup_sys(const char *p, struct proc_node *n)
{
	const char *next;
	size_t len;

	n->kind = P_SYS;
	if (!*p)
		return 0;
	len = component(p, &next);
	if (!is_name(p, len, "kernel"))
		return -KF_ENOENT;
	n->kind = P_SYS_KERNEL;
	if (!*next)
		return 0;
	p = next;
	len = component(p, &next);
	if (!is_name(p, len, "pid_max"))
		return -KF_ENOENT;
	n->kind = P_PID_MAX;
	return *next || p[len] == '/' ? -MK_ENOTDIR : 0;
}

/* lookup_ns - below a process's "ns": a link per namespace kind. */
static long lookup_ns(const char *p, struct proc_node *n)
{
	const char *next;
	size_t len;
	int k;

	n->kind = P_NS_DIR;
	if (!*p)
		return 0;
	len = component(p, &next);
	for (k = 0; k < KF_NS_KINDS; k++) {
		if (!is_name(p, len, kf_ns_kind_name(k)))
			continue;
		n->kind = P_NS;
		n->arg = k;
		return p[len] == '/' ? -MK_ENOTDIR : 0;
	}
	return -KF_ENOENT;
}

/* lookup_pid - below a process's directory. */
static long lookup_pid(const char *p, struct proc_node *n)
{
	static const enum proc_kind kinds[] = { P_CMDLINE, P_MOUNTINFO, P_PAGEMAP,
						P_STAT, P_STATUS };
	const char *next;
	size_t len = component(p, &next), i;

	for (i = 0; i < MK_ARRAY_SIZE(pid_files); i++) {
		if (!is_name(p, len, pid_files[i]))
			continue;
		n->kind = kinds[i];
		return p[len] == '/' ? -MK_ENOTDIR : 0;
	}
	if (is_name(p, len, "ns"))
		return lookup_ns(next, n);
	if (!is_name(p, len, "fdinfo"))
		return -KF_ENOENT;
	n->kind = P_FDINFO_DIR;
	if (!*next)
		return 0;
	p = next;
	len = component(p, &next);
	n->arg = parse_pid(p, len);
	if (!n->arg && is_name(p, len, "0"))
		n->arg = 0;
	else if (!n->arg)
		return -KF_ENOENT;
	if (!fd_open(n->pid, n->arg))
		return -KF_ENOENT;
	n->kind = P_FDINFO;
	return p[len] == '/' ? -MK_ENOTDIR : 0;
}

/*
 * lookup - @canon (below "proc") as a node: "self" is followed to the
 * caller's process unless it is the last component and @follow is false.
 * 0, -ENOENT, or -ENOTDIR for a path through a file.
 */
static long lookup(const char *canon, bool follow, struct proc_node *n)
{
	const char *p = canon + 4, *next;
	size_t len;

	memset(n, 0, sizeof(*n));
	n->kind = P_ROOT;
	if (*p == '/')
		p++;
	if (!*p)
		return 0;
	len = component(p, &next);
	if (is_name(p, len, "sys"))
		return lookup_sys(next, n);
	if (is_name(p, len, "self")) {
		n->kind = P_SELF;
		if (!*next && p[len] != '/' && !follow)
			return 0;
		n->pid = kf_getpid();
	} else {
		n->pid = parse_pid(p, len);
		if (!n->pid || !task_visible(n->pid))
			return -KF_ENOENT;
	}
	n->kind = P_PID;
	if (!*next)
		return 0;
	return lookup_pid(next, n);
}

static bool node_is_dir(const struct proc_node *n)
{
	return n->kind == P_ROOT || n->kind == P_PID || n->kind == P_FDINFO_DIR ||
	       n->kind == P_SYS || n->kind == P_SYS_KERNEL || n->kind == P_NS_DIR;
}

/* node_owner - a process's entries belong to its effective ids. */
static void node_owner(const struct proc_node *n, uint32_t *uid, uint32_t *gid)
{
	struct kf_task *t = n->pid ? kf_task_find(n->pid) : NULL;
	struct kf_task_info ti;

	*uid = *gid = 0;
	if (t && !kf_task_info(t, &ti)) {
		*uid = ti.euid;
		*gid = ti.egid;
	}
	if (t)
		kf_task_put(t);
}

static void node_stat(const struct proc_node *n, struct mk_stat *st)
{
	static const uint64_t file_ino[] = {
		[P_CMDLINE] = 2, [P_STAT] = 3, [P_STATUS] = 4, [P_PAGEMAP] = 5,
		[P_MOUNTINFO] = 6, [P_FDINFO_DIR] = 9,
	};

	memset(st, 0, sizeof(*st));
	st->dev = PROC_DEV;
	node_owner(n, &st->uid, &st->gid);
	st->nlink = 1;
	switch (n->kind) {
	case P_ROOT:
		st->ino = INO_ROOT;
		st->mode = MK_S_IFDIR | 0555;
		st->nlink = 2;
		break;
	case P_SELF:
		st->ino = INO_SELF;
		st->mode = MK_S_IFLNK | 0777;
		st->uid = st->gid = 0;
		break;
	case P_SYS:
	case P_SYS_KERNEL:
		st->ino = n->kind == P_SYS ? INO_SYS : INO_SYS_KERNEL;
		st->mode = MK_S_IFDIR | 0555;
		st->nlink = 2;
		break;
	case P_PID_MAX:
		st->ino = INO_PID_MAX;
		st->mode = MK_S_IFREG | 0644;
		break;
	case P_PID:
		st->ino = INO_PID(n->pid, 1);
		st->mode = MK_S_IFDIR | 0555;
		st->nlink = 2;
		break;
	case P_FDINFO_DIR:
		st->ino = INO_PID(n->pid, file_ino[n->kind]);
		st->mode = MK_S_IFDIR | 0500;
		st->nlink = 2;
		break;
	case P_FDINFO:
		st->ino = INO_PID(n->pid, 64 + n->arg % 192);
		st->mode = MK_S_IFREG | 0444;
		break;
	case P_NS_DIR:
		st->ino = INO_PID(n->pid, 7);
		st->mode = MK_S_IFDIR | 0511;
		st->nlink = 2;
		break;
	case P_NS:
		st->ino = INO_PID(n->pid, 32 + n->arg);
		st->mode = MK_S_IFLNK | 0777;
		break;
	case P_PAGEMAP:
		st->ino = INO_PID(n->pid, file_ino[n->kind]);
		st->mode = MK_S_IFREG | 0400;
		break;
	default:
		st->ino = INO_PID(n->pid, file_ino[n->kind]);
		st->mode = MK_S_IFREG | 0444;
		break;
	}
}

/* ns_get - the namespace a P_NS link names: -EACCES when the caller may
 * not look at the process, -ENOENT once it is gone. */
static long ns_get(const struct proc_node *n, struct kf_nsref *r)
{
	struct kf_task *t = kf_task_find(n->pid);
	long err;

	if (!t)
		return -KF_ENOENT;
	err = kf_task_ns_get(t, n->arg, true, r);
	kf_task_put(t);
	return err == -KF_ESRCH ? -KF_ENOENT : err;
}

long mk_procfs_stat(const char *canon, bool follow, struct mk_stat *st)
{
	struct proc_node n;
	struct kf_nsref r;
	long err = lookup(canon, follow, &n);

	if (err)
		return err;
	if (n.kind == P_NS && follow) {
		err = ns_get(&n, &r);
		if (err)
			return err;
		mk_nsfs_stat(&r, st);
		kf_nsref_put(&r);
		return 0;
	}
	node_stat(&n, st);
	return 0;
}

long mk_procfs_mode(const char *canon, uint32_t *mode)
{
	struct mk_stat st;
	long r = mk_procfs_stat(canon, true, &st);

	if (!r)
		*mode = st.mode;
	return r;
}

long mk_procfs_readlink(const char *canon, char *buf, size_t size)
{
	struct proc_node n;
	long r = lookup(canon, false, &n);

	if (r)
		return r;
	if (n.kind == P_NS) {
		struct kf_nsref ns;

		r = ns_get(&n, &ns);
		if (r)
			return r;
		r = mk_snprintf(buf, size, "%s:[%u]", kf_ns_type_name(ns.type),
				ns.inum);
		kf_nsref_put(&ns);
		return r;
	}
	if (n.kind != P_SELF)
		return -KF_EINVAL;
	return mk_snprintf(buf, size, "%d", kf_getpid());
}

/* ---- Text ----------------------------------------------------------------------------- */

struct text {
	char *buf;
	size_t len;
};

static void tprintf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mk_vsnprintf(t->buf + t->len, TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n < TEXT_MAX - t->len ? (size_t)n :
		  TEXT_MAX - t->len - 1;
}

/* What a process's files are made of. */
struct proc_view {
	struct kf_task *task;
	struct kf_task_info ti;
	struct mk_thread *thread;	/* NULL once the thread is gone */
	struct kf_rusage self, children;
	struct kf_mm_stats mm;
	bool has_mm;
	uint64_t ignored, caught, pending, shared, blocked;
};

/* state_of - Linux's letter: R running or runnable, S asleep (signals
 * wake it), D asleep uninterruptibly, Z zombie, T stopped. */
static char state_of(const struct proc_view *v)
{
	const struct mk_thread *t = v->thread;

	if (v->ti.state != 'R' && v->ti.state != 'N')
		return v->ti.state;
	if (!t || t->state != MK_THREAD_SLEEPING)
		return 'R';
	return t->wait_mode == KF_WAIT_INTERRUPTIBLE ? 'S' : 'D';
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static void view_signals(struct proc_view *v)
{
	struct kf_sigaction ka;
	int sig;

	for (sig = 1; sig <= KF_NSIG; sig++) {
		if (kf_task_sigaction(v->task, sig, &ka))
			break;
		if (ka.handler == KF_SIG_IGN)
			v->ignored |= 1ull << (sig - 1);
		else if (ka.handler != KF_SIG_DFL)
			v->caught |= 1ull << (sig - 1);
	}
	if (v->thread && v->thread->proc) {
		v->pending = v->thread->pending;
		v->blocked = v->thread->blocked;
		v->shared = v->thread->proc->shared_pending;
	}
}

/* view_get - everything about process @pid the files show; -ESRCH when
 * it went away since the lookup. */
static long view_get(int pid, struct proc_view *v)
{
	struct kf_mm *mm;

	memset(v, 0, sizeof(*v));
	v->task = kf_task_find(pid);
	if (!v->task)
		return -KF_ESRCH;
	if (kf_task_info(v->task, &v->ti) || v->ti.state == 'X') {
		kf_task_put(v->task);
		return -KF_ESRCH;
	}
	v->thread = mk_task_thread(v->task);
	kf_task_rusage(v->task, KF_RUSAGE_SELF, &v->self);
	kf_task_rusage(v->task, KF_RUSAGE_CHILDREN, &v->children);
	mm = kf_task_get_mm(v->task);
	if (mm) {
		kf_mm_stats(mm, &v->mm);
		kf_mm_put(mm);
		v->has_mm = true;
	}
	view_signals(v);
	return 0;
}

static void view_put(struct proc_view *v)
{
	kf_task_put(v->task);
}

static uint64_t tv_ticks(int64_t sec, int64_t usec)
{
	return (uint64_t)sec * MK_HZ + (uint64_t)usec / (1000000 / MK_HZ);
}

static const char *comm(const struct proc_view *v)
{
	return v->thread ? v->thread->name : "";
}

/* rss_limit - the process's RLIMIT_RSS when the caller may read it
 * (prlimit's permission), else "unlimited". */
static uint64_t rss_limit(const struct proc_view *v)
{
	struct kf_rlimit64 old;

	if (kf_prlimit(v->ti.pid, KF_RLIMIT_RSS, NULL, &old))
		return KF_RLIM_INFINITY;
	return old.cur;
}

/* Linux's do_task_stat for a process (the whole thread group). */
static void make_stat(const struct proc_view *v, struct text *t)
{
	const struct kf_mm_layout *l = &v->mm.layout;
	char state = state_of(v);

	tprintf(t, "%d (%s) %c %d %d %d 0 -1 0 ", v->ti.pid, comm(v), state,
		v->ti.ppid, v->ti.pgid, v->ti.sid);
	tprintf(t, "%lu %lu 0 0 ", (unsigned long)v->self.minflt,
		(unsigned long)v->children.minflt);
	tprintf(t, "%lu %lu %lu %lu ",
		(unsigned long)tv_ticks(v->self.utime_sec, v->self.utime_usec),
		(unsigned long)tv_ticks(v->self.stime_sec, v->self.stime_usec),
		(unsigned long)tv_ticks(v->children.utime_sec, v->children.utime_usec),
		(unsigned long)tv_ticks(v->children.stime_sec, v->children.stime_usec));
	tprintf(t, "20 0 %d 0 %lu ", v->ti.nr_threads,
		(unsigned long)(v->thread ? v->thread->start_ns / NSEC_PER_TICK : 0));
	tprintf(t, "%lu %lu %lu ", v->mm.total_vm * KF_PAGE_SIZE, v->mm.rss,
		(unsigned long)rss_limit(v));
	tprintf(t, "%lu %lu %lu 0 0 ", (unsigned long)l->start_code,
		(unsigned long)l->end_code, (unsigned long)l->start_stack);
	tprintf(t, "%lu %lu %lu %lu %d 0 0 ",
		(unsigned long)(v->pending & 0x7fffffff),
		(unsigned long)(v->blocked & 0x7fffffff),
		(unsigned long)(v->ignored & 0x7fffffff),
		(unsigned long)(v->caught & 0x7fffffff),
		state == 'S' || state == 'D');
	tprintf(t, "%d 0 0 0 0 0 0 ", v->ti.exit_signal);
	tprintf(t, "%lu %lu %lu %lu %lu %lu %lu %d\n",
		(unsigned long)l->start_data, (unsigned long)l->end_data,
		(unsigned long)v->mm.start_brk, (unsigned long)l->arg_start,
		(unsigned long)l->arg_end, (unsigned long)l->env_start,
		(unsigned long)l->env_end,
		v->ti.state == 'Z' ? v->ti.exit_code : 0);
}

static void kb_line(struct text *t, const char *key, unsigned long pages)
{
	tprintf(t, "%s:\t%8lu kB\n", key, pages * (KF_PAGE_SIZE / 1024));
}

/* ns_ids_line - "@key:" and the id in each pid namespace from the
 * caller's down to the task's own, tab-separated. */
static void ns_ids_line(struct text *t, const char *key, struct kf_task *task,
			bool group)
{
	int nrs[KF_MAX_NS_PIDS], n = kf_task_ns_pids(task, group, nrs,
						       KF_MAX_NS_PIDS), i;

	tprintf(t, "%s:", key);
	for (i = 0; i < n; i++)
		tprintf(t, "\t%d", nrs[i]);
	tprintf(t, "\n");
}

/* Linux's proc_pid_status, as far as kfork has the figures. */
static void make_status(const struct proc_view *v, struct text *t)
{
	const struct kf_task_info *ti = &v->ti;
	const struct kf_mm_stats *m = &v->mm;
	uint64_t caps = ti->euid == 0 ? (1ull << 41) - 1 : 0;

	tprintf(t, "Name:\t%s\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n",
		comm(v), state_name(state_of(v)), ti->tgid, ti->pid);
	tprintf(t, "PPid:\t%d\nTracerPid:\t0\n", ti->ppid);
	tprintf(t, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", ti->uid,
		ti->euid, ti->suid, ti->fsuid, ti->gid, ti->egid, ti->sgid,
		ti->fsgid);
	tprintf(t, "Groups:\t\n");
	ns_ids_line(t, "NStgid", v->task, true);
	ns_ids_line(t, "NSpid", v->task, false);
	if (v->has_mm) {
		kb_line(t, "VmPeak", m->total_vm);
		kb_line(t, "VmSize", m->total_vm);
		kb_line(t, "VmLck", 0);
		kb_line(t, "VmHWM", m->hiwater_rss);
		kb_line(t, "VmRSS", m->rss);
		kb_line(t, "RssAnon", m->rss);
		kb_line(t, "RssFile", 0);
		kb_line(t, "VmData", m->data_vm);
		kb_line(t, "VmStk", m->stack_vm);
		kb_line(t, "VmExe", m->exec_vm);
		kb_line(t, "VmSwap", 0);
	}
	tprintf(t, "Threads:\t%d\n", ti->nr_threads);
	tprintf(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n",
		(unsigned long)v->pending, (unsigned long)v->shared,
		(unsigned long)v->blocked);
	tprintf(t, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		(unsigned long)v->ignored, (unsigned long)v->caught);
	tprintf(t, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
		"CapBnd:\t%016lx\nCapAmb:\t%016lx\n", 0ul, (unsigned long)caps,
		(unsigned long)caps, (1ul << 41) - 1, 0ul);
	tprintf(t, "Cpus_allowed:\t%lx\nCpus_allowed_list:\t0\n",
		(unsigned long)(v->thread ? v->thread->cpus_allowed & 1 : 1));
	tprintf(t, "voluntary_ctxt_switches:\t%lu\n"
		"nonvoluntary_ctxt_switches:\t%lu\n",
		(unsigned long)v->self.nvcsw, (unsigned long)v->self.nivcsw);
}

/* The argument strings from the process's memory (empty for a zombie). */
static void make_cmdline(struct proc_view *v, struct text *t)
{
	const struct kf_mm_layout *l = &v->mm.layout;
	struct kf_mm *mm;
	size_t n;

	if (!v->has_mm || l->arg_end <= l->arg_start)
		return;
	n = l->arg_end - l->arg_start;
	if (n > TEXT_MAX)
		n = TEXT_MAX;
	mm = kf_task_get_mm(v->task);
	if (!mm)
		return;
	if (!kf_mm_copy_out(mm, t->buf, l->arg_start, n))
		t->len = n;
	kf_mm_put(mm);
}

/* ---- Open files ------------------------------------------------------------------------- */

static long text_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	uint64_t pos = f->pos;

	if (pos >= f->size)
		return 0;
	if (n > f->size - pos)
		n = f->size - pos;
	if (kf_os_copy_to_user(ubuf, (const char *)f->data + pos, n))
		return -KF_EFAULT;
	f->pos = pos + n;
	return (long)n;
}

/* root may open a file for writing (its permission bits do not bind
 * it), but none of these takes a write: EINVAL, as a file without a
 * write operation on Linux. */
static long text_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	(void)f;
	(void)ubuf;
	(void)n;
	return -KF_EINVAL;
}

static void file_stat(struct mk_file *f, struct mk_stat *st)
{
	struct proc_node n = *(struct proc_node *)f->priv;

	node_stat(&n, st);
}

static uint64_t file_size(struct mk_file *f)
{
	return f->size;
}

static unsigned file_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN;
}

/* the path is mk_file_put's to free, as for every file with one */
static void file_release(struct mk_file *f)
{
	struct proc_node *n = f->priv;

	if (n->kpid)
		kf_pid_release(n->kpid);
	if (f->data)
		mk_free((void *)f->data, TEXT_MAX);
	mk_free(f->priv, sizeof(struct proc_node));
}

/* One linux_dirent64 at @ubuf if it fits in @room: its size, 0, or
 * -EFAULT. */
static long put_dirent(uintptr_t ubuf, size_t room, uint64_t ino, int64_t off,
		       unsigned char type, const char *name)
{
	char rec[64];
	size_t len = strlen(name), reclen = MK_ALIGN_UP(19 + len + 1, 8);
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &off, 8);
	memcpy(rec + 16, &rl, 2);
	rec[18] = (char)type;
	memcpy(rec + 19, name, len);
	return kf_os_copy_to_user(ubuf, rec, reclen) ? -KF_EFAULT : (long)reclen;
}

struct pid_list {
	int *pids;
	int n, max;
};

static void collect_pid(const struct kf_task_info *ti, void *arg)
{
	struct pid_list *l = arg;

	if (ti->pid == ti->tgid && ti->state != 'X' && l->n < l->max)
		l->pids[l->n++] = ti->pid;
}

static void count_one(const struct kf_task_info *ti, void *arg)
{
	(void)ti;
	(*(int *)arg)++;
}

/* next_pid - the smallest visible process id above @after, or 0. */
static int next_pid(int after)
{
	struct pid_list l = { 0 };
	int i, best = 0;

	kf_for_each_task(count_one, &l.max);
	l.pids = mk_alloc((size_t)(l.max + 1) * sizeof(int));
	if (!l.pids)
		return 0;
	kf_for_each_task(collect_pid, &l);
	for (i = 0; i < l.n; i++)
		if (l.pids[i] > after && (!best || l.pids[i] < best))
			best = l.pids[i];
	mk_free(l.pids, (size_t)(l.max + 1) * sizeof(int));
	return best;
}

/*
 * root_getdents - ".", "..", "self", "sys", then a directory per process
 * in pid order.  f->pos: 0-3 the first four, then 4 + the last pid listed
 * (so a listing continues right whatever came and went).
 */
static long root_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	static const char *const fixed[] = { ".", "..", "self", "sys" };
	size_t done = 0;
	char name[16];
	long r;

	for (;;) {
		uint64_t pos = f->pos, ino;
		unsigned char type;
		int pid = 0;

		if (pos < 4) {
			mk_snprintf(name, sizeof(name), "%s", fixed[pos]);
			type = pos == 2 ? DT_LNK : DT_DIR;
			ino = pos == 2 ? INO_SELF : pos == 3 ? INO_SYS : INO_ROOT;
		} else {
			pid = next_pid((int)(pos - 4));
			if (!pid)
				return (long)done;
			mk_snprintf(name, sizeof(name), "%d", pid);
			type = DT_DIR;
			ino = INO_PID(pid, 1);
		}
		r = put_dirent(ubuf + done, n - done, ino,
			       (int64_t)(pid ? 4 + pid : pos + 1), type, name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = pid ? 4 + (uint64_t)pid : pos + 1;
	}
}

/* pid_getdents - ".", "..", the process's files and its directories. */
static long pid_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;
	size_t done = 0, nf = MK_ARRAY_SIZE(pid_files);
	long r;

	while (f->pos < 2 + PID_ENTRIES) {
		uint64_t pos = f->pos;
		bool dir = pos < 2 || pos >= 2 + nf;
		const char *name = pos == 0 ? "." : pos == 1 ? ".." :
				   pos < 2 + nf ? pid_files[pos - 2] :
				   pid_dirs[pos - 2 - nf];

		r = put_dirent(ubuf + done, n - done,
			       INO_PID(node->pid, pos < 2 ? 1 : pos), (int64_t)pos + 1,
			       dir ? DT_DIR : DT_REG, name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = pos + 1;
	}
	return (long)done;
}

/* fdinfo_getdents - ".", "..", then a file per open fd, in fd order;
 * f->pos past the first two is 2 + the last fd listed + 1. */
static long fdinfo_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;
	struct kf_task *task;
	size_t done = 0;
	char name[16];
	long r;

	for (;;) {
		uint64_t pos = f->pos;
		int fd = -1;

		if (pos >= 2) {
			task = kf_task_find(node->pid);
			fd = task ? kf_task_fd_next(task, (int)pos - 3) : -1;
			if (task)
				kf_task_put(task);
			if (fd < 0)
				return (long)done;
			mk_snprintf(name, sizeof(name), "%d", fd);
		}
		r = put_dirent(ubuf + done, n - done, INO_PID(node->pid, 9),
			       (int64_t)(fd >= 0 ? fd + 3 : pos + 1),
			       fd >= 0 ? DT_REG : DT_DIR,
			       pos == 0 ? "." : pos == 1 ? ".." : name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = fd >= 0 ? (uint64_t)fd + 3 : pos + 1;
	}
}

/* ns_getdents - ".", "..", and a link per namespace kind. */
static long ns_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;
	size_t done = 0;
	long r;

	while (f->pos < 2 + KF_NS_KINDS) {
		uint64_t pos = f->pos;
		const char *name = pos == 0 ? "." : pos == 1 ? ".." :
				   kf_ns_kind_name((int)pos - 2);

		r = put_dirent(ubuf + done, n - done, INO_PID(node->pid, 30 + pos),
			       (int64_t)pos + 1, pos < 2 ? DT_DIR : DT_LNK, name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = pos + 1;
	}
	return (long)done;
}

/* sys_getdents - "sys" holds "kernel", which holds "pid_max". */
static long sys_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;
	bool top = node->kind == P_SYS;
	size_t done = 0;
	long r;

	while (f->pos < 3) {
		uint64_t pos = f->pos;
		const char *name = pos == 0 ? "." : pos == 1 ? ".." :
				   top ? "kernel" : "pid_max";

		r = put_dirent(ubuf + done, n - done,
			       pos < 2 ? INO_SYS : top ? INO_SYS_KERNEL : INO_PID_MAX,
			       (int64_t)pos + 1,
			       pos < 2 || top ? DT_DIR : DT_REG, name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = pos + 1;
	}
	return (long)done;
}

static long dir_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;

	switch (node->kind) {
	case P_ROOT:
		return root_getdents(f, ubuf, n);
	case P_FDINFO_DIR:
		return fdinfo_getdents(f, ubuf, n);
	case P_NS_DIR:
		return ns_getdents(f, ubuf, n);
	case P_SYS:
	case P_SYS_KERNEL:
		return sys_getdents(f, ubuf, n);
	default:
		return pid_getdents(f, ubuf, n);
	}
}

static const struct mk_file_ops text_ops = {
	.read = text_read,
	.write = text_write,
	.poll = file_poll,
	.stat = file_stat,
	.size = file_size,
	.release = file_release,
};

static const struct mk_file_ops dir_ops = {
	.poll = file_poll,
	.stat = file_stat,
	.getdents = dir_getdents,
	.size = file_size,
	.release = file_release,
};

/*
 * pidfd_fdinfo - the lines a pidfd adds (Linux's pidfd_show_fdinfo): its
 * process's id as the caller's pid namespace (this /proc's) numbers it,
 * then in each nested namespace; 0 when the caller cannot see it, -1 once
 * it was reaped.
 */
static void pidfd_fdinfo(struct text *t, struct kf_task *task)
{
	int nrs[KF_MAX_NS_PIDS], n, i;
	struct kf_task_info ti;

	if (!task || (kf_task_info(task, &ti) && ti.state == 'X')) {
		tprintf(t, "Pid:\t-1\nNSpid:\t-1\n");
		return;
	}
	n = kf_task_ns_pids(task, false, nrs, KF_MAX_NS_PIDS);
	if (!n) {
		tprintf(t, "Pid:\t0\nNSpid:\t0\n");
		return;
	}
	tprintf(t, "Pid:\t%d\nNSpid:", nrs[0]);
	for (i = 0; i < n; i++)
		tprintf(t, "\t%d", nrs[i]);
	tprintf(t, "\n");
}

/*
 * make_fdinfo - Linux's /proc/<pid>/fdinfo/<fd>: position, status flags
 * (O_CLOEXEC when the fd has it), the mount and inode, and what the
 * file's kind adds.  -ENOENT once the fd was closed.
 */
static long make_fdinfo(const struct proc_node *n, struct text *t)
{
	struct kf_task *task = kf_task_find(n->pid), *pidt;
	struct mk_file *f;
	struct mk_stat st;
	bool cloexec = false;

	f = task ? kf_task_fd_get(task, n->arg, &cloexec) : NULL;
	if (task)
		kf_task_put(task);
	if (!f)
		return -KF_ENOENT;
	memset(&st, 0, sizeof(st));
	if (f->ops->stat)
		f->ops->stat(f, &st);
	tprintf(t, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		(unsigned long)f->pos, f->flags | (cloexec ? MK_O_CLOEXEC : 0),
		mk_file_mnt_id(f), (unsigned long)st.ino);
	pidt = mk_pidfd_task(f);
	if (mk_is_pidfd(f))
		pidfd_fdinfo(t, pidt);
	if (pidt)
		kf_task_put(pidt);
	if (f->ops->fdinfo)
		t->len += f->ops->fdinfo(f, t->buf + t->len, TEXT_MAX - 1 - t->len);
	mk_file_put(f);
	return 0;
}

/* make_text - a file's contents, made now; -ESRCH when the process went. */
static long make_text(const struct proc_node *n, char *buf, size_t *len)
{
	struct text t = { buf, 0 };
	struct proc_view v;
	long r;

	if (n->kind == P_PID_MAX || n->kind == P_FDINFO) {
		if (n->kind == P_PID_MAX)
			tprintf(&t, "%d\n", CONFIG_KF_PID_MAX);
		r = n->kind == P_FDINFO ? make_fdinfo(n, &t) : 0;
		*len = t.len;
		return r;
	}
	r = view_get(n->pid, &v);

	if (r)
		return r;
	if (n->kind == P_MOUNTINFO)
		t.len = mk_mount_info(t.buf, TEXT_MAX);
	else if (n->kind == P_STAT)
		make_stat(&v, &t);
	else if (n->kind == P_STATUS)
		make_status(&v, &t);
	else
		make_cmdline(&v, &t);
	view_put(&v);
	*len = t.len;
	return 0;
}

/* file_new - an open /proc file for node @n at canonical @canon. */
static struct mk_file *file_new(const char *canon, const struct proc_node *n,
				unsigned flags, long *err)
{
	bool dir = node_is_dir(n);
	struct mk_file *f = mk_file_new(dir ? &dir_ops : &text_ops, flags, NULL);
	char name[MK_PATH_MAX], *path;
	struct mk_stat st;
	size_t len;

	*err = -KF_ENOMEM;
	if (!f)
		return NULL;
	/* "self" resolved: later lookups below it stay with this process */
	if (n->kind == P_ROOT)
		mk_snprintf(name, sizeof(name), "proc");
	else if (n->kind == P_SYS || n->kind == P_SYS_KERNEL)
		mk_snprintf(name, sizeof(name), "%s", canon);
	else if (dir)
		mk_snprintf(name, sizeof(name), "proc/%d%s", n->pid,
			    n->kind == P_FDINFO_DIR ? "/fdinfo" :
			    n->kind == P_NS_DIR ? "/ns" : "");
	else
		mk_snprintf(name, sizeof(name), "%s", canon);
	len = strlen(name) + 1;
	path = mk_alloc(len);
	f->priv = mk_alloc(sizeof(*n));
	if (!path || !f->priv) {
		mk_free(path, len);
		mk_file_put(f);
		return NULL;
	}
	memcpy(path, name, len);
	*(struct proc_node *)f->priv = *n;
	((struct proc_node *)f->priv)->kpid = NULL;
	if (n->kind == P_PID) {
		/* Linux's /proc/<pid> holds its struct pid: pidfd_send_signal
		 * takes such a directory as a pidfd */
		struct kf_task *t = kf_task_find(n->pid);

		if (t) {
			((struct proc_node *)f->priv)->kpid = kf_task_pid(t);
			kf_task_put(t);
		}
	}
	f->path = path;
	node_stat(n, &st);
	f->mode = st.mode;
	f->ino = st.ino;
	if (!dir) {
		char *buf = mk_alloc(TEXT_MAX);
		size_t len = 0;

		*err = buf ? make_text(n, buf, &len) : -KF_ENOMEM;
		f->data = buf;
		f->size = len;
		if (*err) {
			mk_file_put(f);
			return NULL;
		}
	}
	*err = 0;
	return f;
}

struct kf_task *mk_procfs_pid_task(struct mk_file *f)
{
	const struct proc_node *n = f->priv;

	if (f->ops != &dir_ops || n->kind != P_PID || !n->kpid)
		return NULL;
	return kf_pid_task(n->kpid);
}

bool mk_procfs_is_pid_dir(struct mk_file *f)
{
	const struct proc_node *n = f->priv;

	return f->ops == &dir_ops && n->kind == P_PID && n->kpid;
}

struct mk_file *mk_procfs_open(const char *canon, unsigned flags, long *err)
{
	struct proc_node n;

	*err = lookup(canon, true, &n);
	if (*err)
		return NULL;
	if (n.kind == P_NS) {
		struct kf_nsref r;
		struct mk_file *f;

		*err = ns_get(&n, &r);
		if (*err)
			return NULL;
		f = mk_nsfs_file(&r, flags & MK_O_ACCMODE);
		*err = f ? 0 : -KF_ENOMEM;
		return f;
	}
	/* the files are 0444 and the directories 0555: writing needs root
	 * (CAP_DAC_OVERRIDE), and a directory is never written */
	if ((flags & MK_O_ACCMODE) != MK_O_RDONLY || (flags & MK_O_TRUNC)) {
		if (node_is_dir(&n))
			*err = -MK_EISDIR;
		else if (kf_geteuid() != 0)
			*err = -MK_EACCES;
		if (*err)
			return NULL;
	}
	if (n.kind == P_PAGEMAP)
		return mk_pagemap_open(n.pid, canon, flags, err);
	return file_new(canon, &n, flags, err);
}
