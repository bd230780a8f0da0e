"""What every step receives: the parsed config, the root, the runner."""
import os
from dataclasses import dataclass, field
from typing import Callable

from .config import FirstbootConfig


@dataclass
class Context:
    config: FirstbootConfig
    root: str            # "/" on a host; a temp dir in tests
    runner: object       # xenhost_common.runner.Runner, or testing.FakeRunner in tests
    # live: the root IS this running machine, so commands that change the
    # running system (hostname, systemctl, LVM on block devices) may run.
    # False with --root DIR, so pointing --root at an image never touches
    # the build machine.
    live: bool
    say: Callable = print       # one progress line, e.g. a hook's output
    lease_wait: float = 20.0    # seconds the finish stage waits for a DHCP lease before asking
    network_online: bool = False    # network-online.target reached (online.py): waited for once
    details: dict = field(default_factory=dict)    # step name -> the line it reported

    def path(self, absolute):
        """Map an absolute target path (/etc/...) under the root."""
        return os.path.join(self.root, absolute.lstrip("/"))
