"""The xl config of a VM, written from the database at every vm-start (xl.cfg(5)).

PV/PVH: direct kernel boot (kernel/ramdisk/extra), or the guest's own GRUB through Debian's
grub-xen-host (PV-bootloader=pvgrub64 -> firmware, pvgrub-pvh -> the PVH grub image as kernel).
HVM: XenServer's density defaults: libxl starts qemu with -nodefaults and adds USB, a USB
tablet and a serial port only when the config asks, so they are written only when the VM's
platform map sets them (platform:usb=true, platform:usb-tablet=true, platform:serial=pty).
"""
MIB = 1024 * 1024
PVGRUB_PVH = "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"


def _quote(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(items):
    return "[" + ", ".join(_quote(i) for i in items) + "]"


def disk_spec(vdev, target, mode="RW", cdrom=False):
    """xl-disk-configuration(5) key=value form; target last (it may contain commas)."""
    access = "ro" if mode == "RO" or cdrom else "rw"
    extra = ",devtype=cdrom" if cdrom else ""
    return f"format=raw,vdev={vdev},access={access}{extra},target={target}"


def config_text(vm, disks, vifs, domain_name, kernel=None):
    """vm: the VM record; disks: [(vdev, target, mode, is_cd)]; vifs: [(mac, bridge)]."""
    lines = [f"# Written by xe vm-start from /var/lib/xenhost/state.db; edits are overwritten.",
             f"name = {_quote(domain_name)}",
             f"uuid = {_quote(vm['uuid'])}",
             f"type = {_quote('pvh' if vm['domain-type'] == 'pv_in_pvh' else vm['domain-type'])}",
             f"memory = {vm['memory-dynamic-max'] // MIB}",
             f"maxmem = {max(vm['memory-static-max'], vm['memory-dynamic-max']) // MIB}",
             f"vcpus = {vm['VCPUs-at-startup']}",
             f"maxvcpus = {max(vm['VCPUs-max'], vm['VCPUs-at-startup'])}",
             f"on_poweroff = {_quote(vm['actions-after-shutdown'])}",
             f"on_reboot = {_quote(vm['actions-after-reboot'])}",
             f"on_crash = {_quote(vm['actions-after-crash'])}"]
    lines += _boot_lines(vm, kernel)
    if disks:
        lines.append(f"disk = {_list(disk_spec(v, t, m, cd) for v, t, m, cd in disks)}")
    if vifs:
        lines.append(f"vif = {_list(f'mac={mac},bridge={bridge}' for mac, bridge in vifs)}")
    if vm["domain-type"] == "hvm":
        lines += _hvm_devices(vm["platform"])
    return "\n".join(lines) + "\n"


def _boot_lines(vm, kernel):
    if vm["domain-type"] == "hvm":
        order = vm["HVM-boot-params"].get("order", "cd")
        return [f"boot = {_quote(order)}"]
    loader = vm["PV-bootloader"]
    if loader == "pvgrub64" and vm["domain-type"] == "pv":
        return ['firmware = "pvgrub64"']
    if loader == "pvgrub-pvh":
        return [f"kernel = {_quote(PVGRUB_PVH)}"]
    lines = [f"kernel = {_quote(kernel or vm['PV-kernel'])}"]
    if vm["PV-ramdisk"]:
        lines.append(f"ramdisk = {_quote(vm['PV-ramdisk'])}")
    if vm["PV-args"]:
        lines.append(f"extra = {_quote(vm['PV-args'])}")
    return lines


def _hvm_devices(platform):
    lines = []
    on = {k: str(v).lower() in ("true", "1", "yes") for k, v in platform.items()}
    if on.get("usb"):
        lines.append("usb = 1")
    if on.get("usb-tablet"):
        lines.append('usbdevice = ["tablet"]')
    if platform.get("serial") and platform["serial"] not in ("false", "0", "none"):
        lines.append(f"serial = {_quote(platform['serial'])}")
    if on.get("viridian"):
        lines.append("viridian = 1")
    if platform.get("vga"):
        lines.append(f"vga = {_quote(platform['vga'])}")
    return lines
