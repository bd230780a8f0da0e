"""Helpers for firstboot tests: the contract example, a recording fake runner, a fake console,
file I/O."""
import os
import textwrap

from xenhost_firstboot.runner import Result

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


def fake_ssh_keygen(argv, runner):
    """Like `ssh-keygen -A [-f ROOT]`: create the three host key files."""
    root = argv[argv.index("-f") + 1] if "-f" in argv else "/"
    assert root != "/", "tests must never write real host keys"
    for key_type in ("rsa", "ecdsa", "ed25519"):
        write(root, f"etc/ssh/ssh_host_{key_type}_key", "fake key")


class FakeRunner:
    """Records every argv (and stdin); answers from `responses` (argv tuple -> Result).
    stream() answers from `scripts` (argv[0] -> (exit code, output lines))."""

    def __init__(self, tools=("ssh-keygen", "vgcreate", "systemctl", "hostname", "udevadm")):
        self.tools = set(tools)
        self.calls = []
        self.inputs = []
        self.responses = {}
        self.scripts = {}
        self.envs = []
        self.effects = {"ssh-keygen": fake_ssh_keygen}  # argv[0] -> side effect(argv, runner)

    def which(self, name):
        return name in self.tools

    def run(self, argv, check=True, input=None):
        self.calls.append(list(argv))
        self.inputs.append(input)
        if argv[0] in self.effects:
            self.effects[argv[0]](argv, self)
        result = self.responses.get(tuple(argv), Result(0, "", ""))
        if check and result.returncode != 0:
            from xenhost_firstboot.errors import FirstbootError
            raise FirstbootError(f"fake `{' '.join(argv)}` failed", "test")
        return result

    def stream(self, argv, on_line, env=None, timeout=None):
        self.calls.append(list(argv))
        self.envs.append(env)
        code, lines = self.scripts.get(argv[0], (0, []))
        for line in lines:
            on_line(line)
        return code

    def commands(self, name):
        return [c for c in self.calls if c[0] == name]


class FakeConsole:
    """Answers ask_secret() from a script (None = end of input); records what the operator saw."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.shown = []

    def tell(self, text):
        self.shown.append(text)

    def ask_secret(self, prompt):
        self.shown.append(prompt)
        assert self.answers, "the step asked more often than the test scripted"
        return self.answers.pop(0)


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
