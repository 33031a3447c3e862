"""How AEO pages call services: a 404/403 from a service stays a 404/403; a validation or
conflict error goes onto the form (or the page's messages) and nothing is changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tradewinds.core.roles import Role
from tradewinds.core.views import apply_service_error
from tradewinds.errors import TradewindsError

TRADER = (Role.TRADER,)
OFFICER = (Role.AEO_OFFICER,)
STAFF = (Role.AEO_OFFICER, Role.MANAGER)
EVERYONE = (Role.AEO_OFFICER, Role.MANAGER, Role.TRADER)


def call(request: HttpRequest, service: Callable, *args: Any, form=None, **kwargs: Any) -> Any | None:
    """Run a service for the page; None means it refused and the reason is already shown."""
    try:
        return service(request.user, *args, **kwargs)
    except TradewindsError as error:
        if error.status == 404:
            raise Http404(error.detail) from error
        if error.status == 403:
            raise PermissionDenied(error.detail) from error
        if form is not None:
            apply_service_error(form, error)
        else:
            details = [item.get("msg", "") for item in error.errors] or [error.detail]
            for detail in details:
                messages.error(request, detail)
        return None


def field_errors(error: TradewindsError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in error.errors:
        found.setdefault(item.get("field", "__all__"), []).append(item.get("msg", ""))
    return found


def is_officer(user) -> bool:
    return user.has_role(*OFFICER)
