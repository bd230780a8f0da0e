"""One spec as an OBS Debian package: the .dsc and debian.* files OBS's debtransform turns
into a Debian source package, plus the source bundle they build from.

Why not debbuild: debbuild copies a spec's Requires into Depends verbatim, and our specs use
RPM names (util-linux, dracut, kernel, xen-tools); two of them exist in Debian with another
meaning, so the .debs would install and be wrong. Here the generated debian/rules runs the
spec with rpmbuild and converts each RPM with packages/debian.py, the converter the local
pipeline uses: names through packages/debian-names.yaml, shared-library Depends from
dpkg-shlibdeps in the build root, scriptlets as maintainer scripts. Build-Depends are the
spec's BuildRequires mapped through the same table.
"""
import time
from pathlib import Path

import jinja2

from buildlib.config import REPO_ROOT
from buildlib.errors import SpecError
from packages.backends.chroot import ROOT_BASE
from packages.debian import ARCHES
from packages.names import NameMap
from packages.sources import tree_tarball
from packages.specs import MACRO_FILES, Spec, rpm_spec

TEMPLATES = Path(__file__).resolve().parent / "templates"
# What debian/rules runs besides rpmbuild's own needs (ROOT_BASE): the converter.
CONVERTER_DEPENDS = ("rpm2cpio", "python3", "python3-rpm", "python3-yaml")
# The converter and what it imports: repository path -> path in the bundle's xenhost-obs/.
CONVERTER_FILES = {"export/rpm2deb.py": "rpm2deb.py", **{f: f for f in (
    "packages/__init__.py", "packages/debian.py", "packages/names.py", "packages/debian-names.yaml",
    "buildlib/__init__.py", "buildlib/errors.py", "buildlib/hosttools.py", "buildlib/run.py",
    "common/xenhost_common/__init__.py", "common/xenhost_common/errors.py")}}
HELPER_DIR = "xenhost-obs"


def bundle_name(spec: Spec) -> str:
    return f"{spec.name}-{spec.version}-obs.tar.gz"


def build_depends(spec: Spec, names: NameMap) -> list[str]:
    wanted = [*ROOT_BASE, *CONVERTER_DEPENDS]
    wanted += [names.debian(r, f"{spec.path.name} (BuildRequires)") for r in spec.build_requires]
    return list(dict.fromkeys(wanted))


def _binary_packages(parsed) -> list[dict]:
    import rpm  # noqa: PLC0415 - Debian's python3-rpm
    out = []
    for package in parsed.packages:
        header = package.header
        text = header[rpm.RPMTAG_DESCRIPTION].strip().splitlines()
        out.append({"name": header[rpm.RPMTAG_NAME],
                    "arch": ARCHES.get(header[rpm.RPMTAG_ARCH], "any"),
                    "summary": header[rpm.RPMTAG_SUMMARY],
                    "description": "\n".join(" " + (ln if ln.strip() else ".") for ln in text)})
    return out


def _changelog(spec: Spec, parsed) -> tuple[str, str]:
    """debian/changelog from the spec's %changelog (newest first; the newest entry carries the
    full version with %dist, as the .debs do), and the newest entry's author (Maintainer)."""
    import rpm  # noqa: PLC0415
    header = parsed.sourceHeader
    entries, authors = [], []
    rows = zip(header[rpm.RPMTAG_CHANGELOGTIME], header[rpm.RPMTAG_CHANGELOGNAME],
               header[rpm.RPMTAG_CHANGELOGTEXT])
    for index, (when, who, text) in enumerate(rows):
        author, _, version = who.rpartition(" - ")     # "Name <mail> - 0.1-1"
        author = (author or who).strip()
        authors.append(author)
        version = spec.evr if index == 0 else (version.strip() or spec.evr)
        body = "\n".join(f"  * {ln[1:].strip()}" if ln.startswith("-") else f"    {ln.strip()}"
                         for ln in text.splitlines() if ln.strip())
        stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
        entries.append(f"{spec.name} ({version}) xenhost; urgency=medium\n\n{body}\n\n"
                       f" -- {author}  {stamp}\n")
    if not entries:
        raise SpecError(f"{spec.path.name} has no %changelog entry",
                        "add one: debian/changelog (the Debian version) is made from it")
    return "\n".join(entries), authors[0]


def control_files(spec: Spec, names: NameMap) -> dict[str, str]:
    """File name -> text: NAME.dsc and the debian.* files debtransform reads."""
    parsed = rpm_spec(spec.path)
    packages = _binary_packages(parsed)
    changelog, maintainer = _changelog(spec, parsed)
    depends = ", ".join(build_depends(spec, names))
    arch = "all" if all(p["arch"] == "all" for p in packages) else "any"
    source = (f"Source: {spec.name}\nSection: admin\nPriority: optional\n"
              f"Maintainer: {maintainer}\nBuild-Depends: {depends}\nStandards-Version: 4.6.2\n")
    binaries = "".join(f"\nPackage: {p['name']}\nArchitecture: {p['arch']}\n"
                       f"Description: {p['summary']}\n{p['description']}\n" for p in packages)
    dsc = (f"Format: 1.0\nSource: {spec.name}\nBinary: {', '.join(p['name'] for p in packages)}\n"
           f"Architecture: {arch}\nVersion: {spec.evr}\nMaintainer: {maintainer}\n"
           f"Build-Depends: {depends}\nDebtransform-Tar: {bundle_name(spec)}\n")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    rules = env.get_template("debian.rules.j2").render(spec=spec.path.name, epoch=spec.changelog_time)
    return {f"{spec.name}.dsc": dsc, "debian.control": source + binaries,
            "debian.changelog": changelog, "debian.rules": rules}


def write_bundle(spec: Spec, sources: list[Path], own_names: set[str], staging: Path,
                 dest: Path) -> Path:
    """NAME-VERSION-obs.tar.gz: the spec, its sources and patches under SOURCES/, and the
    converter with our macros under xenhost-obs/ (debtransform makes it the .orig tarball)."""
    top = staging / f"{spec.name}-{spec.version}"
    (top / "SOURCES").mkdir(parents=True)
    (top / spec.path.name).write_bytes(spec.path.read_bytes())
    for source in sources:
        (top / "SOURCES" / source.name).write_bytes(source.read_bytes())
    helper = top / HELPER_DIR
    for relative, inside in CONVERTER_FILES.items():
        target = helper / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO_ROOT / relative).read_bytes())
    (helper / "macros").mkdir()
    for macros in MACRO_FILES.values():
        (helper / "macros" / macros.name).write_bytes(macros.read_bytes())
    (helper / "own-names.txt").write_text("\n".join(sorted(own_names)) + "\n")
    bundle = dest / bundle_name(spec)
    tree_tarball(top, top.name, bundle, spec.changelog_time)
    return bundle
