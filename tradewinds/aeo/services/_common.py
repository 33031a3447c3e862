"""What every AEO use case shares: role checks, field errors, finding the file the actor may touch."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.core.roles import Role
from tradewinds.core.validation import check_role
from tradewinds.errors import Forbidden, InvalidInput, NotFound, field_error

from ..models import AeoApplication, AeoCertificate, AeoStatusChange

OFFICER = (Role.AEO_OFFICER,)
READERS = (Role.AEO_OFFICER, Role.MANAGER)
TRADER = (Role.TRADER,)


# The AEO services say `require(actor, *roles)`; it is the platform-wide role check.
require = check_role


def invalid(errors: dict[str, str] | list[dict[str, Any]]) -> InvalidInput:
    if isinstance(errors, dict):
        errors = [field_error(field, str(message)) for field, message in errors.items()]
    return InvalidInput(_("Some fields are not valid."), errors=errors)


def scoped(queryset: models.QuerySet, actor: User, *, write: bool) -> models.QuerySet:
    """The rows of a company-owned model the actor may see (or change, with write=True).
    A trader reaches only its own company's rows; customs staff their own administration's."""
    if actor.has_role(*TRADER):
        if actor.company_id is None:
            return queryset.none()
        company_field = "company" if hasattr(queryset.model, "company") else "application__company"
        return queryset.owned_by(actor).filter(**{company_field: actor.company_id})
    if actor.has_role(*OFFICER):
        return queryset.owned_by(actor)
    if actor.has_role(Role.MANAGER) and not write:
        return queryset.owned_by(actor)
    raise Forbidden(_("Your role does not allow this."))


def get_application(actor: User, application_id: int, *, write: bool = False) -> AeoApplication:
    application = (
        scoped(AeoApplication.objects.all(), actor, write=write)
        .select_related("company", "programme_type", "officer")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(_("No such application."))
    return application


def get_certificate(actor: User, certificate_id: int, *, write: bool = False) -> AeoCertificate:
    certificate = (
        scoped(AeoCertificate.objects.all(), actor, write=write)
        .select_related("company", "programme_type", "administration")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise NotFound(_("No such certificate."))
    return certificate


def set_status(application: AeoApplication, to_status: str, actor: User | None, note: str = "") -> None:
    """Move the application and leave a line on its timeline and in the audit trail."""
    before = application.status
    application.status = to_status
    application.save(update_fields=["status", "submitted_at", "decided_at", "officer"])
    AeoStatusChange.objects.create(
        administration_id=application.administration_id,
        application=application,
        from_status=before,
        to_status=to_status,
        note=note,
        actor=actor,
    )
    audit.record(
        f"aeo.application.{to_status}",
        actor=actor,
        obj=application,
        before={"status": before},
        after={"status": to_status, "note": note},
    )
