"""Answer defaults are declared once, in schema.json: change one there and the plan, the screens
and the summary follow (nothing restates them)."""
import copy

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.answers import declared
from xenhost_installer.ui.summary_screen import install_lines

from installer_fixtures import E2E_ANSWERS
from ui_harness import make


@pytest.fixture
def changed_defaults(monkeypatch):
    schema = copy.deepcopy(declared.schema())
    schema["properties"]["storage"]["properties"]["type"]["default"] = "ext"
    schema["properties"]["atexit"]["default"] = "poweroff"
    schema["properties"]["hostname"]["default"] = "rack-host"
    monkeypatch.setattr(declared, "schema", lambda: schema)


def answers_without_defaults():
    data = yaml.safe_load(E2E_ANSWERS)
    del data["atexit"], data["hostname"]
    return data


def test_the_schema_declares_the_defaults_the_plan_uses():
    plan = planmod.from_answers(answers_without_defaults())
    assert (plan.storage_type, plan.atexit, plan.hostname) == ("lvm", "reboot", "xenhost")
    assert (plan.storage_type, plan.atexit) == (declared.default("storage.type"), declared.default("atexit"))


def test_changed_defaults_change_the_plan(changed_defaults):
    plan = planmod.from_answers(answers_without_defaults())
    assert (plan.storage_type, plan.atexit, plan.hostname) == ("ext", "poweroff", "rack-host")
    assert planmod.InstallPlan(disk="/dev/vda").storage_type == "ext"


def test_changed_defaults_change_the_screens_and_summary(changed_defaults):
    d = make().walk_to("storage")
    assert "* ext: an ext4 filesystem" in d.text()          # the screen preselects the schema's default
    d.walk_to("summary")
    lines = dict(install_lines(d.ui.flow))
    assert lines["Storage type"] == "EXT" and lines["Host name"] == "rack-host"
    assert "When finished:     poweroff" in d.text()


def test_given_reads_answers_then_defaults():
    assert declared.given({"storage": {"type": "ext"}}, "storage.type") == "ext"
    assert declared.given({"storage": None}, "storage.type") == "lvm"
    assert declared.given({}, "network.dns") == [] and declared.given(None, "atexit") == "reboot"
