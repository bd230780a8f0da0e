"""grub.cfg written by the installer (grubcfg.py) against what Debian's own 20_linux_xen writes for the
same /boot and the same settings files (release/grub/xenhost.cfg + the installer's boot options)."""
import os
import re
import shutil
import subprocess

import pytest

from xenhost_installer import grubcfg
from xenhost_installer.bootcfg import grub_defaults_text
from xenhost_common.runner import Runner
from xenhost_installer.errors import InstallerError

from installer_fixtures import KERNEL_VERSION, XEN_VERSION, boot_files, tree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UUID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
DEBIAN_SCRIPT = "/etc/grub.d/20_linux_xen"


class Plan:
    xen_extra_args = "sched=credit2"
    dom0_extra_args = "loglevel=4"


@pytest.fixture
def root(tmp_path, host):
    """A target root with the dom0 image's /boot and settings files: Debian's defaults, ours, the installer's."""
    tree(tmp_path, {"etc/default/grub": 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n'
                                        'GRUB_CMDLINE_LINUX=""\n',
                    "etc/default/grub.d/xenhost.cfg": open(os.path.join(REPO, "release/grub/xenhost.cfg")).read(),
                    "etc/default/grub.d/50-xenhost-install.cfg": grub_defaults_text(Plan, host)})
    boot_files(tmp_path)
    return str(tmp_path)


def test_settings_are_read_as_grub_mkconfig_sources_them(root):
    s = grubcfg.grub_settings(Runner(), root)
    assert s["GRUB_DISTRIBUTOR"] == "xenhost" and s["GRUB_TERMINAL"] == "console serial"
    assert s["GRUB_CMDLINE_XEN_DEFAULT"].startswith("dom0_mem=1228M,max:1228M console=com1,vga com1=115200,8n1")
    assert s["GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"] == "console=hvc0 loglevel=4"


def test_default_entry_boots_xen_multiboot2_with_the_installers_options(root):
    text = grubcfg.grub_cfg_text(root, grubcfg.grub_settings(Runner(), root), UUID)
    assert 'set default="xenhost GNU/Linux, with Xen hypervisor"' in text
    assert "serial --unit=0 --speed=115200\nterminal_input console serial\nterminal_output console serial" in text
    first = text[text.index("menuentry "):text.index("\n}\n")]
    assert first.startswith("menuentry 'xenhost GNU/Linux, with Xen hypervisor' --class xenhost")
    assert ("\tmultiboot2\t/boot/xen-%s.gz placeholder gnttab_max_maptrack_frames=4096 "
            "dom0_mem=1228M,max:1228M console=com1,vga com1=115200,8n1 "
            "sched=credit2 ${xen_rm_opts}" % XEN_VERSION) in first
    assert ("\tmodule2\t/boot/vmlinuz-%s placeholder root=UUID=%s ro console=hvc0 loglevel=4"
            % (KERNEL_VERSION, UUID)) in first
    assert "\tmodule2\t--nounzip   /boot/initrd.img-%s" % KERNEL_VERSION in first
    recovery = text[text.index("(recovery mode)"):]
    recovery = recovery[:recovery.index("\n\t\t}")]
    assert "root=UUID=%s ro single\n" % UUID in recovery          # Debian: GRUB_CMDLINE_LINUX only
    assert "placeholder gnttab_max_maptrack_frames=4096 ${xen_rm_opts}" in recovery      # GRUB_CMDLINE_XEN only


def test_newest_kernel_first_and_non_dom0_kernels_left_out(root):
    tree(os.path.join(root, "boot"), {"vmlinuz-6.1.0-9-amd64": "k", "config-6.1.0-9-amd64": "CONFIG_XEN_DOM0=y\n",
                                      "vmlinuz-6.1.0-60-amd64": "k", "config-6.1.0-60-amd64": "CONFIG_XEN=y\n"})
    versions = [k[0] for k in grubcfg.dom0_kernels(os.path.join(root, "boot"))]
    assert versions == [KERNEL_VERSION, "6.1.0-9-amd64"]


def test_no_kernel_is_refused_with_the_fix(root):
    os.remove(os.path.join(root, "boot", "config-" + KERNEL_VERSION))
    with pytest.raises(InstallerError, match="no Linux kernel with CONFIG_XEN_DOM0=y.*fix: rebuild the dom0 image"):
        grubcfg.grub_cfg_text(root, {}, UUID)


def test_multiboot_v1_xen_gets_multiboot_loaders(root):
    import gzip
    with gzip.open(os.path.join(root, "boot", "xen-%s.gz" % XEN_VERSION), "wb") as f:
        f.write(b"\0" * 8192)
    assert "\tmultiboot\t/boot/xen" in grubcfg.grub_cfg_text(root, {}, UUID)


FAKE_PROBE = """#!/bin/sh
for a; do case "$a" in --target=*) t="${a#--target=}";; esac; done
case "$t" in partmap) echo gpt;; fs) echo ext2;; fs_uuid) echo %s;; compatibility_hint) echo hd0,gpt3;;
  hints_string) echo --hint-bios=hd0,gpt3;; device) echo /dev/vda3;; esac
"""


def debian_menu(root, settings, tmp_path):
    """Debian's 20_linux_xen itself over root's /boot (bound on /boot in a private mount namespace),
    with grub-probe answering what a GPT ext4 root on /dev/vda3 would."""
    for tool in ("unshare", "grub-file"):
        assert shutil.which(tool), "%s missing: run ./setup-host.sh" % tool
    assert os.path.exists(DEBIAN_SCRIPT), "%s missing: run ./setup-host.sh (grub-common)" % DEBIAN_SCRIPT
    probe = tmp_path / "grub-probe"
    probe.write_text(FAKE_PROBE % UUID)
    probe.chmod(0o755)
    env = dict(settings, PATH=os.environ["PATH"], pkgdatadir="/usr/share/grub", grub_probe=str(probe),
               grub_mkrelpath="echo", GRUB_DEVICE="/dev/vda3", GRUB_DEVICE_UUID=UUID, GRUB_DEVICE_BOOT="/dev/vda3",
               GRUB_DEVICE_BOOT_UUID=UUID, GRUB_FS="ext2",
               GRUB_RECOVERY_TITLE=grubcfg.RECOVERY_TITLE)      # grub-mkconfig exports these
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount --bind "$0" /boot && exec "$1"',
                           os.path.join(root, "boot"), DEBIAN_SCRIPT], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def essentials(text):
    """What boots: titles, ids and loader lines, whitespace folded. Debian names root=/dev/vda3 here only
    because this host has no /dev/disk/by-uuid/UUID link; on a real target it writes root=UUID= too."""
    keep = re.compile(r"^\s*(menuentry|submenu|multiboot2?|module2?)\s")
    lines = [" ".join(line.split()) for line in text.splitlines() if keep.match(line)]
    return [line.replace("root=/dev/vda3", "root=UUID=%s" % UUID) for line in lines]


def test_same_entries_as_debians_20_linux_xen(root, tmp_path):
    settings = grubcfg.grub_settings(Runner(), root)
    ours = essentials("\n".join(grubcfg.menu(settings, UUID, [(XEN_VERSION, "xen-%s.gz" % XEN_VERSION, "multiboot2", "module2")],
                                   grubcfg.dom0_kernels(os.path.join(root, "boot")))))
    theirs = essentials(debian_menu(root, settings, tmp_path))
    assert len(theirs) >= 5 and ours == theirs
