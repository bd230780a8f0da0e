"""What every xe command works with: the runner (process boundary), the root (tests: a temporary
folder), the database, cached `xl info`, and per-object locks.

Locks: a lifecycle operation (vm-start, vm-shutdown, vdi-destroy ...) holds an flock on
/run/xenhost/locks/<uuid> from its checks to its last write, so two `xe vm-start` of one VM cannot
both see "halted"; database writes themselves are serialised by SQLite (BEGIN IMMEDIATE).
"""
import contextlib
import fcntl
import os

from xenhost_common.runner import Runner

from .db import DB_PATH, Database
from .drivers.xl import Xl

LOCK_DIR = "/run/xenhost/locks"


class Context:
    def __init__(self, runner=None, root="/"):
        self.runner = runner or Runner()
        self.root = root
        self._db = None
        self._xl_info = None
        self.xl = Xl(self.runner)
        self._held = set()

    def path(self, absolute):
        return os.path.join(self.root, absolute.lstrip("/"))

    @property
    def db(self):
        if self._db is None:
            self._db = Database(self.path(DB_PATH))
            from .operations.bootstrap import seed   # seeding needs the operations layer
            seed(self)
        return self._db

    def xl_info(self):
        if self._xl_info is None:
            self._xl_info = self.xl.info()
        return self._xl_info

    @contextlib.contextmanager
    def lock(self, uuid):
        folder = self.path(LOCK_DIR)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, uuid), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._held.add(uuid)
            try:
                yield
            finally:
                self._held.discard(uuid)
                fcntl.flock(handle, fcntl.LOCK_UN)

    def busy(self, uuid):
        """True while another xe holds uuid's lock (an operation in flight: leave its record alone)."""
        path = os.path.join(self.path(LOCK_DIR), uuid)
        if uuid in self._held or not os.path.exists(path):
            return False
        with open(path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def close(self):
        if self._db is not None:
            self._db.close()
