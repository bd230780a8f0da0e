"""`./build.py export-obs DIR`: the specs and kiwi descriptions as two OBS projects, shaped
like `osc` checkouts:

  DIR/PROJECT/_meta, _config           packages project: Debian_12, x86_64
  DIR/PROJECT/NAME/                    one per spec, in build order: NAME.spec, its sources
                                       and patches, NAME.dsc + debian.* (debsource.py) and
                                       the source bundle they build from
  DIR/PROJECT:images/_meta, _config    images project: builds against the packages project
  DIR/PROJECT:images/xenhost-IMAGE/    IMAGE.kiwi, config.sh, root.tar.gz (images.py)

Everything is written into a staging folder first and moved into place only when every spec
parsed, mapped and had its sources: a failed export leaves DIR as it was.
"""
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from packages import graph
from packages.names import NameMap
from packages.profiles import DEFAULT, select
from packages.sources import gather_sources
from packages.specs import MACRO_FILES, load_specs

from . import debsource, images

HERE = Path(__file__).resolve().parent
SETTINGS_FILE = HERE / "obs.yaml"
MARKER = ".xenhost-export"          # a folder holding it was written by us and may be replaced


@dataclass
class Export:
    packages_dir: Path
    images_dir: Path
    order: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"packages project: {self.packages_dir}",
                 *(f"  {i:2}. {n}" for i, n in enumerate(self.order, 1)),
                 f"images project:   {self.images_dir}", *(f"      {n}" for n in self.images)]
        return "\n".join(lines)


def settings() -> dict:
    return yaml.safe_load(SETTINGS_FILE.read_text())


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def project_files(conf: dict, project: str, kind: str) -> dict[str, str]:
    """_meta and _config of the packages (kind "packages") or images project."""
    env = _env()
    base = conf["base"]
    if kind == "packages":
        paths, repository = [base], conf["repository"]
        title, text = "xenhost packages", "xenhost's RPM specs built as Debian 12 packages."
        macros = "\n".join(p.read_text().rstrip() for p in MACRO_FILES.values())
        config = env.get_template("packages.prjconf.j2").render(prefer=conf["prefer"]["packages"],
                                                                 macros=macros)
    else:
        paths = [{"project": project, "repository": conf["repository"]}, base]
        repository = "images"
        title, text = "xenhost images", "xenhost's dom0 root and installer ISO (KIWI)."
        config = env.get_template("images.prjconf.j2").render(prefer=conf["prefer"]["images"])
    name = project if kind == "packages" else project + conf["images-suffix"]
    meta = env.get_template("project.meta.j2").render(
        name=name, title=title, description=text, repository=repository, paths=paths,
        arch=conf["arch"])
    return {"_meta": meta, "_config": config}


def _check_dest(dest: Path, names: list[str]) -> None:
    for name in names:
        target = dest / name
        if target.exists() and not (target / MARKER).exists():
            raise XenhostBuildError(f"{target} exists and was not written by export-obs",
                                    "choose another DIR, or move that folder away")


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)


def export_obs(config: BuildConfig, dest: Path, profile: str = DEFAULT,
               only: set[str] | None = None, project: str | None = None) -> Export:
    conf = settings()
    project = project or conf["packages-project"]
    specs = select(config, load_specs(config.specs_dir), profile)
    unknown = set(only or ()) - set(specs)
    if unknown:
        raise XenhostBuildError(f"no spec named {', '.join(sorted(unknown))} in profile {profile!r}",
                                f"use the Name of one of the specs in {config.specs_dir}")
    order = [n for n in graph.build_order(specs) if not only or n in only]
    own = set(graph.providers(specs))
    names = NameMap.load(own)
    images_project = project + conf["images-suffix"]
    dest = dest.resolve()
    _check_dest(dest, [project, images_project])
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest, prefix=".export-") as tmp:
        staging = Path(tmp)
        packages_dir, images_dir = staging / project, staging / images_project
        _write(packages_dir, {**project_files(conf, project, "packages"), MARKER: ""})
        for name in order:
            spec = specs[name]
            folder = packages_dir / name
            sources = gather_sources(config, spec, folder)
            shutil.copy2(spec.path, folder / spec.path.name)
            _write(folder, debsource.control_files(spec, names))
            debsource.write_bundle(spec, sources, own, staging / "bundles" / name, folder)
        _write(images_dir, {**project_files(conf, project, "images"), MARKER: ""})
        mtime = max(s.changelog_time for s in specs.values())
        made = [images.write_image_package(config, image, images_dir, mtime, profile).name
                for image in images.IMAGES]
        for folder in (packages_dir, images_dir):
            if (dest / folder.name).exists():
                shutil.rmtree(dest / folder.name)
            folder.rename(dest / folder.name)
    return Export(dest / project, dest / images_project, order, made)
