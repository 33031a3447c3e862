import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tradewinds.core import audit, services
from tradewinds.core.models import AuditEntry


def make_changes(actor, count=3):
    for index in range(count):
        services.create_company(
            actor, {"name": f"Audit Co {index}", "tax_id": f"AUD{index}", "country": "LC", "kinds": ["importer"]}
        )


def test_demo_chain_verifies(db):
    report = audit.verify_chain()
    assert report.ok, report
    assert report.checked == AuditEntry.objects.count() > 0


def test_service_change_is_recorded_with_before_and_after(db, demo_user):
    manager = demo_user("lca.manager")
    company = services.create_company(
        manager, {"name": "Before Ltd", "tax_id": "B-1", "country": "LC", "kinds": ["importer"]}
    )
    services.update_company(manager, company.pk, {"name": "After Ltd"})
    entry = AuditEntry.objects.filter(action="company.updated").latest("id")
    assert entry.actor_label == "lca.manager"
    assert entry.before["name"] == "Before Ltd" and entry.after["name"] == "After Ltd"
    assert entry.administration_id == manager.administration_id
    assert audit.verify_chain().ok


def test_editing_a_row_in_the_database_is_detected_and_named(db, demo_user):
    make_changes(demo_user("lca.manager"))
    victim = AuditEntry.objects.filter(action="company.created").order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).update(after={"name": "Someone else"})  # bypasses save(): raw SQL UPDATE
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_entry_id == victim.pk
    assert "altered" in report.reason


def test_deleting_a_row_is_detected(db, demo_user):
    make_changes(demo_user("lca.manager"))
    entries = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    AuditEntry.objects.filter(pk=entries[-2]).delete()  # queryset delete skips the model's guard
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_entry_id == entries[-1]


def test_deleting_the_newest_rows_is_detected(db, demo_user):
    make_changes(demo_user("lca.manager"))
    AuditEntry.objects.filter(pk=AuditEntry.objects.latest("id").pk).delete()
    assert not audit.verify_chain().ok


def test_entries_appended_together_are_written_at_the_end_in_order(db, demo_user):
    before = AuditEntry.objects.count()
    with transaction.atomic(), audit.appended_together():
        make_changes(demo_user("lca.manager"), count=2)
        assert AuditEntry.objects.count() == before  # nothing yet: the chain is not locked meanwhile
    added = list(AuditEntry.objects.order_by("id")[before:])
    assert [entry.after["name"] for entry in added] == ["Audit Co 0", "Audit Co 1"]
    assert added[1].prev_hash == added[0].hash
    assert audit.verify_chain().ok


def test_a_failed_block_appends_nothing(db, demo_user):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), audit.appended_together():
        make_changes(demo_user("lca.manager"), count=1)
        raise RuntimeError("the use case failed")
    assert AuditEntry.objects.count() == before
    assert audit.verify_chain().ok


def test_entries_cannot_be_changed_through_the_model(db):
    entry = AuditEntry.objects.first()
    entry.action = "something.else"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_cli_verify_reports_the_broken_entry(tmp_path):
    """The real command in a subprocess, on its own SQLite file."""
    env = {"TRADEWINDS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "tradewinds.cli", *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("demo").returncode == 0
    ok = run("audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "tradewinds.sqlite3") as conn:
        conn.execute("UPDATE core_auditentry SET action = 'user.deleted' WHERE id = 5")
    broken = run("audit", "verify")
    assert broken.returncode == 2
    assert "#5" in broken.stderr
