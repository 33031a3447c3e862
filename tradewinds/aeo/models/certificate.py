"""The certificate and its life: self-reviews, revalidation, suspension, reinstatement, revocation,
withdrawal. Nothing is overwritten without an event, so the history stays whole."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned

from .application import AeoApplication
from .programme import AeoProgrammeType

# Crockford-like alphabet: no 0/O or 1/I/L to misread when typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class AeoCertificate(TenantOwned):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        WITHDRAWN = "withdrawn", _("Withdrawn at the holder's request")

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(AeoApplication, on_delete=models.PROTECT, related_name="certificate")
    programme_type = models.ForeignKey(AeoProgrammeType, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("number"), max_length=40)
    verification_code = models.CharField(max_length=14, unique=True, default=new_verification_code)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("revalidation due"))
    next_self_review_due = models.DateField(_("next self-review due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID, db_index=True)
    suspension_reason = models.TextField(blank=True)
    response_due = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=5, default="en")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("AEO certificate")
        constraints = [models.UniqueConstraint(fields=["administration", "number"], name="aeo_certificate_number")]

    def __str__(self) -> str:
        return self.number

    def public_status(self, today=None) -> str:
        """What the verification page says: a valid certificate past its revalidation date is expired."""
        today = today or timezone.localdate()
        if self.status == self.Status.VALID and self.valid_until < today:
            return "expired"
        return self.status

    def is_valid_on(self, today=None) -> bool:
        return self.public_status(today) == self.Status.VALID


class AeoCertificateEvent(TenantOwned):
    class Kind(models.TextChoices):
        ISSUED = "issued", _("Certified")
        SELF_REVIEW = "self_review", _("Annual self-review submitted")
        REVALIDATED = "revalidated", _("Revalidated")
        SUSPENDED = "suspended", _("Suspended")
        HOLDER_RESPONSE = "holder_response", _("Holder answered the suspension")
        REINSTATED = "reinstated", _("Reinstated")
        REVOKED = "revoked", _("Revoked")
        WITHDRAWN = "withdrawn", _("Withdrawn at the holder's request")
        CONSENT_GIVEN = "consent_given", _("Consent to mutual recognition given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to mutual recognition withdrawn")

    certificate = models.ForeignKey(AeoCertificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"CE-{self.pk}"


class AeoSelfReview(TenantOwned):
    """The holder's annual statement that it still meets the criteria, and what changed."""

    certificate = models.ForeignKey(AeoCertificate, on_delete=models.CASCADE, related_name="self_reviews")
    period_due = models.DateField()
    still_compliant = models.BooleanField(_("we still meet every criterion"))
    changes = models.TextField(_("changes since the last review (sites, owners, procedures, incidents)"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"SR-{self.pk}"


class AeoReminder(TenantOwned):
    """A reminder sent for one due date; the unique key makes the daily scan idempotent."""

    class Kind(models.TextChoices):
        SELF_REVIEW = "self_review", _("Self-review due")
        REVALIDATION = "revalidation", _("Revalidation due")
        SUSPENSION_RESPONSE = "suspension_response", _("Suspension response window closing")
        FINDING_DEADLINE = "finding_deadline", _("Finding deadline")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    certificate = models.ForeignKey(AeoCertificate, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    finding = models.ForeignKey("aeo.AeoFinding", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_on = models.DateField()
    stage = models.CharField(max_length=10)  # "upcoming" or "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        # NULLs never collide in a unique index, so certificate and finding reminders get one each.
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "certificate", "due_on", "stage"],
                condition=models.Q(finding__isnull=True),
                name="aeo_certificate_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "finding", "due_on", "stage"],
                condition=models.Q(certificate__isnull=True),
                name="aeo_finding_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"
