from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import audit
from .models import Administration, ApiKey, AuditEntry, Company, Share, User


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the Django admin go into the audit trail like any other."""

    def save_model(self, request, obj, form, change):
        before = _without_secrets(audit.snapshot(type(obj).objects.get(pk=obj.pk))) if change else None
        super().save_model(request, obj, form, change)
        action = f"admin.{obj._meta.model_name}.{'changed' if change else 'added'}"
        audit.record(action, actor=request.user, obj=obj, before=before, after=_without_secrets(audit.snapshot(obj)))

    def delete_model(self, request, obj):
        before = _without_secrets(audit.snapshot(obj))
        audit.record(f"admin.{obj._meta.model_name}.deleted", actor=request.user, obj=obj, before=before)
        super().delete_model(request, obj)


def _without_secrets(values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in {"password", "key_hash"}}


@admin.register(Administration)
class AdministrationAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "country", "currency", "time_zone")


@admin.register(User)
class TradewindsUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "role", "administration", "company", "is_active")
    list_filter = ("role", "administration", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Tradewinds", {"fields": ("role", "administration", "company", "language")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Tradewinds", {"fields": ("role", "administration", "company")}),)


@admin.register(Company)
class CompanyAdmin(AuditedAdmin):
    list_display = ("name", "tax_id", "country", "administration")
    list_filter = ("administration",)
    search_fields = ("name", "tax_id")


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(Share)
class ShareAdmin(AuditedAdmin):
    list_display = ("administration", "shared_with", "content_type", "object_id", "handling", "created_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is appended by services, never edited."""

    list_display = ("id", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _platform_admin_only(request) -> bool:
    return request.user.is_active and request.user.is_platform_admin


admin.site.has_permission = _platform_admin_only
admin.site.site_header = "Tradewinds administration"
