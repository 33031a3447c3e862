"""Background work of the AEO programme (django-tasks, database backend: no broker to run)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services.reminders import send_due_reminders


@task()
def send_aeo_reminders() -> int:
    """Daily: remind of self-reviews, revalidations, suspension windows and finding deadlines."""
    return send_due_reminders(timezone.localdate())
