"""xenhost-firstboot: apply /etc/xenhost/firstboot.yaml once (see CONVENTIONS.md)."""
import argparse
import io
import os
import sys
import traceback

from xenhost_common.errors import XenhostError
from xenhost_common.names import FIRSTBOOT_DONE_MARKER
from xenhost_common.runner import Runner
from xenhost_common.tasks import TaskSequence

from . import steps
from .config import CONFIG_PATH, load_config
from .context import Context
from .files import read_text
from .marker import MARKER_PATH

PREFIX = "xenhost-firstboot:"
TRACEBACK_PATH = "/var/log/xenhost-firstboot.traceback"


def main(argv=None, *, runner=None, live=None, out=None, err=None, lease_wait=None):
    """Entry point. runner/live/out/err/lease_wait are injected by tests."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="xenhost-firstboot", description=__doc__)
    parser.add_argument("--root", default="/",
                        help="apply to the system under DIR (default /); "
                             "with a root other than / no live commands run")
    parser.add_argument("--stage", choices=[*steps.STAGES, "all"], default="all",
                        help="configure (early, before the network starts), finish (root "
                             "password, hooks, marker) or all (default: both, e.g. by hand)")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    if live is None:
        live = os.path.realpath(root) == "/"

    def say(text, stream=out):
        print(f"{PREFIX} {text}", file=stream, flush=True)  # flush: console ordering

    marker = read_text(os.path.join(root, MARKER_PATH.lstrip("/")))
    if marker is not None:
        say(f"already done ({marker.strip()}); remove {MARKER_PATH} to run again")
        return 0

    try:
        config = load_config(os.path.join(root, CONFIG_PATH.lstrip("/")))
        ctx = Context(config=config, root=root, runner=runner or Runner(), live=live,
                      say=say)
        if lease_wait is not None:
            ctx.lease_wait = lease_wait
        run_stage(ctx, args.stage)
    except XenhostError as e:
        say(f"FAILED: {e}", stream=err)
        return 1
    except Exception as e:  # noqa: BLE001 -- one clear message on the console, never a traceback
        saved = _save_traceback(root)
        say(f"FAILED: unexpected {type(e).__name__}: {e}\n  fix: this is a bug in xenhost-firstboot; "
            f"report it with {saved}", stream=err)
        return 1
    if args.stage in (steps.LAST_STAGE, "all"):     # "done" is the line before "login:"
        print(FIRSTBOOT_DONE_MARKER, file=out, flush=True)  # the e2e tier waits for this line
    return 0


def run_stage(ctx, stage):
    """Run one stage's tasks; each finished one prints "[n/7] name: what it did"."""
    def report(progress, _elapsed):
        name = progress.text
        ctx.say(f"[{steps.number_of(tasks[progress.number - 1])}/{len(steps.STEPS)}] {name}: "
                f"{ctx.details.get(name, '')}")
    tasks = steps.chosen(stage)
    # TaskSequence's own "[n/N] text ... done" lines are dropped: report() prints each step's result
    TaskSequence(out=io.StringIO(), on_task_done=report).run(tasks, ctx)


def _save_traceback(root):
    path = os.path.join(root, TRACEBACK_PATH.lstrip("/"))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(traceback.format_exc())
    except OSError:
        return "the output of `xenhost-firstboot` run by hand"
    return TRACEBACK_PATH
