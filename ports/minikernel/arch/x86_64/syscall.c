// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/syscall.c - x86_64's system call numbers
 * (Linux's arch/x86/entry/syscalls/syscall_64.tbl) and arch_prctl.
 *
 * The portable table is indexed by Linux's generic numbers.  Each x86_64
 * number here either names the generic call it equals (SAME: the handler
 * comes from mk_syscall_generic) or, for the legacy calls generic lacks,
 * the portable handler itself (OWN: open, stat, fork, ...), or an x86-only
 * call (arch_prctl).  A number missing here answers ENOSYS.
 */
#include <kf/kf.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/unistd.h>
#include "x86.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* arch_prctl(2): only the FS base (musl's thread pointer) is supported. */
static long x86_sys_arch_prctl(const long *a)
{
	struct mk_thread *t = mk_current();
	unsigned long addr = (unsigned long)a[1];

	switch (a[0]) {
	case ARCH_SET_FS:
		if (addr >= KF_TASK_SIZE)
			return -KF_EPERM;
		t->arch->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		if (kf_arch_copy_to_user(addr, &t->arch->fs_base,
					 sizeof(t->arch->fs_base)))
			return -KF_EFAULT;
		return 0;
	default:
		return -KF_EINVAL;
	}
}

enum x86_sys_kind {
	X86_SYS_NONE,		/* not implemented: ENOSYS */
	X86_SYS_SAME,		/* generic has the same call */
	X86_SYS_OWN,		/* a handler generic has no number for */
};

struct x86_sysent {
	enum x86_sys_kind kind;
	unsigned generic;	/* X86_SYS_SAME: the generic number */
	mk_sys_fn fn;		/* X86_SYS_OWN: the handler */
};

#define SAME(x86, name)	[x86] = { X86_SYS_SAME, MK_NR_##name, NULL }
#define OWN(x86, fn)	[x86] = { X86_SYS_OWN, 0, fn }

static const struct x86_sysent x86_sys[] = {
	SAME(0, read),
	SAME(1, write),
	OWN(2, mk_sys_open),
	SAME(3, close),
	OWN(4, mk_sys_stat),
	SAME(5, fstat),
	OWN(6, mk_sys_lstat),
	OWN(7, mk_sys_poll),
	SAME(8, lseek),
	SAME(9, mmap),
	SAME(10, mprotect),
	SAME(11, munmap),
	SAME(12, brk),
	SAME(13, rt_sigaction),
	SAME(14, rt_sigprocmask),
	SAME(15, rt_sigreturn),
	SAME(16, ioctl),
	SAME(17, pread64),
	SAME(18, pwrite64),
	SAME(19, readv),
	SAME(20, writev),
	OWN(21, mk_sys_access),
	OWN(22, mk_sys_pipe),
	SAME(24, sched_yield),
	SAME(28, madvise),
	SAME(32, dup),
	OWN(33, mk_sys_dup2),
	OWN(34, mk_sys_pause),
	SAME(35, nanosleep),
	SAME(36, getitimer),
	OWN(37, mk_sys_alarm),
	SAME(38, setitimer),
	SAME(39, getpid),
	SAME(44, sendto),
	SAME(45, recvfrom),
	SAME(53, socketpair),
	SAME(56, clone),
	OWN(57, mk_sys_fork),
	OWN(58, mk_sys_vfork),
	SAME(59, execve),
	SAME(60, exit),
	SAME(61, wait4),
	SAME(62, kill),
	SAME(63, uname),
	SAME(72, fcntl),
	SAME(77, ftruncate),
	SAME(79, getcwd),
	SAME(80, chdir),
	SAME(81, fchdir),
	OWN(89, mk_sys_readlink),
	SAME(95, umask),
	SAME(96, gettimeofday),
	SAME(97, getrlimit),
	SAME(98, getrusage),
	SAME(99, sysinfo),
	SAME(100, times),
	SAME(102, getuid),
	SAME(104, getgid),
	SAME(105, setuid),
	SAME(106, setgid),
	SAME(107, geteuid),
	SAME(108, getegid),
	SAME(109, setpgid),
	SAME(110, getppid),
	OWN(111, mk_sys_getpgrp),
	SAME(112, setsid),
	SAME(113, setreuid),
	SAME(114, setregid),
	SAME(117, setresuid),
	SAME(118, getresuid),
	SAME(119, setresgid),
	SAME(120, getresgid),
	SAME(121, getpgid),
	SAME(122, setfsuid),
	SAME(123, setfsgid),
	SAME(124, getsid),
	SAME(125, capget),
	SAME(126, capset),
	SAME(127, rt_sigpending),
	SAME(128, rt_sigtimedwait),
	SAME(129, rt_sigqueueinfo),
	SAME(130, rt_sigsuspend),
	SAME(131, sigaltstack),
	SAME(157, prctl),
	OWN(158, x86_sys_arch_prctl),
	SAME(160, setrlimit),
	SAME(165, mount),
	SAME(166, umount2),
	SAME(169, reboot),
	SAME(170, sethostname),
	SAME(186, gettid),
	SAME(200, tkill),
	SAME(202, futex),
	SAME(203, sched_setaffinity),
	SAME(204, sched_getaffinity),
	OWN(213, mk_sys_epoll_create),
	SAME(217, getdents64),
	SAME(218, set_tid_address),
	SAME(228, clock_gettime),
	SAME(229, clock_getres),
	SAME(230, clock_nanosleep),
	SAME(231, exit_group),
	OWN(232, mk_sys_epoll_wait),
	SAME(233, epoll_ctl),
	SAME(234, tgkill),
	SAME(247, waitid),
	SAME(257, openat),
	SAME(262, newfstatat),
	SAME(267, readlinkat),
	SAME(269, faccessat),
	SAME(271, ppoll),
	SAME(272, unshare),
	SAME(273, set_robust_list),
	SAME(278, vmsplice),
	SAME(281, epoll_pwait),
	SAME(291, epoll_create1),
	SAME(292, dup3),
	SAME(293, pipe2),
	SAME(297, rt_tgsigqueueinfo),
	SAME(302, prlimit64),
	SAME(308, setns),
	SAME(312, kcmp),
	SAME(318, getrandom),
	SAME(319, memfd_create),
	SAME(424, pidfd_send_signal),
	SAME(434, pidfd_open),
	SAME(435, clone3),
	SAME(438, pidfd_getfd),
	SAME(439, faccessat2),
};

mk_sys_fn board_syscall_fn(unsigned long nr)
{
	const struct x86_sysent *e;

	if (nr >= MK_ARRAY_SIZE(x86_sys))
		return NULL;
	e = &x86_sys[nr];
	switch (e->kind) {
	case X86_SYS_SAME:
		return mk_syscall_generic(e->generic);
	case X86_SYS_OWN:
		return e->fn;
	default:
		return NULL;
	}
}
