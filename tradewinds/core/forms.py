import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Company, User
from .roles import Role


def country_choices() -> list[tuple[str, str]]:
    return [("", "—")] + sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda item: item[1])


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax ID"), max_length=40)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=Company.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Key name"), max_length=100)
    client = forms.ModelChoiceField(label=_("Client user"), queryset=User.objects.none())

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        clients = User.objects.filter(role=Role.PARTNER_AGENCY, is_active=True)
        if not actor.is_platform_admin:
            clients = clients.filter(administration_id=actor.administration_id)
        self.fields["client"].queryset = clients.order_by("username")
