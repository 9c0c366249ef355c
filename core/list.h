/* SPDX-License-Identifier: BSD-2-Clause */
/* core/list.h - intrusive doubly linked lists (circular, with a head). */
#ifndef KF_CORE_LIST_H
#define KF_CORE_LIST_H

#include <stddef.h>
#include <stdbool.h>

struct kf_list { struct kf_list *next, *prev; };

#define KF_LIST_INIT(name) { &(name), &(name) }
#define kf_container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

static inline void kf_list_init(struct kf_list *h) { h->next = h->prev = h; }
static inline bool kf_list_empty(const struct kf_list *h) { return h->next == h; }

static inline void kf_list_add_between(struct kf_list *n, struct kf_list *p,
				       struct kf_list *nx)
{
	n->next = nx; n->prev = p; p->next = n; nx->prev = n;
}
/* add @n right after @h (stack order) */
static inline void kf_list_add(struct kf_list *n, struct kf_list *h)
{
	kf_list_add_between(n, h, h->next);
}
/* add @n before @h (queue order) */
static inline void kf_list_add_tail(struct kf_list *n, struct kf_list *h)
{
	kf_list_add_between(n, h->prev, h);
}
static inline void kf_list_del(struct kf_list *n)
{
	n->prev->next = n->next; n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define kf_list_entry(p, type, member) kf_container_of(p, type, member)
#define kf_list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
#define kf_list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif
