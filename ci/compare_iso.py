#!/usr/bin/env python3
"""Compare two ISOs built from one commit, layer by layer: the ISO's own metadata and files, then
inside the installer's live root (squashfs), its initrd and the dom0 image. Prints every difference
and whether EXPECTED (below) explains it; exit 1 when a difference is not explained.

  sudo .venv/bin/python ci/compare_iso.py A.iso B.iso [--keep DIR]

Make B with a second cache so both kiwi images are built again from the same packages, e.g.
  XENHOST_CACHE=/var/cache/xenhost-b XENHOST_OUT=/tmp/b-out ./build.py iso
"""
import argparse
import contextlib
import fnmatch
import hashlib
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

# What may differ between two image builds of one commit, and why: the one list the README cites.
# (pattern over "layer:path", the fields allowed to differ, why). Anything else is a finding.
ALL = {"mode", "owner", "size", "content", "mtime", "only in A", "only in B"}
MBRID = "kiwi's random boot id (mbrid), which GRUB searches for to find the medium"
EXPECTED = [
    ("iso-metadata:App Id*", ALL, MBRID),
    *((f"iso-metadata:{key}*", ALL, "positions and sizes on the medium follow from the files' sizes")
      for key in ("libisofs", "ISO image size", "MBR partition", "GPT lba range", "GPT start and size")),
    ("iso:boot/0x*", ALL, MBRID),
    ("iso:boot/mbrid", ALL, MBRID),
    ("iso:EFI/BOOT/*", ALL, "GRUB's early config carries " + MBRID),
    ("iso:boot/grub/*.cfg", ALL, "GRUB's config carries " + MBRID),
    ("iso:boot/x86_64/loader/eltorito.img", ALL, "BIOS GRUB core image with the early config (" + MBRID + ")"),
    ("iso:LiveOS/squashfs.img", ALL, "the installer's root: compared below"),
    ("iso:boot/x86_64/loader/initrd", ALL, "the live initrd: compared below"),
    ("iso:xenhost/dom0.img.zst*", ALL, "the dom0 image: compared below"),
    ("iso:*", {"mtime"}, "ISO file times are the times kiwi staged the files"),
    ("LiveOS/squashfs.img:LiveOS*", {"size", "content", "mtime"}, "the ext4 root inside: compared entry by entry"),
    ("LiveOS/squashfs.img:rootfs.img:*", {"mtime"}, "the installer root's file times (kiwi's build; not clamped)"),
    ("LiveOS/squashfs.img:rootfs.img:*", {"size", "mtime"}, "ext4 directory sizes follow creation order"),
    ("LiveOS/squashfs.img:rootfs.img:boot/efi/EFI/BOOT/*", ALL, "GRUB's early config carries " + MBRID),
    ("LiveOS/squashfs.img:rootfs.img:boot/grub/earlyboot.cfg", ALL, MBRID),
    ("LiveOS/squashfs.img:rootfs.img:usr/lib/grub/i386-pc/*.img", ALL, "GRUB core images carry " + MBRID),
    ("*:*etc/mdadm/mdadm.conf", {"content", "mtime"}, "mdadm's mkconf writes the date into a comment"),
    ("xenhost/dom0.img.zst:boot/initrd.img-*", ALL, "initramfs-tools' initrd (its cpio times)"),
    ("xenhost/dom0.img.zst:*", {"mtime"}, "the dom0 root's file times are kiwi's build times (mke2fs -d keeps them)"),
    ("xenhost/dom0.img.zst:*", {"size", "mtime"}, "ext4 directory sizes follow creation order"),
]

def _run(argv, stderr=subprocess.PIPE) -> str:
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=stderr, text=True).stdout


def _decompressed(path: str) -> bytes:
    kind = _run(["file", "-b", path]).lower()
    tool = next((t for k, t in (("xz", "xz"), ("zstandard", "zstd"), ("gzip", "gzip")) if k in kind), None)
    if tool is None:
        return Path(path).read_bytes()
    with open(path, "rb") as raw:
        return subprocess.run([tool, "-dc"], stdin=raw, check=True, capture_output=True).stdout


def describe_cpio(path: str) -> dict[str, tuple]:
    """dracut's initrd, a newc cpio archive, read as it is (unpacking it loses directory times)."""
    data, offset, entries = _decompressed(path), 0, {}
    while data[offset:offset + 6] == b"070701":
        fields = [int(data[offset + 6 + 8 * i: offset + 14 + 8 * i], 16) for i in range(13)]
        mode, uid, gid, mtime, size, namesize = fields[1], fields[2], fields[3], fields[5], fields[6], fields[11]
        name_start = offset + 110
        name = data[name_start:name_start + namesize - 1].decode()
        body_start = (name_start + namesize + 3) & ~3
        body = data[body_start:body_start + size]
        offset = (body_start + size + 3) & ~3
        if name == "TRAILER!!!":
            break
        content = ("-> " + body.decode()) if stat.S_ISLNK(mode) else hashlib.sha256(body).hexdigest()[:16]
        entries[name] = (oct(mode), f"{uid}:{gid}", size, content, mtime)
    return entries


def describe_dom0_image(path: str, work: Path) -> dict[str, tuple]:
    """The dom0 image: its ext4 filesystem (zstd -dc skips the header), mounted and described."""
    work.mkdir(parents=True)
    filesystem = work / "dom0.ext4"
    with open(filesystem, "wb") as out:
        subprocess.run(["zstd", "-dc", path], stdout=out, check=True)
    with mounted(filesystem, work / "root") as tree:
        return describe(tree)


def describe(root: Path) -> dict[str, tuple]:
    """path -> (type and mode, owner, size, content hash or link target, mtime) for an unpacked tree."""
    entries = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                content = "-> " + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                content = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            else:
                content = ""
            entries[str(path.relative_to(root))] = (oct(info.st_mode), f"{info.st_uid}:{info.st_gid}",
                                                    info.st_size, content, int(info.st_mtime))
    return entries


@contextlib.contextmanager
def mounted(image: Path, at: Path):
    """An ext4 image mounted read-only on a loop device (kiwi's live root is one, in the squashfs)."""
    at.mkdir(parents=True)
    _run(["mount", "-o", "loop,ro,noload", str(image), str(at)])
    try:
        yield at
    finally:
        _run(["umount", str(at)])


def describe_squashfs(path: str, work: Path) -> dict[str, tuple]:
    """The installer's squashfs; kiwi's live layout keeps the root as LiveOS/rootfs.img in it,
    which is compared file by file too (its entries prefixed rootfs.img:)."""
    work.mkdir(parents=True)
    _run(["unsquashfs", "-no-progress", "-quiet", "-d", str(work / "root"), path])
    entries = describe(work / "root")
    image = work / "root" / "LiveOS" / "rootfs.img"
    if image.exists():
        with mounted(image, work / "rootfs") as tree:
            entries.update({f"rootfs.img:{k}": v for k, v in describe(tree).items()})
    return entries


SHOWN = 40
FIELDS = ("mode", "owner", "size", "content", "mtime")


def differences(a: dict, b: dict) -> list[tuple[str, str]]:
    """(path, what differs) for every path present in one tree only or differing in a field."""
    found = [(p, "only in A") for p in sorted(a.keys() - b.keys())]
    found += [(p, "only in B") for p in sorted(b.keys() - a.keys())]
    for path in sorted(a.keys() & b.keys()):
        fields = [f for f, x, y in zip(FIELDS, a[path], b[path]) if x != y]
        if fields:
            found.append((path, ", ".join(fields)))
    return found


def explained(layer: str, path: str, what: str) -> str | None:
    fields = {what} if what.startswith("only") else set(what.split(", "))
    for pattern, allowed, why in EXPECTED:
        if fnmatch.fnmatch(f"{layer}:{path}", pattern) and fields <= allowed:
            return why
    return None


def package_versions(status: str) -> dict[str, str]:
    versions = {}
    for stanza in status.split("\n\n"):
        fields = dict(ln.split(": ", 1) for ln in stanza.splitlines() if ": " in ln and not ln.startswith(" "))
        if "Package" in fields:
            versions[f"{fields['Package']}:{fields.get('Architecture', '')}"] = fields.get("Version", "")
    return versions


def _installer_status(squashfs_work: Path) -> str:
    with mounted(squashfs_work / "root" / "LiveOS" / "rootfs.img", squashfs_work / "status-mount") as tree:
        return (tree / "var/lib/dpkg/status").read_text()


def iso_metadata(iso: Path) -> list[str]:
    lines = _run(["xorriso", "-indev", str(iso), "-pvd_info", "-report_system_area", "plain"],
                 stderr=subprocess.STDOUT).splitlines()
    return [ln for ln in lines if ":" in ln and not ln.startswith(("xorriso", "Drive", "Media", "Boot record"))]


def compare(a_iso: Path, b_iso: Path, work: Path) -> int:
    unexplained = 0

    def report(layer, found):
        nonlocal unexplained
        print(f"{layer}: {len(found)} difference(s)")
        for number, (path, what) in enumerate(found):
            why = explained(layer, path, what)
            unexplained += why is None
            if number < SHOWN:
                print(f"  {'expected' if why else 'NOT EXPECTED'}  {path}: {what}" + (f"  ({why})" if why else ""))
        if len(found) > SHOWN:
            print(f"  ... and {len(found) - SHOWN} more")

    meta_a, meta_b = iso_metadata(a_iso), iso_metadata(b_iso)
    report("iso-metadata", [(f"{x.split(':')[0].strip()}: {x.split(':', 1)[1].strip()} / {y.split(':', 1)[1].strip()}",
                             "content") for x, y in zip(meta_a, meta_b) if x != y])
    trees = {}
    for side, iso in (("a", a_iso), ("b", b_iso)):
        trees[side] = work / side / "iso"
        trees[side].mkdir(parents=True)
        _run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", "/", str(trees[side])],
             stderr=subprocess.STDOUT)
    report("iso", differences(describe(trees["a"]), describe(trees["b"])))
    layers = {"LiveOS/squashfs.img": lambda side, path: describe_squashfs(path, work / side / "squashfs"),
              "xenhost/dom0.img.zst": lambda side, path: describe_dom0_image(path, work / side / "dom0"),
              "boot/x86_64/loader/initrd": lambda side, path: describe_cpio(path)}
    for inner, read in layers.items():
        a, b = (read(side, str(trees[side] / inner)) for side in "ab")
        report(inner, differences(a, b))
    # Another package version is another input, not a reproducibility failure: said apart.
    for image, read in (("dom0", lambda side: _dom0_status(work / side / "dom0")),
                        ("installer", lambda side: _installer_status(work / side / "squashfs"))):
        va, vb = (package_versions(read(side)) for side in "ab")
        moved = [f"{n} {va.get(n, '-')} / {vb.get(n, '-')}" for n in sorted(va.keys() | vb.keys()) if va.get(n) != vb.get(n)]
        print(f"{image} packages: {len(moved)} version difference(s)" + (
            " (the builds had different inputs, e.g. the Debian mirror moved between them)" if moved else ""))
        for line in moved:
            print(f"  {line}")
    return unexplained


def _dom0_status(work: Path) -> str:
    with mounted(work / "dom0.ext4", work / "status-root") as tree:
        return (tree / "var/lib/dpkg/status").read_text()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--keep", type=Path, help="unpack here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-iso-") as tmp:
        work = args.keep or Path(tmp)
        unexplained = compare(args.a, args.b, work)
    print(f"{unexplained} difference(s) not explained by EXPECTED" if unexplained else
          "every difference is explained by EXPECTED")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
