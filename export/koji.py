"""`./build.py export-koji DIR`: SRPMs of every spec and the `koji build` sequence that builds
them on a Koji hub in build order (Koji builds RPMs only: its kiwi plugin makes rpm-md images,
so our Debian images stay with OBS or the local build).

The SRPMs are made for RPM build hosts: only the common macros are expanded (no Debian
flavour), and the build order is taken without Debian name checks (the builders resolve
BuildRequires with their own package manager).
"""
import tempfile
from pathlib import Path

import jinja2

from buildlib.config import BuildConfig
from packages import graph
from packages.pipeline import make_srpm
from packages.profiles import DEFAULT, select
from packages.sources import gather_sources
from packages.specs import load_specs

FLAVOR = "rpm"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def export_koji(config: BuildConfig, dest: Path, profile: str = DEFAULT) -> Path:
    """dest/SRPMS/*.src.rpm and dest/koji-build.sh; returns the script."""
    specs = select(config, load_specs(config.specs_dir, FLAVOR), profile)
    order = graph.build_order(specs, FLAVOR)
    deps = graph.build_deps(specs, FLAVOR)
    needed = set().union(*deps.values()) if deps else set()
    srpms_dir = dest / "SRPMS"
    srpms_dir.mkdir(parents=True, exist_ok=True)
    steps = []
    for name in order:
        spec = specs[name]
        for old in srpms_dir.glob(f"{name}-{spec.version}-*.src.rpm"):
            old.unlink()
        with tempfile.TemporaryDirectory(prefix=f"koji-{name}-") as tmp:
            sources = Path(tmp) / "sources"
            gather_sources(config, spec, sources)
            out = Path(tmp) / "srpm"
            out.mkdir()
            srpm = make_srpm(spec, sources, out, Path(tmp) / "srpm.log", FLAVOR)
            final = srpms_dir / srpm.name
            srpm.rename(final)
        nvr = final.name.removesuffix(".src.rpm")
        steps.append({"name": name, "srpm": final.name, "nvr": nvr, "real": name in needed})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    script = dest / "koji-build.sh"
    script.write_text(env.get_template("koji-build.sh.j2").render(steps=steps) + "\n")
    script.chmod(0o755)
    return script
