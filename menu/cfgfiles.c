/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which config files we look for, in which order, and with which parser;
 * and guessing the parser for a config given directly (--isconfig).
 */
#include "menu/menu.h"
#include "menu/bls.h"

#include <string.h>
#include <strings.h>

/* pygrub's list and order (protocol.md), then our additions: a BLS-only
 * guest (sd-boot's loader.conf) and LILO, which pygrub's LiloConf reads
 * but its search list never reaches. */
const struct cfg_candidate cfg_candidates[] = {
	{ "/boot/grub/grub.cfg", grub2_parse, "grub2" },
	{ "/grub/grub.cfg", grub2_parse, "grub2" },
	{ "/boot/grub2/grub.cfg", grub2_parse, "grub2" },
	{ "/grub2/grub.cfg", grub2_parse, "grub2" },
	{ "/boot/isolinux/isolinux.cfg", extlinux_parse, "extlinux" },
	{ "/boot/extlinux/extlinux.conf", extlinux_parse, "extlinux" },
	{ "/boot/extlinux.conf", extlinux_parse, "extlinux" },
	{ "/extlinux/extlinux.conf", extlinux_parse, "extlinux" },
	{ "/extlinux.conf", extlinux_parse, "extlinux" },
	{ "/boot/grub/menu.lst", grub_legacy_parse, "grub-legacy" },
	{ "/boot/grub/grub.conf", grub_legacy_parse, "grub-legacy" },
	{ "/grub/menu.lst", grub_legacy_parse, "grub-legacy" },
	{ "/grub/grub.conf", grub_legacy_parse, "grub-legacy" },
	/* beyond pygrub: Fedora's btrfs root subvolume seen from the top
	 * level (GRUB's own view when no default subvolume is set), ISO
	 * and FAT layouts of isolinux/syslinux */
	{ "/root/boot/grub2/grub.cfg", grub2_parse, "grub2" },
	{ "/isolinux/isolinux.cfg", extlinux_parse, "extlinux" },
	{ "/boot/syslinux/syslinux.cfg", extlinux_parse, "extlinux" },
	{ "/syslinux/syslinux.cfg", extlinux_parse, "extlinux" },
	{ "/syslinux.cfg", extlinux_parse, "extlinux" },
	{ "/boot/loader/loader.conf", bls_loader_parse, "bls" },
	{ "/loader/loader.conf", bls_loader_parse, "bls" },
	{ "/etc/lilo.conf", lilo_parse, "lilo" },
};
const size_t cfg_ncandidates = sizeof(cfg_candidates) / sizeof(cfg_candidates[0]);

enum { F_GRUB2, F_LEGACY, F_EXTLINUX, F_LILO, F_BLS, F_N };

/* One candidate of each format, for cfg_detect's answer. */
static const struct cfg_candidate *by_format(int f)
{
	static const char *const names[F_N] = {
		"grub2", "grub-legacy", "extlinux", "lilo", "bls"
	};
	size_t i;

	for (i = 0; i < cfg_ncandidates; i++)
		if (strcmp(cfg_candidates[i].format, names[f]) == 0)
			return &cfg_candidates[i];
	return &cfg_candidates[0];
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

enum { W_BLANK, W_BLANK_OR_EQ, W_EQ };

/* Does line l (length n, leading blanks skipped) start with the word kwd
 * (case-insensitive when ci) followed by: a blank or EOL (W_BLANK), that
 * or '=' (W_BLANK_OR_EQ), or '=' after optional blanks (W_EQ)? */
static int word_is(const char *l, size_t n, const char *kwd, int ci, int mode)
{
	size_t k = strlen(kwd), i;

	if (n < k || (ci ? strncasecmp(l, kwd, k) : strncmp(l, kwd, k)) != 0)
		return 0;
	for (i = k; i < n && is_blank((unsigned char)l[i]); i++)
		;
	if (mode == W_EQ)
		return i < n && l[i] == '=';
	if (n == k || is_blank((unsigned char)l[k]))
		return 1;
	return mode == W_BLANK_OR_EQ && l[k] == '=';
}

/* Score each format on the buffer's first lines (bounded work). */
static void score_content(const char *buf, size_t len, int score[F_N])
{
	size_t off = 0, lines = 0;

	while (off < len && lines < 4096) {
		const char *l = buf + off, *nl = memchr(l, '\n', len - off);
		size_t n = nl ? (size_t)(nl - l) : len - off;

		off += n + (nl ? 1 : 0);
		lines++;
		while (n && is_blank((unsigned char)*l)) {
			l++;
			n--;
		}
		if (!n || *l == '#')
			continue;
		/* GRUB 2: shell-like blocks */
		if (word_is(l, n, "menuentry", 0, W_BLANK) ||
		    word_is(l, n, "submenu", 0, W_BLANK))
			score[F_GRUB2] += 5;
		else if (word_is(l, n, "set", 0, W_BLANK) ||
			 word_is(l, n, "linux", 0, W_BLANK) ||
			 word_is(l, n, "linux16", 0, W_BLANK) ||
			 word_is(l, n, "insmod", 0, W_BLANK) ||
			 word_is(l, n, "search", 0, W_BLANK) ||
			 word_is(l, n, "if", 0, W_BLANK) ||
			 word_is(l, n, "fi", 0, W_BLANK) ||
			 word_is(l, n, "blscfg", 0, W_BLANK) ||
			 word_is(l, n, "load_env", 0, W_BLANK) || (n == 1 && *l == '}'))
			score[F_GRUB2] += 2;
		/* GRUB legacy: title / kernel / root (hd0,0) */
		if (word_is(l, n, "title", 0, W_BLANK))
			score[F_LEGACY] += 5;
		else if (word_is(l, n, "kernel", 0, W_BLANK) ||
			 word_is(l, n, "root", 0, W_BLANK) ||
			 word_is(l, n, "hiddenmenu", 0, W_BLANK) ||
			 word_is(l, n, "initrd", 0, W_BLANK) ||
			 word_is(l, n, "splashimage", 0, W_BLANK_OR_EQ))
			score[F_LEGACY] += 1;
		if (word_is(l, n, "default", 0, W_BLANK_OR_EQ) ||
		    word_is(l, n, "timeout", 0, W_BLANK_OR_EQ))
			score[F_LEGACY] += 1;
		/* syslinux: LABEL / KERNEL / APPEND / DEFAULT, any case */
		if (word_is(l, n, "label", 1, W_BLANK))
			score[F_EXTLINUX] += 5;
		else if (word_is(l, n, "append", 1, W_BLANK) ||
			 word_is(l, n, "menu", 1, W_BLANK) ||
			 word_is(l, n, "prompt", 1, W_BLANK) ||
			 word_is(l, n, "ui", 1, W_BLANK))
			score[F_EXTLINUX] += 3;
		else if (word_is(l, n, "kernel", 1, W_BLANK) ||
			 word_is(l, n, "linux", 1, W_BLANK) ||
			 word_is(l, n, "default", 1, W_BLANK) ||
			 word_is(l, n, "timeout", 1, W_BLANK) ||
			 word_is(l, n, "initrd", 1, W_BLANK))
			score[F_EXTLINUX] += 1;
		/* LILO: key = value */
		if (word_is(l, n, "image", 0, W_EQ) || word_is(l, n, "boot", 0, W_EQ))
			score[F_LILO] += 5;
		else if (word_is(l, n, "label", 0, W_EQ) ||
			 word_is(l, n, "append", 0, W_EQ) ||
			 word_is(l, n, "root", 0, W_EQ) ||
			 word_is(l, n, "initrd", 0, W_EQ) ||
			 word_is(l, n, "map", 0, W_EQ) ||
			 word_is(l, n, "read-only", 0, W_BLANK) ||
			 word_is(l, n, "lba32", 0, W_BLANK))
			score[F_LILO] += 2;
		/* sd-boot loader.conf: "key value" lines */
		if (word_is(l, n, "console-mode", 0, W_BLANK) ||
		    word_is(l, n, "editor", 0, W_BLANK) ||
		    word_is(l, n, "auto-entries", 0, W_BLANK) ||
		    word_is(l, n, "auto-firmware", 0, W_BLANK) ||
		    word_is(l, n, "random-seed-mode", 0, W_BLANK) ||
		    word_is(l, n, "beep", 0, W_BLANK))
			score[F_BLS] += 3;
		else if (word_is(l, n, "default", 0, W_BLANK) ||
			 word_is(l, n, "timeout", 0, W_BLANK))
			score[F_BLS] += 1;
	}
}

static int name_ends(const char *path, const char *suf)
{
	size_t n = strlen(path), k = strlen(suf);

	return n >= k && strcasecmp(path + n - k, suf) == 0 &&
	       (n == k || path[n - k - 1] == '/');
}

/* The format the file name says, or -1 when it says nothing clear. */
static int score_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (name_ends(path, "grub.cfg"))
		return F_GRUB2;
	if (name_ends(path, "menu.lst") || name_ends(path, "grub.conf"))
		return F_LEGACY;
	if (name_ends(path, "lilo.conf"))
		return F_LILO;
	if (name_ends(path, "loader.conf"))
		return F_BLS;
	if (strcasestr(base, "extlinux") || strcasestr(base, "syslinux") ||
	    strcasestr(base, "isolinux") || strcasestr(base, "pxelinux"))
		return F_EXTLINUX;
	return -1;
}

const struct cfg_candidate *cfg_detect(const char *path, const char *buf,
				       size_t len)
{
	int score[F_N] = { 0 };
	int named = path ? score_name(path) : -1;
	int best = -1, f;

	if (buf)
		score_content(buf, len, score);
	/* the name counts as strong evidence, but a clear content wins */
	if (named >= 0)
		score[named] += 6;
	for (f = 0; f < F_N; f++)
		if (score[f] > 0 && (best < 0 || score[f] > score[best]))
			best = f;
	return by_format(best < 0 ? F_GRUB2 : best);
}
