"""generate 核对: a published 决算说明 checked against itself, its 附表, its chart data and its workbook."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

import review_fixtures as rf
from generator import report_text
from generator.findings import HINT
from generator.report_text import ReportError, read_docx, read_report
from generator.review import review

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def references(tmp_path_factory):
    """The two reference reports as .docx (the 2024 one with its charts), and as PDF where LibreOffice is installed."""
    folder = tmp_path_factory.mktemp("reference-reports")
    out = {"2024": rf.build(rf.REPORT_2024, folder / "安居区2024.docx", rf.CHARTS_2024),
           "2020": rf.build(rf.REPORT_2020, folder / "雁江区2020.docx")}
    return out


@pytest.fixture(scope="session")
def reference_pdfs(references):
    pdfs = {k: rf.to_pdf(p) for k, p in references.items()}
    if any(p is None for p in pdfs.values()):
        pytest.skip("LibreOffice 未安装：不测 PDF")
    return pdfs


def lines(path: Path) -> list[str]:
    return [f.line() for f in review(read_report(path)).findings]


def has(found: list[str], rule: str, severity: str | None, *words: str) -> bool:
    return any(f"[{rule}]" in l and (severity is None or f"] {severity} " in l) and all(w in l for w in words) for l in found)


# Each defect the reference README lists that text can reveal: (report, rule, severity, words of the finding).
DEFECTS_2024 = [
    ("图3 chart data 90.24% against the text's 98.74%", "R03", "错误", ("98.74%", "90.24%", "图3")),
    ("五(一) repeats the sentence of 四", "R12", "警告", ("财政拨款收入、支出总计各减少414.08万元", "四、", "（1）")),
    ("三公 total −0.7 against its item −0.71", "R05", "警告", ("-0.7万元", "-0.71万元", "公务接待费")),
    ("决算为1313.50 without its unit", "R11", "警告", ("1313.50", "没有单位")),
    ("支出决算0元 among 万元", "R11", "警告", ("决算0元",)),
    ("placeholder （具体工作）", "R10", "错误", ("（具体工作）",)),
    ("国内公务接待0批次 with its content", "R10", "警告", ("0批次", "具体内容")),
    ("名词解释 of items the report never names", "R13", "警告", ("其他就业补助支出",)),
    ("one 款 named two ways (行政事业单位离退休)", "R09", "警告", ("行政事业单位离退休", "行政事业单位养老支出")),
    ("0/0 printed as a completion rate", "R04", "错误", ("决算为 0", "完成预算 100%")),
]
DEFECTS_2020 = [
    ("years swapped", "R06", "错误", ("与2020年相比，2019", "年份颠倒")),
    ("截至2019年12月底 in the 2020 report", "R06", "错误", ("截至2019年12月底",)),
    ("退休人员 10 against 11", "R07", "错误", ("退休人员", "11 人", "10 人")),
    ("图6 → 图8", "R08", "警告", ("跳号", "图6", "图8")),
    ("医疗卫生与计划生育", "R09", "警告", ("医疗卫生与计划生育",)),
    ("文化体育与传媒", "R09", "警告", ("文化体育与传媒",)),
    ("zero-valued classes listed as 占0%", "R03", HINT, ("金额为 0", "教育支出")),
    ("完成预算0% for a 0 budget", "R04", "警告", ("完成预算 0%",)),
]


@pytest.mark.parametrize("year,defects", [("2024", DEFECTS_2024), ("2020", DEFECTS_2020)])
def test_every_listed_defect_of_the_reference_reports_is_found(references, year, defects):
    found = lines(references[year])
    missing = [what for what, rule, sev, words in defects if not has(found, rule, sev, *words)]
    assert missing == [], "\n".join(found)


def test_the_reference_pdfs_give_the_same_text_defects(reference_pdfs):
    """The PDF has no chart data; every other listed defect is found in it as in the .docx."""
    for year, defects in (("2024", DEFECTS_2024[1:]), ("2020", DEFECTS_2020)):
        found = lines(reference_pdfs[year])
        missing = [what for what, rule, sev, words in defects if not has(found, rule, sev, *words)]
        assert missing == [], (year, "\n".join(found))
        assert all(re.search(r"\] \S+ 第\d+页：", l) for l in found)


def test_a_finding_quotes_its_sentence_and_both_places(references):
    found = lines(references["2020"])
    line = next(l for l in found if "[R07]" in l)
    assert line.startswith("[R07] 错误 第") and "段：退休人员：“" in line and "退休人员11人" in line and "退休人员10人" in line


def test_every_generated_sample_report_checks_clean(sample_reports):
    """0 findings above 提示 on every report the program writes, alone and against its own workbook."""
    from generator.pipeline import load

    checked = 0
    for name, outcome in sample_reports.items():
        for path in outcome.written.all():
            if path.suffix != ".docx" or "自评" in path.name or "附件" in path.name:
                continue
            text = read_report(path)
            alone = [f.line() for f in review(text).findings if f.severity != HINT]
            acc, _ = load(ROOT / "sample_inputs" / name)
            against = [f.line() for f in review(text, acc).findings if f.severity != HINT]
            assert alone == [] and against == [], (name, alone, against)
            assert review(text).checked >= 20  # it did read the report
            checked += 1
    assert checked >= 5


def test_a_generated_pdf_checks_clean(sample_reports, tmp_path):
    outcome = sample_reports["四川-安居区社保局-2024年度单位决算.xlsx"]
    docx = next(p for p in outcome.written.all() if p.suffix == ".docx" and "决算说明" in p.name)
    copy = tmp_path / "report.docx"
    copy.write_bytes(docx.read_bytes())
    pdf = rf.to_pdf(copy)
    if pdf is None:
        pytest.skip("LibreOffice 未安装")
    result = review(read_report(pdf))
    assert [f.line() for f in result.findings if f.severity != HINT] == []
    assert result.checked >= 30


AMOUNT = re.compile(r"\d+\.\d{2}(?=万元|%)")


def _changed(data: bytes, index: int, run: int, pos: int, old: str) -> tuple[bytes, str]:
    doc = Document(io.BytesIO(data))
    r = doc.paragraphs[index].runs[run]
    new = f"{float(old) + 7.31:.2f}"
    r.text = r.text[:pos] + new + r.text[pos + len(old):]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), new


@pytest.mark.parametrize("sample", ["四川-安居区社保局-2024年度单位决算.xlsx", "上海-示范区统计局-2024年度部门决算.xlsx",
                                    next(p.name for p in (ROOT / "sample_inputs").glob("广西-*.xlsx"))])
def test_one_figure_changed_gives_the_finding_for_that_figure(sample_reports, sample):
    """Every sixth figure of the report changed in turn: each finding above 提示 is on that sentence's paragraph,
    and almost every change is found (the few that are not are figures nothing else states)."""
    outcome = sample_reports[sample]
    path = next(p for p in outcome.written.all() if p.suffix == ".docx" and "决算" in p.name and "自评" not in p.name)
    data = path.read_bytes()
    doc = Document(io.BytesIO(data))
    figures = [(i, ri, m.start(), m.group(0)) for i, p in enumerate(doc.paragraphs) for ri, r in enumerate(p.runs)
               for m in AMOUNT.finditer(r.text)][::6]
    assert len(figures) >= 8
    found = 0
    for i, ri, pos, old in figures:
        changed, new = _changed(data, i, ri, pos, old)
        big = [f for f in review(read_docx(changed, "x.docx")).findings if f.severity != HINT]
        here = f"第{i + 1}段"
        assert all(f.ref == here or here in f.also for f in big), (old, new, [f.line() for f in big])
        found += bool(big)
    assert found >= 0.85 * len(figures), (found, len(figures))


def test_against_another_units_workbook_every_figure_differs(sample_reports):
    from generator.pipeline import load

    outcome = sample_reports["四川-安居区社保局-2024年度单位决算.xlsx"]
    path = next(p for p in outcome.written.all() if p.suffix == ".docx" and "决算说明" in p.name)
    acc, _ = load(ROOT / "sample_inputs" / "上海-示范区统计局-2024年度部门决算.xlsx")
    found = [f for f in review(read_report(path), acc).findings if f.rule == "R02"]
    assert len(found) >= 5
    assert any("本年支出合计" in f.message and "工作簿" in f.message and "1313.50" in f.message for f in found)


# ---------------------------------------------------------------- bad input: one Chinese sentence


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "HOME": str(cwd), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_cli_lines_json_marked_copy_and_exit_status(references, tmp_path):
    run = _cli("核对", references["2024"], "-o", tmp_path / "out", cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "[R10] 错误 第" in run.stdout and "核对完成：" in run.stdout and "未核对 第" in run.stdout
    marked = tmp_path / "out" / "安居区2024.核对.docx"
    assert marked.exists()
    comments = zipfile.ZipFile(marked).read("word/comments.xml").decode("utf-8")
    assert "（具体工作）" in comments and "generate 核对" in comments
    assert b"w:highlight" in zipfile.ZipFile(marked).read("word/document.xml")
    again = _cli("核对", references["2024"], "-o", tmp_path / "out2", "--format", "json", cwd=tmp_path)
    data = json.loads(again.stdout)
    assert again.returncode == 1 and {"findings", "not_checked"} <= set(data)
    assert any(f["rule"] == "R06" for f in json.loads(_cli("核对", references["2020"], "--format", "json", "-o", tmp_path,
                                                            cwd=tmp_path).stdout)["findings"])
    assert (tmp_path / "out2" / "安居区2024.核对.docx").read_bytes() == marked.read_bytes()  # same input, same bytes


def _minimal_pdf(pages: int, text: str | None, stream: bytes | None = None) -> bytes:
    """A small hand-written PDF: `pages` pages sharing one content stream (text, nothing, or `stream` deflated)."""
    import zlib

    if stream is not None:
        content, extra = zlib.compress(stream, 1), b" /Filter /FlateDecode"
    else:
        content, extra = (f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""), b""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
            b"<< /Length " + str(len(content)).encode() + extra + b" >>\nstream\n" + content + b"\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
             b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"] * pages
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", " " * (40 * 1024 * 1024))
    return buf.getvalue()


def _many_paragraphs(n: int) -> bytes:
    """A small file (a few KB zipped) whose body holds `n` paragraphs."""
    data = _plain_docx("决算")
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * n, 1)
            z.writestr(info.filename, body)
    return buf.getvalue()


def _plain_docx(text: str) -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


BAD = {
    "扫描件.pdf": (lambda: _minimal_pdf(2, None), "没有文字层"),
    "五百页.pdf": (lambda: _minimal_pdf(500, "page"), "500 页"),
    "损坏.pdf": (lambda: b"%PDF-1.4\n" + b"\x00garbage" * 100, "无法作为 PDF 打开"),
    "损坏.docx": (lambda: _plain_docx("决算")[:3000], "无法作为 Word 文档打开"),
    "加密.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 .doc 文件或加密"),
    "炸弹.docx": (_bomb_docx, "解压后有 40 MB"),
    "万段.docx": (lambda: _many_paragraphs(60_000), "超过 50000 段"),
    "通知.docx": (lambda: _plain_docx("关于召开年度工作会议的通知。请各单位准时参加。"), "不是一份决算说明"),
    "表格.xlsx": (lambda: b"hello world", "不是 Word 文档（.docx）或 PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_chinese_sentence(tmp_path, name):
    make, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ReportError, match=re.escape(words)):
        read_report(path)


def test_a_decompression_bomb_in_a_pdf_is_stopped_in_bounded_time(tmp_path, monkeypatch):
    monkeypatch.setattr(report_text, "MAX_PDF_SECONDS", 3)
    path = tmp_path / "炸弹.pdf"
    path.write_bytes(_minimal_pdf(1, None, stream=b"0 0 m " * 8_000_000))
    with pytest.raises(ReportError, match="未核对"):
        read_report(path)


def test_cli_bad_input_exit_1_without_traceback(tmp_path):
    (tmp_path / "扫描件.pdf").write_bytes(_minimal_pdf(1, None))
    run = _cli("核对", tmp_path / "扫描件.pdf", cwd=tmp_path)
    assert run.returncode == 1 and run.stderr.startswith("错误：") and "没有文字层" in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


# ---------------------------------------------------------------- the web page


def test_the_web_page_reviews_an_uploaded_report(references, tmp_path):
    from generator import web

    client = web.create_app({"WORK_DIR": tmp_path / "web", "JOBS": 1}).test_client()
    front = client.get("/").get_data(as_text=True)
    assert "核对一份决算说明" in front
    csrf = re.search(r'name="csrf" value="([^"]+)"', front).group(1)
    res = client.post("/review", data={"report": (io.BytesIO(references["2020"].read_bytes()), "雁江区2020.docx"),
                                       "csrf": csrf}, content_type="multipart/form-data")
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and "核对 雁江区2020.docx" in page and "截至2019年12月底" in page and "未核对的句子" in page
    link = re.search(r'href="(/review/[^"]+)"', page).group(1)
    marked = client.get(link)
    assert marked.status_code == 200 and b"word/comments.xml" in marked.data
    bad = client.post("/review", data={"report": (io.BytesIO(b"hello"), "通知.docx"), "csrf": csrf},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "不是 Word 文档（.docx）或 PDF 文件" in bad.get_data(as_text=True)
    assert client.get("/review/nothing-here").status_code == 404
    foreign = web.create_app({"WORK_DIR": tmp_path / "web2", "JOBS": 1}).test_client()
    assert foreign.post("/review", data={"report": (io.BytesIO(b"x"), "a.docx")},
                        content_type="multipart/form-data").status_code == 400  # no token: refused by the guard
