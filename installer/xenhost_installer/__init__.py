"""xenhost host installer: answer (YAML or screens) -> InstallPlan -> preflight -> tasks."""
from xenhost_common.names import INSTALL_COMPLETE as MARKER_COMPLETE, INSTALL_FAILED as MARKER_FAILED  # noqa: F401
