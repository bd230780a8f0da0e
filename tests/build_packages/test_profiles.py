"""Build profiles: the default leaves the dom0 kernel out, full builds every spec."""
import pytest

from packages.backends import Backend
from buildlib.config import BuildConfig
from buildlib.errors import SpecError
from packages.pipeline import PackageBuilder
from packages.profiles import select
from packages.specs import load_specs


def test_repository_profiles():
    config = BuildConfig()
    specs = load_specs(config.specs_dir)
    assert "linux-dom0" in specs
    assert set(select(config, specs, "full")) == set(specs)
    assert set(select(config, specs, "default")) == set(specs) - {"linux-dom0"}


def _profiles(layout, write_spec, text):
    write_spec(layout, "alpha")
    write_spec(layout, "beta")
    (layout.specs_dir / "profiles.yaml").write_text(text)
    return load_specs(layout.specs_dir)


def test_unknown_profile_names_the_known_ones(layout, write_spec):
    specs = _profiles(layout, write_spec, "default: {description: d, without: [beta]}\n")
    assert set(select(layout, specs, "default")) == {"alpha"}
    with pytest.raises(SpecError) as err:
        select(layout, specs, "fast")
    assert "'fast'" in str(err.value) and "default" in err.value.fix


def test_profile_leaving_out_an_unknown_spec_is_refused(layout, write_spec):
    specs = _profiles(layout, write_spec, "default: {description: d, without: [gamma]}\n")
    with pytest.raises(SpecError, match="gamma"):
        select(layout, specs, "default")


def test_malformed_profile_is_refused(layout, write_spec):
    specs = _profiles(layout, write_spec, "default: {without: beta}\n")
    with pytest.raises(SpecError) as err:
        select(layout, specs, "default")
    assert "description, without" in str(err.value) and "without: [spec names]" in err.value.fix


def test_no_profiles_file_builds_every_spec(layout, write_spec):
    write_spec(layout, "alpha")
    assert set(select(layout, load_specs(layout.specs_dir), "default")) == {"alpha"}


class NeverBuilds(Backend):
    name = "never"

    def root_key(self, request):
        return "none"

    def build(self, request):
        raise AssertionError("nothing is built here")


def test_builder_orders_only_the_profiles_specs(layout, write_spec):
    _profiles(layout, write_spec, "default: {description: d, without: [beta]}\n"
                                  "full: {description: f, without: []}\n")
    assert PackageBuilder(layout, backend=NeverBuilds(), profile="default").order == ["alpha"]
    assert sorted(PackageBuilder(layout, backend=NeverBuilds(), profile="full").order) == ["alpha", "beta"]
