"""`tradewinds manage train_model --administration lca [--wait]`: queue a training run for the task
worker, or (with --wait) train now in this process and print the progress."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tradewinds.core.models import Administration
from tradewinds.detection import services
from tradewinds.detection.phrases import log_lines
from tradewinds.errors import TradewindsError


class Command(BaseCommand):
    help = "Train a detection model for an administration from its recorded inspection outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--administration", required=True, help="administration code, e.g. lca")
        parser.add_argument("--wait", action="store_true", help="train now in this process instead of queueing")
        parser.add_argument("--days", type=int, default=services.DEFAULT_WINDOW_DAYS, help="training window")
        parser.add_argument("--activate", action="store_true", help="activate the new version when done")

    def handle(self, *args, administration: str, wait: bool, days: int, activate: bool, **options):
        found = Administration.objects.filter(code=administration).first()
        if found is None:
            raise CommandError(f"No administration with code {administration!r}.")
        try:
            if not wait:
                run = services.start_training(None, found, days)
                self.stdout.write(f"Training run {run.pk} queued; `tradewinds serve` runs the task worker.")
                return
            run = services.create_run(None, found, days)
            version_id = services.run_training(run.pk)
        except TradewindsError as error:
            raise CommandError(error.detail) from error
        run.refresh_from_db()
        for line in log_lines(run):
            self.stdout.write(f"{line['at']}  {line['text']}")
        if version_id is None:
            raise CommandError("Training failed.")
        if activate:
            version = services.activate_version(None, version_id, found)
            self.stdout.write(f"Version {version.number} is now active.")
