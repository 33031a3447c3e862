"""One cursor per database connection for the plain statements every lodging runs.

Opening a cursor cost Django and psycopg about 30 µs (psycopg copies the connection's adapters for
each cursor), as much as running an indexed lookup on an open cursor; a lodging runs some fifteen
statements through :mod:`tradewinds.core.statements`, :mod:`tradewinds.core.fastinsert` and the
audit trail. They share the connection's cursor instead. The ORM keeps opening its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper


@contextmanager
def shared_cursor() -> Iterator[CursorWrapper]:
    """``with shared_cursor() as cursor:`` this thread's connection's shared cursor, left open at
    the end. Only for statements whose rows are read at once (execute, then fetch, with no other
    statement in between): the next user of the cursor replaces its rows. While queries are being
    captured (``DEBUG``, a test's ``CaptureQueriesContext``) the block gets a cursor of its own,
    as Django's, so that every statement is recorded."""
    if connection.queries_logged:
        with connection.cursor() as cursor:
            yield cursor
        return
    # As Django's own cursors do: a request's first statement finds a connection the database
    # dropped (a restart) and opens a new one instead of failing.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Kept with the driver connection it was opened on: a new connection (after the old one was
    # closed at the end of a request) gets a new cursor.
    held = getattr(connection, "_tradewinds_shared_cursor", None)
    if held is None or held[0] is not connection.connection:
        held = (connection.connection, connection.cursor())
        connection._tradewinds_shared_cursor = held
    yield held[1]
