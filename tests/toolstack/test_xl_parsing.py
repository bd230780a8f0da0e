"""Parsing of real-format `xl info` / `xl list` output (fixtures/)."""
from toolstack_helpers import fixture
from xenhost_toolstack.drivers.xl import parse_xl_info, parse_xl_list, xen_version


def test_xl_info_417():
    info = parse_xl_info(fixture("xl-info-4.17.txt"))
    assert info["host"] == "xh1"
    assert info["release"] == "6.1.0-25-amd64"
    assert info["nr_cpus"] == "8"
    assert info["total_memory"] == "16275"
    assert info["xen_extra"] == ".5-xenhost"
    assert info["xen_changeset"] == ""
    # value containing ':' (max:2048M) must survive the key/value split
    assert info["xen_commandline"] == "placeholder dom0_mem=2048M,max:2048M no-real-mode edd=off"
    assert info["version"] == "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)"
    assert xen_version(info) == "4.17.5-xenhost"


def test_xl_info_411_has_no_xen_version_line():
    info = parse_xl_info(fixture("xl-info-4.11.txt"))
    assert "xen_version" not in info
    assert xen_version(info) == "4.11"


def test_xen_version_falls_back_to_xen_version_key():
    assert xen_version({"xen_version": "4.18.0"}) == "4.18.0"


def test_xl_info_ignores_noise_lines():
    info = parse_xl_info("WARNING: something odd happened here\nnr_cpus : 4\n")
    assert info == {"nr_cpus": "4"}


def test_xl_list_plain():
    domains = parse_xl_list(fixture("xl-list.txt"))
    assert [(d.name, d.domid, d.memory_mib, d.vcpus) for d in domains] == [
        ("Domain-0", 0, 2048, 8), ("web01", 3, 1024, 2),
        ("a domain name that is longer than forty columns", 7, 512, 1),
        ("dying-guest", 9, 256, 1)]
    assert [d.power_state for d in domains] == ["running", "running", "paused", "shutting-down"]
    assert all(d.uuid is None for d in domains)
    assert domains[0].cpu_time == 312.4


def test_xl_list_verbose_has_uuids():
    domains = parse_xl_list(fixture("xl-list-v.txt"))
    assert [d.uuid for d in domains] == [
        "00000000-0000-0000-0000-000000000000",
        "6e1a4f0c-3b2d-4c5e-9f10-2a3b4c5d6e7f",
        "a1b2c3d4-0000-4000-8000-00000000000a"]
    assert domains[2].power_state == "crashed"


def test_xl_list_header_only():
    assert parse_xl_list(fixture("xl-list.txt").splitlines()[0]) == []
