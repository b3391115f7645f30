"""The case list API of a signed-in session reads the session, the user and the cases: nothing else
(roles and scope are remembered in the session, ADR 0009), whatever the number of cases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import days_ago, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def main_tables(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for query in captured.captured_queries
    ]


def test_the_case_list_reads_only_the_session_the_user_and_the_cases(team):
    for _ in range(3):
        propose(team, on=days_ago(1))
    client = client_for(team.lead)
    client.get("/api/v1/cases")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/cases", {"overdue": "false", "page_size": 2})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2
    assert response.json()["has_next"] is True
    assert main_tables(captured) == ["django_session", "accounts_user", "cases_case"]
