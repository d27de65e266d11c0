/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Each confinement layer, observed on the running worker (test build):
 *
 * - A probe process looks at the confined worker from outside, through
 *   /proc/<worker>: its status (Seccomp 2, NoNewPrivs 1, uid and gid,
 *   CapEff/CapPrm 0, NSpid ending in 1), its rlimits, its namespaces against the
 *   probe's own (mnt, net, ipc, uts, pid) and its root (empty, read-only).
 *   From outside rather than from inside, because inside the filter
 *   forbids the very calls (readlink, openat) that would look, and an fd
 *   opened before confinement would show the namespaces of that moment.
 *   The worker waits (reading a kept pipe) until the probe has looked.
 * - Each mandatory layer made to fail (PVBOOT_TEST_FAIL_LAYER) stops the
 *   run with PV_ESANDBOX and a message naming the layer.
 * Uid, namespace and root checks need root (skipped, with a line, if not).
 */
#include "bootloader/privileged/supervisor.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXF (1ull << 20)
#define DISK_SIZE 8192
#define PROBE_WAIT_MS 20000 /* generous: the worker confines in ms */

static int disk_fd = -1;
static int go_fd = -1; /* worker: waits on it until the probe is done */

static struct sandbox_cfg cfg_on(void)
{
	struct sandbox_cfg c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.drop_uid = 1;
	c.uid = (uid_t)-1;
	c.gid = (gid_t)-1;
	c.keep_fds[c.nkeep++] = disk_fd;
	return c;
}

static int answer(struct boot_result *out)
{
	out->kernel_path = strdup("/boot/vmlinuz");
	out->args = strdup("ro");
	return blob_add_disk(&out->kernel, 0, 512, MAXF) < 0 ? PV_ENOMEM : 0;
}

/* In the worker, confined: wait for the probe, then answer. */
static int probe_fn(void *ctx, struct boot_result *out)
{
	char c;

	(void)ctx;
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	return answer(out);
}

/* --- the probe (a child of the test, a sibling of the worker) --- */

static int rep_fd = -1;
static int probe_ok, probe_bad;

static void report(int ok, const char *what, const char *detail)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s %s%s%s\n", ok ? "ok" : "FAIL",
			 what, detail ? ": " : "", detail ? detail : "");

	if (n > 0 && write(rep_fd, line, (size_t)n) < 0)
		_exit(2);
	ok ? probe_ok++ : probe_bad++;
}

static int read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The value of "Key:\t..." in a status text, up to the newline. */
static void field(const char *status, const char *key, char *out, size_t cap)
{
	const char *p = strstr(status, key), *e;
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	while (*p == '\t' || *p == ' ')
		p++;
	e = strchr(p, '\n');
	n = e ? (size_t)(e - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void want_field(const char *st, const char *key, const char *want)
{
	char got[256], what[64];

	field(st, key, got, sizeof(got));
	snprintf(what, sizeof(what), "%s %s", key, want);
	report(strcmp(got, want) == 0, what, strcmp(got, want) ? got : NULL);
}

/* The test's other child: the worker. */
static pid_t find_worker(pid_t test)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[64], st[4096], pp[32];
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		if (read_text(path, st, sizeof(st)) < 0)
			continue;
		field(st, "PPid:", pp, sizeof(pp));
		if (atoi(pp) == (int)test)
			found = pid;
	}
	closedir(d);
	return found;
}

static void probe_ns(pid_t w, const char *ns)
{
	char a[128], b[128], pa[64], pb[64], what[64];
	ssize_t na, nb;

	snprintf(pa, sizeof(pa), "/proc/%d/ns/%s", (int)w, ns);
	snprintf(pb, sizeof(pb), "/proc/self/ns/%s", ns);
	na = readlink(pa, a, sizeof(a) - 1);
	nb = readlink(pb, b, sizeof(b) - 1);
	snprintf(what, sizeof(what), "%s namespace differs from the parent's", ns);
	if (na < 0 || nb < 0) {
		report(0, what, strerror(errno));
		return;
	}
	a[na] = b[nb] = '\0';
	report(strcmp(a, b) != 0, what, strcmp(a, b) ? NULL : a);
}

static void probe_root(pid_t w)
{
	char path[64];
	struct statvfs sv;
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/root/", (int)w);
	d = opendir(path);
	if (!d) {
		report(0, "/ is empty", strerror(errno));
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	report(n == 0, "/ is empty", n ? "it has entries" : NULL);
	report(statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY),
	       "/ is read-only", NULL);
}

/* /proc/<w>/limits: "Max stack size   8388608   8388608   bytes" */
static void probe_limit(const char *limits, const char *name,
			unsigned long long want)
{
	unsigned long long soft = 0, hard = 0;
	const char *p;
	char what[96];

	if (!name) /* (gcc -fsanitize=undefined cannot tell it is not) */
		return;
	p = strstr(limits, name);
	snprintf(what, sizeof(what), "%s %llu (soft = hard)", name, want);
	if (!p || sscanf(p + strlen(name), " %llu %llu", &soft, &hard) != 2) {
		report(0, what, "not found or unlimited");
		return;
	}
	report(soft == want && hard == want, what, soft == want && hard == want
	       ? NULL : "differs");
}

static void probe_limits(pid_t w)
{
	char path[64], lim[4096];

	snprintf(path, sizeof(path), "/proc/%d/limits", (int)w);
	if (read_text(path, lim, sizeof(lim)) < 0) {
		report(0, "limits", strerror(errno));
		return;
	}
	probe_limit(lim, "Max cpu time", PV_WORKER_CPU_SECONDS);
	probe_limit(lim, "Max stack size", PV_WORKER_STACK_BYTES);
	probe_limit(lim, "Max open files", PV_WORKER_NOFILE);
	probe_limit(lim, "Max processes", 0);
	probe_limit(lim, "Max file size", 0);
	probe_limit(lim, "Max core file size", 0);
}

static void __attribute__((noreturn)) probe(pid_t test, int root)
{
	char path[64], st[4096], want[128], seccomp[16];
	struct timespec ts = { 0, 10 * 1000000 };
	pid_t w = 0;
	int waited;

	/* the worker exists and has loaded its filter: the last layer */
	for (waited = 0; waited < PROBE_WAIT_MS; waited += 10) {
		if (!w)
			w = find_worker(test);
		snprintf(path, sizeof(path), "/proc/%d/status", (int)w);
		if (w && read_text(path, st, sizeof(st)) == 0) {
			field(st, "Seccomp:", seccomp, sizeof(seccomp));
			if (!strcmp(seccomp, "2"))
				break;
		}
		nanosleep(&ts, NULL);
	}
	if (waited >= PROBE_WAIT_MS) {
		report(0, "the worker reached Seccomp: 2",
		       w ? "not within the bound" : "no worker found");
		_exit(1);
	}
	want_field(st, "Seccomp:", "2");
	want_field(st, "NoNewPrivs:", "1");
	want_field(st, "CapEff:", "0000000000000000");
	want_field(st, "CapPrm:", "0000000000000000");
	probe_limits(w);
	if (root) {
		struct passwd *pw = getpwnam("nobody");
		unsigned int uid = pw ? pw->pw_uid : 65534;
		unsigned int gid = pw ? pw->pw_gid : 65534;
		char nspid[64], *sp;

		snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", uid, uid, uid, uid);
		want_field(st, "Uid:", want);
		snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", gid, gid, gid, gid);
		want_field(st, "Gid:", want);
		want_field(st, "Groups:", "");
		/* "NSpid: <here> 1": pid 1 of a namespace of its own */
		field(st, "NSpid:", nspid, sizeof(nspid));
		sp = strrchr(nspid, '\t');
		report(sp && !strcmp(sp + 1, "1"), "worker is pid 1 of a new pid namespace",
		       nspid);
		probe_ns(w, "mnt");
		probe_ns(w, "net");
		probe_ns(w, "ipc");
		probe_ns(w, "uts");
		probe_ns(w, "pid");
		probe_root(w);
	} else {
		snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", (unsigned)getuid(),
			 (unsigned)getuid(), (unsigned)getuid(),
			 (unsigned)getuid());
		want_field(st, "Uid:", want);
	}
	_exit(probe_bad ? 1 : 0);
}

static void layers(int root)
{
	struct sandbox_cfg c = cfg_on();
	struct boot_result r;
	int go[2], rep[2], st, rc, oks = 0, fails = 0;
	char buf[4096], *line, *save;
	ssize_t n, have = 0;
	pid_t test = getpid(), p;

	CHECK(pipe2(go, O_CLOEXEC) == 0 && pipe2(rep, O_CLOEXEC) == 0);
	p = fork();
	CHECK(p >= 0);
	if (p == 0) {
		close(go[0]);
		close(rep[0]);
		rep_fd = rep[1];
		probe(test, root); /* go[1] closes when it exits */
	}
	close(go[1]);
	close(rep[1]);
	go_fd = go[0];
	c.keep_fds[c.nkeep++] = go[0];
	rc = supervise(&c, probe_fn, NULL, DISK_SIZE, MAXF, &r);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "test_confine: supervise: %s\n", pv_errmsg());
	result_free(&r);
	close(go[0]);
	while (have < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(rep[0], buf + have, sizeof(buf) - 1 - (size_t)have)) > 0)
		have += n;
	buf[have] = '\0';
	close(rep[0]);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		printf("test_confine: layer %s\n", line);
		if (!strncmp(line, "ok ", 3))
			oks++, unit_passed++;
		else
			fails++, unit_failed++;
	}
	/* every check ran: 4, 6 limits, then uid (+ gid, groups, pid 1,
	 * 5 namespaces, 2 root) */
	CHECK(fails == 0 && oks == (root ? 21 : 11));
}

/* A mandatory layer that cannot be put in place stops the run. */
static void fail_layer(const char *layer, const char *name)
{
	struct sandbox_cfg c = cfg_on();
	struct boot_result r;
	int rc;

	setenv("PVBOOT_TEST_FAIL_LAYER", layer, 1);
	rc = supervise(&c, probe_fn, NULL, DISK_SIZE, MAXF, &r);
	unsetenv("PVBOOT_TEST_FAIL_LAYER");
	CHECK(rc == PV_ESANDBOX);
	if (!strstr(pv_errmsg(), name)) {
		unit_failed++;
		fprintf(stderr, "fail layer %s: want \"%s\", got \"%s\"\n",
			layer, name, pv_errmsg());
	} else {
		unit_passed++;
	}
	printf("test_confine: without %-8s -> %s\n", layer, pv_errmsg());
	result_free(&r);
}

int main(void)
{
	char path[] = "/tmp/pvboot-confine-XXXXXX";
	uint8_t disk[DISK_SIZE];
	int root = geteuid() == 0;

	disk_fd = mkstemp(path);
	CHECK(disk_fd >= 0);
	memset(disk, 0, sizeof(disk));
	CHECK(write(disk_fd, disk, sizeof(disk)) == (ssize_t)sizeof(disk));
	unlink(path);
	if (!root)
		printf("test_confine: not root: skipping the uid, namespace and root checks and the uid and mountns failures\n");

	layers(root);
	if (root) {
		fail_layer("uid", "uid drop: ");
		fail_layer("mountns", "mount namespace: ");
	}
	fail_layer("seccomp", "seccomp: ");
	close(disk_fd);
	return unit_report("test_confine");
}
