import pytest

from firstboot_helpers import DHCP_YAML, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.errors import FirstbootError


def load(tmp_path, text):
    return load_config(write(tmp_path, "firstboot.yaml", text))


def test_contract_example_parses(tmp_path):
    cfg = load(tmp_path, DHCP_YAML)
    assert cfg.hostname == "xh1"
    assert cfg.management.mac == "52:54:00:12:34:56"
    assert cfg.management.mode == "dhcp"
    assert cfg.management.bridge == "xenbr0"
    assert cfg.local_sr.device == "/dev/disk/by-partlabel/xenhost-sr"
    assert cfg.local_sr.type == "lvm"


def test_static_mode(tmp_path):
    cfg = load(tmp_path, DHCP_YAML.replace(
        "mode: dhcp", "mode: static\n  address: 192.0.2.10/24\n  gateway: 192.0.2.1\n"
                      "  dns: [192.0.2.53, 2001:db8::53]"))
    assert cfg.management.address == "192.0.2.10/24"
    assert cfg.management.gateway == "192.0.2.1"
    assert cfg.management.dns == ["192.0.2.53", "2001:db8::53"]


def test_storage_is_optional(tmp_path):
    cfg = load(tmp_path, DHCP_YAML.split("storage:")[0])
    assert cfg.local_sr is None


@pytest.mark.parametrize("text, expected", [
    ("version: [", "not valid YAML"),
    ("- a list\n", "YAML mapping"),
    (DHCP_YAML.replace("version: 1", "version: 2"), "version must be 1"),
    (DHCP_YAML.replace("hostname: xh1", "hostname: 'bad name'"), "hostname"),
    (DHCP_YAML.replace('"52:54:00:12:34:56"', "nope"), "management.mac"),
    (DHCP_YAML.replace("mode: dhcp", "mode: magic"), "management.mode"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static\n  address: 192.0.2.10"), "CIDR"),
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: a-name-much-too-long-for-linux"),
     "management.bridge"),
])
def test_invalid_file_names_file_problem_and_fix(tmp_path, text, expected):
    with pytest.raises(FirstbootError) as e:
        load(tmp_path, text)
    message = str(e.value)
    assert expected in message
    assert "firstboot.yaml" in message
    assert "Fix:" in message


def test_missing_file(tmp_path):
    with pytest.raises(FirstbootError, match="file not found"):
        load_config(str(tmp_path / "nope.yaml"))
