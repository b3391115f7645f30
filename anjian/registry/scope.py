"""Jurisdiction scoping: the ONE place that decides which records a user may see.

An officer sees the records of their agency's region and everything below it; a provincial officer
sees the whole province; a user with no agency sees nothing (a superuser sees all). Every scoped
model's manager exposes ``visible_to(user)``; views and API endpoints never query a scoped model any
other way, so a record outside a user's jurisdiction simply does not exist for them (404).

Scoped models carry the codes of their region's ancestors (``province_code``, ``city_code``,
``county_code``) so that the filter is one indexed equality, at a million rows as at a hundred.
Models of upper layers point at a scoped model and set ``scope_path`` (e.g. ``"enterprise__"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from anjian.registry.models import Agency

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, nothing, or one region (by level and code)."""

    everything: bool = False
    level: str | None = None  # province / city / county / township / zone
    code: str | None = None
    region_id: int | None = None
    agency_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.level is None

    def q(self, model: type[models.Model], path: str | None = None) -> Q:
        if self.everything:
            return Q()
        if self.nothing:
            return Q(pk__in=[])
        prefix = getattr(model, "scope_path", "") if path is None else path
        if self.level in {"province", "city", "county"}:
            return Q(**{f"{prefix}{self.level}_code": self.code})
        # Township or development zone: the region itself (nothing lies below it).
        region_lookup = getattr(model, "scope_region_field", "region")
        if model._meta.label == "registry.Region" and not prefix:
            return Q(pk=self.region_id)
        return Q(**{f"{prefix}{region_lookup}_id": self.region_id})

    def contains_codes(
        self, *, province_code: str, city_code: str, county_code: str, region_id: int
    ) -> bool:
        if self.everything:
            return True
        if self.nothing:
            return False
        if self.level == "province":
            return province_code == self.code
        if self.level == "city":
            return city_code == self.code
        if self.level == "county":
            return county_code == self.code
        return region_id == self.region_id


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_for_agency(agency: Agency) -> Scope:
    region = agency.region
    return Scope(level=region.level, code=region.code, region_id=region.pk, agency_id=agency.pk)


def scope_for(user: Any) -> Scope:
    """The user's jurisdiction, computed once per request and cached on the user object."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not getattr(user, "is_active", False)
    ):
        return NOTHING
    cached = getattr(user, "_anjian_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = EVERYTHING
    else:
        from anjian.registry.models import Officer

        officer = (
            Officer.objects.select_related("agency__region")
            .filter(user=user, is_active=True)
            .first()
        )
        scope = scope_for_agency(officer.agency) if officer else NOTHING
    user._anjian_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        return self.filter(scope_for(user).q(self.model))
