"""The workbook a clerk fills (its geometry is in geometry.py, shared with the reader).

`write_workbook(path, data)` writes the blank workbook (`generate init`, data empty) and,
with data, the sample workbooks and the test fixtures: every workbook the project makes
comes from this one function, so the reader is always tested on the real layout.
"""

from __future__ import annotations

import weakref
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .codes import economic_codes, function_classes
from .geometry import (FIRST_DATA_ROW, FORM_FIRST_ROW, GRID_DATA_ROW, HEADER_ROWS, balance_geometry,  # noqa: F401
                       class_label, coded_columns, grid_columns)
from .layout import Form, Layout, Table, load_layout

INSTRUCTIONS_TITLE = "填表说明"
CODED_INPUT_ROWS = 60
LIST_INPUT_ROWS = 40

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # yellow: the clerk types here
DERIVED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: may be left blank, computed
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "#,##0.00"
ECONOMIC_BASIC_CLASSES = ("301", "302", "303", "310")

INSTRUCTIONS_HEAD = """本工作簿是生成部门（单位）决算说明的唯一数据来源。填好后运行：
    generate 工作簿.xlsx
程序先检查数据，再计算全部数字、绘制图表，生成完整的决算说明（Word）。
不习惯命令行的，运行 generate serve 打开网页版，在浏览器中上传本工作簿、查看检查结果并下载决算说明。

填写规则："""
RULES = (
    "黄色单元格由您填写；灰色单元格可以不填，程序会根据其他数据计算，填了则会核对。",
    "金额单位在“单位信息”表中选择（万元或元），全部表格统一使用该单位。金额可以带多位小数，程序按未舍入的数计算合计，只在写入报告时四舍五入到 0.01 万元。",
    "按支出功能分类填报的表（收入决算表、支出决算表等）：在“科目编码”列填 7 位项级编码即可，科目名称、款级、类级和合计由程序按编码补齐；如果填了类、款和合计行，程序会核对，不会重复相加。",
    "经济分类表（基本支出表等）已列出全部科目，只需在对应行填写金额，没有发生的留空。",
    "{rearranged}只是其他表的重新排列，可以整表不填，由程序根据其他表生成；填了则逐行核对。",
    "{narrative}各表提供正文所需而附表没有的数据；未发生的事项留空或填 0。",
    "不要改动表名、表头和项目名称；不要合并单元格。可以在编码表中插入行（在表格区域内插入，不要写在表格下方，也不要隐藏有金额的行）。",
    "照打印的报表抄录时，各数按报表上的两位小数填写，合计也照抄：合计与各项之和相差几分钱的，程序视为四舍五入差异，报告使用抄录的合计。",
    "说明文字请写实际情况，不要保留“XXX”“（具体工作）”等占位文字，检查会报错。",
)
REARRANGED = ("t05", "t07")  # tables the program derives whole from the others when left blank
NARRATIVE_FORMS = ("prior", "reasons", "sg", "other", "budget", "performance")


_STYLE_MEMO: "weakref.WeakKeyDictionary[Workbook, dict]" = weakref.WeakKeyDictionary()


def _memo_style(cell, key: tuple, apply) -> None:
    """Apply a cell style through openpyxl's descriptors once per workbook and starting style,
    then copy the resulting style indices: the descriptors hash every style object per cell,
    which made writing a workbook take seconds. The indices are the same either way."""
    memo = _STYLE_MEMO.setdefault(cell.parent.parent, {})
    start = tuple(cell._style) if cell._style else None
    found = memo.get((key, start))
    if found is None:
        apply(cell)
        memo[(key, start)] = copy(cell._style)
    else:
        cell._style = copy(found)


def _style_header(cell, bold: bool = True) -> None:
    _memo_style(cell, ("header", bold), lambda c: _apply_header(c, bold))


def _apply_header(cell, bold: bool) -> None:
    cell.font = Font(bold=bold)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = BORDER


def _input(cell, derived: bool = False, number: bool = True) -> None:
    _memo_style(cell, ("input", derived, number), lambda c: _apply_input(c, derived, number))


def _apply_input(cell, derived: bool, number: bool) -> None:
    cell.fill = DERIVED_FILL if derived else INPUT_FILL
    cell.protection = Protection(locked=False)
    cell.border = BORDER
    if number:
        cell.number_format = AMOUNT_FORMAT


def _label(cell, text: str, bold: bool = False) -> None:
    cell.value = text
    _memo_style(cell, ("label", bold), lambda c: _apply_label(c, bold))


def _apply_label(cell, bold: bool) -> None:
    cell.font = Font(bold=bold)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=True)


def _title(ws: Worksheet, title: str, width: int, unit_line: str) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, width, unit_line).alignment = Alignment(horizontal="right")
    ws.sheet_view.zoomScale = 100


def _protect(ws: Worksheet) -> None:
    """Labels locked without a password (a clerk can lift it); rows may still be inserted."""
    ws.protection.sheet = True
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _value(v: Any) -> Any:
    return float(v) if isinstance(v, Decimal) else v


# ---------------------------------------------------------------- coded tables

def economic_rows(table: Table) -> list[str]:
    """Economic tables list every 类/款 of the code list, in the published order."""
    codes = sorted(economic_codes())
    if table.id == "t08":
        codes = [c for c in codes if c[:3] in ECONOMIC_BASIC_CLASSES]
    return codes


def _write_coded(ws: Worksheet, table: Table, rows: list[dict]) -> None:
    cols = coded_columns(table)
    width = 2 + len(cols)
    _title(ws, table.title, width, "金额单位见“单位信息”表")
    for col, text in ((1, "科目编码"), (2, "科目名称")):
        ws.cell(3, col, text)
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        _style_header(ws.cell(3, col))
    groups: dict[str, list[int]] = {}
    for c in table.columns:
        col = cols[c.key]
        if c.group:
            groups.setdefault(c.group, []).append(col)
            ws.cell(4, col, c.label)
            _style_header(ws.cell(4, col))
        else:
            ws.cell(3, col, c.label)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            _style_header(ws.cell(3, col))
    for group, gcols in groups.items():
        ws.cell(3, gcols[0], group)
        ws.merge_cells(start_row=3, start_column=gcols[0], end_row=3, end_column=gcols[-1])
        _style_header(ws.cell(3, gcols[0]))

    _label(ws.cell(FIRST_DATA_ROW, 2), "合计", bold=True)
    ws.cell(FIRST_DATA_ROW, 1).border = BORDER
    by_code = {str(r["code"]): r for r in rows if r.get("code")}
    total_row = next((r for r in rows if r.get("code") in (None, "", "合计")), {})
    for key, col in cols.items():
        _input(ws.cell(FIRST_DATA_ROW, col), derived=True)
        if key in total_row:
            ws.cell(FIRST_DATA_ROW, col, _value(total_row[key]))

    if table.codes == "economic":
        names = economic_codes()
        layout_rows = [{"code": c, "name": names[c].name, **by_code.pop(c, {})} for c in economic_rows(table)]
        layout_rows += list(by_code.values())  # codes outside the list, as the clerk gave them
        prefilled = True
    else:
        layout_rows = [r for r in rows if r.get("code")]
        prefilled = False
    n_rows = max(len(layout_rows) + (0 if prefilled else 10), CODED_INPUT_ROWS if not prefilled else 0)
    formula_keys = {c.key for c in table.columns if c.formula}
    for i in range(n_rows):
        r = FIRST_DATA_ROW + 1 + i
        data = layout_rows[i] if i < len(layout_rows) else {}
        code = str(data.get("code", ""))
        derived_row = prefilled and len(code) == 3
        code_cell = ws.cell(r, 1, code or None)
        code_cell.number_format = "@"
        name_cell = ws.cell(r, 2, data.get("name") or None)
        if prefilled:
            _label(code_cell, code)
            _label(name_cell, data.get("name", ""), bold=derived_row)
        else:
            _input(code_cell, number=False)
            _input(name_cell, derived=True, number=False)
        for key, col in cols.items():
            _input(ws.cell(r, col), derived=derived_row or key in formula_keys)
            if data.get(key) is not None:
                ws.cell(r, col, _value(data[key]))
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 34
    for col in cols.values():
        ws.column_dimensions[get_column_letter(col)].width = 15
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    last = FIRST_DATA_ROW + n_rows
    dv = DataValidation(type="decimal", operator="between", formula1="-1E12", formula2="1E12",
                        error="请输入数字（不要带单位或汉字）", errorTitle="金额格式",
                        showErrorMessage=True, promptTitle="金额",
                        prompt="按“单位信息”中选择的金额单位填写数字；没有发生的留空。灰色格可不填，由程序计算。",
                        showInputMessage=True)
    dv.add(f"C{FIRST_DATA_ROW}:{get_column_letter(2 + len(cols))}{last}")
    ws.add_data_validation(dv)
    if not prefilled:
        code_dv = DataValidation(type="textLength", operator="between", formula1="3", formula2="7",
                                 error="请填写 3 位（类）、5 位（款）或 7 位（项）科目编码",
                                 errorTitle="科目编码", showErrorMessage=True, promptTitle="科目编码",
                                 prompt="填 7 位项级编码即可（如 2080501），科目名称、款、类和合计由程序补齐。",
                                 showInputMessage=True)
        code_dv.add(f"A{FIRST_DATA_ROW + 1}:A{last}")
        ws.add_data_validation(code_dv)


# ---------------------------------------------------------------- balance statements

def _write_balance(ws: Worksheet, table: Table, data: dict) -> None:
    bottom, n_exp = balance_geometry(table)
    width = 2 + 1 + n_exp
    _title(ws, table.title, width, "金额单位见“单位信息”表")
    ws.cell(3, 1, "收入")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    ws.cell(3, 3, "支出")
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=width)
    for col in (1, 3):
        _style_header(ws.cell(3, col))
    for i, text in enumerate(table.income_header):
        _style_header(ws.cell(4, 1 + i, text))
    for i, text in enumerate(table.expense_header):
        _style_header(ws.cell(4, 3 + i, text))
    for i, row in enumerate(table.income):
        _label(ws.cell(FIRST_DATA_ROW + i, 1), row.label)
        _input(ws.cell(FIRST_DATA_ROW + i, 2))
        if data.get("income", {}).get(row.key) is not None:
            ws.cell(FIRST_DATA_ROW + i, 2, _value(data["income"][row.key]))
    exp_keys = table.expense_keys
    formulas = {c.key for c in table.expense_columns if c.formula}
    for i, cls in enumerate(function_classes()):
        r = FIRST_DATA_ROW + i
        _label(ws.cell(r, 3), class_label(i, cls.name))
        values = data.get("classes", {}).get(cls.code, {})
        for j, key in enumerate(exp_keys):
            _input(ws.cell(r, 4 + j), derived=True)
            v = values.get(key) if isinstance(values, dict) else values
            if v is not None:
                ws.cell(r, 4 + j, _value(v))
    for i, row in enumerate(table.income_bottom):
        r = bottom + i
        _label(ws.cell(r, 1), row.label, bold=not row.key.startswith("opening_"))
        _input(ws.cell(r, 2), derived=bool(row.formula))
        if data.get("income_bottom", {}).get(row.key) is not None:
            ws.cell(r, 2, _value(data["income_bottom"][row.key]))
    for i, row in enumerate(table.expense_bottom):
        r = bottom + i
        if row.key == "total":  # 总计 sits on the same line on both sides
            r = bottom + len(table.income_bottom) - 1
        _label(ws.cell(r, 3), row.label, bold=True)
        values = data.get("expense_bottom", {}).get(row.key, {})
        for j, key in enumerate(exp_keys):
            _input(ws.cell(r, 4 + j), derived=bool(row.formula) or key in formulas)
            v = values.get(key) if isinstance(values, dict) else values
            if v is not None:
                ws.cell(r, 4 + j, _value(v))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 15
    ws.column_dimensions["C"].width = 34
    for j in range(n_exp):
        ws.column_dimensions[get_column_letter(4 + j)].width = 15
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)



# ---------------------------------------------------------------- the 三公 grid

def _write_grid(ws: Worksheet, table: Table, data: dict) -> None:
    cols = grid_columns(table)
    width = len(cols)
    _title(ws, table.title, width, "金额单位见“单位信息”表")
    nm = len(table.measures)
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(table.items):
        c0 = 1 + i * nm
        if item.group:
            groups.setdefault(item.group, []).append(c0)
            ws.cell(4, c0, item.label)
            ws.merge_cells(start_row=4, start_column=c0, end_row=4, end_column=c0 + nm - 1)
            _style_header(ws.cell(4, c0))
        else:
            ws.cell(3, c0, item.label)
            ws.merge_cells(start_row=3, start_column=c0, end_row=4, end_column=c0 + nm - 1)
            _style_header(ws.cell(3, c0))
        for j, m in enumerate(table.measures):
            _style_header(ws.cell(5, c0 + j, m.label))
    for group, starts in groups.items():
        ws.cell(3, starts[0], group)
        ws.merge_cells(start_row=3, start_column=starts[0], end_row=3, end_column=starts[-1] + nm - 1)
        _style_header(ws.cell(3, starts[0]))
    for (item, measure), col in cols.items():
        derived = bool(table.items[[i.key for i in table.items].index(item)].formula)
        cell = ws.cell(GRID_DATA_ROW, col)
        _input(cell, derived=derived)
        v = data.get(item, {}).get(measure)
        if v is not None:
            cell.value = _value(v)
        ws.column_dimensions[get_column_letter(col)].width = 12


# ---------------------------------------------------------------- forms and lists

def form_label(field) -> str:
    return ("* " if field.required else "") + field.label


def _write_form(ws: Worksheet, form: Form, data: dict, fields=None) -> None:
    _title(ws, form.title, 3, "")
    ws["A2"] = form.intro
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:C2")
    ws.row_dimensions[2].height = 36
    for col, text in enumerate(("项目", "内容", "说明"), start=1):
        _style_header(ws.cell(3, col, text))
    for i, f in enumerate(form.fields if fields is None else fields):
        r = FORM_FIRST_ROW + i
        _label(ws.cell(r, 1), form_label(f), bold=f.required)
        cell = ws.cell(r, 2)
        _input(cell, number=f.kind == "money")
        if f.kind in ("longtext", "text"):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        value = data.get(f.key, f.default or None)
        if value is not None:
            cell.value = _value(value)
        if f.kind == "longtext":
            ws.row_dimensions[r].height = 60
        hint = f.hint or ("金额" if f.kind == "money" else "")
        ws.cell(r, 3, hint).alignment = Alignment(wrap_text=True, vertical="top")
        _add_validation(ws, f, f"B{r}")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 40


def _write_list(ws: Worksheet, form: Form, records: list[dict], fields=None) -> None:
    fields = form.fields if fields is None else fields
    width = len(fields)
    _title(ws, form.title, width, "")
    ws["A2"] = form.intro
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 36
    for j, f in enumerate(fields, start=1):
        _style_header(ws.cell(3, j, form_label(f)))
        ws.column_dimensions[get_column_letter(j)].width = 40 if f.kind == "longtext" else 16
    n = max(len(records) + 10, LIST_INPUT_ROWS)
    for i in range(n):
        r = FORM_FIRST_ROW + i
        rec = records[i] if i < len(records) else {}
        for j, f in enumerate(fields, start=1):
            cell = ws.cell(r, j)
            _input(cell, derived=f.key == "name" and form.id == "budget", number=f.kind == "money")
            if f.kind == "code":
                cell.number_format = "@"
            if rec.get(f.key) is not None:
                cell.value = _value(rec[f.key])
    for j, f in enumerate(fields, start=1):
        col = get_column_letter(j)
        _add_validation(ws, f, f"{col}{FORM_FIRST_ROW}:{col}{FORM_FIRST_ROW + n - 1}")
    ws.freeze_panes = ws.cell(FORM_FIRST_ROW, 1)


def _add_validation(ws: Worksheet, f, ref: str) -> None:
    """A drop-down or number check with a prompt shown on entering the cell and a Chinese error."""
    title = f.label[:32]  # Excel allows 32 characters of title
    if f.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True,
                            error="请从下拉列表中选择：" + "、".join(f.choices), prompt="请从下拉列表中选择")
    elif f.kind in ("count", "year"):
        dv = DataValidation(type="whole", operator="between", formula1="0", formula2="100000000",
                            error="请填写整数（不带单位），例如 28" if f.kind == "count" else "请填写四位年份，例如 2024",
                            prompt="填写整数" if f.kind == "count" else "填写四位年份")
    elif f.kind in ("money", "number"):
        dv = DataValidation(type="decimal", operator="between", formula1="-1E12", formula2="1E12",
                            error="请输入数字（不要带单位或汉字）",
                            prompt="金额按“单位信息”中选择的单位填写" if f.kind == "money" else "填写数字")
    else:
        return
    dv.errorTitle, dv.promptTitle = title, title
    dv.showErrorMessage = dv.showInputMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


# ---------------------------------------------------------------- the whole workbook

def _write_instructions(ws: Worksheet, layout: Layout, profile) -> None:
    """填表说明 of this layout's workbook: its rules numbered without gaps, then exactly its sheets."""
    forms = [f for f in layout.forms if f.used_by(profile.id)]
    rearranged = "和".join(f"“{p.title or layout.table(p.id).title}”（表{p.number}）"
                          for p in profile.tables if p.id in REARRANGED)
    narrative = "".join(f"“{f.title}”" for f in forms if f.id in NARRATIVE_FORMS)
    rules = [r.format(rearranged=rearranged, narrative=narrative) for r in RULES
             if (rearranged or "{rearranged}" not in r) and (narrative or "{narrative}" not in r)]
    lines = INSTRUCTIONS_HEAD.splitlines() + [f"{i}. {r}" for i, r in enumerate(rules, start=1)] + ["", "各表说明："]
    for p in profile.tables:
        sheet = layout.table(p.id).title
        printed = f"（报告中印作“{p.title}”）" if p.title and p.title != sheet else ""
        lines.append(f"    附表{p.number}  {sheet}{printed}")
    for f in forms:
        lines.append(f"    {f.title}：{f.intro}")
    for i, line in enumerate(lines, start=1):
        ws.cell(i, 1, line)
        ws.cell(i, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = 120


def print_setup(ws: Worksheet, title_rows: int) -> None:
    """A4 landscape, one page wide, the header rows repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as many pages down as needed
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.print_area = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(ws.max_row, 1)}"
    ws.oddFooter.center.text = "&P / &N"


def title_rows(layout: Layout, sheet: str) -> int | None:
    """Rows to repeat when `sheet` is printed (None: not a sheet of our workbook)."""
    if sheet == INSTRUCTIONS_TITLE:
        return 0
    if any(t.title == sheet for t in layout.tables):
        return HEADER_ROWS
    if any(f.title == sheet for f in layout.forms):
        return FORM_FIRST_ROW - 1
    return None


def apply_print_setup(wb: Workbook) -> None:
    """Page setup for every sheet of our layout (the blank workbook and the check report)."""
    layout = load_layout()
    for ws in wb.worksheets:
        rows = title_rows(layout, ws.title)
        if rows is not None:
            print_setup(ws, rows)


def build_workbook(data: dict | None = None, profile_id: str | None = None) -> Workbook:
    """The workbook object for `data` (empty → the blank workbook) in a report profile's shape:
    the 附表 it publishes and the sheets and fields it asks for (`profile_id`, else the one
    `data` names on 单位信息, else the default)."""
    from .profiles import DEFAULT_PROFILE, profile as find_profile

    data = data or {}
    layout = load_layout()
    prof = find_profile(profile_id or data.get("unit", {}).get("profile"))
    if prof.id != DEFAULT_PROFILE:
        data = dict(data, unit=dict(data.get("unit", {}), profile=prof.label))
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_TITLE
    _write_instructions(ws, layout, prof)
    forms = [f for f in layout.forms if f.used_by(prof.id)]
    for form in forms:
        if form.id in ("unit",):
            _write_form(wb.create_sheet(form.title), form, data.get(form.id, {}), form.fields_for(prof.id))
    for table in (layout.table(p.id) for p in prof.tables):  # in the order the profile publishes them
        ws = wb.create_sheet(table.title)
        if table.kind == "coded":
            _write_coded(ws, table, data.get(table.id, []))
        elif table.kind == "balance":
            _write_balance(ws, table, data.get(table.id, {}))
        else:
            _write_grid(ws, table, data.get(table.id, {}))
        _protect(ws)
    for form in forms:
        if form.id == "unit":
            continue
        ws = wb.create_sheet(form.title)
        if form.is_list:
            _write_list(ws, form, data.get(form.id, []), form.fields_for(prof.id))
        else:
            _write_form(ws, form, data.get(form.id, {}), form.fields_for(prof.id))
    for ws in wb.worksheets:
        if ws.title in [f.title for f in layout.forms]:
            _protect(ws)
    apply_print_setup(wb)
    return wb


def write_workbook(path: Path, data: dict | None = None, profile_id: str | None = None, extend=None,
                   stable: bool = False) -> Path:
    """Write the workbook for `data` to `path` (atomically) and return the path.

    `extend(wb)` may add sheets of its own (the 部门 consolidation's audit sheet); the reader
    ignores sheets it does not declare. `stable` fixes the save time and the zip timestamps, so
    the same data gives the same bytes (a consolidated workbook regenerated unchanged).
    """
    from .output import atomic_write

    wb = build_workbook(data, profile_id)
    if extend is not None:
        extend(wb)
    as_text(wb)
    with atomic_write(Path(path)) as tmp:
        if stable:
            tmp.write_bytes(_stable_bytes(wb))
        else:
            wb.save(tmp)
    return Path(path)


def text_cell(cell, value: Any):
    """Put `value` into `cell`; text stays text even when it starts with "=".

    openpyxl turns any string beginning with "=" into a live formula, so a unit name such as
    `=HYPERLINK("http://…?"&A1)` would become a clickable formula in a file we write.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def as_text(wb) -> None:
    """No cell of a workbook built by this program is a formula: every string is written as text.

    For workbooks made entirely by us (blank workbook, 汇总.xlsx); the check report keeps the
    clerk's own formulas and uses `text_cell` for what it adds.
    """
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"


STABLE_TIME = "2000-01-01T00:00:00Z"


def _stable_bytes(wb: Workbook) -> bytes:
    """The saved workbook with a fixed created/modified time and fixed zip entry times."""
    import io
    import re
    import zipfile

    from .output import stable_member

    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + STABLE_TIME.encode(), content)
            dst.writestr(stable_member(info.filename), content)
    return out.getvalue()
