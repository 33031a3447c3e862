"""Plain INSERTs: rows as the ORM would write them, ids fetched when asked."""

import pytest
from django.utils import timezone

from tradewinds.core.fastinsert import insert_instances
from tradewinds.core.models import Company


def companies(administration, *tax_ids):
    now = timezone.now()  # plain INSERTs leave auto_now_add to the caller
    return [
        Company(administration=administration, name=f"Company {tax_id}", tax_id=tax_id, country="LC", created_at=now)
        for tax_id in tax_ids
    ]


@pytest.mark.django_db
def test_rows_are_written_and_ids_fetched_when_asked(demo_user):
    administration = demo_user("lca.manager").administration
    fetched = companies(administration, "FI-1", "FI-2")
    insert_instances(Company, fetched, fetch_ids=True)
    insert_instances(Company, companies(administration, "FI-3"))
    assert all(company.pk for company in fetched)
    stored = Company.objects.filter(tax_id__startswith="FI-").order_by("tax_id")
    assert [(company.tax_id, company.name) for company in stored] == [
        ("FI-1", "Company FI-1"),
        ("FI-2", "Company FI-2"),
        ("FI-3", "Company FI-3"),
    ]
    assert stored[0].pk == fetched[0].pk
