"""Where the build reads and writes. Everything slow to make lives in the cache, outside the repo."""
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildConfig:
    repo_root: Path = REPO_ROOT
    # Build roots, fetched sources, built packages and image roots: keyed by their inputs.
    cache_dir: Path = Path(os.environ.get("XENHOST_CACHE", "/var/cache/xenhost"))
    # Repositories, images and media of this checkout.
    out_dir: Path = Path(os.environ.get("XENHOST_OUT", str(REPO_ROOT / "out")))
    debian_mirror: str = os.environ.get("XENHOST_MIRROR", "http://deb.debian.org/debian")
    debian_suite: str = "bookworm"
    arch: str = "amd64"

    @property
    def specs_dir(self) -> Path:
        return self.repo_root / "specs"

    @property
    def repo_dir(self) -> Path:
        return self.out_dir / "repo"

    @property
    def logs_dir(self) -> Path:
        return self.out_dir / "logs"

    def cache(self, *parts: str) -> Path:
        path = self.cache_dir.joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path
