"""The shared cursor of the hot statements: one per connection, a new one after a reconnection or
a connection the database dropped, and every statement still recorded while queries are captured.

Closing or dropping the connection needs a test outside a transaction, whose database is flushed
afterwards: these tests read content types, which migrations create again after a flush, not the demo."""

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradewinds.core.cursors import shared_cursor
from tradewinds.core.statements import Lookup

app_of_model = Lookup(lambda model: ContentType.objects.filter(model=model).values_list("app_label").order_by(), str)


@pytest.mark.django_db(transaction=True)
def test_one_cursor_per_connection_and_a_new_one_after_reconnecting():
    with shared_cursor() as first:
        pass
    assert app_of_model.first("administration") == ("core",)
    with shared_cursor() as again:
        assert again is first
    connection.close()  # as at the end of a request whose connection is too old
    assert app_of_model.first("administration") == ("core",)
    with shared_cursor() as after:
        # On the live driver connection (a new one, but SQLite keeps an in-memory database's open).
        assert after.cursor.connection is connection.connection
        after.execute("SELECT 1")
        assert after.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_at_the_next_request():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that can drop a connection")
    assert app_of_model.first("administration") == ("core",)
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=connection.connection.info.dbname,
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as admin:  # as a database restart would
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    connection.health_check_done = False  # as at the start of every request
    assert app_of_model.first("administration") == ("core",)


@pytest.mark.django_db
def test_captured_queries_include_the_shared_cursors_statements():
    with CaptureQueriesContext(connection) as queries:
        app_of_model.first("administration")
        app_of_model.first("lanedecision")
    assert len(queries) == 2 and all("django_content_type" in query["sql"] for query in queries)
