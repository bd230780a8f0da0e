"""The declared first-boot sequence, in three stages, as weighted tasks (xenhost_common.tasks).

configure runs early (xenhost-firstboot.service, before systemd-networkd reads its files), and
holds only what networkd needs, so the network comes up as early as it can;
keys at the same time (xenhost-firstboot-keys.service, before ssh.service): ssh-keygen is pure
CPU, the configure steps mostly wait for their commands, so on two CPUs the keys come nearly for
free (the RSA key, 18-30 s of CPU under emulation, after the login prompt: sshkeys.py);
finish (xenhost-firstboot-finish.service) starts right after configure, before the login prompts:
the SR first, while networkd brings the network up beside it (the SR needs no network: it was
4.9 s of configure's time under TCG that the network waited for), then it waits for
network-online.target where the network matters (hooks may reach it, a missing DHCP lease is
judged only after DHCP had its chance: online.py); what the data left undecided (the root
password, a network without a lease, ...) is left to the setup wizard, which waits on the
console: boot never does.
Order matters: the marker is last so that any failure leaves the host to retry on the next boot;
every step is idempotent so a retry is safe. Each step function returns one line saying what it
did; weights are rough seconds under TCG (the SR and the SSH keys are the slow ones).
"""
from xenhost_common.tasks import Task

from .errors import FirstbootError
from .hooks import run_hooks
from .hostname import set_hostname
from .marker import write_marker
from .network import configure_management_network
from .password import set_root_password
from .sshkeys import generate_ssh_host_keys
from .storage import create_local_sr
from .wizard.pending import leave_to_wizard

LVM_PROGRAMS = ("udevadm", "pvs", "vgs", "vgcreate", "vgextend", "lvs", "lvcreate", "blkid", "mkfs.ext4",
                "findmnt", "mount")


UNDECIDED = "undecided: left to the first-boot wizard (xenhost-setup)"


def step(name, function, weight, programs=(), undecided=None):
    """A Task whose run() keeps the step's one-line result in ctx.details[name].
    undecided(config): True when the data leaves this step's choice to the wizard; it is skipped."""
    def run(ctx):
        if undecided and undecided(ctx.config):
            ctx.details[name] = UNDECIDED
            return
        try:
            ctx.details[name] = function(ctx)
        except OSError as e:
            raise FirstbootError(f"step {name}: {e}",
                                 "fix the file system problem, then run xenhost-firstboot again") from e
    return Task(name, run, weight, tuple(programs))


STAGES = {
    "configure": [
        step("hostname", set_hostname, 1, ("hostname",), undecided=lambda c: c.hostname is None),
        step("network", configure_management_network, 2, ("systemctl",),
             undecided=lambda c: c.management.mode == "none"),
    ],
    "keys": [
        step("ssh", generate_ssh_host_keys, 5, ("ssh-keygen",)),
    ],
    "finish": [
        step("storage", create_local_sr, 10, LVM_PROGRAMS),
        step("root-password", set_root_password, 1, ("chpasswd",)),
        step("hooks", run_hooks, 5, ("systemctl",)),
        step("wizard", leave_to_wizard, 2, ("ip", "systemctl")),
        step("marker", write_marker, 1),
    ],
}
STEPS = [task for tasks in STAGES.values() for task in tasks]
LAST_STAGE = list(STAGES)[-1]       # the one that writes the marker and says "done"


def chosen(stage):
    """The tasks of one stage, or of "all"."""
    return list(STEPS) if stage == "all" else list(STAGES[stage])


def number_of(task):
    """1-based place of task in the whole sequence: a stage run keeps the whole run's numbers."""
    return STEPS.index(task) + 1
