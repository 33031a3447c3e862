"""File import pages: upload, progress (polled by htmx), the error report, and import profiles."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tradewinds.core.permissions import role_required
from tradewinds.core.roles import Role
from tradewinds.core.views import apply_service_error, paginate
from tradewinds.errors import TradewindsError

from .. import services
from ..forms import ImportForm, ImportProfileForm
from ..models import ImportBatch, ImportProfile
from ..profiles import HEADER_TARGETS, ITEM_TARGETS, LABEL_TARGETS, REQUIRED_TARGETS, ensure_shipped_profiles


def _batches(request: HttpRequest):
    batches = ImportBatch.objects.owned_by(request.user).select_related("profile", "created_by")
    if request.user.has_role(Role.TRADER):
        batches = batches.filter(created_by=request.user)  # a trader's files are its own business
    return batches


def _profiles(request: HttpRequest):
    if request.user.administration is not None:
        ensure_shipped_profiles(request.user.administration)
    return ImportProfile.objects.owned_by(request.user).order_by("name")


@role_required(*services.IMPORTERS)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, profiles=_profiles(request))
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.start_import(
                request.user,
                form.cleaned_data["profile"].pk,
                form.cleaned_data["file"],
                import_valid_rows=form.cleaned_data["import_valid_rows"],
            )
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            return redirect("declarations:import_batch", importbatch_id=batch.pk)
    return render(
        request,
        "declarations/import.html",
        {"form": form, "page": paginate(request, _batches(request), 10)},
    )


def _batch_or_404(request: HttpRequest, importbatch_id: int) -> ImportBatch:
    batch = _batches(request).filter(pk=importbatch_id).first()
    if batch is None:
        raise Http404
    return batch


@require_GET
@role_required(*services.IMPORTERS)
def import_batch(request: HttpRequest, importbatch_id: int) -> HttpResponse:
    return render(request, "declarations/import_batch.html", {"batch": _batch_or_404(request, importbatch_id)})


@require_GET
@role_required(*services.IMPORTERS)
def import_progress(request: HttpRequest, importbatch_id: int) -> HttpResponse:
    """The fragment htmx polls until the import is finished."""
    return render(request, "declarations/_import_progress.html", {"batch": _batch_or_404(request, importbatch_id)})


@require_GET
@role_required(*services.IMPORTERS)
def profile_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "declarations/profile_list.html",
        {
            "profiles": _profiles(request),
            "can_edit": request.user.has_role(*services.PROFILE_EDITORS),
            "header_targets": list(HEADER_TARGETS),
            "item_targets": list(ITEM_TARGETS),
            "label_targets": list(LABEL_TARGETS),
            "required_targets": list(REQUIRED_TARGETS),
        },
    )


@role_required(*services.PROFILE_EDITORS)
def profile_edit(request: HttpRequest, importprofile_id: int | None = None) -> HttpResponse:
    profile = None
    if importprofile_id is not None:
        profile = ImportProfile.objects.owned_by(request.user).filter(pk=importprofile_id).first()
        if profile is None:
            raise Http404
    initial = {"file_format": "csv", "mapping": json.dumps({"columns": {}, "types": {}}, indent=2)}
    if profile is not None:
        initial = {
            "name": profile.name,
            "description": profile.description,
            "file_format": profile.file_format,
            "mapping": json.dumps(profile.mapping, indent=2, ensure_ascii=False),
        }
    form = ImportProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_profile(request.user, profile.pk if profile else None, form.cleaned_data)
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Import profile %(name)s saved.") % {"name": saved.name})
            return redirect("declarations:profile_list")
    title = profile.name if profile else _("New import profile")
    return render(request, "declarations/profile_form.html", {"form": form, "title": title, "profile": profile})
