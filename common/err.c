/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "common/err.h"
#include "common/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERRMSG_MAX 2048
#define LOG_MAX (64 * 1024)

static char errmsg[ERRMSG_MAX];
int pv_debug_enabled;
int pv_quiet_warnings;
static int log_capture;
static char *log_buf;
static size_t log_len;

int pv_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return code;
}

void pv_err_ctx(const char *fmt, ...)
{
	char old[ERRMSG_MAX];
	size_t n;
	va_list ap;

	memcpy(old, errmsg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	if (!old[0])
		return;
	/* append ": <old>" by hand, truncating at the buffer's end */
	n = strlen(errmsg);
	if (n + 2 < sizeof(errmsg)) {
		memcpy(errmsg + n, ": ", 2);
		n += 2;
		old[sizeof(old) - 1 - n] = '\0';
		memcpy(errmsg + n, old, strlen(old) + 1);
	}
}

const char *pv_errmsg(void)
{
	return errmsg;
}

void pv_err_clear(void)
{
	errmsg[0] = '\0';
}

const char *pv_strerror(int code)
{
	switch (code) {
	case PV_OK: return "success";
	case PV_ENOTMINE: return "not recognised";
	case PV_ECORRUPT: return "corrupt";
	case PV_ENOENT: return "not found";
	case PV_ENOMEM: return "out of memory";
	case PV_EIO: return "I/O error";
	case PV_ELIMIT: return "limit exceeded";
	case PV_ENOTSUP: return "not supported";
	case PV_EINVAL: return "invalid";
	case PV_ELOOP: return "too many symbolic links";
	case PV_ENOTREG: return "not a regular file";
	case PV_ESANDBOX: return "sandbox failure";
	}
	return "error";
}

static void vemit(const char *kind, const char *fmt, va_list ap)
{
	char raw[ERRMSG_MAX], clean[ERRMSG_MAX];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	pv_sanitize(clean, sizeof(clean), raw, strlen(raw));
	if (!log_capture) {
		fprintf(stderr, "pvboot: %s%s\n", kind, clean);
		return;
	}
	if (!log_buf) {
		log_buf = malloc(LOG_MAX);
		if (!log_buf)
			return;
		log_len = 0;
	}
	log_len += (size_t)snprintf(log_buf + log_len, LOG_MAX - log_len,
				    "%s%s\n", kind, clean);
	if (log_len >= LOG_MAX)
		log_len = LOG_MAX - 1;
}

void pv_log_capture(int on)
{
	log_capture = on;
}

char *pv_log_take(void)
{
	char *t = log_buf;

	log_buf = NULL;
	log_len = 0;
	return t;
}

void pv_warn(const char *fmt, ...)
{
	va_list ap;

	if (pv_quiet_warnings)
		return;
	va_start(ap, fmt);
	vemit("warning: ", fmt, ap);
	va_end(ap);
}

void pv_debug(const char *fmt, ...)
{
	va_list ap;

	if (!pv_debug_enabled)
		return;
	va_start(ap, fmt);
	vemit("debug: ", fmt, ap);
	va_end(ap);
}

void pv_note(const char *fmt, ...)
{
	va_list ap;

	if (pv_quiet_warnings)
		return;
	va_start(ap, fmt);
	vemit("", fmt, ap);
	va_end(ap);
}
