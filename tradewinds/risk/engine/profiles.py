"""Import profiles: map an administration's file headers onto Tradewinds' canonical columns.

A profile is plain JSON (see ``tradewinds/declarations/profiles/*.json``) so an administrator can
edit the mapping without code. This module is pure Python + Polars: the detection engine, the CLI
and the benchmark read files through it, and the Django import pages can reuse the same mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tradewinds.errors import InvalidInput, field_error

PROFILE_DIR = Path(__file__).resolve().parents[2] / "declarations" / "profiles"

# Every canonical column the engine knows, in a stable order; all text unless typed below.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "declaration_number",
    "declaration_date",
    "office_code",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
    "declarant_id",
    "importer_id",
    "seller_id",
    "courier_id",
    "hs_code",
    "departure_country",
    "origin_country",
    "duty_rate",
    "tax_type",
    "origin_indicator",
    "net_mass_kg",
    "customs_value",
)
LABEL_COLUMNS: tuple[str, ...] = ("fraud", "critical")
# Optional identifiers: often blank in real files (82 % of courier IDs are), so a missing column
# becomes all-null instead of an error.
OPTIONAL_COLUMNS: tuple[str, ...] = ("courier_id", "seller_id")
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c for c in CANONICAL_COLUMNS if c not in OPTIONAL_COLUMNS)
DEFAULT_TYPES: dict[str, str] = {
    "declaration_date": "date:%Y-%m-%d",
    "hs_code": "hs6",
    "duty_rate": "float",
    "net_mass_kg": "float",
    "customs_value": "float",
    "fraud": "int",
    "critical": "int",
}


class ProfileError(InvalidInput):
    """A profile or an input file that does not fit the canonical columns."""

    code = "invalid_profile"


@dataclass(frozen=True)
class ImportProfile:
    name: str
    columns: dict[str, str]  # source header -> canonical name
    types: dict[str, str] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    format: str = "csv"

    def column_types(self) -> dict[str, str]:
        return {**DEFAULT_TYPES, **self.types}


def load_profile(name_or_path: str | Path) -> ImportProfile:
    """Load a shipped profile by name (``kcs-synthetic``) or any profile JSON by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILE_DIR / f"{name_or_path}.json"
    if not path.is_file():
        known = sorted(p.stem for p in PROFILE_DIR.glob("*.json"))
        raise ProfileError(f"Unknown import profile {str(name_or_path)!r}; shipped profiles: {known}")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(raw.get("columns", {}).values()) - set(CANONICAL_COLUMNS) - set(LABEL_COLUMNS)
    if unknown:
        raise ProfileError(f"Profile {path.name} maps to unknown canonical columns: {sorted(unknown)}")
    return ImportProfile(
        name=raw.get("name", path.stem),
        columns=dict(raw["columns"]),
        types=dict(raw.get("types", {})),
        description=raw.get("description", ""),
        source=raw.get("source", ""),
        format=raw.get("format", "csv"),
    )


def read_declarations(
    paths: str | Path | Sequence[str | Path], profile: ImportProfile, *, require_labels: bool = False
) -> pl.DataFrame:
    """Read one or more files into one canonical frame (rows in file order, files in given order)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if profile.format != "csv":
        raise ProfileError(f"Profile {profile.name}: format {profile.format!r} is not supported here")
    # Read everything as text first so identifiers keep their leading zeros.
    frames = [pl.read_csv(p, infer_schema_length=0) for p in paths]
    return to_canonical(pl.concat(frames, how="diagonal_relaxed"), profile, require_labels=require_labels)


def to_canonical(raw: pl.DataFrame, profile: ImportProfile, *, require_labels: bool = False) -> pl.DataFrame:
    """Rename, validate and type a frame of text columns read with ``profile``."""
    renames = {src: dst for src, dst in profile.columns.items() if src in raw.columns}
    frame = raw.select([pl.col(src).alias(dst) for src, dst in renames.items()])
    _check_columns(frame.columns, profile, require_labels)
    for name in OPTIONAL_COLUMNS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    frame = frame.with_columns(
        _typed(name, kind) for name, kind in profile.column_types().items() if name in frame.columns
    )
    wanted = [c for c in (*CANONICAL_COLUMNS, *LABEL_COLUMNS) if c in frame.columns]
    return frame.select(wanted)


def _check_columns(present: Iterable[str], profile: ImportProfile, require_labels: bool) -> None:
    needed = REQUIRED_COLUMNS + (LABEL_COLUMNS if require_labels else ())
    missing = [c for c in needed if c not in set(present)]
    if not missing:
        return
    source_of = {dst: src for src, dst in profile.columns.items()}
    described = [f"{c} (file header {source_of[c]!r})" if c in source_of else c for c in missing]
    raise ProfileError(
        f"Missing required column(s) for profile {profile.name}: {', '.join(described)}",
        errors=[field_error(c, "This column is required.") for c in missing],
    )


def _typed(name: str, kind: str) -> pl.Expr:
    col = pl.col(name).cast(pl.String).str.strip_chars()
    if kind.startswith("date"):
        fmt = kind.partition(":")[2] or None
        return col.str.to_date(fmt, strict=False).alias(name)
    if kind == "float":
        return col.cast(pl.Float64, strict=False).alias(name)
    if kind == "int":
        return col.cast(pl.Float64, strict=False).cast(pl.Int8, strict=False).alias(name)
    if kind == "hs6":
        # Spreadsheets drop leading zeros (010121 -> 10121); digits only, padded back to six.
        digits = col.str.replace_all(r"[^0-9]", "")
        return digits.str.slice(0, 6).str.zfill(6).alias(name)
    return col.alias(name)
