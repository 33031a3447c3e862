from django.urls import path

from . import views

app_name = "detection"

urlpatterns = [
    path("models/", views.model_list, name="model_list"),
    path("models/train/", views.train, name="train"),
    path("models/compare/", views.model_compare, name="model_compare"),
    path("models/<int:modelversion_id>/", views.model_detail, name="model_detail"),
    path("models/<int:modelversion_id>/activate/", views.model_activate, name="model_activate"),
    path("training/<int:trainingrun_id>/", views.run_progress, name="run_progress"),
    path("settings/", views.detection_settings, name="settings"),
]
