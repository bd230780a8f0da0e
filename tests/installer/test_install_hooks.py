"""Hook stages in the install sequence (DESIGN.md, "Hooks"): fetched in preflight, installation-start
before any disk write, filesystem-populated with the target mounted, installation-complete last
(status success or failure), first-boot hooks copied onto the target."""
import io
import pathlib

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.errors import InstallerError, XenhostError
from xenhost_installer.install import install
from xenhost_common.tasks import TaskSequence

from installer_fixtures import E2E_ANSWERS, FakeCommands, FakeProbe


def write_hook(tmp_path, name):
    path = tmp_path / name
    path.write_text("#!/bin/sh\necho %s\n" % name)
    return "file://%s" % path


def hooked_plan(tmp_path, image, **stages):
    data = yaml.safe_load(E2E_ANSWERS)
    data["hooks"] = {stage: [write_hook(tmp_path, name)] for stage, name in stages.items()}
    return planmod.from_answers(data, image=image)


def run(plan, host, target, commands, hooks_dir, monkeypatch):
    monkeypatch.setattr("xenhost_installer.hooks.HOOKS_DIR", str(hooks_dir))
    out = io.StringIO()
    try:
        install(plan, commands=commands, probe=FakeProbe(), host=host, target=target, runner=TaskSequence(out=out))
    finally:
        run.out = out.getvalue()


def hook_calls(commands):
    return [" ".join(c) for c in commands.calls if c[0] == "env"]


def test_every_stage_runs_at_its_place(tmp_path, image, host, target, monkeypatch):
    plan = hooked_plan(tmp_path, image, **{"installation-start": "start.sh", "filesystem-populated": "populated.sh",
                                           "installation-complete": "complete.sh", "first-boot": "site.sh"})
    commands = FakeCommands()
    run(plan, host, target, commands, tmp_path / "fetched", monkeypatch)
    calls = [" ".join(c) for c in commands.calls]
    start = next(i for i, c in enumerate(calls) if "start.sh" in c)
    populated = next(i for i, c in enumerate(calls) if "populated.sh" in c)
    complete = next(i for i, c in enumerate(calls) if "complete.sh" in c)
    first_write = next(i for i, c in enumerate(calls) if c.startswith(("wipefs", "sgdisk")))
    update_grub = next(i for i, c in enumerate(calls) if "grub-script-check" in c)
    first_umount = next(i for i, c in enumerate(calls) if c.startswith("umount"))
    assert start < first_write
    assert update_grub < populated < first_umount < complete
    assert "XENHOST_TARGET=%s" % target in calls[populated] and calls[populated].endswith(str(target))
    assert "XENHOST_STATUS=success" in calls[complete]
    assert not [c for c in hook_calls(commands) if "site.sh" in c]        # first boot runs that one
    target = pathlib.Path(target)
    copied = target / "etc/xenhost/firstboot.d"
    assert [p.name for p in copied.iterdir()] == ["01-site.sh"]
    firstboot = yaml.safe_load((target / "etc/xenhost/firstboot.yaml").read_text())
    assert firstboot["hooks"] == ["/etc/xenhost/firstboot.d/01-site.sh"]
    lines = run.out.splitlines()
    assert "Running installation-start hooks" in lines[0]
    assert any("Running filesystem-populated hooks" in line for line in lines)


def test_missing_hook_stops_before_any_command(tmp_path, image, host, target, monkeypatch):
    plan = hooked_plan(tmp_path, image, **{"filesystem-populated": "populated.sh"})
    plan.hooks["filesystem-populated"].append("file://%s/absent.sh" % tmp_path)
    commands = FakeCommands()
    with pytest.raises(InstallerError, match="absent.sh"):
        run(plan, host, target, commands, tmp_path / "fetched", monkeypatch)
    assert not [c for c in commands.calls if c[0] in ("wipefs", "sgdisk", "mkfs.ext4", "env")]


def test_failed_install_runs_completion_hooks_with_failure_status(tmp_path, image, host, target, monkeypatch):
    plan = hooked_plan(tmp_path, image, **{"installation-complete": "complete.sh"})
    commands = FakeCommands(fail_on="tar")
    with pytest.raises(XenhostError):
        run(plan, host, target, commands, tmp_path / "fetched", monkeypatch)
    (complete,) = hook_calls(commands)
    assert "XENHOST_STATUS=failure" in complete
