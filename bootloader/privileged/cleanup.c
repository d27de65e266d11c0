/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remove this run's files on SIGTERM (cleanup.h). */
#include "bootloader/privileged/cleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const int handled[] = { SIGTERM, SIGINT, SIGHUP };

static struct {
	int dirfd;
	char name[CLEANUP_NAME_MAX];
} entries[CLEANUP_MAX];
static volatile sig_atomic_t nentries;
static int installed;

static void on_signal(int sig)
{
	sig_atomic_t i;

	for (i = 0; i < nentries; i++)
		if (entries[i].name[0])
			unlinkat(entries[i].dirfd, entries[i].name, 0);
	signal(sig, SIG_DFL);
	raise(sig); /* unblocked on return: we die by it, as before */
}

static void signal_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(set, handled[i]);
}

void cleanup_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	signal_set(&sa.sa_mask);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		struct sigaction old;

		/* a signal the caller ignores stays ignored (nohup) */
		if (sigaction(handled[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, NULL);
	}
}

void cleanup_block(void)
{
	sigset_t set;

	signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

void cleanup_unblock(void)
{
	sigset_t set;

	signal_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int cleanup_add(int dirfd, const char *name)
{
	sig_atomic_t i;

	if (strlen(name) >= CLEANUP_NAME_MAX)
		return -1;
	for (i = 0; i < nentries; i++) /* reuse a forgotten slot */
		if (!entries[i].name[0])
			break;
	if (i == CLEANUP_MAX)
		return -1;
	if (!installed) { /* at the first name: ncurses keeps its own
			   * handlers while the menu is shown before it */
		cleanup_install();
		installed = 1;
	}
	entries[i].dirfd = dirfd;
	strcpy(entries[i].name, name);
	if (i == nentries)
		nentries = i + 1;
	return 0;
}

void cleanup_forget(int dirfd, const char *name)
{
	sig_atomic_t i;

	for (i = 0; i < nentries; i++)
		if (entries[i].dirfd == dirfd &&
		    !strcmp(entries[i].name, name))
			entries[i].name[0] = '\0';
}

void cleanup_forget_all(void)
{
	nentries = 0;
}
