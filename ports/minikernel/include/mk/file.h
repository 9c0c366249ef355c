/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/file.h - open files: the host objects kfork's fd table holds.
 *
 * A struct mk_file is one open file description (Linux's struct file):
 * offset and status flags are shared by every fd that dup() made from it
 * and by the fd tables fork copied.  kf_os_file_get/put count references;
 * the last put calls ops->release.  Kinds: the console (tty.c), pipes
 * (pipe.c), initramfs files and directories (vfs.c), pidfds (proc.c).
 * The working directory (kf_fs_get_pwd) is a directory mk_file too.
 */
#ifndef MK_FILE_H
#define MK_FILE_H

#include <mk/sched.h>

struct mk_file;

/* O_* status flags (identical on x86_64, aarch64 and riscv64). */
#define MK_O_ACCMODE	03
#define MK_O_RDONLY	0
#define MK_O_WRONLY	01
#define MK_O_RDWR	02
#define MK_O_CREAT	0100
#define MK_O_EXCL	0200
#define MK_O_TRUNC	01000
#define MK_O_APPEND	02000
#define MK_O_NONBLOCK	04000
#define MK_O_CLOEXEC	02000000

/* poll bits */
#define MK_POLLIN	0x001
#define MK_POLLOUT	0x004
#define MK_POLLERR	0x008
#define MK_POLLHUP	0x010
#define MK_POLLNVAL	0x020

/* file types for st_mode */
#define MK_S_IFMT	0170000
#define MK_S_IFDIR	0040000
#define MK_S_IFCHR	0020000
#define MK_S_IFREG	0100000
#define MK_S_IFIFO	0010000

#define MK_ENOTDIR	20
#define MK_EISDIR	21
#define MK_ENOTTY	25
#define MK_ESPIPE	29
#define MK_EROFS	30
#define MK_EPIPE	32
#define MK_ERANGE	34
#define MK_EACCES	13
#define MK_ENAMETOOLONG	36

/* What fstat reports, before the arch lays it out (<mk/arch/abi.h>). */
struct mk_stat {
	uint64_t dev, ino, nlink, size;
	uint32_t mode, uid, gid;
	uint64_t rdev;
};

struct mk_file_ops {
	/* read/write at f->pos (or a stream): bytes, or a negative errno */
	long (*read)(struct mk_file *f, uintptr_t ubuf, size_t n);
	long (*write)(struct mk_file *f, uintptr_t ubuf, size_t n);
	unsigned (*poll)(struct mk_file *f);		/* MK_POLL* ready now */
	void (*stat)(struct mk_file *f, struct mk_stat *st);
	long (*getdents)(struct mk_file *f, uintptr_t ubuf, size_t n);
	void (*release)(struct mk_file *f);
	uint64_t (*size)(struct mk_file *f);		/* NULL: not seekable */
	/* a count that moves whenever the readiness may have changed
	 * (EPOLLET); NULL: mk_poll_gen, moved by every mk_poll_wake */
	uint64_t (*wake_gen)(struct mk_file *f);
	/* /proc/<pid>/fdinfo's lines of this kind: bytes added at @buf */
	size_t (*fdinfo)(struct mk_file *f, char *buf, size_t room);
	int mnt_id;	/* the internal mount of a kind without a path */
	/* ioctl(2) on this kind; NULL: every request is ENOTTY */
	long (*ioctl)(struct mk_file *f, unsigned cmd, unsigned long arg);
};

struct mk_file {
	int refs;
	const struct mk_file_ops *ops;
	unsigned flags;		/* O_ACCMODE | O_NONBLOCK | O_APPEND */
	uint64_t pos;
	void *priv;		/* the kind's object */
	/* initramfs nodes (vfs.c) */
	const char *path;	/* canonical, no leading '/': "" is the root */
	const void *data;
	uint64_t size, ino;
	uint32_t mode;
	int epolls;		/* epoll items watching it (epoll.c) */
};

/* mk_file_new - one reference; NULL when out of memory. */
struct mk_file *mk_file_new(const struct mk_file_ops *ops, unsigned flags,
			    void *priv);
void mk_file_get(struct mk_file *f);
void mk_file_put(struct mk_file *f);

/* mk_fd_file - the file at @fd of the running task with a reference, or
 * NULL (put it with mk_file_put). */
struct mk_file *mk_fd_file(int fd);

/* mk_console_install - the console in the lowest free fd (init's 0-2). */
int mk_console_install(void);

/* Everyone who may sleep in poll() waits here; pipes and exits wake it. */
extern struct mk_waitq mk_poll_wq;
extern uint64_t mk_poll_gen;
void mk_poll_wake(void);

/* mk_pipe_create - a pipe's two ends (pipe.c); @flags: O_NONBLOCK. */
long mk_pipe_create(struct mk_file **rd, struct mk_file **wr, unsigned flags);
long mk_sys_vmsplice(const long *a);

/* initramfs (vfs.c): look a path up relative to the running task's cwd */
struct mk_file *mk_vfs_open_node(const char *path, long *err);
/* mk_vfs_resolve - @path (kernel string) against @base (a directory file,
 * NULL: the cwd) into canonical form in @out (MK_PATH_MAX). */
#define MK_PATH_MAX 256
long mk_vfs_resolve(struct mk_file *base, const char *path, char *out);
long mk_copy_path(uintptr_t upath, char *buf);
long mk_copy_string(uintptr_t ustr, char *buf, size_t max);

/* fstat's copy-out in the arch's struct stat (file.c) */
long mk_stat_copyout(uintptr_t ubuf, const struct mk_stat *st);
long mk_file_stat(struct mk_file *f, uintptr_t ubuf);
bool mk_file_is_dir(const struct mk_file *f);

/*
 * /proc (procfs.c), reached through the initramfs' path lookup:
 * mk_procfs_owns - is canonical @canon /proc or below it?
 * mk_procfs_stat - what it names (@follow: "self" as the last component
 *   is followed, else it is the symbolic link itself): 0, -ENOENT,
 *   -ENOTDIR.  mk_procfs_mode - just the mode, following.
 * mk_procfs_open - an open file or directory (read-only: EACCES, EISDIR).
 * mk_procfs_readlink - the target of "self" into @buf: its length, or
 *   -EINVAL for anything that is not a link.
 */
bool mk_procfs_owns(const char *canon);
long mk_procfs_stat(const char *canon, bool follow, struct mk_stat *st);
long mk_procfs_mode(const char *canon, uint32_t *mode);
struct mk_file *mk_procfs_open(const char *canon, unsigned flags, long *err);
/* mk_pagemap_open - /proc/@pid/pagemap at canonical @canon (pagemap.c). */
struct mk_file *mk_pagemap_open(int pid, const char *canon, unsigned flags,
				long *err);
long mk_sys_pread64(const long *a);
long mk_procfs_readlink(const char *canon, char *buf, size_t size);
/* mk_procfs_is_pid_dir - is @f an open /proc/<pid> directory?  Such a
 * directory names its process as a pidfd does, for pidfd_send_signal:
 * mk_procfs_pid_task - that process's task with a reference, NULL once
 * it was reaped (or for any other file). */
bool mk_procfs_is_pid_dir(struct mk_file *f);
struct kf_task *mk_procfs_pid_task(struct mk_file *f);

/*
 * Mount tables (mount.c), one per mount namespace: which file system a
 * canonical path is on (MK_FS_ROOT: the initramfs; MK_FS_PROC: /proc) and
 * that mount's id; /proc/<pid>/mountinfo's text.
 */
#define MK_FS_ROOT	0
#define MK_FS_PROC	1
int mk_mount_fs_of(const char *canon);
int mk_mount_id_of(const char *canon);
size_t mk_mount_info(char *buf, size_t room);
long mk_sys_mount(const long *a);
long mk_sys_umount2(const long *a);
/* mk_vfs_lookup - mount(2)'s target: @upath from the cwd, followed, into
 * @canon, with its mode; 0 or the lookup's errno. */
long mk_vfs_lookup(uintptr_t upath, char *canon, uint32_t *mode);

/* mk_file_mnt_id - fdinfo's mnt_id: the mount @f was opened on. */
int mk_file_mnt_id(struct mk_file *f);

/* Ids of the internal mounts that pipes, pidfds, anonymous files and
 * the console live on (Linux's pipefs, pidfs, anon_inodefs, devtmpfs). */
#define MK_MNT_ID_PIPEFS	10
#define MK_MNT_ID_PIDFS		11
#define MK_MNT_ID_ANON		12
#define MK_MNT_ID_DEV		13

/* epoll (epoll.c); mk_epoll_forget - @f's last reference went: drop the
 * epoll items that watch it. */
void mk_epoll_forget(struct mk_file *f);
long mk_sys_epoll_create(const long *a);	/* legacy: no generic number */
long mk_sys_epoll_create1(const long *a);
long mk_sys_epoll_ctl(const long *a);
long mk_sys_epoll_wait(const long *a);	/* legacy: no generic number */
long mk_sys_epoll_pwait(const long *a);

/* namespace files (nsfs.c): mk_nsfs_file takes over @r's reference (it
 * is put on failure: NULL); mk_nsfs_install puts one in a new fd
 * (close-on-exec); mk_nsfs_ref - a namespace file's namespace, or NULL;
 * mk_nsfs_stat - what fstat of one says. */
struct kf_nsref;
struct mk_file *mk_nsfs_file(struct kf_nsref *r, unsigned flags);
long mk_nsfs_install(struct kf_nsref *r);
const struct kf_nsref *mk_nsfs_ref(struct mk_file *f);
void mk_nsfs_stat(const struct kf_nsref *r, struct mk_stat *st);
long mk_sys_setns(const long *a);
/* sockets (socket.c), memfds (memfd.c) */
long mk_sys_socketpair(const long *a);
long mk_sys_sendto(const long *a);
long mk_sys_recvfrom(const long *a);
long mk_sys_memfd_create(const long *a);
long mk_sys_ftruncate(const long *a);
long mk_sys_kcmp(const long *a);
long mk_sys_pidfd_getfd(const long *a);

/* pidfds (proc.c): mk_is_pidfd - is @f one?  mk_pidfd_task - the task
 * using its pid now, with a reference (kf_task_put), or NULL: not a pidfd,
 * or its process was reaped. */
bool mk_is_pidfd(const struct mk_file *f);
struct kf_task *mk_pidfd_task(struct mk_file *f);

/* the file syscalls */
long mk_sys_read(const long *a);
long mk_sys_write(const long *a);
long mk_sys_pwrite64(const long *a);
long mk_sys_readv(const long *a);
long mk_sys_writev(const long *a);
long mk_sys_close(const long *a);
long mk_sys_dup(const long *a);
long mk_sys_dup2(const long *a);	/* legacy: no generic number */
long mk_sys_dup3(const long *a);
long mk_sys_fcntl(const long *a);
long mk_sys_ioctl(const long *a);
long mk_sys_lseek(const long *a);
long mk_sys_fstat(const long *a);
long mk_sys_pipe(const long *a);	/* legacy: no generic number */
long mk_sys_pipe2(const long *a);
long mk_sys_poll(const long *a);	/* legacy: no generic number */
long mk_sys_ppoll(const long *a);
long mk_sys_open(const long *a);	/* legacy: no generic number */
long mk_sys_openat(const long *a);
long mk_sys_stat(const long *a);	/* legacy: no generic number */
long mk_sys_lstat(const long *a);	/* legacy: no generic number */
long mk_sys_newfstatat(const long *a);
long mk_sys_getdents64(const long *a);
long mk_sys_chdir(const long *a);
long mk_sys_fchdir(const long *a);
long mk_sys_getcwd(const long *a);
long mk_sys_access(const long *a);	/* legacy: no generic number */
long mk_sys_faccessat(const long *a);
long mk_sys_readlink(const long *a);	/* legacy: no generic number */
long mk_sys_readlinkat(const long *a);

#endif /* MK_FILE_H */
