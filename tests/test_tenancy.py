"""Tenancy: enumerate EVERY page URL and API route and prove that a user of one administration
(Saint Lucia) can neither read nor change another's (Grenada's) data, and that anonymous users
are turned away. New routes are covered automatically: a route whose parameters the test cannot
map to a model fails here until the demo holds such an object or the route is listed as public."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tradewinds.api import api
from tradewinds.core.models import Administration, AuditEntry
from tradewinds.core.tenancy import TenantOwned

OWN, OTHER = "lca", "grd"
ACTORS = [
    "lca.manager",
    "lca.risk",
    "lca.examiner",
    "lca.clearance",
    "lca.aeo",
    "lca.trader",
    "lca.skipper",
    "lca.partner",
    "region.analyst",
]
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "static/")
# Routes anyone may open, with a reason; their parameters are not object ids.
PUBLIC_ROUTES = {
    "healthz": "liveness probe",
    "accounts/login/": "the login page",
    "accounts/logout/": "log out",
    "verify/<str:code>/": "public verification of an AEO certificate (shows validity only)",
}
# Parameters that are not object ids, with a value to call the route with.
NON_OBJECT_PARAMS = {"code": "010121"}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\{(?P<api_name>\w+)\}")


def page_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from page_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield route


def api_routes():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield path, method.upper()


def model_for(param: str):
    if not param.endswith("_id"):
        return None
    wanted = param[:-3].replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted:
            return model
    return None


def other_object(model):
    other = Administration.objects.get(code=OTHER)
    obj = model.objects.filter(administration=other).order_by("pk").first()
    assert obj is not None, f"The demo has no {model.__name__} of {OTHER}: add one so tenancy covers its routes."
    return obj


def param_names(route: str) -> list[str]:
    return [match.group("name") or match.group("api_name") for match in PARAM.finditer(route)]


def targets_object(route: str) -> bool:
    return any(model_for(name) is not None for name in param_names(route))


def fill(route: str) -> str:
    """The route with every object parameter pointing at the other administration's object."""

    def substitute(match):
        name = match.group("name") or match.group("api_name")
        if name in NON_OBJECT_PARAMS:
            return NON_OBJECT_PARAMS[name]
        model = model_for(name)
        assert model is not None, f"{route}: map parameter {name!r} to a model (<model>_id) or to NON_OBJECT_PARAMS"
        return str(other_object(model).pk)

    return "/" + PARAM.sub(substitute, route).lstrip("/")


def tenant_models():
    return [model for model in apps.get_models() if issubclass(model, TenantOwned)]


def other_markers() -> list[str]:
    """Strings that identify the other administration's rows (and none of ours)."""
    own, other = (Administration.objects.get(code=code) for code in (OWN, OTHER))
    markers = {other.name}
    for model in tenant_models():
        own_labels = {str(obj) for obj in model.objects.filter(administration=own)[:500]}
        for obj in model.objects.filter(administration=other).order_by("pk")[:30]:
            label = str(obj)
            if len(label) >= 8 and re.search(r"[A-Za-z]", label) and label not in own_labels:
                markers.add(label)
    return sorted(markers)


def other_audit_count() -> int:
    return AuditEntry.objects.filter(administration__code=OTHER).count()


@pytest.fixture
def markers(db):
    found = other_markers()
    assert len(found) > 5, "the demo should give the other administration recognisable data"
    return found


def test_every_page_route_is_known():
    routes = list(page_routes()) + [path for path, _method in api_routes()]
    unknown = [
        route
        for route in routes
        if route not in PUBLIC_ROUTES
        and any(model_for(name) is None and name not in NON_OBJECT_PARAMS for name in param_names(route))
    ]
    assert not unknown, f"Routes with parameters that are not object ids (map them or list them as public): {unknown}"


def test_anonymous_is_sent_to_login_on_every_page(db):
    client = Client()
    for route in page_routes():
        if route in PUBLIC_ROUTES:
            continue
        url = fill(route)
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route


def test_anonymous_gets_401_on_every_api_route(db):
    client = Client()
    for path, method in api_routes():
        url = fill(path)
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)
        assert set(response.json()) == {"detail", "code", "errors"}


@pytest.mark.parametrize("username", ACTORS)
def test_pages_never_show_or_change_another_administrations_data(client_as, username, markers):
    client = client_as(username)
    audited = other_audit_count()
    for route in page_routes():
        url = fill(route)
        if targets_object(route):
            response = client.get(url)
            assert response.status_code in (403, 404, 405), (username, route, response.status_code)
            response = client.post(url, {})
            assert response.status_code in (403, 404, 405), (username, "POST", route, response.status_code)
        elif route not in PUBLIC_ROUTES:
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                body = response.content.decode()
                leaked = [marker for marker in markers if marker in body]
                assert not leaked, (username, route, leaked)
    assert other_audit_count() == audited, "a request changed the other administration's data"


@pytest.mark.parametrize(
    "username", ["lca.manager", "lca.risk", "lca.aeo", "lca.trader", "lca.partner", "region.analyst"]
)
def test_api_never_shows_or_changes_another_administrations_data(client_as, username, markers):
    client = client_as(username)
    audited = other_audit_count()
    for path, method in api_routes():
        url = fill(path)
        response = client.generic(method, url, json.dumps({}), content_type="application/json")
        if targets_object(path):
            allowed = (403, 404) if method == "GET" else (403, 404, 405, 422)
            assert response.status_code in allowed, (username, method, path, response.status_code)
        elif method == "GET" and response.status_code == 200:
            leaked = [marker for marker in markers if marker in response.content.decode()]
            assert not leaked, (username, path, leaked)
    assert other_audit_count() == audited


def test_django_admin_is_for_platform_administrators_only(client_as):
    assert client_as("lca.manager").get("/admin/").status_code == 302
    assert client_as("admin").get("/admin/").status_code == 200
