"""VM lifecycle over a stateful fake xl: config written from the DB, power state resynchronised,
refusals and rollback leave the database as Xen is."""
from toolstack_helpers import xen_host

VG_SIZES = "  107374182400 107374182400\n"


def lvm_host(tmp_path):
    runner, xen, xe = xen_host(tmp_path)
    runner.respond(("vgs", "--noheadings", "--units"), VG_SIZES)
    runner.respond(("vgs", "--noheadings", "-o", "pv_name"), (5, "", "Volume group not found"))
    runner.respond(("pvs",), (5, "", "Failed to find physical volume"))
    runner.respond(("lsblk",), 'NAME="sdb" MOUNTPOINT="" TYPE="disk"\n')
    sr = xe("sr-create", "name-label=Local storage", "type=lvm", "device-config:device=/dev/sdb").strip()
    assert runner.ran("vgcreate", f"VG_XenStorage-{sr}", "/dev/sdb")
    return runner, xen, xe, sr


def test_install_start_shutdown_minimal_pvh(tmp_path):
    runner, xen, xe, sr = lvm_host(tmp_path)
    net = xe("network-create", "name-label=Pool-wide network", "bridge=xenbr0").strip()
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=tiny", f"sr-uuid={sr}").strip()
    vdi = xe("vdi-create", f"sr-uuid={sr}", "name-label=data", "virtual-size=1GiB").strip()
    xe("vbd-create", f"vm-uuid={vm}", f"vdi-uuid={vdi}", "device=0")
    vif = xe("vif-create", f"vm-uuid={vm}", f"network-uuid={net}", "device=0", "mac=random").strip()
    mac = xe("vif-param-get", f"uuid={vif}", "param-name=MAC").strip()
    assert mac.startswith("00:16:3e:")
    xe("vm-start", "vm=tiny")
    [config] = xen.configs
    assert f'uuid = "{vm}"' in config and 'type = "pvh"' in config
    assert 'kernel = "/boot/vmlinuz-6.1.0-25-amd64"' in config
    assert 'ramdisk = "/usr/lib/xenhost/guest/minimal-initrd.img"' in config and 'extra = "console=hvc0"' in config
    assert f'disk = ["format=raw,vdev=xvda,access=rw,target=/dev/VG_XenStorage-{sr}/LV-{vdi}"]' in config
    assert f'vif = ["mac={mac},bridge=xenbr0"]' in config
    assert "memory = 128" in config
    assert xe("vm-list", "uuid=" + vm, "params=power-state,dom-id", "--minimal") == "running\n"
    assert xe("vm-param-get", f"uuid={vm}", "param-name=dom-id") == "1\n"
    assert xe("vm-start", "vm=tiny", ok=False).startswith("You attempted an operation on a VM that was not in an "
                                                          "appropriate power state")
    assert xe("vm-uninstall", "vm=tiny", "--force", ok=False).startswith("Error: VM tiny is running")
    assert xe("vif-destroy", f"uuid={vif}", ok=False).startswith("Error: vif-destroy of a running VM")
    xe("vm-shutdown", "vm=tiny")
    assert runner.ran("xl", "shutdown", "-w", "1")
    assert xe("vm-param-get", f"uuid={vm}", "param-name=power-state") == "halted\n"
    xe("vm-uninstall", "vm=tiny", "--force")
    assert xe("vm-list", f"uuid={vm}") == ""
    # the user's own VDI (no owner flag) stays; its VBD goes with the VM
    assert xe("vdi-list", f"uuid={vdi}", "--minimal") == vdi + "\n"
    assert xe("vbd-list", f"vdi-uuid={vdi}") == ""


def test_domain_gone_behind_our_back_shows_halted(tmp_path):
    _, xen, xe = xen_host(tmp_path)
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=g").strip()
    xe("vm-start", f"uuid={vm}")
    xen.vanish(vm)
    assert xe("vm-list", f"uuid={vm}", "params=power-state", "--minimal") == "halted\n"
    assert xe("vm-param-get", f"uuid={vm}", "param-name=dom-id") == "-1\n"
    xe("vm-start", f"uuid={vm}")      # and it can start again
    assert xe("vm-list", f"uuid={vm}", "params=power-state", "--minimal") == "running\n"
    xe("vm-shutdown", f"uuid={vm}", "--force")
    assert xen.domains == {}


def test_failed_xl_create_rolls_back(tmp_path):
    runner, xen, xe = xen_host(tmp_path)
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=bad").strip()
    xen.fail_create = "libxl: error: libxl_device.c:1407:device_backend_callback: unable to add device"
    err = xe("vm-start", f"uuid={vm}", ok=False)
    assert err.startswith("The VM failed to start: `xl create")
    assert "unable to add device" in err
    assert xen.domains == {}                        # the half-made paused domain was destroyed
    assert runner.ran("xl", "destroy")
    assert xe("vm-param-get", f"uuid={vm}", "param-name=power-state") == "halted\n"
    assert xe("vm-param-get", f"uuid={vm}", "param-name=dom-id") == "-1\n"


def test_install_provisions_disks_and_rolls_back_without_space(tmp_path):
    runner, xen, xe, sr = lvm_host(tmp_path)
    vm = xe("vm-install", "template=Debian 12 (PVH)", "new-name-label=deb", f"sr-uuid={sr}").strip()
    [vbd] = xe("vbd-list", f"vm-uuid={vm}", "--minimal").strip().split(",")
    assert xe("vbd-param-get", f"uuid={vbd}", "param-name=other-config") == "owner: true\n"
    assert xe("vbd-param-get", f"uuid={vbd}", "param-name=device") == "xvda\n"
    assert runner.ran("lvcreate", "--yes", "--wipesignatures", "y")
    assert xe("vm-param-get", f"uuid={vm}", "param-name=other-config", "param-key=install-repository").startswith(
        "http://deb.debian.org/")
    runner.respond(("vgs", "--noheadings", "--units"), "  21474836480 1073741824\n")   # 1 GiB free
    before = xe("vm-list", "--minimal")
    err = xe("vm-install", "template=Debian 12 (PVH)", "new-name-label=deb2", f"sr-uuid={sr}", ok=False)
    assert err.startswith("Error: there is insufficient space in SR Local storage: 8589934592 bytes asked, "
                          "1073741824 free")
    assert xe("vm-list", "--minimal") == before     # no VM record left behind


def test_debian_first_start_fetches_the_netboot_installer(tmp_path):
    runner, xen, xe, sr = lvm_host(tmp_path)
    vm = xe("vm-install", "template=Debian 12 (PVH)", "new-name-label=deb", f"sr-uuid={sr}").strip()
    xe("vm-start", f"uuid={vm}")
    fetched = [c[-1] for c in runner.calls if c[0] == "curl"]
    assert fetched == [f"{u}/{n}" for u in [fetched[0].rsplit("/", 1)[0]] for n in ("linux", "initrd.gz")]
    assert f'kernel = "/var/lib/xenhost/install/{vm}/linux"' in xen.configs[0]
    xe("vm-shutdown", f"uuid={vm}", "--force")
    xe("vm-start", f"uuid={vm}")                      # installed: its own GRUB, no download
    assert 'kernel = "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"' in xen.configs[1]
    assert len([c for c in runner.calls if c[0] == "curl"]) == 2


def test_hvm_density_defaults(tmp_path):
    _, xen, xe, sr = lvm_host(tmp_path)
    vm = xe("vm-install", "template=Other install media (HVM)", "new-name-label=h", f"sr-uuid={sr}").strip()
    xe("vm-start", f"uuid={vm}")
    assert 'type = "hvm"' in xen.configs[0] and 'boot = "dc"' in xen.configs[0]
    for key in ("usb", "usbdevice", "serial"):
        assert not any(line.startswith(key + " ") for line in xen.configs[0].splitlines())
    xe("vm-shutdown", f"uuid={vm}", "--force")
    xe("vm-param-set", f"uuid={vm}", "platform:usb=true", "platform:usb-tablet=true", "platform:serial=pty")
    xe("vm-start", f"uuid={vm}")
    assert 'usb = 1\nusbdevice = ["tablet"]\nserial = "pty"' in xen.configs[1]


def test_autostart_starts_auto_poweron_vms(tmp_path):
    _, xen, xe = xen_host(tmp_path)
    auto = xe("vm-install", "template=Minimal PVH", "new-name-label=auto").strip()
    xe("vm-install", "template=Minimal PVH", "new-name-label=manual")
    xe("vm-param-set", f"uuid={auto}", "other-config:auto_poweron=true")
    assert xe("host-autostart") == f"started auto ({auto})\n"
    assert xe("vm-list", "power-state=running", "is-control-domain=false", "--minimal") == auto + "\n"
    assert xe("host-autostart") == ""                 # already running: nothing to do


def test_dom0_record_follows_xl(tmp_path):
    _, _, xe = xen_host(tmp_path)
    dom0 = xe("vm-list", "is-control-domain=true", "--minimal").strip()
    assert xe("vm-param-get", f"uuid={dom0}", "param-name=memory-dynamic-max") == f"{2048 * 1024 ** 2}\n"
    assert xe("vm-param-get", f"uuid={dom0}", "param-name=VCPUs-max") == "8\n"


def test_clone_copies_record_and_new_macs(tmp_path):
    _, _, xe = xen_host(tmp_path)
    net = xe("network-create", "name-label=n").strip()
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=src").strip()
    xe("vif-create", f"vm-uuid={vm}", f"network-uuid={net}", "device=0", "mac=00:16:3e:00:00:01")
    copy = xe("vm-clone", f"uuid={vm}", "new-name-label=copy").strip()
    [vif] = xe("vif-list", f"vm-uuid={copy}", "--minimal").strip().split(",")
    assert xe("vif-param-get", f"uuid={vif}", "param-name=MAC") != "00:16:3e:00:00:01\n"
    assert xe("vm-param-get", f"uuid={copy}", "param-name=PV-ramdisk") == "/usr/lib/xenhost/guest/minimal-initrd.img\n"


def test_reboot_and_disk_list(tmp_path):
    runner, xen, xe, sr = lvm_host(tmp_path)
    vm = xe("vm-install", "template=Debian 12 (PVH)", "new-name-label=r", f"sr-uuid={sr}").strip()
    xe("vm-param-set", f"uuid={vm}", "other-config:install-done=true")   # skip the netboot download
    disks = xe("vm-disk-list", f"uuid={vm}")
    assert "userdevice ( RO): 0" in disks and "virtual-size ( RO): 8589934592" in disks
    assert xe("vm-reboot", f"uuid={vm}", ok=False).startswith("You attempted an operation on a VM")
    xe("vm-start", f"uuid={vm}")
    first = xe("vm-param-get", f"uuid={vm}", "param-name=dom-id")
    xe("vm-reboot", f"uuid={vm}", "--force")                  # destroy + start: a new domain
    assert xe("vm-param-get", f"uuid={vm}", "param-name=dom-id") != first
    assert xe("vm-param-get", f"uuid={vm}", "param-name=power-state") == "running\n"


def test_guest_ignoring_shutdown_stays_running_until_forced(tmp_path):
    runner, xen, xe = xen_host(tmp_path)
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=stubborn").strip()
    xe("vm-start", f"uuid={vm}")
    runner.respond(("xl", "shutdown"), (1, "", "Timeout waiting for domain 1 to shut down"))
    err = xe("vm-shutdown", f"uuid={vm}", ok=False)
    assert err.startswith("The VM did not shut down cleanly") and "retry with --force" in err
    assert xe("vm-param-get", f"uuid={vm}", "param-name=power-state") == "running\n"
    xe("vm-shutdown", f"uuid={vm}", "--force")
    assert xe("vm-param-get", f"uuid={vm}", "param-name=power-state") == "halted\n"
