/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/unistd.h - the portable system call numbers: Linux's generic table
 * (include/uapi/asm-generic/unistd.h), the one aarch64 and riscv64 use.
 * Only the calls the mini-kernel implements are named; syscall.c's table
 * is indexed by these.  An arch with numbers of its own (x86_64) maps them
 * onto this table, and onto the few portable handlers generic lacks, in
 * board_syscall_fn (<mk/board.h>).
 */
#ifndef MK_UNISTD_H
#define MK_UNISTD_H

#define MK_NR_getcwd		17
#define MK_NR_epoll_create1	20
#define MK_NR_epoll_ctl		21
#define MK_NR_epoll_pwait	22
#define MK_NR_dup		23
#define MK_NR_dup3		24
#define MK_NR_fcntl		25
#define MK_NR_ioctl		29
#define MK_NR_umount2		39
#define MK_NR_mount		40
#define MK_NR_ftruncate		46
#define MK_NR_faccessat		48
#define MK_NR_chdir		49
#define MK_NR_fchdir		50
#define MK_NR_openat		56
#define MK_NR_close		57
#define MK_NR_pipe2		59
#define MK_NR_getdents64	61
#define MK_NR_lseek		62
#define MK_NR_read		63
#define MK_NR_write		64
#define MK_NR_readv		65
#define MK_NR_pread64		67
#define MK_NR_pwrite64		68
#define MK_NR_writev		66
#define MK_NR_ppoll		73
#define MK_NR_vmsplice		75
#define MK_NR_readlinkat	78
#define MK_NR_newfstatat	79
#define MK_NR_fstat		80
#define MK_NR_exit		93
#define MK_NR_exit_group	94
#define MK_NR_waitid		95
#define MK_NR_set_tid_address	96
#define MK_NR_unshare		97
#define MK_NR_futex		98
#define MK_NR_set_robust_list	99
#define MK_NR_capget		90
#define MK_NR_capset		91
#define MK_NR_nanosleep		101
#define MK_NR_getitimer		102
#define MK_NR_setitimer		103
#define MK_NR_clock_gettime	113
#define MK_NR_clock_getres	114
#define MK_NR_clock_nanosleep	115
#define MK_NR_sched_setaffinity	122
#define MK_NR_sched_getaffinity	123
#define MK_NR_sched_yield	124
#define MK_NR_kill		129
#define MK_NR_tkill		130
#define MK_NR_tgkill		131
#define MK_NR_sigaltstack	132
#define MK_NR_rt_sigsuspend	133
#define MK_NR_rt_sigaction	134
#define MK_NR_rt_sigprocmask	135
#define MK_NR_rt_sigpending	136
#define MK_NR_rt_sigtimedwait	137
#define MK_NR_rt_sigqueueinfo	138
#define MK_NR_rt_sigreturn	139
#define MK_NR_reboot		142
#define MK_NR_setregid		143
#define MK_NR_setgid		144
#define MK_NR_setreuid		145
#define MK_NR_setuid		146
#define MK_NR_setresuid		147
#define MK_NR_getresuid		148
#define MK_NR_setresgid		149
#define MK_NR_getresgid		150
#define MK_NR_setfsuid		151
#define MK_NR_setfsgid		152
#define MK_NR_times		153
#define MK_NR_setpgid		154
#define MK_NR_getpgid		155
#define MK_NR_getsid		156
#define MK_NR_setsid		157
#define MK_NR_uname		160
#define MK_NR_sethostname	161
#define MK_NR_getrlimit		163
#define MK_NR_setrlimit		164
#define MK_NR_getrusage		165
#define MK_NR_umask		166
#define MK_NR_prctl		167
#define MK_NR_gettimeofday	169
#define MK_NR_getpid		172
#define MK_NR_getppid		173
#define MK_NR_getuid		174
#define MK_NR_geteuid		175
#define MK_NR_getgid		176
#define MK_NR_getegid		177
#define MK_NR_gettid		178
#define MK_NR_sysinfo		179
#define MK_NR_socketpair	199
#define MK_NR_sendto		206
#define MK_NR_recvfrom		207
#define MK_NR_brk		214
#define MK_NR_munmap		215
#define MK_NR_clone		220
#define MK_NR_execve		221
#define MK_NR_mmap		222
#define MK_NR_mprotect		226
#define MK_NR_madvise		233
#define MK_NR_rt_tgsigqueueinfo	240
#define MK_NR_wait4		260
#define MK_NR_prlimit64		261
#define MK_NR_setns		268
#define MK_NR_kcmp		272
#define MK_NR_getrandom		278
#define MK_NR_memfd_create	279
#define MK_NR_pidfd_send_signal	424
#define MK_NR_pidfd_open	434
#define MK_NR_clone3		435
#define MK_NR_pidfd_getfd	438
#define MK_NR_faccessat2	439

#define MK_NR_MAX		512	/* table size; higher numbers: ENOSYS */

#endif /* MK_UNISTD_H */
