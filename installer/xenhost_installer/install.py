"""The one install path shared by answer files and screens: preflight, then the task sequence."""
import logging

from . import preflight
from .runner import TaskRunner
from .tasks import TARGET, InstallContext, build_tasks
from .tasks.configure import save_logs
from .tasks.upgrade import save_log as save_upgrade_log
from .log import LOG_PATH

log = logging.getLogger(__name__)


def install(plan, *, commands, probe, host, runner=None, target=TARGET, log_path=LOG_PATH):
    """Raise InstallerError on any failure. Nothing is written to a disk unless preflight passed."""
    preflight.run(plan, probe, host)
    ctx = InstallContext(plan=plan, commands=commands, host=host, probe=probe, target=target, log_path=log_path)
    try:
        (runner or TaskRunner()).run(build_tasks(plan), ctx)
    except BaseException:
        if ctx.root_mounted:            # keep the evidence on the target as well as in /tmp
            try:
                (save_logs if plan.mode == "install" else save_upgrade_log)(ctx)
            except Exception:
                log.exception("could not copy the log to the target")
        ctx.stack.close()
        raise
    return ctx
