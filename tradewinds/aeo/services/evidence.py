"""Evidence files: recognised by their content (never by the name alone), at most 5 MB, stored
under MEDIA_ROOT with a random name and handed out only by a view that checks who asks."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

# extension -> (MIME type, what the content must be)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}
# The part each Office Open XML package must contain (ECMA-376 part 2).
OOXML_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(head: bytes, content: bytes) -> str | None:
    """The real type of a file from its bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for kind, part in OOXML_MAIN_PART.items():
                if part in names:
                    return kind
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Raise ValueError with a message for the user when the file may not be kept."""
    name = Path(upload.name or "file").name[:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValueError(_("%(name)s is larger than 5 MB.") % {"name": name})
    if extension not in ALLOWED:
        raise ValueError(_("%(name)s: only PDF, PNG, JPEG, XLSX or DOCX files are accepted.") % {"name": name})
    content = upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValueError(_("%(name)s is larger than 5 MB.") % {"name": name})
    content_type, expected = ALLOWED[extension]
    if sniff(content[:16], content) != expected:
        raise ValueError(
            _("%(name)s is not a real %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": extension.upper()}
        )
    return CheckedFile(name=name, content=content, content_type=content_type, extension=extension)


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "aeo"


def store(checked: CheckedFile, administration_code: str, application_id: int) -> str:
    """Write the bytes under a random name; return the path relative to the evidence root."""
    relative = Path(administration_code) / str(application_id) / f"{uuid.uuid4().hex}.{checked.extension}"
    target = evidence_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(checked.content)
    return str(relative)


def absolute_path(stored_path: str) -> Path:
    root = evidence_root().resolve()
    path = (root / stored_path).resolve()
    if root not in path.parents:  # a tampered row must never point outside the evidence store
        raise FileNotFoundError(stored_path)
    return path


def discard(stored_paths: list[str]) -> None:
    for stored_path in stored_paths:
        try:
            absolute_path(stored_path).unlink(missing_ok=True)
        except FileNotFoundError:
            pass
