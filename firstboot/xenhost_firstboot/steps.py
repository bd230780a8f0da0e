"""The declared first-boot sequence: (name, function(ctx) -> progress text), in two stages.

configure runs early (xenhost-firstboot.service, before systemd-networkd reads its files);
finish runs once the network is up and before the login prompts (xenhost-firstboot-finish.service)
with the console as its terminal, so the root password can be asked and hooks can reach the network.
Order matters: the marker is last so that any failure leaves the host to retry on the next boot;
every step is idempotent so a retry is safe.
"""
from .hooks import run_hooks
from .hostname import set_hostname
from .marker import write_marker
from .network import configure_management_network
from .password import set_root_password
from .sshkeys import generate_ssh_host_keys
from .storage import create_local_sr

STAGES = {
    "configure": [
        ("hostname", set_hostname),
        ("network", configure_management_network),
        ("storage", create_local_sr),
        ("ssh", generate_ssh_host_keys),
    ],
    "finish": [
        ("root-password", set_root_password),
        ("hooks", run_hooks),
        ("marker", write_marker),
    ],
}
STEPS = [step for steps in STAGES.values() for step in steps]


def numbered(stage):
    """[(number in the whole sequence, name, function)] for one stage, or for "all"."""
    chosen = STEPS if stage == "all" else STAGES[stage]
    return [(STEPS.index(step) + 1, *step) for step in chosen]
