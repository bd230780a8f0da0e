"""Facts about the machine the installer runs on (RAM, console, NICs), read once and injectable."""
import os
import re
from dataclasses import dataclass, field


@dataclass
class Nic:
    name: str
    mac: str
    carrier: bool = False


@dataclass
class HostFacts:
    ram_bytes: int
    serial: tuple = None            # (port index, baud) when /dev/console is a serial port, else None
    nics: list = field(default_factory=list)


def read_ram_bytes(meminfo="/proc/meminfo"):
    with open(meminfo) as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def serial_console(active_text, cmdline_raw):
    """/sys/class/tty/console/active lists the consoles; the LAST one is /dev/console, where the
    installer's output goes. Baud comes from console=ttySn,BAUD on the kernel command line."""
    names = active_text.split()
    if not names:
        return None
    m = re.fullmatch(r"ttyS(\d+)", names[-1])
    if not m:
        return None
    baud = 115200
    for arg in cmdline_raw.get("console", []):
        cm = re.fullmatch(r"ttyS%s,(\d+).*" % m.group(1), arg)
        if cm:
            baud = int(cm.group(1))
    return int(m.group(1)), baud


def read_nics(sysfs="/sys/class/net"):
    """Physical NICs only (they have a `device` link); sorted by name for a stable `auto` choice."""
    nics = []
    for name in sorted(os.listdir(sysfs)) if os.path.isdir(sysfs) else []:
        base = os.path.join(sysfs, name)
        if not os.path.exists(os.path.join(base, "device")):
            continue
        def read(attr):
            try:
                with open(os.path.join(base, attr)) as f:
                    return f.read().strip()
            except OSError:
                return ""
        nics.append(Nic(name, read("address").lower(), read("carrier") == "1"))
    return nics


def pick_nic(spec, nics):
    """Resolve interface: auto | kernel name | MAC. auto = first NIC with link, else the first NIC."""
    if spec in (None, "", "auto"):
        linked = [n for n in nics if n.carrier]
        return (linked or nics or [None])[0]
    spec_l = spec.lower()
    return next((n for n in nics if n.name == spec or n.mac == spec_l), None)


def gather(cmdline_raw):
    try:
        with open("/sys/class/tty/console/active") as f:
            active = f.read()
    except OSError:
        active = ""
    return HostFacts(ram_bytes=read_ram_bytes(), serial=serial_console(active, cmdline_raw), nics=read_nics())
