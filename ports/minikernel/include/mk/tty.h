/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/tty.h - /dev (dev.c) and the terminal (tty.c).
 *
 * The machine has one terminal: the console, the first serial port.  It
 * is /dev/console (5,1), which never becomes a controlling terminal, as
 * on Linux, and the serial port's own name (/dev/ttyS0 on x86_64 and
 * riscv64, /dev/ttyAMA0 on aarch64), which does.
 */
#ifndef MK_TTY_H
#define MK_TTY_H

#include <mk/file.h>

#if defined(__aarch64__)
#define MK_TTY_SERIAL_NAME "ttyAMA0"
#define MK_TTY_SERIAL_MAJOR 204
#define MK_TTY_SERIAL_MINOR 64
#else
#define MK_TTY_SERIAL_NAME "ttyS0"
#define MK_TTY_SERIAL_MAJOR 4
#define MK_TTY_SERIAL_MINOR 64
#endif

#define MK_O_NOCTTY 0400
#define MK_ENXIO 6
#define MK_EIO 5

/* /dev (dev.c), reached through vfs.c's path lookup like /proc:
 * mk_dev_owns - is canonical @canon /dev or below it?
 * mk_dev_stat, mk_dev_mode - what it names: 0, -ENOENT, -ENOTDIR.
 * mk_dev_open - an open device or the directory.
 * mk_dev_init - seed /dev/urandom's generator (at boot). */
bool mk_dev_owns(const char *canon);
long mk_dev_stat(const char *canon, struct mk_stat *st);
long mk_dev_mode(const char *canon, uint32_t *mode);
struct mk_file *mk_dev_open(const char *canon, unsigned flags, long *err);
void mk_dev_init(void);

/* The terminal (tty.c):
 * mk_tty_open_console - open it (@console: as /dev/console, which never
 *   becomes a controlling terminal).
 * mk_tty_open_ctty - /dev/tty: the caller's controlling terminal, ENXIO
 *   without one. */
struct mk_file *mk_tty_open_console(unsigned flags, bool console, long *err);
struct mk_file *mk_tty_open_ctty(unsigned flags, long *err);
/* mk_tty_init - at boot: the kernel thread that sends the terminal's
 * signals, and the board's receive interrupt. */
void mk_tty_init(void);
/* mk_tty_input - bytes the board received (its interrupt handler). */
void mk_tty_input(const char *s, size_t n);
/* mk_tty_exit - the running process is ending (its last thread): a
 * session leader's end hangs its controlling terminal up. */
void mk_tty_exit(void);

#endif
