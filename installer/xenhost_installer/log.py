"""Logging: everything to /tmp/xenhost-installer.log (copied to the target later); the console only
gets the runner's progress lines and the final marker, so errors stay readable on a serial line."""
import logging

LOG_PATH = "/tmp/xenhost-installer.log"


def setup(path=LOG_PATH, level=logging.DEBUG):
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return path
