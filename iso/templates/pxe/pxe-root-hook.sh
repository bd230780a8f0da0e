#!/bin/bash
# dracut pre-udev hook, shipped in pxe-root-hook.cpio (an extra initrd of the PXE boot configs).
# Over PXE the installer's root is the ISO itself, which the boot loader fetched over HTTP as
# the initrd installer-root.cpio: the kernel unpacked it to /xenhost/installer.iso. Attaching it
# to a loop device before udev starts gives kiwi's live module the device it waits for
# (root=live:CDLABEL=XENHOST), exactly as if the ISO were in a drive.
if [ -f /xenhost/installer.iso ]; then
    modprobe -q loop
    if losetup -r -f /xenhost/installer.iso; then
        info "xenhost: installer root attached from the PXE initrd ($(losetup -j /xenhost/installer.iso))"
    else
        warn "xenhost: could not attach /xenhost/installer.iso to a loop device"
    fi
fi
