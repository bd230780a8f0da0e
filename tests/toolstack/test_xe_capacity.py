"""host-compute-max-vms: limits from the live host (faked /proc under the root, xl info fixture)."""
import json

from toolstack_helpers import xen_host


def test_capacity_names_the_binding_limit(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    (tmp_path / "proc/sys/fs").mkdir(parents=True)
    (tmp_path / "proc/sys/fs/aio-max-nr").write_text("1048576\n")
    (tmp_path / "proc/sys/fs/aio-nr").write_text("0\n")
    (tmp_path / "proc/interrupts").write_text("".join(f" {n}: 0 xen-dyn -event evtchn\n" for n in range(100)))
    (tmp_path / "proc/4242/fd").mkdir(parents=True)
    (tmp_path / "proc/4242/limits").write_text("Max open files            1024                 4096      files\n")
    runner.respond(("pidof", "xenstored"), "4242\n")
    result = json.loads(xe("host-compute-max-vms", "vcpus=1", "memory=1GiB", "disks=3", "vifs=1", "--json"))
    limits = {l["limit"]: l for l in result["limits"]}
    # xl info fixture: 11843 MiB free; 1 GiB + Xen's overhead (8 MiB + 2 MiB) per VM -> 11
    assert limits["free memory (xl info free_memory)"]["fits"] == 11843 // (1024 + 8 + 2)
    assert limits["dom0 event channels"]["available"] == 131071 - 100
    assert limits["xenstored connections (open files)"]["fits"] == 1024 // 3
    assert result["max-vms"] == 11 and result["binding-limit"] == "free memory (xl info free_memory)"
    text = xe("host-compute-max-vms", "memory=64MiB", "disks=8", "vifs=4")
    assert text.startswith("61 more VMs with 1 vCPU, 64 MiB, 8 disk(s), 4 VIF(s) fit; the binding limit: "
                           "dom0 grant mappings (maptrack)")


def test_hvm_guests_are_bounded_by_dom0_memory_for_qemu(tmp_path):
    _, _, xe = xen_host(tmp_path)
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc/meminfo").write_text("MemTotal: 2097152 kB\nMemAvailable: 409600 kB\n")
    result = json.loads(xe("host-compute-max-vms", "memory=256MiB", "type=hvm", "--json"))
    assert result["binding-limit"] == "dom0 memory for device models (qemu)" and result["max-vms"] == 10
    pvh = json.loads(xe("host-compute-max-vms", "memory=256MiB", "--json"))
    assert "dom0 memory for device models (qemu)" not in [l["limit"] for l in pvh["limits"]]
