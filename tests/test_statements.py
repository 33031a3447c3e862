"""Lookups with their SQL built once: the same answers as the QuerySet they stand for."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradewinds.core.models import ApiKey, Company, User
from tradewinds.core.statements import Lookup


def users_of_administration():
    return Lookup(
        lambda administration_id, role: (
            User.objects.select_related("administration", "company")
            .filter(administration_id=administration_id, role=role)
            .order_by("username")
        ),
        int,
        str,
    )


@pytest.mark.django_db
def test_instances_match_the_queryset_with_their_relations_loaded(demo_user):
    manager = demo_user("lca.manager")
    lookup = users_of_administration()
    for role in ("manager", "trader", "risk_officer"):
        expected = list(
            User.objects.filter(administration_id=manager.administration_id, role=role).order_by("username")
        )
        found = lookup.all(manager.administration_id, role)
        assert [user.pk for user in found] == [user.pk for user in expected] != []
        assert [user.date_joined for user in found] == [user.date_joined for user in expected]
        with CaptureQueriesContext(connection) as queries:
            names = [(user.administration.code, user.company.name if user.company_id else None) for user in found]
        assert len(queries) == 0  # select_related relations came with the row
        assert names[0][0] == manager.administration.code


@pytest.mark.django_db
def test_the_query_is_built_once_and_each_call_runs_one_statement(demo_user):
    built = []
    manager = demo_user("lca.manager")

    def build(administration_id, role):
        built.append(1)
        return User.objects.filter(administration_id=administration_id, role=role).order_by("pk")

    lookup = Lookup(build, int, str)
    lookup.all(manager.administration_id, "manager")
    with CaptureQueriesContext(connection) as queries:
        assert lookup.first(manager.administration_id, "trader").role == "trader"
        assert lookup.first(manager.administration_id, "no such role") is None
    assert len(queries) == 2 and len(built) == 1


@pytest.mark.django_db
def test_rows_come_back_converted_and_dates_are_parameters(demo_user):
    administration_id = demo_user("lca.manager").administration_id
    created = Lookup(
        lambda administration_id, since: (
            Company.objects.filter(administration_id=administration_id, created_at__date__gte=since)
            .order_by("pk")
            .values_list("pk", "created_at", "kinds")
        ),
        int,
        dt.date,
    )
    rows = created.all(administration_id, dt.date(2000, 1, 1))
    expected = list(Company.objects.filter(administration_id=administration_id).order_by("pk"))
    assert [row[0] for row in rows] == [company.pk for company in expected] != []
    assert isinstance(rows[0][1], dt.datetime) and rows[0][1] == expected[0].created_at
    assert rows[0][2] == expected[0].kinds  # JSON decoded, as the ORM gives it
    assert created.all(administration_id, dt.date(2999, 1, 1)) == []


@pytest.mark.django_db
def test_a_parameter_the_query_ignores_or_cannot_carry_is_refused():
    ignored = Lookup(lambda key_hash: ApiKey.objects.filter(revoked_at=None).order_by("pk"), str)
    with pytest.raises(ValueError, match="parameter 0"):
        ignored.all("x")
    with pytest.raises(TypeError):
        Lookup(lambda values: ApiKey.objects.filter(key_hash__in=values), list)
