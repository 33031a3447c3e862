"""Home-page cards of the AEO programme: what waits for the officer, the trader's own status,
the manager's programme figures."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core.dashboard import Card
from tradewinds.core.roles import Role

from .models import AeoApplication, AeoCertificate, AeoFinding, AeoMessage


def cards(user) -> list[Card]:
    if user.has_role(Role.TRADER):
        return _trader_cards(user)
    if user.has_role(Role.AEO_OFFICER, Role.MANAGER):
        return _staff_cards(user)
    return []


def _trader_cards(user) -> list[Card]:
    own = {"administration_id": user.administration_id, "company_id": user.company_id}
    certificate = AeoCertificate.objects.filter(**own).order_by("-issued_on").first()
    application = AeoApplication.objects.filter(**own).first()
    if certificate is not None:
        status = certificate.get_status_display()
    elif application is not None:
        status = application.get_status_display()
    else:
        status = _("Not started")
    unread = AeoMessage.objects.filter(**own, from_customs=True, read_at__isnull=True).count()
    return [
        Card(_("Trusted trader (AEO) status"), status, url=reverse("aeo:portal"), order=40),
        Card(_("Unread messages from the AEO office"), unread, url=reverse("aeo:messages"), order=41),
    ]


def _staff_cards(user) -> list[Card]:
    own = {"administration_id": user.administration_id}
    waiting = AeoApplication.objects.filter(status__in=AeoApplication.OFFICER_STATUSES, **own).count()
    overdue = AeoFinding.objects.filter(
        kind=AeoFinding.Kind.REQUIREMENT, status=AeoFinding.Status.OPEN, deadline__lt=timezone.localdate(), **own
    ).count()
    valid = AeoCertificate.objects.filter(status=AeoCertificate.Status.VALID, **own).count()
    return [
        Card(_("AEO applications waiting for customs"), waiting, url=reverse("aeo:queue"), order=50),
        Card(_("Certified AEOs"), valid, url=reverse("aeo:certificates"), order=51),
        Card(_("AEO requirements past their deadline"), overdue, url=reverse("aeo:queue"), order=52),
    ]
