"""The state database: real SQLite files, WAL, schema version and migrations, and many concurrent
`xe` processes that neither corrupt it nor lose an update."""
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from toolstack_helpers import run_xe
from xenhost_toolstack import db as dbmod
from xenhost_toolstack.errors import XeError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XE = ("import sys; sys.path[:0] = [{common!r}, {toolstack!r}]; "
      "from xenhost_toolstack.cli import main; sys.exit(main(sys.argv[1:], root={root!r}))")


def xe_process(root, *args):
    code = XE.format(common=os.path.join(REPO, "common"), toolstack=os.path.join(REPO, "toolstack"), root=str(root))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_database_is_wal_with_schema_version(tmp_path):
    assert run_xe(["template-list"], root=tmp_path)[0] == 0
    conn = sqlite3.connect(tmp_path / "var/lib/xenhost/state.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    columns = {row[1] for row in conn.execute("PRAGMA table_info(vm)")}
    assert {"name_label", "memory_static_max", "other_config", "PV_kernel"} <= columns
    assert "vm_name_label" not in {row[1] for row in conn.execute("PRAGMA table_info(vbd)")}   # derived


def test_older_database_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "var/lib/xenhost/state.db"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)   # what an older xe wrote: a VM table without today's columns
    conn.execute("CREATE TABLE vm (uuid TEXT PRIMARY KEY, seq INTEGER, name_label, is_a_template, "
                 "is_control_domain, power_state, other_config)")
    conn.execute("INSERT INTO vm VALUES ('0b4d3f8e-7a61-4c0e-9d57-2c9a1e0f6b11', 1, 'old', 0, 0, 'halted', "
                 "'{\"auto_poweron\": \"true\"}')")
    conn.commit()
    conn.close()
    database = dbmod.Database(str(path))
    vm = database.get("vm", "0b4d3f8e-7a61-4c0e-9d57-2c9a1e0f6b11")
    assert vm["name-label"] == "old" and vm["other-config"] == {"auto_poweron": "true"}
    assert vm["VCPUs-max"] == 1 and vm["platform"] == {} and vm["domain-type"] == "pvh"   # new columns' defaults
    assert database.version() == dbmod.SCHEMA_VERSION


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "state.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={dbmod.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(XeError, match="newer than this xe understands"):
        dbmod.Database(str(path))
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_failed_change_leaves_nothing(tmp_path):
    database = dbmod.Database(str(tmp_path / "state.db"))
    with pytest.raises(RuntimeError):
        with database.write():
            database.insert("network", {"name-label": "half", "bridge": "xapi9"})
            raise RuntimeError("a later step failed")
    assert database.find("network") == []


def test_many_concurrent_xe_processes_lose_nothing(tmp_path):
    # 4 first-ever xe calls race to create and seed the database ...
    procs = [xe_process(tmp_path, "template-list", "--minimal") for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outs
    assert len({out for out, _ in outs}) == 1 and outs[0][0].count(",") == 3   # one set of 4 templates
    template = outs[0][0].split(",")[0]
    # ... then 12 read-modify-writes of the same map, all at once: none may be lost.
    procs = [xe_process(tmp_path, "template-param-add", f"uuid={template}", "param-name=other-config",
                        f"key{i}=value{i}") for i in range(12)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 12, outs
    code, out, _ = run_xe(["template-param-get", f"uuid={template}", "param-name=other-config", "--json"],
                          root=tmp_path)
    keys = json.loads(out)
    assert all(keys[f"key{i}"] == f"value{i}" for i in range(12))
    code, out, _ = run_xe(["host-list", "--minimal"], root=tmp_path)
    assert out.count(",") == 0                                          # one host record
    assert sqlite3.connect(tmp_path / "var/lib/xenhost/state.db").execute(
        "PRAGMA integrity_check").fetchone()[0] == "ok"
