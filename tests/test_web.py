"""The web page (`generate serve`) over HTTP with Flask's test client: uploads, limits, isolation, errors."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from urllib.parse import quote
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from generator import batch as batch_module
from generator import web
from generator.batch import content_hash
from generator.cli import main

from conftest import SAMPLES

ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"
WELFARE = SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx"
REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture
def app(tmp_path):
    return web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def broken(make_workbook, minimal_data):
    """A workbook whose 支出决算表 row 行政运行 does not add up (one SUM-ROW 错误 at C6)."""
    minimal_data["t03"][0]["total"] = D("90")
    return make_workbook(minimal_data, "坏表.xlsx").read_bytes()


def token(client) -> str:
    """The form token of the client's session, as the front page carries it."""
    return re.search(r'name="csrf" value="([^"]+)"', text(client.get("/"))).group(1)


def upload(client, *files: tuple[str, bytes]):
    return client.post("/upload", data={"files": [(io.BytesIO(data), name) for name, data in files], "csrf": token(client)},
                       content_type="multipart/form-data")


def job_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def text(response) -> str:
    return response.get_data(as_text=True)


def links(page: str, label: str) -> list[str]:
    """The href of every link whose text contains `label`."""
    return [href for href, body in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S) if label in body]


def finding_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(规则代码, 级别, 位置, 说明) of each row of the findings table, as the page shows them
    (the page's columns are 级别, 问题 (Chinese name, code in small print), 位置, 说明)."""
    table = page.split('id="findings"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append((cells[1].split()[-1], cells[0], cells[2], cells[3]))
    return rows


def unit_rows(page: str) -> list[tuple[str, str]]:
    """(工作簿, 状态) of each row of a batch's table, in the page's order."""
    return re.findall(r'<td data-label="工作簿">(?:<a [^>]*>)?([^<]+)(?:</a>)?</td>.*?<td data-label="状态">'
                      r'<span class="badge s-[^"]+">([^<]+)</span>', page, re.S)


def wait_for(client, url: str, timeout: float = 90) -> str:
    """The job page once its batch has finished (it stops refreshing itself)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        page = text(client.get(url))
        if REFRESH not in page:
            return page
        time.sleep(0.2)
    raise AssertionError("batch did not finish")


# ---------------------------------------------------------------- the blank workbook

def test_blank_workbook_is_what_generate_init_writes(client, tmp_path):
    """The page's blank workbook has the same sheets and cells as `generate init` writes (only the save time differs)."""
    res = client.get("/blank.xlsx", follow_redirects=True)
    assert res.status_code == 200
    assert "attachment" in res.headers["Content-Disposition"]
    assert quote("空白工作簿-四川2024（13张附表）.xlsx") in res.headers["Content-Disposition"]
    downloaded = tmp_path / "下载.xlsx"
    downloaded.write_bytes(res.data)
    cli = tmp_path / "init.xlsx"
    assert CliRunner().invoke(main, ["init", str(cli)]).exit_code == 0
    assert content_hash(downloaded) == content_hash(cli)


# ---------------------------------------------------------------- one workbook

def test_sample_upload_gives_a_report_that_word_opens(client, tmp_path):
    """A sample workbook: status 成功 (the samples are clean), a .docx python-docx opens, and the charts shown as PNGs."""
    url = job_url(upload(client, (ANJU.name, ANJU.read_bytes())))
    page = text(client.get(url))
    assert '<span class="badge s-成功" id="status">成功</span>' in page
    assert "遂宁市安居区社会保险事业管理局" in page
    assert any(r[:3] == ("PERF-EXEC", "提示", "说明文字!B18") and "4616.36" in r[3] for r in finding_rows(page))
    [report] = links(page, "决算说明（.docx）")
    res = client.get(report)
    assert res.status_code == 200 and "attachment" in res.headers["Content-Disposition"]
    (tmp_path / "r.docx").write_bytes(res.data)
    doc = Document(str(tmp_path / "r.docx"))
    assert any("遂宁市安居区社会保险事业管理局" in p.text for p in doc.paragraphs)
    charts = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    alts = [alt for _, alt in charts]  # the chart's description (its figures), not its caption again
    assert alts[0].startswith("图1：收入、支出决算总计变动情况。2024年：收入1313.50万元") and alts[1].startswith("图2：支出决算结构")
    png = client.get(charts[0][0])
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert "attachment" not in png.headers.get("Content-Disposition", "")
    assert not links(page, "检查结果")  # only a 提示: nothing to fix, no marked workbook offered


def test_broken_workbook_shows_its_findings_and_no_report(client, broken, tmp_path):
    """A workbook with an 错误: the message, the finding at 表名!单元格, no report, and the marked workbook."""
    page = text(client.get(job_url(upload(client, ("坏表.xlsx", broken)))))
    assert '<span class="badge s-错误" id="status">错误</span>' in page
    assert '<p class="alert" role="alert" id="message">工作簿有 1 处错误，未生成报告；请按下表的提示修改后重新上传</p>' in page
    assert "--force" not in page
    rows = finding_rows(page)
    assert rows[0][:3] == ("SUM-ROW", "错误", "支出决算表!C6")
    assert rows[0][3].startswith("行政运行 的本年支出合计 90.00 ≠ 基本支出 80.00")
    assert not links(page, ".docx")
    [marked] = links(page, "检查结果：标出问题的工作簿")
    res = client.get(marked)
    assert res.status_code == 200
    assert "%E6%A3%80%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx" in res.headers["Content-Disposition"]  # 坏表.检查结果.xlsx
    (tmp_path / "m.xlsx").write_bytes(res.data)
    wb = load_workbook(tmp_path / "m.xlsx")
    assert wb.sheetnames[0] == "检查结果"
    assert wb["检查结果"]["D2"].value == "支出决算表!C6"


def test_not_a_workbook_names_the_uploaded_file(client):
    """A file that is not .xlsx inside: one Chinese sentence with the name the clerk uploaded, never the stored name."""
    page = text(client.get(job_url(upload(client, ("报表.xlsx", b"not a workbook")))))
    assert '<p class="alert" role="alert" id="message">“报表.xlsx”不是 Excel 工作簿（.xlsx）文件；请在 Excel/WPS 中另存为 .xlsx 后重试</p>' in page
    assert "u0001" not in page


def test_corrected_workbook_gets_a_change_report(client, make_workbook, minimal_data):
    """Uploading the same workbook again after a correction offers 修订说明 listing the changed figure."""
    first = make_workbook(minimal_data, "单位.xlsx").read_bytes()
    page = text(client.get(job_url(upload(client, ("单位.xlsx", first)))))
    assert not links(page, "修订说明（.txt）")
    minimal_data["other"]["running_costs"] = D("21")
    minimal_data["t08"] = [{"code": "30101", "amount": D("59")}, {"code": "30201", "amount": D("21")}]
    minimal_data["t07"][0]["basic"], minimal_data["t07"][1]["basic"] = D("59"), D("21")
    second = make_workbook(minimal_data, "单位2.xlsx").read_bytes()
    page = text(client.get(job_url(upload(client, ("单位.xlsx", second)))))
    [changes] = links(page, "修订说明（.txt）")
    report = client.get(changes).data.decode("utf-8-sig")
    assert report.startswith("测试单位 决算说明修订说明\n\n一、变动的数字（原 → 新）\n")


def test_single_upload_waits_its_turn(client, broken):
    """While another report is being generated, a single upload waits on a self-refreshing page, then shows its result."""
    with web.RENDER_LOCK:
        url = job_url(upload(client, ("坏表.xlsx", broken)))
        waiting = text(client.get(url))
        assert REFRESH in waiting
        assert '<p class="progress-line" id="progress" role="status">排队中：正在为其他工作簿生成报告，完成后自动开始……</p>' in waiting
    page = wait_for(client, url)
    assert finding_rows(page)[0][:3] == ("SUM-ROW", "错误", "支出决算表!C6")


# ---------------------------------------------------------------- many workbooks, zips

def zip_of(members: dict[str, bytes], gbk: dict[str, bytes] | None = None) -> bytes:
    """A zip; `gbk` members get GBK names without the UTF-8 flag, as Windows' "compressed folder" writes them."""
    buf = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        for i, (name, data) in enumerate((gbk or {}).items()):
            raw = name.encode("gbk")
            placeholder = f"{i:0{len(raw)}d}".encode()  # ASCII of the same length, swapped for the GBK bytes
            placeholders[placeholder] = raw
            z.writestr(placeholder.decode(), data)
    out = buf.getvalue()
    for placeholder, raw in placeholders.items():
        assert out.count(placeholder) == 2  # local header and central directory
        out = out.replace(placeholder, raw)
    return out


def test_zip_members_are_filtered(client, app, tmp_path):
    """A zip: "../", absolute paths, lock files and non-.xlsx members are skipped and named; a GBK name reads right."""
    data = zip_of({"../evil.xlsx": b"x", "/abs.xlsx": b"x", "乡镇/~$安居.xlsx": b"lock", "说明.txt": b"x",
                   "__MACOSX/._安居.xlsx": b"x", "乡镇/": b""},
                  gbk={"乡镇/安居社保局.xlsx": ANJU.read_bytes()})
    page = text(client.get(job_url(upload(client, ("区县.zip", data)))))
    notes = re.findall(r'<p class="note">(.*?)</p>', page)
    assert notes == ["已忽略压缩包中的“../evil.xlsx”：路径不安全。", "已忽略压缩包中的“/abs.xlsx”：路径不安全。",
                     "已忽略压缩包中的“乡镇/~$安居.xlsx”：这是 Office 的临时文件。",
                     "已忽略压缩包中的“说明.txt”：不是 .xlsx 工作簿。"]
    assert '<h1 id="unit-title">乡镇/安居社保局.xlsx</h1>' in page  # the one workbook: shown as a single result
    assert links(page, "决算说明（.docx）")
    assert not (tmp_path / "evil.xlsx").exists() and not (tmp_path / "web" / "evil.xlsx").exists()
    assert not [p for p in (tmp_path / "web").rglob("*") if "evil" in p.name or "安居社保局" in p.name or "~$" in p.name]


def test_zip_without_workbooks_is_refused(client):
    """Nothing usable in the upload: the page says so and lists what was skipped."""
    res = upload(client, ("区县.zip", zip_of({"说明.txt": b"x"})), ("说明.doc", b"x"))
    assert res.status_code == 400
    assert ('<p class="alert" role="alert" id="message">没有找到可以处理的 .xlsx 工作簿。已忽略压缩包中的“说明.txt”：不是 .xlsx 工作簿。'
            "已忽略“说明.doc”：只能上传 .xlsx 工作簿或 .zip 压缩包。</p>") in text(res)


def test_empty_upload_is_refused(client):
    """Pressing the button without choosing a file says what to do."""
    res = client.post("/upload", data={"csrf": token(client)}, content_type="multipart/form-data")
    assert res.status_code == 400
    assert "请先选择要上传的工作簿（.xlsx）或压缩包（.zip）。" in text(res)


def test_batch_progress_summary_and_zip(tmp_path, broken, monkeypatch):
    """Many workbooks: the page refreshes itself with 已完成 X / Y while running; then statuses, 汇总.xlsx and one zip."""
    app = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 2})
    client = app.test_client()
    release = threading.Event()
    real = batch_module.run_batch

    def held(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "run_batch", held)
    data = zip_of({"乡镇/坏表.xlsx": broken, "福利院.xlsx": WELFARE.read_bytes(), "../evil.xlsx": b"x"})
    url = job_url(upload(client, ("区县.zip", data), (ANJU.name, ANJU.read_bytes())))
    running = text(client.get(url))
    assert REFRESH in running
    assert "正在处理：已完成 0 / 3 份" in running or "排队中" in running
    assert upload(client, ("a.xlsx", b"x")).status_code == 400  # one upload at a time per browser
    release.set()
    page = wait_for(client, url)
    assert "处理完成：成功 2 份，警告 0 份，错误 1 份。" in page
    rows = unit_rows(page)
    assert sorted(rows) == sorted([("乡镇/坏表.xlsx", "错误"), ("福利院.xlsx", "成功"), (ANJU.name, "成功")])
    assert "已忽略压缩包中的“../evil.xlsx”：路径不安全。" in page

    summary = client.get(links(page, "汇总.xlsx")[0])
    (tmp_path / "汇总.xlsx").write_bytes(summary.data)
    ws = load_workbook(tmp_path / "汇总.xlsx")["汇总"]
    names = [ws.cell(r, 1).value for r in range(2, 6)]
    assert names[0] == "乡镇/坏表.xlsx" and sorted(names[1:3]) == sorted(["福利院.xlsx", ANJU.name]) and names[3] == "全区合计"
    assert ws.cell(2, 9).value == "工作簿有 1 处错误，未生成报告；各处问题见“问题清单”表"

    archive = zipfile.ZipFile(io.BytesIO(client.get(links(page, "下载全部报告")[0]).data))
    names = archive.namelist()
    assert "汇总.xlsx" in names
    assert "福利院/示范区社会福利院2024年度单位决算说明.docx" in names
    assert "福利院/图表/图1_收入、支出决算总计变动情况.png" in names
    assert [n for n in names if n.startswith("乡镇/坏表/")] == ["乡镇/坏表/坏表.检查结果.xlsx"]  # no report: its check

    detail = text(client.get(links(page, "乡镇/坏表.xlsx")[0]))
    assert finding_rows(detail)[0][:3] == ("SUM-ROW", "错误", "支出决算表!C6")


# ---------------------------------------------------------------- limits

def test_documented_limits(tmp_path):
    """The limits are the documented constants, and the page states them."""
    assert web.MAX_REQUEST_BYTES == 32 * 1024 * 1024 and web.MAX_WORKBOOKS == 300
    assert web.SESSION_MAX_AGE == 2 * 60 * 60
    app = web.create_app({"WORK_DIR": tmp_path / "web"})
    assert app.config["MAX_CONTENT_LENGTH"] == web.MAX_REQUEST_BYTES
    page = text(app.test_client().get("/"))
    assert "每次上传合计不超过 32 MB、最多 300 份工作簿" in page


def test_too_large_upload_gets_a_chinese_page(tmp_path):
    """An upload over MAX_CONTENT_LENGTH: status 413 and a Chinese sentence with the limits."""
    app = web.create_app({"WORK_DIR": tmp_path / "web", "MAX_CONTENT_LENGTH": 1024 * 1024})
    res = upload(app.test_client(), ("大.xlsx", b"x" * (1024 * 1024 + 1)))
    assert res.status_code == 413
    assert "上传的内容超过了限制：每次合计不超过 1 MB" in text(res) and "请确认它是填好的决算工作簿" in text(res)
    assert "Traceback" not in text(res) and "Request Entity Too Large" not in text(res)


def test_too_many_workbooks_are_refused(tmp_path):
    """More workbooks than MAX_WORKBOOKS (zip members counted): refused with the limit, nothing stored."""
    app = web.create_app({"WORK_DIR": tmp_path / "web", "MAX_WORKBOOKS": 2})
    res = upload(app.test_client(), ("a.xlsx", b"x"), ("多.zip", zip_of({"b.xlsx": b"x", "c.xlsx": b"x"})))
    assert res.status_code == 400
    assert "一次最多上传 2 份工作簿，请分几次上传。" in text(res)
    assert not list((tmp_path / "web").rglob("*.xlsx"))


def test_zip_bomb_is_refused(tmp_path):
    """A zip that unpacks beyond MAX_UNZIPPED_BYTES is refused."""
    app = web.create_app({"WORK_DIR": tmp_path / "web", "MAX_UNZIPPED_BYTES": 1024 * 1024})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("大.xlsx", b"\0" * (2 * 1024 * 1024))
    res = upload(app.test_client(), ("炸弹.zip", buf.getvalue()))
    assert res.status_code == 400
    assert "压缩包解压后超过 1 MB，请分几次上传。" in text(res)


# ---------------------------------------------------------------- two people at once

def test_two_browsers_never_see_each_others_files(app, broken):
    """B gets 404 for A's result page, files and check workbook; B's home page lists nothing of A's."""
    alice, bob = app.test_client(), app.test_client()
    url = job_url(upload(alice, ("坏表.xlsx", broken)))
    page = text(alice.get(url))
    marked = links(page, "检查结果：标出问题的工作簿")[0]
    assert alice.get(marked).status_code == 200
    for path in (url, marked, url + "/f/f1", url + "/u/0"):
        res = bob.get(path)
        assert res.status_code == 404, path
        assert "找不到该页面或文件：它可能属于另一个浏览器，或已过期（上传的文件和生成的报告保存 2 小时）。" in text(res)
    assert "坏表.xlsx" not in text(bob.get("/"))
    assert "坏表.xlsx" in text(alice.get("/"))
    assert alice.get(url + "/f/f999").status_code == 404
    assert alice.get("/j/unknown").status_code == 404


def test_sessions_expire(app, broken, tmp_path):
    """After SESSION_MAX_AGE without a request, a session's folder is removed and its links are 404."""
    alice, bob = app.test_client(), app.test_client()
    url = job_url(upload(alice, ("坏表.xlsx", broken)))
    assert list((tmp_path / "web" / "sessions").iterdir())
    app.config["SESSION_MAX_AGE"] = 0
    bob.get("/")
    assert not list((tmp_path / "web" / "sessions").iterdir())
    assert alice.get(url).status_code == 404


# ---------------------------------------------------------------- errors

def test_internal_error_shows_no_traceback(client, monkeypatch, caplog):
    """A bug shows a Chinese message page (status 500); the detail goes to the log only."""
    from generator import workbook

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(workbook, "write_workbook", boom)
    res = client.get("/blank.xlsx", follow_redirects=True)
    assert res.status_code == 500
    assert "程序内部错误，请稍后重试；如果问题一再出现，请联系技术支持（详细信息已记录在服务器日志中）。" in text(res)
    assert "Traceback" not in text(res) and "secret detail" not in text(res) and "RuntimeError" not in text(res)
    assert "secret detail" in caplog.text


@pytest.mark.parametrize("method, path, code", [("get", "/no/such/page", 404), ("get", "/upload", 405)])
def test_http_errors_are_chinese(client, method, path, code):
    """404 and 405 show a Chinese page, not Werkzeug's English one."""
    res = getattr(client, method)(path)
    assert res.status_code == code
    assert "<h1>出错了</h1>" in text(res) and "Not Found" not in text(res) and "Method Not Allowed" not in text(res)


# ---------------------------------------------------------------- the command

def test_serve_help_is_chinese():
    """`generate serve --help` is Chinese and names the options."""
    res = CliRunner().invoke(main, ["serve", "--help"], prog_name="generate")
    assert res.exit_code == 0
    assert res.output.startswith("用法：generate serve [选项]")
    assert "--host 地址" in res.output and "--port 端口" in res.output and "--no-browser" in res.output


@pytest.mark.parametrize("args, opened", [([], ["http://127.0.0.1:8000/"]), (["--no-browser"], [])])
def test_serve_binds_loopback_and_opens_the_browser(monkeypatch, tmp_path, args, opened):
    """By default the server binds 127.0.0.1:8000 and opens the browser; --no-browser does not. Its records
    go to output/网页版 under the current folder and stay after it exits."""
    import webbrowser

    monkeypatch.chdir(tmp_path)

    from werkzeug import serving

    bound, seen, done = [], [], threading.Event()

    class FakeServer:
        def serve_forever(self):
            done.wait(5)

        def server_close(self):
            pass

    monkeypatch.setattr(serving, "make_server", lambda host, port, app, threaded, **kw: bound.append((host, port)) or FakeServer())
    monkeypatch.setattr(webbrowser, "open", lambda url: seen.append(url) or done.set())
    if not opened:
        done.set()
    res = CliRunner().invoke(main, ["serve", *args])
    assert res.exit_code == 0, res.output
    assert bound == [("127.0.0.1", 8000)]
    assert seen == opened
    assert res.output.startswith("网页版已启动：http://127.0.0.1:8000/  （按 Ctrl+C 退出）")
    assert (tmp_path / "output" / "网页版" / web.HISTORY_DB).is_file()
    assert "上传的文件和生成的报告保存在“output/网页版”，再次启动后仍可查看" in res.output


def test_serve_on_a_taken_port_says_so(monkeypatch, tmp_path):
    """A port already in use: one Chinese sentence and exit status 1, not werkzeug's English."""
    import socket

    monkeypatch.chdir(tmp_path)

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--no-browser", "--port", str(port)])
    assert res.exit_code == 1
    assert res.output == (f"错误：无法在 127.0.0.1:{port} 启动网页服务：端口可能已被其他程序占用，或地址不是本机的；"
                          "可用 --port 换一个端口\n")


def test_department_folder_in_a_zip_is_consolidated_as_on_the_command_line(tmp_path):
    """A zip holding a “…（部门）” folder: its units are generated and the 部门 consolidated (总计 1130.00,
    not the 本级's 870.00 as a “部门决算说明”), a unit saved as .XLSX included; the page, 汇总.xlsx and the
    zip of everything show it under the uploaded names."""
    app = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})
    client = app.test_client()
    folder = SAMPLES / "示范区民政局（部门）"
    members = {f"区县/{folder.name}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}
    renamed = next(k for k in members if "救助管理站" in k)
    members[renamed[:-5] + ".XLSX"] = members.pop(renamed)
    page = wait_for(client, job_url(upload(client, ("区县.zip", zip_of(members)))))
    assert "处理完成：成功 4 份，警告 0 份，错误 0 份。" in page, page
    display = f"区县/{folder.name}/部门汇总"
    detail = text(client.get(links(page, display)[0]))
    assert "部门汇总（3个单位，内部往来已抵销；不计入全区合计）" in detail
    archive = zipfile.ZipFile(io.BytesIO(client.get(links(page, "下载全部报告")[0]).data))
    report = f"{display}/示范区民政局2024年度部门决算说明.docx"
    assert report in archive.namelist()
    text_of = "\n".join(p.text for p in Document(io.BytesIO(archive.read(report))).paragraphs)
    assert "2024年度收入、支出总计各1130.00万元" in text_of
    (tmp_path / "汇总.xlsx").write_bytes(client.get(links(page, "汇总.xlsx")[0]).data)
    names = [r[0] for r in load_workbook(tmp_path / "汇总.xlsx")["汇总"].iter_rows(min_row=2, values_only=True)]
    assert display in names and any(n.endswith("救助管理站-2024年度单位决算.XLSX") for n in names)
