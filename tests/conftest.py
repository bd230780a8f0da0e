"""Put the component folders on sys.path (CONVENTIONS.md: tests/<component>/)."""
import os
import sys

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The repository root too: build-side packages (packages, iso, ci) import from there.
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)
for _component in ("common", "installer", "firstboot", "toolstack"):
    _path = os.path.join(_REPO, _component)
    if _path not in sys.path:
        sys.path.insert(0, _path)
