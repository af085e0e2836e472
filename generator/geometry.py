"""Where each table sits on its sheet: shared by the writer of the blank workbook (workbook.py),
the reader and the 附表, so that one change of layout moves all three. Plain Python, no
openpyxl: reading a workbook must not pay for importing the writer."""

from __future__ import annotations

from .codes import cn_number, function_classes
from .layout import Table

HEADER_ROWS = 4  # title, unit line, two header rows
FIRST_DATA_ROW = HEADER_ROWS + 1  # the 合计 row of coded tables; first fixed row of balances
FORM_FIRST_ROW = 4  # forms and lists: title, intro, header, then fields/records
GRID_DATA_ROW = 6


def coded_columns(table: Table) -> dict[str, int]:
    """Column number of each amount column (A = code, B = name)."""
    return {c.key: 3 + i for i, c in enumerate(table.columns)}


def balance_geometry(table: Table) -> tuple[int, int]:
    """(first row of the bottom block, number of amount columns on the 支出 side)."""
    n_top = max(len(table.income), len(function_classes()) if table.expense_classes else 0)
    return FIRST_DATA_ROW + n_top, len(table.expense_keys)


def class_label(index: int, name: str) -> str:
    return f"{cn_number(index + 1)}、{name}"


def grid_columns(table: Table) -> dict[tuple[str, str], int]:
    """(item, measure) → column, items in published order, 预算数 before 决算数."""
    out = {}
    for i, item in enumerate(table.items):
        for j, m in enumerate(table.measures):
            out[(item.key, m.key)] = 1 + i * len(table.measures) + j
    return out
