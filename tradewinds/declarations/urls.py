from django.urls import path

from .views import declarations, imports

app_name = "declarations"

urlpatterns = [
    path("", declarations.declaration_list, name="list"),
    path("export.csv", declarations.declaration_export, name="export"),
    path("new/", declarations.declaration_new, name="new"),
    path("<int:declaration_id>/", declarations.declaration_detail, name="detail"),
    path("<int:declaration_id>/release/", declarations.declaration_release, name="release"),
    path("import/", imports.import_upload, name="import"),
    path("import/<int:importbatch_id>/", imports.import_batch, name="import_batch"),
    path("import/<int:importbatch_id>/progress/", imports.import_progress, name="import_progress"),
    path("profiles/", imports.profile_list, name="profile_list"),
    path("profiles/new/", imports.profile_edit, name="profile_create"),
    path("profiles/<int:importprofile_id>/", imports.profile_edit, name="profile_edit"),
]
