from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "tradewinds.declarations"
    label = "declarations"
