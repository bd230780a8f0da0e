"""Would OBS resolve each image's package list and each package's Build-Depends? obs-build's
own expander (Build::expand, run by export/expand.pl) over Debian 12's Packages indexes (the
host's apt lists) plus our own packages as the packages project would publish them. A "have choice for X" result means the
images `_config` needs a `Prefer:` line; "nothing provides" a missing or misnamed package."""
import json
import subprocess
import tempfile
from pathlib import Path

from buildlib import hosttools
from buildlib.errors import XenhostBuildError
from packages import graph
from packages.names import NameMap
from packages.specs import Spec

from .localbuild import OBS_BUILD_LIB

SCRIPT = Path(__file__).resolve().parent / "expand.pl"
APT_LISTS = Path("/var/lib/apt/lists")


def our_packages(specs: dict[str, Spec]) -> list[dict]:
    """Our binary packages as the expander sees them: Requires mapped to Debian names (the
    converter's named Depends; our noarch packages have no shared-library ones)."""
    names = NameMap.load(set(graph.providers(specs)))
    out = []
    for spec in specs.values():
        for package in spec.packages:
            requires = [names.debian(r, f"{package.name} (Requires)")
                        for r in package.requires if r != package.name]
            out.append({"name": package.name, "version": spec.version,
                        "release": spec.release, "provides": [package.name, *package.provides],
                        "requires": requires})
    return out


def debian_indexes(lists: Path = APT_LISTS) -> list[Path]:
    """The host's bookworm, bookworm-updates and bookworm-security main indexes, in that
    order, decompressed into a temporary folder by the caller (lz4 as apt stores them)."""
    found = []
    for suite in ("bookworm", "bookworm-updates", "bookworm-security"):
        matches = sorted(lists.glob(f"*_dists_{suite}_main_binary-amd64_Packages*"))
        if not matches:
            raise XenhostBuildError(f"no apt list for {suite} main amd64 in {lists}",
                                    "run `apt-get update` (with bookworm, -updates and -security)")
        found.append(matches[0])
    return found


def _plain(index: Path, folder: Path) -> Path:
    if index.suffix == ".lz4":
        target = folder / index.stem
        with open(target, "wb") as out:
            subprocess.run(["lz4cat", str(index)], stdout=out, check=True)
        return target
    return index


def expand(prjconf: Path, specs: dict[str, Spec], wanted: dict[str, list[str]]) -> dict:
    """name (an image, or a package to build) -> {"ok": bool, "result": [package names] or
    [problems]} for the package list wanted[name]."""
    hosttools.require("obs-build", "lz4cat")
    with tempfile.TemporaryDirectory(prefix="obs-expand-") as tmp:
        folder = Path(tmp)
        (folder / "ours.json").write_text(json.dumps(our_packages(specs)))
        (folder / "images.json").write_text(json.dumps(wanted))
        indexes = [_plain(i, folder) for i in debian_indexes()]
        proc = subprocess.run(["perl", f"-I{OBS_BUILD_LIB}", str(SCRIPT), str(prjconf),
                               str(folder / "ours.json"), str(folder / "images.json"),
                               *map(str, indexes)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise XenhostBuildError(f"obs-build's expander failed: {proc.stderr.strip()[-1500:]}",
                                "check that obs-build is installed (./setup-host.sh)")
    return {image: {"ok": bool(r["ok"]), "result": r["result"]} for image, r in json.loads(proc.stdout).items()}
