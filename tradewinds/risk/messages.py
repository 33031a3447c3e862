"""The engine speaks in codes and parameters; officers read sentences in their own language.

Rule validation errors and lane-decision reasons are stored and passed around as (code, params) and
turned into text here, at the moment they are shown, with gettext and named placeholders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewinds.risk.engine.vocabulary import FieldError

LANE_NAMES = {
    "red": gettext_lazy("red"),
    "yellow": gettext_lazy("yellow"),
    "blue": gettext_lazy("blue"),
    "green": gettext_lazy("green"),
}
DECIDED_BY = {
    "mandatory_rule": gettext_lazy("a mandatory rule"),
    "score": gettext_lazy("the risk score"),
    "random": gettext_lazy("random selection"),
    "none": gettext_lazy("no risk sign"),
    "override": gettext_lazy("an officer's override"),
    "exploration": gettext_lazy("exploration (the model is unsure)"),
}

_RULE_ERRORS = {
    "type": gettext_lazy("This value has the wrong type."),
    "required": gettext_lazy("This field is required."),
    "too_long": gettext_lazy("At most %(limit)s characters."),
    "out_of_range": gettext_lazy("This value is out of range."),
    "date_order": gettext_lazy("The end of validity is before its start."),
    "no_effect": gettext_lazy("Give the rule a weight, a mandatory lane, or both."),
    "choice": gettext_lazy("Choose one of the offered values."),
    "too_deep": gettext_lazy("Groups may be nested at most %(limit)s deep."),
    "unknown_field": gettext_lazy("Unknown field."),
    "unknown_operator": gettext_lazy("Unknown operator."),
    "too_many": gettext_lazy("Too many values or criteria (at most %(limit)s)."),
    "unknown_key": gettext_lazy("Unknown key %(key)s."),
    "operator_type": gettext_lazy("This operator does not apply to this field."),
    "not_allowed": gettext_lazy("This operator takes no value."),
    "hs_code": gettext_lazy("An HS code has exactly 6 digits (keep leading zeros)."),
    "date": gettext_lazy("A date is required (YYYY-MM-DD)."),
    "list_ref": gettext_lazy("Choose a named list."),
    "list_type": gettext_lazy("Named lists hold codes: use them on text fields only."),
    "unknown_list": gettext_lazy("There is no list named %(list)s."),
    "hs_prefix": gettext_lazy("An HS prefix is 1 to 6 digits, e.g. 61 or 8703."),
    "range": gettext_lazy("Give a minimum, a maximum, or both."),
    "range_order": gettext_lazy("The maximum is below the minimum."),
    "reference": gettext_lazy("The reference comparison is not complete."),
    "unknown_reference": gettext_lazy("There is no reference table %(reference)s."),
}


def rule_error(error: FieldError) -> dict[str, Any]:
    """An engine field error in the project's error shape, its message in the active language."""
    template = _RULE_ERRORS.get(error.code)
    message = _safe_format(str(template), error.params) if template is not None else error.message
    if error.code == "type" and error.params.get("expected") == "number":
        message = _("A number is required.")
    return {**error.as_dict(), "msg": message}


def _safe_format(template: str, params: Mapping[str, Any]) -> str:
    try:
        return template % {key: value for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return template


def lane_name(lane: str | None) -> str:
    return str(LANE_NAMES.get(lane or "", lane or ""))


def render_reason(reason: Mapping[str, Any]) -> str:
    """One stored reason {code, params} as a sentence in the active language."""
    code, params = reason.get("code", ""), dict(reason.get("params") or {})
    render = _REASONS.get(code)
    return render(params) if render is not None else code


def _rule_fired(p: dict) -> str:
    return _("Rule “%(name)s” (version %(version)s) fired: %(weight)s points.") % {
        "name": p.get("rule_name"),
        "version": p.get("rule_version"),
        "weight": p.get("weight"),
    }


def _rule_mandatory(p: dict) -> str:
    return _("Rule “%(name)s” (version %(version)s) requires the %(lane)s lane (%(weight)s points).") % {
        "name": p.get("rule_name"),
        "version": p.get("rule_version"),
        "lane": lane_name(p.get("lane")),
        "weight": p.get("weight"),
    }


def _model_score(p: dict) -> str:
    return _("Model %(source)s %(version)s: probability %(probability).2f, %(points).1f points.") % {
        "source": p.get("source"),
        "version": p.get("version"),
        "probability": float(p.get("probability") or 0),
        "points": float(p.get("points") or 0),
    }


def _model_factor(p: dict) -> str:
    if p.get("template"):  # a detection-model factor: its phrase is rendered by the detection app
        from tradewinds.detection.phrases import render_factor_reason

        return render_factor_reason(p)
    return _("Model factor %(feature)s = %(value)s (%(contribution)+.3f).") % {
        "feature": p.get("feature"),
        "value": p.get("value"),
        "contribution": float(p.get("contribution") or 0),
    }


def _model_exploration(p: dict) -> str:
    return _("Exploration: the model is unsure (probability %(probability).2f), so at least the %(lane)s lane.") % {
        "probability": float(p.get("probability") or 0),
        "lane": lane_name(p.get("lane")),
    }


def _trusted_trader(p: dict) -> str:
    text = _("Trusted trader: score multiplied by %(factor)s.") % {"factor": p.get("factor")}
    return f"{text} {p['note']}" if p.get("note") else text


def _score(p: dict) -> str:
    if p.get("threshold") is None:
        return _("Score %(score).1f: below every lane threshold.") % {"score": float(p.get("score") or 0)}
    return _("Score %(score).1f reaches the %(lane)s threshold of %(threshold)s.") % {
        "score": float(p.get("score") or 0),
        "lane": lane_name(p.get("lane")),
        "threshold": p.get("threshold"),
    }


def _random_selected(p: dict) -> str:
    return _("Selected at random for the %(lane)s lane: draw %(draw).6f below %(cut).6f.") % {
        "lane": lane_name(p.get("lane")),
        "draw": float(p.get("draw") or 0),
        "cut": float(p.get("cut") or 0),
    }


def _random_not_selected(p: dict) -> str:
    return _("Not selected at random: draw %(draw).6f, random floor %(cut).6f.") % {
        "draw": float(p.get("draw") or 0),
        "cut": float(p.get("cut") or 0),
    }


def _lane(p: dict) -> str:
    return _("Lane %(lane)s, decided by %(decided_by)s.") % {
        "lane": lane_name(p.get("lane")),
        "decided_by": DECIDED_BY.get(p.get("decided_by"), p.get("decided_by")),
    }


_REASONS = {
    "risk.rule_fired": _rule_fired,
    "risk.rule_mandatory_lane": _rule_mandatory,
    "risk.model_score": _model_score,
    "risk.model_factor": _model_factor,
    "risk.model_exploration": _model_exploration,
    "risk.trusted_trader": _trusted_trader,
    "risk.score": _score,
    "risk.random_selected": _random_selected,
    "risk.random_not_selected": _random_not_selected,
    "risk.lane": _lane,
}
