"""xe's syntax, record layout, selection and error wordings (XAPI's), with a fake dom0."""
import json
import uuid

from toolstack_helpers import dom0_runner, run_xe, xen_host
from xenhost_toolstack.cli.printing import format_record
from xenhost_toolstack.fields import Field, MAP

GIB16 = 16275 * 1024 * 1024


def test_record_layout_matches_xe():
    text = format_record([(Field("uuid"), "u-1"), (Field("name-label", rw=True), "xh1"),
                          (Field("software-version", MAP), {"xen": "4.17.5", "linux": "6.1"})])
    assert text == ("uuid ( RO)            : u-1\n"
                    "      name-label ( RW): xh1\n"
                    "software-version (MRO): xen: 4.17.5; linux: 6.1\n")


def test_host_param_list(tmp_path):
    code, out, err = run_xe(["host-list", "--minimal"], root=tmp_path)
    host_uuid = (tmp_path / "etc/xenhost/host-uuid").read_text().strip()
    assert out == host_uuid + "\n"
    uuid.UUID(host_uuid)
    code, out, err = run_xe(["host-param-list", f"uuid={host_uuid}"], root=tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"uuid ( RO)            : {host_uuid}"
    assert "      name-label ( RW): xh1" in lines
    assert "         address ( RO): 192.0.2.10" in lines
    assert ("software-version (MRO): product_brand: xenhost; xen: 4.17.5-xenhost; "
            "linux: 6.1.0-25-amd64") in lines
    assert (" xen_commandline ( RO): placeholder dom0_mem=2048M,max:2048M "
            "no-real-mode edd=off") in lines
    assert ("    capabilities (SRO): xen-3.0-x86_64; hvm-3.0-x86_32; hvm-3.0-x86_32p; "
            "hvm-3.0-x86_64") in lines
    assert "        cpu_info (MRO): cpu_count: 8; socket_count: 1; speed: 2394.454" in lines
    assert f"    memory-total ( RO): {GIB16}" in lines
    assert f"     memory-free ( RO): {11843 * 1024 * 1024}" in lines
    # every label ends in the same column, like xe
    assert len({line.index(":") for line in lines if line}) == 1
    assert out.endswith("\n\n\n")


def test_host_list_works_without_xen(tmp_path):
    runner = dom0_runner(missing=("xl",))
    code, out, _ = run_xe(["host-list"], runner=runner, root=tmp_path)
    assert code == 0 and "name-label ( RW): xh1" in out
    assert not any(call[0] == "xl" for call in runner.calls)
    code, _, err = run_xe(["host-list", "params=memory-free"], runner=runner, root=tmp_path)
    assert code == 1 and err.startswith("cannot talk to Xen: the `xl` command was not found\n  fix: ")


def test_corrupt_host_uuid_file(tmp_path):
    (tmp_path / "etc/xenhost").mkdir(parents=True)
    (tmp_path / "etc/xenhost/host-uuid").write_text("garbage\n")
    code, _, err = run_xe(["host-list"], root=tmp_path)
    assert code == 1 and "/etc/xenhost/host-uuid does not hold a UUID" in err


def test_vm_list_defaults_dom0_and_no_templates(tmp_path):
    code, out, err = run_xe(["vm-list"], root=tmp_path)
    assert code == 0, err
    [record] = out.split("\n\n\n")[:-1]
    labels = [line.split(":")[0].strip() for line in record.splitlines()]
    assert labels == ["uuid ( RO)", "name-label ( RW)", "power-state ( RO)"]
    assert "Control domain on host: xh1" in record
    _, out, _ = run_xe(["template-list", "params=name-label", "--minimal"], root=tmp_path)
    assert out.startswith("Minimal PVH,Debian 12 (PVH),Other install media (HVM)")


def test_filters_params_minimal_and_escaping(tmp_path):
    _, _, xe = xen_host(tmp_path)
    template = xe("template-list", "name-label=Minimal PVH", "--minimal").strip()
    a = xe("vm-install", f"template={template}", "new-name-label=web, the first").strip()
    b = xe("vm-install", "template=Minimal PVH", "new-name-label=db").strip()
    xe("vm-param-set", f"uuid={b}", "other-config:role=database")
    assert xe("vm-list", "is-control-domain=false", "params=name-label", "--minimal") == "web\\, the first,db\n"
    assert xe("vm-list", "other-config:role=database", "--minimal") == b + "\n"
    assert xe("vm-list", "power-state=halted", "domain-type=pvh", "--minimal") == f"{a},{b}\n"
    assert xe("vm-list", "name-label=nothing") == ""
    assert xe("vm-list", "uuid=" + a, "params=power-state,name-label") == (
        "name-label ( RW) : web, the first\npower-state ( RO): halted\n\n\n")
    assert json.loads(xe("vm-list", f"uuid={a}", "params=uuid,VCPUs-max,is-a-template,platform", "--json")) == [
        {"uuid": a, "is-a-template": False, "VCPUs-max": 1, "platform": {}}]


def test_param_get_set_add_remove(tmp_path):
    _, _, xe = xen_host(tmp_path)
    vm = xe("vm-install", "template=Minimal PVH", "new-name-label=t").strip()
    err = xe("vm-param-set", f"uuid={vm}", "memory-dynamic-max=1GiB", ok=False)
    assert err.startswith("Error: the memory limits would not satisfy static-min <= dynamic-min")
    xe("vm-param-set", f"uuid={vm}", "memory-static-max=1GiB", "VCPUs-max=2", "platform:usb=false",
       "name-description=a test")
    assert xe("vm-param-get", f"uuid={vm}", "param-name=memory-static-max") == f"{1024 ** 3}\n"
    assert xe("vm-param-get", f"uuid={vm}", "param-name=platform", "param-key=usb") == "false\n"
    xe("vm-param-add", f"uuid={vm}", "param-name=other-config", "auto_poweron=true")
    xe("vm-param-add", f"uuid={vm}", "param-name=tags", "param-key=web")
    assert "          tags (SRW): web" in xe("vm-param-list", f"uuid={vm}")
    xe("vm-param-remove", f"uuid={vm}", "param-name=platform", "param-key=usb")
    err = xe("vm-param-get", f"uuid={vm}", "param-name=platform", "param-key=usb", ok=False)
    assert err.startswith("Error: Key usb not found in map\n")
    assert xe("vm-param-set", f"uuid={vm}", "power-state=running", ok=False).startswith(
        "Error: Field 'power-state' is read-only.\n")
    assert xe("vm-param-set", f"uuid={vm}", "VCPUs-max=many", ok=False).startswith(
        "Error: Invalid value for VCPUs-max: 'many'\n")
    assert xe("vm-param-set", f"uuid={vm}", "domain-type=xen", ok=False).startswith(
        "Error: Invalid value for domain-type: 'xen'\n  fix: one of: hvm, pv, pvh, pv_in_pvh")
    assert xe("vm-param-set", f"uuid={vm}", "colour=blue", ok=False).startswith("Error: Unknown field 'colour'")


def test_sizes_and_booleans_as_xapi_spells_them():
    from xenhost_toolstack.values import parse_bool, parse_size
    assert [parse_size(s) for s in ("4096", "1k", "512MiB", "10GiB", "1TiB", "7b")] == [
        4096, 1024, 512 * 1024 ** 2, 10 * 1024 ** 3, 1024 ** 4, 7]
    assert [parse_bool(s) for s in ("true", "T", "yes", "y", "1", "false", "f", "no", "n", "0")] == [True] * 5 + [False] * 5


def test_xapi_error_wordings(tmp_path):
    def err_of(*args):
        code, out, err = run_xe(list(args), root=tmp_path)
        assert code == 1 and out == ""
        return err
    assert err_of("vm-frobnicate") == "Unknown command: vm-frobnicate\nFor usage run: 'xe help'\n"
    assert err_of("uuid=1", "vm-list").startswith("Syntax error: command name is missing\n")
    assert err_of("vm-param-list").startswith("Required parameter not found: uuid\n")
    assert err_of("vm-param-list", "uuid=nope") == (
        "The uuid you supplied was invalid.\ntype: VM\nuuid: nope\n  fix: list them with `xe vm-list`\n")
    assert err_of("vm-list", "colour=blue").startswith("Error: Unknown field 'colour'\n")
    assert err_of("vm-list", "params=colour").startswith("Error: Unknown field 'colour'\n")
    assert err_of("vm-list", "running").startswith("Syntax error: argument 'running' is not of the form")
    assert err_of("vm-start", "vm=ghost").startswith("Error: No matching VMs found\n")
    assert err_of("sr-create", "name-label=x").startswith("Required parameter not found: type\n")
    assert err_of("vdi-create", "sr-uuid=x", "name-label=d", "virtual-size=1GiB", "colour=red").startswith(
        "Unknown parameter 'colour' for vdi-create\n")


def test_selector_multiple(tmp_path):
    _, _, xe = xen_host(tmp_path)
    for name in ("a", "b"):
        xe("vm-install", "template=Minimal PVH", f"new-name-label={name}")
    assert xe("vm-start", "power-state=halted", ok=False).startswith(
        "Error: Multiple matches VMs found. --multiple required to complete the operation\n")
    xe("vm-start", "power-state=halted", "--multiple")
    assert xe("vm-list", "power-state=running", "is-control-domain=false", "--minimal").count(",") == 1


def test_help_is_generated_from_the_commands():
    code, out, _ = run_xe(["help"])
    assert code == 0
    for name in ("vm-list", "vm-install", "sr-create", "vdi-create", "vif-create", "template-list",
                 "host-compute-max-vms", "network-param-set"):
        assert f"  {name}" in out
    code, out, _ = run_xe(["help", "vm-install"])
    assert out.startswith("command name            : vm-install\n        reqd params     : new-name-label\n")
    assert run_xe([])[0] == 1
    assert run_xe(["help", "nope"])[2].startswith("Unknown command: nope")


def test_host_param_list_without_uuid_lists_the_one_host(tmp_path):
    """Beyond XAPI: `xe host-param-list` alone lists this host (the README's first command)."""
    code, out, err = run_xe(["host-param-list"], root=tmp_path)
    assert code == 0, err
    host_uuid = (tmp_path / "etc/xenhost/host-uuid").read_text().strip()
    assert out.splitlines()[0] == f"uuid ( RO)            : {host_uuid}"
    assert "xen: 4.17.5-xenhost" in out
    code, _out, err = run_xe(["vm-param-list"], root=tmp_path)       # other classes still need uuid=
    assert code == 1 and "Required parameter not found: uuid" in err
