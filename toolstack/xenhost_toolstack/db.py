"""The toolstack's state: one SQLite database, /var/lib/xenhost/state.db (kept by upgrades: the
installer's upgrade keeps /var/lib/xenhost).

One table per class, one column per stored field of fields.py (maps and sets as JSON). WAL
journal; every change is one transaction begun IMMEDIATE, so concurrent `xe` processes queue for
the write lock (busy timeout) instead of interleaving a read-modify-write and losing an update.
PRAGMA user_version holds the schema version: opening an older database adds the tables and
columns the fields table has gained and runs the data migrations in MIGRATIONS, in one
transaction; a newer database is refused (an older xe must not write what it cannot read).
"""
import contextlib
import json
import os
import sqlite3
import uuid as uuidlib

from .errors import XeError
from .fields import BOOL, CLASSES, INT, MAP, SET, SIZE

DB_PATH = "/var/lib/xenhost/state.db"
SCHEMA_VERSION = 1
# version -> function(connection): data changes the column sync cannot make on its own.
MIGRATIONS = {}


def _encode(field, value):
    if field.type in (MAP, SET):
        return json.dumps(value if value is not None else field.initial())
    if field.type == BOOL:
        return 1 if value else 0
    return value


def _decode(field, value):
    if field.type in (MAP, SET):
        return json.loads(value) if value else field.initial()
    if field.type == BOOL:
        return bool(value)
    if field.type in (INT, SIZE):
        return int(value) if value not in (None, "") else field.default
    return "" if value is None else value


def _sql_literal(field):
    value = _encode(field, field.initial())
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


class Database:
    def __init__(self, path, timeout=60.0):
        self.path = path
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as e:
            raise XeError(f"cannot open the toolstack database {path}: {e}",
                          "run xe as root on the xenhost host") from None
        self.conn.execute("PRAGMA synchronous=NORMAL")   # WAL + NORMAL: durable at each checkpoint
        self.depth = 0
        self.migrate()

    # -- transactions -------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self):
        """One transaction for a whole change; nested calls join the outer one."""
        if self.depth:
            self.depth += 1
            try:
                yield self
            finally:
                self.depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self.depth = 1
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self.depth = 0

    # -- schema ---------------------------------------------------------------------------------
    def version(self):
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self):
        found = self.version()
        if found > SCHEMA_VERSION:
            raise XeError(f"the toolstack database {self.path} has schema version {found}, "
                          f"newer than this xe understands ({SCHEMA_VERSION})",
                          "upgrade xenhost-toolstack; the database was left untouched")
        if found == SCHEMA_VERSION and self._columns_complete():
            return
        with self.write():
            self._sync_columns()
            for version in range(found + 1, SCHEMA_VERSION + 1):
                if version in MIGRATIONS:
                    MIGRATIONS[version](self.conn)
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _existing_columns(self, table):
        return {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}

    def _columns_complete(self):
        return all({f.column for f in cls.stored} <= self._existing_columns(cls.name)
                   for cls in CLASSES.values())

    def _sync_columns(self):
        for cls in CLASSES.values():
            have = self._existing_columns(cls.name)
            if not have:
                self.conn.execute(f'CREATE TABLE {cls.name} (uuid TEXT PRIMARY KEY, seq INTEGER)')
                have = {"uuid", "seq"}
            for f in cls.stored:
                if f.column not in have:
                    self.conn.execute(f'ALTER TABLE {cls.name} ADD COLUMN "{f.column}" '
                                      f'DEFAULT {_sql_literal(f)}')

    # -- records ----------------------------------------------------------------------------------
    def _record(self, cls, row, names):
        return {f.name: _decode(f, row[names[f.column]]) for f in cls.stored}

    def _select(self, cls_name, where="", args=()):
        cls = CLASSES[cls_name]
        cur = self.conn.execute(f"SELECT * FROM {cls_name} {where} ORDER BY seq", args)
        names = {d[0]: i for i, d in enumerate(cur.description)}
        return [self._record(cls, row, names) for row in cur.fetchall()]

    def get(self, cls_name, uuid):
        found = self._select(cls_name, "WHERE uuid = ?", (uuid,))
        return found[0] if found else None

    def find(self, cls_name, filters=None):
        """Records whose stored fields equal filters (field name -> value)."""
        cls = CLASSES[cls_name]
        clauses, args = [], []
        for name, value in (filters or {}).items():
            f = cls.get(name)
            clauses.append(f'"{f.column}" = ?')
            args.append(_encode(f, value))
        return self._select(cls_name, ("WHERE " + " AND ".join(clauses)) if clauses else "", args)

    def insert(self, cls_name, values):
        cls = CLASSES[cls_name]
        record = {f.name: f.initial() for f in cls.stored}
        record.update(values)
        record["uuid"] = record.get("uuid") or str(uuidlib.uuid4())
        columns = ", ".join(f'"{f.column}"' for f in cls.stored)
        marks = ", ".join("?" for _ in cls.stored)
        with self.write():
            seq = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {cls_name}").fetchone()[0]
            self.conn.execute(f"INSERT INTO {cls_name} (seq, {columns}) VALUES (?, {marks})",
                              [seq] + [_encode(f, record[f.name]) for f in cls.stored])
        return record

    def update(self, cls_name, uuid, changes):
        cls = CLASSES[cls_name]
        if not changes:
            return
        sets = ", ".join(f'"{cls.get(n).column}" = ?' for n in changes)
        with self.write():
            self.conn.execute(f"UPDATE {cls_name} SET {sets} WHERE uuid = ?",
                              [_encode(cls.get(n), v) for n, v in changes.items()] + [uuid])

    def delete(self, cls_name, uuid):
        with self.write():
            self.conn.execute(f"DELETE FROM {cls_name} WHERE uuid = ?", (uuid,))

    def host(self):
        hosts = self._select("host")
        return hosts[0] if hosts else {"uuid": "", "name-label": ""}

    def close(self):
        self.conn.close()
