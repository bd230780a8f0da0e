"""Cache keys: a package is rebuilt only when something that goes into it changed.

Two levels, because they cost very different amounts of time:
- the build key covers what rpmbuild sees: the spec, every source and patch, the macros, the
  build root's package set and the keys of the specs it build-depends on (so a change rebuilds
  its dependents too, and nothing else). The binary RPMs are stored under it.
- the conversion key covers the code that turns RPMs into .debs. Changing that code remakes
  the .debs from the stored RPMs (seconds) instead of rebuilding (the kernel: half an hour).
A package's key, which its dependents' keys include, combines both: their build roots hold
our .debs.
"""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from buildlib.config import REPO_ROOT, BuildConfig
from buildlib.files import sha256_of
from .specs import MACRO_FILES, Spec

# Code whose behaviour shapes the .debs: editing it remakes every .deb (not every RPM).
CONVERSION_FILES = [REPO_ROOT / "packages" / "debian.py", REPO_ROOT / "packages" / "debian-names.yaml"]


def _digest(material) -> str:
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:20]


def cache_key(spec: Spec, sources: list[Path], root_key: str, dep_keys: dict[str, str],
              options: dict) -> str:
    """The build key: everything rpmbuild's result depends on."""
    return _digest({
        "spec": sha256_of(spec.path),
        "sources": {p.name: sha256_of(p) for p in sources},
        "macros": {p.name: sha256_of(p) for p in MACRO_FILES.values()},
        "root": root_key,
        "deps": dep_keys,
        "options": options,
    })


def conversion_key(files: list[Path] = CONVERSION_FILES) -> str:
    return _digest({p.name: sha256_of(p) for p in files})


def package_key(build_key: str, conversion: str) -> str:
    """What dependents' keys include: the .debs they install are made by both."""
    return _digest([build_key, conversion])


@dataclass
class StoredBuild:
    """One package's artifacts in the cache: SRPM and RPMs under the build key, complete only
    once its marker exists; .debs beside them per conversion key, with their own marker."""
    root: Path
    conversion: str = ""

    @classmethod
    def at(cls, config: BuildConfig, name: str, key: str, conversion: str = "") -> "StoredBuild":
        return cls(config.cache_dir / "packages" / name / key, conversion)

    @property
    def complete(self) -> bool:
        return (self.root / "complete").exists()

    @property
    def debs_dir(self) -> Path:
        return self.root / f"debs-{self.conversion}"

    @property
    def debs_complete(self) -> bool:
        return (self.debs_dir / "complete").exists()

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def debs(self) -> list[Path]:
        return sorted(self.debs_dir.glob("*.deb"))

    def mark_complete(self) -> None:
        (self.root / "complete").write_text("ok\n")

    def mark_debs_complete(self) -> None:
        (self.debs_dir / "complete").write_text("ok\n")
