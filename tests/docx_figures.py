"""Read a rendered 决算说明 back: the figures its sentences quote and the cells its 附表 print.

`mismatches(path)` lists every quantity whose figure differs between two sentences, or between
a sentence and the 附表 cell that prints the same quantity. It reads only the .docx, as a
reader of the published report would, so it catches a doubled 附表 column as surely as a
sentence computed from the wrong total.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

AMOUNT = r"(-?\d+\.\d{2})万元"
# quantity → patterns of the sentences that quote it (group 1 is the figure)
SENTENCES = {
    "收入支出总计": [rf"(?<!财政拨款)收入、支出总计各{AMOUNT}"],
    "本年收入合计": [rf"本年收入合计{AMOUNT}"],
    "本年支出合计": [rf"本年支出合计{AMOUNT}"],
    "财政拨款收入支出总计": [rf"财政拨款收入、支出总计各{AMOUNT}"],
    "一般公共预算财政拨款支出": [rf"一般公共预算财政拨款支出{AMOUNT}", rf"一般公共预算财政拨款支出决算数为{AMOUNT}"],
    "一般公共预算财政拨款基本支出": [rf"一般公共预算财政拨款基本支出{AMOUNT}"],
    "人员经费": [rf"人员经费{AMOUNT}"],
    "公用经费": [rf"(?<!日常)公用经费{AMOUNT}"],
    "“三公”经费": [rf"“三公”经费财政拨款支出决算为{AMOUNT}"],
    "一般公共预算财政拨款收入": [rf"一般公共预算财政拨款收入{AMOUNT}"],
}


def _layout_number(title: str) -> int:
    """The layout (Sichuan 2024) number of a printed 附表 title; a profile may print a longer title."""
    from generator.layout import load_layout

    tables = load_layout().tables
    exact = [t.number for t in tables if t.title == title]
    if exact:
        return exact[0]
    return max((t for t in tables if title.endswith(t.title)), key=lambda t: len(t.title)).number


def read(path: Path) -> tuple[list[str], dict[int, list[list[str]]]]:
    """(the paragraphs outside the 附表 part, the 附表 by number as rows of cell texts)."""
    doc = Document(str(path))
    paras: list[str] = []
    tables: dict[int, list[list[str]]] = {}
    number, in_tables = None, False
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(el, doc).text
            starts_tables = re.fullmatch(r"第.部分　(附表|.*决算表)", text)  # where a layout prints its 附表
            if starts_tables:
                in_tables = True
            elif re.match(r"第.部分", text) and in_tables:
                in_tables = False  # the text after the tables (Shanghai: 第三部分 情况说明)
            m = re.match(r"附表(\d+)　(.*)", text)
            if in_tables and m:
                number = _layout_number(m.group(2))  # a profile's own numbering read back as the layout's
            elif not in_tables:
                paras.append(text)
        elif tag == "tbl" and in_tables and number is not None:
            tables[number] = [[c.text.strip() for c in row.cells] for row in Table(el, doc).rows]
            number = None
    return paras, tables


def _row(table: list[list[str]], label: str, col: int | None = None) -> str | None:
    """The first amount right of `label` (or in column `col`) in the row whose cells hold `label`."""
    for row in table:
        for i, cell in enumerate(row):
            if cell.replace(" ", "") == label:
                cells = row[i + 1:] if col is None else [row[col]]
                found = next((c for c in cells if re.fullmatch(r"-?\d+\.\d{2}", c)), None)
                if found is not None:
                    return found
                break  # a header row naming the label: look further down
    return None


def _column(table: list[list[str]], header: str, row_label: str = "合计") -> str | None:
    """The cell under the header `header` in the row labelled `row_label`."""
    for hdr in table[:3]:
        for j, text in enumerate(hdr):
            if text == header:
                return _row(table, row_label, j)
    return None


def table_figures(tables: dict[int, list[list[str]]]) -> dict[str, list[tuple[str, str]]]:
    """quantity → [(where, figure)] as the 附表 print them."""
    out: dict[str, list[tuple[str, str]]] = {}

    def add(q: str, where: str, value: str | None) -> None:
        if value is not None:
            out.setdefault(q, []).append((where, value))

    t1 = tables.get(1, [])
    totals = [r for r in t1 if r and r[0] == "总计"]
    if totals:
        add("收入支出总计", "附表1 总计（收入）", totals[0][1])
        add("收入支出总计", "附表1 总计（支出）", totals[0][3])
    add("本年收入合计", "附表1 本年收入合计", _row(t1, "本年收入合计"))
    add("本年支出合计", "附表1 本年支出合计", _row(t1, "本年支出合计"))
    add("一般公共预算财政拨款收入", "附表1 一般公共预算财政拨款收入", _row(t1, "一、一般公共预算财政拨款收入"))
    add("本年收入合计", "附表2 合计", _column(tables.get(2, []), "本年收入合计"))
    add("本年支出合计", "附表3 合计", _column(tables.get(3, []), "本年支出合计"))
    t4 = tables.get(4, [])
    totals = [r for r in t4 if r and r[0] == "总计"]
    if totals:
        add("财政拨款收入支出总计", "附表4 总计", totals[0][1])
    add("一般公共预算财政拨款支出", "附表5 合计", _column(tables.get(5, []), "一般公共预算财政拨款"))
    add("一般公共预算财政拨款支出", "附表6 合计", _column(tables.get(6, []), "合计"))
    add("一般公共预算财政拨款基本支出", "附表6 基本支出", _column(tables.get(6, []), "基本支出"))
    add("一般公共预算财政拨款支出", "附表7 合计", _column(tables.get(7, []), "合计"))
    add("一般公共预算财政拨款基本支出", "附表7 基本支出", _column(tables.get(7, []), "基本支出"))
    t8 = tables.get(8, [])
    add("一般公共预算财政拨款基本支出", "附表8 合计", _row(t8, "合计"))  # layouts that print one
    add("人员经费", "附表8 人员经费合计", _row(t8, "人员经费合计"))
    add("公用经费", "附表8 公用经费合计", _row(t8, "公用经费合计"))
    t13 = tables.get(13, [])
    if len(t13) >= 4 and re.fullmatch(r"-?\d+\.\d{2}", t13[-1][1] or ""):
        add("“三公”经费", "附表13 合计 决算数", t13[-1][1])
    return out


def sentence_figures(paras: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for q, patterns in SENTENCES.items():
        for text in paras:
            for pattern in patterns:
                for m in re.finditer(pattern, text):
                    out.setdefault(q, []).append((text[:40] + "…", m.group(1)))
    return out


def mismatches(path: Path) -> list[str]:
    """Every quantity printed with two different figures (in sentences or 附表)."""
    paras, tables = read(path)
    found = sentence_figures(paras)
    printed = table_figures(tables)
    problems = []
    for q in sorted(set(found) | set(printed)):
        places = found.get(q, []) + printed.get(q, [])
        if len({v for _, v in places}) > 1:
            problems.append(f"{q}: " + "；".join(f"{w} {v}" for w, v in places))
    return problems
