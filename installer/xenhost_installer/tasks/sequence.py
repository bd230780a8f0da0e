"""The declared install sequence: each task's text, function, weight and the programs it runs.

Weights are roughly seconds under emulation (the e2e install logs, 2026-12-01: extracting a dom0
tarball 47 s, writing the filesystem image about half that, each GRUB install 10-14 s (both now
run at once), everything else about a second), and the progress bar says so.
`programs` are the installer environment's programs a task runs (those run inside the target's
chroot come from the dom0 image): preflight checks every declared program before any write, and a
slow-tier test checks that the built installer image ships each of them.
"""
from xenhost_common.tasks import Task

from . import bootloader, configure, firstboot, regional, storage, upgrade

WIPE = ("wipefs", "vgchange", "mdadm", "partprobe", "udevadm")
MOUNT = ("mount", "umount")
CHROOT = ("chroot", "mount", "umount")


def root_tasks(plan):
    """The root filesystem with the image in it, mounted with the logs partition on /var/log."""
    if storage.image_is_filesystem(plan):
        return [
            Task("Creating filesystems", storage.make_filesystems_but_root, 3, ("mkfs.vfat", "mkswap", "mkfs.ext4")),
            Task("Writing dom0 image to the root partition", storage.write_image, 20, storage.WRITE_PROGRAMS),
            Task("Mounting target filesystems", storage.mount_written_target, 1, (*MOUNT, "cp")),
        ]
    return [
        Task("Creating filesystems", storage.make_filesystems, 8, ("mkfs.ext4", "mkfs.vfat", "mkswap")),
        Task("Mounting target filesystems", storage.mount_target, 1, MOUNT),
        Task("Extracting dom0 image", storage.extract_image, 45, ("tar", "zstd", "sync")),
    ]


def build_tasks(plan):
    if plan.mode != "install":
        return upgrade.MODE_TASKS[plan.mode](plan)
    guests = plan.guest_disk_paths or []
    return [
        Task("Wiping old signatures on %s" % plan.disk_path, storage.wipe, 2, WIPE),
        *([Task("Wiping guest disks %s" % ", ".join(guests), storage.wipe_guest_disks, 2, WIPE)] if guests else []),
        Task("Partitioning %s (GPT)" % plan.disk_path, storage.partition, 3, ("sgdisk", "partprobe", "udevadm")),
        *root_tasks(plan),
        Task("Mounting EFI system partition", storage.mount_esp, 1, MOUNT),
        Task("Writing /etc/fstab", configure.write_fstab, 1, ("blkid",)),
        Task("Preparing chroot", bootloader.bind_mounts, 1, CHROOT),
        Task("Setting hostname %s" % plan.hostname, configure.set_hostname, 0.5),
        Task("Setting root password", configure.set_root_password, 0.5),
        Task("Setting keymap %s" % plan.keymap, regional.write_keymap, 0.5, ("chroot",)),
        Task("Setting time zone %s" % plan.timezone, regional.write_timezone, 0.5),
        Task("Setting NTP servers (%s)" % (", ".join(plan.ntp_servers) or "Debian's pool"), regional.write_ntp, 0.5),
        Task("Writing boot options", bootloader.write_grub_defaults, 0.5),
        Task("Installing GRUB for BIOS and UEFI", bootloader.grub_install_both, 10, ("chroot",)),
        Task("Generating GRUB configuration", bootloader.update_grub, 1, ("chroot",)),
        Task("Writing first-boot data", firstboot.write_firstboot, 1, ("sfdisk",)),
        Task("Saving installer log", configure.save_logs, 1),
        Task("Unmounting target", storage.unmount_all, 2, ("umount", "sync")),
    ]
