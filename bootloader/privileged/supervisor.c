/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fork the worker, read its answer, reap it, check it (supervisor.h). */
#include "bootloader/privileged/supervisor.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/wire.h"
#include "bootloader/wire/wire_menu.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY_FALLBACK 65534

/* The interactive exchange (supervise_menu, supervise_ask).  Set before
 * the fork, so the worker sees them too; one run per process. */
static menu_show_fn ask_show;  /* NULL: no menu may be asked for */
static int ask_inproc;         /* --no-sandbox: call ask_show directly */
static int ask_wfd = -1;       /* worker: the result pipe */
static int ask_rfd = -1;       /* worker: the choice pipe (read end) */
static int ask_done;

/* --- shared helpers --- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* Keep only status and the (sanitised) error line of a failed result. */
static void keep_error_only(struct boot_result *r)
{
	char clean[PV_MAX_WORKER_ERROR + 1];
	int status = r->status;

	clean[0] = '\0';
	if (r->error)
		pv_sanitize(clean, sizeof(clean), r->error, strlen(r->error));
	result_free(r);
	r->status = status;
	r->error = strdup(clean);
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
		ask_show(m, choice);
		return choice->index < m->n ? 0
			: pv_err(PV_EINVAL, "menu choice out of range");
	}
	rc = wire_menu_encode(m, &msg, &len);
	if (rc < 0)
		return rc;
	write_all(ask_wfd, msg, len);
	free(msg);
	if (read_exact(ask_rfd, reply, WIRE_CHOICE_SIZE) < 0)
		return pv_err(PV_ESANDBOX, "no menu choice from the supervisor (the console went away?)");
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
	return 0;
}

/* The hooks that run before fn: each tries something the sandbox forbids.
 * Reaching the end of one means the sandbox let it through. */
static void hook_before(const char *hook, int wfd)
{
	if (!strcmp(hook, "open")) {
		if (open("/etc/passwd", O_RDONLY | O_CLOEXEC) >= 0)
			_exit(SUPERVISE_HOOK_ESCAPED);
		_exit(SUPERVISE_HOOK_REFUSED);
	} else if (!strcmp(hook, "socket")) {
		if (socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) >= 0)
			_exit(SUPERVISE_HOOK_ESCAPED);
		_exit(SUPERVISE_HOOK_REFUSED);
	} else if (!strcmp(hook, "exec")) {
		char *argv[] = { "true", NULL }, *envp[] = { NULL };

		execve("/bin/true", argv, envp);
		_exit(SUPERVISE_HOOK_REFUSED);
	} else if (!strcmp(hook, "write-stderr")) {
		if (write(2, "escaped\n", 8) == 8)
			_exit(SUPERVISE_HOOK_ESCAPED);
		_exit(SUPERVISE_HOOK_REFUSED);
	} else if (!strcmp(hook, "crash")) {
		volatile int *volatile bad = NULL;

		*bad = 1;
		_exit(SUPERVISE_HOOK_REFUSED);
	} else if (!strcmp(hook, "hang")) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	} else if (!strcmp(hook, "garbage")) {
		uint8_t junk[4096];

		if (getrandom(junk, sizeof(junk), 0) != sizeof(junk))
			memset(junk, 0xa5, sizeof(junk));
		write_all(wfd, junk, sizeof(junk));
		_exit(0);
	} else if (!strcmp(hook, "huge")) {
		uint8_t hdr[WIRE_HDR_SIZE] = { 'P', 'V', 'B', '1', 1, 0, 0, 0,
					       0, 0, 0, 0, 1, 0, 0, 0 };

		write_all(wfd, hdr, sizeof(hdr)); /* body of 4 GiB */
		_exit(0);
	}
}

/* The hooks that run after fn: a result that lies. */
static void hook_after(const char *hook, struct boot_result *r,
		       uint64_t disk_size, uint64_t max_file)
{
	struct seg *s;

	if (strcmp(hook, "lie-range") && strcmp(hook, "lie-size"))
		return;
	blob_free(&r->kernel);
	s = calloc(1, sizeof(*s));
	if (!s)
		_exit(SUPERVISE_HOOK_REFUSED);
	if (!strcmp(hook, "lie-range")) {
		s->kind = SEG_DISK;
		s->disk_off = disk_size > 512 ? disk_size - 512 : 0;
		s->len = 4096; /* runs off the end of the disk */
	} else {
		s->kind = SEG_ZERO;
		s->len = max_file + 1;
	}
	r->kernel.segs = s;
	r->kernel.n = r->kernel.cap = 1;
	r->kernel.total = s->len;
}

static void send_result(int wfd, struct boot_result *r, int code)
{
	uint8_t *msg;
	size_t len;
	int rc;

	rc = wire_encode(r, code, &msg, &len);
	if (rc < 0) {
		/* too large or out of memory: say so instead */
		char *err = strdup(pv_errmsg());

		result_free(r);
		r->error = err;
		if (r->error && strlen(r->error) > PV_MAX_WORKER_ERROR)
			r->error[PV_MAX_WORKER_ERROR] = '\0';
		if (wire_encode(r, rc, &msg, &len) < 0)
			_exit(3);
	}
	write_all(wfd, msg, len);
	free(msg);
}

static void __attribute__((noreturn))
run_worker(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx, int wfd,
	   int devnull, pid_t parent, uint64_t disk_size, uint64_t max_file)
{
	const char *hook = getenv("PVBOOT_TEST_HOOK");
	struct boot_result r;
	int rc;

	/* from here on stderr is not ours: warnings travel in the answer */
	pv_log_capture(1);
	result_init(&r);
	rc = sandbox_confine(cfg, wfd, devnull, parent);
	if (rc < 0) {
		pv_err_ctx("cannot confine the worker");
		rc = PV_ESANDBOX;
	} else {
		if (hook)
			hook_before(hook, wfd);
		rc = fn(ctx, &r);
		if (hook)
			hook_after(hook, &r, disk_size, max_file);
	}
	if (rc < 0 && !r.error)
		r.error = strdup(pv_errmsg());
	if (r.error && strlen(r.error) > PV_MAX_WORKER_ERROR)
		r.error[PV_MAX_WORKER_ERROR] = '\0';
	if (!r.log) {
		r.log = pv_log_take();
		if (r.log && strlen(r.log) > PV_MAX_WORKER_LOG)
			r.log[PV_MAX_WORKER_LOG] = '\0';
	}
	send_result(wfd, &r, rc);
	_exit(0);
}

/* --- the supervisor side --- */

enum read_end {
	READ_OK,        /* a whole message, then EOF */
	READ_NOTHING,   /* EOF before any byte */
	READ_BAD,       /* malformed or over a cap (pv_errmsg says why) */
	READ_TIMEOUT,
};

/* Read up to len bytes before the deadline; returns bytes read (short on
 * EOF), or -1 on timeout/error (errno ETIMEDOUT for the former). */
static ssize_t read_full(int fd, uint8_t *p, size_t len, int64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline - now_ms();
		ssize_t n;
		int pr;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		pr = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -1;
		if (pr == 0)
			continue; /* re-check the deadline */
		n = read(fd, p + got, len - got);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* The worker's menu (its header already read): decode it, let show pick,
 * send the choice on cfd.  READ_OK to go on reading the answer. */
static enum read_end exchange_menu(int fd, int cfd, const uint8_t *hdr,
				   int64_t deadline, menu_show_fn show)
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
	show(&f, c);
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
};

static enum read_end read_answer(int fd, int64_t *deadline_p,
				 uint64_t max_file, struct menu_link *menu,
				 uint8_t **msg_out, size_t *len_out)
{
	uint8_t hdr[WIRE_HDR_SIZE], extra;
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
						menu->show);

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
	n = read_full(fd, &extra, 1, deadline);
	if (n != 0) {
		free(msg);
		if (n < 0)
			goto io_fail;
		pv_err(PV_ECORRUPT, "bytes after the answer");
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
 * Returns 1 if it had to be killed. */
static int reap(pid_t pid, int64_t deadline, int *status)
{
	long sleep_us = 500;

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			*status = 0;
			return 0; /* not our child any more: nothing to reap */
		}
		if (now_ms() >= deadline)
			break;
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
		struct passwd *pw = getpwnam("nobody");

		eff->uid = pw ? pw->pw_uid : NOBODY_FALLBACK;
		eff->gid = pw ? pw->pw_gid : NOBODY_FALLBACK;
	}
	if (eff->uid == 0 || eff->gid == 0 || eff->uid == (uid_t)-1 ||
	    eff->gid == (gid_t)-1)
		return pv_err(PV_ESANDBOX,
			      "refusing to run the worker as uid %u gid %u",
			      (unsigned)eff->uid, (unsigned)eff->gid);
	return 0;
}

/* Turn the worker's exit and answer into supervise()'s result. */
static int judge(int rd, int killed, int status, unsigned int secs,
		 uint8_t *msg, size_t len, uint64_t disk_size,
		 uint64_t max_file, struct boot_result *out)
{
	int code, rc;

	if (rd == READ_TIMEOUT || (killed && rd != READ_BAD))
		return pv_err(PV_ESANDBOX, "worker timed out after %u s", secs);
	/* a worker that died by itself mid-answer: the signal says more
	 * (SIGKILL is ours, sent when the answer went bad) */
	if (rd == READ_BAD && !(WIFSIGNALED(status) &&
				WTERMSIG(status) != SIGKILL)) {
		pv_err_ctx("worker sent a malformed answer");
		return PV_ESANDBOX;
	}
	if (WIFSIGNALED(status)) {
		const char *abbr = sigabbrev_np(WTERMSIG(status));

		return pv_err(PV_ESANDBOX, "worker killed by signal %d (SIG%s): %s",
			      WTERMSIG(status), abbr ? abbr : "?",
			      signal_reason(WTERMSIG(status)));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return pv_err(PV_ESANDBOX,
			      "worker exited with status %d without an answer",
			      WEXITSTATUS(status));
	if (rd == READ_NOTHING)
		return pv_err(PV_ESANDBOX, "worker exited without an answer");

	rc = wire_decode(msg, len, max_file, out, &code);
	if (rc < 0) {
		pv_err_ctx("worker sent a malformed answer");
		return PV_ESANDBOX;
	}
	print_worker_log(out);
	if (code > 0 || code < PV_ESANDBOX) {
		result_free(out);
		return pv_err(PV_ESANDBOX,
			      "worker sent a malformed answer: code %d", code);
	}
	if (code < 0) {
		keep_error_only(out);
		pv_err(code, "%s", out->error ? out->error : "worker failed");
		return code;
	}
	if (out->status != 0) {
		result_free(out);
		return pv_err(PV_ESANDBOX,
			      "worker sent a malformed answer: status %d without an error code",
			      out->status);
	}
	rc = validate_result(out, disk_size, max_file);
	if (rc < 0) {
		result_free(out);
		pv_err_ctx("worker sent an invalid answer");
		return PV_ESANDBOX;
	}
	return 0;
}

static int run_in_process(worker_fn fn, void *ctx, uint64_t disk_size,
			  uint64_t max_file, struct boot_result *out)
{
	int rc = fn(ctx, out);

	print_worker_log(out);
	if (rc < 0) {
		if (!out->error)
			out->error = strdup(pv_errmsg());
		keep_error_only(out);
		pv_err(rc, "%s", out->error ? out->error : "failed");
		return rc;
	}
	rc = validate_result(out, disk_size, max_file);
	if (rc < 0) {
		result_free(out);
		pv_err_ctx("invalid result");
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
	int pipefd[2], cfd[2], devnull, rd, killed, status = 0, rc, i;
	unsigned int secs;
	int64_t deadline;
	uint8_t *msg = NULL;
	size_t len = 0;
	pid_t pid, parent;

	result_init(out);
	ask_show = show;
	ask_done = 0;
	ask_inproc = !cfg->enabled;
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
	pid = fork();
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
	pv_debug("worker %d started, deadline %u s", (int)pid, secs);

	deadline = now_ms() + (int64_t)secs * 1000;
	link.show = show;
	link.cfd = cfd[1];
	link.secs = secs;
	rd = read_answer(pipefd[0], &deadline, max_file, &link, &msg, &len);
	if (rd == READ_BAD || rd == READ_TIMEOUT)
		kill(pid, SIGKILL); /* no second chance */
	close(pipefd[0]);
	if (show)
		close(cfd[1]);
	killed = reap(pid, deadline, &status);
	if (rd == READ_TIMEOUT)
		killed = 1;
	rc = judge(rd, killed, status, secs, msg, len, disk_size, max_file,
		   out);
	free(msg);
	return rc;
}
