"""A copy of the reviewed .docx with every finding on its sentence: a Word comment and a highlight.

Why: the bureau's reviewer and the clerk read findings where they are, in Word; the copy is
written beside the other outputs (atomically), never over the report itself.
"""

from __future__ import annotations

import io
from pathlib import Path

from .findings import ERROR
from .output import atomic_write
from .review import Review

AUTHOR = "generate 核对"


def write_marked(report: Path, review: Review, out: Path) -> Path | None:
    """Write the marked copy to `out`; None when nothing is to be marked."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn

    from .render import docx_bytes

    if not review.marks:
        return None
    doc = Document(io.BytesIO(Path(report).read_bytes()))
    paragraphs = doc.paragraphs  # the body's paragraphs, in the order report_text numbered them
    for index in sorted(review.marks):
        if not 0 <= index < len(paragraphs):
            continue
        runs = [r for r in paragraphs[index].runs if r.text]
        if not runs:
            continue
        findings = review.marks[index]
        colour = WD_COLOR_INDEX.PINK if any(f.severity == ERROR for f in findings) else WD_COLOR_INDEX.YELLOW
        for run in runs:
            run.font.highlight_color = colour
        text = "\n".join(f"[{f.rule}] {f.severity}：{f.message}" for f in findings)
        comment = doc.add_comment(runs, text=text, author=AUTHOR, initials="核")
        comment._comment_elm.attrib.pop(qn("w:date"), None)  # no time stamp: the same report gives the same bytes
    data = docx_bytes(doc)
    with atomic_write(out) as tmp:
        tmp.write_bytes(data)
    return out
