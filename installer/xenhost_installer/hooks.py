"""Hook scripts by stage (answer file `hooks`, XenServer `<script stage=...>`).

Every script is fetched in preflight (fetch_all), so a missing one stops the install before any disk
is written; each then runs at its stage (run_stage) through the command wrapper, with
XENHOST_STAGE, XENHOST_TARGET and XENHOST_STATUS in its environment and XenServer's arguments
(filesystem-populated: the target's mount point; installation-complete: 0 on success, 1 on failure).
A non-zero exit stops the install with HookError naming the hook and the stage. First-boot scripts
are copied into the target (install_firstboot_hooks) for xenhost-firstboot to run once.
Call points: installer/DESIGN.md, "Hooks"."""
import logging
import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass, field

from xenhost_common import names

from .answers.redact import redact_location
from .answers.source import fetch_bytes
from .errors import AnswerFileError, CommandFailed, ListedFailures

log = logging.getLogger(__name__)

HOOKS_DIR = "/run/xenhost-installer/hooks"     # the installer's RAM disk
FIRSTBOOT_DIR = names.FIRSTBOOT_HOOKS_DIR       # on the target (installer -> first boot contract)
FIRSTBOOT_STAGE = "first-boot"
# XenServer passes these as $1; xenhost keeps them so XenServer scripts run unchanged.
XENSERVER_ARGS = {"filesystem-populated": lambda target, status: [target],
                  "installation-complete": lambda target, status: ["0" if status == "success" else "1"]}


class HookError(ListedFailures):
    """A hook script could not be fetched or failed; failures lists each one (problem and fix)."""
    what = "hooks cannot run"


@dataclass
class Hook:
    stage: str
    location: str           # as given (may hold credentials: show `name`)
    path: str               # the fetched copy on the installer's RAM disk

    @property
    def name(self):
        return redact_location(self.location)


@dataclass
class FetchedHooks:
    by_stage: dict = field(default_factory=dict)    # stage -> [Hook], in the answer file's order

    def stage(self, stage):
        return self.by_stage.get(stage, [])


def _file_name(index, location):
    """NN-basename: keeps the answer file's order and a readable name; nothing a shell would trip on."""
    base = os.path.basename(urllib.parse.urlsplit(location).path) or "hook"
    return "%02d-%s" % (index, re.sub(r"[^A-Za-z0-9._-]", "_", base))


def fetch_all(plan, commands, workdir=None, fetch=fetch_bytes):
    """Fetch every hook of every stage to workdir (HOOKS_DIR); raise HookError listing every one that failed."""
    workdir = workdir or HOOKS_DIR
    fetched, failures = FetchedHooks(), []
    for stage, locations in plan.hooks.items():
        hooks = fetched.by_stage.setdefault(stage, [])
        for index, location in enumerate(locations, 1):
            path = os.path.join(workdir, stage, _file_name(index, location))
            try:
                data = fetch(location, attempts=3, commands=commands, what="%s hook" % stage)
            except AnswerFileError as exc:
                failures.append("%s; the install stops before any disk is written" % exc)
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, 0o700)
            hooks.append(Hook(stage, location, path))
            log.info("fetched %s hook %s (%d bytes)", stage, redact_location(location), len(data))
    if failures:
        raise HookError(failures)
    return fetched


def _argv(hook, target, status):
    with open(hook.path, "rb") as f:
        has_shebang = f.read(2) == b"#!"
    env = ["env", "XENHOST_STAGE=%s" % hook.stage, "XENHOST_TARGET=%s" % (target or ""),
           "XENHOST_STATUS=%s" % (status or "")]
    extra = XENSERVER_ARGS.get(hook.stage, lambda t, s: [])(target or "", status)
    return env + ([] if has_shebang else ["/bin/sh"]) + [hook.path] + extra


def run_stage(fetched, stage, commands, target=None, status=None):
    """Run the stage's hooks in order; the first non-zero exit raises HookError naming hook and stage.
    target: the mounted new root (filesystem-populated); status: success|failure (installation-complete)."""
    for hook in fetched.stage(stage):
        log.info("running %s hook %s", stage, hook.name)
        try:
            commands.run(_argv(hook, target, status))
        except CommandFailed as exc:
            tail = " / ".join((exc.stderr or "").strip().splitlines()[-3:])
            raise HookError(["%s hook %s failed (exit %s)%s; fix: correct the script (it ran with XENHOST_STAGE=%s) "
                             "or remove it from the answer file's hooks" % (stage, hook.name, exc.returncode,
                                                                            ": " + tail if tail else "", stage)])


def install_firstboot_hooks(fetched, target_root):
    """Copy the first-boot hooks into <target>/etc/xenhost/firstboot.d/; return their paths on the host
    (for firstboot.yaml's `hooks:` list), in order."""
    paths = []
    for hook in fetched.stage(FIRSTBOOT_STAGE):
        host_path = os.path.join(FIRSTBOOT_DIR, os.path.basename(hook.path))
        dest = os.path.join(target_root, host_path.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(hook.path, dest)
        os.chmod(dest, 0o700)
        paths.append(host_path)
    return paths
