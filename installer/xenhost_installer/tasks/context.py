"""What every install task gets: the plan, the runner, the host facts and the target root."""
import contextlib
import os
from dataclasses import dataclass, field

from xenhost_common.files import write_atomic

from ..disks import DiskAccess
from ..log import LOG_PATH

TARGET = "/run/xenhost-installer/target"


@dataclass
class InstallContext:
    plan: object
    commands: object
    host: object
    probe: object = field(default_factory=DiskAccess)  # how partitions are reached (disks.DiskAccess)
    target: str = TARGET
    log_path: str = LOG_PATH
    journal_dirs: tuple = ()                        # the live system's journal, saved with the log
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)  # undoes mounts
    root_mounted: bool = False
    uuids: dict = field(default_factory=dict)      # role -> filesystem UUID
    hooks: object = None                            # hooks.FetchedHooks from preflight; None = no hooks

    def write(self, relpath, text, mode=0o644):
        """Write a file of the target root (atomically: a failed install never leaves half a file)."""
        path = self.path(relpath)
        write_atomic(path, text, mode)
        return path

    def path(self, *parts):
        """A path inside the target root."""
        return os.path.join(self.target, *[p.lstrip("/") for p in parts])

    def part(self, role):
        from ..layout import by_role
        return self.probe.partition(self.plan.disk_path, by_role(self.plan.layout, role).number)

    def scratch(self, name):
        """A directory beside the target for other mounts (old root, backup)."""
        return os.path.join(os.path.dirname(self.target), name)
