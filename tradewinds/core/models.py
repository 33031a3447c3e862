import hashlib
import secrets
import zoneinfo

import pycountry
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import CUSTOMS_STAFF, Role
from .tenancy import TenantOwned

SUPPORTED_LANGUAGES = ("en", "es", "fr", "nl")


def validate_country(code: str) -> None:
    if not code or pycountry.countries.get(alpha_2=code.upper()) is None:
        raise ValidationError(_("%(code)s is not an ISO 3166 country code."), params={"code": code})


def validate_currency(code: str) -> None:
    if not code or pycountry.currencies.get(alpha_3=code.upper()) is None:
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."), params={"code": code})


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("%(name)s is not a known time zone."), params={"name": name})


class Administration(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member administration")
        REGIONAL = "regional", _("Regional office")

    code = models.SlugField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEMBER)
    country = models.CharField(_("country"), max_length=2, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_regional(self) -> bool:
        return self.kind == self.Kind.REGIONAL

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.MEMBER:
            for field, check in (("country", validate_country), ("currency", validate_currency)):
                try:
                    check(getattr(self, field))
                except ValidationError as error:
                    errors[field] = error
        try:
            validate_time_zone(self.time_zone)
        except ValidationError as error:
            errors["time_zone"] = error
        unknown = [lang for lang in self.languages if lang not in SUPPORTED_LANGUAGES]
        if unknown or not self.languages:
            errors["languages"] = ValidationError(
                _("Choose one or more of: %(langs)s."), params={"langs": ", ".join(SUPPORTED_LANGUAGES)}
            )
        if errors:
            raise ValidationError(errors)
        self.country = self.country.upper()
        self.currency = self.currency.upper()


class User(AbstractUser):
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    language = models.CharField(_("language"), max_length=5, blank=True)

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.role == Role.PLATFORM_ADMIN

    @property
    def is_customs_staff(self) -> bool:
        return self.role in CUSTOMS_STAFF

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles

    def clean(self) -> None:
        super().clean()
        if self.role != Role.PLATFORM_ADMIN and self.administration_id is None:
            raise ValidationError(
                {"administration": _("Every user except a platform administrator belongs to an administration.")}
            )
        if self.role == Role.TRADER and self.company_id is None:
            raise ValidationError({"company": _("A trader is linked to a company.")})
        if self.company_id and self.company.administration_id != self.administration_id:
            raise ValidationError({"company": _("The company belongs to another administration.")})


class Company(TenantOwned):
    class Kind(models.TextChoices):
        IMPORTER = "importer", _("Importer")
        EXPORTER = "exporter", _("Exporter")
        BROKER = "broker", _("Customs broker")
        CARRIER = "carrier", _("Carrier")
        WAREHOUSE = "warehouse", _("Warehouse")
        PORT_OPERATOR = "port_operator", _("Port operator")

    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(_("tax ID"), max_length=40)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    kinds = models.JSONField(_("kinds"), default=list)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [models.UniqueConstraint(fields=["administration", "tax_id"], name="company_tax_id_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(self.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]

    def clean(self) -> None:
        self.country = (self.country or "").upper()
        self.tax_id = (self.tax_id or "").strip()
        valid_kinds = set(self.Kind.values)
        if not self.kinds or any(kind not in valid_kinds for kind in self.kinds):
            raise ValidationError(
                {"kinds": _("Choose one or more of: %(kinds)s.") % {"kinds": ", ".join(sorted(valid_kinds))}}
            )


class ApiKey(TenantOwned):
    """A key for a machine client. Only a SHA-256 of the key is stored: keys are 256-bit random,
    so a fast hash is safe here (no dictionary to attack) and keeps every API call cheap."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @staticmethod
    def new_raw_key() -> str:
        return "tw_" + secrets.token_urlsafe(32)


class Share(models.Model):
    """An explicit grant: one administration lets another read one of its records."""

    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="shares_given")
    shared_with = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="shares_received")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    shared_object = GenericForeignKey("content_type", "object_id")
    handling = models.CharField(_("handling"), max_length=20, default="TLP:AMBER")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shared_with", "content_type", "object_id"], name="share_unique")
        ]
        indexes = [models.Index(fields=["shared_with", "content_type"])]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id} shared with {self.shared_with}"


class AuditHead(models.Model):
    """A single row holding the newest hash of the audit chain; appends lock it so two writers
    can never fork the chain."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head after {self.count} entries"


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=150)
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = models.Manager()

    class Meta:
        ordering = ["id"]
        # A constraint, not unique=True, which on PostgreSQL also builds a LIKE index nobody uses.
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_entry_hash_unique")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit trail is append-only.")
