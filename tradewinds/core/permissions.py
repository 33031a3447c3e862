"""Role checks for pages and API routes. Nothing is allowed unless a role is named."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tradewinds.errors import Forbidden

from .roles import Role


def role_required(*roles: str) -> Callable:
    """Page decorator: the user must be logged in (the middleware sees to that) and hold one of the roles.
    Platform administrators pass only where named, so they do not silently read every tenant's case work."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require_role(request: HttpRequest, *roles: str) -> None:
    """API check, raising our error so the API answers 403 in its one error shape."""
    user = request.auth if hasattr(request, "auth") and request.auth is not None else request.user
    if not user.has_role(*roles):
        raise Forbidden("Your role does not allow this.")


# Who may read the companies register (pages and API alike); partner systems read it by API only.
COMPANY_READERS = (
    Role.MANAGER,
    Role.RISK_OFFICER,
    Role.AEO_OFFICER,
    Role.EXAMINATION_OFFICER,
    Role.CLEARANCE_OFFICER,
    Role.PLATFORM_ADMIN,
)
COMPANY_EDITORS = (Role.MANAGER, Role.AEO_OFFICER, Role.PLATFORM_ADMIN)
