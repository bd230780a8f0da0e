"""Finding one record by uuid, with XAPI's error when there is none (used by commands and operations)."""
from .errors import XeError
from .fields import CLASSES


def by_uuid(ctx, cls_name, uuid):
    """The record with this uuid, else XAPI's 'The uuid you supplied was invalid.'"""
    cls = CLASSES[cls_name]
    record = ctx.db.get(cls_name, uuid) if uuid else None
    if record is None:
        raise XeError("The uuid you supplied was invalid.", f"list them with `xe {cls_name}-list`",
                      type=cls.api, uuid=uuid)
    return record
