"""First-boot hooks: in order, logged, stop at the first failure, never run twice after success."""
import os

import pytest

from firstboot_helpers import DHCP_YAML, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.errors import FirstbootError
from xenhost_firstboot.hooks import run_hooks
from xenhost_common.runner import Runner

HOOKS = ["/etc/xenhost/firstboot.d/10-register.sh", "/etc/xenhost/firstboot.d/20-tune.sh"]


def ctx_for(root, runner, hooks=HOOKS, live=True, said=None):
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + f"hooks: [{', '.join(hooks)}]\n")
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live,
                   say=said.append if said is not None else print)


def install_hooks(root, *bodies):
    for hook, body in zip(HOOKS, bodies):
        write(root, hook.lstrip("/"), "#!/bin/sh\n" + body, mode=0o755)


def test_hooks_run_in_order_with_their_output_logged(root):
    """Real scripts through the real runner: order, environment, streamed output."""
    install_hooks(root, 'echo "stage=$XENHOST_STAGE"\n', "echo tuned >&2\n")
    said = []
    detail = run_hooks(ctx_for(root, Runner(), said=said))
    assert detail == "ran 10-register.sh, 20-tune.sh"
    assert said[0] == "hook 1/2 10-register.sh: running"
    assert said[1] == "  10-register.sh| stage=first-boot"
    assert said[2].startswith("hook 1/2 10-register.sh: ok (")
    assert said[3:5] == ["hook 2/2 20-tune.sh: running", "  20-tune.sh| tuned"]
    assert os.path.exists(root / "var/lib/xenhost/firstboot-hooks/20-tune.sh.done")


def test_failure_stops_the_sequence_and_a_rerun_skips_what_succeeded(root):
    install_hooks(root, "echo ok\n", "echo 'cannot reach server' ; exit 3\n")
    said = []
    with pytest.raises(FirstbootError) as e:
        run_hooks(ctx_for(root, Runner(), said=said))
    assert "hook /etc/xenhost/firstboot.d/20-tune.sh failed (exit 3" in str(e.value)
    assert "hooks that succeeded are not run twice" in str(e.value)
    assert "  20-tune.sh| cannot reach server" in said
    install_hooks(root, "echo SHOULD-NOT-RUN-AGAIN\n", "echo fixed\n")
    said.clear()
    assert run_hooks(ctx_for(root, Runner(), said=said)) == \
        "ran 20-tune.sh; done on an earlier run: 10-register.sh"
    assert not any("SHOULD-NOT-RUN-AGAIN" in line for line in said)


def test_missing_or_not_executable_hook_names_the_fix(root, runner):
    with pytest.raises(FirstbootError, match="listed in firstboot.yaml but missing"):
        run_hooks(ctx_for(root, runner))
    install_hooks(root, "true\n")
    os.chmod(root / HOOKS[0].lstrip("/"), 0o644)
    with pytest.raises(FirstbootError, match="chmod \\+x /etc/xenhost/firstboot.d/10-register.sh"):
        run_hooks(ctx_for(root, runner))
    assert runner.calls == []


def test_hanging_hook_is_stopped(root, monkeypatch):
    monkeypatch.setattr("xenhost_firstboot.hooks.TIMEOUT_S", 0.5)
    install_hooks(root, "sleep 30\n")
    said = []
    with pytest.raises(FirstbootError, match="exit 124"):
        run_hooks(ctx_for(root, Runner(), hooks=HOOKS[:1], said=said))
    assert "  10-register.sh| killed after 0.5s" in said


def test_no_hooks_and_offline_root(root, runner):
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML)
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    assert run_hooks(Context(config=cfg, root=str(root), runner=runner, live=True)) == "none"
    assert run_hooks(ctx_for(root, runner, live=False)) == "not the running system (--root), 2 not run"
    assert runner.calls == []
