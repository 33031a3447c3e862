"""Signal receivers: a lodged or imported declaration is assessed at once, inside the sender's
transaction, so a declaration is never stored without its lane."""

from __future__ import annotations

from typing import Any

from .assessment import assess_batch, assess_before_writing, assess_declaration
from .decisions import record_history_outcomes


def on_declaration_lodging(sender: Any, declaration: Any, items: Any, actor: Any = None, **kwargs: Any) -> Any:
    """A new declaration is judged before it is written; returns the writer the signal asks for."""
    return assess_before_writing(declaration, items, actor)


def on_declaration_lodged(
    sender: Any, declaration: Any, actor: Any = None, amended: bool = False, items: Any = None, **kwargs: Any
) -> None:
    """An amended declaration is assessed again."""
    assess_declaration(declaration, actor, items=items, first=not amended)


def on_declarations_imported(
    sender: Any, declaration_ids: Any, actor: Any = None, labels: Any = None, **kwargs: Any
) -> None:
    ids = list(declaration_ids)
    if not ids:
        return
    assess_batch(ids, actor)
    if labels:
        record_history_outcomes(ids, labels, actor)
