"""Word output of the profiles written from an outline (templates/report_outline.docx).

The template loops over the outline's blocks; the 附表 and the 附件 tables then replace
their marker paragraphs, each group in a landscape section of its own (with the part
heading above it), so the Shanghai tables can stand between 概况 and the 情况说明.
"""

from __future__ import annotations

import copy
import io
from importlib import resources
from pathlib import Path

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docxtpl import DocxTemplate, InlineImage

from .accounts import Accounts
from .appendix import LANDSCAPE_WIDTH_MM, appendix_tables, word_table
from .attachments import attachment_tables
from .narrative import Report
from .narrative_profiles import ATTACHMENTS_MARK, TABLES_MARK
from .profiles import Profile


def template_path(profile: Profile) -> Path:
    return Path(str(resources.files("generator.templates").joinpath(profile.template)))


def published_grids(acc: Accounts, profile: Profile):
    """The 附表 this profile publishes, in its order, numbered and titled as it prints them."""
    grids = {g.number: g for g in appendix_tables(acc)}
    layout_number = {tid: t.table.number for tid, t in acc.tables.items()}
    out = []
    for pub in profile.tables:
        grid = copy.copy(grids[layout_number[pub.id]])
        grid.number = pub.number
        grid.title = pub.title or grid.title
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
                            f'w:bottom="{int(15 * 56.7)}" w:left="{int(25 * 56.7)}" w:header="851" w:footer="992" w:gutter="0"/>'))


def _landscape_region(doc, heading, elements, mark) -> None:
    """Put `elements` where `mark` is, and make heading … elements one landscape section."""
    body = doc.element.body
    for el in elements:
        mark.addprevious(el)
    previous = heading.getprevious()
    if previous is None or previous.tag != qn("w:p"):
        heading.addprevious(doc.add_paragraph()._p)
        previous = heading.getprevious()
    portrait = copy.deepcopy(body.sectPr)
    previous.get_or_add_pPr().append(portrait)  # ends the portrait pages before the heading
    for r in list(mark.iterchildren(qn("w:r"))):
        mark.remove(r)
    if mark.getnext() is not None and mark.getnext().tag != qn("w:sectPr"):
        landscape = copy.deepcopy(body.sectPr)
        _set_landscape(landscape)
        mark.get_or_add_pPr().append(landscape)  # ends the landscape pages; portrait resumes
    else:  # the tables end the document
        _set_landscape(body.sectPr)


def _find(doc, text: str):
    return next((p._p for p in doc.paragraphs if p.text == text), None)


def render_outline_docx(report: Report, acc: Accounts, pngs: list[bytes], profile: Profile) -> bytes:
    from .render import (CHART_WIDTH, _core_properties, docx_bytes, _set_alt_texts, _table_elements, jinja_env,
                         report_title)

    tpl = DocxTemplate(template_path(profile))
    for spec, png in zip(report.charts, pngs):
        spec.image = InlineImage(tpl, io.BytesIO(png), width=CHART_WIDTH)  # type: ignore[attr-defined]
    ctx = dict(report.context)
    ctx["doc_title_line"] = profile.doc_title.format(unit_name="", year=ctx["year"], subject=ctx["subject"])
    tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    doc = tpl.docx
    _set_alt_texts(doc, report.charts)
    groups = []
    mark = _find(doc, ATTACHMENTS_MARK)
    if mark is not None:
        tables = attachment_tables(acc.evaluation, acc.unit.get("name") or "", acc.unit["year"])
        groups.append((mark, [el for i, t in enumerate(tables)
                              for el in _table_elements(doc, t, LANDSCAPE_WIDTH_MM, new_page=i > 0)]))
    mark = _find(doc, TABLES_MARK)
    if mark is not None:
        grids = published_grids(acc, profile)
        groups.append((mark, [el for i, g in enumerate(grids)
                              for el in _table_elements(doc, word_table(g), LANDSCAPE_WIDTH_MM, new_page=False,
                                                        following=i > 0)]))
    for mark, elements in groups:
        heading = mark.getprevious()
        while heading is not None and heading.tag == qn("w:p") and heading.getprevious() is not None \
                and not _is_part_heading(doc, heading):
            heading = heading.getprevious()
        _landscape_region(doc, heading, elements, mark)
    doc.element.body.sectPr.addprevious(doc.add_paragraph()._p)  # Word wants a paragraph after the last table
    _core_properties(doc, acc, report_title(acc))
    return docx_bytes(doc)


def _is_part_heading(doc, p) -> bool:
    style = p.find(qn("w:pPr"))
    sid = style.find(qn("w:pStyle")).get(qn("w:val")) if style is not None and style.find(qn("w:pStyle")) is not None else ""
    return sid == doc.styles["Heading 1"].style_id
