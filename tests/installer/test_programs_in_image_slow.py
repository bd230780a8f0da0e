"""Slow tier: every program an install, upgrade or restore task declares (tasks/sequence.py) is
shipped by a package of the built installer image (its kiwi package manifest), through the one
program -> package table (xenhost_common.programs). A program missing there fails the install half
way on real hardware; this finds it at build time."""
import dataclasses

import pytest
import yaml

from xenhost_common.programs import PROGRAM_PACKAGES
from xenhost_common.tasks import programs_of
from xenhost_installer import plan as planmod
from xenhost_installer.existing import ExistingInstall
from xenhost_installer.tasks.sequence import build_tasks

from build_outputs import built
from installer_fixtures import E2E_ANSWERS

pytestmark = pytest.mark.slow


def every_mode_plans():
    answers = yaml.safe_load(E2E_ANSWERS)
    answers["disk"]["guest"] = ["/dev/vdb"]
    plan = planmod.from_answers(answers)
    plan = dataclasses.replace(plan, disk_path="/dev/vda", guest_disk_paths=["/dev/vdb"])
    old = ExistingInstall("/dev/vda", "0.1", "xh1", backup_version="0.1", unfinished_upgrade="from 0.1")
    return [plan] + [dataclasses.replace(plan, mode=mode, existing=old) for mode in ("upgrade", "restore")]


def test_every_declared_program_is_shipped_by_the_installer_image():
    manifest = built("installer_packages").read_text().splitlines()
    shipped = {line.split("|", 1)[0] for line in manifest if line.strip()}
    declared = {}
    for plan in every_mode_plans():
        declared.update(programs_of(build_tasks(plan)))
    assert {"mdadm", "vgchange", "sgdisk", "sfdisk", "tar", "zstd"} <= set(declared)
    unknown = sorted(p for p in declared if p not in PROGRAM_PACKAGES)
    assert not unknown, "programs with no package in xenhost_common/programs.py: %s" % unknown
    missing = sorted("%s (package %s, task: %s)" % (p, PROGRAM_PACKAGES[p], task)
                     for p, task in declared.items() if PROGRAM_PACKAGES[p] not in shipped)
    assert not missing, ("the installer image lacks: %s; fix: add the packages to the xenhost-installer spec's "
                         "Requires or iso/images.yaml, then ./build.py iso" % "; ".join(missing))
