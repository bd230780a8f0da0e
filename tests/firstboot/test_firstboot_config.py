import pytest

from firstboot_helpers import DHCP_YAML, GUEST, SR_PART, write
from xenhost_firstboot.config import load_config
from xenhost_common.errors import XenhostError


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


# The rules are the contract's schema (xenhost_common/firstboot.schema.json): each case names the
# key at fault, so the operator knows what to change.
@pytest.mark.parametrize("text, expected", [
    ("version: [", "not valid YAML"),
    ("- a list\n", "(top level): ['a list'] is not of type 'object'"),
    (DHCP_YAML.replace("version: 1", "version: 2"), "version: 1 was expected"),
    (DHCP_YAML.replace("hostname: xh1", "hostname: 'bad name'"), "hostname: 'bad name' does not match"),
    (DHCP_YAML.replace('"52:54:00:12:34:56"', "nope"), "management.mac: 'nope'"),
    (DHCP_YAML.replace("mode: dhcp", "mode: magic"), "management.mode: 'magic' is not one of"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static\n  address: 192.0.2.10"), "management.address"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static\n  address: 192.0.2.300/24"), "management.address"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static\n  address: 192.0.2.3/33"), "management.address"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static"), "'address' is a required property"),
    (DHCP_YAML.replace("mode: dhcp", "mode: static\n  address: 192.0.2.10/24\n  gateway: 192.0.2.256"),
     "management.gateway: '192.0.2.256' is not a 'ipv4'"),
    (DHCP_YAML.replace('  mac: "52:54:00:12:34:56"\n', ""), "'mac' is a required property"),
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: a-name-much-too-long-for-linux"), "management.bridge"),
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: 4095"), "management.vlan: 4095 is greater"),
    (DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: '42'"), "management.vlan: '42' is not of type"),
    (DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: [dns.example.org]"), "management.dns.0"),
    (DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: [192.0.2.53, 192.0.2.530]"), "management.dns.1"),
    (DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: 192.0.2.53"), "management.dns: '192.0.2.53' is not of type 'array'"),
    (DHCP_YAML.replace("type: lvm", "type: nfs"), "storage.local-sr.type: 'nfs' is not one of ['lvm', 'ext']"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "devices: []"), "storage.local-sr.devices: [] is too short"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "device: /dev/sda3"), "'devices' is a required property"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", "devices: [sda3]"), "storage.local-sr.devices.0: 'sda3'"),
    (DHCP_YAML.replace(f"devices: [{SR_PART}]", f"devices: [{GUEST}, {GUEST}]"), "has non-unique elements"),
    (DHCP_YAML + "root-password: secret\n", "root-password: 'ask' was expected"),
    (DHCP_YAML + "hooks: /etc/xenhost/firstboot.d/a\n", "hooks: '/etc/xenhost/firstboot.d/a' is not of type 'array'"),
    (DHCP_YAML + "hooks: [/tmp/evil.sh]\n", "hooks.0: '/tmp/evil.sh' does not match"),
    (DHCP_YAML + "hooks: [/etc/xenhost/firstboot.d/../../shadow]\n", "hooks.0"),
    (DHCP_YAML + "hooks: [/etc/xenhost/firstboot.d/..]\n", "hooks.0"),
    (DHCP_YAML + "hooks: [/etc/xenhost/firstboot.d/a, /etc/xenhost/firstboot.d/a]\n", "non-unique elements"),
])
def test_invalid_file_names_file_problem_and_fix(tmp_path, text, expected):
    with pytest.raises(XenhostError) as e:
        load(tmp_path, text)
    message = str(e.value)
    assert expected in message
    assert "firstboot.yaml" in message
    assert "\n  fix: write a valid /etc/xenhost/firstboot.yaml" in message


def test_undecided_fields_are_left_to_the_wizard(tmp_path):
    """No host name, management mode none without a NIC, no storage: valid, each one undecided."""
    cfg = load(tmp_path, "version: 1\nmanagement: {mode: none}\nroot-password: ask\n")
    assert cfg.hostname is None and cfg.management.mode == "none"
    assert cfg.management.interface is None and cfg.management.mac is None
    assert cfg.local_sr is None and cfg.storage_given is False and cfg.ask_root_password


def test_missing_file(tmp_path):
    with pytest.raises(XenhostError, match="file not found"):
        load_config(str(tmp_path / "nope.yaml"))
