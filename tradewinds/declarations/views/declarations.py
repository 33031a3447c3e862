"""The declaration list (filters, paging, CSV export), one declaration, and lodging on the page."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewinds.core.permissions import role_required
from tradewinds.core.roles import Role
from tradewinds.core.views import paginate
from tradewinds.errors import TradewindsError

from .. import panels, records, services
from ..filters import DeclarationFilter, with_totals
from ..forms import DeclarationFilterForm, DeclarationForm, ItemFormSet, apply_declaration_errors, declaration_payload
from ..models import Declaration, LifecycleEvent

PAGE_READERS = tuple(role for role in services.READERS if role != Role.PARTNER_AGENCY)
PAGE_SUBMITTERS = (Role.TRADER, Role.CLEARANCE_OFFICER, Role.MANAGER)
EXPORT_LIMIT = 100_000


def _filtered(request: HttpRequest) -> tuple[DeclarationFilterForm, Any]:
    form = DeclarationFilterForm(request.GET or None)
    chosen = DeclarationFilter.from_data(form.cleaned_data) if form.is_valid() else DeclarationFilter()
    declarations = chosen.apply(services.visible_declarations(request.user))
    return form, with_totals(declarations).order_by("-lodged_at", "-id")


@require_GET
@role_required(*PAGE_READERS)
def declaration_list(request: HttpRequest) -> HttpResponse:
    form, declarations = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "declarations/list.html",
        {
            "form": form,
            "page": paginate(request, declarations, 25),
            "export_query": query.urlencode(),
            "can_lodge": request.user.has_role(*PAGE_SUBMITTERS),
            "can_import": request.user.has_role(*services.IMPORTERS),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export_header() -> list[str]:
    labels = [_("Number"), _("Kind"), _("Type"), _("Lodged"), _("Status"), _("Lane"), _("Importer")]
    return labels + [_("Importer name"), _("Declarant"), _("Items"), _("Customs value"), _("Currency"), _("Version")]


def _export_row(d: Declaration) -> list[Any]:
    lodged = timezone.localtime(d.lodged_at).strftime("%Y-%m-%d %H:%M")
    importer_name = d.importer.name if d.importer else ""
    value = d.total_value if d.total_value is not None else ""
    return [
        d.number,
        d.kind,
        d.declaration_type,
        lodged,
        d.status,
        d.lane,
        d.importer_code,
        importer_name,
        d.declarant_code,
        d.item_count,
        value,
        d.currency,
        d.version,
    ]


@require_GET
@role_required(*PAGE_READERS)
def declaration_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, one row per declaration, times in the administration's local time."""
    _form, declarations = _filtered(request)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(_export_header())
        for declaration in declarations[:EXPORT_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(_export_row(declaration))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="declarations-{timezone.localdate():%Y%m%d}.csv"'
    return response


@require_GET
@role_required(*PAGE_READERS)
def declaration_detail(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = (
        with_totals(services.visible_declarations(request.user))
        .select_related("import_batch")
        .prefetch_related(
            "items",
            Prefetch("events", LifecycleEvent.objects.select_related("actor")),
            Prefetch("versions", records.DeclarationVersion.objects.select_related("created_by").order_by("-version")),
        )
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise Http404
    versions = list(declaration.versions.all())
    for newer, older in zip(versions, versions[1:], strict=False):
        newer.changed = records.changed_fields(older.payload, newer.payload)
    return render(
        request,
        "declarations/detail.html",
        {
            "declaration": declaration,
            "versions": versions,
            "panels": panels.collect(request, declaration),
            "can_release": request.user.has_role(*services.RELEASERS)
            and declaration.administration_id == request.user.administration_id
            and declaration.status != Declaration.Status.RELEASED,
        },
    )


@role_required(*PAGE_SUBMITTERS)
def declaration_new(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST or None, initial={"currency": request.user.administration.currency})
    items = ItemFormSet(request.POST or None, prefix="items")
    if request.user.has_role(Role.TRADER):
        form.fields["importer_code"].initial = request.user.company.tax_id if request.user.company else ""
    if request.method == "POST" and form.is_valid() and items.is_valid():
        payload, rows = declaration_payload(form, items)
        try:
            result = services.submit_declaration(request.user, payload, source="web")
        except TradewindsError as error:
            apply_declaration_errors(form, items, rows, error)
        else:
            if result.created:
                messages.success(request, _("Declaration %(number)s lodged.") % {"number": result.declaration.number})
            elif result.amended:
                messages.success(request, _("Declaration %(number)s amended.") % {"number": result.declaration.number})
            else:
                messages.info(request, _("Nothing changed: this declaration was already lodged as it is."))
            return redirect("declarations:detail", declaration_id=result.declaration.pk)
    return render(request, "declarations/new.html", {"form": form, "items": items})


@require_POST
@role_required(*services.RELEASERS)
def declaration_release(request: HttpRequest, declaration_id: int) -> HttpResponse:
    try:
        services.release_declaration(request.user, declaration_id, note=request.POST.get("note", ""))
    except TradewindsError as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Declaration released."))
    return redirect("declarations:detail", declaration_id=declaration_id)
