"""Which kernel each build profile ships: specs/profiles.yaml `kernel:` is the one place; both
images install it, images.yaml names none, and a profile's outputs get their own out/ folder."""
import pytest
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import SpecError
from buildlib.profiles import kernel, load_profiles, out_dir
from iso import kiwi, media
from packages.names import NameMap

IMAGES = ("dom0", "installer")


def _kernels(config: BuildConfig) -> set[str]:
    return {entry["kernel"] for entry in load_profiles(config).values()}


def test_every_profile_ships_its_kernel_in_both_images_and_no_other():
    config = BuildConfig()
    kernels = _kernels(config)
    assert {"linux-image-amd64", "linux-dom0"} <= kernels
    for profile in load_profiles(config):
        settings = kiwi.image_settings(profile)
        for image in IMAGES:
            packages = settings[image]["packages"]
            assert kernel(config, profile) in packages, (profile, image)
            assert len(kernels & set(packages)) == 1, (profile, image, packages)


def test_images_yaml_names_no_kernel():
    raw = yaml.safe_load(kiwi.IMAGES_FILE.read_text())
    for image in IMAGES:
        assert not _kernels(BuildConfig()) & set(raw[image]["packages"])


def test_default_profile_renders_the_description_it_always_had(tmp_path):
    """The kernel goes where images.yaml listed it (second): the default profile's config.xml, and
    with it the cache key of its images, stays what it was before profiles named kernels."""
    config = BuildConfig(repo_root=BuildConfig().repo_root, out_dir=tmp_path / "out", cache_dir=tmp_path)
    settings = kiwi.image_settings()
    for image in IMAGES:
        description = media.kiwi.render_description(
            config, image, media.image_context(config, settings, image), tmp_path / image, {})
        names = [line.split('"')[1] for line in (description / "config.xml").read_text().splitlines()
                 if "<package name=" in line]
        assert names[1] == "linux-image-amd64", names


def test_xenhost_core_kernel_dependency_accepts_every_profiles_kernel():
    """xenhost-core Requires `kernel`: its Debian Depends must be met by each profile's kernel,
    or the full profile's dom0 image would pull in Debian's kernel beside ours."""
    alternatives = {a.strip() for a in NameMap.load(set()).debian("kernel", "test").split("|")}
    assert _kernels(BuildConfig()) <= alternatives


def test_default_profile_writes_out_another_its_own_folder(tmp_path):
    config = BuildConfig(out_dir=tmp_path / "out")
    assert out_dir(config, "default") == tmp_path / "out"
    assert out_dir(config, "full") == tmp_path / "out" / "full"
    with pytest.raises(SpecError, match="'fast'"):
        out_dir(config, "fast")


def _layout(tmp_path, profiles: str) -> BuildConfig:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "profiles.yaml").write_text(profiles)
    return BuildConfig(repo_root=tmp_path, out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


def test_profile_without_kernel_is_refused(tmp_path):
    config = _layout(tmp_path, "default: {description: d, without: []}\n")
    with pytest.raises(SpecError) as err:
        kernel(config, "default")
    assert "names no kernel" in str(err.value) and "kernel: PACKAGE" in err.value.fix


def test_mistyped_kernel_is_refused(tmp_path):
    config = _layout(tmp_path, "default: {description: d, without: [], kernel: [a, b]}\n")
    with pytest.raises(SpecError, match="mistypes kernel"):
        kernel(config, "default")
