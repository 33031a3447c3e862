"""Programme set-up (versioned catalogue), reminders, outreach, dashboard and pages by role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.aeo.conftest import certified, start
from tradewinds.aeo.models import AeoAnswer, AeoCriterion, AeoMessage, AeoOutreachEvent, AeoReminder
from tradewinds.aeo.queries import criteria_for
from tradewinds.aeo.services import network, portal, reminders, setup
from tradewinds.errors import Conflict, InvalidInput


def test_revising_a_criterion_adds_a_version_and_keeps_old_answers(trader, aeo):
    application = start(trader)
    criterion = criteria_for(application)[0]
    portal.save_questionnaire(trader, application.pk, {criterion.pk: portal.AnswerInput("yes", "Done.")})

    with pytest.raises(InvalidInput):  # every change says why
        setup.revise_criterion(aeo, criterion.pk, {"text": "New wording."})
    revised = setup.revise_criterion(aeo, criterion.pk, {"text": "New wording.", "change_note": "Clearer."})
    criterion.refresh_from_db()
    assert (revised.version, revised.is_current, criterion.is_current) == (2, True, False)
    assert revised.supersedes == criterion
    answer = AeoAnswer.objects.get(application=application)
    assert answer.criterion == criterion  # still points at the wording the trader answered
    assert revised in criteria_for(application) and criterion not in criteria_for(application)

    portal.save_questionnaire(trader, application.pk, {revised.pk: portal.AnswerInput("yes", "Still done.")})
    answer.refresh_from_db()
    assert answer.criterion == revised  # carried over, not duplicated
    assert AeoAnswer.objects.filter(application=application).count() == 1


def test_retired_criteria_leave_the_questionnaire(trader, aeo):
    application = start(trader)
    criterion = criteria_for(application)[-1]
    setup.retire_criterion(aeo, criterion.pk, "Covered elsewhere.")
    assert criterion not in criteria_for(application)
    assert AeoCriterion.objects.filter(code=criterion.code, administration_id=aeo.administration_id).count() == 1


def test_simplifications_status_skips_the_security_areas(trader):
    from tradewinds.aeo.models import AeoProgrammeType

    application = start(trader)
    application.programme_type = AeoProgrammeType.objects.get(administration_id=trader.administration_id, code="aeoc")
    assert all(not c.area.security for c in criteria_for(application))


def test_benefit_factor_only_for_fewer_inspections(aeo):
    programme_type = setup.save_programme_type(
        aeo,
        {
            "code": "pilot",
            "name": "Pilot",
            "revalidation_years": 3,
            "self_review_months": 12,
            "suspension_response_days": 30,
            "includes_security": True,
            "active": True,
        },
    )
    with pytest.raises(InvalidInput):
        setup.add_benefit(aeo, programme_type.pk, "priority", "Priority", 0.5)
    assert setup.add_benefit(aeo, programme_type.pk, "fewer_inspections", "Fewer", 0.4).risk_factor == 0.4


def test_reminders_are_sent_once_per_due_date(trader, aeo):
    certificate = certified(trader, aeo)
    certificate.next_self_review_due = timezone.localdate() + timedelta(days=10)
    certificate.save()
    first = reminders.send_due_reminders(timezone.localdate())
    assert first >= 1
    assert AeoReminder.objects.filter(certificate=certificate, kind="self_review", stage="upcoming").count() == 1
    assert AeoMessage.objects.filter(company=certificate.company, body__contains="Self-review due").exists()
    assert reminders.send_due_reminders(timezone.localdate()) == 0  # idempotent
    later = timezone.localdate() + timedelta(days=11)
    assert reminders.send_due_reminders(later) >= 1  # now overdue: one more, marked overdue
    assert AeoReminder.objects.filter(certificate=certificate, kind="self_review", stage="overdue").exists()


def test_reminder_command_runs(capsys, db):
    call_command("aeo_reminders")
    assert "reminder(s) sent" in capsys.readouterr().out


def test_outreach_registration(trader, aeo):
    event = network.create_event(aeo, "workshop", "Seals and containers", timezone.now() + timedelta(days=3), "Port")
    registration = network.register_for_event(trader, event.pk, "Jane Doe")
    assert registration.company == trader.company
    with pytest.raises(Conflict):
        network.register_for_event(trader, event.pk, "Jane Doe")
    past = AeoOutreachEvent.objects.create(
        administration=event.administration,
        kind="workshop",
        title="Old",
        starts_at=timezone.now() - timedelta(days=1),
        location="Port",
    )
    with pytest.raises(Conflict):
        network.register_for_event(trader, past.pk, "Jane Doe")


STAFF_PAGES = ["queue/", "certificates/", "dashboard/", "programme/", "criteria/", "recognition/", "events/"]


@pytest.mark.parametrize("username", ["lca.aeo", "lca.manager"])
def test_staff_pages_render(client_as, username):
    client = client_as(username)
    for page in STAFF_PAGES:
        assert client.get(f"/aeo/{page}").status_code == 200, page
    assert client.get("/aeo/").url.endswith("/aeo/queue/")


def test_trader_pages_and_home_routing(client_as):
    client = client_as("lca.trader")
    assert client.get("/aeo/").url.endswith("/aeo/portal/")
    for page in ("portal/", "portal/pre-application/", "portal/messages/", "events/"):
        assert client.get(f"/aeo/{page}").status_code == 200, page
    for page in ("queue/", "dashboard/", "programme/"):
        assert client.get(f"/aeo/{page}").status_code == 403, page


def test_pre_application_page_answers_at_once(client_as):
    client = client_as("lca.trader")
    from tradewinds.aeo.models import AeoPreApplicationCheck, AeoProgrammeType

    checks = AeoPreApplicationCheck.objects.filter(administration__code="lca")
    programme_type = AeoProgrammeType.objects.get(administration__code="lca", code="aeos")
    data = {c.code: "yes" for c in checks} | {"records": "no", "programme_type": programme_type.pk}
    body = client.post("/aeo/portal/pre-application/", data).content.decode()
    assert "Not yet, because" in body and "Auditable records are a condition" in body
    body = client.post("/aeo/portal/pre-application/", data | {"records": "yes"}).content.decode()
    assert "Ready." in body and 'data-testid="start-application"' in body


def test_dashboard_carries_every_chart(client_as):
    body = client_as("lca.manager").get("/aeo/dashboard/").content.decode()
    assert body.count('data-testid="chart"') == 6
    assert "vendor/chart-4.6.1.umd.js" in body and 'id="aeo-charts"' in body
