"""What the engine needs to assess an administration's declarations: its active rules compiled, its
named lists, reference values and selectivity settings.

Assessing one declaration per API request must stay within a few milliseconds, so what rarely
changes is cached in the process: compiled rules by version id (versions are immutable), list
entries by (list id, updated_at), reference medians for a while (they move slowly)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db.models import F, QuerySet, Value
from django.utils import timezone

from tradewinds.core.models import Administration
from tradewinds.core.statements import Lookup
from tradewinds.risk.engine.conditions import CompiledRule
from tradewinds.risk.engine.evaluate import EvaluationContext
from tradewinds.risk.engine.random_draw import DrawKey
from tradewinds.risk.engine.rules import compile_rule
from tradewinds.risk.engine.selectivity import SelectivitySettings as EngineSettings

from . import frames
from .models import NamedList, NamedListEntry, RiskRule, RiskRuleVersion, SelectivitySettings

HS_MEDIAN = "hs6_median_unit_value"
KNOWN_REFERENCES = frozenset({HS_MEDIAN})
REFERENCE_DAYS = 365  # history the medians are taken over
REFERENCE_TTL_S = 3600.0

# Keyed by (pk, created_at): a rolled-back transaction may hand the same pk to another version.
_compiled: dict[tuple[int, dt.datetime], CompiledRule] = {}
_list_entries: dict[tuple[int, dt.datetime], frozenset[str]] = {}
_references: dict[int, tuple[float, dict[str, float]]] = {}
_Parts = tuple[SelectivitySettings, list[CompiledRule], dict[tuple[str, int], int], dict[str, frozenset[str]]]
_assessors: dict[int, tuple[tuple, _Parts]] = {}


@dataclass
class Assessor:
    """One administration's rules and settings, ready for the engine."""

    administration: Administration
    settings: SelectivitySettings
    rules: list[CompiledRule]
    versions: dict[tuple[str, int], int]  # (engine rule id, version number) -> RiskRuleVersion pk
    context: EvaluationContext
    key: DrawKey = field(repr=False)

    @property
    def engine_settings(self) -> EngineSettings:
        return self.settings.to_engine()

    @property
    def time_zone(self) -> str:
        return self.administration.time_zone or "UTC"


def settings_for(administration: Administration) -> SelectivitySettings:
    settings, _created = SelectivitySettings.objects.get_or_create(administration=administration)
    return settings


def draw_key(settings: SelectivitySettings) -> DrawKey:
    return DrawKey(settings.random_key_id, bytes.fromhex(settings.random_secret))


def assessor_for(administration: Administration, *, as_of: dt.date | None = None) -> Assessor:
    """``as_of`` None judges each rule's validity on the declaration's own date (batch replays).

    The settings, compiled rules and lists are kept per process while one cheap query (:func:`_token`:
    the active rules' versions, the lists' and settings' timestamps) says nothing changed."""
    token = _token(administration.pk)
    cached = _assessors.get(administration.pk)
    if cached is not None and cached[0] == token:
        settings, rules, versions, list_names = cached[1]
    else:
        settings, rules, versions, list_names = _load(administration)
        # The token read before loading: a change in between is seen by the next call.
        _assessors[administration.pk] = (token, (settings, rules, versions, list_names))
    needs_references = any(rule.references for rule in rules)
    context = EvaluationContext(
        lists=list_names,
        references={HS_MEDIAN: reference_medians(administration)} if needs_references else {},
        as_of=as_of,
    )
    return Assessor(administration, settings, rules, versions, context, draw_key(settings))


def _load(administration: Administration) -> _Parts:
    settings = settings_for(administration)
    active = list(
        RiskRule.objects.filter(administration=administration, status=RiskRule.Status.ACTIVE)
        .exclude(current_version=None)
        .select_related("current_version")
        .order_by("id")
    )
    list_names = named_lists(administration.pk)
    rules = [compiled(rule.current_version, list_names) for rule in active]
    versions = {(rule.engine_id, rule.current_version.number): rule.current_version_id for rule in active}
    return settings, rules, versions, list_names


def _token_query(administration_id: int) -> QuerySet:
    """What the cached parts depend on, in one query: each active rule's current version (pk and
    creation time: a rolled-back transaction may reuse a pk), each list's name and last change, and
    the settings' last change. Rules are read by status, not by a timestamp, so even a bulk
    ``update()`` of statuses is seen."""
    rules = (
        RiskRule.objects.filter(administration_id=administration_id, status=RiskRule.Status.ACTIVE)
        .exclude(current_version=None)
        .annotate(
            k_kind=Value("r"),
            k_a=F("id"),
            k_b=F("current_version_id"),
            k_label=Value(""),
            k_at=F("current_version__created_at"),
        )
        .order_by()
        .values_list("k_kind", "k_a", "k_b", "k_label", "k_at")
    )
    lists = (
        NamedList.objects.filter(administration_id=administration_id)
        .annotate(k_kind=Value("l"), k_a=F("id"), k_b=Value(0), k_label=F("name"), k_at=F("updated_at"))
        .order_by()
        .values_list("k_kind", "k_a", "k_b", "k_label", "k_at")
    )
    settings = (
        SelectivitySettings.objects.filter(administration_id=administration_id)
        .annotate(k_kind=Value("s"), k_a=F("id"), k_b=Value(0), k_label=Value(""), k_at=F("updated_at"))
        .order_by()
        .values_list("k_kind", "k_a", "k_b", "k_label", "k_at")
    )
    return rules.union(lists, settings, all=True)


def _token(administration_id: int) -> tuple:
    """:func:`_token_query`'s rows, sorted. It runs on every lodging, so its SQL is built once
    (building it costs more than running it)."""
    rows = _token_lookup.all(administration_id)
    return tuple(sorted(rows, key=lambda row: (row[0], row[1])))


_token_lookup = Lookup(_token_query, int)


def compiled(version: RiskRuleVersion, lists: dict[str, frozenset[str]]) -> CompiledRule:
    key = (version.pk, version.created_at)
    rule = _compiled.get(key)
    if rule is None:
        rule = compile_rule(version.definition, lists.keys(), known_references=KNOWN_REFERENCES)
        _compiled[key] = rule
    return rule


def named_lists(administration_id: int) -> dict[str, frozenset[str]]:
    """Every list of the administration by name, entries from the cache while the list is unchanged."""
    heads = list(NamedList.objects.filter(administration_id=administration_id).values_list("id", "name", "updated_at"))
    stale = [list_id for list_id, _name, updated in heads if (list_id, updated) not in _list_entries]
    if stale:
        values: dict[int, set[str]] = {list_id: set() for list_id in stale}
        for list_id, value in NamedListEntry.objects.filter(named_list_id__in=stale).values_list(
            "named_list_id", "value"
        ):
            values[list_id].add(value)
        for list_id, _name, updated in heads:
            if list_id in values:
                _list_entries[(list_id, updated)] = frozenset(values[list_id])
    return {name: _list_entries[(list_id, updated)] for list_id, name, updated in heads}


def reference_medians(administration: Administration) -> dict[str, float]:
    cached = _references.get(administration.pk)
    if cached is not None and time.monotonic() - cached[0] < REFERENCE_TTL_S:
        return cached[1]
    today = timezone.localdate()
    medians = frames.median_unit_values(
        administration.pk, today - dt.timedelta(REFERENCE_DAYS), today, time_zone=administration.time_zone or "UTC"
    )
    _references[administration.pk] = (time.monotonic(), medians)
    return medians


def clear_caches() -> None:
    """Forget cached rules, lists and references (tests; after a bulk history import)."""
    _compiled.clear()
    _list_entries.clear()
    _assessors.clear()
    _references.clear()
