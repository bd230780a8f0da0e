"""The one install path shared by answer files and screens: preflight, then the task sequence."""
import logging

from . import hooks, preflight
from xenhost_common.tasks import Task, TaskSequence

from .tasks.context import TARGET, InstallContext
from .tasks.sequence import build_tasks
from .tasks.configure import save_logs
from .tasks.upgrade import save_log as save_upgrade_log
from .log import LOG_PATH

log = logging.getLogger(__name__)

SAVE_LOG_TASKS = (save_logs, save_upgrade_log)


def with_hooks(tasks, fetched):
    """The hook stages as tasks of their own (DESIGN.md, "Hooks"): installation-start before the first
    disk write, filesystem-populated once the target is complete but before the log is saved on it
    (so the hooks' output is in that log too)."""
    start = [Task("Running installation-start hooks",
                  lambda ctx: hooks.run_stage(fetched, "installation-start", ctx.commands), 2, ("env",))]
    populated = [Task("Running filesystem-populated hooks",
                      lambda ctx: hooks.run_stage(fetched, "filesystem-populated", ctx.commands, target=ctx.target),
                      2, ("env",))]
    at = next((i for i, t in enumerate(tasks) if t.run in SAVE_LOG_TASKS), len(tasks) - 1)
    return ((start if fetched.stage("installation-start") else []) + tasks[:at]
            + (populated if fetched.stage("filesystem-populated") else []) + tasks[at:])


def _complete_hooks(fetched, commands, status):
    if not fetched.stage("installation-complete"):
        return
    try:
        hooks.run_stage(fetched, "installation-complete", commands, status=status)
    except hooks.HookError as exc:
        if status == "success":
            raise
        log.error("installation-complete hook failed after the install had failed: %s", exc)


def install(plan, *, commands, probe, host, runner=None, target=TARGET, log_path=LOG_PATH, journal_dirs=()):
    """Raise InstallerError on any failure. Nothing is written to a disk unless preflight passed
    (the hook scripts are fetched as part of it: a missing one stops the install there)."""
    preflight.run(plan, probe, host)
    fetched = hooks.fetch_all(plan, commands)
    ctx = InstallContext(plan=plan, commands=commands, host=host, probe=probe, target=target, log_path=log_path,
                         journal_dirs=journal_dirs, hooks=fetched)
    try:
        (runner or TaskSequence()).run(with_hooks(build_tasks(plan), fetched), ctx)
    except BaseException:
        if ctx.root_mounted:            # keep the evidence on the target as well as in /tmp
            try:
                (save_logs if plan.mode == "install" else save_upgrade_log)(ctx)
            except Exception:
                log.exception("could not copy the log to the target")
        ctx.stack.close()
        _complete_hooks(fetched, commands, "failure")
        raise
    _complete_hooks(fetched, commands, "success")
    return ctx
