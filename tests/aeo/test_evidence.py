"""Evidence files: real type by content, at most 5 MB, stored privately, served only to those
who may see the application."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image

from tests.aeo.conftest import start
from tradewinds.aeo.models import AeoAnswer, AeoEvidenceFile
from tradewinds.aeo.queries import criteria_for
from tradewinds.aeo.services import evidence, portal
from tradewinds.errors import InvalidInput


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Security procedure")
    return bytes(pdf.output())


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Training records"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal WordprocessingML package, as Word writes it (content types, relationships, document)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
        )
        package.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make"),
    [("plan.pdf", pdf_bytes), ("gate.png", png_bytes), ("training.xlsx", xlsx_bytes), ("policy.docx", docx_bytes)],
)
def test_real_files_of_each_allowed_type_are_kept(trader, name, make):
    application = start(trader)
    criterion = criteria_for(application)[0]
    upload = SimpleUploadedFile(name, make())
    portal.save_questionnaire(trader, application.pk, {criterion.pk: portal.AnswerInput("yes", "See file.", [upload])})
    stored = AeoEvidenceFile.objects.get(application=application)
    assert stored.original_name == name and stored.size == len(make())
    assert evidence.absolute_path(stored.stored_path).read_bytes()[:4] == make()[:4]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"MZ\x90\x00 this is a Windows program", "not a real PDF file"),
        ("photo.png", pdf_bytes(), "not a real PNG file"),
        ("sheet.xlsx", docx_bytes(), "not a real XLSX file"),
        ("archive.docx", b"PK\x03\x04 not really a zip", "not a real DOCX file"),
        ("script.exe", b"MZ\x90\x00", "only PDF, PNG, JPEG, XLSX or DOCX"),
        ("notes.txt", b"plain text", "only PDF, PNG, JPEG, XLSX or DOCX"),
        ("big.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_wrong_type_or_oversize_evidence_is_refused_and_nothing_is_written(trader, name, content, message):
    application = start(trader)
    criterion = criteria_for(application)[0]
    before = set(evidence.evidence_root().rglob("*")) if evidence.evidence_root().exists() else set()
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(InvalidInput) as error:
        portal.save_questionnaire(
            trader, application.pk, {criterion.pk: portal.AnswerInput("yes", "See file.", [upload])}
        )
    assert error.value.errors[0]["field"] == f"evidence-{criterion.pk}"
    assert message in error.value.errors[0]["msg"]
    assert not AeoEvidenceFile.objects.filter(application=application).exists()
    assert not AeoAnswer.objects.filter(application=application).exists()  # the answer text was not kept either
    after = set(evidence.evidence_root().rglob("*")) if evidence.evidence_root().exists() else set()
    assert after == before


def test_evidence_is_served_only_to_those_who_may_see_it(client_as, trader):
    application = start(trader)
    criterion = criteria_for(application)[0]
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes())
    portal.save_questionnaire(trader, application.pk, {criterion.pk: portal.AnswerInput("yes", "See file.", [upload])})
    stored = AeoEvidenceFile.objects.get(application=application)
    url = f"/aeo/evidence/{stored.pk}/"

    response = client_as("lca.trader").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert client_as("lca.aeo").get(url).status_code == 200
    assert client_as("lca.risk").get(url).status_code == 403  # not an AEO role
    assert client_as("grd.aeo").get(url).status_code == 404  # another administration
    assert Path(evidence.absolute_path(stored.stored_path)).is_relative_to(evidence.evidence_root())


def test_another_companys_evidence_is_not_found_for_a_trader(client_as):
    other = (
        AeoEvidenceFile.objects.filter(administration__code="lca")
        .exclude(application__company__users__username="lca.trader")
        .first()
    )
    assert other is not None  # the demo's draft application carries a document
    assert client_as("lca.trader").get(f"/aeo/evidence/{other.pk}/").status_code == 404
