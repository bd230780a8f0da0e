"""One parsed model of a spec file, read with rpm's own parser (never regexes)."""
from dataclasses import dataclass, field
from pathlib import Path

from buildlib.config import REPO_ROOT
from buildlib.errors import SpecError

MACRO_FILES = {
    # Macros every build host gets, plus Debian's missing distribution macros.
    "common": REPO_ROOT / "packages" / "macros" / "xenhost.macros",
    "debian": REPO_ROOT / "packages" / "macros" / "debian.macros",
}


@dataclass(frozen=True)
class BinaryPackage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    path: Path
    name: str
    version: str
    release: str
    build_requires: tuple[str, ...]
    sources: tuple[str, ...]          # file names, Source0 first
    patches: tuple[str, ...]          # file names, in application order
    packages: tuple[BinaryPackage, ...] = field(default=())
    changelog_time: int = 0

    @property
    def evr(self) -> str:
        return f"{self.version}-{self.release}"

    def provided_names(self) -> set[str]:
        return {n for p in self.packages for n in (p.name, *p.provides)}


def _rpm():
    try:
        import rpm  # noqa: PLC0415 - Debian's python3-rpm, only on build hosts
    except ImportError as exc:
        raise SpecError("python cannot import rpm's bindings",
                        "run ./setup-host.sh (installs python3-rpm and the .venv that sees it)") from exc
    return rpm


def _names(header, tag) -> tuple[str, ...]:
    # rpmlib(...) and file paths are rpm-internal, not package names.
    return tuple(n for n in header[tag] if not n.startswith(("rpmlib(", "/")))


def rpm_spec(path: Path, flavor: str = "debian"):
    """rpm's own parsed spec object (with our macros loaded), for readers needing more tags
    than Spec holds (the OBS export reads summaries, descriptions and the changelog)."""
    rpm = _rpm()
    rpm.reloadConfig()
    for name in ("common", flavor):
        if name in MACRO_FILES:
            rpm.expandMacro(f"%{{load:{MACRO_FILES[name]}}}")
    try:
        return rpm.spec(str(path))
    except (ValueError, rpm.error) as exc:
        raise SpecError(f"{path}: rpm cannot parse this spec ({exc}); rpm's message is above",
                        f"run `rpmspec -P {path}` to see the failing line, and fix it") from exc


def parse_spec(path: Path, flavor: str = "debian") -> Spec:
    rpm = _rpm()
    spec = rpm_spec(path, flavor)
    header = spec.sourceHeader
    sources = [(s[1], s[0]) for s in spec.sources if s[2] == rpm.RPMBUILD_ISSOURCE]
    patches = [(s[1], s[0]) for s in spec.sources if s[2] == rpm.RPMBUILD_ISPATCH]
    packages = tuple(
        BinaryPackage(name=p.header[rpm.RPMTAG_NAME],
                      requires=_names(p.header, rpm.RPMTAG_REQUIRENAME),
                      provides=tuple(n for n in p.header[rpm.RPMTAG_PROVIDENAME]
                                     if n != p.header[rpm.RPMTAG_NAME]),
                      conflicts=_names(p.header, rpm.RPMTAG_CONFLICTNAME))
        for p in spec.packages)
    changelog = header[rpm.RPMTAG_CHANGELOGTIME]
    return Spec(path=path, name=header[rpm.RPMTAG_NAME], version=header[rpm.RPMTAG_VERSION],
                release=header[rpm.RPMTAG_RELEASE],
                build_requires=_names(header, rpm.RPMTAG_REQUIRENAME),
                sources=tuple(Path(f).name for _i, f in sorted(sources)),
                patches=tuple(Path(f).name for _i, f in sorted(patches)),
                packages=packages, changelog_time=int(changelog[0]) if changelog else 0)


def load_specs(specs_dir: Path, flavor: str = "debian") -> dict[str, Spec]:
    specs = {}
    for path in sorted(specs_dir.glob("*.spec")):
        spec = parse_spec(path, flavor)
        if path.stem != spec.name:
            raise SpecError(f"{path}: Name is {spec.name!r} but the file is named {path.name}",
                            f"rename the file to {spec.name}.spec (one spec per package name)")
        specs[spec.name] = spec
    if not specs:
        raise SpecError(f"no spec files in {specs_dir}", "add specs/NAME.spec files")
    return specs
