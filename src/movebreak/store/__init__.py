"""The history: one SQLite file in WAL mode, written in short transactions.

The running app and CLI commands share the file. Every write is one ``BEGIN IMMEDIATE``
transaction, so a crash or kill loses nothing that was committed, and readers never see
half a write. Times are stored as fixed-width UTC ISO-8601 text, which sorts correctly.
Schema changes are numbered, named steps recorded in ``schema_migrations``.

The package: ``history`` (the Store: transactions and queries), ``opening`` (a private WAL
file, migrated, a damaged one moved aside), ``schema`` (the migrations), ``sidefiles`` (the
-wal/-shm guard) and ``rows`` (stored times, rows read back as records).
"""

from __future__ import annotations

from movebreak.store.history import Store
from movebreak.store.opening import BUSY_TIMEOUT_MS
from movebreak.store.rows import MAX_ROWS_TOLD, ROW_ERRORS, Command, from_db, to_db
from movebreak.store.schema import MIGRATIONS, SCHEMA_VERSION
from movebreak.store.sidefiles import (
    SIDE_FILES,
    HistoryFilesChanged,
    check_side_files,
    is_storage_fault,
    wal_cut_short,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MAX_ROWS_TOLD",
    "MIGRATIONS",
    "ROW_ERRORS",
    "SCHEMA_VERSION",
    "SIDE_FILES",
    "Command",
    "HistoryFilesChanged",
    "Store",
    "check_side_files",
    "from_db",
    "is_storage_fault",
    "to_db",
    "wal_cut_short",
]
