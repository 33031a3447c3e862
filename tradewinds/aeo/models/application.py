"""The trader's side of the file: pre-application, application, answers, evidence, timeline, messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned

from .programme import BUSINESS_TYPES, AeoCriterion, AeoProgrammeType


class AeoPreApplication(TenantOwned):
    """One run of the pre-application self-check: the answers and the verdict given at once."""

    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    programme_type = models.ForeignKey(AeoProgrammeType, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)  # check code -> bool
    ready = models.BooleanField(default=False)
    reasons = models.JSONField(default=list)  # the "not yet, because …" lines
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pre-application")

    def __str__(self) -> str:
        return f"PA-{self.pk}"


class AeoApplication(TenantOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        VALIDATION = "validation", _("Under validation")
        INFO_REQUESTED = "info_requested", _("More information requested")
        CERTIFIED = "certified", _("Certified")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.VALIDATION, Status.INFO_REQUESTED)
    # States in which the trader may edit answers.
    EDITABLE_STATUSES = (Status.DRAFT, Status.INFO_REQUESTED)
    # States in which customs works on the file.
    OFFICER_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.VALIDATION)

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    programme_type = models.ForeignKey(AeoProgrammeType, on_delete=models.PROTECT, related_name="applications")
    business_type = models.CharField(_("business type"), max_length=20, choices=BUSINESS_TYPES.choices)
    pre_application = models.ForeignKey(AeoPreApplication, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("AEO application")

    def __str__(self) -> str:
        return f"AEO-{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AeoAnswer(TenantOwned):
    class Compliance(models.TextChoices):
        YES = "yes", _("In place")
        PARTLY = "partly", _("Partly in place")
        NO = "no", _("Not in place")
        NOT_APPLICABLE = "not_applicable", _("Not applicable to us")

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(AeoCriterion, on_delete=models.PROTECT, related_name="+")
    compliance = models.CharField(_("status"), max_length=16, choices=Compliance.choices, blank=True)
    text = models.TextField(_("how you meet it"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__area__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="aeo_answer_unique")]

    def __str__(self) -> str:
        return f"{self.application} {self.criterion.code}"

    @property
    def is_complete(self) -> bool:
        return bool(self.compliance) and (self.compliance == self.Compliance.NOT_APPLICABLE or bool(self.text.strip()))


class AeoEvidenceFile(TenantOwned):
    """An uploaded document. The bytes live under MEDIA_ROOT and leave only through a checked view."""

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="evidence")
    answer = models.ForeignKey(AeoAnswer, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    original_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.original_name


class AeoStatusChange(TenantOwned):
    """The application's timeline, shown to trader and officer alike."""

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="timeline")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=AeoApplication.Status.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} → {self.to_status}"


class AeoMessage(TenantOwned):
    """The thread between a company and the AEO office; it outlives the application (before and
    after certification), so it hangs on the company."""

    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        AeoApplication, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_customs = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"M-{self.pk}"


class AeoComplianceProfile(TenantOwned):
    """A dated snapshot of what Tradewinds' own records say about the applicant."""

    application = models.ForeignKey(AeoApplication, on_delete=models.CASCADE, related_name="profiles")
    period_start = models.DateField()
    period_end = models.DateField()
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"CP-{self.pk}"
