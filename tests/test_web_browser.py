"""The web page in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Each test takes a screenshot of what it shows at 1366×768 into tmp_path. With
JUESUAN_UPDATE_SCREENSHOT=1 the result page of the sample is also saved as docs/web-screenshot.png
(the picture in README).
"""

from __future__ import annotations

import os
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
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("#findings tbody tr").all()]


def test_home_page_and_blank_workbook(page, server, tmp_path):
    """The home page shows both steps and the limits; its button downloads the blank workbook."""
    page.goto(server)
    expect(page.locator("h2").first).to_have_text("1下载空白工作簿")
    expect(page.locator("footer")).to_contain_text("每次上传合计不超过 32 MB、最多 300 份工作簿")
    shot(page, tmp_path, "首页")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载空白工作簿（.xlsx）").click()
    assert info.value.suggested_filename == "空白工作簿.xlsx"
    info.value.save_as(tmp_path / "空白.xlsx")
    assert "单位信息" in load_workbook(tmp_path / "空白.xlsx").sheetnames


def test_sample_workbook_report_and_charts(page, server, tmp_path):
    """Upload a sample: the page shows 成功 (samples are clean) and its 提示, the charts load, and the .docx opens."""
    upload(page, server, ANJU)
    expect(page.locator("#status")).to_have_text("成功")
    rows = findings(page)
    assert any(r[:3] == ["PERF-EXEC", "提示", "说明文字!B18"] and "4616.36" in r[3] for r in rows)
    images = page.locator(".charts img")
    expect(images.first).to_have_attribute("alt", "图1 收入、支出决算总计变动情况")
    for img in images.all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("alt")
    page.evaluate("window.scrollTo(0, 0)")
    path = shot(page, tmp_path, "报告")
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":
        shutil.copy(path, ROOT / "docs" / "web-screenshot.png")
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
        page.get_by_role("link", name="下载标出问题的工作簿（.xlsx）").click()
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
    assert statuses == ["成功", "成功", "错误"]
    shot(page, tmp_path, "批量")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载全部报告（.zip）").click()
    assert info.value.suggested_filename == "全部报告.zip"
    page.get_by_role("link", name="坏表.xlsx").click()
    assert findings(page)[0][:3] == ["SUM-ROW", "错误", "支出决算表!C6"]


def test_too_large_upload_shows_the_limit(page, server, tmp_path):
    """A file over the request limit: the browser shows the Chinese limit page, not a broken connection."""
    big = tmp_path / "大.xlsx"
    big.write_bytes(b"x" * (web.MAX_REQUEST_BYTES + 1024))
    upload_page = page.goto(server)
    assert upload_page.ok
    page.set_input_files("#files", str(big))
    page.get_by_role("button", name="上传并生成决算说明").click()
    expect(page.locator("#message")).to_contain_text("上传的内容超过了限制：每次合计不超过 32 MB")
    shot(page, tmp_path, "太大")


def test_unknown_page_is_chinese(page, server, tmp_path):
    """An unknown address (or another browser's result) shows the Chinese 出错了 page."""
    response = page.goto(server + "/j/someone-else")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("出错了")
    shot(page, tmp_path, "找不到")
