"""Named lists (watch-listed traders, high-risk origins, sensitive HS codes) and selectivity settings."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required
from tradewinds.core.roles import Role
from tradewinds.core.views import apply_service_error, paginate
from tradewinds.errors import TradewindsError

from .. import services
from ..context import settings_for
from ..forms import NamedListEntryForm, NamedListForm, SelectivitySettingsForm
from ..models import NamedList
from .common import RULE_AUTHORS, RULE_READERS

SETTINGS_EDITORS = (Role.RISK_OFFICER, Role.MANAGER)


@role_required(*RULE_READERS)
def list_index(request: HttpRequest) -> HttpResponse:
    lists = NamedList.objects.for_user(request.user).annotate(size=Count("entries")).order_by("name")
    return render(request, "risk/list_index.html", {"lists": lists, "can_edit": request.user.has_role(*RULE_AUTHORS)})


@role_required(*RULE_AUTHORS)
def list_create(request: HttpRequest) -> HttpResponse:
    form = NamedListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            named = services.create_list(request.user, form.cleaned_data)
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("List created."))
            return redirect("risk:list_detail", namedlist_id=named.pk)
    return render(request, "risk/list_form.html", {"form": form})


def _own_list(request: HttpRequest, namedlist_id: int) -> NamedList:
    named = NamedList.objects.owned_by(request.user).filter(pk=namedlist_id).first()
    if named is None:
        raise Http404
    return named


@role_required(*RULE_READERS)
def list_detail(request: HttpRequest, namedlist_id: int) -> HttpResponse:
    named = _own_list(request, namedlist_id)
    form = NamedListEntryForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role(*RULE_AUTHORS):
            raise Http404
        if form.is_valid():
            try:
                services.add_list_entry(request.user, named.pk, form.cleaned_data["value"], form.cleaned_data["note"])
            except TradewindsError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Entry added."))
                return redirect("risk:list_detail", namedlist_id=named.pk)
    query = request.GET.get("q", "").strip()
    entries = named.entries.select_related("added_by").order_by("value")
    if query:
        entries = entries.filter(value__icontains=query)
    return render(
        request,
        "risk/list_detail.html",
        {
            "list": named,
            "form": form,
            "page": paginate(request, entries, 50),
            "q": query,
            "can_edit": request.user.has_role(*RULE_AUTHORS),
        },
    )


@require_POST
@role_required(*RULE_AUTHORS)
def list_entry_delete(request: HttpRequest, namedlist_id: int, namedlistentry_id: int) -> HttpResponse:
    named = _own_list(request, namedlist_id)
    try:
        services.remove_list_entry(request.user, named.pk, namedlistentry_id)
    except TradewindsError as error:
        raise Http404 from error
    messages.success(request, _("Entry removed."))
    return redirect("risk:list_detail", namedlist_id=named.pk)


@role_required(*SETTINGS_EDITORS)
def selectivity_settings(request: HttpRequest) -> HttpResponse:
    current = settings_for(request.user.administration)
    form = SelectivitySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.user, {name: form.cleaned_data[name] for name in form.fields})
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Selectivity settings saved."))
            return redirect("risk:settings")
    return render(request, "risk/settings.html", {"form": form, "settings": current})
