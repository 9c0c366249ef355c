// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_file.c - open-file objects, pidfds and the fake cgroup.
 *
 * A host file is a refcounted object with a name.  The core copies fd
 * tables with kf_os_file_get/put; a pidfd is such a file that also holds a
 * reference on its task (as Linux's holds the struct pid): the task's
 * struct is freed by the last kf_task_put, so it outlives its reaping for
 * as long as a pidfd refers to it.  The core installs the file into the fd
 * it reserved (close-on-exec, as pidfds always are).
 */
#include <stdio.h>
#include <string.h>
#include "host.h"

#define FILE_MAGIC 0x6b6666696c652121ull	/* "kffile!!" */

enum { HF_PLAIN, HF_PIDFD };

struct kf_host_file {
	uint64_t magic;
	long refs;			/* atomic */
	int kind;
	unsigned flags;			/* pidfd flags */
	struct kf_task *task;		/* pidfd: referenced task */
	char name[32];
};

static struct kf_host_file *file_check(const void *p, const char *what)
{
	const struct kf_host_file *f = p;

	if (!f || f->magic != FILE_MAGIC)
		kf_os_panic("%s(%p): not a live host file", what, p);
	return (struct kf_host_file *)(uintptr_t)f;
}

static struct kf_host_file *file_alloc(const char *name, const char *site,
				       bool inject)
{
	struct kf_host_file *f = host_alloc(sizeof(*f), site, inject);

	if (!f)
		return NULL;
	f->magic = FILE_MAGIC;
	f->refs = 1;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
	return f;
}

struct kf_host_file *kf_host_file_new(const char *name)
{
	return file_alloc(name, "host.file", false);
}

void kf_os_file_get(void *file)
{
	struct kf_host_file *f = file_check(file, "kf_os_file_get");

	if (__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED) <= 0)
		kf_os_panic("kf_os_file_get(%p): count was zero", file);
}

void kf_os_file_put(void *file)
{
	struct kf_host_file *f = file_check(file, "kf_os_file_put");
	long old = __atomic_fetch_sub(&f->refs, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		kf_os_panic("kf_os_file_put(%p): count was %ld", file, old);
	if (old > 1)
		return;
	if (f->kind == HF_PIDFD)
		kf_task_put(f->task);
	f->magic = 0;
	host_free(f, sizeof(*f));
}

long kf_host_file_refs(const struct kf_host_file *f)
{
	return __atomic_load_n(&file_check(f, "kf_host_file_refs")->refs,
			       __ATOMIC_RELAXED);
}

const char *kf_host_file_name(const struct kf_host_file *f)
{
	return file_check(f, "kf_host_file_name")->name;
}

struct kf_task *kf_host_file_pidfd_task(const struct kf_host_file *f)
{
	f = file_check(f, "kf_host_file_pidfd_task");
	return f->kind == HF_PIDFD ? f->task : NULL;
}

unsigned kf_host_pidfd_flags(const struct kf_host_file *f)
{
	return file_check(f, "kf_host_pidfd_flags")->flags;
}

/* ---- pidfds ------------------------------------------------------------ */

/*
 * kf_os_pidfd_file - a pidfd file for @t holding a task reference, which
 * kf_os_file_put's last put drops.  The allocation is injectable
 * ("host.pidfd").  0 or -KF_ENOMEM.
 */
int kf_os_pidfd_file(struct kf_task *t, unsigned flags, void **file)
{
	struct kf_host_file *f = file_alloc("pidfd", "host.pidfd", true);

	if (!f)
		return -KF_ENOMEM;
	f->kind = HF_PIDFD;
	f->flags = flags;
	f->task = t;
	kf_task_get(t);
	*file = f;
	return 0;
}

/* ---- cgroups ----------------------------------------------------------- */

static int cg_fd = -1, cg_result;
static unsigned long cg_calls;
static void (*cg_hook)(void *);
static void *cg_hook_arg;

void kf_host_cgroup_enable(int fd, int result)
{
	cg_fd = fd;
	cg_result = result;
}

unsigned long kf_host_cgroup_calls(void)
{
	return cg_calls;
}

void kf_host_cgroup_hook(void (*fn)(void *), void *arg)
{
	cg_hook = fn;
	cg_hook_arg = arg;
}

/* The host port mounts nothing: mount namespaces carry no table. */
int kf_os_mnt_ns_dup(void *old, void **new)
{
	(void)old;
	*new = NULL;
	return 0;
}

void kf_os_mnt_ns_free(void *data)
{
	(void)data;
}

int kf_os_cgroup_can_fork(struct kf_task *child, int cgroup_fd)
{
	(void)child;
	cg_calls++;
	if (cg_hook)
		cg_hook(cg_hook_arg);
	if (cg_fd < 0)
		return -KF_EOPNOTSUPP;
	return cgroup_fd == cg_fd ? cg_result : -KF_EBADF;
}
