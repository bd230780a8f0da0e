import os
import threading

import pytest
import urwid

from xenhost_installer import MARKER_COMPLETE, MARKER_FAILED, cli
from xenhost_installer.disks import Disk
from xenhost_installer.install import install
from xenhost_installer.ui import app as appmod
from xenhost_installer.ui.app import InlineDispatcher, InstallerUI, ThreadDispatcher
from xenhost_installer.ui.screens import DoneScreen, FailedScreen, ProgressScreen

from conftest import FakeCommands, FakeProbe, GiB, PASSWORD

SIZE = (80, 24)


def press(ui, *keys):
    for key in keys:
        ui.frame.keypress(SIZE, key)


def type_text(ui, text):
    press(ui, *list(text))


@pytest.fixture
def ui(image):
    disks = [Disk("/dev/sda", "disk", 8 * GiB, "USB stick"), Disk("/dev/sdb", "disk", 16 * GiB, "Small"),
             Disk("/dev/vda", "disk", 100 * GiB, "QEMU HARDDISK"), Disk("/dev/vdb", "disk", 4 * GiB, "tiny")]
    finished = []
    u = InstallerUI(disks, {"/dev/sdb"}, image=image, on_finished=lambda: finished.append(True))
    u.finished = finished
    return u


def screen_text(ui):
    canvas = ui.frame.render(SIZE, focus=True)
    return "\n".join(line.decode() for line in canvas.text)


def test_boot_medium_and_small_disks_not_selectable(ui):
    assert ui.screen.selectable_paths == ["/dev/vda"]
    text = screen_text(ui)
    assert "(installer medium)" in text and "too small" in text


def test_full_flow_fills_plan(ui):
    press(ui, "enter")                                  # the only selectable disk
    assert "will be ERASED" in screen_text(ui)
    press(ui, "down", "enter")                          # Back is first; move to "Erase disk and install"
    assert "Root password" in screen_text(ui)
    type_text(ui, PASSWORD)
    press(ui, "down")
    type_text(ui, PASSWORD)
    assert PASSWORD not in screen_text(ui)              # masked
    press(ui, "down", "enter")                          # OK
    assert ui.finished == [True]
    assert ui.plan.disk == "/dev/vda" and ui.plan.root_password_hash.startswith("$6$")
    assert ui.plan.atexit == "reboot" and ui.plan.answers_redacted["root-password"] == {"plaintext": "<redacted>"}


def test_password_mismatch_and_back(ui):
    press(ui, "enter", "down", "enter")
    type_text(ui, "one")
    press(ui, "down")
    type_text(ui, "two")
    press(ui, "down", "enter")
    assert "passwords differ" in screen_text(ui) and ui.plan is None
    type_text(ui, "x")                                  # focus went back to the (cleared) first field
    assert ui.screen.first.get_edit_text() == "x" and ui.screen.second.get_edit_text() == ""
    press(ui, "down", "down", "down", "enter")          # Back -> confirm screen
    assert "will be ERASED" in screen_text(ui)
    press(ui, "up", "enter")                            # Back -> disk list
    assert ui.screen.selectable_paths == ["/dev/vda"]


def test_esc_goes_back_from_input_screens(ui):
    press(ui, "enter")
    assert "will be ERASED" in screen_text(ui)
    press(ui, "esc")
    assert isinstance(ui.screen, appmod.DiskScreen)
    press(ui, "esc")                                    # first screen: nowhere to go, stays
    assert isinstance(ui.screen, appmod.DiskScreen)
    press(ui, "enter", "down", "enter")
    type_text(ui, "abc")
    press(ui, "esc")                                    # password -> confirm, password dropped
    assert "will be ERASED" in screen_text(ui)
    press(ui, "down", "enter")
    assert isinstance(ui.screen, appmod.PasswordScreen) and ui.screen.first.get_edit_text() == ""


def test_tab_moves_between_password_fields(ui):
    press(ui, "enter", "down", "enter")
    type_text(ui, "abc")
    press(ui, "tab")
    type_text(ui, "abc")
    assert ui.screen.first.get_edit_text() == "abc" and ui.screen.second.get_edit_text() == "abc"


@pytest.mark.parametrize("keys", [(), ("enter",), ("enter", "down", "enter")])
def test_f1_help_on_input_screens(ui, keys):
    press(ui, *keys)
    screen = ui.screen
    before = screen_text(ui)
    press(ui, "f1")
    text = screen_text(ui)
    assert "Help:" in text and "Press F1, Esc or Enter to return." in text and len(screen.HELP) > 80
    press(ui, "enter")                                  # closes help only; does not click anything below
    assert ui.screen is screen and screen_text(ui) == before


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
    def _flow(commands, atexit_default="reboot"):
        disks = [Disk("/dev/vda", "disk", 20 * GiB, "QEMU HARDDISK")]
        log_path = tmp_path / "install.log"
        log_path.write_text("log line\n")
        rec = Recorder()
        finished = []

        def install_fn(plan, runner):
            return install(plan, commands=commands, probe=FakeProbe(), host=host, target=target, runner=runner,
                           log_path=str(log_path))
        u = InstallerUI(disks, set(), image=image, on_finished=lambda: finished.append(u.choice),
                        install_fn=install_fn, dispatcher=rec, atexit_default=atexit_default,
                        log_path="/tmp/xenhost-installer.log")
        rec.ui = u
        texts = [screen_text(u)]
        press(u, "enter", "down", "enter")              # disk, confirm
        texts.append(screen_text(u))
        type_text(u, PASSWORD)
        press(u, "down")
        type_text(u, PASSWORD)
        texts.append(screen_text(u))
        press(u, "down", "enter")                       # OK -> install runs (inline)
        u.rec, u.finished, u.commands = rec, finished, commands
        u.texts = texts + rec.frames + [screen_text(u)]
        return u
    return _flow


def test_progress_advances_through_all_tasks_then_done(flow):
    u = flow(FakeCommands())
    frames = u.rec.frames
    assert len(frames) == 2 * 17 + 1                    # start + done per task, then the done screen
    for n in range(1, 18):
        assert any("Now: [%2d/17]" % n in f for f in frames)
    assert "Now: [ 1/17] Wiping old signatures on /dev/vda" in frames[0] and " 0 %" in frames[0]
    assert "[ 1/17] Wiping old signatures on /dev/vda  done" in frames[1]
    assert "100 %" in frames[-2] and "[17/17] Unmounting target  done" in frames[-2]
    assert "... 5 more" in frames[-2]                   # the finished list is capped to fit 80x24
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
    assert "Installation FAILED at step [ 3/17] Creating filesystems" in text
    assert "simulated failure" in text and "/tmp/xenhost-installer.log" in text
    assert "Reboot" not in text and "Shell" in text and "Power off" in text
    assert not any(c[0] in ("systemctl", "reboot") for c in u.commands.calls)
    press(u, "enter")                                   # default: Shell
    assert u.choice == "shell" and "mkfs.ext4" in u.error
    press(u, "esc")                                     # no way back into the install
    assert isinstance(u.screen, FailedScreen)


def test_preflight_failure_shows_failed_screen(flow, monkeypatch):
    monkeypatch.setattr(FakeProbe, "get", lambda self, path: None)
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
        p.start_step(n, 17, "A rather long step description for partition %d of the disk" % n)
        p.step_done(n, 17, "A rather long step description for partition %d of the disk" % n, 12.5)
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


# -- cli: the interactive ending -------------------------------------------------------------------

class FakeUI:
    def __init__(self, error, choice):
        self.error, self.choice = error, choice


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    commands = FakeCommands()
    monkeypatch.setattr(cli, "Commands", lambda: commands)
    monkeypatch.setattr(cli.hostmod, "gather", lambda raw: None)
    monkeypatch.setattr(cli, "run_shell", lambda: commands.calls.append(["<shell>"]))
    (tmp_path / "cmdline").write_text("console=ttyS0,115200\n")

    def run(result, *extra):
        monkeypatch.setattr(appmod, "run_interactive", lambda *a, **k: result)
        rc = cli.main(["interactive", "--cmdline", str(tmp_path / "cmdline")] + list(extra))
        return rc, commands.calls
    return run


@pytest.mark.parametrize("choice,expected", [("reboot", [["systemctl", "reboot"]]),
                                             ("poweroff", [["systemctl", "poweroff"]]), ("shell", [["<shell>"]])])
def test_cli_interactive_success_runs_choice(cli_env, capsys, choice, expected):
    rc, calls = cli_env(FakeUI(None, choice))
    assert rc == 0 and calls == expected and MARKER_COMPLETE in capsys.readouterr().out


@pytest.mark.parametrize("choice,expected", [("shell", [["<shell>"]]), ("poweroff", [["systemctl", "poweroff"]])])
def test_cli_interactive_failure_never_reboots(cli_env, capsys, choice, expected):
    rc, calls = cli_env(FakeUI("command failed: boom", choice))
    out = capsys.readouterr().out
    assert rc == 1 and calls == expected
    assert "%s command failed: boom" % MARKER_FAILED in out and MARKER_COMPLETE not in out


def test_cli_interactive_cancel_and_no_atexit(cli_env, capsys):
    assert cli_env(None) == (1, [])
    assert "cancelled" in capsys.readouterr().out
    assert cli_env(FakeUI(None, "reboot"), "--no-atexit") == (0, [])
