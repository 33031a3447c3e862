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

# Each domain app brings its pages in its own urls.py, mounted under its name.
for app in settings.INSTALLED_APPS:
    if app.startswith("tradewinds.") and app != "tradewinds.core":
        try:
            importlib.import_module(f"{app}.urls")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.urls":
                raise
            continue
        urlpatterns.append(path(app.rsplit(".", 1)[-1] + "/", include(f"{app}.urls")))
