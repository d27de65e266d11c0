/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The floor of a bootloader's fixed cost (tests/bench.sh): a statically
 * linked program that forks one child, waits for it, and exits. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid(p, NULL, 0);
	return 0;
}
