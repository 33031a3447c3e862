"""The AEO programme's contribution to lane allocation (called by the risk app).

Contract:
    trusted_trader_factor(declaration) -> (factor, reason)
        factor multiplies the declaration's risk score: < 1.0 when the importer or declarant is a
        valid AEO of the declaration's administration with the 'fewer inspections' benefit, or a
        partner administration's AEO honoured under a mutual recognition arrangement in force with the
        holder's consent (matched on importer, declarant or seller code against tax ID or
        certificate number); 1.0 and None otherwise. The random floor stays with risk.
    is_priority(declaration) -> bool
        True when a party is an AEO whose programme type grants priority treatment.
    trusted_trader_index(administration_id) -> TrustedTraderIndex
        the same answers for a batch, built with a handful of queries instead of some per declaration.
    parties_index(declaration) -> TrustedTraderIndex
        the index reduced to one declaration's parties (the single-declaration path).
The reason is a sentence in the active language (wrap the call in translation.override to choose).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core.statements import Lookup

from .models import AeoBenefit, AeoCertificate
from .services.network import recognised_certificates


@dataclass(frozen=True)
class TrustedEntry:
    factor: float
    priority: bool
    company_name: str
    programme: str
    certificate_number: str
    issued_on: date
    partner: str | None = None  # the issuing administration when recognised under an arrangement


@dataclass
class TrustedTraderIndex:
    by_company_id: dict[int, TrustedEntry] = field(default_factory=dict)
    by_code: dict[str, TrustedEntry] = field(default_factory=dict)

    def match(self, declaration) -> tuple[TrustedEntry, str] | None:
        """The most favourable AEO party of the declaration and which party it is."""
        lodged = timezone.localdate(declaration.lodged_at) if declaration.lodged_at else timezone.localdate()
        candidates = [
            (self.by_company_id.get(declaration.importer_id), _("Importer")),
            (self.by_code.get(declaration.importer_code or ""), _("Importer")),
            (self.by_company_id.get(declaration.declarant_id), _("Declarant")),
            (self.by_code.get(declaration.declarant_code or ""), _("Declarant")),
            (self.by_code.get(declaration.seller_code or ""), _("Exporter")),
        ]
        found = [(entry, role) for entry, role in candidates if entry is not None and entry.issued_on <= lodged]
        return min(found, key=lambda pair: pair[0].factor) if found else None

    def factor(self, declaration) -> tuple[float, str | None]:
        matched = self.match(declaration)
        if matched is None or matched[0].factor >= 1.0:
            return 1.0, None
        entry, role = matched
        if entry.partner:
            reason = _(
                "%(role)s %(company)s is an AEO of %(partner)s (%(number)s), recognised under a mutual "
                "recognition arrangement."
            ) % {
                "role": role,
                "company": entry.company_name,
                "partner": entry.partner,
                "number": entry.certificate_number,
            }
        else:
            reason = _("%(role)s %(company)s is a certified AEO (%(programme)s, %(number)s).") % {
                "role": role,
                "company": entry.company_name,
                "programme": entry.programme,
                "number": entry.certificate_number,
            }
        return entry.factor, reason

    def is_priority(self, declaration) -> bool:
        matched = self.match(declaration)
        return bool(matched and matched[0].priority)


def trusted_trader_index(administration_id: int) -> TrustedTraderIndex:
    """Every trusted trader of the administration (the batch path)."""
    return _index(administration_id, None)


def parties_index(declaration) -> TrustedTraderIndex:
    """The same index reduced to the declaration's own parties: a couple of indexed queries instead
    of the whole register. ``match`` reads only these companies and codes, so it answers exactly as
    the full index would (an empty code is looked up too, as the full index does)."""
    codes = {declaration.importer_code or "", declaration.declarant_code or "", declaration.seller_code or ""}
    companies = {pk for pk in (declaration.importer_id, declaration.declarant_id) if pk is not None}
    candidate = _candidate_certificate.first(
        timezone.localdate(),
        declaration.administration_id,
        declaration.importer_id or 0,  # 0: no company, matches none
        declaration.declarant_id or 0,
        declaration.importer_code or "",
        declaration.declarant_code or "",
        declaration.seller_code or "",
    )
    if candidate is None:
        return TrustedTraderIndex()
    return _index(declaration.administration_id, (companies, codes))


# Most declarations have no AEO party: one query that finds no certificate any branch of the index
# could use (a superset of both: own by company or tax ID, any partner's by tax ID or number)
# answers them. It runs on every lodging, so its SQL is built once.
_candidate_certificate = Lookup(
    lambda today, administration_id, importer_id, declarant_id, *codes: (
        AeoCertificate.objects.filter(status=AeoCertificate.Status.VALID, valid_until__gte=today)
        .filter(
            Q(administration_id=administration_id, company_id__in=[importer_id, declarant_id])
            | Q(company__tax_id__in=codes)
            | Q(number__in=codes)
        )
        .order_by()
        .values_list("pk")[:1]
    ),
    date,
    int,
    int,
    int,
    str,
    str,
    str,
)


def _index(administration_id: int, parties: tuple[set[int], set[str]] | None) -> TrustedTraderIndex:
    today = timezone.localdate()
    index = TrustedTraderIndex()
    local = AeoCertificate.objects.filter(
        administration_id=administration_id, status=AeoCertificate.Status.VALID, valid_until__gte=today
    ).select_related("company", "programme_type")
    if parties is not None:
        companies, codes = parties
        local = local.filter(Q(company_id__in=companies) | Q(company__tax_id__in=codes))
    local = list(local)
    benefits = _benefits(administration_id) if local else {}
    for certificate in local:
        factor, priority = benefits.get(certificate.programme_type_id, (1.0, False))
        entry = TrustedEntry(
            factor,
            priority,
            certificate.company.name,
            certificate.programme_type.name,
            certificate.number,
            certificate.issued_on,
        )
        index.by_company_id[certificate.company_id] = _better(index.by_company_id.get(certificate.company_id), entry)
        index.by_code[certificate.company.tax_id] = _better(index.by_code.get(certificate.company.tax_id), entry)
    _add_recognised(index, administration_id, today, None if parties is None else parties[1])
    return index


def _benefits(administration_id: int) -> dict[int, tuple[float, bool]]:
    """programme type id -> (lowest risk factor, priority granted?)."""
    result: dict[int, tuple[float, bool]] = {}
    for benefit in AeoBenefit.objects.filter(administration_id=administration_id):
        factor, priority = result.get(benefit.programme_type_id, (1.0, False))
        if benefit.kind == AeoBenefit.Kind.FEWER_INSPECTIONS:
            factor = min(factor, benefit.risk_factor)
        priority = priority or benefit.kind == AeoBenefit.Kind.PRIORITY
        result[benefit.programme_type_id] = (factor, priority)
    return result


def _add_recognised(index: TrustedTraderIndex, administration_id: int, today: date, codes: set[str] | None) -> None:
    from .models import AeoRecognitionArrangement

    certificates = recognised_certificates(administration_id).filter(
        status=AeoCertificate.Status.VALID, valid_until__gte=today
    )
    if codes is not None:
        certificates = certificates.filter(Q(company__tax_id__in=codes) | Q(number__in=codes))
    certificates = list(certificates)
    if not certificates:
        return
    factors = dict(
        AeoRecognitionArrangement.objects.filter(administration_id=administration_id, in_force=True).values_list(
            "partner_id", "risk_factor"
        )
    )
    for certificate in certificates:
        entry = TrustedEntry(
            factors.get(certificate.administration_id, 1.0),
            False,
            certificate.company.name,
            certificate.programme_type.name,
            certificate.number,
            certificate.issued_on,
            partner=certificate.administration.name,
        )
        for code in (certificate.company.tax_id, certificate.number):
            index.by_code.setdefault(code, entry)  # a local certificate for the same code wins


def _better(current: TrustedEntry | None, new: TrustedEntry) -> TrustedEntry:
    return new if current is None or new.factor < current.factor else current


def trusted_trader_factor(declaration) -> tuple[float, str | None]:
    return parties_index(declaration).factor(declaration)


def is_priority(declaration) -> bool:
    return parties_index(declaration).is_priority(declaration)
