// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/proc.c - the process system calls: thin skins over
 * kfork's kf_* calls (creation, exit, wait, ids, credentials, limits,
 * namespaces), plus execve's argument copying, pidfds and uname.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/arch/abi.h>

#define MK_ARG_MAX (128ul << 10)	/* bytes of argv + envp strings */
#define MK_MAX_ARGS 4096		/* pointers in argv + envp */
#define MK_PIDFD_NONBLOCK 04000
#define MK_PIDFD_THREAD 0200
#define MK_PIDFD_SIGNAL_FLAGS 0x7
#define MK_PIDFD_SIGNAL_THREAD 0x1
#define MK_PIDFD_SIGNAL_THREAD_GROUP 0x2
#define MK_PIDFD_SIGNAL_PROCESS_GROUP 0x4
#define MK_SI_TKILL (-6)
#define MK_PR_SET_PDEATHSIG 1
#define MK_PR_GET_DUMPABLE 3
#define MK_PR_SET_DUMPABLE 4
#define MK_PR_GET_KEEPCAPS 7
#define MK_PR_SET_KEEPCAPS 8
#define MK_PR_CAPBSET_READ 23
#define MK_PR_CAPBSET_DROP 24
#define MK_PR_SET_NAME 15
#define MK_PR_GET_NAME 16
#define MK_PR_SET_CHILD_SUBREAPER 36
#define MK_PR_GET_CHILD_SUBREAPER 37
#define MK_UTS_LEN 65

uint64_t mk_rlimit_cur(int resource)
{
	uint64_t cur = 0;

	kf_getrlimit(resource, &cur, NULL);
	return cur;
}

/* ---- Creation --------------------------------------------------------------------- */

long mk_sys_fork(const long *a)
{
	(void)a;
	return kf_fork();
}

long mk_sys_vfork(const long *a)
{
	(void)a;
	return kf_vfork();
}

long mk_sys_clone(const long *a)
{
	uint64_t flags, stack, ptid, ctid, tls;

	MK_CLONE_ARGS(a, flags, stack, ptid, ctid, tls);
	return kf_sys_clone(flags, stack, ptid, ctid, tls);
}

long mk_sys_clone3(const long *a)
{
	return kf_sys_clone3((uintptr_t)a[0], (size_t)a[1]);
}

long mk_sys_set_tid_address(const long *a)
{
	return kf_set_tid_address((uintptr_t)a[0]);
}

/* Robust futex lists are accepted and never walked. */
long mk_sys_set_robust_list(const long *a)
{
	return a[1] == 24 ? 0 : -KF_EINVAL;
}

/* ---- Exit and wait ------------------------------------------------------------------- */

long mk_sys_exit(const long *a)
{
	mk_task_exit(KF_W_EXITCODE((int)a[0], 0), false);
}

long mk_sys_exit_group(const long *a)
{
	mk_task_exit(KF_W_EXITCODE((int)a[0], 0), true);
}

long mk_sys_wait4(const long *a)
{
	return kf_wait4((int)a[0], (uintptr_t)a[1], (int)a[2], (uintptr_t)a[3]);
}

/* waitid's siginfo: signo, errno, code at 0/4/8; pid, uid, status at
 * 16/20/24 (the rest of the 128 bytes is left alone, as Linux does). */
static long put_waitinfo(uintptr_t u, const struct kf_waitinfo *wi)
{
	int32_t head[3] = { wi->signo, 0, wi->code };
	int32_t body[3] = { wi->pid, wi->uid, wi->status };

	if (kf_os_copy_to_user(u, head, sizeof(head)) ||
	    kf_os_copy_to_user(u + 16, body, sizeof(body)))
		return -KF_EFAULT;
	return 0;
}

/* pidfd_pid - P_PIDFD: the pid of the process a pidfd refers to;
 * *@nonblock: the pidfd is O_NONBLOCK (PIDFD_NONBLOCK). */
static long pidfd_pid(int fd, bool *nonblock)
{
	struct mk_file *f = mk_fd_file(fd);
	struct kf_task_info ti;
	struct kf_task *t;
	long r;

	if (!f)
		return -KF_EBADF;
	t = mk_pidfd_task(f);
	if (!mk_is_pidfd(f))
		r = -KF_EBADF;
	else if (!t || kf_task_info(t, &ti) || ti.state == 'X')
		r = -KF_ECHILD;
	else
		r = ti.pid;
	*nonblock = (f->flags & MK_O_NONBLOCK) != 0;
	if (t)
		kf_task_put(t);
	mk_file_put(f);
	return r;
}

/* waitid_options_ok - kf_waitid's first checks, which Linux makes before
 * it looks at a P_PIDFD's fd. */
static bool waitid_options_ok(int options)
{
	const unsigned known = KF_WNOHANG | KF_WNOWAIT | KF_WEXITED | KF_WSTOPPED |
			       KF_WCONTINUED | KF___WNOTHREAD | KF___WCLONE | KF___WALL;

	return !((unsigned)options & ~known) &&
	       (options & (KF_WEXITED | KF_WSTOPPED | KF_WCONTINUED));
}

/*
 * waitid(which, id, infop, options, ru).  Linux's order of side effects:
 * the rusage when a child was found (only then), then the siginfo
 * whatever the result -- zeros when no child was ready or the call
 * failed -- so a bad infop gives EFAULT even where the wait itself failed.
 */
long mk_sys_waitid(const long *a)
{
	struct kf_waitinfo wi = { 0 };
	struct kf_rusage ru;
	int which = (int)a[0], id = (int)a[1], options = (int)a[3];
	long r = waitid_options_ok(options) ? 0 : -KF_EINVAL;
	bool nonblock = false;

	if (!r && which == KF_P_PIDFD && id >= 0) {
		long pid = pidfd_pid(id, &nonblock);

		if (pid < 0) {
			r = pid;
		} else {
			which = KF_P_PID;
			id = (int)pid;
		}
	}
	/* a PIDFD_NONBLOCK pidfd makes the wait not block: nothing to
	 * report is EAGAIN, unless the caller asked for WNOHANG itself */
	if (!r)
		r = kf_waitid_rusage(which, id, &wi, options | (nonblock ? KF_WNOHANG : 0),
				     a[4] ? &ru : NULL);
	if (!r && nonblock && !wi.pid && !(options & KF_WNOHANG))
		r = -KF_EAGAIN;
	if (r < 0)
		memset(&wi, 0, sizeof(wi));
	if (!r && wi.pid && a[4] &&
	    kf_os_copy_to_user((uintptr_t)a[4], &ru, sizeof(ru)))
		return -KF_EFAULT;
	if (a[2] && put_waitinfo((uintptr_t)a[2], &wi))
		return -KF_EFAULT;
	return r;
}

/* ---- Resource usage ------------------------------------------------------------------ */

/* Linux with HZ=100: jiffies start 300 s before the 32-bit wrap, so that
 * code that mishandles it fails early (INITIAL_JIFFIES). */
#define MK_INITIAL_TICKS (0x100000000ull - 300 * MK_HZ)

long mk_sys_getrusage(const long *a)
{
	return kf_getrusage((int)a[0], (uintptr_t)a[1]);
}

/* times(tms): the clock ticks since an arbitrary origin (Linux's jiffies,
 * in 1/100 s), after the struct tms. */
long mk_sys_times(const long *a)
{
	long r = kf_times((uintptr_t)a[0], MK_HZ);

	if (r)
		return r;
	return (long)(MK_INITIAL_TICKS + board_clock_ns() / (1000000000ull / MK_HZ));
}

/* ---- Identity ------------------------------------------------------------------------ */

long mk_sys_getpid(const long *a) { (void)a; return kf_getpid(); }
long mk_sys_getppid(const long *a) { (void)a; return kf_getppid(); }
long mk_sys_gettid(const long *a) { (void)a; return kf_gettid(); }
long mk_sys_getuid(const long *a) { (void)a; return kf_getuid(); }
long mk_sys_geteuid(const long *a) { (void)a; return kf_geteuid(); }
long mk_sys_getgid(const long *a) { (void)a; return kf_getgid(); }
long mk_sys_getegid(const long *a) { (void)a; return kf_getegid(); }
long mk_sys_setuid(const long *a) { return kf_setuid((uint32_t)a[0]); }
long mk_sys_capget(const long *a) { return kf_capget((uintptr_t)a[0], (uintptr_t)a[1]); }
long mk_sys_capset(const long *a) { return kf_capset((uintptr_t)a[0], (uintptr_t)a[1]); }
long mk_sys_setgid(const long *a) { return kf_setgid((uint32_t)a[0]); }
long mk_sys_setreuid(const long *a) { return kf_setreuid((uint32_t)a[0], (uint32_t)a[1]); }
long mk_sys_setregid(const long *a) { return kf_setregid((uint32_t)a[0], (uint32_t)a[1]); }
long mk_sys_setfsuid(const long *a) { return kf_setfsuid((uint32_t)a[0]); }
long mk_sys_setfsgid(const long *a) { return kf_setfsgid((uint32_t)a[0]); }

long mk_sys_setresuid(const long *a)
{
	return kf_setresuid((uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long mk_sys_setresgid(const long *a)
{
	return kf_setresgid((uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long mk_sys_getresuid(const long *a)
{
	return kf_getresuid((uintptr_t)a[0], (uintptr_t)a[1], (uintptr_t)a[2]);
}

long mk_sys_getresgid(const long *a)
{
	return kf_getresgid((uintptr_t)a[0], (uintptr_t)a[1], (uintptr_t)a[2]);
}
long mk_sys_umask(const long *a) { return kf_umask((unsigned)a[0]); }
long mk_sys_unshare(const long *a) { return kf_unshare((uint64_t)(unsigned long)a[0]); }

/* process groups and sessions (kfork's) */
long mk_sys_setpgid(const long *a) { return kf_setpgid((int)a[0], (int)a[1]); }
long mk_sys_getpgid(const long *a) { return kf_getpgid((int)a[0]); }
long mk_sys_getpgrp(const long *a) { (void)a; return kf_getpgid(0); }
long mk_sys_getsid(const long *a) { return kf_getsid((int)a[0]); }
long mk_sys_setsid(const long *a) { (void)a; return kf_setsid(); }

long mk_sys_sched_yield(const long *a)
{
	(void)a;
	mk_schedule();
	return 0;
}

/* ---- Limits ---------------------------------------------------------------------------- */

long mk_sys_getrlimit(const long *a)
{
	uint64_t r[2];
	long err = kf_getrlimit((int)a[0], &r[0], &r[1]);

	if (err)
		return err;
	return kf_os_copy_to_user((uintptr_t)a[1], r, sizeof(r)) ? -KF_EFAULT : 0;
}

long mk_sys_setrlimit(const long *a)
{
	uint64_t r[2];

	if (kf_os_copy_from_user(r, (uintptr_t)a[1], sizeof(r)))
		return -KF_EFAULT;
	return kf_setrlimit((int)a[0], r[0], r[1]);
}

/* prlimit64(pid, resource, new, old) in Linux's order: @new is read
 * (EFAULT), then kfork's checks (ESRCH, EPERM, EINVAL...), then @old is
 * stored -- a bad @old still leaves the new limit set. */
long mk_sys_prlimit64(const long *a)
{
	struct kf_rlimit64 nw, old;
	long err;

	if (a[2] && kf_os_copy_from_user(&nw, (uintptr_t)a[2], sizeof(nw)))
		return -KF_EFAULT;
	err = kf_prlimit((int)a[0], (int)a[1], a[2] ? &nw : NULL,
			 a[3] ? &old : NULL);
	if (err)
		return err;
	if (a[3] && kf_os_copy_to_user((uintptr_t)a[3], &old, sizeof(old)))
		return -KF_EFAULT;
	return 0;
}

/* ---- CPU affinity ------------------------------------------------------------------------- */

/*
 * The mini-kernel runs on MK_NR_CPUS CPUs, so a mask has one word
 * (cpumask_size(), what getaffinity returns).  A thread keeps the mask it
 * was given, as far as it names CPUs that exist.
 */
#define MK_NR_CPUS 1
#define MK_CPUS_ONLINE ((1ull << MK_NR_CPUS) - 1)
#define MK_CPUMASK_SIZE 8u

/* affinity_thread - the thread @pid (0: the caller) names: Linux's
 * find_process_by_pid takes any thread's id.  *@ref to put. */
static struct mk_thread *affinity_thread(int pid, struct kf_task **ref)
{
	*ref = NULL;
	if (!pid)
		return mk_current();
	*ref = kf_task_find(pid);
	return mk_task_thread(*ref);
}

/* sched_getaffinity(pid, len, mask): EINVAL for a length too short for
 * every CPU or not a whole number of longs, ESRCH, then the mask (the
 * bytes stored, at most one word's). */
long mk_sys_sched_getaffinity(const long *a)
{
	unsigned len = (unsigned)a[1];
	struct kf_task *ref;
	struct mk_thread *t;
	uint64_t mask;
	long r;

	if ((uint64_t)len * 8 < MK_NR_CPUS || (len & (sizeof(long) - 1)))
		return -KF_EINVAL;
	t = affinity_thread((int)a[0], &ref);
	if (!t) {
		r = -KF_ESRCH;
	} else {
		mask = t->cpus_allowed & MK_CPUS_ONLINE;
		len = len < MK_CPUMASK_SIZE ? len : MK_CPUMASK_SIZE;
		r = kf_os_copy_to_user((uintptr_t)a[2], &mask, len) ?
		    -KF_EFAULT : (long)len;
	}
	if (ref)
		kf_task_put(ref);
	return r;
}

/* may_set_affinity - Linux's check_same_owner (the caller's effective uid
 * is the target's real or effective one), else CAP_SYS_NICE. */
static bool may_set_affinity(struct kf_task *target)
{
	struct kf_task_info ti;
	uint32_t euid = (uint32_t)kf_geteuid();

	if (!target || kf_task_info(target, &ti))
		return true;	/* the caller itself */
	return euid == ti.euid || euid == ti.uid ||
	       kf_os_capable(mk_current_task(), KF_CAP_SYS_NICE);
}

/* sched_setaffinity(pid, len, mask): the mask is read first (a shorter one
 * is zero-extended, a longer one cut: EFAULT), then ESRCH, EPERM, and
 * EINVAL when it names no CPU that exists. */
long mk_sys_sched_setaffinity(const long *a)
{
	unsigned len = (unsigned)a[1];
	struct kf_task *ref;
	struct mk_thread *t;
	uint64_t mask = 0;
	long r = 0;

	if (len > MK_CPUMASK_SIZE)
		len = MK_CPUMASK_SIZE;
	if (len && kf_os_copy_from_user(&mask, (uintptr_t)a[2], len))
		return -KF_EFAULT;
	t = affinity_thread((int)a[0], &ref);
	if (!t)
		r = -KF_ESRCH;
	else if (!may_set_affinity(ref))
		r = -KF_EPERM;
	else if (!(mask & MK_CPUS_ONLINE))
		r = -KF_EINVAL;
	else
		t->cpus_allowed = mask & MK_CPUS_ONLINE;
	if (ref)
		kf_task_put(ref);
	return r;
}

/* ---- uname and the host name ----------------------------------------------------------- */

static void uts_put(char *field, const char *s)
{
	size_t n = strnlen(s, MK_UTS_LEN - 1);

	memcpy(field, s, n);
	field[n] = 0;
}

long mk_sys_uname(const long *a)
{
	char u[6][MK_UTS_LEN];

	memset(u, 0, sizeof(u));
	uts_put(u[0], "Linux");
	kf_gethostname(u[1], MK_UTS_LEN - 1);
	uts_put(u[2], "6.12.0-kfork");
	uts_put(u[3], "#1 kfork minikernel");
	uts_put(u[4], board_platform());
	uts_put(u[5], "(none)");
	return kf_os_copy_to_user((uintptr_t)a[0], u, sizeof(u)) ? -KF_EFAULT : 0;
}

/* sethostname(name, len): EPERM, then EINVAL, then EFAULT, as Linux. */
long mk_sys_sethostname(const long *a)
{
	char name[MK_UTS_LEN];
	size_t len = (size_t)a[1];
	long r;

	/* the permission check first: setting the current name is a no-op */
	kf_gethostname(name, sizeof(name));
	name[MK_UTS_LEN - 1] = 0;
	r = kf_sethostname(name, strlen(name));
	if (r)
		return r;
	if ((long)len < 0 || len > MK_UTS_LEN - 1)
		return -KF_EINVAL;
	if (kf_os_copy_from_user(name, (uintptr_t)a[0], len))
		return -KF_EFAULT;
	return kf_sethostname(name, len);
}

long mk_sys_prctl(const long *a)
{
	struct mk_thread *t = mk_current();
	char name[16];

	switch (a[0]) {
	case MK_PR_SET_PDEATHSIG:
		return kf_set_pdeath_signal((int)a[1]);
	case MK_PR_GET_DUMPABLE:
		return !t->proc->nodump;
	case MK_PR_SET_DUMPABLE:
		if ((unsigned long)a[1] > 1)
			return -KF_EINVAL;
		t->proc->nodump = !a[1];
		return 0;
	case MK_PR_SET_NAME:
		if (kf_os_copy_from_user(name, (uintptr_t)a[1], sizeof(name)))
			return -KF_EFAULT;
		name[15] = 0;
		mk_thread_set_name(t, name);
		return 0;
	case MK_PR_GET_NAME:
		return kf_os_copy_to_user((uintptr_t)a[1], t->name,
					  sizeof(t->name)) ? -KF_EFAULT : 0;
	case MK_PR_SET_CHILD_SUBREAPER:
		kf_set_child_subreaper(a[1] != 0);
		return 0;
	case MK_PR_GET_KEEPCAPS:
		return kf_get_keepcaps();
	case MK_PR_SET_KEEPCAPS:
		return kf_set_keepcaps((unsigned long)a[1]);
	case MK_PR_CAPBSET_READ:
		return kf_capbset_read((unsigned long)a[1]);
	case MK_PR_CAPBSET_DROP:
		return kf_capbset_drop((unsigned long)a[1]);
	case MK_PR_GET_CHILD_SUBREAPER: {
		int v = kf_child_subreaper();

		return kf_os_copy_to_user((uintptr_t)a[1], &v, sizeof(v)) ?
		       -KF_EFAULT : 0;
	}
	default:
		return -KF_EINVAL;
	}
}

long mk_sys_getrandom(const long *a)
{
	size_t n = (size_t)a[1], done = 0;

	while (done < n) {
		uint64_t v = board_random();
		size_t k = n - done < 8 ? n - done : 8;

		if (kf_os_copy_to_user((uintptr_t)a[0] + done, &v, k))
			return done ? (long)done : -KF_EFAULT;
		done += k;
	}
	return (long)done;
}

/* ---- execve ------------------------------------------------------------------------------ */

struct exec_args {
	char *buf;		/* the strings, MK_ARG_MAX bytes */
	size_t used;
	char **ptrs;		/* argv, NULL, envp, NULL */
	size_t nptrs;
};

/* copy_strings - the user vector @uv (NULL: empty) into @ea. */
static long copy_strings(struct exec_args *ea, uintptr_t uv)
{
	uint64_t p;
	long len;

	for (; uv; uv += sizeof(p)) {
		if (kf_os_copy_from_user(&p, uv, sizeof(p)))
			return -KF_EFAULT;
		if (!p)
			break;
		if (ea->nptrs >= MK_MAX_ARGS - 2)
			return -KF_E2BIG;
		len = mk_copy_string(p, ea->buf + ea->used, MK_ARG_MAX - ea->used);
		if (len == -MK_ENAMETOOLONG)
			return -KF_E2BIG;
		if (len < 0)
			return len;
		ea->ptrs[ea->nptrs++] = ea->buf + ea->used;
		ea->used += (size_t)len + 1;
	}
	ea->ptrs[ea->nptrs++] = NULL;
	return 0;
}

long mk_sys_execve(const long *a)
{
	struct exec_args ea = { 0 };
	char path[MK_PATH_MAX];
	size_t envp0;
	long r = mk_copy_path((uintptr_t)a[0], path);

	if (r < 0)
		return r;
	/* a set*uid past RLIMIT_NPROC fails here, first (Linux's execve) */
	r = kf_exec_nproc_check();
	if (r)
		return r;
	ea.buf = mk_alloc(MK_ARG_MAX);
	ea.ptrs = mk_alloc(MK_MAX_ARGS * sizeof(char *));
	if (!ea.buf || !ea.ptrs) {
		r = -KF_ENOMEM;
		goto out;
	}
	r = copy_strings(&ea, (uintptr_t)a[1]);
	envp0 = ea.nptrs;
	if (!r)
		r = copy_strings(&ea, (uintptr_t)a[2]);
	if (!r)
		r = mk_exec(path, ea.ptrs, ea.ptrs + envp0);
out:
	if (ea.buf)
		mk_free(ea.buf, MK_ARG_MAX);
	if (ea.ptrs)
		mk_free(ea.ptrs, MK_MAX_ARGS * sizeof(char *));
	return r;
}

/* ---- pidfds ---------------------------------------------------------------------------- */

/*
 * A pidfd holds a reference on a kfork pid (kf_task_pid), not on a task:
 * the task using the pid is looked up at each use (kf_pid_task), which
 * follows the process's pid to the thread that took it by exec'ing, and
 * finds nothing once the process was reaped.
 *
 * pidfd_poll - readable once the process has exited: reaped, or a zombie
 * whose whole group is gone (as Linux: a leader that called exit(2) while
 * its threads run is a zombie, but its process is not done); a thread's
 * pidfd (PIDFD_THREAD) once that thread has.
 */
static unsigned pidfd_poll(struct mk_file *f)
{
	struct kf_task *t = kf_pid_task(f->priv);
	struct kf_task_info ti;
	unsigned ev = 0;

	if (!t)
		return MK_POLLIN | MK_POLLHUP;	/* reaped */
	if (kf_task_info(t, &ti))
		ev = MK_POLLIN;
	else if (ti.state != 'Z' && ti.state != 'X')
		ev = 0;
	else if (!(f->flags & MK_PIDFD_THREAD) && ti.nr_threads > 1)
		ev = 0;
	else
		ev = MK_POLLIN;
	kf_task_put(t);
	return ev;
}

static void pidfd_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = 0600;
	st->ino = (uintptr_t)f->priv >> 4;
	st->dev = 13;		/* anon_inode */
}

static void pidfd_release(struct mk_file *f)
{
	kf_pid_release(f->priv);
}

/*
 * may_ptrace - kfork's ptrace access check, and Linux's dumpable rule: a
 * process that made itself undumpable (PR_SET_DUMPABLE 0) is reached
 * only with CAP_SYS_PTRACE.
 */
static bool may_ptrace(struct kf_task *t, bool fscreds)
{
	struct mk_thread *th;

	if (kf_ptrace_may_access(t, fscreds))
		return false;
	th = mk_task_thread(t);
	if (th && th->proc && th->proc->nodump && th->proc != mk_current()->proc &&
	    !kf_os_capable(mk_current_task(), KF_CAP_SYS_PTRACE))
		return false;
	return true;
}

/*
 * pidfd_ioctl - PIDFD_GET_<kind>_NAMESPACE (_IO(0xFF, 1..10)): a new
 * close-on-exec namespace file for the process's namespace.  EINVAL for
 * any argument, ESRCH once it was reaped (and, but for its user and pid
 * namespaces, once it exited), EACCES without ptrace read access, ENOTTY
 * for another request.
 */
static long pidfd_ioctl(struct mk_file *f, unsigned cmd, unsigned long arg)
{
	static const int kinds[] = {
		KF_NS_CGROUP, KF_NS_IPC, KF_NS_MNT, KF_NS_NET, KF_NS_PID,
		KF_NS_PID_FOR_CHILDREN, KF_NS_TIME, KF_NS_TIME_FOR_CHILDREN,
		KF_NS_USER, KF_NS_UTS,
	};
	struct kf_task *t;
	struct kf_nsref r;
	unsigned nr = cmd & 0xff;
	long err;

	if (arg)
		return -KF_EINVAL;
	t = kf_pid_task(f->priv);
	if (!t)
		return -KF_ESRCH;
	if (!may_ptrace(t, true))
		err = -MK_EACCES;	/* checked before the request is */
	else if ((cmd & ~0xffu) != 0xff00u || nr < 1 || nr > MK_ARRAY_SIZE(kinds))
		err = -MK_ENOTTY;
	else
		err = kf_task_ns_get(t, kinds[nr - 1], false, &r);
	kf_task_put(t);
	if (err)
		return err;
	return mk_nsfs_install(&r);
}

static const struct mk_file_ops pidfd_ops = {
	.ioctl = pidfd_ioctl,
	.poll = pidfd_poll,
	.stat = pidfd_stat,
	.release = pidfd_release,
	.mnt_id = MK_MNT_ID_PIDFS,
};

bool mk_is_pidfd(const struct mk_file *f)
{
	return f->ops == &pidfd_ops;
}

struct kf_task *mk_pidfd_task(struct mk_file *f)
{
	return mk_is_pidfd(f) ? kf_pid_task(f->priv) : NULL;
}

/* pidfd_new - a pidfd file holding a reference on @t's pid (pidfd_release
 * drops it). */
static struct mk_file *pidfd_new(struct kf_task *t, unsigned flags)
{
	struct kf_pid *pid = kf_task_pid(t);
	struct mk_file *f = mk_file_new(&pidfd_ops, MK_O_RDWR | (flags &
					(MK_O_NONBLOCK | MK_PIDFD_THREAD)), pid);

	if (!f)
		kf_pid_release(pid);
	return f;
}

static int pidfd_install(struct kf_task *t, unsigned flags)
{
	struct mk_file *f = pidfd_new(t, flags);
	int fd;

	if (!f)
		return -KF_ENOMEM;
	fd = kf_fd_install(f, true);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

/* CLONE_PIDFD: the file only; the core installs it into the fd it
 * reserved once the child is committed. */
int kf_os_pidfd_file(struct kf_task *t, unsigned flags, void **file)
{
	struct mk_file *f = pidfd_new(t, flags);

	if (!f)
		return -KF_ENOMEM;
	*file = f;
	return 0;
}

long mk_sys_pidfd_open(const long *a)
{
	unsigned flags = (unsigned)a[1];
	struct kf_task_info ti;
	struct kf_task *t;
	long r;

	if (flags & ~(unsigned)(MK_PIDFD_NONBLOCK | MK_PIDFD_THREAD))
		return -KF_EINVAL;
	if (a[0] <= 0)
		return -KF_EINVAL;
	t = kf_task_find((int)a[0]);
	if (!t)
		return -KF_ESRCH;
	if (kf_task_info(t, &ti))
		r = -KF_ESRCH;
	else if (!(flags & MK_PIDFD_THREAD) && ti.pid != ti.tgid)
		r = -KF_EINVAL;
	else
		r = pidfd_install(t, flags);
	kf_task_put(t);
	return r;
}

/* pidfd_scope - whom pidfd_send_signal's @flags (at most one bit) aim at:
 * none means what the pidfd was opened for (a thread, or a process). */
static int pidfd_scope(const struct mk_file *f, unsigned flags)
{
	switch (flags) {
	case MK_PIDFD_SIGNAL_THREAD:
		return KF_KILL_THREAD;
	case MK_PIDFD_SIGNAL_THREAD_GROUP:
		return KF_KILL_PROCESS;
	case MK_PIDFD_SIGNAL_PROCESS_GROUP:
		return KF_KILL_PGRP;
	default:
		return (f->flags & MK_PIDFD_THREAD) ? KF_KILL_THREAD :
						      KF_KILL_PROCESS;
	}
}

/*
 * pidfd_send_signal(fd, sig, info, flags), in Linux's order: EINVAL
 * (unknown or several scope flags), EBADF (not a pidfd), EINVAL (out of
 * the caller's pid namespace), then with @info
 * EFAULT, EINVAL (for another signal) and EPERM (a forged si_code to
 * anyone but oneself), then kill's checks (EINVAL for a bad signal, EPERM,
 * ESRCH once the process is gone).
 */
long mk_sys_pidfd_send_signal(const long *a)
{
	unsigned flags = (unsigned)a[3];
	int sig = (int)a[1], scope;
	struct kf_siginfo ki, *kip = NULL;
	struct kf_task_info ti = { 0 };
	struct mk_file *f;
	struct kf_task *t;
	int32_t info[32];	/* the 128 bytes of a siginfo */
	long r = 0;

	if ((flags & ~(unsigned)MK_PIDFD_SIGNAL_FLAGS) ||
	    __builtin_popcount(flags) > 1)
		return -KF_EINVAL;
	f = mk_fd_file((int)a[0]);
	if (!f)
		return -KF_EBADF;
	if (!mk_is_pidfd(f) && !mk_procfs_is_pid_dir(f)) {
		r = -KF_EBADF;
		goto out;
	}
	t = mk_is_pidfd(f) ? mk_pidfd_task(f) : mk_procfs_pid_task(f);
	/* a process outside the caller's pid namespace (and not below it)
	 * cannot be named: EINVAL, before @info is read (a reaped one is out
	 * of sight: kf_kill_task says ESRCH) */
	if (t && kf_task_info(t, &ti) && ti.state != 'X') {
		r = -KF_EINVAL;
		goto put;
	}
	scope = pidfd_scope(f, flags);
	if (a[2]) {
		if (kf_os_copy_from_user(info, (uintptr_t)a[2], sizeof(info)))
			r = -KF_EFAULT;
		else if (info[0] != sig)
			r = -KF_EINVAL;
		else if ((t != mk_current_task() || scope == KF_KILL_PGRP) &&
			 (info[2] >= 0 || info[2] == MK_SI_TKILL))
			r = -KF_EPERM;
		ki = (struct kf_siginfo){ .signo = sig, .code = info[2],
					  .pid = info[4], .uid = info[5] };
		kip = &ki;
	}
	if (!r)
		r = t ? kf_kill_task(t, sig, kip, scope) : -KF_ESRCH;
put:
	if (t)
		kf_task_put(t);
out:
	mk_file_put(f);
	return r;
}

/*
 * pidfd_getfd(pidfd, targetfd, flags): a duplicate, in a new
 * close-on-exec fd, of the file the process has at @targetfd.  In Linux's
 * order: EINVAL for flags, EBADF (no fd, or not a pidfd), ESRCH once the
 * process was reaped, EPERM without ptrace attach access (same real ids,
 * or CAP_SYS_PTRACE), ESRCH when it is exiting, EBADF when it has no such
 * fd, EMFILE.
 */
long mk_sys_pidfd_getfd(const long *a)
{
	struct kf_task_info ti;
	struct mk_file *f, *file = NULL;
	struct kf_task *t;
	long r;

	if (a[2])
		return -KF_EINVAL;
	f = mk_fd_file((int)a[0]);
	if (!f)
		return -KF_EBADF;
	t = mk_pidfd_task(f);
	if (!mk_is_pidfd(f))
		r = -KF_EBADF;
	else if (!t || (kf_task_info(t, &ti) && ti.state == 'X'))
		r = -KF_ESRCH;
	else if (!may_ptrace(t, false))
		r = -KF_EPERM;
	else if (ti.state == 'Z' || !(file = kf_task_fd_get(t, (int)a[1], NULL)))
		r = ti.state == 'Z' ? -KF_ESRCH : -KF_EBADF;
	else
		r = kf_fd_install(file, true);
	if (r < 0 && file)
		mk_file_put(file);
	if (t)
		kf_task_put(t);
	mk_file_put(f);
	return r;
}

long mk_sys_kcmp(const long *a)
{
	return kf_kcmp((int)a[0], (int)a[1], (int)a[2], (unsigned long)a[3],
		       (unsigned long)a[4]);
}
