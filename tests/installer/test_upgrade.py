"""Upgrade and restore with the fake command runner: preflight per mode, task order, what is never written."""
import io
import os

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.disks import Disk, Part, partition_path
from xenhost_installer.errors import PreflightError
from xenhost_installer.existing import ExistingInstall
from xenhost_installer.install import install
from xenhost_installer.layout import MiB, compute_layout
from xenhost_installer.runner import TaskRunner
from xenhost_installer.tasks.upgrade import identity_paths, merge_shadow

from conftest import FakeCommands, FakeProbe, GiB

UUID = "0f0e0d0c-0b0a-4909-8807-060504030201"
OLD_SHADOW = "root:$6$old$hash:19000:0:99999:7:::\nadmin:$6$x$y:19000::::::\ndaemon:*:19000:0:99999:7:::\n"


def installed_disk(path="/dev/vda", size=20 * GiB, drop=()):
    """A disk as a fresh install leaves it (GPT labels and filesystems), minus the labels in drop."""
    return Disk(path, "disk", size, "QEMU HARDDISK", partitions=[
        Part(p.number, partition_path(path, p.number), (p.size_mib or 1024) * MiB, p.label, p.fs)
        for p in compute_layout(size) if p.label not in drop])


def found(**kw):
    values = dict(disk="/dev/vda", version="0.1", hostname="xh-old", backup_version="0.0.9", root_uuid=UUID,
                  root_used=2 * GiB, backup_size=4 * GiB)
    values.update(kw)
    return ExistingInstall(**values)


def make_plan(image, mode, **disk):
    return planmod.from_answers({"version": 1, "mode": mode, "disk": dict({"primary": "/dev/vda"}, **disk)},
                                image=image)


def preflight_failure(plan, probe, host, target):
    commands = FakeCommands()
    with pytest.raises(PreflightError) as exc:
        install(plan, commands=commands, probe=probe, host=host, target=target)
    assert commands.calls == []
    return str(exc.value)


def test_upgrade_without_existing_install_names_the_disk_and_the_fix(image, host, target):
    probe = FakeProbe([installed_disk(), Disk("/dev/vdb", "disk", 20 * GiB)], existing=[found(disk="/dev/vdb")])
    msg = preflight_failure(make_plan(image, "upgrade"), probe, host, target)
    assert "no xenhost installation found on disk /dev/vda" in msg and "xenhost was found on: /dev/vdb" in msg
    assert "fix: set disk.primary to the disk holding xenhost, or use mode: install" in msg


def test_upgrade_refusals_are_all_reported(image, host, target):
    probe = FakeProbe([installed_disk(drop=("xenhost-esp",))], existing=[found(root_used=5 * GiB, root_uuid="")])
    msg = preflight_failure(make_plan(image, "upgrade", guest=["/dev/vdb"]), probe, host, target)
    assert "lacks the partitions xenhost-esp" in msg and "has no UUID" in msg
    assert "backup partition on /dev/vda (4.0 GiB) cannot hold the root filesystem's 5.0 GiB" in msg
    assert "disk.guest is for fresh installs" in msg


def test_restore_needs_a_backup_but_no_image(tmp_path, host, target):
    probe = FakeProbe([installed_disk()], existing=[found(backup_version=None)])
    msg = preflight_failure(make_plan(str(tmp_path / "no-image"), "restore"), probe, host, target)
    assert "has no backup of an earlier xenhost" in msg and "image" not in msg


@pytest.fixture
def run_mode(image, host, target, tmp_path):
    def run(mode, nics=True):
        host.nics = host.nics if nics else []        # the host's network config is kept: no NIC needed
        backup = tmp_path / "backup"                  # what the fake `cp -a` would have put there
        for rel, text in {"etc/hostname": "xh-old\n", "etc/ssh/ssh_host_ed25519_key": "k", "etc/shadow": OLD_SHADOW,
                          "etc/xenhost/firstboot.yaml": "version: 1\n", "var/log/syslog": "x"}.items():
            os.makedirs(os.path.dirname(backup / rel), exist_ok=True)
            (backup / rel).write_text(text)
        log_path = tmp_path / "install.log"
        log_path.write_text("log line\n")
        commands, out = FakeCommands(), io.StringIO()
        plan = make_plan(image, mode)
        install(plan, commands=commands, probe=FakeProbe([installed_disk()], existing=[found()]), host=host,
                target=target, runner=TaskRunner(out=out, clock=lambda: 0.0), log_path=str(log_path))
        return [" ".join(c) for c in commands.calls], out.getvalue(), plan
    return run


NEVER = ("/dev/vda5", "/dev/vda6", "/dev/vda7", "/dev/vdb", "wipefs", "sgdisk", "mkswap", "vgchange", "mdadm")


def test_upgrade_sequence(run_mode, target, tmp_path, image):
    cache = os.path.join(target, "etc/console-setup/cached_UTF-8_del.kmap.gz")     # the image's, for us
    os.makedirs(os.path.dirname(cache))
    open(cache, "w").close()
    calls, out, plan = run_mode("upgrade", nics=False)
    assert not os.path.exists(cache)
    assert [p.number for p in plan.layout] == [1, 2, 3, 4, 5, 6, 7] and plan.existing.version == "0.1"
    assert not [c for c in calls if any(n in c for n in NEVER)]       # logs, swap, SR, guests: untouched
    backup, root = str(tmp_path / "backup"), str(tmp_path / "old-root")
    order = ["mkfs.ext4 -F -q -L xenhost-backup /dev/vda4", "mount /dev/vda4 %s" % backup,
             "mount -o ro /dev/vda3 %s" % root, "cp -a --one-file-system %s/. %s" % (root, backup),
             "umount %s" % root, "mkfs.ext4 -F -q -L xenhost-root -U %s /dev/vda3" % UUID,
             "mount /dev/vda3 %s" % target, "tar --numeric-owner --xattrs --xattrs-include=* -xf %s -C %s"
             % (image, target), "cp -a %s/etc/hostname %s/etc/hostname" % (backup, target),
             "chroot %s grub-install --target=i386-pc --modules=part_gpt /dev/vda" % target,
             "chroot %s update-grub" % target, "umount %s" % backup]
    assert [calls.index(c) for c in order] == sorted(calls.index(c) for c in order)
    for rel in ("etc/ssh/ssh_host_ed25519_key", "etc/xenhost"):
        assert "cp -a %s/%s %s/%s" % (backup, rel, target, rel) in calls
    assert not [c for c in calls if "var/log" in c]
    marker = yaml.safe_load((tmp_path / "backup/.xenhost-backup").read_text())
    assert marker["version"] == "0.1" and marker["hostname"] == "xh-old" and marker["root-uuid"] == UUID
    shadow = open(os.path.join(target, "etc/shadow")).read()
    assert shadow.startswith("root:$6$old$hash:") and "admin" not in shadow and "daemon:*:" in shadow
    assert open(os.path.join(target, "var/lib/xenhost/installer/upgrade.log")).read() == "log line\n"
    assert out.splitlines()[0].startswith("[ 1/12] Backing up xenhost 0.1 to the backup partition ... done")


def test_restore_sequence(run_mode, target, tmp_path):
    (tmp_path / "target/.xenhost-backup").write_text("version: 0.0.9\n")     # as the copy would bring it
    calls, out, plan = run_mode("restore")
    assert not [c for c in calls if any(n in c for n in NEVER)]
    backup = str(tmp_path / "backup")
    order = ["mount -o ro /dev/vda4 %s" % backup, "mkfs.ext4 -F -q -L xenhost-root -U %s /dev/vda3" % UUID,
             "mount /dev/vda3 %s" % target, "cp -a --one-file-system %s/. %s" % (backup, target),
             "chroot %s update-grub" % target]
    assert [calls.index(c) for c in order] == sorted(calls.index(c) for c in order)
    assert not any(c.startswith("tar ") or "xenhost-backup /dev" in c for c in calls)
    assert not os.path.exists(os.path.join(target, ".xenhost-backup"))
    assert "Copying xenhost 0.0.9 back from the backup partition" in out


def test_merge_shadow_keeps_old_passwords_of_accounts_both_have():
    new = "root:*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\nnewsvc:!:20000::::::\n"
    text, kept, dropped = merge_shadow(OLD_SHADOW, new)
    assert text.splitlines() == ["root:$6$old$hash:19000:0:99999:7:::", "daemon:*:19000:0:99999:7:::",
                                 "newsvc:!:20000::::::"]
    assert kept == ["daemon", "root"] and dropped == ["admin"]


def test_identity_paths(tmp_path):
    for rel in ("etc/hostname", "etc/ssh/ssh_host_rsa_key", "etc/ssh/sshd_config", "root/.ssh/authorized_keys",
                "etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
                "etc/systemd/system/multi-user.target.wants/cron.service", "var/log/syslog"):
        os.makedirs(os.path.dirname(tmp_path / rel), exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert identity_paths(str(tmp_path)) == [
        "etc/hostname", "etc/ssh/ssh_host_rsa_key",
        "etc/systemd/system/multi-user.target.wants/systemd-networkd.service", "root/.ssh"]
