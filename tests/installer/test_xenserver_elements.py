"""Every element and deprecated alias of XenServer's doc/answerfile.txt: honoured (translated to the
native answers, valid) or refused with the element and a fix. The refusals of values xenhost cannot
honour are in corpus/invalid (make_invalid.py); this file proves what is honoured and where it lands."""
import pytest

from xenhost_installer import answers, layout, plan as planmod
from xenhost_installer.answers import xenserver
from xenhost_installer.errors import AnswerFileError
from xenhost_installer.tasks.firstboot import firstboot_data

BASE = ('<installation mode="fresh">\n  <primary-disk>sda</primary-disk>\n'
        '  <root-password type="plaintext">pw</root-password>\n%s\n</installation>\n')


def translate(body):
    data = answers.parse_text(BASE % body)
    assert answers.problems(data) == [], answers.problems(data)
    return dict(data)


def refused(body):
    with pytest.raises(AnswerFileError) as err:
        answers.validate(answers.parse_text(BASE % body))
    return str(err.value)


def test_source_url_is_the_network_image():
    assert translate('<source type="url">http://192.0.2.1/xenhost/</source>')["source"] == {
        "url": "http://192.0.2.1/xenhost/"}
    assert "source" not in translate('<source type="local"/>')
    assert '<source type="nfs"> is not supported' in refused('<source type="nfs">s:/x</source>')


def test_guest_storage_no_keeps_the_sr_off_the_primary_disk():
    for attr in ("guest-storage", "gueststorage"):
        data = answers.parse_text(BASE.replace("<primary-disk>", '<primary-disk %s="no">' % attr) % "")
        assert data["storage"] == {"use-primary-disk": False}
        plan = planmod.from_answers(answers.validate(data))
        assert plan.sr_on_primary is False


def test_without_the_sr_partition_the_layout_and_first_boot_data_follow():
    with_sr = layout.compute_layout(24 * layout.GiB)
    without = layout.compute_layout(24 * layout.GiB, with_sr=False)
    assert [p.role for p in with_sr][-1] == "sr" and "sr" not in [p.role for p in without]
    assert layout.compute_layout(layout.MIN_DISK_BYTES - layout.MIN_SR_MiB * layout.MiB, with_sr=False)

    class Nic:
        name, mac = "enp0s3", "52:54:00:12:34:56"
    plan = planmod.from_answers(answers.validate(translate("")))
    plan.nic, plan.guest_disks, plan.guest_disk_paths = Nic(), ["/dev/disk/by-id/virtio-g1"], ["/dev/vdb"]
    assert firstboot_data(plan, None, [])["storage"]["local-sr"]["devices"] == ["/dev/disk/by-id/virtio-g1"]
    plan.guest_disks, plan.guest_disk_paths = [], []
    assert "storage" not in firstboot_data(plan, None, [])     # no local SR at all


def test_deprecated_admin_interface_spellings():
    data = translate('<admin-interface name="eth0" proto="static"><ip>192.0.2.10</ip>'
                     '<subnet-mask>255.255.255.0</subnet-mask><gateway>192.0.2.1</gateway></admin-interface>'
                     '<nameserver>192.0.2.53</nameserver><name-server>192.0.2.54</name-server>')
    assert data["network"]["address"] == "192.0.2.10/24" and data["network"]["gateway"] == "192.0.2.1"
    assert data["network"]["dns"] == ["192.0.2.53", "192.0.2.54"]
    assert "given more than once" in refused('<admin-interface name="eth0" proto="static"><ip>192.0.2.10</ip>'
                                             '<ipaddr>192.0.2.11</ipaddr><subnet>24</subnet>'
                                             '<gateway>192.0.2.1</gateway></admin-interface>')


def test_deprecated_scripts_ntp_and_sr_type():
    data = translate('<post-install-script type="url">http://192.0.2.1/p.sh</post-install-script>'
                     '<ntp-servers>0.pool.ntp.org</ntp-servers>')
    assert data["hooks"] == {"filesystem-populated": ["http://192.0.2.1/p.sh"]}
    assert data["ntp-servers"] == ["0.pool.ntp.org"]
    srtype = answers.parse_text(BASE.replace('mode="fresh"', 'mode="fresh" srtype="ext"') % "")
    assert srtype["storage"] == {"type": "ext"}


@pytest.mark.parametrize("body", [
    '<bootloader location="mbr">grub2</bootloader>', '<bootloader>grub2</bootloader>',
    '<bootloader location="mbr" write-boot-entry="false">grub2</bootloader>',
    '<ui-confirmation-prompt>false</ui-confirmation-prompt>', '<ui-confirmation-prompt>no</ui-confirmation-prompt>',
    '<network-backend>bridge</network-backend>',
])
def test_elements_asking_for_what_xenhost_does_are_accepted(body):
    assert translate(body) == translate("")


@pytest.mark.parametrize("attrs", ['sr-at-end="true"', 'preserve-first-partition="false"',
                                   'preserve-first-partition="no"'])
def test_primary_disk_attributes_that_match_xenhost(attrs):
    data = answers.parse_text(BASE.replace("<primary-disk>", "<primary-disk %s>" % attrs) % "")
    assert answers.problems(data) == [] and data["disk"] == {"primary": "/dev/sda"}


@pytest.mark.parametrize("name", ["../etc/passwd", "sda/../../etc", "/dev/../root/x", "/dev//sda"])
def test_device_names_that_escape_dev_are_refused_by_validate(name, tmp_path):
    from xenhost_installer.cli import main
    path = tmp_path / "a.xml"
    path.write_text(BASE.replace("sda", name) % "")
    assert main(["validate", str(path)]) == 1


def test_every_element_of_the_doc_is_known():
    """The doc's element names (doc/answerfile.txt, host-installer): honoured, or refused by name."""
    doc = {"driver-source", "script", "post-install-script", "install-failed-script", "fcoe-interface",
           "ui-confirmation-prompt", "source", "bootloader", "network-backend", "primary-disk", "guest-disks",
           "guest-disk", "admin-interface", "root-password", "name-server", "nameserver", "hostname", "timezone",
           "ntp", "ntp-server", "ntp-servers", "keymap", "existing-installation", "backup-disk"}
    known = set(xenserver.ELEMENTS) | set(xenserver.UNSUPPORTED)
    assert doc - known == set()
    assert {"ipaddr", "ip", "subnet", "subnet-mask", "gateway"} <= xenserver.CONTAINERS["admin-interface"]
