import io
import logging
import os
import warnings

import pytest
import yaml

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt

from xenhost_installer import plan as planmod
from xenhost_installer.bootcfg import dom0_mem_mib, grub_defaults_text
from xenhost_common.errors import CommandFailed
from xenhost_installer.install import install
from xenhost_installer.password import hash_password
from xenhost_common.tasks import TaskSequence

from installer_fixtures import E2E_ANSWERS, FakeCommands, FakeProbe, PASSWORD, GiB


class Clock:
    t = 0.0

    def __call__(self):
        self.t += 0.5
        return self.t


@pytest.fixture
def run(image, host, target, tmp_path, caplog):
    def _run(commands=None, journal_dirs=()):
        commands = commands or FakeCommands()
        plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=image)
        out = io.StringIO()
        log_path = tmp_path / "install.log"
        log_path.write_text("log line\n")
        caplog.set_level(logging.DEBUG)
        try:
            install(plan, commands=commands, probe=FakeProbe(), host=host, target=target,
                    runner=TaskSequence(out=out, clock=Clock()), log_path=str(log_path), journal_dirs=journal_dirs)
        finally:
            _run.out, _run.commands, _run.plan = out.getvalue(), commands, plan
        return _run
    return _run


def test_command_sequence(run, target, image):
    r = run()
    progs = r.commands.programs()
    # order matters: nothing is formatted before partitioning, nothing extracted before mounting
    first = {p: progs.index(p) for p in ("wipefs", "sgdisk", "mkfs.ext4", "mount", "tar", "grub-install",
                                         "grub-script-check", "umount", "sync")}
    assert list(first) == sorted(first, key=first.get)
    calls = [" ".join(c) for c in r.commands.calls]
    assert calls[:4] == ["wipefs -a /dev/vda1", "wipefs -a /dev/vda", "partprobe /dev/vda", "udevadm settle"]
    sg = next(c for c in calls if c.startswith("sgdisk -a"))
    for piece in ("-n 1:0:+1M -t 1:EF02", "-n 2:0:+512M -t 2:EF00", "-c 3:xenhost-root", "-c 4:xenhost-backup",
                  "-c 5:xenhost-logs", "-c 6:xenhost-swap", "-n 7:0:0 -t 7:8E00 -c 7:xenhost-sr"):
        assert piece in sg
    assert "mkfs.vfat -F 32 -n ESP /dev/vda2" in calls
    assert "mkfs.ext4 -F -q -L xenhost-root /dev/vda3" in calls
    assert "mkswap -L xenhost-swap /dev/vda6" in calls
    assert not any("/dev/vda4" in c and c.startswith("mkfs") for c in calls)   # backup left empty
    assert "tar --numeric-owner --xattrs --xattrs-include=* -xf %s -C %s" % (image, target) in calls
    assert "chroot %s grub-install --target=i386-pc --modules=part_gpt /dev/vda" % target in calls
    assert ("chroot %s grub-install --target=x86_64-efi --modules=part_gpt --efi-directory=/boot/efi --removable "
            "--no-nvram" % target) in calls
    # the two grub-installs run at once: grubenv exists before either (each would create it by rename)
    editenv = calls.index("chroot %s grub-editenv /boot/grub/grubenv create" % target)
    assert all(editenv < i for i, c in enumerate(calls) if "grub-install" in c)
    assert calls.index("udevadm settle", calls.index("mkswap -L xenhost-swap /dev/vda6")) < calls.index(
        "chroot %s grub-script-check /boot/grub/grub.cfg.new" % target)         # the root is formatted before its UUID goes into grub.cfg
    mounts = [c.split()[-1] for c in calls if c.startswith("mount ")]
    umounts = [c.split()[-1] for c in calls if c.startswith("umount ")]
    assert umounts == list(reversed(mounts))          # everything unmounted, in reverse order
    assert mounts[:3] == [target, os.path.join(target, "var/log"), os.path.join(target, "boot/efi")]


def test_stale_raid_lvm_and_guest_disks_wiped_unchosen_untouched(image, host, target, monkeypatch):
    from xenhost_installer.disks import Disk, Part
    monkeypatch.setattr("shutil.which", lambda name: "/sbin/" + name)
    vda = Disk("/dev/vda", "disk", 20 * GiB, partitions=[Part(1, "/dev/vda1", GiB, "", "linux_raid_member")],
               stacked=[("raid1", "/dev/md127"), ("lvm", "/dev/mapper/old-lv")])
    probe = FakeProbe([vda, Disk("/dev/vdb", "disk", 8 * GiB, fstype="LVM2_member"), Disk("/dev/vdc", "disk", GiB)],
                      volume_groups={"old": {"/dev/vda"}, "guestvg": {"/dev/vdb"}, "keep": {"/dev/vdc"}})
    data = yaml.safe_load(E2E_ANSWERS)
    data["disk"]["guest"] = ["/dev/vdb"]
    commands, out = FakeCommands(), io.StringIO()
    install(planmod.from_answers(data, image=image), commands=commands, probe=probe, host=host, target=target,
            runner=TaskSequence(out=out, clock=Clock()))
    calls = [" ".join(c) for c in commands.calls]
    wipe = ["vgchange -an old", "mdadm --stop /dev/md127", "mdadm --zero-superblock /dev/vda1", "wipefs -a /dev/vda1",
            "wipefs -a /dev/vda", "partprobe /dev/vda", "udevadm settle", "vgchange -an guestvg", "wipefs -a /dev/vdb",
            "partprobe /dev/vdb", "udevadm settle"]
    assert calls[:len(wipe)] == wipe
    assert calls[len(wipe)].startswith("sgdisk --zap-all /dev/vda")     # partitioning only after every wipe
    assert not [c for c in calls if "vdc" in c or "keep" in c]
    assert out.getvalue().splitlines()[1].startswith("[ 2/20] Wiping guest disks /dev/vdb ... done")


def test_progress_lines(run):
    lines = run().out.splitlines()
    assert len(lines) == 19
    assert lines[0] == "[ 1/19] Wiping old signatures on /dev/vda ... done (0.5s)"
    assert lines[-1] == "[19/19] Unmounting target ... done (0.5s)"


def test_target_files(run, target):
    run()
    read = lambda p: open(os.path.join(target, p)).read()
    assert "UUID=uuid-vda3 / ext4" in read("etc/fstab") and "UUID=uuid-vda6 none swap" in read("etc/fstab")
    assert read("etc/hostname") == "xh-e2e\n" and "127.0.1.1\txh-e2e" in read("etc/hosts")
    root_hash = read("etc/shadow").splitlines()[0].split(":")[1]
    assert root_hash.startswith("$6$") and crypt.crypt(PASSWORD, root_hash) == root_hash
    assert read("etc/shadow").splitlines()[1].startswith("daemon:*:")
    fb = yaml.safe_load(read("etc/xenhost/firstboot.yaml"))
    assert fb == {"version": 1, "hostname": "xh-e2e",
                  "management": {"interface": "enp0s3", "mac": "52:54:00:12:34:56", "mode": "dhcp",
                                 "bridge": "xenbr0"},
                  "storage": {"local-sr": {"type": "lvm", "devices": ["/dev/disk/by-partlabel/xenhost-sr"]}}}
    grub = read("etc/default/grub.d/50-xenhost-install.cfg")
    assert "GRUB_CMDLINE_XEN_DEFAULT='dom0_mem=1228M,max:1228M console=com1,vga com1=115200,8n1 bootscrub=0'" in grub
    assert "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=console=hvc0" in grub
    assert read("var/log/installer/install.log") == "log line\n"
    assert "<redacted>" in read("var/log/installer/answers.yaml")


def test_no_password_or_hash_in_logs_or_output(run, target, caplog):
    r = run()
    root_hash = open(os.path.join(target, "etc/shadow")).read().split(":")[1]
    everything = caplog.text + r.out + repr(r.plan) + repr(r.commands.calls) + \
        open(os.path.join(target, "var/log/installer/answers.yaml")).read()
    assert PASSWORD not in everything and root_hash not in everything


def test_the_live_systems_journal_is_kept_root_only_beside_the_log(run, target, tmp_path):
    initrd, root = tmp_path / "run-log-journal", tmp_path / "var-log-journal"
    for store, name in ((initrd, "system.journal"), (root, "system@0001.journal")):
        (store / "0123abcd").mkdir(parents=True)
        (store / "0123abcd" / name).write_bytes(b"LPKSHHRH" + name.encode())
    run(journal_dirs=(str(initrd), str(root), str(tmp_path / "absent")))
    kept = os.path.join(target, "var/log/installer/journal")
    assert sorted(os.listdir(os.path.join(kept, "0123abcd"))) == ["system.journal", "system@0001.journal"]
    assert os.stat(kept).st_mode & 0o777 == 0o700
    assert ["journalctl", "--sync"] in run.commands.calls       # flushed before the copy


def test_no_journal_is_copied_without_a_live_one(run, target):
    run()
    assert not os.path.exists(os.path.join(target, "var/log/installer/journal"))
    assert ["journalctl", "--sync"] not in run.commands.calls


def test_failure_unmounts_and_saves_log(run, target):
    with pytest.raises(CommandFailed, match="grub-editenv"):
        run(FakeCommands(fail_on="chroot"))
    assert run.out.splitlines()[-1].endswith("Installing GRUB for BIOS and UEFI ... FAILED")
    calls = [" ".join(c) for c in run.commands.calls]
    assert calls[-1] == "umount %s" % target and "grub-script-check" not in " ".join(calls)
    assert os.path.exists(os.path.join(target, "var/log/installer/install.log"))


def test_dom0_mem_policy():
    assert dom0_mem_mib(4 * GiB) == 1024 + 204
    assert dom0_mem_mib(64 * GiB) == 1024 + 3276
    assert dom0_mem_mib(1024 * GiB) == 8192


def test_grub_text_without_serial(host):
    host.serial = None
    plan = planmod.InstallPlan(disk="/dev/vda", root_password_hash="x", xen_extra_args="", dom0_extra_args="")
    text = grub_defaults_text(plan, host)
    assert "console=" not in text and "XEN_REPLACE_DEFAULT" not in text


def test_hash_password_verifies():
    h = hash_password(PASSWORD)
    assert h.startswith("$6$") and crypt.crypt(PASSWORD, h) == h and crypt.crypt("wrong", h) != h
