// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/task.c - kfork's task hooks (<kf/kf_os.h>) on the
 * mini-kernel's threads: current, prepare/unprepare/start/release,
 * capabilities and cgroups; booting the core and creating /init; a task's
 * end.
 *
 * A task's host side is a struct mk_thread (kf_task_os()).  Its kernel
 * stack and saved context are the thread's, reached by the core through
 * the task (kf_task_set_kstack/kf_task_arch bind them).
 * The thread holds two references: one for running, dropped after it
 * switches away for the last time, and one for the core, dropped by
 * kf_os_task_release; the later of the two frees it.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/irq.h>
#include <kf/hal/tlb.h>
#include <mk/board.h>
#include <mk/proc.h>
#include <mk/file.h>
#include <mk/tty.h>

#define INIT_ARGV_FILE "/etc/kfork/argv"	/* NUL-separated, from run-elf */
#define INIT_MAX_ARGS 64

static struct kf_task *boot_task;

struct kf_task *kf_os_current(void)
{
	struct kf_task *t = mk_current()->task;

	return t ? t : boot_task;
}

struct kf_task *mk_current_task(void)
{
	return kf_os_current();
}

struct kf_mm *mk_current_mm(void)
{
	return kf_task_mm(kf_os_current());
}

struct mk_thread *mk_task_thread(struct kf_task *t)
{
	return t ? kf_task_os(t) : NULL;
}

void mk_thread_activate_mm(struct mk_thread *t)
{
	struct kf_mm *mm = t->task ? kf_task_mm(t->task) : NULL;

	if (mm)
		kf_mm_activate(mm);
	else
		kf_arch_mm_activate(NULL);
}

/* ---- Thread groups ---------------------------------------------------------- */

static struct mk_proc *proc_alloc(void)
{
	struct mk_proc *p = mk_alloc(sizeof(*p));

	if (p) {
		p->refs = 1;
		mk_list_init(&p->threads);
		mk_list_init(&p->shared_rtq);
	}
	return p;
}

void mk_proc_put(struct mk_proc *p)
{
	if (--p->refs == 0) {
		mk_itimer_proc_free(p);
		mk_free(p, sizeof(*p));
	}
}

/* proc_join - @t becomes a live thread of @p (its reference is @t's). */
static void proc_join(struct mk_thread *t, struct mk_proc *p)
{
	unsigned long flags = kf_arch_irq_save();

	t->proc = p;
	p->live++;
	mk_list_add_tail(&t->proc_node, &p->threads);
	kf_arch_irq_restore(flags);
}

/* ---- The task hooks ------------------------------------------------------------ */

/*
 * kf_os_task_prepare - a thread for @child: kernel stack, the binding of
 * stack and context to the task, and a fresh thread group (replaced at
 * start when the child turns out to be a thread).  Signal mask inherited
 * from the creator.  -KF_ENOMEM with nothing left allocated.
 */
int kf_os_task_prepare(struct kf_task *child)
{
	struct mk_thread *parent = mk_current();
	struct mk_thread *t = mk_thread_create(parent->name);

	if (!t)
		return -KF_ENOMEM;
	t->proc = proc_alloc();
	if (!t->proc) {
		mk_thread_put(t);
		return -KF_ENOMEM;
	}
	t->refs = 2;
	t->task = child;
	t->arch = kf_task_arch(child);
	t->cpus_allowed = parent->task ? parent->cpus_allowed : ~0ull;
	t->start_ns = board_clock_ns();
	kf_task_set_kstack(child, t->kstack);
	kf_task_set_os(child, t);
	mk_signal_fork(t, parent, kf_task_clone_flags(child));
	return 0;
}

/* kfork's hook: what the thread of @task has used of the CPU. */
void kf_os_task_cputime(struct kf_task *task, struct kf_cputime *out)
{
	struct mk_thread *t = mk_task_thread(task);

	if (t)
		mk_thread_cputime(t, out);
	else
		memset(out, 0, sizeof(*out));
}

void kf_os_task_unprepare(struct kf_task *child)
{
	struct mk_thread *t = kf_task_os(child);

	if (!t)
		return;
	kf_task_set_os(child, NULL);
	kf_task_set_kstack(child, NULL);
	t->task = NULL;
	t->arch = &t->own_arch;
	t->refs = 1;
	mk_thread_put(t);	/* frees the unused proc too */
}

/*
 * task_first_run - a new task's first steps, in its own kernel context:
 * the kernel entry its creator asked for (if any), then the way out to
 * user space every return takes (a signal sent meanwhile -- a SIGKILL
 * from exit_group -- is acted on before the first user instruction).
 */
static void task_first_run(void *arg)
{
	struct mk_thread *t = arg;

	mk_thread_first_run();
	if (t->start_fn)
		t->start_fn(t->start_arg);
	mk_return_to_user(board_user_regs(t));
	board_enter_user(board_user_regs(t));
}

/*
 * kf_os_task_start - @child is published: join its thread group (the
 * creator's, for a CLONE_THREAD child), start it in task_first_run (with
 * the kernel entry the creator asked for, mk_kernel_fork) and queue it.
 * Its kernel context runs on the stack below the user frame that
 * kf_arch_copy_thread filled.
 */
void kf_os_task_start(struct kf_task *child)
{
	struct mk_thread *t = kf_task_os(child), *parent = mk_current();
	struct mk_proc *p = t->proc;

	if (kf_task_tgid(child) != kf_task_tid(child) && parent->proc) {
		mk_proc_put(p);
		p = parent->proc;
		p->refs++;
	}
	proc_join(t, p);
	t->tid = kf_task_tid(child);
	t->start_fn = parent->child_fn;
	t->start_arg = parent->child_arg;
	parent->child_fn = NULL;
	kf_arch_thread_init(t->arch, (uintptr_t)board_user_regs(t),
			    task_first_run, t);
	mk_thread_start(t);
}

void kf_os_task_release(struct kf_task *task)
{
	struct mk_thread *t = kf_task_os(task);

	if (!t)
		return;		/* the boot task */
	kf_task_set_os(task, NULL);
	mk_thread_put(t);
}

/* Capabilities: the cred's effective set, which kfork keeps by Linux's
 * rules (root has them all until it drops them: capset, set*id). */
bool kf_os_capable(struct kf_task *t, int cap)
{
	return kf_task_has_cap(t, cap);
}

int kf_os_cgroup_can_fork(struct kf_task *child, int cgroup_fd)
{
	(void)child;
	(void)cgroup_fd;
	return -KF_EOPNOTSUPP;
}

/* ---- Boot and /init --------------------------------------------------------------- */

/*
 * mk_boot_tasks - boot the core; the idle thread becomes the boot task.
 * The boot task needs a (zeroed) user frame, since the first fork copies
 * its creator's: it gets a kernel stack of its own that nothing runs on.
 */
void mk_boot_tasks(void)
{
	void *stack = mk_kstack_alloc();

	boot_task = kf_boot();
	if (!boot_task || !stack)
		mk_panic("cannot boot the kfork core");
	kf_task_set_kstack(boot_task, stack);
	mk_idle_thread()->task = NULL;	/* kf_os_current() falls back */
}

long mk_kernel_fork(void (*fn)(void *), void *arg)
{
	struct mk_thread *t = mk_current();
	long pid;

	t->child_fn = fn;
	t->child_arg = arg;
	pid = kf_fork();
	t->child_fn = NULL;
	return pid;
}

/* /init's argv: the archive's INIT_ARGV_FILE if any, else just "/init". */
static void init_argv(char **argv, unsigned max)
{
	static char *dflt = "/init";
	size_t size, off = 0;
	const char *p = mk_initrd_find(INIT_ARGV_FILE, &size);
	unsigned n = 0;

	while (p && off < size && n < max - 1) {
		size_t len = strnlen(p + off, size - off);
		char *s = mk_alloc(len + 1);

		if (!s)
			break;
		memcpy(s, p + off, len);
		argv[n++] = s;
		off += len + 1;
	}
	if (n == 0)
		argv[n++] = dflt;
	argv[n] = NULL;
}

/* init_main - pid 1's first steps, in the kernel: the console as fds 0-2,
 * then exec /init; returning enters it. */
static void init_main(void *arg)
{
	static char *argv[INIT_MAX_ARGS + 1];
	static char *envp[] = { "HOME=/", "TERM=linux", NULL };
	long err;
	int i;

	(void)arg;
	mk_current()->proc->is_init = true;
	for (i = 0; i < 3; i++)
		if (mk_console_install() != i)
			mk_panic("init: cannot install the console as fd %d", i);
	init_argv(argv, INIT_MAX_ARGS + 1);
	err = mk_exec("/init", argv, envp);
	if (err)
		mk_panic("cannot run /init: error %ld", -err);
}

void mk_start_init(void)
{
	long pid = mk_kernel_fork(init_main, NULL);

	if (pid != 1)
		mk_panic("cannot create init: %ld", pid);
}

/* ---- A task's end -------------------------------------------------------------------- */

/* How /init's end reads as one exit status: the exit code, or 128 plus
 * the signal that killed it (the shells' convention). */
static int init_status(int wstatus)
{
	if ((wstatus & 0x7f) == 0)
		return (wstatus >> 8) & 0xff;
	return 128 + (wstatus & 0x7f);
}

/*
 * mk_task_exit - the core's exit (the group's exit code, once set, wins),
 * then the thread stops using the task: the core may already have freed
 * it (a self-reaped thread), so the last context switch saves into the
 * thread's own state.
 */
void mk_task_exit(int wstatus, bool group)
{
	struct mk_thread *t = mk_current();
	struct mk_proc *p = t->proc;
	struct kf_mm *mm;
	unsigned long flags;
	int live;

	if (!t->task)
		mk_panic("mk_task_exit: kernel thread %d", t->tid);
	/*
	 * Keep the root alive until this CPU has left it (<kf/mm.h>): a
	 * count, not a user, so the exit still sees itself as the last user
	 * when it is (Linux then skips CHILD_CLEARTID).  The last user's put
	 * frees the user tables, which mm detaches and flushes first.
	 */
	mm = kf_task_mm(t->task);
	if (mm)
		kf_mm_grab(mm);
	if (p->live == 1)
		mk_tty_exit();	/* the process ends: a session leader hangs up */
	if (p->reboot_sig) {	/* reboot(2) ended this pid namespace */
		group = true;
		wstatus = p->reboot_sig;
	}
	if (group) {
		if (!p->group_exit) {
			p->group_exit = true;
			p->exit_status = wstatus;
		}
		kf_exit_group(wstatus);
	} else {
		kf_exit(wstatus);
	}
	flags = kf_arch_irq_save();
	if (!p->group_exit && p->live == 1)
		p->exit_status = wstatus;
	live = --p->live;
	mk_list_del(&t->proc_node);
	mk_cputime_exit(t);
	t->task = NULL;
	t->arch = &t->own_arch;
	kf_mm_deactivate(mm);
	kf_arch_irq_restore(flags);
	mk_signal_thread_exit(t, live == 0);
	mk_poll_wake();		/* a pidfd of this process may poll readable now */
	if (mm)
		kf_mm_drop(mm);
	if (p->is_init && live == 0)
		mk_init_exited(init_status(p->exit_status));
	mk_thread_exit();
}

void mk_init_exited(int status)
{
	mk_printk("kfork: init exited with status %d\n", status);
	board_halt(MK_HALT_INIT_EXIT, status);
}

/* vma_covers - is @va inside a mapping of the running task (so that a
 * SIGSEGV there is an access error, not a missing mapping)? */
static bool vma_covers(uintptr_t va)
{
	struct kf_mm *mm = mk_current_mm();
	struct kf_mm_vma_info vi;
	unsigned i;

	for (i = 0; mm && kf_mm_vma_info(mm, i, &vi) == 0; i++)
		if (va >= vi.start && va < vi.end)
			return true;
	return false;
}

void mk_user_signal(struct kf_arch_regs *r, int sig, int code, uintptr_t addr)
{
	(void)r;
	if (sig == KF_SIGSEGV && code > 0)
		code = vma_covers(addr) ? 2 /* SEGV_ACCERR */ : 1 /* MAPERR */;
	mk_force_signal(sig, code, addr);
}

/*
 * oom_kill - a user-mode fault of the running task found no free frame:
 * its process dies of SIGKILL, as the victim of Linux's OOM killer does.
 * The victim is always the faulting process (Linux's
 * vm.oom_kill_allocating_task), init included: with nothing else chosen,
 * Linux would panic there.  The kill acts as the trap returns to user
 * space, before the access is retried.
 */
static void oom_kill(uintptr_t va)
{
	struct kf_task *t = kf_os_current();

	mk_printk("kfork: out of memory: killed process %d (%s) faulting at %lx\n",
		  kf_task_tgid(t), mk_current()->name, (unsigned long)va);
	mk_send_signal(t, KF_SIGKILL, NULL, true);
}

/* A user copy's fault (no KF_FAULT_USER) that runs out of memory fails
 * the copy with EFAULT instead, as on Linux. */
int mk_user_fault(uintptr_t va, unsigned access)
{
	int err;

	if (!mk_current()->task)
		return -KF_EFAULT;
	err = kf_fault(va, access);
	if (err == -KF_ENOMEM && (access & KF_FAULT_USER)) {
		oom_kill(va);
		return 0;
	}
	return err;
}
