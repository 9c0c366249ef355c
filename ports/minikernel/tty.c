// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/tty.c - the terminal: the console, the first serial
 * port.  Output goes to the board; reads find the end of file.
 */
#include <kf/kf.h>
#include <mk/board.h>
#include <mk/tty.h>

static long console_write(struct mk_file *f, uintptr_t buf, size_t n)
{
	char chunk[256];
	size_t done = 0;

	(void)f;
	while (done < n) {
		size_t len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);

		if (kf_os_copy_from_user(chunk, buf + done, len))
			return done ? (long)done : -KF_EFAULT;
		board_console_write(chunk, len);
		done += len;
	}
	return (long)done;
}

static long console_read(struct mk_file *f, uintptr_t buf, size_t n)
{
	(void)f;
	(void)buf;
	(void)n;
	return 0;
}

static unsigned console_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN | MK_POLLOUT;
}

static void console_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = MK_S_IFCHR | 0620;
	st->rdev = f->priv ? (5 << 8) | 1 :
		   (MK_TTY_SERIAL_MAJOR << 8) | MK_TTY_SERIAL_MINOR;
	st->ino = 1;
	st->nlink = 1;
}

static const struct mk_file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.poll = console_poll,
	.stat = console_stat,
};

struct mk_file *mk_tty_open_console(unsigned flags, bool console, long *err)
{
	struct mk_file *f = mk_file_new(&console_ops, flags,
					console ? (void *)1 : NULL);

	if (!f)
		*err = -KF_ENOMEM;
	return f;
}

struct mk_file *mk_tty_open_ctty(unsigned flags, long *err)
{
	(void)flags;
	*err = -MK_ENXIO;
	return NULL;
}

int mk_console_install(void)
{
	long err;
	struct mk_file *f = mk_tty_open_console(MK_O_RDWR, true, &err);
	int fd;

	if (!f)
		return (int)err;
	fd = kf_fd_install(f, false);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}
