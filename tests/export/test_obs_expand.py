"""obs-build's own dependency expansion (what the OBS scheduler runs) over the export, against
Debian 12's package indexes (the host's apt lists, from `apt-get update`) and our packages:
every image and every package's Build-Depends resolves, with no "have choice" left."""
import pytest

from buildlib.config import BuildConfig
from export.expand import expand
from iso import kiwi
from packages.specs import load_specs

pytestmark = pytest.mark.slow       # reads ~70 MB of package indexes (seconds, after apt-get update)


def _fields(text: str) -> dict:
    return dict(ln.split(": ", 1) for ln in text.splitlines() if ": " in ln)


def test_every_image_resolves_with_the_exported_prefer_lines(real_export):
    settings = kiwi.image_settings()
    found = expand(real_export.images_dir / "_config", load_specs(BuildConfig().specs_dir),
                   {image: settings[image]["packages"] for image in ("dom0", "installer")})
    for image, result in found.items():
        assert result["ok"], f"{image}: {result['result']}"
        assert set(settings[image]["packages"]) <= set(result["result"])
    assert "xen-hypervisor" in found["dom0"]["result"]                 # ours, by Prefer:
    assert "xen-hypervisor-4.17-amd64" not in found["dom0"]["result"]


def test_without_prefer_obs_would_have_a_choice(real_export, tmp_path):
    config = tmp_path / "_config"
    config.write_text("\n".join(ln for ln in (real_export.images_dir / "_config").read_text().splitlines()
                                if not ln.startswith("Prefer:")) + "\n")
    found = expand(config, load_specs(BuildConfig().specs_dir),
                   {"dom0": kiwi.image_settings()["dom0"]["packages"]})
    assert not found["dom0"]["ok"]
    assert any(p.startswith("have choice for xen-hypervisor") for p in found["dom0"]["result"])


def test_every_package_build_depends_resolves(real_export):
    wanted = {}
    for name in real_export.order:
        dsc = _fields((real_export.packages_dir / name / f"{name}.dsc").read_text())
        wanted[name] = [d.strip() for d in dsc["Build-Depends"].split(",")]
    found = expand(real_export.packages_dir / "_config", load_specs(BuildConfig().specs_dir), wanted)
    for name, result in found.items():
        assert result["ok"], f"{name}: {result['result']}"
