/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interactive menu and the choice on the wire (format in wire_menu.h). */
#include "bootloader/wire/wire_menu.h"
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

/* bootable, path length, title length, args length, lines length */
#define ITEM_FIXED (1u + 4u + 4u + 4u + 4u)
#define BODY_FIXED (4u + 4u + 4u + 1u)

uint64_t wire_menu_max_body(void)
{
	return BODY_FIXED + (uint64_t)PV_MAX_ENTRIES *
		(ITEM_FIXED + FLAT_PATH_MAX + PV_MAX_MENU_TITLE +
		 PV_MAX_ARGS + PV_MAX_EDIT_TEXT) +
		4 + (uint64_t)PV_MAX_ENTRIES * (8 + FLAT_PATH_MAX + PV_MAX_MENU_TITLE);
}

/* --- encoding --- */

struct mbuf {
	uint8_t *p;
	size_t len;
};

static void put(struct mbuf *w, const void *src, size_t n)
{
	if (w->p)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put_u32(struct mbuf *w, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(w, b, 4);
}

static void put_str(struct mbuf *w, const char *s)
{
	put_u32(w, (uint32_t)strlen(s));
	put(w, s, strlen(s));
}

static void put_body(struct mbuf *w, const struct flat_menu *f)
{
	uint8_t b;
	size_t i;

	put_u32(w, (uint32_t)f->n);
	put_u32(w, (uint32_t)f->def);
	put_u32(w, (uint32_t)f->timeout);
	b = (f->hidden ? 1 : 0) | (uint8_t)((f->lock & 3) << 1);
	put(w, &b, 1);
	for (i = 0; i < f->n; i++) {
		b = (f->items[i].bootable ? 1 : 0) |
		    (f->items[i].locked ? 2 : 0) |
		    (f->items[i].own_pw ? 6 : 0);
		put(w, &b, 1);
		put_str(w, f->items[i].path);
		put_str(w, f->items[i].title);
		put_str(w, f->items[i].args ? f->items[i].args : "");
		put_str(w, f->items[i].lines ? f->items[i].lines : "");
	}
	put_u32(w, (uint32_t)f->nsub);
	for (i = 0; i < f->nsub; i++) {
		put_str(w, f->subs[i].path);
		put_str(w, f->subs[i].title);
	}
}

int wire_menu_encode(const struct flat_menu *f, uint8_t **msg, size_t *len)
{
	struct mbuf w = { NULL, 0 };
	uint8_t *p;
	size_t i;

	*msg = NULL;
	*len = 0;
	if (f->n == 0 || f->n > PV_MAX_ENTRIES || f->def >= f->n)
		return pv_err(PV_EINVAL, "menu of %zu entries, default %zu",
			      f->n, f->def);
	for (i = 0; i < f->n; i++)
		if (!f->items[i].title ||
		    strlen(f->items[i].title) > PV_MAX_MENU_TITLE ||
		    strlen(f->items[i].path) >= FLAT_PATH_MAX ||
		    (f->items[i].args && strlen(f->items[i].args) > PV_MAX_ARGS) ||
		    (f->items[i].lines && strlen(f->items[i].lines) > PV_MAX_EDIT_TEXT))
			return pv_err(PV_ELIMIT, "menu entry %zu too long", i);
	if (f->nsub > PV_MAX_ENTRIES)
		return pv_err(PV_ELIMIT, "menu of %zu submenus", f->nsub);
	for (i = 0; i < f->nsub; i++)
		if (!f->subs[i].title ||
		    strlen(f->subs[i].title) > PV_MAX_MENU_TITLE ||
		    strlen(f->subs[i].path) >= FLAT_PATH_MAX)
			return pv_err(PV_ELIMIT, "submenu %zu too long", i);
	put_body(&w, f); /* sizing pass */
	p = malloc(WIRE_HDR_SIZE + w.len);
	if (!p)
		return pv_err(PV_ENOMEM, "out of memory encoding the menu");
	*len = WIRE_HDR_SIZE + w.len;
	memcpy(p, WIRE_MENU_MAGIC, 4);
	w.p = p;
	w.len = 4;
	put_u32(&w, WIRE_MENU_VERSION);
	put_u32(&w, (uint32_t)(*len - WIRE_HDR_SIZE));
	put_u32(&w, (uint32_t)((uint64_t)(*len - WIRE_HDR_SIZE) >> 32));
	put_body(&w, f);
	*msg = p;
	return 0;
}

/* --- decoding --- */

struct rd {
	const uint8_t *p;
	size_t left;
};

static int take(struct rd *b, void *dst, size_t n)
{
	if (n > b->left)
		return -1;
	memcpy(dst, b->p, n);
	b->p += n;
	b->left -= n;
	return 0;
}

static int get_u32(struct rd *b, uint32_t *v)
{
	uint8_t x[4];

	if (take(b, x, 4) < 0)
		return -1;
	*v = x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 |
	     (uint32_t)x[3] << 24;
	return 0;
}

/* A string of at most max bytes into dst (dstsz > max). */
static int get_str(struct rd *b, char *dst, size_t max, const char *what,
		   size_t i)
{
	uint32_t n;

	if (get_u32(b, &n) < 0)
		return pv_err(PV_ECORRUPT, "menu: truncated %s of entry %zu",
			      what, i);
	if (n > max)
		return pv_err(PV_ELIMIT, "menu: %s of entry %zu is over %zu bytes",
			      what, i, max);
	if (take(b, dst, n) < 0)
		return pv_err(PV_ECORRUPT, "menu: truncated %s of entry %zu",
			      what, i);
	dst[n] = '\0';
	if (strlen(dst) != n)
		return pv_err(PV_ECORRUPT, "menu: NUL byte in the %s of entry %zu",
			      what, i);
	return 0;
}

static int path_ok(const char *p)
{
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!(*p >= '0' && *p <= '9') && *p != '>')
			return 0;
	return 1;
}

/* The submenus' titles: u32 nsub | nsub x { str path | str title } */
static int decode_subs(struct rd *b, struct flat_menu *f)
{
	uint32_t n;
	size_t i;
	int rc;

	if (get_u32(b, &n) < 0)
		return pv_err(PV_ECORRUPT, "menu: truncated submenus");
	if (n > PV_MAX_ENTRIES)
		return pv_err(PV_ELIMIT, "menu: %u submenus", n);
	if ((uint64_t)n * 8 > b->left)
		return pv_err(PV_ECORRUPT, "menu: truncated submenus");
	if (n == 0)
		return 0;
	f->subs = calloc(n, sizeof(*f->subs));
	if (!f->subs)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct flat_sub *s = &f->subs[i];
		char title[PV_MAX_MENU_TITLE + 1];

		rc = get_str(b, s->path, FLAT_PATH_MAX - 1, "submenu path", i);
		if (rc == 0 && !path_ok(s->path))
			rc = pv_err(PV_ECORRUPT, "menu: bad path of submenu %zu", i);
		if (rc == 0)
			rc = get_str(b, title, PV_MAX_MENU_TITLE, "submenu title", i);
		if (rc == 0 && !(s->title = strdup(title)))
			rc = pv_err(PV_ENOMEM, "out of memory");
		if (rc < 0)
			return rc;
		f->nsub = i + 1;
	}
	return 0;
}

static int decode_body(struct rd *b, struct flat_menu *f)
{
	uint32_t n, def, to;
	uint8_t hidden, boot;
	size_t i;
	int rc;

	if (get_u32(b, &n) < 0 || get_u32(b, &def) < 0 ||
	    get_u32(b, &to) < 0 || take(b, &hidden, 1) < 0)
		return pv_err(PV_ECORRUPT, "menu: truncated body");
	if (n == 0 || n > PV_MAX_ENTRIES)
		return pv_err(PV_ELIMIT, "menu: %u entries (1 to %d allowed)",
			      n, PV_MAX_ENTRIES);
	if (def >= n)
		return pv_err(PV_ECORRUPT, "menu: default %u of %u entries",
			      def, n);
	if ((int32_t)to < -1 || (int32_t)to > PV_MAX_MENU_TIMEOUT)
		return pv_err(PV_ECORRUPT, "menu: timeout %d",
			      (int)(int32_t)to);
	if (hidden > 5) /* bit 0 hidden, bits 1-2 the lock (0..2) */
		return pv_err(PV_ECORRUPT, "menu: bad hidden flag %u", hidden);
	/* each item needs ITEM_FIXED bytes: no allocation beyond that */
	if ((uint64_t)n * ITEM_FIXED > b->left)
		return pv_err(PV_ECORRUPT, "menu: truncated entries");
	f->items = calloc(n, sizeof(*f->items));
	if (!f->items)
		return pv_err(PV_ENOMEM, "out of memory");
	f->def = def;
	f->timeout = (int32_t)to;
	f->hidden = hidden & 1;
	f->lock = hidden >> 1;
	for (i = 0; i < n; i++) {
		struct flat_item *it = &f->items[i];
		char title[PV_MAX_MENU_TITLE + 1];
		size_t k;

		if (take(b, &boot, 1) < 0)
			return pv_err(PV_ECORRUPT, "menu: truncated entry %zu", i);
		/* an entry's own password (bit 2) locks it, and GRUB 2 has none */
		if (boot > 7 || (boot & 2 && !f->lock && !(boot & 4)) ||
		    (boot & 4 && (!(boot & 2) || f->lock == 2)))
			return pv_err(PV_ECORRUPT, "menu: bad bootable flag of entry %zu", i);
		it->bootable = boot & 1;
		it->locked = (boot >> 1) & 1;
		it->own_pw = (boot >> 2) & 1;
		rc = get_str(b, it->path, FLAT_PATH_MAX - 1, "path", i);
		if (rc < 0)
			return rc;
		for (k = 0; it->path[k]; k++)
			if (!(it->path[k] >= '0' && it->path[k] <= '9') &&
			    it->path[k] != '>')
				return pv_err(PV_ECORRUPT, "menu: bad path of entry %zu", i);
		rc = get_str(b, title, PV_MAX_MENU_TITLE, "title", i);
		if (rc < 0)
			return rc;
		it->title = strdup(title);
		if (!it->title)
			return pv_err(PV_ENOMEM, "out of memory");
		{
			char args[PV_MAX_ARGS + 1];

			rc = get_str(b, args, PV_MAX_ARGS, "args", i);
			if (rc == 0 && !it->bootable && args[0])
				rc = pv_err(PV_ECORRUPT, "menu: args on entry %zu, which cannot boot", i);
			if (rc == 0 && !(it->args = strdup(args)))
				rc = pv_err(PV_ENOMEM, "out of memory");
			if (rc < 0) {
				f->n = i + 1; /* the title is freed with f */
				return rc;
			}
		}
		{
			char lines[PV_MAX_EDIT_TEXT + 1];

			rc = get_str(b, lines, PV_MAX_EDIT_TEXT, "lines", i);
			if (rc == 0 && !it->bootable && lines[0])
				rc = pv_err(PV_ECORRUPT, "menu: lines on entry %zu, which cannot boot", i);
			if (rc == 0 && !flat_edit_ok(FLAT_EDIT_LINES, lines, strlen(lines)))
				rc = pv_err(PV_ECORRUPT, "menu: lines of entry %zu hold control bytes", i);
			if (rc == 0 && !(it->lines = strdup(lines)))
				rc = pv_err(PV_ENOMEM, "out of memory");
			if (rc < 0) {
				f->n = i + 1; /* the title is freed with f */
				return rc;
			}
		}
		f->n = i + 1;
	}
	rc = decode_subs(b, f);
	if (rc < 0)
		return rc;
	if (b->left)
		return pv_err(PV_ECORRUPT, "menu: %zu trailing bytes", b->left);
	return 0;
}

int wire_menu_decode(const uint8_t *msg, size_t len, struct flat_menu *out)
{
	struct rd b;
	uint32_t version, lo, hi;
	uint64_t body;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len < WIRE_HDR_SIZE)
		return pv_err(PV_ECORRUPT, "menu: truncated header");
	if (memcmp(msg, WIRE_MENU_MAGIC, 4) != 0)
		return pv_err(PV_ECORRUPT, "menu: bad magic");
	b.p = msg + 4;
	b.left = WIRE_HDR_SIZE - 4;
	get_u32(&b, &version);
	get_u32(&b, &lo);
	get_u32(&b, &hi);
	body = lo | (uint64_t)hi << 32;
	if (version != WIRE_MENU_VERSION)
		return pv_err(PV_ECORRUPT, "menu: unknown version %u", version);
	if (body > wire_menu_max_body())
		return pv_err(PV_ELIMIT, "menu: %llu bytes is over the cap",
			      (unsigned long long)body);
	if (body != len - WIRE_HDR_SIZE)
		return pv_err(PV_ECORRUPT, "menu: announced %llu bytes, %zu present",
			      (unsigned long long)body, len - WIRE_HDR_SIZE);
	b.p = msg + WIRE_HDR_SIZE;
	b.left = len - WIRE_HDR_SIZE;
	rc = decode_body(&b, out);
	if (rc < 0)
		flat_free(out);
	return rc;
}

void wire_choice_encode(uint32_t index, uint8_t out[WIRE_CHOICE_SIZE])
{
	memcpy(out, WIRE_CHOICE_MAGIC, 4);
	out[4] = (uint8_t)index;
	out[5] = (uint8_t)(index >> 8);
	out[6] = (uint8_t)(index >> 16);
	out[7] = (uint8_t)(index >> 24);
}

int wire_choice_decode(const uint8_t in[WIRE_CHOICE_SIZE], uint32_t *index)
{
	if (memcmp(in, WIRE_CHOICE_MAGIC, 4) != 0)
		return pv_err(PV_ECORRUPT, "bad menu choice");
	*index = in[4] | (uint32_t)in[5] << 8 | (uint32_t)in[6] << 16 |
		 (uint32_t)in[7] << 24;
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int wire_choice_encode_full(const struct flat_choice *c, uint8_t *out,
			    size_t *len)
{
	size_t n;

	if (c->index > UINT32_MAX)
		return pv_err(PV_EINVAL, "menu choice out of range");
	wire_choice_encode((uint32_t)c->index, out);
	*len = WIRE_CHOICE_SIZE;
	if (c->edited == FLAT_EDIT_NONE)
		return 0;
	n = strnlen(c->args, sizeof(c->args));
	if (!flat_edit_ok(c->edited, c->args, n))
		return pv_err(PV_EINVAL, "edited text refused");
	memcpy(out, WIRE_CHOICE_EDIT_MAGIC, 4);
	set32(out + 8, (uint32_t)c->edited);
	set32(out + 12, (uint32_t)n);
	memcpy(out + WIRE_CHOICE_EDIT_FIXED, c->args, n);
	*len = WIRE_CHOICE_EDIT_FIXED + n;
	return 0;
}

int wire_choice_decode_head(const uint8_t in[WIRE_CHOICE_SIZE],
			    struct flat_choice *c)
{
	uint32_t idx;
	uint8_t tmp[WIRE_CHOICE_SIZE];
	int edited = 0;

	memset(c, 0, sizeof(*c));
	if (memcmp(in, WIRE_CHOICE_NONE_MAGIC, 4) == 0)
		return pv_err(PV_EINVAL, "no entry chosen: the console went away while the menu waited for a key");
	memcpy(tmp, in, sizeof(tmp));
	if (memcmp(in, WIRE_CHOICE_EDIT_MAGIC, 4) == 0) {
		memcpy(tmp, WIRE_CHOICE_MAGIC, 4);
		edited = 1;
	}
	if (wire_choice_decode(tmp, &idx) < 0)
		return PV_ECORRUPT; /* its message says why */
	c->index = idx;
	return edited;
}

int wire_choice_decode_args(const uint8_t kl[8], struct flat_choice *c,
			    uint32_t *len)
{
	uint32_t kind = le32(kl);

	*len = le32(kl + 4);
	if (kind != FLAT_EDIT_ARGS && kind != FLAT_EDIT_LINES &&
	    kind != FLAT_EDIT_COMMANDS)
		return pv_err(PV_ECORRUPT, "menu choice of unknown kind %u", kind);
	if (*len > (kind == FLAT_EDIT_ARGS ? PV_MAX_ARGS : PV_MAX_EDIT_TEXT))
		return pv_err(PV_ELIMIT, "edited text of %u bytes", *len);
	c->edited = (int)kind;
	return 0;
}

int wire_choice_check_args(struct flat_choice *c, const uint8_t *s,
			   uint32_t len)
{
	if (len > PV_MAX_EDIT_TEXT ||
	    !flat_edit_ok(c->edited, (const char *)s, len))
		return pv_err(PV_ECORRUPT, "edited text holds control bytes or too many lines");
	memcpy(c->args, s, len);
	c->args[len] = '\0';
	return 0;
}
