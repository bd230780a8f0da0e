"""xenhost on a Debian 12 machine someone already runs (ci/debian_image.py: Debian's kernel, GRUB,
openssh-server, DHCP through ifupdown, a file and a package of the user's), in qemu with user
networking: our apt repository (out/repo, signed) served over HTTP from loopback (10.0.2.2 in the
guest) with the documented `deb [signed-by=...]` line, Debian's packages from the configured
mirror; `apt install xenhost-core`, `xenhost-setup --answers` unattended (a local SR on the second
disk; network and name left to the machine's own), reboot into Xen: `xe host-param-list` shows
the Xen version, the bridge has the same address, SSH answers, the user's file and package are
there. Then `apt remove --autoremove xenhost-core` and a reboot gives Debian without Xen, still
at its address."""
import json
import re
import subprocess
import time

import pexpect
import pytest

from ci import debian_image
from buildlib.config import BuildConfig
from ci.qemu import VM, VMSpec, create_disk, free_port, ssh_banner

pytestmark = pytest.mark.e2e
HOST = debian_image.HOSTNAME
PROMPT = rf"root@{HOST}:~# "
ADDRESS = r"inet 10\.0\.2\.15/24"            # qemu's user network leases the first guest this address
KEYRING = "/usr/share/keyrings/xenhost-archive-keyring.gpg"
ANSWERS = "version: 1\ndisk: {guest: [/dev/vdb]}\nstorage: {type: lvm}\n"


@pytest.fixture
def debian_disk():
    config = BuildConfig()
    image = debian_image.image_path(config.out_dir)
    key_file = image.with_suffix(".key")
    if not image.exists() or not key_file.exists() or key_file.read_text().strip() != debian_image.key(config):
        pytest.fail(f"no current Debian 12 image at {image}: make it with "
                    "`flock /tmp/xenhost-build.lock .venv/bin/python ci/debian_image.py`")
    return image


@pytest.fixture
def repo_dir():
    repo = BuildConfig().repo_dir
    if not (repo / "deb" / "dists" / "xenhost" / "InRelease").exists() or \
            not (repo / "xenhost-archive-keyring.gpg").exists():
        pytest.fail(f"no signed apt repository in {repo}: build it with `./build.py packages`")
    return repo


def run(vm, phase, command, timeout):
    """A shell command whose exit status must be 0 (read as `rc-N-` after it)."""
    vm.send_line(f"{command}; echo rc-$?-")
    vm.expect_phase(phase, r"rc-(\d+)-", timeout)
    code = int(vm.child.match.group(1))
    assert code == 0, f"{phase}: `{command}` exited {code}\n{vm.tail(60)}"
    vm.expect_phase(phase + " prompt", PROMPT, 60)


def user_things_there(vm, tag):
    vm.check(f"{tag}: user file", f"cat {debian_image.USER_FILE}", "the user's own file", PROMPT)
    vm.check(f"{tag}: user package", debian_image.USER_PACKAGE, "Hello, world!", PROMPT)


def test_xenhost_on_a_debian_12_machine_and_off_again(debian_disk, repo_dir, e2e_dir, answer_server):
    (e2e_dir / "repo").symlink_to(repo_dir)
    (e2e_dir / "answers.yaml").write_text(ANSWERS)
    disk = e2e_dir / "debian.qcow2"               # the cached image stays as built
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(debian_disk), "-F", "qcow2", str(disk)],
                   check=True)
    sr_disk = create_disk(e2e_dir / "sr.qcow2", "8G")
    port = free_port()
    spec = VMSpec(name="debian", workdir=e2e_dir, disks=[disk, sr_disk], memory_mb=3072, boot_order="c",
                  hostfwd=(f"tcp:127.0.0.1:{port}-:22",))
    repo_url = f"{answer_server}/repo"
    with VM(spec) as vm:
        vm.expect_phase("boot Debian", f"{HOST} login:", 600)
        vm.login(debian_image.ROOT_PASSWORD, PROMPT)
        vm.check("address before", "ip -4 -o addr show dev eth0", ADDRESS, PROMPT)
        user_things_there(vm, "before")
        # firstboot/README.md's steps, word for word but for -y and the server's address
        run(vm, "keyring", f"curl -fsS -o {KEYRING} {repo_url}/xenhost-archive-keyring.gpg", 120)
        run(vm, "sources", f'echo "deb [signed-by={KEYRING}] {repo_url}/deb xenhost main" '
                           "> /etc/apt/sources.list.d/xenhost.list", 60)
        run(vm, "apt update", "apt-get update -q", 600)
        run(vm, "apt install", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q xenhost-core", 2700)
        run(vm, "xenhost-setup", f"xenhost-setup --answers {answer_server}/answers.yaml", 900)
        vm.check("address kept until the reboot", "ip -4 -o addr show dev eth0", ADDRESS, PROMPT)
        assert ssh_banner(port, 60), "SSH stopped answering after xenhost-setup"
        run(vm, "boot file", "cat /etc/default/grub.d/50-xenhost-install.cfg; grep -m3 ^menuentry /boot/grub/grub.cfg",
            60)
        vm.send_line("reboot")
        vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 900)
        # first boot runs once under Xen (xenhost-setup wrote its data): the same answers again
        if vm.expect_phase("first boot under Xen", ["xenhost-firstboot: done", f"{HOST} login:"], 900) == 0:
            vm.expect_phase("login under Xen", f"{HOST} login:", 600)
        vm.login(debian_image.ROOT_PASSWORD, PROMPT)
        vm.check("toolstack", "xe host-param-list", r"xen: 4\.17\.\d+-xenhost", PROMPT, timeout=180)
        vm.check("dom0", "cat /proc/xen/capabilities", "control_d", PROMPT)
        vm.check("same address on the bridge", "ip -4 -o addr show dev xenbr0", ADDRESS, PROMPT)
        vm.check("local SR", "xe sr-list name-label='Local storage' params=type", "lvm", PROMPT, timeout=180)
        vm.check("no wizard", "ls /var/lib/xenhost/setup-pending", "No such file or directory", PROMPT)
        banner = ssh_banner(port)
        assert banner and banner.startswith("SSH-2.0-OpenSSH"), banner
        user_things_there(vm, "under Xen")

        run(vm, "apt remove", "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q --autoremove xenhost-core", 1800)
        run(vm, "no Xen left", "! ls /boot/xen* && ! grep multiboot /boot/grub/grub.cfg && "
                               "grep '^iface eth0 inet dhcp' /etc/network/interfaces", 60)
        vm.send_line("reboot")
        seen = vm.expect_phase("reboot to Debian", [r"Xen version", f"{HOST} login:"], 900)
        assert seen == 1, f"Xen still boots after apt remove:\n{vm.tail(40)}"
        vm.login(debian_image.ROOT_PASSWORD, PROMPT)
        vm.check("no dom0", "ls /proc/xen/capabilities", "No such file or directory", PROMPT)
        vm.check("address after", "ip -4 -o addr show dev eth0", ADDRESS, PROMPT)
        user_things_there(vm, "after")
        assert ssh_banner(port), "SSH does not answer after the removal"
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    phases = dict(vm.phases, ssh_banner=banner, finished=time.strftime("%Y-%m-%d %H:%M:%S"))
    (e2e_dir / "phases.json").write_text(json.dumps(phases, indent=2) + "\n")
    assert re.search(r"dom0_mem=\d+M", vm.log_path.read_text(errors="replace"))
