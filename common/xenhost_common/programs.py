"""Which Debian package provides each program the runtime components run, declared once.

ProgramMissing names the package to add; the installer's preflight and the slow-tier check of
the built installer image read the same table.
"""

PROGRAM_PACKAGES = {
    "blkid": "util-linux", "lsblk": "util-linux", "wipefs": "util-linux", "mount": "mount",
    "umount": "mount", "losetup": "mount", "sfdisk": "fdisk", "chpasswd": "passwd",
    "sgdisk": "gdisk", "partprobe": "parted", "udevadm": "udev", "blockdev": "util-linux",
    "mkfs.ext4": "e2fsprogs", "mkfs.vfat": "dosfstools", "mkswap": "util-linux", "e2fsck": "e2fsprogs",
    "resize2fs": "e2fsprogs", "tune2fs": "e2fsprogs", "mcopy": "mtools", "mmd": "mtools",
    "tar": "tar", "zstd": "zstd", "sha256sum": "coreutils", "chroot": "coreutils", "cp": "coreutils",
    "sync": "coreutils", "env": "coreutils", "findmnt": "util-linux", "mdir": "mtools",
    "grub-install": "grub2-common", "update-grub": "grub2-common", "grub-mkconfig": "grub2-common",
    "pvcreate": "lvm2", "vgcreate": "lvm2", "vgchange": "lvm2", "lvcreate": "lvm2", "lvremove": "lvm2",
    "lvresize": "lvm2", "lvs": "lvm2", "vgs": "lvm2", "pvs": "lvm2", "vgremove": "lvm2",
    "mdadm": "mdadm", "loadkeys": "kbd", "setupcon": "console-setup", "ip": "iproute2",
    "networkctl": "systemd", "systemctl": "systemd", "ssh-keygen": "openssh-client",
    "xl": "xen-utils-common", "qemu-img": "qemu-utils", "curl": "curl", "gpgv": "gpgv",
    "kexec": "kexec-tools", "dhclient": "isc-dhcp-client",
    # the toolstack's
    "lvextend": "lvm2", "findmnt": "util-linux", "dd": "coreutils", "uname": "coreutils", "mkdir": "coreutils",
    "pidof": "sysvinit-utils", "hostname": "hostname", "vgextend": "lvm2", "xe": "xenhost-toolstack",
}


def package_of(program):
    return PROGRAM_PACKAGES.get(program.rsplit("/", 1)[-1], f"<the package that ships {program}>")
