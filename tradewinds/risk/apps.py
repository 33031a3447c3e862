from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "tradewinds.risk"
    label = "risk"
