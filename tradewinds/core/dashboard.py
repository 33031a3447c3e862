"""Home-page cards. Each domain app may provide `dashboard.cards(user) -> list[Card]`; the home page
shows the cards of every app for the user's role, with real counts."""

import importlib
from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Card:
    title: str
    value: str | int | float
    note: str = ""
    url: str = ""
    series: list[dict] = field(default_factory=list)  # optional small chart: [{"label", "value"}]
    order: int = 100


def collect_cards(user) -> list[Card]:
    cards: list[Card] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tradewinds."):
            continue
        try:
            module = importlib.import_module(f"{app}.dashboard")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.dashboard":
                raise
            continue
        if hasattr(module, "cards"):
            cards.extend(module.cards(user))
    return sorted(cards, key=lambda card: card.order)


def cards(user) -> list[Card]:
    """The platform's own cards."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import Administration, ApiKey, AuditEntry, Company, User
    from .roles import Role

    if user.is_platform_admin:
        return [
            Card(_("Administrations"), Administration.objects.count(), order=10),
            Card(_("Active users"), User.objects.filter(is_active=True).count(), order=11),
            Card(
                _("Active API keys"),
                ApiKey.objects.filter(revoked_at__isnull=True).count(),
                url=reverse("api_keys"),
                order=12,
            ),
        ]
    if not user.has_role(Role.MANAGER):
        return []
    week_ago = timezone.now() - timedelta(days=7)
    own = {"administration_id": user.administration_id}
    return [
        Card(_("Companies registered"), Company.objects.filter(**own).count(), url=reverse("companies"), order=90),
        Card(_("Users"), User.objects.filter(is_active=True, **own).count(), order=91),
        Card(
            _("Audited changes, last 7 days"),
            AuditEntry.objects.filter(at__gte=week_ago, **own).count(),
            url=reverse("audit_trail"),
            order=92,
        ),
    ]
