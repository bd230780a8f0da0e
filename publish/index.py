"""index.html (jinja2) and index.json: every snapshot on disk, newest first, from its manifest."""
import json
from pathlib import Path

import jinja2

from buildlib.files import write_atomic
from . import layout

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _entry(folder: Path, manifest: dict, latest: str | None) -> dict:
    artefacts = manifest.get("artefacts", [])
    iso = next((a for a in artefacts if a["kind"] == "iso"), None)
    return {
        "id": manifest["id"],
        "date": manifest.get("published", ""),
        "commit": manifest["commit"],
        "status": manifest["status"],
        "status_line": manifest.get("status_line", manifest["status"]),
        "latest": manifest["id"] == latest,
        "reproducible": manifest.get("reproducible", {}).get("result", "not-checked"),
        "iso": iso and {"path": f"{layout.SNAPSHOTS}/{folder.name}/{iso['path']}", "size": iso["size"]},
        "total_size": sum(a["size"] for a in artefacts),
        "pxe": not any(k == "pxe" for k in manifest.get("absent", {})),
        "links": {name: f"{layout.SNAPSHOTS}/{folder.name}/{name}"
                  for name in (layout.SUMS, layout.SIGNATURE, layout.MANIFEST, layout.CHANGES,
                               layout.STATUS, layout.SCRIPT, "repo/deb/", "repo/rpm/", "pxe/")},
        "steps": manifest.get("build", {}).get("steps", []),
    }


def entries(dest: Path) -> tuple[list[dict], str | None]:
    snapshots = dest / layout.SNAPSHOTS
    link = snapshots / layout.LATEST
    latest = link.readlink().name if link.is_symlink() else None
    found = []
    for folder in sorted(snapshots.iterdir(), key=lambda p: layout.sort_key(p.name), reverse=True):
        if folder.is_symlink() or not layout.parse_id(folder.name):
            continue
        try:
            manifest = json.loads((folder / layout.MANIFEST).read_text())
        except (OSError, ValueError):
            continue                   # not a snapshot we wrote; never listed
        found.append(_entry(folder, manifest, latest))
    return found, latest


def write_index(dest: Path, signer) -> None:
    found, latest = entries(dest)
    data = {"latest": latest, "fingerprint": signer.fingerprint(), "snapshots": found}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    html = env.get_template("index.html.j2").render(layout=layout, **data)
    write_atomic(dest / layout.INDEX_JSON, json.dumps(data, indent=2, sort_keys=True) + "\n")
    write_atomic(dest / layout.INDEX_HTML, html)
