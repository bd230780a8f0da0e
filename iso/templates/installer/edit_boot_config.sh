#!/bin/sh
# kiwi calls this after writing the ISO's boot loader configuration, with "iso:MEDIA_DIR" and
# the boot partition number. Two fixes to kiwi's menu, on every GRUB configuration of the medium:
# 1. kiwi's BIOS GRUB core image has no `serial` command built in and its grub.cfg calls `serial`
#    without loading the module, so the menu never reached a serial console: load it first.
# 2. The installer runs on /dev/console, which is the LAST console= on the kernel command line.
#    The first entry ends in console=tty0 (a screen and keyboard); add an entry right after it
#    that ends in console=ttyS0 for hosts managed over a serial line (as XenServer's ISO does).
set -eu
media="${1#iso:}"
SERIAL_TITLE="xenhost-installer (serial console ttyS0)"
for cfg in "$media/boot/grub/grub.cfg" "$media/EFI/BOOT/grub.cfg"; do
    [ -f "$cfg" ] || continue
    grep -q '^insmod serial' "$cfg" || sed -i 's/^serial /insmod serial\ninsmod terminfo\nserial /' "$cfg"
    grep -qF "$SERIAL_TITLE" "$cfg" && continue
    awk -v title="$SERIAL_TITLE" '
        { print }
        /^menuentry / && !done { copying = 1; entry = "" }
        copying {
            line = $0
            if (line ~ /^menuentry /) sub(/"[^"]*"/, "\"" title "\"", line)
            if (line ~ /^[ \t]*linux/) {
                gsub(/ console=[^ ]*/, "", line)
                sub(/\$\{isoboot\}/, "${isoboot} console=tty0 console=ttyS0,115200", line)
            }
            entry = entry line "\n"
            if ($0 ~ /^}/) { printf "%s", entry; copying = 0; done = 1 }
        }' "$cfg" > "$cfg.new"
    mv "$cfg.new" "$cfg"
done
