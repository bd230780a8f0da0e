"""Host commands beyond the generic ones: capacity."""
from ..operations.capacity import compute_max_vms, format_capacity
from ..values import parse_int, parse_size
from .registry import command


@command("host-compute-max-vms", optional=("vcpus", "memory", "disks", "vifs", "type"),
         description="how many more VMs of this shape fit on the live host, and which limit binds first")
def host_compute_max_vms(ctx, args):
    shape = {"vcpus": parse_int(args.get("vcpus", "1"), "vcpus"),
             "memory": parse_size(args.get("memory", "1GiB"), "memory"),
             "disks": parse_int(args.get("disks", "1"), "disks"),
             "vifs": parse_int(args.get("vifs", "1"), "vifs"),
             "type": args.get("type", "pvh")}
    return format_capacity(compute_max_vms(ctx, shape), args.flag("json"))
