"""Programme set-up: AEO types and their benefits, the SAFE Framework areas and the criteria catalogue.

Criteria are versioned row by row: editing a criterion adds a new version and retires the old one,
so every answer keeps pointing at the exact wording the trader answered."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.models import Company
from tradewinds.core.tenancy import TenantOwned

BUSINESS_TYPES = Company.Kind


class AeoProgrammeType(TenantOwned):
    """An AEO status an administration grants, e.g. security and safety, or customs simplifications."""

    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # A simplifications-only status (like the EU's AEOC) is validated without the security areas.
    includes_security = models.BooleanField(_("includes security and safety criteria"), default=True)
    revalidation_years = models.PositiveSmallIntegerField(_("revalidation every (years)"), default=4)
    self_review_months = models.PositiveSmallIntegerField(_("self-review every (months)"), default=12)
    suspension_response_days = models.PositiveSmallIntegerField(_("days to answer a suspension"), default=30)
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("AEO programme type")
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="aeo_type_code_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if not 1 <= self.revalidation_years <= 10:
            errors["revalidation_years"] = _("Choose between 1 and 10 years.")
        if not 1 <= self.self_review_months <= 24:
            errors["self_review_months"] = _("Choose between 1 and 24 months.")
        if not 5 <= self.suspension_response_days <= 120:
            errors["suspension_response_days"] = _("Choose between 5 and 120 days.")
        if errors:
            raise ValidationError(errors)


class AeoBenefit(TenantOwned):
    class Kind(models.TextChoices):
        FEWER_INSPECTIONS = "fewer_inspections", _("Fewer physical and document inspections")
        PRIORITY = "priority", _("Priority treatment when selected for inspection")
        SIMPLIFIED = "simplified", _("Simplified declarations")
        GUARANTEE = "guarantee", _("Reduced guarantee")
        RECOGNITION = "recognition", _("Recognition by partner administrations")
        OTHER = "other", _("Other")

    programme_type = models.ForeignKey(AeoProgrammeType, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    # Multiplies the risk score of the AEO's declarations; only FEWER_INSPECTIONS uses it.
    risk_factor = models.FloatField(_("risk factor"), default=1.0)

    class Meta:
        ordering = ["programme_type", "kind"]
        verbose_name = _("AEO benefit")

    def __str__(self) -> str:
        return f"{self.programme_type}: {self.get_kind_display()}"

    def clean(self) -> None:
        if not 0.05 <= self.risk_factor <= 1.0:
            raise ValidationError({"risk_factor": _("A risk factor lies between 0.05 and 1.")})
        if self.kind != self.Kind.FEWER_INSPECTIONS and self.risk_factor != 1.0:
            raise ValidationError({"risk_factor": _("Only the 'fewer inspections' benefit changes the risk score.")})


class AeoCriteriaArea(TenantOwned):
    """A requirement area of the WCO SAFE Framework (Pillar 2, Annex IV)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    security = models.BooleanField(_("security and safety area"), default=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("criteria area")
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="aeo_area_code_unique")]

    def __str__(self) -> str:
        return self.name


class AeoCriterion(TenantOwned):
    class Level(models.TextChoices):
        MUST = "must", _("Must")
        SHOULD = "should", _("Should")

    area = models.ForeignKey(AeoCriteriaArea, on_delete=models.PROTECT, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True, db_index=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("guidance and evidence expected"), blank=True)
    level = models.CharField(_("level"), max_length=6, choices=Level.choices, default=Level.MUST)
    business_types = models.JSONField(_("business types"), default=list, blank=True)
    change_note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["area__order", "code", "-version"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["administration", "code", "version"], name="aeo_criterion_version_unique"),
            models.UniqueConstraint(
                fields=["administration", "code"],
                condition=models.Q(is_current=True),
                name="aeo_criterion_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_must(self) -> bool:
        return self.level == self.Level.MUST

    def applies_to(self, business_type: str) -> bool:
        return not self.business_types or business_type in self.business_types

    def clean(self) -> None:
        valid = set(BUSINESS_TYPES.values)
        if any(kind not in valid for kind in self.business_types):
            raise ValidationError(
                {"business_types": _("Choose among: %(kinds)s.") % {"kinds": ", ".join(sorted(valid))}}
            )
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Write the criterion.")})


class AeoPreApplicationCheck(TenantOwned):
    """One question of the pre-application self-check, with the reason shown when it is not met."""

    code = models.SlugField(_("code"), max_length=40)
    question = models.CharField(_("question"), max_length=300)
    not_ready_reason = models.CharField(_("reason shown when not met"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("pre-application check")
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="aeo_precheck_code_unique")]

    def __str__(self) -> str:
        return self.question
