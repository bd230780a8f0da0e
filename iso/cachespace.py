"""Room in the image cache: a check before kiwi runs, and old cached roots and images let go.

Every change to an image's inputs leaves a new root (~1.5 GB) or image (~0.4 GB) in the cache, and
nothing removed the old ones: a day of builds here filled the disk, and kiwi then failed half-way
with "No space left on device" deep in its own traceback. Now a kiwi run first checks the free
space and says what to free, and after a build only the newest KEEP of each image are kept (the
older ones matter only to go back to older inputs: kiwi then prepares them again).
"""
import shutil
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError

GiB = 2 ** 30
# The most a kiwi run here took beside its result: the installer build holds its root, the ext4
# rootfs.img, the squashfs and the ISO at once (~4 GiB); with margin.
KIWI_ROOM = 6 * GiB
KEEP = 4            # per image name: default and full profile roots side by side, and a step back


def require_room(config: BuildConfig, what: str, need: int = KIWI_ROOM, free=None) -> None:
    """Stop before a kiwi run that would run out of space, naming what takes the space."""
    cache = config.cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    available = (free or (lambda path: shutil.disk_usage(path).free))(cache)
    if available >= need:
        return
    raise XenhostBuildError(
        f"{what} needs about {need / GiB:.0f} GiB free beside {cache}, and {available / GiB:.1f} GiB are left",
        f"free space on that file system (the cache keeps the newest {KEEP} roots and images of each "
        f"image; older ones under {cache / 'roots'} and {cache / 'images'} may be removed by hand), "
        "or point XENHOST_CACHE at a larger one")


def prune(config: BuildConfig, kind: str, name: str, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` complete entries `kind`/`name`-* ("roots" or "images");
    what was removed. Unfinished entries are left to the build that owns them."""
    entries = sorted((p for p in (config.cache_dir / kind).glob(f"{name}-*") if (p / "complete").exists()),
                     key=lambda p: (p / "complete").stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old)
    return entries[keep:]
