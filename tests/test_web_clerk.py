"""The web page as a clerk meets it without help (issue 21): one test (or more) per point, over HTTP
with Flask's test client; what only a browser shows is in test_web_browser.py."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal as D
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator import web
from generator.batch import content_hash
from generator.cli import main

from conftest import SAMPLES
from test_web import (ANJU, WELFARE, app, broken, client, finding_rows, job_url, links, text,  # noqa: F401 (fixtures)
                      unit_rows, upload, wait_for)

SHANGHAI = SAMPLES / "上海-示范区统计局-2024年度部门决算.xlsx"


def changed(source, tmp_path, name: str, edits: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(source)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell] = value(wb[sheet][cell].value) if callable(value) else value
    path = tmp_path / name
    wb.save(path)
    return path.read_bytes()


# ---------------------------------------------------------------- 1. a blank workbook per layout

def test_home_page_offers_a_blank_workbook_per_layout(client, tmp_path):
    """Every layout has its own blank workbook, its name in the file name, the same as `generate init --profile`."""
    from generator.profiles import profiles

    page = text(client.get("/"))
    for p in profiles():
        [href] = links(page, f"下载空白工作簿：{p.label}")
        res = client.get(href)
        assert res.status_code == 200
        assert quote(f"空白工作簿-{p.label}.xlsx") in res.headers["Content-Disposition"]
        (tmp_path / f"{p.id}.xlsx").write_bytes(res.data)
        cli = tmp_path / f"init-{p.id}.xlsx"
        assert CliRunner().invoke(main, ["init", str(cli), "--profile", p.id]).exit_code == 0
        assert content_hash(tmp_path / f"{p.id}.xlsx") == content_hash(cli)
    shanghai = load_workbook(tmp_path / "shanghai-2024.xlsx")
    assert shanghai["单位信息"]["B20"].value == "上海2024（9张附表）"


def test_a_hint_about_the_blank_workbook_names_the_units_layout():
    """“download the new blank workbook” names the layout to pick, not the same default one again."""
    unit = web.Unit(0, "a.xlsx", web.Path("/x/u0001.xlsx"), layout="上海2024（9张附表）")
    said = web.web_message("没有“整体绩效指标”表（工作簿可能由旧版程序生成），按空白处理；可用 generate init 生成新版空白工作簿", unit)
    assert said.endswith("在首页下载“上海2024（9张附表）”的空白工作簿")


# ---------------------------------------------------------------- 2. every document, per unit and in the zip

def test_every_document_per_unit_and_in_the_archive(client, tmp_path, make_workbook, minimal_data):
    """The batch table and 全部报告.zip hold 决算说明, both 绩效自评报告, 检查结果 (a unit with errors) per unit."""
    minimal_data["t03"][0]["total"] = D("90")
    broken = make_workbook(minimal_data, "坏表.xlsx").read_bytes()
    url = job_url(upload(client, (ANJU.name, ANJU.read_bytes()), ("坏表.xlsx", broken)))
    page = wait_for(client, url)
    row = page.split(ANJU.name + "</a>", 1)[1].split("</tr>", 1)[0]
    assert "决算说明" in row and "整体支出绩效自评报告" in row and "基金风险防控项目专项绩效自评报告" in row
    bad_row = page.split("坏表.xlsx</a>", 1)[1].split("</tr>", 1)[0]
    assert ">检查结果<" in bad_row
    names = zipfile.ZipFile(io.BytesIO(client.get(links(page, "下载全部报告")[0]).data)).namelist()
    stem = ANJU.stem
    assert f"{stem}/遂宁市安居区社会保险事业管理局2024年度整体支出绩效自评报告.docx" in names
    assert f"{stem}/遂宁市安居区社会保险事业管理局2024年度基金风险防控项目专项绩效自评报告.docx" in names
    assert "坏表/坏表.检查结果.xlsx" in names
    detail = text(client.get(links(page, ANJU.name)[0]))
    assert links(detail, "整体支出绩效自评报告（.docx）")  # the button names the report, not the unit again


# ---------------------------------------------------------------- 3. 4. findings at the typed cells, in Chinese

def test_finding_is_shown_at_the_typed_cells_with_a_chinese_rule_name(client, tmp_path):
    """收入决算表!D6 raised by 10: the page names the typed cells (not the grey 合计), the difference and the side the
    other tables support; the rule is named in Chinese with its code in small print."""
    data = changed(ANJU, tmp_path, "改.xlsx", {("收入决算表", "D6"): lambda v: v + 10})
    page = text(client.get(job_url(upload(client, ("改.xlsx", data)))))
    [row] = [r for r in finding_rows(page) if r[1] == "错误"]
    assert row[2].startswith("收入决算表!D6") and "C5" not in row[2] and "D5" != row[2].split("!")[1]
    assert "相差 10.00 万元" in row[3] and "其他表支持 1313.50" in row[3]
    assert re.search(r'<td data-label="问题" class="rule">表间勾稽 <small class="code">LINK-TABLES</small></td>', page)
    [check] = links(page, "检查结果：标出问题的工作簿")
    (tmp_path / "m.xlsx").write_bytes(client.get(check).data)
    marked = load_workbook(tmp_path / "m.xlsx")
    assert marked["收入决算表"]["D6"].border.left.style == "medium"
    assert marked["收入决算表"]["C5"].value == pytest.approx(1323.5)  # the grey cell shows the derived figure
    assert marked["检查结果"]["C2"].value == "表间勾稽"


# ---------------------------------------------------------------- 5. the batch table reads on its own

def test_batch_table_errors_first_with_notes_and_a_filter(client, tmp_path, make_workbook, minimal_data):
    import copy

    warning_data = copy.deepcopy(minimal_data)
    warning_data["prior"].update(total=None)  # PRIOR-MISSING, a 警告 at 上年数!B4
    warned = make_workbook(warning_data, "缺上年.xlsx").read_bytes()
    minimal_data["t03"][0]["total"] = D("90")
    broken = make_workbook(minimal_data, "坏表.xlsx").read_bytes()
    url = job_url(upload(client, ("a福利院.xlsx", WELFARE.read_bytes()), ("b缺上年.xlsx", warned), ("c坏表.xlsx", broken)))
    page = wait_for(client, url)
    assert [status for _, status in unit_rows(page)] == ["错误", "警告", "成功"]  # errors first once done
    assert "请按下表的提示修改" not in page
    assert "点击工作簿名称，查看每处问题的位置和说明" in page
    notes = re.findall(r'<td data-label="说明" class="msg">(.*?)</td>', page, re.S)
    assert "点击工作簿名称查看每处问题的位置和说明" in notes[0]
    assert notes[1].startswith("警告 ") and "（上年数!B4）" in notes[1]  # a warning row says what and where
    only = text(client.get(url + "?show=错误"))
    assert [name for name, _ in unit_rows(only)] == ["c坏表.xlsx"]


# ---------------------------------------------------------------- 6. 修订说明: every printed figure, findings fixed

def test_change_report_lists_derived_figures_and_shows_on_the_page(client, tmp_path):
    """上年数!B4 1727.58 → 1700.00: the change, its percentage and the chart's data are listed as changed
    figures (not “无”), in the .txt and on the page."""
    url = job_url(upload(client, ("安居.xlsx", ANJU.read_bytes())))
    assert "修订说明" not in text(client.get(url)).split("<main", 1)[1].split("本程序能做什么")[0].replace("修订说明（同一", "")
    data = changed(ANJU, tmp_path, "安居.xlsx", {("上年数", "B4"): 1700})
    page = text(client.get(job_url(upload(client, ("安居.xlsx", data)))))
    assert "修订说明：与上次上传相比" in page
    section = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    for old, new in (("414.08", "386.50"), ("23.97%", "22.74%"), ("1727.58", "1700.00")):
        assert re.search(rf"<td[^>]*>{re.escape(old)}</td><td[^>]*>{re.escape(new)}</td>", section), (old, new)
    txt = client.get(links(page, "修订说明（.txt）")[0]).data.decode("utf-8-sig")
    figures = txt.split("二、变动的句子")[0]
    assert "414.08 → 386.50" in figures and "23.97% → 22.74%" in figures and "  无" not in figures


def test_change_report_lists_the_findings_fixed(client, make_workbook, minimal_data):
    """A workbook with an error, corrected and uploaded again: the page says which finding is fixed."""
    good = make_workbook(minimal_data, "单位.xlsx").read_bytes()
    minimal_data["t03"][0]["total"] = D("90")
    bad = make_workbook(minimal_data, "坏.xlsx").read_bytes()
    upload(client, ("单位.xlsx", bad))
    page = text(client.get(job_url(upload(client, ("单位.xlsx", good)))))
    fixed = page.split("已改正的问题", 1)[1].split("</ul>", 1)[0]
    assert "行内合计（支出决算表!C6）" in fixed
    txt = client.get(links(page, "修订说明（.txt）")[0]).data.decode("utf-8-sig")
    assert "三、已改正的问题" in txt and "支出决算表!C6" in txt.split("三、已改正的问题")[1]


# ---------------------------------------------------------------- 7. results last, history readable

def test_results_survive_a_server_restart_and_a_closed_browser(tmp_path):
    """The history lives in SQLite in the work folder: a new server over the same folder, with the browser's
    (persistent) cookie, lists the upload and serves its report."""
    first = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})
    c1 = first.test_client()
    url = job_url(upload(c1, (ANJU.name, ANJU.read_bytes())))
    report = links(text(c1.get(url)), "决算说明（.docx）")[0]
    cookie = c1.get_cookie("session")
    assert cookie.expires is not None  # not a browser-session cookie: closing the browser keeps it
    assert (tmp_path / "web" / web.HISTORY_DB).is_file()
    first.extensions["juesuan"].close()

    second = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})
    c2 = second.test_client()
    c2.set_cookie("session", cookie.value)
    home = text(c2.get("/"))
    assert "遂宁市安居区社会保险事业管理局" in home and "四川2024（13张附表）" in home
    res = c2.get(report)
    assert res.status_code == 200 and res.data[:2] == b"PK"


def test_history_shows_date_unit_layout_status_and_the_latest(client):
    upload(client, (ANJU.name, ANJU.read_bytes()))
    upload(client, (ANJU.name, ANJU.read_bytes()))
    upload(client, (SHANGHAI.name, SHANGHAI.read_bytes()))
    page = text(client.get("/"))
    table = page.split('class="list history"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr(?: class=\"older\")?>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 3
    assert all(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", r) for r in rows)
    assert "上海市示范区统计局" in rows[0] and "上海2024（9张附表）" in rows[0] and "最新" in rows[0]
    assert "最新" in rows[1] and "已有更新的上传" in rows[2]
    assert "查看结果" in rows[0] and ">查看<" not in table


# ---------------------------------------------------------------- 8. never stale, progress without reload

def test_pages_are_not_cached_and_progress_comes_without_reload(client, broken):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    with web.RENDER_LOCK:
        url = job_url(upload(client, ("坏表.xlsx", broken)))
        page = client.get(url)
        assert page.headers["Cache-Control"] == "no-store"
        body = text(page)
        head = body.split("</head>")[0]
        assert '<meta http-equiv="refresh"' not in head.replace('<noscript><meta http-equiv="refresh" content="2"></noscript>', "")
        live = client.get(url + "/live")
        assert live.headers["Cache-Control"] == "no-store"
        assert live.json["running"] is True and 'id="progress"' in live.json["html"]
    wait_for(client, url)
    assert client.get(url + "/live").json["running"] is False


# ---------------------------------------------------------------- 9. what the report says, and its layout

def test_result_page_shows_key_figures_layout_and_a_preview(client):
    page = text(client.get(job_url(upload(client, (ANJU.name, ANJU.read_bytes())))))
    assert "报告格式：四川2024（13张附表）" in page
    figures = page.split('id="figures"', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"<dt>收入总计</dt><dd>1,313.50</dd>", figures)
    assert "“三公”经费合计" in figures
    assert "2024年度收入、支出总计各1313.50万元" in page.split('id="preview"', 1)[1]
    shanghai = text(client.get(job_url(upload(client, (SHANGHAI.name, SHANGHAI.read_bytes())))))
    assert "报告格式：上海2024（9张附表）" in shanghai and 'id="figures"' in shanghai


# ---------------------------------------------------------------- 10. files the program cannot read: what to do

def test_old_excel_and_other_archives_get_help(client):
    res = upload(client, ("旧表.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), ("区县.rar", b"Rar!\x1a\x07\x00"),
                 ("空.xlsx", b""))
    body = text(res)
    assert res.status_code == 400
    assert "“旧表.xls”：这是旧版 Excel（.xls）文件" in body and "另存为" in body
    assert "“区县.rar”：只能读 .zip 压缩包；请解压后重新压缩为 .zip" in body
    assert "“空.xlsx”：这是一个空文件（0 字节）" in body and "不是 Excel 工作簿" not in body


def test_an_xlsx_renamed_xls_is_read_as_the_cli_reads_it(client):
    page = text(client.get(job_url(upload(client, ("安居.xls", ANJU.read_bytes())))))
    assert 'id="status">成功<' in page


def test_upload_form_shows_what_it_accepts(client):
    page = text(client.get("/"))
    accept = re.search(r'accept="([^"]+)"', page).group(1)
    assert ".xls" in accept.split(",") and ".rar" in accept.split(",")  # shown, then explained, not hidden
    assert 'id="drop"' in page and 'id="chosen"' in page and 'data-max-bytes="33554432"' in page


# ---------------------------------------------------------------- 11. 12. nothing offered that is not needed; accessible

def test_no_marked_workbook_when_nothing_needs_fixing(client):
    page = text(client.get(job_url(upload(client, (ANJU.name, ANJU.read_bytes())))))
    assert finding_rows(page) and not links(page, "检查结果") and not links(page, "标出问题")  # a 提示 only


def test_page_basics_for_every_browser_and_screen_reader(client, broken):
    home = text(client.get("/"))
    assert '<meta name="renderer" content="webkit">' in home
    assert re.search(r"<h1[^>]*>", home)
    assert '<label for="files"' in home
    assert client.get("/favicon.ico").status_code == 200
    error = text(upload(client, ("说明.doc", b"x")))
    assert re.search(r'<p class="alert" role="alert"', error)
    page = text(client.get(job_url(upload(client, ("坏表.xlsx", broken)))))
    assert '<p class="alert" role="alert" id="message">' in page


# ---------------------------------------------------------------- 13. what the program supports

def test_home_page_says_what_the_program_does(client):
    from generator import __version__
    from generator.profiles import profiles

    about = text(client.get("/")).split("本程序能做什么", 1)[1]
    assert all(p.label in about for p in profiles())
    assert "绩效自评报告" in about and "修订说明" in about and "检查结果" in about
    assert "名称以“（部门）”结尾的文件夹" in about
    assert f"版本 {__version__}" in text(client.get("/")) and 'href="/#help"' in text(client.get("/"))


# ---------------------------------------------------------------- 14. a first run that needs nothing

def test_every_subcommand_has_a_chinese_help_line():
    res = CliRunner().invoke(main, ["--help"])
    commands = res.output.split("子命令:")[1].strip().splitlines()
    assert len(commands) >= 7
    for line in commands:
        name, help_line = line.split(None, 1)
        assert "..." not in help_line and re.search(r"[\u4e00-\u9fff]{4}", help_line), line
    assert "示例" in [line.split()[0] for line in commands]


def test_sample_command_writes_a_sample_and_its_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["示例"])
    assert res.exit_code == 0, res.output
    [workbook] = (tmp_path / "示例").glob("*.xlsx")
    assert workbook.name.startswith("示例-")
    assert list((tmp_path / "示例" / "output").rglob("*决算说明.docx"))


def test_samples_are_package_data():
    """The wheel carries the samples (sample_inputs as generator.sample_workbooks), so `generate 示例` works after install."""
    import tomllib

    from generator.samples import sample_files

    conf = tomllib.loads((SAMPLES.parent / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert conf["package-dir"]["generator.sample_workbooks"] == "sample_inputs"
    assert "generator.sample_workbooks" in conf["packages"] and "*.xlsx" in conf["package-data"]["generator.sample_workbooks"]
    assert (SAMPLES / "__init__.py").is_file() and len(sample_files()) >= 3
