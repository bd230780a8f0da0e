import pytest

from xenhost_installer.errors import LayoutError
from xenhost_installer.layout import GiB, MIN_DISK_BYTES, by_role, compute_layout, sr_size_mib


def sizes(disk_gib):
    layout = compute_layout(int(disk_gib * GiB))
    return {r: by_role(layout, r).size_mib for r in ("root", "backup", "logs", "swap")}


def test_large_disks_get_xenserver_sizes():
    for gib in (64, 500, 4000):
        assert sizes(gib) == {"root": 18432, "backup": 18432, "logs": 4096, "swap": 1024}


def test_16gib_disk_gets_floor_sizes():
    assert sizes(16) == {"root": 4096, "backup": 4096, "logs": 1024, "swap": 512}


def test_midsize_scales_between_and_backup_equals_root():
    s = sizes(40)
    assert 4096 < s["root"] < 18432 and s["backup"] == s["root"]
    assert s == {"root": 11264, "backup": 11264, "logs": 2560, "swap": 768}


@pytest.mark.parametrize("gib", [11.1, 12, 16, 20, 33.3, 64, 1000])
def test_layout_fits_and_leaves_sr_space(gib):
    disk = int(gib * GiB)
    layout = compute_layout(disk)
    assert [p.number for p in layout] == list(range(1, 8))
    assert sr_size_mib(disk, layout) >= 1024
    assert [(p.label, p.type_code) for p in layout if p.role in ("bios", "esp", "sr")] == [
        ("bios-boot", "EF02"), ("xenhost-esp", "EF00"), ("xenhost-sr", "8E00")]
    assert by_role(layout, "sr").size_mib == 0      # "the rest"


def test_refuses_below_minimum():
    assert 11 * GiB < MIN_DISK_BYTES < 11.1 * GiB
    with pytest.raises(LayoutError, match="at least 11.0 GiB\n  fix: choose a larger disk"):
        compute_layout(8 * GiB)


def test_layout_of_an_existing_disk_found_by_label():
    from xenhost_installer.disks import Part
    from xenhost_installer.layout import MiB, layout_of_disk
    parts = [Part(1, "/dev/vda1", MiB, "bios-boot"), Part(2, "/dev/vda2", 512 * MiB, "xenhost-esp"),
             Part(5, "/dev/vda5", 4096 * MiB, "xenhost-root"), Part(6, "/dev/vda6", 4096 * MiB, "xenhost-backup"),
             Part(9, "/dev/vda9", 64 * MiB, "something-else")]
    layout = layout_of_disk(parts)
    assert [(p.role, p.number, p.size_mib) for p in layout] == [("bios", 1, 1), ("esp", 2, 512), ("root", 5, 4096),
                                                                ("backup", 6, 4096)]
    assert by_role(layout, "root").label == "xenhost-root" and by_role(layout, "root").fs == "ext4"


def test_fresh_layout_follows_the_declared_roles():
    from xenhost_installer.layout import ROLES
    assert [(p.number, p.role, p.label, p.type_code, p.fs) for p in compute_layout(20 * GiB)] == list(ROLES)
