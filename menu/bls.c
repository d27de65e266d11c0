/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot Loader Specification type #1 entries, read the way Fedora's GRUB
 * blscfg command reads them (key/value lines, entries sorted newest first
 * by an rpm version comparison of their file names), and sd-boot's
 * loader.conf for guests that carry BLS entries but no grub.cfg.
 */
#include "menu/bls.h"
#include "menu/cfgtext.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

/* Keys a BLS entry may carry that mean nothing for a PV boot. */
static const char *const bls_ignored_keys[] = {
	"devicetree", "devicetree-overlay", "architecture", "efi",
	"uki-url", "profile", "grub_users", "grub_class", "grub_arg",
	"grub_hotkey", NULL
};

void bls_entry_free(struct bls_entry *e)
{
	size_t i;

	if (!e)
		return;
	free(e->file_id);
	free(e->title);
	free(e->version);
	free(e->machine_id);
	free(e->sort_key);
	free(e->linux);
	free(e->uki);
	for (i = 0; i < e->ninitrd; i++)
		free(e->initrd[i]);
	free(e->options);
	memset(e, 0, sizeof(*e));
}

/* The file id: the base name without ".conf". */
static int bls_set_file_id(struct bls_entry *e, const char *path)
{
	const char *base, *slash;
	size_t l;

	if (!path)
		return 0;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	l = strlen(base);
	if (l > 5 && strcmp(base + l - 5, ".conf") == 0)
		l -= 5;
	e->file_id = cfg_strndup(base, l);
	return e->file_id ? 0 : PV_ENOMEM;
}

/* A single-valued key: the first occurrence wins, as blscfg's lookup
 * returns the first value. */
static int bls_set_once(char **field, const char *key, const char *v,
			size_t n, const char *path, unsigned line)
{
	if (*field) {
		pv_debug("%s:%u: repeated key '%s' ignored", path, line, key);
		return 0;
	}
	*field = cfg_strndup(v, n);
	return *field ? 0 : PV_ENOMEM;
}

/* initrd: repeatable; one value may also name several files separated by
 * blanks, which GRUB's initrd command then loads in order. */
static int bls_add_initrds(struct bls_entry *e, const char *v, size_t n,
			   const char *path, unsigned line)
{
	size_t i = 0, start;

	while (i < n) {
		while (i < n && cfg_blank((unsigned char)v[i]))
			i++;
		start = i;
		while (i < n && !cfg_blank((unsigned char)v[i]))
			i++;
		if (i == start)
			break;
		if (e->ninitrd >= PV_MAX_INITRDS)
			return pv_err(PV_ELIMIT, "%s:%u: more than %d initrds",
				      path, line, PV_MAX_INITRDS);
		e->initrd[e->ninitrd] = cfg_strndup(v + start, i - start);
		if (!e->initrd[e->ninitrd])
			return PV_ENOMEM;
		e->ninitrd++;
	}
	return 0;
}

/* options: repeatable, the values joined with one space. */
static int bls_add_options(struct bls_entry *e, const char *v, size_t n,
			   const char *path, unsigned line)
{
	size_t old = e->options ? strlen(e->options) : 0;
	char *o;

	if (old + 1 + n > PV_MAX_EXPANSION)
		return pv_err(PV_ELIMIT, "%s:%u: options longer than %u bytes",
			      path, line, PV_MAX_EXPANSION);
	o = realloc(e->options, old + 1 + n + 1);
	if (!o)
		return pv_err(PV_ENOMEM, "out of memory");
	if (old)
		o[old++] = ' ';
	memcpy(o + old, v, n);
	o[old + n] = '\0';
	e->options = o;
	return 0;
}

static int bls_key_is(const char *k, size_t kl, const char *name)
{
	return strlen(name) == kl && memcmp(k, name, kl) == 0;
}

static int bls_keyval(struct bls_entry *e, const char *k, size_t kl,
		      const char *v, size_t vl, const char *path, unsigned line)
{
	size_t i;

	if (bls_key_is(k, kl, "title"))
		return bls_set_once(&e->title, "title", v, vl, path, line);
	if (bls_key_is(k, kl, "version"))
		return bls_set_once(&e->version, "version", v, vl, path, line);
	if (bls_key_is(k, kl, "machine-id"))
		return bls_set_once(&e->machine_id, "machine-id", v, vl, path,
				    line);
	if (bls_key_is(k, kl, "sort-key"))
		return bls_set_once(&e->sort_key, "sort-key", v, vl, path,
				    line);
	if (bls_key_is(k, kl, "linux"))
		return bls_set_once(&e->linux, "linux", v, vl, path, line);
	if (bls_key_is(k, kl, "uki"))
		return bls_set_once(&e->uki, "uki", v, vl, path, line);
	if (bls_key_is(k, kl, "initrd"))
		return bls_add_initrds(e, v, vl, path, line);
	if (bls_key_is(k, kl, "options"))
		return bls_add_options(e, v, vl, path, line);
	for (i = 0; bls_ignored_keys[i]; i++) {
		if (bls_key_is(k, kl, bls_ignored_keys[i])) {
			if (i < 2)
				e->has_devicetree_only = 1;
			pv_debug("%s:%u: key '%s' ignored", path, line,
				 bls_ignored_keys[i]);
			return 0;
		}
	}
	pv_debug("%s:%u: unknown key '%.*s' ignored", path, line,
		 (int)(kl > 64 ? 64 : kl), k);
	return 0;
}

int bls_parse_entry(const char *path, const char *buf, size_t len,
		    struct bls_entry *out)
{
	struct cfg_reader rd;
	const char *line, *val;
	size_t n, kl, vl;
	int r;

	memset(out, 0, sizeof(*out));
	r = bls_set_file_id(out, path);
	if (r < 0)
		goto fail;
	cfg_reader_init(&rd, path, buf, len);
	while ((r = cfg_next_line(&rd, &line, &n)) > 0) {
		if (n == 0 || line[0] == '#')
			continue;
		if (cfg_ctl(line, n)) {
			pv_warn("%s:%u: NUL or control byte, line ignored",
				rd.path, rd.lineno);
			continue;
		}
		for (kl = 0; kl < n && !cfg_blank((unsigned char)line[kl]); kl++)
			;
		if (kl == n) {
			pv_warn("%s:%u: key without a value, line ignored",
				rd.path, rd.lineno);
			continue;
		}
		val = line + kl;
		vl = n - kl;
		while (vl && cfg_blank((unsigned char)*val)) {
			val++;
			vl--;
		}
		r = bls_keyval(out, line, kl, val, vl, rd.path, rd.lineno);
		if (r < 0)
			break;
	}
	if (r < 0)
		goto fail;
	if (out->linux)
		out->has_devicetree_only = 0;
	return 0;
fail:
	bls_entry_free(out);
	return r;
}

/* --- rpm version comparison --- */

/*
 * rpmvercmp on counted strings: versions are runs of digits or of letters;
 * anything else separates them.  Numbers compare numerically (leading zeros
 * ignored, longer is newer), letters with strcmp; a number is newer than
 * letters.  '~' sorts before everything, even the end of the string
 * ("1.0~rc1" < "1.0"); '^' sorts after the end but before anything else
 * ("1.0" < "1.0^git1" < "1.0.1").  Whichever version has segments left
 * wins.
 */
static int vercmp_n(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0, si, sj, la, lb;
	int isnum, c;

	if (an == bn && memcmp(a, b, an) == 0)
		return 0;
	while (i < an || j < bn) {
		while (i < an && !cfg_alnum((unsigned char)a[i]) &&
		       a[i] != '~' && a[i] != '^')
			i++;
		while (j < bn && !cfg_alnum((unsigned char)b[j]) &&
		       b[j] != '~' && b[j] != '^')
			j++;
		if ((i < an && a[i] == '~') || (j < bn && b[j] == '~')) {
			if (i >= an || a[i] != '~')
				return 1;
			if (j >= bn || b[j] != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		if ((i < an && a[i] == '^') || (j < bn && b[j] == '^')) {
			if (i >= an)
				return -1;
			if (j >= bn)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i >= an || j >= bn)
			break;
		si = i;
		sj = j;
		if (cfg_digit((unsigned char)a[i])) {
			while (i < an && cfg_digit((unsigned char)a[i]))
				i++;
			while (j < bn && cfg_digit((unsigned char)b[j]))
				j++;
			isnum = 1;
		} else {
			while (i < an && cfg_alpha((unsigned char)a[i]))
				i++;
			while (j < bn && cfg_alpha((unsigned char)b[j]))
				j++;
			isnum = 0;
		}
		if (j == sj) /* segments of different types */
			return isnum ? 1 : -1;
		if (isnum) {
			while (si < i && a[si] == '0')
				si++;
			while (sj < j && b[sj] == '0')
				sj++;
			if (i - si != j - sj)
				return i - si > j - sj ? 1 : -1;
		}
		la = i - si;
		lb = j - sj;
		c = memcmp(a + si, b + sj, la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	if (i >= an && j >= bn)
		return 0;
	return i >= an ? -1 : 1;
}

int bls_vercmp(const char *a, const char *b)
{
	return vercmp_n(a ? a : "", a ? strlen(a) : 0, b ? b : "",
			b ? strlen(b) : 0);
}

/* --- blscfg's order --- */

/* A piece of a file id: [s, s+n), or absent. */
struct nvr_part {
	const char *s;
	size_t n;
	int set;
};

/*
 * Split a file id the way blscfg splits "name-version-release": release
 * after the last '-', version after the one before, name the rest; with a
 * single '-' the part after it is the version; with none the whole id is
 * the name.
 */
static void nvr_split(const char *id, struct nvr_part p[3])
{
	size_t n = strlen(id), k;
	const char *rel = NULL, *ver = NULL;
	size_t namelen = n;

	memset(p, 0, 3 * sizeof(p[0]));
	for (k = n; k > 0; k--) {
		if (id[k - 1] == '-') {
			rel = id + k;
			namelen = k - 1;
			break;
		}
	}
	if (rel) {
		for (k = namelen; k > 0; k--) {
			if (id[k - 1] == '-') {
				ver = id + k;
				break;
			}
		}
	}
	if (rel && ver) {
		p[0] = (struct nvr_part){ id, (size_t)(ver - 1 - id), 1 };
		p[1] = (struct nvr_part){ ver, (size_t)(rel - 1 - ver), 1 };
		p[2] = (struct nvr_part){ rel, n - (size_t)(rel - id), 1 };
	} else if (rel) {
		p[0] = (struct nvr_part){ id, namelen, 1 };
		p[1] = (struct nvr_part){ rel, n - (size_t)(rel - id), 1 };
	} else {
		p[0] = (struct nvr_part){ id, n, 1 };
	}
}

/* >0 when a is newer than b (blscfg's bls_cmp on the file ids). */
static int bls_id_cmp(const char *a, const char *b)
{
	struct nvr_part pa[3], pb[3];
	int i, r;

	nvr_split(a, pa);
	nvr_split(b, pb);
	for (i = 0; i < 3; i++) {
		r = vercmp_n(pa[i].set ? pa[i].s : "", pa[i].n,
			     pb[i].set ? pb[i].s : "", pb[i].n);
		if (r)
			return r;
	}
	return 0;
}

/* a sorts before b: newer first, then file id (GRUB drops one of two
 * entries that compare equal; we keep both in a fixed order). */
static int bls_before(const struct bls_entry *a, const struct bls_entry *b)
{
	int r = bls_id_cmp(a->file_id, b->file_id);

	if (r)
		return r > 0;
	return strcmp(a->file_id, b->file_id) < 0;
}

/* Insertion sort: at most PV_MAX_BLS_ENTRIES entries, and it terminates
 * and stays in bounds whatever the comparison says (qsort with a
 * non-transitive comparison does not promise that). */
static void bls_sort(struct bls_entry *e, size_t n)
{
	size_t i, j;
	struct bls_entry t;

	for (i = 1; i < n; i++) {
		t = e[i];
		for (j = i; j > 0 && bls_before(&t, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = t;
	}
}

/* --- reading a directory of entries --- */

struct bls_names {
	char **v;
	size_t n;
	int err;
};

static int bls_name_cb(void *ctx, const char *name)
{
	struct bls_names *nm = ctx;
	size_t l = strlen(name);

	/* GRUB skips dot files and needs something before ".conf". */
	if (name[0] == '.' || l <= 5 || strcmp(name + l - 5, ".conf") != 0 ||
	    strchr(name, '/') || l > PV_NAME_MAX)
		return 0;
	if (nm->n >= PV_MAX_BLS_ENTRIES) {
		nm->err = pv_err(PV_ELIMIT, "more than %d BLS entry files",
				 PV_MAX_BLS_ENTRIES);
		return nm->err;
	}
	nm->v[nm->n] = cfg_strndup(name, l);
	if (!nm->v[nm->n]) {
		nm->err = PV_ENOMEM;
		return nm->err;
	}
	nm->n++;
	return 0;
}

static void bls_free_names(struct bls_names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* Read and parse one entry file; 1 = keep, 0 = skipped, <0 fatal. */
static int bls_read_one(const struct cfg_io *io, const char *dev,
			const char *dir, const char *name,
			struct bls_entry *out)
{
	char path[PV_PATH_MAX + 1], *buf = NULL;
	size_t len = 0;
	int r;

	r = cfg_join(path, sizeof(path), dir, name);
	if (r < 0)
		return r;
	r = io->read_file(io->ctx, dev, path, &buf, &len);
	if (r < 0) {
		if (r == PV_ENOMEM)
			return r;
		pv_warn("%s: cannot read BLS entry (%s), skipped", path,
			pv_strerror(r));
		return 0;
	}
	r = bls_parse_entry(path, buf, len, out);
	free(buf);
	if (r == PV_ENOMEM)
		return r;
	if (r < 0) {
		pv_warn("%s, entry skipped", pv_errmsg());
		return 0;
	}
	if (!out->linux && !out->uki) {
		pv_warn("%s: BLS entry without 'linux', skipped", path);
		bls_entry_free(out);
		return 0;
	}
	return 1;
}

int bls_load_dir(const struct cfg_io *io, const char *dev, const char *dir,
		 struct bls_entry **out, size_t *n)
{
	struct bls_names nm = { NULL, 0, 0 };
	struct bls_entry *ents = NULL;
	size_t i, kept = 0;
	int r;

	*out = NULL;
	*n = 0;
	if (!io || !io->list_dir || !io->read_file || !dir)
		return pv_err(PV_ENOENT, "%s: cannot list BLS entries",
			      dir ? dir : "(null)");
	nm.v = calloc(PV_MAX_BLS_ENTRIES, sizeof(*nm.v));
	if (!nm.v)
		return pv_err(PV_ENOMEM, "out of memory");
	r = io->list_dir(io->ctx, dev, dir, bls_name_cb, &nm);
	if (nm.err < 0)
		r = nm.err;
	if (r < 0) {
		if (r != PV_ELIMIT && r != PV_ENOMEM)
			pv_err_ctx("%s", dir);
		goto out;
	}
	if (nm.n) {
		ents = calloc(nm.n, sizeof(*ents));
		if (!ents) {
			r = pv_err(PV_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < nm.n; i++) {
		r = bls_read_one(io, dev, dir, nm.v[i], &ents[kept]);
		if (r < 0)
			goto out;
		if (r > 0)
			kept++;
	}
	bls_sort(ents, kept);
	*out = ents;
	*n = kept;
	ents = NULL;
	r = 0;
out:
	if (ents) {
		for (i = 0; i < kept; i++)
			bls_entry_free(&ents[i]);
		free(ents);
	}
	bls_free_names(&nm);
	return r;
}

/* --- options --- */

struct sbuf {
	char *s;
	size_t n, cap;
	int err;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->n + n + 1 > PV_MAX_EXPANSION) {
		b->err = pv_err(PV_ELIMIT, "options expand to more than %u bytes",
				PV_MAX_EXPANSION);
		return;
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *t;

		while (cap < b->n + n + 1)
			cap *= 2;
		t = realloc(b->s, cap);
		if (!t) {
			b->err = pv_err(PV_ENOMEM, "out of memory");
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_var(struct sbuf *b, const char *name, size_t nl,
		   const char *(*getvar)(void *ctx, const char *name),
		   void *ctx)
{
	char nbuf[PV_NAME_MAX + 1];
	const char *v;

	if (nl > PV_NAME_MAX || !getvar)
		return; /* unknown: "" */
	memcpy(nbuf, name, nl);
	nbuf[nl] = '\0';
	v = getvar(ctx, nbuf);
	if (v)
		sb_add(b, v, strlen(v));
}

/* Variables: $name and ${name}.  As blscfg's expansion does, the value of
 * a $name ends a word (blscfg appends a blank after it). */
static int bls_expand_vars(const char *o, struct sbuf *b,
			   const char *(*getvar)(void *ctx, const char *name),
			   void *ctx)
{
	size_t i = 0, n = strlen(o), k;

	while (i < n && !b->err) {
		if (o[i] != '$') {
			for (k = i; k < n && o[k] != '$'; k++)
				;
			sb_add(b, o + i, k - i);
			i = k;
			continue;
		}
		if (i + 1 < n && o[i + 1] == '{') {
			for (k = i + 2; k < n && (cfg_alnum((unsigned char)o[k]) ||
						  o[k] == '_'); k++)
				;
			if (k < n && o[k] == '}' && k > i + 2) {
				sb_var(b, o + i + 2, k - i - 2, getvar, ctx);
				i = k + 1;
				continue;
			}
		} else if (i + 1 < n && (cfg_alnum((unsigned char)o[i + 1]) ||
					 o[i + 1] == '_')) {
			for (k = i + 1; k < n && (cfg_alnum((unsigned char)o[k]) ||
						  o[k] == '_'); k++)
				;
			sb_var(b, o + i + 1, k - i - 1, getvar, ctx);
			sb_add(b, " ", 1);
			i = k;
			continue;
		}
		sb_add(b, "$", 1); /* not a variable: kept as written */
		i++;
	}
	return b->err;
}

static int ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Words as GRUB's shell and linux command rebuild them: blanks separate
 * words, quotes and backslashes are removed, words are joined with single
 * spaces and a word holding a space is wrapped in double quotes.
 */
static int bls_words(const char *s, size_t n, struct sbuf *out)
{
	struct sbuf w = { NULL, 0, 0, 0 };
	size_t i = 0;
	int first = 1;

	while (i < n && !out->err && !w.err) {
		while (i < n && ws((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		w.n = 0;
		while (i < n && !ws((unsigned char)s[i]) && !w.err) {
			char c = s[i];

			if (c == '\\') {
				if (i + 1 < n)
					sb_add(&w, s + i + 1, 1);
				i += 2;
			} else if (c == '\'') {
				for (i++; i < n && s[i] != '\''; i++)
					sb_add(&w, s + i, 1);
				i++;
			} else if (c == '"') {
				for (i++; i < n && s[i] != '"'; i++) {
					if (s[i] == '\\' && i + 1 < n &&
					    strchr("$\"\\", s[i + 1]))
						i++;
					sb_add(&w, s + i, 1);
				}
				i++;
			} else {
				sb_add(&w, &c, 1);
				i++;
			}
		}
		if (w.err || w.n == 0)
			continue;
		if (!first)
			sb_add(out, " ", 1);
		first = 0;
		if (memchr(w.s, ' ', w.n)) {
			sb_add(out, "\"", 1);
			sb_add(out, w.s, w.n);
			sb_add(out, "\"", 1);
		} else {
			sb_add(out, w.s, w.n);
		}
	}
	free(w.s);
	if (w.err && !out->err)
		out->err = w.err;
	return out->err;
}

static int bls_expand_r(const char *options,
			const char *(*getvar)(void *ctx, const char *name),
			void *ctx, char **res)
{
	struct sbuf raw = { NULL, 0, 0, 0 }, out = { NULL, 0, 0, 0 };
	int r;

	*res = NULL;
	r = bls_expand_vars(options ? options : "", &raw, getvar, ctx);
	if (r == 0)
		r = bls_words(raw.s ? raw.s : "", raw.n, &out);
	free(raw.s);
	if (r == 0 && !out.s) {
		out.s = cfg_strndup("", 0);
		if (!out.s)
			r = PV_ENOMEM;
	}
	if (r < 0) {
		free(out.s);
		return r;
	}
	*res = out.s;
	return 0;
}

char *bls_expand_options(const char *options,
			 const char *(*getvar)(void *ctx, const char *name),
			 void *ctx)
{
	char *s;

	return bls_expand_r(options, getvar, ctx, &s) < 0 ? NULL : s;
}

/* --- into the menu --- */

/* prefix + p, with one '/' between them. */
static int bls_prefixed(const char *prefix, const char *p, char **res)
{
	size_t pl = prefix ? strlen(prefix) : 0, l = strlen(p);
	char *s;

	*res = NULL;
	while (pl && prefix[pl - 1] == '/')
		pl--;
	if (pl + 1 + l > PV_PATH_MAX)
		return pv_err(PV_ELIMIT, "path longer than %d bytes",
			      PV_PATH_MAX);
	s = malloc(pl + 1 + l + 1);
	if (!s)
		return pv_err(PV_ENOMEM, "out of memory");
	memcpy(s, prefix, pl);
	if (pl && p[0] != '/')
		s[pl++] = '/';
	memcpy(s + pl, p, l + 1);
	*res = s;
	return 0;
}

/*
 * One initrd word of an entry.  blscfg writes the initrd line into the
 * menu entry's script, so GRUB expands its variables when the entry runs:
 * RHEL 8's "initrd /initramfs-V.img $tuned_initrd" loads only the first
 * file when $tuned_initrd is empty, and each word of a non-empty value is
 * one more file.  sd-boot (no getvar) expands nothing.
 */
static int bls_add_initrd_word(struct menu_entry *e, const char *prefix,
			       const char *w,
			       const char *(*getvar)(void *ctx, const char *name),
			       void *ctx)
{
	char *x = NULL, *p, *tok, *save = NULL;
	int r;

	if (!getvar || !strchr(w, '$')) {
		r = bls_prefixed(prefix, w, &p);
		if (r == 0)
			r = entry_add_initrd(e, p, NULL);
		free(p);
		return r;
	}
	r = bls_expand_r(w, getvar, ctx, &x);
	for (tok = r == 0 ? strtok_r(x, " ", &save) : NULL; tok && r == 0;
	     tok = strtok_r(NULL, " ", &save)) {
		r = bls_prefixed(prefix, tok, &p);
		if (r == 0)
			r = entry_add_initrd(e, p, NULL);
		free(p);
	}
	free(x);
	return r;
}

static int bls_fill_entry(const struct bls_entry *b, const char *prefix,
			  const char *(*getvar)(void *ctx, const char *name),
			  void *ctx, struct menu_entry *e)
{
	size_t i;
	int r;

	e->kind = ENTRY_LINUX;
	r = menu_set(&e->title, b->title ? b->title :
			       b->version ? b->version : b->file_id);
	if (r == 0)
		r = menu_set(&e->id, b->file_id);
	if (r == 0)
		r = bls_prefixed(prefix, b->linux, &e->kernel);
	for (i = 0; r == 0 && i < b->ninitrd; i++)
		r = bls_add_initrd_word(e, prefix, b->initrd[i], getvar, ctx);
	/* Without options, blscfg uses $default_kernelopts. */
	if (r == 0)
		r = bls_expand_r(b->options ? b->options :
				 "$default_kernelopts", getvar, ctx, &e->args);
	return r;
}

int bls_append_to_menu(struct bls_entry *ents, size_t n, const char *prefix,
		       const char *(*getvar)(void *ctx, const char *name),
		       void *ctx, struct menu *m)
{
	struct menu_entry *e;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (!ents[i].linux)
			continue;
		if (m->n >= PV_MAX_ENTRIES)
			return pv_err(PV_ELIMIT, "more than %d menu entries",
				      PV_MAX_ENTRIES);
		e = menu_add(m);
		if (!e)
			return PV_ENOMEM;
		r = bls_fill_entry(&ents[i], prefix ? prefix : "", getvar, ctx,
				   e);
		if (r < 0) {
			pv_err_ctx("BLS entry %s", ents[i].file_id ?
				   ents[i].file_id : "(unnamed)");
			return r;
		}
	}
	return 0;
}

/* --- loader.conf (sd-boot) --- */

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* One [...] class at p (p[0] == '['), against c.  Returns the length of
 * the class, 0 when it is not a well-formed class; *hit says whether c is
 * in it. */
static size_t glob_class(const char *p, int c, int *hit)
{
	size_t i = 1;
	int neg = 0, in = 0;

	if (p[i] == '!' || p[i] == '^') {
		neg = 1;
		i++;
	}
	if (p[i] == ']') { /* a leading ']' is a member */
		in |= lower(']') == c;
		i++;
	}
	while (p[i] && p[i] != ']') {
		int lo = lower((unsigned char)p[i]), hi = lo;

		if (p[i + 1] == '-' && p[i + 2] && p[i + 2] != ']') {
			hi = lower((unsigned char)p[i + 2]);
			i += 2;
		}
		in |= c >= lo && c <= hi;
		i++;
	}
	if (!p[i])
		return 0;
	*hit = in != neg;
	return i + 1;
}

/*
 * fnmatch(3)-style glob ('*', '?', '[...]', '\' escape), case-insensitive
 * as sd-boot matches ids.  Greedy with one backtrack point, so its time is
 * bounded by strlen(p) * strlen(s) whatever the pattern: a guest's
 * "*a*a*a*a*..." cannot make it exponential.
 */
static int glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	size_t cl;
	int hit;

	while (*s) {
		int c = lower((unsigned char)*s);

		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p == '?') {
			p++;
			s++;
			continue;
		}
		if (*p == '[' && (cl = glob_class(p, c, &hit)) > 0) {
			if (hit) {
				p += cl;
				s++;
				continue;
			}
		} else {
			const char *q = p;

			if (*q == '\\' && q[1])
				q++;
			if (*q && lower((unsigned char)*q) == c) {
				p = q + 1;
				s++;
				continue;
			}
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int bls_glob_match(const char *glob, const char *s)
{
	return glob_match(glob, s);
}

/* sd-boot ids are file names: match with and without ".conf". */
static int bls_default_matches(const char *glob, const char *id)
{
	char full[PV_NAME_MAX + 8];

	if (glob_match(glob, id))
		return 1;
	if (strlen(id) + 5 < sizeof(full)) {
		memcpy(full, id, strlen(id));
		memcpy(full + strlen(id), ".conf", 6);
		return glob_match(glob, full);
	}
	return 0;
}

static void bls_loader_timeout(struct menu *out, const char *v, size_t n,
			       const char *path, unsigned line)
{
	long t;

	if (n == 10 && memcmp(v, "menu-force", 10) == 0) {
		out->timeout = -1;
	} else if ((n == 11 && memcmp(v, "menu-hidden", 11) == 0) ||
		   (n == 13 && memcmp(v, "menu-disabled", 13) == 0)) {
		out->timeout = 0;
		out->hidden = 1;
	} else if (cfg_parse_uint(v, n, 1000000, &t) == 0) {
		out->timeout = (int)t;
	} else {
		pv_warn("%s:%u: bad timeout ignored", path, line);
	}
}

/* Resolve the default glob against the menu's ids: the first match (in
 * blscfg order) becomes default_spec; "@saved"/"@default" (EFI variables
 * we do not have) and no match leave the first entry. */
static int bls_loader_default(struct menu *out, const char *glob)
{
	size_t i;

	if (!glob || glob[0] == '@')
		return 0;
	for (i = 0; i < out->n; i++) {
		if (out->e[i].id && bls_default_matches(glob, out->e[i].id))
			return menu_set(&out->default_spec, out->e[i].id);
	}
	pv_warn("loader.conf: default '%s' matches no entry, using the first",
		glob);
	return 0;
}

int bls_loader_parse(const char *path, const char *buf, size_t len,
		     const struct cfg_io *io, struct menu *out)
{
	char dir[PV_PATH_MAX + 1], edir[PV_PATH_MAX + 1];
	char *glob = NULL;
	struct bls_entry *ents = NULL;
	struct cfg_reader rd;
	const char *line, *v;
	size_t n, kl, vl, nents = 0, i;
	int r;

	menu_init(out, "bls");
	/* loader.conf(5): no (valid) timeout means 0, the default boots at
	 * once; not "wait forever", which stalls an unattended xl create */
	out->timeout = 0;
	cfg_reader_init(&rd, path, buf, len);
	while ((r = cfg_next_line(&rd, &line, &n)) > 0) {
		if (n == 0 || line[0] == '#')
			continue;
		if (cfg_ctl(line, n)) {
			pv_warn("%s:%u: NUL or control byte, line ignored",
				rd.path, rd.lineno);
			continue;
		}
		for (kl = 0; kl < n && !cfg_blank((unsigned char)line[kl]); kl++)
			;
		v = line + kl;
		vl = n - kl;
		while (vl && cfg_blank((unsigned char)*v)) {
			v++;
			vl--;
		}
		if (bls_key_is(line, kl, "default")) {
			if (vl > PV_NAME_MAX) {
				pv_warn("%s:%u: default too long, ignored",
					rd.path, rd.lineno);
				continue;
			}
			free(glob);
			glob = cfg_strndup(v, vl);
			if (!glob) {
				r = PV_ENOMEM;
				break;
			}
		} else if (bls_key_is(line, kl, "timeout")) {
			bls_loader_timeout(out, v, vl, rd.path, rd.lineno);
		} else {
			pv_debug("%s:%u: loader.conf key '%.*s' ignored",
				 rd.path, rd.lineno, (int)(kl > 64 ? 64 : kl),
				 line);
		}
	}
	if (r < 0)
		goto fail;
	r = cfg_dirname(path ? path : "/loader/loader.conf", dir, sizeof(dir));
	if (r == 0)
		r = cfg_join(edir, sizeof(edir), dir, "entries");
	if (r == 0)
		r = bls_load_dir(io, NULL, edir, &ents, &nents);
	if (r == 0 && nents == 0)
		r = pv_err(PV_ENOENT, "%s: no bootable BLS entries", edir);
	if (r == 0)
		r = bls_append_to_menu(ents, nents, "", NULL, NULL, out);
	if (r == 0)
		r = bls_loader_default(out, glob);
	for (i = 0; i < nents; i++)
		bls_entry_free(&ents[i]);
	free(ents);
	if (r < 0)
		goto fail;
	free(glob);
	return 0;
fail:
	free(glob);
	menu_free(out);
	return r;
}
