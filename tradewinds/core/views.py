from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewinds.errors import TradewindsError

from . import services
from .dashboard import collect_cards
from .demo import demo_accounts
from .forms import ApiKeyForm, CompanyForm
from .models import ApiKey, AuditEntry, Company
from .permissions import COMPANY_EDITORS, COMPANY_READERS, role_required
from .roles import Role


def apply_service_error(form, error: TradewindsError) -> None:
    """Show a service's field errors on the form fields they name, the rest on top."""
    for item in error.errors:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, item.get("msg", error.detail))
    if not error.errors:
        form.add_error(None, error.detail)


def paginate(request: HttpRequest, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means the database cannot answer
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class TradewindsLoginView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = demo_accounts() if settings.DEMO_MODE else []
        return context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"cards": collect_cards(request.user)})


@role_required(*COMPANY_READERS)
def company_list(request: HttpRequest) -> HttpResponse:
    companies = Company.objects.for_user(request.user).select_related("administration")
    query = request.GET.get("q", "").strip()
    if query:
        companies = companies.filter(Q(name__icontains=query) | Q(tax_id__icontains=query))
    kind = request.GET.get("kind", "")
    if kind in Company.Kind.values:
        # JSON containment differs by database; kinds are few, so match the quoted value.
        companies = companies.filter(kinds__icontains=f'"{kind}"')
    return render(
        request,
        "core/company_list.html",
        {
            "page": paginate(request, companies.order_by("name")),
            "q": query,
            "kind": kind,
            "kinds": Company.Kind.choices,
            "can_edit": request.user.has_role(*COMPANY_EDITORS),
        },
    )


@role_required(*COMPANY_READERS)
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    company = Company.objects.for_user(request.user).filter(pk=company_id).first()
    if company is None:
        raise Http404
    history = AuditEntry.objects.filter(object_type="core.company", object_id=str(company.pk)).order_by("-id")[:20]
    return render(
        request,
        "core/company_detail.html",
        {
            "company": company,
            "history": history,
            "can_edit": request.user.has_role(*COMPANY_EDITORS)
            and company.administration_id == request.user.administration_id,
        },
    )


@role_required(*COMPANY_EDITORS)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company(request.user, form.cleaned_data)
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Company %(name)s registered.") % {"name": company.name})
            return redirect("company_detail", company_id=company.pk)
    return render(request, "core/company_form.html", {"form": form, "title": _("New company")})


@role_required(*COMPANY_EDITORS)
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    company = Company.objects.owned_by(request.user).filter(pk=company_id).first()
    if company is None:
        raise Http404
    initial = {field: getattr(company, field) for field in services.COMPANY_FIELDS}
    form = CompanyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_company(request.user, company.pk, form.cleaned_data)
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Company updated."))
            return redirect("company_detail", company_id=company.pk)
    return render(request, "core/company_form.html", {"form": form, "title": company.name})


@role_required(Role.MANAGER, Role.PLATFORM_ADMIN)
def audit_trail(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("administration").order_by("-id")
    if not request.user.is_platform_admin:
        entries = entries.filter(administration_id=request.user.administration_id)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    return render(
        request, "core/audit_list.html", {"page": paginate(request, entries, 50), "action": action, "actor": actor}
    )


@role_required(Role.MANAGER, Role.PLATFORM_ADMIN)
def api_key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, actor=request.user)
    raw_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, raw_key = services.create_api_key(
                request.user, form.cleaned_data["client"], form.cleaned_data["name"]
            )
        except TradewindsError as error:
            apply_service_error(form, error)
        else:
            form = ApiKeyForm(actor=request.user)
    keys = ApiKey.objects.owned_by(request.user).select_related("user").order_by("-created_at")
    return render(request, "core/api_keys.html", {"form": form, "keys": keys, "raw_key": raw_key})


@require_POST
@role_required(Role.MANAGER, Role.PLATFORM_ADMIN)
def api_key_revoke(request: HttpRequest, apikey_id: int) -> HttpResponse:
    try:
        services.revoke_api_key(request.user, apikey_id)
    except TradewindsError as error:
        if error.status == 404:
            raise Http404 from error
        raise
    messages.success(request, _("Key revoked."))
    return redirect("api_keys")
