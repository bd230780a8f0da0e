"""Hook scripts: fetched in preflight (a missing one fails before any disk write), run at their stage
with XENHOST_* and XenServer's arguments, first-boot ones copied into the target."""
import os

import pytest

from xenhost_installer import hooks, plan as planmod
from xenhost_common.runner import Runner
from xenhost_installer.errors import AnswerFileError, InstallerError

from installer_fixtures import FakeCommands


def make_plan(image, **stages):
    data = {"version": 1, "disk": {"primary": "/dev/vda"}, "root-password": {"ask-at-first-boot": True},
            "hooks": {k.replace("_", "-"): v for k, v in stages.items()}}
    return planmod.from_answers(data, image=image)


def test_fetch_all_keeps_order_and_names(tmp_path, image):
    scripts = tmp_path / "src"
    scripts.mkdir()
    for name in ("a.sh", "b.sh"):
        (scripts / name).write_text("#!/bin/sh\necho %s\n" % name)
    plan = make_plan(image, installation_start=[str(scripts / "b.sh"), "file://%s" % (scripts / "a.sh")],
                     first_boot=[str(scripts / "a.sh")])
    fetched = hooks.fetch_all(plan, FakeCommands(), workdir=str(tmp_path / "hooks"))
    start = fetched.stage("installation-start")
    assert [os.path.basename(h.path) for h in start] == ["01-b.sh", "02-a.sh"]
    assert all(os.stat(h.path).st_mode & 0o777 == 0o700 for h in start)
    assert fetched.stage("filesystem-populated") == [] and len(fetched.stage("first-boot")) == 1


def test_every_missing_hook_is_reported_before_anything_runs(tmp_path, image):
    plan = make_plan(image, installation_start=[str(tmp_path / "missing.sh")],
                     installation_complete=["https://user:pw@192.0.2.1/gone.sh"])

    def fetch(location, **kw):
        if location.startswith("https://"):
            raise AnswerFileError("cannot fetch installation-complete hook https://<redacted>@192.0.2.1/gone.sh: HTTP "
                                  "404; fix: check the URL on the server")
        return hooks.fetch_bytes(location, **kw)
    fake = FakeCommands()
    with pytest.raises(hooks.HookError) as exc:
        hooks.fetch_all(plan, fake, workdir=str(tmp_path / "hooks"), fetch=fetch)
    assert len(exc.value.failures) == 2 and isinstance(exc.value, InstallerError)
    assert "cannot read installation-start hook %s" % (tmp_path / "missing.sh") in exc.value.failures[0]
    assert "HTTP 404" in exc.value.failures[1] and "pw@" not in str(exc.value)
    assert all("before any disk is written" in f for f in exc.value.failures) and fake.calls == []


def fetched_one(tmp_path, stage, body):
    path = tmp_path / ("hook-" + stage)
    path.write_text(body)
    return hooks.FetchedHooks({stage: [hooks.Hook(stage, "http://192.0.2.1/x.sh", str(path))]})


def test_run_stage_passes_environment_and_xenserver_arguments(tmp_path):
    fake = FakeCommands()
    hooks.run_stage(fetched_one(tmp_path, "filesystem-populated", "#!/bin/sh\n"), "filesystem-populated", fake,
                    target="/run/t")
    hooks.run_stage(fetched_one(tmp_path, "installation-complete", "echo no shebang\n"), "installation-complete",
                    fake, status="failure")
    hooks.run_stage(hooks.FetchedHooks(), "installation-start", fake)          # no hooks: nothing runs
    assert fake.calls == [
        ["env", "XENHOST_STAGE=filesystem-populated", "XENHOST_TARGET=/run/t", "XENHOST_STATUS=",
         str(tmp_path / "hook-filesystem-populated"), "/run/t"],
        ["env", "XENHOST_STAGE=installation-complete", "XENHOST_TARGET=", "XENHOST_STATUS=failure",
         "/bin/sh", str(tmp_path / "hook-installation-complete"), "1"]]


def test_failing_hook_names_hook_and_stage(tmp_path):
    fake = FakeCommands(fail_on="env")
    with pytest.raises(hooks.HookError) as exc:
        hooks.run_stage(fetched_one(tmp_path, "installation-start", "#!/bin/sh\nexit 3\n"), "installation-start", fake)
    assert exc.value.failures[0].startswith("installation-start hook http://192.0.2.1/x.sh failed (exit 1): env: simulated")
    assert "fix: correct the script" in str(exc.value)


def test_real_script_sees_its_environment(tmp_path):
    """Through the real command wrapper: the variables and arguments arrive; a non-zero exit stops."""
    out = tmp_path / "seen"
    fetched = fetched_one(tmp_path, "filesystem-populated",
                          "#!/bin/sh\necho \"$XENHOST_STAGE $XENHOST_TARGET $1\" > %s\n" % out)
    os.chmod(fetched.stage("filesystem-populated")[0].path, 0o700)
    hooks.run_stage(fetched, "filesystem-populated", Runner(), target=str(tmp_path))
    assert out.read_text() == "filesystem-populated %s %s\n" % (tmp_path, tmp_path)
    failing = fetched_one(tmp_path, "installation-start", "echo broken >&2; exit 7\n")
    with pytest.raises(hooks.HookError, match="failed \\(exit 7\\): broken"):
        hooks.run_stage(failing, "installation-start", Runner())


def test_first_boot_hooks_copied_into_target(tmp_path, target):
    fetched = fetched_one(tmp_path, "first-boot", "#!/bin/sh\n")
    paths = hooks.install_firstboot_hooks(fetched, target)
    assert paths == ["/etc/xenhost/firstboot.d/hook-first-boot"]
    copied = os.path.join(target, "etc/xenhost/firstboot.d/hook-first-boot")
    assert open(copied).read() == "#!/bin/sh\n" and os.stat(copied).st_mode & 0o777 == 0o700
    assert hooks.install_firstboot_hooks(hooks.FetchedHooks(), target) == []
