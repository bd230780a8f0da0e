"""Power state from `xl list`: the database follows what Xen runs, never the other way round.

A domain destroyed behind the toolstack's back (xl destroy, a crash, a host reboot) shows halted
at the next read, never stuck "running". VMs with an operation in flight (their lock is held)
are left to that operation. Domains xl knows and the database does not (made with plain `xl
create`) are not adopted: the toolstack is the only writer of its database.
"""
from ..drivers.xl import xe_power_state


def resync(ctx):
    domains = ctx.xl.domains()
    running = {d.uuid: d for d in domains if d.uuid}
    changes = _dom0(ctx, next((d for d in domains if d.domid == 0), None))
    for vm in ctx.db.find("vm", {"is-a-template": False, "is-control-domain": False}):
        domain = running.get(vm["uuid"])
        state, domid = (xe_power_state(domain), domain.domid) if domain else ("halted", -1)
        if (vm["power-state"], vm["dom-id"]) != (state, domid):
            changes[vm["uuid"]] = {"power-state": state, "dom-id": domid}
    if not changes:
        return {}
    with ctx.db.write():   # one write, only when something changed (lists stay read-only)
        for uuid, change in changes.items():
            if not ctx.busy(uuid):
                ctx.db.update("vm", uuid, change)
    return changes


def _dom0(ctx, domain):
    """The control domain's record follows dom0's real size (dom0_mem=, vCPUs)."""
    if domain is None:
        return {}
    size = domain.memory_mib * 1024 * 1024
    wanted = {"memory-static-max": size, "memory-dynamic-max": size, "memory-dynamic-min": size,
              "VCPUs-max": domain.vcpus, "VCPUs-at-startup": domain.vcpus}
    changes = {}
    for dom0 in ctx.db.find("vm", {"is-control-domain": True}):
        if any(dom0[k] != v for k, v in wanted.items()):
            changes[dom0["uuid"]] = wanted
    return changes
