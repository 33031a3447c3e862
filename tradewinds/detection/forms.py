from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DetectionSettings


class DetectionSettingsForm(forms.ModelForm):
    class Meta:
        model = DetectionSettings
        fields = ["exploration_share", "uncertain_share", "min_probability", "exploration_lane"]
        help_texts = {
            "exploration_share": _("Share of the inspection budget kept for exploration, e.g. 0.1 = 10 %."),
            "uncertain_share": _(
                "Share of the exploration spent on the declarations the model is least sure about; the rest "
                "is random selection, which the minimum random rates of the selectivity settings provide."
            ),
        }
        widgets = {
            "exploration_share": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "0.5"}),
            "uncertain_share": forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
            "min_probability": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "0.49"}),
        }
