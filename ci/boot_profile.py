#!/usr/bin/env python3
"""Where an installed host's first boot went, or the installer's boot before it, read from the
journals kept on the host's own disk (no VM is started). Printed, never asserted.

  .venv/bin/python ci/boot_profile.py DISK.qcow2 [--installer] [--boot N] [--top 25]

DISK is an installed host's disk after it booted, e.g. out/e2e/<test>/disk.qcow2 of the e2e tier.
dom0 keeps its journal on the logs partition (/var/log/journal, persistent): the partition is
copied out of a raw copy of the disk and the journal read with debugfs, so nothing is mounted and
the disk is not changed. --installer: the live installer's journal, which the installer keeps in
/var/log/installer/journal (tasks/configure.py save_journal). Prints, for boot N (0: the first, the one first boot ran in), every unit
from systemd's "Starting" to its "Started"/"Finished" by duration, and the milestones (systemd,
basic.target, each first-boot task, the login prompt) on dom0's monotonic clock.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "common"), str(REPO / "installer")]

from xenhost_installer.layout import LABELS  # noqa: E402

UNIT_STARTING = "7d4958e842da4a758f6c1cdc7b36dcc5"      # systemd's catalog: "Starting UNIT..."
UNIT_STARTED = "39f53479d3a045ac8e11786248231fbf"       # "Started/Finished UNIT" (job done)
STARTUP_FINISHED = "b07a249cd024414a82dd00cd181378ff"   # "Startup finished in ..."
MILESTONES = ("basic.target", "network-online.target", "multi-user.target")
# What systemd logged before journald ran reaches the journal from the kernel's log, as text only
STARTING_TEXT = re.compile(r"Starting (\S+\.\w+) - ")
DONE_TEXT = re.compile(r"(?:Started|Finished) (\S+\.\w+) - ")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def journal_dir(disk: Path, work: Path, folder: str = "journal", label: str = LABELS["logs"]) -> Path:
    """The journal folder (a path on the partition labelled `label`), copied into work."""
    raw = work / "disk.raw"
    run(["qemu-img", "convert", "-O", "raw", str(disk), str(raw)])
    table = json.loads(run(["sfdisk", "--json", str(raw)]).stdout)["partitiontable"]
    part = next((p for p in table["partitions"] if p.get("name") == label), None)
    if part is None:
        raise SystemExit(f"{disk}: no partition labelled {label}: is it a disk xenhost installed?")
    logs = work / "logs.img"
    run(["dd", f"if={raw}", f"of={logs}", "bs=512", f"skip={part['start']}", f"count={part['size']}",
         "conv=sparse", "status=none"])
    raw.unlink()
    run(["debugfs", "-R", f"rdump /{folder} {work}", str(logs)])
    copied = work / Path(folder).name
    if not any(copied.rglob("*.journal")):
        raise SystemExit(f"{disk}: no journal in /{folder} on {label}: did the host (or installer) write one?")
    return copied


def entries(journal: Path) -> list[dict]:
    out = run(["journalctl", "-D", str(journal), "-o", "json", "--no-pager"]).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def boots(all_entries: list[dict]) -> list[list[dict]]:
    """Entries per boot, in the order the boots happened."""
    order, per = [], {}
    for entry in all_entries:
        boot = entry.get("_BOOT_ID")
        if boot not in per:
            order.append(boot)
            per[boot] = []
        per[boot].append(entry)
    return [per[b] for b in order]


def seconds(entry: dict) -> float:
    """When it was logged: the kernel's own stamp for what came through its log (journald read
    that later), else when journald received it."""
    return int(entry.get("_SOURCE_MONOTONIC_TIMESTAMP", entry["__MONOTONIC_TIMESTAMP"])) / 1e6


def unit_spans(boot: list[dict]) -> dict[str, tuple[float, float]]:
    """unit -> (started at, done at) for every unit systemd logged both for."""
    starting, spans = {}, {}
    for entry in boot:
        kind, unit = job_event(entry)
        if kind == UNIT_STARTING:
            starting.setdefault(unit, seconds(entry))
        elif kind == UNIT_STARTED and unit in starting and unit not in spans:
            spans[unit] = (starting[unit], seconds(entry))
    return spans


def job_event(entry: dict) -> tuple[str | None, str | None]:
    """(UNIT_STARTING or UNIT_STARTED, unit) of a systemd job message, else (None, None)."""
    if entry.get("UNIT") and entry.get("MESSAGE_ID") in (UNIT_STARTING, UNIT_STARTED):
        return entry["MESSAGE_ID"], entry["UNIT"]
    if entry.get("SYSLOG_IDENTIFIER") != "systemd" or entry.get("MESSAGE_ID"):
        return None, None
    message = entry.get("MESSAGE", "")
    for kind, pattern in ((UNIT_STARTING, STARTING_TEXT), (UNIT_STARTED, DONE_TEXT)):
        match = pattern.match(message)
        if match:
            return kind, match.group(1)
    return None, None


def milestones(boot: list[dict]) -> list[tuple[float, str]]:
    marks = []
    for entry in boot:
        message, ident = entry.get("MESSAGE", ""), entry.get("SYSLOG_IDENTIFIER", "")
        if entry.get("MESSAGE_ID") == STARTUP_FINISHED:
            marks.append((seconds(entry), message))
        elif ident == "systemd" and message.startswith("systemd ") and "running in system mode" in message:
            marks.append((seconds(entry), "systemd starts in the root"))
        elif ident == "systemd" and any(message.startswith("Reached target %s" % t) for t in MILESTONES):
            marks.append((seconds(entry), message))
        elif ident in ("xenhost-firstboot", "xenhost-installer") or (ident == "login" and "session opened" in message):
            marks.append((seconds(entry), message))
    return marks


def report(boot: list[dict], top: int) -> str:
    spans = unit_spans(boot)
    lines = ["units, longest first (s: from 'Starting' to done; they overlap: 2 CPUs):"]
    for unit, (start, done) in sorted(spans.items(), key=lambda kv: kv[1][0] - kv[1][1])[:top]:
        lines.append(f"  {done - start:6.1f}  {start:6.1f} -> {done:6.1f}  {unit}")
    lines.append("milestones (s since the kernel started):")
    lines += [f"  {when:6.1f}  {what[:110]}" for when, what in milestones(boot)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("disk", type=Path)
    parser.add_argument("--installer", action="store_true", help="the installer's boot, not the host's")
    parser.add_argument("--boot", type=int, default=0, help="which boot, 0 = the first (default)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boot-profile-") as work:
        folder = "installer/journal" if args.installer else "journal"
        all_boots = boots(entries(journal_dir(args.disk, Path(work), folder)))
    if not -len(all_boots) <= args.boot < len(all_boots):
        raise SystemExit(f"{args.disk}: the journal has {len(all_boots)} boot(s); --boot {args.boot} is not one")
    print(f"{args.disk}: boot {args.boot} of {len(all_boots)}")
    print(report(all_boots[args.boot], args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
