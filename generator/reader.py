"""Read a filled workbook into plain values, each with the cell it came from.

Nothing is derived or checked here beyond what reading itself needs: amounts become
Decimal in 万元, counts int, text str. What the reader had to interpret (a "1,234.50", a
full-width digit) is reported as a 提示 so the clerk sees what was read.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .codes import function_classes, strip_ordinal
from .errors import WorkbookError
from .findings import ERROR, HINT, WARNING, Finding
from .layout import Form, Table, load_layout
from .sheets import Sheet, open_book
from .xlsxparts import column_letter as get_column_letter
from .geometry import (FIRST_DATA_ROW, FORM_FIRST_ROW, GRID_DATA_ROW, balance_geometry, coded_columns,
                       grid_columns)

YUAN_PER_WAN = Decimal(10000)
EXCEL_ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_ESCAPED_CONTROL = re.compile(r"_x00(0[0-8BbCcEeFf]|1[0-9A-Fa-f])_")  # how Excel stores them in XML
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass
class Value:
    """One cell as read: the parsed value (None when blank) and where it is."""

    value: Any
    ref: str


@dataclass
class CodedRow:
    code: str
    name: str
    values: dict[str, Value]
    ref: str  # the code cell


@dataclass
class RawCoded:
    table: Table
    total: dict[str, Value]
    rows: list[CodedRow]


@dataclass
class RawBalance:
    table: Table
    income: dict[str, Value]
    income_bottom: dict[str, Value]
    classes: dict[str, dict[str, Value]]  # class code → column key → value
    expense_bottom: dict[str, dict[str, Value]]


@dataclass
class RawGrid:
    table: Table
    cells: dict[tuple[str, str], Value]


@dataclass
class RawWorkbook:
    path: Path
    amount_unit: str
    tables: dict[str, RawCoded | RawBalance | RawGrid]
    forms: dict[str, dict[str, Value]]
    lists: dict[str, list[dict[str, Value]]]
    findings: list[Finding] = field(default_factory=list)


# ---------------------------------------------------------------- cell parsing

class CellProblem(ValueError):
    """A cell that cannot be read as the kind it must hold; the message is for the clerk."""


def clean_text(raw: Any) -> tuple[str, bool]:
    """Text of a cell with characters XML cannot hold removed; (text, whether any were)."""
    text = str(raw)
    cleaned = EXCEL_ESCAPED_CONTROL.sub("", XML_FORBIDDEN.sub("", text))
    return cleaned.strip(), cleaned != text


MAX_AMOUNT = Decimal(10) ** 15  # far beyond any budget unit, in 元 or 万元; keeps every sum exact in Decimal


def parse_amount(raw: Any) -> tuple[Decimal | None, str | None]:
    """Cell → (Decimal or None when blank, a note when the text had to be interpreted)."""
    value, note = _parse_amount(raw)
    if value is not None and abs(value) >= MAX_AMOUNT:
        raise CellProblem(f"金额“{raw}”过大，请检查是否多填了位数")
    return value, note


def _parse_amount(raw: Any) -> tuple[Decimal | None, str | None]:
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        raise CellProblem(f"应填金额，实为逻辑值“{'TRUE' if raw else 'FALSE'}”")
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellProblem(f"应填金额，实为日期或时间“{raw}”；请把单元格格式改为“常规”或“数值”后重新填写")
    if isinstance(raw, int):
        return Decimal(raw), None
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellProblem("应填金额，实为无效数字")
        return Decimal(repr(raw)), None
    text = str(raw).strip()
    if text == "":
        return None, None
    if text.upper() in EXCEL_ERRORS:
        raise CellProblem(f"是 Excel 错误值 {text}，请改正公式或直接填写数字")
    normal = unicodedata.normalize("NFKC", text).replace(" ", "")
    if THOUSANDS.match(normal):
        normal = normal.replace(",", "")
    try:
        value = Decimal(normal)
    except InvalidOperation:
        raise CellProblem(f"应填金额（数字），实为“{text}”；请只填数字，不带单位、汉字或符号") from None
    if not value.is_finite():
        raise CellProblem(f"应填金额（数字），实为“{text}”")
    return value, f"文字“{text}”按数字 {value} 读取"


def parse_count(raw: Any) -> tuple[int | None, str | None]:
    try:
        value, note = parse_amount(raw)
    except CellProblem as exc:  # said of a count, not of an amount
        raise CellProblem(str(exc).replace("应填金额（数字）", "应填不小于 0 的整数").replace("应填金额", "应填不小于 0 的整数")
                          .replace("金额“", "数字“")) from None
    if value is None:
        return None, note
    if value != value.to_integral_value() or value < 0:
        raise CellProblem(f"应填不小于 0 的整数，实为“{raw}”")
    return int(value), note


class SheetReader:
    """Reads one worksheet, recording findings with its cell references."""

    def __init__(self, sheet: Sheet, findings: list[Finding], unit_divisor: Decimal = Decimal(1)):
        self.ws, self.findings, self.divisor = sheet, findings, unit_divisor

    def ref(self, row: int, col: int) -> str:
        return f"{self.ws.title}!{get_column_letter(col)}{row}"

    def raw(self, row: int, col: int) -> Any:
        value = self.ws.value(row, col)
        if value is None and self.ws.formula(row, col):
            self.findings.append(Finding("READ-FORMULA", ERROR, self.ref(row, col),
                                         f"公式“{self.ws.formula(row, col)}”没有计算结果（文件可能由程序生成后未在 Excel/WPS 中打开保存）；"
                                         "请在 Excel/WPS 中打开并保存一次，或直接填写数字（合计可留空由程序计算）"))
        return value

    def check_visible(self, row: int, ref: str, values: dict[str, Value]) -> None:
        """Amounts the clerk cannot see on screen or on paper still count: say so."""
        if not any(v.value not in (None, 0) for v in values.values()):
            return
        if row in self.ws.hidden_rows:
            self.findings.append(Finding("READ-HIDDEN", WARNING, ref,
                                         f"第 {row} 行是隐藏行，其中的金额计入合计；不需要的请删除整行，需要的请取消隐藏"))
        elif self.ws.last_input_row is not None and row > self.ws.last_input_row:
            self.findings.append(Finding("READ-HIDDEN", WARNING, ref,
                                         f"第 {row} 行在表格填写区域（到第 {self.ws.last_input_row} 行）之外，其中的金额计入合计；"
                                         "请确认这一行属于本表，不属于的请删除"))

    def check_merges(self, first_row: int, first_col: int = 1) -> None:
        """Merged cells in the input area hide all but one value: an 错误, not a silent loss."""
        for r1, c1, r2, c2 in self.ws.merges:
            if r2 >= first_row and c2 >= first_col:
                ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
                self.findings.append(Finding("READ-MERGED", ERROR, f"{self.ws.title}!{ref}",
                                             "数据区域中有合并单元格，合并后只保留左上角的值；请取消合并并逐格填写"))

    def derivable_amount(self, row: int, col: int) -> Value:
        """An amount the program can derive: an uncached formula there is just a blank."""
        if self.ws.value(row, col) is None and self.ws.formula(row, col):
            self.findings.append(Finding("READ-FORMULA", HINT, self.ref(row, col),
                                         f"公式“{self.ws.formula(row, col)}”没有计算结果，按空白处理，由程序计算"))
            return Value(None, self.ref(row, col))
        return self.amount(row, col)

    def text(self, row: int, col: int) -> Value:
        raw = self.raw(row, col)
        ref = self.ref(row, col)
        if raw is None:
            return Value(None, ref)
        if isinstance(raw, bool):  # TRUE/FALSE typed into a text cell: not a name
            self.findings.append(Finding("READ-TEXT", ERROR, ref, f"应填文字，实为逻辑值“{'TRUE' if raw else 'FALSE'}”；请填写文字"))
            return Value(None, ref)
        text, had_control = clean_text(raw if not isinstance(raw, float) or raw != int(raw) else int(raw))
        if had_control:
            self.findings.append(Finding("READ-CTRL", HINT, ref, "含有不可见的控制字符（多见于从其他系统粘贴），已删除"))
        return Value(text or None, ref)

    def code(self, row: int, col: int) -> Value:
        """A 科目编码: full-width digits and spaces are read as ordinary digits (as amounts are)."""
        value = self.text(row, col)
        if value.value is None:
            return value
        normal = unicodedata.normalize("NFKC", str(value.value)).replace(" ", "")
        if normal != str(value.value).replace(" ", ""):
            self.findings.append(Finding("CODE-FORMAT", HINT, value.ref, f"编码“{value.value}”按 {normal} 读取（全角字符已转为半角）"))
        return Value(normal, value.ref)

    def amount(self, row: int, col: int) -> Value:
        ref = self.ref(row, col)
        try:
            value, note = parse_amount(self.raw(row, col))
        except CellProblem as exc:
            self.findings.append(Finding("READ-AMOUNT", ERROR, ref, str(exc)))
            return Value(None, ref)
        if note:
            self.findings.append(Finding("READ-AMOUNT", HINT, ref, note))
        return Value(None if value is None else value / self.divisor, ref)

    def count(self, row: int, col: int) -> Value:
        ref = self.ref(row, col)
        try:
            value, note = parse_count(self.raw(row, col))
        except CellProblem as exc:
            self.findings.append(Finding("READ-COUNT", ERROR, ref, str(exc)))
            return Value(None, ref)
        if note:
            self.findings.append(Finding("READ-COUNT", HINT, ref, note))
        return Value(value, ref)

    def number(self, row: int, col: int) -> Value:
        """A plain number (a score), not converted by the amount unit."""
        ref = self.ref(row, col)
        try:
            value, _ = parse_amount(self.raw(row, col))
        except CellProblem as exc:
            self.findings.append(Finding("READ-NUMBER", ERROR, ref, str(exc).replace("金额（数字）", "数字").replace("金额", "数字")))
            return Value(None, ref)
        return Value(value, ref)

    def typed(self, row: int, col: int, kind: str) -> Value:
        if kind == "money":
            return self.amount(row, col)
        if kind in ("count", "year"):
            return self.count(row, col)
        if kind == "number":
            return self.number(row, col)
        return self.text(row, col)

    def expect_header(self, row: int, col: int, label: str) -> None:
        found = self.raw(row, col)
        if "".join(str(found or "").split()).lstrip("*") != "".join(label.split()):
            raise WorkbookError(f"表头应为“{label}”，实为“{found or '空白'}”；请不要改动表头，可用 generate init 重新生成空白工作簿对照",
                                self.ws.title, f"{get_column_letter(col)}{row}")

    def find_label(self, col: int, label: str, start: int) -> int | None:
        """Row of `label` in column `col` at or below `start` (ordinals and spaces ignored)."""
        want = strip_ordinal(label)
        for row in range(start, self.ws.max_row + 1):
            cell = self.raw(row, col)
            if cell is not None and strip_ordinal(str(cell)).lstrip("*").strip() == want:
                return row
        return None


# ---------------------------------------------------------------- tables

def _read_coded(sr: SheetReader, table: Table) -> RawCoded:
    cols = coded_columns(table)
    sr.expect_header(3, 1, "科目编码")
    sr.expect_header(3, 2, "科目名称")
    for c in table.columns:
        sr.expect_header(4 if c.group else 3, cols[c.key], c.label)
    sr.check_merges(FIRST_DATA_ROW)
    derivable = {c.key for c in table.columns if c.formula}
    total_row = sr.find_label(2, "合计", FIRST_DATA_ROW) or FIRST_DATA_ROW
    total = {k: sr.derivable_amount(total_row, col) for k, col in cols.items()}
    rows = []
    for r in range(FIRST_DATA_ROW, sr.ws.max_row + 1):
        if r == total_row:
            continue
        code = sr.code(r, 1)
        values = {k: (sr.derivable_amount if k in derivable else sr.amount)(r, col) for k, col in cols.items()}
        name = sr.text(r, 2)
        if code.value is None:
            if any(v.value is not None for v in values.values()):
                sr.findings.append(Finding("READ-CODE", ERROR, code.ref, "这一行填了金额但没有科目编码"))
            continue
        sr.check_visible(r, code.ref, values)
        rows.append(CodedRow(str(code.value).replace(" ", ""), name.value or "", values, code.ref))
    return RawCoded(table, total, rows)


def _read_balance(sr: SheetReader, table: Table) -> RawBalance:
    bottom, _ = balance_geometry(table)
    for i, text in enumerate(table.income_header):
        sr.expect_header(4, 1 + i, text)
    for i, text in enumerate(table.expense_header):
        sr.expect_header(4, 3 + i, text)
    keys = table.expense_keys
    sr.check_merges(FIRST_DATA_ROW)

    def side(rows, col, start, n_cols):
        out, at = {}, start
        for row in rows:
            found = sr.find_label(col, row.label, at)
            if found is None:
                raise WorkbookError(f"找不到项目“{row.label}”；请不要改动或删除项目名称", sr.ws.title,
                                    f"{get_column_letter(col)}{at}")
            at = found + 1
            read = sr.derivable_amount if row.formula else sr.amount
            out[row.key] = [read(found, col + 1 + j) for j in range(n_cols)]
        return out

    income = {k: v[0] for k, v in side(table.income, 1, FIRST_DATA_ROW, 1).items()}
    income_bottom = {k: v[0] for k, v in side(table.income_bottom, 1, FIRST_DATA_ROW, 1).items()}
    classes = {}
    at = FIRST_DATA_ROW
    for cls in function_classes():
        found = sr.find_label(3, cls.name, FIRST_DATA_ROW)
        if found is None:
            continue  # a class row the clerk's older form lacks: derived from the detail tables
        classes[cls.code] = {k: sr.derivable_amount(found, 4 + j) for j, k in enumerate(keys)}
    expense_bottom = {k: dict(zip(keys, v)) for k, v in side(table.expense_bottom, 3, at, len(keys)).items()}
    return RawBalance(table, income, income_bottom, classes, expense_bottom)


def _read_grid(sr: SheetReader, table: Table) -> RawGrid:
    cols = grid_columns(table)
    nm = len(table.measures)
    for i, item in enumerate(table.items):
        sr.expect_header(4 if item.group else 3, 1 + i * nm, item.label)
        for j, m in enumerate(table.measures):
            sr.expect_header(5, 1 + i * nm + j, m.label)
    sr.check_merges(GRID_DATA_ROW)
    formulas = {i.key for i in table.items if i.formula}
    return RawGrid(table, {key: (sr.derivable_amount if key[0] in formulas else sr.amount)(GRID_DATA_ROW, col)
                           for key, col in cols.items()})


# ---------------------------------------------------------------- forms and lists

def _read_form(sr: SheetReader, form: Form, profile_id: str | None = None) -> dict[str, Value]:
    sr.check_merges(FORM_FIRST_ROW, 2)
    out = {}
    for f in form.fields:
        row = sr.find_label(1, f.label, FORM_FIRST_ROW)
        if row is None and (f.quiet or (profile_id and not f.used_by(profile_id))):  # not asked for: blank
            out[f.key] = Value(f.default or None, f"{sr.ws.title}!B?")
            continue
        if row is None and not f.required:  # a workbook from an older `generate init`
            sr.findings.append(Finding("READ-OLD", HINT, sr.ws.title,
                                       f"没有“{f.label}”一项（工作簿可能由旧版程序生成），按空白处理"))
            out[f.key] = Value(f.default or None if f.kind != "number" else
                               (Decimal(f.default) if f.default else None), f"{sr.ws.title}!B?")
            continue
        if row is None:
            raise WorkbookError(f"找不到项目“{f.label}”；请不要改动或删除项目名称", sr.ws.title)
        out[f.key] = sr.typed(row, 2, f.kind)
        _check_choice(sr, f, out[f.key])
        _check_name(sr, f, out[f.key])
    return out


def _check_name(sr: SheetReader, f, value: Value) -> None:
    """A name that titles the report (单位名称, 项目名称 …) holds a letter: 12345 or “—” would print as
    “123452024年度单位决算说明”."""
    text = value.value
    if not f.name or text is None or any(unicodedata.category(ch).startswith("L") for ch in str(text)):
        return
    raw = sr.ws.value(*_cell(value.ref))
    what = f"数字“{text}”" if isinstance(raw, (int, float)) else f"“{text}”"
    sr.findings.append(Finding("READ-TEXT", ERROR, value.ref, f"“{f.label}”应填名称（文字），实为{what}，其中没有汉字或字母；"
                                                             "请填写名称全称"))
    value.value = None


def _cell(ref: str) -> tuple[int, int]:
    from .xlsxparts import split_ref

    return split_ref(ref.rsplit("!", 1)[1])


def _check_choice(sr: SheetReader, f, value: Value) -> None:
    if f.kind == "choice" and value.value is not None and value.value not in f.choices:
        sr.findings.append(Finding("READ-CHOICE", ERROR, value.ref,
                                   f"“{f.label}”只能填 {'、'.join(f.choices)}，实为“{value.value}”"))
        value.value = None


def _read_list(sr: SheetReader, form: Form) -> list[dict[str, Value]]:
    fields = []
    for j, f in enumerate(form.fields, start=1):
        if f.quiet and sr.raw(3, j) in (None, ""):  # a column added later: an older workbook lacks it
            break
        sr.expect_header(3, j, f.label)
        fields.append(f)
    missing = form.fields[len(fields):]
    sr.check_merges(FORM_FIRST_ROW)
    records = []
    for r in range(FORM_FIRST_ROW, sr.ws.max_row + 1):
        rec = {f.key: sr.typed(r, j, f.kind) for j, f in enumerate(fields, start=1)}
        rec |= {f.key: Value(None, f"{form.title}!{r}") for f in missing}
        if all(v.value is None for v in rec.values()):
            continue
        for f in fields:
            _check_choice(sr, f, rec[f.key])
            _check_name(sr, f, rec[f.key])
        records.append(rec)
    return records


# ---------------------------------------------------------------- the workbook

def read_workbook(path: Path) -> RawWorkbook:
    """Read every declared sheet of the workbook at `path`."""
    path = Path(path)
    wb = open_book(path)
    layout = load_layout()
    findings: list[Finding] = []

    for title, why in wb.skipped:
        findings.append(Finding("READ-SKIPPED", HINT, title, f"工作表“{title}”{why}；报告不读取此表，已跳过"
                                                          "（检查结果工作簿中此表留空）"))

    def sheet(title: str) -> Sheet:
        if title not in wb.sheetnames:
            raise WorkbookError(f"缺少工作表“{title}”；请用 generate init 生成的空白工作簿填写，不要改动表名")
        if title in wb.hidden:  # what the clerk cannot see still counts: say so
            findings.append(Finding("READ-HIDDEN", WARNING, title, f"工作表“{title}”是隐藏的，其中填写的内容照常读取、计入报告；"
                                                                "请在 Excel/WPS 中取消隐藏并核对"))
        return wb.sheet(title)

    unit_form = layout.form("unit")
    unit_sheet = sheet(unit_form.title)
    prof = _profile(SheetReader(unit_sheet, []), unit_form)
    unit = _read_form(SheetReader(unit_sheet, findings), unit_form, prof.id)
    amount_unit = unit["amount_unit"].value or "万元"
    divisor = YUAN_PER_WAN if amount_unit == "元" else Decimal(1)
    tables: dict[str, Any] = {}
    for table in layout.tables:
        if not prof.publishes(table.id) and table.title not in wb.sheetnames:
            tables[table.id] = _blank(table)  # a table this profile does not publish: nothing to read
            continue
        sr = SheetReader(sheet(table.title), findings, divisor)
        reader = {"coded": _read_coded, "balance": _read_balance, "grid": _read_grid}[table.kind]
        tables[table.id] = reader(sr, table)
    forms, lists = {"unit": unit}, {}
    for form in layout.forms:
        if form.id == "unit":
            continue
        if form.title not in wb.sheetnames and not form.used_by(prof.id):  # a sheet only other profiles ask for
            if form.is_list:
                lists[form.id] = []
            else:
                forms[form.id] = {f.key: Value(None, f"{form.title}!B?") for f in form.fields}
            continue
        if form.title not in wb.sheetnames:  # narrative sheets are optional: an older workbook lacks the newest
            findings.append(Finding("READ-OLD", HINT, form.title,
                                    f"没有“{form.title}”表（工作簿可能由旧版程序生成），按空白处理；可用 generate init 生成新版空白工作簿"))
            if form.is_list:
                lists[form.id] = []
            else:
                forms[form.id] = {f.key: Value(None, f"{form.title}!B?") for f in form.fields}
            continue
        sr = SheetReader(sheet(form.title), findings, divisor)
        if form.is_list:
            lists[form.id] = _read_list(sr, form)
        else:
            forms[form.id] = _read_form(sr, form, prof.id)
    wb.close()
    return RawWorkbook(path, amount_unit, tables, forms, lists, findings)


def _profile(sr: SheetReader, unit_form: Form):
    """The report profile 单位信息 names (read before anything else: it says which sheets to expect)."""
    from .profiles import profile

    f = unit_form.field("profile")
    row = sr.find_label(1, f.label, FORM_FIRST_ROW)
    label = sr.text(row, 2).value if row is not None else None
    try:
        return profile(label)
    except KeyError:
        raise WorkbookError(f"“{f.label}”只能填 {'、'.join(f.choices)}，实为“{label}”", sr.ws.title,
                            f"B{row}") from None


def _blank(table: Table) -> RawCoded | RawBalance | RawGrid:
    """An unpublished table, as if its sheet were left blank (everything in it derived or zero)."""
    ref = f"{table.title}!C{FIRST_DATA_ROW}"
    if table.kind == "coded":
        return RawCoded(table, {c.key: Value(None, ref) for c in table.columns}, [])
    if table.kind == "grid":
        return RawGrid(table, {(i.key, m.key): Value(None, ref) for i in table.items for m in table.measures})
    raise WorkbookError(f"报告格式未列出总表“{table.title}”", table.title)
