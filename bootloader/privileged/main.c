/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pvboot: the supervisor.  It parses argv, opens everything the run needs
 * (disk, output file, output directory) while privileged, lets a sandboxed
 * worker parse the guest's disk, validates the worker's answer, copies the
 * kernel and ramdisk itself, and writes the output line libxl reads.
 */
#include "bootloader/privileged/cmdline.h"
#include "bootloader/privileged/extract.h"
#include "bootloader/privileged/output.h"
#include "bootloader/confined/run.h"
#include "bootloader/privileged/supervisor.h"
#include "common/err.h"
#include "common/sanitize.h"
#include "menu/tui.h"
#include "menu/tui_keys.h"
#include "partition/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	fprintf(stderr, "pvboot: %s: %s\n", image_name,
		clean[0] ? clean : "failed");
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

	signal(SIGXFSZ, SIG_IGN); /* EFBIG is an error, not a death */
	signal(SIGPIPE, SIG_IGN);
	r = cmdline_parse(argc, argv, &o);
	if (r == 1) {
		cmdline_usage(argv[0]);
		return EXIT_OK;
	}
	if (r < 0) { /* one line, like every other failure */
		fprintf(stderr, "pvboot: %s (see --help)\n", pv_errmsg());
		return EXIT_USAGE;
	}
	pv_debug_enabled = o.debug;
	image_name = o.image;
	/* pygrub shows its menu unless -q, --entry, -l, or --kernel; pvboot
	 * also not for -n (nothing boots) or --runas (libxl's restricted
	 * mode, where nobody is expected at the console) */
	interactive = o.interactive && !o.list_entries && !o.isconfig &&
		      !o.kernel && !o.not_really && !o.have_runas;
	if (interactive && !tui_usable(&why)) {
		pv_debug("no interactive menu (%s): booting the default entry",
			 why);
		interactive = 0;
	}

	if (disk_open(&d, o.image) < 0)
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

	sandbox_setup(&o, &d, &cfg);
	w.o = &o;
	w.d = &d;
	w.ask = interactive ? supervise_ask : NULL;
	if (interactive)
		pv_debug("menu: boots the default after %d s without a key",
			 tui_set_wait_cap(o.menu_wait_cap));
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
	if (res.text) { /* --list-entries, --isconfig */
		fputs(res.text, stdout);
		status = EXIT_OK;
		goto done;
	}
	if (o.not_really) {
		r = output_format(o.format, res.kernel_path,
				  res.have_ramdisk ? res.ramdisk_path : NULL,
				  res.args, &out, &outlen);
	} else {
		r = extract_blob(&x, "boot_kernel", &res.kernel, kpath,
				 sizeof(kpath));
		if (r == 0 && res.have_ramdisk)
			r = extract_blob(&x, "boot_ramdisk", &res.ramdisk,
					 rpath, sizeof(rpath));
		if (r == 0)
			r = output_format(o.format, kpath,
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
	status = EXIT_OK;
done:
	if (status != EXIT_OK)
		extract_rollback(&x);
	free(out);
	extract_close(&x);
	result_free(&res);
	disk_close(&d);
	return status;
}
