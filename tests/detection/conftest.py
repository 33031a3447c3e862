"""Helpers for the detection tests. The demo has trained and activated one model per member
administration from its recorded outcomes, so every test starts with an active model."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_caches():
    """Loaded models and exploration bands are per process; each test's transaction is rolled back,
    so a version id may come back with other files."""
    from tradewinds.detection import source

    source.clear_caches()
    yield
    source.clear_caches()


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once, inside the test (the database queue needs a worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def lca(db):
    from tradewinds.core.models import Administration

    return Administration.objects.get(code="lca")


@pytest.fixture
def active_version(lca):
    from tradewinds.detection.models import ModelVersion

    return ModelVersion.objects.get(administration=lca, status=ModelVersion.Status.ACTIVE)
