#!/bin/sh
# kiwi calls this after writing the ISO's boot loader configuration, with "iso:MEDIA_DIR" and
# the boot partition number. kiwi's BIOS GRUB core image has no `serial` command built in and
# its grub.cfg calls `serial` without loading the module, so the menu never reached a serial
# console. Load the module first, on every GRUB configuration of the medium.
set -eu
media="${1#iso:}"
for cfg in "$media/boot/grub/grub.cfg" "$media/EFI/BOOT/grub.cfg"; do
    [ -f "$cfg" ] || continue
    grep -q '^insmod serial' "$cfg" && continue
    sed -i 's/^serial /insmod serial\ninsmod terminfo\nserial /' "$cfg"
done
