"""The OBS export's shape: what OBS and osc read, from the specs and image templates."""
import tarfile
from xml.etree import ElementTree

import pytest
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from export import debsource
from export.obs import export_obs
from iso import kiwi
from packages import graph
from packages.specs import load_specs

from export_fixtures import FIXTURES, LOCAL_SPECS, tiny_config


def _fields(text: str) -> dict:
    return dict(ln.split(": ", 1) for ln in text.splitlines() if ": " in ln and not ln.startswith(" "))


def test_one_folder_per_spec_in_build_order_with_its_sources(real_export):
    specs = load_specs(BuildConfig().specs_dir)
    assert real_export.order == [n for n in graph.build_order(specs) if n in LOCAL_SPECS]
    for name in real_export.order:
        folder, spec = real_export.packages_dir / name, specs[name]
        assert (folder / f"{name}.spec").read_bytes() == spec.path.read_bytes()
        for source in (*spec.sources, *spec.patches):
            assert (folder / source).is_file(), source
        dsc = _fields((folder / f"{name}.dsc").read_text())
        assert dsc["Source"] == name and dsc["Version"] == spec.evr
        assert (folder / dsc["Debtransform-Tar"]).is_file()
        control = (folder / "debian.control").read_text()
        assert [ln.split(": ")[1] for ln in control.splitlines() if ln.startswith("Package: ")] \
            == [p.name for p in spec.packages]
        assert (folder / "debian.changelog").read_text().startswith(f"{name} ({spec.evr}) ")


def test_the_bundle_holds_spec_sources_and_the_converter(real_export):
    folder = real_export.packages_dir / "xenhost-installer"
    bundle = folder / "xenhost-installer-0.1.0-obs.tar.gz"
    with tarfile.open(bundle) as tar:
        names = set(tar.getnames())
    top = "xenhost-installer-0.1.0"
    assert {f"{top}/xenhost-installer.spec", f"{top}/SOURCES/xenhost-installer-0.1.0.tar.gz",
            f"{top}/xenhost-obs/rpm2deb.py", f"{top}/xenhost-obs/packages/debian.py",
            f"{top}/xenhost-obs/packages/debian-names.yaml", f"{top}/xenhost-obs/own-names.txt",
            f"{top}/xenhost-obs/macros/xenhost.macros"} <= names
    rules = (folder / "debian.rules").read_text()
    assert "rpmbuild -bb --nodeps" in rules and "xenhost-installer.spec" in rules


def test_build_depends_are_the_buildrequires_in_debian_names(tiny_export):
    dsc = _fields((tiny_export.packages_dir / "tiny-app" / "tiny-app.dsc").read_text())
    depends = [d.strip() for d in dsc["Build-Depends"].split(",")]
    assert "tiny-lib" in depends and "make" in depends         # ours stays, make maps to make
    assert {"rpm", "rpm2cpio", "python3-rpm"} <= set(depends)   # what debian/rules runs
    assert tiny_export.order == ["tiny-lib", "tiny-app"]


def test_the_prjconf_is_debian_with_macros_last(real_export):
    config = (real_export.packages_dir / "_config").read_text()
    lines = [ln for ln in config.splitlines() if ln and not ln.startswith("#")]
    assert {"Type: dsc", "Repotype: debian", "Binarytype: deb"} <= set(lines)
    macros = lines.index("Macros:")
    assert all(":" not in ln.split()[0] or ln.startswith("%") for ln in lines[macros + 1:])
    assert "%xenhost_pylib %{_prefix}/lib/xenhost/python" in lines[macros + 1:]
    images = (real_export.images_dir / "_config").read_text()
    assert "Type: kiwi" in images and "Repotype: staticlinks" in images


def test_each_kiwi_takes_obsrepositories_and_the_image_packages(real_export):
    settings = kiwi.image_settings()
    for image in ("dom0", "installer"):
        folder = real_export.images_dir / f"xenhost-{image}"
        text = (folder / f"xenhost-{image}.kiwi").read_text()
        assert text.count("<repository ") == 1 and 'path="obsrepositories:/"' in text
        assert "file://" not in text
        packages = sorted(p.get("name") for p in ElementTree.fromstring(text).iter("package"))
        assert packages == sorted(settings[image]["packages"])
    with tarfile.open(real_export.images_dir / "xenhost-installer" / "root.tar.gz") as tar:
        assert "./etc/dracut.conf.d/10-xenhost-live.conf" in tar.getnames()
        assert all(m.uid == 0 and m.name.startswith("./") for m in tar.getmembers())


def test_kiwi_itself_accepts_each_description(real_export, tmp_path):
    from kiwi.xml_description import XMLDescription  # noqa: PLC0415
    for image in ("dom0", "installer"):
        description = XMLDescription(str(real_export.images_dir / f"xenhost-{image}" / f"xenhost-{image}.kiwi"))
        assert description.load() is not None


def test_an_existing_foreign_folder_is_refused_and_nothing_written(tmp_path):
    (tmp_path / "home:test:tiny").mkdir()
    (tmp_path / "home:test:tiny" / "mine.txt").write_text("keep")
    with pytest.raises(XenhostBuildError, match="was not written by export-obs"):
        export_obs(tiny_config(tmp_path), tmp_path, project="home:test:tiny")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home:test:tiny"]
    assert [p.name for p in (tmp_path / "home:test:tiny").iterdir()] == ["mine.txt"]


def test_a_failed_export_leaves_the_previous_one(tmp_path):
    first = export_obs(tiny_config(tmp_path), tmp_path, project="home:test:tiny")
    before = sorted(p.name for p in first.packages_dir.iterdir())
    broken = tmp_path / "broken"
    (broken / "specs").mkdir(parents=True)
    for name in ("tiny-lib.spec", "profiles.yaml"):
        (broken / "specs" / name).write_bytes((FIXTURES / "specs" / name).read_bytes())
    (broken / "specs" / "sources.yaml").write_text(yaml.safe_dump({"tiny-lib": {}}))
    with pytest.raises(XenhostBuildError, match="tiny-lib.txt, which is nowhere declared"):
        export_obs(BuildConfig(repo_root=broken, out_dir=tmp_path / "out"), tmp_path,
                   project="home:test:tiny")
    assert sorted(p.name for p in first.packages_dir.iterdir()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def test_an_unmapped_buildrequires_names_the_table(tmp_path):
    from packages.names import NameMap  # noqa: PLC0415
    spec = load_specs(FIXTURES / "specs")["tiny-app"]
    with pytest.raises(XenhostBuildError, match="debian-names.yaml"):
        debsource.build_depends(spec, NameMap({}, set()))
