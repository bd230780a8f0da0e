import yaml

import pytest

from xenhost_installer import answers
from xenhost_installer.cli import main
from xenhost_installer.errors import AnswerFileError

from conftest import E2E_ANSWERS, PASSWORD

SHA512 = "$6$saltsalt$" + "a" * 86


def load(text):
    return yaml.safe_load(text)


def test_e2e_answer_file_is_valid():
    assert answers.problems(load(E2E_ANSWERS)) == []


@pytest.mark.parametrize("data", [
    {"version": 1, "disk": {"primary": "/dev/disk/by-id/nvme-Samsung_SSD_980_S64"}, "root-password": {"hash": SHA512}},
    {"version": 1, "disk": {"primary": "/dev/sda"}, "root-password": {"plaintext": "x"},
     "network": {"interface": "52:54:00:12:34:56", "mode": "static", "address": "192.0.2.10/24",
                 "gateway": "192.0.2.1", "dns": ["192.0.2.53"]}},
])
def test_valid_variants(data):
    assert answers.problems(data) == []


@pytest.mark.parametrize("patch, expected", [
    ({"disk": {"primary": "vda"}}, "disk.primary: must be a block device path"),
    ({"disk": {}}, "disk.primary: is required"),
    ({"version": 2}, "version: must be 1"),
    ({"atexit": "halt"}, "atexit: must be reboot, poweroff or shell"),
    ({"hostname": "-bad-"}, "hostname: must be a host name"),
    ({"network": {"interface": "not a nic!"}}, "network.interface: must be auto"),
    ({"network": {"mode": "static"}}, "network.address: is required"),
    ({"root-password": {"hash": "secrethash"}}, "root-password.hash: is not a crypt hash"),
    ({"root-password": {}}, "root-password: give exactly one of"),
    ({"dsik": {"primary": "/dev/vda"}}, "dsik: unknown key; fix: remove it"),
    ({"network": {"mode": "static", "address": "10.0.0.300/24", "gateway": "10.0.0.1"}},
     "network.address: '10.0.0.300/24' is not valid"),
])
def test_invalid_cases_name_the_path(patch, expected):
    data = load(E2E_ANSWERS)
    data.update(patch)
    found = answers.problems(data)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_reported_and_secrets_never_echoed():
    data = {"version": 3, "disk": {"primary": 5}, "root-password": {"plaintext": PASSWORD, "hash": "hunter2hash"},
            "atexit": "later"}
    found = answers.problems(data)
    assert [p.split(":")[0] for p in found] == ["atexit", "disk.primary", "root-password", "root-password.hash", "version"]
    assert not any(PASSWORD in p or "hunter2hash" in p for p in found)
    with pytest.raises(AnswerFileError) as exc:
        answers.validate(data)
    assert "5 problems" in str(exc.value) and PASSWORD not in str(exc.value)


def test_validate_command(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(E2E_ANSWERS)
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(E2E_ANSWERS.replace("/dev/vda", "vda").replace("atexit: reboot", "atexit: nope"))
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "disk.primary: must be a block device path" in out and "atexit: must be" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ndisk: {primary: /dev/vda\n")
    assert main(["validate", str(broken)]) == 1
    assert "line 3" in capsys.readouterr().out


def test_load_from_file_url_and_http_retry(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text(E2E_ANSWERS)
    assert answers.load("file://%s" % f)["hostname"] == "xh-e2e"

    attempts = []

    class Resp:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            return E2E_ANSWERS.encode()

    def opener(url, timeout):
        attempts.append(url)
        if len(attempts) < 3:
            raise OSError("network is unreachable")
        return Resp()
    text = answers.fetch_text("http://10.0.2.2:8000/a.yaml", sleep=lambda s: None, opener=opener)
    assert "xh-e2e" in text and len(attempts) == 3


def test_redaction():
    data = load(E2E_ANSWERS)
    red = answers.redact(data)
    assert red["root-password"] == {"plaintext": "<redacted>"}
    assert data["root-password"]["plaintext"] == PASSWORD       # original untouched
    assert PASSWORD not in answers.redacted_yaml(data)
