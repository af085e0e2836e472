"""The sentence template keys of the Sichuan layouts under the names the older tests used
("s5", "detail" → gpb_detail), so a test reads a section of a report by either."""

from __future__ import annotations

KEYS = {
    ("s1",): "totals", ("s2",): "income", ("s3",): "expense", ("s4",): "fiscal",
    ("s5", "overall"): "gpb_overall", ("s5", "structure"): "gpb_structure", ("s5", "detail"): "gpb_detail",
    ("s6",): "basic", ("s7", "overall"): "sg_overall", ("s7", "detail"): "sg_detail", ("s7", "items"): "sg_items",
    ("s8",): "fund", ("s9",): "soe", ("s10", "running"): "running", ("s10", "procurement"): "procurement",
    ("s10", "assets"): "assets", ("s10", "performance"): "performance", ("overview", "duties"): "duties",
    ("overview", "structure"): "structure", ("glossary",): "glossary",
}


def key(*path: str) -> str:
    return KEYS.get(tuple(path), path[0])


def paras(report, *path: str) -> list[str]:
    """The paragraphs of one section."""
    return list(report.sections.get(key(*path), []))


def text(report, *path: str) -> str:
    return "".join(paras(report, *path))


def chart(report, *path: str):
    """The chart drawn under a section (None when its data makes none)."""
    k = key(*path)
    return next((b.chart for b in report.outline if k in b.keys), None)
