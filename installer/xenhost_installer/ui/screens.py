"""The screens after the summary: checking (preflight), progress, then done or failed. Neither goes back (the install has
started); each has F1 help. The input screens are in start_, disk_, host_, time_screens.py and
summary_screen.py; their order is app.STEPS."""
import urwid

from xenhost_common.ui.widgets import Screen, button, item

FINISHED_SHOWN = 10         # finished steps listed on the progress screen (fits 80x24)


class CheckingScreen(Screen):
    """While preflight runs (it only reads): the summary comes back with any problem it finds."""
    TITLE = "Checking"
    HELP = ("Before anything is written the installer checks this machine: the disks chosen (not in use, "
            "writable), the network interface and the dom0 image. Nothing is written; a problem is shown "
            "on the summary with the screen to fix it on.")

    def __init__(self):
        super().__init__([], next_label=None,
                         intro="Checking the disks, the network interface and the dom0 image (read-only) ...")


class ProgressScreen(Screen):
    """ProgressBar + the current step + the last finished steps. Updated only from the UI thread
    (app.py posts the runner's callbacks there)."""
    TITLE = "Installing"
    HELP = ("xenhost is being installed; each step is also written to /tmp/xenhost-installer.log. "
            "Do not power off the machine until the installer says the installation is complete. "
            "If a step fails you get a screen with the reason and a shell; the machine is never "
            "rebooted into a half-written disk.")

    def __init__(self, disk_path, doing="Installing xenhost"):
        self.bar = urwid.ProgressBar("pg normal", "pg complete", 0, 1)
        self.current = urwid.Text("Checking the disk and this machine (preflight) ...")
        self.finished = []
        self.finished_text = urwid.Text("", wrap="clip")    # one row per step, however long its text
        self.total = 0
        self.current_step = None        # "[ n/N] text" of the step running now
        rows = [self.bar, urwid.Divider(), self.current, urwid.Divider(), urwid.Text("Finished steps:"),
                self.finished_text]
        super().__init__(rows, next_label=None, intro="%s on %s. Do not power off." % (doing, disk_path))

    def _label(self, n, total, text):
        return "[%*d/%d] %s" % (len(str(total)), n, total, text)

    def start_step(self, progress):
        """progress: xenhost_common.tasks.Progress; the bar follows the weights, not the task count."""
        self.total = progress.total
        self.bar.done = 1000
        self.bar.set_completion(round(progress.fraction * 1000))
        self.current_step = self._label(progress.number, progress.total, progress.text)
        self.current.set_text("Now: " + self.current_step + " ...")

    def step_done(self, progress, elapsed):
        self.total = progress.total
        self.bar.done = 1000
        self.bar.set_completion(round(progress.fraction * 1000))
        self.current_step = None
        self.finished.append("  %s  done (%.1fs)" % (self._label(progress.number, progress.total, progress.text),
                                                      elapsed))
        hidden = len(self.finished) - FINISHED_SHOWN
        lines = (["  ... %d more" % hidden] if hidden > 0 else []) + self.finished[-FINISHED_SHOWN:]
        self.finished_text.set_text("\n".join(lines))
        if progress.number == progress.total:
            self.current.set_text("All steps done.")


class DoneScreen(Screen):
    TITLE = "Installation complete"
    HELP = ("xenhost is installed. Reboot starts it from the disk (remove the installation medium, or make "
            "sure the firmware boots the disk first); the first boot sets up networking and storage. "
            "Power off stops the machine. Shell opens a root shell in the installer environment; "
            "the install log is %s.")
    CHOICES = (("Reboot", "reboot"), ("Power off", "poweroff"), ("Shell", "shell"))

    def __init__(self, on_choose, default="reboot", log_path="/tmp/xenhost-installer.log"):
        self.HELP = self.HELP % log_path
        values = [v for _l, v in self.CHOICES]
        rows = [item(label, on_choose, value) for label, value in self.CHOICES]
        super().__init__(rows, next_label=None, focus=values.index(default) if default in values else 0,
                         framed=True, intro="Installation complete. Remove the installation medium, then reboot.")


class FailedScreen(Screen):
    """A failure: the reason, the log path, Shell or Power off. Deliberately no Reboot."""
    TITLE = "Installation FAILED"
    HELP = ("The installation stopped at the step shown. The disk may be half written, so the installer "
            "does not offer to reboot into it. Shell gives a root shell to look at the log (%s) and "
            "retry with `xenhost-installer interactive`; Power off stops the machine.")
    CHOICES = (("Shell", "shell"), ("Power off", "poweroff"))

    def __init__(self, reason, log_path, on_choose, step=None):
        self.HELP = self.HELP % log_path
        rows = [urwid.Text(reason), urwid.Divider(),
                urwid.Text("The log is %s. The machine will not be rebooted." % log_path), urwid.Divider()]
        rows += [button(label, on_choose, value) for label, value in self.CHOICES]
        super().__init__(rows, next_label=None, focus=len(rows) - len(self.CHOICES),
                         intro=("Installation FAILED" + (" at step %s" % step if step else "") + ":"))
