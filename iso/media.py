"""Assemble the installation media: dom0 image inside the installer's live ISO."""
import json
import os
import shutil
import subprocess
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.run import run
from buildlib.files import sha256_of, write_atomic

from . import kiwi

DOM0_IMAGE_PATH = "usr/share/xenhost/images/dom0.tar.zst"   # where the installer looks for it
# The project's public key, which the installer checks a network image's signed SHA256SUMS with
# (installer/xenhost_installer/imagesource.py KEYRING).
INSTALLER_KEYRING_PATH = "usr/share/xenhost/keys/xenhost-archive-keyring.gpg"


def image_context(config: BuildConfig, settings: dict, image: str) -> dict:
    """The jinja2 context of one image's kiwi description (the OBS export renders with it too)."""
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
    """The dom0 image: kiwi prepares the root; we pack it as zstd (the installer unpacks
    zstd several times faster than kiwi's xz, which matters on slow hosts and under emulation)."""
    settings = kiwi.image_settings()
    work = config.out_dir / "images"
    if (work / "dom0").exists():
        shutil.rmtree(work / "dom0")
    description = kiwi.render_description(config, "dom0", image_context(config, settings, "dom0"),
                                          work / "dom0", {})
    root = kiwi.prepare_root(config, "dom0", description, config.logs_dir / "kiwi-dom0.log", progress)
    return _packed(root, root.parent / "image")


def _packed(root: Path, dest: Path) -> Path:
    tarball = dest / "dom0.tar.zst"
    checksum = dest / "dom0.tar.zst.sha256"
    if checksum.exists():
        return tarball
    dest.mkdir(parents=True, exist_ok=True)
    partial = dest / "dom0.tar.zst.partial"
    # kiwi's own files (/image, /.kconfig, /.profile) are build-time only.
    run(["sh", "-c", f'tar --numeric-owner --xattrs --xattrs-include="*" --sort=name -C "{root}" '
                     f'--exclude=./image --exclude=./.kconfig --exclude=./.profile -cf - . '
                     f'| zstd -q -T0 -12 -f -o "{partial}"'],
        fix="check that tar and zstd are installed (./setup-host.sh) and the disk has room")
    partial.rename(tarball)
    manifest = run(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W",
                    "-f=${Package}|${Version}|${Architecture}\n"], capture=True)
    (dest / "dom0.packages").write_text(manifest)
    checksum.write_text(f"{sha256_of(tarball)}  dom0.tar.zst\n")
    return tarball


def _source_date_epoch(config: BuildConfig) -> None:
    """kiwi takes image UUIDs and ids from SOURCE_DATE_EPOCH: the commit's time unless set. An
    image reused from the cache keeps the date of the build that made it (its key has no date)."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        done = subprocess.run(["git", "-C", str(config.repo_root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            os.environ["SOURCE_DATE_EPOCH"] = done.stdout.strip()


def build_iso(config: BuildConfig, progress=print) -> Path:
    settings = kiwi.image_settings()
    _source_date_epoch(config)
    dom0 = build_dom0(config, progress)
    work = config.out_dir / "images" / "installer"
    if work.exists():
        shutil.rmtree(work)
    extra = {DOM0_IMAGE_PATH: dom0, DOM0_IMAGE_PATH + ".sha256": dom0.with_name("dom0.tar.zst.sha256"),
             INSTALLER_KEYRING_PATH: config.repo_dir / "xenhost-archive-keyring.gpg"}
    description = kiwi.render_description(config, "installer",
                                          image_context(config, settings, "installer"), work, extra)
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
    shutil.copy2(dom0.with_name("dom0.packages"), out / f"xenhost-{settings['version']}-dom0.packages")
    write_build_record(out, iso=final, dom0_image=dom0,
                       installer_packages=out / f"xenhost-{settings['version']}-installer.packages",
                       dom0_packages=out / f"xenhost-{settings['version']}-dom0.packages")
    return final


def write_build_record(out: Path, **paths: Path) -> Path:
    """out/iso/build.json: what this checkout's last `./build.py iso` made, by name (the dom0 image
    stays in the cache). Slow tests and the publisher read this instead of guessing cache paths."""
    record = out / "build.json"
    write_atomic(record, json.dumps({name: str(path) for name, path in paths.items()}, indent=2) + "\n")
    return record
