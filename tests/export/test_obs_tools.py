"""The export read by OBS's own parsers: osc's _meta model (osc.obs_api), obs-build's prjconf
reader (Build::read_config via queryconfig) and its KIWI parser (Build::Kiwi::parse)."""
import json
import subprocess

import pytest

from buildlib import hosttools
from iso import kiwi

OBS_BUILD_LIB = "/usr/lib/obs-build"      # Debian's obs-build keeps its perl modules here


def perl(code: str, *args) -> str:
    hosttools.require("obs-build")
    return subprocess.run(["perl", f"-I{OBS_BUILD_LIB}", "-MBuild", "-MBuild::Kiwi", "-MJSON::PP",
                           "-e", code, *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def queryconfig(config, query: str) -> str:
    hosttools.require("obs-build")
    return subprocess.run(["perl", f"-I{OBS_BUILD_LIB}", f"{OBS_BUILD_LIB}/queryconfig",
                           "--dist", str(config), "--archpath", "x86_64", query],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_osc_parses_both_meta_files(real_export):
    from osc.obs_api import Project  # noqa: PLC0415
    packages = Project.from_file(str(real_export.packages_dir / "_meta"))
    images = Project.from_file(str(real_export.images_dir / "_meta"))
    assert packages.name == "xenhost" and images.name == "xenhost:images"
    [repo] = packages.repository_list
    assert (repo.name, repo.arch_list) == ("Debian_12", ["x86_64"])
    assert [(p.project, p.repository) for p in repo.path_list] == [("Debian:12", "standard")]
    [repo] = images.repository_list
    assert [(p.project, p.repository) for p in repo.path_list] == [
        ("xenhost", "Debian_12"), ("Debian:12", "standard")]


def test_osc_rejects_a_broken_meta(real_export, tmp_path):
    from osc.obs_api import Project  # noqa: PLC0415
    broken = tmp_path / "_meta"
    broken.write_text((real_export.packages_dir / "_meta").read_text()
                      .replace('<path project=', '<path projekt='))
    with pytest.raises(RuntimeError, match="projekt"):
        Project.from_file(str(broken))


def test_obs_build_reads_the_packages_prjconf(real_export):
    config = real_export.packages_dir / "_config"
    assert queryconfig(config, "type") == "dsc"
    assert queryconfig(config, "binarytype") == "deb"
    assert queryconfig(config, "repotype") == "debian"
    assert "%xenhost_pylib %{_prefix}/lib/xenhost/python" in queryconfig(config, "rawmacros")


def test_obs_build_reads_the_images_prjconf(real_export):
    found = json.loads(perl('my $c = Build::read_config("x86_64", $ARGV[0]);'
                            'print encode_json({type => $c->{type}, binarytype => $c->{binarytype},'
                            ' repotype => $c->{repotype}, prefer => $c->{prefer}})',
                            real_export.images_dir / "_config"))
    assert found["type"] == "kiwi" and found["binarytype"] == "deb"
    assert found["repotype"] == ["staticlinks"]
    assert found["prefer"] == ["xen-hypervisor", "sysvinit-utils"]


@pytest.mark.parametrize("image,imagetype", [("dom0", "tbz"), ("installer", "iso")])
def test_obs_build_parses_each_kiwi(real_export, image, imagetype):
    path = real_export.images_dir / f"xenhost-{image}" / f"xenhost-{image}.kiwi"
    found = json.loads(perl('my $d = Build::Kiwi::parse({arch => "x86_64"}, $ARGV[0]);'
                            'print encode_json($d)', path))
    assert "error" not in found, found.get("error")
    assert found["name"] == f"xenhost-{image}" and found["imagetype"] == [imagetype]
    assert found["path"] == [{"project": "_obsrepositories", "repository": ""}]
    wanted = kiwi.image_settings()[image]["packages"]
    assert [d for d in found["deps"] if ":" not in d] == wanted
    assert "kiwi-packagemanager:apt" in found["deps"]


def test_obs_build_refuses_a_kiwi_with_a_local_repository(real_export, tmp_path):
    text = (real_export.images_dir / "xenhost-dom0" / "xenhost-dom0.kiwi").read_text()
    bad = tmp_path / "bad.kiwi"
    bad.write_text(text.replace("obsrepositories:/", "file:///srv/repo"))
    found = json.loads(perl('print encode_json(Build::Kiwi::parse({arch => "x86_64"}, $ARGV[0]))', bad))
    assert "not using obs:/ scheme" in found["error"]
