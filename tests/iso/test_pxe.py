"""The PXE tree's pieces: boot configs for each loader, per-MAC files, the ISO's boot entry, the
initrd archives (read back with cpio) and --host parsing. The signed SHA256SUMS is proven against
the installer's verifier in tests/installer/test_imagesource.py."""
import subprocess

import pytest

from buildlib.errors import XenhostBuildError
from iso import pxe

ISO_GRUB_CFG = """\
set timeout=5
menuentry "xenhost-installer" --class os --unrestricted {
    set gfxpayload=keep
    echo Loading kernel...
    linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} root=live:CDLABEL=XENHOST rd.live.image console=ttyS0,115200 console=tty0 quiet ${isoboot}
    echo Loading initrd...
    initrd ($root)/boot/x86_64/loader/initrd
}
menuentry "xenhost-installer (serial console ttyS0)" --class os --unrestricted {
    set gfxpayload=keep
    linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} root=live:CDLABEL=XENHOST rd.live.image quiet ${isoboot} console=tty0 console=ttyS0,115200
    initrd ($root)/boot/x86_64/loader/initrd
}
"""
URL = "http://192.0.2.1:8080/xenhost"
MAC = "52-54-00-12-34-56"


def test_the_serial_entry_gives_kernel_initrd_and_arguments():
    entry = pxe.iso_entry(ISO_GRUB_CFG)
    assert entry.kernel == "/boot/x86_64/loader/linux" and entry.initrd == "/boot/x86_64/loader/initrd"
    assert entry.args == "root=live:CDLABEL=XENHOST rd.live.image quiet console=tty0 console=ttyS0,115200"


def test_a_menu_without_the_serial_entry_is_a_clear_error():
    with pytest.raises(XenhostBuildError, match="serial console ttyS0"):
        pxe.iso_entry(ISO_GRUB_CFG.split('menuentry "xenhost-installer (serial')[0])


@pytest.fixture
def configs(tmp_path):
    tree = pxe.Tree(url=URL, kernel_args="root=live:CDLABEL=XENHOST console=ttyS0,115200", root_bytes=600 << 20,
                    hosts={MAC: MAC + ".yaml"}, default_answers=True)
    return pxe.render_configs(tree, tmp_path), tmp_path


def test_every_loader_gets_a_config_and_large_files_travel_over_http(configs):
    out, folder = configs
    assert sorted(out) == ["boot.ipxe", "dnsmasq.conf.example", "grub/grub.cfg", "grub/grub.cfg-01-" + MAC,
                           "pxelinux.cfg/01-" + MAC, "pxelinux.cfg/default"]
    assert (folder / "pxelinux.cfg" / "default").read_text() == out["pxelinux.cfg/default"]
    for name in pxe.FILES.values():         # kernel, initrd, hook, root: by HTTP in every loader
        assert f"${{base}}/{name}" in out["boot.ipxe"]
        assert f"{URL}/{name}" in out["pxelinux.cfg/default"]
        assert f"(http,192.0.2.1:8080)/xenhost/{name}" in out["grub/grub.cfg"]
    assert "600 MiB" in out["boot.ipxe"]
    for text in (out["boot.ipxe"], out["pxelinux.cfg/default"], out["grub/grub.cfg"]):
        assert "root=live:CDLABEL=XENHOST" in text and "image_url=" in text


def test_per_host_answers_by_mac_with_a_default(configs):
    out, _ = configs
    assert f"answerfile={URL}/answers/{MAC}.yaml" in out["pxelinux.cfg/01-" + MAC]
    assert f"answerfile={URL}/answers/{MAC}.yaml" in out["grub/grub.cfg-01-" + MAC]
    assert f"answerfile={URL}/answers/default.yaml" in out["pxelinux.cfg/default"]
    assert f"answerfile={URL}/answers/default.yaml" in out["grub/grub.cfg"]
    ipxe = out["boot.ipxe"]                 # iPXE probes answers/<mac>.yaml, then default.yaml
    assert ipxe.index("imgfetch --name probe ${base}/answers/${net0/mac:hexhyp}.yaml") < \
        ipxe.index("imgfetch --name probe ${base}/answers/default.yaml")


def test_without_answer_files_the_screens_run(tmp_path):
    out = pxe.render_configs(pxe.Tree(url=URL, kernel_args="quiet"), tmp_path)
    assert "answerfile=" not in out["pxelinux.cfg/default"] and "answerfile=" not in out["grub/grub.cfg"]


def test_dnsmasq_example_tags_both_firmwares(configs):
    text = configs[0]["dnsmasq.conf.example"]
    for line in ("dhcp-match=set:bios,option:client-arch,0", "dhcp-match=set:efi,option:client-arch,7",
                 "dhcp-match=set:efi,option:client-arch,9", "dhcp-userclass=set:ipxe,iPXE",
                 f"dhcp-boot=tag:ipxe,{URL}/boot.ipxe", "dhcp-boot=tag:bios,tag:!ipxe,undionly.kpxe",
                 "dhcp-boot=tag:efi,tag:!ipxe,grubx64.efi", "enable-tftp"):
        assert line in text


def test_grub_needs_an_http_url():
    with pytest.raises(XenhostBuildError, match="not an http"):
        pxe.Tree(url="tftp://h/x", kernel_args="").grub_base()


def test_initrd_archive_holds_the_files_under_their_paths(tmp_path):
    big = tmp_path / "x.iso"
    big.write_bytes(b"ISO" * 1000)
    archive = pxe.newc_archive({pxe.ISO_IN_INITRD: big, pxe.HOOK_IN_INITRD: pxe.TEMPLATES / "pxe-root-hook.sh"},
                               tmp_path / "root.cpio")
    listing = subprocess.run(["cpio", "-t", "--quiet"], stdin=open(archive, "rb"), capture_output=True,
                             text=True, check=True).stdout.split()
    assert pxe.ISO_IN_INITRD in listing and pxe.HOOK_IN_INITRD in listing and "xenhost" in listing
    head = archive.read_bytes()[:6]
    assert head == b"070701"                # newc, uncompressed: what the kernel unpacks


def test_the_hook_attaches_the_path_the_archive_uses():
    assert "/" + pxe.ISO_IN_INITRD in (pxe.TEMPLATES / "pxe-root-hook.sh").read_text()


def test_hosts_are_parsed_and_checked(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("version: 1\n")
    assert pxe.parse_hosts([f"52:54:00:12:34:56={answers}"]) == {MAC: answers}
    with pytest.raises(XenhostBuildError, match="not a MAC"):
        pxe.parse_hosts([f"52:54:00:12:34={answers}"])
    with pytest.raises(XenhostBuildError, match="MAC=ANSWERFILE"):
        pxe.parse_hosts(["52:54:00:12:34:56=/nonexistent.yaml"])
