"""The machine-wide locks the team's jobs share (flock files): one heavy build at a time, one
qemu VM at a time. Declared once for the nightly (publish/nightly.py), the benchmarks (ci/) and
anyone wrapping a command in `flock`."""
import contextlib
import fcntl
from pathlib import Path

BUILD_LOCK = Path("/tmp/xenhost-build.lock")
QEMU_LOCK = Path("/tmp/xenhost-qemu.lock")


@contextlib.contextmanager
def holding(lock: Path):
    """Hold lock for the block, waiting as long as it takes (flock has no queue order)."""
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield                               # closing the file releases the flock
