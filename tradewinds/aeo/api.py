"""AEO over the API: applications (a trader's own, an officer's or manager's administration's),
their status and timeline, the message thread, and certificate status."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tradewinds.core.roles import Role
from tradewinds.errors import Forbidden

from .models import AeoApplication, AeoCertificate, AeoMessage
from .services import conversation
from .services._common import get_application, get_certificate, scoped

PREFIX = "/v1/aeo"
router = Router(tags=["aeo"])
READERS = (Role.TRADER, Role.AEO_OFFICER, Role.MANAGER)


class ApplicationSchema(Schema):
    id: int
    company_id: int
    company: str = Field(..., alias="company.name")
    programme_type: str = Field(..., alias="programme_type.code")
    business_type: str
    status: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None


class StatusChangeSchema(Schema):
    from_status: str
    to_status: str
    note: str
    at: datetime


class ApplicationStatusSchema(Schema):
    id: int
    status: str
    open_requirements: int
    timeline: list[StatusChangeSchema]


class MessageSchema(Schema):
    id: int
    from_customs: bool
    author: str | None = Field(None, alias="author.username")
    body: str
    created_at: datetime


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class CertificateSchema(Schema):
    id: int
    number: str
    company: str = Field(..., alias="company.name")
    programme_type: str = Field(..., alias="programme_type.code")
    status: str
    public_status: str
    issued_on: date
    valid_until: date
    next_self_review_due: date

    @staticmethod
    def resolve_public_status(obj: AeoCertificate) -> str:
        return obj.public_status()


def _user(request):
    user = request.auth
    if not user.has_role(*READERS):
        raise Forbidden("Your role does not allow this.")
    return user


@router.get("applications", response=list[ApplicationSchema], summary="AEO applications you may see")
@paginate(PageNumberPagination)
def list_applications(request, status: str = ""):
    applications = scoped(AeoApplication.objects.all(), _user(request), write=False)
    applications = applications.select_related("company", "programme_type").order_by("-created_at", "-id")
    return applications.filter(status=status) if status else applications


@router.get("applications/{aeoapplication_id}", response=ApplicationSchema)
def application(request, aeoapplication_id: int):
    return get_application(_user(request), aeoapplication_id)


@router.get("applications/{aeoapplication_id}/status", response=ApplicationStatusSchema, summary="Status and timeline")
def application_status(request, aeoapplication_id: int):
    found = get_application(_user(request), aeoapplication_id)
    open_count = found.findings.filter(kind="requirement").exclude(status="closed").count()
    return {"id": found.pk, "status": found.status, "open_requirements": open_count, "timeline": found.timeline.all()}


@router.get("applications/{aeoapplication_id}/messages", response=list[MessageSchema], summary="The company's thread")
def messages(request, aeoapplication_id: int):
    found = get_application(_user(request), aeoapplication_id)
    return AeoMessage.objects.filter(company_id=found.company_id).select_related("author")


@router.post("applications/{aeoapplication_id}/messages", response={201: MessageSchema}, summary="Write to the thread")
def post_message(request, aeoapplication_id: int, payload: MessageIn):
    user = _user(request)
    found = get_application(user, aeoapplication_id)
    return Status(201, conversation.post_message(user, found.company_id, payload.body))


@router.get("certificates", response=list[CertificateSchema], summary="Certificates you may see")
@paginate(PageNumberPagination)
def list_certificates(request):
    certificates = scoped(AeoCertificate.objects.all(), _user(request), write=False)
    return certificates.select_related("company", "programme_type").order_by("-issued_on", "-id")


@router.get("certificates/{aeocertificate_id}", response=CertificateSchema, summary="Certificate status")
def certificate(request, aeocertificate_id: int):
    return get_certificate(_user(request), aeocertificate_id)
