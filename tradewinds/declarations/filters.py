"""The declaration list's filters, shared by the page, its CSV export and the API list."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from .models import Declaration, DeclarationItem


@dataclass(frozen=True)
class DeclarationFilter:
    lane: str = ""  # a lane, or "none" for declarations not assessed yet
    status: str = ""
    kind: str = ""
    date_from: date | None = None  # lodged on or after, in the administration's local time
    date_to: date | None = None  # lodged on or before
    company: str = ""  # importer or declarant code, or part of a registered company's name
    hs: str = ""  # HS code prefix of any item
    origin: str = ""  # country of origin of any item
    number: str = ""  # start of the declaration number

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DeclarationFilter:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known and value not in (None, "")})

    def apply(self, declarations: QuerySet[Declaration]) -> QuerySet[Declaration]:
        if self.lane == "none":
            declarations = declarations.filter(lane="")
        elif self.lane:
            declarations = declarations.filter(lane=self.lane)
        if self.status:
            declarations = declarations.filter(status=self.status)
        if self.kind:
            declarations = declarations.filter(kind=self.kind)
        if self.date_from:
            declarations = declarations.filter(lodged_at__gte=_local_midnight(self.date_from))
        if self.date_to:
            declarations = declarations.filter(lodged_at__lt=_local_midnight(self.date_to + timedelta(days=1)))
        if self.number:
            declarations = declarations.filter(number__istartswith=self.number.strip())
        if self.company:
            declarations = declarations.filter(_company_q(self.company.strip()))
        return self._items(declarations)

    def _items(self, declarations: QuerySet[Declaration]) -> QuerySet[Declaration]:
        # Exists, not a join: a declaration with two matching items is still listed once.
        items = DeclarationItem.objects.filter(declaration=OuterRef("pk"))
        if self.hs:
            hs = "".join(char for char in self.hs if char.isdigit())
            declarations = declarations.filter(Exists(items.filter(hs_code__startswith=hs)))
        if self.origin:
            declarations = declarations.filter(Exists(items.filter(origin_country=self.origin.strip().upper())))
        return declarations

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _company_q(term: str) -> Q:
    return (
        Q(importer_code__iexact=term)
        | Q(declarant_code__iexact=term)
        | Q(importer__name__icontains=term)
        | Q(declarant__name__icontains=term)
    )


def with_totals(declarations: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """Item count and total customs value in the same query as the rows (no query per row)."""
    return declarations.select_related("importer", "declarant").annotate(
        item_count=Count("items"), total_value=Sum("items__customs_value")
    )
