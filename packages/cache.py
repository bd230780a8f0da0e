"""Cache keys: a package is rebuilt only when something that goes into it changed.

A key covers the spec, every source and patch, the macros, the build root's package set, the
code that converts RPMs to .debs, and the keys of the specs it build-depends on (so a change
rebuilds its dependents too, and nothing else).
"""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .config import REPO_ROOT, BuildConfig
from .sources import sha256_of
from .specs import MACRO_FILES, Spec

# Code whose behaviour shapes the artifacts: editing it invalidates every package.
SHAPING_FILES = [REPO_ROOT / "packages" / "debian.py", REPO_ROOT / "packages" / "debian-names.yaml",
                 *MACRO_FILES.values()]


def cache_key(spec: Spec, sources: list[Path], root_key: str, dep_keys: dict[str, str],
              options: dict) -> str:
    material = {
        "spec": sha256_of(spec.path),
        "sources": {p.name: sha256_of(p) for p in sources},
        "shaping": {p.name: sha256_of(p) for p in SHAPING_FILES},
        "root": root_key,
        "deps": dep_keys,
        "options": options,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:20]


@dataclass
class StoredBuild:
    """One package's artifacts in the cache, complete only once its marker exists."""
    root: Path

    @classmethod
    def at(cls, config: BuildConfig, name: str, key: str) -> "StoredBuild":
        return cls(config.cache_dir / "packages" / name / key)

    @property
    def complete(self) -> bool:
        return (self.root / "complete").exists()

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def mark_complete(self) -> None:
        (self.root / "complete").write_text("ok\n")
