"""The JSON API root: /api/v1/… with OpenAPI at /api/openapi.json and docs at /api/docs.

Each domain app contributes `router` from its own `api.py`; this module only mounts them,
authenticates, and maps every error to the one shape {"detail", "code", "errors"}."""

import datetime
import importlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from tradewinds.core.models import ApiKey
from tradewinds.core.statements import Lookup
from tradewinds.errors import TradewindsError, from_django_validation

logger = logging.getLogger(__name__)
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


# Every API call makes this lookup: its SQL is built once (see tradewinds.core.statements).
_live_key = Lookup(
    lambda key_hash: (
        ApiKey.objects.select_related("user", "user__administration", "user__company")
        .filter(key_hash=key_hash, revoked_at__isnull=True)
        .order_by("pk")[:1]
    ),
    str,
)


def _user_for_key(raw_key: str):
    key = _live_key.first(ApiKey.hash_key(raw_key))
    if key is None or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        # A write per request would cost more than the request itself: a minute is precise enough.
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user


class BearerKeyAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        return _user_for_key(token)


class HeaderKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        return _user_for_key(key) if key else None


class SessionCsrfAuth(SessionAuth):
    """Browser calls (htmx) ride on the login session; CSRF is checked on unsafe methods."""

    csrf = True


api = NinjaAPI(
    title="Tradewinds API",
    version="1",
    description="Customs risk management, trusted traders, yacht clearance and regional intelligence.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[BearerKeyAuth(), HeaderKeyAuth(), SessionCsrfAuth()],
    urls_namespace="api",
)


def _error(request, status: int, detail: str, code: str, errors=None):
    return api.create_response(request, {"detail": detail, "code": code, "errors": errors or []}, status=status)


@api.exception_handler(TradewindsError)
def on_tradewinds_error(request, exc: TradewindsError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [
        {"loc": list(err.get("loc", [])), "field": str((err.get("loc") or ["?"])[-1]), "msg": err.get("msg", "")}
        for err in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", "invalid", errors)


@api.exception_handler(DjangoValidationError)
def on_model_validation(request, exc: DjangoValidationError):
    error = from_django_validation(exc)
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "Authentication required: log in or send an API key.", "not_authenticated")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, "Your role does not allow this.", "forbidden")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "Not found.", "not_found")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc), "error")


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("Unexpected API error")
    return _error(request, 500, "An unexpected error occurred; it has been logged.", "server_error")


def _mount_app_routers() -> None:
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tradewinds."):
            continue
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.api":
                raise
            continue
        prefix = getattr(module, "PREFIX", "/v1/" + app.rsplit(".", 1)[-1])
        api.add_router(prefix, module.router)


_mount_app_routers()
