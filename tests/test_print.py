"""What a printed report and printed workbooks depend on, read back from the files.

Fonts and language in styles, theme and font table; document properties; landscape pages for
the 附件 and 附表; chart pictures at their printed size and resolution; table rows that repeat
or never split; 附表8 in its two-sided layout; the workbooks' page setup and validations.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from generator import attachments
from generator.annotate import write_check_report
from generator.findings import Finding
from generator.workbook import HEADER_ROWS, INSTRUCTIONS_TITLE, build_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "sample_inputs"
ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
EMU_PER_MM = 36000


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@pytest.fixture(scope="module")
def anju(sample_reports):
    written = sample_reports[ANJU.name].written
    with zipfile.ZipFile(written.report) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    data = json.loads(written.data.read_text("utf-8"))
    return parts, data


def xml(parts, name):
    return etree.fromstring(parts[name])


def style(styles, name):
    return next(s for s in styles.iter(q("w:style")) if s.find(q("w:name")).get(q("w:val")).lower() == name.lower())


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(q("w:t")))


def test_styles_name_the_official_fonts_and_plain_headings(anju):
    """Body 仿宋_GB2312, title 方正小标宋简体, headings 黑体/黑体/楷体_GB2312, not bold (these fonts have no bold
    and 公文 titles are not set bold); Chinese declared."""
    styles = xml(anju[0], "word/styles.xml")
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "黑体",
                "Heading 3": "楷体_GB2312"}
    for name, font in expected.items():
        rpr = style(styles, name).find(q("w:rPr"))
        assert rpr.find(q("w:rFonts")).get(q("w:eastAsia")) == font, name
        if name != "Normal":
            bold = rpr.find(q("w:b"))
            assert bold is None or bold.get(q("w:val")) in ("0", "false"), name
    lang = styles.find(f"{q('w:docDefaults')}//{q('w:lang')}")
    assert lang.get(q("w:eastAsia")) == "zh-CN"
    settings = xml(anju[0], "word/settings.xml")
    assert settings.find(q("w:themeFontLang")).get(q("w:eastAsia")) == "zh-CN"


def test_theme_is_chinese_not_japanese(anju):
    """The theme's East-Asian fonts are 黑体/仿宋_GB2312; no Japanese font is left in it."""
    theme = anju[0]["word/theme/theme1.xml"].decode()
    assert 'script="Jpan"' not in theme and "ＭＳ" not in theme
    root = etree.fromstring(theme.encode())
    major = root.find(f".//{q('a:majorFont')}/{q('a:ea')}").get("typeface")
    minor = root.find(f".//{q('a:minorFont')}/{q('a:ea')}").get("typeface")
    assert (major, minor) == ("黑体", "仿宋_GB2312")


def test_font_table_carries_the_fallback_chain(anju):
    """Each named font has its substitute (altName) and the GB2312 charset; no Japanese font listed."""
    fonts = xml(anju[0], "word/fontTable.xml")
    alt = {f.get(q("w:name")): (f.find(q("w:altName")).get(q("w:val")) if f.find(q("w:altName")) is not None else None,
                                f.find(q("w:charset")).get(q("w:val")))
           for f in fonts.iter(q("w:font"))}
    chain = {"仿宋_GB2312": "仿宋", "仿宋": "FangSong", "黑体": "SimHei", "楷体_GB2312": "楷体", "楷体": "KaiTi",
             "方正小标宋简体": "华文中宋", "华文中宋": "宋体"}
    for name, substitute in chain.items():
        assert alt[name] == (substitute, "86"), name
    assert not any("ＭＳ" in name for name in alt)


def test_core_properties_come_from_the_workbook(anju):
    """Title is the report's title, author the unit, dates fixed from the report year; no python-docx traces."""
    core = xml(anju[0], "docProps/core.xml")
    assert core.find(q("dc:title")).text == "遂宁市安居区社会保险事业管理局2024年度单位决算说明"
    assert core.find(q("dc:creator")).text == "遂宁市安居区社会保险事业管理局"
    assert core.find(q("dcterms:created")).text == "2025-01-01T00:00:00Z"
    assert core.find(q("dcterms:modified")).text == "2025-01-01T00:00:00Z"
    props = anju[0]["docProps/core.xml"] + anju[0]["docProps/app.xml"]
    assert b"python-docx" not in props and b"Macintosh" not in props and b"14.0000" not in props
    assert "docProps/thumbnail.jpeg" not in anju[0]


def sections(doc):
    """(section properties, the body elements of that section) in order."""
    out, current = [], []
    for el in doc.find(q("w:body")):
        if el.tag == q("w:sectPr"):
            out.append((el, current))
            continue
        current.append(el)
        sect = el.find(f"{q('w:pPr')}/{q('w:sectPr')}") if el.tag == q("w:p") else None
        if sect is not None:
            out.append((sect, current))
            current = []
    return out


def landscape(sect) -> bool:
    size = sect.find(q("w:pgSz"))
    return int(size.get(q("w:w"))) > int(size.get(q("w:h")))


def test_attachments_and_appendix_are_on_landscape_pages(anju):
    """The narrative is portrait; one landscape section holds 第四部分 附件 with every 附件 table, then
    第五部分 (on a new page) and the 附表."""
    doc = xml(anju[0], "word/document.xml")
    secs = sections(doc)
    assert [landscape(s) for s, _ in secs] == [False, True]
    portrait_text = "".join(text_of(el) for el in secs[0][1])
    landscape_paras = [text_of(el) for el in secs[1][1] if el.tag == q("w:p")]
    assert "第三部分" in portrait_text and "第四部分" not in portrait_text
    assert landscape_paras[0].startswith("第四部分") and any(t.startswith("附件1") for t in landscape_paras)
    assert any(t.startswith("第五部分") for t in landscape_paras)
    assert not any(el.tag == q("w:tbl") for el in secs[0][1])  # no table squeezed into the portrait part


def png_dpi(data: bytes) -> int:
    i = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    assert unit == 1 and x == y
    return round(x * 0.0254)


def test_charts_are_placed_at_150_by_60_mm_at_300_dpi(anju):
    """Every chart is 150 mm × 60 mm on the page and its picture has 300 dpi at that size."""
    parts = anju[0]
    doc = xml(parts, "word/document.xml")
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in doc.iter(q("wp:extent"))]
    assert len(extents) == 5  # 图1–图5: the single-item income structure is a sentence
    for cx, cy in extents:
        assert abs(cx / EMU_PER_MM - 150) < 0.1 and abs(cy / EMU_PER_MM - 60) < 0.3
    pngs = [data for name, data in parts.items() if name.startswith("word/media/")]
    assert pngs and all(png_dpi(p) == 300 for p in pngs)
    for p in pngs:
        width_px = struct.unpack(">I", p[16:20])[0]
        assert abs(width_px / 300 * 25.4 - 150) < 0.5


def tables(doc):
    return list(doc.iter(q("w:tbl")))


def test_table_rows_never_split_and_headers_repeat(anju):
    """Every row of every table is cantSplit; each 附表 and each indicator table repeats its header."""
    doc = xml(anju[0], "word/document.xml")
    all_tables = tables(doc)
    assert all_tables
    for tbl in all_tables:
        for tr in tbl.iter(q("w:tr")):
            assert tr.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None
    repeating = [t for t in all_tables if t.find(f"{q('w:tr')}/{q('w:trPr')}/{q('w:tblHeader')}") is not None]
    headers = [text_of(t.find(q("w:tr"))) for t in repeating]
    assert sum(h.startswith("一级指标二级指标三级指标指标性质") for h in headers) == 8  # 8 project tables
    assert len(repeating) == 13 + 9  # 13 附表, the unit-wide table and 8 indicator tables


def test_table_cells_have_margins(anju):
    """Table text does not touch the rules: every table declares top and bottom cell margins."""
    doc = xml(anju[0], "word/document.xml")
    for tbl in tables(doc):
        mar = tbl.find(f"{q('w:tblPr')}/{q('w:tblCellMar')}")
        assert mar is not None and int(mar.find(q("w:top")).get(q("w:w"))) > 0


def test_attachment_columns_hold_their_longest_token(anju):
    """No figure or short word in a 附件 table is broken: each single column is wide enough for it."""
    doc = xml(anju[0], "word/document.xml")
    checked = 0
    for tbl in tables(doc):
        grid = [int(c.get(q("w:w"))) for c in tbl.iter(q("w:gridCol"))]
        if len(grid) not in (8, 9, 10):
            continue
        for tr in tbl.iter(q("w:tr")):
            col = 0
            for tc in tr.iter(q("w:tc")):
                span_el = tc.find(f"{q('w:tcPr')}/{q('w:gridSpan')}")
                span = int(span_el.get(q("w:val"))) if span_el is not None else 1
                text = text_of(tc)
                if span == 1 and text:
                    bold = tc.find(f".//{q('w:b')}") is not None
                    need_mm = attachments._least(attachments.Cell(text, bold=bold)) * attachments.CHAR_MM
                    have_mm = grid[col] / 1440 * 25.4 - 2.4  # minus the two cell margins
                    assert have_mm >= need_mm - 0.01, (text, have_mm, need_mm)
                    checked += 1
                col += span
    assert checked > 200


def test_appendix_8_is_two_sided_with_both_totals(anju):
    """附表8 sets 人员经费 ‖ 公用经费 side by side and ends with both 合计, the figures 六 quotes."""
    doc = xml(anju[0], "word/document.xml")
    body = list(doc.find(q("w:body")))
    title = next(i for i, el in enumerate(body) if text_of(el).startswith("附表8"))
    tbl = next(el for el in body[title:] if el.tag == q("w:tbl"))
    rows = [[text_of(tc) for tc in tr.iter(q("w:tc"))] for tr in tbl.iter(q("w:tr"))]
    assert rows[0] == ["人员经费", "公用经费"]
    assert rows[1] == ["科目编码", "科目名称", "决算数"] * 2
    assert rows[2][0] == "301" and rows[2][3] == "302"
    figures = anju[1]["figures"]
    assert rows[-2] == ["", "人员经费合计", figures["personnel"], "", "公用经费合计", figures["public"]]
    assert rows[-1] == ["注：本表反映本年度一般公共预算财政拨款基本支出明细情况。"]  # the note stays with the table
    sentences = "".join(anju[1]["sentences"])
    assert f"人员经费{figures['personnel']}万元" in sentences


# --------------------------------------------------------------------------- workbooks


def check_page_setup(ws, title_rows: str | None):
    assert ws.page_setup.orientation == "landscape", ws.title
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    rows = ws.print_title_rows.replace("$", "") if ws.print_title_rows else None
    assert rows == title_rows, ws.title
    assert ws.print_area, ws.title


def test_blank_workbook_prints_one_page_wide_with_repeated_headers(tmp_path):
    """Every sheet of the blank workbook: A4 landscape, one page wide, header rows repeated, a print area."""
    path = tmp_path / "blank.xlsx"
    build_workbook().save(path)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        if ws.title == INSTRUCTIONS_TITLE:
            check_page_setup(ws, None)
        elif ws.title in ("收入支出决算总表", "支出决算表", "一般公共预算财政拨款基本支出决算表"):
            check_page_setup(ws, f"1:{HEADER_ROWS}")
        else:
            assert re.fullmatch(r"\$1:\$[34]", ws.print_title_rows or ""), ws.title
            check_page_setup(ws, ws.print_title_rows.replace("$", ""))
    assert "generate serve" in "\n".join(str(c.value or "") for c in wb[INSTRUCTIONS_TITLE]["A"])


def test_every_validation_has_a_prompt_and_a_chinese_error(tmp_path):
    """Each data validation shows a prompt on entering the cell and a titled Chinese error message."""
    path = tmp_path / "blank.xlsx"
    build_workbook().save(path)
    wb = load_workbook(path)
    count = 0
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            count += 1
            assert dv.showInputMessage and dv.prompt and dv.promptTitle, (ws.title, dv.sqref)
            assert dv.showErrorMessage and dv.errorTitle and re.search(r"[\u4e00-\u9fff]", dv.error or "")
    assert count > 20


def test_check_report_workbook_prints_too(tmp_path):
    """The marked check-result workbook keeps the page setup, and its 检查结果 sheet repeats row 1."""
    target = tmp_path / "检查结果.xlsx"
    findings = [Finding("SUM-ROW", "错误", "支出决算表!C6", "行政运行 的本年支出合计不等于各项之和")]
    write_check_report(ANJU, findings, target)
    wb = load_workbook(target)
    check_page_setup(wb["检查结果"], "1:1")
    check_page_setup(wb["支出决算表"], f"1:{HEADER_ROWS}")


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_every_layout_prints_as_a_publication(sample_reports, sample):
    """Read from the file of each sample (every layout): the title and headings are not bold (方正小标宋,
    黑体 and 楷体 have no bold); every footer sits inside its bottom margin; the document does not end in
    empty paragraphs (a blank last page); 名词解释 explains “三公”经费 whenever the text reports it."""
    with zipfile.ZipFile(sample_reports[sample].written.report) as z:
        doc, styles = etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read("word/styles.xml"))
    for name in ("Title", "heading 1", "heading 2", "heading 3"):
        b = style(styles, name).find(f"{q('w:rPr')}/{q('w:b')}")
        assert b is None or b.get(q("w:val")) in ("0", "false")
    for sect in doc.iter(q("w:sectPr")):
        margin = sect.find(q("w:pgMar"))
        assert int(margin.get(q("w:footer"))) <= int(margin.get(q("w:bottom")))
    body = list(doc.find(q("w:body")))
    tail = [el for el in body[:-1]][-2:]  # the last two elements before the final sectPr
    assert not all(el.tag == q("w:p") and not text_of(el) and el.find(f"{q('w:pPr')}/{q('w:sectPr')}") is None
                   for el in tail)
    text = [text_of(p) for p in doc.iter(q("w:p"))]
    if any("“三公”经费" in t for t in text):
        assert any(re.match(r"^(\d+\.|[一二三四五六七八九十]+、)“三公”经费：", t) for t in text)


def test_attachment_list_names_each_project(sample_reports):
    """第四部分 lists each 附件 by its project (the name was once replaced by the last 资金来源, “其他资金”)."""
    report = sample_reports[ANJU.name].report
    listed = report.sections["attachments"]
    projects = [a for a in listed if a.startswith("附件") and "项目支出绩效自评表" in a]
    assert projects and not any(p.endswith("其他资金") for p in projects)
    assert any(p.endswith("离休干部遗孀生活补助2024") for p in projects)
