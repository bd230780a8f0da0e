"""Assemble the installation media: the installer's live ISO with the dom0 image beside its root.

The dom0 image sits on the ISO's own file system (/xenhost/), not in the installer's squashfs
root: a change to the dom0 image then leaves the installer image (a 9-minute kiwi build) as it
is, and the ISO is the cached installer ISO with the new image added by xorriso (seconds). The
installer finds it through links in its root to the medium kiwi's live boot mounts.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import yaml

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.run import run
from buildlib.files import sha256_of, write_atomic
from buildlib.profiles import DEFAULT

from xenhost_common.dom0image import NAME as DOM0_NAME

from . import dom0image, kiwi

DOM0_IMAGE_PATH = f"usr/share/xenhost/images/{DOM0_NAME}"   # where the installer looks for it
ISO_DOM0_DIR = "xenhost"                 # on the ISO's file system
LIVE_MEDIUM = "/run/overlay/live"        # where kiwi's live dracut module mounts the ISO
KEYMAPS = Path(__file__).resolve().parent.parent / "installer/xenhost_installer/answers/keymaps.yaml"
KEYMAP_LIST = "usr/share/xenhost/keymaps/list"        # compiled by the dom0 image's config.sh
EXCLUDES = "etc/dpkg/dpkg.cfg.d/xenhost-exclude"       # applied by templates/common's exclude.sh
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
        # MB of the ISO's EFI boot image (kiwi's default 20): it holds bootx64.efi and two small
        # grub.cfg files, ~1.1 MB; the 19 MB left empty were 5 % of the ISO.
        "efi_fat_image_mb": 4,
    }


def _only(store: Path, pattern: str) -> Path:
    found = sorted(store.glob(pattern))
    if len(found) != 1:
        raise XenhostBuildError(f"expected one {pattern} in {store}, found {len(found)}",
                                f"delete {store} and build again")
    return found[0]


def _image_files(description: Path, settings: dict, image: str) -> None:
    """Files every image description gets from images.yaml: dpkg's path-exclude list (what the
    image leaves out, now and in later package installs)."""
    lines = ["# Written by the xenhost build from iso/images.yaml: left out of this image's packages."]
    patterns = settings[image].get("exclude", [])
    flat = [p for entry in patterns for p in (entry if isinstance(entry, list) else [entry])]  # YAML aliases nest
    lines += [f"path-exclude={pattern}" for pattern in flat]
    target = description / "root" / EXCLUDES
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n")


def keymap_list() -> str:
    """`name layout variant` per line: the installer's keymaps, which the dom0 image compiles."""
    data = yaml.safe_load(KEYMAPS.read_text())
    return "".join(f"{name} {entry['xkb']} {entry.get('variant', '')}\n" for name, entry in data.items())


def describe(config: BuildConfig, settings: dict, image: str, work: Path | None = None,
             project_key: bool = True, **context) -> Path:
    """out/images/IMAGE (or work): the kiwi description with every file its cache key covers.
    The OBS export passes its own context (repositories) and no project key (OBS signs with its own)."""
    work = work or config.out_dir / "images" / image
    if work.exists():
        shutil.rmtree(work)
    description = kiwi.render_description(config, image, {**image_context(config, settings, image), **context},
                                          work, {})
    _image_files(description, settings, image)
    if image == "dom0":
        (description / "root" / KEYMAP_LIST).parent.mkdir(parents=True, exist_ok=True)
        (description / "root" / KEYMAP_LIST).write_text(keymap_list())
    else:
        _link_to_medium(description)
        if project_key:
            _copy_project_key(config, description)
    return description


def _copy_project_key(config: BuildConfig, description: Path) -> None:
    """The key the installer checks a network image's signed SHA256SUMS with."""
    source = config.repo_dir / "xenhost-archive-keyring.gpg"
    if not source.exists():
        raise XenhostBuildError(f"{source} is missing: the installer must carry the project key",
                                "run ./build.py packages first (./build.py iso does)")
    keyring = description / "root" / INSTALLER_KEYRING_PATH
    keyring.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, keyring)


def build_dom0(config: BuildConfig, progress=print, profile: str = DEFAULT) -> Path:
    """The dom0 image: kiwi prepares the root (or incremental.py updates the last one); we pack it
    as a compressed ext4 filesystem the installer writes with dd (iso/dom0image.py)."""
    description = describe(config, kiwi.image_settings(profile), "dom0")
    root = kiwi.prepare_root(config, "dom0", description, config.logs_dir / "kiwi-dom0.log", progress)
    return dom0image.pack(root, root.parent / f"image-{dom0image.PACK_ID}")


def pin_source_date_epoch(config: BuildConfig) -> None:
    """kiwi takes image UUIDs and ids from SOURCE_DATE_EPOCH: the commit's time unless set. An
    image reused from the cache keeps the date of the build that made it (its key has no date).
    Read once, when the build starts: a commit made while the packages build must not change it."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        done = subprocess.run(["git", "-C", str(config.repo_root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            os.environ["SOURCE_DATE_EPOCH"] = done.stdout.strip()


def _link_to_medium(description: Path) -> None:
    """The installer's image path: links to the dom0 image on the live medium."""
    for name in (DOM0_NAME, f"{DOM0_NAME}.sha256"):
        link = description / "root" / Path(DOM0_IMAGE_PATH).parent / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(f"{LIVE_MEDIUM}/{ISO_DOM0_DIR}/{name}")


def build_installer(config: BuildConfig, progress=print, profile: str = DEFAULT) -> Path:
    """The installer's live ISO as kiwi builds it (no dom0 image in it): cached by its inputs."""
    description = describe(config, kiwi.image_settings(profile), "installer")
    return kiwi.build_image(config, "installer", description,
                            config.logs_dir / "kiwi-installer.log", progress)


def build_iso(config: BuildConfig, progress=print, profile: str = DEFAULT) -> Path:
    """The ISO of a build profile (its kernel in both images), in config.out_dir / "iso"."""
    settings = kiwi.image_settings(profile)
    pin_source_date_epoch(config)
    dom0 = build_dom0(config, progress, profile)
    store = build_installer(config, progress, profile)
    out = config.out_dir / "iso"
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"xenhost-{settings['version']}-x86_64.iso"
    made_from = out / (final.name + ".inputs")      # the two parts this ISO was assembled from
    parts = f"{_only(store, '*.iso')}\n{dom0.with_name(DOM0_NAME + '.sha256').read_text()}"
    if not (final.exists() and made_from.exists() and made_from.read_text() == parts):
        made_from.unlink(missing_ok=True)
        partial = final.with_name(final.name + ".partial")
        partial.unlink(missing_ok=True)
        # the kiwi ISO's boot records (El Torito BIOS + EFI, hybrid MBR/GPT) replayed onto the new one
        run(["xorriso", "-indev", _only(store, "*.iso"), "-outdev", partial, "-boot_image", "any", "replay",
             "-map", dom0, f"/{ISO_DOM0_DIR}/{DOM0_NAME}",
             "-map", dom0.with_name(DOM0_NAME + ".sha256"), f"/{ISO_DOM0_DIR}/{DOM0_NAME}.sha256"],
            log_file=config.logs_dir / "iso.log", fix=f"read {config.logs_dir / 'iso.log'}")
        partial.rename(final)
        (out / (final.name + ".sha256")).write_text(f"{sha256_of(final)}  {final.name}\n")
        made_from.write_text(parts)
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
