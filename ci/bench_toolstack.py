#!/usr/bin/env python3
"""Print the toolstack's figures: `xe vm-list` latency with N VMs in the database (default 200),
and the phases the toolstack e2e recorded (vm-start -> guest banner, on the installed host).

vm-list is measured two ways, printed side by side (never asserted):
  in-process  main() with the shared FakeRunner answering `xl list -v` (all N VMs running, so the
              resync compares N domains): the toolstack's own cost.
  process     `xe vm-list` as a new python3 process, with a stand-in `xl` on PATH (a shell script
              printing the same listing): what a user's script pays per call, startup included.
There is no Xen on the build host; on the installed host `xl list -v` adds its own time
(the e2e prints `xe vm-list` there too).

  .venv/bin/python ci/bench_toolstack.py [--vms 200] [--runs 15]
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "common"), str(REPO / "toolstack")]

from xenhost_common.testing import FakeRunner  # noqa: E402
from xenhost_toolstack.cli import main  # noqa: E402
from xenhost_toolstack.context import Context  # noqa: E402


def populate(root, count):
    ctx = Context(FakeRunner({("hostname",): "bench\n"}), root)
    with ctx.db.write():
        uuids = [ctx.db.insert("vm", {"name-label": f"vm{n:03d}", "power-state": "running", "dom-id": n + 1})["uuid"]
                 for n in range(count)]
    ctx.close()
    rows = ["Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID",
            "Domain-0                                     0  2048     2     r-----      12.0 "
            "00000000-0000-0000-0000-000000000000"]
    rows += [f"vm{n:03d}{'':<35} {n + 1:5d}   128     1     -b----       0.1 {u}" for n, u in enumerate(uuids)]
    return "\n".join(rows) + "\n"


def in_process(root, listing, runs):
    runner = FakeRunner({("xl", "list", "-v"): listing, ("hostname",): "bench\n"})
    times = []
    for _ in range(runs):
        out = io.StringIO()
        started = time.perf_counter()
        assert main(["vm-list"], runner=runner, root=root, out=out, err=io.StringIO()) == 0
        times.append(time.perf_counter() - started)
    return times, out.getvalue().count("power-state")


def as_process(root, listing, runs):
    bindir = Path(root) / "fakebin"
    bindir.mkdir(exist_ok=True)
    (bindir / "listing.txt").write_text(listing)
    (bindir / "xl").write_text(f"#!/bin/sh\ncat {bindir / 'listing.txt'}\n")
    (bindir / "xl").chmod(0o755)
    code = ("import sys; sys.path[:0] = [{c!r}, {t!r}]; from xenhost_toolstack.cli import main; "
            "sys.exit(main(['vm-list'], root={r!r}))").format(c=str(REPO / "common"), t=str(REPO / "toolstack"), r=root)
    env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def e2e_phases():
    found = sorted((REPO / "out" / "e2e").glob("*/toolstack-phases.json"))
    return json.loads(found[-1].read_text()) if found else None


def main_():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        listing = populate(root, args.vms)
        inproc, listed = in_process(root, listing, args.runs)
        proc = as_process(root, listing, args.runs)
    print(f"xe vm-list with {args.vms} VMs in the database ({listed} records printed, {args.runs} runs, "
          f"load average {os.getloadavg()[0]:.1f}):")
    print(f"  in-process: median {statistics.median(inproc) * 1000:7.1f} ms   min {min(inproc) * 1000:7.1f} ms")
    print(f"  process:    median {statistics.median(proc) * 1000:7.1f} ms   min {min(proc) * 1000:7.1f} ms")
    phases = e2e_phases()
    if phases:
        print("toolstack e2e phases on the installed host (s):")
        for name, seconds in phases.items():
            print(f"  {name:<40} {seconds:8.1f}")
    else:
        print("toolstack e2e phases: none recorded yet (run: .venv/bin/python -m pytest -m e2e "
              "tests/e2e/test_toolstack.py)")


if __name__ == "__main__":
    main_()
