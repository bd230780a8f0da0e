"""ci/boot_profile.py: the journal copied out of a real qcow2 disk (qemu-img, sfdisk, dd, debugfs;
the disk made here with sfdisk and mkfs.ext4 -d), and the unit spans read from journal entries."""
import subprocess

import pytest

from ci import boot_profile

SYSTEMD = {"SYSLOG_IDENTIFIER": "systemd", "_BOOT_ID": "b1"}


def entry(at, message, **fields):
    return {**SYSTEMD, "__MONOTONIC_TIMESTAMP": str(int(at * 1e6)), "MESSAGE": message, **fields}


def test_spans_from_job_messages_and_from_the_kernel_log_text():
    boot = [
        # before journald: text only, stamped by the kernel, received later
        entry(40.0, "Starting keyboard-setup.service - Set the console keyboard layout...",
              _SOURCE_MONOTONIC_TIMESTAMP="31700000"),
        entry(40.1, "Finished keyboard-setup.service - Set the console keyboard layout.",
              _SOURCE_MONOTONIC_TIMESTAMP="40500000"),
        entry(54.1, "Starting console-setup.service - ...", UNIT="console-setup.service",
              MESSAGE_ID=boot_profile.UNIT_STARTING),
        entry(60.0, "Starting xen.service - ...", UNIT="xen.service", MESSAGE_ID=boot_profile.UNIT_STARTING),
        entry(82.9, "Finished console-setup.service - ...", UNIT="console-setup.service",
              MESSAGE_ID=boot_profile.UNIT_STARTED),
        entry(83.0, "Reached target basic.target - Basic System."),
        entry(84.0, "xenhost-firstboot: [1/8] hostname: set to h", SYSLOG_IDENTIFIER="xenhost-firstboot"),
    ]
    spans = boot_profile.unit_spans(boot)
    assert spans == {"keyboard-setup.service": (31.7, 40.5), "console-setup.service": (54.1, 82.9)}
    text = boot_profile.report(boot, top=5)
    assert text.index("console-setup.service") < text.index("keyboard-setup.service")   # longest first
    assert "xen.service" not in text.split("milestones")[0]      # never finished: no span
    assert [what for _, what in boot_profile.milestones(boot)] == [
        "Reached target basic.target - Basic System.", "xenhost-firstboot: [1/8] hostname: set to h"]


def test_entries_are_grouped_per_boot_in_order():
    first, second = entry(1, "a", _BOOT_ID="x"), entry(1, "b", _BOOT_ID="y")
    assert boot_profile.boots([first, second, entry(2, "c", _BOOT_ID="x")]) == \
        [[first, entry(2, "c", _BOOT_ID="x")], [second]]


def make_disk(tmp_path, label, folder="journal"):
    """A 64 MiB qcow2 with a GPT: partition 1 a filler, partition 2 named `label` holding ext4 with
    FOLDER/<id>/system.journal (its bytes are not a journal: this tests the copying only)."""
    content = tmp_path / "content"
    (content / folder / "abc").mkdir(parents=True)
    (content / folder / "abc" / "system.journal").write_bytes(b"LPKSHHRH" + b"\0" * 4088)
    raw = tmp_path / "disk.raw"
    subprocess.run(["truncate", "-s", "64M", str(raw)], check=True)
    subprocess.run(["sfdisk", "-q", str(raw)], check=True, text=True,
                   input=f"label: gpt\nstart=2048, size=16384, name=filler\nstart=18432, size=65536, name={label}\n")
    fs = tmp_path / "fs.img"
    subprocess.run(["mkfs.ext4", "-q", "-d", str(content), str(fs), "32M"], check=True)
    subprocess.run(["dd", f"if={fs}", f"of={raw}", "bs=512", "seek=18432", "conv=notrunc", "status=none"], check=True)
    disk = tmp_path / "disk.qcow2"
    subprocess.run(["qemu-img", "convert", "-O", "qcow2", str(raw), str(disk)], check=True)
    return disk


def test_the_journal_is_copied_off_the_logs_partition_of_a_qcow2(tmp_path):
    disk = make_disk(tmp_path, "xenhost-logs")
    work = tmp_path / "work"
    work.mkdir()
    journal = boot_profile.journal_dir(disk, work)
    assert (journal / "abc" / "system.journal").read_bytes().startswith(b"LPKSHHRH")


def test_the_installers_journal_is_read_from_its_folder(tmp_path):
    disk = make_disk(tmp_path, "xenhost-logs", folder="installer/journal")
    work = tmp_path / "work"
    work.mkdir()
    assert (boot_profile.journal_dir(disk, work, "installer/journal") / "abc" / "system.journal").exists()
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(SystemExit, match="no journal in /journal on xenhost-logs"):
        boot_profile.journal_dir(disk, other, "journal")


def test_a_disk_without_the_logs_partition_is_named_in_the_error(tmp_path):
    disk = make_disk(tmp_path, "something-else")
    with pytest.raises(SystemExit, match="no partition labelled xenhost-logs: is it a disk xenhost installed"):
        boot_profile.journal_dir(disk, tmp_path)
