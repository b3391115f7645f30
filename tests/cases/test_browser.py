"""A case walked from an inspection finding to closure through the pages, on a tablet held upright,
in headless Chromium: the officer files the case taking over the inspection's proposal, the head
approves, the officer proves each element, proposes the
penalty, serves the notice, the head decides, the officer delivers and records payment and the
correction, the head approves the closure. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from anjian.cases.guards import elements_for
from anjian.cases.models import Case, CaseStatus
from tests.cases.conftest import days_ago, inspection_proposal
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def d(n: int) -> str:
    return days_ago(n).isoformat()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_is_walked_from_filing_to_closure_on_a_tablet(live_server, team):
    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    proposal = inspection_proposal(team)  # a finding of an inspection, proposed for a case
    shots = iter(range(1, 100))

    def shot(page, name):
        page.screenshot(
            path=str(SCREENSHOTS / f"case-walk-{next(shots):02d}-{name}.png"), full_page=True
        )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def sign_in(username):
            context = browser.new_context(locale="zh-CN", **TABLET)
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_contain_text("案件办理")
            return page

        def step(page, action, fields=None, checks=(), name=None):
            if not page.locator(f"#step-{action}").evaluate("e => e.open"):
                page.locator(f"#step-{action} > summary").click()
            form = page.locator(f"#step-{action} form")
            for field, value in (fields or {}).items():
                locator = form.locator(f"[name='{field}']")
                if locator.evaluate("e => e.tagName") == "SELECT":
                    locator.select_option(value)
                else:
                    locator.fill(value)
            for selector in checks:
                form.locator(selector).check()
            form.locator("button[type=submit]").click()
            expect(page.locator(".messages")).to_contain_text("已办理")
            shot(page, name or action)

        try:
            officer = sign_in("xuanwu_head")
            officer.click("text=立案申请")
            expect(officer.locator("h1")).to_contain_text("立案申请")
            officer.select_option("#source_proposal_id", str(proposal.pk))
            officer.fill("input[name=discovered_on]", d(22))
            officer.fill("input[name=on]", d(20))
            officer.check(f"input[name=officer_ids][value='{team.lead.officer.pk}']")
            officer.check(f"input[name=officer_ids][value='{team.second.officer.pk}']")
            shot(officer, "filing-form")
            officer.click("text=提交立案申请")
            expect(officer.locator(".messages")).to_contain_text("已提交立案申请")
            case = Case.objects.get()
            expect(officer.locator("[data-status]")).to_have_text("立案待审批")
            shot(officer, "proposed")

            head = sign_in("xw_juzhang")
            head.goto(f"{live_server.url}/cases/{case.pk}/")
            step(head, "approve_filing", {"on": d(20)}, name="filed")
            expect(head.locator("#next-deadline")).to_contain_text("作出处罚决定")

            officer.goto(f"{live_server.url}/cases/{case.pk}/")
            expect(officer.locator("#blocked-submit_investigation")).to_have_count(0)
            violation = case.violations.get()
            step(
                officer,
                "add_evidence",
                {
                    "kind": "inspection_record",
                    "title": "现场检查笔录",
                    "collected_at": f"{d(19)}T10:00",
                    "place": "玄武化工有限公司",
                    "source": "现场检查",
                    "method": "site_inspection",
                },
                checks=[
                    f"input[name=collector_ids][value='{team.lead.officer.pk}']",
                    f"input[name=collector_ids][value='{team.second.officer.pk}']",
                    *[
                        f"input[name=proofs][value='{violation.pk}:{i}']"
                        for i, _ in enumerate(elements_for(violation.violation_code))
                    ],
                ],
                name="evidence",
            )
            expect(officer.locator(".element-ok")).to_have_count(
                len(elements_for(violation.violation_code))
            )
            step(officer, "submit_investigation", {"on": d(18)})
            expect(officer.locator("#blocked-serve_notice")).to_contain_text("尚未提出处罚建议")
            step(officer, "propose_penalty", {"on": d(17)}, name="penalty")
            step(officer, "serve_notice", {"on": d(16)}, name="notified")
            step(officer, "end_notice_period", {"on": d(6)})

            head.goto(f"{live_server.url}/cases/{case.pk}/")
            step(head, "decide", {"on": d(5), f"order-{violation.pk}-due": d(2)}, name="decided")

            officer.goto(f"{live_server.url}/cases/{case.pk}/")
            step(
                officer,
                "deliver",
                {"on": d(5), "method": "direct", "recipient": "张三（法定代表人）"},
                name="delivered",
            )
            case.refresh_from_db()
            fine = case.fine_total
            assert fine > 0
            step(
                officer,
                "record_payment",
                {"paid_on": d(3), "amount": str(fine), "receipt_number": "苏非税00001"},
                name="paid",
            )
            order = case.orders.get()
            step(
                officer,
                "record_order_outcome",
                {"order_id": str(order.pk), "outcome": "corrected", "on": d(1)},
            )
            step(officer, "request_closure", {"on": d(0)})

            head.goto(f"{live_server.url}/cases/{case.pk}/")
            step(head, "approve_closure", {"on": d(0)}, name="closed")
            expect(head.locator("[data-status]")).to_have_text("已结案")
            expect(head.locator("#timeline li")).to_have_count(case.events.count())
        finally:
            browser.close()

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.paid_total == case.fine_total
    assert case.events.count() == case.version == 13
    assert case.source_proposal_id == proposal.pk
    assert dt.date.fromisoformat(d(20)) == case.filed_on
