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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_finds_the_enterprise_by_credit_code_and_bad_input_loses_nothing(
    live_server, cast, team, item_list, media
):
    """Without a task: 开始检查 → the credit code → only the items of the enterprise's industry and
    tags → a finding with a photo from the camera (``capture``); a file that is not a photo is
    refused with a clear message and nothing typed is lost; a submit with one officer is refused
    with the legal reason, the draft kept; with two → order; a re-inspection before the deadline is
    refused without a reason and recorded with one."""
    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    enterprise = cast.enterprises["xuanwu"]
    exits = item_list.items.get(code="GEN-24")
    deadline = timezone.localdate() + dt.timedelta(days=10)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 1280}, locale="zh-CN")
        try:
            page.goto(f"{live_server.url}/accounts/login/?next=/inspections/start/")
            page.fill("#id_username", "xuanwu_inspector2")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.fill("input[name=q]", enterprise.uscc)
            page.click("form.filters button[type=submit]")
            expect(page.locator(".tasklist > li")).to_have_count(1)
            expect(page.locator(".tasklist")).to_contain_text(enterprise.name)
            page.click("text=开始检查")
            expect(page.locator("h1")).to_contain_text("现场检查记录")
            expect(page.locator("main")).to_contain_text(enterprise.uscc)

            # Items filtered by the enterprise's industry (chemicals) and key tags.
            main = page.locator("main")
            for code in ("GEN-01", "HC-01"):
                item = item_list.items.get(code=code)
                expect(page.locator(f"input[name='r-{item.pk}']")).to_have_count(3)
            for code in ("COAL-01", "HC-04"):
                item = item_list.items.get(code=code)
                expect(page.locator(f"input[name='r-{item.pk}']")).to_have_count(0)
            expect(main).not_to_contain_text(item_list.items.get(code="COAL-01").title)

            camera = page.locator(f"input[name='ph-{exits.pk}']")
            expect(camera).to_have_attribute("capture", "environment")
            expect(camera).to_have_attribute("accept", "image/jpeg,image/png,image/webp")

            page.check(f"input[name='r-{exits.pk}'][value=finding]")
            page.fill(f"textarea[name='fd-{exits.pk}']", "二号仓库安全出口上锁")
            page.fill(f"input[name='fl-{exits.pk}']", "二号仓库北门")
            page.select_option(f"select[name='fv-{exits.pk}']", "WSL2021-105-02b")
            page.select_option(f"select[name='fm-{exits.pk}']", "rectification")
            page.fill(f"input[name='fdl-{exits.pk}']", deadline.isoformat())
            camera.set_input_files(
                files=[{"name": "exit.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}]
            )
            page.click("button[value=save]")
            expect(page.locator("main")).to_contain_text("不是 JPEG、PNG 或 WebP 格式的图片")
            expect(page.locator(f"textarea[name='fd-{exits.pk}']")).to_have_value(
                "二号仓库安全出口上锁"
            )
            expect(page.locator(f"input[name='fl-{exits.pk}']")).to_have_value("二号仓库北门")
            expect(page.locator(f"input[name='fdl-{exits.pk}']")).to_have_value(
                deadline.isoformat()
            )
            page.screenshot(path=str(SCREENSHOTS / "inspection-bad-photo-tablet.png"))

            page.locator(f"input[name='ph-{exits.pk}']").set_input_files(
                files=[{"name": "exit.png", "mimeType": "image/png", "buffer": png_bytes(64, 48)}]
            )
            page.fill("input[name=representative_name]", "王经理")
            page.check("input[name=acknowledgement][value=refused]")
            page.fill("input[name=refusal_note]", "负责人拒绝在检查记录上签字")
            page.fill("input[name=witness_name]", "李四（社区网格员）")
            page.click("button[value=submit]")
            expect(page.locator("main")).to_contain_text("执法人员不得少于2人")
            expect(page.locator("main")).to_contain_text("第四十二条")
            expect(page.locator(f"textarea[name='fd-{exits.pk}']")).to_have_value(
                "二号仓库安全出口上锁"
            )
            expect(page.locator(f"#finding-{exits.pk} .thumbs img")).to_have_count(1)
            for officer in team.officers:
                page.check(f"input[name=officers][value='{officer.pk}']")
            page.click("button[value=submit]")
            expect(page.locator(".messages")).to_contain_text("责令限期整改指令书")

            order = RectificationOrder.objects.get(inspection__enterprise=enterprise)
            page.goto(f"{live_server.url}/inspections/orders/{order.pk}/")
            for officer in team.officers:
                page.check(f"#reinspection-form input[name=officers][value='{officer.pk}']")
            finding = order.findings.get()
            page.check(f"input[name='o-{finding.pk}'][value=rectified]")
            page.fill(f"input[name='on-{finding.pk}']", "已拆除门锁")
            page.click("#reinspection-form button[type=submit]")
            expect(page.locator("main")).to_contain_text("届满前复查，须写明理由")
            expect(page.locator(f"input[name='on-{finding.pk}']")).to_have_value("已拆除门锁")
            page.fill("textarea[name=early_reason]", "单位申请提前复查，整改已完成")
            page.click("#reinspection-form button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("整改复查已记录")
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == "rectified"
    assert order.reinspections.get().early_reason == "单位申请提前复查，整改已完成"
    assert Inspection.objects.get(enterprise=enterprise).attachments.count() == 1
