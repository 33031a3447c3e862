import zoneinfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Paths that answer without a session. The API is not here by omission: it has its own
# authentication and answers 401 in the API error shape instead of redirecting.
PUBLIC_PREFIXES = ("/accounts/login/", "/i18n/", "/healthz", "/verify/", "/api/", "/favicon.ico")


class LoginRequiredMiddleware:
    """Deny by default: every page needs a logged-in user unless its path is listed as public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        if not public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class AdministrationTimezoneMiddleware:
    """Times are stored in UTC and shown in the local time of the user's administration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        administration = getattr(request.user, "administration", None) if request.user.is_authenticated else None
        if administration is not None:
            timezone.activate(zoneinfo.ZoneInfo(administration.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
