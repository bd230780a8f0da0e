"""A new database gets this host, its control domain (dom0) and the built-in templates."""
from .. import host
from .templates import TEMPLATES


def seed(ctx):
    db = ctx.db
    have = {t["other-config"].get("xenhost-template") for t in db.find("vm", {"is-a-template": True})}
    if db.find("host") and all(t["other-config"]["xenhost-template"] in have for t in TEMPLATES):
        return
    with db.write():   # re-read under the write lock: two first xe calls seed once
        if not db.find("host"):
            name = host.hostname(ctx.runner)
            record = db.insert("host", {"uuid": host.host_uuid(ctx.root), "name-label": name})
            db.insert("vm", {"name-label": f"Control domain on host: {name}", "is-control-domain": True,
                             "power-state": "running", "dom-id": 0, "domain-type": "pv",
                             "resident-on": record["uuid"]})
        have = {t["other-config"].get("xenhost-template") for t in db.find("vm", {"is-a-template": True})}
        for template in TEMPLATES:
            if template["other-config"]["xenhost-template"] not in have:
                db.insert("vm", {**template, "is-a-template": True})
