"""Bootloader tasks: GRUB for BIOS (i386-pc) and UEFI (removable path, no NVRAM writes)."""
import os
from concurrent.futures import ThreadPoolExecutor

from xenhost_common.files import write_atomic

from .. import grubcfg
from ..bootcfg import grub_defaults_text
from ..mounts import chroot_binds
from .configure import filesystem_uuid

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


def grub_install_both(ctx):
    """BIOS and UEFI GRUB at once: each grub-install is one CPU-bound process (~6 s each under
    emulation, one after the other) writing its own platform folder and boot code. What both write
    is the same: fonts and locales (identical bytes) and grubenv, which each creates through
    grubenv.new + rename when it is missing: made first here so that neither does."""
    if not os.path.exists(ctx.path("boot/grub/grubenv")):
        ctx.commands.run(["grub-editenv", "/boot/grub/grubenv", "create"], chroot=ctx.target)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(install, ctx) for install in (grub_install_bios, grub_install_efi)]
    for future in done:
        future.result()             # the first failure (BIOS before UEFI) is the task's error


def update_grub(ctx):
    """grub.cfg written from what the installer knows (grubcfg.py) instead of update-grub, whose
    grub-probe calls took 82-105 s under emulation; GRUB's own grub-script-check vets it before it
    replaces the old one (an upgrade keeps a bootable menu if the check fails)."""
    settings = grubcfg.grub_settings(ctx.commands, ctx.target)
    text = grubcfg.grub_cfg_text(ctx.target, settings, filesystem_uuid(ctx, "root"))
    path = ctx.path(grubcfg.GRUB_CFG)
    write_atomic(path + ".new", text, mode=0o444)    # 0444 as grub-mkconfig leaves it (no password inside)
    ctx.commands.run(["grub-script-check", "/" + grubcfg.GRUB_CFG + ".new"], chroot=ctx.target)
    os.replace(path + ".new", path)
