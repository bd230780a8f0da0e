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


def test_reader_trusts_only_the_bytes_the_writer_checked(tmp_path):
    """dump()'s record lets load() skip jsonschema for the very bytes it checked; an edit by hand
    (the record no longer matches) is checked in full, and so is a file under another schema."""
    path = tmp_path / "firstboot.yaml"
    contract.dump(GOOD, path)
    assert (tmp_path / ("firstboot.yaml" + contract.CHECKED_SUFFIX)).exists()
    edited = path.read_text().replace("hostname: xh1", "hostname: bad_name!")
    path.write_text(edited)
    with pytest.raises(ContractError, match="hostname"):
        contract.load(path)
    contract.dump(GOOD, path)
    record = tmp_path / ("firstboot.yaml" + contract.CHECKED_SUFFIX)
    record.write_text(record.read_text().replace('"schema-sha256": "', '"schema-sha256": "0'))
    path.write_text(edited)     # same edit, record of another schema: still refused
    with pytest.raises(ContractError, match="hostname"):
        contract.load(path)


def test_first_boot_reading_unchanged_data_never_imports_jsonschema(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    path = tmp_path / "firstboot.yaml"
    contract.dump(GOOD, path)
    common = Path(contract.__file__).resolve().parent.parent
    probe = ("import sys; from xenhost_common import contract; data = contract.load(sys.argv[1]); "
             "print(data['hostname'], 'jsonschema' in sys.modules)")
    run = lambda: subprocess.run([sys.executable, "-c", probe, str(path)], env={"PYTHONPATH": str(common)},
                                 capture_output=True, text=True, check=True).stdout.split()
    assert run() == ["xh1", "False"]
    path.write_text(path.read_text() + "# edited\n")     # valid still, but not the bytes checked
    assert run() == ["xh1", "True"]
