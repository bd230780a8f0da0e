"""What the boot path's entry points import, checked in a fresh interpreter.

Under emulation (qemu TCG) an import costs 20-40 times its native time, on the boot critical path of
the installer and of first boot. Modules that only a rare branch needs are imported inside that
branch; a module-level import anywhere on the way would bring them back without a test failing, so
this one names them per entry point.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COMPONENTS = ("common", "installer", "firstboot", "toolstack")

# entry point -> modules its import must leave out (and the branch that imports them)
LEFT_OUT = {
    "xenhost_firstboot.cli": {
        "urwid": "the setup wizard's screens (xenhost-setup) only",
    },
    "xenhost_installer.cli": {
        "urwid": "the interactive screens only",
        "xenhost_installer.answers.xenserver": "XML answer files only",
        "xml.etree.ElementTree": "XML answer files only",
        "crypt": "a plaintext root password only",
        "zoneinfo": "a time zone to check (answer file or screen) only",
        "difflib": "an unknown keymap (its near names) only",
    },
    "xenhost_toolstack.cli": {
        "xml.etree.ElementTree": "vm-install of a template with disks only",
    },
}


def modules_after_import(module):
    """sys.modules of a new interpreter that imported module (the components on its path)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(REPO / c) for c in COMPONENTS),
               PYTHONDONTWRITEBYTECODE="1")
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("entry", sorted(LEFT_OUT))
def test_entry_point_leaves_rare_branches_unimported(entry):
    loaded = modules_after_import(entry)
    wrong = {name: why for name, why in LEFT_OUT[entry].items() if name in loaded}
    assert not wrong, f"{entry} imports modules only a rare branch needs: {wrong}"
