#!/bin/bash
# Runs inside the dom0 image root at the end of kiwi's prepare step.
set -euo pipefail
# First boot applies the installer's data; networkd then runs the management bridge.
systemctl enable xenhost-firstboot.service systemd-networkd.service
# The toolstack at every boot: SRs attached, VM states resynced, auto_poweron VMs started.
systemctl enable xenhost-autostart.service
systemctl set-default multi-user.target
# Identity is per host: made on first boot, never baked into the image.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*
echo xenhost > /etc/hostname
# The image is written as is to every host: keep it small.
apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/*/changelog* /var/cache/debconf/*-old
