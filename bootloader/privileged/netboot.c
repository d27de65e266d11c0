/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's half of network boot (netboot.h).  The only guest- or
 * network-controlled input it takes is the worker's frame stream
 * (bootloader/wire/netwire.h): every frame's type, order and length is
 * checked, file bytes go straight into files this process created, and
 * the worker's text is sanitised before it is printed.
 */
#include "bootloader/privileged/netboot.h"
#include "common/hex.h"
#include "bootloader/confined/netfetch.h"
#include "bootloader/privileged/sandbox_net.h"
#include "bootloader/wire/netwire.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"
#include "menu/netlayout.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) ||
	       !strncmp(s, "ftp://", 6);
}

/* file:///path with %XX escapes into a plain path (a static buffer: one
 * location per run). */
static const char *file_url_path(const char *u)
{
	static char path[PATH_MAX];
	const char *p = u + 7; /* "file://" */
	size_t n = 0;

	if (!strncmp(p, "localhost/", 10))
		p += 9;
	if (*p != '/')
		return NULL;
	for (; *p; p++) {
		char c = *p;

		if (c == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
			c = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
			p += 2;
		}
		if (c == '\0' || n + 1 >= sizeof(path))
			return NULL;
		path[n++] = c;
	}
	path[n] = '\0';
	return path;
}

int netboot_classify(struct options *o, enum netboot_kind *kind)
{
	const char *loc = o->location;
	struct stat st;

	if (strlen(loc) > PV_NET_MAX_URL)
		return pv_err(PV_EINVAL, "location longer than %d bytes",
			      PV_NET_MAX_URL);
	if (is_url(loc)) {
		*kind = NETBOOT_URL;
		return 0;
	}
	if (!strncmp(loc, "file://", 7)) {
		loc = file_url_path(loc);
		if (!loc)
			return pv_err(PV_EINVAL, "not a usable file:// URL");
	} else if (strstr(loc, "://")) {
		return pv_err(PV_EINVAL,
			      "unsupported scheme (http, https, ftp, file, a directory or an ISO image)");
	}
	if (stat(loc, &st) < 0)
		return pv_err(PV_EINVAL, "location %s", strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		o->location = loc;
		*kind = NETBOOT_DIR;
		return 0;
	}
	o->image = loc;
	o->netboot_layouts = 1;
	*kind = NETBOOT_IMAGE;
	return 0;
}

/* --- the network worker and its stream --- */

struct stream {
	int fd;                /* the worker's pipe */
	struct extract *x;
	const struct options *o;
	int created[2];        /* the kernel and ramdisk files exist */
	char *path[2];         /* where they are (kpath, rpath) */
	size_t pathsz[2];
	uint64_t size[2];
	int done[2];
	int cur;               /* candidate being received, or -1 */
	char url[2][NW_MAX_TEXT + 1];
	char layout[NW_MAX_TEXT + 1];
	int64_t deadline_ms;
	int progress;          /* stderr is a terminal and not -q */
	uint64_t shown;
};

static const char *prefix(int w)
{
	return w == NW_KERNEL ? "boot_kernel" : "boot_ramdisk";
}

/* Size and name the files that came whole (extract.h). */
static int finish(struct stream *s)
{
	int w, r;

	for (w = 0; w < 2; w++) {
		struct seg sg;
		struct blob b;

		if (!s->created[w] || !s->done[w])
			continue;
		/* one segment of bytes that already came (as a stream) */
		memset(&sg, 0, sizeof(sg));
		sg.kind = SEG_BYTES;
		sg.len = s->size[w];
		blob_init(&b);
		b.segs = &sg;
		b.n = 1;
		b.total = s->size[w];
		r = extract_finish(s->x, w, prefix(w), &b, s->path[w],
				   s->pathsz[w]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly n bytes before the deadline: 0, or -1 on EOF/timeout
 * (errno ETIMEDOUT for the latter). */
static int read_n(struct stream *s, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		struct pollfd pfd = { s->fd, POLLIN, 0 };
		int64_t left = s->deadline_ms - now_ms();
		ssize_t r;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		r = read(s->fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			errno = EPIPE;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void clean_text(char *dst, size_t dsz, const uint8_t *src, size_t n)
{
	pv_sanitize(dst, dsz, (const char *)src, n);
}

static int lied(const char *what)
{
	return pv_err(PV_ESANDBOX, "network worker sent a bad stream (%s)",
		      what);
}

static void show_progress(struct stream *s, int final)
{
	if (!s->progress || s->cur < 0)
		return;
	if (!final && s->size[s->cur] < s->shown + (4u << 20))
		return;
	s->shown = s->size[s->cur];
	fprintf(stderr, "\rpvboot: %s: %llu KiB%s",
		s->cur == NW_KERNEL ? "kernel" : "ramdisk",
		(unsigned long long)(s->size[s->cur] >> 10), final ? "\n" : "");
	fflush(stderr);
}

static int on_begin(struct stream *s, const uint8_t *p, uint32_t len)
{
	int w;

	if (len < 1 || s->cur >= 0)
		return lied("begin");
	w = p[0];
	if (w != NW_KERNEL && w != NW_RAMDISK)
		return lied("begin: which");
	if (s->done[w] || (w == NW_RAMDISK && !s->done[NW_KERNEL]))
		return lied("begin: order");
	clean_text(s->url[w], sizeof(s->url[w]), p + 1, len - 1);
	s->cur = w;
	s->size[w] = 0;
	s->shown = 0;
	if (s->o->not_really)
		return 0;
	/* a new candidate overwrites the last one's bytes from 0; finish()
	 * cuts the file to the size that came */
	if (!s->created[w]) {
		int r = extract_create(s->x, w, prefix(w));

		if (r < 0)
			return r;
		s->created[w] = 1;
	}
	return 0;
}

static int on_data(struct stream *s, const uint8_t *p, uint32_t len)
{
	int w = s->cur;

	if (w < 0 || s->o->not_really)
		return lied("data outside a file");
	if (s->size[w] + len > s->o->max_file)
		return pv_err(PV_ELIMIT,
			      "%s: larger than the %llu MiB cap (PYGRUB_MAX_FILE_SIZE_MB)",
			      s->url[w],
			      (unsigned long long)(s->o->max_file >> 20));
	if (extract_write(s->x, w, s->size[w], p, len) < 0)
		return PV_EIO;
	s->size[w] += len;
	show_progress(s, 0);
	return 0;
}

static int on_end(struct stream *s, const uint8_t *p, uint32_t len)
{
	int w = s->cur;

	if (w < 0 || len < 1 || p[0] > 1)
		return lied("end");
	if (p[0] == 1) {
		if (!s->o->not_really && s->size[w] == 0)
			return pv_err(PV_EINVAL, "%s: empty file", s->url[w]);
		show_progress(s, 1);
		s->done[w] = 1;
		if (s->o->not_really)
			snprintf(s->path[w], s->pathsz[w], "%s", s->url[w]);
	} else {
		pv_debug("%s: not there", s->url[w]);
	}
	s->cur = -1;
	return 0;
}

/* Read frames until NW_DONE (0) or a failure (negative, pv_err set). */
static int read_stream(struct stream *s)
{
	static uint8_t buf[NW_MAX_CHUNK];

	for (;;) {
		uint8_t hdr[NW_HDR_SIZE];
		uint32_t len;
		int r = 0;

		if (read_n(s, hdr, sizeof(hdr)) < 0)
			goto cut;
		len = (uint32_t)hdr[1] | (uint32_t)hdr[2] << 8 |
		      (uint32_t)hdr[3] << 16 | (uint32_t)hdr[4] << 24;
		if (len > (hdr[0] == NW_DATA ? NW_MAX_CHUNK : NW_MAX_TEXT + 1))
			return lied("frame too long");
		if (len && read_n(s, buf, len) < 0)
			goto cut;
		switch (hdr[0]) {
		case NW_BEGIN: r = on_begin(s, buf, len); break;
		case NW_DATA: r = on_data(s, buf, len); break;
		case NW_END: r = on_end(s, buf, len); break;
		case NW_LAYOUT:
			if (s->cur >= 0)
				return lied("layout");
			clean_text(s->layout, sizeof(s->layout), buf, len);
			break;
		case NW_FAIL: {
			char why[NW_MAX_TEXT + 1];

			if (len < 1 || buf[0] > NW_WHY_LIMIT)
				return lied("fail");
			clean_text(why, sizeof(why), buf + 1, len - 1);
			return pv_err(buf[0] == NW_WHY_LIMIT ? PV_ELIMIT : PV_ENOENT,
				      "%s", why);
		}
		case NW_SANDBOX: {
			char why[NW_MAX_TEXT + 1];

			clean_text(why, sizeof(why), buf, len);
			return pv_err(PV_ESANDBOX, "network worker: %s", why);
		}
		case NW_DONE:
			if (len || s->cur >= 0 || !s->done[NW_KERNEL])
				return lied("done");
			return 0;
		default:
			return lied("type");
		}
		if (r < 0)
			return r;
	}
cut:
	if (errno == ETIMEDOUT)
		return pv_err(PV_ENOENT, "%s: the fetch took longer than %d s",
			      s->o->location, PV_NET_TOTAL_SECONDS);
	return pv_err(PV_ESANDBOX, "network worker ended without an answer");
}

static unsigned int net_seconds(void)
{
	const char *e = getenv("PVBOOT_NET_TIMEOUT");
	unsigned long v;
	char *end;

	if (!e || !*e)
		return PV_NET_TOTAL_SECONDS;
	v = strtoul(e, &end, 10);
	/* tests may only shorten it */
	if (*end || v == 0 || v > PV_NET_TOTAL_SECONDS)
		return PV_NET_TOTAL_SECONDS;
	return (unsigned int)v;
}

/* The --cacert bundle, read while privileged: the worker cannot open it
 * if only root may read it. */
static int read_ca(const char *path, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size <= 0 || st.st_size > PV_NET_MAX_CA_BYTES) {
		if (fd >= 0)
			close(fd);
		return pv_err(PV_EINVAL, "--cacert %s: not a readable CA file of at most %u bytes",
			      path, PV_NET_MAX_CA_BYTES);
	}
	*buf = malloc((size_t)st.st_size);
	n = *buf ? read(fd, *buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(*buf);
		*buf = NULL;
		return pv_err(PV_EIO, "--cacert %s: cannot read it", path);
	}
	*len = (size_t)n;
	return 0;
}

static void worker_identity(const struct options *o,
			    struct sandbox_net_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_ram = (uint64_t)PV_NET_MAX_RAM_MB << 20;
#if defined(__SANITIZE_ADDRESS__)
	cfg->max_ram = 0; /* ASan's shadow needs terabytes of address space */
#endif
	if (geteuid() != 0)
		return;
	cfg->drop_uid = 1;
	if (o->have_runas) {
		cfg->uid = o->runas_uid;
		cfg->gid = o->runas_gid;
	} else {
		struct passwd *pw = getpwnam("nobody");

		cfg->uid = pw ? pw->pw_uid : 65534;
		cfg->gid = pw ? pw->pw_gid : 65534;
	}
}

static void __attribute__((noreturn))
net_worker(const struct options *o, const char *ca, size_t ca_len, int wfd,
	   int devnull, pid_t parent)
{
	struct sandbox_net_cfg cfg;
	struct netfetch_req q = {
		.location = o->location, .kernel = o->kernel,
		.ramdisk = o->ramdisk, .probe_only = o->not_really,
		.insecure = o->insecure, .ca = ca, .ca_len = ca_len,
		.max_file = o->max_file, .seconds = net_seconds(),
	};

	worker_identity(o, &cfg);
	if (!o->no_sandbox) {
		if (sandbox_confine_net(&cfg, wfd, devnull, parent) < 0) {
			/* tell the supervisor which layer failed */
			netfetch_report(SANDBOX_NET_RESULT_FD, NW_SANDBOX,
					pv_errmsg());
			_exit(5);
		}
		wfd = SANDBOX_NET_RESULT_FD;
	}
	_exit(netfetch_run(&q, wfd) == 0 ? 0 : 2);
}

static int fetch_url(const struct options *o, struct stream *s)
{
	char *ca = NULL;
	size_t ca_len = 0;
	int pfd[2], devnull, r, st;
	pid_t pid, parent = getpid();

	if (o->cacert && read_ca(o->cacert, &ca, &ca_len) < 0)
		return EXIT_USAGE;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(pfd, O_CLOEXEC) < 0) {
		free(ca);
		return pv_err(PV_EIO, "pipe: %s", strerror(errno)), EXIT_SANDBOX;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(ca);
		return pv_err(PV_EIO, "fork: %s", strerror(errno)), EXIT_SANDBOX;
	}
	if (pid == 0) {
		close(pfd[0]);
		net_worker(o, ca, ca_len, pfd[1], devnull, parent);
	}
	close(pfd[1]);
	close(devnull);
	free(ca);
	s->fd = pfd[0];
	s->deadline_ms = now_ms() + (int64_t)net_seconds() * 1000 + 5000;
	r = read_stream(s);
	close(pfd[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return r == 0 ? EXIT_OK
	       : r == PV_ESANDBOX ? EXIT_SANDBOX
	       : r == PV_ELIMIT || r == PV_EINVAL ? EXIT_BADIMAGE
	       : r == PV_EIO ? EXIT_OUTPUT : EXIT_NOBOOT;
}

/* --- a local install tree --- */

static int open_beneath(int dirfd, const char *rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (rel[0] == '/') /* an absolute --kernel: the operator's own path */
		return open(rel, how.flags);
	fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(dirfd, rel, (int)how.flags | O_NOFOLLOW);
	return fd;
}

/* len bytes of the operator's file fd into output file w. */
static int copy_in(struct stream *s, int fd, int w, uint64_t len)
{
	static uint8_t buf[1u << 20];
	uint64_t off = 0;

	while (off < len) {
		size_t want = len - off > sizeof(buf) ? sizeof(buf)
						      : (size_t)(len - off);
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return pv_err(PV_EIO, "reading the location: %s",
				      n ? strerror(errno) : "file shrank");
		if (extract_write(s->x, w, off, buf, (size_t)n) < 0)
			return PV_EIO;
		off += (uint64_t)n;
	}
	return 0;
}

/* Copy dir/rel into a new output file (or, with -n, just check it). */
static int copy_local(struct stream *s, int dirfd, int w, const char *rel)
{
	struct stat st;
	int fd, r;

	fd = open_beneath(dirfd, rel);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		return pv_err(PV_ENOENT, "%s: %s", rel,
			      errno == EXDEV ? "leads outside the location"
					     : strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err(PV_ENOENT, "%s: not a regular file", rel);
	}
	if ((uint64_t)st.st_size > s->o->max_file || st.st_size == 0) {
		close(fd);
		return pv_err(PV_ELIMIT, "%s: %s", rel,
			      st.st_size ? "larger than the cap (PYGRUB_MAX_FILE_SIZE_MB)"
					 : "empty file");
	}
	if (s->o->not_really) {
		close(fd);
		snprintf(s->path[w], s->pathsz[w], "%s%s%s",
			 rel[0] == '/' ? "" : s->o->location,
			 rel[0] == '/' ? "" : "/", rel);
		s->done[w] = 1;
		return 0;
	}
	r = extract_create(s->x, w, prefix(w));
	if (r == 0) {
		s->created[w] = 1;
		r = copy_in(s, fd, w, (uint64_t)st.st_size);
	}
	close(fd);
	if (r == 0) {
		s->done[w] = 1;
		s->size[w] = (uint64_t)st.st_size;
	}
	return r;
}

static int copy_dir(const struct options *o, struct stream *s)
{
	size_t i = 0;
	int dirfd, r = 1;

	dirfd = open(o->location, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return pv_err(PV_EINVAL, "%s", strerror(errno)), EXIT_USAGE;
	if (o->kernel) {
		r = copy_local(s, dirfd, NW_KERNEL, o->kernel);
		if (r > 0)
			r = pv_err(PV_ENOENT, "%s: not found", o->kernel);
	} else {
		for (i = 0; i < n_netlayouts && r > 0; i++) {
			r = copy_local(s, dirfd, NW_KERNEL, netlayouts[i].kernel);
			if (r == 0)
				snprintf(s->layout, sizeof(s->layout), "%s",
					 netlayouts[i].name);
		}
		if (r > 0)
			r = pv_err(PV_ENOENT,
				   "no known install-tree layout (tried %zu, e.g. %s); name the files with --kernel and --ramdisk",
				   n_netlayouts, netlayouts[0].kernel);
	}
	if (r == 0 && (o->ramdisk || !o->kernel)) {
		const char *rd = o->ramdisk ? o->ramdisk : netlayouts[i - 1].ramdisk;

		r = copy_local(s, dirfd, NW_RAMDISK, rd);
		if (r > 0)
			r = pv_err(PV_ENOENT, "%s: not found", rd);
	}
	close(dirfd);
	if (r == 0)
		return EXIT_OK;
	return r == PV_ELIMIT ? EXIT_BADIMAGE
			      : r == PV_EIO ? EXIT_OUTPUT : EXIT_NOBOOT;
}

int netboot_run(const struct options *o, enum netboot_kind kind,
		struct extract *x, char *kpath, size_t ksz, char *rpath,
		size_t rsz, int *have_ramdisk)
{
	struct stream s;
	int status;

	memset(&s, 0, sizeof(s));
	s.x = x;
	s.o = o;
	s.path[0] = kpath;
	s.path[1] = rpath;
	s.pathsz[0] = ksz;
	s.pathsz[1] = rsz;
	s.cur = -1;
	s.progress = !o->not_really && o->interactive && isatty(2);
	status = kind == NETBOOT_URL ? fetch_url(o, &s) : copy_dir(o, &s);
	if (s.cur >= 0 && s.progress)
		fputc('\n', stderr);
	if (status == EXIT_OK && !o->not_really && finish(&s) < 0)
		status = EXIT_OUTPUT;
	if (status == EXIT_OK && s.layout[0])
		pv_debug("install tree layout: %s", s.layout);
	if (status == EXIT_OK && s.layout[0] && o->interactive)
		fprintf(stderr, "pvboot: %s: %s layout\n", o->location,
			s.layout);
	*have_ramdisk = s.done[NW_RAMDISK];
	return status;
}
