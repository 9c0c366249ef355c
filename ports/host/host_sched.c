// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_sched.c - tasks as host threads, one running at a time.
 *
 * The baton: sched.running names the one host task allowed to run kfork
 * code.  Every other task thread is blocked on its own condition variable
 * until a switch hands it the baton.  Switches happen only when the running
 * task sleeps (kf_os_wait, a contended mutex, parking, futex wait), yields
 * or dies; the next task is the head of a FIFO run queue.  A new child goes
 * to the tail of that queue.  No timers, no preemption: every run of a test
 * interleaves the same way.
 *
 * Locking: sched.lock (a pthread mutex) protects the run, wait and reap
 * queues and the fields of struct host_task marked (sched) in host.h.  It is a leaf
 * lock: taken inside core spinlocks (kf_os_wake_all, kf_os_signal) but never
 * held while calling the core or the sim MMU.
 *
 * Lifetime of a task's host side: kf_os_task_prepare allocates it and its
 * kernel stack and creates the thread (which waits for its first run);
 * kf_os_task_start queues it; the thread runs the entry, calls kf_exit and
 * hands the baton away for good (HT_DEAD); kf_os_task_release (the reaper)
 * joins the thread and frees everything.  A task released by itself during
 * its own kf_exit (autoreaped threads) is freed at the next prepare,
 * release or shutdown, because a thread cannot free the stack it runs on.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kf/mm.h>
#include <kf/hal/context.h>
#include <kf/hal/irq.h>
#include <kf/arch/sim.h>
#include "host.h"

#define WQ_MAGIC 0x6b6677616974717full	/* "kfwaitq_" */

/* The host's view of kf_os_waitq_t (and of the queue in a host mutex). */
struct host_waitq {
	struct hlink sleepers;		/* host_task.wait, FIFO */
	uint64_t magic;
};
_Static_assert(sizeof(struct host_waitq) <= sizeof(kf_os_waitq_t),
	       "kf_os_waitq_t too small");

static struct {
	pthread_mutex_t lock;
	struct hlink runq;		/* HT_RUNNABLE tasks */
	struct hlink all;		/* every host task, boot included */
	struct hlink reap;		/* dead, released, not yet joined */
	struct host_task *running;
	unsigned long switches;
	int ntasks;
} sched = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.runq = { &sched.runq, &sched.runq },
	.all = { &sched.all, &sched.all },
	.reap = { &sched.reap, &sched.reap },
};

static __thread struct host_task *tls_self;
static __thread struct kf_task *tls_current;
static __thread unsigned tls_cpu;	/* the sim CPU this thread runs on */

/* New tasks go round-robin over the first host_ncpus sim CPUs. */
static unsigned host_ncpus = KF_SIM_NR_CPUS, host_next_cpu;

static struct host_waitq park_q;	/* tasks without an entry */

/* Signals whose default action is "ignore": they never interrupt a wait. */
#define SIG_BIT(s) (1ull << ((s) - 1))
#define IGNORED_SIGS (SIG_BIT(KF_SIGCHLD) | SIG_BIT(KF_SIGCONT) | \
		      SIG_BIT(23) /* SIGURG */ | SIG_BIT(28) /* SIGWINCH */)
#define STOP_SIGS (SIG_BIT(KF_SIGSTOP) | SIG_BIT(KF_SIGTSTP) | \
		   SIG_BIT(KF_SIGTTIN) | SIG_BIT(KF_SIGTTOU))

struct kf_task *kf_os_current(void)
{
	return tls_current;
}

unsigned kf_os_cpu_id(void)
{
	return tls_cpu;
}

void kf_host_set_cpus(unsigned n)
{
	if (n < 1 || n > KF_SIM_NR_CPUS)
		kf_os_panic("kf_host_set_cpus(%u): 1..%d", n, KF_SIM_NR_CPUS);
	host_ncpus = n;
	host_next_cpu = 0;
}

/* The calling thread moves to sim CPU @cpu; a task takes its address
 * space along (it stays cached on the CPU it left, as on hardware). */
void kf_host_set_cpu(unsigned cpu)
{
	if (cpu >= KF_SIM_NR_CPUS)
		kf_os_panic("kf_host_set_cpu(%u): no such CPU", cpu);
	if (tls_self)
		tls_self->cpu = cpu;
	tls_cpu = cpu;
	if (tls_current)
		host_switch_mm(tls_current);
}

unsigned kf_host_task_cpu(struct kf_task *t)
{
	struct host_task *h = t ? kf_task_os(t) : NULL;

	return h ? h->cpu : 0;
}

/* host_task_of - @t's host side (NULL for NULL or an unprepared task). */
static struct host_task *host_task_of(struct kf_task *t)
{
	return t ? kf_task_os(t) : NULL;
}

/* host_become - the calling thread is now task @hs (boot and new threads). */
static void host_become(struct host_task *hs)
{
	tls_self = hs;
	tls_current = hs ? hs->task : NULL;
}

void host_switch_mm(struct kf_task *t)
{
	struct host_task *h = host_task_of(t);

	if (h)
		tls_cpu = h->cpu;
	kf_mm_activate(t ? kf_task_mm(t) : NULL);
}

/* ---- run queue and switching (sched.lock held) ------------------------- */

static void make_runnable(struct host_task *t)
{
	t->state = HT_RUNNABLE;
	hlist_add_tail(&t->run, &sched.runq);
}

static struct host_task *runq_pop(void)
{
	struct hlink *l = sched.runq.next;

	if (l == &sched.runq)
		return NULL;
	hlist_del(l);
	return hlist_entry(l, struct host_task, run);
}

static const char *state_name(enum host_state s)
{
	static const char *const names[] = {
		"new", "runnable", "running", "sleeping", "dead", "cancelled",
	};
	return names[s];
}

/* sched_deadlock - nobody can run and nobody can be woken: report, die. */
static void __attribute__((noreturn)) sched_deadlock(struct host_task *me)
{
	struct hlink *l;

	fprintf(stderr, "kfork host: deadlock: every task is asleep "
		"(the last one, %p, is %s)\n", (void *)me, state_name(me->state));
	for (l = sched.all.next; l != &sched.all; l = l->next) {
		struct host_task *t = hlist_entry(l, struct host_task, all);

		fprintf(stderr, "  task %p (kf_task %p): %s, wait mode %u, "
			"pending %#llx%s\n", (void *)t, (void *)t->task,
			state_name(t->state), t->wait_mode,
			(unsigned long long)t->pending,
			t->fatal ? ", SIGKILL" : "");
	}
	kf_os_panic("deadlock");
}

/*
 * sched_switch - hand the baton to the next runnable task.  @me is
 * sleeping (on a wait queue), runnable (queued: a yield) or dead.  Unless
 * dead, returns when @me holds the baton again.  sched.lock held.
 */
static void sched_switch(struct host_task *me)
{
	struct host_task *next = runq_pop();

	if (!next)
		sched_deadlock(me);
	next->state = HT_RUNNING;
	if (next == me)
		return;
	sched.running = next;
	sched.switches++;
	if (me->state == HT_SLEEPING)
		me->cputime.nvcsw++;
	else if (me->state == HT_RUNNABLE)
		me->cputime.nivcsw++;
	pthread_cond_signal(&next->cv);
	if (me->state == HT_DEAD)
		return;
	while (sched.running != me)
		pthread_cond_wait(&me->cv, &sched.lock);
}

/* ---- wait queues ------------------------------------------------------- */

static void wq_init(struct host_waitq *w)
{
	hlist_init(&w->sleepers);
	w->magic = WQ_MAGIC;
}

static struct host_waitq *wq_of(void *q)
{
	struct host_waitq *w = q;

	if (w->magic != WQ_MAGIC) {
		/* a zeroed queue (static, or never initialised) is valid */
		if (w->magic != 0 || w->sleepers.next)
			kf_os_panic("wait queue %p: not initialised", q);
		wq_init(w);
	}
	return w;
}

void kf_os_waitq_init(kf_os_waitq_t *q)
{
	memset(q, 0, sizeof(*q));
	wq_init((struct host_waitq *)q);
}

/* interrupted - does a pending signal, or a group stop to join, end a
 * sleep of @mode?  (sched.lock) */
static bool interrupted(const struct host_task *t, unsigned mode)
{
	if ((mode & (KF_WAIT_KILLABLE | KF_WAIT_INTERRUPTIBLE)) && t->fatal)
		return true;
	return (mode & KF_WAIT_INTERRUPTIBLE) &&
	       (((t->pending | t->group_pending) & ~IGNORED_SIGS) ||
		t->jobctl_wake);
}

/* wake_one - take @t off its wait queue and queue it to run. */
static void wake_one(struct host_task *t)
{
	hlist_del(&t->wait);
	make_runnable(t);
}

/*
 * host_wait - the body of kf_os_wait, for any host_waitq.  Checks @cond
 * with the baton held and no host lock, so no wake-up can be lost between
 * the check and the sleep: nobody else runs in between.
 */
static int host_wait(void *q, bool (*cond)(void *), void *arg, unsigned mode)
{
	struct host_task *me = tls_self;

	host_assert_may_sleep("kf_os_wait");
	for (;;) {
		if (cond(arg))
			return 0;
		if (!me)
			kf_os_panic("kf_os_wait: would sleep forever "
				    "outside a task");
		pthread_mutex_lock(&sched.lock);
		if (interrupted(me, mode)) {
			pthread_mutex_unlock(&sched.lock);
			return -KF_EINTR;
		}
		hlist_add_tail(&me->wait, &wq_of(q)->sleepers);
		me->state = HT_SLEEPING;
		me->wait_mode = mode;
		sched_switch(me);
		pthread_mutex_unlock(&sched.lock);
		host_switch_mm(me->task);
	}
}

static void host_wake_all(void *q)
{
	struct host_waitq *w;

	pthread_mutex_lock(&sched.lock);
	w = wq_of(q);
	while (!hlist_empty(&w->sleepers))
		wake_one(hlist_entry(w->sleepers.next, struct host_task, wait));
	pthread_mutex_unlock(&sched.lock);
}

int kf_os_wait(kf_os_waitq_t *q, bool (*cond)(void *arg), void *arg,
	       unsigned mode)
{
	return host_wait(q, cond, arg, mode);
}

void kf_os_wake_all(kf_os_waitq_t *q)
{
	host_wake_all(q);
}

/* ---- sleeping mutexes -------------------------------------------------- */

struct host_mutex {
	uintptr_t owner;		/* host_thread_id() of the holder, or 0 */
	struct host_waitq wq;
};
_Static_assert(sizeof(struct host_mutex) <= sizeof(kf_os_mutex_t),
	       "kf_os_mutex_t too small");

void kf_os_mutex_init(kf_os_mutex_t *m)
{
	struct host_mutex *hm = (struct host_mutex *)m;

	memset(m, 0, sizeof(*m));
	wq_init(&hm->wq);
}

static bool mutex_free(void *arg)
{
	return ((struct host_mutex *)arg)->owner == 0;
}

/* Only the baton holder runs, so test-and-take needs no atomics; a
 * contended mutex puts the caller to sleep and lets the owner run. */
void kf_os_mutex_lock(kf_os_mutex_t *m)
{
	struct host_mutex *hm = (struct host_mutex *)m;

	host_assert_may_sleep("kf_os_mutex_lock");
	if (hm->owner == host_thread_id())
		kf_os_panic("kf_os_mutex_lock(%p): already held by the caller",
			    (void *)m);
	while (hm->owner)
		host_wait(&hm->wq, mutex_free, hm, KF_WAIT_UNINTERRUPTIBLE);
	hm->owner = host_thread_id();
}

void kf_os_mutex_unlock(kf_os_mutex_t *m)
{
	struct host_mutex *hm = (struct host_mutex *)m;

	if (hm->owner != host_thread_id())
		kf_os_panic("kf_os_mutex_unlock(%p): not held by the caller",
			    (void *)m);
	hm->owner = 0;
	host_wake_all(&hm->wq);
}

/* ---- the task's thread ------------------------------------------------- */

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* run_entry - what the task does; returns its wait status for kf_exit. */
static int run_entry(struct host_task *me, int (*fn)(void *), void *arg)
{
	if (kf_os_fatal_signal_pending(me->task))
		return KF_SIGKILL;
	kf_host_check_signals();	/* a stop before the first step */
	if (!fn) {
		/* parked: only SIGKILL ends it */
		host_wait(&park_q, never, NULL, KF_WAIT_KILLABLE);
		return KF_SIGKILL;
	}
	return (fn(arg) & 0xff) << 8;
}

/* killed_group - was @me's SIGKILL sent to its whole thread group?  Then
 * it ends the group (kf_exit_group), stopped threads included. */
static bool killed_group(struct host_task *me)
{
	bool r;

	pthread_mutex_lock(&sched.lock);
	r = me->group_fatal;
	pthread_mutex_unlock(&sched.lock);
	return r;
}

/*
 * host_exit - kf_exit or kf_exit_group, holding a count on the address
 * space this CPU runs, which the exit may drop the last user of: the CPU
 * leaves it (kf_mm_deactivate) before the count goes, as <kf/mm.h> asks.
 */
static void host_exit(struct host_task *me, int code, bool group)
{
	me->exit_mm = kf_task_mm(me->task);
	if (me->exit_mm)
		kf_mm_grab(me->exit_mm);
	if (group)
		kf_exit_group(code);
	else
		kf_exit(code);
}

/* host_exit_done - the second half, once the exit has returned. */
static void host_exit_done(struct host_task *me)
{
	if (!me->exit_mm)
		return;
	kf_mm_deactivate(me->exit_mm);
	kf_mm_drop(me->exit_mm);
	me->exit_mm = NULL;
}

/*
 * task_body - read the (one-shot) entry from the sim registers, run it and
 * exit.  kf_host_exit longjmps back here after its own kf_exit.
 */
static void task_body(struct host_task *me)
{
	struct kf_arch_regs *r = kf_arch_task_regs(me->task);
	int (*fn)(void *) = (int (*)(void *))r->pc;
	void *arg = (void *)r->arg;
	int code;

	r->pc = 0;
	r->arg = 0;
	if (setjmp(me->exit_jmp)) {
		host_exit_done(me);
		return;
	}
	code = run_entry(me, fn, arg);
	host_exit(me, code, code == KF_SIGKILL && killed_group(me));
	host_exit_done(me);
}

/* task_finish - give the baton away for good.  The thread then ends. */
static void task_finish(struct host_task *me)
{
	pthread_mutex_lock(&sched.lock);
	me->state = HT_DEAD;
	if (me->released)
		hlist_add_tail(&me->run, &sched.reap);
	sched_switch(me);
	pthread_mutex_unlock(&sched.lock);
}

static void *task_thread(void *p)
{
	struct host_task *me = p;
	bool cancelled;

	host_become(me);
	pthread_mutex_lock(&sched.lock);
	while (sched.running != me && me->state != HT_CANCELLED)
		pthread_cond_wait(&me->cv, &sched.lock);
	cancelled = me->state == HT_CANCELLED;
	pthread_mutex_unlock(&sched.lock);
	if (cancelled)
		return NULL;
	host_switch_mm(me->task);
	task_body(me);
	task_finish(me);
	return NULL;
}

/* ---- creating and destroying the host side ----------------------------- */

static int thread_create(struct host_task *t)
{
	pthread_attr_t attr;
	int r;

	if (pthread_attr_init(&attr))
		return -KF_ENOMEM;
	r = pthread_attr_setstack(&attr, t->kstack, KF_ARCH_KSTACK_SIZE);
	if (!r)
		r = pthread_create(&t->thread, &attr, task_thread, t);
	pthread_attr_destroy(&attr);
	if (r)
		return -KF_ENOMEM;
	t->has_thread = true;
	return 0;
}

/* task_destroy - join @t's thread (it has ended or is ending) and free. */
static void task_destroy(struct host_task *t)
{
	if (t->has_thread)
		pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cv);
	host_free_stack(t->kstack, KF_ARCH_KSTACK_SIZE);
	host_free(t, sizeof(*t));
}

/* reap_deferred - free tasks that released themselves while exiting. */
static void reap_deferred(void)
{
	struct hlink list;

	hlist_init(&list);
	pthread_mutex_lock(&sched.lock);
	while (!hlist_empty(&sched.reap)) {
		struct host_task *t = hlist_entry(sched.reap.next,
						  struct host_task, run);

		hlist_del(&t->run);
		hlist_del(&t->all);
		sched.ntasks--;
		hlist_add_tail(&t->run, &list);
	}
	pthread_mutex_unlock(&sched.lock);
	while (!hlist_empty(&list)) {
		struct host_task *t = hlist_entry(list.next, struct host_task, run);

		hlist_del(&t->run);
		task_destroy(t);
	}
}

static void task_init(struct host_task *t, struct kf_task *task,
		      const struct host_task *parent)
{
	t->task = task;
	t->state = HT_NEW;
	hlist_init(&t->run);
	hlist_init(&t->all);
	hlist_init(&t->wait);
	if (parent) {
		t->caps = parent->caps;
		t->caps_set = parent->caps_set;
	}
}

/*
 * kf_os_task_prepare - allocate the host side of @child (state, kernel
 * stack) and create its thread, which waits for its first run.  On failure
 * everything is freed and -KF_ENOMEM returned.
 */
int kf_os_task_prepare(struct kf_task *child)
{
	struct host_task *t;

	host_assert_may_sleep("kf_os_task_prepare");
	reap_deferred();
	t = host_alloc(sizeof(*t), "host.task", true);
	if (!t)
		return -KF_ENOMEM;
	t->kstack = host_alloc_stack(KF_ARCH_KSTACK_SIZE);
	if (!t->kstack)
		goto free_task;
	if (pthread_cond_init(&t->cv, NULL))
		goto free_stack;
	task_init(t, child, tls_self);
	t->cpu = host_next_cpu++ % host_ncpus;
	if (thread_create(t))
		goto destroy_cv;
	kf_task_set_os(child, t);
	kf_task_set_kstack(child, t->kstack);
	pthread_mutex_lock(&sched.lock);
	hlist_add_tail(&t->all, &sched.all);
	sched.ntasks++;
	pthread_mutex_unlock(&sched.lock);
	return 0;

destroy_cv:
	pthread_cond_destroy(&t->cv);
free_stack:
	host_free_stack(t->kstack, KF_ARCH_KSTACK_SIZE);
free_task:
	host_free(t, sizeof(*t));
	return -KF_ENOMEM;
}

void kf_os_task_unprepare(struct kf_task *child)
{
	struct host_task *t = host_task_of(child);

	if (!t)
		return;
	pthread_mutex_lock(&sched.lock);
	if (t->state != HT_NEW)
		kf_os_panic("kf_os_task_unprepare: task %p already started",
			    (void *)child);
	t->state = HT_CANCELLED;
	hlist_del(&t->all);
	sched.ntasks--;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&sched.lock);
	kf_task_set_os(child, NULL);
	kf_task_set_kstack(child, NULL);
	task_destroy(t);
}

/* kf_os_task_start - queue @child; the creator's entry is used up. */
void kf_os_task_start(struct kf_task *child)
{
	struct host_task *t = host_task_of(child);

	pthread_mutex_lock(&sched.lock);
	if (!t || t->state != HT_NEW)
		kf_os_panic("kf_os_task_start: task %p not prepared",
			    (void *)child);
	make_runnable(t);
	pthread_mutex_unlock(&sched.lock);
	if (tls_current) {
		struct kf_arch_regs *r = kf_arch_task_regs(tls_current);

		r->pc = 0;
		r->arg = 0;
	}
}

void kf_os_task_release(struct kf_task *task)
{
	struct host_task *t = host_task_of(task);

	if (!t || !t->has_thread)	/* the boot task is never released */
		return;
	pthread_mutex_lock(&sched.lock);
	if (t->state != HT_DEAD) {
		/* still on its way out (it released itself): finish frees */
		t->released = true;
		pthread_mutex_unlock(&sched.lock);
		return;
	}
	hlist_del(&t->all);
	sched.ntasks--;
	pthread_mutex_unlock(&sched.lock);
	task_destroy(t);
}

/* ---- boot and shutdown helpers (host_boot.c) --------------------------- */

static struct host_task boot_task;

/* host_sched_boot - the calling thread becomes the boot task @task and
 * holds the baton. */
void host_sched_boot(struct kf_task *task)
{
	pthread_cond_init(&boot_task.cv, NULL);
	task_init(&boot_task, task, NULL);
	boot_task.state = HT_RUNNING;
	kf_task_set_os(task, &boot_task);
	pthread_mutex_lock(&sched.lock);
	hlist_add_tail(&boot_task.all, &sched.all);
	sched.ntasks++;
	sched.running = &boot_task;
	pthread_mutex_unlock(&sched.lock);
	host_become(&boot_task);
}

/* host_sched_kill_all - SIGKILL every live task but the caller. */
void host_sched_kill_all(void)
{
	struct kf_task *victims[64];
	int n;

	do {
		struct hlink *l;

		n = 0;
		pthread_mutex_lock(&sched.lock);
		for (l = sched.all.next; l != &sched.all && n < 64; l = l->next) {
			struct host_task *t = hlist_entry(l, struct host_task, all);

			if (t != tls_self && !t->fatal &&
			    (t->state == HT_RUNNABLE || t->state == HT_SLEEPING))
				victims[n++] = t->task;
		}
		pthread_mutex_unlock(&sched.lock);
		for (int i = 0; i < n; i++)
			kf_os_signal(victims[i], KF_SIGKILL, NULL, false);
	} while (n == 64);
}

void host_sched_reap(void)
{
	reap_deferred();
}

/* ---- host API: scheduling ---------------------------------------------- */

void kf_host_set_child_entry(int (*fn)(void *), void *arg)
{
	struct kf_arch_regs *r;

	if (!tls_current)
		kf_os_panic("kf_host_set_child_entry: no current task");
	r = kf_arch_task_regs(tls_current);
	r->pc = (uintptr_t)fn;
	r->arg = (uintptr_t)arg;
}

void kf_host_yield(void)
{
	struct host_task *me = tls_self;

	if (!me)
		return;
	host_assert_may_sleep("kf_host_yield");
	pthread_mutex_lock(&sched.lock);
	if (!hlist_empty(&sched.runq)) {
		make_runnable(me);
		sched_switch(me);
		pthread_mutex_unlock(&sched.lock);
		host_switch_mm(me->task);
	} else {
		pthread_mutex_unlock(&sched.lock);
	}
	kf_host_check_signals();
}

/*
 * next_stop - the lowest pending stop signal of @me whose action is to
 * stop (the test plays handlers itself).  Ignored ones are dropped, as is
 * every stop signal but a forced SIGSTOP (the only kind the core lets
 * through) for a namespace's init.  0 when there is none.
 */
static int next_stop(struct host_task *me)
{
	uint64_t set;
	struct kf_sigaction ka;
	int sig;

	pthread_mutex_lock(&sched.lock);
	set = (me->pending | me->group_pending) & STOP_SIGS;
	pthread_mutex_unlock(&sched.lock);
	for (; set; set &= set - 1) {
		sig = __builtin_ctzll(set) + 1;
		kf_sigaction(sig, NULL, &ka);
		if (ka.handler == KF_SIG_DFL &&
		    (sig == KF_SIGSTOP || kf_getpid() != 1))
			return sig;
		if (ka.handler != KF_SIG_DFL && ka.handler != KF_SIG_IGN)
			continue;
		pthread_mutex_lock(&sched.lock);
		me->pending &= ~SIG_BIT(sig);
		me->group_pending &= ~SIG_BIT(sig);
		pthread_mutex_unlock(&sched.lock);
	}
	return 0;
}

/*
 * host_jobctl - job control on the way "back to user space": the core's
 * step (a continue to report, a group stop to join), then each stop
 * signal to act on, until nothing is left.  A task that is killed meanwhile
 * returns at once; its caller dies.
 */
static void host_jobctl(struct host_task *me)
{
	int sig;

	for (;;) {
		pthread_mutex_lock(&sched.lock);
		me->jobctl_wake = false;
		pthread_mutex_unlock(&sched.lock);
		kf_signal_jobctl();
		if (kf_os_fatal_signal_pending(me->task))
			return;
		sig = next_stop(me);
		if (!sig)
			return;
		kf_signal_stop(sig);
	}
}

void kf_host_check_signals(void)
{
	struct host_task *me = tls_self;

	if (!me || !me->has_thread)
		return;
	if (!kf_os_fatal_signal_pending(me->task))
		host_jobctl(me);
	if (!kf_os_fatal_signal_pending(me->task))
		return;
	if (killed_group(me))
		kf_host_exit_group(KF_SIGKILL);
	kf_host_exit(KF_SIGKILL);
}

static void __attribute__((noreturn)) leave_entry(void)
{
	longjmp(tls_self->exit_jmp, 1);
}

void kf_host_exit(int code)
{
	if (!tls_self || !tls_self->has_thread)
		kf_os_panic("kf_host_exit: not in a task started by the host");
	host_exit(tls_self, code, false);
	leave_entry();
}

void kf_host_exit_group(int code)
{
	if (!tls_self || !tls_self->has_thread)
		kf_os_panic("kf_host_exit_group: not in a task started "
			    "by the host");
	host_exit(tls_self, code, true);
	leave_entry();
}

int kf_host_runnable(void)
{
	int n = 0;
	struct hlink *l;

	pthread_mutex_lock(&sched.lock);
	for (l = sched.runq.next; l != &sched.runq; l = l->next)
		n++;
	pthread_mutex_unlock(&sched.lock);
	return n;
}

int kf_host_tasks(void)
{
	int n;

	pthread_mutex_lock(&sched.lock);
	n = sched.ntasks;
	pthread_mutex_unlock(&sched.lock);
	return n;
}

unsigned long kf_host_switches(void)
{
	unsigned long n;

	pthread_mutex_lock(&sched.lock);
	n = sched.switches;
	pthread_mutex_unlock(&sched.lock);
	return n;
}

/* ---- CPU time ------------------------------------------------------------
 *
 * The host port has no clock: a task has used exactly the CPU time a test
 * says it has (kf_host_use_cpu), and its context switches are the baton
 * hand-overs it made sleeping (voluntary) or yielding (involuntary).
 */

void kf_os_task_cputime(struct kf_task *task, struct kf_cputime *out)
{
	struct host_task *t = host_task_of(task);

	pthread_mutex_lock(&sched.lock);
	if (t)
		*out = t->cputime;
	else
		memset(out, 0, sizeof(*out));
	pthread_mutex_unlock(&sched.lock);
}

void kf_host_use_cpu(uint64_t user_ns, uint64_t sys_ns)
{
	pthread_mutex_lock(&sched.lock);
	tls_self->cputime.utime += user_ns;
	tls_self->cputime.stime += sys_ns;
	tls_self->cputime.runtime += user_ns + sys_ns;
	pthread_mutex_unlock(&sched.lock);
}

void kf_host_use_cpu_exact(uint64_t runtime_ns)
{
	pthread_mutex_lock(&sched.lock);
	tls_self->cputime.runtime += runtime_ns;
	pthread_mutex_unlock(&sched.lock);
}

/* ---- signals ----------------------------------------------------------- */

void kf_os_signal(struct kf_task *task, int sig, const struct kf_siginfo *info,
		  bool group)
{
	struct host_task *t = host_task_of(task);

	if (!t || sig < 1 || sig > KF_NSIG)
		return;
	pthread_mutex_lock(&sched.lock);
	t->pending |= SIG_BIT(sig);
	if (group)
		t->group_pending |= SIG_BIT(sig);
	t->sigcount[sig]++;
	t->siginfo[sig] = info ? *info : (struct kf_siginfo){
		.signo = sig, .code = KF_SI_KERNEL };
	t->siginfo[sig].signo = sig;
	t->sig_sender[sig] = tls_current ? kf_task_tid(tls_current) : -1;
	if (sig == KF_SIGKILL)
		t->fatal = true;
	if (sig == KF_SIGKILL && group)
		t->group_fatal = true;
	if (t->state == HT_SLEEPING && interrupted(t, t->wait_mode))
		wake_one(t);
	pthread_mutex_unlock(&sched.lock);
}

/* kf_os_signal_flush - the bits go from the task's pending sets; the core
 * calls it for every thread of a group, which covers group signals the
 * port recorded on the thread they were addressed to. */
bool kf_os_signal_flush(struct kf_task *task, uint64_t mask)
{
	struct host_task *t = host_task_of(task);
	bool had;

	if (!t)
		return false;
	pthread_mutex_lock(&sched.lock);
	had = ((t->pending | t->group_pending) & mask) != 0;
	t->pending &= ~mask;
	t->group_pending &= ~mask;
	pthread_mutex_unlock(&sched.lock);
	return had;
}

/* kf_os_signal_wake - a group stop to join: ends an interruptible sleep,
 * counts as pending until the task's next kf_host_check_signals. */
void kf_os_signal_wake(struct kf_task *task)
{
	struct host_task *t = host_task_of(task);

	if (!t)
		return;
	pthread_mutex_lock(&sched.lock);
	t->jobctl_wake = true;
	if (t->state == HT_SLEEPING && interrupted(t, t->wait_mode))
		wake_one(t);
	pthread_mutex_unlock(&sched.lock);
}

/* kf_os_signal_mask - the host has no signal masks; what is pending is
 * the task's own and group sets. */
uint64_t kf_os_signal_mask(struct kf_task *task, uint64_t *pending)
{
	struct host_task *t = host_task_of(task);

	*pending = 0;
	if (!t)
		return 0;
	pthread_mutex_lock(&sched.lock);
	*pending = t->pending | t->group_pending;
	pthread_mutex_unlock(&sched.lock);
	return 0;
}

bool kf_os_fatal_signal_pending(struct kf_task *task)
{
	struct host_task *t = host_task_of(task);
	bool r;

	if (!t)
		return false;
	pthread_mutex_lock(&sched.lock);
	r = t->fatal;
	pthread_mutex_unlock(&sched.lock);
	return r;
}

/*
 * kf_os_signal_pending - the host has no signal masks and no handlers, so
 * every pending signal of the caller counts except those whose default
 * action is to be ignored (the ones that never interrupt a wait either).
 * The test plays the handler with kf_host_sigdequeue and calls again.
 */
bool kf_os_signal_pending(void)
{
	struct host_task *t = tls_self;
	bool r;

	if (!t)
		return false;
	pthread_mutex_lock(&sched.lock);
	r = interrupted(t, KF_WAIT_INTERRUPTIBLE);
	pthread_mutex_unlock(&sched.lock);
	return r;
}

static uint64_t read_sigs(struct kf_task *task, bool group)
{
	struct host_task *t = host_task_of(task);
	uint64_t r;

	if (!t)
		return 0;
	pthread_mutex_lock(&sched.lock);
	r = group ? t->group_pending : t->pending;
	pthread_mutex_unlock(&sched.lock);
	return r;
}

uint64_t kf_host_pending(struct kf_task *t) { return read_sigs(t, false); }
uint64_t kf_host_group_pending(struct kf_task *t) { return read_sigs(t, true); }

unsigned kf_host_sigcount(struct kf_task *task, int sig)
{
	struct host_task *t = host_task_of(task);
	unsigned r;

	if (!t || sig < 1 || sig > KF_NSIG)
		return 0;
	pthread_mutex_lock(&sched.lock);
	r = t->sigcount[sig];
	pthread_mutex_unlock(&sched.lock);
	return r;
}

int kf_host_siginfo(struct kf_task *task, int sig, struct kf_siginfo *info)
{
	struct host_task *t = host_task_of(task);
	int sender;

	if (!t || sig < 1 || sig > KF_NSIG)
		return -1;
	pthread_mutex_lock(&sched.lock);
	sender = t->sigcount[sig] ? t->sig_sender[sig] : -1;
	if (info)
		*info = t->siginfo[sig];
	pthread_mutex_unlock(&sched.lock);
	return sender;
}

int kf_host_sigdequeue(void)
{
	struct host_task *t = tls_self;
	uint64_t set;
	int sig = 0;

	if (!t)
		return 0;
	pthread_mutex_lock(&sched.lock);
	set = (t->pending | t->group_pending) & ~SIG_BIT(KF_SIGKILL);
	if (set) {
		sig = __builtin_ctzll(set) + 1;
		t->pending &= ~SIG_BIT(sig);
		t->group_pending &= ~SIG_BIT(sig);
	}
	pthread_mutex_unlock(&sched.lock);
	return sig;
}

/* ---- capabilities ------------------------------------------------------ */

bool kf_os_capable(struct kf_task *task, int cap)
{
	struct host_task *t = host_task_of(task);

	if (cap < 0 || cap > 63)
		return false;
	if (t && t->caps_set)
		return t->caps >> cap & 1;
	if (task == tls_current)
		return kf_geteuid() == 0;
	return false;
}

void kf_host_set_caps(struct kf_task *task, uint64_t mask)
{
	struct host_task *t = host_task_of(task);

	if (t) {
		t->caps = mask;
		t->caps_set = true;
	}
}

void kf_host_clear_caps(struct kf_task *task)
{
	struct host_task *t = host_task_of(task);

	if (t)
		t->caps_set = false;
}

/* ---- futexes ----------------------------------------------------------- */

struct futex_waiter {
	struct hlink link;
	struct kf_arch_mm *mm;		/* the address space (the CPU's view) */
	kf_uptr_t uaddr;
	bool woken;
};

struct futex_count {
	kf_uptr_t uaddr;
	unsigned long wakes;
	struct futex_count *next;
};

static struct hlink futex_waiters = { &futex_waiters, &futex_waiters };
static struct host_waitq futex_q;
static struct futex_count *futex_counts;

/* count_wake - one more wake on @uaddr.  sched.lock held. */
static void count_wake(kf_uptr_t uaddr)
{
	struct futex_count *c;

	for (c = futex_counts; c; c = c->next)
		if (c->uaddr == uaddr)
			break;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return;
		c->uaddr = uaddr;
		c->next = futex_counts;
		futex_counts = c;
	}
	c->wakes++;
}

void kf_os_futex_wake(kf_uptr_t uaddr, int n)
{
	struct kf_arch_mm *mm = kf_sim_active_mm();
	struct hlink *l, *next;
	int woken = 0;

	pthread_mutex_lock(&sched.lock);
	count_wake(uaddr);
	for (l = futex_waiters.next; l != &futex_waiters && woken < n; l = next) {
		struct futex_waiter *w = hlist_entry(l, struct futex_waiter, link);

		next = l->next;
		if (w->mm != mm || w->uaddr != uaddr)
			continue;
		w->woken = true;
		hlist_del(&w->link);
		woken++;
	}
	pthread_mutex_unlock(&sched.lock);
	if (woken)
		host_wake_all(&futex_q);
}

static bool futex_woken(void *arg)
{
	struct futex_waiter *w = arg;
	bool r;

	pthread_mutex_lock(&sched.lock);
	r = w->woken;
	pthread_mutex_unlock(&sched.lock);
	return r;
}

int kf_host_futex_wait(kf_uptr_t uaddr, uint32_t val)
{
	struct futex_waiter w = { .uaddr = uaddr };
	uint32_t cur;

	if (kf_host_read(uaddr, &cur, sizeof(cur)))
		return -KF_EFAULT;
	if (cur != val)
		return -KF_EAGAIN;
	w.mm = kf_sim_active_mm();
	pthread_mutex_lock(&sched.lock);
	hlist_add_tail(&w.link, &futex_waiters);
	pthread_mutex_unlock(&sched.lock);
	if (host_wait(&futex_q, futex_woken, &w, KF_WAIT_KILLABLE)) {
		pthread_mutex_lock(&sched.lock);
		if (!w.woken)
			hlist_del(&w.link);
		pthread_mutex_unlock(&sched.lock);
		kf_host_check_signals();
	}
	return 0;
}

unsigned long kf_host_futex_wakes(kf_uptr_t uaddr)
{
	unsigned long r = 0;

	pthread_mutex_lock(&sched.lock);
	for (struct futex_count *c = futex_counts; c; c = c->next)
		if (c->uaddr == uaddr)
			r = c->wakes;
	pthread_mutex_unlock(&sched.lock);
	return r;
}
