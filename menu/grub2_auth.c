/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB 2's menu security as the config states it: `password USER PLAIN`,
 * `password_pbkdf2 USER grub.pbkdf2.sha512.ITER.SALT.HASH` and the
 * $superusers variable.  Kept as written; nothing is checked here (the
 * hash is checked only when somebody logs in: menu/auth.h).
 */
#include "menu/grub2_script.h"
#include "menu/auth.h"
#include "menu/menu.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

static void user_wipe(struct menu_user *u)
{
	free(u->name);
	if (u->secret)
		explicit_bzero(u->secret, strlen(u->secret));
	free(u->secret);
	u->name = u->secret = NULL;
}

int g2_cmd_password(struct g2_eval *ev, char **argv, size_t argc)
{
	int pbkdf2 = !strcmp(argv[0], "password_pbkdf2");
	struct menu_user *u = NULL;
	size_t i;
	char *name, *secret;

	if (argc != 3) {
		pv_warn("%s:%d: %s needs a user and a password: ignored",
			ev->file, ev->line, argv[0]);
		return 1;
	}
	if (!argv[1][0] || strlen(argv[1]) > PV_MAX_MENU_USER_NAME ||
	    strlen(argv[2]) > PV_MAX_MENU_SECRET) {
		pv_warn("%s:%d: %s: user or password too long: ignored",
			ev->file, ev->line, argv[0]);
		return 1;
	}
	if (pbkdf2 && auth_pbkdf2_valid(argv[2]) < 0)
		/* kept (the user exists, as in GRUB), but cannot log in */
		pv_warn("%s:%d: password_pbkdf2 %s: %s: this user cannot log in",
			ev->file, ev->line, argv[1], pv_errmsg());
	/* a second line for the same user replaces the first, as in GRUB */
	for (i = 0; i < ev->nusers; i++)
		if (!strcmp(ev->users[i].name, argv[1]))
			u = &ev->users[i];
	if (!u) {
		struct menu_user *nu;

		if (ev->nusers >= PV_MAX_MENU_USERS) {
			pv_warn("%s:%d: more than %d users: %s ignored",
				ev->file, ev->line, PV_MAX_MENU_USERS, argv[1]);
			return 1;
		}
		nu = realloc(ev->users, (ev->nusers + 1) * sizeof(*nu));
		if (!nu)
			return pv_err(PV_ENOMEM, "out of memory");
		ev->users = nu;
		u = &ev->users[ev->nusers++];
		memset(u, 0, sizeof(*u));
	}
	name = strdup(argv[1]);
	secret = strdup(argv[2]);
	if (!name || !secret) {
		free(name);
		free(secret);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	user_wipe(u);
	u->name = name;
	u->secret = secret;
	u->pbkdf2 = pbkdf2;
	return 0;
}

int g2_auth_finish(struct g2_eval *ev, struct menu *m, int ok)
{
	const char *su = ok ? g2_get_var(ev, "superusers") : NULL;
	size_t i;
	int r = 0;

	if (ok && su) {
		if (strlen(su) > PV_MAX_MENU_SUPERUSERS) {
			pv_warn("superusers list over %d bytes: nobody is a superuser",
				PV_MAX_MENU_SUPERUSERS);
			su = "";
		}
		r = menu_set(&m->superusers, su);
	}
	if (ok && r == 0) {
		m->users = ev->users;
		m->nusers = ev->nusers;
	} else {
		for (i = 0; i < ev->nusers; i++)
			user_wipe(&ev->users[i]);
		free(ev->users);
	}
	ev->users = NULL;
	ev->nusers = 0;
	return r;
}
