"""Names every runtime component shares, spelled once (CONVENTIONS.md points here)."""

MANAGEMENT_BRIDGE = "xenbr0"             # the management network's bridge
LOCAL_SR_VG = "xenhost-sr"               # volume group of the local SR (lvm and ext)
SR_MOUNT_DIR = "/run/sr-mount"           # ext SRs are mounted at SR_MOUNT_DIR/<sr-uuid>
FIRSTBOOT_DATA = "/etc/xenhost/firstboot.yaml"
FIRSTBOOT_HOOKS_DIR = "/etc/xenhost/firstboot.d"
FIRSTBOOT_DONE = "/var/lib/xenhost/firstboot.done"
STATE_DIR = "/var/lib/xenhost"
PYTHON_DIR = "/usr/lib/xenhost/python"

# Console markers the e2e tier waits for: keep them stable.
INSTALL_COMPLETE = "xenhost-installer: installation complete"
INSTALL_FAILED = "xenhost-installer: INSTALLATION FAILED:"
FIRSTBOOT_DONE_MARKER = "xenhost-firstboot: done"
SETUP_DONE_MARKER = "xenhost-setup: done"           # the setup wizard applied its answers
