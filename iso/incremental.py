"""Incremental image roots: kiwi has no incremental mode, so when only our packages changed the
last root prepared from the same description is copied and brought up to date the way kiwi made
it: the changed .debs installed with dpkg, then the description's overlay, then its config.sh.

Why: a kiwi prepare of the dom0 root takes minutes (bootstrap, ~300 Debian packages); a root
copy and `dpkg -i` of one package take seconds. Anything else that changed (the description,
Debian's packages through it, kiwi, our key, which of our packages are in the image, or a
changed package's dependencies) means a clean prepare: only content and version of our
packages may differ. tests/iso/test_incremental_slow.py compares an updated root with a clean
one (package manifest and file list).
"""
import json
import shutil
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.run import run

INPUTS = "inputs.json"
# An index entry may change in these fields only: what is in the package, not what it needs.
CONTENT_FIELDS = ("Version", "Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512", "Installed-Size",
                  "Description", "Description-md5")
UPDATE_DIR = "var/tmp/xenhost-update"
# A command in the root as kiwi runs them, with /proc, /dev and /sys mounted (without /dev, a
# `> /dev/null` in a script leaves a file there: the slow test found one), in a private mount
# namespace: the mounts vanish with it, whatever fails.
_IN_ROOT = ('set -e; root="$1"; shift; mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"; '
            'mount -t sysfs sys "$root/sys"; DEBIAN_FRONTEND=noninteractive exec chroot "$root" "$@"')


def in_root(root: Path, argv: list, log: Path) -> None:
    run(["unshare", "-m", "--propagation", "private", "sh", "-c", _IN_ROOT, "sh", root, *argv],
        log_file=log, fix=f"read {log}")


MADE_BY = "made-by"          # "kiwi" or "update of <store> with <packages>"


def mark_complete(store: Path, key: str, inputs: dict, made_by: str = "kiwi") -> None:
    (store / INPUTS).write_text(json.dumps(inputs, indent=1, sort_keys=True) + "\n")
    (store / MADE_BY).write_text(made_by + "\n")
    (store / "complete").write_text(key + "\n")


def _fields(stanza: str) -> dict:
    return dict(ln.split(": ", 1) for ln in stanza.splitlines() if ": " in ln and not ln.startswith(" "))


def changed_packages(old: dict, new: dict) -> list[str] | None:
    """Our packages whose content changed between two inputs, or None when the change needs a
    clean prepare (another base, a package added or removed, changed dependencies)."""
    if old["base"] != new["base"] or set(old["ours"]) != set(new["ours"]):
        return None
    changed = []
    for name in sorted(new["ours"]):
        before, after = _fields(old["ours"][name]), _fields(new["ours"][name])
        if before == after:
            continue
        if {k: v for k, v in before.items() if k not in CONTENT_FIELDS} != \
                {k: v for k, v in after.items() if k not in CONTENT_FIELDS}:
            return None
        changed.append(name)
    return changed


def reusable_root(config: BuildConfig, name: str, inputs: dict) -> tuple[Path, list[str]] | None:
    """The newest complete root of this image whose inputs differ from `inputs` in package content only."""
    stores = sorted(config.cache("roots").glob(f"{name}-*/{INPUTS}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in stores:
        if not (path.parent / "complete").exists():
            continue
        changed = changed_packages(json.loads(path.read_text()), inputs)
        if changed:
            return path.parent, changed
    return None


def update(config: BuildConfig, name: str, description: Path, inputs: dict, store: Path, log: Path,
           progress=print) -> bool:
    """Make store/root from a reusable root; False when there is none (or the update failed: then
    the caller prepares a clean root, and the failure is in the log)."""
    found = reusable_root(config, name, inputs)
    if found is None:
        return False
    return apply(config, name, description, inputs, store, log, *found, progress=progress)


def apply(config: BuildConfig, name: str, description: Path, inputs: dict, store: Path, log: Path,
          base: Path, changed: list[str], progress=print) -> bool:
    """store/root = base/root with the changed packages installed, then overlay and config.sh."""
    progress(f"image root {name}: updating {base.name} with {', '.join(changed)} (log: {log})")
    partial = store.with_name(store.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    root = partial / "root"
    try:
        run(["cp", "-a", "--reflink=auto", base / "root", root], fix="check the disk has room")
        debs = _stage_debs(config, root, [_fields(inputs["ours"][n])["Filename"] for n in changed])
        in_root(root, ["dpkg", "--force-confnew", "-i", *[f"/{UPDATE_DIR}/{d}" for d in debs]], log)
        shutil.rmtree(root / UPDATE_DIR)
        # kiwi's order after the packages: the description's overlay, then its config.sh
        if (description / "root").is_dir():
            shutil.copytree(description / "root", root, symlinks=True, dirs_exist_ok=True)
        shutil.copy2(description / "config.sh", root / "image" / "config.sh")
        shutil.copy2(description / "config.xml", root / "image" / "config.xml")
        in_root(root, ["bash", "/image/config.sh"], log)
    except XenhostBuildError as exc:
        progress(f"image root {name}: the update failed ({exc.problem.splitlines()[0]}); preparing a clean root")
        shutil.rmtree(partial)
        return False
    partial.rename(store)
    mark_complete(store, store.name.rsplit("-", 1)[1], inputs, f"update of {base.name} with {' '.join(changed)}")
    return True


def _stage_debs(config: BuildConfig, root: Path, filenames: list[str]) -> list[str]:
    stage = root / UPDATE_DIR
    stage.mkdir(parents=True, exist_ok=True)
    for filename in filenames:
        shutil.copy2(config.repo_dir / "deb" / filename, stage / Path(filename).name)
    return [Path(f).name for f in filenames]
