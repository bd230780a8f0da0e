"""The declared first-boot sequence: (name, function(ctx) -> progress text).

Order matters: the marker is last so that any failure leaves the host to
retry on the next boot; every step is idempotent so a retry is safe.
"""
from .hostname import set_hostname
from .marker import write_marker
from .network import configure_management_network
from .sshkeys import generate_ssh_host_keys
from .storage import create_local_sr

STEPS = [
    ("hostname", set_hostname),
    ("network", configure_management_network),
    ("storage", create_local_sr),
    ("ssh", generate_ssh_host_keys),
    ("marker", write_marker),
]
