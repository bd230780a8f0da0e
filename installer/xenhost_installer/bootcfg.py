"""Boot configuration text: Xen and dom0 command lines for /etc/default/grub.d/50-xenhost-install.cfg.

Debian's /etc/grub.d/20_linux_xen puts GRUB_CMDLINE_XEN + GRUB_CMDLINE_XEN_DEFAULT on the Xen line,
and GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT (when non-empty) replaces GRUB_CMDLINE_LINUX_DEFAULT for
the dom0 kernel of the Xen entries only, so native-Linux entries keep their own console settings.
"""
import shlex

MiB = 1024 ** 2


def dom0_mem_mib(host_ram_bytes):
    """XenServer policy: 1 GiB + 5 % of host RAM, capped at 8 GiB."""
    return min(1024 + int(host_ram_bytes / MiB * 0.05), 8192)


def xen_args(host, extra=""):
    mem = dom0_mem_mib(host.ram_bytes)
    args = ["dom0_mem=%dM,max:%dM" % (mem, mem)]
    if host.serial:
        port, baud = host.serial
        com = "com%d" % (port + 1)
        args += ["console=%s,vga" % com, "%s=%d,8n1" % (com, baud)]
    return " ".join(args + ([extra] if extra else []))


def dom0_args(host, extra=""):
    args = ["console=hvc0"] if host.serial else []
    return " ".join(args + ([extra] if extra else []))


def grub_defaults_text(plan, host):
    lines = ["# Written by xenhost-installer: boot options chosen at install time.",
             "# Edit, then run update-grub.",
             "GRUB_CMDLINE_XEN_DEFAULT=%s" % shlex.quote(xen_args(host, plan.xen_extra_args))]
    dom0 = dom0_args(host, plan.dom0_extra_args)
    if dom0:
        lines.append("GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=%s" % shlex.quote(dom0))
    return "\n".join(lines) + "\n"
