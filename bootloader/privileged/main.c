/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pvboot: the supervisor.  It parses argv, opens everything the run needs
 * (disk, output file, output directory) while privileged, lets a sandboxed
 * worker parse the guest's disk, validates the worker's answer, copies the
 * kernel and ramdisk itself, and writes the output line libxl reads.
 */
#include "bootloader/privileged/cmdline.h"
#include "bootloader/privileged/extract.h"
#include "bootloader/privileged/netboot.h"
#include "bootloader/privileged/envwrite.h"
#include "bootloader/privileged/output.h"
#include "bootloader/privileged/jsonout.h"
#include "bootloader/confined/run.h"
#include "bootloader/privileged/supervisor.h"
#include "bootloader/privileged/toolstack.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"
#include "menu/tui.h"
#include "partition/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_OUTPUT_DIR "/var/run/xen/pygrub"

static const char *image_name = "pvboot";

/* One sanitised line: "pvboot: IMAGE: message". */
static int die(int status)
{
	char clean[2048];
	const char *m = pv_errmsg();

	pv_sanitize(clean, sizeof(clean), m, strlen(m));
	toolstack_fail(image_name, clean[0] ? clean : "failed");
	return status;
}

/* Print the worker's captured warnings (already sanitised there; again
 * here, since the worker is not trusted). */
static void print_log(const char *log)
{
	char line[1024], clean[2048];
	const char *p = log, *nl;

	while (p && *p) {
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		pv_sanitize(clean, sizeof(clean), line, n);
		fprintf(stderr, "pvboot: %s\n", clean);
		p = nl ? nl + 1 : NULL;
	}
}

struct work {
	const struct options *o;
	struct disk *d;
	run_ask_fn ask; /* interactive: supervise_ask; else NULL */
};

/* Runs in the worker, after confinement. */
static int worker(void *ctx, struct boot_result *r)
{
	struct work *w = ctx;
	int status;

	pv_log_capture(1);
	status = run_boot_ask(w->o, w->d, w->ask, r);
	r->status = status;
	r->log = pv_log_take();
	pv_log_capture(0);
	/* a failed run still answers: status and the one-line error */
	return status ? PV_EINVAL : 0;
}

/* --output: opened before the worker runs, written only at the very end.
 * O_NOFOLLOW and a regular-file check (security.md E5); O_NONBLOCK so a
 * FIFO planted there cannot block the open. */
static int open_output(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		  0600);
	if (fd < 0)
		return pv_err(PV_EIO, "cannot open output %s: %s", path,
			      strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err(PV_EIO, "output %s is not a regular file", path);
	}
	fcntl(fd, F_SETFL, 0);
	return fd;
}

static int write_output(int fd, const char *buf, size_t len)
{
	ssize_t n;

	if (fd != STDOUT_FILENO && ftruncate(fd, 0) < 0)
		return pv_err(PV_EIO, "output: %s", strerror(errno));
	/* one write: libxl reads the file after we exit */
	n = write(fd, buf, len);
	if (n < 0 || (size_t)n != len)
		return pv_err(PV_EIO, "output: short write");
	return 0;
}

static void sandbox_setup(const struct options *o, struct disk *d,
			  struct sandbox_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->enabled = !o->no_sandbox;
	cfg->debug = o->debug;
	cfg->max_ram = o->max_ram;
#if defined(__SANITIZE_ADDRESS__)
	/* ASan reserves terabytes of address space for its shadow: an
	 * RLIMIT_AS would stop it at start-up (sanitizer builds only). */
	cfg->max_ram = 0;
#endif
	cfg->keep_fds[cfg->nkeep++] = d->fd;
	if (geteuid() == 0) {
		cfg->drop_uid = 1;
		if (o->have_runas) {
			cfg->uid = o->runas_uid;
			cfg->gid = o->runas_gid;
		} else {
			/* resolved here: the worker cannot read /etc/passwd */
			struct passwd *pw = getpwnam("nobody");

			cfg->uid = pw ? pw->pw_uid : 65534;
			cfg->gid = pw ? pw->pw_gid : 65534;
		}
		pv_debug("worker runs as uid %u gid %u", (unsigned)cfg->uid,
			 (unsigned)cfg->gid);
	} else {
		pv_debug("not root: the worker keeps uid %u (no uid drop)",
			 (unsigned)geteuid());
	}
}

/* --location with a URL or a directory: fetch or copy, then answer. */
static int net_answer(const struct options *o, enum netboot_kind kind,
		      struct extract *x, int outfd)
{
	char kpath[PATH_MAX + PV_NET_MAX_URL], rpath[PATH_MAX + PV_NET_MAX_URL];
	char *out = NULL;
	size_t outlen;
	int have_rd = 0, status, r;

	status = netboot_run(o, kind, x, kpath, sizeof(kpath), rpath,
			     sizeof(rpath), &have_rd);
	if (status != EXIT_OK)
		return die(status);
	r = output_format(o->format, kpath, have_rd ? rpath : NULL, o->args,
			  &out, &outlen);
	if (r == 0)
		r = write_output(outfd, out, outlen);
	free(out);
	if (r < 0)
		return die(r == PV_EINVAL ? EXIT_BADIMAGE : EXIT_OUTPUT);
	return EXIT_OK;
}

/* --debug: peak memory of this process and of the worker (tests/bench.sh
 * reports both). */
static void debug_rusage(void)
{
	struct rusage self, kids;

	if (!pv_debug_enabled || getrusage(RUSAGE_SELF, &self) < 0 ||
	    getrusage(RUSAGE_CHILDREN, &kids) < 0)
		return;
	pv_debug("peak RSS: supervisor=%ld KiB worker=%ld KiB", self.ru_maxrss,
		 kids.ru_maxrss);
}

int main(int argc, char **argv)
{
	struct options o;
	struct disk d;
	struct boot_result res;
	struct sandbox_cfg cfg;
	struct extract x;
	struct work w;
	char kpath[PATH_MAX + 64], rpath[PATH_MAX + 64];
	char *out = NULL;
	size_t outlen;
	int outfd = STDOUT_FILENO, r, status, interactive;
	const char *why;
	enum netboot_kind nkind = NETBOOT_IMAGE;
	int net;

	signal(SIGXFSZ, SIG_IGN); /* EFBIG is an error, not a death */
	signal(SIGPIPE, SIG_IGN);
	if (toolstack_argv(&argc, &argv) < 0) { /* a domain config's error */
		char clean[2048];

		pv_sanitize(clean, sizeof(clean), pv_errmsg(), strlen(pv_errmsg()));
		toolstack_fail(NULL, clean);
		return EXIT_USAGE;
	}
	r = cmdline_parse(argc, argv, &o);
	if (r == 1) {
		cmdline_usage(argv[0]);
		toolstack_usage();
		return EXIT_OK;
	}
	if (r == 0)
		r = toolstack_apply(&o);
	if (r < 0) { /* one line, like every other failure */
		char msg[2048], clean[2048];

		snprintf(msg, sizeof(msg), "%s (see --help)", pv_errmsg());
		pv_sanitize(clean, sizeof(clean), msg, strlen(msg));
		toolstack_fail(NULL, clean);
		return EXIT_USAGE;
	}
	pv_debug_enabled = o.debug;
	image_name = o.image;
	if (o.location && netboot_classify(&o, &nkind) < 0)
		return die(EXIT_USAGE);
	/* a URL or a directory: nothing to open as a disk */
	net = o.location && nkind != NETBOOT_IMAGE;
	/* pygrub shows its menu unless -q, --entry, -l, or --kernel */
	interactive = o.interactive && !o.list_entries && !o.isconfig &&
		      !o.kernel && !o.location;
	if (interactive && !tui_usable(&why)) {
		pv_debug("no interactive menu (%s): booting the default entry",
			 why);
		interactive = 0;
	}

	memset(&d, 0, sizeof(d));
	d.fd = -1;
	if (!net && disk_open(&d, o.image) < 0)
		return die(EXIT_USAGE);
	if (!o.list_entries && !o.isconfig && o.output) {
		outfd = open_output(o.output);
		if (outfd < 0)
			return die(EXIT_OUTPUT);
	}
	memset(&x, 0, sizeof(x));
	x.dirfd = -1;
	if (!o.list_entries && !o.isconfig && !o.not_really &&
	    extract_open(&x, o.output_dir,
			 strcmp(o.output_dir, DEFAULT_OUTPUT_DIR) == 0, d.fd) < 0)
		return die(EXIT_OUTPUT);

	if (net) {
		status = net_answer(&o, nkind, &x, outfd);
		goto done;
	}
	sandbox_setup(&o, &d, &cfg);
	w.o = &o;
	w.d = &d;
	w.ask = interactive ? supervise_ask : NULL;
	result_init(&res);
	r = supervise_menu(&cfg, worker, &w, d.size, o.max_file,
			   interactive ? tui_choose : NULL, &res);
	if (r < 0 && res.status) { /* the run failed: its own reason */
		pv_err(PV_EINVAL, "%s", res.error ? res.error : "failed");
		status = die(res.status);
		goto done;
	}
	if (r < 0) { /* the worker crashed, hung, lied; or setup failed */
		status = die(r == PV_ESANDBOX ? EXIT_SANDBOX
				 : r == PV_ELIMIT ? EXIT_BADIMAGE : EXIT_SANDBOX);
		goto done;
	}
	print_log(res.log); /* warnings of a run that succeeded */
	if (res.text && !o.json) { /* --list-entries, --isconfig, --diagnose */
		fputs(res.text, stdout);
		status = toolstack_text_status(&o, res.text);
		goto done;
	}
	if (o.not_really || o.list_entries) { /* -l: --json */
		r = answer_format(&o, &res, res.kernel_path,
				  res.have_ramdisk ? res.ramdisk_path : NULL,
				  res.args, &out, &outlen);
	} else {
		r = extract_blob(&x, "boot_kernel", &res.kernel, kpath,
				 sizeof(kpath));
		if (r == 0 && res.have_ramdisk)
			r = extract_blob(&x, "boot_ramdisk", &res.ramdisk,
					 rpath, sizeof(rpath));
		if (r == 0)
			r = answer_format(&o, &res, kpath,
					  res.have_ramdisk ? rpath : NULL,
					  res.args, &out, &outlen);
	}
	if (r == 0)
		r = write_output(outfd, out, outlen);
	if (r < 0) {
		extract_rollback(&x);
		status = die(r == PV_EINVAL ? EXIT_BADIMAGE : EXIT_OUTPUT);
		goto done;
	}
	/* issue 15: GRUB's save_env writes, once the boot is decided and
	 * the files are out; the disk is opened for writing only now */
	if (res.env.n && !o.not_really) {
		int rw = envwrite_open(&o, &d);

		envwrite_apply(rw, d.size, &res);
		if (rw >= 0)
			close(rw);
	}
	status = EXIT_OK;
done:
	if (status != EXIT_OK)
		extract_rollback(&x);
	free(out);
	extract_close(&x);
	result_free(&res);
	disk_close(&d);
	debug_rusage();
	return status;
}
