"""Tests of the written report: determinism, Word details, charts and captions, literal text, safety."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator import render
from generator.pipeline import generate

SAMPLES = Path(__file__).resolve().parent.parent / "sample_inputs"
WELFARE = SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx"
ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"
YANJIANG = SAMPLES / "四川-雁江区社保局-2020年度部门决算.xlsx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
CAPTION = re.compile(r"^（图(\d+)：(.+)）$")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, sample_reports):
    """Each sample generated once (the welfare sample twice, into two separate folders)."""
    root = tmp_path_factory.mktemp("reports")
    out = {}
    for key, path in (("welfare", WELFARE), ("anju", ANJU), ("yanjiang", YANJIANG)):
        out[key] = sample_reports[path.name].written
    out["welfare_again"] = generate(WELFARE, root / "b").written
    return out


SAMPLE_KEYS = ["welfare", "anju", "yanjiang"]


def paragraphs(path: Path) -> list[str]:
    """Text of every paragraph, body and table cells."""
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def captions(path: Path) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2)) for t in paragraphs(path) if (m := CAPTION.match(t.strip()))]


# ---------------------------------------------------------------- determinism

def test_same_sample_twice_gives_identical_files(reports):
    """Generating the same workbook twice into two folders gives byte-identical .docx, PNGs and JSON."""
    a, b = reports["welfare"], reports["welfare_again"]
    assert a.report.name == b.report.name
    assert a.report.read_bytes() == b.report.read_bytes()
    assert a.data.read_bytes() == b.data.read_bytes()
    assert [p.name for p in a.charts] == [p.name for p in b.charts]
    assert len(a.charts) >= 7
    for pa, pb in zip(a.charts, b.charts):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_docx_zip_entries_have_fixed_timestamp(reports):
    """Every zip entry of the .docx carries the fixed 1980-01-01 timestamp."""
    with zipfile.ZipFile(reports["welfare"].report) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_written_files_are_the_listed_ones(reports):
    """The output folder holds exactly the report, its chart PNGs and the figures JSON."""
    w = reports["welfare"]
    folder = w.report.parent
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted(w.all())
    assert w.data.name == "示范区社会福利院2024年度单位决算说明.数据.json"
    assert w.report.name == "示范区社会福利院2024年度单位决算说明.docx"


def test_figures_json_matches_charts(reports):
    """The figures JSON lists each chart with its number, caption and alt text."""
    w = reports["welfare"]
    data = json.loads(w.data.read_text("utf-8"))
    assert set(data) == {"charts", "figures", "sentences"}
    assert [c["number"] for c in data["charts"]] == list(range(1, len(w.charts) + 1))
    assert [f"（图{c['number']}：{c['caption']}）" for c in data["charts"]] == [
        f"（图{n}：{c}）" for n, c in captions(w.report)]
    assert data["figures"]["total"] == "1137.09"


# ---------------------------------------------------------------- Word details

@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_footer_has_page_field(reports, key):
    """Every section's footer holds a PAGE field (page numbers)."""
    path = reports[key].report
    with zipfile.ZipFile(path) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        body = etree.fromstring(z.read("word/document.xml"))
        sect_prs = body.findall(".//w:sectPr", NS)
        assert len(sect_prs) >= 2  # portrait body + landscape 附表
        for sp in sect_prs:
            refs = sp.findall("w:footerReference", NS)
            assert refs, "a section without a footer"
            for ref in refs:
                xml = z.read("word/" + targets[ref.get(f"{{{NS['r']}}}id")]).decode()
                instr = "".join(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml))
                simple = re.findall(r'w:fldSimple w:instr="([^"]*)"', xml)
                assert "PAGE" in (instr + " ".join(simple)).split()


def test_styles_set_east_asian_font(reports):
    """styles.xml names 仿宋_GB2312 as the East-Asian font (docDefaults and Normal)."""
    styles = part(reports["welfare"].report, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in styles
    root = etree.fromstring(styles.encode())
    (default,) = root.findall("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default.get(f"{{{W}}}eastAsia") == "仿宋_GB2312"


def test_used_styles_have_no_theme_east_asian_font(reports):
    """No style the report uses (nor docDefaults) takes its East-Asian font from the theme."""
    path = reports["welfare"].report
    root = etree.fromstring(part(path, "word/styles.xml").encode())
    used = set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]*)"', part(path, "word/document.xml")))
    styles = {s.get(f"{{{W}}}styleId"): s for s in root.findall("w:style", NS)}
    assert {"Heading1", "TableGrid", "表格文字"} <= used
    seen = set()
    todo = list(used | {"Normal"})
    while todo:  # the used styles and everything they are based on
        sid = todo.pop()
        if sid in seen or sid not in styles:
            continue
        seen.add(sid)
        based = styles[sid].find("w:basedOn", NS)
        if based is not None:
            todo.append(based.get(f"{{{W}}}val"))
    for sid in seen | {"docDefaults"}:
        el = root.find("w:docDefaults", NS) if sid == "docDefaults" else styles[sid]
        for rf in el.iter(f"{{{W}}}rFonts"):
            assert rf.get(f"{{{W}}}eastAsiaTheme") is None, sid
            assert rf.get(f"{{{W}}}asciiTheme") is None, sid


def test_styles_have_no_east_asia_theme_anywhere(reports):
    """styles.xml contains no eastAsiaTheme attribute at all."""
    assert "eastAsiaTheme" not in part(reports["welfare"].report, "word/styles.xml")


# ---------------------------------------------------------------- pictures, alt text, captions

@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_every_picture_has_alt_text_with_its_data(reports, key):
    """Each picture's descr (alt text) names the figure and lists its data (万元 or %)."""
    path = reports[key].report
    body = etree.fromstring(part(path, "word/document.xml").encode())
    doc_prs = body.findall(".//wp:docPr", NS)
    assert len(doc_prs) == len(reports[key].charts) > 0
    for k, el in enumerate(doc_prs, start=1):
        descr = el.get("descr") or ""
        assert descr.startswith(f"图{k}："), descr
        assert "万元" in descr or "%" in descr, descr
        assert re.search(r"\d+\.\d\d", descr), descr
    assert len({el.get("id") for el in doc_prs}) == len(doc_prs)


def test_alt_text_lists_bar_values(reports):
    """A bar chart's alt text reads out every bar with its 万元 value."""
    body = part(reports["welfare"].report, "word/document.xml")
    assert 'descr="图1：收入、支出决算总计变动情况。2024年：收入1137.09万元，支出1137.09万元；' in body


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_captions_numbered_without_gaps(reports, key):
    """Chart captions read （图1：…） … （图N：…） with no gap, one per picture and PNG."""
    path = reports[key].report
    caps = captions(path)
    n = len(reports[key].charts)
    assert [k for k, _ in caps] == list(range(1, n + 1))
    with zipfile.ZipFile(path) as z:
        assert len([x for x in z.namelist() if x.startswith("word/media/")]) == n
    assert [p.name for p in reports[key].charts] == [f"图{k}_{c}.png" for k, c in caps]


def test_welfare_has_sg_pie_as_figure_7(reports):
    """The welfare sample (三公 spent) has 图7, the 三公 pie."""
    caps = captions(reports["welfare"].report)
    assert caps[-1] == (7, "“三公”经费财政拨款支出结构")
    assert reports["welfare"].charts[-1].name == "图7_“三公”经费财政拨款支出结构.png"


def test_anju_without_sg_has_no_sg_chart_and_says_so(reports):
    """The 2024 安居 sample (三公 0) has no 三公 chart and the text says there was no 三公 spending."""
    path = reports["anju"].report
    caps = captions(path)
    assert not [c for _, c in caps if "三公" in c]
    assert len(caps) == len(reports["anju"].charts) > 0
    assert "2024年度本单位无“三公”经费财政拨款支出。" in paragraphs(path)
    assert not any("故不列示" in p for p in paragraphs(path))
    assert "2024年“三公”经费财政拨款支出决算为0.00万元" in "".join(paragraphs(path))


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_no_template_tags_or_placeholders_left(reports, key):
    """No jinja tags and no placeholder text ("XXX", "（具体工作）") remain in a generated sample."""
    path = reports[key].report
    text = "\n".join(paragraphs(path))
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    for bad in ("{{", "}}", "{%", "%}", "{#"):
        assert bad not in xml, bad
    for bad in ("XXX", "ＸＸＸ", "（具体工作）", "(具体工作)"):
        assert bad not in text, bad


# ---------------------------------------------------------------- text from the workbook is literal

TRICKY = ["负责{{ x }}的统计工作。", "{% if %}条件不成立时照常办理。", "审核<>&类事项。"]


@pytest.fixture(scope="module")
def tricky_report(tmp_path_factory):
    import copy

    from conftest import MINIMAL  # the same data as the minimal_data fixture
    from generator.workbook import write_workbook

    data = copy.deepcopy(MINIMAL)
    data["unit"]["duties"] = "\n".join(TRICKY)
    data["unit"]["name"] = "测试<单位>&{{甲}}"
    root = tmp_path_factory.mktemp("tricky")
    path = write_workbook(root / "单位.xlsx", data)
    return generate(path, root / "out").written


def test_workbook_text_with_template_syntax_appears_literally(tricky_report):
    """主要职责 containing "{{ x }}", "{% if %}" and "<>&" is printed literally, one line a paragraph."""
    texts = paragraphs(tricky_report.report)
    for line in TRICKY:
        assert line in texts


def test_unit_name_with_markup_appears_literally(tricky_report):
    """A unit name with <, & and {{ is printed as typed (and made safe only in the file name)."""
    assert "测试<单位>&{{甲}}" in "\n".join(paragraphs(tricky_report.report))
    assert tricky_report.report.name == "测试_单位_&{{甲}}2024年度单位决算说明.docx"


def test_report_with_tricky_text_is_valid_docx(tricky_report):
    """The report with such text is a valid .docx: every XML part parses and Word's model opens it."""
    with zipfile.ZipFile(tricky_report.report) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
        body = z.read("word/document.xml").decode()
    assert "&lt;&gt;&amp;" in body
    docx.Document(str(tricky_report.report))


# ---------------------------------------------------------------- a failed run keeps the old report

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def good_then_changed(make_workbook, minimal_data, tmp_path):
    """A report generated from a workbook, then the workbook changed (same file, new amounts)."""
    path = make_workbook(minimal_data)
    written = generate(path, tmp_path / "out").written
    minimal_data["prior"]["total"] = minimal_data["prior"]["fiscal_total"] = minimal_data["prior"]["gpb_expense"] = 80
    make_workbook(minimal_data)  # same name: overwrites the workbook
    return path, written


def test_failed_render_keeps_earlier_report(good_then_changed, tmp_path, monkeypatch):
    """If rendering fails, the earlier report, charts and JSON are untouched and no *.tmp is left."""
    path, written = good_then_changed
    folder = written.report.parent
    before = _snapshot(folder)

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(render, "render_docx", boom)
    with pytest.raises(RuntimeError, match="render failed"):
        generate(path, tmp_path / "out")
    assert _snapshot(folder) == before
    assert list((tmp_path / "out").rglob("*.tmp")) == []


def test_locked_report_gives_chinese_error_and_keeps_old_docx(good_then_changed, tmp_path, monkeypatch):
    """A .docx that cannot be replaced (open in Word) keeps its old bytes; the error is one Chinese sentence."""
    import os

    from generator import output
    from generator.errors import OutputError

    path, written = good_then_changed
    old = written.report.read_bytes()
    real_replace = os.replace

    def locked(src, dst):
        if str(dst).endswith(".docx"):
            raise PermissionError(13, "locked")
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", locked)
    with pytest.raises(OutputError) as exc:
        generate(path, tmp_path / "out")
    assert str(exc.value) == f"无法写入“{written.report}”：文件可能正在被 Word、WPS 或 Excel 打开，请关闭后重试。"
    assert written.report.read_bytes() == old
    assert list((tmp_path / "out").rglob("*.tmp")) == []


def test_locked_report_leaves_companion_files_consistent(good_then_changed, tmp_path, monkeypatch):
    """When the .docx cannot be written, its charts and figures JSON stay those of the old report."""
    import os

    from generator import output
    from generator.errors import OutputError

    path, written = good_then_changed
    before = _snapshot(written.report.parent)
    real_replace = os.replace

    def locked(src, dst):
        if str(dst).endswith(".docx"):
            raise PermissionError(13, "locked")
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", locked)
    with pytest.raises(OutputError):
        generate(path, tmp_path / "out")
    assert _snapshot(written.report.parent) == before
