# SPDX-License-Identifier: GPL-2.0-or-later
# pvboot: plain make, explicit source lists (one variable per stage).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
PKGS = ext2fs com_err fdisk blkid libseccomp ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
PV_CFLAGS = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. $(PKG_CFLAGS)
LIBS = $(PKG_LIBS) -lz -lzstd -llzo2

COMMON_SRCS = common/err.c common/sanitize.c common/strbuf.c
PARTITION_SRCS = partition/disk.c
FS_SRCS =
MENU_SRCS = menu/menu.c
BOOT_SRCS = bootloader/blob.c bootloader/result.c bootloader/output.c bootloader/cmdline.c bootloader/run.c bootloader/volumes.c bootloader/cfgio.c bootloader/fileblob.c bootloader/extract.c
MAIN_SRC = bootloader/main.c

LIB_SRCS = $(COMMON_SRCS) $(PARTITION_SRCS) $(FS_SRCS) $(MENU_SRCS) $(BOOT_SRCS)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)

# Unit tests: tests/unit/test_NAME.c -> $(BUILD)/tests/test_NAME
UNIT_TESTS = test_output
UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/%)

all: $(BUILD)/pvboot

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PV_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libpvboot.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pvboot: $(BUILD)/$(MAIN_SRC:.c=.o) $(BUILD)/libpvboot.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libpvboot.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do $$t; done

images: $(BUILD)/pvboot
	tests/images/build.sh $(BUILD)/images

check: all unit images
	BUILD=$(BUILD) tests/e2e.sh

install: $(BUILD)/pvboot
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BUILD)/pvboot $(DESTDIR)$(BINDIR)/pvboot

clean:
	rm -rf $(BUILD) build-*

.PHONY: all unit images check install clean
.SECONDARY:

-include $(LIB_OBJS:.o=.d) $(BUILD)/$(MAIN_SRC:.c=.d)
