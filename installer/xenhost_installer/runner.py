"""Runs a declared task sequence, printing `[ n/N] text ... done (Xs)` per task to the console.
Injectable: tests pass their own output stream and clock; the progress screen passes on_progress /
on_task_done callbacks (called from the thread running the tasks) and a stream that discards the lines."""
import logging
import sys
import time

log = logging.getLogger(__name__)


class TaskRunner:
    def __init__(self, out=None, clock=time.monotonic, on_progress=None, on_task_done=None):
        self.out = out if out is not None else sys.stdout
        self.clock = clock
        self.on_progress = on_progress      # called (n, total, text) before each task
        self.on_task_done = on_task_done    # called (n, total, text, elapsed) after each task that succeeded

    def _write(self, text):
        self.out.write(text)
        self.out.flush()

    def run(self, tasks, ctx):
        total = len(tasks)
        width = len(str(total))
        for n, task in enumerate(tasks, 1):
            if self.on_progress:
                self.on_progress(n, total, task.text)
            self._write("[%*d/%d] %s ... " % (width, n, total, task.text))
            log.info("task %d/%d: %s", n, total, task.text)
            start = self.clock()
            try:
                task.run(ctx)
            except BaseException:
                self._write("FAILED\n")
                log.exception("task %d/%d failed: %s", n, total, task.text)
                raise
            elapsed = self.clock() - start
            self._write("done (%.1fs)\n" % elapsed)
            log.info("task %d/%d done in %.1fs", n, total, elapsed)
            if self.on_task_done:
                self.on_task_done(n, total, task.text, elapsed)
