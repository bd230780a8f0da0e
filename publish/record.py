"""What the nightly pipeline ran and how it went: the publisher's only input besides out/.

A step is required (a build step: without it there is nothing to publish) or a check (tests,
reproducibility). STATUS follows from the steps alone: FAILED names the first failed required
step; FINISHED_INCOMPLETE names every check that failed or did not run; else FINISHED.
"""
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import PublishError
from .layout import FAILED, FINISHED, INCOMPLETE

# absent: the commit has no such step (an older commit, or a deliverable not there yet); it is
# recorded but does not make the snapshot incomplete.
RESULTS = ("passed", "failed", "not-run", "absent")


@dataclass
class Step:
    name: str
    result: str                  # RESULTS
    seconds: float = 0.0
    required: bool = False
    detail: str = ""             # why it failed or did not run; counts for the checks


@dataclass
class BuildRecord:
    commit: str
    started: str = ""            # ISO 8601 UTC
    finished: str = ""
    steps: list[Step] = field(default_factory=list)
    reproducible: dict = field(default_factory=dict)   # {"result": yes|no|not-checked, "packages": {...}}

    @property
    def status(self) -> str:
        return self.status_line().split(":", 1)[0]

    def status_line(self) -> str:
        """STATUS's first line: the status and, unless FINISHED, what failed."""
        for step in self.steps:
            if step.required and step.result != "passed":
                return f"{FAILED}: step {step.name} {step.result}" + (f" ({step.detail})" if step.detail else "")
        short = [f"{s.name} {s.result}" + (f" ({s.detail})" if s.detail else "")
                 for s in self.steps if s.result not in ("passed", "absent")]
        return f"{INCOMPLETE}: " + "; ".join(short) if short else FINISHED

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> "BuildRecord":
        steps = [Step(**s) for s in data.get("steps", [])]
        for step in steps:
            if step.result not in RESULTS:
                raise PublishError(f"build record: step {step.name} has result {step.result!r}",
                                   f"use one of {', '.join(RESULTS)}")
        return cls(**{**data, "steps": steps})

    @classmethod
    def load(cls, path: Path) -> "BuildRecord":
        return cls.from_dict(json.loads(Path(path).read_text()))
