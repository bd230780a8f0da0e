"""Rules JSON schema cannot express: distinct guest disks, IPv4 subnets, DNS/NTP servers, time zones,
keymaps. Each rule maps answers to [(path parts, message)]; a value of the wrong type is left to the
schema's own message, so the two never report the same problem twice. Messages name the problem and
the fix, and never say which file format's key to edit (XML answers are checked by the same rules)."""
import ipaddress
import re

from .catalog import keymaps, timezone_problem
from .declared import schema


def _mapping(value):
    return value if isinstance(value, dict) else {}


def _items(value):
    """(index, item) for a list; nothing for anything else (the schema reports that)."""
    return [(i, v) for i, v in enumerate(value)] if isinstance(value, list) else []


def guest_disks(answers):
    disk = _mapping(answers.get("disk"))
    out, seen = [], set()
    for i, dev in _items(disk.get("guest")):
        if not isinstance(dev, str):
            continue
        if dev == disk.get("primary"):
            out.append((["disk", "guest", i], "%s is the primary disk; fix: remove it here (the rest of the "
                                              "primary disk becomes storage anyway)" % dev))
        elif dev in seen:
            out.append((["disk", "guest", i], "%s is listed twice; fix: list each disk once" % dev))
        seen.add(dev)
    return out


def _ipv4_interface(text):
    """(IPv4Interface or None, problem or None) for a static address given with its prefix."""
    try:
        iface = ipaddress.ip_interface(text)
        if "/" not in text:
            raise ValueError
    except ValueError:
        return None, "%r is not valid; fix: give an address with prefix length, e.g. 192.0.2.10/24" % text
    if iface.version != 4:
        return None, "%r is IPv6; fix: give an IPv4 address with prefix length (IPv6 management is not " \
                     "supported yet)" % text
    net = iface.network
    if net.prefixlen <= 30 and iface.ip in (net.network_address, net.broadcast_address):
        return None, "%r is the network or broadcast address of %s; fix: use a host address inside it" % (text, net)
    return iface, None


def _gateway_problem(text, iface):
    try:
        gateway = ipaddress.ip_address(text)
    except ValueError:
        return "%r is not valid; fix: give the router's IPv4 address, e.g. 192.0.2.1" % text
    if gateway.version != 4:
        return "%r is IPv6; fix: give the router's IPv4 address" % text
    if iface is None:
        return None
    if gateway not in iface.network:
        return ("%s is outside the subnet %s of the static address; fix: give a gateway inside that subnet, or "
                "correct the address's prefix length" % (text, iface.network))
    if gateway == iface.ip:
        return "%s is the host's own address; fix: give the router's address" % text
    return None


def static_network(answers):
    net = _mapping(answers.get("network"))
    out, iface = [], None
    if isinstance(net.get("address"), str):
        iface, problem = _ipv4_interface(net["address"])
        if problem:
            out.append((["network", "address"], problem))
    if isinstance(net.get("gateway"), str):
        problem = _gateway_problem(net["gateway"], iface)
        if problem:
            out.append((["network", "gateway"], problem))
    return out


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def dns_servers(answers):
    net = _mapping(answers.get("network"))
    return [(["network", "dns", i], "%r is not an IP address; fix: give the name server's address, e.g. 192.0.2.53"
             % server) for i, server in _items(net.get("dns")) if isinstance(server, str) and not _is_ip(server)]


def _host_name_pattern():
    """schema.json's host name pattern: one definition for hostname and NTP server names."""
    return re.compile(schema()["properties"]["hostname"]["pattern"])


def _is_host(text):
    if re.fullmatch(r"[0-9.]+", text) or ":" in text:      # looks numeric: must really be an address
        return _is_ip(text)
    return len(text) <= 253 and _host_name_pattern().match(text) is not None


def ntp_servers(answers):
    return [(["ntp-servers", i], "%r is not a host name or IP address; fix: e.g. 0.pool.ntp.org or 192.0.2.123"
             % server) for i, server in _items(answers.get("ntp-servers"))
            if isinstance(server, str) and not _is_host(server)]


def timezone(answers):
    zone = answers.get("timezone")
    problem = timezone_problem(zone) if isinstance(zone, str) else None
    return [(["timezone"], problem)] if problem else []


def keymap(answers):
    name = answers.get("keymap")
    if not isinstance(name, str) or name in keymaps():
        return []
    import difflib      # imported here: only an unknown keymap needs it (~1 ms of every installer start)
    near = difflib.get_close_matches(name, list(keymaps()), n=3)
    fix = "did you mean %s? (all keymaps: the answer file reference)" % " or ".join(near) if near else \
        "use one of %s" % ", ".join(keymaps())
    return [(["keymap"], "%r is not a keymap the installer knows; fix: %s" % (name, fix))]


def restore_boot(answers):     # upgrade applies boot:; restore brings the backup back with its own options
    return [(["boot"], "is not used by restore (the backup boots with the options it had); fix: remove it, and change "
             "them on the host afterwards")] if answers.get("mode") == "restore" and "boot" in answers else []


RULES = (guest_disks, static_network, dns_servers, ntp_servers, timezone, keymap, restore_boot)


def problems(answers):
    return [found for rule in RULES for found in rule(answers)]
