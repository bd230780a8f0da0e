"""The installer -> first-boot contract: one schema, checked by the writer and the reader."""
import pytest
import yaml

from xenhost_common import contract
from xenhost_common.contract import ContractError

GOOD = {"version": 1, "hostname": "xh1",
        "management": {"interface": "enp0s3", "mac": "52:54:00:12:34:56", "mode": "dhcp", "bridge": "xenbr0"},
        "storage": {"local-sr": {"type": "lvm", "devices": ["/dev/disk/by-partuuid/abc"]}}}


def test_good_data_round_trips(tmp_path):
    path = tmp_path / "firstboot.yaml"
    contract.dump(GOOD, path)
    assert contract.load(path) == GOOD


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(version=2), "version"),
    (lambda d: d.update(hostname="bad_name!"), "hostname"),
    (lambda d: d["management"].update(mac="nope"), "management.mac"),
    (lambda d: d["management"].update(mode="static"), "management"),
    (lambda d: d["management"].update(vlan=5000), "management.vlan"),
    (lambda d: d["storage"]["local-sr"].update(devices=["/etc/passwd"]), "storage.local-sr.devices.0"),
    (lambda d: d.update(hooks=["/tmp/evil.sh"]), "hooks.0"),
    (lambda d: d.update(extra=1), "(top level)"),
])
def test_bad_data_is_refused_by_writer_and_reader(tmp_path, change, where):
    import copy
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(ContractError) as e:
        contract.dump(data, tmp_path / "x.yaml")
    assert where in str(e.value)
    assert not (tmp_path / "x.yaml").exists()        # nothing written
    (tmp_path / "y.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ContractError) as e:
        contract.load(tmp_path / "y.yaml")
    assert where in str(e.value) and "fix:" in str(e.value)


def test_missing_and_unparsable_files(tmp_path):
    with pytest.raises(ContractError, match="file not found"):
        contract.load(tmp_path / "none.yaml")
    (tmp_path / "bad.yaml").write_text("a: [")
    with pytest.raises(ContractError, match="not valid YAML"):
        contract.load(tmp_path / "bad.yaml")
