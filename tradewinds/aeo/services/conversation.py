"""Talking to each other: the message thread and the trader's answers to findings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import Company, User
from tradewinds.errors import Conflict, NotFound

from ..models import AeoApplication, AeoFinding, AeoFindingResponse, AeoMessage
from ._common import OFFICER, READERS, TRADER, invalid, require, scoped

MAX_MESSAGE = 5000


def company_for_thread(actor: User, company_id: int | None) -> Company:
    """A trader talks for its own company; an officer to any company of the administration."""
    if actor.has_role(*TRADER):
        if company_id not in (None, actor.company_id):
            raise NotFound(_("No such company."))
        return actor.company
    require(actor, *READERS)
    company = Company.objects.owned_by(actor).filter(pk=company_id).first()
    if company is None:
        raise NotFound(_("No such company."))
    return company


def post_message(actor: User, company_id: int | None, body: str) -> AeoMessage:
    require(actor, *TRADER, *OFFICER)
    company = company_for_thread(actor, company_id)
    body = (body or "").strip()
    if not body:
        raise invalid({"body": _("Write a message.")})
    if len(body) > MAX_MESSAGE:
        raise invalid({"body": _("Keep a message under 5000 characters.")})
    application = (
        AeoApplication.objects.filter(company=company).order_by("-created_at", "-id").first()
    )  # the file the message most likely concerns, for the officer's context
    with transaction.atomic():
        message = AeoMessage.objects.create(
            administration_id=company.administration_id,
            company=company,
            application=application,
            author=actor,
            from_customs=not actor.has_role(*TRADER),
            body=body,
        )
        audit.record("aeo.message.posted", actor=actor, obj=message, after={"company": company.pk})
    return message


def mark_thread_read(actor: User, company: Company) -> None:
    """Messages from the other side count as read once the thread is opened."""
    from_customs = actor.has_role(*TRADER)
    AeoMessage.objects.filter(company=company, from_customs=from_customs, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def respond_to_finding(actor: User, finding_id: int, body: str) -> AeoFindingResponse:
    require(actor, *TRADER)
    finding = (
        scoped(AeoFinding.objects.all(), actor, write=True).select_related("application").filter(pk=finding_id).first()
    )
    if finding is None:
        raise NotFound(_("No such finding."))
    if finding.status == AeoFinding.Status.CLOSED:
        raise Conflict(_("This finding is already closed."))
    body = (body or "").strip()
    if not body:
        raise invalid({"body": _("Say what you did or will do about the finding.")})
    with transaction.atomic():
        response = AeoFindingResponse.objects.create(
            administration_id=finding.administration_id, finding=finding, author=actor, body=body
        )
        finding.status = AeoFinding.Status.ANSWERED
        finding.save(update_fields=["status"])
        audit.record("aeo.finding.answered", actor=actor, obj=finding, after={"response": response.pk})
    return response
