"""The web page in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Each test takes a screenshot of what it shows at 1366×768 (the phone test at 390 px) into tmp_path.
With JUESUAN_UPDATE_SCREENSHOT=1 the result page of the sample is also saved as docs/web-screenshot.png
(the picture in README; test_screenshots_of_the_clerks_pages).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from decimal import Decimal as D
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from generator import web

from conftest import ROOT, SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"
WELFARE = SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx"

if not CHROMIUM.exists():
    pytest.skip("没有 /usr/bin/chromium（Debian 的 chromium 包），跳过浏览器测试；.ci/run 会安装它", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    pytest.skip("没有安装 playwright（pip install -e \".[test]\"），跳过浏览器测试", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        # a Chinese browser, as the clerks have (the file picker's own words come from chromium-l10n where installed)
        env = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=env)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    """The app on a real HTTP server on a free loopback port, as `generate serve` runs it."""
    from werkzeug.serving import make_server

    app = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def shot(page, tmp_path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(tmp_path / f"{name}-整页.png"), full_page=True)
    return path


def upload(page, server: str, *files: Path) -> None:
    page.goto(server)
    page.set_input_files("#files", [str(f) for f in files])
    page.get_by_role("button", name="上传并生成决算说明").click()
    page.wait_for_url("**/j/**")


def findings(page) -> list[list[str]]:
    """[规则代码, 级别, 位置, 说明] of each finding row (the page shows 级别, 问题 with the code in small print, 位置, 说明)."""
    rows = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("#findings tbody tr").all()]
    return [[r[1].split()[-1], r[0], r[2], r[3]] for r in rows]


def test_home_page_and_blank_workbook(page, server, tmp_path):
    """The home page shows both steps and the limits; its button downloads the blank workbook."""
    page.goto(server)
    expect(page.locator("h2").first).to_have_text("1下载空白工作簿")
    expect(page.locator("footer")).to_contain_text("每次上传合计不超过 32 MB、最多 300 份工作簿")
    shot(page, tmp_path, "首页")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载空白工作簿：四川2024（13张附表）").click()
    assert info.value.suggested_filename == "空白工作簿-四川2024（13张附表）.xlsx"
    info.value.save_as(tmp_path / "空白.xlsx")
    assert "单位信息" in load_workbook(tmp_path / "空白.xlsx").sheetnames


def test_sample_workbook_report_and_charts(page, server, tmp_path):
    """Upload a sample: the page shows 成功 (samples are clean) and its 提示, the charts load, and the .docx opens."""
    upload(page, server, ANJU)
    expect(page.locator("#status")).to_have_text("成功")
    rows = findings(page)
    assert any(r[:3] == ["PERF-EXEC", "提示", "说明文字!B18"] and "4616.36" in r[3] for r in rows)
    images = page.locator(".charts img")
    expect(images.first).to_have_attribute("alt", re.compile(r"^图1：收入、支出决算总计变动情况。2024年：收入1313.50万元"))
    for img in images.all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("alt")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, tmp_path, "报告")
    with page.expect_download() as info:
        page.locator("#report").click()
    assert info.value.suggested_filename == "遂宁市安居区社会保险事业管理局2024年度单位决算说明.docx"
    info.value.save_as(tmp_path / "报告.docx")
    doc = Document(str(tmp_path / "报告.docx"))
    assert any("遂宁市安居区社会保险事业管理局" in p.text for p in doc.paragraphs)


def test_broken_workbook_shows_findings(page, server, tmp_path, make_workbook, minimal_data):
    """Upload a broken workbook: 错误, the sentence, the finding at 支出决算表!C6, no report to download."""
    minimal_data["t03"][0]["total"] = D("90")
    broken = make_workbook(minimal_data, "坏表.xlsx")
    upload(page, server, broken)
    expect(page.locator("#status")).to_have_text("错误")
    expect(page.locator("#message")).to_have_text("工作簿有 1 处错误，未生成报告；请按下表的提示修改后重新上传")
    rows = findings(page)
    assert rows[0][:3] == ["SUM-ROW", "错误", "支出决算表!C6"]
    assert page.locator("#report").count() == 0
    shot(page, tmp_path, "错误")
    with page.expect_download() as info:
        page.get_by_role("link", name="检查结果：标出问题的工作簿（.xlsx）").click()
    assert info.value.suggested_filename == "坏表.检查结果.xlsx"


def test_many_workbooks_progress_then_summary(page, server, tmp_path, make_workbook, minimal_data):
    """Upload three workbooks: the page refreshes itself until done, then lists each with its status."""
    minimal_data["t03"][0]["total"] = D("90")
    broken = make_workbook(minimal_data, "坏表.xlsx")
    upload(page, server, ANJU, WELFARE, broken)
    expect(page.locator("#progress")).to_contain_text("正在处理：已完成")
    shot(page, tmp_path, "批量-处理中")
    expect(page.locator("#summary")).to_have_text("处理完成：成功 2 份，警告 0 份，错误 1 份。", timeout=90_000)
    statuses = page.locator("table.units tbody tr td:nth-child(3)").all_inner_texts()
    assert statuses == ["错误", "成功", "成功"]  # errors first
    shot(page, tmp_path, "批量")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载全部报告（.zip）").click()
    assert info.value.suggested_filename == "全部报告.zip"
    page.get_by_role("link", name="坏表.xlsx").click()
    assert findings(page)[0][:3] == ["SUM-ROW", "错误", "支出决算表!C6"]


def test_too_large_upload_shows_the_limit(page, server, tmp_path):
    """A file over the request limit: named on the page before it is sent (the server's own 413 page is test_web's)."""
    big = tmp_path / "大.xlsx"
    big.write_bytes(b"x" * (web.MAX_REQUEST_BYTES + 1024))
    upload_page = page.goto(server)
    assert upload_page.ok
    page.set_input_files("#files", str(big))
    # said before anything is sent, naming the file; the form cannot be sent as it is
    expect(page.locator("#pick-error")).to_contain_text("“大.xlsx”有 32.0 MB，超过每次上传 32.0 MB 的限制")
    expect(page.get_by_role("button", name="上传并生成决算说明")).to_be_disabled()
    shot(page, tmp_path, "太大")


def test_unknown_page_is_chinese(page, server, tmp_path):
    """An unknown address (or another browser's result) shows the Chinese 出错了 page."""
    response = page.goto(server + "/j/someone-else")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("出错了")
    shot(page, tmp_path, "找不到")


# ---------------------------------------------------------------- issue 21: a clerk without help

PHONE = {"width": 390, "height": 844}


def contrast(page, selector: str, prop: str = "color") -> float:
    """WCAG contrast of an element's `prop` colour against the first opaque background behind it."""
    fg, bg = page.eval_on_selector(selector, """(el, prop) => {
        const rgb = s => s.match(/[\\d.]+/g).map(Number);
        let node = el, bg = null;
        while (node && node.nodeType === 1) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length < 4 || c[3] > 0) { bg = c; break; }
            node = node.parentElement;
        }
        return [rgb(getComputedStyle(el)[prop]), bg || [255, 255, 255]];
    }""", prop)

    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_chosen_files_are_listed_checked_and_removable(page, server, tmp_path):
    """The drop area lists each chosen file with a remove button; a .rar is explained before anything is
    sent and blocks the form until removed; the upload shows its progress, then the results."""
    rar = tmp_path / "区县.rar"
    rar.write_bytes(b"Rar!\x1a\x07\x00" + b"\0" * 100)
    page.goto(server)
    expect(page.locator("label[for=files]")).to_contain_text("拖到这里")
    page.set_input_files("#files", [str(ANJU), str(WELFARE), str(rar)])
    items = page.locator("#chosen li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text(ANJU.name)
    expect(page.locator("#pick-error")).to_contain_text("“区县.rar”不是 .zip 压缩包；请解压后重新压缩为 .zip")
    expect(page.get_by_role("button", name="上传并生成决算说明")).to_be_disabled()
    shot(page, tmp_path, "选择文件")
    page.get_by_role("button", name="移除 区县.rar").click()
    expect(items).to_have_count(2)
    expect(page.locator("#pick-error")).to_be_hidden()
    page.get_by_role("button", name="上传并生成决算说明").click()
    page.wait_for_url("**/j/**")
    expect(page.locator("#summary")).to_contain_text("处理完成", timeout=90_000)


def test_batch_progress_updates_without_reloading(page, server, tmp_path):
    """A running batch's page updates its progress in place: no reload (a marker set on the page survives)
    and keyboard focus is not thrown to the top."""
    upload(page, server, ANJU, WELFARE)
    page.evaluate("window.__notReloaded = true")
    page.locator("a", has_text="返回首页").focus()
    expect(page.locator("#summary")).to_contain_text("处理完成：成功 2 份", timeout=90_000)
    assert page.evaluate("window.__notReloaded === true")
    assert page.evaluate("document.activeElement.textContent").endswith("返回首页")
    assert page.locator("head meta[http-equiv=refresh]").count() == 0 or page.locator("noscript meta").count() == 1


def test_back_shows_the_upload_just_made_and_nothing_chosen(page, server, tmp_path):
    """Back from a result: the home page is fresh (its history lists the upload) and no file stays chosen."""
    upload(page, server, ANJU)
    page.go_back()
    expect(page.locator("table.history")).to_contain_text("遂宁市安居区社会保险事业管理局")
    assert page.evaluate("document.getElementById('files').files.length") == 0
    expect(page.locator("#chosen li")).to_have_count(0)


def test_phone_width_reads_without_sideways_scrolling(browser, server, tmp_path, make_workbook, minimal_data):
    """At 390 px: no page wider than the screen, tables read as one card per row, 说明 a full line wide."""
    from decimal import Decimal as D

    minimal_data["t03"][0]["total"] = D("90")
    broken = make_workbook(minimal_data, "坏表.xlsx")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    try:
        pg.goto(server)
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        pg.screenshot(path=str(tmp_path / "手机-首页.png"), full_page=True)
        upload(pg, server, ANJU, broken)
        expect(pg.locator("#summary")).to_contain_text("处理完成", timeout=90_000)
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        pg.screenshot(path=str(tmp_path / "手机-批量.png"), full_page=True)
        pg.get_by_role("link", name="坏表.xlsx").click()
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        width = pg.eval_on_selector("#findings tbody tr td:last-child", "td => td.getBoundingClientRect().width")
        assert width >= 300
        pg.screenshot(path=str(tmp_path / "手机-结果.png"), full_page=True)
    finally:
        context.close()


def test_text_and_focus_have_enough_contrast(page, server, tmp_path, make_workbook, minimal_data):
    """Footer, hints and the focus ring are readable (WCAG: text 4.5:1, focus ring 3:1); the page has a favicon."""
    page.goto(server)
    assert contrast(page, "footer p") >= 4.5
    assert contrast(page, ".hint") >= 4.5
    assert page.locator("#submit").is_disabled() and contrast(page, "#submit") >= 4.5  # “正在上传…” reads too
    page.keyboard.press("Tab")  # the skip link, then the brand (on the blue header), then a blank workbook
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "brand"
    assert contrast(page, ":focus", "outlineColor") >= 3
    page.keyboard.press("Tab")
    assert "下载空白工作簿" in page.evaluate("document.activeElement.textContent")
    assert contrast(page, ":focus", "outlineColor") >= 3
    assert page.evaluate("fetch('/favicon.ico').then(r => r.status)") == 200


def test_screenshots_of_the_clerks_pages(page, server, tmp_path):
    """What the clerk sees at 1366×768 after one upload and after a correction (修订说明 on the page).
    With JUESUAN_UPDATE_SCREENSHOT=1 the result page becomes README's docs/web-screenshot.png."""
    from openpyxl import load_workbook as open_wb

    upload(page, server, ANJU)
    expect(page.locator("#figures")).to_contain_text("1,313.50")
    path = shot(page, tmp_path, "结果")
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":
        shutil.copy(path, ROOT / "docs" / "web-screenshot.png")
    wb = open_wb(ANJU)
    wb["上年数"]["B4"] = 1700
    corrected = tmp_path / ANJU.name
    wb.save(corrected)
    upload(page, server, corrected)
    expect(page.locator("#changes")).to_contain_text("386.50")
    page.locator("#changes").scroll_into_view_if_needed()
    shot(page, tmp_path, "修订说明")
    page.goto(server)
    shot(page, tmp_path, "首页-记录")


def test_a_refused_upload_says_why_and_the_form_works_again(page, server, tmp_path):
    """A file the server refuses (sent through the page's upload with progress): its Chinese message on the
    page, and the next upload from that page goes through."""
    doc = tmp_path / "说明.doc"
    doc.write_bytes(b"hello")
    page.goto(server)
    page.set_input_files("#files", str(doc))
    page.get_by_role("button", name="上传并生成决算说明").click()
    expect(page.locator("#message")).to_have_text("没有找到可以处理的 .xlsx 工作簿。已忽略“说明.doc”：只能上传 .xlsx 工作簿或 .zip 压缩包。")
    upload(page, server, ANJU)
    expect(page.locator("#status")).to_have_text("成功")
