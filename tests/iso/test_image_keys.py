"""Image cache keys: the same inputs give the same key in any clone, and only the packages an
image holds count (an installer-only change must not re-prepare the dom0 root)."""
from pathlib import Path

import pytest

from iso import kiwi, media
from buildlib.config import BuildConfig
from buildlib.aptindex import package_closure

STANZAS = {
    "xenhost-core": "Depends: xen-hypervisor, xenhost-toolstack | xe-tools, lvm2",
    "xen-hypervisor": "",
    "xenhost-toolstack": "Depends: python3",
    "xenhost-installer": "Depends: python3-urwid",
    "xenhost-oldtools": "Provides: xe-tools",
}


def write_repo(config: BuildConfig, versions: dict[str, str] | None = None) -> None:
    versions = versions or {}
    binary = config.repo_dir / "deb" / "dists" / "xenhost" / "main" / "binary-amd64"
    binary.mkdir(parents=True, exist_ok=True)
    text = "\n".join(f"Package: {name}\nVersion: {versions.get(name, '1.0-1')}\n"
                     + (f"{extra}\n" if extra else "") + f"SHA256: {name}{versions.get(name, '')}\n"
                     for name, extra in STANZAS.items())
    (binary / "Packages").write_text(text)
    (config.repo_dir / "xenhost-archive-keyring.gpg").write_bytes(b"public key")


def checkout(tmp_path: Path, where: str, cache: Path) -> BuildConfig:
    root = tmp_path / where
    config = BuildConfig(repo_root=root, cache_dir=cache, out_dir=root / "out")
    write_repo(config)
    return config


def dom0_key(config: BuildConfig) -> str:
    return kiwi.image_key(media.describe(config, kiwi.image_settings(), "dom0"), config)


@pytest.fixture
def two_clones(tmp_path):
    cache = tmp_path / "cache"
    return checkout(tmp_path, "clone-a", cache), checkout(tmp_path, "elsewhere/clone-b", cache)


def test_closure_follows_our_depends_and_provides_only():
    index = "\n".join(f"Package: {n}\n{e}\n" for n, e in STANZAS.items())
    names = [s.splitlines()[0] for s in package_closure(index, ["xenhost-core", "linux-image-amd64"])]
    # lvm2, python3: Debian's, not in our index. xe-tools: provided by xenhost-oldtools.
    assert names == ["Package: xen-hypervisor", "Package: xenhost-core", "Package: xenhost-oldtools",
                     "Package: xenhost-toolstack"]


def test_rendered_description_names_the_checkout_but_the_key_does_not(two_clones):
    a, b = two_clones
    assert dom0_key(a) == dom0_key(b)
    assert str(a.repo_dir) in (a.out_dir / "images" / "dom0" / "config.xml").read_text()


def test_a_package_the_image_does_not_hold_leaves_the_key_alone(two_clones):
    config, _ = two_clones
    before = dom0_key(config)
    write_repo(config, {"xenhost-installer": "1.0-2"})
    assert dom0_key(config) == before


@pytest.mark.parametrize("changed", ["xenhost-core", "xen-hypervisor", "xenhost-oldtools"])
def test_a_package_the_image_holds_changes_the_key(two_clones, changed):
    config, _ = two_clones
    before = dom0_key(config)
    write_repo(config, {changed: "1.0-2"})
    assert dom0_key(config) != before


def test_the_package_list_and_the_signing_key_change_the_key(two_clones, monkeypatch):
    config, _ = two_clones
    before = dom0_key(config)
    (config.repo_dir / "xenhost-archive-keyring.gpg").write_bytes(b"another key")
    assert dom0_key(config) != before
    write_repo(config)
    settings = kiwi.image_settings()
    settings["dom0"]["packages"].append("htop")
    monkeypatch.setattr(kiwi, "image_settings", lambda: settings)
    assert dom0_key(config) != before
