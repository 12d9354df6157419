"""SQLite under concurrent writers, with the project's own DATABASES["default"] OPTIONS.

pytest-django puts the SQLite test database in memory (shared cache), where WAL does not
apply, so these tests open a file database with the settings' OPTIONS (init_command,
transaction_mode, timeout) read at run time, and route the ORM to it. They use the test
database machinery directly (django_db_blocker) rather than the django_db mark, whose test
case refuses connections to an alias it was not told about.
"""

import copy
import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import override_settings

from ruche.core.broadcast import next_seq
from ruche.core.models import Event, EventSequence

ALIAS = "infra_sqlite_file"
THREADS = 4
WRITES_PER_THREAD = 25


class FileDatabaseRouter:
    """Send every ORM query to the file database while a test runs."""

    def db_for_read(self, model, **hints):
        return ALIAS

    def db_for_write(self, model, **hints):
        return ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True


@pytest.fixture
def file_database(tmp_path, django_db_setup, django_db_blocker):
    """A connection alias on a fresh file database configured like settings.DATABASES["default"]."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only (DATABASE_URL points elsewhere)")
    db_settings = copy.deepcopy(settings.DATABASES["default"])
    db_settings["NAME"] = str(tmp_path / "concurrency.sqlite3")
    db_settings["TEST"] = {"NAME": db_settings["NAME"]}
    with django_db_blocker.unblock():
        connections.settings[ALIAS] = db_settings
        try:
            with connections[ALIAS].schema_editor() as editor:
                editor.create_model(EventSequence)
                editor.create_model(Event)
            with override_settings(DATABASE_ROUTERS=[FileDatabaseRouter()]):
                yield connections[ALIAS]
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def test_settings_enable_wal_busy_timeout_and_immediate_transactions(file_database):
    """A database opened with the project's settings runs in WAL mode, waits for a lock (busy
    timeout of at least a second) instead of failing at once, enforces foreign keys, and takes
    the write lock when a transaction begins (BEGIN IMMEDIATE)."""
    with file_database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 1000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1

    # The default test connection gets the same connection options.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 1000
        cursor.execute("PRAGMA journal_mode")
        expected_mode = "memory" if connection.is_in_memory_db() else "wal"
        assert cursor.fetchone()[0] == expected_mode

    # An open transaction already holds the write lock, before it has written anything:
    # another writer that will not wait is refused immediately.
    other = sqlite3.connect(file_database.settings_dict["NAME"], timeout=0)
    try:
        with (
            transaction.atomic(using=ALIAS),
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
    finally:
        other.close()


def test_concurrent_writers_all_commit_with_gap_free_sequence(file_database):
    """Several threads writing at once each allocate next_seq() and store an Event in a
    transaction: every transaction commits (no "database is locked"), and the sequence numbers
    are unique and gap-free (exactly 1..N)."""
    group = "infra.concurrency"
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    allocated: list[int] = []
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(WRITES_PER_THREAD):
                with transaction.atomic(using=ALIAS):
                    seq = next_seq(group)
                    Event.objects.create(
                        group=group, seq=seq, type="infra.write", payload={"w": worker, "n": n}
                    )
                with lock:
                    allocated.append(seq)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"

    total = THREADS * WRITES_PER_THREAD
    assert errors == []
    assert sorted(allocated) == list(range(1, total + 1))
    stored = list(Event.objects.filter(group=group).values_list("seq", flat=True))
    assert sorted(stored) == list(range(1, total + 1))
    assert EventSequence.objects.get(group=group).last_seq == total
