import pytest

from packages import graph
from buildlib.config import BuildConfig
from buildlib.errors import DependencyError, SpecError
from packages.specs import load_specs, parse_spec


def test_repository_specs_parse_and_order():
    specs = load_specs(BuildConfig().specs_dir)
    assert {"xen-hypervisor", "xenhost-core", "xenhost-installer", "xenhost-firstboot",
            "xenhost-toolstack", "xenhost-release"} <= set(specs)
    order = graph.build_order(specs)
    assert sorted(order) == sorted(specs)
    assert specs["xen-hypervisor"].patches == ("0001-xenhost-vendor-version.patch",)


def test_build_requires_on_own_package_orders_it_first(write_spec, layout):
    write_spec(layout, "alpha", "BuildRequires: beta\n")
    write_spec(layout, "beta", "Provides: beta-virtual\n")
    write_spec(layout, "gamma", "BuildRequires: beta-virtual\n")
    specs = load_specs(layout.specs_dir)
    order = graph.build_order(specs)
    assert order.index("beta") < order.index("alpha")
    assert order.index("beta") < order.index("gamma")
    assert graph.dependents(specs, {"beta"}) == {"alpha", "beta", "gamma"}
    assert graph.dependents(specs, {"alpha"}) == {"alpha"}
    dot = graph.to_dot(specs)
    assert '"alpha" -> "beta"' in dot


def test_cycle_names_the_specs(write_spec, layout):
    write_spec(layout, "alpha", "BuildRequires: beta\n")
    write_spec(layout, "beta", "BuildRequires: alpha\n")
    with pytest.raises(DependencyError) as err:
        graph.build_order(load_specs(layout.specs_dir))
    assert "cycle" in str(err.value) and "alpha" in str(err.value) and "beta" in str(err.value)


def test_unmapped_build_requires_names_the_fix(write_spec, layout):
    write_spec(layout, "alpha", "BuildRequires: libfrobnicate-devel\n")
    with pytest.raises(DependencyError) as err:
        graph.build_deps(load_specs(layout.specs_dir))
    assert "libfrobnicate-devel" in str(err.value)
    assert "debian-names.yaml" in err.value.fix


def test_malformed_spec_is_reported_with_the_file(write_spec, layout):
    path = write_spec(layout, "broken", body="Name: broken\nVersion: 1\n%description\nx\n%files\n")
    with pytest.raises(SpecError) as err:
        parse_spec(path)
    assert str(path) in str(err.value)
    assert "rpmspec -P" in err.value.fix


def test_file_name_must_match_package_name(write_spec, layout):
    write_spec(layout, "alpha")
    (layout.specs_dir / "alpha.spec").rename(layout.specs_dir / "other.spec")
    with pytest.raises(SpecError, match="rename"):
        load_specs(layout.specs_dir)


def test_build_root_holds_what_our_build_requires_need_to_run(write_spec, layout):
    # alpha BuildRequires beta; beta Requires gamma-data (a Provides of gamma): all three
    # specs are ordered so, and alpha's build root holds both beta and gamma.
    write_spec(layout, "alpha", "BuildRequires: beta\n")
    write_spec(layout, "beta", "Requires: gamma-data\n")
    write_spec(layout, "gamma", "Provides: gamma-data\n")
    write_spec(layout, "delta", "Requires: alpha\n")
    specs = load_specs(layout.specs_dir)
    assert graph.build_root_packages(specs, "alpha") == {"beta", "gamma"}
    assert graph.build_root_packages(specs, "delta") == set()      # Requires alone: no build order
    assert graph.build_deps(specs)["alpha"] == {"beta", "gamma"}
    order = graph.build_order(specs)
    assert order.index("gamma") < order.index("alpha") and order.index("beta") < order.index("alpha")
