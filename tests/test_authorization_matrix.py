"""The authorization matrix: every URL and every API operation, answered for every actor of the cast.

The matrix is data: ``MATRIX`` maps ``"METHOD /path/{param}"`` to what each actor must get. The
endpoints are enumerated from the URL resolver and from the ninja API object, so an endpoint added
later without an entry fails ``test_every_endpoint_is_in_the_matrix`` ("unclassified endpoint").

Rules the matrix encodes (STYLE.md, "Access"):
- anonymous: a redirect to the login page (pages) or 401 JSON (API);
- a record outside the actor's jurisdiction does not exist: 404;
- inside the jurisdiction but without the role: 403;
- the right holder: 200 / 201 / 302.
Every denied write leaves the watched tables, the target record and the audit trail unchanged; every
allowed write appends exactly the documented number of audit entries.

To add an endpoint: add one line to ``MATRIX`` (reuse an expectation row below, or write one out), a
target if the URL names a record, and a body if it takes one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from anjian.api import api
from anjian.audit.models import AuditEntry
from tests.cases import matrix_support as case_matrix
from tests.conftest import PASSWORD, Cast, make_uscc
from tests.inspections import matrix_support as inspection_matrix
from tests.planning import matrix_support as planning_matrix

# ---------------------------------------------------------------------------------------------
# The cast (tests/conftest.py), by the role each member plays here.

ANONYMOUS = "anonymous"
OTHER_COUNTY = "other_county"  # gulou_head: section head of 鼓楼区, the neighbouring county
NO_RIGHT = "same_county_no_right"  # xuanwu_archivist: 玄武区, archivist (may view, may not change)
HOLDER = "right_holder"  # xuanwu_head: 玄武区 section head and inspector
PROVINCE = "province"  # province_head: 江苏省应急管理厅 section head and inspector
TOWNSHIP = "township"  # street_inspector: 演示街道 (below 玄武区), inspector
EXPIRED = "expired_certificate"  # xuanwu_expired: 玄武区 inspector whose certificate has expired
SUPERUSER = "superuser"  # technical administrator: Django superuser, no officer, no roles

ACTORS = (ANONYMOUS, OTHER_COUNTY, NO_RIGHT, HOLDER, PROVINCE, TOWNSHIP, EXPIRED, SUPERUSER)


@dataclass(frozen=True)
class Outcome:
    """What one actor gets from one endpoint."""

    status: int
    allowed: bool = True  # False: a refusal (a write must change nothing)
    location: str | None = None  # redirects: the Location must start with this
    code: str | None = None  # API errors: the stable ``code`` of the JSON body
    text: str | None = None  # pages: Chinese text the body must contain

    def __str__(self) -> str:
        return f"{self.status}{'' if self.allowed else ' (refused)'}"


# Pages
OK = Outcome(200)
LOGIN = Outcome(302, allowed=False, location="/accounts/login/?next=")
FORBIDDEN = Outcome(403, allowed=False, text="无权操作")
NOT_FOUND = Outcome(404, allowed=False, text="记录不存在")
TO_HOME = Outcome(302, location="/")
TO_LOGIN_PAGE = Outcome(302, location="/accounts/login/")
TO_ENTERPRISE = Outcome(302, location="/registry/enterprises/")
TO_JURISDICTION = Outcome(302, location="/registry/jurisdiction/")
REGION_REFUSED = Outcome(200, allowed=False, text="所在区划不存在或不在您的管辖范围内。")
METHOD_NOT_ALLOWED = Outcome(405, allowed=False)
ADMIN_LOGIN = Outcome(302, allowed=False, location="/admin/login/?next=/admin/")
TO_DOCUMENTS = Outcome(302, location="/documents/")
TO_DOC_SETTINGS = Outcome(302, location="/documents/settings/")

# API
A_OK = Outcome(200)
A_CREATED = Outcome(201)
A_UNAUTHENTICATED = Outcome(401, allowed=False, code="unauthenticated")
A_FORBIDDEN = Outcome(403, allowed=False, code="permission_denied")
A_OUTSIDE = Outcome(403, allowed=False, code="outside_jurisdiction")
A_NOT_FOUND = Outcome(404, allowed=False, code="not_found")


def row(
    anonymous: Outcome,
    other_county: Outcome,
    no_right: Outcome,
    holder: Outcome,
    province: Outcome,
    township: Outcome,
    expired: Outcome,
    superuser: Outcome,
) -> dict[str, Outcome]:
    """One matrix row, in the order of ``ACTORS``."""
    outcomes = (anonymous, other_county, no_right, holder, province, township, expired, superuser)
    return dict(zip(ACTORS, outcomes, strict=True))


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ACTORS, outcome)


# Reusable rows. The superuser (technical administrator) holds every named permission and sees all.
PAGE_SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK, OK, OK)
PAGE_REGISTRY_LIST = row(LOGIN, OK, OK, OK, OK, OK, OK, OK)
# A record of 玄武区 (the county level): invisible to 鼓楼区 and to the township below 玄武区.
PAGE_XUANWU_RECORD = row(LOGIN, NOT_FOUND, OK, OK, OK, NOT_FOUND, OK, OK)
PAGE_OFFICERS = PAGE_REGISTRY_LIST  # any officer role; no jurisdiction involved
API_SIGNED_IN = row(A_UNAUTHENTICATED, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK)
API_REGISTRY_LIST = row(A_UNAUTHENTICATED, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK)
API_OFFICERS = API_REGISTRY_LIST
# Documents (issue #6): the superuser holds every named permission and sees everything; a 玄武区
# document does not exist for 鼓楼区 nor for the township below 玄武区.
PAGE_DOCUMENTS = row(LOGIN, OK, OK, OK, OK, OK, OK, OK)
PAGE_XUANWU_DOCUMENT = row(LOGIN, NOT_FOUND, OK, OK, OK, NOT_FOUND, OK, OK)
API_DOCUMENTS = row(A_UNAUTHENTICATED, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK)
API_DOCUMENT = row(A_UNAUTHENTICATED, A_NOT_FOUND, A_OK, A_OK, A_OK, A_NOT_FOUND, A_OK, A_OK)
API_XUANWU_RECORD = row(A_UNAUTHENTICATED, A_NOT_FOUND, A_OK, A_OK, A_OK, A_NOT_FOUND, A_OK, A_OK)


# Registry import (registry.import_enterprises: section head, administrator). A job belongs to the
# importer's agency (玄武区): the role is checked first (403), then the jurisdiction (404).
# Delegations of penalty power (registry.manage_delegations: bureau head, administrator) are
# recorded by the delegating side; the right holder is a province administrator. Grids
# (registry.manage_grids: section head, bureau head, administrator) within the scope.
TO_AGENCY = Outcome(302, location="/registry/agencies/")
TO_GRID = Outcome(302, location="/registry/grids/")
GRID_REGION_REFUSED = Outcome(200, allowed=False, text="该乡镇（街道）不存在或不在您的管辖范围内。")
PAGE_DELEGATION_WRITE = row(
    LOGIN, NOT_FOUND, FORBIDDEN, TO_AGENCY, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_AGENCY
)


def API_DELEGATION_WRITE(success: Outcome) -> dict[str, Outcome]:  # noqa: N802
    return row(
        A_UNAUTHENTICATED,
        A_NOT_FOUND,
        A_FORBIDDEN,
        success,
        A_FORBIDDEN,
        A_FORBIDDEN,
        A_FORBIDDEN,
        success,
    )


def API_GRID_WRITE(success: Outcome) -> dict[str, Outcome]:  # noqa: N802
    return row(
        A_UNAUTHENTICATED,
        A_NOT_FOUND,
        A_FORBIDDEN,
        success,
        success,
        A_FORBIDDEN,
        A_FORBIDDEN,
        success,
    )


# Jurisdiction claims on the township's enterprise (registry.claim_jurisdiction to file and
# withdraw, registry.manage_jurisdiction to decide: section and bureau heads, administrators).
CLAIM_PAGE_WRITE = row(
    LOGIN, NOT_FOUND, FORBIDDEN, TO_ENTERPRISE, TO_ENTERPRISE, FORBIDDEN, FORBIDDEN, TO_ENTERPRISE
)


def CLAIM_API_WRITE(success: Outcome) -> dict[str, Outcome]:  # noqa: N802
    return row(
        A_UNAUTHENTICATED,
        A_NOT_FOUND,
        A_FORBIDDEN,
        success,
        success,
        A_FORBIDDEN,
        A_FORBIDDEN,
        success,
    )


TO_IMPORT_JOB = Outcome(302, location="/registry/enterprises/import/")
A_ACCEPTED = Outcome(202)
PAGE_IMPORTER = row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)
PAGE_IMPORT_JOB = row(LOGIN, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)
API_IMPORTER = row(A_UNAUTHENTICATED, A_OK, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_OK)
API_IMPORT_JOB = row(
    A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_OK
)

# Background list exports: any officer may start one of a list they may export; a job and its file
# exist for the requester only (xuanwu_head's job is 404 for everyone else, the province included).
TO_EXPORT_JOB = Outcome(302, location="/registry/exports/")
PAGE_OWN_EXPORT_JOB = row(
    LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND
)
API_OWN_EXPORT_JOB = row(
    A_UNAUTHENTICATED,
    A_NOT_FOUND,
    A_NOT_FOUND,
    A_OK,
    A_NOT_FOUND,
    A_NOT_FOUND,
    A_NOT_FOUND,
    A_NOT_FOUND,
)

# Inspections (issue #4). Recording is for inspectors (not the archivist); a 玄武区 record does not
# exist for 鼓楼区 nor for the township below 玄武区. The superuser holds every permission and sees
# everything, but has no agency: what starts something in an agency's name is refused (403).
INSPECTION_LIST_PAGE = row(LOGIN, OK, OK, OK, OK, OK, OK, OK)
INSPECTION_LIST_API = row(A_UNAUTHENTICATED, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK)
INSPECTION_RECORD_PAGE = row(LOGIN, NOT_FOUND, OK, OK, OK, NOT_FOUND, OK, OK)
INSPECTION_RECORD_API = row(
    A_UNAUTHENTICATED, A_NOT_FOUND, A_OK, A_OK, A_OK, A_NOT_FOUND, A_OK, A_OK
)
PAGE_INSPECTOR = row(LOGIN, OK, FORBIDDEN, OK, OK, OK, OK, OK)
PAGE_HEADS = row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)
API_HEADS = row(A_UNAUTHENTICATED, A_OK, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_OK)
TO_INSPECTION_RECORD = Outcome(302, location="/inspections/records/")
TO_SCHEMES = Outcome(302, location="/inspections/schemes/")
BAD_FORM = Outcome(400, allowed=False)
A_INVALID = Outcome(422, allowed=False, code="invalid_input")
A_NOT_AN_OFFICER = Outcome(403, allowed=False, code="not_an_officer")


# Cases and evidence (issue #5).
TO_CASE = Outcome(302, location="/cases/")
TO_EVIDENCE = Outcome(302, location="/evidence/")
TO_PRESERVATION = Outcome(302, location="/evidence/preservations/")
CASE_FORM_REFUSED = Outcome(422, allowed=False, text="请选择管辖范围内的生产经营单位")
A_NOT_VISIBLE = Outcome(422, allowed=False, code="unknown_enterprise")


# A write on a 玄武区 record (an inspection, a case, a document …): the archivist lacks the role
# (403); 鼓楼区 and the township below 玄武区 do not see the record (404); the section head, the
# province and the inspector whose certificate has expired reach the service (which decides on the
# certificate itself). The superuser's outcome may differ (ENFORCEMENT_ONLY below).
def XUANWU_WRITE_PAGE(  # noqa: N802
    success: Outcome, superuser: Outcome | None = None
) -> dict[str, Outcome]:
    return row(
        LOGIN, NOT_FOUND, FORBIDDEN, success, success, NOT_FOUND, success, superuser or success
    )


def XUANWU_WRITE_API(  # noqa: N802
    success: Outcome, superuser: Outcome | None = None
) -> dict[str, Outcome]:
    return row(
        A_UNAUTHENTICATED,
        A_NOT_FOUND,
        A_FORBIDDEN,
        success,
        success,
        A_NOT_FOUND,
        success,
        superuser or success,
    )


@dataclass(frozen=True)
class Endpoint:
    expect: dict[str, Outcome]
    target: str | None = None  # a key of TARGETS: the record the URL's one parameter names
    body: str | None = None  # a key of BODIES
    json: bool = False  # send the body as JSON (the API) rather than as a form (pages)
    multipart: bool = False  # send the body as multipart/form-data (file uploads)
    writes: bool = False  # refusals must change nothing; successes append ``audit_entries``
    audit_entries: int = 1
    query: str = ""  # a query string the endpoint needs (without the "?")
    # Who plays the right holder: xuanwu_head (玄武区 section head and inspector) unless named here;
    # "administrator": a province officer holding the administrator role.
    holder: str = HOLDER
    watch: tuple[str, ...] = (
        "registry.Enterprise",
        "registry.EnterpriseTag",
        "registry.JurisdictionClaim",
        "accounts.ApiToken",
    )


MATRIX: dict[str, Endpoint] = {
    # --- core, accounts, i18n, admin -----------------------------------------------------------
    "GET /": Endpoint(PAGE_SIGNED_IN),
    "GET /health": Endpoint(everyone(OK)),
    "GET /accounts/login/": Endpoint(
        row(OK, TO_HOME, TO_HOME, TO_HOME, TO_HOME, TO_HOME, TO_HOME, TO_HOME)
    ),
    "POST /accounts/login/": Endpoint(everyone(TO_HOME), body="login"),
    "GET /accounts/logout/": Endpoint(everyone(METHOD_NOT_ALLOWED)),
    "POST /accounts/logout/": Endpoint(everyone(TO_LOGIN_PAGE)),
    "POST /i18n/setlang/": Endpoint(everyone(TO_HOME), body="language"),
    "GET /admin/": Endpoint(
        row(
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            OK,
        )
    ),
    # --- registry pages ------------------------------------------------------------------------
    "GET /registry/enterprises/": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/enterprises/new/": Endpoint(row(LOGIN, OK, FORBIDDEN, OK, OK, OK, OK, OK)),
    # Registering a 玄武区 enterprise: 鼓楼区 and the township may register, but not there.
    "POST /registry/enterprises/new/": Endpoint(
        row(
            LOGIN,
            REGION_REFUSED,
            FORBIDDEN,
            TO_ENTERPRISE,
            TO_ENTERPRISE,
            REGION_REFUSED,
            TO_ENTERPRISE,
            TO_ENTERPRISE,
        ),
        body="enterprise_form",
        writes=True,
    ),
    "GET /registry/enterprises/{pk}/": Endpoint(PAGE_XUANWU_RECORD, target="xuanwu_enterprise"),
    "GET /registry/enterprises/{pk}/edit/": Endpoint(
        XUANWU_WRITE_PAGE(OK),
        target="xuanwu_enterprise",
    ),
    "POST /registry/enterprises/{pk}/edit/": Endpoint(
        XUANWU_WRITE_PAGE(TO_ENTERPRISE),
        target="xuanwu_enterprise",
        body="enterprise_edit_form",
        writes=True,
    ),
    "GET /registry/agencies/": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/agencies/{pk}/": Endpoint(PAGE_XUANWU_RECORD, target="xuanwu_agency"),
    "GET /registry/officers/": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/officers/{pk}/": Endpoint(PAGE_XUANWU_RECORD, target="xuanwu_officer"),
    "GET /registry/grids/": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/jurisdiction/": Endpoint(PAGE_REGISTRY_LIST),
    # Delegations: the township's (below 玄武区) are recorded by the delegating side.
    "POST /registry/agencies/{pk}/delegations/": Endpoint(
        PAGE_DELEGATION_WRITE,
        target="street_agency",
        body="delegation_form",
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    "GET /registry/delegations/{pk}/change/": Endpoint(
        row(LOGIN, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        target="street_delegation",
        holder="administrator",
    ),
    "POST /registry/delegations/{pk}/change/": Endpoint(
        PAGE_DELEGATION_WRITE,
        target="street_delegation",
        body="delegation_change_form",
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    "POST /registry/delegations/{pk}/end/": Endpoint(
        PAGE_DELEGATION_WRITE,
        target="street_delegation",
        body="end_delegation_form",
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    # Grids of the township below 玄武区: 鼓楼区 does not see it; inspectors and the archivist
    # hold no registry.manage_grids.
    "POST /registry/grids/": Endpoint(
        row(
            LOGIN,
            GRID_REGION_REFUSED,
            FORBIDDEN,
            TO_GRID,
            TO_GRID,
            FORBIDDEN,
            FORBIDDEN,
            TO_GRID,
        ),
        body="grid_form",
        writes=True,
        watch=("registry.Grid",),
    ),
    "GET /registry/grids/{pk}/": Endpoint(
        row(LOGIN, NOT_FOUND, OK, OK, OK, OK, OK, OK), target="street_grid"
    ),
    "POST /registry/grids/{pk}/": Endpoint(
        row(LOGIN, NOT_FOUND, FORBIDDEN, TO_GRID, TO_GRID, FORBIDDEN, FORBIDDEN, TO_GRID),
        target="street_grid",
        body="grid_officer_form",
        writes=True,
        watch=("registry.Grid",),
    ),
    # Reassigning the township's enterprise to 玄武区: needs registry.manage_jurisdiction.
    "POST /registry/jurisdiction/": Endpoint(
        row(
            LOGIN,
            NOT_FOUND,
            FORBIDDEN,
            TO_JURISDICTION,
            TO_JURISDICTION,
            FORBIDDEN,
            FORBIDDEN,
            TO_JURISDICTION,
        ),
        body="assign_form",
        writes=True,
        target="street_enterprise",
    ),
    # Jurisdiction claims on the township's enterprise: filed and withdrawn in the name of an agency
    # in scope (registry.claim_jurisdiction), decided with registry.manage_jurisdiction; the
    # township inspector sees the enterprise but holds neither.
    "POST /registry/enterprises/{pk}/claims/": Endpoint(
        CLAIM_PAGE_WRITE, target="street_enterprise", body="claim_form", writes=True
    ),
    "POST /registry/claims/{pk}/decision/": Endpoint(
        CLAIM_PAGE_WRITE, target="street_claim", body="claim_decision_form", writes=True
    ),
    "POST /registry/claims/{pk}/withdrawal/": Endpoint(
        CLAIM_PAGE_WRITE, target="street_claim_ref", body="claim_withdrawal_form", writes=True
    ),
    # --- the API: ninja's own pages ------------------------------------------------------------
    "GET /api/v1/": Endpoint(everyone(Outcome(404, allowed=False, code="not_found"))),
    "GET /api/v1/docs": Endpoint(everyone(OK)),
    "GET /api/v1/openapi.json": Endpoint(everyone(A_OK)),
    # --- API: accounts -------------------------------------------------------------------------
    # Public by design: a token for whoever knows the password (the holder's, in the body).
    "POST /api/v1/auth/token": Endpoint(everyone(A_CREATED), body="token", json=True, writes=True),
    "GET /api/v1/auth/me": Endpoint(API_SIGNED_IN),
    # --- API: registry -------------------------------------------------------------------------
    "GET /api/v1/registry/enterprises": Endpoint(API_REGISTRY_LIST),
    "POST /api/v1/registry/enterprises": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_OUTSIDE,
            A_FORBIDDEN,
            A_CREATED,
            A_CREATED,
            A_OUTSIDE,
            A_CREATED,
            A_CREATED,
        ),
        body="enterprise_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/registry/enterprises/{enterprise_id}": Endpoint(
        API_XUANWU_RECORD, target="xuanwu_enterprise"
    ),
    "PUT /api/v1/registry/enterprises/{enterprise_id}": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="xuanwu_enterprise",
        body="enterprise_edit_json",
        json=True,
        writes=True,
    ),
    "POST /api/v1/registry/enterprises/{enterprise_id}/supervising-agency": Endpoint(
        row(
            A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_OK
        ),
        target="street_enterprise",
        body="assign_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/registry/enterprises/{enterprise_id}/claims": Endpoint(
        row(A_UNAUTHENTICATED, A_NOT_FOUND, A_OK, A_OK, A_OK, A_OK, A_OK, A_OK),
        target="street_enterprise",
    ),
    "POST /api/v1/registry/enterprises/{enterprise_id}/claims": Endpoint(
        CLAIM_API_WRITE(A_CREATED),
        target="street_enterprise",
        body="claim_json",
        json=True,
        writes=True,
    ),
    "POST /api/v1/registry/claims/{claim_id}/decision": Endpoint(
        CLAIM_API_WRITE(A_OK),
        target="street_claim",
        body="claim_decision_json",
        json=True,
        writes=True,
    ),
    "POST /api/v1/registry/claims/{claim_id}/withdrawal": Endpoint(
        CLAIM_API_WRITE(A_OK),
        target="street_claim_ref",
        body="claim_withdrawal_form",
        json=True,
        writes=True,
    ),
    "GET /api/v1/registry/agencies": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/agencies/{agency_id}": Endpoint(
        API_XUANWU_RECORD, target="xuanwu_agency"
    ),
    "GET /api/v1/registry/officers": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/officers/{officer_id}": Endpoint(
        API_XUANWU_RECORD, target="xuanwu_officer"
    ),
    "GET /api/v1/registry/regions": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/jurisdiction-report": Endpoint(API_REGISTRY_LIST),
    "POST /api/v1/registry/agencies/{agency_id}/delegations": Endpoint(
        API_DELEGATION_WRITE(A_CREATED),
        target="street_agency",
        body="delegation_json",
        json=True,
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    "PUT /api/v1/registry/delegations/{delegation_id}": Endpoint(
        API_DELEGATION_WRITE(A_OK),
        target="street_delegation",
        body="delegation_change_json",
        json=True,
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    "POST /api/v1/registry/delegations/{delegation_id}/end": Endpoint(
        API_DELEGATION_WRITE(A_OK),
        target="street_delegation",
        body="end_delegation_json",
        json=True,
        holder="administrator",
        writes=True,
        watch=("registry.Delegation",),
    ),
    "GET /api/v1/registry/grids": Endpoint(API_REGISTRY_LIST),
    "POST /api/v1/registry/grids": Endpoint(
        API_GRID_WRITE(A_CREATED),
        body="grid_json",
        json=True,
        writes=True,
        watch=("registry.Grid",),
    ),
    "POST /api/v1/registry/grids/{grid_id}/officer": Endpoint(
        API_GRID_WRITE(A_OK),
        target="street_grid",
        body="grid_officer_json",
        json=True,
        writes=True,
        watch=("registry.Grid",),
    ),
    # --- law pages ------------------------------------------------------------------------------
    "GET /law/violations/": Endpoint(PAGE_OFFICERS),
    "GET /law/violations/{code}/": Endpoint(PAGE_OFFICERS, target="violation_code"),
    "GET /law/deadlines/": Endpoint(PAGE_OFFICERS),
    "GET /law/discretion/": Endpoint(PAGE_OFFICERS),
    # The consistency report: legal reviewers, section and bureau heads, administrators.
    "GET /law/consistency/": Endpoint(row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK)),
    # --- API: law ------------------------------------------------------------------------------
    "GET /api/v1/law/violations": Endpoint(API_OFFICERS),
    "GET /api/v1/law/violations/{code}": Endpoint(API_OFFICERS, target="violation_code"),
    "POST /api/v1/law/deadlines": Endpoint(API_OFFICERS, body="deadlines_json", json=True),
    "POST /api/v1/law/accident-grade": Endpoint(API_OFFICERS, body="accident_json", json=True),
    "POST /api/v1/law/discretion": Endpoint(API_OFFICERS, body="discretion_json", json=True),
    "GET /api/v1/law/consistency": Endpoint(
        row(A_UNAUTHENTICATED, A_OK, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_OK)
    ),
    "GET /api/v1/law/calendar/overrides": Endpoint(API_OFFICERS),
    # Statutory holidays are province-wide data: only the administrator role sets them.
    "POST /api/v1/law/calendar/overrides": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_CREATED,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_CREATED,
        ),
        holder="administrator",
        body="override_json",
        json=True,
        writes=True,
        watch=("law.CalendarOverride",),
    ),
    # --- registry: Excel export and the import of the enterprise directory ----------------------
    "GET /registry/enterprises/export.xlsx": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/agencies/export.xlsx": Endpoint(PAGE_REGISTRY_LIST),
    "GET /registry/officers/export.xlsx": Endpoint(PAGE_REGISTRY_LIST),
    # Importing needs registry.import_enterprises (section head, administrator).
    "GET /registry/enterprises/import/": Endpoint(PAGE_IMPORTER),
    "POST /registry/enterprises/import/": Endpoint(
        row(
            LOGIN,
            TO_IMPORT_JOB,
            FORBIDDEN,
            TO_IMPORT_JOB,
            TO_IMPORT_JOB,
            FORBIDDEN,
            FORBIDDEN,
            TO_IMPORT_JOB,
        ),
        body="import_upload",
        multipart=True,
        writes=True,
        # the upload, and the job's failure on the refused row (registry.import_failed)
        audit_entries=2,
        watch=("registry.ImportJob", "registry.Enterprise"),
    ),
    "GET /registry/enterprises/import/template.xlsx": Endpoint(PAGE_IMPORTER),
    "GET /registry/enterprises/import/{pk}/": Endpoint(PAGE_IMPORT_JOB, target="import_job"),
    "GET /registry/enterprises/import/{pk}/progress/": Endpoint(
        PAGE_IMPORT_JOB, target="import_job"
    ),
    "GET /registry/enterprises/import/{pk}/errors.xlsx": Endpoint(
        PAGE_IMPORT_JOB, target="import_job"
    ),
    "GET /api/v1/registry/enterprises/export.xlsx": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/agencies/export.xlsx": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/officers/export.xlsx": Endpoint(API_REGISTRY_LIST),
    "GET /api/v1/registry/imports": Endpoint(API_IMPORTER),
    "POST /api/v1/registry/imports": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_ACCEPTED,
            A_FORBIDDEN,
            A_ACCEPTED,
            A_ACCEPTED,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_ACCEPTED,
        ),
        body="import_upload",
        multipart=True,
        writes=True,
        # the upload, and the job's failure on the refused row (registry.import_failed)
        audit_entries=2,
        watch=("registry.ImportJob", "registry.Enterprise"),
    ),
    "GET /api/v1/registry/imports/template.xlsx": Endpoint(API_IMPORTER),
    "GET /api/v1/registry/imports/{job_id}": Endpoint(API_IMPORT_JOB, target="import_job"),
    "GET /api/v1/registry/imports/{job_id}/errors": Endpoint(API_IMPORT_JOB, target="import_job"),
    # --- registry: background list exports (anjian/registry/export_jobs.py) ---------------------
    "GET /registry/exports/": Endpoint(PAGE_SIGNED_IN),
    "GET /registry/exports/new/": Endpoint(PAGE_REGISTRY_LIST, query="list=registry.enterprises"),
    # Queued and (the tests' immediate task backend) written at once: 2 audit entries.
    "POST /registry/exports/new/": Endpoint(
        row(
            LOGIN,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
            TO_EXPORT_JOB,
        ),
        body="export_form",
        writes=True,
        audit_entries=2,
        watch=("registry.ExportJob",),
    ),
    "GET /registry/exports/{pk}/": Endpoint(PAGE_OWN_EXPORT_JOB, target="export_job"),
    "GET /registry/exports/{pk}/progress/": Endpoint(PAGE_OWN_EXPORT_JOB, target="export_job"),
    "GET /registry/exports/{pk}/download/": Endpoint(PAGE_OWN_EXPORT_JOB, target="export_job"),
    "GET /api/v1/registry/exports": Endpoint(API_SIGNED_IN),
    "POST /api/v1/registry/exports": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_ACCEPTED,
            A_ACCEPTED,
            A_ACCEPTED,
            A_ACCEPTED,
            A_ACCEPTED,
            A_ACCEPTED,
            A_ACCEPTED,
        ),
        body="export_json",
        json=True,
        writes=True,
        audit_entries=2,
        watch=("registry.ExportJob",),
    ),
    "GET /api/v1/registry/exports/{job_id}": Endpoint(API_OWN_EXPORT_JOB, target="export_job"),
    "GET /api/v1/registry/exports/{job_id}/file": Endpoint(API_OWN_EXPORT_JOB, target="export_job"),
    # --- documents (issue #6) ------------------------------------------------------------------
    "GET /documents/": Endpoint(PAGE_DOCUMENTS),
    "GET /documents/catalogue/": Endpoint(PAGE_DOCUMENTS),
    "GET /documents/settings/": Endpoint(
        row(LOGIN, OK, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
    ),
    "POST /documents/settings/": Endpoint(
        row(
            LOGIN,
            TO_DOC_SETTINGS,
            FORBIDDEN,
            TO_DOC_SETTINGS,
            TO_DOC_SETTINGS,
            FORBIDDEN,
            FORBIDDEN,
            FORBIDDEN,
        ),
        body="profile_form",
        writes=True,
    ),
    "GET /documents/verify/": Endpoint(everyone(OK)),
    "POST /documents/verify/": Endpoint(everyone(OK), body="verify_form"),
    "GET /documents/{pk}/": Endpoint(PAGE_XUANWU_DOCUMENT, target="xuanwu_document"),
    "GET /documents/{pk}/pdf/": Endpoint(PAGE_XUANWU_DOCUMENT, target="xuanwu_document"),
    "GET /documents/{pk}/docx/": Endpoint(PAGE_XUANWU_DOCUMENT, target="xuanwu_document"),
    "GET /documents/{pk}/pages/{page}.png": Endpoint(
        PAGE_XUANWU_DOCUMENT, target="xuanwu_document_page"
    ),
    "POST /documents/{pk}/issue/": Endpoint(
        XUANWU_WRITE_PAGE(TO_DOCUMENTS),
        target="xuanwu_draft",
        writes=True,
    ),
    "POST /documents/{pk}/void/": Endpoint(
        row(
            LOGIN,
            NOT_FOUND,
            FORBIDDEN,
            TO_DOCUMENTS,
            TO_DOCUMENTS,
            NOT_FOUND,
            FORBIDDEN,
            TO_DOCUMENTS,
        ),
        target="xuanwu_document",
        body="void_form",
        writes=True,
    ),
    "POST /documents/{pk}/refresh/": Endpoint(
        XUANWU_WRITE_PAGE(TO_DOCUMENTS),
        target="xuanwu_draft",
        writes=True,
    ),
    "POST /documents/{pk}/deliver/": Endpoint(
        XUANWU_WRITE_PAGE(TO_DOCUMENTS),
        target="xuanwu_document",
        body="delivery_form",
        writes=True,
    ),
    "GET /documents/subjects/{subject_type}/{subject_id}/": Endpoint(
        PAGE_XUANWU_DOCUMENT, target="xuanwu_subject"
    ),
    "POST /documents/subjects/{subject_type}/{subject_id}/generate/": Endpoint(
        XUANWU_WRITE_PAGE(TO_DOCUMENTS),
        target="xuanwu_subject",
        body="generate_form",
        writes=True,
    ),
    "GET /documents/case-files/{case_key}/pdf/": Endpoint(
        PAGE_XUANWU_DOCUMENT, target="xuanwu_case_key"
    ),
    "GET /api/v1/documents/catalogue": Endpoint(API_DOCUMENTS),
    "GET /api/v1/documents": Endpoint(API_DOCUMENTS),
    "POST /api/v1/documents": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        body="draft_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/documents/case-files/{case_key}": Endpoint(API_DOCUMENT, target="xuanwu_case_key"),
    "POST /api/v1/documents/verify": Endpoint(everyone(A_OK), body="verify_json", json=True),
    "POST /api/v1/documents/verify-file": Endpoint(
        everyone(Outcome(422, allowed=False, code="invalid_input")), body="verify_json", json=True
    ),
    "GET /api/v1/documents/profile": Endpoint(
        row(A_UNAUTHENTICATED, A_OK, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_FORBIDDEN)
    ),
    "PUT /api/v1/documents/profile": Endpoint(
        row(
            A_UNAUTHENTICATED, A_OK, A_FORBIDDEN, A_OK, A_OK, A_FORBIDDEN, A_FORBIDDEN, A_FORBIDDEN
        ),
        body="profile_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/documents/{document_id}": Endpoint(API_DOCUMENT, target="xuanwu_document"),
    "GET /api/v1/documents/{document_id}/pdf": Endpoint(API_DOCUMENT, target="xuanwu_document"),
    "GET /api/v1/documents/{document_id}/docx": Endpoint(API_DOCUMENT, target="xuanwu_document"),
    "POST /api/v1/documents/{document_id}/refresh": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="xuanwu_draft",
        writes=True,
    ),
    "POST /api/v1/documents/{document_id}/issue": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="xuanwu_draft",
        writes=True,
    ),
    "POST /api/v1/documents/{document_id}/void": Endpoint(
        row(
            A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_NOT_FOUND, A_FORBIDDEN, A_OK
        ),
        target="xuanwu_document",
        body="void_json",
        json=True,
        writes=True,
    ),
    "POST /api/v1/documents/{document_id}/deliveries": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        target="xuanwu_document",
        body="delivery_json",
        json=True,
        writes=True,
    ),
    # --- inspections (issue #4): targets and bodies in tests/inspections/matrix_support.py ------
    "GET /inspections/": Endpoint(INSPECTION_LIST_PAGE),
    "GET /inspections/start/": Endpoint(PAGE_INSPECTOR),
    "POST /inspections/start/{enterprise_id}/": Endpoint(
        XUANWU_WRITE_PAGE(TO_INSPECTION_RECORD, FORBIDDEN),
        target="insp_enterprise",
        body="insp_start_form",
        writes=True,
        watch=("inspections.Inspection",),
    ),
    "POST /inspections/tasks/{task_id}/start/": Endpoint(
        XUANWU_WRITE_PAGE(TO_INSPECTION_RECORD, FORBIDDEN),
        target="insp_task",
        writes=True,
        watch=("inspections.Inspection",),
    ),
    "GET /inspections/records/": Endpoint(INSPECTION_LIST_PAGE),
    "GET /inspections/orders/": Endpoint(INSPECTION_LIST_PAGE),
    "GET /inspections/records/{pk}/": Endpoint(INSPECTION_RECORD_PAGE, target="insp_submitted"),
    "GET /inspections/records/{pk}/record/": Endpoint(XUANWU_WRITE_PAGE(OK), target="insp_draft"),
    "POST /inspections/records/{pk}/record/": Endpoint(
        XUANWU_WRITE_PAGE(TO_INSPECTION_RECORD),
        target="insp_draft",
        body="insp_save_form",
        writes=True,
        watch=("inspections.ItemResult", "inspections.Finding"),
    ),
    "POST /inspections/records/{pk}/measures/": Endpoint(
        XUANWU_WRITE_PAGE(TO_INSPECTION_RECORD),
        target="insp_major_draft",
        body="insp_measure_form",
        writes=True,
        watch=("inspections.OnSiteMeasure",),
    ),
    "POST /inspections/measures/{pk}/lift/": Endpoint(
        XUANWU_WRITE_PAGE(TO_INSPECTION_RECORD),
        target="insp_measure",
        body="insp_lift_form",
        writes=True,
    ),
    "GET /inspections/attachments/{pk}/": Endpoint(
        INSPECTION_RECORD_PAGE, target="insp_attachment"
    ),
    "GET /inspections/orders/{pk}/": Endpoint(INSPECTION_RECORD_PAGE, target="insp_order"),
    "POST /inspections/orders/{pk}/": Endpoint(
        XUANWU_WRITE_PAGE(Outcome(302, location="/inspections/orders/")),
        target="insp_order",
        body="insp_reinspection_form",
        writes=True,
        watch=("inspections.Reinspection", "inspections.CaseProposal"),
    ),
    "GET /inspections/enterprises/{enterprise_id}/": Endpoint(
        INSPECTION_RECORD_PAGE, target="xuanwu_enterprise"
    ),
    "GET /inspections/supervision/": Endpoint(PAGE_HEADS),
    "GET /inspections/schemes/": Endpoint(INSPECTION_LIST_PAGE),
    # A scheme belongs to the author's agency: the superuser, who has no agency, cannot draw one up.
    "GET /inspections/schemes/new/": Endpoint(row(LOGIN, OK, FORBIDDEN, OK, OK, OK, OK, FORBIDDEN)),
    # The team named in the body is 玄武区's: another agency's form offers other officers (400).
    "POST /inspections/schemes/new/": Endpoint(
        row(LOGIN, BAD_FORM, FORBIDDEN, TO_SCHEMES, BAD_FORM, BAD_FORM, TO_SCHEMES, FORBIDDEN),
        body="insp_scheme_form",
        writes=True,
        watch=("inspections.InspectionScheme",),
    ),
    "GET /inspections/schemes/{pk}/": Endpoint(INSPECTION_RECORD_PAGE, target="insp_scheme"),
    "POST /inspections/schemes/{pk}/": Endpoint(
        row(LOGIN, NOT_FOUND, FORBIDDEN, TO_SCHEMES, TO_SCHEMES, NOT_FOUND, FORBIDDEN, TO_SCHEMES),
        target="insp_submitted_scheme",
        body="insp_approve_form",
        writes=True,
    ),
    "GET /inspections/items/": Endpoint(INSPECTION_LIST_PAGE),
    # Publishing the province's item list: the administrator role only (import + publish: 2 entries).
    "POST /inspections/items/": Endpoint(
        row(
            LOGIN,
            FORBIDDEN,
            FORBIDDEN,
            Outcome(302, location="/inspections/items/"),
            FORBIDDEN,
            FORBIDDEN,
            FORBIDDEN,
            Outcome(302, location="/inspections/items/"),
        ),
        holder="administrator",
        writes=True,
        audit_entries=2,
        watch=("inspections.ItemList", "inspections.Item"),
    ),
    "GET /inspections/items/{pk}/": Endpoint(INSPECTION_LIST_PAGE, target="insp_item_list"),
    "GET /inspections/figures/": Endpoint(PAGE_HEADS),
    # --- API: inspections ---------------------------------------------------------------------
    "GET /api/v1/inspections/item-lists": Endpoint(INSPECTION_LIST_API),
    "POST /api/v1/inspections/item-lists/publish-packaged": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_CREATED,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_CREATED,
        ),
        holder="administrator",
        writes=True,
        audit_entries=2,
        watch=("inspections.ItemList", "inspections.Item"),
    ),
    "GET /api/v1/inspections/items": Endpoint(INSPECTION_LIST_API),
    "GET /api/v1/inspections/my-tasks": Endpoint(INSPECTION_LIST_API),
    "GET /api/v1/inspections/enterprises/{enterprise_id}/history": Endpoint(
        INSPECTION_RECORD_API, target="xuanwu_enterprise"
    ),
    "POST /api/v1/inspections/records": Endpoint(
        XUANWU_WRITE_API(A_CREATED, A_NOT_AN_OFFICER),
        body="insp_start_json",
        json=True,
        writes=True,
        watch=("inspections.Inspection",),
    ),
    "GET /api/v1/inspections/records/{record_id}": Endpoint(
        INSPECTION_RECORD_API, target="insp_submitted"
    ),
    "PUT /api/v1/inspections/records/{record_id}": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="insp_draft",
        body="insp_save_json",
        json=True,
        writes=True,
    ),
    "POST /api/v1/inspections/records/{record_id}/submit": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="insp_filled_draft",
        writes=True,
        watch=("inspections.RectificationOrder",),
    ),
    # A multipart upload: a form without the file is refused by validation (422) for everyone
    # signed in; scope and role of uploads are tested in tests/inspections/test_api.py.
    "POST /api/v1/inspections/records/{record_id}/attachments": Endpoint(
        row(A_UNAUTHENTICATED, *[A_INVALID] * 7),
        target="insp_draft",
        body="insp_upload_form",
        writes=True,
        watch=("inspections.Attachment",),
    ),
    "GET /api/v1/inspections/attachments/{attachment_id}": Endpoint(
        INSPECTION_RECORD_API, target="insp_attachment"
    ),
    "POST /api/v1/inspections/records/{record_id}/measures": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        target="insp_major_draft",
        body="insp_measure_json",
        json=True,
        writes=True,
        watch=("inspections.OnSiteMeasure",),
    ),
    "POST /api/v1/inspections/measures/{measure_id}/lift": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="insp_measure",
        body="insp_lift_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/inspections/records": Endpoint(INSPECTION_LIST_API),
    "GET /api/v1/inspections/orders": Endpoint(INSPECTION_LIST_API),
    "GET /api/v1/inspections/orders/{order_id}": Endpoint(
        INSPECTION_RECORD_API, target="insp_order"
    ),
    "POST /api/v1/inspections/orders/{order_id}/reinspections": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        target="insp_order",
        body="insp_reinspection_json",
        json=True,
        writes=True,
        watch=("inspections.Reinspection", "inspections.CaseProposal"),
    ),
    "GET /api/v1/inspections/schemes": Endpoint(INSPECTION_LIST_API),
    "POST /api/v1/inspections/schemes": Endpoint(
        XUANWU_WRITE_API(A_CREATED, A_NOT_AN_OFFICER),
        body="insp_scheme_json",
        json=True,
        writes=True,
        watch=("inspections.InspectionScheme",),
    ),
    "GET /api/v1/inspections/schemes/{scheme_id}": Endpoint(
        INSPECTION_RECORD_API, target="insp_scheme"
    ),
    "POST /api/v1/inspections/schemes/{scheme_id}/submit": Endpoint(
        XUANWU_WRITE_API(A_OK), target="insp_scheme", writes=True
    ),
    "POST /api/v1/inspections/schemes/{scheme_id}/decision": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_NOT_FOUND,
            A_FORBIDDEN,
            A_OK,
            A_OK,
            A_NOT_FOUND,
            A_FORBIDDEN,
            A_OK,
        ),
        target="insp_submitted_scheme",
        body="insp_decision_json",
        json=True,
        writes=True,
    ),
    "GET /api/v1/inspections/case-proposals": Endpoint(INSPECTION_LIST_API),
    "GET /api/v1/inspections/figures": Endpoint(API_HEADS),
    # --- cases and evidence (issue #5): targets and bodies in tests/cases/matrix_support.py -----
    "GET /cases/": Endpoint(PAGE_SIGNED_IN),
    "GET /cases/deadlines/": Endpoint(PAGE_SIGNED_IN),
    "GET /cases/new/": Endpoint(row(LOGIN, OK, FORBIDDEN, OK, OK, OK, OK, OK)),
    # Filing for a 玄武区 enterprise: 鼓楼区 and the township do not see it (the form says so).
    "POST /cases/new/": Endpoint(
        row(
            LOGIN,
            CASE_FORM_REFUSED,
            FORBIDDEN,
            TO_CASE,
            TO_CASE,
            CASE_FORM_REFUSED,
            TO_CASE,
            FORBIDDEN,
        ),
        body="case_new_form",
        writes=True,
        watch=("cases.Case", "cases.CaseEvent"),
    ),
    "GET /cases/on-the-spot/": Endpoint(row(LOGIN, OK, FORBIDDEN, OK, OK, OK, OK, OK)),
    "POST /cases/on-the-spot/": Endpoint(
        row(
            LOGIN,
            CASE_FORM_REFUSED,
            FORBIDDEN,
            TO_CASE,
            TO_CASE,
            CASE_FORM_REFUSED,
            TO_CASE,
            FORBIDDEN,
        ),
        body="case_spot_form",
        writes=True,
        watch=("cases.Case", "cases.Penalty"),
    ),
    "GET /cases/{pk}/": Endpoint(PAGE_XUANWU_DOCUMENT, target="case"),
    # 立案审批 needs cases.approve_filing (section head, bureau head): the expired inspector may not.
    "POST /cases/{pk}/act/{action}/": Endpoint(
        row(LOGIN, NOT_FOUND, FORBIDDEN, TO_CASE, TO_CASE, NOT_FOUND, FORBIDDEN, TO_CASE),
        target="case_action",
        body="case_act_form",
        writes=True,
        watch=("cases.CaseEvent",),
    ),
    # Removing a party entered by mistake (cases.handle): the same URL, a step of its own.
    "POST /cases/{pk}/act/{action}/ (remove_party)": Endpoint(
        XUANWU_WRITE_PAGE(TO_CASE, FORBIDDEN),
        target="case_party_removal",
        body="case_remove_party_form",
        writes=True,
        watch=("cases.CaseParty", "cases.CaseEvent"),
    ),
    "GET /evidence/{pk}/": Endpoint(PAGE_XUANWU_DOCUMENT, target="evidence"),
    "POST /evidence/{pk}/files/": Endpoint(
        XUANWU_WRITE_PAGE(TO_EVIDENCE),
        target="evidence",
        body="evidence_upload",
        multipart=True,
        writes=True,
        watch=("evidence.EvidenceFile",),
    ),
    # The archivist keeps the evidence room: custody is recorded by officers and archivists.
    "POST /evidence/{pk}/custody/": Endpoint(
        row(
            LOGIN,
            NOT_FOUND,
            TO_EVIDENCE,
            TO_EVIDENCE,
            TO_EVIDENCE,
            NOT_FOUND,
            TO_EVIDENCE,
            TO_EVIDENCE,
        ),
        target="evidence",
        body="custody_form",
        writes=True,
        watch=("evidence.CustodyEvent",),
    ),
    "POST /evidence/{pk}/exclude/": Endpoint(
        row(
            LOGIN, NOT_FOUND, FORBIDDEN, TO_EVIDENCE, TO_EVIDENCE, NOT_FOUND, FORBIDDEN, TO_EVIDENCE
        ),
        target="evidence",
        body="exclude_form",
        writes=True,
    ),
    "GET /evidence/files/{pk}/download/": Endpoint(PAGE_XUANWU_DOCUMENT, target="evidence_file"),
    "GET /evidence/preservations/{pk}/": Endpoint(PAGE_XUANWU_DOCUMENT, target="preservation"),
    "POST /evidence/preservations/{pk}/": Endpoint(
        XUANWU_WRITE_PAGE(TO_PRESERVATION),
        target="preservation",
        body="preservation_form",
        writes=True,
    ),
    # --- API: cases and evidence --------------------------------------------------------------
    "GET /api/v1/cases": Endpoint(API_DOCUMENTS),
    "GET /api/v1/cases/deadlines/by-agency": Endpoint(API_DOCUMENTS),
    "GET /api/v1/cases/deadlines/by-officer": Endpoint(API_DOCUMENTS),
    "GET /api/v1/cases/transitions": Endpoint(API_DOCUMENTS),
    "POST /api/v1/cases": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_NOT_VISIBLE,
            A_FORBIDDEN,
            A_CREATED,
            A_CREATED,
            A_NOT_VISIBLE,
            A_CREATED,
            A_NOT_AN_OFFICER,
        ),
        body="case_create_json",
        json=True,
        writes=True,
        watch=("cases.Case", "cases.CaseEvent"),
    ),
    "POST /api/v1/cases/on-the-spot": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_NOT_VISIBLE,
            A_FORBIDDEN,
            A_CREATED,
            A_CREATED,
            A_NOT_VISIBLE,
            A_CREATED,
            A_NOT_AN_OFFICER,
        ),
        body="case_spot_json",
        json=True,
        writes=True,
        watch=("cases.Case", "cases.Penalty"),
    ),
    "GET /api/v1/cases/{case_id}": Endpoint(API_DOCUMENT, target="case"),
    "GET /api/v1/cases/{case_id}/timeline": Endpoint(API_DOCUMENT, target="case"),
    "POST /api/v1/cases/{case_id}/actions/{action}": Endpoint(
        row(
            A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_NOT_FOUND, A_FORBIDDEN, A_OK
        ),
        target="case_action",
        body="case_act_json",
        json=True,
        writes=True,
        watch=("cases.CaseEvent",),
    ),
    "POST /api/v1/cases/{case_id}/actions/{action} (remove_party)": Endpoint(
        XUANWU_WRITE_API(A_OK, A_FORBIDDEN),
        target="case_party_removal",
        body="case_remove_party_json",
        json=True,
        writes=True,
        watch=("cases.CaseParty", "cases.CaseEvent"),
    ),
    "POST /api/v1/evidence": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_NOT_VISIBLE,
            A_FORBIDDEN,
            A_CREATED,
            A_CREATED,
            A_NOT_VISIBLE,
            A_CREATED,
            A_NOT_AN_OFFICER,
        ),
        body="evidence_json",
        json=True,
        writes=True,
        watch=("evidence.Evidence",),
    ),
    "GET /api/v1/evidence/{evidence_id}": Endpoint(API_DOCUMENT, target="evidence"),
    "POST /api/v1/evidence/{evidence_id}/files": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        target="evidence",
        body="evidence_upload",
        multipart=True,
        writes=True,
        watch=("evidence.EvidenceFile",),
    ),
    "GET /api/v1/evidence/files/{file_id}/download": Endpoint(API_DOCUMENT, target="evidence_file"),
    "POST /api/v1/evidence/{evidence_id}/custody": Endpoint(
        row(
            A_UNAUTHENTICATED,
            A_NOT_FOUND,
            A_CREATED,
            A_CREATED,
            A_CREATED,
            A_NOT_FOUND,
            A_CREATED,
            A_CREATED,
        ),
        target="evidence",
        body="custody_json",
        json=True,
        writes=True,
        watch=("evidence.CustodyEvent",),
    ),
    "POST /api/v1/evidence/{evidence_id}/exclude": Endpoint(
        row(
            A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_NOT_FOUND, A_FORBIDDEN, A_OK
        ),
        target="evidence",
        body="exclude_form",
        json=True,
        writes=True,
    ),
    "GET /api/v1/evidence/preservations/{preservation_id}": Endpoint(
        API_DOCUMENT, target="preservation"
    ),
    "POST /api/v1/evidence/preservations/{preservation_id}/decision": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="preservation",
        body="preservation_json",
        json=True,
        writes=True,
    ),
    # Written records of a case (询问笔录, 勘验笔录, …): kept by the handling officers.
    "GET /cases/{pk}/records/new/{kind}/": Endpoint(
        XUANWU_WRITE_PAGE(OK), target="case_record_kind"
    ),
    "POST /cases/{pk}/records/new/{kind}/": Endpoint(
        XUANWU_WRITE_PAGE(TO_CASE),
        target="case_record_kind",
        body="case_record_form",
        writes=True,
        watch=("cases.CaseRecord",),
    ),
    "GET /cases/records/{pk}/": Endpoint(PAGE_XUANWU_DOCUMENT, target="case_record"),
    "GET /cases/records/{pk}/edit/": Endpoint(XUANWU_WRITE_PAGE(OK), target="case_record"),
    "POST /cases/records/{pk}/edit/": Endpoint(
        XUANWU_WRITE_PAGE(TO_CASE),
        target="case_record",
        body="case_record_form",
        writes=True,
        watch=("cases.CaseRecord",),
    ),
    "GET /api/v1/cases/record-kinds": Endpoint(API_DOCUMENTS),
    "GET /api/v1/cases/{case_id}/records": Endpoint(API_DOCUMENT, target="case"),
    "POST /api/v1/cases/{case_id}/records": Endpoint(
        XUANWU_WRITE_API(A_CREATED),
        target="case",
        body="case_record_json",
        json=True,
        writes=True,
        watch=("cases.CaseRecord",),
    ),
    "GET /api/v1/cases/records/{record_id}": Endpoint(API_DOCUMENT, target="case_record"),
    "POST /api/v1/cases/records/{record_id}": Endpoint(
        XUANWU_WRITE_API(A_OK),
        target="case_record",
        body="case_record_revision_json",
        json=True,
        writes=True,
        watch=("cases.CaseRecord",),
    ),
}

# --- planning (issue #7): targets and bodies in tests/planning/matrix_support.py -------------
# Plans, draws and operations of 玄武区 (its section head is the right holder). Writing them is for
# section and bureau heads: the archivist, the township inspector and the inspector whose certificate
# has expired are refused; the province may act on a record of a county below it.
PLANNING_WATCH = (
    "planning.AnnualPlan",
    "planning.PlanEnterprise",
    "planning.Draw",
    "planning.Operation",
    "planning.Team",
    "planning.ConflictDeclaration",
    "planning.InspectionTask",
)
TO_PLANNING = Outcome(302, location="/planning/")
P_RECORD = PAGE_XUANWU_RECORD
P_WRITE = row(
    LOGIN, NOT_FOUND, FORBIDDEN, TO_PLANNING, TO_PLANNING, NOT_FOUND, FORBIDDEN, TO_PLANNING
)
P_PUBLIC = everyone(OK)
A_RECORD = API_XUANWU_RECORD
A_WRITE = row(
    A_UNAUTHENTICATED, A_NOT_FOUND, A_FORBIDDEN, A_OK, A_OK, A_NOT_FOUND, A_FORBIDDEN, A_OK
)
A_CREATE = row(
    A_UNAUTHENTICATED,
    A_CREATED,
    A_FORBIDDEN,
    A_CREATED,
    A_CREATED,
    A_FORBIDDEN,
    A_FORBIDDEN,
    A_CREATED,
)
A_PUBLIC = everyone(A_OK)
# The superuser belongs to no agency: what is created in an agency's name is refused. Pages say so in
# a flash message after the redirect, or on the form again; the API answers 403 ``no_agency``.
P_NO_AGENCY = Outcome(200, allowed=False, text="您不属于任何执法机构")
A_NO_AGENCY = Outcome(403, allowed=False, code="no_agency")
# An officer named by number outside the actor's scope: refused as unknown, with the number named.
P_NUMBER_UNKNOWN = Outcome(200, allowed=False, text="不存在或不在您的管辖范围内")
A_OFFICER_UNKNOWN = Outcome(400, allowed=False, code="officer_unknown")


def _plan_write(
    expect: dict[str, Outcome], target: str | None, body: str | None = None, **kw: Any
) -> Endpoint:
    json_body = kw.pop("json", False)
    return Endpoint(
        expect, target=target, body=body, json=json_body, writes=True, watch=PLANNING_WATCH, **kw
    )


PLANNING: dict[str, Endpoint] = {
    "GET /planning/": Endpoint(PAGE_SIGNED_IN),
    "POST /planning/": _plan_write(
        row(
            LOGIN,
            TO_PLANNING,
            FORBIDDEN,
            TO_PLANNING,
            TO_PLANNING,
            FORBIDDEN,
            FORBIDDEN,
            Outcome(200, allowed=False, text="须为执法机构人员"),
        ),
        None,
        "planning_plan_form",
    ),
    "GET /planning/plans/{pk}/": Endpoint(P_RECORD, target="planning_plan"),
    "POST /planning/plans/{pk}/parameters/": _plan_write(
        P_WRITE, "planning_plan", "planning_parameters_form"
    ),
    "POST /planning/plans/{pk}/build/": _plan_write(P_WRITE, "planning_plan"),
    "POST /planning/plans/{pk}/transition/": _plan_write(
        P_WRITE, "planning_plan", "planning_submit"
    ),
    "POST /planning/plans/{pk}/adjust/": _plan_write(
        P_WRITE, "planning_plan", "planning_adjust_form"
    ),
    "GET /planning/plans/{pk}/enterprises/": Endpoint(P_RECORD, target="planning_plan"),
    "GET /planning/plans/{pk}/completion/": Endpoint(P_RECORD, target="planning_plan"),
    "GET /planning/completion/": Endpoint(PAGE_SIGNED_IN),
    "GET /planning/overlap/": Endpoint(PAGE_SIGNED_IN),
    "GET /planning/tasks/": Endpoint(PAGE_SIGNED_IN),
    "GET /planning/tasks/{pk}/": Endpoint(P_RECORD, target="planning_task"),
    "GET /planning/draws/": Endpoint(PAGE_SIGNED_IN),
    "GET /planning/draws/new/": Endpoint(PAGE_HEADS),
    "POST /planning/draws/new/": _plan_write(
        row(
            LOGIN,
            TO_PLANNING,
            FORBIDDEN,
            TO_PLANNING,
            TO_PLANNING,
            FORBIDDEN,
            FORBIDDEN,
            P_NO_AGENCY,
        ),
        None,
        "planning_draw_form",
    ),
    "GET /planning/draws/{pk}/": Endpoint(P_RECORD, target="planning_draft_draw"),
    "GET /planning/draws/{pk}/file.json": Endpoint(P_RECORD, target="planning_published_draw"),
    "POST /planning/draws/{pk}/{action}/": _plan_write(
        P_WRITE, "planning_commit_action", "planning_commit"
    ),
    "GET /planning/operations/": Endpoint(PAGE_SIGNED_IN),
    "GET /planning/operations/new/": Endpoint(PAGE_HEADS),
    "POST /planning/operations/new/": _plan_write(
        row(
            LOGIN,
            Outcome(200, allowed=False, text="不在您的管辖范围内"),
            FORBIDDEN,
            TO_PLANNING,
            Outcome(200, allowed=False, text="不属于参加行动的机构"),
            FORBIDDEN,
            FORBIDDEN,
            P_NO_AGENCY,
        ),
        None,
        "planning_operation_form",
    ),
    "GET /planning/operations/{pk}/": Endpoint(P_RECORD, target="planning_operation"),
    "POST /planning/operations/{pk}/close/": _plan_write(
        P_WRITE, "planning_operation", "planning_reason_form"
    ),
    "GET /planning/conflicts/": Endpoint(PAGE_SIGNED_IN),
    "POST /planning/conflicts/": _plan_write(
        row(
            LOGIN,
            P_NUMBER_UNKNOWN,
            TO_PLANNING,
            TO_PLANNING,
            TO_PLANNING,
            P_NUMBER_UNKNOWN,
            FORBIDDEN,
            TO_PLANNING,
        ),
        None,
        "planning_conflict_form",
    ),
    "GET /planning/teams/": Endpoint(PAGE_SIGNED_IN),
    "POST /planning/teams/": _plan_write(
        row(
            LOGIN,
            P_NUMBER_UNKNOWN,
            FORBIDDEN,
            TO_PLANNING,
            Outcome(200, allowed=False, text="不属于"),
            FORBIDDEN,
            FORBIDDEN,
            P_NO_AGENCY,
        ),
        None,
        "planning_team_form",
    ),
    "GET /planning/public/": Endpoint(P_PUBLIC),
    "GET /planning/public/items/": Endpoint(P_PUBLIC),
    "GET /planning/public/notices/{pk}/": Endpoint(P_PUBLIC, target="planning_notice"),
    "GET /planning/public/draws/{pk}/file.json": Endpoint(
        P_PUBLIC, target="planning_published_draw"
    ),
    "GET /planning/public/verify/": Endpoint(P_PUBLIC),
    "POST /planning/public/verify/": Endpoint(
        P_PUBLIC, body="planning_verify_upload", multipart=True
    ),
    # API
    "GET /api/v1/planning/plans": Endpoint(API_SIGNED_IN),
    "POST /api/v1/planning/plans": _plan_write(
        A_CREATE | {SUPERUSER: A_NO_AGENCY}, None, "planning_plan_json", json=True
    ),
    "GET /api/v1/planning/plans/{plan_id}": Endpoint(A_RECORD, target="planning_plan"),
    "PUT /api/v1/planning/plans/{plan_id}/parameters": _plan_write(
        A_WRITE, "planning_plan", "planning_parameters_json", json=True
    ),
    "POST /api/v1/planning/plans/{plan_id}/build": _plan_write(A_WRITE, "planning_plan", json=True),
    "POST /api/v1/planning/plans/{plan_id}/adjust": _plan_write(
        A_WRITE, "planning_plan", "planning_adjust_json", json=True
    ),
    "POST /api/v1/planning/plans/{plan_id}/transitions": _plan_write(
        A_WRITE, "planning_plan", "planning_submit", json=True
    ),
    "GET /api/v1/planning/plans/{plan_id}/enterprises": Endpoint(A_RECORD, target="planning_plan"),
    "GET /api/v1/planning/plans/{plan_id}/completion": Endpoint(A_RECORD, target="planning_plan"),
    "GET /api/v1/planning/completion": Endpoint(
        API_SIGNED_IN, query=f"year={planning_matrix.YEAR}"
    ),
    "GET /api/v1/planning/overlap": Endpoint(API_SIGNED_IN, query=f"year={planning_matrix.YEAR}"),
    "GET /api/v1/planning/tasks": Endpoint(API_SIGNED_IN),
    "GET /api/v1/planning/tasks/{task_id}": Endpoint(A_RECORD, target="planning_task"),
    "POST /api/v1/planning/tasks/{task_id}/cancel": _plan_write(
        A_WRITE, "planning_task", "planning_reason_json", json=True
    ),
    "GET /api/v1/planning/draws": Endpoint(API_SIGNED_IN),
    "POST /api/v1/planning/draws": _plan_write(
        A_CREATE | {SUPERUSER: A_NO_AGENCY}, None, "planning_draw_json", json=True
    ),
    "GET /api/v1/planning/draws/{draw_id}": Endpoint(A_RECORD, target="planning_draft_draw"),
    "POST /api/v1/planning/draws/{draw_id}/commit": _plan_write(
        A_WRITE, "planning_draft_draw", "planning_commit", json=True
    ),
    "POST /api/v1/planning/draws/{draw_id}/draw": _plan_write(
        A_WRITE, "planning_committed_draw", "planning_seed_json", json=True
    ),
    "POST /api/v1/planning/draws/{draw_id}/publish": _plan_write(
        A_WRITE, "planning_drawn_draw", json=True
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-request": _plan_write(
        A_WRITE, "planning_drawn_draw", "planning_reason_json", json=True
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-approval": _plan_write(
        A_WRITE,
        "planning_void_requested_draw",
        "planning_void_json",
        json=True,
        holder="planning_bureau_head",
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-rejection": _plan_write(
        A_WRITE,
        "planning_void_requested_draw",
        "planning_reason_json",
        json=True,
        holder="planning_bureau_head",
    ),
    "GET /api/v1/planning/draws/{draw_id}/file": Endpoint(
        A_RECORD, target="planning_published_draw"
    ),
    "POST /api/v1/planning/public/verify": Endpoint(
        A_PUBLIC, body="planning_draw_file_json", json=True
    ),
    "GET /api/v1/planning/operations": Endpoint(API_SIGNED_IN),
    "POST /api/v1/planning/operations": _plan_write(
        row(
            A_UNAUTHENTICATED,
            A_OUTSIDE,
            A_FORBIDDEN,
            A_CREATED,
            Outcome(400, allowed=False, code="operation_officers"),
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_NO_AGENCY,
        ),
        None,
        "planning_operation_json",
        json=True,
    ),
    "GET /api/v1/planning/operations/{operation_id}": Endpoint(
        A_RECORD, target="planning_operation"
    ),
    "POST /api/v1/planning/operations/{operation_id}/close": _plan_write(
        A_WRITE, "planning_operation", "planning_reason_json", json=True
    ),
    "GET /api/v1/planning/conflicts": Endpoint(API_SIGNED_IN),
    "POST /api/v1/planning/conflicts": _plan_write(
        row(
            A_UNAUTHENTICATED,
            A_OFFICER_UNKNOWN,
            A_CREATED,
            A_CREATED,
            A_CREATED,
            A_OFFICER_UNKNOWN,
            A_FORBIDDEN,
            A_CREATED,
        ),
        None,
        "planning_conflict_json",
        json=True,
    ),
    "GET /api/v1/planning/teams": Endpoint(API_SIGNED_IN),
    "POST /api/v1/planning/teams": _plan_write(
        row(
            A_UNAUTHENTICATED,
            A_OFFICER_UNKNOWN,
            A_FORBIDDEN,
            A_CREATED,
            Outcome(400, allowed=False, code="team_outside_agency"),
            A_FORBIDDEN,
            A_FORBIDDEN,
            A_NO_AGENCY,
        ),
        None,
        "planning_team_json",
        json=True,
    ),
    "GET /api/v1/planning/public/notices": Endpoint(A_PUBLIC),
    "GET /api/v1/planning/public/notices/{notice_id}": Endpoint(A_PUBLIC, target="planning_notice"),
    "GET /api/v1/planning/public/items": Endpoint(A_PUBLIC),
    "GET /api/v1/planning/public/draws/{draw_id}/file": Endpoint(
        A_PUBLIC, target="planning_published_draw"
    ),
}
MATRIX.update(PLANNING)

# Separation of duties (docs/adr/0010-technical-administrator.md): the technical administrator (the
# Django superuser, no officer) holds the administrator role's permissions and sees every record,
# but performs no enforcement act and opens no record reserved to those who act (the case file, the
# supervision page). Each of these is refused to the superuser, whatever its row above says.
ENFORCEMENT_ONLY = (
    "GET /api/v1/documents/case-files/{case_key}",
    "GET /cases/new/",
    "GET /cases/on-the-spot/",
    "GET /cases/records/{pk}/edit/",
    "GET /cases/{pk}/records/new/{kind}/",
    "GET /documents/case-files/{case_key}/pdf/",
    "GET /inspections/records/{pk}/record/",
    "GET /inspections/start/",
    "GET /inspections/supervision/",
    "POST /api/v1/cases",
    "POST /api/v1/cases/on-the-spot",
    "POST /api/v1/cases/records/{record_id}",
    "POST /api/v1/cases/{case_id}/actions/{action}",
    "POST /api/v1/cases/{case_id}/records",
    "POST /api/v1/documents",
    "POST /api/v1/documents/{document_id}/deliveries",
    "POST /api/v1/documents/{document_id}/issue",
    "POST /api/v1/documents/{document_id}/refresh",
    "POST /api/v1/documents/{document_id}/void",
    "POST /api/v1/evidence",
    "POST /api/v1/evidence/preservations/{preservation_id}/decision",
    "POST /api/v1/evidence/{evidence_id}/custody",
    "POST /api/v1/evidence/{evidence_id}/exclude",
    "POST /api/v1/evidence/{evidence_id}/files",
    "POST /api/v1/inspections/measures/{measure_id}/lift",
    "POST /api/v1/inspections/orders/{order_id}/reinspections",
    "POST /api/v1/inspections/records",
    "POST /api/v1/inspections/records/{record_id}/measures",
    "POST /api/v1/inspections/records/{record_id}/submit",
    "POST /api/v1/inspections/schemes",
    "POST /api/v1/inspections/schemes/{scheme_id}/decision",
    "POST /api/v1/inspections/schemes/{scheme_id}/submit",
    "POST /api/v1/planning/draws/{draw_id}/void-approval",
    "POST /api/v1/planning/draws/{draw_id}/void-rejection",
    "POST /cases/records/{pk}/edit/",
    "POST /cases/{pk}/act/{action}/",
    "POST /cases/{pk}/records/new/{kind}/",
    "POST /documents/subjects/{subject_type}/{subject_id}/generate/",
    "POST /documents/{pk}/deliver/",
    "POST /documents/{pk}/issue/",
    "POST /documents/{pk}/refresh/",
    "POST /documents/{pk}/void/",
    "POST /evidence/preservations/{pk}/",
    "POST /evidence/{pk}/custody/",
    "POST /evidence/{pk}/exclude/",
    "POST /evidence/{pk}/files/",
    "POST /inspections/measures/{pk}/lift/",
    "POST /inspections/orders/{pk}/",
    "POST /inspections/records/{pk}/measures/",
    "POST /inspections/records/{pk}/record/",
    "POST /inspections/schemes/{pk}/",
    "PUT /api/v1/inspections/records/{record_id}",
)
for _key in ENFORCEMENT_ONLY:
    _refused = A_FORBIDDEN if _key.split(" ", 1)[1].startswith("/api/") else FORBIDDEN
    MATRIX[_key] = replace(MATRIX[_key], expect={**MATRIX[_key].expect, SUPERUSER: _refused})

# ---------------------------------------------------------------------------------------------
# Targets (the record a URL names) and bodies, built from the cast.

TARGETS: dict[str, Callable[[Cast], Any]] = {
    "xuanwu_enterprise": lambda cast: cast.enterprises["xuanwu"],
    "street_enterprise": lambda cast: cast.enterprises["street"],
    "xuanwu_agency": lambda cast: cast.agencies["xuanwu"],
    "xuanwu_officer": lambda cast: cast.xuanwu.officer,
    "xuanwu_document": lambda cast: _xuanwu_document(cast, issued=True),
    "xuanwu_document_page": lambda cast: (_xuanwu_document(cast, issued=True), 1),
    "xuanwu_draft": lambda cast: _xuanwu_document(cast, issued=False),
    "xuanwu_subject": lambda cast: (_documents_subject(), cast.enterprises["xuanwu"].pk),
    "xuanwu_case_key": lambda cast: _xuanwu_document(cast, issued=True).case_key,
    "violation_code": lambda cast: _first_violation_code(),
}
TARGETS.update(inspection_matrix.TARGETS)
TARGETS.update(case_matrix.TARGETS)
TARGETS.update(planning_matrix.TARGETS)
TARGETS["import_job"] = lambda cast: _import_job(cast)
TARGETS["export_job"] = lambda cast: _export_job(cast)
TARGETS["street_agency"] = lambda cast: cast.agencies["street"]
TARGETS["street_delegation"] = lambda cast: _street_delegation(cast)
TARGETS["street_grid"] = lambda cast: _street_grid(cast)
TARGETS["street_claim"] = lambda cast: _street_claim(cast)
# The claim as a URL value only: withdrawn, it no longer exists to compare before and after.
TARGETS["street_claim_ref"] = lambda cast: (_street_claim(cast),)


def _first_violation_code() -> str:
    from anjian.law import interface

    return interface.violations()[0].code


def _enterprise_fields(cast: Cast) -> dict[str, Any]:
    return {
        "uscc": make_uscc(500),
        "name": "玄武新登记有限公司",
        "legal_representative": "王五",
        "address": "玄武区某路9号",
        "region_code": "320102",
        "industry_code": cast.industry.code,
        "employees": 10,
        "revenue": "100.00",
        "status": "operating",
        "risk_grade": "low",
    }


def _edited_fields(cast: Cast) -> dict[str, Any]:
    enterprise = cast.enterprises["xuanwu"]
    return {
        **_enterprise_fields(cast),
        "uscc": enterprise.uscc,
        "name": "玄武化工（更名）有限公司",
    }


BODIES: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "login": lambda cast: {"username": "xuanwu_head", "password": PASSWORD},
    "language": lambda cast: {"language": "zh-hans", "next": "/"},
    "token": lambda cast: {"username": "xuanwu_head", "password": PASSWORD, "name": "matrix"},
    "enterprise_form": _enterprise_fields,
    "enterprise_edit_form": lambda cast: {
        **_edited_fields(cast),
        "supervising_agency": cast.agencies["xuanwu"].pk,
    },
    "assign_form": lambda cast: {
        "enterprise": cast.enterprises["street"].pk,
        "agency": cast.agencies["xuanwu"].pk,
        "reason": "街道办事处无处罚权，改由区局监管",
    },
    "enterprise_json": lambda cast: {
        **_enterprise_fields(cast),
        "supervising_agency_id": cast.agencies["xuanwu"].pk,
    },
    "enterprise_edit_json": lambda cast: {
        **_edited_fields(cast),
        "supervising_agency_id": cast.agencies["xuanwu"].pk,
    },
    "deadlines_json": lambda cast: {"events": {_first_event(): "2026-03-02"}},
    "accident_json": lambda cast: {"deaths": 0, "serious_injuries": 1, "direct_loss_yuan": 50000},
    "discretion_json": lambda cast: {
        "violation_codes": ["WSL2021-097-03"],
        "act_date": "2025-03-01",
        "decision_date": "2025-05-01",
        "party": "unit",
        "stage": "first_order",
    },
    "override_json": lambda cast: {
        "day": "2031-10-08",
        "is_working_day": False,
        "note": "国务院办公厅关于2031年部分节假日安排的通知",
    },
    "assign_json": lambda cast: {
        "agency_id": cast.agencies["xuanwu"].pk,
        "reason": "街道办事处无处罚权，改由区局监管",
    },
    "profile_form": lambda cast: {"review_body": "某区人民政府", "court": "某区人民法院"},
    "profile_json": lambda cast: {"review_body": "某区人民政府", "court": "某区人民法院"},
    "verify_form": lambda cast: {"sha256": "0" * 64},
    "verify_json": lambda cast: {"sha256": "0" * 64},
    "void_form": lambda cast: {"reason": "当事人名称有误"},
    "void_json": lambda cast: {"reason": "当事人名称有误"},
    "delivery_form": lambda cast: {
        "method": "direct",
        "delivered_at": _now_local(),
        "recipient": "玄武化工有限公司",
        "place": "玄武区某路1号",
    },
    "delivery_json": lambda cast: {
        "method": "direct",
        "delivered_at": _now_local(with_zone=True),
        "recipient": "玄武化工有限公司",
        "place": "玄武区某路1号",
    },
    "generate_form": lambda cast: {"type_id": "inspection_record"},
    "draft_json": lambda cast: {
        "type_id": "inspection_record",
        "subject_type": _documents_subject(),
        "subject_id": str(cast.enterprises["xuanwu"].pk),
    },
}

BODIES.update(inspection_matrix.BODIES)
BODIES.update(case_matrix.BODIES)
BODIES.update(planning_matrix.BODIES)
BODIES["import_upload"] = lambda cast: {"file": _import_file()}
BODIES["export_form"] = lambda cast: _export_body({"list": "registry.enterprises", "q": "化工"})
BODIES["export_json"] = lambda cast: _export_body(
    {"list": "registry.enterprises", "filters": {"q": "化工"}}
)
BODIES["delegation_form"] = lambda cast: {
    "kind": "entrustment",
    "delegating_agency": cast.agencies["xuanwu"].pk,
    "instrument_number": "玄应急委〔2026〕7号",
    "scope": "安全生产法第九十七条规定的行政处罚",
    "violation_codes": "WSL2021-097",
    "valid_from": "2026-01-01",
}
BODIES["delegation_json"] = lambda cast: {
    "kind": "entrustment",
    "delegating_agency_id": cast.agencies["xuanwu"].pk,
    "instrument_number": "玄应急委〔2026〕7号",
    "scope": "安全生产法第九十七条规定的行政处罚",
    "violation_codes": ["WSL2021-097"],
    "valid_from": "2026-01-01",
}
BODIES["delegation_change_json"] = lambda cast: {
    **BODIES["delegation_json"](cast),
    "violation_codes": ["WSL2021-097", "WSL2021-099"],
    "reason": "委托范围调整",
}
BODIES["delegation_change_form"] = lambda cast: {
    **BODIES["delegation_form"](cast),
    "violation_codes": "WSL2021-097\nWSL2021-099",
    "reason": "委托范围调整",
}
BODIES["end_delegation_form"] = lambda cast: {"valid_to": "2026-06-30", "reason": "收回委托"}
BODIES["end_delegation_json"] = BODIES["end_delegation_form"]
BODIES["grid_form"] = lambda cast: {"name": "矩阵网格", "region_code": "320102001"}
BODIES["grid_json"] = BODIES["grid_form"]
BODIES["grid_officer_form"] = lambda cast: {"officer": cast.township.officer.pk}
BODIES["grid_officer_json"] = lambda cast: {"officer_id": cast.township.officer.pk}
BODIES["claim_form"] = lambda cast: {"agency": cast.agencies["xuanwu"].pk, "note": "区局名录在册"}
BODIES["claim_json"] = lambda cast: {
    "agency_id": cast.agencies["xuanwu"].pk,
    "note": "区局名录在册",
}
BODIES["claim_decision_form"] = lambda cast: {"outcome": "uphold", "reason": "街道无处罚权"}
BODIES["claim_decision_json"] = lambda cast: {"uphold": True, "reason": "街道无处罚权"}
BODIES["claim_withdrawal_form"] = lambda cast: {"reason": "申报有误"}


def _first_event() -> str:
    from anjian.law import interface

    return interface.event_choices()[0][0]


# ---------------------------------------------------------------------------------------------
# Enumerating the endpoints the project serves.

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
SKIPPED_PREFIXES = ("/static/", "/media/")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                # Only the admin's front door: its internals are Django's and guarded by is_staff.
                yield from (
                    route + str(sub.pattern)
                    for sub in pattern.url_patterns
                    if isinstance(sub, URLPattern) and sub.name == "index"
                )
                continue
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route


def served_routes() -> set[str]:
    """Every URL route, as ``/path/{param}``."""
    routes = {"/" + PARAMETER.sub(r"{\1}", route) for route in _walk(get_resolver().url_patterns)}
    return {r for r in routes if not r.startswith(SKIPPED_PREFIXES)}


def api_operations() -> set[str]:
    """Every operation of the ninja API, as ``METHOD /api/v1/path/{param}``."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _path(key: str) -> str:
    """The path of a key; a key may name one step of a path after it (``… (remove_party)``)."""
    return key.split(" ")[1]


def _operation(key: str) -> str:
    return " ".join(key.split(" ")[:2])


def test_every_endpoint_is_in_the_matrix():
    operations = api_operations()
    operation_paths = {_path(op) for op in operations}
    matrix_paths = {_path(key) for key in MATRIX}
    unclassified = sorted(
        {op for op in operations if op not in MATRIX}
        | {
            f"ANY {route}"
            for route in served_routes()
            if route not in operation_paths and route not in matrix_paths
        }
    )
    assert unclassified == [], f"unclassified endpoint(s), add them to MATRIX: {unclassified}"


def test_every_matrix_entry_is_still_served():
    operations = api_operations()  # built once: it reads the whole OpenAPI document
    api_paths = {_path(op) for op in operations}
    known = served_routes() | api_paths
    stale = sorted(key for key in MATRIX if _path(key) not in known)
    api_keys = {_operation(key) for key in MATRIX if _path(key) in api_paths}
    stale += sorted(api_keys - operations)
    assert stale == []


def test_every_row_names_every_actor():
    assert {key: sorted(spec.expect) for key, spec in MATRIX.items()} == {
        key: sorted(ACTORS) for key in MATRIX
    }


# ---------------------------------------------------------------------------------------------
# Running the matrix.


def _build_cast() -> Cast:
    """The shared cast of tests/conftest.py, built once for this module (see ``shared``)."""
    from tests import conftest

    # The conftest builds the cast inside its function-scoped fixture; call the function behind it.
    build = conftest.cast._get_wrapped_function()  # type: ignore[attr-defined]
    return build(None)


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Cast, dict[str, Any]]]:
    """One cast for the whole matrix (hundreds of cases), inside a transaction rolled back at the end.

    Each case runs in its own savepoint (the ``django_db`` mark), so a write by one case is gone
    before the next; the module's transaction is rolled back when the module's cases are done.
    """
    from anjian.accounts import services as account_services
    from anjian.core.permissions import Role
    from tests.conftest import make_officer

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cast = _build_cast()
            superuser = account_services.create_user(
                actor=None,
                username="sysadmin",
                full_name="系统管理员",
                password=PASSWORD,
                is_staff=True,
                is_superuser=True,
            )
            administrator = make_officer(
                "province_admin", cast.agencies["province"], [Role.ADMINISTRATOR]
            )
            actors = {
                ANONYMOUS: None,
                OTHER_COUNTY: cast.gulou,
                NO_RIGHT: cast.xuanwu_viewer,
                HOLDER: cast.xuanwu,
                PROVINCE: cast.province,
                TOWNSHIP: cast.township,
                EXPIRED: cast.uncertified,
                SUPERUSER: superuser,
                "administrator": administrator,
                **planning_matrix.prepare(cast),
            }
            yield cast, actors
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _state(spec: Endpoint, target: Any) -> dict[str, Any]:
    state: dict[str, Any] = {label: apps.get_model(label).objects.count() for label in spec.watch}
    state["audit.AuditEntry"] = AuditEntry.objects.count()
    if isinstance(target, Model):
        state["target"] = model_to_dict(type(target).objects.get(pk=target.pk))
    return state


def _url(key: str, target: Any) -> str:
    path = _path(key)
    if target is None:
        assert "{" not in path, f"{key} names a record: give it a target"
        return path
    values = target if isinstance(target, tuple) else (target,)
    for value in values:
        path = re.sub(r"\{\w+\}", str(value.pk if hasattr(value, "pk") else value), path, count=1)
    return path


CASES = [(key, actor) for key in MATRIX for actor in ACTORS]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "actor"), CASES, ids=[f"{key} | {actor}" for key, actor in CASES]
)
def test_endpoint_answers_each_actor_as_the_matrix_says(endpoint, actor, shared):
    cast, actors = shared
    spec = MATRIX[endpoint]
    user = actors[spec.holder if actor == HOLDER else actor]
    expected = spec.expect[actor]
    method = endpoint.split(" ", 1)[0]
    target = TARGETS[spec.target](cast) if spec.target else None
    url = _url(endpoint, target) + (f"?{spec.query}" if spec.query else "")
    client = Client()
    if user is not None:
        client.force_login(user)
    kwargs: dict[str, Any] = {}
    if spec.body:
        body = BODIES[spec.body](cast)
        kwargs = (
            {"data": json.dumps(body), "content_type": "application/json"}
            if spec.json
            else {"data": body}
        )
    before = _state(spec, target)

    if spec.multipart:
        assert method == "POST", f"{endpoint}: multipart bodies are POSTed"
        response = client.post(url, data=BODIES[spec.body](cast) if spec.body else {})
    else:
        response = client.generic(method, url, **_encode(kwargs))

    assert response.status_code == expected.status, _text(response)[:2000]
    if expected.location is not None:
        assert response.headers["Location"].startswith(expected.location)
    if expected.code is not None:
        body = response.json()
        assert body["code"] == expected.code
        assert re.search(r"[\u4e00-\u9fff]", body["message"]), body
    if expected.text is not None:
        assert expected.text in _text(response)
    if spec.writes:
        after = _state(spec, target)
        if expected.allowed:
            added = after["audit.AuditEntry"] - before["audit.AuditEntry"]
            assert added == spec.audit_entries
            assert after != before
        else:
            assert after == before


def _text(response: Any) -> str:
    """The body as text; files (FileResponse) are streamed, and shown by their type only."""
    if getattr(response, "streaming", False):
        return f"<streamed {response.headers.get('Content-Type')}>"
    return response.content.decode(errors="replace")


def _encode(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``Client.generic`` takes a raw body: url-encode form data the way ``Client.post`` does."""
    if not kwargs or "content_type" in kwargs:
        return kwargs
    from urllib.parse import urlencode

    return {
        "data": urlencode(kwargs["data"], doseq=True),
        "content_type": "application/x-www-form-urlencoded",
    }


# ---------------------------------------------------------------------------------------------
# Documents (issue #6): targets need a registered subject kind, an agency profile and a document.


def _documents_subject() -> str:
    from anjian.documents.providers import register_subject
    from anjian.documents.samples import SAMPLES
    from tests.documents.conftest import TEST_SUBJECT, enterprise_source

    register_subject(
        subject_type=TEST_SUBJECT,
        label="测试单位",
        document_types=tuple(SAMPLES),
        build=enterprise_source,
    )
    return TEST_SUBJECT


def _xuanwu_document(cast: Cast, *, issued: bool) -> Any:
    """A 玄武区 penalty decision (issued, or a complete draft), its agency's settings filled in."""
    from anjian.documents import services
    from tests.documents.conftest import draft_for, make_profile

    _documents_subject()
    make_profile(cast.agencies["xuanwu"])
    draft = draft_for(cast)
    return services.issue(actor=None, document=draft) if issued else draft


def _now_local(*, with_zone: bool = False) -> str:
    from django.utils import timezone

    moment = timezone.localtime()
    return moment.isoformat() if with_zone else moment.strftime("%Y-%m-%dT%H:%M:%S")


# ---------------------------------------------------------------------------------------------
# Registry import: an upload, and a finished (rejected) job of 玄武区 with its error report.

_IMPORT_MEDIA: Any = None


def _temporary_media() -> None:
    """Uploaded files and reports go to a temporary MEDIA_ROOT for the rest of this process."""
    global _IMPORT_MEDIA
    if _IMPORT_MEDIA is None:
        import tempfile

        from django.test.utils import override_settings

        _IMPORT_MEDIA = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="anjian-matrix-"))
        _IMPORT_MEDIA.enable()


def _import_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.registry import imports

    _temporary_media()
    header = ",".join(column.header for column in imports.COLUMNS if column.required)
    # The row is refused (a credit code of 3 characters): the upload is what is authorized here;
    # the import itself (run at once by the tests' task backend) is tested in tests/registry/.
    line = "123,矩阵导入有限公司,孙八,玄武区导入路6号,320102,26"
    return SimpleUploadedFile("名录.csv", f"{header}\n{line}\n".encode(), content_type="text/csv")


def _import_job(cast: Cast) -> Any:
    from django.core.files.base import ContentFile

    from anjian.registry.models import ImportJob, ImportStatus

    _temporary_media()
    job = ImportJob(
        created_by=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        original_name="名录.xlsx",
        file_sha256="0" * 64,
        file_size=1,
        status=ImportStatus.FAILED,
        error_count=1,
    )
    job.file.save("名录.xlsx", ContentFile(b"PK"), save=False)
    job.error_report.save("report.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    return job


def _export_body(body: dict[str, Any]) -> dict[str, Any]:
    _temporary_media()
    return body


def _export_job(cast: Cast) -> Any:
    """xuanwu_head's finished export of the enterprise list (written by the real worker code)."""
    from anjian.registry.export_jobs import start_export

    _temporary_media()
    return start_export(actor=cast.xuanwu, list_name="registry.enterprises", filters={})


def _street_delegation(cast: Cast) -> Any:
    """An entrustment of the township below 玄武区, in force from 2026-01-01."""
    import datetime as dt

    from anjian.registry.models import Delegation

    return Delegation.objects.get_or_create(
        agency=cast.agencies["street"],
        instrument_number="玄应急委〔2026〕6号",
        defaults={
            "kind": "entrustment",
            "delegating_agency": cast.agencies["xuanwu"],
            "scope": "安全生产法第九十七条规定的行政处罚",
            "violation_codes": ["WSL2021-097"],
            "valid_from": dt.date(2026, 1, 1),
        },
    )[0]


def _street_grid(cast: Cast) -> Any:
    """A grid of the township below 玄武区, without a responsible officer yet."""
    from anjian.registry.models import Grid

    street = cast.agencies["street"]
    return Grid.objects.get_or_create(
        region=street.region,
        name="演示网格",
        defaults={
            "agency": street,
            **{k: getattr(street, k) for k in ("province_code", "city_code", "county_code")},
        },
    )[0]


def _street_claim(cast: Cast) -> Any:
    """玄武区's claim on the township's enterprise (which the township's agency supervises)."""
    from anjian.registry.models import JurisdictionClaim

    return JurisdictionClaim.objects.get_or_create(
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["street"],
        defaults={"note": "区局名录在册"},
    )[0]
