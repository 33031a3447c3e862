"""The trader's application: pre-application verdict, questionnaire, submission rules, and
bad input refused with nothing changed."""

from __future__ import annotations

import pytest

from tests.aeo.conftest import full_answers, security_type, start
from tradewinds.aeo.models import AeoAnswer, AeoApplication, AeoPreApplicationCheck, AeoStatusChange
from tradewinds.aeo.queries import criteria_for
from tradewinds.aeo.services import portal
from tradewinds.core.models import AuditEntry
from tradewinds.errors import Conflict, InvalidInput


def test_pre_application_says_not_yet_and_why(trader):
    checks = list(AeoPreApplicationCheck.objects.filter(administration_id=trader.administration_id))
    answers = {c.code: True for c in checks}
    answers["solvent"] = False
    result = portal.run_pre_application(trader, security_type(trader).pk, answers)
    assert not result.ready
    assert result.reasons == [next(c.not_ready_reason for c in checks if c.code == "solvent")]
    with pytest.raises(Conflict):  # not ready: no application yet
        portal.start_application(trader, security_type(trader).pk, "importer")


def test_pre_application_needs_every_answer(trader):
    with pytest.raises(InvalidInput) as error:
        portal.run_pre_application(trader, security_type(trader).pk, {"registered": True})
    assert {e["field"] for e in error.value.errors} >= {"compliance", "records", "solvent"}


def test_missing_must_answers_refuse_submission_and_change_nothing(trader):
    application = start(trader)
    criteria = criteria_for(application)
    must = [c for c in criteria if c.is_must]
    answers = full_answers(application)
    answers[must[0].pk] = portal.AnswerInput("yes", "")  # status without the explanation
    del answers[must[1].pk]
    audited = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as error:
        portal.save_questionnaire(trader, application.pk, answers, submit=True)

    fields = {e["field"] for e in error.value.errors}
    assert fields == {f"text-{must[0].pk}", f"text-{must[1].pk}"}
    assert must[0].code in " ".join(e["msg"] for e in error.value.errors)
    application.refresh_from_db()
    assert application.status == AeoApplication.Status.DRAFT and application.submitted_at is None
    assert not AeoAnswer.objects.filter(application=application).exists()
    assert AuditEntry.objects.count() == audited


def test_draft_saves_partial_answers_and_submission_completes_them(trader):
    application = start(trader)
    criteria = criteria_for(application)
    first = criteria[0]
    portal.save_questionnaire(trader, application.pk, {first.pk: portal.AnswerInput("partly", "Being written.")})
    assert AeoAnswer.objects.get(application=application, criterion=first).compliance == "partly"

    rest = {pk: given for pk, given in full_answers(application).items() if pk != first.pk}
    portal.save_questionnaire(trader, application.pk, rest, submit=True)  # the saved draft answer counts
    application.refresh_from_db()
    assert application.status == AeoApplication.Status.SUBMITTED and application.submitted_at
    assert list(AeoStatusChange.objects.filter(application=application).values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
    ]
    with pytest.raises(Conflict):  # submitted: answers are frozen
        portal.save_questionnaire(trader, application.pk, rest)


def test_questionnaire_page_shows_errors_and_saves_nothing(client_as, trader):
    application = start(trader)
    criterion = next(c for c in criteria_for(application) if c.is_must)
    client = client_as("lca.trader")
    response = client.post(
        f"/aeo/applications/{application.pk}/questionnaire/",
        {f"compliance-{criterion.pk}": "yes", f"text-{criterion.pk}": "", "action": "submit"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved" in body and f"{criterion.code} is a MUST criterion" in body
    assert not AeoAnswer.objects.filter(application=application).exists()

    response = client.post(
        f"/aeo/applications/{application.pk}/questionnaire/",
        {f"compliance-{criterion.pk}": "yes", f"text-{criterion.pk}": "Gate log kept.", "action": "save"},
    )
    assert response.status_code == 302
    page = client.get(f"/aeo/applications/{application.pk}/questionnaire/").content.decode()
    assert "Gate log kept." in page and "<progress" in page


def test_one_open_application_per_company(trader):
    start(trader)
    with pytest.raises(Conflict):
        start(trader)


def test_business_type_must_be_the_companys(trader):
    checks = AeoPreApplicationCheck.objects.filter(administration_id=trader.administration_id)
    portal.run_pre_application(trader, security_type(trader).pk, {c.code: True for c in checks})
    with pytest.raises(InvalidInput):
        portal.start_application(trader, security_type(trader).pk, "port_operator")
