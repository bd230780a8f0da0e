"""Build-side shared pieces: configuration, the command runner, errors, signing, host tools,
file hashing and apt index reading. `packages/`, `iso/`, `publish/` and `export/` build on it;
none of them reaches into another's internals."""
import os
import sys

# The build side's errors derive from the runtime core's one error base (common/xenhost_common).
_COMMON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "common")
if _COMMON not in sys.path:
    sys.path.insert(0, _COMMON)
