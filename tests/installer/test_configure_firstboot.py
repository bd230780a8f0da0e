"""firstboot.yaml (tasks/firstboot.py) and the root password lock: the installer's half of the
installer -> first boot contract, checked against first boot's own loader."""
import os
import warnings

import pytest
import yaml

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt

from xenhost_firstboot.config import load_config
from xenhost_firstboot.network import network_files
from xenhost_installer import plan as planmod
from xenhost_installer.hooks import FetchedHooks, Hook
from xenhost_installer.host import Nic
from xenhost_installer.layout import compute_layout
from xenhost_installer.tasks.context import InstallContext
from xenhost_installer.tasks.configure import set_root_password
from xenhost_installer.tasks.firstboot import (BY_PARTUUID, SR_BY_LABEL, firstboot_data, sr_partition_name,
                                               stable_disk_name, write_firstboot)

from installer_fixtures import E2E_ANSWERS, PASSWORD, FakeCommands, GiB

CORPUS = os.path.join(os.path.dirname(__file__), "corpus", "valid")
PARTUUID = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"


class GptCommands(FakeCommands):
    """Answers `sfdisk --part-uuid DISK N` like util-linux does."""

    def reply(self, argv):
        return PARTUUID + "\n" if argv[:2] == ["sfdisk", "--part-uuid"] else super().reply(argv)


def resolved(plan, guest_paths=()):
    """What preflight fills in."""
    plan.disk_path, plan.disk_size = "/dev/nvme0n1", 100 * GiB
    plan.layout = compute_layout(plan.disk_size)
    plan.nic = Nic("enp1s0f0", "52:54:00:12:34:56", True)
    plan.guest_disk_paths = list(guest_paths)
    return plan


def everything_plan():
    with open(os.path.join(CORPUS, "everything.yaml")) as f:
        return resolved(planmod.from_answers(yaml.safe_load(f)), ["/dev/sdb", "/dev/sdc"])


@pytest.fixture
def by_id(tmp_path):
    """/dev/disk/by-id in miniature: several names for sdb, a partition link, nothing for sdc."""
    dev, links = tmp_path / "dev", tmp_path / "by-id"
    dev.mkdir()
    links.mkdir()
    for node in ("sdb", "sdb1", "sdc"):
        (dev / node).write_text("")
    for name, node in (("ata-ST4000NM0035_ZC1XYZ", "sdb"), ("wwn-0x5000c500a1b2c3d4", "sdb"),
                       ("scsi-SATA_ST4000NM0035_ZC1XYZ", "sdb"), ("wwn-0x5000c500a1b2c3d4-part1", "sdb1")):
        (links / name).symlink_to(dev / node)
    return str(dev), str(links)


def test_guest_disk_named_by_its_world_wide_id(by_id):
    dev, links = by_id
    assert stable_disk_name("/dev/sdb", os.path.join(dev, "sdb"), links) == links + "/wwn-0x5000c500a1b2c3d4"


def test_by_id_name_given_is_kept_and_disk_without_id_keeps_kernel_name(by_id, caplog):
    dev, links = by_id
    assert stable_disk_name("/dev/disk/by-id/ata-X", os.path.join(dev, "sdb"), links) == "/dev/disk/by-id/ata-X"
    assert stable_disk_name("/dev/sdc", os.path.join(dev, "sdc"), links) == os.path.join(dev, "sdc")
    assert "has no %s name" % links in caplog.text


def test_sr_partition_by_gpt_guid_else_by_label(target, host, caplog):
    plan = everything_plan()
    assert sr_partition_name(InstallContext(plan, GptCommands(), host, target=target)) == \
        BY_PARTUUID + PARTUUID.lower()
    assert sr_partition_name(InstallContext(plan, FakeCommands(), host, target=target)) == SR_BY_LABEL
    assert "no partition GUID for /dev/nvme0n1 partition 7" in caplog.text


def test_contract_data_for_every_answer(by_id):
    dev, links = by_id
    plan = everything_plan()
    plan.guest_disk_paths = [os.path.join(dev, "sdb"), os.path.join(dev, "sdc")]
    data = firstboot_data(plan, "/dev/disk/by-partuuid/abc", ["/etc/xenhost/firstboot.d/01-join-pool.sh"], links)
    assert data == {
        "version": 1, "hostname": "xh1.dc1.example.org",
        "management": {"interface": "enp1s0f0", "mac": "52:54:00:12:34:56", "mode": "static", "bridge": "xenbr0",
                       "vlan": 42, "address": "192.0.2.10/24", "gateway": "192.0.2.1",
                       "dns": ["192.0.2.53", "192.0.2.54"]},
        "storage": {"local-sr": {"type": "ext", "devices": [
            "/dev/disk/by-partuuid/abc", links + "/wwn-0x5000c500a1b2c3d4",
            "/dev/disk/by-id/ata-ST4000NM0035_ZC1ABCDE"]}},        # given by id: kept as given
        "hooks": ["/etc/xenhost/firstboot.d/01-join-pool.sh"]}


def test_written_file_is_what_first_boot_reads(target, host):
    """Round trip through xenhost_firstboot's own loader: the two halves of the contract agree."""
    data = yaml.safe_load(E2E_ANSWERS)
    data["root-password"] = {"ask-at-first-boot": True}
    data["network"]["vlan"] = 7
    data["disk"]["guest"] = ["/dev/vdb"]
    plan = resolved(planmod.from_answers(data), ["/dev/vdb"])
    fetched = FetchedHooks()
    for name in ("01-first.sh", "02-second.sh"):       # as hooks.fetch_all leaves them on the RAM disk
        path = os.path.join(os.path.dirname(target), name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n")
        fetched.by_stage.setdefault("first-boot", []).append(Hook("first-boot", "http://x/" + name, path))
    write_firstboot(InstallContext(plan, GptCommands(), host, target=target, hooks=fetched))
    config = load_config(os.path.join(target, "etc/xenhost/firstboot.yaml"))
    assert config.ask_root_password is True
    assert config.management.vlan == 7 and config.management.mac == "52:54:00:12:34:56"
    assert config.local_sr.type == "lvm"
    assert config.local_sr.devices == [BY_PARTUUID + PARTUUID.lower(), "/dev/vdb"]   # no by-id on this machine
    assert config.hooks == ["/etc/xenhost/firstboot.d/01-first.sh", "/etc/xenhost/firstboot.d/02-second.sh"]
    assert os.access(os.path.join(target, "etc/xenhost/firstboot.d/02-second.sh"), os.X_OK)


def test_dns_servers_reach_first_boot_with_dhcp(target, host):
    """DHCP plus DNS servers (the screens and the validator accept both): first boot gets the servers
    and puts them in the bridge's networkd file."""
    data = yaml.safe_load(E2E_ANSWERS)
    data["network"]["dns"] = ["192.0.2.53", "2001:db8::53"]
    write_firstboot(InstallContext(resolved(planmod.from_answers(data)), GptCommands(), host, target=target))
    mgmt = load_config(os.path.join(target, "etc/xenhost/firstboot.yaml")).management
    assert (mgmt.mode, mgmt.dns) == ("dhcp", ["192.0.2.53", "2001:db8::53"])
    assert "DHCP=yes\nDNS=192.0.2.53\nDNS=2001:db8::53\n" in network_files(mgmt)["30-xenbr0.network"]


def test_no_hooks_no_hooks_key(target, host):
    plan = resolved(planmod.from_answers(yaml.safe_load(E2E_ANSWERS)))
    write_firstboot(InstallContext(plan, GptCommands(), host, target=target))
    assert load_config(os.path.join(target, "etc/xenhost/firstboot.yaml")).hooks == []
    assert not os.path.exists(os.path.join(target, "etc/xenhost/firstboot.d"))


def test_password_asked_at_first_boot_leaves_root_locked(target, host):
    data = yaml.safe_load(E2E_ANSWERS)
    data["root-password"] = {"ask-at-first-boot": True}
    set_root_password(InstallContext(resolved(planmod.from_answers(data)), FakeCommands(), host, target=target))
    with open(os.path.join(target, "etc/shadow")) as f:
        assert f.read().splitlines()[0] == "root:!:19000:0:99999:7:::"


def test_password_given_is_set_and_no_ask_is_written(target, host):
    plan = resolved(planmod.from_answers(yaml.safe_load(E2E_ANSWERS)))
    set_root_password(InstallContext(plan, FakeCommands(), host, target=target))
    with open(os.path.join(target, "etc/shadow")) as f:
        root_hash = f.read().split(":")[1]
    assert crypt.crypt(PASSWORD, root_hash) == root_hash
    assert "root-password" not in firstboot_data(plan, SR_BY_LABEL, [])
