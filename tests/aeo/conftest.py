"""Helpers that walk an AEO file through the real services, as the pages do."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tradewinds.aeo.models import AeoApplication, AeoPreApplicationCheck, AeoProgrammeType
from tradewinds.aeo.queries import criteria_for
from tradewinds.aeo.services import decision, officer, portal


def security_type(user) -> AeoProgrammeType:
    return AeoProgrammeType.objects.get(administration_id=user.administration_id, code="aeos")


def start(trader) -> AeoApplication:
    checks = AeoPreApplicationCheck.objects.filter(administration_id=trader.administration_id)
    programme_type = security_type(trader)
    portal.run_pre_application(trader, programme_type.pk, {c.code: True for c in checks})
    return portal.start_application(trader, programme_type.pk, trader.company.kinds[0])


def full_answers(application: AeoApplication) -> dict[int, portal.AnswerInput]:
    return {
        c.pk: portal.AnswerInput("yes", f"We meet {c.code} with a written procedure.")
        for c in criteria_for(application)
    }


def submitted(trader) -> AeoApplication:
    application = start(trader)
    portal.save_questionnaire(trader, application.pk, full_answers(application), submit=True)
    application.refresh_from_db()
    return application


def validated(trader, aeo) -> AeoApplication:
    """Submitted, assigned, visited with a closed report: ready to certify."""
    application = submitted(trader)
    officer.assign(aeo, application.pk)
    visit = officer.plan_visit(aeo, application.pk, timezone.localdate(), "Main warehouse")
    officer.record_visit(aeo, visit.pk, "All seen in operation.", {}, done=True)
    application.refresh_from_db()
    return application


def certified(trader, aeo):
    application = validated(trader, aeo)
    decision.decide(aeo, application.pk, "certify", "")
    application.refresh_from_db()
    return application.certificate


@pytest.fixture
def trader(demo_user):
    return demo_user("lca.trader")


@pytest.fixture
def aeo(demo_user):
    return demo_user("lca.aeo")


@pytest.fixture(autouse=True)
def _remove_stored_evidence():
    """Database rows roll back after each test; the evidence bytes on disk must go too."""
    from tradewinds.aeo.services import evidence

    root = evidence.evidence_root()
    before = set(root.rglob("*")) if root.exists() else set()
    yield
    after = set(root.rglob("*")) if root.exists() else set()
    for path in sorted(after - before, reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
