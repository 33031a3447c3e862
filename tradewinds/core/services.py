"""Use cases of the platform core: the only writers of its state. Pages, API and CLI call these."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tradewinds.errors import Forbidden, InvalidInput, NotFound

from . import audit
from .models import Administration, ApiKey, Company, User
from .roles import Role
from .validation import check_role, full_clean

COMPANY_FIELDS = ["name", "tax_id", "country", "kinds", "address", "email"]


def create_company(actor: User, data: dict[str, Any], administration: Administration | None = None) -> Company:
    check_role(actor, Role.MANAGER, Role.AEO_OFFICER, Role.PLATFORM_ADMIN)
    administration = administration or actor.administration
    if administration is None or (not actor.is_platform_admin and administration.pk != actor.administration_id):
        raise Forbidden("You can only add companies to your own administration.")
    company = Company(administration=administration, **{k: data[k] for k in COMPANY_FIELDS if k in data})
    if company.tax_id and Company.objects.filter(administration=administration, tax_id=company.tax_id.strip()).exists():
        raise InvalidInput(
            "Some fields are not valid.",
            errors=[{"loc": ["tax_id"], "field": "tax_id", "msg": "A company with this tax ID is already registered."}],
        )
    with transaction.atomic():
        full_clean(company)
        company.save()
        audit.record("company.created", actor=actor, obj=company, after=audit.snapshot(company, COMPANY_FIELDS))
    return company


def update_company(actor: User, company_id: int, data: dict[str, Any]) -> Company:
    check_role(actor, Role.MANAGER, Role.AEO_OFFICER, Role.PLATFORM_ADMIN)
    company = Company.objects.owned_by(actor).filter(pk=company_id).first()
    if company is None:
        raise NotFound("No such company.")
    before = audit.snapshot(company, COMPANY_FIELDS)
    for field in COMPANY_FIELDS:
        if field in data:
            setattr(company, field, data[field])
    with transaction.atomic():
        full_clean(company)
        company.save()
        audit.record(
            "company.updated", actor=actor, obj=company, before=before, after=audit.snapshot(company, COMPANY_FIELDS)
        )
    return company


def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    role: str,
    administration: Administration | None,
    company: Company | None = None,
    **extra: Any,
) -> User:
    """Create a user; `actor` None means the command line (createadmin, demo)."""
    if actor is not None:
        check_role(actor, Role.PLATFORM_ADMIN)
    user = User(username=username, role=role, administration=administration, company=company, **extra)
    user.set_password(password)
    with transaction.atomic():
        full_clean(user)
        user.save()
        audit.record(
            "user.created",
            actor=actor,
            obj=user,
            after={
                "username": username,
                "role": role,
                "administration": administration.code if administration else None,
            },
        )
    return user


def create_api_key(actor: User, client: User, name: str) -> tuple[ApiKey, str]:
    """Returns the key record and the raw key, which is shown once and never stored."""
    check_role(actor, Role.MANAGER, Role.PLATFORM_ADMIN)
    if not actor.is_platform_admin and client.administration_id != actor.administration_id:
        raise Forbidden("You can only issue keys to users of your administration.")
    if client.administration_id is None:
        raise InvalidInput(
            "Some fields are not valid.",
            errors=[{"loc": ["client"], "field": "client", "msg": "The client must belong to an administration."}],
        )
    if not name.strip():
        raise InvalidInput(
            "Some fields are not valid.", errors=[{"loc": ["name"], "field": "name", "msg": "Give the key a name."}]
        )
    raw = ApiKey.new_raw_key()
    with transaction.atomic():
        key = ApiKey.objects.create(
            administration_id=client.administration_id,
            user=client,
            name=name.strip(),
            prefix=raw[:10],
            key_hash=ApiKey.hash_key(raw),
        )
        audit.record("api_key.created", actor=actor, obj=key, after={"user": client.username, "name": key.name})
    return key, raw


def revoke_api_key(actor: User, key_id: int) -> ApiKey:
    check_role(actor, Role.MANAGER, Role.PLATFORM_ADMIN)
    key = ApiKey.objects.owned_by(actor).filter(pk=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound("No such active key.")
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record("api_key.revoked", actor=actor, obj=key)
    return key
