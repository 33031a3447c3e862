"""The model registry: one active version per administration; activation and roll-back audited."""

from __future__ import annotations

import pytest

from tradewinds.core.models import AuditEntry
from tradewinds.detection import services
from tradewinds.detection.models import ModelVersion
from tradewinds.errors import Forbidden, NotFound


@pytest.fixture
def second_version(demo_user, immediate_tasks):
    return services.start_training(demo_user("lca.risk")).model_version


def test_activation_and_roll_back_are_audited_and_leave_one_active(demo_user, active_version, second_version):
    manager = demo_user("lca.manager")
    services.activate_version(manager, second_version.pk)
    active = ModelVersion.objects.filter(administration=second_version.administration, status="active")
    assert list(active) == [second_version]
    activated = AuditEntry.objects.filter(action="detection.model_activated", object_id=str(second_version.pk)).last()
    assert activated.actor == manager
    assert (activated.before, activated.after) == ({"active": 1}, {"active": second_version.number})

    services.activate_version(manager, active_version.pk)  # roll back
    assert list(active.all()) == [active_version]
    second_version.refresh_from_db()
    assert second_version.status == ModelVersion.Status.RETIRED
    rolled = AuditEntry.objects.filter(action="detection.model_rolled_back", object_id=str(active_version.pk)).last()
    assert rolled.after == {"active": 1} and rolled.before == {"active": second_version.number}


def test_another_administrations_version_cannot_be_activated(demo_user):
    grd = ModelVersion.objects.filter(administration__code="grd").first()
    with pytest.raises(NotFound):
        services.activate_version(demo_user("lca.risk"), grd.pk)
    with pytest.raises(Forbidden):
        services.activate_version(demo_user("lca.examiner"), grd.pk)


def test_settings_are_validated_and_audited(demo_user):
    from tradewinds.errors import InvalidInput

    risk = demo_user("lca.risk")
    saved = services.update_settings(risk, {"exploration_share": 0.2, "uncertain_share": 0.5})
    assert saved.exploration_share == 0.2
    entry = AuditEntry.objects.filter(action="detection.settings_changed").last()
    assert entry.before["exploration_share"] == 0.1 and entry.after["exploration_share"] == 0.2
    with pytest.raises(InvalidInput):
        services.update_settings(risk, {"exploration_share": 0.9})
