"""The nightly pipeline: one commit, checked out clean, built, tested, then published.

Each step runs the checked-out commit's own code (its build.py, its tests) with this venv's
python, logs to out/logs/nightly-<step>.log in the checkout, and takes the machine's shared
lock while it needs it (builds: /tmp/xenhost-build.lock, qemu: /tmp/xenhost-qemu.lock). A
required step that fails ends the run (STATUS FAILED); a check that fails or is not run makes
it FINISHED_INCOMPLETE. The publisher then reads the checkout's out/ folder and never builds.
"""
import fcntl
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.locks import BUILD_LOCK, QEMU_LOCK
from .errors import PublishError
from .record import BuildRecord, Step

# Built twice from scratch and compared byte for byte (independent of what the cache holds,
# which older code may have built): our noarch packages, among them the two leaves whose rebuild
# used to change both images' keys (issue 13). Small builds from cached build roots (~2 min for
# all): not a heavy build, so the step takes no machine lock.
REPRODUCE_SAMPLE = ("xenhost-release", "xenhost-toolstack", "xenhost-common", "xenhost-installer",
                    "xenhost-firstboot")


@dataclass(frozen=True)
class NightlyStep:
    name: str
    argv: tuple            # run in the checkout; "{python}" is this interpreter
    lock: Path | None
    required: bool
    needs: str = ""        # a file the checkout must have, else the step is not run


STEPS = (
    NightlyStep("packages", ("{python}", "build.py", "packages"), BUILD_LOCK, True),
    NightlyStep("iso", ("{python}", "build.py", "iso", "--skip-packages"), BUILD_LOCK, True),
    NightlyStep("pxe", ("{python}", "build.py", "pxe"), BUILD_LOCK, False, needs="iso/pxe.py"),
    NightlyStep("fast-tests", ("{python}", "-m", "pytest", "-q"), None, False),
    NightlyStep("reproducible", ("{python}", "-m", "packages.reproduce", "--twice", "--json", "out/reproducible.json",
                                 *REPRODUCE_SAMPLE), None, False, needs="packages/reproduce.py"),
    NightlyStep("e2e", ("{python}", "-m", "pytest", "-q", "-m", "e2e", "tests/e2e/test_install.py"),
                QEMU_LOCK, False),
)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LockBusy(Exception):
    pass


class Locks:
    """The machine-wide lock the current step needs, kept across consecutive steps that need
    the same one: released between `packages` and `iso`, the lock would go to whichever other
    waiter wakes first (flock has no queue)."""

    def __init__(self, progress):
        self.progress = progress
        self.path: Path | None = None
        self.handle = None

    def switch(self, lock: Path | None, wait: float | None) -> None:
        """Hold lock (None: none), waiting at most `wait` seconds (None: as long as it takes)."""
        if lock == self.path:
            return
        self.release()
        if lock is None:
            return
        handle = open(lock, "a")
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (fcntl.LOCK_NB if wait is not None else 0))
                break
            except BlockingIOError:
                if time.monotonic() - started > wait:
                    handle.close()
                    raise LockBusy(f"{lock} was held by others for {wait:.0f} s") from None
                time.sleep(2)
        if time.monotonic() - started > 1:
            self.progress(f"  (waited {time.monotonic() - started:.0f} s for {lock})")
        self.path, self.handle = lock, handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()            # closing the file releases the flock
        self.path, self.handle = None, None


def checkout(repo_root: Path, commit: str, work: Path) -> Path:
    """A clean clone of one commit (shares the object store; nothing of the working tree)."""
    target = work / "checkout"
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(repo_root), str(target)],
                   check=True, capture_output=True)
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", "--detach", commit], check=True,
                   capture_output=True)
    return target


def resolve(repo_root: Path, revision: str) -> str:
    done = subprocess.run(["git", "-C", str(repo_root), "rev-parse", "--verify", f"{revision}^{{commit}}"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PublishError(f"no commit {revision!r} in {repo_root}", "give --commit a branch, tag or commit id")
    return done.stdout.strip()


def run_step(step: NightlyStep, tree: Path, locks: Locks, lock_wait: float | None = None) -> Step:
    if step.needs and not (tree / step.needs).exists():
        return Step(step.name, "absent", required=step.required, detail=f"this commit has no {step.needs}")
    log = tree / "out" / "logs" / f"nightly-{step.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable if a == "{python}" else a for a in step.argv]
    # A build step waits for its lock as long as it takes; a check can be given up on.
    wait = None if step.required else lock_wait
    try:
        locks.switch(step.lock, wait)
    except LockBusy as busy:
        return Step(step.name, "not-run", required=step.required, detail=str(busy))
    started = time.monotonic()
    with open(log, "w") as out:
        code = subprocess.call(argv, cwd=tree, stdout=out, stderr=subprocess.STDOUT)
    seconds = round(time.monotonic() - started, 1)
    if code == 0:
        return Step(step.name, "passed", seconds, step.required)
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
    return Step(step.name, "failed", seconds, step.required, f"exit {code}: {tail[0][:200]}")


def reproducible_summary(tree: Path, step: Step) -> dict:
    report = tree / "out" / "reproducible.json"
    if step.result in ("not-run", "absent") or not report.exists():
        return {"result": "not-checked", "detail": step.detail}
    packages = json.loads(report.read_text())
    same = all(p["reproducible"] for p in packages.values())
    return {"result": "yes" if same else "no", "packages": packages}


def run_nightly(repo_root: Path, revision: str, publisher, skip: set[str] = frozenset(),
                progress=print, keep_checkout: bool = False, config: BuildConfig | None = None,
                steps: tuple[NightlyStep, ...] = STEPS, lock_wait: float | None = None) -> Path:
    """lock_wait: seconds a check (not a build step) waits for its lock before it is recorded
    as not run."""
    config = config or BuildConfig()
    commit = resolve(repo_root, revision)
    record = BuildRecord(commit=commit, started=utc_now())
    work = Path(tempfile.mkdtemp(dir=config.cache("nightly"), prefix=f"{commit[:10]}-"))
    # mkdtemp makes it 0700; apt's unprivileged _apt user must read the checkout's file://
    # repository when kiwi installs from it (found by the first real nightly: Permission denied).
    work.chmod(0o755)
    locks = Locks(progress)
    try:
        tree = checkout(repo_root, commit, work)
        progress(f"nightly: commit {commit} checked out in {tree}")
        failed_required = ""
        for step in steps:
            if failed_required:
                result = Step(step.name, "not-run", required=step.required, detail=f"{failed_required} failed")
            elif step.name in skip:
                result = Step(step.name, "not-run", required=step.required, detail=f"--skip {step.name}")
            else:
                progress(f"nightly: {step.name} ...")
                result = run_step(step, tree, locks, lock_wait)
            progress(f"nightly: {step.name} {result.result} {result.seconds:.0f} s {result.detail}")
            record.steps.append(result)
            if step.required and result.result != "passed" and not failed_required:
                failed_required = step.name
            if step.name == "reproducible":
                record.reproducible = reproducible_summary(tree, result)
        locks.release()
        record.finished = utc_now()
        (tree / "out" / "nightly-record.json").write_text(record.to_json())
        return publisher.publish(tree / "out", record, repo_root)
    finally:
        locks.release()
        if not keep_checkout:
            shutil.rmtree(work, ignore_errors=True)
