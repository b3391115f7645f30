"""A tablet walk in headless Chromium: log in → my tasks → open the task → record items → a finding
with a photo → rectification order → submit; later, after the deadline, re-inspect."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from anjian.inspections.models import Finding, Inspection, RectificationOrder
from tests.conftest import PASSWORD
from tests.inspections.conftest import png_bytes

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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_inspects_on_a_tablet_and_later_reinspects(
    live_server, cast, team, item_list, media
):
    from playwright.sync_api import expect, sync_playwright

    from anjian.planning import services as planning_services

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    enterprise = cast.enterprises["xuanwu"]
    planning_services.create_task(
        actor=None,
        agency=cast.agencies["xuanwu"],
        enterprise=enterprise,
        month=timezone.localdate().replace(day=1),
        officers=team.officers,
        title="举报核查：安全出口被占用",
        due_date=timezone.localdate(),
    )
    exits = item_list.items.get(code="GEN-24")
    deadline = timezone.localdate() + dt.timedelta(days=7)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 1280}, locale="zh-CN")
        try:
            page.goto(f"{live_server.url}/accounts/login/?next=/inspections/")
            page.fill("#id_username", "xuanwu_inspector2")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_contain_text("今日任务")
            expect(page.locator(".tasklist").first).to_contain_text(enterprise.name)

            page.click("text=开始检查")
            expect(page.locator("h1")).to_contain_text("现场检查记录")
            page.check(f"input[name='r-{item_list.items.get(code='GEN-02').pk}'][value=compliant]")
            page.check(f"input[name='r-{item_list.items.get(code='GEN-08').pk}'][value=compliant]")
            page.check(
                f"input[name='r-{item_list.items.get(code='OH-03').pk}'][value=not_applicable]"
            )
            page.check(f"input[name='r-{exits.pk}'][value=finding]")
            expect(page.locator(f"#finding-{exits.pk}")).to_have_attribute("open", "")
            page.fill(f"textarea[name='fd-{exits.pk}']", "一号车间东侧安全出口被成品堆垛堵塞")
            page.fill(f"input[name='fl-{exits.pk}']", "一号车间东门")
            page.select_option(f"select[name='fv-{exits.pk}']", "WSL2021-105-02b")
            page.select_option(f"select[name='fm-{exits.pk}']", "rectification")
            page.fill(f"input[name='fdl-{exits.pk}']", deadline.isoformat())
            page.set_input_files(
                f"input[name='ph-{exits.pk}']",
                files=[{"name": "exit.png", "mimeType": "image/png", "buffer": png_bytes(64, 48)}],
            )
            page.fill("input[name=representative_name]", "王经理")
            page.check("input[name=acknowledgement][value=refused]")
            page.fill("input[name=refusal_note]", "负责人拒绝在检查记录上签字")
            page.fill("input[name=witness_name]", "李四（社区网格员）")
            page.click("button[value=save]")
            expect(page.locator(".messages")).to_contain_text("草稿已保存")
            expect(page.locator(f"#finding-{exits.pk} .thumbs img")).to_have_count(1)
            page.screenshot(path=str(SCREENSHOTS / "inspection-record-tablet.png"), full_page=False)

            page.click("button[value=submit]")
            expect(page.locator(".messages")).to_contain_text("检查记录已提交")
            expect(page.locator(".messages")).to_contain_text("责令限期整改指令书")
            expect(page.locator("main")).to_contain_text("一号车间东侧安全出口被成品堆垛堵塞")
            page.screenshot(
                path=str(SCREENSHOTS / "inspection-submitted-tablet.png"), full_page=True
            )

            record = Inspection.objects.get(enterprise=enterprise)
            assert record.status == "submitted"
            assert record.attachments.count() == 1
            order = RectificationOrder.objects.get(inspection=record)
            assert order.deadline == deadline

            past = timezone.localdate() - dt.timedelta(days=1)
            Finding.objects.filter(order=order).update(deadline=past)
            RectificationOrder.objects.filter(pk=order.pk).update(deadline=past)

            page.goto(f"{live_server.url}/inspections/")
            expect(page.locator("main")).to_contain_text("已逾期")
            page.get_by_role("link", name="复查", exact=True).click()
            expect(page.locator("h1")).to_contain_text("责令限期整改指令书")
            for officer in team.officers:
                page.check(f"#reinspection-form input[name=officers][value='{officer.pk}']")
            finding = order.findings.get()
            page.check(f"input[name='o-{finding.pk}'][value=rectified]")
            page.fill(f"input[name='on-{finding.pk}']", "堆垛已清除，出口畅通")
            page.click("#reinspection-form button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("整改复查已记录")
            page.screenshot(
                path=str(SCREENSHOTS / "inspection-reinspected-tablet.png"), full_page=True
            )
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == "rectified"
    assert order.reinspections.get().early_reason == ""
