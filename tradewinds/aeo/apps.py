from django.apps import AppConfig


class AeoConfig(AppConfig):
    name = "tradewinds.aeo"
    label = "aeo"
