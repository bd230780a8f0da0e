"""The xe commands xenhost supports: name -> Command(run, params, summary).

A command's run(env, params) returns a list of records (lists of Field);
list commands accept any of their fields as a filter (`power-state=running`),
`params=a,b` to choose fields and `--minimal` for comma-separated uuids.
"""
from dataclasses import dataclass
from typing import Callable, Tuple

from . import host
from .errors import XeError
from .records import Field, map_field, set_field
from .xl import MIB, Xl, xen_version

PRODUCT_BRAND = "xenhost"


@dataclass
class Env:
    runner: object
    root: str = "/"


@dataclass
class Command:
    run: Callable
    params: Tuple[str, ...]      # accepted param=value names
    summary: str
    is_list: bool = False        # accepts filters, params=, --minimal


def host_fields(env, info):
    name = host.hostname(env.runner)
    cpu_info = {"cpu_count": info.get("nr_cpus", "")}
    try:  # sockets are not printed by xl; derive them like xapi's cpu_info
        per_socket = int(info["cores_per_socket"]) * int(info["threads_per_core"])
        cpu_info["socket_count"] = int(info["nr_cpus"]) // per_socket
    except (KeyError, ValueError, ZeroDivisionError):
        pass
    if "cpu_mhz" in info:
        cpu_info["speed"] = info["cpu_mhz"]
    kernel = info.get("release", "")  # xl info's release = dom0's `uname -r`
    return [
        Field("uuid", host.host_uuid(env.root)),
        Field("name-label", name),
        Field("hostname", name),
        Field("address", host.management_address(env.runner)),
        map_field("software-version", {"product_brand": PRODUCT_BRAND,
                                       "xen": xen_version(info), "linux": kernel}),
        Field("xen_version", xen_version(info)),
        Field("xen_commandline", info.get("xen_commandline", "")),
        set_field("capabilities", info.get("xen_caps", "").split()),
        map_field("cpu_info", cpu_info),
        Field("memory-total", _mib_to_bytes(info.get("total_memory"))),
        Field("memory-free", _mib_to_bytes(info.get("free_memory"))),
        Field("dom0-kernel", kernel),
    ]


def _mib_to_bytes(value):
    """xl prints MiB; xe shows bytes."""
    try:
        return int(value) * MIB
    except (TypeError, ValueError):
        return ""


def host_param_list(env, params):
    fields = host_fields(env, Xl(env.runner).info())
    if "uuid" in params and params["uuid"] != fields[0].value:
        raise XeError(f"no host with uuid {params['uuid']}", "list hosts with `xe host-list`")
    return [fields]


def host_list(env, params):
    # No xl needed: works on a dom0 booted without Xen too.
    return [[Field("uuid", host.host_uuid(env.root)),
             Field("name-label", host.hostname(env.runner))]]


def vm_list(env, params):
    return [[Field("uuid", d.uuid or ""),
             Field("name-label", d.name),
             Field("power-state", d.power_state),
             Field("dom-id", d.domid),
             Field("memory-actual", d.memory_mib * MIB),
             Field("is-control-domain", "true" if d.domid == 0 else "false")]
            for d in Xl(env.runner).domains()]


COMMANDS = {
    "host-list": Command(host_list, ("uuid", "name-label"),
                         "list hosts (uuid, name-label)", is_list=True),
    "host-param-list": Command(host_param_list, ("uuid",),
                               "all parameters of this host (Xen version, CPUs, memory...)"),
    "vm-list": Command(vm_list, ("uuid", "name-label", "power-state", "dom-id",
                                 "memory-actual", "is-control-domain"),
                       "list domains known to Xen (`xl list`)", is_list=True),
    "help": Command(None, (), "this help; `xe help <command>` for one command"),
}
