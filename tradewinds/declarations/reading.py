"""Reading an uploaded file into a header and rows, whatever its kind, or a clear reason why not.

The kind is decided by the content, not the file name: a renamed spreadsheet or a PDF named .csv
is caught here before any row is looked at."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls and other compound documents


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; the message is for the person who sent it."""


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)
    total: int  # data rows


def sniff_problem(head: bytes) -> str | None:
    """Why the first bytes cannot start a CSV or XLSX file, or None (checked at upload, and again here)."""
    if not head:
        return _("The file is empty.")
    if head.startswith(XLSX_MAGIC):
        return None
    if head.startswith(OLE_MAGIC):
        return _("Old Excel (.xls) files are not supported: save the sheet as .xlsx or CSV.")
    if b"\x00" in head or head.startswith(b"%PDF"):
        return _("This is neither a CSV nor an XLSX file.")
    return None


def open_table(path: Path) -> Table:
    with open(path, "rb") as handle:
        head = handle.read(8192)
    problem = sniff_problem(head)
    if problem:
        raise UnreadableFile(problem)
    return _xlsx(path) if head.startswith(XLSX_MAGIC) else _csv(path)


def _csv(path: Path) -> Table:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _("The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” and upload it again.")
            % {"line": line}
        ) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s.") % {"error": error}) from error
    return _table("csv", lines)


def _xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(_("The file looks like a spreadsheet but cannot be opened as XLSX.")) from error
    try:
        sheet = workbook.worksheets[0]
        lines = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table("xlsx", lines)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime) and not value.hour and not value.minute and not value.second:
        return value.date()
    if isinstance(value, (datetime, date, int, float)):
        return value
    return str(value)


def _table(kind: str, lines: list[list[Any]]) -> Table:
    # Spreadsheets keep formatted but empty rows at the end; they are not data.
    while lines and all(cell in ("", None) for cell in lines[-1]):
        lines.pop()
    if not lines:
        raise UnreadableFile(_("The file has no header row."))
    headers = [str(cell).strip() for cell in lines[0]]
    if not any(headers):
        raise UnreadableFile(_("The first row should hold the column names, but it is empty."))
    data = lines[1:]
    rows = ((number, cells) for number, cells in enumerate(data, start=2) if any(c not in ("", None) for c in cells))
    return Table(kind=kind, headers=headers, rows=rows, total=len(data))
