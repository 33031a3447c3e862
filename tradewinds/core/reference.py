"""Reference data shipped in the package (see data/README.md for sources and licences).
Pure look-ups, loaded once per process."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def hs_codes() -> dict[str, dict]:
    with open(DATA_DIR / "hs2022.csv", newline="", encoding="utf-8") as handle:
        return {
            row["hscode"]: {
                "code": row["hscode"],
                "description": row["description"],
                "section": row["section"],
                "parent": row["parent"],
                "level": int(row["level"]),
            }
            for row in csv.DictReader(handle)
        }


def hs_entry(code: str) -> dict | None:
    return hs_codes().get(code.strip().replace(".", ""))


def is_hs6(code: str) -> bool:
    entry = hs_entry(code)
    return entry is not None and entry["level"] == 6


@cache
def ports() -> dict[str, dict]:
    with open(DATA_DIR / "ports.csv", newline="", encoding="utf-8") as handle:
        return {row["locode"]: row for row in csv.DictReader(handle)}


def is_locode(code: str) -> bool:
    """A well-formed UN/LOCODE whose country part is an ISO country (the list of ports is not exhaustive)."""
    code = code.strip().upper()
    return len(code) == 5 and code[2:].isalnum() and is_country(code[:2])


def is_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def is_currency(code: str) -> bool:
    return len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None


@cache
def country_names() -> dict[str, str]:
    return {country.alpha_2: country.name for country in pycountry.countries}
