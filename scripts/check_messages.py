"""Check (default) or compile (--compile) the translation catalogues under tradewinds/locale.

Check fails when a language has untranslated or fuzzy entries, or when a committed .mo does not
serve what its .po says, so a fresh install serves every language without needing gettext."""

import io
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "tradewinds" / "locale"


def served(catalog) -> dict:
    """What gettext serves from a catalogue: each translated message, the header left out. A .mo is
    compared by this, not byte for byte: its header names the Babel version that wrote it."""
    messages = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = (message.context, tuple(message.id) if isinstance(message.id, list | tuple) else message.id)
        string = message.string
        messages[key] = tuple(string) if isinstance(string, list | tuple) else string
    return messages


def up_to_date(po_path: Path, mo_path: Path) -> bool:
    if not mo_path.exists():
        return False
    with open(po_path, "rb") as po, open(mo_path, "rb") as mo:
        return served(read_po(po)) == served(read_mo(mo))


def compiled(po_path: Path) -> bytes:
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems(po_path: Path) -> list[str]:
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            found.append(f"{po_path.relative_to(LOCALE_DIR)}: untranslated or fuzzy: {message.id!r}")
    return found


def main() -> int:
    po_files = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
    if "--compile" in sys.argv:
        for po_path in po_files:
            po_path.with_suffix(".mo").write_bytes(compiled(po_path))
    errors = []
    for po_path in po_files:
        errors += problems(po_path)
        mo_path = po_path.with_suffix(".mo")
        if not up_to_date(po_path, mo_path):
            errors.append(f"{mo_path.relative_to(LOCALE_DIR)} is out of date: run 'make messages'")
    for error in errors[:50]:
        print(error, file=sys.stderr)
    if len(errors) > 50:
        print(f"… and {len(errors) - 50} more", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
