"""Benefits in risk: the trusted-trader factor and priority, honoured across administrations
under mutual recognition only with the holder's consent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.aeo.conftest import certified
from tradewinds.aeo import risk_hook
from tradewinds.aeo.models import AeoCertificate, AeoRecognitionConsent
from tradewinds.aeo.services import lifecycle, network
from tradewinds.core.models import Administration, Company
from tradewinds.declarations.models import Declaration
from tradewinds.errors import InvalidInput


def declaration(administration_code: str, number: str, **parties) -> Declaration:
    return Declaration.objects.create(
        administration=Administration.objects.get(code=administration_code),
        number=number,
        lodged_at=timezone.now(),
        **parties,
    )


def test_a_valid_aeo_importer_gets_the_factor_and_priority(trader, aeo):
    certificate = certified(trader, aeo)
    own = declaration("lca", "AEO-T-1", importer=trader.company)
    by_code = declaration("lca", "AEO-T-2", declarant_code=trader.company.tax_id)
    stranger = declaration("lca", "AEO-T-3", importer_code="UNKNOWN-1")

    factor, reason = risk_hook.trusted_trader_factor(own)
    assert factor == 0.5 and "Castries Trading Ltd" in reason and certificate.number in reason
    assert risk_hook.trusted_trader_factor(by_code)[0] == 0.5
    assert risk_hook.trusted_trader_factor(stranger) == (1.0, None)
    assert risk_hook.is_priority(own) and not risk_hook.is_priority(stranger)

    index = risk_hook.trusted_trader_index(own.administration_id)  # the batch path gives the same answers
    assert [index.factor(d)[0] for d in (own, by_code, stranger)] == [0.5, 0.5, 1.0]

    lifecycle.suspend(aeo, certificate.pk, "Under investigation.")
    assert risk_hook.trusted_trader_factor(own) == (1.0, None)


def test_a_demo_suspended_or_revoked_aeo_gets_no_factor(db):
    for status in ("suspended", "revoked"):
        ended = AeoCertificate.objects.filter(administration__code="lca", status=status).first()
        assert risk_hook.trusted_trader_factor(declaration("lca", f"AEO-{status}", importer=ended.company))[0] == 1.0


@pytest.fixture
def barbados_aeo(db) -> AeoCertificate:
    """The demo's Barbados AEO, which consented to be recognised by Saint Lucia."""
    return AeoCertificate.objects.get(administration__code="brb", status="valid", consents__partner__code="lca")


def test_partner_aeo_is_honoured_only_with_consent(barbados_aeo):
    tax_id = barbados_aeo.company.tax_id
    lca = Administration.objects.get(code="lca")
    shipment = declaration("lca", "MRA-1", seller_code=tax_id)
    factor, reason = risk_hook.trusted_trader_factor(shipment)
    assert factor == 0.6 and "mutual recognition" in reason
    assert barbados_aeo in network.recognised_certificates(lca.pk)

    consent = AeoRecognitionConsent.objects.get(certificate=barbados_aeo, partner=lca, withdrawn_at__isnull=True)
    holder = barbados_aeo.company
    network.withdraw_consent(_trader_of(holder), consent.pk)
    assert risk_hook.trusted_trader_factor(shipment) == (1.0, None)
    assert barbados_aeo not in network.recognised_certificates(lca.pk)

    network.give_consent(_trader_of(holder), barbados_aeo.pk, lca.pk)
    assert risk_hook.trusted_trader_factor(shipment)[0] == 0.6


def test_no_recognition_without_an_arrangement(db):
    grenada_aeo = AeoCertificate.objects.get(administration__code="grd", status="valid")
    assert grenada_aeo.consents.filter(partner__code="brb").exists()  # consented to Barbados only
    shipment = declaration("lca", "MRA-2", seller_code=grenada_aeo.company.tax_id)
    assert risk_hook.trusted_trader_factor(shipment) == (1.0, None)


def test_consent_only_to_a_partner_with_an_arrangement(trader, aeo):
    certificate = certified(trader, aeo)
    grenada = Administration.objects.get(code="grd")
    with pytest.raises(InvalidInput):
        network.give_consent(trader, certificate.pk, grenada.pk)  # Saint Lucia has no arrangement with Grenada
    barbados = Administration.objects.get(code="brb")
    network.give_consent(trader, certificate.pk, barbados.pk)
    assert certificate in network.recognised_certificates(barbados.pk)


def test_recognition_page_lists_consenting_partner_aeos(client_as, barbados_aeo):
    body = client_as("lca.aeo").get("/aeo/recognition/").content.decode()
    assert barbados_aeo.company.name in body and barbados_aeo.number in body


def _trader_of(company: Company):
    """A trader user for the holder (the demo has one trader per administration, for its first company)."""
    from tradewinds.core.models import User

    user, _created = User.objects.get_or_create(
        username=f"holder-{company.pk}",
        defaults={"role": "trader", "administration": company.administration, "company": company},
    )
    return user
