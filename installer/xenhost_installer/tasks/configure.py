"""Configuration written into the target: fstab, hostname, password, logs. (Keymap, time zone, NTP:
regional.py; first-boot data: firstboot.py.)"""
import logging
import os
import shutil

from ..answers import redacted_yaml
from ..password import set_root_hash

log = logging.getLogger(__name__)
LOCKED = "!"        # shadow's "no password login" (passwd -l style)


def filesystem_uuid(ctx, role):
    if role not in ctx.uuids:
        ctx.uuids[role] = ctx.commands.run(["blkid", "-s", "UUID", "-o", "value", ctx.part(role)]).stdout.strip()
    return ctx.uuids[role]


def fstab_text(uuids):
    return ("# Written by xenhost-installer. <file system> <mount point> <type> <options> <dump> <pass>\n"
            "UUID=%(root)s / ext4 errors=remount-ro 0 1\n"
            "UUID=%(esp)s /boot/efi vfat umask=0077 0 1\n"
            "UUID=%(logs)s /var/log ext4 defaults 0 2\n"
            "UUID=%(swap)s none swap sw 0 0\n" % uuids)


def write_fstab(ctx):
    ctx.write("etc/fstab", fstab_text({role: filesystem_uuid(ctx, role) for role in ("root", "esp", "logs", "swap")}))


def set_hostname(ctx):
    name = ctx.plan.hostname
    ctx.write("etc/hostname", name + "\n")
    ctx.write("etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t%s %s\n\n"
           "::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
           % (name, name.split(".")[0]))


def set_root_password(ctx):
    plan = ctx.plan
    if plan.root_password_hash is not None:
        set_root_hash(ctx.target, plan.root_password_hash)
    elif plan.ask_root_password_at_first_boot:
        # locked until xenhost-firstboot asks on the console (firstboot.yaml: root-password: ask)
        set_root_hash(ctx.target, LOCKED)
        log.info("root password: locked, asked at first boot")
    else:
        log.info("root password: kept as it is in the target")


def save_logs(ctx):
    """Copy the installer log, the redacted answers and the live system's journal to
    /var/log/installer on the target."""
    dest = ctx.path("var/log/installer")
    os.makedirs(dest, exist_ok=True)
    if os.path.exists(ctx.log_path):
        shutil.copyfile(ctx.log_path, os.path.join(dest, "install.log"))
    if ctx.plan.answers_redacted is not None:
        ctx.write("var/log/installer/answers.yaml", redacted_yaml(ctx.plan.answers_redacted), 0o600)
    save_journal(ctx, os.path.join(dest, "journal"))


def save_journal(ctx, dest):
    """The installer's boot and run as the live system's journal recorded them (units, network,
    kernel): what a failed or slow install is read from afterwards (`journalctl -D DEST`,
    ci/boot_profile.py --installer). Root's only, as the answers are."""
    stores = [d for d in ctx.journal_dirs if os.path.isdir(d)]
    if not stores:
        return
    ctx.commands.run(["journalctl", "--sync"], check=False)     # what journald still holds in memory
    for store in stores:        # journalctl -D reads the files of both stores as one journal
        shutil.copytree(store, dest, dirs_exist_ok=True)
    os.chmod(dest, 0o700)
