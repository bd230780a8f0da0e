"""Helpers for firstboot tests: the contract example, the shared fake runner set up for first boot,
file I/O."""
import os
import textwrap

from xenhost_common.testing import FakeRunner

SR_PART = "/dev/disk/by-partuuid/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
GUEST = "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"

DHCP_YAML = textwrap.dedent(f"""\
    version: 1
    hostname: xh1
    management:
      interface: enp0s3
      mac: "52:54:00:12:34:56"
      mode: dhcp
      bridge: xenbr0
    storage:
      local-sr: {{type: lvm, devices: [{SR_PART}]}}
    """)


def fake_ssh_keygen(argv):
    """Like `ssh-keygen -q -t TYPE -N "" -f PATH`: write that key (and its .pub)."""
    path = argv[argv.index("-f") + 1]
    assert not path.startswith("/etc/"), "tests must never write real host keys"
    for name in (path, path + ".pub"):
        with open(name, "w") as f:
            f.write("fake key\n")
    return (0, "", "")


LEASE = "7: xenbr0    inet 10.0.2.15/24 metric 1024 brd 10.0.2.255 scope global dynamic xenbr0\n"
IP_ADDR = ("ip", "-4", "-o", "addr", "show", "dev", "xenbr0")


def make_runner(**kwargs):
    """The shared FakeRunner, with an ssh-keygen that writes keys like the real one and a bridge
    that got its DHCP lease."""
    runner = FakeRunner(**kwargs)
    runner.respond(("ssh-keygen",), fake_ssh_keygen)
    runner.respond(IP_ADDR, LEASE)
    return runner


def commands(runner, name):
    """The calls of one program, in order."""
    return [c for c in runner.calls if c[0] == name]


def write(root, relpath, content, mode=None):
    path = os.path.join(str(root), relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
    if mode is not None:
        os.chmod(path, mode)
    return path


def read(root, relpath):
    with open(os.path.join(str(root), relpath), encoding="utf-8") as f:
        return f.read()


def answer(code, stdout="", stderr=""):
    """A scripted command result for FakeRunner.respond (argv prefix -> exit code and output)."""
    return (code, stdout, stderr)
