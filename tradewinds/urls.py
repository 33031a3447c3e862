import importlib

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tradewinds.api import api
from tradewinds.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("tradewinds.core.auth_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("tradewinds.core.urls")),
]



def _has_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return False
    return True


# Each domain app brings its pages in its own urls.py, mounted under its name, and may bring
# pages that need no login in public_urls.py, mounted at the root (e.g. /verify/<code>/).
for app in settings.INSTALLED_APPS:
    if app.startswith("tradewinds.") and app != "tradewinds.core":
        if _has_module(f"{app}.urls"):
            urlpatterns.append(path(app.rsplit(".", 1)[-1] + "/", include(f"{app}.urls")))
        if _has_module(f"{app}.public_urls"):
            urlpatterns.append(path("", include(f"{app}.public_urls")))
