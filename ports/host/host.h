/* SPDX-License-Identifier: BSD-2-Clause */
/* ports/host/host.h - what the host port's files share (private). */
#ifndef KF_HOST_PRIVATE_H
#define KF_HOST_PRIVATE_H

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <kf/kf.h>
#include "kf_host.h"

/* ---- tiny circular lists ---------------------------------------------- */

struct hlink { struct hlink *next, *prev; };

static inline void hlist_init(struct hlink *h) { h->next = h->prev = h; }
static inline bool hlist_empty(const struct hlink *h) { return h->next == h; }
static inline void hlist_add_tail(struct hlink *n, struct hlink *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}
static inline void hlist_del(struct hlink *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}
#define hlist_entry(p, type, member) \
	((type *)((char *)(p) - __builtin_offsetof(type, member)))

/* ---- tasks ------------------------------------------------------------- */

enum host_state {
	HT_NEW,		/* prepared, thread waiting for its first run */
	HT_RUNNABLE,	/* in the run queue */
	HT_RUNNING,	/* holds the baton */
	HT_SLEEPING,	/* on a wait queue */
	HT_DEAD,	/* gave the baton away for good */
	HT_CANCELLED,	/* unprepared before it ran */
};

/*
 * The host side of one kfork task (kf_task_os()).  (sched): protected by
 * the scheduler lock in host_sched.c; (C): set before the thread runs;
 * (O): only the task's own thread touches it.
 */
struct host_task {
	struct kf_task *task;		/* (C) */
	enum host_state state;		/* (sched) */
	pthread_t thread;		/* (C) */
	bool has_thread;		/* (C) false only for the boot task */
	pthread_cond_t cv;		/* signalled when it gets the baton */
	void *kstack;			/* (C) the thread's stack */
	struct hlink run;		/* (sched) run queue, or reap list */
	struct hlink all;		/* (sched) every host task */
	struct hlink wait;		/* (sched) the wait queue it sleeps on */
	unsigned wait_mode;		/* (sched) KF_WAIT_* of that sleep */
	bool released;			/* (sched) the core is done with it */
	jmp_buf exit_jmp;		/* (O) back to the thread's entry frame */
	uint64_t pending, group_pending;	/* (sched) bit sig-1 */
	bool fatal;			/* (sched) SIGKILL received */
	bool group_fatal;		/* (sched) ... for its whole group */
	bool jobctl_wake;		/* (sched) a group stop to join */
	unsigned sigcount[KF_NSIG + 1];	/* (sched) signals sent, by number */
	struct kf_siginfo siginfo[KF_NSIG + 1];	/* (sched) the last of each */
	int sig_sender[KF_NSIG + 1];	/* (sched) tid that sent it, -1: none */
	uint64_t caps;			/* capability mask, when caps_set */
	bool caps_set;
	unsigned cpu;			/* (O) the sim CPU it runs on */
	struct kf_mm *exit_mm;		/* (O) held across its kf_exit */
};

/* host_thread_id - a unique id of the calling host thread (lock owners). */
uintptr_t host_thread_id(void);
/* host_assert_may_sleep - panic when the caller holds a spinlock. */
void host_assert_may_sleep(const char *what);
/* boot and teardown (host_sched.c): the caller becomes the boot task;
 * SIGKILL every other task; free the tasks that released themselves. */
void host_sched_boot(struct kf_task *task);
void host_sched_kill_all(void);
void host_sched_reap(void);
/* host_switch_mm - the calling thread runs @t: on @t's sim CPU, which
 * translates with @t's address space. */
void host_switch_mm(struct kf_task *t);

/* ---- memory (host_mem.c) ----------------------------------------------- */

/* host_alloc - a zeroed, tracked host object; @inject: counts as an
 * allocation call for fault injection. */
void *host_alloc(size_t size, const char *site, bool inject);
void host_free(void *p, size_t size);
/* host_alloc_stack - page-aligned, tracked as "host.kstack", injectable. */
void *host_alloc_stack(size_t size);
void host_free_stack(void *p, size_t size);

void host_log_init(void);

#endif /* KF_HOST_PRIVATE_H */
