/* SPDX-License-Identifier: BSD-2-Clause */
/* kf/hal/hal.h - everything an architecture provides, in one include. */
#ifndef KF_HAL_H
#define KF_HAL_H
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/context.h>
#include <kf/hal/irq.h>
#include <kf/hal/uaccess.h>
#include <kf/hal/pgwalk.h>
#endif
