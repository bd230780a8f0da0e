"""Publish a finished build's outputs as one snapshot, atomically, then apply the rules.

Order of work, each step safe to be killed in:
1. the snapshot is assembled under snapshots/.incoming-<id>/ (copies, manifest, CHANGES,
   STATUS, SHA256SUMS and its signature, all fsynced);
2. one rename makes it appear whole under its id;
3. `latest` (a symlink) is replaced by rename, and only for a FINISHED snapshot;
4. dropped snapshots are renamed to .trash-<id> and then removed; `latest`'s target never is;
5. index.html and index.json are rewritten (write_atomic) from the snapshots on disk.
A publish killed anywhere leaves the previous snapshots and `latest` as they were; the next
publish removes the leftovers (.incoming-*, .trash-*) and rewrites the index.
"""
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from buildlib.files import sha256_of, write_atomic
from . import layout
from .changes import changes_text
from .collect import collect
from .errors import PublishError
from .index import write_index
from .packages_info import packages
from .record import BuildRecord
from .retention import Policy, keep

SCRIPT_SOURCE = Path(__file__).resolve().parent / "fetch_snapshot.py"


def _fsync_copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    # A copy, never a hard link: a later build rewriting out/ must not change a snapshot.
    with open(source, "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _write(path: Path, text: str) -> None:
    with open(path, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / layout.MANIFEST).read_text())
    except (OSError, ValueError):
        return None


class Publisher:
    def __init__(self, dest: Path, signer, repo_root: Path, policy: Policy = Policy(),
                 progress=print, now=lambda: datetime.now(timezone.utc)):
        self.dest = Path(dest)
        self.snapshots = self.dest / layout.SNAPSHOTS
        self.signer = signer
        self.repo_root = repo_root
        self.policy = policy
        self.progress = progress
        self.now = now

    # -- the tree as it is -------------------------------------------------------------
    def existing(self) -> dict[str, str]:
        """id -> status of every complete snapshot (leftovers and `latest` are not snapshots)."""
        found = {}
        for folder in self.snapshots.iterdir() if self.snapshots.is_dir() else ():
            if folder.is_symlink() or not layout.parse_id(folder.name):
                continue
            status = (folder / layout.STATUS).read_text().split(":", 1)[0].strip() \
                if (folder / layout.STATUS).exists() else layout.FAILED
            found[folder.name] = status
        return found

    def latest(self) -> str | None:
        link = self.snapshots / layout.LATEST
        return os.readlink(link) if link.is_symlink() else None

    def _previous_finished(self) -> dict | None:
        finished = [s for s, status in self.existing().items() if status == layout.FINISHED]
        newest = max(finished, key=layout.sort_key, default=None)
        return read_manifest(self.snapshots / newest) if newest else None

    def clean_leftovers(self) -> None:
        for folder in self.snapshots.glob(".*"):
            if folder.name.startswith((layout.INCOMING, layout.TRASH)):
                self.progress(f"removing {folder.name} (left by an interrupted publish)")
                shutil.rmtree(folder)
        for stale in self.snapshots.glob(f".{layout.LATEST}.*"):
            stale.unlink()

    # -- one publish ---------------------------------------------------------------------
    def publish(self, out_dir: Path, record: BuildRecord, repo_root: Path | None = None) -> Path:
        """repo_root: the git repository the record's commit is in (CHANGES), if not ours."""
        status_line = record.status_line()
        status = status_line.split(":", 1)[0]
        artefacts, absent = collect(Path(out_dir), require_media=status != layout.FAILED)
        self.snapshots.mkdir(parents=True, exist_ok=True)
        self.clean_leftovers()
        today = self.now().date()
        snapshot_id = layout.next_id(list(self.existing()), today, record.commit)
        incoming = self.snapshots / f"{layout.INCOMING}{snapshot_id}"
        incoming.mkdir()
        self.progress(f"assembling {incoming.name}")
        for artefact in artefacts:
            self.progress(f"copy {artefact.path}")
            _fsync_copy(artefact.source, incoming / artefact.path)
        _fsync_copy(SCRIPT_SOURCE, incoming / layout.SCRIPT)
        self.signer.export_public(incoming)      # also writes the armoured RPM-GPG-KEY-xenhost
        manifest = self._manifest(snapshot_id, record, status_line, incoming, artefacts, absent,
                                  Path(out_dir) / "repo" / "rpm")
        previous = self._previous_finished()
        _write(incoming / layout.CHANGES, changes_text(repo_root or self.repo_root, previous, manifest))
        _write(incoming / layout.STATUS, status_line + "\n")
        _write(incoming / layout.MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        self.progress("checksums and signature")
        self._sums(incoming)
        final = self.snapshots / snapshot_id
        os.rename(incoming, final)
        self.progress(f"published {final} ({status})")
        if status == layout.FINISHED:
            self._point_latest(snapshot_id)
        self._prune(today)
        write_index(self.dest, self.signer)
        self.progress("index written")
        return final

    def _manifest(self, snapshot_id, record, status_line, folder, artefacts, absent, rpm_repo) -> dict:
        kinds = {a.path: a.kind for a in artefacts}
        kinds.update({layout.SCRIPT: "script", layout.KEY: "key", "RPM-GPG-KEY-xenhost": "key"})
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        return {
            "id": snapshot_id,
            "commit": record.commit,
            "status": status_line.split(":", 1)[0],
            "status_line": status_line,
            "published": self.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "build": {"started": record.started, "finished": record.finished,
                      "steps": [vars(s) for s in record.steps]},
            "reproducible": record.reproducible or {"result": "not-checked"},
            "artefacts": [{"path": str(p.relative_to(folder)), "size": p.stat().st_size,
                           "sha256": sha256_of(p), "kind": kinds.get(str(p.relative_to(folder)), "metadata")}
                          for p in files],
            "absent": absent,
            "packages": packages(rpm_repo) if (rpm_repo / "RPMS").is_dir() else [],
            "signing_key": self.signer.fingerprint(),
        }

    def _sums(self, folder: Path) -> None:
        lines = [f"{sha256_of(p)}  {p.relative_to(folder)}\n"
                 for p in sorted(folder.rglob("*")) if p.is_file()]
        _write(folder / layout.SUMS, "".join(lines))
        self.signer.detach_sign(folder / layout.SUMS, folder / layout.SIGNATURE, armor=True)

    def _point_latest(self, snapshot_id: str) -> None:
        temporary = self.snapshots / f".{layout.LATEST}.{os.getpid()}"
        temporary.symlink_to(snapshot_id)
        os.replace(temporary, self.snapshots / layout.LATEST)
        self.progress(f"latest -> {snapshot_id}")

    def _prune(self, today) -> None:
        existing = self.existing()
        kept = keep(existing, today, self.policy) | {self.latest()}
        for name in sorted(set(existing) - kept):
            trash = self.snapshots / f"{layout.TRASH}{name}"
            os.rename(self.snapshots / name, trash)
            self.progress(f"retention: removing {name} ({existing[name]})")
            shutil.rmtree(trash)


def check_destination(dest: Path) -> None:
    """Refuse a destination that is not a snapshot tree (or empty), before any build starts."""
    if dest.exists() and not dest.is_dir():
        raise PublishError(f"{dest} is not a folder", "give --publish a folder (new or a snapshot tree)")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / layout.SNAPSHOTS).is_dir():
        raise PublishError(f"{dest} holds files but no {layout.SNAPSHOTS}/ folder: not a snapshot tree",
                           "give --publish an empty folder or one a previous nightly published into")
