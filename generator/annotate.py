"""The check report a clerk can act on: the workbook itself, with the cells to fix marked.

Why a marked copy rather than a separate list: the clerk fixes the numbers in that very
file. Each finding colours its cell (red 错误, yellow 警告, blue 提示) and adds a comment;
a first sheet "检查结果" lists all findings, each with a link that jumps to its cell.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from .errors import GeneratorError, WorkbookError
from .findings import ERROR, HINT, WARNING, Finding
from .output import atomic_write
from .safety import open_workbook
from .workbook import apply_print_setup, print_setup, text_cell

FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C", HINT: "DDEBF7"}
REPORT_SHEET = "检查结果"


def _split(ref: str) -> tuple[str, str | None]:
    sheet, _, cell = ref.partition("!")
    return sheet, (cell or None)


def write_check_report(workbook: Path, findings: list[Finding], target: Path) -> Path:
    """Write a copy of `workbook` with the findings marked to `target` (atomically)."""
    wb = open_workbook(workbook)  # checked for size first: the whole workbook is loaded here
    comments: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        for ref in (f.ref, *f.also):  # the other side of a disagreement is marked too
            sheet, cell = _split(ref)
            if sheet in wb.sheetnames and cell:
                comments.setdefault((sheet, cell.split(":")[0]), []).append(f)
    for (sheet, cell), items in comments.items():
        worst = min(items, key=lambda f: (f.severity != ERROR, f.severity != WARNING))
        target_cell = wb[sheet][cell]
        target_cell.fill = PatternFill("solid", fgColor=FILLS[worst.severity])
        text = "\n".join(f"[{f.rule}] {f.severity}：{f.message}" for f in items)
        target_cell.comment = Comment(text, "generate check", width=360, height=120)

    ws = wb.create_sheet(REPORT_SHEET, 0)
    headers = ("序号", "规则", "级别", "位置", "说明")
    for col, text in enumerate(headers, start=1):
        text_cell(ws.cell(1, col), text).font = Font(bold=True)
    for i, f in enumerate(findings, start=1):
        row = i + 1
        ws.cell(row, 1, i)
        text_cell(ws.cell(row, 2), f.rule)
        text_cell(ws.cell(row, 3), f.severity).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        place = text_cell(ws.cell(row, 4), f.ref)
        sheet, cell = _split(f.ref)
        if sheet in wb.sheetnames:
            place.hyperlink = f"#'{sheet}'!{(cell or 'A1').split(':')[0]}"
            place.font = Font(color="0563C1", underline="single")
        text_cell(ws.cell(row, 5), f.message).alignment = Alignment(wrap_text=True, vertical="top")
    if not findings:
        text_cell(ws.cell(2, 5), "没有发现问题。")
    for col, width in zip("ABCDE", (6, 20, 8, 26, 90)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    apply_print_setup(wb)  # the clerk's sheets print as the blank workbook does
    print_setup(ws, 1)
    ws.auto_filter.ref = f"A1:E{max(len(findings), 1) + 1}"
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
