"""The kiwi image descriptions as OBS image packages, rendered by iso/kiwi.py from the same
templates and iso/images.yaml as the local build.

OBS reads only `*.kiwi` (config.xml is ignored), wants repositories as `obsrepositories:/`
(the project's repository paths) and an overlay as `root.tar.gz`. What OBS cannot get from
here: the installer's live root carries the dom0 image the local media step puts in it
(iso/media.py DOM0_IMAGE_PATH); on OBS both images build, the combination does not.
"""
import shutil
import tempfile
from pathlib import Path

from buildlib.config import BuildConfig
from iso import kiwi, media
from packages.sources import tree_tarball

IMAGES = ("dom0", "installer")      # the templates of iso/templates/ (iso/images.yaml)


def package_name(image: str) -> str:
    return f"xenhost-{image}"


def write_image_package(config: BuildConfig, image: str, dest: Path, mtime: int) -> Path:
    """dest/xenhost-IMAGE/: IMAGE.kiwi, config.sh, kiwi's edit_*.sh hooks, root.tar.gz."""
    settings = kiwi.image_settings()
    # The local build's own context, so the two descriptions differ only in their repositories.
    context = {**media.image_context(config, settings, image), "obs_repositories": True}
    folder = dest / package_name(image)
    with tempfile.TemporaryDirectory(prefix=f"obs-{image}-") as tmp:
        rendered = kiwi.render_description(config, image, context, Path(tmp) / image, {})
        folder.mkdir(parents=True)
        shutil.copy2(rendered / "config.xml", folder / f"{package_name(image)}.kiwi")
        for script in sorted(rendered.glob("*.sh")):
            shutil.copy2(script, folder / script.name)
        if (rendered / "root").is_dir():
            # The overlay's top folder is the image root itself ("." in the archive).
            tree_tarball(rendered / "root", ".", folder / "root.tar.gz", mtime)
    return folder
