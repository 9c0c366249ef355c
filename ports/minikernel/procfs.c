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
#define INO_PID(pid, k)	(((uint64_t)(pid) << 8) | (k))
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10
#define MK_S_IFLNK	0120000
#define TEXT_MAX	4096
#define NSEC_PER_TICK	(1000000000ull / MK_HZ)

/* What a /proc path names. */
enum proc_kind { P_ROOT, P_SELF, P_PID, P_STAT, P_STATUS, P_CMDLINE, P_PAGEMAP };

struct proc_node {
	enum proc_kind kind;
	int pid;			/* P_PID..P_CMDLINE: as the caller sees it */
};

static const char *const pid_files[] = { "cmdline", "stat", "status", "pagemap" };

bool mk_procfs_owns(const char *canon)
{
	return !strncmp(canon, "proc", 4) && (canon[4] == 0 || canon[4] == '/');
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

/*
 * lookup - @canon (below "proc") as a node: "self" is followed to the
 * caller's process unless it is the last component and @follow is false.
 * 0, -ENOENT, or -ENOTDIR for a path through a file.
 */
static long lookup(const char *canon, bool follow, struct proc_node *n)
{
	const char *p = canon + 4, *c;
	size_t len;

	n->kind = P_ROOT;
	n->pid = 0;
	if (*p == '/')
		p++;
	if (!*p)
		return 0;
	for (c = p; *c && *c != '/'; c++)
		;
	len = (size_t)(c - p);
	if (len == 4 && !strncmp(p, "self", 4)) {
		n->kind = P_SELF;
		if (!*c && !follow)
			return 0;
		n->pid = kf_getpid();
	} else {
		n->pid = parse_pid(p, len);
		if (!n->pid || !task_visible(n->pid))
			return -KF_ENOENT;
	}
	n->kind = P_PID;
	if (!*c)
		return 0;
	p = c + 1;
	if (!strcmp(p, "cmdline"))
		n->kind = P_CMDLINE;
	else if (!strcmp(p, "stat"))
		n->kind = P_STAT;
	else if (!strcmp(p, "status"))
		n->kind = P_STATUS;
	else if (!strcmp(p, "pagemap"))
		n->kind = P_PAGEMAP;
	else if (!strncmp(p, "cmdline/", 8) || !strncmp(p, "stat/", 5) ||
		 !strncmp(p, "status/", 7) || !strncmp(p, "pagemap/", 8))
		return -MK_ENOTDIR;
	else
		return -KF_ENOENT;
	return 0;
}

static bool node_is_dir(const struct proc_node *n)
{
	return n->kind == P_ROOT || n->kind == P_PID;
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
	};

	memset(st, 0, sizeof(*st));
	st->dev = PROC_DEV;
	node_owner(n, &st->uid, &st->gid);
	switch (n->kind) {
	case P_ROOT:
		st->ino = INO_ROOT;
		st->mode = MK_S_IFDIR | 0555;
		st->nlink = 2;
		break;
	case P_SELF:
		st->ino = INO_SELF;
		st->mode = MK_S_IFLNK | 0777;
		st->nlink = 1;
		st->uid = st->gid = 0;
		break;
	case P_PID:
		st->ino = INO_PID(n->pid, 1);
		st->mode = MK_S_IFDIR | 0555;
		st->nlink = 2;
		break;
	default:
		st->ino = INO_PID(n->pid, file_ino[n->kind]);
		st->mode = MK_S_IFREG | (n->kind == P_PAGEMAP ? 0400 : 0444);
		st->nlink = 1;
		break;
	}
}

long mk_procfs_stat(const char *canon, bool follow, struct mk_stat *st)
{
	struct proc_node n;
	long r = lookup(canon, follow, &n);

	if (!r)
		node_stat(&n, st);
	return r;
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
	tprintf(t, "Groups:\t\nNStgid:\t%d\nNSpid:\t%d\n", ti->tgid, ti->pid);
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
 * root_getdents - ".", "..", "self", then a directory per process in pid
 * order.  f->pos: 0-2 the first three, then 3 + the last pid listed (so
 * a listing continues right whatever came and went).
 */
static long root_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	static const char *const fixed[] = { ".", "..", "self" };
	size_t done = 0;
	char name[16];
	long r;

	for (;;) {
		uint64_t pos = f->pos, ino;
		unsigned char type;
		int pid = 0;

		if (pos < 3) {
			mk_snprintf(name, sizeof(name), "%s", fixed[pos]);
			type = pos == 2 ? DT_LNK : DT_DIR;
			ino = pos == 2 ? INO_SELF : INO_ROOT;
		} else {
			pid = next_pid((int)(pos - 3));
			if (!pid)
				return (long)done;
			mk_snprintf(name, sizeof(name), "%d", pid);
			type = DT_DIR;
			ino = INO_PID(pid, 1);
		}
		r = put_dirent(ubuf + done, n - done, ino,
			       (int64_t)(pid ? 3 + pid : pos + 1), type, name);
		if (r <= 0)
			return done ? (long)done : (r ? r : -KF_EINVAL);
		done += (size_t)r;
		f->pos = pid ? 3 + (uint64_t)pid : pos + 1;
	}
}

/* pid_getdents - ".", "..", and the process's three files. */
static long pid_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	const struct proc_node *node = f->priv;
	size_t done = 0;
	long r;

	while (f->pos < 2 + MK_ARRAY_SIZE(pid_files)) {
		uint64_t pos = f->pos;
		const char *name = pos == 0 ? "." : pos == 1 ? ".." :
				   pid_files[pos - 2];

		r = put_dirent(ubuf + done, n - done,
			       INO_PID(node->pid, pos < 2 ? 1 : pos), (int64_t)pos + 1,
			       pos < 2 ? DT_DIR : DT_REG, name);
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

	return node->kind == P_ROOT ? root_getdents(f, ubuf, n) :
				      pid_getdents(f, ubuf, n);
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

/* make_text - a file's contents, made now; -ESRCH when the process went. */
static long make_text(const struct proc_node *n, char *buf, size_t *len)
{
	struct text t = { buf, 0 };
	struct proc_view v;
	long r = view_get(n->pid, &v);

	if (r)
		return r;
	if (n->kind == P_STAT)
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
	else if (dir)
		mk_snprintf(name, sizeof(name), "proc/%d", n->pid);
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

struct mk_file *mk_procfs_open(const char *canon, unsigned flags, long *err)
{
	struct proc_node n;

	*err = lookup(canon, true, &n);
	if (*err)
		return NULL;
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
