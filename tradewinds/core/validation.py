"""Two checks every service makes before it writes: the actor's role, and the model's own rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tradewinds.errors import Forbidden, from_django_validation


def check_role(actor, *roles: str) -> None:
    """Raise Forbidden unless the acting user holds one of the roles (deny by default)."""
    if not actor.has_role(*roles):
        raise Forbidden(_("Your role does not allow this."))


def full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's validation (fields and clean()) and raise our error with field paths."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise from_django_validation(error) from error
