#!/bin/sh
# Build the Minimal PVH guest's initramfs: Debian's busybox-static, our inittab and rcS, as a
# gzip'd newc cpio. Usage: make-initrd.sh BUSYBOX OUTPUT (run at package build time).
set -eu
busybox=$1 out=$2 here=$(dirname "$0")
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/bin" "$tree/sbin" "$tree/usr/bin" "$tree/usr/sbin" "$tree/etc" "$tree/proc" "$tree/sys" "$tree/dev" "$tree/tmp" "$tree/root"
cp "$busybox" "$tree/bin/busybox"
ln -s /bin/busybox "$tree/init"          # busybox runs as init when called "init"
ln -s /bin/busybox "$tree/bin/sh"
install -m 0644 "$here/inittab" "$tree/etc/inittab"
install -m 0755 "$here/rcS" "$tree/etc/rcS"
# Reproducible: fixed order and dates, owner root.
find "$tree" -exec touch -h -d @0 {} +
(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n > "$out"
