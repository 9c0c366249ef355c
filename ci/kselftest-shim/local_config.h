/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What Linux's mm selftests' check_config.sh would generate for a libc
 * without liburing: mm/cow.c then leaves out its io_uring cases (io_uring
 * is out of scope for kfork).
 */
