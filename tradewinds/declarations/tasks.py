"""Background work of declarations (django-tasks: the database queue `tradewinds serve` works off)."""

from __future__ import annotations

from django_tasks import task

from .bulk import run_import


@task()
def import_declarations_file(batch_id: int) -> str:
    """Import one uploaded file; progress and the error report are kept on its ImportBatch."""
    return run_import(batch_id)
