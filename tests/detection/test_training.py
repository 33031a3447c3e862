"""Training from recorded outcomes: labels, the background run with its progress, the registered
version with its metrics and files (LightGBM text and JSON, never pickle)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from tradewinds.detection import services
from tradewinds.detection.dataset import labelled_frame, outcome_labels
from tradewinds.detection.models import ModelVersion, TrainingRun
from tradewinds.detection.training import default_window


@pytest.mark.parametrize(
    ("result", "kinds", "extra", "expected"),
    [
        ("no_discrepancy", [], 0, (0, 0)),
        ("discrepancy", ["undervaluation"], 500, (1, 0)),
        ("discrepancy", ["misclassification"], 0, (1, 0)),
        ("discrepancy", ["origin", "quantity"], 0, (1, 0)),
        ("discrepancy", ["other"], Decimal("120.00"), (1, 0)),
        ("discrepancy", ["other"], 0, (0, 0)),
        ("discrepancy", ["weapons"], 0, (0, 2)),
        ("discrepancy", ["narcotics", "undervaluation"], 900, (1, 2)),
        ("discrepancy", ["prohibited"], 0, (0, 2)),
        ("discrepancy", ["counterfeit"], 0, (0, 2)),
    ],
)
def test_outcomes_become_fraud_and_critical_labels(result, kinds, extra, expected):
    assert outcome_labels(result, kinds, extra, historical=False, critical=False) == expected


def test_history_file_outcomes_keep_the_files_flags():
    assert outcome_labels("discrepancy", ["other"], 0, historical=True, critical=False) == (1, 0)
    assert outcome_labels("discrepancy", ["other"], 0, historical=True, critical=True) == (1, 2)


def test_only_inspected_declarations_are_labelled(lca):
    from tradewinds.risk.models import InspectionOutcome

    start, end = default_window(lca, 730)
    frame = labelled_frame(lca, start, end)
    inspected = set(InspectionOutcome.objects.filter(administration=lca).values_list("declaration_id", flat=True))
    assert set(frame["declaration_id"].unique().to_list()) == inspected
    assert frame["declaration_date"].is_sorted()
    assert set(frame["critical"].unique().to_list()) <= {0, 2}


def test_training_from_the_page_service_registers_a_version_with_metrics_and_files(demo_user, immediate_tasks):
    risk = demo_user("lca.risk")
    before = ModelVersion.objects.filter(administration=risk.administration).count()
    run = services.start_training(risk)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.log
    assert run.progress == 100 and [entry["code"] for entry in run.log][-1] == "done"
    version = run.model_version
    assert version.number == before + 1 and version.status == ModelVersion.Status.READY
    assert version.created_by == risk
    assert version.declarations >= 40 and version.fraud_positives >= 5
    assert version.evaluation_start > version.training_start  # the metrics come from the latest slice
    assert set(version.metrics) >= {"fraud", "revenue", "auc", "critical_auc", "critical_precision", "evaluation"}
    assert set(version.metrics["fraud"]) == {"1%", "2%", "5%", "10%"}
    assert 10 <= len(version.curve) <= 20 and version.features and version.score_sample
    assert all(0 < rate <= 1 and 0 <= precision <= 1 for rate, precision in version.curve)
    assert version.directory.is_relative_to(version.directory.parents[2])
    assert version.files.startswith(f"models/lca/{version.pk}")
    files = sorted(path.name for path in version.directory.iterdir())
    assert files == ["critical.txt", "feature_state.json", "fraud.txt", "metadata.json"]
    for path in version.directory.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), f"{path.name} looks like a pickle"


def test_too_little_history_fails_with_a_reason(demo_user, immediate_tasks):
    run = services.start_training(demo_user("lca.risk"), window_days=1)
    assert run.status == TrainingRun.Status.FAILED and run.model_version is None
    assert run.error == "too_few_declarations"


def test_one_run_at_a_time_and_only_for_officers(demo_user):
    from tradewinds.errors import Conflict, Forbidden

    risk = demo_user("lca.risk")
    services.create_run(risk)
    with pytest.raises(Conflict):
        services.create_run(demo_user("lca.manager"))
    with pytest.raises(Forbidden):
        services.create_run(demo_user("lca.examiner"))


def test_command_line_training_waits_and_activates(lca, capsys):
    call_command("train_model", administration="lca", wait=True, activate=True)
    output = capsys.readouterr().out
    assert "is ready" in output and "now active" in output
    active = ModelVersion.objects.get(administration=lca, status=ModelVersion.Status.ACTIVE)
    assert active.number == ModelVersion.objects.filter(administration=lca).count()
