// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/printk.c - formatted output to the kernel log, and
 * panic.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <kf/hal/irq.h>

struct fmt_out {
	char *buf;
	size_t size, len;
};

static void out_c(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct fmt_out *o, unsigned long long v, unsigned base,
		    bool upper, bool neg, int width, char pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0);
	if (neg && pad == '0')
		out_c(o, '-');
	for (; !left && width > len; width--)
		out_c(o, pad);
	if (neg && pad != '0')
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
	for (; left && width > len; width--)
		out_c(o, ' ');
}

static void out_str(struct fmt_out *o, const char *s, int width, bool left)
{
	int len = (int)strlen(s);

	for (; !left && width > len; width--)
		out_c(o, ' ');
	while (*s)
		out_c(o, *s++);
	for (; left && width > len; width--)
		out_c(o, ' ');
}

/* One conversion's argument, by size and signedness. */
static unsigned long long fmt_arg(va_list *ap, int lng, bool sgn, bool *neg)
{
	long long s;

	*neg = false;
	if (!sgn) {
		if (lng >= 2)
			return va_arg(*ap, unsigned long long);
		if (lng == 1)
			return va_arg(*ap, unsigned long);
		return va_arg(*ap, unsigned int);
	}
	if (lng >= 2)
		s = va_arg(*ap, long long);
	else if (lng == 1)
		s = va_arg(*ap, long);
	else
		s = va_arg(*ap, int);
	if (s < 0) {
		*neg = true;
		return (unsigned long long)0 - (unsigned long long)s;
	}
	return (unsigned long long)s;
}

int mk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		bool left = false, neg;
		char pad = ' ';
		unsigned long long v;

		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '-') {
			left = true;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': case 'i':
			v = fmt_arg(&aq, lng, true, &neg);
			out_num(&o, v, 10, false, neg, width, pad, left);
			break;
		case 'u':
			v = fmt_arg(&aq, lng, false, &neg);
			out_num(&o, v, 10, false, false, width, pad, left);
			break;
		case 'o':
			v = fmt_arg(&aq, lng, false, &neg);
			out_num(&o, v, 8, false, false, width, pad, left);
			break;
		case 'x': case 'X':
			v = fmt_arg(&aq, lng, false, &neg);
			out_num(&o, v, 16, *fmt == 'X', false, width, pad, left);
			break;
		case 'p':
			out_str(&o, "0x", 0, false);
			v = (uintptr_t)va_arg(aq, void *);
			out_num(&o, v, 16, false, false, width, pad, left);
			break;
		case 's': {
			const char *s = va_arg(aq, const char *);

			out_str(&o, s ? s : "(null)", width, left);
			break;
		}
		case 'c':
			out_c(&o, (char)va_arg(aq, int));
			break;
		case '%':
			out_c(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			out_c(&o, '%');
			out_c(&o, *fmt);
			break;
		}
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int mk_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mk_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void mk_vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n = mk_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	board_log_write(buf, (size_t)n);
}

void mk_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mk_vprintk(fmt, ap);
	va_end(ap);
}

void mk_panic(const char *fmt, ...)
{
	static bool panicking;
	va_list ap;

	kf_arch_irq_save();
	if (!panicking) {
		panicking = true;
		mk_printk("\nkfork: PANIC: ");
		va_start(ap, fmt);
		mk_vprintk(fmt, ap);
		va_end(ap);
		mk_printk("\n");
	}
	board_halt(MK_HALT_PANIC, 0);
}
