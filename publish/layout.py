"""The snapshot tree's names and values, declared once (publisher, index, fetch script, tests).

DIR/
  index.html, index.json            every snapshot kept, newest first
  snapshots/<YYYYMMDD>.<n>-<sha>/   one build: artefacts, SHA256SUMS(.sign), manifest, CHANGES, STATUS
  snapshots/latest -> <id>          only ever a FINISHED snapshot
  snapshots/.incoming-<id>/         a publish under way (renamed when complete; removed if stale)
"""
import re
from datetime import date

SNAPSHOTS = "snapshots"
LATEST = "latest"
INDEX_HTML = "index.html"
INDEX_JSON = "index.json"
INCOMING = ".incoming-"
TRASH = ".trash-"

SUMS = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sign"
MANIFEST = "manifest.json"
CHANGES = "CHANGES"
STATUS = "STATUS"
KEY = "xenhost-archive-keyring.gpg"       # the project's public key (binary, for gpgv/apt)
SCRIPT = "fetch-snapshot.py"               # the standalone download + verify script

FINISHED, INCOMPLETE, FAILED = "FINISHED", "FINISHED_INCOMPLETE", "FAILED"
STATUSES = (FINISHED, INCOMPLETE, FAILED)

# Artefact kinds in manifest.json: where each comes from in a build's out/ folder.
KINDS = {
    "iso": "the installer ISO (out/iso)",
    "pxe": "the PXE tree (out/pxe)",
    "apt-repo": "the signed apt repository (out/repo/deb)",
    "rpm-repo": "the signed RPM and SRPM repositories (out/repo/rpm)",
    "key": "the project's public signing key",
    "metadata": "checksums and package lists beside the ISO; manifest, CHANGES, STATUS",
    "log": "the nightly steps' logs",
    "script": "the standalone download and verify script",
}

ID_PATTERN = re.compile(r"^(\d{8})\.(\d+)-([0-9a-f]{7,40})$")


def snapshot_id(day: date, number: int, commit: str) -> str:
    return f"{day:%Y%m%d}.{number}-{commit[:10]}"


def parse_id(name: str):
    """(date, number, short commit) of a snapshot folder name, or None for anything else."""
    match = ID_PATTERN.match(name)
    if not match:
        return None
    stamp, number, commit = match.groups()
    return date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:])), int(number), commit


def next_id(existing: list[str], day: date, commit: str) -> str:
    """The day's next number: counted over every snapshot of that day, failed ones included."""
    numbers = [p[1] for p in map(parse_id, existing) if p and p[0] == day]
    return snapshot_id(day, max(numbers, default=0) + 1, commit)


def sort_key(name: str):
    parsed = parse_id(name)
    return (parsed[0], parsed[1]) if parsed else (date.min, 0)
