"""The one filtering path for tenant-owned data.

Every model that belongs to an administration inherits `TenantOwned`; reads go through
`Model.objects.for_user(user)`, which returns the user's own administration's rows plus those
explicitly shared with it (a `Share` record), never a missing filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from .models import User


class TenantQuerySet(models.QuerySet):
    def for_user(self, user: User) -> TenantQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        if user.administration_id is None:
            return self.none()
        return self.for_administration(user.administration_id)

    def for_administration(self, administration_id: int) -> TenantQuerySet:
        from .models import Share

        shared_ids = Share.objects.filter(
            shared_with_id=administration_id,
            content_type=ContentType.objects.get_for_model(self.model),
        ).values("object_id")
        return self.filter(models.Q(administration_id=administration_id) | models.Q(pk__in=shared_ids))

    def owned_by(self, user: User) -> TenantQuerySet:
        """Rows the user's administration owns: the set a user may change (shared rows are read-only)."""
        if user.is_platform_admin:
            return self.all()
        if not user.is_authenticated or user.administration_id is None:
            return self.none()
        return self.filter(administration_id=user.administration_id)


class TenantOwned(models.Model):
    administration = models.ForeignKey("core.Administration", on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
