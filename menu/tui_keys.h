/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keys however the operator's terminal sends them.  ncurses' keypad mode
 * knows only the terminfo strings (for TERM=vt100 the application-mode
 * ESC O A ...), but serial relays, web consoles and terminals that ignore
 * keypad-transmit send normal-mode ESC [ A, and Home/End/Delete come in
 * several spellings.  tui_keys_setup() teaches the current screen all of
 * them; tui_key_norm() folds control keys onto the KEY_* codes.
 */
#ifndef PVBOOT_MENU_TUI_KEYS_H
#define PVBOOT_MENU_TUI_KEYS_H

/* After newterm()/keypad(): define the extra sequences. */
void tui_keys_setup(void);

/* ^P/^N as Up/Down, DEL/^H as Backspace, CR/LF as Enter: one code per
 * key for the callers' switches. */
int tui_key_norm(int c);

/* The idle cap in seconds (--menu-wait-cap): opt >= 0 wins, else
 * PVBOOT_MENU_WAIT_CAP when it is a number, else the default; clamped to
 * 1..PV_MAX_MENU_TIMEOUT.  Returns the value now in force. */
int tui_set_wait_cap(long opt);
int tui_wait_cap(void);

/* A key for the editors: blocks up to the idle cap.  TUI_GONE when the
 * cap passed without a key or the terminal is gone (getch failing at
 * once, again and again: EOF or hangup). */
#define TUI_GONE (-2)
int tui_getch_idle(void);

#endif
