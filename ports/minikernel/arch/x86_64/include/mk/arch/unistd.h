/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/arch/unistd.h (x86_64) - Linux's x86_64 user ABI where it differs
 * between arches: the system call numbers the mini-kernel implements
 * (arch/x86/entry/syscalls/syscall_64.tbl), the O_* bits that are not
 * shared, and struct stat.  A number missing here has no table entry.
 * MK_NR_ARCH_LIST names the arch-only calls mk_arch_syscall() handles.
 */
#ifndef MK_ARCH_UNISTD_H
#define MK_ARCH_UNISTD_H

#include <stdint.h>

#define MK_NR_read		0
#define MK_NR_write		1
#define MK_NR_open		2
#define MK_NR_close		3
#define MK_NR_stat		4
#define MK_NR_fstat		5
#define MK_NR_lstat		6
#define MK_NR_poll		7
#define MK_NR_lseek		8
#define MK_NR_mmap		9
#define MK_NR_mprotect		10
#define MK_NR_munmap		11
#define MK_NR_brk		12
#define MK_NR_rt_sigaction	13
#define MK_NR_rt_sigprocmask	14
#define MK_NR_rt_sigreturn	15
#define MK_NR_ioctl		16
#define MK_NR_readv		19
#define MK_NR_writev		20
#define MK_NR_access		21
#define MK_NR_pipe		22
#define MK_NR_sched_yield	24
#define MK_NR_madvise		28
#define MK_NR_dup		32
#define MK_NR_dup2		33
#define MK_NR_pause		34
#define MK_NR_nanosleep		35
#define MK_NR_getpid		39
#define MK_NR_clone		56
#define MK_NR_fork		57
#define MK_NR_vfork		58
#define MK_NR_execve		59
#define MK_NR_exit		60
#define MK_NR_wait4		61
#define MK_NR_kill		62
#define MK_NR_uname		63
#define MK_NR_fcntl		72
#define MK_NR_getcwd		79
#define MK_NR_chdir		80
#define MK_NR_fchdir		81
#define MK_NR_readlink		89
#define MK_NR_umask		95
#define MK_NR_gettimeofday	96
#define MK_NR_getrlimit		97
#define MK_NR_sysinfo		99
#define MK_NR_getuid		102
#define MK_NR_getgid		104
#define MK_NR_setuid		105
#define MK_NR_setgid		106
#define MK_NR_geteuid		107
#define MK_NR_getegid		108
#define MK_NR_getppid		110
#define MK_NR_getpgrp		111
#define MK_NR_rt_sigpending	127
#define MK_NR_rt_sigsuspend	130
#define MK_NR_getpgid		121
#define MK_NR_getsid		124
#define MK_NR_prctl		157
#define MK_NR_arch_prctl	158
#define MK_NR_setrlimit		160
#define MK_NR_sethostname	170
#define MK_NR_gettid		186
#define MK_NR_tkill		200
#define MK_NR_futex		202
#define MK_NR_getdents64	217
#define MK_NR_set_tid_address	218
#define MK_NR_clock_gettime	228
#define MK_NR_clock_nanosleep	230
#define MK_NR_exit_group	231
#define MK_NR_tgkill		234
#define MK_NR_waitid		247
#define MK_NR_openat		257
#define MK_NR_newfstatat	262
#define MK_NR_faccessat		269
#define MK_NR_ppoll		271
#define MK_NR_unshare		272
#define MK_NR_set_robust_list	273
#define MK_NR_dup3		292
#define MK_NR_pipe2		293
#define MK_NR_prlimit64		302
#define MK_NR_getrandom		318
#define MK_NR_pidfd_send_signal	424
#define MK_NR_pidfd_open	434
#define MK_NR_clone3		435
#define MK_NR_faccessat2	439

#define MK_NR_MAX		512	/* table size; higher numbers: ENOSYS */

#define MK_NR_ARCH_LIST(X) X(MK_NR_arch_prctl)

/* x86_64's clone(2) argument order: flags, stack, ptid, ctid, tls. */
#define MK_CLONE_ARGS(a, flags, stack, ptid, ctid, tls) \
	((flags) = (a)[0], (stack) = (a)[1], (ptid) = (a)[2], \
	 (ctid) = (a)[3], (tls) = (a)[4])

/* O_* bits that aarch64 numbers differently. */
#define MK_O_DIRECTORY	0200000
#define MK_O_NOFOLLOW	0400000
#define MK_O_LARGEFILE	0100000

/* struct stat as x86_64's fstat writes it (144 bytes). */
struct mk_abi_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t unused[3];
};

#endif /* MK_ARCH_UNISTD_H */
