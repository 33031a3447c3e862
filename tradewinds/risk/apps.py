from __future__ import annotations

import importlib

from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "tradewinds.risk"
    label = "risk"

    def ready(self) -> None:
        # Declarations announce lodgements and imports; risk answers with a lane. The declarations app
        # never imports risk, so the dependency runs one way.
        try:
            signals = importlib.import_module("tradewinds.declarations.signals")
        except ModuleNotFoundError as error:
            if error.name != "tradewinds.declarations.signals":
                raise
            return
        from . import receivers

        signals.declaration_lodging.connect(receivers.on_declaration_lodging, dispatch_uid="risk.assess_lodging")
        signals.declaration_lodged.connect(receivers.on_declaration_lodged, dispatch_uid="risk.assess_lodged")
        signals.declarations_imported.connect(receivers.on_declarations_imported, dispatch_uid="risk.assess_imported")
