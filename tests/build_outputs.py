"""What this checkout's last build made, for the slow and e2e tiers: out/iso/build.json (written by
`./build.py iso`). A missing output is a test failure naming the command that makes it, never a
skip: a slow test that skips when its inputs were built proves nothing."""
import json
import os
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from buildlib.profiles import DEFAULT, kernel, out_dir

REPO = Path(__file__).resolve().parents[1]
# The build profile whose outputs the slow and e2e tiers test (XENHOST_PROFILE=full: out/full/,
# made by `./build.py iso --profile full`); the default profile's are in out/.
PROFILE = os.environ.get("XENHOST_PROFILE", DEFAULT)
OUT = out_dir(BuildConfig(), PROFILE)
KERNEL = kernel(BuildConfig(), PROFILE)        # the kernel package its images ship
BUILD_COMMAND = "./build.py iso" + ("" if PROFILE == DEFAULT else f" --profile {PROFILE}")
RECORD = OUT / "iso" / "build.json"


def built(name):
    """The path of a build output (iso, dom0_image, installer_packages, dom0_packages)."""
    if not RECORD.exists():
        pytest.fail(f"no {RECORD}: run `{BUILD_COMMAND}` first (ci/e2e.sh does)")
    path = json.loads(RECORD.read_text()).get(name)
    if not path or not os.path.exists(path):
        pytest.fail(f"the build output {name} ({path}) named by {RECORD} is gone "
                    f"(cache cleaned?): run `{BUILD_COMMAND}` again")
    return Path(path)


def require_root(what):
    if os.geteuid() != 0:
        pytest.fail(f"{what} needs root (loop devices, mounts): run the slow tier as root")
