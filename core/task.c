// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/task.c - boot, the global task list, task references and the
 * identity accessors of kf.h.
 *
 * The boot task (pid 0) is Linux's idle/swapper task: it is never hashed,
 * never counted in nr_threads and never exits.  Its resources are static
 * objects with a permanent reference, so booting allocates nothing.  The
 * host makes it current and creates init (pid 1) from it.
 */
#include <kf/mm.h>
#include "clone.h"

kf_os_spinlock_t kf_tasklist_lock;
struct kf_list kf_all_tasks = KF_LIST_INIT(kf_all_tasks);	/* (T) */
/*
 * The task count and its limit are (A): commit and release change the
 * count with atomics (even though they hold the tasklist lock), and fork's
 * limit check reads both without a lock -- like Linux's data_race() read,
 * the check may let a racing fork past the limit by one, which is all it
 * needs to stop a fork bomb.
 */
kf_atomic_t kf_max_threads = { CONFIG_KF_MAX_THREADS };
kf_atomic_t kf_nr_threads_count;
struct kf_task kf_boot_task;

static void boot_task_init(struct kf_task *t)
{
	kf_ref_init(&t->usage, 1);	/* never dropped */
	t->state = KF_TASK_RUNNING;
	t->real_parent = t->parent = t;
	t->group_leader = t;
	kf_list_init(&t->children);
	kf_list_init(&t->sibling);
	kf_list_init(&t->thread_node);
	kf_list_init(&t->all_node);
	kf_list_init(&t->dead_node);
	t->pid = kf_pid_boot();
	t->tgid = kf_pid_get(t->pid);
	t->cred = &kf_init_cred;
	t->files = &kf_init_files;
	t->fs = &kf_init_fs;
	t->sighand = &kf_init_sighand;
	t->signal = &kf_init_signal;
	t->nsproxy = &kf_init_nsproxy;
}

/*
 * kf_boot - set up the initial namespaces and the boot task.  Idempotent:
 * a second call returns the same task.  Allocates nothing.
 */
struct kf_task *kf_boot(void)
{
	static bool booted;

	if (booted)
		return &kf_boot_task;
	booted = true;
	kf_os_spin_init(&kf_tasklist_lock);
	kf_nsproxy_boot();
	kf_files_boot();
	kf_fs_boot();
	kf_sighand_boot();
	boot_task_init(&kf_boot_task);
	kf_signal_boot(&kf_boot_task);
	kf_cred_boot();
	return &kf_boot_task;
}

/* kf_set_max_threads - Linux's kernel.threads-max; takes effect at the
 * next clone.  No clamping: the host decides what is sensible. */
void kf_set_max_threads(unsigned long n)
{
	kf_atomic_set(&kf_max_threads, (long)n);
}

unsigned long kf_nr_threads(void)
{
	return (unsigned long)kf_atomic_read(&kf_nr_threads_count);
}

/* ---- references --------------------------------------------------------------- */

void kf_task_get(struct kf_task *t)
{
	kf_ref_get(&t->usage);
}

void kf_task_put(struct kf_task *t)
{
	if (kf_ref_put(&t->usage))
		kf_task_free(t);
}

/*
 * kf_task_free - the last reference is gone: drop every resource the task
 * still points at and free it.  Whoever drops a resource earlier (exit,
 * release, a failed clone) sets the pointer to NULL, so nothing is dropped
 * twice.  The host's side is not touched: kf_os_task_release (reap) or
 * kf_os_task_unprepare (failed clone) took care of it.
 */
void kf_task_free(struct kf_task *t)
{
	if (t == &kf_boot_task)
		kf_os_panic("kf_task_free: the boot task");
	if (t->mm)
		kf_mm_put(t->mm);
	kf_files_put(t->files);
	kf_fs_put(t->fs);
	kf_sighand_put(t->sighand);
	kf_signal_put(t->signal);
	kf_nsproxy_put(t->nsproxy);
	kf_io_put(t->io_context);
	kf_sysvsem_put(t->sysvsem);
	kf_cred_put(t->cred);
	kf_pid_put(t->tgid);
	kf_pid_put(t->pid);
	kf_os_free(t, sizeof(*t));
}

/* kf_task_find - the task current's pid namespace knows as @vpid, with a
 * reference; zombies are found until they are reaped. */
struct kf_task *kf_task_find(int vpid)
{
	struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	unsigned long irq = kf_tasklist_lock_irq();
	struct kf_task *t = kf_pid_ns_find_task(ns, vpid);

	if (t)
		kf_task_get(t);
	kf_tasklist_unlock_irq(irq);
	return t;
}

/* ---- identity ------------------------------------------------------------------ */

int kf_task_tid(struct kf_task *t)
{
	return kf_pid_nr(t->pid);
}

int kf_task_tgid(struct kf_task *t)
{
	return kf_pid_nr_ns(t->tgid, kf_task_active_pid_ns(t));
}

int kf_task_vpid(struct kf_task *t)
{
	return kf_pid_nr_ns(t->pid, kf_task_active_pid_ns(kf_current()));
}

int kf_task_vtgid(struct kf_task *t)
{
	return kf_pid_nr_ns(t->tgid, kf_task_active_pid_ns(kf_current()));
}

int kf_getpid(void)
{
	return kf_task_vtgid(kf_current());
}

int kf_gettid(void)
{
	return kf_task_vpid(kf_current());
}

/* kf_getppid - the parent's tgid as current sees it: 0 for a parent
 * outside current's pid namespace (an ns init's parent) and for init. */
int kf_getppid(void)
{
	struct kf_task *cur = kf_current();
	unsigned long irq = kf_tasklist_lock_irq();
	int nr = kf_pid_nr_ns(cur->real_parent->tgid, kf_task_active_pid_ns(cur));

	kf_tasklist_unlock_irq(irq);
	return nr;
}

void *kf_task_os(struct kf_task *t)
{
	return t->os;
}

void kf_task_set_os(struct kf_task *t, void *p)
{
	t->os = p;
}

struct kf_mm *kf_task_mm(struct kf_task *t)
{
	return t->mm;
}

struct kf_arch_thread *kf_task_arch(struct kf_task *t)
{
	return &t->arch;
}

void *kf_task_kstack(struct kf_task *t)
{
	return t->kstack;
}

void kf_task_set_kstack(struct kf_task *t, void *kstack)
{
	t->kstack = kstack;
}

/* kf_set_child_subreaper - prctl(PR_SET_CHILD_SUBREAPER): orphans below
 * current's process are handed to it rather than to the namespace's init.
 * kf_child_subreaper - PR_GET_CHILD_SUBREAPER. */
void kf_set_child_subreaper(bool on)
{
	struct kf_task *t = kf_current();
	unsigned long irq = kf_tasklist_lock_irq();

	t->signal->is_child_subreaper = on;
	kf_tasklist_unlock_irq(irq);
}

bool kf_child_subreaper(void)
{
	return kf_current()->signal->is_child_subreaper;
}
