"""Host fields read from the running system when printed (never stored: they change).

Each takes (ctx, record); ctx.xl_info() runs `xl info` once per xe command. host-list's default
fields need none of these, so it works on a dom0 booted without Xen.
"""
from . import host

PRODUCT_BRAND = "xenhost"
MIB = 1024 * 1024


def hostname(ctx, record):
    return host.hostname(ctx.runner)


def address(ctx, record):
    return host.management_address(ctx.runner)


def xen_version(ctx, record):
    info = ctx.xl_info()
    if "xen_major" in info and "xen_minor" in info:   # xen_extra carries its dot: ".5-xenhost"
        return f"{info['xen_major']}.{info['xen_minor']}{info.get('xen_extra', '')}"
    return info.get("xen_version", "")


def dom0_kernel(ctx, record):
    return ctx.xl_info().get("release", "")   # xl info's release = dom0's `uname -r`


def software_version(ctx, record):
    return {"product_brand": PRODUCT_BRAND, "xen": xen_version(ctx, record), "linux": dom0_kernel(ctx, record)}


def xen_commandline(ctx, record):
    return ctx.xl_info().get("xen_commandline", "")


def capabilities(ctx, record):
    return ctx.xl_info().get("xen_caps", "").split()


def cpu_info(ctx, record):
    info = ctx.xl_info()
    result = {"cpu_count": info.get("nr_cpus", "")}
    try:  # xl prints no socket count: derive it like xapi's cpu_info
        per_socket = int(info["cores_per_socket"]) * int(info["threads_per_core"])
        result["socket_count"] = int(info["nr_cpus"]) // per_socket
    except (KeyError, ValueError, ZeroDivisionError):
        pass
    if "cpu_mhz" in info:
        result["speed"] = info["cpu_mhz"]
    return result


def _bytes(value):
    try:
        return int(value) * MIB   # xl prints MiB; xe shows bytes
    except (TypeError, ValueError):
        return ""


def memory_total(ctx, record):
    return _bytes(ctx.xl_info().get("total_memory"))


def memory_free(ctx, record):
    return _bytes(ctx.xl_info().get("free_memory"))
