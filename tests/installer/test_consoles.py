import os

from xenhost_installer import consoles


def test_every_console_but_the_last_is_written_to(tmp_path):
    active = tmp_path / "active"
    active.write_text("tty0 ttyS0\n")
    assert consoles.other_consoles(str(active)) == ["/dev/tty0"]


def test_announce_reaches_stdout_and_the_other_consoles(tmp_path, monkeypatch):
    fifo_like = tmp_path / "tty0"
    fifo_like.write_text("")
    active = tmp_path / "active"
    active.write_text("tty0 ttyS0\n")
    monkeypatch.setattr(consoles, "other_consoles", lambda path: [str(fifo_like)])
    printed = []
    consoles.announce("xenhost-installer: INSTALLATION FAILED: disk /dev/vdz not found", printed.append,
                      str(active))
    assert printed == ["xenhost-installer: INSTALLATION FAILED: disk /dev/vdz not found"]
    assert "INSTALLATION FAILED: disk /dev/vdz not found" in fifo_like.read_text()


def test_a_console_that_cannot_be_opened_does_not_stop_the_message(tmp_path, monkeypatch):
    monkeypatch.setattr(consoles, "other_consoles", lambda path: [str(tmp_path / "missing" / "tty9")])
    printed = []
    consoles.announce("message", printed.append)
    assert printed == ["message"]


def test_no_console_list_means_stdout_only(tmp_path):
    assert consoles.other_consoles(str(tmp_path / "absent")) == []
