"""Declarations over HTTP: lodge one or a batch, list with filters, read one with its history."""

import zoneinfo
from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tradewinds.core.permissions import require_role
from tradewinds.errors import NotFound

from . import services
from .filters import DeclarationFilter, with_totals
from .models import Declaration, DeclarationVersion, LifecycleEvent
from .schemas import BatchIn, BatchOut, DeclarationIn, DeclarationOut, DeclarationSummaryOut, ErrorOut, SubmitOut

PREFIX = "/v1/declarations"
router = Router(tags=["declarations"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ListFilters(Schema):
    lane: str = ""
    status: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    company: str = ""
    hs: str = ""
    origin: str = ""
    number: str = ""


def _detail(user, declaration_id: int) -> Declaration:
    declaration = (
        with_totals(services.visible_declarations(user))
        .prefetch_related(
            "items",
            Prefetch("events", LifecycleEvent.objects.select_related("actor")),
            Prefetch("versions", DeclarationVersion.objects.select_related("created_by")),
        )
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise NotFound("No such declaration.")
    return declaration


def _submitted(user, result: services.SubmitResult) -> Declaration:
    if result.created:
        declaration = _as_written(result)
    else:
        declaration = _detail(user, result.declaration.pk)
    declaration.created, declaration.amended = result.created, result.amended  # read by SubmitOut
    return declaration


def _as_written(result: services.SubmitResult) -> Declaration:
    """A new declaration answered from the rows just written, its own and those other apps (risk)
    wrote in the same transaction: what ``_detail`` would read back, without reading."""
    declaration = result.declaration
    # The cache prefetch_related fills, so the schema reads these lists like a prefetched row's.
    declaration._prefetched_objects_cache = {
        "items": list(result.items),
        "versions": [result.version],
        "events": list(result.events),
    }
    declaration.item_count = len(result.items)
    declaration.total_value = sum(item.customs_value for item in result.items) if result.items else None
    return declaration


@router.post(
    "",
    response={201: SubmitOut, 200: SubmitOut, **ERRORS},
    summary="Lodge a declaration (idempotent by number; other content amends it)",
)
def submit(request: HttpRequest, payload: DeclarationIn):
    user = request.auth
    # No refresh in the service: the answer re-reads the declaration anyway.
    result = services.submit_declaration(user, payload.dict(), source="api", refresh=False)
    return Status(201 if result.created else 200, _submitted(user, result))


@router.post("batch", response={200: BatchOut, 422: BatchOut, 401: ErrorOut, 403: ErrorOut}, summary="Lodge many")
def submit_batch(request: HttpRequest, payload: BatchIn, partial: bool = False):
    """Each declaration's result or errors by index. Without `partial=true` the batch is all-or-nothing:
    one invalid declaration writes none (status 422); with it, the valid ones are written."""
    results = services.submit_many(request.auth, [d.dict() for d in payload.declarations], partial=partial)
    rows = []
    for result in results:
        row = {key: value for key, value in result.items() if key != "result"}
        if result["ok"]:
            outcome = result["result"]
            declaration = outcome.declaration
            row.update(
                id=declaration.pk if row["written"] else None,
                number=declaration.number,
                created=outcome.created,
                amended=outcome.amended,
                status=declaration.status,
                lane=declaration.lane,
            )
        rows.append(row)
    accepted = sum(1 for row in rows if row["ok"])
    body = {
        "accepted": accepted,
        "rejected": len(rows) - accepted,
        "written": sum(1 for row in rows if row["written"]),
        "results": rows,
    }
    return Status(422 if body["rejected"] and not partial else 200, body)


@router.get("", response=list[DeclarationSummaryOut], summary="Declarations you may read, newest first")
@paginate(PageNumberPagination)
def list_declarations(request: HttpRequest, filters: Query[ListFilters]):
    require_role(request, *services.READERS)
    user = request.auth
    # Dates filter in the administration's local day, whatever the client's clock says.
    with timezone.override(zoneinfo.ZoneInfo(user.administration.time_zone)):
        declarations = DeclarationFilter.from_data(filters.dict()).apply(services.visible_declarations(user))
    return with_totals(declarations).order_by("-lodged_at", "-id")


@router.get("{declaration_id}", response={200: DeclarationOut, **ERRORS}, summary="One declaration with its history")
def get_declaration(request: HttpRequest, declaration_id: int):
    require_role(request, *services.READERS)
    return _detail(request.auth, declaration_id)


@router.post("{declaration_id}/release", response={200: DeclarationOut, **ERRORS}, summary="Release the goods")
def release(request: HttpRequest, declaration_id: int):
    """Clearance officers; red-lane declarations after their inspection."""
    services.release_declaration(request.auth, declaration_id)
    return _detail(request.auth, declaration_id)
