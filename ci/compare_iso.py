#!/usr/bin/env python3
"""Compare two ISOs built from one commit, layer by layer: the ISO's own metadata and files, then
inside the installer's live root (squashfs), its initrd and the dom0 image. Prints every difference
and whether EXPECTED (below) explains it; exit 1 when a difference is not explained.

  sudo .venv/bin/python ci/compare_iso.py A.iso B.iso [--keep DIR]

Make B with a second cache so both kiwi images are built again from the same packages, e.g.
  XENHOST_CACHE=/var/cache/xenhost-b XENHOST_OUT=/tmp/b-out ./build.py iso
"""
import argparse
import fnmatch
import hashlib
import os
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# What may differ between two image builds of one commit, and why: the one list the README cites.
EXPECTED = {
}

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


def describe_tar(path: str) -> dict[str, tuple]:
    """The dom0 image, read as a stream (no unpacking)."""
    entries = {}
    with subprocess.Popen(["zstd", "-dc", "--long=31", path], stdout=subprocess.PIPE) as unzstd:
        with tarfile.open(fileobj=unzstd.stdout, mode="r|") as tar:
            for member in tar:
                content = ("-> " + member.linkname) if member.issym() or member.islnk() else ""
                if member.isfile():
                    content = hashlib.sha256(tar.extractfile(member).read()).hexdigest()[:16]
                entries[member.name.removeprefix("./")] = (oct(member.mode | _TAR_TYPE.get(member.type, 0)),
                                                           f"{member.uid}:{member.gid}", member.size, content,
                                                           int(member.mtime))
    return entries


_TAR_TYPE = {tarfile.DIRTYPE: stat.S_IFDIR, tarfile.SYMTYPE: stat.S_IFLNK, tarfile.REGTYPE: stat.S_IFREG}


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


def describe_squashfs(path: str, work: Path) -> dict[str, tuple]:
    work.mkdir(parents=True)
    _run(["unsquashfs", "-no-progress", "-quiet", "-d", str(work / "root"), path])
    return describe(work / "root")


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
    for pattern, why in EXPECTED.items():
        if fnmatch.fnmatch(f"{layer}:{path}", pattern):
            return why
    return None


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
    report("iso-metadata", [(x.split(":")[0].strip(), f"{x.split(':', 1)[1].strip()} / {y.split(':', 1)[1].strip()}")
                            for x, y in zip(meta_a, meta_b) if x != y])
    trees = {}
    for side, iso in (("a", a_iso), ("b", b_iso)):
        trees[side] = work / side / "iso"
        trees[side].mkdir(parents=True)
        _run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", "/", str(trees[side])],
             stderr=subprocess.STDOUT)
    report("iso", differences(describe(trees["a"]), describe(trees["b"])))
    layers = {"LiveOS/squashfs.img": lambda side, path: describe_squashfs(path, work / side / "squashfs"),
              "xenhost/dom0.tar.zst": lambda side, path: describe_tar(path),
              "boot/x86_64/loader/initrd": lambda side, path: describe_cpio(path)}
    for inner, read in layers.items():
        a, b = (read(side, str(trees[side] / inner)) for side in "ab")
        report(inner, differences(a, b))
    return unexplained


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
