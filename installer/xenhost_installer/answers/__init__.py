"""Answer files: one JSON schema (schema.json) drives validation, the `validate` command, messages and
the reference doc (docs.py); rules.py adds what JSON schema cannot say, catalog.py the keymap and
time zone lists. XenServer/XCP-ng XML answer files are translated to the same answers first (xenserver.py)."""
from .source import fetch_bytes, fetch_text, load, parse_text
from .validation import problems, validate
from .redact import redact, redact_location, redacted_yaml

__all__ = ["fetch_bytes", "fetch_text", "load", "parse_text", "problems", "validate", "redact", "redact_location",
           "redacted_yaml"]
