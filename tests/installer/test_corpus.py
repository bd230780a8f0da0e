"""The answer-file corpus (corpus/valid, corpus/invalid; regenerate invalid/ with corpus/make_invalid.py).

Every file goes through the real `xenhost-installer install --answerfile FILE` entry with the fake command
runner, host facts and disk probe: invalid files must fail with their `expect:` substring before any plan
is built, install() is entered or any command runs; valid files must build a plan. `validate FILE` must
agree with both."""
import glob
import os
import re

import pytest

from xenhost_installer import MARKER_COMPLETE, MARKER_FAILED, answers, cli, plan as planmod
from xenhost_installer.answers.declared import hook_stages, schema

from installer_fixtures import FakeCommands, FakeProbe, PASSWORD

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
EXPECT = re.compile(r"^(?:# expect: (.*)|<!-- expect: (.*) -->)$")


def corpus(kind):
    files = sorted(glob.glob(os.path.join(CORPUS, kind, "*.yaml")) + glob.glob(os.path.join(CORPUS, kind, "*.xml")))
    return [pytest.param(f, id=os.path.basename(f)) for f in files]


def expectation(path):
    with open(path) as f:
        m = EXPECT.match(f.readline().rstrip("\n"))
    assert m, "%s: the first line must be '# expect: ...' or '<!-- expect: ... -->'" % path
    return m.group(1) or m.group(2)


@pytest.fixture
def unattended(monkeypatch, host, tmp_path, capsys):
    """Run the real install entry; record commands, built plans and install() calls."""
    fake = FakeCommands()
    built, installs, fetched = [], [], []
    real_from_answers = planmod.from_answers

    def from_answers(*a, **kw):
        plan = real_from_answers(*a, **kw)
        built.append(plan)
        return plan
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    monkeypatch.setattr(cli, "Runner", lambda: fake)
    monkeypatch.setattr(cli.hostmod, "gather", lambda raw: host)
    monkeypatch.setattr(cli, "DiskProbe", lambda commands, raw: FakeProbe())
    monkeypatch.setattr(cli.planmod, "from_answers", from_answers)
    monkeypatch.setattr(cli, "install", lambda plan, **kw: installs.append(plan))
    # a file's source.url is fetched before the plan (tests/installer/test_imagesource.py proves the fetch)
    monkeypatch.setattr(cli, "network_image", lambda args, boot_opts, data=None: fetched.append(
        ((data or {}).get("source") or {}).get("url")))
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("console=ttyS0,115200\n")
    image = tmp_path / "dom0.tar.zst"

    def run(path):
        rc = cli.main(["install", "--answerfile", path, "--cmdline", str(cmdline), "--image", str(image),
                       "--no-atexit"])
        return rc, capsys.readouterr().out, fake.calls, built, installs
    return run


def test_corpus_is_big_enough():
    assert len(corpus("valid")) >= 10 and len(corpus("invalid")) >= 100
    assert any(p.values[0].endswith(".xml") for p in corpus("valid"))


def test_every_answer_key_has_valid_and_invalid_files():
    """Each top-level key of the schema (and each hook stage) appears in some valid and some invalid file."""
    def texts(kind):
        return [open(p.values[0]).read() for p in corpus(kind)]
    keys = [k for k in schema()["properties"] if k != "version"] + list(hook_stages())
    for kind in ("valid", "invalid"):
        missing = [k for k in keys if not any(k + ":" in t for t in texts(kind))]
        assert missing == [], (kind, missing)


@pytest.mark.parametrize("path", corpus("invalid"))
def test_invalid_file_fails_before_anything_runs(path, unattended, capsys):
    expect = expectation(path)
    rc, out, calls, built, installs = unattended(path)
    assert rc == 1 and MARKER_FAILED in out and MARKER_COMPLETE not in out
    assert expect in out, out
    assert calls == [] and built == [] and installs == []     # no command, no plan, no install()
    assert PASSWORD not in out
    assert cli.main(["validate", path]) == 1
    out = capsys.readouterr().out
    assert expect in out and PASSWORD not in out


@pytest.mark.parametrize("path", corpus("valid"))
def test_valid_file_builds_a_plan(path, unattended, capsys):
    rc, out, calls, built, installs = unattended(path)
    assert rc == 0 and MARKER_COMPLETE in out, out
    assert len(built) == 1 and installs == built
    plan = built[0]
    with open(path) as f:
        data = answers.parse_text(f.read())
    assert plan.disk.startswith("/dev/") and plan.mode == data.get("mode", "install")
    assert plan.network.mode in ("dhcp", "static") and set(plan.hooks) == set(hook_stages())
    if plan.mode == "install" and "ask-at-first-boot" not in data["root-password"]:
        assert plan.root_password_hash.startswith("$")
        assert "<redacted>" in str(plan.answers_redacted["root-password"])
    else:                                   # asked at first boot, or kept by upgrade / restore
        assert plan.root_password_hash is None
    assert PASSWORD not in str(plan.answers_redacted) and "token" not in str(plan.answers_redacted)
    assert cli.main(["validate", path]) == 0
    assert capsys.readouterr().out.strip() == "%s: valid" % path
