"""The check report a clerk can act on: the workbook itself, with the cells to fix marked.

Why a marked copy rather than a separate list: the clerk fixes the numbers in that very
file. Each finding colours the cells it names (red 错误, yellow 警告, blue 提示) and adds a
comment; the cell a finding is about gets a border besides, so the cell to change stands out
from the other side of a disagreement. A grey cell the program fills (a 合计 left blank) is
written with the figure the program derived, so no marked cell is empty. A first sheet
"检查结果" lists all findings (rule named in Chinese, code in small print), each with a link
that jumps to its cell; it prints wrapped, one page wide, and the clerk's sheets print only
as far as they hold anything.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries

from .check import rule_name
from .errors import GeneratorError, WorkbookError
from .findings import ERROR, HINT, WARNING, Finding
from .output import atomic_write
from .safety import open_workbook
from .layout import load_layout
from .workbook import INSTRUCTIONS_TITLE, apply_print_setup, print_setup, text_cell, title_rows

FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C", HINT: "DDEBF7"}
EDGE = {ERROR: "C00000", WARNING: "BF8F00", HINT: "2F5597"}
REPORT_SHEET = "检查结果"
HEADERS = ("序号", "级别", "问题", "位置", "说明", "规则代码")
WIDTHS = (6, 7, 14, 22, 78, 14)
MESSAGE_CHARS = 36  # CJK characters per line of the 说明 column at its width (for the row height)
LINE_POINTS = 15
PAGE_WIDTH_CHARS = 170  # column-width units an A4 landscape page shows at a readable scale
INSTRUCTION_CHARS = 56  # the same for the 填表说明 column (width 120)


def _split(ref: str) -> tuple[str, str | None]:
    sheet, _, cell = ref.partition("!")
    return sheet, (cell or None)


def _cells(ws, cell: str) -> list[str]:
    """The cells a reference names: one cell, or the filled cells of a range (and its first cell)."""
    if ":" not in cell:
        return [cell]
    min_col, min_row, max_col, max_row = range_boundaries(cell)
    first = f"{get_column_letter(min_col)}{min_row}"
    filled = [c.coordinate for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
              for c in row if c.value not in (None, "")]
    return list(dict.fromkeys([first, *filled]))


def _number(text: str):
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _message_height(text: str, chars: int = MESSAGE_CHARS) -> float:
    lines = sum(max(1, -(-len(part) // chars)) for part in text.split("\n"))
    return max(1, lines) * LINE_POINTS + 4


def write_check_report(workbook: Path, findings: list[Finding], target: Path) -> Path:
    """Write a copy of `workbook` with the findings marked to `target` (atomically)."""
    wb = open_workbook(workbook)  # checked for size first: the whole workbook is loaded here
    comments: dict[tuple[str, str], list[Finding]] = {}
    named: set[tuple[str, str]] = set()  # the cells findings are about (not only the other side)
    shown: dict[tuple[str, str], str] = {}
    for f in findings:
        for ref in (f.ref, *f.also):  # the other side of a disagreement is marked too
            sheet, cell = _split(ref)
            if sheet in wb.sheetnames and cell:
                for one in _cells(wb[sheet], cell):
                    comments.setdefault((sheet, one), []).append(f)
                    if ref == f.ref:
                        named.add((sheet, one))
        for ref, value in f.shown:
            sheet, cell = _split(ref)
            if sheet in wb.sheetnames and cell:
                shown.setdefault((sheet, cell), value)
    for (sheet, cell), items in comments.items():
        worst = min(items, key=lambda f: (f.severity != ERROR, f.severity != WARNING))
        target_cell = wb[sheet][cell]
        target_cell.fill = PatternFill("solid", fgColor=FILLS[worst.severity])
        text = "\n".join(f"{rule_name(f.rule)}（{f.severity}）：{f.message}" for f in items)
        derived = shown.get((sheet, cell))
        if derived is not None and target_cell.value in (None, ""):
            number = _number(derived)
            target_cell.value = number if number is not None else derived
            target_cell.number_format = "#,##0.00"
            target_cell.font = Font(italic=True, color="7F7F7F")
            text = f"本格空白，由程序推算为 {derived}（检查时填入，供对照）。\n" + text
        if (sheet, cell) in named:
            edge = Side(style="medium", color=EDGE[worst.severity])
            target_cell.border = Border(left=edge, right=edge, top=edge, bottom=edge)
        target_cell.comment = Comment(text, "generate check", width=420, height=160)

    ws = wb.create_sheet(REPORT_SHEET, 0)
    for col, text in enumerate(HEADERS, start=1):
        head = text_cell(ws.cell(1, col), text)
        head.font = Font(bold=True)
        head.alignment = Alignment(vertical="center", horizontal="center")
    top = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, start=1):
        row = i + 1
        ws.cell(row, 1, i).alignment = top
        text_cell(ws.cell(row, 2), f.severity).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        text_cell(ws.cell(row, 3), rule_name(f.rule))
        place = text_cell(ws.cell(row, 4), f.ref)
        sheet, cell = _split(f.ref)
        if sheet in wb.sheetnames:
            place.hyperlink = f"#'{sheet}'!{(cell or 'A1').split(':')[0]}"
            place.font = Font(color="0563C1", underline="single")
        text_cell(ws.cell(row, 5), f.message)
        text_cell(ws.cell(row, 6), f.rule).font = Font(size=8, color="595959")
        for col in range(2, 7):
            ws.cell(row, col).alignment = top
        ws.row_dimensions[row].height = _message_height(f.message)
    if not findings:
        text_cell(ws.cell(2, 5), "没有发现问题。")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    apply_print_setup(wb)  # the clerk's sheets print as the blank workbook does …
    marked = {sheet for sheet, _ in comments}
    hidden = [sheet.title for sheet in wb.worksheets if _print_only_content(sheet, marked)]  # … as far as they hold anything
    if hidden:
        note = ws.cell(len(findings) + 3 if findings else 4, 5)
        text_cell(note, "未填写的工作表已隐藏（不打印）：" + "、".join(hidden) + "。在工作表标签上右键“取消隐藏”可显示。")
        note.alignment = top
        note.font = Font(color="595959")
        ws.row_dimensions[note.row].height = _message_height(note.value)
    print_setup(ws, 1)
    ws.auto_filter.ref = f"A1:F{max(len(findings), 1) + 1}"
    ws.print_area = f"A1:F{ws.max_row}"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    with atomic_write(target) as tmp:
        try:
            wb.save(tmp)
        except (OSError, GeneratorError):
            raise
        except Exception as exc:  # openpyxl cannot write back what it read from a damaged file
            raise WorkbookError(f"“{Path(workbook).name}”的内容不符合 Excel 格式，无法另存标出问题的工作簿；"
                                "请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc
    return target


def _print_only_content(ws, marked: set[str]) -> bool:
    """Print a sheet down to its last row holding a value; hide a sheet holding nothing but its
    headers and no mark (an empty input grid is the clerk's to fill, not a page of the check
    report). True when the sheet was hidden."""
    rows = title_rows(load_layout(), ws.title)
    if ws.title == REPORT_SHEET or rows is None:
        return False
    if ws.title == INSTRUCTIONS_TITLE:  # long lines wrap within the page: rows as tall as their lines
        for row in ws.iter_rows(min_col=1, max_col=1):
            if isinstance(row[0].value, str):
                ws.row_dimensions[row[0].row].height = _message_height(row[0].value, INSTRUCTION_CHARS)
        return False
    last = max((c.row for row in ws.iter_rows() for c in row if c.value not in (None, "")), default=0)
    typed = any(c.value not in (None, "", "合计") for row in ws.iter_rows(min_row=rows + 1) for c in row)
    if not typed and ws.title not in marked:
        ws.sheet_state = "hidden"  # Excel and WPS print no hidden sheet; LibreOffice does: its headers only
        ws.print_area = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(rows, 1)}"
        return True
    ws.print_area = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(last, 1)}"
    width = sum((ws.column_dimensions[get_column_letter(c)].width or 9) for c in range(1, ws.max_column + 1))
    if width > PAGE_WIDTH_CHARS:  # a very wide sheet shrunk to one page is unreadable: several pages wide
        ws.page_setup.fitToWidth = -(-int(width) // PAGE_WIDTH_CHARS)
        ws.print_title_cols = "A:A"
    return False
