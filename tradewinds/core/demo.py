"""The demo region: Saint Lucia, Grenada and Barbados plus the regional office, a user for every
role, companies, and (through each app's `demo.load`) enough activity for every page to show real numbers."""

from __future__ import annotations

import importlib
import os
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from .models import Administration, ApiKey, Company, User
from .roles import Role
from .services import create_user

DEMO_PASSWORD = os.environ.get("TRADEWINDS_DEMO_PASSWORD", "tradewinds-demo")

ADMINISTRATIONS = [
    # code, name, kind, country, time zone, currency, languages
    ("lca", "Saint Lucia Customs and Excise Department", "member", "LC", "America/St_Lucia", "XCD", ["en", "fr"]),
    ("grd", "Grenada Customs and Excise Division", "member", "GD", "America/Grenada", "XCD", ["en"]),
    ("brb", "Barbados Revenue and Customs", "member", "BB", "America/Barbados", "BBD", ["en"]),
    (
        "region",
        "Regional Customs Intelligence Office",
        "regional",
        "",
        "America/Barbados",
        "",
        ["en", "es", "fr", "nl"],
    ),
]

MEMBER_ROLES = [
    Role.MANAGER,
    Role.RISK_OFFICER,
    Role.EXAMINATION_OFFICER,
    Role.CLEARANCE_OFFICER,
    Role.AEO_OFFICER,
    Role.TRADER,
    Role.SKIPPER,
    Role.PARTNER_AGENCY,
]
ROLE_SHORT = {
    Role.MANAGER: "manager",
    Role.RISK_OFFICER: "risk",
    Role.EXAMINATION_OFFICER: "examiner",
    Role.CLEARANCE_OFFICER: "clearance",
    Role.AEO_OFFICER: "aeo",
    Role.TRADER: "trader",
    Role.SKIPPER: "skipper",
    Role.PARTNER_AGENCY: "partner",
    Role.REGIONAL_ANALYST: "analyst",
}

COMPANY_NAMES = {
    "lca": [
        "Castries Trading Ltd",
        "Vieux Fort Freight Services",
        "Soufrière Imports",
        "Rodney Bay Marine Supplies",
        "Helen Island Brokers",
        "Gros Islet Beverages",
        "Anse La Raye Hardware",
        "Pitons Electronics",
    ],
    "grd": [
        "Spice Isle Importers",
        "St. George's Shipping Agency",
        "Grenville Wholesale",
        "Carriacou Traders",
        "Grand Anse Brokerage",
        "Nutmeg Foods Ltd",
        "Gouyave Building Supplies",
        "Lance aux Épines Motors",
    ],
    "brb": [
        "Bridgetown Distributors",
        "Speightstown Freight",
        "Oistins Fisheries Supply",
        "Holetown Luxury Goods",
        "Bajan Customs Brokers",
        "Carlisle Bay Logistics",
        "Warrens Pharma Ltd",
        "St. Lawrence Electronics",
    ],
}
KIND_CYCLE = [
    ["importer"],
    ["carrier"],
    ["importer", "exporter"],
    ["importer"],
    ["broker"],
    ["importer"],
    ["importer", "warehouse"],
    ["importer"],
]


@dataclass
class DemoContext:
    """What the core loader made, handed to each app's demo loader."""

    administrations: dict[str, Administration]
    users: dict[str, User]
    companies: dict[str, list[Company]]
    rng: random.Random = field(default_factory=lambda: random.Random(20261123))


def demo_accounts() -> list[dict]:
    accounts = [{"username": "admin", "role": Role.PLATFORM_ADMIN.label, "administration": "—"}]
    for code, name, kind, *_rest in ADMINISTRATIONS:
        roles = [Role.REGIONAL_ANALYST] if kind == "regional" else MEMBER_ROLES
        accounts += [
            {"username": f"{code}.{ROLE_SHORT[role]}", "role": role.label, "administration": name} for role in roles
        ]
    return [dict(account, password=DEMO_PASSWORD) for account in accounts]


def is_loaded() -> bool:
    return Administration.objects.exists() or User.objects.exists()


@transaction.atomic
def load_demo() -> DemoContext:
    administrations = {
        code: Administration.objects.create(
            code=code, name=name, kind=kind, country=country, time_zone=tz, currency=currency, languages=langs
        )
        for code, name, kind, country, tz, currency, langs in ADMINISTRATIONS
    }
    companies = {code: _demo_companies(administrations[code]) for code in COMPANY_NAMES}
    users = {
        "admin": create_user(
            None,
            username="admin",
            password=DEMO_PASSWORD,
            role=Role.PLATFORM_ADMIN,
            administration=None,
            is_staff=True,
            is_superuser=True,
        )
    }
    for code, administration in administrations.items():
        roles = [Role.REGIONAL_ANALYST] if administration.is_regional else MEMBER_ROLES
        for role in roles:
            username = f"{code}.{ROLE_SHORT[role]}"
            company = companies[code][0] if role == Role.TRADER else None
            users[username] = create_user(
                None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                administration=administration,
                company=company,
                first_name=ROLE_SHORT[role].capitalize(),
                last_name=code.upper(),
            )
    for code, administration in administrations.items():
        if not administration.is_regional:
            _demo_api_key(users[f"{code}.partner"])
    context = DemoContext(administrations, users, companies)
    modules = list(_app_demo_modules())
    for module in modules:
        module.load(context)
    # A second pass for what needs every app's data, e.g. AEO profiles built from risk outcomes.
    for module in modules:
        if hasattr(module, "finish"):
            module.finish(context)
    return context


def _demo_companies(administration: Administration) -> list[Company]:
    made = []
    for index, name in enumerate(COMPANY_NAMES[administration.code]):
        made.append(
            Company.objects.create(
                administration=administration,
                name=name,
                tax_id=f"{administration.country}{100200 + index * 37}",
                country=administration.country,
                kinds=KIND_CYCLE[index % len(KIND_CYCLE)],
                email=f"info{index}@{administration.code}.example",
            )
        )
    return made


def demo_api_key(code: str) -> str:
    """Known demo keys so a partner's system can be tried at once; never used outside the demo."""
    return f"tw_demo_{code}_partner_key"


def _demo_api_key(partner: User) -> None:
    raw = demo_api_key(partner.administration.code)
    ApiKey.objects.create(
        administration=partner.administration,
        user=partner,
        name="Demo border system",
        prefix=raw[:10],
        key_hash=ApiKey.hash_key(raw),
    )


def _app_demo_modules():
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tradewinds.") or app == "tradewinds.core":
            continue
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
            continue
        yield module
