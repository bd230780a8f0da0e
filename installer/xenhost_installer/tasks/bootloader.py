"""Bootloader tasks: GRUB for BIOS (i386-pc) and UEFI (removable path, no NVRAM writes)."""
from ..bootcfg import grub_defaults_text
from ..mounts import chroot_binds

GRUB_DEFAULTS = "etc/default/grub.d/50-xenhost-install.cfg"


def bind_mounts(ctx):
    ctx.stack.enter_context(chroot_binds(ctx.commands, ctx.target))


def write_grub_defaults(ctx):
    ctx.write(GRUB_DEFAULTS, grub_defaults_text(ctx.plan, ctx.host))


# The core image must read GPT to find /boot/grub: grub-install detects that from the root device,
# but not when the root is not a partition node (test mode's offset loop devices), so say it always.
PRELOAD = "--modules=part_gpt"


def grub_install_bios(ctx):
    ctx.commands.run(["grub-install", "--target=i386-pc", PRELOAD, ctx.plan.disk_path], chroot=ctx.target)


def grub_install_efi(ctx):
    # --removable: \EFI\BOOT\BOOTX64.EFI boots without NVRAM entries; --no-nvram: the installer
    # may run under BIOS, and NVRAM writes from a live system are unreliable
    ctx.commands.run(["grub-install", "--target=x86_64-efi", PRELOAD, "--efi-directory=/boot/efi", "--removable",
                      "--no-nvram"], chroot=ctx.target)


def update_grub(ctx):
    ctx.commands.run(["update-grub"], chroot=ctx.target)
