"""Beyond one administration's file: mutual recognition arrangements, the holder's consent, outreach."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned

from .certificate import AeoCertificate


class AeoRecognitionArrangement(TenantOwned):
    """This administration's side of a mutual recognition arrangement with a partner: it honours the
    partner's AEOs (those who consented) as its own, with the risk factor below."""

    partner = models.ForeignKey("core.Administration", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    in_force = models.BooleanField(_("in force"), default=True)
    risk_factor = models.FloatField(_("risk factor for recognised AEOs"), default=0.6)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("mutual recognition arrangement")
        constraints = [
            models.UniqueConstraint(fields=["administration", "partner"], name="aeo_arrangement_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.partner_id and self.partner_id == self.administration_id:
            raise ValidationError({"partner": _("An arrangement is made with another administration.")})
        if not 0.05 <= self.risk_factor <= 1.0:
            raise ValidationError({"risk_factor": _("A risk factor lies between 0.05 and 1.")})


class AeoRecognitionConsent(TenantOwned):
    """The holder's recorded consent that its status be shown to and honoured by one partner."""

    certificate = models.ForeignKey(AeoCertificate, on_delete=models.CASCADE, related_name="consents")
    partner = models.ForeignKey("core.Administration", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "partner"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="aeo_consent_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"MC-{self.pk}"


class AeoOutreachEvent(TenantOwned):
    class Kind(models.TextChoices):
        CONSULTATIVE = "consultative", _("Consultative group meeting")
        WORKSHOP = "workshop", _("Educational workshop")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), default=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("outreach event")

    def __str__(self) -> str:
        return self.title


class AeoEventRegistration(TenantOwned):
    event = models.ForeignKey(AeoOutreachEvent, on_delete=models.CASCADE, related_name="registrations")
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    attendee = models.CharField(_("attendee"), max_length=150)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "company", "attendee"], name="aeo_registration_unique"),
        ]

    def __str__(self) -> str:
        return f"ER-{self.pk}"
