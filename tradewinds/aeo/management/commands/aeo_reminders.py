"""`tradewinds manage aeo_reminders [--enqueue]`: scan due dates now, or hand the scan to the
task worker. Schedule it daily (cron or a systemd timer); sending is idempotent."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tradewinds.aeo.services.reminders import send_due_reminders
from tradewinds.aeo.tasks import send_aeo_reminders


class Command(BaseCommand):
    help = "Send AEO reminders for self-reviews, revalidations, suspension windows and finding deadlines."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run in the background task worker.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_aeo_reminders.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        sent = send_due_reminders(timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent.")
