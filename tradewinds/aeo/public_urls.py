"""Public (no login) routes of the AEO programme. The root URLconf mounts these at the site root so
the verification page answers at exactly /verify/<code>/ (the middleware lists /verify/ as public):

    path("", include("tradewinds.aeo.public_urls")),
"""

from django.urls import path

from .views.public import verify_certificate

urlpatterns = [
    path("verify/<str:code>/", verify_certificate, name="verify_certificate"),
]
