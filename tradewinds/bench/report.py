"""Where benchmark figures go: one `## ` section each in docs/benchmarks.md, with the machine."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def machine() -> dict[str, Any]:
    return {
        "arch": platform.machine(),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "date": date.today().isoformat(),
    }


def replace_section(heading: str, body: str, path: Path = DOCS) -> None:
    """Replace (or append) one `## ` section of the shared markdown file, leaving the others alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
