from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

# The main navigation: (url name, label, roles that see it). An app's pages appear here once
# its url name exists, so a half-built app never shows a dead link.
NAVIGATION = [
    ("home", _("Home"), None),
    (
        "declarations:list",
        _("Declarations"),
        {Role.MANAGER, Role.RISK_OFFICER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER, Role.TRADER},
    ),
    ("risk:rule_list", _("Risk rules"), {Role.RISK_OFFICER, Role.MANAGER}),
    ("risk:performance", _("Performance"), {Role.RISK_OFFICER, Role.MANAGER}),
    ("detection:model_list", _("Models"), {Role.RISK_OFFICER, Role.MANAGER}),
    ("aeo:home", _("Trusted traders"), {Role.AEO_OFFICER, Role.MANAGER, Role.TRADER}),
    (
        "companies",
        _("Companies"),
        {Role.MANAGER, Role.RISK_OFFICER, Role.AEO_OFFICER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER},
    ),
    ("audit_trail", _("Audit trail"), {Role.MANAGER, Role.PLATFORM_ADMIN}),
    ("api_keys", _("API keys"), {Role.MANAGER, Role.PLATFORM_ADMIN}),
    ("admin:index", _("Site administration"), {Role.PLATFORM_ADMIN}),
]


def navigation_for(user) -> list[dict]:
    items = []
    for url_name, label, roles in NAVIGATION:
        if roles is not None and not user.has_role(*roles):
            continue
        try:
            items.append({"url": reverse(url_name), "label": label, "name": url_name})
        except NoReverseMatch:
            continue
    return items


def tradewinds_context(request: HttpRequest) -> dict:
    user = request.user
    return {
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation_for(user) if user.is_authenticated else [],
        "current_administration": getattr(user, "administration", None) if user.is_authenticated else None,
    }
