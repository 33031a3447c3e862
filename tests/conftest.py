"""Shared fixtures. The demo region is loaded once into the test database, so every test sees
three member administrations and the regional office with a user for every role."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tradewinds.core.demo import load_demo

        load_demo()


@pytest.fixture
def demo_user(db):
    from tradewinds.core.models import User

    def get(username: str) -> User:
        return User.objects.select_related("administration").get(username=username)

    return get


@pytest.fixture
def client_as(db, demo_user):
    """A Django test client logged in as a demo user (skips the password hash for speed)."""
    from django.test import Client

    def make(username: str, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture(scope="session")
def served_demo():
    """The real product: `tradewinds serve --demo` (Granian + task worker) on a free port, on a
    throw-away SQLite file, or on a throw-away PostgreSQL database on the PostgreSQL leg."""
    from contextlib import ExitStack

    from tradewinds.bench.served import served_product, throwaway_postgres

    with ExitStack() as stack:
        url = os.environ.get("DATABASE_URL")
        database_url = stack.enter_context(throwaway_postgres(url)) if url else None
        yield stack.enter_context(served_product(database_url))
