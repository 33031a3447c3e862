"""Background work of the detection model (django-tasks, database backend: no broker to run)."""

from __future__ import annotations

from django_tasks import task

from .services import run_training


@task()
def train_model(run_id: int) -> int | None:
    """Train a model version for a queued run; progress is kept on its TrainingRun."""
    return run_training(run_id)
