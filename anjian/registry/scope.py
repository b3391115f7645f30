"""Jurisdiction scoping: the ONE place that decides which records a user may see.

An officer sees the records of their agency's region and everything below it; a provincial officer
sees the whole province; a user with no agency sees nothing (a superuser sees all). Every scoped
model's manager exposes ``visible_to(user)``; views and API endpoints never query a scoped model any
other way, so a record outside a user's jurisdiction simply does not exist for them (404).

Scoped models carry the codes of their region's ancestors (``province_code``, ``city_code``,
``county_code``) so that the filter is one indexed equality, at a million rows as at a hundred.
Models of upper layers point at a scoped model and set ``scope_path`` (e.g. ``"enterprise__"``).

Temporary grants (``registry.ScopeGrant``, cross-region operations) widen an officer's scope: the
visible set is the own region OR each region granted to the officer or their agency that is active
today (valid_from ≤ today ≤ valid_to, not revoked). Once a grant expires its records are 404 again.

The scope (and the roles) of a signed-in user are remembered in their session
(``remember_access`` / ``restore_access``, used by ``anjian.registry.middleware``), so that a
request does not read the officer and their grants again. A remembered entry is used only while it
carries the user's current ``access_version`` (read with the user row on every request; raised in
the same transaction by every write that changes roles, officer posts or grants, on whichever app
server), the same calendar day (grants start and end by date) and is younger than
``ACCESS_MAX_AGE`` (a backstop for edits made outside the services, e.g. in the Django admin).
Nothing is kept in process memory, so any number of app servers stay consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

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
    # Regions granted for a while (registry.ScopeGrant), each as a one-region Scope.
    grants: tuple[Scope, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and self.level is None and not self.grants

    def q(self, model: type[models.Model], path: str | None = None) -> Q:
        if self.everything:
            return Q()
        if self.nothing:
            return Q(pk__in=[])
        own = self._own_q(model, path) if self.level is not None else Q(pk__in=[])
        for grant in self.grants:
            own |= grant._own_q(model, path)
        return own

    def _own_q(self, model: type[models.Model], path: str | None) -> Q:
        prefix = getattr(model, "scope_path", "") if path is None else path
        if self.level in {"province", "city", "county"}:
            return Q(**{f"{prefix}{self.level}_code": self.code})
        # Township or development zone: the region itself (nothing lies below it).
        region_lookup = getattr(model, "scope_region_field", "region")
        if model._meta.label == "registry.Region" and not prefix:
            return Q(pk=self.region_id)
        return Q(**{f"{prefix}{region_lookup}_id": self.region_id})

    def as_data(self) -> dict[str, Any]:
        """JSON-ready (the session stores it); ``Scope.from_data`` gives it back."""
        return {
            "everything": self.everything,
            "level": self.level,
            "code": self.code,
            "region_id": self.region_id,
            "agency_id": self.agency_id,
            "grants": [grant.as_data() for grant in self.grants],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Scope:
        return cls(
            everything=bool(data["everything"]),
            level=data["level"],
            code=data["code"],
            region_id=data["region_id"],
            agency_id=data["agency_id"],
            grants=tuple(cls.from_data(grant) for grant in data["grants"]),
        )

    def contains_codes(
        self, *, province_code: str, city_code: str, county_code: str, region_id: int
    ) -> bool:
        if self.everything:
            return True
        if self.nothing:
            return False
        if any(
            grant.contains_codes(
                province_code=province_code,
                city_code=city_code,
                county_code=county_code,
                region_id=region_id,
            )
            for grant in self.grants
        ):
            return True
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
        from django.db.models import Exists, OuterRef

        from anjian.registry.models import Officer, ScopeGrant

        today = timezone.localdate()
        active = ScopeGrant.objects.filter(
            valid_from__lte=today, valid_to__gte=today, revoked_at__isnull=True
        )
        officer = (
            Officer.objects.select_related("agency__region")
            .filter(user=user, is_active=True)
            .annotate(
                has_grants=Exists(
                    active.filter(Q(officer=OuterRef("pk")) | Q(agency=OuterRef("agency_id")))
                )
            )
            .first()
        )
        scope = scope_for_agency(officer.agency) if officer else NOTHING
        if officer is not None and officer.has_grants:
            grants = active.filter(Q(officer=officer) | Q(agency_id=officer.agency_id))
            scope = replace(
                scope,
                grants=tuple(
                    Scope(level=g.region.level, code=g.region.code, region_id=g.region_id)
                    for g in grants.select_related("region").order_by("id")
                ),
            )
    user._anjian_scope = scope
    return scope


# -------------------------------------------------------------------------------------------------
# Remembered in the session (see the module docstring)

ACCESS_SESSION_KEY = "_anjian_access"
ACCESS_MAX_AGE = 300  # seconds


_ENTRY_STAMP = ("user", "version", "day", "at")


def _entry_is_current(entry: Any, stamp: dict[str, Any]) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("user") == stamp["user"]
        and entry.get("version") == stamp["version"]
        and entry.get("day") == stamp["day"]
        and isinstance(entry.get("at"), (int, float))
        and 0 <= stamp["at"] - entry["at"] < ACCESS_MAX_AGE
    )


def restore_access(session: Any, user: Any) -> dict[str, Any]:
    """At the start of a request: put the roles and scope this session remembers back on
    ``user`` when they are current (same user, same ``access_version``, same day, younger than
    ACCESS_MAX_AGE); then ``scope_for`` and ``roles_of`` need no query. Returns the stamp to hand
    to ``remember_access`` after the request: the entry used, or the user, version, day and time
    read now (a scope read later in the request is no older than that)."""
    from anjian.core.permissions import preset_roles

    stamp = {
        "user": user.pk,
        "version": user.access_version,
        "day": timezone.localdate().isoformat(),
        "at": timezone.now().timestamp(),
    }
    entry = session.get(ACCESS_SESSION_KEY)
    if not _entry_is_current(entry, stamp):
        return stamp
    if "roles" in entry:
        preset_roles(user, entry["roles"])
    if "scope" in entry:
        user._anjian_scope = Scope.from_data(entry["scope"])
    return dict(entry)


def remember_access(session: Any, user: Any, stamp: dict[str, Any]) -> None:
    """After a request: keep in the session the roles and scope read for ``user`` during it,
    under the stamp taken at its start. A write during the request (or on another server) raised
    the user's ``access_version`` past the stamp's, so such an entry is never used; an entry
    partly restored keeps the age and day of its older part. Only for the session's own
    signed-in user, and only when something new was read (no session write otherwise)."""
    from django.contrib.auth import SESSION_KEY

    from anjian.core.permissions import known_roles

    if session.get(SESSION_KEY) != str(user.pk):
        return  # signed out, another user signed in, or a bearer token: nothing to remember
    entry = {key: stamp[key] for key in _ENTRY_STAMP}
    roles = known_roles(user)
    if roles is not None:
        entry["roles"] = sorted(roles)
    scope = getattr(user, "_anjian_scope", None)
    if scope is not None:
        entry["scope"] = scope.as_data()
    if entry != stamp and ("roles" in entry or "scope" in entry):
        session[ACCESS_SESSION_KEY] = entry


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        return self.filter(scope_for(user).q(self.model))
