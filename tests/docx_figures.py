"""Read a rendered 决算说明 back, as the tests need it, through the package's own reader and review.

`read(path)` gives the paragraphs before the 附表 and the 附表 by their layout number (a profile's
own numbering read back as the layout's); `mismatches(path)` lists every quantity the review
(generator/review.py, rule R01) finds printed with two different figures, in sentences or 附表.
It reads only the .docx, as a reader of the published report would, so it catches a doubled
附表 column as surely as a sentence computed from the wrong total.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.layout import load_layout
from generator.report_text import read_report
from generator.review import review, table_id


def read(path: Path) -> tuple[list[str], dict[int, list[list[str]]]]:
    """(the paragraphs outside the 附表 part, the 附表 by layout number as rows of cell texts)."""
    report = read_report(Path(path))
    numbers = {t.id: t.number for t in load_layout().tables}
    in_tables = lambda p: bool(re.fullmatch(r"第.部分　(附表|.*决算表)", p.part))  # noqa: E731  where a layout prints them
    paras = [p.text for p in report.paras if not in_tables(p)]
    tables = {numbers[tid]: t.rows for t in report.tables if (tid := table_id(t.title)) and re.match(r"附表\d+", t.title)}
    return paras, tables


def mismatches(path: Path) -> list[str]:
    """Every quantity printed with two different figures (in sentences or 附表)."""
    return [f.line() for f in review(read_report(Path(path))).findings if f.rule == "R01"]
