"""Waiting for the network inside the finish stage, once, only where it matters.

The finish unit no longer starts after network-online.target: its first step, the SR, needs no
network and runs while networkd brings the bridge up. The hooks (they may fetch from the site's
servers) and the wizard's "no DHCP lease" judgement (DHCP must have had its chance, up to
systemd-networkd-wait-online's own timeout, as before) wait for the target here. `systemctl start`
joins the boot's own job for the target and returns when it is reached (reached also when
wait-online gives up: the target only Wants it), and at once when it already is.
"""


def wait_for_network_online(ctx):
    if not ctx.live or ctx.network_online:
        return
    ctx.runner.run(["systemctl", "start", "network-online.target"], check=False)
    ctx.network_online = True
