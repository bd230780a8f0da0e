#!/bin/bash
# Runs inside the dom0 image root at the end of kiwi's prepare step (and again when incremental.py
# updates a copy of the root with changed packages of ours: every step here may run twice).
set -euo pipefail
# First boot applies the installer's data; networkd then runs the management bridge.
systemctl enable xenhost-firstboot.service systemd-networkd.service
# The toolstack at every boot: SRs attached, VM states resynced, auto_poweron VMs started.
systemctl enable xenhost-autostart.service
systemctl set-default multi-user.target
# e2scrub snapshots ext4 file systems on LVM volumes: on this host those are guests' disks in the
# LVM SR, not dom0's (its root is a partition). Its boot-time reaper alone took ~10 s of the first
# boot's CPU under emulation.
systemctl mask e2scrub_reap.service e2scrub_all.timer
# binfmt_misc runs foreign binaries through an interpreter (qemu-user, Wine): nothing a Xen host
# has; its unit and mount were ~3 s of CPU at the moment first boot starts, under emulation.
systemctl mask systemd-binfmt.service proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount
# Identity is per host: made on first boot, never baked into the image.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*
echo xenhost > /etc/hostname
# What images.yaml leaves out (unused kernel modules, translations).
/usr/lib/xenhost-build/exclude.sh
# Every keymap the installer offers, compiled once here (ckbcomp took ~11 s per install under
# emulation): the installer copies the chosen one's cache into /etc/console-setup/. The
# keyboard file is the one the installer writes (tasks/regional.py keyboard_text).
keymaps=/usr/share/xenhost/keymaps
if ! cmp -s "$keymaps/list" "$keymaps/list.compiled"; then
    cp /etc/default/keyboard /etc/default/keyboard.image
    while read -r name layout variant; do
        printf 'XKBMODEL="pc105"\nXKBLAYOUT="%s"\nXKBVARIANT="%s"\nXKBOPTIONS=""\nBACKSPACE="guess"\n' \
            "$layout" "$variant" > /etc/default/keyboard
        rm -rf "${keymaps:?}/$name" && mkdir -p "$keymaps/$name"
        setupcon --force --save-only
        mv /etc/console-setup/cached_*.kmap.gz /etc/console-setup/cached_setup_keyboard.sh "$keymaps/$name/"
    done < "$keymaps/list"
    mv /etc/default/keyboard.image /etc/default/keyboard
    setupcon --force --save-only
    cp "$keymaps/list" "$keymaps/list.compiled"
fi
# Our Python byte-compiled once here: Debian's packages get theirs from py3compile, ours had
# none, so every first boot (and every xe) compiled the modules again under emulation.
# checked-hash: a .pyc is used only while its source has the same hash (mtime and size say too
# little when dpkg -i replaces a file dated SOURCE_DATE_EPOCH); -f: every run rewrites them all;
# PYTHONHASHSEED: the same .pyc bytes every build.
PYTHONHASHSEED=0 python3 -m compileall -q -f --invalidation-mode checked-hash /usr/lib/xenhost/python
rm -rf /usr/lib/xenhost-build
# The image is written as is to every host: keep it small.
apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/*/changelog* /var/cache/debconf/*-old
