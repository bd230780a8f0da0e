"""The interactive installer: the declared screens (steps.STEPS) fill an answers dict, which goes
through the same validation and plan builder as an answer file, so both paths install the same way.
An answer file's partial answers can be the start (interactive-sections): only the sections missing
or listed are asked, the rest keep the file's values.

Accepting the summary runs preflight (read-only) first: a refusal (a disk with mounted filesystems,
a read-only disk, ...) is shown on the summary with the screens that fix it (refusals.py), so no
answer is lost. The install itself is the same install() and TaskSequence as the unattended path
(which runs preflight again, with the hook scripts), on a worker thread: the runner's
on_progress/on_task_done callbacks are posted to the urwid main loop (watch_pipe), which updates
the progress screen. The done screen offers Reboot / Power off / Shell
(default: atexit); the failed screen only Shell / Power off. cli.py carries out the choice once the
loop has given the terminal back.

Headless (tests): InstallerUI with the default InlineDispatcher runs the install synchronously and
applies every update at once, so tests can press keys and render canvases without a terminal."""
import logging
import os
import queue
import signal
import threading

import urwid
from xenhost_common.ui import terminal

from .. import answers as answersmod
from .. import plan as planmod
from .. import preflight
from ..answers import catalog
from ..errors import AnswerFileError, PreflightError, XenhostError
from ..log import LOG_PATH
from xenhost_common.tasks import TaskSequence
from . import refusals
from .flow import Context, Flow
from .screens import CheckingScreen, DoneScreen, FailedScreen, ProgressScreen
from .steps import STEPS, step_for_key
from .time_screens import zones_by_region

log = logging.getLogger(__name__)

# every key named here also works over a vt220 serial line (F1 may not: ? does)
HEADER = " xenhost installer | F1 or ? help | Esc or Ctrl-B back | Tab next | F10 quit"
DOING = {"install": "Installing xenhost", "upgrade": "Upgrading xenhost", "restore": "Restoring xenhost"}


class _Discard:
    """The runner's console lines while the screens own the terminal (the log has them anyway)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


class InlineDispatcher:
    """No main loop: run the install now and apply each update immediately (tests, fallback)."""

    def start(self, fn, protect=True):
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

    def start(self, fn, protect=True):
        """protect: the work writes to disks (the install), so Ctrl-C must not stop it half-done;
        preflight only reads."""
        if protect and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    if isinstance(exc, XenhostError):
        return str(exc)
    return "internal error: %s: %s (see %s)" % (type(exc).__name__, exc, LOG_PATH)


def fix_hint(problem):
    """'network.gateway: msg' -> 'network.gateway: msg (screen: IPv4 configuration)'."""
    step = step_for_key(problem.split(": ", 1)[0])
    return "%s (screen: %s)" % (problem, step.screen.TITLE) if step else problem


class InstallerUI:
    """phase: input -> checking (preflight; back to input when refused) -> installing -> done | failed.
    After on_finished(): plan, and with an install_fn also choice ("reboot"/"poweroff"/"shell") and
    error (the failure reason, or None)."""

    HEADER = HEADER

    def __init__(self, context, answers=None, image=planmod.DEFAULT_IMAGE, on_finished=None, *, install_fn=None,
                 check_fn=None, dispatcher=None, atexit_default=None, log_path=LOG_PATH, steps=STEPS):
        self.context, self.image = context, image
        self.flow = self.make_flow(steps, context, answers, atexit_default)
        self.on_finished = on_finished or self._exit_loop
        self.install_fn = install_fn        # install_fn(plan, runner); raises on failure
        self.check_fn = check_fn            # check_fn(plan): preflight, read-only; raises PreflightError
        self.dispatcher = dispatcher or InlineDispatcher()
        self.log_path = log_path
        self.phase = "input"
        self.plan = None
        self.progress = None
        self.choice = None
        self.error = None
        self.frame = urwid.Frame(urwid.SolidFill(" "), header=urwid.AttrMap(urwid.Text(self.HEADER, wrap="clip"), "header"))
        self.show(self.flow.start())

    def make_flow(self, steps, context, answers, atexit_default):
        """The flow the screens fill (the first-boot wizard's asks its own sections)."""
        return Flow(steps, context, answers, atexit_default)

    @property
    def screen(self):
        return self.frame.body

    @property
    def answers(self):
        return self.flow.answers

    # input screens
    def show(self, step):
        back = self.go_back if len(self.flow.path) > 1 else None
        self.frame.body = step.screen(self.flow, self.go_next, back)

    def go_next(self):
        step = self.flow.forward()
        if step is None:
            self.finish_input()
        else:
            self.show(step)

    def go_back(self):
        self.show(self.flow.back())

    def finish_input(self):
        """After the summary: the same validation and plan as an answer file gets."""
        try:
            data = answersmod.validate(self.flow.final_answers(), "the installer's answers")
            self.plan = planmod.from_answers(data, image=self.image, network_device=self.context.network_device,
                                             keymap=self.context.keymap_default)
        except AnswerFileError as exc:
            found = exc.problems or [str(exc)]
            return self.screen.fail("Not valid yet:\n" + "\n".join(fix_hint(p) for p in found))
        except XenhostError as exc:
            return self.screen.fail(str(exc))
        if self.check_fn is None:
            return self.proceed()
        # preflight hashes the dom0 image and mounts disks read-only: seconds, off the screen's thread
        self.phase, summary = "checking", self.screen
        self.frame.body = CheckingScreen()
        self.dispatcher.start(lambda: self._check(summary), protect=False)

    def _check(self, summary):
        """Runs on the worker thread (inline in tests): never touches widgets directly."""
        try:
            self.check_fn(self.plan)
        except BaseException as exc:    # anything, so the screen never hangs on "Checking"
            log.error("not starting: %s", exc, exc_info=not isinstance(exc, XenhostError))
            self.dispatcher.post(self.refuse, summary, exc)
        else:
            self.dispatcher.post(self.proceed)

    def refuse(self, summary, exc):
        """Back on the summary with every answer, the failures and the screens that fix them."""
        self.phase, self.plan = "input", None
        self.frame.body = summary
        summary.fail(refusals.explain(self.flow, exc.failures) if isinstance(exc, PreflightError)
                     else failure_reason(exc))

    def proceed(self):
        if self.install_fn is None:
            self.on_finished()
        else:
            self.start_install()

    # install
    def start_install(self):
        self.phase = "installing"
        self.progress = ProgressScreen(self.plan.disk, DOING.get(self.plan.mode, DOING["install"]))
        self.frame.body = self.progress
        self.dispatcher.start(self._work)

    def _work(self):
        """Runs on the worker thread (inline in tests): never touches widgets directly."""
        post, progress = self.dispatcher.post, self.progress
        runner = TaskSequence(out=_Discard(),
                            on_progress=lambda *a: post(progress.start_step, *a),
                            on_task_done=lambda *a: post(progress.step_done, *a))
        try:
            self.install_fn(self.plan, runner)
        except BaseException as exc:    # anything, so the screen never hangs on "installing"
            if isinstance(exc, XenhostError):
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
    loop = terminal.main_loop(ui.frame, unhandled)
    if dispatcher:
        dispatcher.attach(loop)
    return loop


def make_context(probe, host=None, commands=None, keymap=None, network_device=None):
    """Read the machine once: disks, boot media, existing installs, NICs; the keymap and zone lists."""
    existing = []
    find_existing = getattr(probe, "existing_installs", None)     # absent in older probes
    if find_existing:
        try:
            existing = list(find_existing())
        except XenhostError as exc:   # still installable; the disk screen shows each disk's contents
            log.warning("could not look for existing installs: %s", exc)
    return Context(disks=probe.list_disks(), boot_media=probe.boot_media(), existing=existing,
                   nics=list(host.nics) if host else [], keymaps=catalog.keymaps(), zones=zones_by_region(),
                   commands=commands, keymap_default=keymap, network_device=network_device)


def preflight_check(probe, host):
    """check_fn for InstallerUI: preflight.run on this machine (it only reads)."""
    return lambda plan: preflight.run(plan, probe, host)


def run_interactive(probe, install_fn, image=planmod.DEFAULT_IMAGE, atexit_default=None, log_path=LOG_PATH, *,
                    host=None, answers=None, commands=None, keymap=None, network_device=None):
    """The whole interactive install on the terminal. answers: an answer file's partial answers (ask
    only the sections missing or listed in interactive-sections); host: host.HostFacts (the NICs);
    commands: runs loadkeys. Returns the finished InstallerUI (phase "done" or "failed", with choice
    and error), or None if the user quit before the install started."""
    dispatcher = ThreadDispatcher()
    context = make_context(probe, host, commands, keymap, network_device)
    # without host facts (no NICs known) preflight cannot choose the NIC: then install() checks alone
    check = preflight_check(probe, host) if host is not None else None
    ui = InstallerUI(context, answers, image, install_fn=install_fn, check_fn=check, dispatcher=dispatcher,
                     atexit_default=atexit_default, log_path=log_path)
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
