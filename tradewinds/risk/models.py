"""Risk rules, named lists, selectivity settings, lane decisions and inspection outcomes.

Rules are stored as immutable versions in the engine's JSON format (``tradewinds.risk.engine.rules``);
a lane decision points at the versions that fired, so a decision can always be explained with the rule
exactly as it stood. Outcomes are the labels the detection model learns from."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.models import validate_country
from tradewinds.core.tenancy import TenantOwned
from tradewinds.risk.engine.selectivity import LaneRates, LaneThresholds
from tradewinds.risk.engine.selectivity import SelectivitySettings as EngineSettings


class Lane(models.TextChoices):
    """The ASYCUDA lanes, spelled as the engine and the declaration spell them."""

    RED = "red", _("Red (physical inspection)")
    YELLOW = "yellow", _("Yellow (documents)")
    BLUE = "blue", _("Blue (post-clearance audit)")
    GREEN = "green", _("Green (release)")


MANDATORY_LANES = [(lane.value, lane.label) for lane in (Lane.RED, Lane.YELLOW, Lane.BLUE)]
_HS_PREFIX = re.compile(r"[0-9]{1,6}")
CRITICAL_TYPES = frozenset({"prohibited", "narcotics", "weapons", "counterfeit"})


class NamedList(TenantOwned):
    """A list maintained apart from the rules (watch-listed traders, high-risk origins…): editing it
    takes effect at once, without a new rule version."""

    class Kind(models.TextChoices):
        TRADERS = "traders", _("Traders")
        COUNTRIES = "countries", _("Countries")
        HS_CODES = "hs_codes", _("HS codes or prefixes")
        OTHER = "other", _("Other codes")

    name = models.SlugField(_("name"), max_length=60, help_text=_("Short name rules refer to, e.g. watched-traders."))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["administration", "name"], name="named_list_unique")]

    def __str__(self) -> str:
        return self.title


class NamedListEntry(TenantOwned):
    named_list = models.ForeignKey(NamedList, on_delete=models.CASCADE, related_name="entries")
    value = models.CharField(_("value"), max_length=40)
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["named_list", "value"]
        constraints = [models.UniqueConstraint(fields=["named_list", "value"], name="named_list_entry_unique")]

    def __str__(self) -> str:
        return f"{self.named_list.name}: {self.value}"

    def clean(self) -> None:
        self.value = (self.value or "").strip()
        kind = self.named_list.kind if self.named_list_id else None
        if not self.value:
            raise ValidationError({"value": _("Give a value.")})
        if kind == NamedList.Kind.COUNTRIES:
            self.value = self.value.upper()
            try:
                validate_country(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
        elif kind == NamedList.Kind.HS_CODES and not _HS_PREFIX.fullmatch(self.value):
            raise ValidationError({"value": _("An HS code or prefix is 1 to 6 digits, e.g. 2402 or 930190.")})


class RiskRule(TenantOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=200)
    rationale = models.TextField(_("rationale"), help_text=_("Why this rule exists: the risk it targets."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_version = models.ForeignKey(
        "RiskRuleVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def engine_id(self) -> str:
        """The id the engine reports in a hit; versions are numbered per rule."""
        return str(self.pk)


class RiskRuleVersion(TenantOwned):
    """One saved state of a rule. Never changed after it is written: decisions point at it."""

    rule = models.ForeignKey(RiskRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("rule"), help_text=_("The rule in the engine's format."))
    weight = models.IntegerField(_("weight"), default=0)
    lane = models.CharField(_("mandatory lane"), max_length=10, choices=MANDATORY_LANES, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule.name} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("A rule version cannot be changed; save the rule to make a new version."))
        super().save(*args, **kwargs)


def new_draw_secret() -> str:
    return secrets.token_hex(32)


class SelectivitySettings(TenantOwned):
    """ASYCUDA-style selectivity of one administration. Rates are shares of the flow (0.05 = 5 %)."""

    expected_red = models.FloatField(_("expected rate, red"), default=0.05)
    expected_yellow = models.FloatField(_("expected rate, yellow"), default=0.10)
    expected_blue = models.FloatField(_("expected rate, blue"), default=0.05)
    random_red = models.FloatField(_("minimum random rate, red"), default=0.01)
    random_yellow = models.FloatField(_("minimum random rate, yellow"), default=0.02)
    random_blue = models.FloatField(_("minimum random rate, blue"), default=0.02)
    threshold_red = models.FloatField(_("score threshold, red"), null=True, blank=True, default=80)
    threshold_yellow = models.FloatField(_("score threshold, yellow"), null=True, blank=True, default=50)
    threshold_blue = models.FloatField(_("score threshold, blue"), null=True, blank=True, default=30)
    model_weight = models.FloatField(_("model weight (points at probability 1)"), default=100)
    # The secret keys the reproducible draw; the key id is recorded in every decision so an auditor
    # knows which secret to use after a rotation. Never shown on a page or in the API.
    random_secret = models.CharField(max_length=128, default=new_draw_secret, editable=False)
    random_key_id = models.CharField(max_length=20, default="k1", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("selectivity settings")
        verbose_name_plural = _("selectivity settings")
        constraints = [models.UniqueConstraint(fields=["administration"], name="selectivity_settings_unique")]

    def __str__(self) -> str:
        return "Selectivity settings"

    def to_engine(self) -> EngineSettings:
        return EngineSettings(
            thresholds=LaneThresholds(self.threshold_red, self.threshold_yellow, self.threshold_blue),
            random_rates=LaneRates(self.random_red, self.random_yellow, self.random_blue),
            expected_rates=LaneRates(self.expected_red, self.expected_yellow, self.expected_blue),
            model_weight=self.model_weight,
        )

    def clean(self) -> None:
        # The engine owns the rules of consistency; its paths ("random_rates.red") name our fields.
        errors: dict[str, list[str]] = {}
        for error in self.to_engine().validate():
            field = error.path.replace("_rates.", "_").replace("thresholds.", "threshold_")
            field = field if field in {f.name for f in self._meta.fields} else "__all__"
            errors.setdefault(field, []).append(_settings_message(error.code))
        if errors:
            raise ValidationError(errors)


def _settings_message(code: str) -> str:
    messages = {
        "out_of_range": _("Out of range: a rate lies between 0 and 1, a threshold is a positive score."),
        "total_above_one": _("The rates add up to more than 100 %."),
        "above_expected": _("The minimum random rate cannot exceed the expected rate of the lane."),
        "threshold_order": _("A less severe lane needs a lower threshold than a more severe one."),
    }
    return str(messages.get(code, _("This value is not valid.")))


class LaneDecision(TenantOwned):
    """Why a declaration went to its lane. Re-assessing (an amendment) makes a new current decision."""

    declaration = models.ForeignKey("declarations.Declaration", on_delete=models.CASCADE, related_name="lane_decisions")
    current = models.BooleanField(default=True)  # indexed with the administration (Meta)
    lane = models.CharField(_("lane"), max_length=10, choices=Lane.choices)
    assessed_lane = models.CharField(_("lane assessed"), max_length=10, choices=Lane.choices)
    decided_by = models.CharField(max_length=20)
    score = models.FloatField(_("score"))
    rule_points = models.IntegerField(default=0)
    reasons = models.JSONField(default=list, help_text="[{code, params, lane}] rendered in the reader's language")
    random_draw = models.FloatField()
    random_selected = models.BooleanField(default=False)
    draw_key_id = models.CharField(max_length=20)
    rule_versions = models.ManyToManyField(RiskRuleVersion, related_name="decisions", blank=True)
    model_probability = models.FloatField(null=True, blank=True)
    model_source = models.CharField(max_length=100, blank=True)
    trader_factor = models.FloatField(default=1.0)
    trader_note = models.CharField(max_length=300, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    overridden_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["administration", "current", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.declaration.number}: {self.lane}"

    @property
    def is_overridden(self) -> bool:
        return self.overridden_by_id is not None or bool(self.override_reason)


class InspectionOutcome(TenantOwned):
    """What the examination found: the label the model learns from."""

    class Result(models.TextChoices):
        NO_DISCREPANCY = "no_discrepancy", _("No discrepancy")
        DISCREPANCY = "discrepancy", _("Discrepancy found")

    class DiscrepancyType(models.TextChoices):
        UNDERVALUATION = "undervaluation", _("Undervaluation")
        MISCLASSIFICATION = "misclassification", _("Misclassification")
        ORIGIN = "origin", _("Origin")
        QUANTITY = "quantity", _("Quantity")
        PROHIBITED = "prohibited", _("Prohibited or restricted goods")
        NARCOTICS = "narcotics", _("Narcotics")
        WEAPONS = "weapons", _("Weapons")
        COUNTERFEIT = "counterfeit", _("Counterfeit")
        OTHER = "other", _("Other")

    declaration = models.OneToOneField("declarations.Declaration", on_delete=models.CASCADE, related_name="outcome")
    decision = models.ForeignKey(LaneDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    discrepancy_types = models.JSONField(_("discrepancy types"), default=list, blank=True)
    extra_duty = models.DecimalField(_("extra duty assessed"), max_digits=18, decimal_places=2, default=0)
    seizure = models.BooleanField(_("goods seized"), default=False)
    # A serious case (seizure, prohibited goods, or flagged so by a history file): the detection
    # model's second label.
    critical = models.BooleanField(_("serious case"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    historical = models.BooleanField(default=False, help_text="Imported with a history file, not recorded here.")
    started_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.declaration.number}: {self.result}"

    @property
    def is_hit(self) -> bool:
        return self.result == self.Result.DISCREPANCY

    def clean(self) -> None:
        errors: dict[str, str] = {}
        kinds = self.discrepancy_types or []
        unknown = [kind for kind in kinds if kind not in self.DiscrepancyType.values]
        if unknown:
            errors["discrepancy_types"] = _("Unknown discrepancy type: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        elif self.result == self.Result.DISCREPANCY and not kinds:
            errors["discrepancy_types"] = _("Say what kind of discrepancy was found.")
        elif self.result == self.Result.NO_DISCREPANCY and (kinds or self.seizure or (self.extra_duty or 0) > 0):
            errors["result"] = _("A discrepancy type, extra duty or a seizure means a discrepancy was found.")
        if self.extra_duty is not None and self.extra_duty < 0:
            errors["extra_duty"] = _("Extra duty cannot be negative.")
        if errors:
            raise ValidationError(errors)
        self.critical = self.critical or self.seizure or bool(CRITICAL_TYPES & set(kinds))
