"""Tests of the workbook a clerk fills: the blank `generate init` workbook and formula cells."""

from __future__ import annotations

import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.layout import load_layout
from click.testing import CliRunner

from generator.accounts import resolve
from generator.check import check
from generator.cli import main
from generator.words import narrate
from generator.pipeline import load
from generator.reader import read_workbook

D = Decimal
LAYOUT = Path(__file__).resolve().parent.parent / "generator" / "data" / "layout.toml"
INPUT_COLOURS = ("FFF2CC", "EDEDED")  # yellow: typed; grey: may be typed, else derived


def declared():
    """layout.toml read directly (not through generator.layout)."""
    return tomllib.loads(LAYOUT.read_text("utf-8"))


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    """The workbook `generate init` writes."""
    path = tmp_path_factory.mktemp("init") / "空白工作簿.xlsx"
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def blank_wb(blank):
    return openpyxl.load_workbook(blank)


def cell_in(sqref, coordinate: str) -> bool:
    return any(coordinate in rng for rng in sqref.ranges)


def validations_at(ws, coordinate: str):
    return [dv for dv in ws.data_validations.dataValidation if cell_in(dv.sqref, coordinate)]


# ---------------------------------------------------------------- sheets

def test_blank_has_the_13_appendix_sheets_in_order(blank_wb):
    """The blank workbook has the 13 附表 sheets, named exactly as in layout.toml, in table order."""
    titles = [t["title"] for t in declared()["table"]]
    assert len(titles) == 13
    assert [n for n in blank_wb.sheetnames if n in titles] == titles


def test_blank_sheet_list_is_exact(blank_wb):
    """The sheets are 填表说明, 单位信息, the 13 附表, then the other forms and lists, nothing else."""
    lay = declared()
    forms = [f["title"] for f in lay["form"] if not f.get("profiles")]  # sheets of other report profiles: not here
    lists = [f["title"] for f in lay["list"] if not f.get("profiles")]
    tables = [t["title"] for t in lay["table"]]
    assert blank_wb.sheetnames == ["填表说明", "单位信息", *tables, *forms[1:], *lists]
    assert forms[0] == "单位信息"


def test_instructions_list_every_table(blank_wb):
    """填表说明 names each 附表 by number and title."""
    text = "\n".join(str(c.value) for c in blank_wb["填表说明"]["A"] if c.value)
    for t in declared()["table"]:
        assert f"附表{t['number']}  {t['title']}" in text


def test_form_sheets_list_every_declared_field(blank_wb):
    """Each form sheet lists its declared field labels (required ones marked "* ")."""
    for form in declared()["form"]:
        if form.get("profiles"):  # a sheet of another report profile (tests/test_profiles.py)
            continue
        fields = [f for f in form["fields"] if not f.get("profiles")]
        ws = blank_wb[form["title"]]
        labels = [ws.cell(r, 1).value for r in range(4, 4 + len(fields))]
        assert labels == [("* " if f.get("required") else "") + f["label"] for f in fields]


def test_blank_reads_back_without_crash(blank):
    """The blank workbook reads, resolves and checks; the only 错误 are the required 单位信息 fields."""
    acc = resolve(read_workbook(blank))
    findings = check(acc)
    errors = [(f.rule, f.ref) for f in findings if f.severity == "错误"]
    assert errors == [("UNIT-REQUIRED", "单位信息!B4"), ("UNIT-REQUIRED", "单位信息!B7"),
                      ("UNIT-REQUIRED", "单位信息!B9"), ("UNIT-REQUIRED", "单位信息!B11"),
                      ("UNIT-REQUIRED", "单位信息!B12")]
    assert acc.unit["amount_unit"] == "万元"  # the default of the choice
    assert acc.unit["subject"] == "单位"
    assert acc.tables["t03"].lines == []
    assert acc.tables["t03"].total["total"] == 0
    assert not [f for f in findings if f.rule.startswith(("READ-", "SUM-", "CODE-"))]


def test_blank_check_command_lists_required_fields(blank):
    """`generate check` on the blank workbook exits 1 and asks for 单位名称 first."""
    result = CliRunner().invoke(main, ["check", str(blank)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "[UNIT-REQUIRED] 错误 单位信息!B4：请填写“单位名称”"


# ---------------------------------------------------------------- protection

def test_sheets_are_protected(blank_wb):
    """Every table and form sheet is protected (labels cannot be typed over); 填表说明 is plain text."""
    for ws in blank_wb.worksheets:
        if ws.title == "填表说明":
            continue
        assert ws.protection.sheet is True, ws.title


def test_protection_has_no_password(blank_wb):
    """Protection is without a password so a clerk can lift it."""
    for ws in blank_wb.worksheets:
        assert not ws.protection.password, ws.title


def test_input_cells_are_unlocked(blank_wb):
    """Every yellow/grey input cell is unlocked; the code, amount and value cells in particular."""
    n = 0
    for ws in blank_wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
                if isinstance(rgb, str) and rgb[-6:] in INPUT_COLOURS:
                    assert c.protection.locked is False, f"{ws.title}!{c.coordinate}"
                    n += 1
    assert n > 1000
    for sheet, ref in (("支出决算表", "A6"), ("支出决算表", "D6"), ("支出决算表", "C5"),
                       ("单位信息", "B4"), ("上年数", "B4"), ("预算数", "A4"),
                       ("财政拨款“三公”经费支出决算表", "A6"), ("收入支出决算总表", "B5")):
        assert blank_wb[sheet][ref].protection.locked is False, f"{sheet}!{ref}"


def test_labels_and_headers_are_locked(blank_wb):
    """Titles, headers and labels stay locked."""
    for sheet, ref in (("支出决算表", "A3"), ("支出决算表", "B5"), ("单位信息", "A4"),
                       ("收入支出决算总表", "A5"), ("一般公共预算财政拨款支出决算明细表", "B6")):
        assert blank_wb[sheet][ref].protection.locked is True, f"{sheet}!{ref}"


# ---------------------------------------------------------------- data validation

def test_amount_cells_have_decimal_validation(blank_wb):
    """Amount cells of coded tables and money fields only accept numbers."""
    for sheet, ref in (("支出决算表", "D6"), ("支出决算表", "C5"), ("一般公共预算财政拨款支出决算明细表", "D6"),
                       ("上年数", "B4"), ("其他事项", "B5"), ("预算数", "C4")):
        dvs = validations_at(blank_wb[sheet], ref)
        assert [dv.type for dv in dvs] == ["decimal"], f"{sheet}!{ref}"
        assert dvs[0].showErrorMessage
        assert dvs[0].error == "请输入数字（不要带单位或汉字）"


def test_code_cells_have_length_validation(blank_wb):
    """The 科目编码 input column takes 3 to 7 characters."""
    (dv,) = validations_at(blank_wb["支出决算表"], "A6")
    assert (dv.type, dv.formula1, dv.formula2) == ("textLength", "3", "7")
    assert dv.error == "请填写 3 位（类）、5 位（款）或 7 位（项）科目编码"
    assert cell_in(dv.sqref, "A65")


def test_choice_cells_have_list_validation(blank_wb):
    """单位性质, 金额单位 and 公开主体 offer the declared choices as a drop-down."""
    ws = blank_wb["单位信息"]
    want = {}
    for f in declared()["form"][0]["fields"]:
        if f["kind"] == "choice":
            choices = f.get("choices") or load_layout().form("unit").field(f["key"]).choices  # choices_from
            want[f["label"]] = '"' + ",".join(choices) + '"'
    assert set(want) == {"公开主体", "单位性质", "金额单位", "报告格式"}
    rows = {str(ws.cell(r, 1).value).lstrip("* "): r for r in range(4, 30)}
    for label, formula in want.items():
        (dv,) = validations_at(ws, f"B{rows[label]}")
        assert (dv.type, dv.formula1) == ("list", formula), label
    (dv,) = validations_at(blank_wb["绩效管理"], "B4")
    assert (dv.type, dv.formula1) == ("list", '"整体,项目"')


def test_count_cells_have_whole_number_validation(blank_wb):
    """编制人数 and other counts accept whole numbers only."""
    ws = blank_wb["单位信息"]
    row = next(r for r in range(4, 20) if ws.cell(r, 1).value == "编制人数")
    (dv,) = validations_at(ws, f"B{row}")
    assert dv.type == "whole"


# ---------------------------------------------------------------- formulas without cached values

@pytest.fixture
def formula_workbook(make_workbook, minimal_data) -> Path:
    """The minimal workbook with =SUM formulas (no cached values) in the 支出决算表 合计 row."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    ws = wb["支出决算表"]
    assert ws["B5"].value == "合计"
    for col in "CDE":
        ws[f"{col}5"] = f"=SUM({col}6:{col}9)"
    wb.save(path)
    return path


def test_formula_cells_have_no_cached_value(formula_workbook):
    """The premise: openpyxl saved the formulas without a cached value."""
    with zipfile.ZipFile(formula_workbook) as z:
        sheet_xml = next(z.read(n).decode() for n in z.namelist()
                         if n.startswith("xl/worksheets/") and "SUM(D6:D9)" in z.read(n).decode())
    assert "<f>SUM(D6:D9)</f><v></v>" in sheet_xml or "<f>SUM(D6:D9)</f></c>" in sheet_xml
    assert openpyxl.load_workbook(formula_workbook, data_only=True)["支出决算表"]["D5"].value is None


def test_uncached_formula_total_is_derived_from_rows(formula_workbook):
    """A 合计 row of uncached =SUM formulas is derived from the rows, not read as 0 or an error."""
    acc, findings = load(formula_workbook)
    t03 = acc.tables["t03"]
    assert t03.total["total"] == D("100")
    assert t03.total["basic"] == D("80")
    assert t03.total["project"] == D("20")
    assert not [f for f in findings if f.severity == "错误"]
    assert not [f for f in findings if f.rule.startswith("SUM-")]
    notes = [f for f in findings if f.rule.startswith("READ-")]
    assert [(f.rule, f.severity, f.ref) for f in notes] == [
        ("READ-FORMULA", "提示", f"支出决算表!{c}5") for c in "CDE"]
    assert notes[1].message == "公式“=SUM(D6:D9)”没有计算结果，按空白处理，由程序计算"
    figures = narrate(acc).figures
    assert figures["expense_year"] == "100.00"
    assert figures["expense_share.基本支出"] == "80.00%"
    assert figures["expense_share.项目支出"] == "20.00%"


def test_uncached_row_formula_is_derived(make_workbook, minimal_data):
    """An uncached =D6+E6 in a row's 本年支出合计 is derived as 基本 + 项目."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    wb["支出决算表"]["C6"] = "=D6+E6"
    wb.save(path)
    acc, findings = load(path)
    assert acc.tables["t03"].line("2010101").values["total"] == D("80")
    assert not [f for f in findings if f.rule.startswith("SUM-")]
    assert [(f.rule, f.severity, f.ref) for f in findings if f.rule.startswith("READ-")] == [
        ("READ-FORMULA", "提示", "支出决算表!C6")]
