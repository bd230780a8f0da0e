"""What a finished build left in its out/ folder, as the snapshot will hold it. Reads only."""
from dataclasses import dataclass
from pathlib import Path

from .errors import PublishError


@dataclass(frozen=True)
class Artefact:
    path: str        # inside the snapshot
    source: Path     # in the build's out/ folder
    kind: str        # layout.KINDS


def _tree(root: Path, prefix: str, kind: str) -> list[Artefact]:
    return [Artefact(f"{prefix}/{p.relative_to(root)}", p, kind)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")]


def collect(out_dir: Path, require_media: bool) -> tuple[list[Artefact], dict[str, str]]:
    """(artefacts, absent): absent maps a kind to why the build has none (recorded in the
    manifest). require_media: a FINISHED snapshot must hold the ISO and both repositories."""
    found: list[Artefact] = []
    absent: dict[str, str] = {}
    iso_dir, pxe_dir, repo = out_dir / "iso", out_dir / "pxe", out_dir / "repo"
    isos = sorted(iso_dir.glob("*.iso")) if iso_dir.is_dir() else []
    if isos:
        found += [Artefact(f"iso/{p.name}", p, "iso" if p.suffix == ".iso" else "metadata")
                  for p in sorted(iso_dir.iterdir()) if p.is_file()]
    else:
        absent["iso"] = f"no ISO in {iso_dir}"
    if pxe_dir.is_dir() and any(pxe_dir.iterdir()):
        found += _tree(pxe_dir, "pxe", "pxe")
    else:
        absent["pxe"] = f"this build made no PXE tree ({pxe_dir} is missing or empty)"
    for sub, kind in (("deb", "apt-repo"), ("rpm", "rpm-repo")):
        if (repo / sub).is_dir():
            found += _tree(repo / sub, f"repo/{sub}", kind)
        else:
            absent[kind] = f"no repository at {repo / sub}"
    found += [Artefact(f"repo/{p.name}", p, "key") for p in sorted(repo.glob("*")) if p.is_file()] \
        if repo.is_dir() else []
    logs = out_dir / "logs"
    found += [Artefact(f"logs/{p.name}", p, "log") for p in sorted(logs.glob("nightly-*.log"))] \
        if logs.is_dir() else []
    missing = [k for k in ("iso", "apt-repo", "rpm-repo") if k in absent]
    if require_media and missing:
        raise PublishError(f"the build record says every build step passed, but {out_dir} lacks: "
                           + "; ".join(absent[k] for k in missing),
                           "publish the out/ folder of the build that the record describes")
    return found, absent
