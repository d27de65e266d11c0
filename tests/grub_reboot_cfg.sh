# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# GRUB_REBOOT_CFG: a grub.cfg as grub-reboot needs it (00_header's
# load_env; next_entry boots once and is cleared, else saved_entry) with
# two entries, "one" and "two" (GRUB_ONE_TWO, for a config with another
# header).  Sourced by tests/grubenv.sh and tests/hostile.sh, whose cases
# write or refuse to write its grubenv.
GRUB_ONE_TWO='menuentry "one" --id one {
	linux /boot/vmlinuz-1 root=/dev/xvda1 ro one
}
menuentry "two" --id two {
	linux /boot/vmlinuz-1 root=/dev/xvda1 ro two
}'
GRUB_REBOOT_CFG='if [ -s $prefix/grubenv ]; then
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
else
   set default="${saved_entry}"
fi
'$GRUB_ONE_TWO
