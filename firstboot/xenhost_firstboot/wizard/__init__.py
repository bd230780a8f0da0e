"""The first-boot wizard (`xenhost-setup`): asks, on the host's console, what the first-boot data
left undecided (pending.py), with the installer's screens and look; applies the answers with first
boot's own steps (apply.py). Re-runnable later to change the management network or the host name."""
