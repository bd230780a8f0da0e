"""xenhost host installer: answer (YAML or screens) -> InstallPlan -> preflight -> tasks."""

# Console markers the e2e test waits for; CONVENTIONS.md says keep them stable.
MARKER_COMPLETE = "xenhost-installer: installation complete"
MARKER_FAILED = "xenhost-installer: INSTALLATION FAILED:"
