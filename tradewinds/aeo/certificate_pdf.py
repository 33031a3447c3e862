"""The certificate as a PDF (fpdf2, pure Python) in the administration's language, with the
verification code and a QR code that opens the public verification page."""

from __future__ import annotations

import io

import qrcode
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF

from .models import AeoCertificate


def _latin(text: str) -> str:
    """The built-in PDF fonts cover Latin-1, enough for English, Spanish, French and Dutch;
    typographic punctuation outside it is mapped to plain equivalents."""
    replacements = {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
    for char, plain in replacements.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def _qr_png(url: str) -> io.BytesIO:
    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def render(certificate: AeoCertificate, verify_url: str) -> bytes:
    with override(certificate.language or "en"):
        return _render(certificate, verify_url)


def _centred(pdf: FPDF, style: str, size: int, height: float, text: str) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, _latin(text), align="C", new_x="LMARGIN", new_y="NEXT")


def _render(certificate: AeoCertificate, verify_url: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin(_("AEO certificate %(number)s") % {"number": certificate.number}))
    pdf.add_page()
    _centred(pdf, "B", 11, 8, certificate.administration.name)
    pdf.ln(6)
    _centred(pdf, "B", 20, 10, _("Authorized Economic Operator"))
    _centred(pdf, "", 12, 7, _("certified under the WCO SAFE Framework of Standards"))
    pdf.ln(8)
    _centred(pdf, "B", 16, 9, certificate.company.name)
    _centred(pdf, "", 11, 6, _("Tax ID %(tax_id)s") % {"tax_id": certificate.company.tax_id})
    pdf.ln(8)
    for label, value in _rows(certificate):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(70, 8, _latin(label))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 8, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    _verification_block(pdf, certificate, verify_url)
    return bytes(pdf.output())


def _verification_block(pdf: FPDF, certificate: AeoCertificate, verify_url: str) -> None:
    """The QR code and the code in words, so a reader without a phone can still check."""
    top = pdf.get_y()
    pdf.image(_qr_png(verify_url), x=pdf.l_margin, y=top, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 46, top + 4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, _latin(_("Verification code: %(code)s") % {"code": certificate.verification_code}))
    pdf.set_xy(pdf.l_margin + 46, top + 13)
    pdf.set_font("Helvetica", "", 10)
    text = _("Whether this certificate is valid today is shown at %(url)s") % {"url": verify_url}
    pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")


def _rows(certificate: AeoCertificate) -> list[tuple[str, str]]:
    return [
        (_("Certificate number"), certificate.number),
        (_("Status type"), _(certificate.programme_type.name)),
        (_("Business type"), str(certificate.application.get_business_type_display())),
        (_("Issued on"), formats.date_format(certificate.issued_on, "DATE_FORMAT")),
        (_("Revalidation due"), formats.date_format(certificate.valid_until, "DATE_FORMAT")),
        (_("Issued by"), certificate.administration.name),
    ]
