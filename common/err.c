/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "common/err.h"
#include "common/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERRMSG_MAX 1024

static char errmsg[ERRMSG_MAX];
int pv_debug_enabled;
int pv_quiet_warnings;

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
	char ctx[ERRMSG_MAX], old[ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, errmsg, sizeof(old));
	if (old[0])
		snprintf(errmsg, sizeof(errmsg), "%s: %s", ctx, old);
	else
		snprintf(errmsg, sizeof(errmsg), "%s", ctx);
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
	fprintf(stderr, "pvboot: %s%s\n", kind, clean);
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
