"""The shared cursor of the hot statements: one per connection, a new one after a reconnection,
and every statement still recorded while queries are captured."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradewinds.core.cursors import shared_cursor
from tradewinds.core.models import Administration
from tradewinds.core.statements import Lookup

administration_code = Lookup(lambda pk: Administration.objects.filter(pk=pk).values_list("code").order_by(), int)


@pytest.mark.django_db(transaction=True)
def test_one_cursor_per_connection_and_a_new_one_after_reconnecting(demo_user):
    administration = demo_user("lca.manager").administration
    with shared_cursor() as first:
        pass
    assert administration_code.first(administration.pk) == (administration.code,)
    with shared_cursor() as again:
        assert again is first
    connection.close()  # as at the end of a request whose connection is too old
    assert administration_code.first(administration.pk) == (administration.code,)
    with shared_cursor() as after:
        # On the live driver connection (a new one, but SQLite keeps an in-memory database's open).
        assert after.cursor.connection is connection.connection
        after.execute("SELECT 1")
        assert after.fetchone() == (1,)


@pytest.mark.django_db
def test_captured_queries_include_the_shared_cursors_statements(demo_user):
    administration = demo_user("lca.manager").administration
    with CaptureQueriesContext(connection) as queries:
        administration_code.first(administration.pk)
        administration_code.first(administration.pk)
    assert len(queries) == 2 and all("core_administration" in query["sql"] for query in queries)
