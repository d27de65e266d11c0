/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PVBOOT_COMMON_HEX_H
#define PVBOOT_COMMON_HEX_H
/* One hex digit, either case: its value, or -1.  (The wire's own
 * encoding, bootloader/wire/entries.c, takes upper case only.) */
static inline int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
#endif
