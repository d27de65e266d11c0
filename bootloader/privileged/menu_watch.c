/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The supervisor's deadline around the interactive menu (menu_watch.h). */
#include "bootloader/privileged/menu_watch.h"
#include "bootloader/privileged/test_hooks.h"
#include "bootloader/wire/options.h"
#include "common/pvlimits.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define TICK_MS 200

static volatile sig_atomic_t ticks;
static volatile pid_t watched;
static struct sigaction old_alrm;

static void on_alarm(int sig)
{
	static const char msg[] =
		"pvboot: the menu did not return after its deadline: ending the run\n";
	struct sigaction term;

	(void)sig;
	ticks++;
	if ((long)ticks * TICK_MS < PV_MENU_HARD_EXTRA_SECONDS * 1000L)
		return; /* the read it interrupted returns early */
	if (watched > 0)
		kill(watched, SIGKILL);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say */
	}
	if (sigaction(SIGTERM, NULL, &term) == 0 &&
	    term.sa_handler != SIG_DFL && term.sa_handler != SIG_IGN)
		raise(SIGTERM); /* pvboot's own clean-up, as libxl's would */
	_exit(EXIT_SANDBOX);
}

int menu_watch_arm(int timeout, pid_t worker)
{
	struct itimerval it;
	struct sigaction sa;
	unsigned int secs = PV_MENU_GRACE_SECONDS;

	if (pv_test_menu_grace) /* test build: a shorter grace */
		secs = pv_test_menu_grace(secs);
	if (timeout > 0)
		secs += (unsigned int)timeout;
	ticks = 0;
	watched = worker;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: interrupt the screen's read */
	if (sigaction(SIGALRM, &sa, &old_alrm) < 0)
		return -1;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = secs;
	it.it_interval.tv_usec = TICK_MS * 1000;
	if (setitimer(ITIMER_REAL, &it, NULL) < 0) {
		sigaction(SIGALRM, &old_alrm, NULL);
		return -1;
	}
	return 0;
}

int menu_watch_disarm(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
	watched = 0;
	return ticks > 0;
}
