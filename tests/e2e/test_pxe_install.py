"""PXE, as a rack would use it: qemu's DHCP/TFTP hands out the loader, the loader fetches the
installer over HTTP from out/pxe/ (loopback server, 10.0.2.2 from the guest), the installer fetches
its answer file and the signed dom0 image, installs, reboots; the host boots Xen, first boot runs,
`xe host-param-list` answers. BIOS: qemu's iPXE ROM runs boot.ipxe; UEFI: OVMF loads GRUB netboot
(grubx64.efi + grub/grub.cfg over TFTP, the rest over HTTP). A tampered image is refused with the
disk untouched. Phases and bytes go to out/e2e/<test>/pxe-figures.json (ci/pxe_figures.py prints them).
"""
import json
import shutil
import time
import subprocess
from pathlib import Path

import pexpect
import pytest

from build_outputs import OUT
from ci import pxeboot
from ci.qemu import VM, VMSpec, create_disk

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
TREE = OUT / "pxe"                # the build profile's (tests/build_outputs.py)
PASSWORD = "xenhost-e2e"
ANSWERS = """\
version: 1
disk: {{primary: /dev/vda}}
root-password: {{plaintext: "{password}"}}
hostname: {hostname}
network: {{interface: auto, mode: dhcp}}
boot: {{xen-extra-args: "bootscrub=0", dom0-extra-args: ""}}
atexit: reboot
"""


@pytest.fixture
def pxe_dir(request) -> Path:
    if not (TREE / "tree.json").exists():
        pytest.fail("no PXE tree in out/pxe: build it first with ./build.py pxe (./build.py iso writes it too)")
    path = OUT / "e2e" / request.node.name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


@pytest.fixture
def http(pxe_dir):
    server = pxeboot.HttpServer(pxe_dir / "www")
    yield server
    server.close()


def disk_has_data(disk) -> bool:
    out = subprocess.run(["qemu-img", "map", "--output=json", str(disk)], check=True,
                         capture_output=True, text=True).stdout
    return any(extent["data"] for extent in json.loads(out))


def pxe_install(workdir, firmware, disk, http, mac="", name="installer"):
    """Network boot to a finished install; returns the phases. The loader's share (DHCP, TFTP, the
    HTTP downloads) is timed from the HTTP server: iPXE prints on the screen only."""
    spec = VMSpec(name=name, workdir=workdir, disks=[disk], boot_order="n", uefi=firmware == "uefi",
                  no_reboot=True, tftp=workdir / "tftp", bootfile=pxeboot.BOOTFILE[firmware], mac=mac)
    start = time.monotonic()
    with VM(spec) as vm:
        vm.expect_phase("PXE boot to installer", "xenhost-installer: reading answer file", 1500)
        first, loaded = http.first("/installer-kernel"), http.first("/installer-root.cpio", "done")
        booted = vm.phases.pop("PXE boot to installer")
        if first and loaded:            # the loader's share, timed by the HTTP server
            vm.phases["firmware, DHCP, TFTP, boot config to the kernel request"] = round(first - start, 1)
            vm.phases["loader: kernel and initrds over HTTP"] = round(loaded - first, 1)
            booted -= round(loaded - start, 1)
        vm.phases["kernel, initrd (ISO unpacked) to installer"] = round(booted, 1)
        vm.expect_phase("installer fetches answer file and image", r"dom0 image \S+ verified", 900)
        outcome = vm.expect_phase("install", ["xenhost-installer: installation complete",
                                              "xenhost-installer: INSTALLATION FAILED"], 1800)
        assert outcome == 0, f"the installer failed:\n{vm.tail(60)}"
        vm.expect_phase("installer reboots", pexpect.EOF, 300)
    return vm.phases


def boot_host(workdir, firmware, disk, hostname, mac="", name="host"):
    spec = VMSpec(name=name, workdir=workdir, disks=[disk], boot_order="c", uefi=firmware == "uefi", mac=mac)
    with VM(spec) as vm:
        vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("first boot", "xenhost-firstboot: done", 900)
        vm.expect_phase("dom0 ready", f"{hostname} login:", 600)
        vm.login(PASSWORD, f"root@{hostname}:~# ")
        vm.send_line("xe host-param-list")
        vm.expect_phase("toolstack", r"xen: 4\.17\.\d+-xenhost", 180)
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    return vm.phases


def record(workdir, firmware, staged, http, phases):
    figures = {"firmware": firmware, "phases": phases, "http_bytes": dict(http.sent),
               "tftp_bytes": pxeboot.tftp_bytes(staged.tftp, pxeboot.BOOTFILE[firmware],
                                                ["grub/grub.cfg"] if firmware == "uefi" else [])}
    (workdir / "pxe-figures.json").write_text(json.dumps(figures, indent=2) + "\n")


@pytest.mark.parametrize("firmware", ["bios", "uefi"])
def test_pxe_install_boots_xen_first_boot_and_toolstack(firmware, pxe_dir, http):
    hostname = f"xh-pxe-{firmware}"
    staged = pxeboot.stage(TREE, pxe_dir, http.guest_url,
                           default=ANSWERS.format(password=PASSWORD, hostname=hostname))
    disk = create_disk(pxe_dir / "disk.qcow2", "24G")
    phases = pxe_install(pxe_dir, firmware, disk, http)
    phases.update(boot_host(pxe_dir, firmware, disk, hostname))
    record(pxe_dir, firmware, staged, http, phases)


def test_tampered_image_is_refused_and_the_disk_is_untouched(pxe_dir, http):
    pxeboot.stage(TREE, pxe_dir, http.guest_url, tamper=True,
                  default=ANSWERS.format(password=PASSWORD, hostname="xh-tampered"))
    disk = create_disk(pxe_dir / "disk.qcow2", "24G")
    spec = VMSpec(name="tampered", workdir=pxe_dir, disks=[disk], boot_order="n", no_reboot=True,
                  tftp=pxe_dir / "tftp", bootfile=pxeboot.BOOTFILE["bios"])
    with VM(spec) as vm:
        vm.expect_phase("PXE to installer", "xenhost-installer: reading answer file", 1500)
        vm.expect_phase("installer refuses", "xenhost-installer: INSTALLATION FAILED", 900)
        vm.expect_phase("reason", "altered or replaced", 60)
    assert not disk_has_data(disk), "the installer wrote to the disk although the image was refused"


STATIC = """\
version: 1
disk: {{primary: /dev/vda}}
root-password: {{plaintext: "{password}"}}
hostname: {hostname}
network: {{interface: auto, mode: static, address: {address}/24, gateway: 10.0.2.2, dns: [10.0.2.3]}}
boot: {{xen-extra-args: "bootscrub=0", dom0-extra-args: ""}}
atexit: reboot
"""


def test_two_hosts_from_one_tree_get_their_own_names_and_addresses(pxe_dir, http):
    """One tree, two MACs: boot.ipxe picks answers/<mac>.yaml for each; each host comes up with its
    own host name and static address."""
    hosts = {"52:54:00:00:0a:01": ("xh-rack-a", "10.0.2.21"), "52:54:00:00:0a:02": ("xh-rack-b", "10.0.2.22")}
    pxeboot.stage(TREE, pxe_dir, http.guest_url, hosts={
        mac: STATIC.format(password=PASSWORD, hostname=name, address=address)
        for mac, (name, address) in hosts.items()})
    for mac, (hostname, address) in hosts.items():
        disk = create_disk(pxe_dir / f"{hostname}.qcow2", "24G")
        pxe_install(pxe_dir, "bios", disk, http, mac=mac, name=f"{hostname}-installer")
        spec = VMSpec(name=hostname, workdir=pxe_dir, disks=[disk], boot_order="c", mac=mac)
        with VM(spec) as vm:
            vm.expect_phase("first boot", "xenhost-firstboot: done", 1200)
            vm.expect_phase("own host name", f"{hostname} login:", 600)
            vm.login(PASSWORD, f"root@{hostname}:~# ")
            vm.send_line("ip -4 -o addr show xenbr0")
            vm.expect_phase("own address", f"inet {address}/24", 60)


def test_two_macs_from_one_tree_each_read_their_own_answer_file(pxe_dir, http):
    """The quick half of the test above: two NICs' MACs, one tree; each installer is started by
    boot.ipxe with answers/<its mac>.yaml (the installs themselves are the test above)."""
    hosts = {"52:54:00:00:0b:01": "xh-mac-a", "52:54:00:00:0b:02": "xh-mac-b"}
    pxeboot.stage(TREE, pxe_dir, http.guest_url, default=ANSWERS.format(password=PASSWORD, hostname="xh-default"),
                  hosts={mac: ANSWERS.format(password=PASSWORD, hostname=h) for mac, h in hosts.items()})
    for mac, hostname in hosts.items():
        disk = create_disk(pxe_dir / f"{hostname}.qcow2", "24G")
        spec = VMSpec(name=hostname, workdir=pxe_dir, disks=[disk], boot_order="n", no_reboot=True,
                      tftp=pxe_dir / "tftp", bootfile=pxeboot.BOOTFILE["bios"], mac=mac)
        with VM(spec) as vm:
            vm.expect_phase("PXE to installer", "xenhost-installer: reading answer file", 1500)
            vm.expect_phase("its own answer file", "answers/%s.yaml" % mac.replace(":", "-"), 30)
