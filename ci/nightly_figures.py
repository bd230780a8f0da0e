#!/usr/bin/env python3
"""Print the nightly figures of a snapshot tree: each snapshot's step times, how long the
publish took, sizes; with --fetch, the time to download and verify `latest` from a loopback
HTTP server over the tree; with --screenshot PNG, index.html as headless Chromium renders it from
that server (and whether the newest snapshot's id is on the rendered page). Printed, never asserted.

  .venv/bin/python ci/nightly_figures.py DIR [--fetch] [--screenshot PNG]
"""
import contextlib
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


@contextlib.contextmanager
def served(tree: Path):
    """The tree over a loopback HTTP server, as a web server would publish it; yields its URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tree)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def fetch_figure(url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "fetch-snapshot", "latest", "--from",
                               url, "--dest", tmp], capture_output=True, text=True)
        print(f"fetch-snapshot latest over loopback, download + verify: {time.monotonic() - started:.1f} s "
              f"(exit {done.returncode}: {done.stderr.strip().splitlines()[-1]})")


# --no-sandbox: Chromium's sandbox refuses to run as root (CI runs as root).
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]


def screenshot(tree: Path, url: str, png: Path) -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    page = f"{url}/index.html"
    subprocess.run([*CHROMIUM, "--window-size=1280,900", f"--screenshot={png}", page],
                   check=True, capture_output=True, timeout=120)
    dom = subprocess.run([*CHROMIUM, "--dump-dom", page], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    newest = json.loads((tree / "index.json").read_text())["snapshots"][0]["id"]
    print(f"index.html in headless Chromium: {png} ({png.stat().st_size} bytes); newest snapshot {newest} "
          f"{'is' if newest in dom else 'is NOT'} on the rendered page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree")
    parser.add_argument("--fetch", action="store_true")
    parser.add_argument("--screenshot", type=Path, metavar="PNG")
    args = parser.parse_args()
    tree = Path(args.tree)
    snapshot_figures(tree)
    with served(tree) as url:
        if args.fetch:
            fetch_figure(url)
        if args.screenshot:
            screenshot(tree, url, args.screenshot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
