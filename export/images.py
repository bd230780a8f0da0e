"""The kiwi image descriptions as OBS image packages, rendered by iso/kiwi.py from the same
templates and iso/images.yaml as the local build.

OBS reads only `*.kiwi` (config.xml is ignored), wants repositories as `obsrepositories:/`
(the project's repository paths) and an overlay as `root.tar.gz`. What OBS cannot get from
here: the local media step adds the dom0 image beside the installer's live root on the ISO
(iso/media.py build_iso, xorriso); on OBS both images build, the combined ISO does not.
"""
import shutil
import tempfile
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.profiles import DEFAULT
from iso import kiwi, media
from packages.sources import tree_tarball

IMAGES = ("dom0", "installer")      # the templates of iso/templates/ (iso/images.yaml)


def package_name(image: str) -> str:
    return f"xenhost-{image}"


def write_image_package(config: BuildConfig, image: str, dest: Path, mtime: int,
                        profile: str = DEFAULT) -> Path:
    """dest/xenhost-IMAGE/: IMAGE.kiwi, config.sh, kiwi's edit_*.sh hooks, root.tar.gz; the
    image installs the build profile's kernel, as the local build does."""
    settings = kiwi.image_settings(profile)
    folder = dest / package_name(image)
    with tempfile.TemporaryDirectory(prefix=f"obs-{image}-") as tmp:
        # The local build's own description (files included), so the two differ only in their
        # repositories; the installer's project key is OBS's own signing key there.
        rendered = media.describe(config, settings, image, work=Path(tmp) / image, project_key=False,
                                  obs_repositories=True)
        folder.mkdir(parents=True)
        shutil.copy2(rendered / "config.xml", folder / f"{package_name(image)}.kiwi")
        for script in sorted(rendered.glob("*.sh")):
            shutil.copy2(script, folder / script.name)
        if (rendered / "root").is_dir():
            # The overlay's top folder is the image root itself ("." in the archive).
            tree_tarball(rendered / "root", ".", folder / "root.tar.gz", mtime)
    return folder
