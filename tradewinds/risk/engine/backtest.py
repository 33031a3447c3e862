"""What a draft rule would have hit over a past period, next to the active rules.

The history is a frame of items (canonical columns, as for :func:`evaluate_batch`) with two
declaration-level outcome columns: ``inspected`` and ``hit`` (a discrepancy was found). A hit counts
only on an inspected declaration. The hit rate of a rule is hits / inspected among the declarations
it fired on; with few inspections it is uncertain, hence the Wilson interval.

The draft is replayed without its validity dates (it is not in force yet); active rules are replayed
as they stood on each declaration's date (``context.as_of`` is ignored here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from .conditions import CompiledRule
from .evaluate import EvaluationContext, evaluate_batch
from .fields import DECLARATION_KEY
from .metrics import Proportion, proportion


@dataclass(frozen=True)
class RuleBacktest:
    rule_id: str
    rule_version: int
    rule_name: str
    fired: int  # declarations the rule fired on
    inspected: int  # of those, inspected
    hits: int  # of those, with a discrepancy
    hit_rate: Proportion  # hits / inspected, with a Wilson interval


@dataclass(frozen=True)
class BacktestReport:
    declarations: int
    inspected: int
    hits: int
    base_hit_rate: Proportion  # over every inspected declaration of the period
    draft: RuleBacktest
    draft_only: RuleBacktest  # fired by the draft and by no active rule: what the draft adds
    active_any: RuleBacktest  # fired by at least one active rule
    active: tuple[RuleBacktest, ...]


def backtest_rule(draft: CompiledRule, history: pl.DataFrame, context: EvaluationContext,
                  active_rules: Sequence[CompiledRule] = (), *,
                  period: tuple[dt.date, dt.date] | None = None) -> BacktestReport:
    """Counts for ``draft`` and each active rule over ``history`` (optionally within ``period``,
    inclusive, on ``declaration_date``)."""
    if period is not None:
        history = history.filter(pl.col("declaration_date").is_between(period[0], period[1]))
    inspected, hits = _outcomes(history)
    draft_fired = evaluate_batch(history, [draft], dataclasses.replace(context, check_validity=False))
    replay = dataclasses.replace(context, as_of=None, check_validity=True)
    active = evaluate_batch(history, active_rules, replay)
    draft_mask = draft_fired.fired[:, 0] if len(draft_fired) else np.zeros(0, bool)
    any_active = active.fired.any(axis=1)

    def counts(rule_id: str, version: int, name: str, mask: np.ndarray) -> RuleBacktest:
        n_inspected, n_hits = int((mask & inspected).sum()), int((mask & hits).sum())
        return RuleBacktest(rule_id, version, name, int(mask.sum()), n_inspected, n_hits,
                            proportion(n_hits, n_inspected))

    return BacktestReport(
        declarations=len(inspected), inspected=int(inspected.sum()), hits=int(hits.sum()),
        base_hit_rate=proportion(int(hits.sum()), int(inspected.sum())),
        draft=counts(draft.id, draft.version, draft.name, draft_mask),
        draft_only=counts(draft.id, draft.version, draft.name, draft_mask & ~any_active),
        active_any=counts("*", 0, "any active rule", any_active),
        active=tuple(counts(rule.id, rule.version, rule.name, active.fired[:, j])
                     for j, rule in enumerate(active.rules)),
    )


def _outcomes(history: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per declaration, in order of first appearance (the order of :class:`BatchResult`)."""
    for column in ("inspected", "hit"):
        if column not in history.columns:
            raise ValueError(f"the history needs an {column!r} column")
    per_declaration = (history.group_by(DECLARATION_KEY, maintain_order=True)
                       .agg(pl.col("inspected").fill_null(False).any(),
                            pl.col("hit").fill_null(False).any()))
    inspected = per_declaration["inspected"].to_numpy().astype(bool)
    return inspected, per_declaration["hit"].to_numpy().astype(bool) & inspected
