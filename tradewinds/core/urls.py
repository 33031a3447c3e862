from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("companies/", views.company_list, name="companies"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("api-keys/", views.api_key_list, name="api_keys"),
    path("api-keys/<int:apikey_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
