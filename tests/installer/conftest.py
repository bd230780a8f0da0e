"""Fixtures for installer tests: host facts, a dom0 image with its checksum, a target root.
The fakes and constants the test files import live in installer_fixtures.py."""
import hashlib

import pytest

from xenhost_common.dom0image import NAME, encode_header
from xenhost_installer.host import HostFacts, Nic

from installer_fixtures import GiB, boot_files


@pytest.fixture
def host():
    return HostFacts(ram_bytes=4 * GiB, serial=(0, 115200), nics=[Nic("enp0s3", "52:54:00:12:34:56", True)])


@pytest.fixture
def image(tmp_path):
    img = tmp_path / "dom0.tar.xz"
    img.write_bytes(b"not really a tarball")
    (tmp_path / "dom0.tar.xz.sha256").write_text("%s  dom0.tar.xz\n" % hashlib.sha256(img.read_bytes()).hexdigest())
    return str(img)


@pytest.fixture
def fs_image(tmp_path):
    """A filesystem image as far as the tasks can tell: the header (a fake filesystem behind it)."""
    img = tmp_path / NAME
    img.write_bytes(encode_header(800 << 20, ["usr/bin/ls", "usr/share/zoneinfo/Europe/Berlin"]) + b"not ext4")
    (tmp_path / (NAME + ".sha256")).write_text("%s  %s\n" % (hashlib.sha256(img.read_bytes()).hexdigest(), NAME))
    return str(img)


@pytest.fixture
def target(tmp_path):
    root = tmp_path / "target"
    (root / "etc").mkdir(parents=True)
    (root / "etc/shadow").write_text("root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    boot_files(root)        # what the extracted image brings: grub.cfg is written from it
    return str(root)
