"""Home-page card for risk officers and managers: the active model and its precision at 5 %."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tradewinds.core.dashboard import Card

from .models import ModelVersion
from .services import READERS


def cards(user) -> list[Card]:
    if user.administration_id is None or not user.has_role(*READERS):
        return []
    active = ModelVersion.objects.filter(administration_id=user.administration_id, status=ModelVersion.Status.ACTIVE)
    version = active.first()
    if version is None:
        return [
            Card(_("Detection model"), "—", note=_("no active model"), url=reverse("detection:model_list"), order=23)
        ]
    five = (version.metrics or {}).get("fraud", {}).get("5%", {})
    precision = five.get("precision")
    note = _("precision at 5 %%: %(p)s") % {"p": f"{precision:.2f}" if precision is not None else "—"}
    return [
        Card(
            _("Detection model"),
            version.label,
            note=note,
            url=reverse("detection:model_detail", args=[version.pk]),
            order=23,
        )
    ]
