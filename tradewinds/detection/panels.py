"""The detection panel of a declaration's page: the active model's three scores and the reasons
behind them, in the reader's language. Customs staff of the declaring administration only: a
trader never sees how the model judges them."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from tradewinds.core.roles import Role
from tradewinds.declarations.models import Declaration
from tradewinds.risk import frames
from tradewinds.risk.messages import lane_name
from tradewinds.risk.models import LaneDecision

from . import dataset, source
from .phrases import SCORES, render

logger = logging.getLogger(__name__)
READERS = (Role.RISK_OFFICER, Role.MANAGER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER)
MODEL_READERS = (Role.RISK_OFFICER, Role.MANAGER)


def declaration_panel(request: HttpRequest, declaration: Declaration) -> dict[str, Any] | None:
    user = request.user
    if not user.has_role(*READERS) or declaration.administration_id != user.administration_id:
        return None
    try:
        items = frames.items_for(declaration, dataset.time_zone(declaration.administration))
        found = source.declaration_scores(declaration.administration_id, items)
    except Exception:
        # The page must open even if the model cannot score this declaration.
        logger.exception("detection panel failed for declaration %s", declaration.pk)
        return None
    context: dict[str, Any] = {"model": None, "can_read_models": user.has_role(*MODEL_READERS)}
    if found is not None:
        model, scores = found
        band, lane = source.exploration_band(declaration.administration_id, model)
        context.update(
            model=model,
            scores=[
                {"key": "fraud", "label": SCORES["fraud"], "value": scores.fraud, "probability": True},
                {"key": "critical", "label": SCORES["critical"], "value": scores.critical, "probability": True},
                {"key": "expected_revenue", "label": SCORES["expected_revenue"], "value": scores.expected_revenue},
            ],
            reasons=[
                {"label": SCORES[target], "items": [render(r, target) for r in scores.reasons.get(target, [])]}
                for target in ("fraud", "critical")
            ],
            unsure=band is not None and band.contains(min(max(scores.fraud, 0.0), 1.0)),
            exploration_lane=lane_name(lane.value),
        )
    context["decision"] = _decision_model(declaration)
    return {"template": "detection/panel.html", "context": context}


def _decision_model(declaration: Declaration) -> dict[str, Any] | None:
    """What the model said when the lane was decided (the version may have changed since)."""
    decision = (
        LaneDecision.objects.filter(declaration=declaration, current=True)
        .order_by("-decided_at", "-id")
        .values("model_source", "model_probability", "decided_by", "reasons")
        .first()
    )
    if decision is None or decision["model_probability"] is None:
        return None
    explored = any(reason.get("code") == "risk.model_exploration" for reason in decision["reasons"] or [])
    return {
        "source": decision["model_source"],
        "probability": decision["model_probability"],
        "explored": explored,
        "decided_by_exploration": decision["decided_by"] == "exploration",
    }
