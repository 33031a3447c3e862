"""The customs side of the file: validation visits and their checklist, findings, decisions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned

from .application import AeoApplication
from .programme import AeoCriterion


class AeoValidationVisit(TenantOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="visits")
    planned_for = models.DateField(_("date"))
    location = models.CharField(_("site"), max_length=200)
    scope = models.TextField(_("scope and plan"), blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    report = models.TextField(_("report"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_for", "id"]
        verbose_name = _("validation visit")

    def __str__(self) -> str:
        return f"V-{self.pk}"


class AeoVisitCheck(TenantOwned):
    """One line of a visit's checklist: what the officer saw against one criterion."""

    class Result(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_CHECKED = "not_checked", _("Not checked")

    visit = models.ForeignKey(AeoValidationVisit, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(AeoCriterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=12, choices=Result.choices, default=Result.NOT_CHECKED)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["criterion__area__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["visit", "criterion"], name="aeo_visit_check_unique")]

    def __str__(self) -> str:
        return f"VC-{self.pk}"


class AeoFinding(TenantOwned):
    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("Requirement (must be fixed before certification)")
        RECOMMENDATION = "recommendation", _("Recommendation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered by the trader")
        CLOSED = "closed", _("Closed")

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="findings")
    visit = models.ForeignKey(AeoValidationVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    criterion = models.ForeignKey(AeoCriterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("finding"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("finding")

    def __str__(self) -> str:
        return f"F-{self.pk}"

    @property
    def is_requirement(self) -> bool:
        return self.kind == self.Kind.REQUIREMENT

    def clean(self) -> None:
        if self.kind == self.Kind.REQUIREMENT and self.deadline is None:
            raise ValidationError({"deadline": _("A requirement needs a deadline.")})
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Describe the finding.")})


class AeoFindingResponse(TenantOwned):
    finding = models.ForeignKey(AeoFinding, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"FR-{self.pk}"


class AeoDecision(TenantOwned):
    class Outcome(models.TextChoices):
        CERTIFY = "certify", _("Certify")
        REFUSE = "refuse", _("Refuse")
        MORE_INFO = "more_info", _("Ask for more information")

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"D-{self.pk}"

    def clean(self) -> None:
        if self.outcome != self.Outcome.CERTIFY and not (self.reasons or "").strip():
            raise ValidationError({"reasons": _("Give the reasons, so the trader knows what to do.")})
