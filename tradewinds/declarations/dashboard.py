"""Home-page cards: today's and this week's flow for customs staff, a trader's own declarations."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from statistics import median

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core.dashboard import Card
from tradewinds.core.roles import Role

from .models import Declaration, LifecycleEvent
from .services import visible_declarations

STAFF = (Role.MANAGER, Role.RISK_OFFICER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER)
RELEASE_WINDOW_DAYS = 30


def _midnight(days_ago: int = 0) -> datetime:
    today = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(today, time.min), timezone.get_current_timezone())


def median_release_hours(declarations: QuerySet[Declaration], since: datetime) -> float | None:
    """Median hours from lodgement to release of the declarations released since `since`."""
    spans = (
        LifecycleEvent.objects.filter(declaration__in=declarations, kind=LifecycleEvent.Kind.RELEASED, at__gte=since)
        .annotate(lodged=F("declaration__lodged_at"))
        .values_list("at", "lodged")
    )
    hours = [(released - lodged).total_seconds() / 3600 for released, lodged in spans]
    return round(median(hours), 1) if hours else None


def cards(user) -> list[Card]:
    if user.has_role(*STAFF):
        return _staff_cards(user)
    if user.has_role(Role.TRADER):
        return _trader_cards(user)
    return []


def _staff_cards(user) -> list[Card]:
    declarations = Declaration.objects.filter(administration_id=user.administration_id)
    url = reverse("declarations:list")
    week_start = _midnight(6)
    released = declarations.filter(status=Declaration.Status.RELEASED)
    waiting = declarations.exclude(status=Declaration.Status.RELEASED)
    hours = median_release_hours(declarations, timezone.now() - timedelta(days=RELEASE_WINDOW_DAYS))
    return [
        Card(
            _("Declarations lodged today"), declarations.filter(lodged_at__gte=_midnight()).count(), url=url, order=20
        ),
        Card(_("Lodged in the last 7 days"), declarations.filter(lodged_at__gte=week_start).count(), url=url, order=21),
        Card(
            _("Released in the last 7 days"),
            LifecycleEvent.objects.filter(
                declaration__in=released, kind=LifecycleEvent.Kind.RELEASED, at__gte=week_start
            ).count(),
            url=f"{url}?status=released",
            order=22,
        ),
        Card(_("Awaiting release"), waiting.count(), url=url, order=23),
        Card(
            _("Median hours, lodgement to release"),
            hours if hours is not None else "—",
            note=_("Declarations released in the last %(days)d days") % {"days": RELEASE_WINDOW_DAYS},
            order=24,
        ),
    ]


def _trader_cards(user) -> list[Card]:
    mine = visible_declarations(user)
    url = reverse("declarations:list")
    hours = median_release_hours(mine, timezone.now() - timedelta(days=RELEASE_WINDOW_DAYS))
    return [
        Card(
            _("Your declarations, last 30 days"), mine.filter(lodged_at__gte=_midnight(29)).count(), url=url, order=20
        ),
        Card(
            _("Yours awaiting release"),
            mine.exclude(status=Declaration.Status.RELEASED).count(),
            url=url,
            order=21,
        ),
        Card(_("Your median hours to release"), hours if hours is not None else "—", order=22),
    ]
