"""File imports through the upload page and the real background task (immediate backend)."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tradewinds.declarations.models import Declaration, DeclarationItem, ImportBatch, ImportProfile
from tradewinds.declarations.signals import declarations_imported

KCS_FILE = Path("/work/shared/data/customs-declarations/df_syn_valid_eng.csv")
pytestmark = pytest.mark.usefixtures("immediate_tasks")
HEADER = ["Declaration ID", "Date", "Importer ID", "HS6 Code", "Country of Origin", "Net Mass", "Item Price", "Fraud"]
GOOD_ROWS = [
    ["IMP-001", "2026-03-02", "LC100200", "870323", "JP", "1300", "42000", "0"],
    ["IMP-001", "2026-03-02", "LC100200", "220300", "TT", "900", "1800", "0"],
    ["IMP-002", "2026-03-03", "LC100200", "851713", "CN", "40", "9000", "1"],
]
BAD_ROW = ["IMP-003", "2026-03-04", "LC100200", "851712", "CN", "-4", "300", "0"]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def spreadsheet_cell(text: str):
    """What a spreadsheet holds: real dates and numbers (HS codes too), not text."""
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([spreadsheet_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str, *, valid_rows: bool = False):
    profile = ImportProfile.objects.get(administration__code="lca", name="kcs-synthetic")
    data = {"profile": profile.pk, "file": SimpleUploadedFile(name, content)}
    if valid_rows:
        data["import_valid_rows"] = "on"
    response = client.post("/declarations/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def imported_numbers() -> set[str]:
    return set(Declaration.objects.filter(number__startswith="IMP-").values_list("number", flat=True))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_row_rejects_the_file_and_the_report_names_row_and_column(client_as, fmt):
    rows = [*GOOD_ROWS, BAD_ROW]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    batch = upload(client_as("lca.manager"), content, f"week.{fmt}")
    assert batch.status == ImportBatch.Status.REJECTED
    assert imported_numbers() == set()
    report = {(error["row"], error["field"]) for error in batch.errors}
    assert report == {(5, "HS6 Code"), (5, "Net Mass")}
    page = client_as("lca.manager").get(f"/declarations/import/{batch.pk}/").content.decode()
    assert "851712 is not an HS 2022 subheading" in page and "Net Mass" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_with_valid_rows_only_the_good_declarations_land(client_as, fmt):
    rows = [*GOOD_ROWS, BAD_ROW]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    batch = upload(client_as("lca.manager"), content, f"week.{fmt}", valid_rows=True)
    assert batch.status == ImportBatch.Status.DONE, batch.message
    assert imported_numbers() == {"IMP-001", "IMP-002"}
    first = Declaration.objects.get(number="IMP-001", administration__code="lca")
    assert first.items.count() == 2 and first.import_batch == batch and first.importer.tax_id == "LC100200"
    assert batch.rows_imported == 3 and batch.summary == {"created": 2, "amended": 0, "unchanged": 0, "rejected": 1}


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_amends(client_as):
    client = client_as("lca.manager")
    upload(client, csv_bytes(GOOD_ROWS), "week.csv")
    again = upload(client, csv_bytes(GOOD_ROWS), "week.csv")
    assert again.summary["unchanged"] == 2 and again.summary["created"] == 0
    changed = [row[:] for row in GOOD_ROWS]
    changed[2][6] = "9900"
    amended = upload(client, csv_bytes(changed), "week-corrected.csv")
    assert amended.summary == {"created": 0, "amended": 1, "unchanged": 1, "rejected": 0}
    assert Declaration.objects.get(number="IMP-002", administration__code="lca").version == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\x00\x01binary", "scan.csv", "neither a CSV nor an XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old.xls", "Old Excel"),
        (b"", "empty.csv", "empty"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_on_the_form(client_as, content, name, message):
    profile = ImportProfile.objects.get(administration__code="lca", name="kcs-synthetic")
    response = client_as("lca.manager").post(
        "/declarations/import/", {"profile": profile.pk, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportBatch.objects.filter(file_name=name).exists()


def test_wrong_columns_and_wrong_encoding_write_nothing(client_as):
    client = client_as("lca.manager")
    wrong = upload(client, csv_bytes([["1", "2"]], header=["Name", "Amount"]), "other.csv")
    assert wrong.status == ImportBatch.Status.REJECTED and "Declaration ID" in wrong.message
    latin = csv_bytes(GOOD_ROWS).replace(b"IMP-002", "IMP-\u00e9".encode("latin-1"))
    encoded = upload(client, latin, "latin.csv")
    assert encoded.status == ImportBatch.Status.REJECTED and "UTF-8" in encoded.message
    broken_zip = upload(client, b"PK\x03\x04 not really a workbook", "fake.xlsx")
    assert broken_zip.status == ImportBatch.Status.REJECTED and "XLSX" in broken_zip.message
    assert imported_numbers() == set()


def test_a_trader_imports_only_its_own_companys_rows_and_sends_no_labels(client_as):
    heard = []
    declarations_imported.connect(receiver := lambda sender, **kwargs: heard.append(kwargs))
    try:
        rows = [*GOOD_ROWS, ["IMP-009", "2026-03-04", "LC555555", "870323", "JP", "1300", "40000", "1"]]
        batch = upload(client_as("lca.trader"), csv_bytes(rows), "mine.csv", valid_rows=True)
    finally:
        declarations_imported.disconnect(receiver)
    assert imported_numbers() == {"IMP-001", "IMP-002"}
    assert batch.errors[0]["row"] == 5 and batch.errors[0]["field"] == "Importer ID"
    assert heard[0]["labels"] is None and len(heard[0]["declaration_ids"]) == 2


def test_a_real_kcs_file_imports_through_the_shipped_profile_with_labels(client_as):
    with open(KCS_FILE, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header, rows = next(reader), list(itertools.islice(reader, 400))
    heard = []
    declarations_imported.connect(receiver := lambda sender, **kwargs: heard.append(kwargs))
    try:
        batch = upload(client_as("lca.risk"), csv_bytes(rows, header=header), "kcs.csv", valid_rows=True)
    finally:
        declarations_imported.disconnect(receiver)
    assert batch.status == ImportBatch.Status.DONE, batch.message
    numbers = [row[0] for row in rows]
    imported = Declaration.objects.filter(administration__code="lca", number__in=numbers)
    # The synthetic data still carries HS 2017 codes (e.g. 851712) that HS 2022 replaced: reported, left out.
    assert imported.count() == batch.summary["created"] == 400 - batch.summary["rejected"] > 350
    assert all(error["field"] in ("HS6 Code", "Country of Origin", "Country of Departure") for error in batch.errors)
    sample = imported.get(number=rows[0][0])
    assert sample.transport_mode in ("sea", "air") and sample.lodged_at.year == 2021
    assert DeclarationItem.objects.filter(declaration__in=imported).count() == imported.count()
    labels = heard[0]["labels"]
    assert set(labels) == set(heard[0]["declaration_ids"]) and sum(v["fraud"] for v in labels.values()) > 0
