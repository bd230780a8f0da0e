"""dom0 bridges for networks. xenbr0 is systemd-networkd's (first boot writes it); bridges of
networks made with network-create are made by the toolstack when a VM on them starts."""


def bridge_exists(ctx, bridge):
    return ctx.runner.run(["ip", "link", "show", "dev", bridge], check=False).ok


def ensure_bridge(ctx, bridge):
    if bridge_exists(ctx, bridge):
        return False
    ctx.runner.run(["ip", "link", "add", "name", bridge, "type", "bridge"])
    ctx.runner.run(["ip", "link", "set", "dev", bridge, "up"])
    return True
