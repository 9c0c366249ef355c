// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/syscall.c - the system call table, the memory calls,
 * and the dispatcher.
 *
 * The table is indexed by Linux's generic numbers (<mk/unistd.h>); the
 * board turns its arch's number into a handler (board_syscall_fn), from
 * this table or, for an arch with numbers of its own, from its own map.
 * Unknown calls answer ENOSYS and are logged once per number.  Handlers
 * take the six raw argument registers.  A handler's -ERESTART* result is
 * noted for the signal code, which restarts the call or turns it into
 * EINTR on the way out.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/unistd.h>

/* ---- Memory -------------------------------------------------------------------- */

static long sys_brk(const long *a)
{
	return (long)kf_mm_brk(mk_current_mm(), (uintptr_t)a[0]);
}

/* Anonymous memory only: there are no files to map. */
static long sys_mmap(const long *a)
{
	unsigned flags = (unsigned)a[3];

	if (a[5] & (long)(KF_PAGE_SIZE - 1))
		return -KF_EINVAL;
	if (!(flags & KF_MAP_ANONYMOUS))
		return (flags & KF_MAP_TYPE) ? -KF_EBADF : -KF_EINVAL;
	return kf_mm_map(mk_current_mm(), (uintptr_t)a[0], (size_t)a[1],
			 (unsigned)a[2], flags);
}

static long sys_munmap(const long *a)
{
	return kf_mm_unmap(mk_current_mm(), (uintptr_t)a[0], (size_t)a[1]);
}

static long sys_mprotect(const long *a)
{
	return kf_mm_protect(mk_current_mm(), (uintptr_t)a[0], (size_t)a[1],
			     (unsigned)a[2]);
}

static long sys_madvise(const long *a)
{
	return kf_mm_advise(mk_current_mm(), (uintptr_t)a[0], (size_t)a[1],
			    (int)a[2]);
}

/*
 * struct sysinfo as Linux's sysinfo(2) writes it on a 64-bit arch (112
 * bytes): memory in bytes (mem_unit 1), no swap, no high memory.
 */
struct mk_abi_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram;
	uint64_t totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
};
_Static_assert(sizeof(struct mk_abi_sysinfo) == 112, "struct sysinfo");

/*
 * sysinfo: uptime in whole seconds rounded up (as Linux's boot-time
 * clock), no load averages, procs as Linux's count of all threads, and
 * freeram the page allocator's free frames.  Kernel heap pages in use
 * count as used, as Linux's slab does.
 */
static long sys_sysinfo(const long *a)
{
	struct mk_abi_sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)((board_clock_ns() + 999999999) / 1000000000);
	si.totalram = (uint64_t)mk_pmm_total_pages() * MK_PAGE_SIZE;
	si.freeram = (uint64_t)mk_pmm_free_pages() * MK_PAGE_SIZE;
	si.procs = (uint16_t)kf_nr_threads();	/* Linux's u16 too */
	si.mem_unit = 1;
	return kf_os_copy_to_user((uintptr_t)a[0], &si, sizeof(si)) ?
	       -KF_EFAULT : 0;
}

/* ---- The table ------------------------------------------------------------------- */

static const mk_sys_fn mk_sys_table[MK_NR_MAX] = {
	/* files (file.c, pipe.c, vfs.c) */
	[MK_NR_read] = mk_sys_read,
	[MK_NR_write] = mk_sys_write,
	[MK_NR_readv] = mk_sys_readv,
	[MK_NR_pread64] = mk_sys_pread64,
	[MK_NR_pwrite64] = mk_sys_pwrite64,
	[MK_NR_ftruncate] = mk_sys_ftruncate,
	[MK_NR_memfd_create] = mk_sys_memfd_create,
	[MK_NR_socketpair] = mk_sys_socketpair,
	[MK_NR_sendto] = mk_sys_sendto,
	[MK_NR_recvfrom] = mk_sys_recvfrom,
	[MK_NR_writev] = mk_sys_writev,
	[MK_NR_openat] = mk_sys_openat,
	[MK_NR_close] = mk_sys_close,
	[MK_NR_fstat] = mk_sys_fstat,
	[MK_NR_newfstatat] = mk_sys_newfstatat,
	[MK_NR_lseek] = mk_sys_lseek,
	[MK_NR_ioctl] = mk_sys_ioctl,
	[MK_NR_faccessat] = mk_sys_faccessat,
	[MK_NR_faccessat2] = mk_sys_faccessat,
	[MK_NR_pipe2] = mk_sys_pipe2,
	[MK_NR_dup] = mk_sys_dup,
	[MK_NR_dup3] = mk_sys_dup3,
	[MK_NR_fcntl] = mk_sys_fcntl,
	[MK_NR_ppoll] = mk_sys_ppoll,
	[MK_NR_vmsplice] = mk_sys_vmsplice,
	[MK_NR_epoll_create1] = mk_sys_epoll_create1,
	[MK_NR_epoll_ctl] = mk_sys_epoll_ctl,
	[MK_NR_epoll_pwait] = mk_sys_epoll_pwait,
	[MK_NR_getdents64] = mk_sys_getdents64,
	[MK_NR_getcwd] = mk_sys_getcwd,
	[MK_NR_chdir] = mk_sys_chdir,
	[MK_NR_fchdir] = mk_sys_fchdir,
	[MK_NR_readlinkat] = mk_sys_readlinkat,
	[MK_NR_umask] = mk_sys_umask,
	[MK_NR_mount] = mk_sys_mount,
	[MK_NR_umount2] = mk_sys_umount2,
	/* memory */
	[MK_NR_brk] = sys_brk,
	[MK_NR_mmap] = sys_mmap,
	[MK_NR_munmap] = sys_munmap,
	[MK_NR_mprotect] = sys_mprotect,
	[MK_NR_madvise] = sys_madvise,
	[MK_NR_sysinfo] = sys_sysinfo,
	/* processes (proc.c, reboot.c) */
	[MK_NR_clone] = mk_sys_clone,
	[MK_NR_clone3] = mk_sys_clone3,
	[MK_NR_execve] = mk_sys_execve,
	[MK_NR_exit] = mk_sys_exit,
	[MK_NR_exit_group] = mk_sys_exit_group,
	[MK_NR_wait4] = mk_sys_wait4,
	[MK_NR_waitid] = mk_sys_waitid,
	[MK_NR_set_tid_address] = mk_sys_set_tid_address,
	[MK_NR_set_robust_list] = mk_sys_set_robust_list,
	[MK_NR_getpid] = mk_sys_getpid,
	[MK_NR_getppid] = mk_sys_getppid,
	[MK_NR_gettid] = mk_sys_gettid,
	[MK_NR_getuid] = mk_sys_getuid,
	[MK_NR_geteuid] = mk_sys_geteuid,
	[MK_NR_getgid] = mk_sys_getgid,
	[MK_NR_getegid] = mk_sys_getegid,
	[MK_NR_setuid] = mk_sys_setuid,
	[MK_NR_capget] = mk_sys_capget,
	[MK_NR_capset] = mk_sys_capset,
	[MK_NR_setgid] = mk_sys_setgid,
	[MK_NR_setreuid] = mk_sys_setreuid,
	[MK_NR_setregid] = mk_sys_setregid,
	[MK_NR_setresuid] = mk_sys_setresuid,
	[MK_NR_setresgid] = mk_sys_setresgid,
	[MK_NR_getresuid] = mk_sys_getresuid,
	[MK_NR_getresgid] = mk_sys_getresgid,
	[MK_NR_setfsuid] = mk_sys_setfsuid,
	[MK_NR_setfsgid] = mk_sys_setfsgid,
	[MK_NR_getrusage] = mk_sys_getrusage,
	[MK_NR_times] = mk_sys_times,
	[MK_NR_sched_setaffinity] = mk_sys_sched_setaffinity,
	[MK_NR_sched_getaffinity] = mk_sys_sched_getaffinity,
	[MK_NR_unshare] = mk_sys_unshare,
	[MK_NR_setpgid] = mk_sys_setpgid,
	[MK_NR_getpgid] = mk_sys_getpgid,
	[MK_NR_getsid] = mk_sys_getsid,
	[MK_NR_setsid] = mk_sys_setsid,
	[MK_NR_sched_yield] = mk_sys_sched_yield,
	[MK_NR_getrlimit] = mk_sys_getrlimit,
	[MK_NR_setrlimit] = mk_sys_setrlimit,
	[MK_NR_prlimit64] = mk_sys_prlimit64,
	[MK_NR_uname] = mk_sys_uname,
	[MK_NR_sethostname] = mk_sys_sethostname,
	[MK_NR_prctl] = mk_sys_prctl,
	[MK_NR_getrandom] = mk_sys_getrandom,
	[MK_NR_pidfd_open] = mk_sys_pidfd_open,
	[MK_NR_pidfd_send_signal] = mk_sys_pidfd_send_signal,
	[MK_NR_pidfd_getfd] = mk_sys_pidfd_getfd,
	[MK_NR_setns] = mk_sys_setns,
	[MK_NR_kcmp] = mk_sys_kcmp,
	[MK_NR_reboot] = mk_sys_reboot,
	/* signals (signal.c), futexes, time */
	[MK_NR_rt_sigaction] = mk_sys_rt_sigaction,
	[MK_NR_rt_sigprocmask] = mk_sys_rt_sigprocmask,
	[MK_NR_rt_sigreturn] = mk_sys_rt_sigreturn,
	[MK_NR_rt_sigpending] = mk_sys_rt_sigpending,
	[MK_NR_rt_sigsuspend] = mk_sys_rt_sigsuspend,
	[MK_NR_rt_sigqueueinfo] = mk_sys_rt_sigqueueinfo,
	[MK_NR_rt_tgsigqueueinfo] = mk_sys_rt_tgsigqueueinfo,
	[MK_NR_rt_sigtimedwait] = mk_sys_rt_sigtimedwait,
	[MK_NR_sigaltstack] = mk_sys_sigaltstack,
	[MK_NR_kill] = mk_sys_kill,
	[MK_NR_tkill] = mk_sys_tkill,
	[MK_NR_tgkill] = mk_sys_tgkill,
	[MK_NR_futex] = mk_sys_futex,
	[MK_NR_nanosleep] = mk_sys_nanosleep,
	[MK_NR_clock_nanosleep] = mk_sys_clock_nanosleep,
	[MK_NR_clock_gettime] = mk_sys_clock_gettime,
	[MK_NR_clock_getres] = mk_sys_clock_getres,
	[MK_NR_gettimeofday] = mk_sys_gettimeofday,
	[MK_NR_getitimer] = mk_sys_getitimer,
	[MK_NR_setitimer] = mk_sys_setitimer,
};

mk_sys_fn mk_syscall_generic(unsigned long nr)
{
	return nr < MK_NR_MAX ? mk_sys_table[nr] : NULL;
}

/* Numbers past this are logged every time (x86_64's x32 bit, garbage). */
#define NR_LOGGED_MAX 1024

static long sys_unknown(unsigned long nr)
{
	static uint64_t logged[NR_LOGGED_MAX / 64];

	if (nr >= NR_LOGGED_MAX) {
		mk_printk("kfork: syscall %lu out of range: ENOSYS\n", nr);
	} else if (!(logged[nr / 64] & (1ull << (nr % 64)))) {
		logged[nr / 64] |= 1ull << (nr % 64);
		mk_printk("kfork: syscall %lu not implemented: ENOSYS\n", nr);
	}
	return -KF_ENOSYS;
}

static bool is_restart(long r)
{
	return r == -MK_ERESTARTSYS || r == -MK_ERESTARTNOINTR ||
	       r == -MK_ERESTARTNOHAND || r == -MK_ERESTART_RESTARTBLOCK;
}

void mk_syscall(struct kf_arch_regs *r)
{
	unsigned long nr = board_syscall_nr(r);
	mk_sys_fn fn = board_syscall_fn(nr);
	long a[6], ret;

	board_syscall_args(r, a);
	mk_current()->restart = 0;
	ret = fn ? fn(a) : sys_unknown(nr);
	mk_current()->resume_sleep = false;	/* only for the call it resumes */
	/* rt_sigreturn "returns" the interrupted code's register */
	if (is_restart(ret) && fn != mk_sys_rt_sigreturn)
		mk_current()->restart = (int)-ret;
	board_syscall_set_return(r, ret);
}
