"""The interactive install as a declared list of steps, and the state they fill: the answers dict.

Each Step names the interactive-sections it answers (answer file `interactive-sections`), the modes
it applies to, and the answer keys it writes. A step is shown when one of its sections is asked
(missing from the given answers, or listed in interactive-sections), or always when it has none
(welcome, confirm, summary). Back returns along the path actually taken."""
import copy
import logging
import os
from dataclasses import dataclass, field

from ..answers.declared import default, interactive_sections
from . import checks

log = logging.getLogger(__name__)

ALL_MODES = ("install", "upgrade", "restore")
INSTALL = ("install",)


@dataclass
class Context:
    """What the screens show: facts about this machine, read once before the screens start."""
    disks: list                                     # disks.Disk
    boot_media: set = field(default_factory=set)    # disk paths the installer booted from
    existing: list = field(default_factory=list)    # ExistingInstall (disk, version, hostname, backup_version)
    nics: list = field(default_factory=list)        # host.Nic
    keymaps: dict = field(default_factory=dict)     # name -> catalog.Keymap, in display order
    zones: dict = field(default_factory=dict)       # region -> [city], see time_screens.zones_by_region
    commands: object = None                         # runs loadkeys; None in tests
    keymap_default: str = None                      # keymap= from the kernel command line
    network_device: str = None                      # network_device= from the kernel command line

    def disk(self, path):
        """The Disk at path (a by-id link too), or None when this machine has no such disk."""
        for candidate in (path, os.path.realpath(path)):
            found = next((d for d in self.disks if d.path == candidate), None)
            if found:
                return found
        return None


def _given(answers, section):
    """Is section answered in answers? (disk: the primary disk is what makes it answered)"""
    if section == "disk":
        return bool((answers.get("disk") or {}).get("primary"))
    return ("ntp-servers" if section == "ntp" else section) in answers


def sections_to_ask(answers):
    listed = set(answers.get("interactive-sections") or [])
    return {s for s in interactive_sections() if s in listed or not _given(answers, s)}


@dataclass(frozen=True)
class Step:
    name: str
    screen: type                    # Screen class, called as screen(flow, done, back)
    sections: tuple = ()            # () = always shown
    modes: tuple = ALL_MODES
    writes: tuple = ()              # answer keys ("a" or "a.b") this step sets
    when: object = None             # extra condition: when(flow) -> bool


def _drop(answers, key):
    head, _sep, tail = key.partition(".")
    if not tail:
        answers.pop(head, None)
    elif isinstance(answers.get(head), dict):
        answers[head].pop(tail, None)


class Flow:
    def __init__(self, steps, context, answers=None, atexit_default=None):
        self.steps, self.context = steps, context
        self.given = copy.deepcopy(answers or {})
        self.answers = copy.deepcopy(self.given)
        self.answers["version"] = 1
        self.answers.setdefault("atexit", atexit_default or default("atexit"))
        self.asked = sections_to_ask(self.given)
        self.state = {}                 # screen-only choices that are not answers (time zone region)
        self.path = []                  # indices of the steps shown, for Back

    @property
    def mode(self):
        return self.answers.get("mode", "install")

    def shown(self, step):
        if self.mode not in step.modes:
            return False
        if step.sections and not self.asked.intersection(step.sections):
            return False
        return step.when is None or step.when(self)

    def current(self):
        return self.steps[self.path[-1]] if self.path else None

    def start(self):
        self.path = []
        return self.forward()

    def forward(self):
        """The next step to show, or None at the end."""
        after = self.path[-1] + 1 if self.path else 0
        for i in range(after, len(self.steps)):
            if self.shown(self.steps[i]):
                self.path.append(i)
                log.info("screen: %s", self.steps[i].name)
                return self.steps[i]
        return None

    def back(self):
        """The previous step shown, or the current one on the first screen."""
        if len(self.path) > 1:
            self.path.pop()
        return self.current()

    def reopen(self, sections):
        """Ask sections again (preflight refused what they hold): their screens join the path
        behind the current step, so Back reaches them even when the given answers had them."""
        self.asked |= set(sections)
        here = self.path[-1]
        self.path = [i for i in range(here) if self.shown(self.steps[i])] + [here]

    def problems(self, update):
        """What is wrong with update (answer keys -> values), by the answer file's rules (checks.py)."""
        return checks.problems(self.answers, update)

    def final_answers(self):
        """The answers to validate and install from: keys of steps that do not apply to the chosen
        mode dropped (upgrade and restore keep the host's own), interactive-sections answered."""
        out = copy.deepcopy(self.answers)
        for step in self.steps:
            if self.mode not in step.modes:
                for key in step.writes:
                    _drop(out, key)
        if isinstance(out.get("disk"), dict) and not out["disk"].get("guest", True):
            out["disk"].pop("guest")
        for key in [k for k, v in out.items() if v == {}]:
            del out[key]                # a section all of whose keys were dropped
        out.pop("interactive-sections", None)
        return out
