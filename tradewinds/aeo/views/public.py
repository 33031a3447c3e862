"""The public verification page: anyone holding a certificate (or its QR code) can check it,
without logging in. It shows only the holder's name, the status type, the status and the validity."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..models import AeoCertificate


@require_GET
@never_cache
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    certificate = (
        AeoCertificate.objects.select_related("company", "programme_type", "administration")
        .filter(verification_code=code.strip().upper())
        .first()
    )
    context = {"certificate": certificate, "code": code}
    if certificate is not None:
        context["public_status"] = certificate.public_status()
    return render(request, "aeo/verify.html", context, status=200 if certificate else 404)
