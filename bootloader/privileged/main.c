/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pvboot: the supervisor.  It parses argv, opens everything the run needs
 * (disk, output file, output directory) while privileged, lets a sandboxed
 * worker parse the guest's disk, validates the worker's answer, copies the
 * kernel and ramdisk itself, and writes the output line libxl reads.
 */
#include "bootloader/privileged/backing.h"
#include "bootloader/privileged/cleanup.h"
#include "bootloader/privileged/cmdline.h"
#include "bootloader/privileged/extract.h"
#include "bootloader/privileged/netboot.h"
#include "bootloader/privileged/nobody.h"
#include "bootloader/privileged/envwrite.h"
#include "bootloader/privileged/output.h"
#include "bootloader/privileged/jsonout.h"
#include "bootloader/privileged/outfile.h"
#include "bootloader/privileged/output.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/text_ok.h"
#include "bootloader/confined/run.h"
#include "bootloader/privileged/supervisor.h"
#include "bootloader/privileged/toolstack.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"
#include "menu/tui.h"
#include "menu/tui_keys.h"
#include "partition/disk.h"

#include <errno.h>
#include <fcntl.h>
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
	if (w->d->chain && w->d->chain->want[0]) {
		/* --allow-backing: the image names a backing file the chain
		 * does not hold yet; the supervisor opens it and runs us
		 * again (partition/vdisk.h) */
		const char *want = w->d->chain->want;

		result_free(r);
		pv_log_capture(0);
		if (!wire_text_ok(want, 0)) { /* bad guest data: exit 3 */
			r->status = EXIT_BADIMAGE;
			return pv_err(PV_ECORRUPT,
				      "disk image: the backing file name contains a control character or invalid UTF-8");
		}
		r->backing = strdup(want);
		return r->backing ? 0 : PV_ENOMEM;
	}
	r->status = status;
	if (w->o->not_really) { /* -n copies nothing: no bytes to send */
		blob_free(&r->kernel);
		blob_free(&r->ramdisk);
	}
	r->log = pv_log_take();
	pv_log_capture(0);
	/* a failed run still answers: status and the one-line error */
	return status ? PV_EINVAL : 0;
}

/* The extraction as the supervisor's sink: the files exist (unnamed)
 * before the worker's first byte arrives. */
struct sink_ctx {
	struct extract *x;
	int failed; /* the output directory failed us: exit 4 */
};

static int sink_begin(void *ctx, const struct boot_result *r)
{
	struct sink_ctx *s = ctx;
	int rc = extract_create(s->x, 0, "boot_kernel");

	if (rc == 0 && r->have_ramdisk)
		rc = extract_create(s->x, 1, "boot_ramdisk");
	s->failed = rc < 0;
	return rc;
}

static int sink_write(void *ctx, int file, uint64_t off, const uint8_t *p,
		      size_t n)
{
	struct sink_ctx *s = ctx;
	int rc = extract_write(s->x, file, off, p, n);

	s->failed = rc < 0;
	return rc;
}

static void sandbox_setup(const struct options *o, struct disk *d,
			  struct sandbox_cfg *cfg)
{
	int i;

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
	for (i = 1; d->chain && i <= d->chain->n; i++)
		cfg->keep_fds[cfg->nkeep++] = d->chain->fd[i];
	if (geteuid() == 0) {
		cfg->drop_uid = 1;
		if (o->have_runas) {
			cfg->uid = o->runas_uid;
			cfg->gid = o->runas_gid;
		} else {
			/* resolved here: the worker cannot read /etc/passwd */
			nobody_ids(&cfg->uid, &cfg->gid);
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
		      struct extract *x, struct outfile *of)
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
		r = outfile_commit(of, out, outlen);
	free(out);
	if (r < 0)
		return die(r == PV_EINVAL ? EXIT_BADIMAGE : EXIT_OUTPUT);
	cleanup_forget_all(); /* the files are the answer now */
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
	struct outfile of;
	struct sink_ctx sc;
	struct answer_sink sink;
	struct work w;
	/* static, not on the stack: with -fstack-clash-protection (Debian's
	 * build flags) every page of main's frame is probed at entry, a
	 * page fault each (issue 12) */
	static struct backing bk;
	struct vdisk_chain chain;
	static char kpath[PATH_MAX + 64], rpath[PATH_MAX + 64];
	char *out = NULL;
	size_t outlen;
	int r, status, interactive, extracting;
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
	/* pygrub shows its menu unless -q, --entry, -l, or --kernel; pvboot
	 * also not for -n (nothing boots), --runas (libxl's restricted
	 * mode, where nobody is expected at the console) or --location */
	interactive = o.interactive && !o.list_entries && !o.isconfig &&
		      !o.kernel && !o.not_really && !o.have_runas &&
		      !o.location;
	if (interactive && !tui_usable(&why)) {
		pv_debug("no interactive menu (%s): booting the default entry",
			 why);
		interactive = 0;
	}

	memset(&d, 0, sizeof(d));
	d.fd = -1;
	if (!net && disk_open(&d, o.image) < 0)
		return die(EXIT_USAGE);
	bk.rootfd = -1;
	memset(&chain, 0, sizeof(chain));
	if (!net && backing_init(&bk, &chain, o.allow_backing, o.image,
				 d.fd) < 0) {
		backing_close(&bk, &chain);
		disk_close(&d);
		return die(EXIT_USAGE);
	}
	d.chain = &chain;
	if (outfile_check(&of, o.list_entries || o.isconfig ? NULL
							     : o.output) < 0) {
		outfile_close(&of);
		disk_close(&d);
		backing_close(&bk, &chain);
		return die(EXIT_OUTPUT);
	}
	memset(&x, 0, sizeof(x));
	x.dirfd = -1;
	x.fd[0] = x.fd[1] = -1;
	extracting = !o.list_entries && !o.isconfig && !o.not_really;
	if (extracting &&
	    extract_open(&x, o.output_dir,
			 strcmp(o.output_dir, DEFAULT_OUTPUT_DIR) == 0, d.fd) < 0) {
		outfile_close(&of);
		extract_close(&x);
		disk_close(&d);
		backing_close(&bk, &chain);
		return die(EXIT_OUTPUT);
	}
	x.chain = &chain;
	sc.x = &x;
	sc.failed = 0;
	sink.begin = sink_begin;
	sink.write = sink_write;
	sink.ctx = &sc;
	supervise_set_sink(extracting ? &sink : NULL);

	result_init(&res);
	if (net) {
		status = net_answer(&o, nkind, &x, &of);
		goto done;
	}
	validate_allow_text_with_boot(o.json);
	w.o = &o;
	w.d = &d;
	w.ask = interactive ? supervise_ask : NULL;
	if (interactive)
		pv_debug("menu: boots the default after %d s without a key",
			 tui_set_wait_cap(o.menu_wait_cap));
	validate_allow_backing(o.allow_backing);
	/* --allow-backing: each round opens one more level of the chain the
	 * worker asked for (backing.h); at most PV_MAX_BACKING_DEPTH + 1 */
	for (;;) {
		validate_set_backing(chain.size, chain.n);
		sandbox_setup(&o, &d, &cfg);
		r = supervise_menu(&cfg, worker, &w, d.size, o.max_file,
				   interactive ? tui_choose : NULL, &res);
		if (r < 0 || !res.backing)
			break;
		/* --no-sandbox: what this round opened in-process */
		vdisk_chain_close(&chain);
		chain.want[0] = '\0';
		r = backing_open_next(&bk, &chain, res.backing);
		result_free(&res);
		if (r < 0) {
			pv_err_ctx("disk image");
			status = die(EXIT_BADIMAGE);
			goto done;
		}
	}
	if (r < 0 && sc.failed) { /* the output directory failed */
		status = die(EXIT_OUTPUT);
		goto done;
	}
	if (r < 0 && res.status) { /* the run failed: its own reason */
		pv_err(PV_EINVAL, "%s", res.error ? res.error : "failed");
		/* supervise() checked it; the exit status is ours to pick */
		status = die(answer_status_ok(res.status) ? res.status
							  : EXIT_SANDBOX);
		goto done;
	}
	if (r < 0) { /* the worker crashed, hung, lied; or setup failed */
		status = die(r == PV_ESANDBOX ? EXIT_SANDBOX
				 : r == PV_ELIMIT ? EXIT_BADIMAGE : EXIT_SANDBOX);
		goto done;
	}
	if (!res.text && !res.kernel_path) { /* validated; never NULL here */
		pv_err(PV_ESANDBOX, "worker sent an invalid answer: no kernel path");
		status = die(EXIT_SANDBOX);
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
		r = extract_finish(&x, 0, "boot_kernel", &res.kernel, kpath,
				   sizeof(kpath));
		if (r == 0 && res.have_ramdisk)
			r = extract_finish(&x, 1, "boot_ramdisk", &res.ramdisk,
					   rpath, sizeof(rpath));
		if (r == 0)
			r = answer_format(&o, &res, kpath,
					  res.have_ramdisk ? rpath : NULL,
					  res.args, &out, &outlen);
	}
	if (r == 0)
		r = outfile_commit(&of, out, outlen);
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
	cleanup_forget_all(); /* the files are the answer now */
done:
	if (status != EXIT_OK)
		extract_rollback(&x);
	free(out);
	outfile_close(&of);
	extract_close(&x);
	result_free(&res);
	disk_close(&d);
	backing_close(&bk, &chain);
	debug_rusage();
	return status;
}
