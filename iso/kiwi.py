"""Render kiwi image descriptions from jinja2 templates and run kiwi, caching by inputs.

kiwi has no incremental mode, so a whole image is the unit of caching: its key covers the
rendered description (not where the checkout is), the overlay files, the index entries of our
packages the image installs and kiwi's version. Unchanged inputs reuse the stored result in
seconds instead of minutes.
"""
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import jinja2
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.aptindex import package_closure
from buildlib import profiles
from buildlib.profiles import DEFAULT
from buildlib.run import run

from . import cachespace

TEMPLATES = Path(__file__).resolve().parent / "templates"
IMAGES_FILE = Path(__file__).resolve().parent / "images.yaml"
REPO_ROOT = Path(__file__).resolve().parent.parent


def image_settings(profile: str = DEFAULT) -> dict:
    """images.yaml, with the build profile's kernel (specs/profiles.yaml `kernel:`) added to the
    packages of every image: images.yaml names no kernel, so one place says which one ships.
    Both files are this checkout's, as the templates are (whatever specs a caller builds)."""
    settings = yaml.safe_load(IMAGES_FILE.read_text())
    kernel = profiles.kernel(BuildConfig(repo_root=REPO_ROOT), profile)
    for entry in settings.values():
        if isinstance(entry, dict) and "packages" in entry:
            # Second, after the image's own package, where images.yaml listed it: the same
            # config.xml as before for the default profile, so its cached images stay valid.
            entry["packages"].insert(1, kernel)
    return settings


def kiwi_command() -> list[str]:
    beside_python = Path(sys.executable).parent / "kiwi-ng"
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("kiwi-ng")
    if not found:
        raise XenhostBuildError("kiwi-ng (KIWI NG) is not installed",
                                "run ./setup-host.sh (it installs kiwi into .venv)")
    return [found]


def render_description(config: BuildConfig, image: str, context: dict, dest: Path,
                       extra_files: dict[str, Path]) -> Path:
    """Write dest/config.xml, config.sh and the root/ overlay (plus extra_files into root/)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "config.xml").write_text(env.get_template(f"{image}/config.xml.j2").render(**context))
    shutil.copy2(TEMPLATES / image / "config.sh", dest / "config.sh")
    for script in (TEMPLATES / image).glob("edit_*.sh"):     # kiwi's boot config hooks
        shutil.copy2(script, dest / script.name)
    for overlay in (TEMPLATES / "common" / "root", TEMPLATES / image / "root"):   # common: every image's
        if overlay.is_dir():
            shutil.copytree(overlay, dest / "root", dirs_exist_ok=True)
    for relative, source in extra_files.items():
        target = dest / "root" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.hardlink_to(source)
        except OSError:
            shutil.copy2(source, target)
    return dest


def tree_digest(root: Path, skip: frozenset[str] = frozenset()) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        relative = str(path.relative_to(root))
        if relative in skip:
            continue
        digest.update(relative.encode())
        if path.is_symlink():           # a link (perhaps to a path only the image has) by its target
            digest.update(b"-> " + str(path.readlink()).encode())
            continue
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


REPO_PLACEHOLDER = "@XENHOST_REPO@"


def description_digest(description: Path, config: BuildConfig) -> str:
    """The rendered description, with this checkout's repository path in config.xml replaced
    by a placeholder: the same description gives the same key in every clone."""
    config_xml = (description / "config.xml").read_text().replace(str(config.repo_dir), REPO_PLACEHOLDER)
    material = tree_digest(description, skip=frozenset({"config.xml"})) + config_xml
    return hashlib.sha256(material.encode()).hexdigest()


def image_packages(description: Path) -> list[str]:
    """The packages config.xml asks kiwi to install."""
    tree = ElementTree.parse(description / "config.xml")
    return sorted(p.get("name") for p in tree.iter("package") if p.get("name"))


def image_inputs(description: Path, config: BuildConfig) -> dict:
    """What the image is made of, in two parts: `base` (the description wherever the checkout is,
    the repository key, kiwi's version) and `ours`: the index entries of those of our packages the
    image installs (not the whole index: a change to a package it does not hold leaves it alone).
    A root whose base matches can be updated in place when only `ours` changed (incremental.py)."""
    packages_index = config.repo_dir / "deb" / "dists" / "xenhost" / "main" / "binary-amd64" / "Packages"
    keyring = config.repo_dir / "xenhost-archive-keyring.gpg"
    from kiwi.version import __version__ as kiwi_version  # noqa: PLC0415
    base = "\n".join([description_digest(description, config),
                      hashlib.sha256(keyring.read_bytes()).hexdigest(), kiwi_version])
    ours = package_closure(packages_index.read_text(), image_packages(description))
    return {"base": hashlib.sha256(base.encode()).hexdigest(),
            "ours": {stanza.split("\n", 1)[0].removeprefix("Package: "): stanza for stanza in ours}}


def image_key(description: Path, config: BuildConfig) -> str:
    inputs = image_inputs(description, config)
    material = "\n".join([inputs["base"], *inputs["ours"].values()])
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def prepare_root(config: BuildConfig, name: str, description: Path, log: Path, progress=print) -> Path:
    """Run `kiwi-ng system prepare` only: the image root as a directory, cached by its inputs.

    Used where we package the root ourselves (the dom0 image), so kiwi's single-format
    archive step is skipped and the root is kept for the next build. When only our packages
    changed, a copy of the last root is updated instead (incremental.py): seconds, not minutes.
    """
    from . import incremental  # noqa: PLC0415 (it builds on this module)
    inputs = image_inputs(description, config)
    key = image_key(description, config)
    store = config.cache_dir / "roots" / f"{name}-{key}"
    if (store / "complete").exists():
        (store / "complete").touch()        # used now: the last to be pruned (cachespace.prune)
        progress(f"image root {name}: cached ({key})")
        return store / "root"
    if store.exists():
        shutil.rmtree(store)
    cachespace.require_room(config, f"the {name} image root")
    if not incremental.update(config, name, description, inputs, store, log, progress):
        progress(f"image root {name}: preparing with kiwi (log: {log}); a few minutes")
        store.mkdir(parents=True)
        run([*kiwi_command(), "--logfile", log, "system", "prepare",
             "--description", description, "--root", store / "root"],
            log_file=log.with_suffix(".stdout.log"),
            fix=f"read {log}: kiwi names the package or step that failed")
        incremental.mark_complete(store, key, inputs)
    cachespace.prune(config, "roots", name)
    return store / "root"


def build_image(config: BuildConfig, name: str, description: Path, log: Path, progress=print) -> Path:
    """Run `kiwi-ng system build`; return the cache folder that holds the result files."""
    key = image_key(description, config)
    store = config.cache_dir / "images" / f"{name}-{key}"
    if (store / "complete").exists():
        (store / "complete").touch()
        progress(f"image {name}: cached ({key})")
        return store
    cachespace.require_room(config, f"the {name} image")
    progress(f"image {name}: building with kiwi (log: {log}); several minutes")
    with tempfile.TemporaryDirectory(dir=config.cache("work"), prefix=f"kiwi-{name}-") as tmp:
        target = Path(tmp) / "target"
        run([*kiwi_command(), "--logfile", log, "system", "build",
             "--description", description, "--target-dir", target],
            log_file=log.with_suffix(".stdout.log"),
            fix=f"read {log}: kiwi names the package or step that failed")
        if store.exists():
            shutil.rmtree(store)
        store.mkdir(parents=True)
        for result in target.iterdir():
            if result.is_file():
                shutil.move(str(result), store / result.name)
    (store / "complete").write_text(key + "\n")
    cachespace.prune(config, "images", name)
    return store
