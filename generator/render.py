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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from .appendix import TableGrid, appendix_tables
from .accounts import Accounts
from .narrative import ChartSpec, Report
from .output import atomic_write

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CHART_WIDTH = Mm(150)
FORBIDDEN_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass
class Written:
    """The files of one report."""

    report: Path
    charts: list[Path]
    data: Path

    def all(self) -> list[Path]:
        return [self.report, *self.charts, self.data]


def template_path() -> Path:
    return Path(str(resources.files("generator.templates").joinpath("report.docx")))


def draw(spec: ChartSpec) -> bytes:
    from . import charts  # matplotlib is imported only when a chart is drawn

    if spec.kind == "bar":
        return charts.bar_chart(spec.categories, [(n, [float(v) for v in vals]) for n, vals in spec.series],
                                spec.value_labels)
    return charts.pie_chart(spec.labels, [float(v) for v in spec.values], spec.percent_labels)


def _attachments(acc: Accounts) -> list[str]:
    paras = []
    for i, r in enumerate((r for r in acc.performance if r.get("name")), start=1):
        text = f"{i}.{r['name']}绩效自评"
        if r.get("score") is not None:
            text += f"：自评得分{r['score'].normalize():f}分"
        summary = (r.get("summary") or "").strip().rstrip("。")
        paras.append(text + (f"。{summary}。" if summary else "。"))
    return paras or ["本年度未附绩效自评材料。"]


TWIPS_PER_MM = 1440 / 25.4


def _cell_xml(text: str, width: int, style_id: str, align: str, bold: bool = False, span: int = 1,
              vmerge: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = ""
    if text:
        run = f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return (f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="{align}"/>'
            f"</w:pPr>{run}</w:p></w:tc>")


def _table_xml(grid: TableGrid, widths: list[int], table_style: str, cell_style: str) -> str:
    """The whole w:tbl in one string: building 1000+ cells through python-docx costs ~0.5 s a report."""
    n = grid.n_cols
    origin: dict[tuple[int, int], tuple] = {}  # (row, col) → (header cell, first row of it)
    for h in grid.header:
        for r in range(h.row, h.row + h.rowspan):
            origin[(r, h.col)] = (h, r == h.row)
    rows = []
    for r in range(grid.header_rows):
        cells, c = [], 0
        while c < n:
            h, first = origin.get((r, c), (None, True))
            span = h.colspan if h else 1
            width = sum(widths[c:c + span])
            if h is None:
                cells.append(_cell_xml("", width, cell_style, "center"))
            else:
                vmerge = None if h.rowspan == 1 else ("restart" if first else "continue")
                cells.append(_cell_xml(h.text if first else "", width, cell_style, "center", True, span, vmerge))
            c += span
        rows.append(f'<w:tr><w:trPr><w:tblHeader/></w:trPr>{"".join(cells)}</w:tr>')
    for i, row in enumerate(grid.body):
        cells = []
        for j, text in enumerate(row):
            align = "left" if j in grid.text_cols else "center" if j in grid.center_cols else "right"
            cells.append(_cell_xml(text, widths[j], cell_style, align, i in grid.bold_rows))
        rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr>')
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{table_style}"/><w:tblW w:w="{sum(widths)}" '
            f'w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr>'
            f'<w:tblGrid>{cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _add_table(doc, grid: TableGrid, width_mm: float, new_page: bool) -> None:
    styles = doc.styles
    title = doc.add_paragraph(f"附表{grid.number}　{grid.title}", style=styles["表题"])
    # "page break before" rather than a break paragraph: a table that fills its page exactly
    # would otherwise leave an empty page behind it
    title.paragraph_format.page_break_before = new_page
    doc.add_paragraph("单位：万元", style=styles["单位"])
    total = sum(grid.widths)
    widths = [round(width_mm * w / total * TWIPS_PER_MM) for w in grid.widths]
    xml = _table_xml(grid, widths, styles["Table Grid"].style_id, styles["表格文字"].style_id)
    doc.element.body._insert_tbl(parse_xml(xml))
    if grid.note:
        doc.add_paragraph(grid.note, style=styles["表注"])


def _landscape_appendix(doc, grids: list[TableGrid]) -> None:
    """Put the closing 第五部分 heading and the tables in a landscape section."""
    body = doc.element.body
    heading = doc.paragraphs[-1]
    previous = heading._p.getprevious()
    portrait = copy.deepcopy(body.sectPr)
    previous.get_or_add_pPr().append(portrait)
    sec = doc.sections[-1]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin = Mm(17), Mm(15)
    sec.left_margin, sec.right_margin = Mm(25), Mm(25)
    for i, grid in enumerate(grids):
        _add_table(doc, grid, 247, new_page=i > 0)


def _set_alt_texts(doc, specs: list[ChartSpec]) -> None:
    doc_prs = doc.element.body.iter(qn("wp:docPr"))
    for el, spec in zip(doc_prs, specs):
        el.set("descr", spec.alt_text)
        el.set("title", f"图{spec.number}：{spec.caption}")


def _deterministic(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps (the only thing that differs between runs)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            # pictures are compressed already: storing them saves deflating them a second time
            fixed.compress_type = zipfile.ZIP_STORED if info.filename.endswith(".png") else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(report: Report, acc: Accounts, pngs: list[bytes]) -> bytes:
    tpl = DocxTemplate(template_path())
    for spec, png in zip(report.charts, pngs):
        spec.image = InlineImage(tpl, io.BytesIO(png), width=CHART_WIDTH)  # type: ignore[attr-defined]
    ctx = dict(report.context, attachments=_attachments(acc))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    tpl.render(ctx, jinja_env=env, autoescape=True)
    doc = tpl.docx
    _set_alt_texts(doc, report.charts)
    _landscape_appendix(doc, appendix_tables(acc))
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic(buf.getvalue())


def safe_name(text: str) -> str:
    """A unit name usable as a file name on Windows."""
    return FORBIDDEN_IN_NAMES.sub("_", text).strip(" .") or "决算说明"


def write_report(report: Report, acc: Accounts, out_dir: Path) -> Written:
    """Write the .docx, the chart PNGs and the figures JSON into `out_dir`, each atomically."""
    pngs = [draw(spec) for spec in report.charts]
    docx = render_docx(report, acc, pngs)
    u = acc.unit
    base = safe_name(f"{u['name']}{u['year']}年度{u['subject'] or '单位'}决算说明")
    report_path = out_dir / f"{base}.docx"
    chart_paths = [out_dir / "图表" / safe_name(f"图{spec.number}_{spec.caption}.png") for spec in report.charts]
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
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif hasattr(node, "paras"):
            walk(node.paras)

    for key, value in report.context.items():
        if key not in ("unit_name", "short_name", "subject", "year", "prior_year"):
            walk(value)
    return out
