"""Which cached image root may be updated in place instead of a clean kiwi prepare (iso/incremental.py),
and the description files images.yaml drives (excludes, the keymap list)."""
import json

from buildlib.config import BuildConfig
from iso import incremental, kiwi, media

TOOLSTACK = "Package: xenhost-toolstack\nVersion: 0.1.0-1.xh\nDepends: python3\nFilename: pool/main/t.deb\nSHA256: aaa"
CORE = "Package: xenhost-core\nVersion: 0.1-1.xh\nDepends: xenhost-toolstack\nSHA256: ccc"


def inputs(base="B", **ours):
    return {"base": base, "ours": {"xenhost-toolstack": TOOLSTACK, "xenhost-core": CORE, **ours}}


def test_content_change_of_one_package_is_incremental():
    changed = inputs(**{"xenhost-toolstack": TOOLSTACK.replace("SHA256: aaa", "SHA256: bbb")})
    assert incremental.changed_packages(inputs(), changed) == ["xenhost-toolstack"]


def test_version_change_is_incremental_but_new_dependencies_are_not():
    bumped = TOOLSTACK.replace("0.1.0-1.xh", "0.1.0-2.xh").replace("aaa", "bbb")
    assert incremental.changed_packages(inputs(), inputs(**{"xenhost-toolstack": bumped})) == ["xenhost-toolstack"]
    needs_more = bumped.replace("Depends: python3", "Depends: python3, python3-lxml")
    assert incremental.changed_packages(inputs(), inputs(**{"xenhost-toolstack": needs_more})) is None


def test_another_description_or_package_set_needs_a_clean_prepare():
    assert incremental.changed_packages(inputs(), inputs(base="other")) is None
    assert incremental.changed_packages(inputs(), inputs(**{"xenhost-extra": "Package: xenhost-extra"})) is None


def test_the_newest_complete_root_with_the_same_base_is_reused(tmp_path):
    config = BuildConfig(cache_dir=tmp_path)
    roots = tmp_path / "roots"
    for name, data, complete in (("dom0-old", inputs(), True), ("dom0-unfinished", inputs(), False),
                                 ("dom0-otherbase", inputs(base="X"), True)):
        (roots / name).mkdir(parents=True)
        (roots / name / incremental.INPUTS).write_text(json.dumps(data))
        if complete:
            (roots / name / "complete").write_text("k\n")
    wanted = inputs(**{"xenhost-core": CORE.replace("ccc", "ddd")})
    found, changed = incremental.reusable_root(config, "dom0", wanted)
    assert found.name == "dom0-old" and changed == ["xenhost-core"]
    assert incremental.reusable_root(config, "dom0", inputs(base="Y")) is None


def test_excludes_and_keymaps_written_into_the_description(tmp_path):
    config = BuildConfig(repo_root=tmp_path, out_dir=tmp_path / "out")
    description = media.describe(config, kiwi.image_settings(), "dom0")
    excludes = (description / "root" / media.EXCLUDES).read_text().splitlines()
    assert "path-exclude=/lib/modules/*/kernel/sound/*" in excludes
    assert "path-exclude=/usr/share/locale/*" in excludes
    assert not any("drivers/net/ethernet" in line or "drivers/scsi" in line for line in excludes)
    keymaps = (description / "root" / media.KEYMAP_LIST).read_text().splitlines()
    assert "de-latin1-nodeadkeys de nodeadkeys" in keymaps and "us us " in keymaps
    assert (description / "root" / "usr/lib/xenhost-build/exclude.sh").exists()      # templates/common


def test_installer_finds_the_dom0_image_on_the_live_medium(tmp_path):
    config = BuildConfig(repo_root=tmp_path, out_dir=tmp_path / "out")
    config.repo_dir.mkdir(parents=True)
    (config.repo_dir / "xenhost-archive-keyring.gpg").write_bytes(b"public key")
    description = media.describe(config, kiwi.image_settings(), "installer")
    link = description / "root" / media.DOM0_IMAGE_PATH
    assert str(link.readlink()) == "/run/overlay/live/xenhost/dom0.img.zst"
    # the key the installer checks a network image's signed SHA256SUMS with
    assert (description / "root" / media.INSTALLER_KEYRING_PATH).read_bytes() == b"public key"
