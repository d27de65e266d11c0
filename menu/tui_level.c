/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rows of one submenu level (tui_level.h). */
#include "menu/tui_level.h"

#include <stdlib.h>
#include <string.h>

/* The last index of path when path is a direct child of level, else -1 */
static long child_of(const char *level, const char *path)
{
	size_t n = strlen(level);
	const char *rest = path;

	if (n) {
		if (strncmp(path, level, n) || path[n] != '>')
			return -1;
		rest = path + n + 1;
	}
	if (!*rest || strchr(rest, '>'))
		return -1;
	return strtol(rest, NULL, 10);
}

size_t tui_level_rows(const struct flat_menu *f, const char *level,
		      struct tui_row *rows)
{
	size_t i, j, n = 0;
	long *key = calloc(f->n + f->nsub + 1, sizeof(*key));

	if (!key)
		return 0;
	for (i = 0; i < f->n + f->nsub; i++) {
		int sub = i >= f->n;
		size_t idx = sub ? i - f->n : i;
		long k = child_of(level, sub ? f->subs[idx].path
					     : f->items[idx].path);

		if (k < 0)
			continue;
		/* insertion by the index within the level (small menus) */
		for (j = n; j > 0 && key[j - 1] > k; j--) {
			key[j] = key[j - 1];
			rows[j] = rows[j - 1];
		}
		key[j] = k;
		rows[j].sub = sub;
		rows[j].idx = idx;
		n++;
	}
	free(key);
	return n;
}

void tui_level_parent(const char *path, char out[FLAT_PATH_MAX])
{
	const char *gt = strrchr(path, '>');
	size_t n = gt ? (size_t)(gt - path) : 0;

	if (n >= FLAT_PATH_MAX)
		n = FLAT_PATH_MAX - 1;
	memcpy(out, path, n);
	out[n] = '\0';
}
