"""Test and release tooling: the qemu harness, e2e runners, figures and nightly snapshots."""
