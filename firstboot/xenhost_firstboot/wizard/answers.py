"""The wizard's answers are the installer's (same keys, same screens, same checks): first-boot data
is turned into them to fill the screens, and the answers are merged back into first-boot data
(the contract's schema checks the result before it is written).

  firstboot.yaml                       answers (installer schema)
  hostname                             hostname
  management {interface, mac, mode,    network {interface (name), mode, address, gateway, vlan, dns}
    address, gateway, vlan, dns}
  root-password: ask                   root-password {hash}   (applied with chpasswd -e, then dropped)
  storage.local-sr {type, devices}     local-sr {disk: /dev/... | None} (the wizard's own key),
                                       storage {type}
"""
import copy

from xenhost_common import names

NETWORK_KEYS = ("address", "gateway", "vlan", "dns")


def from_firstboot(data):
    """Screen answers (their defaults) from first-boot data."""
    mgmt = data.get("management") or {}
    network = {"mode": mgmt["mode"] if mgmt.get("mode") in ("dhcp", "static") else "dhcp"}
    if mgmt.get("interface"):
        network["interface"] = mgmt["interface"]
    network.update({k: mgmt[k] for k in NETWORK_KEYS if k in mgmt})
    answers = {"network": network}
    if data.get("hostname"):
        answers["hostname"] = data["hostname"]
    return answers


def management(network, nic):
    """The contract's management section for the answers' network on nic (host.Nic)."""
    mgmt = {"interface": nic.name, "mac": nic.mac, "mode": network.get("mode", "dhcp"),
            "bridge": names.MANAGEMENT_BRIDGE}
    if network.get("vlan"):
        mgmt["vlan"] = network["vlan"]
    if mgmt["mode"] == "static":
        mgmt["address"] = network["address"]
        if network.get("gateway"):
            mgmt["gateway"] = network["gateway"]
    if network.get("dns"):
        mgmt["dns"] = list(network["dns"])
    return mgmt


def to_firstboot(data, answers, pending, nic, sr_devices):
    """First-boot data with the answered sections replaced; nic: the chosen host.Nic (network);
    sr_devices: the local SR's devices (local-sr with a disk)."""
    out = copy.deepcopy(data)
    out["version"] = 1
    if "network" in pending:
        out["management"] = management(answers.get("network") or {}, nic)
    if "hostname" in pending:
        out["hostname"] = answers["hostname"]
    if "local-sr" in pending:
        sr_type = (answers.get("storage") or {}).get("type", "lvm")
        out["storage"] = {"local-sr": {"type": sr_type, "devices": list(sr_devices)}} if sr_devices else {}
    if "root-password" in pending:
        out.pop("root-password", None)      # answered: nothing left to ask on a later run
    return out
