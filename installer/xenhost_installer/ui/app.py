"""Screen flow: disk -> confirm erase -> root password -> progress -> done (or failed).

The input screens fill an answers dict that goes through the same validation and plan builder as an
answer file, so both paths install the same way. The install itself is the same install() and
TaskRunner as the unattended path, run on a worker thread: the runner's on_progress/on_task_done
callbacks are posted to the urwid main loop (watch_pipe), which updates the progress screen. The
done screen offers Reboot / Power off / Shell (default: atexit, i.e. reboot); the failed screen
offers only Shell / Power off. The chosen action is carried out by cli.py after the loop has
given the terminal back.

Headless (tests): InstallerUI with the default InlineDispatcher runs the install synchronously and
applies every update at once, so tests can press keys and render canvases without a terminal."""
import logging
import os
import queue
import signal
import threading

import urwid

from .. import answers as answersmod
from .. import plan as planmod
from ..errors import InstallerError
from ..log import LOG_PATH
from ..runner import TaskRunner
from .screens import ConfirmScreen, DiskScreen, DoneScreen, FailedScreen, PasswordScreen, ProgressScreen

log = logging.getLogger(__name__)

# (name, foreground, background, mono): the mono column is what a vt220 serial console shows.
PALETTE = [("focus", "black", "light gray", "standout"),
           ("header", "white,bold", "dark blue", "bold"),
           ("pg normal", "light gray", "dark gray", ""),
           ("pg complete", "black", "light gray", "standout"),
           ("error", "light red,bold", "default", "bold")]

HEADER = " xenhost installer   (arrows/Tab move, Enter selects, Esc back, F1 help)"


class _Discard:
    """The runner's console lines while the screens own the terminal (the log has them anyway)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


class InlineDispatcher:
    """No main loop: run the install now and apply each update immediately (tests, fallback)."""

    def start(self, fn):
        fn()

    def post(self, fn, *args):
        fn(*args)


class ThreadDispatcher:
    """Install on a worker thread; updates go through a queue and are applied on the urwid loop's
    thread when the pipe registered with loop.watch_pipe wakes it (urwid 2.1 and later)."""

    def __init__(self):
        self.queue = queue.Queue()
        self.fd = None
        self.thread = None

    def attach(self, loop):
        self.fd = loop.watch_pipe(self.drain)

    def start(self, fn):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C must not stop a half-done install
        self.thread = threading.Thread(target=fn, name="xenhost-install", daemon=True)
        self.thread.start()

    def post(self, fn, *args):
        self.queue.put((fn, args))
        try:
            os.write(self.fd, b"!")
        except OSError:                 # loop already gone; nothing left to update
            pass

    def drain(self, _data=b""):
        while True:
            try:
                fn, args = self.queue.get_nowait()
            except queue.Empty:
                return True             # keep the watch
            fn(*args)


def failure_reason(exc):
    if isinstance(exc, InstallerError):
        return str(exc)
    return "internal error: %s: %s (see %s)" % (type(exc).__name__, exc, LOG_PATH)


class InstallerUI:
    """phase: input -> installing -> done | failed. After on_finished(): plan, and with an install_fn
    also choice ("reboot"/"poweroff"/"shell") and error (the failure reason, or None)."""

    def __init__(self, disks, boot_media, image=planmod.DEFAULT_IMAGE, on_finished=None, *, install_fn=None,
                 dispatcher=None, atexit_default="reboot", log_path=LOG_PATH):
        self.disks, self.boot_media, self.image = disks, boot_media, image
        self.on_finished = on_finished or self._exit_loop
        self.install_fn = install_fn        # install_fn(plan, runner); raises on failure
        self.dispatcher = dispatcher or InlineDispatcher()
        self.atexit_default, self.log_path = atexit_default, log_path
        self.phase = "input"
        self.disk = None
        self.plan = None
        self.progress = None
        self.choice = None
        self.error = None
        self.frame = urwid.Frame(urwid.SolidFill(" "), header=urwid.AttrMap(urwid.Text(HEADER), "header"))
        self.show_disks()

    @property
    def screen(self):
        return self.frame.body

    # input screens
    def show_disks(self):
        self.frame.body = DiskScreen(self.disks, self.boot_media, self.choose_disk)

    def choose_disk(self, disk):
        self.disk = disk
        self.frame.body = ConfirmScreen(disk, self.confirmed, self.show_disks)

    def confirmed(self):
        self.frame.body = PasswordScreen(self.password_done, lambda: self.choose_disk(self.disk))

    def password_done(self, password):
        data = {"version": 1, "disk": {"primary": self.disk.path}, "root-password": {"plaintext": password},
                "network": {"interface": "auto", "mode": "dhcp"}, "atexit": self.atexit_default}
        answersmod.validate(data, "screens")
        self.plan = planmod.from_answers(data, image=self.image)
        if self.install_fn is None:
            self.on_finished()
        else:
            self.start_install()

    # install
    def start_install(self):
        self.phase = "installing"
        self.progress = ProgressScreen(self.plan.disk_path)
        self.frame.body = self.progress
        self.dispatcher.start(self._work)

    def _work(self):
        """Runs on the worker thread (inline in tests): never touches widgets directly."""
        post, progress = self.dispatcher.post, self.progress
        runner = TaskRunner(out=_Discard(),
                            on_progress=lambda *a: post(progress.start_step, *a),
                            on_task_done=lambda *a: post(progress.step_done, *a))
        try:
            self.install_fn(self.plan, runner)
        except BaseException as exc:    # anything, so the screen never hangs on "installing"
            if isinstance(exc, InstallerError):
                log.error("installation failed: %s", exc)
            else:
                log.exception("internal error")
            post(self.failed, failure_reason(exc))
        else:
            post(self.succeeded)

    def succeeded(self):
        self.phase = "done"
        self.frame.body = DoneScreen(self.choose, default=self.plan.atexit, log_path=self.log_path)

    def failed(self, reason):
        self.phase, self.error = "failed", reason
        step = self.progress.current_step if self.progress else None
        self.frame.body = FailedScreen(reason, self.log_path, self.choose, step=step)

    def choose(self, action):
        self.choice = action
        self.on_finished()

    @staticmethod
    def _exit_loop():
        raise urwid.ExitMainLoop()


def _main_loop(ui, dispatcher=None):
    def unhandled(key):
        if key == "f10" and ui.phase == "input":      # quitting mid-install would leave a half-written disk
            raise urwid.ExitMainLoop()
    loop = urwid.MainLoop(ui.frame, PALETTE, unhandled_input=unhandled)
    if dispatcher:
        dispatcher.attach(loop)
    return loop


def run_screens(probe, image=planmod.DEFAULT_IMAGE):
    """Only the input screens: return an InstallPlan, or None if the user quit (F10/Ctrl-C)."""
    ui = InstallerUI(probe.list_disks(), probe.boot_media(), image)
    try:
        _main_loop(ui).run()
    except KeyboardInterrupt:
        return None
    return ui.plan


def run_interactive(probe, install_fn, image=planmod.DEFAULT_IMAGE, atexit_default="reboot", log_path=LOG_PATH):
    """The whole interactive install on the terminal. Returns the finished InstallerUI (phase "done" or
    "failed", with choice and error), or None if the user quit before the install started."""
    dispatcher = ThreadDispatcher()
    ui = InstallerUI(probe.list_disks(), probe.boot_media(), image, install_fn=install_fn,
                     dispatcher=dispatcher, atexit_default=atexit_default, log_path=log_path)
    loop = _main_loop(ui, dispatcher)
    old_sigint = signal.getsignal(signal.SIGINT)
    try:
        while True:
            try:
                loop.run()
                break
            except KeyboardInterrupt:
                if ui.phase == "input":
                    return None
                # a Ctrl-C that slipped through after the install started: the worker keeps
                # going, so show the screens again rather than abandon it
    finally:
        signal.signal(signal.SIGINT, old_sigint)
    if ui.phase == "input" or ui.choice is None:
        return None
    return ui
