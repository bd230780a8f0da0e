"""xe commands end to end with a fake xl: layout, values, errors."""
import uuid

from toolstack_helpers import dom0_runner, run_xe
from xenhost_toolstack.records import Field, format_record, map_field

GIB16 = 16275 * 1024 * 1024


def test_record_layout_matches_xe():
    text = format_record([Field("uuid", "u-1"), Field("name-label", "xh1"),
                          map_field("software-version", {"xen": "4.17.5", "linux": "6.1"})])
    assert text == ("uuid ( RO)            : u-1\n"
                    "      name-label ( RO): xh1\n"
                    "software-version (MRO): xen: 4.17.5; linux: 6.1\n")


def test_host_param_list(tmp_path):
    code, out, err = run_xe(["host-param-list"], root=tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    host_uuid = (tmp_path / "etc/xenhost/host-uuid").read_text().strip()
    uuid.UUID(host_uuid)
    assert lines[0] == f"uuid ( RO)            : {host_uuid}"
    assert "      name-label ( RO): xh1" in lines
    assert "         address ( RO): 192.0.2.10" in lines
    assert ("software-version (MRO): product_brand: xenhost; xen: 4.17.5-xenhost; "
            "linux: 6.1.0-25-amd64") in lines
    assert "     xen_version ( RO): 4.17.5-xenhost" in lines
    assert (" xen_commandline ( RO): placeholder dom0_mem=2048M,max:2048M "
            "no-real-mode edd=off") in lines
    assert ("    capabilities (SRO): xen-3.0-x86_64; hvm-3.0-x86_32; hvm-3.0-x86_32p; "
            "hvm-3.0-x86_64") in lines
    assert "        cpu_info (MRO): cpu_count: 8; socket_count: 1; speed: 2394.454" in lines
    assert f"    memory-total ( RO): {GIB16}" in lines
    assert f"     memory-free ( RO): {11843 * 1024 * 1024}" in lines
    assert "     dom0-kernel ( RO): 6.1.0-25-amd64" in lines
    # every label ends in the same column, like xe
    assert len({line.index(":") for line in lines if line}) == 1


def test_host_uuid_is_stable(tmp_path):
    _, first, _ = run_xe(["host-list"], root=tmp_path)
    _, second, _ = run_xe(["host-list"], root=tmp_path)
    assert first == second
    assert first.startswith("uuid ( RO)      : ") and first.endswith("\n\n\n")
    assert "name-label ( RO): xh1" in first


def test_host_param_list_wrong_uuid(tmp_path):
    code, _, err = run_xe(["host-param-list", "uuid=nope"], root=tmp_path)
    assert code == 1 and "no host with uuid nope" in err


def test_corrupt_host_uuid_file(tmp_path):
    (tmp_path / "etc/xenhost").mkdir(parents=True)
    (tmp_path / "etc/xenhost/host-uuid").write_text("garbage\n")
    code, _, err = run_xe(["host-list"], root=tmp_path)
    assert code == 1 and "/etc/xenhost/host-uuid does not hold a UUID" in err


def test_vm_list_records():
    code, out, err = run_xe(["vm-list"])
    assert code == 0, err
    records = out.split("\n\n\n")
    assert records[-1] == ""
    assert len(records) == 4
    assert records[1].splitlines() == [
        "uuid ( RO)             : 6e1a4f0c-3b2d-4c5e-9f10-2a3b4c5d6e7f",
        "       name-label ( RO): web01",
        "      power-state ( RO): running",
        "           dom-id ( RO): 3",
        "    memory-actual ( RO): 1073741824",
        "is-control-domain ( RO): false",
    ]


def test_vm_list_filter_params_minimal():
    _, out, _ = run_xe(["vm-list", "power-state=crashed", "params=name-label,dom-id"])
    assert out == "name-label ( RO): crashed-vm\n    dom-id ( RO): 5\n\n\n"
    _, out, _ = run_xe(["vm-list", "is-control-domain=false", "--minimal"])
    assert out == "6e1a4f0c-3b2d-4c5e-9f10-2a3b4c5d6e7f,a1b2c3d4-0000-4000-8000-00000000000a\n"
    _, out, _ = run_xe(["vm-list", "name-label=nothing"])
    assert out == ""


def test_unknown_command():
    code, out, err = run_xe(["vm-frobnicate"])
    assert code == 1 and out == ""
    assert err == "Unknown command: vm-frobnicate\nFor usage run: 'xe help'\n"


def test_unknown_parameter():
    code, _, err = run_xe(["vm-list", "colour=blue"])
    assert code == 1
    assert err.startswith("xe: unknown parameter 'colour' for vm-list\n  fix: accepted: ")


def test_argument_without_equals():
    code, _, err = run_xe(["vm-list", "running"])
    assert code == 1 and "not of the form param=value" in err


def test_unknown_params_field():
    code, _, err = run_xe(["vm-list", "params=colour"])
    assert code == 1 and "unknown field 'colour'" in err


def test_help():
    code, out, _ = run_xe(["help"])
    assert code == 0
    for name in ("host-list", "host-param-list", "vm-list", "help"):
        assert f"  {name}" in out
    code, out, _ = run_xe(["help", "vm-list"])
    assert code == 0 and "command name            : vm-list" in out
    assert run_xe([])[0] == 1


def test_xl_missing_says_so_plainly(tmp_path):
    runner = dom0_runner(missing=("xl",))
    code, out, err = run_xe(["host-param-list"], runner=runner, root=tmp_path)
    assert code == 1 and out == ""
    assert err == ("xe: cannot talk to Xen: the `xl` command was not found\n"
                   "  fix: is this host booted with the Xen hypervisor? check `xl info`\n")


def test_xl_failing_not_under_xen():
    runner = dom0_runner()
    runner.responses[("xl", "list", "-v")] = (
        1, "", "xc: error: Could not obtain handle on privileged command interface (2 = No such file or directory)\n"
               "libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: No such file or directory\n")
    code, _, err = run_xe(["vm-list"], runner=runner)
    assert code == 1
    assert err.startswith("xe: cannot talk to Xen: `xl list -v` failed (exit 1): libxl: error:")
    assert err.endswith("\n  fix: is this host booted with the Xen hypervisor? check `xl info`\n")


def test_host_list_works_without_xen(tmp_path):
    runner = dom0_runner(missing=("xl",))
    code, out, _ = run_xe(["host-list"], runner=runner, root=tmp_path)
    assert code == 0 and "name-label ( RO): xh1" in out
    assert not any(call[0] == "xl" for call in runner.calls)


def test_address_empty_when_bridge_missing(tmp_path):
    runner = dom0_runner()
    runner.responses[("ip", "-o", "addr", "show", "dev", "xenbr0", "scope", "global")] = (1, "", "Device \"xenbr0\" does not exist.")
    _, out, _ = run_xe(["host-param-list"], runner=runner, root=tmp_path)
    assert "         address ( RO): \n" in out
