"""The checks on a corpus of broken workbooks: each gets the expected rule, severity and cell.

Every case starts from the small consistent fixture (`minimal_data`), changes one thing a
clerk could get wrong, and asserts the finding the clerk would read.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.check import RULES
from generator.pipeline import load


def find(findings, rule, severity=None, ref=None):
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)
            and (ref is None or f.ref == ref)]


def t03_row(code, **values):
    return {"code": code, **{k: D(str(v)) for k, v in values.items()}}


def set_cells(path, *cells):
    """Change cells of a written workbook directly (things our writer would never write)."""
    wb = load_workbook(path)
    for sheet, ref, value in cells:
        wb[sheet][ref] = value
    wb.save(path)


# Each case: (id, change to the data, cells to overwrite afterwards, rule, severity, ref)
CASES = [
    ("amount-with-unit", lambda d: None, [("支出决算表", "D6", "12万")], "READ-AMOUNT", "错误", "支出决算表!D6"),
    ("amount-dash", lambda d: None, [("一般公共预算财政拨款支出决算表", "D6", "—")], "READ-AMOUNT", "错误",
     "一般公共预算财政拨款支出决算表!D6"),
    ("excel-error-value", lambda d: None, [("支出决算表", "E7", "#REF!")], "READ-AMOUNT", "错误", "支出决算表!E7"),
    ("full-width-digits", lambda d: None, [("收入支出决算总表", "B5", "１００")], "READ-AMOUNT", "提示",
     "收入支出决算总表!B5"),
    ("thousands-and-space", lambda d: None, [("收入决算表", "D6", "80.00 ")], "READ-AMOUNT", "提示", "收入决算表!D6"),
    ("count-not-whole", lambda d: d["unit"].update(staff_actual=None), [("单位信息", "B14", 12.5)], "READ-COUNT",
     "错误", "单位信息!B14"),
    ("choice-not-in-list", lambda d: None, [("单位信息", "B9", "行政")], "READ-CHOICE", "错误", "单位信息!B9"),
    ("amount-without-code", lambda d: None, [("支出决算表", "D9", 5)], "READ-CODE", "错误", "支出决算表!A9"),
    ("control-character", lambda d: d["unit"].update(name="测试_x0007_单位"), [], "READ-CTRL", "提示", "单位信息!B4"),
    ("code-too-long", lambda d: d["t03"].append(t03_row("20101011", basic=0)), [], "CODE-FORMAT", "错误",
     "支出决算表!A8"),
    ("code-duplicated", lambda d: d["t03"].append(t03_row("2010101", basic=0)), [], "CODE-DUP", "错误", "支出决算表!A8"),
    ("code-unknown", lambda d: d["t03"].append({"code": "2019998", "name": "自编科目", "basic": D(0)}), [],
     "CODE-UNKNOWN", "警告", "支出决算表!A8"),
    ("code-name-differs", lambda d: d["t03"][0].update(name="行政运营"), [], "CODE-NAME", "警告", "支出决算表!A6"),
    ("code-name-outdated", lambda d: d["t03"].insert(0, {"code": "210", "name": "医疗卫生与计划生育支出"}), [],
     "CODE-NAME", "警告", "支出决算表!A6"),
    ("row-total-wrong", lambda d: d["t03"][0].update(total=D("90")), [], "SUM-ROW", "错误", "支出决算表!C6"),
    ("class-total-wrong", lambda d: d["t03"].insert(0, t03_row("201", total=150, basic=130, project=20)), [],
     "SUM-TREE", "错误", "支出决算表!D6"),
    ("grand-total-wrong", lambda d: None, [("支出决算表", "C5", 150)], "SUM-TOTAL", "错误", "支出决算表!C5"),
    ("grand-total-rounding", lambda d: None, [("支出决算表", "C5", 100.01)], "SUM-TOTAL", "提示", "支出决算表!C5"),
    ("balance-subtotal-wrong", lambda d: d["t01"].setdefault("income_bottom", {}).update(year_total=D("120")), [],
     "SUM-BALANCE", "错误", "收入支出决算总表!B31"),
    ("balance-totals-differ", lambda d: d["t01"].setdefault("expense_bottom", {}).update(closing={"amount": D("5")}),
     [], "BAL-TOTAL", "错误", "收入支出决算总表!B34"),
    ("three-public-total-wrong", lambda d: d.update(t13={"total": {"actual": D("5")}}), [], "SUM-SG", "错误",
     "财政拨款“三公”经费支出决算表!B6"),
    ("prior-three-public-wrong", lambda d: d["prior"].update(sg_total=D("5"), sg_abroad=D("1"), sg_car=D("1"),
                                                                sg_reception=D("1")), [], "SUM-PRIOR", "错误", "上年数!B11"),
    ("class-row-disagrees", lambda d: d["t01"].update(classes={"201": D("90")}), [], "LINK-CLASS", "错误",
     "收入支出决算总表!D5"),
    ("fiscal-income-disagrees", lambda d: d.update(t04={"income": {"gpb": D("90")}}), [], "LINK-INCOME", "错误",
     "财政拨款收入支出决算总表!B5"),
    ("basic-detail-disagrees", lambda d: d["t08"][0].update(amount=D("50")), [], "LINK-TABLES", "错误",
     "一般公共预算财政拨款基本支出决算表!C7"),
    ("derived-balance-negative", lambda d: d["t03"][0].update(basic=D("90")), [], "BAL-NEGATIVE", "错误",
     "收入支出决算总表!D33"),
    ("row-below-the-table", lambda d: None, [("支出决算表", "A90", "2010199"), ("支出决算表", "D90", 5)], "READ-HIDDEN",
     "警告", "支出决算表!A90"),
    ("three-public-without-economic-line", lambda d: d.update(t13={"abroad": {"actual": D("5")}}), [], "SG-ECONOMIC",
     "警告", "财政拨款“三公”经费支出决算表!D6"),
    ("economic-line-without-three-public", lambda d: (d["t07"].__setitem__(1, {"code": "30212", "basic": D("20")}),
                                                      d["t08"].__setitem__(1, {"code": "30212", "amount": D("20")})),
     [], "SG-ECONOMIC", "错误", "财政拨款“三公”经费支出决算表!D6"),
    ("amount-unit-implausible", lambda d: d["unit"].update(amount_unit="元"), [], "UNIT-AMOUNT", "警告", "单位信息!B10"),
    ("amount-unit-missing", lambda d: None, [("单位信息", "B10", None)], "UNIT-REQUIRED", "错误", "单位信息!B10"),
    ("budget-code-twice", lambda d: d["budget"].append({"code": "2010101", "initial": D("1")}), [], "CODE-DUP", "错误",
     "预算数!A6"),
    ("performance-not-given", lambda d: d.update(performance=[]), [], "PERF-MISSING", "警告", "绩效管理"),
    ("count-left-blank", lambda d: d["sg"].update(domestic_batches=None), [], "COUNT-MISSING", "警告", "三公经费明细!B15"),
    ("rearranged-table-row-differs", lambda d: d["t05"][0].update(gpb=D("70")), [], "LINK-TABLES", "错误",
     "财政拨款支出决算明细表!D6"),
    ("admin-part-above-public-costs", lambda d: d["other"].update(admin_public_costs=D("25")), [], "LINK-RUNNING",
     "错误", "其他事项!B5"),
    ("running-costs-disagree", lambda d: d["other"].update(running_costs=D("25")), [], "LINK-RUNNING", "错误",
     "其他事项!B4"),
    ("budget-missing", lambda d: d.update(budget=[]), [], "BUDGET-MISSING", "警告", "预算数"),
    ("prior-missing", lambda d: d["prior"].update(total=None), [], "PRIOR-MISSING", "警告", "上年数!B4"),
    ("reason-missing", lambda d: (d["prior"].update(total=D("50")), d["reasons"].update(total=None)), [],
     "REASON-MISSING", "警告", "说明文字!B4"),
    ("unit-name-missing", lambda d: d["unit"].update(name=None), [], "UNIT-REQUIRED", "错误", "单位信息!B4"),
    ("year-not-a-year", lambda d: d["unit"].update(year=24), [], "UNIT-YEAR", "错误", "单位信息!B7"),
    ("year-in-text", lambda d: d["unit"].update(structure="截至2019年12月31日，内设一个科室。"), [], "UNIT-YEAR", "警告",
     "单位信息!B12"),
    ("placeholder-xxx", lambda d: d["unit"].update(duties="负责XXX工作。"), [], "TEXT-PLACEHOLDER", "错误", "单位信息!B11"),
    ("placeholder-in-reason", lambda d: d["reasons"].update(total="主要用于（具体工作）"), [], "TEXT-PLACEHOLDER", "错误",
     "说明文字!B4"),
    ("placeholder-in-list", lambda d: d.update(performance=[{"name": "项目A", "scope": "项目", "summary": "如有"}]), [],
     "TEXT-PLACEHOLDER", "错误", "绩效管理!G4"),
    ("negative-amount", lambda d: d["t03"].append(t03_row("2010199", basic=-5)), [], "NEG-AMOUNT", "错误",
     "支出决算表!A8"),
    ("score-not-a-number", lambda d: d.update(performance=[{"name": "项目A", "scope": "项目"}]),
     [("绩效管理", "F4", "九十")], "READ-NUMBER", "错误", "绩效管理!F4"),
    ("indicator-of-unknown-project", lambda d: d.update(indicators=[{"project": "不存在的项目", "weight": D(10)}]), [],
     "PERF-PROJECT", "错误", "项目绩效指标!A4"),
    ("indicator-actual-unreadable", lambda d: d.update(
        projects=[{"name": "项目A"}],
        indicators=[{"project": "项目A", "level3": "人数", "nature": "≥", "target": "10", "actual": "很多", "weight": D(90)}]),
     [], "PERF-VALUE", "错误", "项目绩效指标!H4"),
    ("indicator-score-above-weight", lambda d: d.update(
        projects=[{"name": "项目A"}],
        indicators=[{"project": "项目A", "level3": "质量", "nature": "定性", "weight": D(10), "score": D(12)}]),
     [], "PERF-SCORE", "错误", "项目绩效指标!J4"),
    ("indicator-weights-not-90", lambda d: d.update(
        projects=[{"name": "项目A"}],
        indicators=[{"project": "项目A", "level3": "质量", "nature": "定性", "weight": D(80), "score": D(80)}]),
     [], "PERF-WEIGHT", "警告", "项目绩效自评!B4"),
    ("project-money-differs", lambda d: d.update(projects=[{"name": "项目A", "executed_fiscal": D(50)}]), [],
     "PERF-EXEC", "警告", "项目绩效自评"),
    ("formula-without-value", lambda d: None, [("支出决算表", "D6", "=40*2")], "READ-FORMULA", "错误", "支出决算表!D6"),
    ("name-is-logical", lambda d: None, [("单位信息", "B4", True)], "READ-TEXT", "错误", "单位信息!B4"),
    ("code-full-width", lambda d: None, [("支出决算表", "A6", "２０１０１０１")], "CODE-FORMAT", "提示", "支出决算表!A6"),
    ("count-is-date", lambda d: d["unit"].update(staff_actual=None), [("单位信息", "B14", __import__("datetime").datetime(2024, 3, 1))],
     "READ-COUNT", "错误", "单位信息!B14"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_workbook_gets_its_finding(case, minimal_data, make_workbook):
    """The clerk's mistake is reported with its rule, severity and cell."""
    _, change, cells, rule, severity, ref = case
    change(minimal_data)
    path = make_workbook(minimal_data)
    if cells:
        set_cells(path, *cells)
    _, findings = load(path)
    assert find(findings, rule, severity, ref), "\n".join(f.line() for f in findings)


def test_merged_cells_in_data_area(minimal_data, make_workbook):
    """Merged cells where values belong: 错误 naming the merged range."""
    path = make_workbook(minimal_data)
    wb = load_workbook(path)
    wb["支出决算表"].merge_cells("D6:E6")
    wb.save(path)
    _, findings = load(path)
    assert find(findings, "READ-MERGED", "错误", "支出决算表!D6:E6")


def test_consistent_fixture_has_no_findings(minimal_data, make_workbook):
    """The fixture every broken case starts from is clean: each case's finding is caused by its change."""
    _, findings = load(make_workbook(minimal_data))
    assert findings == []


def test_every_rule_has_a_failing_case():
    """Each declared rule is exercised by a broken workbook (PRIOR-DIFF, UNIT-* in test_batch, DEPT-PRIOR in
    test_consolidate, SELF-* in test_selfeval, READ-SKIPPED in test_hardening, the others below)."""
    covered = {c[3] for c in CASES} | {"READ-MERGED", "GLOSSARY-MISSING", "PRIOR-DIFF", "READ-OLD", "READ-SKIPPED"}
    covered |= {"DEPT-PRIOR"}  # test_consolidate
    covered |= {"UNIT-REPEAT", "UNIT-OTHER-YEAR"}  # test_batch
    covered |= {"SELF-ITEM", "SELF-SCORE", "SELF-WEIGHT", "SELF-FIGURE", "SELF-TOTAL"}
    assert set(RULES) <= covered, sorted(set(RULES) - covered)


def test_sum_message_names_both_numbers(minimal_data, make_workbook):
    """A wrong total says what was entered and what it must equal, with the parts."""
    minimal_data["t03"][0]["total"] = D("90")
    _, findings = load(make_workbook(minimal_data))
    (f,) = find(findings, "SUM-ROW")
    assert f.message == "行政运行 的本年支出合计 90.00 ≠ 基本支出 80.00 + 项目支出 0.00 + 上缴上级支出 0.00 + 经营支出 0.00 + 对附属单位补助支出 0.00 = 80.00"


def test_change_threshold_is_configurable(minimal_data, make_workbook):
    """A 10% change needs a reason by default; a higher threshold accepts it."""
    from dataclasses import replace

    from generator.check import Settings

    minimal_data["prior"]["total"] = D("80")  # 100 against 80: +20万元, +25%
    minimal_data["reasons"]["total"] = None
    path = make_workbook(minimal_data)
    assert find(load(path)[1], "REASON-MISSING")
    relaxed = replace(Settings.default(), change_percent=D(30))
    assert not find(load(path, relaxed)[1], "REASON-MISSING")


def test_huge_sheet_is_refused_with_its_limit(minimal_data, make_workbook):
    """A sheet longer than the documented 5000-row limit gets one sentence naming the sheet."""
    from generator.errors import WorkbookError

    path = make_workbook(minimal_data)
    wb = load_workbook(path)
    ws = wb["支出决算表"]
    for row in range(10, 5100):
        ws.cell(row, 4, 1)
    wb.save(path)
    with pytest.raises(WorkbookError, match="“支出决算表”表：超过了 5000 行的上限"):
        load(path)


def test_code_without_glossary_entry_is_a_hint(minimal_data, make_workbook):
    """An item the glossary cannot explain is left out of 名词解释 with a 提示 naming it."""
    from generator.words import narrate

    minimal_data["t03"].append({"code": "2019998", "name": "自编科目", "basic": D(0)})
    minimal_data["t06"].append({"code": "2019998", "name": "自编科目", "basic": D(1)})
    acc, _ = load(make_workbook(minimal_data))
    report = narrate(acc)
    assert [f.message for f in report.findings if f.rule == "GLOSSARY-MISSING"] == [
        "科目 2019998 自编科目 没有现成的名词解释，报告中未列出"]
    assert not any("自编科目" in e for e in report.sections["glossary"])


def test_workbook_from_older_version_reads_with_hints(minimal_data, make_workbook):
    """A workbook without the newest sheets (made by an older init) reads; each gap is a 提示."""
    path = make_workbook(minimal_data)
    wb = load_workbook(path)
    del wb["整体绩效指标"]
    wb.save(path)
    _, findings = load(path)
    assert find(findings, "READ-OLD", "提示", "整体绩效指标")
    assert not [f for f in findings if f.severity == "错误"]


def test_hidden_row_with_amounts_is_a_warning(minimal_data, make_workbook):
    """A hidden row still counts in the totals: the clerk is told at its code cell."""
    path = make_workbook(minimal_data)
    wb = load_workbook(path)
    ws = wb["支出决算表"]
    ws["A20"], ws["D20"] = "2010199", 500
    ws.row_dimensions[20].hidden = True
    wb.save(path)
    _, findings = load(path)
    assert find(findings, "READ-HIDDEN", "警告", "支出决算表!A20")
    assert find(findings, "BAL-NEGATIVE", "错误", "收入支出决算总表!D33")


def test_department_with_public_institutions_states_its_admin_part(minimal_data, make_workbook):
    """A 部门 holding 事业单位 compares 机关运行经费 with its 机关 公用经费, not with all 公用经费."""
    minimal_data["unit"]["subject"] = "部门"
    minimal_data["other"].update(running_costs=D("15"), admin_public_costs=D("15"))
    _, findings = load(make_workbook(minimal_data))
    assert not find(findings, "LINK-RUNNING")
    minimal_data["other"]["running_costs"] = D("20")
    _, findings = load(make_workbook(minimal_data, "二.xlsx"))
    assert find(findings, "LINK-RUNNING", "错误", "其他事项!B4")


def test_one_typo_one_finding_at_the_typed_cell(minimal_data, make_workbook):
    """A wrong 一般公共预算财政拨款收入 in the 总表 breaks several identities but is reported once, there."""
    minimal_data["t01"]["income_bottom"] = {"year_total": D("100"), "total": D("100")}
    minimal_data["t04"] = {"income": {"gpb": D("100")}}
    path = make_workbook(minimal_data)
    set_cells(path, ("收入支出决算总表", "B5", 110))
    _, findings = load(path)
    errors = [f for f in findings if f.severity == "错误"]
    assert [f.ref for f in errors] == ["收入支出决算总表!B5"], "\n".join(f.line() for f in errors)
    assert "110.00" in errors[0].message and "100.00" in errors[0].message


# ---------------------------------------------------------------- mutations of a real sample

ANJU = Path(__file__).resolve().parent.parent / "sample_inputs" / "四川-安居区社保局-2024年度单位决算.xlsx"
WELFARE = ANJU.with_name("示范区社会福利院-2024年度单位决算.xlsx")


def mutated(tmp_path, source, change):
    wb = load_workbook(source)
    change(wb)
    path = tmp_path / source.name
    wb.save(path)
    _, findings = load(path)
    return [f for f in findings if f.severity != "提示"]


def _add(ws, value, col=4):
    ws.cell(col=col, row=ws.max_row, value=(ws.cell(col=col, row=ws.max_row).value or 0) + value)


MUTATIONS = [
    ("basic-raised-by-10", ANJU, lambda wb: wb["支出决算表"].cell(6, 4, wb["支出决算表"]["D6"].value + 10),
     [("SUM-BALANCE", "错误", "收入支出决算总表!D31")]),
    ("row-below-the-table", ANJU, lambda wb: (wb["支出决算表"].cell(90, 1, "2080299"), wb["支出决算表"].cell(90, 4, 500)),
     [("SUM-BALANCE", "错误", "收入支出决算总表!D31"), ("READ-HIDDEN", "警告", "支出决算表!A90")]),
    ("budget-code-twice", ANJU, lambda wb: (wb["预算数"].cell(30, 1, wb["预算数"]["A4"].value), wb["预算数"].cell(30, 3, 5)),
     [("CODE-DUP", "错误", "预算数!A30")]),
    ("gpb-income-typo", ANJU, lambda wb: wb["收入支出决算总表"].cell(5, 2, wb["收入支出决算总表"]["B5"].value + 10),
     [("SUM-BALANCE", "错误", "收入支出决算总表!B5")]),
    # a 上海 workbook: the 总表's typed figure feeds several derived totals; found at that typed cell, not at a grey 合计
    ("shanghai-gpb-income-typo", ANJU.with_name("上海-示范区统计局-2024年度部门决算.xlsx"),
     lambda wb: wb["收入支出决算总表"].cell(5, 2, wb["收入支出决算总表"]["B5"].value + 10),
     [("LINK-TABLES", "错误", "收入支出决算总表!B5")]),
    ("amount-unit-cleared", WELFARE, lambda wb: wb["单位信息"]._cells.pop((10, 2)),
     [("UNIT-REQUIRED", "错误", "单位信息!B10"), ("UNIT-AMOUNT", "警告", "单位信息!B10")]),
    ("car-running-below-its-economic-line", WELFARE,  # 1.00 万元 against 30231 公务用车运行维护费 2.18
     lambda wb: wb["财政拨款“三公”经费支出决算表"].cell(6, 10, 10000),
     [("SG-ECONOMIC", "错误", "财政拨款“三公”经费支出决算表!J6")]),
]


@pytest.mark.parametrize("case", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_sample_mutation_is_caught_at_its_cell(tmp_path, case):
    """Each mistake a clerk makes in a real workbook gives exactly these findings, at these cells."""
    _, source, change, expected = case
    found = mutated(tmp_path, source, change)
    assert sorted((f.rule, f.severity, f.ref) for f in found) == sorted(expected), "\n".join(f.line() for f in found)


def test_check_workbook_marks_both_sides_of_a_disagreement(tmp_path):
    """The annotated workbook colours the cell blamed and the cells it disagrees with."""
    from generator.annotate import write_check_report

    wb = load_workbook(ANJU)
    wb["收入支出决算总表"]["B5"] = wb["收入支出决算总表"]["B5"].value + 10
    path = tmp_path / "typo.xlsx"
    wb.save(path)
    _, findings = load(path)
    (f,) = [f for f in findings if f.severity == "错误"]
    out = write_check_report(path, findings, tmp_path / "marked.xlsx")
    marked = load_workbook(out)["收入支出决算总表"]
    assert marked["B5"].comment is not None and "本年收入合计" in marked["B5"].comment.text
    assert f.also and all(marked[ref.split("!")[1]].comment is not None
                          for ref in f.also if ref.startswith("收入支出决算总表!"))


def test_blank_rearranged_tables_are_derived(minimal_data, make_workbook):
    """表5 and 表7 left blank (表7's code rows pre-filled) are built from 表6/10/12 and 表8/9, without findings."""
    del minimal_data["t05"], minimal_data["t07"]
    acc, findings = load(make_workbook(minimal_data))
    assert findings == []
    t05, t07 = acc.tables["t05"], acc.tables["t07"]
    assert (t05.total["gpb"], t05.line("2010102").values["total"]) == (D("100"), D("20"))
    assert (t07.total["basic"], t07.total["project"], t07.line("30201").values["basic"]) == (D("80"), D("20"), D("20"))


# ---------------------------------------------------------------- findings at the cells typed (issue 21 point 3)

def _income_typo(tmp_path) -> Path:
    wb = load_workbook(ANJU)
    wb["收入决算表"]["D6"] = wb["收入决算表"]["D6"].value + 10
    path = tmp_path / "income.xlsx"
    wb.save(path)
    return path


def test_typed_column_against_typed_total_is_located_at_the_typed_cells(tmp_path):
    """A typed figure of a column summed by the program, against a typed 总表 figure: the finding names
    the typed cells (not the grey 合计 the program fills), states the difference and which side the
    other tables support."""
    from openpyxl.utils import range_boundaries

    _, findings = load(_income_typo(tmp_path))
    (f,) = [f for f in findings if f.severity == "错误"]
    sheet, _, cells = f.ref.partition("!")
    assert sheet == "收入决算表"
    min_col, min_row, max_col, max_row = range_boundaries(cells if ":" in cells else f"{cells}:{cells}")
    assert min_col <= 4 <= max_col and min_row <= 6 <= max_row and min_row > 5, f.ref  # D6 inside, not the 合计 row
    assert "相差 10.00 万元" in f.message
    assert "其他表支持 1313.50" in f.message
    assert "收入支出决算总表!B31" in f.also  # the typed figure on the other side
    assert ("收入决算表!C5", "1323.50") in f.shown


def test_check_workbook_marks_the_typed_cells_and_shows_derived_values(tmp_path):
    """The marked copy: the typed cell has a fill and a border, the grey 合计 shows the figure the program
    derived (not an empty pink cell), the other side is marked; rule names are Chinese, codes in small print."""
    from generator.annotate import write_check_report

    path = _income_typo(tmp_path)
    _, findings = load(path)
    out = write_check_report(path, findings, tmp_path / "marked.xlsx")
    wb = load_workbook(out)
    income = wb["收入决算表"]
    assert income["D6"].fill.fgColor.rgb.endswith("FFC7CE") and income["D6"].border.left.style == "medium"
    assert income["C5"].value == pytest.approx(1323.5) and income["C5"].comment is not None
    assert wb["收入支出决算总表"]["B31"].comment is not None
    report = wb["检查结果"]
    header = [c.value for c in report[1]]
    assert header[:5] == ["序号", "级别", "问题", "位置", "说明"]
    row = next(r for r in report.iter_rows(min_row=2) if r[1].value == "错误")
    assert row[2].value == "表间勾稽" and row[5].value == "LINK-TABLES" and row[5].font.sz <= 9
    assert "LINK-TABLES" not in (income["D6"].comment.text or "")


def test_every_rule_has_a_chinese_name():
    from generator.check import RULE_NAMES, rule_name

    assert set(RULES) <= set(RULE_NAMES)
    assert all(re.search(r"[\u4e00-\u9fff]", rule_name(r)) and not re.search(r"[A-Z]{3}", rule_name(r)) for r in RULES)


def test_check_workbook_prints_readably(tmp_path):
    """Printed: 说明 wrapped in rows tall enough, empty input grids not printed, no sheet squeezed onto
    one page width when it is several pages wide, 填表说明's long lines within the page."""
    from generator.annotate import write_check_report

    path = _income_typo(tmp_path)
    _, findings = load(path)
    wb = load_workbook(write_check_report(path, findings, tmp_path / "marked.xlsx"))
    report = wb["检查结果"]
    long_row = next(r[0].row for r in report.iter_rows(min_row=2) if r[1].value == "错误")
    assert report.cell(long_row, 5).alignment.wrap_text and report.row_dimensions[long_row].height >= 60
    fund = wb["政府性基金预算财政拨款收入支出决算表"]  # the sample has no 政府性基金
    assert fund.sheet_state == "hidden"
    income = wb["收入决算表"]
    assert str(income.print_area).endswith("$15")  # down to its last filled row, not 65 empty ones
    wide = wb["项目绩效自评"]
    assert wide.page_setup.fitToWidth >= 2
    notes = wb["填表说明"]
    tall = [r for r in range(1, notes.max_row + 1) if len(str(notes.cell(r, 1).value or "")) > 60]
    assert tall and all(notes.row_dimensions[r].height and notes.row_dimensions[r].height >= 30 for r in tall)


def test_negative_derived_balance_is_shown_in_its_grey_cell(tmp_path, minimal_data, make_workbook):
    """A balance the program derives below zero: the check workbook writes the figure into the (blank) cell it names."""
    from generator.annotate import write_check_report

    minimal_data["t03"][0].update(basic=D("90"))
    path = make_workbook(minimal_data)
    _, findings = load(path)
    [f] = [f for f in findings if f.rule == "BAL-NEGATIVE"]
    wb = load_workbook(write_check_report(path, findings, tmp_path / "m.xlsx"))
    sheet, cell = f.ref.split("!")
    assert wb[sheet][cell].value is not None and wb[sheet][cell].value < 0


def test_two_places_that_disagree_say_neither_is_known_right():
    """A figure printed in two places only, no third to compare: the finding says the program cannot tell which
    is wrong; with a third place agreeing with one side, it says which figure the other tables support."""
    from generator.identities import Identity, Source, identity_findings

    typed = Source("甲表 合计", D("100"), "甲表!B5", True)
    other = Source("乙表 合计", D("90"), "乙表!C9", True)
    found = identity_findings([Identity("LINK-TABLES", "本年收入合计", (typed, other))])
    assert sorted(f.ref for f in found) == ["乙表!C9", "甲表!B5"]  # both suspected, each told
    assert all("相差 10.00 万元" in f.message and "两处都请核对" in f.message for f in found)
    third = Source("丙表 合计", D("90"), "丙表!D4", True)
    [f] = identity_findings([Identity("LINK-TABLES", "本年收入合计", (typed, other, third))])
    assert f.ref == "甲表!B5" and "其他表支持 90.00" in f.message and "两处都请核对" not in f.message, f.message


COMPARED = [c for c in __import__("generator.check", fromlist=["Settings"]).Settings.default().compared]


@pytest.mark.parametrize("item", COMPARED, ids=lambda c: f"{c['reason']}")
def test_every_compared_total_needs_its_reason(minimal_data, make_workbook, item):
    """Each total the text compares (checks.toml `compared`: 本年收入合计, 本年支出合计, 总计, the 三公
    items, 决算 against 预算 …) changed past the README threshold without its 说明文字 reason is a
    REASON-MISSING warning on that reason's cell, naming the figures and the field to fill; with the
    reason filled, it is not."""
    from generator.check import _figures

    path = make_workbook(minimal_data)
    acc, _ = load(path)
    now = _figures(acc).get(item["figure"], D(0))
    if item.get("against") == "budget":
        minimal_data["t13"] = {"reception": {"budget": now + D(50), "actual": now}}
    else:
        minimal_data["prior"][item["prior"]] = now + D(50)
    minimal_data["reasons"][item["reason"]] = None
    acc, findings = load(make_workbook(minimal_data))
    ref = acc.refs[f"reasons.{item['reason']}"]
    assert ref.startswith("说明文字!B") and not ref.endswith("?")
    [f] = find(findings, "REASON-MISSING", "警告", ref)
    assert "变动较大" in f.message and "减少50.00万元" in f.message and "原因”" in f.message
    minimal_data["reasons"][item["reason"]] = "业务调整"
    assert not find(load(make_workbook(minimal_data))[1], "REASON-MISSING", ref=ref)


def test_yanjiang_fall_of_95_percent_is_found(tmp_path):
    """Blocking defect 3: 雁江 2020's 本年收入合计 falls 95.72% and 本年支出合计 94.87%; without the
    reasons these are two REASON-MISSING warnings (before: 0 findings)."""
    import build_samples
    from generator.workbook import write_workbook

    data = build_samples.yanjiang()
    for key in ("income_year", "expense_year"):
        data["reasons"].pop(key, None)
    path = tmp_path / "雁江.xlsx"
    write_workbook(path, data)
    found = find(load(path)[1], "REASON-MISSING")
    text = " ".join(f.message for f in found)
    assert len(found) == 2 and "下降95.72%" in text and "下降94.87%" in text
    assert "本年收入合计变动原因" in text and "本年支出合计变动原因" in text
