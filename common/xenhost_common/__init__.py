"""xenhost's shared runtime core, shipped on hosts and in the installer (package xenhost-common):
the command runner, the error base, atomic files, the task sequence with weighted progress, and
the installer -> first-boot contract (schema + shared names). Debian's python3 only."""
