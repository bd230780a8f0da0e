"""XenServer/XCP-ng XML answer files: translation to the native answers, XML places in messages, safety."""
import os

import pytest
import yaml

from xenhost_installer import answers, plan as planmod
from xenhost_installer.answers import xenserver
from xenhost_installer.cli import main
from xenhost_installer.errors import AnswerFileError

from conftest import E2E_ANSWERS, PASSWORD

VALID = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "valid")
SHA512 = "$6$saltsalt$" + "a" * 86


def read(name):
    with open(os.path.join(VALID, name)) as f:
        return f.read()


def test_static_sample_translates_to_native_answers():
    data = answers.parse_text(read("xenserver-static.xml"))
    assert dict(data) == {
        "version": 1,
        "disk": {"primary": "/dev/disk/by-id/ata-QEMU_HARDDISK_QM00001"},
        "root-password": {"hash": SHA512},
        "network": {"interface": "52:54:00:12:34:56", "mode": "static", "address": "192.0.2.10/24",
                    "gateway": "192.0.2.1", "dns": ["192.0.2.53", "192.0.2.54"]},
        "hostname": "host1.lab.example",
    }
    assert answers.problems(data) == []


def test_bare_disk_name_prefix_subnet_and_defaults():
    data = answers.parse_text(read("xenserver-prefix-subnet.xml"))
    assert data["disk"]["primary"] == "/dev/nvme0n1" and data["network"]["address"] == "10.1.2.3/16"
    data = answers.parse_text(read("xenserver-minimal.xml"))
    assert data["root-password"] == {"plaintext": PASSWORD}                 # type defaults to plaintext


def test_xml_equivalent_of_e2e_yaml_gives_the_same_plan(image):
    xml = """<installation mode="fresh">
  <primary-disk>vda</primary-disk>
  <root-password type="hash">%s</root-password>
  <admin-interface name="auto" proto="dhcp"/>
  <hostname>xh-e2e</hostname>
</installation>""" % SHA512
    native = yaml.safe_load(E2E_ANSWERS)
    native["root-password"] = {"hash": SHA512}
    del native["boot"], native["atexit"]
    a = planmod.from_answers(answers.validate(answers.parse_text(xml)), image=image)
    b = planmod.from_answers(answers.validate(native), image=image)
    a.answers_redacted = b.answers_redacted = None      # the record keeps what each file said
    assert a == b
    assert "<redacted>" in answers.redacted_yaml(answers.parse_text(xml))   # dumps as a plain dict


@pytest.mark.parametrize("text, is_xml", [
    ("<installation/>", True), ("\ufeff  \n<?xml version='1.0'?><installation/>", True),
    ("\n\n  <!-- c --><installation/>", True), ("version: 1\n", False), ("# <installation>\n", False), ("", False),
])
def test_detected_by_content(text, is_xml):
    assert xenserver.looks_like_xml(text) is is_xml


def test_doctype_and_entities_refused_before_expansion(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("TOPSECRET")
    xxe = """<!DOCTYPE installation [<!ENTITY pw SYSTEM "file://%s">]>
<installation><primary-disk>sda</primary-disk><root-password>&pw;</root-password></installation>""" % secret
    with pytest.raises(AnswerFileError) as exc:
        answers.parse_text(xxe, "a.xml")
    assert "DOCTYPE declaration is not accepted" in str(exc.value) and "TOPSECRET" not in str(exc.value)
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><installation>&b;</installation>'
    with pytest.raises(AnswerFileError, match="DOCTYPE"):
        answers.parse_text(laughs)


def test_every_xml_problem_reported_with_place_and_line():
    xml = """<installation mode="upgrade">
  <primary-disk>sda</primary-disk>
  <root-password>!!</root-password>
  <source type="nfs">srv:/x</source>
</installation>"""
    with pytest.raises(AnswerFileError) as exc:
        answers.parse_text(xml, "a.xml")
    assert [p.split(":")[0] for p in exc.value.problems] == [
        "installation@mode (line 1)", "installation/root-password (line 3)", "installation/source@type (line 4)"]


def test_schema_messages_name_xml_places_and_never_echo_the_password():
    xml = """<installation>
  <primary-disk>sda</primary-disk>
  <root-password type="hash">%s</root-password>
  <admin-interface name="eth0" proto="dhcp"/>
</installation>""" % PASSWORD
    found = answers.problems(answers.parse_text(xml))
    assert found == ["installation/root-password (line 3): is not a crypt hash; fix: use SHA-512 ($6$..., e.g. "
                     "from `openssl passwd -6`), SHA-256 ($5$) or yescrypt ($y$)"]
    missing = answers.problems(answers.parse_text("<installation><primary-disk>sda</primary-disk></installation>"))
    assert missing == ["installation/root-password: is required"]


def test_validate_command_accepts_xml(tmp_path, capsys):
    good = tmp_path / "answers.xml"
    good.write_text(read("xenserver-fresh-dhcp.xml"))
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out.strip() == "%s: valid" % good
    bad = tmp_path / "bad.xml"
    bad.write_text(read("xenserver-fresh-dhcp.xml").replace('proto="dhcp"', 'proto="bootp"')
                   .replace("<hostname>xcp1", "<hostname>-xcp1"))
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["installation/admin-interface@proto (line 7): must be dhcp or static",
                   "installation/hostname (line 8): must be a host name: letters, digits and '-', labels separated "
                   "by '.', no leading/trailing '-'",
                   "%s: 2 problems" % bad]
    broken = tmp_path / "broken.xml"
    broken.write_text("<installation>\n<hostname>x</installation>\n")
    assert main(["validate", str(broken)]) == 1
    assert "is not well-formed XML (line 2 column" in capsys.readouterr().out


def test_load_reads_xml_from_file_url(tmp_path):
    f = tmp_path / "answers.xml"
    f.write_text(read("xenserver-static.xml"))
    assert answers.load("file://%s" % f)["hostname"] == "host1.lab.example"
