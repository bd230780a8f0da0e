"""Pack the dom0 root kiwi prepared as the installer's image, dom0.img.zst (the format:
common/xenhost_common/dom0image.py): an ext4 filesystem made from the tree (mke2fs -d), zstd-
compressed, behind a header listing its files. The installer writes it with dd and grows it.

The filesystem is made as small as the tree allows: the installer writes every byte of it, free
blocks too, and resize2fs gives the host the rest of its root partition in well under a second.
"""
import fnmatch
import hashlib
import os
import shutil
import uuid
from pathlib import Path

from buildlib.files import sha256_of
from buildlib.run import run
from xenhost_common.dom0image import NAME, encode_header

# Left out of the dom0 image: logs and backups of the image build itself (they differ between two
# builds of one commit and mean nothing on a host) and kiwi's build-time files. Paths in the root.
PACK_EXCLUDES = ("image", ".kconfig", ".profile", "var/log/dpkg.log", "var/log/alternatives.log",
                 "var/log/apt/history.log", "var/log/apt/term.log", "var/lib/dpkg/status-old",
                 "var/cache/ldconfig/aux-cache", "var/cache/debconf/*-old")
# zstd -9 --long=27 (a 128 MiB window, the most zstd decompresses without being told): as small as
# -12 in a tenth of its time; the pack is in the path of every dom0 change (incremental rebuilds).
ZSTD_LEVEL = 9
ZSTD_WINDOW_LOG = 27
# A dom0 root's journal, whatever size the root partition grows to (mke2fs would pick it by the
# small image's size); 64 MiB is what mke2fs gives a 4-16 GiB filesystem.
JOURNAL_MIB = 64
# Room over the tree's blocks for the filesystem's own metadata (inode tables, directories, the
# reserved 5 %): mke2fs -d fails when the tree does not fit, so this errs large (measured: 15 % free).
SLACK = 1.10
SLACK_MIB = 32
# The image's identity is the build's: every host gets its own UUID when the installer writes it
# (tune2fs -U); fixed here so two builds of one tree give one filesystem layout.
IMAGE_UUID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://xenhost.invalid/dom0-image"))
HASH_SEED = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://xenhost.invalid/dom0-image/hash-seed"))
ROOT_LABEL = "xenhost-root"             # installer/xenhost_installer/layout.py LABELS["root"]
# metadata_csum_seed: the metadata checksums are seeded from a field of their own, not from the
# UUID, so the installer's tune2fs -U changes one superblock field. Without it tune2fs rewrites
# every inode's and directory block's checksum: 40 s of the PXE install under TCG (session 7's
# first run). Debian 12's GRUB (2.06-13) reads such a filesystem (grub-fstest), Linux since 4.4.
FEATURES = "metadata_csum_seed"

# The packed image's folder is named after what makes the pack, so a change to it repacks a cached root.
PACK_ID = hashlib.sha256(repr((NAME, PACK_EXCLUDES, ZSTD_LEVEL, ZSTD_WINDOW_LOG, JOURNAL_MIB, SLACK,
                               SLACK_MIB, IMAGE_UUID, FEATURES)).encode()).hexdigest()[:8]


def left_out(root: Path) -> list[str]:
    """The root's paths the image leaves out: PACK_EXCLUDES that exist, and any regular file in /dev
    (the trace of a command run before /dev was mounted; the host mounts devtmpfs there anyway)."""
    found = []
    for pattern in PACK_EXCLUDES:
        folder, name = os.path.split(pattern)
        if (root / folder).is_dir():
            found += [f"{folder}/{entry}".lstrip("/") for entry in sorted(os.listdir(root / folder))
                      if fnmatch.fnmatchcase(entry, name)]
    found += [f"dev/{p.name}" for p in sorted((root / "dev").iterdir()) if p.is_file() and not p.is_symlink()]
    return found


def staged_tree(root: Path, stage: Path) -> Path:
    """A hard-linked copy of the root without what the image leaves out (mke2fs -d takes a whole
    folder; the cached root itself must stay as kiwi left it for the next incremental build)."""
    if stage.exists():
        shutil.rmtree(stage)
    run(["cp", "-al", f"{root}", f"{stage}"], fix="the staging folder must be on the cache's filesystem")
    for rel in left_out(root):
        target = stage / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
        # the removal dated the folder now; the image keeps the root's time
        folder = (root / rel).parent.stat()
        os.utime(target.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    return stage


def file_list(tree: Path) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(tree):
        rel = os.path.relpath(folder, tree)
        names += [name if rel == "." else f"{rel}/{name}" for name in dirs + files]
    return names


def tree_bytes(tree: Path) -> int:
    """The blocks the tree occupies (du: hard links counted once), in bytes."""
    return int(run(["du", "-s", "--block-size=1", str(tree)], capture=True).split()[0])


def filesystem_size(tree: Path) -> int:
    mib = int((tree_bytes(tree) / (1 << 20) + JOURNAL_MIB) * SLACK) + SLACK_MIB
    return max(mib, 4 * JOURNAL_MIB) << 20      # mke2fs refuses a journal over a quarter of it


def make_filesystem(tree: Path, image: Path) -> int:
    """mke2fs -d: the tree as an ext4 filesystem in the file image; returns its size in bytes."""
    size = filesystem_size(tree)
    image.unlink(missing_ok=True)
    with open(image, "wb") as f:
        f.truncate(size)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    run(["mke2fs", "-q", "-F", "-t", "ext4", "-O", FEATURES, "-L", ROOT_LABEL, "-U", IMAGE_UUID, "-J", f"size={JOURNAL_MIB}",
         "-E", f"hash_seed={HASH_SEED}", "-d", str(tree), str(image)],
        env={**os.environ, **({"E2FSPROGS_FAKE_TIME": epoch} if epoch else {})}, capture=True,
        fix=f"the dom0 tree did not fit {size >> 20} MiB: raise SLACK in iso/dom0image.py; "
            "or check that e2fsprogs is installed (./setup-host.sh)")
    return size


def pack(root: Path, dest: Path) -> Path:
    """dest/dom0.img.zst (with its .sha256 and the package manifest), made once per root and PACK_ID."""
    image = dest / NAME
    checksum = dest / f"{NAME}.sha256"
    if checksum.exists():
        return image
    dest.mkdir(parents=True, exist_ok=True)
    tree = staged_tree(root, dest / "tree")
    filesystem = dest / "dom0.ext4"
    try:
        size = make_filesystem(tree, filesystem)
        partial = dest / f"{NAME}.partial"
        with open(partial, "wb") as out:
            out.write(encode_header(size, file_list(tree)))
        run(["sh", "-c", f'zstd -q -T0 -{ZSTD_LEVEL} --long={ZSTD_WINDOW_LOG} -c "{filesystem}" >> "{partial}"'],
            fix="check that zstd is installed (./setup-host.sh) and the disk has room")
    finally:
        filesystem.unlink(missing_ok=True)
        shutil.rmtree(tree, ignore_errors=True)
    partial.rename(image)
    manifest = run(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W",
                    "-f=${Package}|${Version}|${Architecture}\n"], capture=True)
    (dest / "dom0.packages").write_text(manifest)
    checksum.write_text(f"{sha256_of(image)}  {NAME}\n")
    return image
