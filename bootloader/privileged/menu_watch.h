/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A deadline around the interactive menu, on the supervisor's side: the
 * screen code (menu/tui.c) runs in the supervisor with the terminal, and
 * nothing it does with a silent, hung-up or misbehaving console may keep
 * the run alive past the config's timeout plus PV_MENU_GRACE_SECONDS.
 */
#ifndef PVBOOT_BOOTLOADER_MENU_WATCH_H
#define PVBOOT_BOOTLOADER_MENU_WATCH_H

#include <sys/types.h>

/*
 * Arm before calling the screen (timeout: the menu's, -1 = wait for a
 * key).  Once the deadline passes, SIGALRM interrupts the screen's reads
 * every 200 ms (without SA_RESTART, so each read returns early: the screen
 * takes that as a terminal gone away and returns its default).  If it has
 * still not returned PV_MENU_HARD_EXTRA_SECONDS later, the worker is
 * killed and the run ends: through pvboot's SIGTERM handler when one is
 * installed (it removes what the run created), else _exit(EXIT_SANDBOX).
 * Returns 0, or -1 when the timer cannot be set (the caller must not show
 * the menu then).
 */
int menu_watch_arm(int timeout, pid_t worker);
/* Stop the timer and restore SIGALRM; 1 if the deadline had passed. */
int menu_watch_disarm(void);

#endif
