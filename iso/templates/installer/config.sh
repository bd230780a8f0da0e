#!/bin/bash
# Runs inside the installer image root at the end of kiwi's prepare step.
set -euo pipefail
# answerfile=http://... needs an address: DHCP on every wired NIC (80-installer-dhcp.network),
# or only on network_device= (xenhost-network-device.service).
systemctl enable systemd-networkd.service xenhost-installer.service xenhost-network-device.service
systemctl set-default multi-user.target
# Units a live installer has no use for, which ran at every boot (systemd-analyze blame in a VM:
# e2scrub_reap 26 s under emulation, on the CPU the installer waits for): ext4 scrubbing of LVM
# volumes, LVM mirror monitoring, and the periodic jobs of an installed system.
systemctl mask e2scrub_reap.service e2scrub_all.timer lvm2-monitor.service \
    apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer
: > /etc/machine-id
# dbus's own copy would give every installer booted from this ISO one id (and two builds of one
# commit different bytes); dbus reads /etc/machine-id, made at each boot.
rm -f /var/lib/dbus/machine-id
echo xenhost-installer > /etc/hostname
# What images.yaml leaves out (unused kernel modules, docs, translations).
/usr/lib/xenhost-build/exclude.sh
# Our Python byte-compiled once here: Debian's packages get theirs from py3compile, ours had
# none, so every installer boot (its root is rebuilt in RAM) compiled them again under
# emulation.
# checked-hash: a .pyc is used only while its source has the same hash (mtime and size say too
# little when dpkg -i replaces a file dated SOURCE_DATE_EPOCH); -f: every run rewrites them all;
# PYTHONHASHSEED: the same .pyc bytes every build.
PYTHONHASHSEED=0 python3 -m compileall -q -f --invalidation-mode checked-hash /usr/lib/xenhost/python
rm -rf /usr/lib/xenhost-build
# The initrd Debian's dracut hook made: the live system is booted by the one kiwi builds for the ISO.
rm -f /boot/initrd.img-*
apt-get clean
rm -rf /var/lib/apt/lists/*
# Logs and backups of this image's own build: they differ between two builds of one commit
# (ci/compare_iso.py) and mean nothing in the live system.
rm -f /var/log/dpkg.log /var/log/alternatives.log /var/log/apt/*.log /var/log/apt/eipp.log.xz \
      /var/lib/dpkg/status-old /var/cache/ldconfig/aux-cache /var/cache/debconf/*-old
