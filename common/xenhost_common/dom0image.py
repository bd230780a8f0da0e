"""The dom0 image file: the one format the build writes (iso/dom0image.py) and the installer reads.

dom0.img.zst is the dom0 root as an ext4 filesystem, zstd-compressed: the installer writes it to
the root partition with dd and grows it (resize2fs), about 2x faster under emulation than making a
filesystem and unpacking a tarball into it (ci/bench_unpack.py). In front of the compressed
filesystem sits one zstd *skippable frame* (a frame every zstd decompressor steps over, so
`zstd -dc` yields the bare filesystem) holding a header: the format, the filesystem's size
(preflight: does it fit the root partition?) and the image's file names (preflight: does the image
carry what a keymap or time zone needs?). The header is read from the file's first bytes: nothing is
unpacked before the disk checks pass.

A file without the header is a tar archive (what `tar -xf` reads: zstd, gzip, plain): the installer
still installs those, by mkfs + tar -x, e.g. a dom0 root packed by another tool.
"""
import json
import struct
import zlib
from dataclasses import dataclass

NAME = "dom0.img.zst"
FORMAT = "xenhost-dom0-ext4/1"
# One of zstd's sixteen skippable-frame magic numbers (0x184D2A50..0x184D2A5F, RFC 8878 3.1.2)
SKIPPABLE_MAGIC = 0x184D2A5E
FRAME_HEAD = struct.Struct("<II")           # magic, payload size (little-endian)
MAX_HEADER = 32 << 20                       # a corrupt size field must not make us read gigabytes


class ImageHeaderError(ValueError):
    """The image starts like a xenhost image but its header cannot be read."""


@dataclass(frozen=True)
class Header:
    filesystem_bytes: int                   # the ext4 filesystem's size before it is grown
    files: frozenset                        # path names without a leading / ("usr/bin/ls")


def encode_header(filesystem_bytes: int, files) -> bytes:
    """The skippable frame to write in front of the zstd-compressed filesystem."""
    body = json.dumps({"format": FORMAT, "filesystem_bytes": filesystem_bytes, "files": sorted(files)},
                      separators=(",", ":")).encode()
    payload = zlib.compress(body, 9)        # the file list is 900 KB as text, ~10x smaller packed
    return FRAME_HEAD.pack(SKIPPABLE_MAGIC, len(payload)) + payload


def has_header(path: str) -> bool:
    """The file starts with a header (the cheap test: four bytes; read_header checks the rest)."""
    with open(path, "rb") as f:
        head = f.read(4)
    return len(head) == 4 and struct.unpack("<I", head)[0] == SKIPPABLE_MAGIC


def read_header(path: str) -> "Header | None":
    """The image's header, or None when the file has none (a tar archive)."""
    with open(path, "rb") as f:
        head = f.read(FRAME_HEAD.size)
        if len(head) < FRAME_HEAD.size:
            return None
        magic, size = FRAME_HEAD.unpack(head)
        if magic != SKIPPABLE_MAGIC:
            return None
        if size > MAX_HEADER:
            raise ImageHeaderError("%s: its header claims %d bytes" % (path, size))
        payload = f.read(size)
    try:
        data = json.loads(zlib.decompress(payload))
    except (zlib.error, ValueError) as exc:
        raise ImageHeaderError("%s: its header is damaged (%s)" % (path, exc)) from None
    if data.get("format") != FORMAT:
        raise ImageHeaderError("%s: image format %r, this installer reads %r" % (path, data.get("format"), FORMAT))
    return Header(int(data["filesystem_bytes"]), frozenset(data["files"]))
