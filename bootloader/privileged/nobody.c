/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "nobody" from /etc/passwd, without NSS (nobody.h). */
#include "bootloader/privileged/nobody.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define NOBODY_FALLBACK_ID 65534

/* A decimal id field ending at ':' or end; -1 if not one. */
static int id_field(const char *p, const char *end, const char **next,
		    uint32_t *out)
{
	uint64_t v = 0;
	const char *s = p;

	while (p < end && *p >= '0' && *p <= '9' && p - s < 10) {
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == s || v >= UINT32_MAX || (p < end && *p != ':'))
		return -1;
	*out = (uint32_t)v;
	*next = p < end ? p + 1 : p;
	return 0;
}

int nobody_parse(const char *text, size_t len, uid_t *uid, gid_t *gid)
{
	static const char name[] = "nobody:";
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if ((size_t)(le - p) > sizeof(name) - 1 &&
		    memcmp(p, name, sizeof(name) - 1) == 0) {
			/* nobody:PASSWORD:UID:GID:... */
			const char *q = memchr(p + sizeof(name) - 1, ':',
					       (size_t)(le - p) - (sizeof(name) - 1));
			uint32_t u, g;

			if (!q || id_field(q + 1, le, &q, &u) < 0 ||
			    id_field(q, le, &q, &g) < 0)
				return -1;
			*uid = (uid_t)u;
			*gid = (gid_t)g;
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return -1;
}

/* /etc/passwd's first PV_PASSWD_SCAN_BYTES: nobody is a system account,
 * near the top; a file longer than that falls back to getpwnam(). */
static int from_passwd(uid_t *uid, gid_t *gid)
{
	char buf[PV_PASSWD_SCAN_BYTES];
	size_t have = 0;
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	while (have < sizeof(buf)) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	/* a full buffer may end inside a line, whose id could be cut short:
	 * only whole lines count */
	if (have == sizeof(buf))
		while (have && buf[have - 1] != '\n')
			have--;
	return nobody_parse(buf, have, uid, gid);
}

void nobody_ids(uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	if (from_passwd(uid, gid) == 0)
		return;
	pw = getpwnam("nobody");
	*uid = pw ? pw->pw_uid : NOBODY_FALLBACK_ID;
	*gid = pw ? pw->pw_gid : NOBODY_FALLBACK_ID;
}
