import pytest

from firstboot_helpers import DHCP_YAML, GUEST, SR_PART, write
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
    assert cfg.local_sr.devices == [SR_PART]
    assert cfg.local_sr.type == "lvm"
    assert cfg.management.vlan is None
    assert cfg.ask_root_password is False and cfg.hooks == []


def test_full_contract_example(tmp_path):
    cfg = load(tmp_path, DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: 42").replace(
        f"type: lvm, devices: [{SR_PART}]", f"type: ext, devices: [{SR_PART}, {GUEST}]")
        + "root-password: ask\nhooks: [/etc/xenhost/firstboot.d/10-site.sh, /etc/xenhost/firstboot.d/20-b]\n")
    assert cfg.management.vlan == 42
    assert (cfg.local_sr.type, cfg.local_sr.devices) == ("ext", [SR_PART, GUEST])
    assert cfg.ask_root_password is True
    assert cfg.hooks == ["/etc/xenhost/firstboot.d/10-site.sh", "/etc/xenhost/firstboot.d/20-b"]


def test_static_mode(tmp_path):
    cfg = load(tmp_path, DHCP_YAML.replace(
        "mode: dhcp", "mode: static\n  address: 192.0.2.10/24\n  gateway: 192.0.2.1\n"
                      "  dns: [192.0.2.53, 2001:db8::53]"))
    assert cfg.management.address == "192.0.2.10/24"
    assert cfg.management.gateway == "192.0.2.1"
    assert cfg.management.dns == ["192.0.2.53", "2001:db8::53"]


def test_dhcp_mode_keeps_dns(tmp_path):
    cfg = load(tmp_path, DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: [192.0.2.53]"))
    assert (cfg.management.mode, cfg.management.dns, cfg.management.address) == ("dhcp", ["192.0.2.53"], None)


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
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: 4095"), "management.vlan"),
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: '42'"), "management.vlan"),
    (DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: [dns.example.org]"), "management.dns"),
    (DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: 192.0.2.53"), "management.dns must be a list"),
    (DHCP_YAML.replace("type: lvm", "type: nfs"), "storage.local-sr.type must be one of lvm, ext"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "devices: []"), "storage.local-sr needs"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "device: /dev/sda3"), "storage.local-sr needs"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "devices: [sda3]"), "storage.local-sr needs"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", f"devices: [{GUEST}, {GUEST}]"), "a device twice"),
    (DHCP_YAML + "root-password: secret\n", "root-password must be 'ask'"),
    (DHCP_YAML + "hooks: /etc/xenhost/firstboot.d/a\n", "hooks must be a list"),
    (DHCP_YAML + "hooks: [/tmp/evil.sh]\n", "is not a file in /etc/xenhost/firstboot.d"),
    (DHCP_YAML + "hooks: [/etc/xenhost/firstboot.d/../../shadow]\n", "is not a file in"),
    (DHCP_YAML + "hooks: [/etc/xenhost/firstboot.d/a, /etc/xenhost/firstboot.d/a]\n", "a script twice"),
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
