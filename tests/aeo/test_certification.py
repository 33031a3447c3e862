"""Findings, decision, certificate, public verification and the certificate's life."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.aeo.conftest import certified, submitted, validated
from tradewinds.aeo.models import AeoCertificate, AeoCertificateEvent, AeoMessage
from tradewinds.aeo.services import conversation, decision, lifecycle, officer
from tradewinds.errors import Conflict, InvalidInput


def pdf_text(content: bytes) -> str:
    """Text of an fpdf2 document: its page streams are zlib-compressed."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(chunks)


def test_certification_is_blocked_while_a_requirement_is_open(trader, aeo):
    application = validated(trader, aeo)
    finding = officer.raise_finding(
        aeo, application.pk, {"kind": "requirement", "text": "Rear gate unlocked.", "deadline": timezone.localdate()}
    )
    officer.raise_finding(aeo, application.pk, {"kind": "recommendation", "text": "Rehearse the plan."})

    with pytest.raises(Conflict) as error:
        decision.decide(aeo, application.pk, "certify", "")
    assert "requirement" in error.value.detail
    application.refresh_from_db()
    assert application.status == "validation"
    assert not AeoCertificate.objects.filter(application=application).exists()

    conversation.respond_to_finding(trader, finding.pk, "A lock and a camera are fitted.")
    finding.refresh_from_db()
    assert finding.status == "answered"
    with pytest.raises(Conflict):  # answered is not closed: customs checks first
        decision.decide(aeo, application.pk, "certify", "")
    officer.close_finding(aeo, finding.pk, "Seen on a second visit.")
    decision.decide(aeo, application.pk, "certify", "")  # the open recommendation does not block
    application.refresh_from_db()
    assert application.status == "certified" and application.certificate.status == "valid"


def test_a_requirement_needs_a_deadline(trader, aeo):
    application = validated(trader, aeo)
    with pytest.raises(InvalidInput) as error:
        officer.raise_finding(aeo, application.pk, {"kind": "requirement", "text": "Fix the fence."})
    assert error.value.errors[0]["field"] == "deadline"


def test_no_certification_without_a_completed_visit(trader, aeo):
    application = submitted(trader)
    officer.assign(aeo, application.pk)
    with pytest.raises(Conflict) as error:
        decision.decide(aeo, application.pk, "certify", "")
    assert "visit" in error.value.detail


def test_refusal_needs_reasons_and_asking_for_more_reopens_the_questionnaire(trader, aeo):
    application = submitted(trader)
    officer.assign(aeo, application.pk)
    with pytest.raises(InvalidInput):
        decision.decide(aeo, application.pk, "refuse", "  ")
    decision.decide(aeo, application.pk, "more_info", "Attach the contingency plan.")
    application.refresh_from_db()
    assert application.status == "info_requested" and application.is_editable
    assert AeoMessage.objects.filter(company=application.company, body__contains="contingency plan").exists()


def test_certificate_pdf_and_public_verification_follow_the_status(client_as, trader, aeo):
    certificate = certified(trader, aeo)
    response = client_as("lca.trader").get(f"/aeo/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert certificate.verification_code in text and certificate.number in text
    assert "Castries Trading Ltd" in text

    anonymous = Client()
    page = anonymous.get(f"/verify/{certificate.verification_code}/")
    assert page.status_code == 200
    assert re.search(r'data-testid="verdict">\s*Valid', page.content.decode())
    assert "Castries Trading Ltd" in page.content.decode()
    assert certificate.company.tax_id not in page.content.decode()  # only name, type, status and validity

    lifecycle.suspend(aeo, certificate.pk, "Undeclared goods found.")
    assert re.search(
        r'data-testid="verdict">\s*Suspended',
        anonymous.get(f"/verify/{certificate.verification_code}/").content.decode(),
    )
    assert anonymous.get("/verify/NOPE-NOPE-NOPE/").status_code == 404


def test_a_certificate_past_its_revalidation_date_shows_expired(trader, aeo):
    certificate = certified(trader, aeo)
    AeoCertificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    page = Client().get(f"/verify/{certificate.verification_code}/").content.decode()
    assert re.search(r'data-testid="verdict">\s*Expired', page)


def test_lifecycle_keeps_the_history(trader, aeo):
    certificate = certified(trader, aeo)
    due = certificate.next_self_review_due
    lifecycle.submit_self_review(trader, certificate.pk, True, "")
    certificate.refresh_from_db()
    assert certificate.next_self_review_due > due

    with pytest.raises(InvalidInput):
        lifecycle.suspend(aeo, certificate.pk, "")
    lifecycle.suspend(aeo, certificate.pk, "Seal tampering incident.", 14)
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    assert certificate.response_due == timezone.localdate() + timedelta(days=14)
    lifecycle.respond_to_suspension(trader, certificate.pk, "New seal procedure attached.")
    lifecycle.reinstate(aeo, certificate.pk, "Procedure checked on site.")
    lifecycle.revalidate(aeo, certificate.pk, "Four-year revalidation done.")
    lifecycle.withdraw(trader, certificate.pk, "We stop importing.")
    certificate.refresh_from_db()
    assert certificate.status == "withdrawn"
    with pytest.raises(Conflict):
        lifecycle.revoke(aeo, certificate.pk, "Too late.")
    kinds = list(AeoCertificateEvent.objects.filter(certificate=certificate).values_list("kind", flat=True))
    assert kinds == ["issued", "self_review", "suspended", "holder_response", "reinstated", "revalidated", "withdrawn"]
    from tradewinds.core.models import AuditEntry

    changes = [
        (entry.action, entry.before["status"], entry.after["status"])
        for entry in AuditEntry.objects.filter(object_type="aeo.aeocertificate", object_id=str(certificate.pk))
        .exclude(before__isnull=True)
        .order_by("id")
        if entry.action in {"aeo.certificate.suspended", "aeo.certificate.reinstated", "aeo.certificate.withdrawn"}
    ]
    assert changes == [
        ("aeo.certificate.suspended", "valid", "suspended"),
        ("aeo.certificate.reinstated", "suspended", "valid"),
        ("aeo.certificate.withdrawn", "valid", "withdrawn"),
    ]


def test_revocation_ends_the_status(trader, aeo):
    certificate = certified(trader, aeo)
    lifecycle.revoke(aeo, certificate.pk, "Repeated misdeclaration.")
    with pytest.raises(Conflict):
        lifecycle.reinstate(aeo, certificate.pk, "Changed our mind.")
    page = Client().get(f"/verify/{certificate.verification_code}/").content.decode()
    assert re.search(r'data-testid="verdict">\s*Revoked', page)
