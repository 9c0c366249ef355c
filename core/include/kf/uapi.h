/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/uapi.h - the Linux user ABI values kfork speaks: errno numbers, clone
 * flags, struct clone_args, signal numbers, wait options and status codes.
 *
 * The numbers are Linux's (asm-generic, which x86_64, aarch64 and riscv64
 * all share for everything here) so that a static binary sees the same
 * answers on a kfork kernel as on Linux.  Everything carries the KF_ prefix
 * so a vendoring kernel's own definitions never collide.
 */
#ifndef KF_UAPI_H
#define KF_UAPI_H

#include <stdint.h>

/* errno values (returned negated by every kf_* call) */
#define KF_EPERM     1
#define KF_ENOENT    2
#define KF_ESRCH     3
#define KF_EINTR     4
#define KF_EBADF     9
#define KF_ECHILD   10
#define KF_EAGAIN   11
#define KF_ENOMEM   12
#define KF_EACCES   13
#define KF_EFAULT   14
#define KF_EBUSY    16
#define KF_EEXIST   17
#define KF_EINVAL   22
#define KF_EMFILE   24
#define KF_ENOSPC   28
#define KF_E2BIG     7
#define KF_ENOSYS   38
#define KF_EUSERS   87
#define KF_EOPNOTSUPP 95
#define KF_ERESTARTSYS 512	/* kernel-internal: restart after a signal */
#define KF_ERESTARTNOINTR 513	/* kernel-internal: always restart, never EINTR */

/* clone flags (Linux include/uapi/linux/sched.h) */
#define KF_CSIGNAL              0x000000ffULL
#define KF_CLONE_NEWTIME        0x00000080ULL	/* clone3/unshare only */
#define KF_CLONE_VM             0x00000100ULL
#define KF_CLONE_FS             0x00000200ULL
#define KF_CLONE_FILES          0x00000400ULL
#define KF_CLONE_SIGHAND        0x00000800ULL
#define KF_CLONE_PIDFD          0x00001000ULL
#define KF_CLONE_PTRACE         0x00002000ULL
#define KF_CLONE_VFORK          0x00004000ULL
#define KF_CLONE_PARENT         0x00008000ULL
#define KF_CLONE_THREAD         0x00010000ULL
#define KF_CLONE_NEWNS          0x00020000ULL
#define KF_CLONE_SYSVSEM        0x00040000ULL
#define KF_CLONE_SETTLS         0x00080000ULL
#define KF_CLONE_PARENT_SETTID  0x00100000ULL
#define KF_CLONE_CHILD_CLEARTID 0x00200000ULL
#define KF_CLONE_DETACHED       0x00400000ULL
#define KF_CLONE_UNTRACED       0x00800000ULL
#define KF_CLONE_CHILD_SETTID   0x01000000ULL
#define KF_CLONE_NEWCGROUP      0x02000000ULL
#define KF_CLONE_NEWUTS         0x04000000ULL
#define KF_CLONE_NEWIPC         0x08000000ULL
#define KF_CLONE_NEWUSER        0x10000000ULL
#define KF_CLONE_NEWPID         0x20000000ULL
#define KF_CLONE_NEWNET         0x40000000ULL
#define KF_CLONE_IO             0x80000000ULL
#define KF_CLONE_CLEAR_SIGHAND  0x100000000ULL	/* clone3 only */
#define KF_CLONE_INTO_CGROUP    0x200000000ULL	/* clone3 only */
#define KF_CLONE_LEGACY_FLAGS   0xffffffffULL

/* struct clone_args as user space lays it out; sizes of each version */
struct kf_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;	/* VER1 */
	uint64_t set_tid_size;	/* VER1 */
	uint64_t cgroup;	/* VER2 */
};
#define KF_CLONE_ARGS_SIZE_VER0 64
#define KF_CLONE_ARGS_SIZE_VER1 80
#define KF_CLONE_ARGS_SIZE_VER2 88

#define KF_MAX_PID_NS_LEVEL 32	/* nesting limit and set_tid_size limit */
#define KF_PID_MAX_DEFAULT  32768

/* signals (the numbers shared by x86_64, aarch64 and riscv64) */
#define KF_NSIG     64
#define KF_SIGHUP    1
#define KF_SIGINT    2
#define KF_SIGQUIT   3
#define KF_SIGILL    4
#define KF_SIGTRAP   5
#define KF_SIGABRT   6
#define KF_SIGBUS    7
#define KF_SIGFPE    8
#define KF_SIGKILL   9
#define KF_SIGUSR1  10
#define KF_SIGSEGV  11
#define KF_SIGUSR2  12
#define KF_SIGPIPE  13
#define KF_SIGALRM  14
#define KF_SIGTERM  15
#define KF_SIGCHLD  17
#define KF_SIGCONT  18
#define KF_SIGSTOP  19
#define KF_SIGTSTP  20
#define KF_SIGTTIN  21
#define KF_SIGTTOU  22

#define KF_SIG_DFL  ((uintptr_t)0)
#define KF_SIG_IGN  ((uintptr_t)1)
#define KF_SA_NOCLDSTOP 0x00000001u
#define KF_SA_NOCLDWAIT 0x00000002u
#define KF_SA_SIGINFO   0x00000004u
#define KF_SA_ONSTACK   0x08000000u
#define KF_SA_RESTART   0x10000000u
#define KF_SA_NODEFER   0x40000000u
#define KF_SA_RESETHAND 0x80000000u
#define KF_SA_RESTORER  0x04000000u

/* wait options (wait4 and waitid) */
#define KF_WNOHANG    0x00000001
#define KF_WUNTRACED  0x00000002
#define KF_WSTOPPED   KF_WUNTRACED
#define KF_WEXITED    0x00000004
#define KF_WCONTINUED 0x00000008
#define KF_WNOWAIT    0x01000000
#define KF___WNOTHREAD 0x20000000
#define KF___WALL     0x40000000
#define KF___WCLONE   0x80000000u

/* waitid idtype */
#define KF_P_ALL   0
#define KF_P_PID   1
#define KF_P_PGID  2
#define KF_P_PIDFD 3

/* siginfo si_code values for SIGCHLD */
#define KF_CLD_EXITED 1
#define KF_CLD_KILLED 2
#define KF_CLD_DUMPED 3
#define KF_CLD_TRAPPED 4
#define KF_CLD_STOPPED 5
#define KF_CLD_CONTINUED 6

/* siginfo si_code values of the senders kfork fills in */
#define KF_SI_USER    0		/* kill(2) */
#define KF_SI_KERNEL  0x80
#define KF_SI_TKILL   (-6)	/* tkill(2), tgkill(2) */

/* wait status encoding, as wait4 stores it */
#define KF_W_EXITCODE(ret, sig) ((((ret) & 0xff) << 8) | ((sig) & 0x7f))

/* resource limits kfork enforces or copies */
#define KF_RLIMIT_DATA 2
#define KF_RLIMIT_STACK 3
#define KF_RLIMIT_RSS 5
#define KF_RLIMIT_NPROC 6
#define KF_RLIMIT_NOFILE 7
#define KF_RLIMIT_AS 9
#define KF_RLIMIT_SIGPENDING 11
#define KF_RLIM_NLIMITS 16
#define KF_RLIM_INFINITY (~0ULL)

/* capabilities the core asks the host about */
#define KF_CAP_KILL         5
#define KF_CAP_SETGID       6
#define KF_CAP_SETUID       7
#define KF_CAP_KILL         5
#define KF_CAP_SYS_CHROOT  18
#define KF_CAP_SYS_PTRACE  19
#define KF_CAP_SETPCAP      8
#define KF_CAP_SYS_NICE    23
#define KF_CAP_SYS_ADMIN   21
#define KF_CAP_SYS_RESOURCE 24
#define KF_CAP_CHECKPOINT_RESTORE 40
#define KF_CAP_LAST_CAP    40		/* Linux 6.12's cap_last_cap */
#define KF_CAP_FULL ((1ull << (KF_CAP_LAST_CAP + 1)) - 1)
#define KF_SECBIT_KEEP_CAPS (1u << 4)	/* securebits: PR_SET_KEEPCAPS */

/* getrusage's who (RUSAGE_BOTH is Linux's kernel-internal SELF + CHILDREN,
 * what wait4 reports for the child it reaps) */
#define KF_RUSAGE_SELF      0
#define KF_RUSAGE_CHILDREN  (-1)
#define KF_RUSAGE_BOTH      (-2)
#define KF_RUSAGE_THREAD    1

/* pidfd_open flags */
#define KF_PIDFD_NONBLOCK 0x800	/* O_NONBLOCK */
#define KF_PIDFD_THREAD   0x80	/* O_EXCL */

#endif /* KF_UAPI_H */
