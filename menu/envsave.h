/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB's save_env over a cfg_io (issue 15): read the block as the run
 * sees it, edit it as GRUB does (grubenv_set/grubenv_delete), hand it back
 * through env_write.  save_env in an entry body (savedefault) only runs
 * when GRUB boots that entry, so there it is recorded on the entry and
 * replayed for the chosen entry after selection.
 */
#ifndef PVBOOT_MENU_ENVSAVE_H
#define PVBOOT_MENU_ENVSAVE_H

#include "menu/menu.h"

struct menu_env_save {
	char *dev;      /* GRUB device of the file, or NULL: the config's */
	char *path;
	size_t n;
	char **names;
	char **values;  /* values[i] NULL: the variable was unset (deleted) */
};

/*
 * save_env NAMES... into the file: values[i] NULL deletes names[i].  As
 * GRUB: a block with no signature, a file GRUB would not write, or a
 * variable that does not fit make the command fail (1, a warning naming
 * where) and nothing of it is kept.  0 on success, negative only for
 * out of memory.
 */
int grubenv_save(const struct cfg_io *io, const char *dev, const char *path,
		 char *const *names, char *const *values, size_t n,
		 const char *where);

/* Record a save_env of an entry body on e (copies everything).  0,
 * PV_ELIMIT past PV_MAX_ENV_SAVES, PV_ENOMEM. */
int menu_env_save_record(struct menu_entry *e, const char *dev,
			 const char *path, char *const *names,
			 char *const *values, size_t n);
/* Run e's recorded save_env commands in order, as GRUB does when it boots
 * e.  0 or PV_ENOMEM (a failing save_env only warns, as in GRUB). */
int menu_env_saves_run(const struct cfg_io *io, const struct menu_entry *e);
void menu_env_saves_free(struct menu_entry *e);

#endif
