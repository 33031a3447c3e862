"""The engine's explanations in the reader's language.

The engine (Django-free) gives every reason as a template key and already-formatted values, plus an
English text. Here each template key has a gettext message with the same named placeholders, and
the words the engine puts into values ("importer", "hit", "value and mass", the subject of a pair)
are translated too, so a Spanish officer reads a Spanish sentence. An unknown template falls back
to the engine's English text rather than failing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TEMPLATES = {
    "party_history": _("%(party)s: past %(offence)s rate %(rate)s (%(hits)s of %(count)s declarations)"),
    "party_new": _("first-time %(party)s (not seen in the training window)"),
    "party_missing": _("no %(party)s declared"),
    "pair_history": _("%(subject)s: past %(offence)s rate %(rate)s (%(hits)s of %(count)s declarations)"),
    "pair_new": _("%(subject)s: never seen together before"),
    "repeat_consignment": _("same declared %(what)s as %(count)s past declarations, %(hits)s of them %(offence)s"),
    "new_consignment": _("declared %(what)s never seen before"),
    "unit_value_below": _("unit value %(times)s× below the HS %(hs)s median"),
    "unit_value_above": _("unit value %(times)s× above the HS %(hs)s median"),
    "duty": _("duty at stake %(duty)s (duty rate %(rate)s)"),
    "size": _("declared value %(value)s, net mass %(mass)s kg"),
    "route_mismatch": _("shipped from %(departure)s but of %(origin)s origin"),
    "codes": _(
        "declaration type (import %(import_type)s, use %(import_use)s, payment %(payment_type)s, "
        "transport %(transport_mode)s)"
    ),
}
PARTIES = {
    "importer": pgettext_lazy("trader role", "importer"),
    "declarant": pgettext_lazy("trader role", "declarant"),
    "seller": pgettext_lazy("trader role", "seller"),
    "courier": pgettext_lazy("trader role", "courier"),
}
# The engine's offence words, by the score they explain.
OFFENCES = {"fraud": _("hit"), "critical": _("public-safety offence")}
OFFENCES_PLURAL = {"fraud": _("hits"), "critical": _("public-safety offences")}
CONSIGNMENT_PARTS = {"value and mass": _("value and mass"), "value": _("value"), "mass": _("mass")}
SUBJECTS = {
    "importer_hs": _("this importer with HS %(hs)s"),
    "declarant_hs": _("this declarant with HS %(hs)s"),
    "seller_importer": _("this seller with this importer"),
    "origin_hs": _("HS %(hs)s from %(origin)s"),
    "office_hs": _("HS %(hs)s at office %(office)s"),
    "hs6": _("goods HS %(hs)s"),
    "hs4": _("goods HS %(hs4)s"),
    "hs2": _("goods in chapter %(hs2)s"),
    "route": _("goods of %(origin)s origin shipped from %(departure)s"),
    "office": _("office %(office)s"),
    "tax_type": _("tax type %(tax_type)s"),
}
SCORES = {
    "fraud": _("Duty fraud"),
    "critical": _("Public-safety offence"),
    "expected_revenue": _("Expected revenue at stake"),
}


def render(reason: Mapping[str, Any], target: str = "fraud") -> str:
    """One engine reason ({"template", "values", "text"}) as a sentence in the active language."""
    template = TEMPLATES.get(str(reason.get("template", "")))
    if template is None:
        return str(reason.get("text", ""))
    values = {key: str(value) for key, value in dict(reason.get("values") or {}).items()}
    values = _translated_words(values, reason.get("target") or target)
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(reason.get("text", ""))


def _translated_words(values: dict[str, str], target: str) -> dict[str, str]:
    if "party" in values:
        values["party"] = str(PARTIES.get(values["party"], values["party"]))
    if "offence" in values:
        words = OFFENCES_PLURAL if "what" in values else OFFENCES
        values["offence"] = str(words.get(target, values["offence"]))
    if "what" in values:
        values["what"] = str(CONSIGNMENT_PARTS.get(values["what"], values["what"]))
    subject = SUBJECTS.get(values.get("subject_key", ""))
    if subject is not None:
        try:
            values["subject"] = str(subject) % values
        except KeyError:
            pass  # an older model without the subject's codes: keep the engine's words
    return values


def render_factor_reason(params: Mapping[str, Any]) -> str:
    """A stored lane-decision reason "risk.model_factor" (params of ``ModelFactor.params()``)."""
    if params.get("template"):
        return render(params, str(params.get("target") or "fraud"))
    return str(params.get("value", ""))


LOG_MESSAGES = {
    "loading": _("Reading the declarations and inspection outcomes of the training window."),
    "loaded": _(
        "%(declarations)s inspected declarations (%(rows)s item rows): %(frauds)s frauds, %(critical)s "
        "public-safety offences."
    ),
    "evaluating": _("Measuring a model trained on the earlier declarations on those of %(start)s to %(end)s."),
    "training": _("Training the model on the whole window (%(rows)s item rows)."),
    "sampling": _("Scoring the last %(days)s days of declarations to measure exploration."),
    "saving": _("Saving the model files (LightGBM text and JSON)."),
    "done": _("Version %(version)s is ready."),
    "too_few_declarations": _("Only %(found)s inspected declarations with an outcome; at least %(needed)s are needed."),
    "too_few_frauds": _("Only %(found)s frauds among the outcomes; at least %(needed)s are needed."),
    "one_day": _("All outcomes fall on one day: a time-ordered evaluation needs a longer history."),
    "error": _("Training failed: %(error)s"),
}


def log_text(code: str, params: Mapping[str, Any] | None) -> str:
    message = LOG_MESSAGES.get(code)
    if message is None:
        return code
    try:
        return str(message) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(message)


def log_lines(run: Any) -> list[dict[str, str]]:
    """A training run's log, each line in the active language."""
    return [
        {"at": entry.get("at", ""), "text": log_text(entry.get("code", ""), entry.get("params"))} for entry in run.log
    ]
