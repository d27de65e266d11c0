/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Spawn the worker, read its answer, reap it, check it (supervisor.h).
 *
 * The only inputs this root side takes from the worker:
 *  1. bytes on the result pipe: in an interactive run at most one menu
 *     message (wire_menu_decode, then shown escaped by the supervisor),
 *     then one answer (wire_decode: every count, length and field capped,
 *     then validate_result: the code and status, one error line, the
 *     warning log, the -l/--isconfig text, kernel and ramdisk paths, the
 *     args, and the kernel/ramdisk as disk ranges inside the disk or a
 *     backing file the caller opened, zero runs and inline bytes, within
 *     the file cap; or, with --allow-backing, a backing file name that
 *     the caller judges, backing.h).  Any of it
 *     malformed: exit 5, the worker killed.
 *  2. its exit status or killing signal (waitpid), used only to word the
 *     exit-5 line.
 *  3. when it goes quiet: each read has a deadline (PVBOOT_WORKER_TIMEOUT,
 *     at most PV_WORKER_WALL_SECONDS), the menu too (menu_watch.h).
 * Nothing else: the worker holds no other writable fd, cannot signal or
 * see host processes (pid namespace, seccomp), and shares no files.
 */
#include "bootloader/privileged/supervisor.h"
#include "bootloader/privileged/menu_watch.h"
#include "bootloader/privileged/nobody.h"
#include "bootloader/privileged/test_hooks.h"
#include "bootloader/privileged/pipe_read.h"
#include "bootloader/privileged/prefault.h"
#include "bootloader/privileged/stream_in.h"
#include "bootloader/confined/stream_out.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/options.h"
#include "bootloader/wire/wire.h"
#include "bootloader/wire/wire_menu.h"
#include "bootloader/wire/wire_login.h"
#include "menu/auth.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


/* The interactive exchange (supervise_menu, supervise_ask).  Set before
 * the fork, so the worker sees them too; one run per process. */
static menu_show_fn ask_show;  /* NULL: no menu may be asked for */
static int ask_inproc;         /* --no-sandbox: call ask_show directly */
static int ask_wfd = -1;       /* worker: the result pipe */
static int ask_rfd = -1;       /* worker: the choice pipe (read end) */
static int ask_done;
/* worker: what the logins it checked unlocked (the choice must agree) */
static int ask_super;
static unsigned char ask_unlock[PV_MAX_ENTRIES];

/* --- shared helpers --- */

static unsigned int wall_seconds(void)
{
	const char *e = getenv("PVBOOT_WORKER_TIMEOUT");
	char *end;
	unsigned long v;

	if (!e || !*e)
		return PV_WORKER_WALL_SECONDS;
	errno = 0;
	v = strtoul(e, &end, 10);
	/* tests may only shorten the deadline */
	if (errno || *end || v == 0 || v > PV_WORKER_WALL_SECONDS)
		return PV_WORKER_WALL_SECONDS;
	return (unsigned int)v;
}

/* Keep only status, the (sanitised) error line of a failed result and,
 * with keep_log, its log. */
static void keep_error_only(struct boot_result *r, int keep_log)
{
	char clean[PV_MAX_WORKER_ERROR + 1];
	int status = r->status;
	char *log = keep_log ? r->log : NULL;

	if (keep_log)
		r->log = NULL;
	clean[0] = '\0';
	if (r->error)
		pv_sanitize(clean, sizeof(clean), r->error, strlen(r->error));
	result_free(r);
	r->status = status;
	r->error = strdup(clean);
	r->log = log;
}

/* The worker's captured warnings.  With --debug they are printed at once
 * (sanitised), so a failed run shows its trace; otherwise they stay in
 * r->log for main(), which prints them only when the run succeeds: a
 * failure is reported as exactly one line. */
static void print_worker_log(struct boot_result *r)
{
	char clean[1024];
	const char *p = r->log;
	int lines = 0;

	if (!pv_debug_enabled)
		return;
	while (p && *p && lines < 256) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		pv_sanitize(clean, sizeof(clean), p, n);
		fprintf(stderr, "pvboot: %s\n", clean);
		lines++;
		p = nl ? nl + 1 : p + n;
	}
	free(r->log);
	r->log = NULL;
}

/* --- the worker side --- */

static void write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

/* Read exactly len bytes (EOF or an error: -1). */
static int read_exact(int fd, uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A login the supervisor forwards (wire_login.h): checked against the
 * worker's menu, the verdict written back on the result pipe.  0, or
 * <0 when the request is malformed (the run fails). */
static int answer_login(const struct flat_menu *m, uint8_t head[WIRE_LOGIN_HEAD])
{
	uint8_t buf[2 * PV_MAX_LOGIN_TEXT], out[WIRE_VERDICT_MAX];
	char user[PV_MAX_LOGIN_TEXT + 1], pass[PV_MAX_LOGIN_TEXT + 1];
	unsigned char *unlock;
	uint32_t ul, pl;
	size_t len;
	int ok, super;

	if (read_exact(ask_rfd, head + WIRE_CHOICE_SIZE,
		       WIRE_LOGIN_HEAD - WIRE_CHOICE_SIZE) < 0 ||
	    wire_login_lengths(head, &ul, &pl) < 0 ||
	    read_exact(ask_rfd, buf, ul + pl) < 0)
		return pv_err(PV_ESANDBOX, "malformed login from the supervisor");
	if (memchr(buf, 0, ul + pl)) {
		explicit_bzero(buf, sizeof(buf));
		return pv_err(PV_ESANDBOX, "malformed login from the supervisor");
	}
	memcpy(user, buf, ul);
	user[ul] = '\0';
	memcpy(pass, buf + ul, pl);
	pass[pl] = '\0';
	explicit_bzero(buf, sizeof(buf));
	unlock = calloc(m->n ? m->n : 1, 1);
	if (!unlock) {
		explicit_bzero(pass, sizeof(pass));
		return pv_err(PV_ENOMEM, "out of memory");
	}
	ok = flat_login(m, user, pass, &super, unlock);
	explicit_bzero(pass, sizeof(pass));
	if (ok) {
		size_t i;

		ask_super |= super;
		for (i = 0; i < m->n && i < PV_MAX_ENTRIES; i++)
			ask_unlock[i] |= unlock[i];
	}
	pv_debug("menu: login %s", ok ? "accepted" : "refused");
	wire_verdict_encode(ok, super, unlock, m->n, out, &len);
	free(unlock);
	write_all(ask_wfd, out, len);
	return 0;
}

/* --no-sandbox: the same check, in this process, and the same record of
 * what it unlocked */
static int login_inproc(void *ctx, const char *user, const char *pass,
			int *super, unsigned char *unlock)
{
	const struct flat_menu *m = ctx;
	int ok = flat_login(m, user, pass, super, unlock);
	size_t i;

	if (ok) {
		ask_super |= *super;
		for (i = 0; i < m->n && i < PV_MAX_ENTRIES; i++)
			ask_unlock[i] |= unlock[i];
	}
	return ok;
}

/* The choice against what the logins unlocked: 0 or a PV_EINVAL. */
static int choice_allowed(const struct flat_menu *m,
			  const struct flat_choice *choice)
{
	const struct flat_item *it = &m->items[choice->index];

	if (choice->edited && m->lock && !ask_super)
		return pv_err(PV_EINVAL, "menu: an edit without a superuser login");
	/* 'c' boots the typed lines, not the entry; an entry's own password
	 * is unlocked by that password only */
	if (it->locked && !ask_unlock[choice->index] &&
	    (it->own_pw || !ask_super) && choice->edited != FLAT_EDIT_COMMANDS)
		return pv_err(PV_EINVAL, it->own_pw
			      ? "menu: the entry chosen has its own password, not given"
			      : "menu: a locked entry chosen without a login");
	return 0;
}

int supervise_ask(const struct flat_menu *m, struct flat_choice *choice)
{
	uint8_t reply[WIRE_CHOICE_MAX], *msg;
	uint32_t n;
	size_t len;
	int rc;

	memset(choice, 0, sizeof(*choice));
	if (!ask_show || ask_done)
		return pv_err(PV_EINVAL, "no interactive menu to show");
	ask_done = 1;
	if (ask_inproc) {
		struct flat_menu shown = *m;

		shown.login = login_inproc;
		shown.login_ctx = (void *)m;
		if (menu_watch_arm(m->timeout, 0) < 0)
			return pv_err(PV_ESANDBOX, "menu: cannot set its deadline");
		ask_show(&shown, choice);
		menu_watch_disarm();
		return choice->index < m->n ? choice_allowed(m, choice)
			: pv_err(PV_EINVAL, "menu choice out of range");
	}
	rc = wire_menu_encode(m, &msg, &len);
	if (rc < 0)
		return rc;
	write_all(ask_wfd, msg, len);
	free(msg);
	for (;;) {
		if (read_exact(ask_rfd, reply, WIRE_CHOICE_SIZE) < 0)
			return pv_err(PV_ESANDBOX, "no menu choice from the supervisor (the console went away?)");
		if (memcmp(reply, WIRE_LOGIN_MAGIC, 4))
			break;
		rc = answer_login(m, reply);
		if (rc < 0)
			return rc;
	}
	rc = wire_choice_decode_head(reply, choice);
	if (rc > 0) {
		/* edited arguments follow: bounded before they are read */
		if (read_exact(ask_rfd, reply + WIRE_CHOICE_SIZE, 8) < 0)
			return pv_err(PV_ESANDBOX, "truncated menu choice");
		rc = wire_choice_decode_args(reply + WIRE_CHOICE_SIZE, choice,
					     &n);
		if (rc == 0 && read_exact(ask_rfd, reply + WIRE_CHOICE_EDIT_FIXED,
					  n) < 0)
			return pv_err(PV_ESANDBOX, "truncated menu choice");
		if (rc == 0)
			rc = wire_choice_check_args(choice,
						    reply + WIRE_CHOICE_EDIT_FIXED,
						    n);
	}
	close(ask_rfd);
	ask_rfd = -1;
	if (rc < 0)
		return rc;
	if (choice->index >= m->n)
		return pv_err(PV_EINVAL, "menu choice %zu out of range",
			      choice->index);
	if (choice->edited && !m->items[choice->index].bootable)
		return pv_err(PV_EINVAL, "edited arguments for an entry that cannot boot");
	/* the screen enforces the menu's passwords; the worker, which checked
	 * them, holds it to what they unlocked */
	return choice_allowed(m, choice);
}

static void __attribute__((noreturn))
run_worker(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx, int wfd,
	   int devnull, pid_t parent, uint64_t disk_size, uint64_t max_file)
{
	struct boot_result r;
	int rc, lie;

	prefault_code(); /* before the faults it spares (prefault.h) */
	/* from here on stderr is not ours: warnings travel in the answer */
	pv_log_capture(1);
	result_init(&r);
	rc = sandbox_confine(cfg, wfd, devnull, parent);
	if (rc < 0) {
		pv_err_ctx("cannot confine the worker");
		rc = PV_ESANDBOX;
	} else {
		if (pv_test_hook_before) /* test build only */
			pv_test_hook_before(wfd, parent);
		rc = fn(ctx, &r);
		if (rc < 0) { /* a failure carries its status and error only */
			if (!r.status)
				r.status = EXIT_BADIMAGE;
			if (!r.error)
				r.error = strdup(pv_errmsg());
			keep_error_only(&r, 1);
		}
		if (pv_test_hook_after) /* test build only */
			pv_test_hook_after(&r, &rc, disk_size, max_file);
	}
	if (rc < 0 && !r.status) /* confinement failed */
		r.status = EXIT_SANDBOX;
	if (rc < 0 && !r.error)
		r.error = strdup(pv_errmsg());
	if (r.error && strlen(r.error) > PV_MAX_WORKER_ERROR)
		r.error[PV_MAX_WORKER_ERROR] = '\0';
	if (!r.log) {
		r.log = pv_log_take();
		if (r.log && strlen(r.log) > PV_MAX_WORKER_LOG)
			r.log[PV_MAX_WORKER_LOG] = '\0';
	}
	lie = pv_test_stream_lie ? pv_test_stream_lie() : 0;
	stream_out(wfd, &r, rc, lie != 0);
	if (lie == 2) /* test build: stalls, to be killed mid-copy */
		for (;;)
			__asm__ volatile("" ::: "memory");
	_exit(0);
}

/* --- the supervisor side --- */

enum read_end {
	READ_OK,        /* a whole message (and its stream), then EOF */
	READ_NOTHING,   /* EOF before any byte */
	READ_BAD,       /* malformed or over a cap (pv_errmsg says why) */
	READ_TIMEOUT,
	READ_INVALID,   /* well-formed but not believed (pv_errmsg says why) */
	READ_SINK,      /* the output files could not be written */
};

/* Where a boot answer's files go (supervise_set_sink); NULL: nowhere. */
static const struct answer_sink *answer_sink;

void supervise_set_sink(const struct answer_sink *sink)
{
	answer_sink = sink;
}

/* A login typed at the menu, checked by the worker (wire_login.h). */
struct login_link {
	int fd, cfd;
	size_t n;
};

static int login_ask_worker(void *ctx, const char *user, const char *pass,
			    int *super, unsigned char *unlock)
{
	const struct login_link *l = ctx;
	uint8_t req[WIRE_LOGIN_MAX], ans[WIRE_VERDICT_MAX];
	int64_t deadline = now_ms() + PV_LOGIN_REPLY_SECONDS * 1000LL;
	size_t len;
	ssize_t n;
	int r;

	*super = 0;
	if (wire_login_encode(user, pass, req, &len) < 0)
		return 0;
	r = write(l->cfd, req, len) == (ssize_t)len ? 0 : -1;
	explicit_bzero(req, sizeof(req));
	if (r < 0)
		return -1;
	n = read_full(l->fd, ans, WIRE_VERDICT_HEAD, deadline);
	if (n == WIRE_VERDICT_HEAD && l->n &&
	    read_full(l->fd, ans + WIRE_VERDICT_HEAD, l->n, deadline) !=
		    (ssize_t)l->n)
		n = -1;
	if (n != WIRE_VERDICT_HEAD)
		return -1;
	r = wire_verdict_decode(ans, WIRE_VERDICT_HEAD + l->n, l->n, super,
				unlock);
	return r < 0 ? -1 : r;
}

/* The worker's menu (its header already read): decode it, let show pick,
 * send the choice on cfd.  READ_OK to go on reading the answer. */
static enum read_end exchange_menu(int fd, int cfd, const uint8_t *hdr,
				   int64_t deadline, menu_show_fn show,
				   pid_t worker)
{
	uint8_t reply[WIRE_CHOICE_MAX], *msg;
	struct flat_choice *c;
	struct flat_menu f;
	uint64_t body;
	size_t rlen;
	ssize_t n;
	int i;

	body = 0;
	for (i = 0; i < 8; i++)
		body |= (uint64_t)hdr[8 + i] << (8 * i);
	if (body > wire_menu_max_body()) {
		pv_err(PV_ELIMIT, "menu of %llu bytes is over the cap",
		       (unsigned long long)body);
		return READ_BAD;
	}
	/* the cap (wire_menu_max_body, ~7 MiB with every entry at its
	 * limits) is small enough to allocate whole */
	msg = malloc(WIRE_HDR_SIZE + (size_t)body);
	if (!msg) {
		pv_err(PV_ENOMEM, "out of memory reading the menu");
		return READ_BAD;
	}
	memcpy(msg, hdr, WIRE_HDR_SIZE);
	n = read_full(fd, msg + WIRE_HDR_SIZE, (size_t)body, deadline);
	if (n < 0) {
		free(msg);
		return errno == ETIMEDOUT ? READ_TIMEOUT : READ_BAD;
	}
	if ((uint64_t)n != body) {
		free(msg);
		pv_err(PV_ECORRUPT, "truncated menu");
		return READ_BAD;
	}
	if (wire_menu_decode(msg, WIRE_HDR_SIZE + (size_t)body, &f) < 0) {
		free(msg);
		return READ_BAD;
	}
	free(msg);
	c = calloc(1, sizeof(*c));
	if (!c) {
		flat_free(&f);
		pv_err(PV_ENOMEM, "out of memory");
		return READ_BAD;
	}
	c->index = f.def;
	{
		static struct login_link link;

		link.fd = fd;
		link.cfd = cfd;
		link.n = f.n;
		f.login = login_ask_worker;
		f.login_ctx = &link;
	}
	/* the screen gets a deadline too (menu_watch.h) */
	if (menu_watch_arm(f.timeout, worker) < 0) {
		flat_free(&f);
		free(c);
		pv_err(PV_ESANDBOX, "menu: cannot set its deadline");
		return READ_BAD;
	}
	show(&f, c);
	if (menu_watch_disarm()) {
		/* the deadline cut the screen short: the default boots, as
		 * when the countdown runs out */
		pv_debug("menu: no choice before the deadline");
		c->gone = 0;
		c->edited = 0;
		c->index = f.def;
	}
	if (c->gone) {
		/* no choice: the worker fails the run with its one line */
		pv_debug("menu: the console went away while the menu waited for a key");
		flat_free(&f);
		free(c);
		if (write(cfd, WIRE_CHOICE_NONE_MAGIC "\0\0\0\0",
			  WIRE_CHOICE_SIZE) != WIRE_CHOICE_SIZE)
			pv_debug("menu: cannot send the choice: %s",
				 strerror(errno));
		return READ_OK;
	}
	if (c->index >= f.n || !f.items[c->index].bootable) {
		c->index = f.def;
		c->edited = 0;
	}
	pv_debug("menu: entry %zu (%s) chosen%s", c->index,
		 f.items[c->index].path, c->edited ? ", arguments edited" : "");
	flat_free(&f);
	if (wire_choice_encode_full(c, reply, &rlen) < 0) {
		c->edited = 0; /* cannot happen: the editor takes ASCII only */
		wire_choice_encode_full(c, reply, &rlen);
	}
	free(c);
	/* a worker gone meanwhile shows up as a missing answer */
	if (write(cfd, reply, rlen) != (ssize_t)rlen)
		pv_debug("menu: cannot send the choice: %s", strerror(errno));
	return READ_OK;
}

/* menu: NULL, or where to show a menu the worker sends first (once);
 * *deadline starts again after it. */
struct menu_link {
	menu_show_fn show;
	int cfd;
	unsigned int secs;
	pid_t worker;
};

static enum read_end read_answer(int fd, int64_t *deadline_p,
				 uint64_t max_file, struct menu_link *menu,
				 uint8_t **msg_out, size_t *len_out)
{
	uint8_t hdr[WIRE_HDR_SIZE];
	uint64_t body_len;
	uint8_t *msg = NULL;
	size_t have, cap;
	int64_t deadline;
	ssize_t n;

	*msg_out = NULL;
	*len_out = 0;
again:
	deadline = *deadline_p;
	n = read_full(fd, hdr, sizeof(hdr), deadline);
	if (n < 0)
		goto io_fail;
	if (n == 0)
		return READ_NOTHING;
	if (n < (ssize_t)sizeof(hdr)) {
		pv_err(PV_ECORRUPT, "truncated header (%zd bytes)", n);
		return READ_BAD;
	}
	if (menu && menu->show && memcmp(hdr, WIRE_MENU_MAGIC, 4) == 0) {
		enum read_end e = exchange_menu(fd, menu->cfd, hdr, deadline,
						menu->show, menu->worker);

		if (e != READ_OK)
			return e;
		menu->show = NULL; /* once */
		*deadline_p = now_ms() + (int64_t)menu->secs * 1000;
		goto again;
	}
	if (wire_header(hdr, wire_max_body(max_file), &body_len) < 0)
		return READ_BAD;
	if (body_len > SIZE_MAX - WIRE_HDR_SIZE) {
		pv_err(PV_ELIMIT, "announced length too large");
		return READ_BAD;
	}
	/* grow with what actually arrives, not with what is announced */
	have = WIRE_HDR_SIZE;
	cap = 0;
	while (have < WIRE_HDR_SIZE + body_len) {
		size_t want = (size_t)(WIRE_HDR_SIZE + body_len - have);
		size_t chunk = want < (1u << 20) ? want : (1u << 20);

		if (have + chunk > cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *p;

			while (ncap < have + chunk)
				ncap *= 2;
			if (ncap > WIRE_HDR_SIZE + body_len)
				ncap = (size_t)(WIRE_HDR_SIZE + body_len);
			p = realloc(msg, ncap);
			if (!p) {
				free(msg);
				pv_err(PV_ENOMEM, "out of memory reading the answer");
				return READ_BAD;
			}
			msg = p;
			cap = ncap;
			if (have == WIRE_HDR_SIZE)
				memcpy(msg, hdr, WIRE_HDR_SIZE);
		}
		n = read_full(fd, msg + have, chunk, deadline);
		if (n < 0) {
			free(msg);
			goto io_fail;
		}
		have += (size_t)n;
		if ((size_t)n < chunk) {
			free(msg);
			pv_err(PV_ECORRUPT,
			       "truncated: %llu of %llu announced bytes",
			       (unsigned long long)(have - WIRE_HDR_SIZE),
			       (unsigned long long)body_len);
			return READ_BAD;
		}
	}
	if (!msg) { /* empty body: impossible for a real answer */
		pv_err(PV_ECORRUPT, "empty body");
		return READ_BAD;
	}
	*msg_out = msg;
	*len_out = have;
	return READ_OK;
io_fail:
	if (errno == ETIMEDOUT)
		return READ_TIMEOUT;
	pv_err(PV_EIO, "reading the answer: %s", strerror(errno));
	return READ_BAD;
}

/* Wait for the worker until the deadline, then kill it. Always reaps.
 * Returns 1 if it had to be killed.  With a pidfd the wait is one poll()
 * that wakes when the worker exits; without one (kernel < 5.3), waitpid()
 * polled at growing intervals from 0.5 ms, which in a boot storm of
 * slowly exiting workers cost whole intervals (issue 12). */
static int reap(pid_t pid, int pidfd, int64_t deadline, int *status)
{
	long sleep_us = 500;

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		int64_t left;

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			*status = 0;
			return 0; /* not our child any more: nothing to reap */
		}
		left = deadline - now_ms();
		if (left <= 0)
			break;
		if (pidfd >= 0) {
			struct pollfd p = { pidfd, POLLIN, 0 };

			if (poll(&p, 1, left > 60000 ? 60000 : (int)left) < 0 &&
			    errno != EINTR)
				pidfd = -1; /* cannot happen: poll as before */
			continue;
		}
		usleep((useconds_t)sleep_us);
		if (sleep_us < 50000)
			sleep_us *= 2;
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return 1;
}

static const char *signal_reason(int sig)
{
	switch (sig) {
	case SIGSYS: return "the sandbox refused a system call";
	case SIGXCPU: return "the worker used up its CPU time";
	case SIGKILL: return "the worker was killed (CPU or memory limit)";
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE: return "the worker crashed";
	case SIGABRT: return "the worker aborted";
	case SIGXFSZ: return "the worker tried to write a file";
	case SIGPIPE: return "the answer was not read";
	default: return "unexpected signal";
	}
}

/* A descriptor numbered >= 3 (so the worker's stdio dup2s cannot hit it). */
static int above_stdio(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int resolve_identity(const struct sandbox_cfg *cfg,
			    struct sandbox_cfg *eff)
{
	*eff = *cfg;
	if (geteuid() != 0 || !cfg->drop_uid)
		return 0;
	if (cfg->uid == (uid_t)-1) {
		/* here, before fork: the worker could not read passwd */
		nobody_ids(&eff->uid, &eff->gid);
	}
	if (eff->uid == 0 || eff->gid == 0 || eff->uid == (uid_t)-1 ||
	    eff->gid == (gid_t)-1)
		return pv_err(PV_ESANDBOX,
			      "uid drop: refusing to run the worker as uid %u gid %u",
			      (unsigned)eff->uid, (unsigned)eff->gid);
	return 0;
}

/* Nothing may follow the answer and its stream. */
static enum read_end expect_eof(int fd, int64_t deadline)
{
	uint8_t extra;
	ssize_t n = read_full(fd, &extra, 1, deadline);

	if (n == 0)
		return READ_OK;
	if (n < 0 && errno == ETIMEDOUT)
		return READ_TIMEOUT;
	if (n < 0)
		pv_err(PV_EIO, "reading the answer: %s", strerror(errno));
	else
		pv_err(PV_ECORRUPT, "bytes after the answer");
	return READ_BAD;
}

/* Decode and check one answer message into out (*code: the worker's). */
static enum read_end believe(uint8_t *msg, size_t len, uint64_t disk_size,
			     uint64_t max_file, struct boot_result *out,
			     int *code)
{
	if (wire_decode(msg, len, max_file, out, code) < 0)
		return READ_BAD;
	if (validate_answer(out, *code, disk_size, max_file) < 0) {
		result_free(out);
		pv_err_ctx("worker sent an invalid answer");
		return READ_INVALID;
	}
	print_worker_log(out);
	return READ_OK;
}

/* The whole exchange after the answer's bytes came: believe it, create
 * the files (sink), take the stream into them, and see EOF.  A worker
 * that gives up mid-stream sends a failure answer instead. */
static enum read_end take_answer(int fd, int64_t deadline, uint8_t *msg,
				 size_t len, uint64_t disk_size,
				 uint64_t max_file, struct boot_result *out,
				 int *code)
{
	enum read_end rd;
	enum stream_end se;
	uint8_t *amsg;
	size_t alen;

	rd = believe(msg, len, disk_size, max_file, out, code);
	/* a failure, a listing, a backing request: no files, no stream */
	if (rd != READ_OK || *code < 0 || (out->text && !out->kernel_path) ||
	    out->backing)
		return rd == READ_OK ? expect_eof(fd, deadline) : rd;
	if (answer_sink && answer_sink->begin(answer_sink->ctx, out) < 0)
		return READ_SINK;
	se = stream_in(fd, deadline, out, answer_sink);
	switch (se) {
	case STREAM_OK:
		return expect_eof(fd, deadline);
	case STREAM_TIMEOUT:
		return READ_TIMEOUT;
	case STREAM_SINK:
		return READ_SINK;
	case STREAM_BAD:
		return READ_BAD;
	case STREAM_ABORT:
		break;
	}
	result_free(out);
	rd = read_answer(fd, &deadline, max_file, NULL, &amsg, &alen);
	if (rd == READ_NOTHING) {
		pv_err(PV_ECORRUPT, "abort without an answer");
		rd = READ_BAD;
	}
	if (rd == READ_OK) {
		rd = believe(amsg, alen, disk_size, max_file, out, code);
		free(amsg);
		if (rd == READ_OK && *code == 0) {
			result_free(out);
			pv_err(PV_ESANDBOX,
			       "worker sent an invalid answer: a success after an abort");
			return READ_INVALID;
		}
	}
	return rd == READ_OK ? expect_eof(fd, deadline) : rd;
}

/* Turn the worker's exit and answer into supervise()'s result. */
static int judge(int rd, int killed, int status, unsigned int secs,
		 int code, struct boot_result *out)
{
	if (rd != READ_OK)
		result_free(out);
	if (rd == READ_SINK)
		return PV_EIO; /* the sink's own message */
	if (rd == READ_TIMEOUT ||
	    (killed && rd != READ_BAD && rd != READ_INVALID))
		return pv_err(PV_ESANDBOX, "worker timed out after %u s", secs);
	if (rd == READ_INVALID)
		return PV_ESANDBOX;
	/* a worker that died by itself mid-answer: the signal says more
	 * (SIGKILL is ours, sent when the answer went bad) */
	if (rd == READ_BAD && !(WIFSIGNALED(status) &&
				WTERMSIG(status) != SIGKILL)) {
		pv_err_ctx("worker sent a malformed answer");
		return PV_ESANDBOX;
	}
	if (WIFSIGNALED(status)) {
		const char *abbr = sigabbrev_np(WTERMSIG(status));

		result_free(out);
		return pv_err(PV_ESANDBOX, "worker killed by signal %d (SIG%s): %s",
			      WTERMSIG(status), abbr ? abbr : "?",
			      signal_reason(WTERMSIG(status)));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		result_free(out);
		return pv_err(PV_ESANDBOX,
			      "worker exited with status %d without an answer",
			      WEXITSTATUS(status));
	}
	if (rd == READ_NOTHING)
		return pv_err(PV_ESANDBOX, "worker exited without an answer");
	if (code < 0) {
		keep_error_only(out, 0);
		pv_err(code, "%s", out->error ? out->error : "worker failed");
		return code;
	}
	return 0;
}

static int run_in_process(worker_fn fn, void *ctx, uint64_t disk_size,
			  uint64_t max_file, struct boot_result *out)
{
	int rc = fn(ctx, out), sink_failed;

	print_worker_log(out);
	if (rc < 0) {
		if (!out->error)
			out->error = strdup(pv_errmsg());
		if (!out->status)
			out->status = EXIT_BADIMAGE;
		keep_error_only(out, 0);
		pv_err(rc, "%s", out->error ? out->error : "failed");
		return rc;
	}
	rc = validate_answer(out, 0, disk_size, max_file);
	if (rc < 0) {
		result_free(out);
		pv_err_ctx("invalid result");
		return rc;
	}
	/* a listing or a backing request: no files */
	if ((out->text && !out->kernel_path) || out->backing)
		return 0;
	if (answer_sink && answer_sink->begin(answer_sink->ctx, out) < 0) {
		result_free(out);
		return PV_EIO;
	}
	rc = stream_local(out, answer_sink, &sink_failed);
	if (rc < 0 && sink_failed) {
		result_free(out);
		return PV_EIO;
	}
	if (rc < 0) { /* the guest's data did not read back */
		out->status = EXIT_BADIMAGE;
		out->error = strdup(pv_errmsg());
		keep_error_only(out, 0);
		pv_err(rc, "%s", out->error ? out->error : "failed");
	}
	return rc;
}

int supervise(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx,
	      uint64_t disk_size, uint64_t max_file, struct boot_result *out)
{
	return supervise_menu(cfg, fn, ctx, disk_size, max_file, NULL, out);
}

/* The choice pipe of an interactive run, both ends >= 3; -1s otherwise. */
static int choice_pipe(menu_show_fn show, int cfd[2])
{
	cfd[0] = cfd[1] = -1;
	if (!show)
		return 0;
	if (pipe2(cfd, O_CLOEXEC) < 0)
		return pv_err(PV_ESANDBOX, "pipe: %s", strerror(errno));
	cfd[0] = above_stdio(cfd[0]);
	cfd[1] = above_stdio(cfd[1]);
	if (cfd[0] < 0 || cfd[1] < 0) {
		close(cfd[0]);
		close(cfd[1]);
		return pv_err(PV_ESANDBOX, "pipe: %s", strerror(errno));
	}
	return 0;
}

int supervise_menu(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx,
		   uint64_t disk_size, uint64_t max_file, menu_show_fn show,
		   struct boot_result *out)
{
	struct sandbox_cfg eff;
	struct menu_link link;
	int pipefd[2], cfd[2], devnull, rd, killed, status = 0, rc, i, code = 0;
	int new_pidns, pidfd;
	unsigned int secs;
	int64_t deadline;
	uint8_t *msg = NULL;
	size_t len = 0;
	pid_t pid, parent;

	result_init(out);
	ask_show = show;
	ask_done = 0;
	ask_inproc = !cfg->enabled;
	if (show) /* the worker may check menu passwords once confined */
		auth_prepare();
	if (!cfg->enabled)
		return run_in_process(fn, ctx, disk_size, max_file, out);

	if (cfg->nkeep < 0 || cfg->nkeep > SANDBOX_MAX_KEEP)
		return pv_err(PV_EINVAL, "too many fds for the worker");
	for (i = 0; i < cfg->nkeep; i++)
		if (cfg->keep_fds[i] <= 2)
			return pv_err(PV_EINVAL,
				      "worker fd %d collides with stdio",
				      cfg->keep_fds[i]);
	rc = resolve_identity(cfg, &eff);
	if (rc < 0)
		return rc;
	if (show && eff.nkeep >= SANDBOX_MAX_KEEP)
		return pv_err(PV_EINVAL, "too many fds for the worker");
	secs = wall_seconds();

	devnull = above_stdio(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (devnull < 0)
		return pv_err(PV_ESANDBOX, "/dev/null: %s", strerror(errno));
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		close(devnull);
		return pv_err(PV_ESANDBOX, "pipe: %s", strerror(errno));
	}
	pipefd[0] = above_stdio(pipefd[0]);
	pipefd[1] = above_stdio(pipefd[1]);
	if (pipefd[0] < 0 || pipefd[1] < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(devnull);
		return pv_err(PV_ESANDBOX, "pipe: %s", strerror(errno));
	}
	rc = choice_pipe(show, cfd);
	if (rc < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(devnull);
		return rc;
	}
	if (show)
		eff.keep_fds[eff.nkeep++] = cfd[0]; /* read-only in the worker */

	parent = getpid();
	fflush(NULL); /* nothing buffered may be written twice */
	pid = sandbox_spawn(&new_pidns, &pidfd);
	if (pid < 0) {
		rc = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		close(devnull);
		if (show) {
			close(cfd[0]);
			close(cfd[1]);
		}
		return pv_err(PV_ESANDBOX, "fork: %s", strerror(rc));
	}
	if (pid == 0) {
		close(pipefd[0]);
		if (show) {
			close(cfd[1]);
			ask_wfd = pipefd[1];
			ask_rfd = cfd[0];
		}
		run_worker(&eff, fn, ctx, pipefd[1], devnull, parent,
			   disk_size, max_file);
	}
	close(pipefd[1]);
	close(devnull);
	if (show)
		close(cfd[0]);
	pv_debug("worker %d started%s, deadline %u s", (int)pid,
		 new_pidns ? " in a new pid namespace" : "", secs);

	deadline = now_ms() + (int64_t)secs * 1000;
	link.show = show;
	link.cfd = cfd[1];
	link.secs = secs;
	link.worker = pid;
	rd = read_answer(pipefd[0], &deadline, max_file, &link, &msg, &len);
	if (rd == READ_OK)
		rd = take_answer(pipefd[0], deadline, msg, len, disk_size,
				 max_file, out, &code);
	free(msg);
	if (rd != READ_OK && rd != READ_NOTHING)
		kill(pid, SIGKILL); /* no second chance */
	close(pipefd[0]);
	if (show)
		close(cfd[1]);
	killed = reap(pid, pidfd, deadline, &status);
	if (pidfd >= 0)
		close(pidfd);
	if (rd == READ_TIMEOUT)
		killed = 1;
	return judge(rd, killed, status, secs, code, out);
}
