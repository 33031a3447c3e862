"""The single-declaration path (one API request) answers exactly as the batch path: item dicts
without Polars, the trusted-trader factor from a lookup of the declaration's own parties."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from tradewinds.aeo import risk_hook
from tradewinds.aeo.models import AeoCertificate
from tradewinds.core.models import Administration
from tradewinds.declarations.models import Declaration
from tradewinds.risk import frames


@pytest.mark.django_db
def test_items_for_gives_the_frame_rows():
    postal = Declaration.objects.create(
        administration=Administration.objects.get(code="lca"), number="SINGLE-POSTAL", lodged_at=timezone.now()
    )
    declarations = list(Declaration.objects.annotate(n=Count("items")).order_by("n", "id"))
    chosen = declarations[:5] + declarations[-5:]  # without items (postal) and with the most items
    assert postal in chosen and chosen[-1].n > 1
    for time_zone in ("UTC", "America/St_Lucia", "Pacific/Kiritimati"):
        for declaration in chosen:
            expected = frames.declaration_frame([declaration.pk], time_zone=time_zone).to_dicts()
            assert frames.items_for(declaration, time_zone) == expected


@pytest.mark.django_db
def test_parties_index_answers_as_the_full_index():
    today = timezone.localdate()
    for administration in Administration.objects.all():
        index = risk_hook.trusted_trader_index(administration.pk)
        certificates = AeoCertificate.objects.select_related("company")
        codes = {c.company.tax_id for c in certificates} | {c.number for c in certificates} | {"", "NOBODY"}
        companies = [c.company_id for c in certificates.filter(administration=administration)] + [None]
        declarations = list(Declaration.objects.filter(administration=administration)[:30])
        for n, code in enumerate(sorted(codes)):
            company = companies[n % len(companies)]
            declarations += [
                Declaration(administration=administration, lodged_at=timezone.now(), importer_code=code),
                Declaration(administration=administration, lodged_at=None, declarant_code=code, importer_id=company),
                Declaration(
                    administration=administration, lodged_at=timezone.now(), seller_code=code, declarant_id=company
                ),
                Declaration(
                    administration=administration,
                    lodged_at=timezone.make_aware(timezone.datetime(today.year - 3, 1, 1)),
                    importer_code=code,
                ),
            ]
        for declaration in declarations:
            assert risk_hook.trusted_trader_factor(declaration) == index.factor(declaration), declaration.__dict__
            assert risk_hook.is_priority(declaration) == index.is_priority(declaration)
    assert any(
        risk_hook.trusted_trader_index(a.pk).by_code for a in Administration.objects.all()
    )  # the demo has trusted traders to find


@pytest.mark.django_db
def test_the_cached_assessor_never_serves_a_stale_rule_list_or_setting(
    demo_user, lca, quiet_settings, make_declaration
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.risk.conftest import criterion, rule_data
    from tradewinds.risk import context, services
    from tradewinds.risk.models import RiskRule

    risk = demo_user("lca.risk")
    assert context.assessor_for(lca).rules == []
    with CaptureQueriesContext(connection) as queries:
        context.assessor_for(lca)
    assert len(queries) == 1  # unchanged: one query says so

    phones = rule_data("Phones", criterion("hs_code", "hs_prefix", ["8517"]), lane="red", weight=10)
    rule = services.activate_rule(risk, services.create_rule(risk, phones).pk)
    assert services.assess_declaration(make_declaration(lca, [{"hs_code": "851713"}]), risk).lane == "red"
    speakers = rule_data("Phones", criterion("hs_code", "hs_prefix", ["8518"]), lane="yellow", weight=10)
    services.update_rule(risk, rule.pk, speakers)
    assert services.assess_declaration(make_declaration(lca, [{"hs_code": "851713"}]), risk).lane == "green"
    assert services.assess_declaration(make_declaration(lca, [{"hs_code": "851800"}]), risk).lane == "yellow"
    RiskRule.objects.filter(pk=rule.pk).update(status=RiskRule.Status.DRAFT)  # no timestamp moves
    assert context.assessor_for(lca).rules == []

    named = services.create_list(risk, {"name": "cache_watch", "title": "Watch", "kind": "traders"})
    assert context.assessor_for(lca).context.lists["cache_watch"] == frozenset()
    services.add_list_entry(risk, named.pk, "IMP-CACHE-1")
    assert context.assessor_for(lca).context.lists["cache_watch"] == frozenset({"IMP-CACHE-1"})

    before = context.assessor_for(lca).key.key_id
    services.rotate_draw_secret(demo_user("lca.manager"))
    assert context.assessor_for(lca).key.key_id != before
    quiet_settings.refresh_from_db()
    quiet_settings.threshold_red = 77
    quiet_settings.save()
    assert context.assessor_for(lca).settings.threshold_red == 77
