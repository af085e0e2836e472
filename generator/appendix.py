"""The 13 附表 as plain grids of strings, laid out from the same declaration as the workbook.

A grid is header rows (cells with spans) plus body rows; render.py turns it into a Word
table. Amounts are written by `fmt_amount`, so a zero shows as 0.00, never blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .accounts import Accounts, Balance, CodedTable, Grid, basic_kind
from .codes import function_classes
from .money import fmt_amount
from .geometry import class_label

LANDSCAPE_WIDTH_MM = 247  # type width of the landscape pages (附件 tables and 附表)
WHOLE_TABLE_ROWS = 14
BASIC_TABLE = "t08"  # 基本支出: printed two-sided, 人员经费 ‖ 公用经费


@dataclass
class HeaderCell:
    text: str
    col: int
    row: int = 0
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableGrid:
    number: int
    title: str
    n_cols: int
    header: list[HeaderCell]
    header_rows: int
    body: list[list[str]]
    bold_rows: set[int] = field(default_factory=set)
    text_cols: set[int] = field(default_factory=set)  # left-aligned columns
    center_cols: set[int] = field(default_factory=set)  # centred (codes); the rest are amounts, right-aligned
    widths: list[float] = field(default_factory=list)  # relative
    note: str = ""
    caption: str = ""  # the printed title line when the layout numbers its tables otherwise ("表一：…")


def _coded(t: CodedTable, subject: str) -> TableGrid:
    cols = t.table.columns
    grouped = any(c.group for c in cols)
    header = [HeaderCell("科目编码", 0, rowspan=2 if grouped else 1), HeaderCell("科目名称", 1, rowspan=2 if grouped else 1)]
    seen_groups = set()
    for i, c in enumerate(cols):
        if c.group:
            if c.group not in seen_groups:
                span = sum(1 for x in cols if x.group == c.group)
                header.append(HeaderCell(c.group, 2 + i, colspan=span))
                seen_groups.add(c.group)
            header.append(HeaderCell(c.label, 2 + i, row=1))
        else:
            header.append(HeaderCell(c.label, 2 + i, rowspan=2 if grouped else 1))
    body = [["", "合计"] + [fmt_amount(t.total[c.key]) for c in cols]]
    shown = [l for l in t.lines if any(v != 0 for v in l.values.values())]
    for l in shown:
        body.append([l.code, l.name] + [fmt_amount(l.values[c.key]) for c in cols])
    note = t.table.note
    if t.table.fund and t.is_empty():
        note = f"说明：本{subject}本年度没有{t.table.fund}收入和支出，故本表无数据。"
    return TableGrid(t.table.number, t.table.title, 2 + len(cols), header, 2 if grouped else 1, body, {0},
                     {1}, {0}, [1.2, 3.6] + [1.4] * len(cols), note)


def _basic(t: CodedTable, acc: Accounts) -> TableGrid:
    """附表8 as published: 人员经费 rows on the left, 公用经费 rows on the right, each with its 合计.

    The rows are the table's non-zero 类 and 款 (the code list says which side a code is on;
    301/303 are 人员经费 for codes it does not know); the 合计 are the figures 六 quotes.
    """
    sides: dict[str, list[list[str]]] = {"人员经费": [], "公用经费": []}
    for line in t.lines:
        if line.values["amount"] == 0:
            continue
        sides[basic_kind(line.code)].append([line.code, line.name, fmt_amount(line.values["amount"])])
    left, right = sides["人员经费"], sides["公用经费"]
    body = []
    for i in range(max(len(left), len(right))):
        body.append((left[i] if i < len(left) else ["", "", ""]) + (right[i] if i < len(right) else ["", "", ""]))
    body.append(["", "人员经费合计", fmt_amount(acc.basic_total("人员经费")),
                 "", "公用经费合计", fmt_amount(acc.basic_total("公用经费"))])
    header = [HeaderCell("人员经费", 0, colspan=3), HeaderCell("公用经费", 3, colspan=3)]
    header += [HeaderCell(text, i, row=1) for i, text in enumerate(["科目编码", "科目名称", "决算数"] * 2)]
    bold = {len(body) - 1}
    return TableGrid(t.table.number, t.table.title, 6, header, 2, body, bold, {1, 4}, {0, 3},
                     [1.1, 3.4, 1.5, 1.1, 3.4, 1.5], t.table.note)


def _balance(b: Balance) -> TableGrid:
    table = b.table
    keys = table.expense_keys
    n_exp = len(keys)
    header = [HeaderCell("收入", 0, colspan=2), HeaderCell("支出", 2, colspan=1 + n_exp)]
    header += [HeaderCell(t, i, row=1) for i, t in enumerate(table.income_header)]
    header += [HeaderCell(t, 2 + i, row=1) for i, t in enumerate(table.expense_header)]
    classes = function_classes()
    n_top = max(len(table.income), len(classes))
    body = []
    for i in range(n_top):
        left = ["", ""]
        if i < len(table.income):
            row = table.income[i]
            left = [row.label, fmt_amount(b.income[row.key])]
        right = [""] * (1 + n_exp)
        if i < len(classes):
            right = [class_label(i, classes[i].name)] + [fmt_amount(b.classes[classes[i].code][k]) for k in keys]
        body.append(left + right)
    bold = set()
    n_bottom = max(len(table.income_bottom), len(table.expense_bottom))
    for i in range(n_bottom):
        left = ["", ""]
        if i < len(table.income_bottom):
            row = table.income_bottom[i]
            left = [row.label, fmt_amount(b.income_bottom[row.key])]
        right = [""] * (1 + n_exp)
        exp_rows = list(table.expense_bottom)
        j = i if i < len(exp_rows) - 1 else None
        if i == n_bottom - 1:
            j = len(exp_rows) - 1
        if j is not None and j < len(exp_rows):
            row = exp_rows[j]
            right = [row.label] + [fmt_amount(b.expense_bottom[row.key][k]) for k in keys]
        if table.id == "t04" and j is None and 2 <= i <= 4:  # 年末 by fund, beside 年初 by fund
            fund = ("gpb", "fund", "soe")[i - 2]
            right = [table.income_bottom[i].label, fmt_amount(b.expense_bottom["closing"][fund])] + [""] * (n_exp - 1)
        body.append(left + right)
        if i in (0, n_bottom - 1):
            bold.add(len(body) - 1)
    return TableGrid(table.number, table.title, 3 + n_exp, header, 2, body, bold, {0, 2}, set(),
                     [3.4, 1.4, 3.4] + [1.4] * n_exp, table.note)


def _grid(g: Grid, subject: str) -> TableGrid:
    table = g.table
    nm = len(table.measures)
    header = []
    groups = {}
    for i, item in enumerate(table.items):
        if item.group:
            groups.setdefault(item.group, []).append(i)
            header.append(HeaderCell(item.label, i * nm, row=1, colspan=nm))
        else:
            header.append(HeaderCell(item.label, i * nm, rowspan=2, colspan=nm))
        for j, m in enumerate(table.measures):
            header.append(HeaderCell(m.label, i * nm + j, row=2))
    for group, idx in groups.items():
        header.append(HeaderCell(group, idx[0] * nm, colspan=len(idx) * nm))
    body = [[fmt_amount(g.get(item.key, m.key)) for item in table.items for m in table.measures]]
    note = table.note
    if all(v == 0 for v in g.values.values()):
        note = f"说明：本{subject}本年度没有财政拨款“三公”经费预算和支出，故本表数据均为0。"
    return TableGrid(table.number, table.title, len(table.items) * nm, header, 3, body, set(), set(), set(),
                     [1.0] * (len(table.items) * nm), note)


@dataclass
class Cell:
    """One cell of a Word table; `vmerge` continues a vertical merge from the cell above."""

    text: str
    span: int = 1
    vmerge: str | None = None  # "restart" | "continue"
    align: str = "center"
    bold: bool = False


@dataclass
class WordTable:
    """A table as the report prints it: rows of cells, relative column widths."""

    title: str
    rows: list[list[Cell]]
    widths: list[float]
    header_rows: int = 0  # repeated at the top of every page
    note: str = ""
    unit_line: str = "单位：万元"
    subject: str = ""  # what the table is about, when the title does not say (a project's name)
    lead: list[list[Cell]] = field(default_factory=list)  # a block printed above, as a table of its own
    lead_widths: list[float] = field(default_factory=list)
    keep_tail: int = 4  # the last rows travel together (with the note): no page holds only them


def word_table(grid: TableGrid) -> WordTable:
    """A 附表 grid (header cells with spans, plain body) as rows of cells."""
    origin: dict[tuple[int, int], tuple[HeaderCell, bool]] = {}
    for h in grid.header:
        for r in range(h.row, h.row + h.rowspan):
            origin[(r, h.col)] = (h, r == h.row)
    rows = []
    for r in range(grid.header_rows):
        cells, c = [], 0
        while c < grid.n_cols:
            h, first = origin.get((r, c), (None, True))
            if h is None:
                cells.append(Cell(""))
                c += 1
                continue
            vmerge = None if h.rowspan == 1 else ("restart" if first else "continue")
            cells.append(Cell(h.text if first else "", h.colspan, vmerge, "center", True))
            c += h.colspan
        rows.append(cells)
    for i, body in enumerate(grid.body):
        rows.append([Cell(text, 1, None,
                          "left" if j in grid.text_cols else "center" if j in grid.center_cols else "right",
                          i in grid.bold_rows) for j, text in enumerate(body)])
    table = WordTable(grid.caption or f"附表{grid.number}　{grid.title}", rows, grid.widths, grid.header_rows, grid.note)
    if len(rows) <= WHOLE_TABLE_ROWS:  # a short table is never split over two pages
        table.keep_tail = len(rows)
    return table


def appendix_tables(acc: Accounts) -> list[TableGrid]:
    subject = acc.unit.get("subject") or "单位"
    out = []
    for tid in sorted(acc.tables):
        t = acc.tables[tid]
        if tid == BASIC_TABLE and isinstance(t, CodedTable):
            out.append(_basic(t, acc))
        elif isinstance(t, CodedTable):
            out.append(_coded(t, subject))
        elif isinstance(t, Balance):
            out.append(_balance(t))
        else:
            out.append(_grid(t, subject))
    return sorted(out, key=lambda g: g.number)

