"""Upgrade and restore with the fake command runner: preflight per mode, task order, what is never written."""
import io
import os
import shutil

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.disks import Disk, Part, partition_path
from xenhost_installer.errors import PreflightError
from xenhost_installer.existing import ExistingInstall
from xenhost_installer.install import install
from xenhost_installer.layout import MiB, compute_layout
from xenhost_common.tasks import TaskSequence
from xenhost_installer.existing import UNFINISHED_MARKER, read_backup
from xenhost_installer.tasks.upgrade import identity_paths, merge_shadow

from xenhost_installer.tasks import storage

from installer_fixtures import FakeCommands, FakeProbe, GiB, tree

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


def make_plan(image, mode, answers=None, **disk):
    return planmod.from_answers(dict({"version": 1, "mode": mode, "disk": dict({"primary": "/dev/vda"}, **disk)},
                                     **(answers or {})), image=image)


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


OLD_ROOT = {"etc/xenhost-release": "0.1\n", "etc/hostname": "xh-old\n", "etc/ssh/ssh_host_ed25519_key": "k",
            "etc/shadow": OLD_SHADOW, "etc/xenhost/firstboot.yaml": "version: 1\n", "var/log/syslog": "x",
            "etc/default/grub.d/50-xenhost-install.cfg": "GRUB_CMDLINE_XEN_DEFAULT='old-options'\n",
            "etc/default/keyboard": 'XKBLAYOUT="de"\n', "etc/xen/vm1.cfg": "name='vm1'\n",
            "etc/xen/xl.conf": "# the old host's\n", "etc/xen/auto/vm1.cfg": "->../vm1.cfg"}


@pytest.fixture
def run_mode(image, host, target, tmp_path):
    def run(mode, nics=True, commands=None, existing=None, answers=None, image_path=None):
        host.nics = host.nics if nics else []        # the host's network config is kept: no NIC needed
        if not (tmp_path / "backup").exists():
            tree(tmp_path / "backup", OLD_ROOT)   # what the fake `cp -a` would have put there
        log_path = tmp_path / "install.log"
        log_path.write_text("log line\n")
        commands, out = commands or FakeCommands(), io.StringIO()
        plan = make_plan(image_path or image, mode, answers)
        run.plan, run.commands = plan, commands
        install(plan, commands=commands, probe=FakeProbe([installed_disk()], existing=[existing or found()]),
                host=host, target=target, runner=TaskSequence(out=out, clock=lambda: 0.0), log_path=str(log_path))
        return [" ".join(c) for c in commands.calls], out.getvalue(), plan
    return run


class WatchingCommands(FakeCommands):
    """Notes whether the unfinished-upgrade marker is on the backup when the root is re-made, and
    what the identity copy would have brought into the target (the fake `cp -a` copies nothing)."""

    def __init__(self, backup, target, **kw):
        super().__init__(**kw)
        self.backup, self.target, self.marker_at_remake = backup, target, None

    def run(self, argv, **kw):
        if (argv[0] == "mkfs.ext4" and "xenhost-root" in argv) or argv[:2] == ["bash", "-c"] and "dd of=" in argv[2]:
            self.marker_at_remake = os.path.exists(os.path.join(self.backup, UNFINISHED_MARKER))
        out = super().run(argv, **kw)
        if argv[:2] == ["cp", "-a"] and len(argv) == 4 and argv[2].startswith(self.backup + "/"):
            shutil.copy(argv[2], argv[3], follow_symlinks=False) if not os.path.isdir(argv[2]) else \
                shutil.copytree(argv[2], argv[3], symlinks=True)
        return out


NEVER = ("/dev/vda5", "/dev/vda6", "/dev/vda7", "/dev/vdb", "wipefs", "sgdisk", "mkswap", "vgchange", "mdadm")


def test_upgrade_sequence(run_mode, target, tmp_path, image):
    cache = os.path.join(target, "etc/console-setup/cached_UTF-8_del.kmap.gz")     # the image's, for us
    os.makedirs(os.path.dirname(cache))
    open(cache, "w").close()
    watch = WatchingCommands(str(tmp_path / "backup"), target)
    calls, out, plan = run_mode("upgrade", nics=False, commands=watch)
    assert not os.path.exists(cache)
    assert [p.number for p in plan.layout] == [1, 2, 3, 4, 5, 6, 7] and plan.existing.version == "0.1"
    assert not [c for c in calls if any(n in c for n in NEVER)]       # logs, swap, SR, guests: untouched
    backup, root = str(tmp_path / "backup"), str(tmp_path / "old-root")
    order = ["mkfs.ext4 -F -q -L xenhost-backup /dev/vda4", "mount /dev/vda4 %s" % backup,
             "mount -o ro /dev/vda3 %s" % root, "cp -a --one-file-system %s/. %s" % (root, backup),
             "umount %s" % root, "sync", "mkfs.ext4 -F -q -L xenhost-root -U %s /dev/vda3" % UUID,
             "mount /dev/vda3 %s" % target, "tar --numeric-owner --xattrs --xattrs-include=* -xf %s -C %s"
             % (image, target), "cp -a %s/etc/hostname %s/etc/hostname" % (backup, target),
             "chroot %s grub-install --target=i386-pc --modules=part_gpt /dev/vda" % target,
             "chroot %s grub-script-check /boot/grub/grub.cfg.new" % target, "umount %s" % backup]
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
    # the backup was marked as the only good copy before the root was re-made, and unmarked at the end
    assert watch.marker_at_remake is True and not os.path.exists(tmp_path / "backup" / UNFINISHED_MARKER)
    assert "Clearing the unfinished-upgrade marker ... done" in out.splitlines()[-2]
    read = lambda rel: open(os.path.join(target, rel)).read()
    # no boot: or keymap: in the answers: the host's own are kept (the identity copy)
    assert read("etc/default/grub.d/50-xenhost-install.cfg") == OLD_ROOT["etc/default/grub.d/50-xenhost-install.cfg"]
    assert read("etc/default/keyboard") == 'XKBLAYOUT="de"\n'
    # VM definitions kept; the image's xl.conf (none in this fake image) is not replaced by the host's
    assert read("etc/xen/vm1.cfg") == "name='vm1'\n" and os.readlink(os.path.join(target, "etc/xen/auto/vm1.cfg"))
    assert not os.path.exists(os.path.join(target, "etc/xen/xl.conf"))


def test_upgrade_writes_a_filesystem_image_under_the_old_uuid(run_mode, target, tmp_path, fs_image):
    watch = WatchingCommands(str(tmp_path / "backup"), target)
    calls, out, plan = run_mode("upgrade", nics=False, commands=watch, image_path=fs_image)
    order = ["cp -a --one-file-system %s/. %s" % (tmp_path / "old-root", tmp_path / "backup"),
             "bash -c %s bash %s /dev/vda3" % (storage.WRITE_IMAGE, fs_image), "tune2fs -U %s /dev/vda3" % UUID,
             "resize2fs /dev/vda3", "mount /dev/vda3 %s" % target,
             "cp -a %s/etc/hostname %s/etc/hostname" % (tmp_path / "backup", target)]
    assert [calls.index(c) for c in order] == sorted(calls.index(c) for c in order)
    assert not [c for c in calls if c.startswith(("mkfs.ext4 -F -q -L xenhost-root", "tar "))]
    assert not [c for c in calls if any(n in c for n in NEVER)]
    assert watch.marker_at_remake is True
    assert "Writing dom0 image to the root partition (UUID kept) ... done" in out


def test_restore_sequence(run_mode, target, tmp_path):
    (tmp_path / "target/.xenhost-backup").write_text("version: 0.0.9\n")     # as the copy would bring it
    calls, out, plan = run_mode("restore")
    assert not [c for c in calls if any(n in c for n in NEVER)]
    backup = str(tmp_path / "backup")
    order = ["mount -o ro /dev/vda4 %s" % backup, "mkfs.ext4 -F -q -L xenhost-root -U %s /dev/vda3" % UUID,
             "mount /dev/vda3 %s" % target, "cp -a --one-file-system %s/. %s" % (backup, target),
             "chroot %s grub-script-check /boot/grub/grub.cfg.new" % target]
    assert [calls.index(c) for c in order] == sorted(calls.index(c) for c in order)
    assert not any(c.startswith("tar ") or "xenhost-backup /dev" in c for c in calls)
    assert not os.path.exists(os.path.join(target, ".xenhost-backup"))
    assert "Copying xenhost 0.0.9 back from the backup partition" in out


def test_upgrade_applies_the_boot_options_and_keymap_the_answers_give(run_mode, target, tmp_path):
    watch = WatchingCommands(str(tmp_path / "backup"), target)
    calls, out, plan = run_mode("upgrade", commands=watch, answers={
        "boot": {"xen-extra-args": "sched=credit2"}, "keymap": "us"})
    grub = open(os.path.join(target, "etc/default/grub.d/50-xenhost-install.cfg")).read()
    assert "sched=credit2'" in grub and "old-options" not in grub
    assert 'XKBLAYOUT="us"' in open(os.path.join(target, "etc/default/keyboard")).read()
    lines = out.splitlines()
    identity = next(i for i, l in enumerate(lines) if "Restoring host identity" in l)
    boot = next(i for i, l in enumerate(lines) if "Writing boot options" in l)
    keymap = next(i for i, l in enumerate(lines) if "Setting keymap us" in l)
    update = next(i for i, l in enumerate(lines) if "Generating GRUB configuration" in l)
    assert identity < boot < keymap < update       # over the host's own, before GRUB reads them


def test_restore_refuses_boot_options():
    from xenhost_installer.answers.validation import problems
    base = {"version": 1, "disk": {"primary": "/dev/vda"}, "boot": {"xen-extra-args": "x"}}
    assert problems(dict(base, mode="upgrade")) == []
    assert problems(dict(base, mode="restore")) == [
        "boot: is not used by restore (the backup boots with the options it had); fix: remove it, and change them on "
        "the host afterwards"]


def test_failure_after_the_root_was_re_made_leaves_the_marker_and_blocks_upgrade(run_mode, tmp_path, image, host,
                                                                                target):
    with pytest.raises(Exception, match="tar"):
        run_mode("upgrade", commands=FakeCommands(fail_on="tar"))      # extraction failed: the root is half-made
    unfinished = read_backup(str(tmp_path / "backup")).unfinished_upgrade
    assert unfinished.startswith("from 0.1, started ")
    # the half-written root may well read as xenhost again: the marker still stops a second upgrade
    probe = FakeProbe([installed_disk()], existing=[found(version="0.2", unfinished_upgrade=unfinished)])
    msg = preflight_failure(make_plan(image, "upgrade"), probe, host, target)
    assert ("an upgrade of disk /dev/vda did not finish (%s): the root may be half-written and the backup partition "
            "holds the only complete copy of xenhost 0.0.9; fix: use mode: restore first" % unfinished) in msg


def test_failure_while_backing_up_leaves_no_marker(run_mode, tmp_path):
    with pytest.raises(Exception, match="cp"):
        run_mode("upgrade", commands=FakeCommands(fail_on="cp"))
    assert read_backup(str(tmp_path / "backup")).unfinished_upgrade is None     # the root was never touched


def test_a_copy_that_does_not_read_as_the_host_stops_before_the_root_is_touched(run_mode, tmp_path):
    tree(tmp_path / "backup", dict(OLD_ROOT, **{"etc/xenhost-release": ""}))    # e.g. the disk filled up
    os.unlink(tmp_path / "backup/etc/xenhost-release")
    with pytest.raises(Exception, match="reads as no xenhost, not as xenhost 0.1 .xh-old.; the root is untouched"):
        run_mode("upgrade")
    assert not [c for c in run_mode.commands.calls if "xenhost-root" in c]
    assert read_backup(str(tmp_path / "backup")).unfinished_upgrade is None


def test_root_without_xenhost_upgrade_refused_restore_allowed(run_mode, image, host, target, tmp_path):
    only_backup = found(version=None, root_used=0, backup_version="0.1", unfinished_upgrade="from 0.1, started T")
    probe = FakeProbe([installed_disk()], existing=[found(version=None, backup_version="0.1")])
    msg = preflight_failure(make_plan(image, "upgrade"), probe, host, target)
    assert ("the root filesystem on /dev/vda holds no readable xenhost (only the backup partition does: xenhost 0.1); "
            "fix: use mode: restore to bring the backup back, or mode: install") in msg
    tree(tmp_path / "backup", {UNFINISHED_MARKER: "from-version: '0.1'\n"})
    tree(tmp_path / "target", {UNFINISHED_MARKER: "as the copy brings it\n"})
    calls, out, plan = run_mode("restore", existing=only_backup)
    backup = str(tmp_path / "backup")
    assert calls.index("mount -o remount,rw %s" % backup) > calls.index("chroot %s grub-script-check /boot/grub/grub.cfg.new" % target)
    assert not os.path.exists(os.path.join(backup, UNFINISHED_MARKER))        # upgrading is allowed again
    assert not os.path.exists(os.path.join(target, UNFINISHED_MARKER))


def test_merge_shadow_keeps_old_passwords_of_accounts_both_have():
    new = "root:*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\nnewsvc:!:20000::::::\n"
    text, kept, dropped = merge_shadow(OLD_SHADOW, new)
    assert text.splitlines() == ["root:$6$old$hash:19000:0:99999:7:::", "daemon:*:19000:0:99999:7:::",
                                 "newsvc:!:20000::::::"]
    assert kept == ["daemon", "root"] and dropped == ["admin"]


def test_identity_paths(tmp_path):
    for rel in ("etc/hostname", "etc/ssh/ssh_host_rsa_key", "etc/ssh/sshd_config", "root/.ssh/authorized_keys",
                "etc/xen/vm1.cfg", "etc/xen/auto/vm1.cfg", "etc/xen/xl.conf", "etc/xen/scripts/vif-bridge",
                "etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
                "etc/systemd/system/multi-user.target.wants/cron.service", "var/log/syslog"):
        os.makedirs(os.path.dirname(tmp_path / rel), exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert identity_paths(str(tmp_path)) == [
        "etc/hostname", "etc/ssh/ssh_host_rsa_key",
        "etc/systemd/system/multi-user.target.wants/systemd-networkd.service", "etc/xen/auto", "etc/xen/vm1.cfg",
        "root/.ssh"]
