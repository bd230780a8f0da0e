#!/usr/bin/env python3
"""Download a xenhost nightly snapshot and verify it: the signature, then every checksum.

Standalone on purpose (Python 3 standard library and gpgv only): this file is copied into
every snapshot for people without the checkout.

  python3 fetch-snapshot.py --from URL --fingerprint FPR latest     # or a snapshot id
  python3 fetch-snapshot.py --from URL --keyring KEY.gpg 20261201.1-abcdef1234 --dest DIR
  python3 fetch-snapshot.py --verify DIR --fingerprint FPR           # a downloaded snapshot

URL is the snapshot tree's top (where index.html is). Files arrive as NAME.part and take their
final name only once their SHA-256 matches the signed SHA256SUMS; an interrupted download
resumes from its .part (HTTP Range). A file whose checksum does not match is refused by name
and deleted; a file that SHA256SUMS does not list is unsigned and refused by name.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath

SUMS, SIGNATURE, KEY, INDEX = "SHA256SUMS", "SHA256SUMS.sign", "xenhost-archive-keyring.gpg", "index.json"
PART = ".part"
CHUNK = 1 << 16


class Refused(Exception):
    """A file (or the whole snapshot) failed verification; the message names it."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Progress:
    """One line per file on stderr: percentages as the bytes arrive (throttled)."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.last = stream, 0.0

    def update(self, name: str, done: int, total: int | None, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < 0.5:
            return
        self.last = now
        share = f"{100 * done // total:3d}% " if total else ""
        self.stream.write(f"  {name}: {share}{done / 1048576:.1f}"
                          + (f"/{total / 1048576:.1f}" if total else "") + " MiB\n")
        self.stream.flush()


def download(url: str, final: Path, progress: Progress, expected: str | None = None) -> None:
    """url -> final, through final.part, resuming what a previous attempt left there."""
    part = final.with_name(final.name + PART)
    final.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:               # the .part is already whole: check it below
            response = None
        else:
            raise Refused(f"{final.name}: the server answered {exc.code} {exc.reason} for {url}") from exc
    except urllib.error.URLError as exc:
        raise Refused(f"{final.name}: cannot reach {url}: {exc.reason}") from exc
    if response is not None:
        with response:
            resumed = have and response.status == 206
            if not resumed:
                have = 0                           # the server sent the whole file again
            length = response.headers.get("Content-Length")
            total = have + int(length) if length else None
            with open(part, "ab" if resumed else "wb") as out:
                done = have
                while block := response.read(CHUNK):
                    out.write(block)
                    done += len(block)
                    progress.update(final.name, done, total)
                out.flush()
                os.fsync(out.fileno())
            progress.update(final.name, done, total, final=True)
            if total is not None and done < total:
                raise Refused(f"{final.name}: the download stopped at {done} of {total} bytes "
                              f"(kept as {part.name}; run again to resume)")
    if expected is not None:
        actual = sha256_of(part)
        if actual != expected:
            part.unlink()
            raise Refused(f"TAMPERED {final.name}: its SHA-256 is {actual}, SHA256SUMS says {expected} "
                          "(deleted; not kept under its name)")
    os.replace(part, final)


def check_signature(sums: Path, signature: Path, keyring: Path, fingerprint: str | None) -> str:
    """gpgv over SHA256SUMS; returns the signing key's fingerprint. fingerprint: the one the
    key must have (needed when the keyring came from the same server as the signature)."""
    if shutil.which("gpgv") is None:
        raise Refused("gpgv is not installed: it checks the signature (apt-get install gpgv)")
    done = subprocess.run(["gpgv", "--status-fd", "1", "--keyring", str(keyring.resolve()),
                           str(signature), str(sums)], capture_output=True, text=True)
    valid = [ln.split() for ln in done.stdout.splitlines() if ln.startswith("[GNUPG:] VALIDSIG ")]
    if done.returncode != 0 or not valid:
        raise Refused(f"UNSIGNED {sums.name}: its signature {signature.name} does not verify with "
                      f"{keyring.name}: {done.stderr.strip().splitlines()[-1:] or ['no valid signature']}")
    signed_by = {valid[0][2].upper(), valid[0][-1].upper()}      # signing (sub)key, primary key
    if fingerprint and fingerprint.replace(" ", "").upper() not in signed_by:
        raise Refused(f"UNSIGNED {sums.name}: signed by {valid[0][-1]}, not by the expected key {fingerprint}")
    return valid[0][-1]


def parse_sums(text: str) -> dict[str, str]:
    """path -> sha256; a path that could leave the snapshot folder is refused."""
    listed = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        path = PurePosixPath(name)
        if len(digest) != 64 or not name or path.is_absolute() or ".." in path.parts:
            raise Refused(f"{SUMS}: line not understood or unsafe: {line!r}")
        listed[name] = digest
    return listed


def _keyring(args, folder: Path, fetch_key) -> Path:
    if args.keyring:
        return Path(args.keyring)
    if not args.fingerprint:
        raise Refused("give --keyring (the project's key, had by other means) or --fingerprint "
                      "(from the project's README): a key from the same server proves nothing alone")
    return fetch_key()


def fetch(args, progress: Progress) -> list[str]:
    base = args.source.rstrip("/")
    which = args.snapshot
    if which == "latest":
        index_url = f"{base}/{INDEX}"
        try:
            with urllib.request.urlopen(index_url, timeout=60) as response:
                which = json.load(response)["latest"]
        except (urllib.error.URLError, ValueError, KeyError) as exc:
            raise Refused(f"cannot read {index_url}: {exc}") from exc
        if not which:
            raise Refused(f"{index_url}: no snapshot has FINISHED yet, so there is no latest")
    url = f"{base}/snapshots/{which}"
    dest = Path(args.dest or which)
    print(f"snapshot {which} from {url} into {dest}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="fetch-snapshot-") as tmp:
        meta = Path(tmp)
        download(f"{url}/{SUMS}", meta / SUMS, progress)
        try:
            download(f"{url}/{SIGNATURE}", meta / SIGNATURE, progress)
        except Refused as exc:
            raise Refused(f"UNSIGNED {SUMS}: its signature cannot be had ({exc})") from exc

        def fetch_key():
            download(f"{url}/{KEY}", meta / KEY, progress)
            return meta / KEY
        signer = check_signature(meta / SUMS, meta / SIGNATURE, _keyring(args, dest, fetch_key), args.fingerprint)
        print(f"{SUMS}: good signature by {signer}", file=sys.stderr)
        listed = parse_sums((meta / SUMS).read_text())
        wanted = args.only or sorted(listed)
        refused = [f"UNSIGNED {name}: not listed in {SUMS}" for name in wanted if name not in listed]
        for name in (n for n in wanted if n in listed):
            target = dest / name
            if target.exists() and sha256_of(target) == listed[name]:
                continue                                  # already here and verified
            target.unlink(missing_ok=True)
            try:
                download(f"{url}/{name}", target, progress, listed[name])
            except Refused as exc:
                refused.append(str(exc))
        dest.mkdir(parents=True, exist_ok=True)
        for name in (SUMS, SIGNATURE):
            shutil.copy2(meta / name, dest / name)
    return refused


def verify(args) -> list[str]:
    folder = Path(args.verify)
    signer = check_signature(folder / SUMS, folder / SIGNATURE, _keyring(args, folder, lambda: folder / KEY),
                             args.fingerprint)
    print(f"{SUMS}: good signature by {signer}", file=sys.stderr)
    listed = parse_sums((folder / SUMS).read_text())
    refused = []
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.exists():
            refused.append(f"MISSING {name}")
        elif sha256_of(path) != digest:
            refused.append(f"TAMPERED {name}: its SHA-256 does not match {SUMS}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if name not in listed and name not in (SUMS, SIGNATURE) and not name.endswith(PART):
            refused.append(f"UNSIGNED {name}: not listed in {SUMS}")
    return refused


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fetch-snapshot.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snapshot", nargs="?", help="latest, or a snapshot id (YYYYMMDD.N-COMMIT)")
    parser.add_argument("--from", dest="source", help="the snapshot tree's URL (where index.html is)")
    parser.add_argument("--dest", help="where to put the snapshot (default: ./<id>)")
    parser.add_argument("--only", action="append", metavar="PATH", help="fetch only these files")
    parser.add_argument("--keyring", help="the project's public key (binary keyring)")
    parser.add_argument("--fingerprint", help="the fingerprint the signing key must have")
    parser.add_argument("--verify", metavar="DIR", help="verify a downloaded snapshot; no network")
    args = parser.parse_args(argv)
    if not args.verify and not (args.source and args.snapshot):
        parser.error("give --from URL and a snapshot (latest or an id), or --verify DIR")
    try:
        refused = verify(args) if args.verify else fetch(args, Progress())
    except Refused as exc:
        print(f"fetch-snapshot: REFUSED: {exc}", file=sys.stderr)
        return 1
    for line in refused:
        print(f"fetch-snapshot: REFUSED: {line}", file=sys.stderr)
    if refused:
        print(f"fetch-snapshot: {len(refused)} file(s) refused; nothing refused is kept under its name",
              file=sys.stderr)
        return 1
    print("fetch-snapshot: every file verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
