"""File helpers shared by every build step: content hashes, and the runtime core's atomic writes."""
import hashlib
from pathlib import Path

from xenhost_common.files import write_atomic  # noqa: F401  (one implementation for build and hosts)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
