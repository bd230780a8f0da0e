#!/usr/bin/env python3
"""Print the nightly figures of a snapshot tree: each snapshot's step times, how long the
publish took, sizes; with --fetch, the time to download and verify `latest` from a loopback
HTTP server over the tree. Printed, never asserted.

  .venv/bin/python ci/nightly_figures.py DIR [--fetch]
"""
import argparse
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _seconds_between(start: str, end: str) -> float:
    def parse(stamp):
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    return (parse(end) - parse(start)).total_seconds()


def snapshot_figures(tree: Path) -> None:
    index = json.loads((tree / "index.json").read_text())
    for entry in index["snapshots"]:
        manifest = json.loads((tree / "snapshots" / entry["id"] / "manifest.json").read_text())
        build = manifest["build"]
        steps = ", ".join(f"{s['name']} {s['result']} {s['seconds']:.0f}" for s in build["steps"])
        print(f"{entry['id']}  {manifest['status_line']}")
        print(f"  steps (s): {steps}")
        print(f"  build total: {_seconds_between(build['started'], build['finished']):.0f} s; publish "
              f"(copy, hash, sign, index): {_seconds_between(build['finished'], manifest['published']):.0f} s")
        iso = entry["iso"]["size"] / 1048576 if entry["iso"] else 0
        print(f"  ISO {iso:.0f} MiB; snapshot {entry['total_size'] / 1048576:.0f} MiB; "
              f"reproducible: {entry['reproducible']}")


def fetch_figure(tree: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tree))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "fetch-snapshot", "latest", "--from",
                               f"http://127.0.0.1:{server.server_address[1]}", "--dest", tmp],
                              capture_output=True, text=True)
        print(f"fetch-snapshot latest over loopback, download + verify: {time.monotonic() - started:.1f} s "
              f"(exit {done.returncode}: {done.stderr.strip().splitlines()[-1]})")
    server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree")
    parser.add_argument("--fetch", action="store_true")
    args = parser.parse_args()
    snapshot_figures(Path(args.tree))
    if args.fetch:
        fetch_figure(Path(args.tree))
    return 0


if __name__ == "__main__":
    sys.exit(main())
