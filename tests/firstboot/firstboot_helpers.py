"""Helpers for firstboot tests: the contract example, a recording fake runner, file I/O."""
import os
import textwrap

from xenhost_firstboot.runner import Result

DHCP_YAML = textwrap.dedent("""\
    version: 1
    hostname: xh1
    management:
      interface: enp0s3
      mac: "52:54:00:12:34:56"
      mode: dhcp
      bridge: xenbr0
    storage:
      local-sr: {device: /dev/disk/by-partlabel/xenhost-sr, type: lvm}
    """)


def fake_ssh_keygen(argv):
    """Like `ssh-keygen -A [-f ROOT]`: create the three host key files."""
    root = argv[argv.index("-f") + 1] if "-f" in argv else "/"
    assert root != "/", "tests must never write real host keys"
    for key_type in ("rsa", "ecdsa", "ed25519"):
        write(root, f"etc/ssh/ssh_host_{key_type}_key", "fake key")


class FakeRunner:
    """Records every argv; answers from `responses` (argv tuple -> Result)."""

    def __init__(self, tools=("ssh-keygen", "vgcreate", "systemctl", "hostname", "udevadm")):
        self.tools = set(tools)
        self.calls = []
        self.responses = {}
        self.effects = {"ssh-keygen": fake_ssh_keygen}  # argv[0] -> side effect(argv)

    def which(self, name):
        return name in self.tools

    def run(self, argv, check=True):
        self.calls.append(list(argv))
        if argv[0] in self.effects:
            self.effects[argv[0]](argv)
        result = self.responses.get(tuple(argv), Result(0, "", ""))
        if check and result.returncode != 0:
            from xenhost_firstboot.errors import FirstbootError
            raise FirstbootError(f"fake `{' '.join(argv)}` failed", "test")
        return result

    def commands(self, name):
        return [c for c in self.calls if c[0] == name]


def write(root, relpath, content):
    path = os.path.join(str(root), relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
    return path


def read(root, relpath):
    with open(os.path.join(str(root), relpath), encoding="utf-8") as f:
        return f.read()
