"""Build templates/selfeval_overall.docx and templates/selfeval_project.docx (绩效自评报告).

Run: python tools/build_selfeval_templates.py
Same styles as the 决算说明 template (tools/build_template.py). The fixed wording a finance
bureau may want to change is here; sentences with figures come from generator/selfeval_docx.py.
A paragraph "[[name]]" marks where the table `name` is put (built with python-docx).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from build_template import BODY_FONT, new_document, paragraph_style

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _writer(doc, styles):
    def p(text: str, style: str = "body", page_break: bool = False):
        para = doc.add_paragraph(text, style=styles[style])
        para.paragraph_format.page_break_before = page_break
        return para
    return p


def _loop(p, var: str, style: str = "body", together: bool = False) -> None:
    """One paragraph per item; `together`: the items keep with each other (a short list is never
    split so that its last line stands alone on a page)."""
    p(f"{{%p for para in {var} %}}")
    p("{{ para }}", style).paragraph_format.keep_with_next = together
    p("{%p endfor %}")


def overall() -> Path:
    doc, styles = new_document()
    styles["cover"] = paragraph_style(doc, "封面", BODY_FONT, 16, indent=False, line=40)
    styles["cover"].paragraph_format.left_indent = Pt(48)
    styles["cover_center"] = paragraph_style(doc, "封面居中", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER,
                                             indent=False, line=40)
    p = _writer(doc, styles)
    for _ in range(2):
        p("", "cover")
    p("{{ year }}年度部门（单位）整体支出", "title")
    p("绩效评价自评报告", "title")
    for _ in range(3):
        p("", "cover")
    p("部门（单位）名称：{{ unit_name }}", "cover")
    p("预　算　编　码：{{ code }}", "cover")
    p("评　价　方　式：{{ method }}", "cover")
    p("评　价　机　构：{{ evaluator }}", "cover")
    for _ in range(2):
        p("", "cover")
    p("报告日期：{{ report_date }}", "cover_center")
    p("{{ finance_bureau }}（制）", "cover_center")
    p("一、部门（单位）基本概况", "h2", page_break=True)
    p("[[basic]]")
    p("二、部门（单位）收支情况", "h2")
    p("[[income]]")
    p("[[expense]]")
    p("[[sg]]")
    p("[[assets]]")
    p("三、部门（单位）整体支出绩效自评情况", "h2")
    p("[[performance]]")
    p("四、评价人员", "h2")
    p("[[people]]")
    p("[[opinions]]")
    p("五、评价报告综述（文字部分）", "h2", page_break=True)
    p("{%p for entry in summary %}")
    p("{%p if entry.heading == 2 %}")  # （一）…: under 五、, never a second 一、
    p("{{ entry.text }}", "h3")
    p("{%p elif entry.heading == 3 %}")  # 1.…: a run-in heading kept with its text
    p("{{ entry.text }}").paragraph_format.keep_with_next = True
    p("{%p else %}")
    p("{{ entry.text }}")
    p("{%p endif %}")
    p("{%p endfor %}")
    p("附件", "h2", page_break=True)
    p("[[scores]]")
    return _save(doc, "selfeval_overall.docx", "部门（单位）整体支出绩效评价自评报告")


def project() -> Path:
    doc, styles = new_document()
    p = _writer(doc, styles)
    # one line per unit of meaning: a long title never wraps inside a word of the unit's name
    p("{{ unit_name }}", "title")
    p("{{ year }}年{{ report_name }}", "title")
    p("绩效评价自评报告", "title")
    p("{{ preface }}")
    p("一、{{ project }}执行情况", "h2")
    _loop(p, "execution")
    p("二、{{ report_name }}的社会效益", "h2")
    _loop(p, "benefit")
    p("三、综合评价情况及评价结论", "h2")
    p("{{ conclusion }}")
    p("四、存在的问题与建议", "h2")
    _loop(p, "problems", together=True)
    p("[[scores]]")
    return _save(doc, "selfeval_project.docx", "专项绩效评价自评报告")


def _save(doc, name: str, title: str) -> Path:
    doc.core_properties.author = ""
    doc.core_properties.title = title
    out = TEMPLATES / name
    doc.save(out)
    return out


if __name__ == "__main__":
    print(overall(), project(), sep="\n", file=sys.stdout)
