from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Administration, ApiKey, AuditEntry, Company, Share, User


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "country", "currency", "time_zone")


@admin.register(User)
class TradewindsUserAdmin(UserAdmin):
    list_display = ("username", "role", "administration", "company", "is_active")
    list_filter = ("role", "administration", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Tradewinds", {"fields": ("role", "administration", "company", "language")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Tradewinds", {"fields": ("role", "administration", "company")}),)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_id", "country", "administration")
    list_filter = ("administration",)
    search_fields = ("name", "tax_id")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
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
