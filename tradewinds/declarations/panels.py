"""Panels other apps add to the declaration page, without declarations importing them.

An installed ``tradewinds.<app>`` with a ``panels.py`` defining
``declaration_panel(request, declaration) -> dict | None`` contributes a panel: it returns
``{"template": "<app>/panel.html", "context": {...}}`` (or None to show nothing) and the page
renders that template with that context (plus ``request`` and ``declaration``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Declaration


def providers() -> list[Callable]:
    found = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tradewinds."):
            continue
        name = f"{app}.panels"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        if hasattr(module, "declaration_panel"):
            found.append(module.declaration_panel)
    return found


def collect(request: HttpRequest, declaration: Declaration) -> list[SafeString]:
    """Each contributing app's panel, rendered, in INSTALLED_APPS order."""
    rendered = []
    for provider in providers():
        panel = provider(request, declaration)
        if not panel:
            continue
        context = {**panel.get("context", {}), "declaration": declaration}
        rendered.append(render_to_string(panel["template"], context, request=request))
    return rendered
