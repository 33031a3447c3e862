"""Small synthetic declaration frames with planted, known risk drivers (shared by the detection tests)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

BAD_IMPORTERS = [f"BAD{i:02d}" for i in range(8)]
WEAPONS_HS = "930100"


def make_frame(n: int = 3000, seed: int = 0, start: date = date(2020, 1, 1), days: int = 360) -> pl.DataFrame:
    """Declarations in canonical columns. Drivers: 8 bad importers (90 % fraud vs 8 %),
    undervaluation (unit value 8x below the HS norm, 80 % fraud), and HS 930100 frauds are critical."""
    rng = np.random.default_rng(seed)
    importers = np.where(
        rng.random(n) < 0.12, rng.choice(BAD_IMPORTERS, n), np.char.add("IMP", rng.integers(0, 400, n).astype(str))
    )
    hs_pool = np.array(["010121", "030211", "392690", "610910", "847130", "850440", "950300", WEAPONS_HS])
    hs = rng.choice(hs_pool, n, p=[0.1, 0.1, 0.15, 0.15, 0.15, 0.15, 0.12, 0.08])
    mass = np.round(np.exp(rng.normal(4, 1, n)), 1)
    under = rng.random(n) < 0.06
    value = np.round(mass * np.exp(rng.normal(5, 0.3, n)) / np.where(under, 8.0, 1.0), 2)
    bad = np.isin(importers, BAD_IMPORTERS)
    p_fraud = np.where(bad, 0.9, np.where(under, 0.8, 0.08))
    fraud = (rng.random(n) < p_fraud).astype(np.int8)
    critical = np.where(fraud == 1, np.where(hs == WEAPONS_HS, 2, 1), 0).astype(np.int8)
    dates = [start + timedelta(days=int(d)) for d in np.sort(rng.integers(0, days, n))]
    return pl.DataFrame(
        {
            "declaration_number": [f"D{seed}-{i:06d}" for i in range(n)],
            "declaration_date": pl.Series(dates, dtype=pl.Date),
            "office_code": rng.choice(["10", "20", "30"], n),
            "process_type": ["B"] * n,
            "import_type": rng.choice(["11", "21"], n),
            "import_use": rng.choice(["21", "11"], n),
            "payment_type": rng.choice(["11", "13"], n),
            "transport_mode": rng.choice(["10", "40"], n),
            "declarant_id": np.char.add("DEC", rng.integers(0, 40, n).astype(str)),
            "importer_id": importers,
            "seller_id": np.char.add("SEL", rng.integers(0, 300, n).astype(str)),
            "courier_id": pl.Series([None] * n, dtype=pl.String),
            "hs_code": hs,
            "departure_country": rng.choice(["CN", "US", "HK"], n),
            "origin_country": rng.choice(["CN", "US"], n),
            "duty_rate": rng.choice([0.0, 8.0, 13.0], n),
            "tax_type": rng.choice(["A", "C"], n),
            "origin_indicator": rng.choice(["Y", "G"], n),
            "net_mass_kg": mass,
            "customs_value": value,
            "fraud": fraud,
            "critical": critical,
        }
    )
