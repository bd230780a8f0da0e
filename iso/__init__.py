"""Build side, step 3: repositories -> kiwi images (dom0 root, installer) -> hybrid ISO."""
