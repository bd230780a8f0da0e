"""The shared runtime core: runner, errors, atomic files, task sequence, fake runner."""
import io
import os
import sys

import pytest

from xenhost_common.errors import CommandFailed, ProgramMissing, XenhostError, format_error
from xenhost_common.files import write_atomic
from xenhost_common.runner import Runner
from xenhost_common.tasks import Task, TaskSequence, programs_of
from xenhost_common.testing import FakeRunner


def test_error_has_one_format():
    e = XenhostError("the disk is too small", "choose a disk of 12 GiB or more")
    assert str(e) == "the disk is too small\n  fix: choose a disk of 12 GiB or more"
    assert format_error("p") == "p"


def test_runner_captures_and_parses_in_c_locale():
    r = Runner().run([sys.executable, "-c", "import os; print(os.environ['LC_ALL'])"],
                     env={"LC_ALL": "de_DE.UTF-8", "PATH": os.environ["PATH"]})
    assert r.ok and r.stdout.strip() == "C"


def test_runner_stdin_is_devnull_unless_given():
    r = Runner().run([sys.executable, "-c", "import sys; print(repr(sys.stdin.read()))"])
    assert r.stdout.strip() == "''"
    r = Runner().run([sys.executable, "-c", "import sys; print(sys.stdin.read())"], input="hello")
    assert r.stdout.strip() == "hello"


def test_missing_program_names_its_package():
    with pytest.raises(ProgramMissing) as e:
        Runner().run(["mkfs.ext4-does-not-exist"])
    assert "program not installed" in str(e.value)
    assert ProgramMissing("sgdisk").package == "gdisk"
    assert "apt-get install gdisk" in str(ProgramMissing("sgdisk"))


def test_failure_carries_result_and_stderr_tail():
    with pytest.raises(CommandFailed) as e:
        Runner().run([sys.executable, "-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"])
    assert e.value.returncode == 3 and "boom" in str(e.value)
    assert Runner().run(["false"], check=False).returncode == 1


def test_timeout_is_a_failure_saying_so():
    with pytest.raises(CommandFailed) as e:
        Runner().run([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.3)
    assert e.value.result.timed_out and "timed out" in str(e.value)


def test_secret_input_is_never_logged(caplog):
    caplog.set_level("DEBUG")
    Runner().run(["cat"], input="s3cret-pass", secret=True, check=False)
    assert "s3cret-pass" not in caplog.text.replace("stdout: s3cret-pass", "")


def test_stream_lines_and_timeout():
    lines = []
    assert Runner().stream([sys.executable, "-c", "print('a'); print('b')"], lines.append) == 0
    assert lines == ["a", "b"]
    assert Runner().stream([sys.executable, "-c", "import time; time.sleep(5)"], lines.append, timeout=0.3) == 124


def test_write_atomic_replaces_whole_file(tmp_path):
    path = tmp_path / "sub" / "f.txt"
    write_atomic(path, "one")
    write_atomic(path, b"two", mode=0o600)
    assert path.read_text() == "two" and oct(path.stat().st_mode & 0o777) == "0o600"
    assert os.listdir(path.parent) == ["f.txt"]


def test_write_atomic_leaves_old_content_on_failure(tmp_path):
    path = tmp_path / "f.txt"
    write_atomic(path, "old")
    with pytest.raises(TypeError):
        write_atomic(path, 42)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["f.txt"]


def test_task_sequence_weights_progress():
    seen = []
    tasks = [Task("small", lambda ctx: None, weight=1), Task("big", lambda ctx: None, weight=3)]
    out = io.StringIO()
    TaskSequence(out=out, clock=lambda: 0.0, on_progress=seen.append).run(tasks, None)
    assert [round(p.fraction, 2) for p in seen] == [0.0, 0.25]
    assert out.getvalue() == "[1/2] small ... done (0.0s)\n[2/2] big ... done (0.0s)\n"


def test_task_sequence_marks_failure_and_stops():
    def fail(ctx):
        raise XenhostError("broken", "mend it")
    out = io.StringIO()
    ran = []
    with pytest.raises(XenhostError):
        TaskSequence(out=out).run([Task("a", fail), Task("b", ran.append)], None)
    assert out.getvalue().endswith("a ... FAILED\n") and ran == []


def test_programs_of_collects_declarations():
    tasks = [Task("a", None, programs=("sgdisk", "wipefs")), Task("b", None, programs=("sgdisk",))]
    assert list(programs_of(tasks)) == ["sgdisk", "wipefs"]


def test_fake_runner_answers_by_prefix_and_records():
    fake = FakeRunner({"xl list": (0, "Name ID\n"), ("xl", "info"): "xen_version : 4.17\n",
                       "lvs": (5, "", "no VG")}, missing={"mdadm"})
    assert fake.run(["xl", "list", "-l"]).stdout == "Name ID\n"
    assert fake.run(["xl", "info"]).stdout.startswith("xen_version")
    with pytest.raises(CommandFailed):
        fake.run(["lvs"])
    with pytest.raises(ProgramMissing):
        fake.run(["mdadm", "--stop"])
    assert fake.ran("xl", "list") and not fake.which("mdadm") and fake.which("xl")
