"""urwid screens for the interactive install. Plain widgets, no terminal access, so tests drive
them headless with widget.keypress(size, key). Works on serial consoles (TERM=vt220, 80x24): ASCII
text, few colours, every attribute has a mono fallback (app.PALETTE).

Every screen: F1 shows a short help paragraph (F1/Esc/Enter returns); Esc goes back where there is
somewhere to go back to (input screens only; never from progress, done or failed)."""
import urwid

from ..layout import MIN_DISK_BYTES

GiB = 1024 ** 3
FINISHED_SHOWN = 12         # finished steps listed on the progress screen (fits 80x24)


def _button(label, callback, *user_args):
    b = urwid.Button(label)
    urwid.connect_signal(b, "click", lambda _b: callback(*user_args))
    return urwid.AttrMap(b, None, focus_map="focus")


def _box(title, widgets):
    body = urwid.ListBox(urwid.SimpleFocusListWalker(widgets))
    return urwid.LineBox(urwid.Padding(body, left=1, right=1), title=title)


def disk_label(disk):
    return "%-14s %8.1f GiB  %s" % (disk.path, disk.size / GiB, disk.model or "")


class Screen(urwid.WidgetWrap):
    """A titled box of rows with F1 help and optional Esc-back."""
    TITLE = ""
    HELP = ""

    def __init__(self, rows, on_back=None, focus=None):
        self.on_back = on_back
        self.walker = urwid.SimpleFocusListWalker(rows)
        if focus is not None:
            self.walker.set_focus(focus)
        body = urwid.ListBox(self.walker)
        self._main = urwid.LineBox(urwid.Padding(body, left=1, right=1), title=self.TITLE)
        back = "  Esc goes back to the previous screen." if on_back else ""
        self._help = _box("Help: " + self.TITLE, [urwid.Text(self.HELP.strip() + back), urwid.Divider(),
                                                  urwid.Text("Press F1, Esc or Enter to return.")])
        self.showing_help = False
        super().__init__(self._main)

    def selectable(self):
        return True                     # so F1/Esc reach screens without buttons (progress)

    def show_help(self, on=True):
        self.showing_help = on
        self._w = self._help if on else self._main

    def keypress(self, size, key):
        if self.showing_help:
            if key in ("f1", "esc", "enter"):
                self.show_help(False)
            return None                 # help is modal: nothing else reaches the screen below
        key = {"tab": "down", "shift tab": "up"}.get(key, key)
        key = self._w.keypress(size, key)
        if key == "f1":
            self.show_help(True)
            return None
        if key == "esc" and self.on_back:
            self.on_back()
            return None
        return key


class DiskScreen(Screen):
    """Choose the primary disk; the boot medium and too-small disks are shown but not selectable."""
    TITLE = "Primary disk"
    HELP = ("xenhost is installed on one whole disk: it is repartitioned (boot, root, backup root, logs, "
            "swap) and the rest becomes the local storage repository for VM disks. Disks smaller than "
            "%.0f GiB and the installation medium cannot be chosen. Use the arrow keys to pick a disk "
            "and Enter to select it; you confirm before anything is written." % (MIN_DISK_BYTES / GiB))

    def __init__(self, disks, boot_media, on_choose):
        rows = [urwid.Text("Choose the disk to install xenhost on. ALL data on it will be erased."), urwid.Divider()]
        self.selectable_paths = []
        for disk in disks:
            if disk.path in boot_media:
                rows.append(urwid.Text("  " + disk_label(disk) + "  (installer medium)"))
            elif disk.size < MIN_DISK_BYTES:
                rows.append(urwid.Text("  " + disk_label(disk) + "  (too small, need %.0f GiB)" % (MIN_DISK_BYTES / GiB)))
            else:
                rows.append(_button(disk_label(disk), on_choose, disk))
                self.selectable_paths.append(disk.path)
        if not self.selectable_paths:
            rows += [urwid.Divider(), urwid.Text("No usable disk found: attach a disk of at least %.0f GiB."
                                                 % (MIN_DISK_BYTES / GiB))]
        super().__init__(rows)


class ConfirmScreen(Screen):
    TITLE = "Confirm"
    HELP = ("Last chance to change your mind: \"Erase disk and install\" wipes every partition and "
            "filesystem signature on the disk shown, then installs xenhost. Nothing has been written yet. "
            "\"Back\" returns to the disk list.")

    def __init__(self, disk, on_yes, on_back):
        rows = [urwid.Text("All data on %s will be ERASED:" % disk.path), urwid.Text("  " + disk_label(disk)),
                urwid.Divider(), _button("Back", on_back), _button("Erase disk and install", on_yes)]
        super().__init__(rows, on_back=on_back)


class PasswordScreen(Screen):
    """Root password, typed twice; on_done(password) only when both match and are non-empty."""
    TITLE = "Root password"
    HELP = ("The password of the root account of the installed host, used on the console and over SSH. "
            "Type it twice; it is not shown while you type and it is stored only as a SHA-512 hash "
            "(the installer log and the saved answers have it redacted). Up/Down or Tab move between fields.")

    def __init__(self, on_done, on_back):
        self.on_done = on_done
        self.first = urwid.Edit("Root password:  ", mask="*")
        self.second = urwid.Edit("Again:          ", mask="*")
        self.error = urwid.Text("")
        rows = [self.first, self.second, urwid.Divider(), self.error,
                _button("OK", self.submit), _button("Back", on_back)]
        super().__init__(rows, on_back=on_back)

    def clear(self):
        self.first.set_edit_text("")
        self.second.set_edit_text("")

    def submit(self):
        a, b = self.first.get_edit_text(), self.second.get_edit_text()
        if not a:
            self.error.set_text("The password must not be empty.")
        elif a != b:
            self.error.set_text("The passwords differ; type them again.")
            self.clear()
            self.walker.set_focus(0)
        else:
            self.clear()                # do not keep the plaintext in widgets once handed over
            self.on_done(a)


class ProgressScreen(Screen):
    """ProgressBar + the current step + the last finished steps. Updated only from the UI thread
    (app.py posts the runner's callbacks there)."""
    TITLE = "Installing"
    HELP = ("xenhost is being installed; each step is also written to /tmp/xenhost-installer.log. "
            "Do not power off the machine until the installer says the installation is complete. "
            "If a step fails you get a screen with the reason and a shell; the machine is never "
            "rebooted into a half-written disk.")

    def __init__(self, disk_path):
        self.bar = urwid.ProgressBar("pg normal", "pg complete", 0, 1)
        self.current = urwid.Text("Checking the disk and this machine (preflight) ...")
        self.finished = []
        self.finished_text = urwid.Text("", wrap="clip")    # one row per step, however long its text
        self.total = 0
        self.current_step = None        # "[ n/N] text" of the step running now
        rows = [urwid.Text("Installing xenhost on %s. Do not power off." % disk_path), urwid.Divider(),
                self.bar, urwid.Divider(), self.current, urwid.Divider(), urwid.Text("Finished steps:"),
                self.finished_text]
        super().__init__(rows)

    def _label(self, n, total, text):
        return "[%*d/%d] %s" % (len(str(total)), n, total, text)

    def start_step(self, n, total, text):
        self.total = total
        self.bar.done = total
        self.bar.set_completion(n - 1)
        self.current_step = self._label(n, total, text)
        self.current.set_text("Now: " + self.current_step + " ...")

    def step_done(self, n, total, text, elapsed):
        self.total = total
        self.bar.done = total
        self.bar.set_completion(n)
        self.current_step = None
        self.finished.append("  %s  done (%.1fs)" % (self._label(n, total, text), elapsed))
        hidden = len(self.finished) - FINISHED_SHOWN
        lines = (["  ... %d more" % hidden] if hidden > 0 else []) + self.finished[-FINISHED_SHOWN:]
        self.finished_text.set_text("\n".join(lines))
        if n == total:
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
        rows = [urwid.Text("Installation complete."), urwid.Text("Remove the installation medium, then reboot."),
                urwid.Divider()]
        first = len(rows)
        values = [v for _l, v in self.CHOICES]
        rows += [_button(label, on_choose, value) for label, value in self.CHOICES]
        super().__init__(rows, focus=first + (values.index(default) if default in values else 0))


class FailedScreen(Screen):
    """A failure: the reason, the log path, Shell or Power off. Deliberately no Reboot."""
    TITLE = "Installation FAILED"
    HELP = ("The installation stopped at the step shown. The disk may be half written, so the installer "
            "does not offer to reboot into it. Shell gives a root shell to look at the log (%s) and "
            "retry with `xenhost-installer interactive`; Power off stops the machine.")
    CHOICES = (("Shell", "shell"), ("Power off", "poweroff"))

    def __init__(self, reason, log_path, on_choose, step=None):
        self.HELP = self.HELP % log_path
        rows = [urwid.AttrMap(urwid.Text("Installation FAILED" + (" at step %s" % step if step else "") + ":"),
                              "error"),
                urwid.Text(reason), urwid.Divider(),
                urwid.Text("The log is %s. The machine will not be rebooted." % log_path), urwid.Divider()]
        rows += [_button(label, on_choose, value) for label, value in self.CHOICES]
        super().__init__(rows, focus=len(rows) - len(self.CHOICES))
