"""./build.py pxe's assembly on a small real ISO (xorriso) and a real signing key: every file of the
tree, the signed SHA256SUMS checked with gpgv, the root ISO inside the root initrd (the ISO's label
and squashfs, nothing else), per-host files."""
import subprocess

import pytest

from buildlib.config import BuildConfig
from buildlib.signing import Signer
from iso import pxe

from test_pxe import ISO_GRUB_CFG


@pytest.fixture
def small_iso(tmp_path):
    media = tmp_path / "media"
    (media / "boot" / "grub2").mkdir(parents=True)
    (media / "boot" / "x86_64" / "loader").mkdir(parents=True)
    (media / "boot" / "grub2" / "grub.cfg").write_text(ISO_GRUB_CFG)
    (media / "boot" / "x86_64" / "loader" / "linux").write_bytes(b"kernel" * 100)
    (media / "boot" / "x86_64" / "loader" / "initrd").write_bytes(b"initrd" * 100)
    (media / "LiveOS").mkdir()
    (media / "LiveOS" / "squashfs.img").write_bytes(b"squashfs" * 1000)
    (media / "xenhost").mkdir()
    (media / "xenhost" / "dom0.img.zst").write_bytes(b"dom0" * 1000)
    iso = tmp_path / "x.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "XENHOST", "-o", str(iso), str(media)], check=True)
    return iso


def test_tree_from_an_iso(tmp_path, small_iso):
    config = BuildConfig(cache_dir=tmp_path / "cache", out_dir=tmp_path / "out")
    dom0 = tmp_path / "dom0.img.zst"
    dom0.write_bytes(b"image")
    answers = tmp_path / "a.yaml"
    answers.write_text("version: 1\n")
    signer = Signer(config)
    (config.out_dir / "pxe").mkdir(parents=True)
    (config.out_dir / "pxe" / "dom0.tar.zst").write_bytes(b"the image as an earlier build named it")
    tree = pxe.build_tree(config, small_iso, dom0, "http://192.0.2.1/x", {"52-54-00-00-00-01": answers}, answers,
                          signer=signer, progress=lambda text: None)
    names = {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}
    assert "dom0.tar.zst" not in names          # not served unsigned beside the current image
    assert {"undionly.kpxe", "ipxe.efi", "lpxelinux.0", "ldlinux.c32", "grubx64.efi", "boot.ipxe",
            "pxelinux.cfg/default", "pxelinux.cfg/01-52-54-00-00-00-01", "grub/grub.cfg",
            "grub/grub.cfg-01-52-54-00-00-00-01", "answers/52-54-00-00-00-01.yaml", "answers/default.yaml",
            "dnsmasq.conf.example", "tree.json", "SHA256SUMS", "SHA256SUMS.sig", "dom0.img.zst",
            *pxe.FILES.values()} <= names
    assert (tree / "installer-kernel").read_bytes() == b"kernel" * 100
    keyring = signer.export_public(tmp_path)
    subprocess.run(["gpgv", "--keyring", str(keyring), str(tree / "SHA256SUMS.sig"), str(tree / "SHA256SUMS")],
                   check=True, capture_output=True)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tree, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 5
    listing = subprocess.run(["cpio", "-t", "--quiet"], stdin=open(tree / "installer-root.cpio", "rb"),
                             capture_output=True, text=True, check=True).stdout.split()
    assert pxe.ISO_IN_INITRD in listing
    subprocess.run(["cpio", "-i", "-d", "--quiet"], stdin=open(tree / "installer-root.cpio", "rb"),
                   cwd=tmp_path, check=True)
    root_iso = tmp_path / pxe.ISO_IN_INITRD
    files = subprocess.run(["xorriso", "-indev", str(root_iso), "-find", "/", "-type", "f"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert files == ["'/LiveOS/squashfs.img'"]
    info = subprocess.run(["xorriso", "-indev", str(root_iso), "-pvd_info"], capture_output=True, text=True).stdout
    assert "Volume Id    : XENHOST" in info
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(root_iso), "-extract", "/LiveOS/squashfs.img",
                    str(tmp_path / "sq")], check=True, capture_output=True)
    assert (tmp_path / "sq").read_bytes() == b"squashfs" * 1000
    assert "root=live:CDLABEL=XENHOST" in (tree / "boot.ipxe").read_text()
    assert oct((tree / "boot.ipxe").stat().st_mode & 0o777) == "0o644"


def test_a_root_made_the_old_way_is_remade(tmp_path):
    """A tree from before ROOT_FORMAT 2 (the whole ISO as the root) is not reused, however new."""
    iso, root = tmp_path / "x.iso", tmp_path / "installer-root.cpio"
    iso.write_bytes(b"iso")
    root.write_bytes(b"old root")
    (tmp_path / "tree.json").write_text('{"root_bytes": 8}')
    assert not pxe._up_to_date(root, iso)
    (tmp_path / "tree.json").write_text(f'{{"root_format": {pxe.ROOT_FORMAT}}}')
    assert pxe._up_to_date(root, iso)
