from django.contrib import admin

from tradewinds.core.admin import AuditedAdmin

from .models import InspectionOutcome, LaneDecision, NamedList, RiskRule, RiskRuleVersion


@admin.register(RiskRule)
class RiskRuleAdmin(AuditedAdmin):
    list_display = ("name", "administration", "status", "owner", "updated_at")
    list_filter = ("administration", "status")
    # Rules change through the rule editor, which validates and versions them.
    readonly_fields = ("current_version",)


@admin.register(RiskRuleVersion)
class RiskRuleVersionAdmin(admin.ModelAdmin):
    list_display = ("rule", "number", "weight", "lane", "created_by", "created_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # versions are immutable: decisions point at them


@admin.register(NamedList)
class NamedListAdmin(AuditedAdmin):
    list_display = ("name", "title", "kind", "administration")


@admin.register(LaneDecision)
class LaneDecisionAdmin(admin.ModelAdmin):
    list_display = ("declaration", "lane", "decided_by", "score", "decided_at", "current")
    list_filter = ("administration", "lane", "current")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # overrides go through the service, which audits them


@admin.register(InspectionOutcome)
class InspectionOutcomeAdmin(admin.ModelAdmin):
    list_display = ("declaration", "result", "seizure", "examiner", "recorded_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
