// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/sched.c - threads, the round-robin run queue, wait
 * queues and timed sleeps (see <mk/sched.h> for the preemption model).
 *
 * The idle thread (the boot context) is never on the run queue; it runs
 * when the queue is empty.  A dead thread cannot free the stack it is
 * running on, so it parks itself on the dead list and the next thread to
 * come out of mk_schedule() drops its reference.
 */
#include <kf/kf.h>
#include <mk/board.h>
#include <mk/sched.h>
#include <mk/proc.h>
#include <kf/hal/irq.h>

struct mk_thread *mk_current_thread;
static struct mk_thread idle_thread;
static struct mk_list run_queue = MK_LIST_INIT(run_queue);
static struct mk_list dead_list = MK_LIST_INIT(dead_list);
static struct mk_list timer_list = MK_LIST_INIT(timer_list);
static int next_tid = 1;
bool mk_need_resched;

void mk_sched_init(void)
{
	idle_thread.state = MK_THREAD_RUNNABLE;
	idle_thread.arch = &idle_thread.own_arch;
	idle_thread.refs = 1;
	mk_thread_set_name(&idle_thread, "idle");
	mk_list_init(&idle_thread.node);
	mk_list_init(&idle_thread.timer_node);
	mk_list_init(&idle_thread.proc_node);
	mk_current_thread = &idle_thread;
}

struct mk_thread *mk_idle_thread(void)
{
	return &idle_thread;
}

void mk_thread_set_name(struct mk_thread *t, const char *name)
{
	size_t n = strnlen(name, sizeof(t->name) - 1);

	memcpy(t->name, name, n);
	t->name[n] = 0;
}

struct mk_thread *mk_thread_create(const char *name)
{
	struct mk_thread *t = mk_alloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack = mk_kstack_alloc();
	if (!t->kstack) {
		mk_free(t, sizeof(*t));
		return NULL;
	}
	t->arch = &t->own_arch;
	mk_list_init(&t->node);
	mk_list_init(&t->timer_node);
	mk_list_init(&t->proc_node);
	mk_thread_set_name(t, name);
	t->tid = next_tid++;
	t->refs = 1;
	t->state = MK_THREAD_SLEEPING;
	return t;
}

void mk_thread_get(struct mk_thread *t)
{
	unsigned long flags = kf_arch_irq_save();

	t->refs++;
	kf_arch_irq_restore(flags);
}

/* The last reference: nothing can run on the stack or find the struct. */
void mk_thread_put(struct mk_thread *t)
{
	unsigned long flags = kf_arch_irq_save();
	bool last = --t->refs == 0;

	kf_arch_irq_restore(flags);
	if (!last)
		return;
	if (t == &idle_thread)
		mk_panic("mk_thread_put: the idle thread");
	if (t->proc)
		mk_proc_put(t->proc);
	mk_kstack_free(t->kstack);
	mk_free(t, sizeof(*t));
}

void mk_thread_start(struct mk_thread *t)
{
	unsigned long flags = kf_arch_irq_save();

	t->state = MK_THREAD_RUNNABLE;
	mk_list_add_tail(&t->node, &run_queue);
	kf_arch_irq_restore(flags);
}

/* Drop what dead threads left; never the running one.  IRQs off: the
 * list is moved aside first, and the puts (heap and stack frees) do not
 * sleep. */
static void reap_dead(void)
{
	struct mk_list list = MK_LIST_INIT(list);

	while (!mk_list_empty(&dead_list)) {
		struct mk_list *n = dead_list.next;

		mk_list_del(n);
		mk_list_add_tail(n, &list);
	}
	while (!mk_list_empty(&list)) {
		struct mk_thread *t = mk_container_of(list.next,
						      struct mk_thread, node);

		mk_list_del(&t->node);
		mk_thread_put(t);
	}
}

static struct mk_thread *pick_next(void)
{
	struct mk_thread *t;

	if (mk_list_empty(&run_queue))
		return &idle_thread;
	t = mk_container_of(run_queue.next, struct mk_thread, node);
	mk_list_del(&t->node);
	return t;
}

/*
 * mk_schedule - the running thread goes to the back of the queue if it is
 * still runnable, and the first runnable one runs.  The idle thread only
 * runs when nothing else can.  Each thread resumes with the interrupt
 * state it had when it called here.
 */
void mk_schedule(void)
{
	unsigned long flags = kf_arch_irq_save();
	struct mk_thread *prev = mk_current_thread, *next;

	mk_need_resched = false;
	if (prev->state == MK_THREAD_RUNNABLE && prev != &idle_thread)
		mk_list_add_tail(&prev->node, &run_queue);
	else if (prev->state == MK_THREAD_DEAD)
		mk_list_add_tail(&prev->node, &dead_list);
	next = pick_next();
	if (next != prev) {
		mk_cputime_switch(prev, next);
		mk_current_thread = next;
		mk_thread_activate_mm(next);
		board_switch(prev, next);
		/* back in prev, possibly much later */
	}
	reap_dead();
	kf_arch_irq_restore(flags);
}

void mk_thread_first_run(void)
{
	reap_dead();
	board_irq_enable();
}

void mk_thread_exit(void)
{
	kf_arch_irq_save();
	mk_current_thread->state = MK_THREAD_DEAD;
	mk_schedule();
	mk_panic("mk_thread_exit: dead thread %d ran again",
		 mk_current_thread->tid);
}

void mk_idle_loop(void)
{
	for (;;) {
		kf_arch_irq_save();
		if (!mk_list_empty(&run_queue))
			mk_schedule();
		else
			board_idle();
	}
}

/* ---- Sleeping and waking ------------------------------------------------- */

void mk_waitq_init(struct mk_waitq *q)
{
	mk_list_init(&q->sleepers);
}

/* make_runnable - @t leaves whatever queue it sleeps on.  IRQs off. */
static void make_runnable(struct mk_thread *t)
{
	mk_list_del(&t->node);
	t->state = MK_THREAD_RUNNABLE;
	mk_list_add_tail(&t->node, &run_queue);
}

void mk_sleep(struct mk_waitq *q, unsigned mode, uint64_t deadline)
{
	unsigned long flags = kf_arch_irq_save();
	struct mk_thread *t = mk_current_thread;

	if (t == &idle_thread)
		mk_panic("mk_sleep: the idle thread cannot sleep");
	t->state = MK_THREAD_SLEEPING;
	t->wait_mode = mode;
	t->timed_out = false;
	if (q)
		mk_list_add_tail(&t->node, &q->sleepers);
	if (deadline) {
		t->wake_at = deadline;
		mk_list_add_tail(&t->timer_node, &timer_list);
	}
	mk_schedule();
	if (deadline) {
		mk_list_del(&t->timer_node);
		t->wake_at = 0;
	}
	kf_arch_irq_restore(flags);
}

void mk_sleep_on(struct mk_waitq *q)
{
	mk_sleep(q, KF_WAIT_UNINTERRUPTIBLE, 0);
}

void mk_wake_all(struct mk_waitq *q)
{
	unsigned long flags = kf_arch_irq_save();

	while (!mk_list_empty(&q->sleepers))
		make_runnable(mk_container_of(q->sleepers.next,
					      struct mk_thread, node));
	kf_arch_irq_restore(flags);
}

void mk_thread_wake(struct mk_thread *t)
{
	unsigned long flags = kf_arch_irq_save();

	if (t->state == MK_THREAD_SLEEPING)
		make_runnable(t);
	kf_arch_irq_restore(flags);
}

/* In the timer interrupt: every timed sleeper that is due runs again. */
void mk_sched_tick(uint64_t now)
{
	struct mk_list *pos = timer_list.next;

	while (pos != &timer_list) {
		struct mk_thread *t = mk_container_of(pos, struct mk_thread,
						      timer_node);

		pos = pos->next;
		if (t->wake_at > now || t->state != MK_THREAD_SLEEPING)
			continue;
		t->timed_out = true;
		make_runnable(t);
	}
}
