/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fetching an install tree's kernel and ramdisk with libcurl (netfetch.h). */
#include "bootloader/confined/netfetch.h"
#include "bootloader/confined/curl_dl.h"
#include "bootloader/wire/netwire.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "menu/netlayout.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct curl_api C; /* loaded by netfetch_run */

struct xfer {
	int wfd;
	uint64_t got, max;
	int too_big, pipe_broken;
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int frame(int wfd, int type, const void *a, size_t alen,
		 const void *b, size_t blen)
{
	unsigned char hdr[NW_HDR_SIZE];
	uint32_t len = (uint32_t)(alen + blen);

	hdr[0] = (unsigned char)type;
	hdr[1] = len;
	hdr[2] = len >> 8;
	hdr[3] = len >> 16;
	hdr[4] = len >> 24;
	if (write_all(wfd, hdr, sizeof(hdr)) < 0 ||
	    (alen && write_all(wfd, a, alen) < 0) ||
	    (blen && write_all(wfd, b, blen) < 0))
		return -1;
	return 0;
}

static int vtext_frame(int wfd, int type, int why, const char *fmt,
			va_list ap)
{
	char buf[NW_MAX_TEXT];
	unsigned char w = (unsigned char)why;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (type == NW_FAIL)
		return frame(wfd, type, &w, 1, buf, (size_t)n);
	return frame(wfd, type, buf, (size_t)n, NULL, 0);
}

static int text_frame(int wfd, int type, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vtext_frame(wfd, type, NW_WHY_UNREACHABLE, fmt, ap);
	va_end(ap);
	return r;
}

/* NW_FAIL for a file over a limit or cut short: bad data, not absence */
static int limit_frame(int wfd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vtext_frame(wfd, NW_FAIL, NW_WHY_LIMIT, fmt, ap);
	va_end(ap);
	return r;
}

int netfetch_report(int wfd, int type, const char *msg)
{
	return text_frame(wfd, type, "%s", msg);
}

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t n = sz * nm, off = 0;

	if (x->got + n > x->max) {
		x->too_big = 1;
		return 0; /* curl then fails with CURLE_WRITE_ERROR */
	}
	while (off < n) {
		size_t c = n - off > NW_MAX_CHUNK ? NW_MAX_CHUNK : n - off;

		if (frame(x->wfd, NW_DATA, p + off, c, NULL, 0) < 0) {
			x->pipe_broken = 1;
			return 0;
		}
		off += c;
	}
	x->got += n;
	return n;
}

int netfetch_join(char *out, size_t sz, const char *location,
		  const char *path)
{
	size_t bl;
	int n;

	if (strstr(path, "://"))
		n = snprintf(out, sz, "%s", path);
	else {
		bl = strlen(location);
		while (bl && location[bl - 1] == '/')
			bl--;
		while (*path == '/')
			path++;
		if (bl > (size_t)PV_NET_MAX_URL)
			return -1;
		n = snprintf(out, sz, "%.*s/%s", (int)bl, location, path);
	}
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

static long remaining_ms(const struct timespec *end)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (end->tv_sec - now.tv_sec) * 1000L +
	     (end->tv_nsec - now.tv_nsec) / 1000000L;
	return ms;
}

enum got { GOT_OK, GOT_MISSING, GOT_FAILED };

/* Fetch one URL into the stream as candidate `which`.  GOT_MISSING: the
 * server says it is not there (try the next layout); GOT_FAILED: NW_FAIL
 * was sent. */
static enum got fetch_one(const struct netfetch_req *q, int wfd, int which,
			  const char *url, const struct timespec *end)
{
	char err[CURL_ERROR_SIZE] = "";
	unsigned char w = (unsigned char)which;
	struct xfer x = { .wfd = wfd, .max = q->max_file };
	long code = 0, left = remaining_ms(end);
	CURLcode rc;
	CURL *c;

	if (left <= 0) {
		text_frame(wfd, NW_FAIL, "%s: no time left (the whole fetch may take %u s)",
			   url, q->seconds);
		return GOT_FAILED;
	}
	if (frame(wfd, NW_BEGIN, &w, 1, url, strlen(url)) < 0)
		return GOT_FAILED;
	c = C.easy_init();
	if (!c) {
		text_frame(wfd, NW_FAIL, "%s: cannot start libcurl", url);
		return GOT_FAILED;
	}
	C.easy_setopt(c, CURLOPT_URL, url);
	C.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
	C.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
	C.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	C.easy_setopt(c, CURLOPT_MAXREDIRS, (long)PV_NET_MAX_REDIRS);
	C.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	C.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	C.easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	C.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 left < PV_NET_CONNECT_SECONDS * 1000L
				 ? left : PV_NET_CONNECT_SECONDS * 1000L);
	C.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)q->max_file);
	C.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	C.easy_setopt(c, CURLOPT_USERAGENT, "pvboot");
	/* FTP: one RETR of the whole path, so a missing directory is "not
	 * found" (550) like a missing file, not a refused CWD */
	C.easy_setopt(c, CURLOPT_FTP_FILEMETHOD, (long)CURLFTPMETHOD_NOCWD);
	/* no Accept-Encoding: the bytes arrive as the server stores them */
	C.easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	C.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, q->insecure ? 0L : 1L);
	C.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, q->insecure ? 0L : 2L);
	if (q->ca) {
		struct curl_blob b = { (void *)q->ca, q->ca_len,
				       CURL_BLOB_NOCOPY };

		C.easy_setopt(c, CURLOPT_CAINFO_BLOB, &b);
	}
	if (q->probe_only)
		C.easy_setopt(c, CURLOPT_NOBODY, 1L);
	C.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	C.easy_setopt(c, CURLOPT_WRITEDATA, &x);
	rc = C.easy_perform(c);
	C.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	C.easy_cleanup(c);
	if (rc == CURLE_OK) {
		unsigned char ok = 1;

		return frame(wfd, NW_END, &ok, 1, "", 0) < 0 ? GOT_FAILED
							      : GOT_OK;
	}
	if (x.pipe_broken)
		return GOT_FAILED;
	if ((rc == CURLE_HTTP_RETURNED_ERROR && (code == 404 || code == 410)) ||
	    rc == CURLE_REMOTE_FILE_NOT_FOUND) {
		unsigned char ok = 0;
		const char *why = "not found";

		return frame(wfd, NW_END, &ok, 1, why, strlen(why)) < 0
			       ? GOT_FAILED : GOT_MISSING;
	}
	if (x.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		limit_frame(wfd, "%s: larger than the %llu MiB cap (PYGRUB_MAX_FILE_SIZE_MB)",
			   url, (unsigned long long)(q->max_file >> 20));
	else if (rc == CURLE_HTTP_RETURNED_ERROR)
		text_frame(wfd, NW_FAIL, "%s: HTTP status %ld", url, code);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		text_frame(wfd, NW_FAIL, "%s: timed out (the whole fetch may take %u s)",
			   url, q->seconds);
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		text_frame(wfd, NW_FAIL, "%s: more than %d redirects", url,
			   PV_NET_MAX_REDIRS);
	else if (rc == CURLE_PARTIAL_FILE)
		limit_frame(wfd, "%s: truncated: the server sent less than it announced",
			   url);
	else
		text_frame(wfd, NW_FAIL, "%s: %s", url,
			   err[0] ? err : C.easy_strerror(rc));
	return GOT_FAILED;
}

/* --kernel given (with --ramdisk or not): exactly those files. */
static int fetch_named(const struct netfetch_req *q, int wfd,
		       const struct timespec *end)
{
	char url[PV_NET_MAX_URL + 64];
	enum got g;

	if (netfetch_join(url, sizeof(url), q->location, q->kernel) < 0)
		return text_frame(wfd, NW_FAIL, "kernel URL too long"), -1;
	g = fetch_one(q, wfd, NW_KERNEL, url, end);
	if (g == GOT_MISSING)
		text_frame(wfd, NW_FAIL, "%s: not found (404)", url);
	if (g != GOT_OK)
		return -1;
	if (q->ramdisk) {
		if (netfetch_join(url, sizeof(url), q->location, q->ramdisk) < 0)
			return text_frame(wfd, NW_FAIL, "ramdisk URL too long"), -1;
		g = fetch_one(q, wfd, NW_RAMDISK, url, end);
		if (g == GOT_MISSING)
			text_frame(wfd, NW_FAIL, "%s: not found (404)", url);
		if (g != GOT_OK)
			return -1;
	}
	return 0;
}

/* No --kernel: the first layout whose kernel exists wins; its ramdisk
 * (or --ramdisk) must then exist too. */
static int fetch_layout(const struct netfetch_req *q, int wfd,
			const struct timespec *end)
{
	char url[PV_NET_MAX_URL + 64];
	size_t i;
	enum got g;

	for (i = 0; i < n_netlayouts; i++) {
		const struct netlayout *l = &netlayouts[i];

		if (netfetch_join(url, sizeof(url), q->location, l->kernel) < 0)
			return text_frame(wfd, NW_FAIL, "location too long"), -1;
		g = fetch_one(q, wfd, NW_KERNEL, url, end);
		if (g == GOT_FAILED)
			return -1;
		if (g == GOT_MISSING)
			continue;
		if (text_frame(wfd, NW_LAYOUT, "%s", l->name) < 0)
			return -1;
		if (netfetch_join(url, sizeof(url), q->location,
				  q->ramdisk ? q->ramdisk : l->ramdisk) < 0)
			return text_frame(wfd, NW_FAIL, "location too long"), -1;
		g = fetch_one(q, wfd, NW_RAMDISK, url, end);
		if (g == GOT_MISSING)
			text_frame(wfd, NW_FAIL, "%s: not found (404), though its kernel is there",
				   url);
		return g == GOT_OK ? 0 : -1;
	}
	text_frame(wfd, NW_FAIL, "%s: no known install-tree layout (tried %zu, e.g. %s); name the files with --kernel and --ramdisk",
		   q->location, n_netlayouts, netlayouts[0].kernel);
	return -1;
}

int netfetch_run(const struct netfetch_req *q, int wfd)
{
	struct timespec end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += q->seconds;
	if (curl_dl_load(&C) < 0) {
		text_frame(wfd, NW_FAIL, "%s", pv_errmsg());
		return -1;
	}
	if (C.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		text_frame(wfd, NW_FAIL, "cannot initialise libcurl");
		return -1;
	}
	r = q->kernel ? fetch_named(q, wfd, &end) : fetch_layout(q, wfd, &end);
	if (r == 0 && frame(wfd, NW_DONE, NULL, 0, NULL, 0) < 0)
		r = -1;
	C.global_cleanup();
	return r;
}
