"""Slow tier: the dom0 kernel of the `full` profile (specs/linux-dom0.spec) is complete and boots.

Builds it if the cache does not hold it yet (20-40 minutes on 2 cores; cached afterwards),
then checks the package (kernel, modules, maintainer scripts, Depends) and boots the kernel in
qemu (TCG) with a tiny busybox initramfs carrying its modules: once directly, and once as dom0
under our Xen hypervisor, where /proc/xen/capabilities must say control_d.
"""
import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from ci.qemu import VM, VMSpec
from packages.backends import BuildRequest
from packages.backends.chroot import ChrootBackend
from buildlib.config import BuildConfig
from packages.pipeline import PackageBuilder
from packages.specs import parse_spec

pytestmark = pytest.mark.slow

RELEASE = "6.1.176-xenhost"
BACKENDS = ("xenfs", "xen-blkback", "xen-netback", "xen-gntdev", "xen-evtchn", "xen-privcmd",
            "xen-pciback")
# The families the trimmed config keeps (README "Dom0 kernel"): server NICs and HBAs, LVM/md/
# multipath/iSCSI, vfio, bridging and bonding, and what the installer's live boot mounts.
DRIVERS = ("bridge", "8021q", "bonding", "dm-mod", "dm-multipath", "raid456", "iscsi_tcp",
           "virtio_net", "e1000e", "igb", "ixgbe", "i40e", "ice", "bnx2x", "bnxt_en", "tg3",
           "mlx4_en", "mlx5_core", "r8169", "ahci", "nvme", "megaraid_sas", "mpt3sas", "aacraid",
           "hpsa", "smartpqi", "virtio_blk", "usb-storage", "vfio-pci", "squashfs", "overlay",
           "isofs", "udf", "sr_mod", "loop", "vfat")

INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
echo "XENHOST-BOOT uname=$(uname -r)"
hypervisor=$(cat /sys/hypervisor/type 2>/dev/null || echo none)
echo "XENHOST-BOOT hypervisor=$hypervisor"
for m in MODULES; do
    modprobe $m && echo "XENHOST-BOOT module $m ok" || echo "XENHOST-BOOT module $m FAILED"
done
if [ "$hypervisor" = xen ]; then
    for m in BACKENDS; do
        modprobe $m && echo "XENHOST-BOOT module $m ok" || echo "XENHOST-BOOT module $m FAILED"
    done
    mount -t xenfs xenfs /proc/xen && echo "XENHOST-BOOT capabilities=$(cat /proc/xen/capabilities)"
fi
echo "XENHOST-BOOT nics=$(ls /sys/class/net | tr '\\n' ' ')"
echo "XENHOST-BOOT done"
poweroff -f
""".replace("BACKENDS", " ".join(BACKENDS)).replace("MODULES", " ".join(DRIVERS))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The kernel and Xen .debs from the cache (built first if needed), unpacked."""
    builder = PackageBuilder(BuildConfig(), backend="chroot", profile="full")
    summary = builder.run(only={"linux-dom0", "xen-hypervisor"})
    assert summary.ok, summary.table()
    work = tmp_path_factory.mktemp("dom0-kernel")
    debs = {}
    for name in ("linux-dom0", "xen-hypervisor"):
        (deb,) = builder.stores[name].debs()
        debs[name] = deb
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / name)], check=True)
    return work, debs


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_package_holds_kernel_modules_and_debian_hooks(built):
    work, debs = built
    root = work / "linux-dom0"
    assert (root / "boot" / f"vmlinuz-{RELEASE}").stat().st_size > 4_000_000
    config = (root / "boot" / f"config-{RELEASE}").read_text()
    for line in ("CONFIG_XEN_DOM0=y", "CONFIG_XEN_BLKDEV_BACKEND=m", "CONFIG_XEN_NETDEV_BACKEND=m"):
        assert line in config.splitlines()
    modules = {p.name.removesuffix(".ko").replace("_", "-")
               for p in (root / "lib" / "modules" / RELEASE).rglob("*.ko")}
    for module in (*BACKENDS, *DRIVERS):
        assert module.replace("_", "-") in modules, module
    depends = _field(debs["linux-dom0"], "Depends")
    assert "kmod" in depends and "initramfs-tools | linux-initramfs-tool" in depends
    control = work / "control"
    subprocess.run(["dpkg-deb", "-e", str(debs["linux-dom0"]), str(control)], check=True)
    postinst = (control / "postinst").read_text()
    assert f"depmod -a -F /boot/System.map-{RELEASE} {RELEASE}" in postinst
    assert "/etc/kernel/postinst.d" in postinst


def _initramfs(work: Path, kernel_root: Path) -> Path:
    """busybox + the package's modules (indexed by the host's depmod) + our init, as gzip cpio."""
    tree = work / "initramfs"
    if tree.exists():
        shutil.rmtree(tree)
    for d in ("bin", "proc", "sys", "dev", "lib/modules"):
        (tree / d).mkdir(parents=True)
    shutil.copy2("/bin/busybox", tree / "bin" / "busybox")
    shutil.copytree(kernel_root / "lib" / "modules" / RELEASE, tree / "lib" / "modules" / RELEASE)
    # /sbin: not on every PATH (kmod).
    subprocess.run(["/sbin/depmod", "-b", str(tree), RELEASE], check=True)
    (tree / "init").write_text(INIT)
    (tree / "init").chmod(0o755)
    files = subprocess.run(["find", "."], cwd=tree, capture_output=True, check=True).stdout
    archive = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=tree, input=files,
                             capture_output=True, check=True).stdout
    initrd = work / "initramfs.cpio.gz"
    initrd.write_bytes(gzip.compress(archive, 6))
    return initrd


def _boot(vm_spec: VMSpec) -> str:
    with VM(vm_spec) as vm:
        vm.expect_phase("boot", "XENHOST-BOOT done", timeout=600)
        return vm.log_path.read_text(errors="replace")


def _markers(log: str) -> list[str]:
    return [ln.split("XENHOST-BOOT ", 1)[1].strip() for ln in log.splitlines() if "XENHOST-BOOT " in ln]


def test_kernel_boots_and_loads_its_drivers(built):
    work, _debs = built
    kernel = work / "linux-dom0" / "boot" / f"vmlinuz-{RELEASE}"
    initrd = _initramfs(work, work / "linux-dom0")
    log = _boot(VMSpec(name="bare", workdir=work, memory_mb=1024, kernel=kernel, initrd=initrd,
                       append="console=ttyS0 panic=-1", no_reboot=True))
    markers = _markers(log)
    assert f"uname={RELEASE}" in markers and "hypervisor=none" in markers
    for module in DRIVERS:
        assert f"module {module} ok" in markers, markers
    # virtio_net found qemu's NIC.
    assert any(m.startswith("nics=") and "eth0" in m for m in markers), markers


def test_kernel_boots_as_dom0_under_our_xen(built):
    work, _debs = built
    xen_gz = next((work / "xen-hypervisor" / "boot").glob("xen-*.gz"))
    xen = work / "xen"
    xen.write_bytes(gzip.decompress(xen_gz.read_bytes()))
    kernel = work / "linux-dom0" / "boot" / f"vmlinuz-{RELEASE}"
    initrd = _initramfs(work, work / "linux-dom0")
    # qemu's multiboot loader: Xen is the kernel, dom0's kernel and initramfs its modules.
    modules = f"{kernel} console=hvc0 earlyprintk=xen,{initrd}"
    log = _boot(VMSpec(name="dom0", workdir=work, memory_mb=1536, kernel=xen, initrd=Path(modules),
                       append="console=com1 com1=115200,8n1 dom0_mem=768M,max:768M noreboot",
                       no_reboot=True))
    markers = _markers(log)
    assert "Xen version 4.17.5-xenhost" in log
    assert f"uname={RELEASE}" in markers and "hypervisor=xen" in markers
    for module in BACKENDS:
        assert f"module {module} ok" in markers, markers
    assert "capabilities=control_d" in markers, markers


def test_package_installs_like_a_debian_kernel(built, tmp_path):
    """dpkg -i into a clean Debian 12 root with initramfs-tools (network off, as builds run):
    the postinst indexes the modules and the initramfs-tools hook makes the initrd."""
    _work, debs = built
    config = BuildConfig()
    backend = ChrootBackend(config)
    spec = parse_spec(config.specs_dir / "linux-dom0.spec")
    request = BuildRequest(spec=spec, srpm=Path(), build_requires=("initramfs-tools", "zstd"),
                           result_dir=tmp_path, log=tmp_path / "install.log",
                           local_debs=(debs["linux-dom0"],))
    root = tmp_path / "root"
    root.mkdir()
    backend.prepare_root(request, root)
    log = request.log.read_text()
    assert f"update-initramfs: Generating /boot/initrd.img-{RELEASE}" in log, log[-3000:]
    assert (root / "boot" / f"initrd.img-{RELEASE}").stat().st_size > 1_000_000
    assert "xen-blkback" in (root / "lib" / "modules" / RELEASE / "modules.dep").read_text()
