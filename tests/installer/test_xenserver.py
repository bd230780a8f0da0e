"""XenServer/XCP-ng XML answer files: translation to the native answers, XML places in messages, safety."""
import os

import pytest
import yaml

from xenhost_installer import answers, plan as planmod
from xenhost_installer.answers import catalog, source
from xenhost_installer.cli import main
from xenhost_installer.errors import AnswerFileError

from installer_fixtures import E2E_ANSWERS, PASSWORD

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
        "storage": {"type": "lvm"},
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
    assert source.looks_like_xml(text) is is_xml


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
    xml = """<installation mode="reinstall">
  <primary-disk>sda</primary-disk>
  <root-password type="md5">x</root-password>
  <source type="nfs">srv:/x</source>
  <script stage="filesystem-populated" type="nfs">srv:/post.sh</script>
</installation>"""
    with pytest.raises(AnswerFileError) as exc:
        answers.parse_text(xml, "a.xml")
    assert [p.split(":")[0] for p in exc.value.problems] == [
        "installation@mode (line 1)", "installation/root-password@type (line 3)", "installation/source@type (line 4)",
        "installation/script[1]@type (line 5)"]
    assert all("; fix: " in p for p in exc.value.problems)


def test_schema_messages_name_xml_places_and_never_echo_the_password():
    xml = """<installation>
  <primary-disk>sda</primary-disk>
  <root-password type="hash">%s</root-password>
  <admin-interface name="eth0" proto="dhcp"/>
</installation>""" % PASSWORD
    found = answers.problems(answers.parse_text(xml))
    assert found == ["installation/root-password (line 3): is not a SHA-512 ($6$) or yescrypt ($y$) crypt hash; fix: "
                     "make one with `openssl passwd -6` or `mkpasswd -m yescrypt`, or give plaintext"]
    missing = answers.problems(answers.parse_text("<installation><primary-disk>sda</primary-disk></installation>"))
    assert missing == ["installation/root-password: is required; fix: add <root-password type=\"hash\">$6$...</root-password>, "
                       "or <root-password>!!</root-password> to ask for it at first boot"]


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
    assert out == ["installation/admin-interface@proto (line 7): must be dhcp or static; fix: pick one",
                   "installation/hostname (line 8): must be a host name: letters, digits and '-', labels separated "
                   "by '.', no leading/trailing '-'; fix: e.g. xh1 or xh1.example.org",
                   "%s: 2 problems" % bad]
    broken = tmp_path / "broken.xml"
    broken.write_text("<installation>\n<hostname>x</installation>\n")
    assert main(["validate", str(broken)]) == 1
    assert "is not well-formed XML (line 2 column" in capsys.readouterr().out


def test_load_reads_xml_from_file_url(tmp_path):
    f = tmp_path / "answers.xml"
    f.write_text(read("xenserver-static.xml"))
    assert answers.load("file://%s" % f)["hostname"] == "host1.lab.example"


def test_every_translated_element_lands_on_its_native_key():
    data = answers.parse_text(read("xenserver-everything.xml"))
    assert dict(data) == {
        "version": 1,
        "storage": {"type": "ext"},
        "disk": {"primary": "/dev/sda", "guest": ["/dev/sdb", "/dev/disk/by-id/ata-ST4000NM0035_ZC1ABCDE"]},
        "keymap": "de",
        "root-password": {"hash": SHA512},
        "network": {"interface": "eno1", "mode": "static", "vlan": 42, "address": "192.0.2.10/24",
                    "gateway": "192.0.2.1", "dns": ["192.0.2.53"]},
        "hostname": "xh1.dc1.example.org",
        "timezone": "Europe/London",
        "ntp-servers": ["ntp1.dc1.example.org", "192.0.2.123"],
        "hooks": {"installation-start": ["http://192.0.2.1/hooks/start.sh"],
                  "filesystem-populated": ["http://192.0.2.1/hooks/post.sh"],
                  "installation-complete": ["file:///run/media/hooks/done.sh"]},
    }
    assert answers.problems(data) == []


@pytest.mark.parametrize("name, expected", [
    ("xenserver-upgrade.xml", {"version": 1, "mode": "upgrade", "disk": {"primary": "/dev/sda"},
                               "hooks": {"filesystem-populated": ["http://192.0.2.1/hooks/post-upgrade.sh"]}}),
    ("xenserver-restore.xml", {"version": 1, "mode": "restore",
                               "disk": {"primary": "/dev/disk/by-id/ata-QEMU_HARDDISK_QM00001"}}),
])
def test_upgrade_and_restore_translate_to_modes(name, expected):
    data = answers.parse_text(read(name))
    assert dict(data) == expected and answers.problems(data) == []


def test_double_bang_asks_at_first_boot_and_dhcp_ntp_means_no_list(image):
    data = answers.validate(answers.parse_text(read("xenserver-ask-password-ntp-dhcp.xml")))
    assert data["root-password"] == {"ask-at-first-boot": True} and "ntp-servers" not in data
    plan = planmod.from_answers(data, image=image)
    assert plan.root_password_hash is None and plan.ask_root_password_at_first_boot
    assert plan.guest_disks == ["/dev/vdb"] and plan.keymap == "jp106" and plan.timezone == "Asia/Tokyo"


@pytest.mark.parametrize("ntp, servers", [
    ("", None), ('<ntp source="default"/>', None), ('<ntp/>', None),
    ("<ntp-server>192.0.2.1</ntp-server>", ["192.0.2.1"]),
    ('<ntp source="manual"/><ntp-servers>a.example</ntp-servers><ntp-server>b.example</ntp-server>',
     ["a.example", "b.example"]),
])
def test_ntp_sources(ntp, servers):
    data = answers.parse_text("<installation><primary-disk>sda</primary-disk><root-password>!!</root-password>%s"
                              "</installation>" % ntp)
    assert data.get("ntp-servers") == servers


def test_schema_rules_on_translated_answers_name_xml_places():
    xml = """<installation mode="upgrade">
  <existing-installation>sda</existing-installation>
  <admin-interface name="eth0" proto="dhcp"/>
  <keymap>klingon</keymap>
</installation>"""
    assert answers.problems(answers.parse_text(xml)) == [
        "installation/admin-interface (line 3): is not used by upgrade or restore (the host keeps its own); fix: "
        "remove it, and change it on the host afterwards",
        "installation/keymap (line 4): 'klingon' is not a keymap the installer knows; fix: use one of "
        + ", ".join(catalog.keymaps())]
