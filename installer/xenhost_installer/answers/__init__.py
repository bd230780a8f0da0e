"""Answer files: one JSON schema (schema.json) drives validation, the `validate` command and messages.
XenServer/XCP-ng XML answer files are translated to the same answers first (xenserver.py)."""
from .source import fetch_text, load, parse_text
from .validation import problems, validate
from .redact import redact, redacted_yaml

__all__ = ["fetch_text", "load", "parse_text", "problems", "validate", "redact", "redacted_yaml"]
