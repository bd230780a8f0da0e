"""The screens after the summary (progress, done, failed) over the real install() and TaskSequence
with fake commands, the threaded dispatcher, and cli's handling of the interactive ending.
The input screens: test_ui_screens.py; whole flows and interactive-sections: test_ui_flow.py."""
import os
import signal
import threading

import pytest
import urwid

from xenhost_installer import MARKER_COMPLETE, MARKER_FAILED, cli
from xenhost_installer.install import install
from xenhost_installer.ui import app as appmod
from xenhost_installer.ui.app import InlineDispatcher, InstallerUI, ThreadDispatcher
from xenhost_common.tasks import Progress
from xenhost_installer.errors import PreflightError
from xenhost_installer.ui.screens import FINISHED_SHOWN, CheckingScreen, DoneScreen, FailedScreen, ProgressScreen

from installer_fixtures import FakeCommands, FakeProbe, PASSWORD
from ui_harness import DEFAULT_KEYS, SIZE, Driver, context, disk


def screen_text(ui):
    return Driver(ui).text()


def press(ui, *keys):
    Driver(ui).press(*keys)


# -- progress, done, failed ------------------------------------------------------------------------

class Recorder(InlineDispatcher):
    """Runs the install inline and renders the whole screen after every update the runner posts."""

    def __init__(self):
        self.frames = []
        self.ui = None

    def post(self, fn, *args):
        fn(*args)
        self.frames.append(screen_text(self.ui))


@pytest.fixture
def flow(image, host, target, tmp_path):
    """Every screen's default on a machine with one 20 GiB disk, then the real install (fake commands)."""
    def _flow(commands, atexit_default="reboot"):
        log_path = tmp_path / "install.log"
        log_path.write_text("log line\n")
        rec = Recorder()
        finished = []

        def install_fn(plan, runner):
            return install(plan, commands=commands, probe=FakeProbe(), host=host, target=target, runner=runner,
                           log_path=str(log_path))
        ctx = context(disks=[disk("/dev/vda", 20, "QEMU HARDDISK", "empty")], nics=host.nics)
        u = InstallerUI(ctx, image=image, on_finished=lambda: finished.append(u.choice), install_fn=install_fn,
                        check_fn=appmod.preflight_check(FakeProbe(), host), dispatcher=rec, atexit_default=atexit_default, log_path="/tmp/xenhost-installer.log")
        rec.ui = u
        d = Driver(u)
        texts = []
        while u.phase == "input":                       # accept every default, recording each screen
            texts.append(d.text())
            step = d.step
            d.press(*DEFAULT_KEYS[step])
            if step == "summary":                       # accepted: installed, or refused by preflight
                break
        u.rec, u.finished, u.commands = rec, finished, commands
        u.texts = texts + rec.frames + [screen_text(u)]
        return u
    return _flow


def test_progress_advances_through_all_tasks_then_done(flow):
    u = flow(FakeCommands())
    frames = u.rec.frames
    # start + done per task, then the done screen, recorded again when the check's post returns
    assert len(frames) == 2 * 19 + 2 and frames[-1] == frames[-2]
    for n in range(1, 20):
        assert any("Now: [%2d/19]" % n in f for f in frames)
    assert "Now: [ 1/19] Wiping old signatures on /dev/vda" in frames[0] and " 0 %" in frames[0]
    assert "[ 1/19] Wiping old signatures on /dev/vda  done" in frames[1]
    assert "100 %" in frames[-3] and "[19/19] Unmounting target  done" in frames[-3]
    assert "... %d more" % (19 - FINISHED_SHOWN) in frames[-3]     # the finished list is capped to fit 80x24
    assert u.phase == "done" and isinstance(u.screen, DoneScreen) and u.error is None
    text = screen_text(u)
    assert "Installation complete" in text and "Reboot" in text and "Power off" in text and "Shell" in text
    assert not any(c[0] in ("systemctl", "reboot", "poweroff") for c in u.commands.calls)
    assert u.finished == []                             # waits for a choice
    press(u, "enter")                                   # default: Reboot
    assert u.finished == ["reboot"] and u.choice == "reboot"


def test_done_screen_choices(flow):
    u = flow(FakeCommands(), atexit_default="shell")
    press(u, "enter")
    assert u.choice == "shell"                          # atexit= sets the default button
    u = flow(FakeCommands())
    press(u, "down", "enter")
    assert u.choice == "poweroff"


def test_failure_screen_no_reboot(flow):
    u = flow(FakeCommands(fail_on="mkfs.ext4"))
    assert u.phase == "failed" and isinstance(u.screen, FailedScreen)
    text = screen_text(u)
    assert "Installation FAILED at step [ 3/19] Creating filesystems" in text
    assert "simulated failure" in text and "/tmp/xenhost-installer.log" in text
    assert "Reboot" not in text and "Shell" in text and "Power off" in text
    assert not any(c[0] in ("systemctl", "reboot") for c in u.commands.calls)
    press(u, "enter")                                   # default: Shell
    assert u.choice == "shell" and "mkfs.ext4" in u.error
    press(u, "esc")                                     # no way back into the install
    assert isinstance(u.screen, FailedScreen)


def test_preflight_refusal_stays_on_the_summary(flow, monkeypatch):
    """Preflight runs when the summary is accepted: a refusal is no dead end (test_ui_flow.py: the way back)."""
    monkeypatch.setattr(FakeProbe, "get", lambda self, path: None)
    u = flow(FakeCommands())
    assert u.phase == "input" and u.flow.current().name == "summary" and u.commands.calls == []
    assert "disk /dev/vda does not exist; fix:" in u.screen.error.get_text()[0] and u.progress is None
    [frame] = u.rec.frames                              # the check's one post: the summary again
    assert "Summary" in frame and "Cannot start; nothing was written." in frame


def test_failure_inside_the_install_still_shows_failed_screen(flow, monkeypatch):
    """What preflight at the summary cannot see (here the probe loses the disk once the install starts)."""
    seen, real_get = [], FakeProbe.get

    def get(self, path):                                # there for the summary's check, gone for install()'s
        seen.append(path)
        return real_get(self, path) if len(seen) == 1 else None
    monkeypatch.setattr(FakeProbe, "get", get)
    u = flow(FakeCommands())
    assert u.phase == "failed" and "preflight failed" in u.error and u.commands.calls == []
    assert "Installation FAILED:" in screen_text(u)


def test_internal_error_shows_failed_screen(flow, monkeypatch):
    def boom(ctx):
        raise ValueError("bug")
    monkeypatch.setattr("xenhost_installer.tasks.storage.make_filesystems", boom)
    u = flow(FakeCommands())
    assert u.phase == "failed" and "internal error: ValueError: bug" in u.error


@pytest.mark.parametrize("fail_on", [None, "mkfs.ext4"])
def test_password_never_rendered(flow, fail_on):
    u = flow(FakeCommands(fail_on=fail_on))
    assert len(u.texts) > 5
    for text in u.texts:
        assert PASSWORD not in text
    for key in ("f1", "f1"):                            # help screens too
        press(u, key)
        assert PASSWORD not in screen_text(u)
    assert all(PASSWORD not in " ".join(c) for c in u.commands.calls)


def test_progress_screen_fits_80x24():
    p = ProgressScreen("/dev/vda")
    for n in range(1, 18):
        text = "A rather long step description for partition %d of the disk" % n
        p.start_step(Progress(n, 17, text, (n - 1) / 17))
        p.step_done(Progress(n, 17, text, n / 17), 12.5)
    canvas = urwid.Frame(p, header=urwid.Text("header")).render(SIZE, focus=True)
    text = [line.decode() for line in canvas.text]
    assert len(text) == 24 and "[17/17]" in "\n".join(text)     # newest finished step visible
    assert all(ord(ch) < 128 for line in text[1:] for ch in line if ch not in "\u2500\u2502\u250c\u2510\u2514\u2518")


# -- the threaded dispatcher: updates from the worker are applied on the loop's thread -------------

class FakeLoop:
    def watch_pipe(self, callback):
        self.callback = callback
        self.read_fd, write_fd = os.pipe()
        return write_fd


def test_thread_dispatcher_applies_updates_on_loop_thread():
    d, loop = ThreadDispatcher(), FakeLoop()
    d.attach(loop)
    applied = []

    def work():
        for i in range(5):
            d.post(lambda i=i: applied.append((i, threading.current_thread().name)))
    d.start(work)
    d.thread.join(5)
    assert applied == []                                # nothing applied off the loop thread
    data = os.read(loop.read_fd, 100)
    assert loop.callback(data) is True
    assert [i for i, _ in applied] == list(range(5))
    assert {name for _, name in applied} == {threading.current_thread().name}


def test_check_runs_off_the_screens_thread_and_a_refusal_comes_back(image, monkeypatch):
    """Preflight (seconds: it hashes the image) runs on the worker; the summary returns on the loop's thread.
    Ctrl-C still cancels meanwhile: nothing has been written."""
    monkeypatch.setattr(signal, "signal", lambda *a: pytest.fail("SIGINT handling changed for a read-only check"))
    d, loop, gate = ThreadDispatcher(), FakeLoop(), threading.Event()
    d.attach(loop)

    def check(plan):
        gate.wait(5)
        raise PreflightError(["disk /dev/vda has mounted filesystems (/mnt); fix: unmount them or choose another disk"])
    u = InstallerUI(context(), image=image, check_fn=check, dispatcher=d, install_fn=lambda plan, runner: None)
    Driver(u).walk_to("summary").press("enter")
    assert u.phase == "checking" and isinstance(u.screen, CheckingScreen) and "read-only" in screen_text(u)
    gate.set()
    d.thread.join(5)
    assert u.phase == "checking"                        # nothing applied off the loop's thread
    loop.callback(os.read(loop.read_fd, 100))
    assert u.phase == "input" and u.flow.current().name == "summary" and u.plan is None
    assert "(/mnt); fix: unmount them or choose another disk (screen: Primary disk)" in u.screen.error.get_text()[0]


def test_a_check_that_breaks_is_shown_on_the_summary(image):
    def check(plan):
        raise KeyError("lsblk")
    u = InstallerUI(context(), image=image, check_fn=check, install_fn=lambda plan, runner: None)
    Driver(u).walk_to("summary").press("enter")
    assert u.phase == "input" and "internal error: KeyError: 'lsblk'" in u.screen.error.get_text()[0]


# -- cli: the interactive ending -------------------------------------------------------------------

class FakeUI:
    def __init__(self, error, choice):
        self.error, self.choice = error, choice


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    commands = FakeCommands()
    monkeypatch.setattr(cli, "Runner", lambda: commands)
    monkeypatch.setattr(cli.hostmod, "gather", lambda raw: None)
    monkeypatch.setattr(cli, "run_shell", lambda: commands.calls.append(["<shell>"]))
    (tmp_path / "cmdline").write_text("console=ttyS0,115200\n")

    def run(result, *extra):
        monkeypatch.setattr(appmod, "run_interactive", lambda *a, **k: result)
        rc = cli.main(["interactive", "--cmdline", str(tmp_path / "cmdline")] + list(extra))
        return rc, commands.calls
    return run


@pytest.mark.parametrize("choice,expected", [("reboot", [["systemctl", "--force", "reboot"]]),
                                             ("poweroff", [["systemctl", "--force", "poweroff"]]), ("shell", [["<shell>"]])])
def test_cli_interactive_success_runs_choice(cli_env, capsys, choice, expected):
    rc, calls = cli_env(FakeUI(None, choice))
    assert rc == 0 and calls == expected and MARKER_COMPLETE in capsys.readouterr().out


@pytest.mark.parametrize("choice,expected", [("shell", [["<shell>"]]), ("poweroff", [["systemctl", "--force", "poweroff"]])])
def test_cli_interactive_failure_never_reboots(cli_env, capsys, choice, expected):
    rc, calls = cli_env(FakeUI("command failed: boom", choice))
    out = capsys.readouterr().out
    assert rc == 1 and calls == expected
    assert "%s command failed: boom" % MARKER_FAILED in out and MARKER_COMPLETE not in out


def test_cli_interactive_cancel_and_no_atexit(cli_env, capsys):
    assert cli_env(None) == (1, [])
    assert "cancelled" in capsys.readouterr().out
    assert cli_env(FakeUI(None, "reboot"), "--no-atexit") == (0, [])
