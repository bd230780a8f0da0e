import configparser
import os

import pytest
import yaml

from xenhost_installer import MARKER_COMPLETE, MARKER_FAILED, cli

from installer_fixtures import E2E_ANSWERS

UNIT = os.path.join(os.path.dirname(__file__), "../../installer/systemd/xenhost-installer.service")


def test_unit_owns_the_console():
    unit = configparser.ConfigParser(strict=False)
    unit.read(UNIT)
    svc = unit["Service"]
    assert svc["ExecStart"] == "/usr/sbin/xenhost-installer boot"
    assert (svc["TTYPath"], svc["StandardInput"], svc["StandardOutput"]) == ("/dev/console", "tty", "tty")
    assert "serial-getty@ttyS0.service" in unit["Unit"]["Conflicts"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_markers_are_the_documented_ones():
    assert MARKER_COMPLETE == "xenhost-installer: installation complete"
    assert MARKER_FAILED == "xenhost-installer: INSTALLATION FAILED:"


def test_install_failure_prints_marker_and_does_not_reboot(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    answers = tmp_path / "a.yaml"
    answers.write_text(E2E_ANSWERS.replace("/dev/vda", "/dev/does-not-exist-xh"))
    (tmp_path / "cmdline").write_text("console=ttyS0,115200\n")
    ran = []
    monkeypatch.setattr(cli, "do_atexit", lambda *a: ran.append(a))
    rc = cli.main(["install", "--answerfile", "file://%s" % answers, "--cmdline", str(tmp_path / "cmdline"),
                   "--image", str(tmp_path / "none.tar.xz")])
    out = capsys.readouterr().out
    assert rc == 1 and ran == []
    assert "%s preflight failed: disk /dev/does-not-exist-xh does not exist" % MARKER_FAILED in out
    assert MARKER_COMPLETE not in out


def test_cmdline_atexit_overrides_answer_file(image):
    from xenhost_installer import plan as planmod
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=image, atexit_override="shell")
    assert plan.atexit == "shell"


def test_answer_file_with_interactive_sections_opens_the_screens_with_its_answers(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    data = yaml.safe_load(E2E_ANSWERS)
    del data["root-password"]
    data["interactive-sections"] = ["root-password"]
    data["atexit"] = "poweroff"
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump(data))
    (tmp_path / "cmdline").write_text("console=ttyS0,115200\n")
    seen = {}

    def fake_screens(probe, install_fn, **kwargs):
        seen.update(kwargs)
        return None                                   # as if the user quit before installing
    monkeypatch.setattr("xenhost_installer.ui.app.run_interactive", fake_screens)
    rc = cli.main(["install", "--answerfile", "file://%s" % answers, "--cmdline", str(tmp_path / "cmdline")])
    assert rc == 1 and "cancelled" in capsys.readouterr().out
    assert seen["answers"]["interactive-sections"] == ["root-password"]
    assert seen["answers"]["disk"] == data["disk"] and seen["atexit_default"] == "poweroff"


def test_complete_answer_file_never_opens_the_screens(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    answers = tmp_path / "a.yaml"
    answers.write_text(E2E_ANSWERS.replace("/dev/vda", "/dev/does-not-exist-xh"))
    (tmp_path / "cmdline").write_text("")
    monkeypatch.setattr("xenhost_installer.ui.app.run_interactive", lambda *a, **k: pytest.fail("screens opened"))
    assert cli.main(["install", "--answerfile", "file://%s" % answers, "--cmdline", str(tmp_path / "cmdline")]) == 1


def test_test_mode_screens_see_only_the_image_files(tmp_path, monkeypatch):
    """--target-images with interactive-sections: the screens get the image probe, not the machine's disks."""
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    data = yaml.safe_load(E2E_ANSWERS)
    data["interactive-sections"] = ["disk"]
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump(data))
    (tmp_path / "cmdline").write_text("")
    opened = []

    class FakeImages:
        def __init__(self, images, commands):
            opened.append(images)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False
    monkeypatch.setattr(cli, "ImageDisks", FakeImages)
    seen = []
    monkeypatch.setattr("xenhost_installer.ui.app.run_interactive", lambda probe, fn, **k: seen.append(probe))
    cli.main(["install", "--answerfile", str(answers), "--target-images", "a.img,b.img",
              "--cmdline", str(tmp_path / "cmdline")])
    assert opened == [["a.img", "b.img"]] and isinstance(seen[0], FakeImages)


def test_test_mode_never_keeps_the_build_machines_journal():
    import argparse
    assert cli.live_journal(argparse.Namespace(target_images="a.img,b.img")) == ()
    assert cli.live_journal(argparse.Namespace()) == cli.LIVE_JOURNALS == ("/run/log/journal", "/var/log/journal")
