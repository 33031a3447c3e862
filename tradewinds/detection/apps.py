from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectionConfig(AppConfig):
    name = "tradewinds.detection"
    label = "detection"
    verbose_name = _("Detection model")

    def ready(self) -> None:
        # Risk assessment consults the registered score sources; registering here makes the active
        # model of each administration part of lane allocation without risk importing this app.
        from tradewinds.risk import scoring

        from .source import SOURCE

        scoring.register(SOURCE)
