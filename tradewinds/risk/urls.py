from django.urls import path

from .views import decisions, lists, rules

app_name = "risk"

urlpatterns = [
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/backtest/", rules.rule_backtest, name="rule_backtest"),
    path("rules/criterion-row/", rules.criterion_row, name="criterion_row"),
    path("rules/<int:riskrule_id>/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:riskrule_id>/versions/", rules.rule_versions, name="rule_versions"),
    path("rules/<int:riskrule_id>/activate/", rules.rule_activate, name="rule_activate"),
    path("rules/<int:riskrule_id>/retire/", rules.rule_retire, name="rule_retire"),
    path("lists/", lists.list_index, name="list_index"),
    path("lists/new/", lists.list_create, name="list_create"),
    path("lists/<int:namedlist_id>/", lists.list_detail, name="list_detail"),
    path(
        "lists/<int:namedlist_id>/entries/<int:namedlistentry_id>/delete/",
        lists.list_entry_delete,
        name="list_entry_delete",
    ),
    path("settings/", lists.selectivity_settings, name="settings"),
    path("performance/", decisions.performance_page, name="performance"),
    path("declarations/<int:declaration_id>/", decisions.decision, name="decision"),
    path("declarations/<int:declaration_id>/override/", decisions.override, name="override"),
    path("declarations/<int:declaration_id>/outcome/", decisions.outcome, name="outcome"),
]
