"""Assemble the installation media: dom0 image inside the installer's live ISO."""
import shutil
from pathlib import Path

from packages.config import BuildConfig
from packages.errors import XenhostBuildError
from packages.run import run
from packages.sources import sha256_of

from . import kiwi

DOM0_IMAGE_PATH = "usr/share/xenhost/images/dom0.tar.zst"   # where the installer looks for it


def _context(config: BuildConfig, settings: dict, image: str) -> dict:
    return {
        "version": settings["version"],
        "packages": settings[image]["packages"],
        "volid": settings[image].get("volid", "XENHOST"),
        "repo_dir": config.repo_dir,
        "keyring": config.repo_dir / "xenhost-archive-keyring.gpg",
        "debian_suites": [(config.debian_suite, config.debian_mirror),
                          (f"{config.debian_suite}-updates", config.debian_mirror),
                          (f"{config.debian_suite}-security", config.debian_mirror + "-security")],
        # zstd: ~4x faster to build than xz on 2 cores for a slightly larger ISO.
        "squashfs_compression": "zstd",
        "boot_timeout": 5,
    }


def _only(store: Path, pattern: str) -> Path:
    found = sorted(store.glob(pattern))
    if len(found) != 1:
        raise XenhostBuildError(f"expected one {pattern} in {store}, found {len(found)}",
                                f"delete {store} and build again")
    return found[0]


def build_dom0(config: BuildConfig, progress=print) -> Path:
    settings = kiwi.image_settings()
    work = config.out_dir / "images"
    if (work / "dom0").exists():
        shutil.rmtree(work / "dom0")
    description = kiwi.render_description(config, "dom0", _context(config, settings, "dom0"),
                                          work / "dom0", {})
    store = kiwi.build_image(config, "dom0", description, config.logs_dir / "kiwi-dom0.log", progress)
    return _recompressed(_only(store, "*.tar.xz"))


def _recompressed(tarball: Path) -> Path:
    """kiwi writes xz; the installer unpacks zstd several times faster (it matters under
    emulation and on slow hosts), so the image ships as zstd, with its checksum beside it."""
    zst = tarball.with_name("dom0.tar.zst")
    checksum = zst.with_name("dom0.tar.zst.sha256")
    if not checksum.exists():
        partial = zst.with_suffix(".partial")
        run(["sh", "-c", f'xz -dc "{tarball}" | zstd -q -T0 -12 -o "{partial}" -f'],
            fix="check that xz-utils and zstd are installed (./setup-host.sh)")
        partial.rename(zst)
        checksum.write_text(f"{sha256_of(zst)}  dom0.tar.zst\n")
    return zst


def build_iso(config: BuildConfig, progress=print) -> Path:
    settings = kiwi.image_settings()
    dom0 = build_dom0(config, progress)
    work = config.out_dir / "images" / "installer"
    if work.exists():
        shutil.rmtree(work)
    extra = {DOM0_IMAGE_PATH: dom0, DOM0_IMAGE_PATH + ".sha256": dom0.with_name("dom0.tar.zst.sha256")}
    description = kiwi.render_description(config, "installer",
                                          _context(config, settings, "installer"), work, extra)
    store = kiwi.build_image(config, "installer", description,
                             config.logs_dir / "kiwi-installer.log", progress)
    iso = _only(store, "*.iso")
    out = config.out_dir / "iso"
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"xenhost-{settings['version']}-x86_64.iso"
    shutil.copy2(iso, final)
    (out / (final.name + ".sha256")).write_text(f"{sha256_of(final)}  {final.name}\n")
    for manifest in store.glob("*.packages"):
        shutil.copy2(manifest, out / f"xenhost-{settings['version']}-installer.packages")
    dom0_manifest = list(dom0.parent.glob("*.packages"))
    if dom0_manifest:
        shutil.copy2(dom0_manifest[0], out / f"xenhost-{settings['version']}-dom0.packages")
    return final
