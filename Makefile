# SPDX-License-Identifier: GPL-2.0-or-later
# pvboot: plain make, explicit source lists (one variable per stage).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# pvboot under pygrub's name, for callers that want that name (xenopsd's
# pygrub= path: then failures read "RuntimeError: ...", which it shows)
PYGRUB_LINK_DIR ?= $(PREFIX)/lib/pvboot
DESTDIR ?=
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
PKGS = ext2fs com_err fdisk blkid libseccomp ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libcurl's headers only: the network worker dlopen()s it (curl_dl.h)
PKG_CFLAGS += $(shell pkg-config --cflags libcurl 2>/dev/null)
# libxenlight's config parser (libxen-dev): xl domain configs
XEN_PKGS = xlutil xenlight
PKG_LIBS += $(shell pkg-config --libs $(XEN_PKGS) 2>/dev/null)
PV_CFLAGS = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. $(PKG_CFLAGS)
# The libraries we own are linked statically (their .a files come with the
# -dev packages): no dynamic loading or symbol relocation for them at each
# start (issue 12; README, Performance).  libfdisk (which ships no .a in
# Debian 12) and libblkid, which it needs, stay shared; so do libc and
# libcurl (dlopen()ed by the network worker only).  -z now: full RELRO (the
# GOT read-only before main) at no measurable start-up cost.
STATIC_LIBS = -lext2fs -lcom_err -lseccomp -lncursesw -ltinfo -lz -lzstd -llzo2
# menu passwords (menu/auth.c): MD5 crypt from libxcrypt (libcrypt-dev);
# PBKDF2-SHA512 from OpenSSL's libcrypto, dlopen()ed (menu/crypto_dl.h:
# libssl-dev for its headers, libssl3 at run time)
STATIC_LIBS += -lcrypt
# libxlutil and libxenlight: dlopen()ed when a domain config is read
# (xen_dl.h), by the soname of the libxlutil we compile against
SHARED_LIBS = -lfdisk -lblkid
XLUTIL_SONAME := $(shell objdump -p $$(pkg-config --variable=libdir xlutil 2>/dev/null)/libxlutil.so 2>/dev/null | awk '/SONAME/ {print $$2}')
PV_CFLAGS_XEN = $(if $(XLUTIL_SONAME),-DXLUTIL_SONAME='"$(XLUTIL_SONAME)"')
LIBS = -Wl,-O1,--as-needed,-z,now,-z,relro -Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic $(SHARED_LIBS)
# STATIC_LINK=0 links all of them shared: what a distribution package does
# (debian/rules), so that a security update of zlib, ext2fs & co. reaches
# pvboot without a rebuild (Debian policy 4.13, lintian embedded-library).
ifeq ($(STATIC_LINK),0)
LIBS = -Wl,-O1,--as-needed,-z,now,-z,relro $(STATIC_LIBS) $(SHARED_LIBS)
endif

COMMON_SRCS = common/err.c common/sanitize.c common/strbuf.c common/pyrepr.c common/pyrepr_table.c
PARTITION_SRCS = partition/disk.c partition/disk_cache.c partition/discover.c partition/fdisk_read.c partition/gpt_guard.c partition/part_order.c partition/vdisk.c partition/vdisk_table.c partition/qcow2.c partition/vhd.c partition/stack.c partition/md.c partition/lvm_label.c partition/lvm_text.c partition/lvm_vg.c
FS_SRCS = fs/fs.c fs/path.c fs/ext.c fs/ext_io.c fs/xfs.c fs/xfs_inode.c fs/xfs_bmap.c fs/xfs_dir.c fs/fat.c fs/fat_chain.c fs/fat_dir.c fs/btrfs.c fs/btrfs_crc.c fs/btrfs_super.c fs/btrfs_tree.c fs/btrfs_decomp.c fs/btrfs_file.c fs/iso9660.c fs/iso9660_dir.c fs/iso9660_susp.c
MENU_SRCS = menu/menu.c menu/cfgtext.c menu/bls.c menu/extlinux.c menu/select.c menu/cfgfiles.c menu/grub_legacy.c menu/lilo.c menu/grubenv.c menu/grub2.c menu/grub2_arena.c menu/grub2_lex.c menu/grub2_parse.c menu/grub2_vars.c menu/grub2_expand.c menu/grub2_test.c menu/grub2_eval.c menu/grub2_entry.c menu/grub2_cmds.c menu/grub2_blscfg.c menu/flat.c menu/tui.c menu/netlayout.c menu/grubenv_edit.c menu/envsave.c menu/flat_lines.c menu/tui_keys.c menu/tui_edit.c menu/tui_entry.c menu/tui_level.c
MENU_SRCS += menu/auth.c menu/grub2_auth.c menu/tui_login.c menu/crypto_dl.c
BOOT_WIRE_SRCS = bootloader/wire/blob.c bootloader/wire/result.c bootloader/wire/wire.c bootloader/wire/wire_menu.c bootloader/wire/envwrite.c bootloader/wire/text_ok.c
BOOT_WIRE_SRCS += bootloader/wire/wire_login.c
# runs confined, in the worker: the pipeline over the guest's disk
BOOT_CONFINED_SRCS = bootloader/confined/run.c bootloader/confined/volumes.c bootloader/confined/cfgio.c bootloader/confined/fileblob.c bootloader/confined/netfetch.c bootloader/confined/curl_dl.c bootloader/confined/envstore.c bootloader/confined/stream_out.c bootloader/confined/uki_scan.c bootloader/confined/kcheck_io.c bootloader/confined/pvgrub.c bootloader/confined/edit_args.c
# runs as root, in the supervisor: argv, opening, confinement, validation, extraction, output
BOOT_PRIV_SRCS = bootloader/privileged/cmdline.c bootloader/privileged/output.c bootloader/privileged/extract.c bootloader/privileged/copy_runs.c bootloader/privileged/validate.c bootloader/privileged/sandbox.c bootloader/privileged/supervisor.c bootloader/privileged/sandbox_net.c bootloader/privileged/netboot.c bootloader/privileged/envwrite.c bootloader/privileged/menu_watch.c bootloader/privileged/seccomp_rules.c bootloader/privileged/seccomp_prog.c bootloader/privileged/toolstack.c bootloader/privileged/domcfg.c bootloader/privileged/xen_dl.c bootloader/privileged/xlquote.c bootloader/privileged/jsonout.c bootloader/privileged/pipe_read.c bootloader/privileged/stream_in.c bootloader/privileged/cleanup.c bootloader/privileged/outdir.c bootloader/privileged/outfile.c bootloader/privileged/backing.c bootloader/privileged/nobody.c bootloader/privileged/prefault.c
BOOT_WIRE_SRCS += bootloader/wire/entries.c bootloader/wire/blob.c bootloader/wire/result.c bootloader/wire/wire.c bootloader/wire/wire_menu.c bootloader/wire/text_ok.c
BOOT_CONFINED_SRCS += bootloader/confined/entries_out.c bootloader/confined/diagnose.c bootloader/confined/kcheck.c bootloader/confined/run.c bootloader/confined/volumes.c bootloader/confined/cfgio.c bootloader/confined/fileblob.c bootloader/confined/stream_out.c
BOOT_SRCS = $(BOOT_WIRE_SRCS) $(BOOT_CONFINED_SRCS) $(BOOT_PRIV_SRCS)
MAIN_SRC = bootloader/privileged/main.c

# kernel images: PE/COFF section tables, UKIs, the kernel check (pure parsers)
KERNEL_SRCS = kernel/pe.c kernel/uki.c kernel/kcheck.c
LIB_SRCS = $(COMMON_SRCS) $(PARTITION_SRCS) $(FS_SRCS) $(MENU_SRCS) $(KERNEL_SRCS) $(BOOT_SRCS)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)

# Unit tests: tests/unit/test_NAME.c -> $(BUILD)/tests/test_NAME
UNIT_TESTS = test_output test_copy_runs test_bls test_path test_ext test_partition test_extlinux test_select test_cfgfiles test_wire test_sandbox test_xfs test_legacy test_lilo test_grub2 test_grubenv test_fat test_btrfs test_iso9660 test_menu_wire test_grubenv_edit test_confine test_deadline test_seccomp_bpf test_xlquote test_entries test_stream test_outdir test_text test_lvm_text test_pe test_kcheck
UNIT_TESTS += test_auth test_backing test_nobody
UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/%)
# The test build's worker hooks (bootloader/privileged/test_hooks.h): in
# build/pvboot-test and the unit tests, never in build/pvboot.
TEST_HOOKS_OBJ = $(BUILD)/tests/hooks/worker_hooks.o
# Objects every unit test links with (helpers shared by several tests)
TEST_HELPERS = $(BUILD)/tests/unit/fstest.o $(TEST_HOOKS_OBJ)

# Fuzz targets (tests/fuzz): plain builds replay corpora in `make check`;
# `make fuzz FUZZ_SECONDS=N` builds them with clang's libFuzzer and runs each.
FUZZ_FS = ext xfs fat btrfs iso9660
FUZZ_CFG = grub2 grub_legacy extlinux lilo
FUZZ_NAMES = partition pipeline bls entries $(FUZZ_FS:%=fs_%) $(FUZZ_CFG:%=cfg_%) wire lvm_text volumes pe vdisk
FUZZ_SECONDS ?= 60

all: $(BUILD)/pvboot

# CPPFLAGS: the distribution's (dpkg-buildflags: -D_FORTIFY_SOURCE=2)
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The worker's seccomp program, exported at build time from the rule table
# (seccomp_rules.c) by a generator built for and run on this machine.
SECCOMP_GEN = $(BUILD)/gen/seccomp_worker_bpf.h
$(BUILD)/tools/gen_seccomp: tools/gen_seccomp.c bootloader/privileged/seccomp_rules.c bootloader/privileged/seccomp_rules.h
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) -O2 -o $@ tools/gen_seccomp.c bootloader/privileged/seccomp_rules.c -lseccomp

$(SECCOMP_GEN): $(BUILD)/tools/gen_seccomp
	@mkdir -p $(dir $@)
	$(BUILD)/tools/gen_seccomp >$@.tmp && mv $@.tmp $@

$(BUILD)/bootloader/privileged/seccomp_prog.o: $(SECCOMP_GEN)
$(BUILD)/bootloader/privileged/seccomp_prog.o: PV_CFLAGS += -I$(BUILD)/gen
$(BUILD)/bootloader/privileged/xen_dl.o: PV_CFLAGS += $(PV_CFLAGS_XEN)

$(BUILD)/libpvboot.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pvboot: $(BUILD)/$(MAIN_SRC:.c=.o) $(BUILD)/libpvboot.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Same objects as build/pvboot plus the hooks (tests/hostile.sh, tests/orphan.sh)
$(BUILD)/pvboot-test: $(BUILD)/$(MAIN_SRC:.c=.o) $(TEST_HOOKS_OBJ) $(BUILD)/libpvboot.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

test-build: $(BUILD)/pvboot-test

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_HELPERS) $(BUILD)/libpvboot.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
# test_xlquote reads its output back with libxlutil itself (pvboot dlopen()s it)
$(BUILD)/tests/test_xlquote: LIBS += $(shell pkg-config --libs $(XEN_PKGS) 2>/dev/null)

$(BUILD)/fuzz/fs_%.o: tests/fuzz/fuzz_fs.c
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) $(CFLAGS) -DFUZZ_FS_OPS=$*_fs_ops -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/cfg_%.o: tests/fuzz/fuzz_config.c
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) $(CFLAGS) -DFUZZ_PARSE=$*_parse -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/%.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libpvboot.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/fuzzer_%: $(BUILD)/fuzz/%.o $(BUILD)/libpvboot.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Replay the committed corpora and regression inputs, and generated seeds.
fuzz-replay: $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
	@tests/fuzz/seeds.sh $(BUILD)/fuzz/seeds
	@st=0; for n in $(FUZZ_NAMES); do \
		$(BUILD)/fuzz/replay_$$n tests/fuzz/corpus/$$n tests/fuzz/regress/$$n $(BUILD)/fuzz/seeds/$$n || st=1; \
	done; exit $$st

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=fuzzer,address,undefined" fuzz-run

fuzz-run: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzzer_%)
	tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

unit: $(UNIT_BINS)
	@st=0; for t in $(UNIT_BINS); do $$t || st=1; done; exit $$st

images: $(BUILD)/pvboot
	tests/images/build.sh $(BUILD)/images

deps:
	tests/install-deps.sh

# First set-up command: build everything and boot the bundled sample guest.
demo: deps
	$(MAKE) all
	tests/demo.sh $(BUILD)

# Every suite runs even when one before it failed; each appends its counts
# to $(COUNTS) and tests/sum-counts.sh prints the one closing line
# "N passed, M failed, K skipped" and fails on any failure (or a suite
# that reported nothing).
COUNTS = $(abspath $(BUILD))/counts
# the shell suites make check runs, in order; each reports its counts
CHECK_SCRIPTS = e2e grubenv corpus differential hostile menu netboot vdisk orphan menu_deadline protocol manpage
CHECK_SUITES = unit fuzz $(CHECK_SCRIPTS)
check: deps
	@mkdir -p $(BUILD) && rm -f $(COUNTS)
	$(MAKE) all test-build images
	-PV_COUNTS=$(COUNTS) $(MAKE) unit
	-PV_COUNTS=$(COUNTS) $(MAKE) fuzz-replay
	-@for t in $(CHECK_SCRIPTS); do \
		PV_COUNTS=$(COUNTS) BUILD=$(BUILD) tests/$$t.sh; \
	done
	@tests/sum-counts.sh $(COUNTS) $(CHECK_SUITES)

# the suites make check sums (.ci/run sums two runs of them)
print-suites:
	@echo $(CHECK_SUITES)

# The Debian package: built in a clean Debian 12 chroot with only its
# Build-Depends, installed with apt into another, the sample guest booted
# with /usr/bin/pvboot there (tests/deb.sh: root, the Debian mirror, about
# two minutes).  CI runs it after make check; make check does not.
DEB_COUNTS = $(abspath $(BUILD))/counts-deb
check-deb: deps
	@mkdir -p $(BUILD) && rm -f $(DEB_COUNTS)
	-PV_COUNTS=$(DEB_COUNTS) tests/deb.sh
	@tests/sum-counts.sh $(DEB_COUNTS) deb

# xl create runs pvboot under real Xen 4.17 in QEMU (tests/xen/run.sh)
check-xen: all
	tests/xen/run.sh $(BUILD)

# pvboot against pygrub and a plain copy of the same bytes (not a test)
bench: all
	tests/bench.sh $(BUILD)

install: $(BUILD)/pvboot
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/pvboot $(DESTDIR)$(BINDIR)/pvboot
	gzip -9n <doc/pvboot.1 >$(DESTDIR)$(MANDIR)/man1/pvboot.1.gz
	chmod 0644 $(DESTDIR)$(MANDIR)/man1/pvboot.1.gz
	install -d $(DESTDIR)$(PYGRUB_LINK_DIR)
	ln -sf $(BINDIR)/pvboot $(DESTDIR)$(PYGRUB_LINK_DIR)/pygrub

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pvboot $(DESTDIR)$(MANDIR)/man1/pvboot.1.gz
	rm -f $(DESTDIR)$(PYGRUB_LINK_DIR)/pygrub
	-rmdir $(DESTDIR)$(PYGRUB_LINK_DIR) 2>/dev/null

clean:
	rm -rf $(BUILD) build-*

.PHONY: all test-build unit images check check-deb check-xen install uninstall clean deps demo fuzz fuzz-run fuzz-replay bench print-suites
.SECONDARY:

-include $(LIB_OBJS:.o=.d) $(BUILD)/$(MAIN_SRC:.c=.d) $(TEST_HOOKS_OBJ:.o=.d)
# tests and fuzz targets depend on the headers too
-include $(wildcard $(BUILD)/tests/unit/*.d $(BUILD)/fuzz/*.d $(BUILD)/tests/fuzz/*.d)
-include $(LIB_OBJS:.o=.d) $(BUILD)/$(MAIN_SRC:.c=.d)
# the unit tests and fuzz drivers depend on their headers too (unit.h)
-include $(UNIT_TESTS:%=$(BUILD)/tests/unit/%.d) $(wildcard $(BUILD)/fuzz/*.d $(BUILD)/tests/fuzz/*.d)
