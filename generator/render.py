"""Fill the Word template and write the report, its charts and its data.

docxtpl fills the narrative (autoescaped, strict about missing variables); the 附表 are
appended with python-docx in a landscape section, which is much faster than pushing
13 tables through jinja. Zip entries get a fixed timestamp so the same workbook gives
byte-identical files.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import zipfile
from xml.sax.saxutils import escape
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from .appendix import LANDSCAPE_WIDTH_MM, Cell, WordTable, appendix_tables, word_table
from .accounts import Accounts
from .profiles import Profile, chinese_number, of_unit
from .words import ChartSpec, Report, report_title
from .output import atomic_write, remove_litter, stable_member

CHART_WIDTH = Mm(150)
MARK_PREFIX = "〔表格位置〕"  # the paragraph the renderer replaces with the 附件 tables or the 附表
FORBIDDEN_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass
class Written:
    """The files of one report."""

    report: Path
    charts: list[Path]
    data: Path
    selfeval: list[Path] = field(default_factory=list)  # 绩效自评报告 (整体, 专项), when the workbook asks

    def all(self) -> list[Path]:
        return [p for p in (self.report, *self.charts, self.data, *self.selfeval) if p is not None]


def draw(spec: ChartSpec) -> bytes:
    from . import charts  # matplotlib is imported only when a chart is drawn

    if spec.kind == "bar":
        return charts.bar_chart(spec.categories, [(n, [float(v) for v in vals]) for n, vals in spec.series],
                                spec.value_labels)
    return charts.pie_chart(spec.labels, [float(v) for v in spec.values], spec.percent_labels)


TWIPS_PER_MM = 1440 / 25.4
PORTRAIT_WIDTH_MM = 156  # A4 minus the 28 mm / 26 mm margins of the template
CELL_MARGIN = '<w:tblCellMar><w:top w:w="34" w:type="dxa"/><w:left w:w="68" w:type="dxa"/>' \
    '<w:bottom w:w="34" w:type="dxa"/><w:right w:w="68" w:type="dxa"/></w:tblCellMar>'  # 0.6 / 1.2 mm


NOTE_BORDERS = '<w:tcBorders><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>'


def _cell_xml(cell: Cell, width: int, style_id: str, keep_next: bool, borders: str = "") -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        props += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.vmerge:
        props += '<w:vMerge w:val="restart"/>' if cell.vmerge == "restart" else "<w:vMerge/>"
    props += borders + '<w:vAlign w:val="center"/>'
    runs = ""
    for k, line in enumerate(cell.text.split("\n") if cell.text else []):
        brk = "<w:br/>" if k else ""
        runs += f'<w:r>{"<w:rPr><w:b/></w:rPr>" if cell.bold else ""}{brk}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
    keep = "<w:keepNext/>" if keep_next else ""
    return (f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}<w:jc w:val="{cell.align}"/>'
            f"</w:pPr>{runs}</w:p></w:tc>")


def _table_xml(rows: list[list[Cell]], header_rows: int, widths: list[int], table_style: str, cell_style: str,
               keep_from: int, note: str = "", note_style: str = "", keep_last: bool = False) -> str:
    """The whole w:tbl in one string: building 1000+ cells through python-docx costs ~0.5 s a report.

    Header rows repeat on every page; no row splits across pages; rows from `keep_from` on
    keep with the next row (the last one too, if `keep_last`). The note is the table's last
    row, without side and bottom rules: as a row it is never left alone at the top of a page
    (Word and LibreOffice do not agree on keeping a table with the paragraph after it).
    """
    out = []
    last = len(rows) - 1
    for r, cells in enumerate(rows):
        xml, c = [], 0
        keep = (r < header_rows or r >= keep_from) and (bool(note) or keep_last or r < last)
        for cell in cells:
            xml.append(_cell_xml(cell, sum(widths[c:c + cell.span]), cell_style, keep))
            c += cell.span
        props = "<w:cantSplit/><w:tblHeader/>" if r < header_rows else "<w:cantSplit/>"
        out.append(f'<w:tr><w:trPr>{props}</w:trPr>{"".join(xml)}</w:tr>')
    if note:
        cell = _cell_xml(Cell(note, len(widths), align="left"), sum(widths), note_style, False, NOTE_BORDERS)
        out.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>')
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{table_style}"/><w:tblW w:w="{sum(widths)}" '
            f'w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{CELL_MARGIN}</w:tblPr>'
            f'<w:tblGrid>{cols}</w:tblGrid>{"".join(out)}</w:tbl>')


def _twips(widths: list[float], width_mm: float) -> list[int]:
    total = sum(widths)
    return [round(width_mm * w / total * TWIPS_PER_MM) for w in widths]


class _CachingEnvironment(jinja2.Environment):
    """docxtpl compiles every part of the template from its XML on each render (a fifth of a
    report's time); the XML is the template's, not the data's, so each is compiled once."""

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (jinja's name)
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = source
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) >= 64:  # templates are few; never let a long run grow this
                self._compiled.clear()
            found = self._compiled[key] = super().from_string(source)
        return found


def jinja_env() -> jinja2.Environment:
    """The one jinja environment of the process: strict about missing variables, autoescaped."""
    global _ENV
    if _ENV is None:
        env = _CachingEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
        env._compiled = {}
        _ENV = env
    return _ENV


_ENV: jinja2.Environment | None = None


def _styled_paragraph(doc, text: str | None, style_id: str):
    """`doc.add_paragraph(text, style=...)` without python-docx's scan of every style for the
    default one on each call (a tenth of a report's time); the XML is the same."""
    para = doc.add_paragraph(text) if text else doc.add_paragraph()
    para._p.style = style_id
    return para


def landscape(sec) -> None:
    """A4 landscape with the 附表 pages' margins (the 附件 and 附表 of every report)."""
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin = Mm(17), Mm(15)
    sec.left_margin, sec.right_margin = Mm(25), Mm(25)


def _table_elements(doc, table: WordTable, width_mm: float, new_page: bool, following: bool = False) -> list:
    """Title paragraph, unit line and the table (after its lead block, with its note), as XML elements.

    `new_page`: the table starts a page (each 附件); `following`: it follows the previous
    table on the same page, after some space (the 附表, so short ones share a page).
    """
    styles = _style_ids(doc)
    table_style, cell_style = styles["Table Grid"], styles["表格文字"]
    out = []
    if table.title:  # an untitled table (a form laid out as a table) gets no empty title line
        title = _styled_paragraph(doc, table.title, styles["表题"])
        # "page break before" rather than a break paragraph: a table that fills its page exactly
        # would otherwise leave an empty page behind it
        title.paragraph_format.page_break_before = new_page
        if following:
            title.paragraph_format.space_before = Pt(24)
        out.append(title._p)
    if table.unit_line:
        out.append(_styled_paragraph(doc, table.unit_line, styles["单位"])._p)
    if table.lead:  # kept whole and with the first rows of the table below it
        out.append(parse_xml(_table_xml(table.lead, 0, _twips(table.lead_widths, width_mm), table_style,
                                        cell_style, keep_from=0, keep_last=True)))
        gap = _styled_paragraph(doc, None, cell_style)  # two adjacent tables would merge into one
        gap.paragraph_format.keep_with_next = True
        gap.paragraph_format.line_spacing = Pt(2)
        out.append(gap._p)
    keep_from = max(table.header_rows, len(table.rows) - table.keep_tail)
    out.append(parse_xml(_table_xml(table.rows, table.header_rows, _twips(table.widths, width_mm), table_style,
                                    cell_style, keep_from, table.note, styles["表注"])))
    return out


def _style_ids(doc) -> dict[str, str]:
    """The ids of the table styles, looked up once per document (kept on the document object):
    python-docx searches every style by name on each lookup, and a report's tables asked 200 times."""
    ids = doc.__dict__.get("_table_style_ids")
    if ids is None:
        ids = doc.__dict__["_table_style_ids"] = {name: doc.styles[name].style_id
                                                  for name in ("Table Grid", "表格文字", "表题", "单位", "表注")}
    return ids


def _core_properties(doc, acc: Accounts, title: str) -> None:
    """Title and author from the workbook; dates fixed from the report year (same input, same bytes)."""
    import datetime

    cp = doc.core_properties
    cp.title = title[:255]  # the limit of a core property
    cp.author = cp.last_modified_by = (acc.unit.get("name") or "")[:255]
    cp.comments = ""
    cp.revision = 1
    when = datetime.datetime(int(acc.unit["year"]) + 1, 1, 1)
    cp.created = cp.modified = when
    cp.last_printed = when


def _set_alt_texts(doc, specs: list[ChartSpec]) -> None:
    doc_prs = doc.element.body.iter(qn("wp:docPr"))
    for el, spec in zip(doc_prs, specs):
        el.set("descr", spec.alt_text)
        el.set("title", f"图{spec.number}：{spec.caption}")


class _FixedZipWriter:
    """python-docx's zip writer, writing `stable_member`s (the time stamps were the only thing
    that differed between runs)."""

    def __init__(self, file):
        self._zipf = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        self._zipf.writestr(stable_member(pack_uri.membername), blob)

    def close(self) -> None:
        self._zipf.close()


def docx_bytes(doc) -> bytes:
    """The .docx of `doc`, the same bytes on every run. What `Document.save` does (python-docx's
    PackageWriter), with our zip writer: the package is compressed once, not saved and rewritten."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    buf = io.BytesIO()
    writer = _FixedZipWriter(buf)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return buf.getvalue()


def published_grids(acc: Accounts, profile: Profile):
    """The 附表 this layout publishes, in its order, numbered and titled as it prints them."""
    grids = {g.number: g for g in appendix_tables(acc)}
    layout_number = {tid: t.table.number for tid, t in acc.tables.items()}
    out = []
    for pub in profile.tables:
        grid = copy.copy(grids[layout_number[pub.id]])
        grid.number = pub.number
        grid.title = pub.title or grid.title
        if pub.note:
            grid.note = pub.note
        label = profile.appendix.get("label")  # e.g. "表{cn}：" (表一：…); default 附表1　…
        if label:
            grid.caption = label.format(n=pub.number, cn=chinese_number(pub.number)) + grid.title
        if profile.appendix.get("blank_zeros"):  # as the layout's publications print a zero cell: blank
            grid.body = [[("" if cell == "0.00" else cell) for cell in row] for row in grid.body]
        out.append(grid)
    return out


def _set_landscape(sectpr) -> None:
    """A section's properties turned to A4 landscape with the 附表 margins."""
    for tag in ("w:pgSz", "w:pgMar"):
        el = sectpr.find(qn(tag))
        if el is not None:
            sectpr.remove(el)
    sectpr.append(parse_xml(f'<w:pgSz {nsdecls("w")} w:w="{int(297 * 56.7)}" w:h="{int(210 * 56.7)}" w:orient="landscape"/>'))
    sectpr.append(parse_xml(f'<w:pgMar {nsdecls("w")} w:top="{int(17 * 56.7)}" w:right="{int(25 * 56.7)}" '
                            f'w:bottom="{int(17 * 56.7)}" w:left="{int(25 * 56.7)}" w:header="851" w:footer="567" w:gutter="0"/>'))


def _landscape_regions(doc, groups: list[tuple[object, object, list]]) -> None:
    """Put each group's tables at its mark and turn the pages from its part heading to its mark
    landscape; groups that follow each other directly share one landscape section, each later
    part heading starting a new page."""
    body = doc.element.body
    regions: list[list[tuple[object, object, list]]] = []
    for heading, mark, elements in groups:
        if regions and regions[-1][-1][1].getnext() is heading:
            regions[-1].append((heading, mark, elements))
        else:
            regions.append([(heading, mark, elements)])
    for region in regions:
        for k, (heading, mark, elements) in enumerate(region):
            for el in elements:
                mark.addprevious(el)
            for r in list(mark.iterchildren(qn("w:r"))) + list(mark.iterchildren(qn("w:bookmarkStart"))) \
                    + list(mark.iterchildren(qn("w:bookmarkEnd"))):
                mark.remove(r)
            if k:
                heading.get_or_add_pPr().insert(1, parse_xml(f'<w:pageBreakBefore {nsdecls("w")}/>'))
        first_heading, last_mark = region[0][0], region[-1][1]
        previous = first_heading.getprevious()
        if previous is None or previous.tag != qn("w:p"):
            first_heading.addprevious(doc.add_paragraph()._p)
            previous = first_heading.getprevious()
        previous.get_or_add_pPr().append(copy.deepcopy(body.sectPr))  # ends the portrait pages before the heading
        following = last_mark.getnext()
        if following is not None and following.tag != qn("w:sectPr"):
            landscape_pr = copy.deepcopy(body.sectPr)
            _set_landscape(landscape_pr)
            last_mark.get_or_add_pPr().append(landscape_pr)  # ends the landscape pages; portrait resumes
        else:  # the tables end the document: the mark paragraph is the paragraph Word wants after a table
            _set_landscape(body.sectPr)


def render_docx(report: Report, acc: Accounts, pngs: list[bytes]) -> bytes:
    """The .docx of any layout: its Word template loops over the outline; the 附件 tables and
    the 附表 are then put in place of their marks, in landscape sections."""
    profile = of_unit(acc.unit)
    tpl = DocxTemplate(profile.template)
    for spec, png in zip(report.charts, pngs):
        spec.image = InlineImage(tpl, io.BytesIO(png), width=CHART_WIDTH)  # type: ignore[attr-defined]
    ctx = dict(report.context)
    ctx["outline"] = [dict(vars(b), mark=f"{MARK_PREFIX}{i}" if b.mark else "") for i, b in enumerate(report.outline)]
    tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    doc = tpl.docx
    _set_alt_texts(doc, report.charts)
    marks = {p.text: p._p for p in doc.paragraphs if p.text.startswith(MARK_PREFIX)}
    groups = []
    for i, block in enumerate(report.outline):
        mark = marks.get(f"{MARK_PREFIX}{i}")
        if mark is None:
            continue
        if block.mark == "table":  # a table inside the text, portrait, in place of its mark
            for el in _table_elements(doc, _text_table(block.rows), PORTRAIT_WIDTH_MM, new_page=False):
                mark.addprevious(el)
            mark.getparent().remove(mark)
            continue
        if block.mark == "attachments":
            elements = [el for k, t in enumerate(report.attachments)
                        for el in _table_elements(doc, t, LANDSCAPE_WIDTH_MM, new_page=k > 0)]
        else:
            each_page = bool(profile.appendix.get("new_page"))
            elements = [el for k, g in enumerate(published_grids(acc, profile))
                        for el in _table_elements(doc, word_table(g), LANDSCAPE_WIDTH_MM, new_page=each_page and k > 0,
                                                  following=k > 0 and not each_page)]
        heading = mark.getprevious()
        while heading is not None and heading.getprevious() is not None and not _is_part_heading(doc, heading):
            heading = heading.getprevious()
        groups.append((heading, mark, elements))
    _landscape_regions(doc, groups)
    _new_pages(doc, report)
    last = doc.element.body.sectPr.getprevious()
    if last is None or last.tag != qn("w:p"):
        doc.element.body.sectPr.addprevious(doc.add_paragraph()._p)  # Word wants a paragraph after the last table
    _core_properties(doc, acc, report_title(acc))
    return docx_bytes(doc)


def _new_pages(doc, report: Report) -> None:
    """Headings the layout starts on a new page (after a cover, a 目录)."""
    wanted = [b.heading for b in report.outline if b.new_page and b.heading]
    if not wanted:
        return
    heading_id = _heading_id(doc)
    for p in doc.paragraphs:  # the part headings only (a 目录 prints the same words)
        style = p._p.pPr.pStyle.val if p._p.pPr is not None and p._p.pPr.pStyle is not None else ""
        if wanted and style == heading_id and p.text == wanted[0]:
            p.paragraph_format.page_break_before = True
            wanted.pop(0)


def _text_table(rows: list[list[str]]) -> WordTable:
    """A small table of the text (序号｜单位名称｜备注): header row bold, centred."""
    width = max(len(r) for r in rows)
    cells = [[Cell(text, 1, bold=i == 0, align="center") for text in r + [""] * (width - len(r))]
             for i, r in enumerate(rows)]
    widths = [max(2.0, max(len(r[c]) if c < len(r) else 0 for r in rows)) for c in range(width)]
    return WordTable(title="", unit_line="", rows=cells, header_rows=1, widths=widths)


def _is_part_heading(doc, p) -> bool:
    if p.tag != qn("w:p"):
        return False
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style is not None and style.get(qn("w:val")) == _heading_id(doc)


def _heading_id(doc) -> str:
    found = doc.__dict__.get("_heading1_id")
    if found is None:
        found = doc.__dict__["_heading1_id"] = doc.styles["Heading 1"].style_id
    return found


MAX_NAME_CHARS = 60  # 180 bytes in UTF-8: room for suffixes within the 255-byte limit of file names


def safe_name(text: str) -> str:
    """A unit name usable as a file name on Windows (and not too long for any file system)."""
    name = FORBIDDEN_IN_NAMES.sub("_", text).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        name = name[:MAX_NAME_CHARS].rstrip(" .") + "…"
    return name or "决算说明"


def unique_name(text: str) -> str:
    """`safe_name`, with a short fingerprint of `text` when folding changed it: "单位 " and "单位",
    or "a:b" and "a_b", never share a folder."""
    name = safe_name(text)
    return name if name == text else f"{name}_{fingerprint(text)}"


def fingerprint(text: str) -> str:
    """Six hex digits that tell two names apart."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def write_report(report: Report, acc: Accounts, out_dir: Path) -> Written:
    """Write the .docx, the chart PNGs and the figures JSON into `out_dir`, each atomically."""
    pngs = [draw(spec) for spec in report.charts]
    docx = render_docx(report, acc, pngs)
    name = acc.unit.get("name") or ""
    title = report_title(acc)
    if len(name) > 36:  # the year and 决算说明 survive a very long unit name
        title = title.replace(name, name[:36] + "…", 1)
    base = safe_name(title)
    report_path = out_dir / f"{base}.docx"
    chart_paths = [out_dir / "图表" / (safe_name(f"图{spec.number}_{spec.caption}") + ".png") for spec in report.charts]
    remove_litter(out_dir)  # what a killed earlier run left behind
    remove_litter(out_dir / "图表")
    data_path = out_dir / f"{base}.数据.json"
    data = json.dumps({"figures": report.figures, "sentences": sentences(report),
                       "charts": [{"number": s.number, "caption": s.caption, "alt": s.alt_text} for s in report.charts]},
                      ensure_ascii=False, indent=1, sort_keys=True)
    # Everything is written to temporary files first; on leaving the block the .docx is renamed
    # into place first (entered last), and if that fails (open in Word) nothing else is replaced.
    with contextlib.ExitStack() as stack:
        stack.enter_context(atomic_write(data_path)).write_text(data, "utf-8")
        for path, png in zip(chart_paths, pngs):
            stack.enter_context(atomic_write(path)).write_bytes(png)
        stack.enter_context(atomic_write(report_path)).write_bytes(docx)
    return Written(report_path, chart_paths, data_path)


def sentences(report: Report) -> list[str]:
    """Every paragraph of the narrative in order (kept beside the report for exact diffs)."""
    return [p for block in report.outline for p in block.paras]
