"""One declared task sequence with weighted progress, for the installer and first boot.

A Task is a small step: its text, the function that does it, a weight (the share of the whole it
takes: extracting the dom0 image is not worth the same as writing /etc/fstab) and the programs it
runs (preflight checks them before anything is written). TaskSequence runs the list, printing
`[ n/N] text ... done (Xs)` per task and reporting progress as a fraction of the total weight.
Tests pass their own output stream and clock; the progress screens pass on_progress/on_task_done.
"""
import logging
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("xenhost.tasks")


@dataclass
class Task:
    text: str
    run: Callable                       # run(ctx)
    weight: float = 1.0                 # relative duration (seconds under TCG is a fine unit)
    programs: tuple = field(default=())  # programs run(ctx) may call: preflight checks them


@dataclass
class Progress:
    number: int      # 1-based number of the task now running (or just done)
    total: int
    text: str
    fraction: float  # share of the total weight done before this task (on_progress) or after it


def programs_of(tasks):
    """Every program a task list declares, in first-seen order."""
    seen = {}
    for task in tasks:
        for program in task.programs:
            seen.setdefault(program, task.text)
    return seen


class TaskSequence:
    def __init__(self, out=None, clock=time.monotonic, on_progress=None, on_task_done=None):
        self.out = out if out is not None else sys.stdout
        self.clock = clock
        self.on_progress = on_progress      # called with a Progress before each task
        self.on_task_done = on_task_done    # called with (Progress, elapsed) after each task that succeeded

    def _print(self, text):
        self.out.write(text)
        self.out.flush()

    def run(self, tasks, ctx):
        total = len(tasks)
        whole = sum(t.weight for t in tasks) or 1.0
        width = len(str(total))
        done = 0.0
        for n, task in enumerate(tasks, 1):
            if self.on_progress:
                self.on_progress(Progress(n, total, task.text, done / whole))
            self._print("[%*d/%d] %s ... " % (width, n, total, task.text))
            log.info("task %d/%d: %s", n, total, task.text)
            start = self.clock()
            try:
                task.run(ctx)
            except BaseException:
                self._print("FAILED\n")
                log.exception("task %d/%d failed: %s", n, total, task.text)
                raise
            elapsed = self.clock() - start
            done += task.weight
            self._print("done (%.1fs)\n" % elapsed)
            log.info("task %d/%d done in %.1fs", n, total, elapsed)
            if self.on_task_done:
                self.on_task_done(Progress(n, total, task.text, done / whole), elapsed)
