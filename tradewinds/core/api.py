"""Platform routes: who am I, companies, reference look-ups."""

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tradewinds.core import reference, services
from tradewinds.core.models import Company
from tradewinds.core.permissions import COMPANY_READERS, require_role
from tradewinds.core.roles import Role
from tradewinds.errors import NotFound

PREFIX = "/v1/"
router = Router(tags=["platform"])

API_COMPANY_READERS = (*COMPANY_READERS, Role.PARTNER_AGENCY)


class MeSchema(Schema):
    username: str
    role: str
    administration: str | None = Field(None, alias="administration.code")


class CompanySchema(Schema):
    id: int
    name: str
    tax_id: str
    country: str
    kinds: list[str]
    email: str
    address: str


class CompanyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    tax_id: str = Field(..., min_length=1, max_length=40)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166 alpha-2")
    kinds: list[str] = Field(..., min_length=1)
    email: str = ""
    address: str = ""


class HsCodeSchema(Schema):
    code: str
    description: str
    section: str
    level: int


def _user(request):
    return request.auth


@router.get("me", response=MeSchema, summary="The authenticated user")
def me(request):
    return _user(request)


@router.get("companies", response=list[CompanySchema], summary="Companies of your administration")
@paginate(PageNumberPagination)
def list_companies(request, q: str = ""):
    require_role(request, *API_COMPANY_READERS)
    companies = Company.objects.for_user(_user(request)).order_by("name")
    return companies.filter(name__icontains=q) if q else companies


@router.get("companies/{company_id}", response=CompanySchema)
def get_company(request, company_id: int):
    require_role(request, *API_COMPANY_READERS)
    company = Company.objects.for_user(_user(request)).filter(pk=company_id).first()
    if company is None:
        raise NotFound("No such company.")
    return company


@router.post("companies", response={201: CompanySchema}, summary="Register a company")
def create_company(request, payload: CompanyIn):
    return Status(201, services.create_company(_user(request), payload.dict()))


@router.get("reference/hs/{code}", response=HsCodeSchema, summary="Look up an HS 2022 code")
def hs_code(request, code: str):
    entry = reference.hs_entry(code)
    if entry is None:
        raise NotFound(f"{code} is not an HS 2022 code.")
    return entry
