"""The roles of Tradewinds users. Permissions are granted by role, never by default."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    MANAGER = "manager", _("Administration manager")
    RISK_OFFICER = "risk_officer", _("Risk officer")
    EXAMINATION_OFFICER = "examination_officer", _("Examination officer")
    CLEARANCE_OFFICER = "clearance_officer", _("Clearance officer")
    AEO_OFFICER = "aeo_officer", _("AEO officer")
    REGIONAL_ANALYST = "regional_analyst", _("Regional analyst")
    TRADER = "trader", _("Trader")
    SKIPPER = "skipper", _("Skipper")
    PARTNER_AGENCY = "partner_agency", _("Partner agency (API client)")


# Roles that work for a customs administration (as opposed to its clients).
CUSTOMS_STAFF = frozenset(
    {
        Role.MANAGER,
        Role.RISK_OFFICER,
        Role.EXAMINATION_OFFICER,
        Role.CLEARANCE_OFFICER,
        Role.AEO_OFFICER,
        Role.REGIONAL_ANALYST,
    }
)

ROLE_DESCRIPTIONS = {
    Role.PLATFORM_ADMIN: _("Administrations, users, roles, reference data and API keys."),
    Role.MANAGER: _("Dashboards of inspection rate, hit rate, release times and AEO facilitation."),
    Role.RISK_OFFICER: _("Writes and tunes risk rules, reviews hits, watches rule and model performance."),
    Role.EXAMINATION_OFFICER: _("Sees the lane and the reasons, records what the inspection found."),
    Role.CLEARANCE_OFFICER: _("Releases declarations and clears yachts."),
    Role.AEO_OFFICER: _("Runs AEO pre-applications, applications, validation, certification and reviews."),
    Role.REGIONAL_ANALYST: _("Works across administrations on shared seizures and alerts."),
    Role.TRADER: _("Submits declarations, applies for AEO status, answers validation findings."),
    Role.SKIPPER: _("Keeps vessel and crew lists, files arrival and departure notifications."),
    Role.PARTNER_AGENCY: _("Reads and writes shared data over the API under an agreement."),
}
