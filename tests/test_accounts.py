"""Tests of the derivation in generator.accounts: blanks derived, entered totals checked.

Every workbook here is written with the project's own writer (`make_workbook`) and read
back through the real pipeline (`generator.pipeline.load` = read → resolve → check).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.findings import ERROR, HINT, WARNING
from generator.words import narrate
from generator.pipeline import load

D = Decimal


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


def t03_rows(*extra, total=None):
    """支出决算表 rows: the two 项 of the minimal workbook plus `extra` rows (and a 合计 row)."""
    rows = [{"code": "2010101", "basic": D("80")}, {"code": "2010102", "project": D("20")}, *extra]
    if total is not None:
        rows.append({"code": None, **total})
    return rows


def report_text(acc) -> str:
    """Every sentence of the narrative (what ends up in the Word body)."""
    return "\n".join(p for block in narrate(acc).outline for p in block.paras)


# ---------------------------------------------------------------- derivation of 款/类/合计

def test_only_items_entered_derives_kuan_lei_and_total(make_workbook, minimal_data):
    """Only 项 rows entered: the 款, 类 and 合计 are derived, named from the code list."""
    acc, findings = load(make_workbook(minimal_data))
    t03 = acc.tables["t03"]
    assert [(l.code, l.name, l.level) for l in t03.lines] == [
        ("201", "一般公共服务支出", "类"),
        ("20101", "人大事务", "款"),
        ("2010101", "行政运行", "项"),
        ("2010102", "一般行政管理事务", "项"),
    ]
    assert t03.line("201").values["basic"] == D("80")
    assert t03.line("201").values["project"] == D("20")
    assert t03.line("20101").values["total"] == D("100")
    assert t03.line("2010101").values["total"] == D("80")  # 本年支出合计 = 基本 + 项目 + …
    assert t03.total["total"] == D("100")
    assert t03.total["basic"] == D("80")
    assert t03.line("201").ref is None  # derived, not entered
    assert not [f for f in findings if f.rule.startswith(("SUM-", "CODE-", "READ-"))]


def test_derived_class_reaches_the_summary_table(make_workbook, minimal_data):
    """The 收入支出决算总表 class row and 本年支出合计 are derived from the 支出决算表."""
    acc, _ = load(make_workbook(minimal_data))
    t01 = acc.tables["t01"]
    assert t01.classes["201"]["amount"] == D("100")
    assert t01.expense_bottom["year_total"]["amount"] == D("100")
    assert t01.income_bottom["total"] == D("100")


def test_entered_agreeing_lei_kuan_total_not_double_counted(make_workbook, minimal_data):
    """Entered 类, 款 and 合计 rows that agree are checked, not added a second time."""
    minimal_data["t03"] = t03_rows(
        {"code": "201", "name": "一般公共服务支出", "total": D("100"), "basic": D("80"), "project": D("20")},
        {"code": "20101", "name": "人大事务", "total": D("100"), "basic": D("80"), "project": D("20")},
        total={"total": D("100"), "basic": D("80"), "project": D("20")},
    )
    acc, findings = load(make_workbook(minimal_data))
    t03 = acc.tables["t03"]
    assert t03.total["total"] == D("100")
    assert t03.line("201").values["total"] == D("100")
    assert t03.line("20101").values["basic"] == D("80")
    assert t03.line("201").ref == "支出决算表!A8"  # the entered row is used, not a derived twin
    assert [l.code for l in t03.lines].count("201") == 1
    assert acc.tables["t01"].expense_bottom["year_total"]["amount"] == D("100")
    assert not [f for f in findings if f.rule.startswith(("SUM-", "LINK-"))]


# ---------------------------------------------------------------- entered totals that disagree

def test_total_row_off_by_more_than_rounding_is_error(make_workbook, minimal_data):
    """An entered 合计 50 away from the sum of the 类 is an 错误 SUM-TOTAL naming cell and both numbers."""
    minimal_data["t03"] = t03_rows(total={"basic": D("130")})
    acc, findings = load(make_workbook(minimal_data))
    found = by_rule(findings, "SUM-TOTAL")
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.ref) == (ERROR, "支出决算表!D5")
    assert f.message == "合计行的基本支出 130.00 ≠ 201 一般公共服务支出 80.00"
    assert acc.tables["t03"].total["basic"] == D("130")  # the entered value is kept


def test_lei_row_disagreeing_with_kuan_is_sum_tree_error(make_workbook, minimal_data):
    """An entered 类 row that is not the sum of its 款 is an 错误 SUM-TREE at that cell."""
    minimal_data["t03"] = t03_rows({"code": "201", "basic": D("90")})
    _, findings = load(make_workbook(minimal_data))
    found = by_rule(findings, "SUM-TREE")
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.ref) == (ERROR, "支出决算表!D8")
    assert "90.00" in f.message and "80.00" in f.message
    assert f.message == "一般公共服务支出 的基本支出 90.00 ≠ 20101 人大事务 80.00"


def test_kuan_row_disagreeing_with_items_is_sum_tree_error(make_workbook, minimal_data):
    """An entered 款 row that is not the sum of its 项 names both 项 and their sum."""
    minimal_data["t03"] = t03_rows({"code": "20101", "project": D("25")})
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "SUM-TREE")
    assert (f.severity, f.ref) == (ERROR, "支出决算表!E8")
    assert f.message == "人大事务 的项目支出 25.00 ≠ 2010101 行政运行 0.00 + 2010102 一般行政管理事务 20.00 = 20.00"


def test_total_off_by_one_cent_is_hint(make_workbook, minimal_data):
    """A 合计 0.01 away from the sum (one 类) is only a 提示 about rounding."""
    minimal_data["t03"] = t03_rows(total={"basic": D("80.01")})
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "SUM-TOTAL")
    assert (f.severity, f.ref) == (HINT, "支出决算表!D5")
    assert f.message == "合计行的基本支出 80.01 ≠ 201 一般公共服务支出 80.00（相差不超过 0.01 万元/项，视为四舍五入差异）"
    assert not [x for x in findings if x.severity == ERROR and x.rule.startswith("SUM-")]


def test_two_cents_over_one_class_is_error(make_workbook, minimal_data):
    """0.02 over one summed item is more than rounding: an 错误."""
    minimal_data["t03"] = t03_rows(total={"basic": D("80.02")})
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "SUM-TOTAL")
    assert f.severity == ERROR


def test_row_formula_mismatch_is_sum_row(make_workbook, minimal_data):
    """本年支出合计 ≠ 基本 + 项目 on a row gives SUM-ROW listing each part."""
    minimal_data["t06"] = [{"code": "2010101", "total": D("110"), "basic": D("80"), "project": D("20")}]
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "SUM-ROW")
    assert (f.severity, f.ref) == (ERROR, "一般公共预算财政拨款支出决算表!C6")
    assert f.message == "行政运行 的合计 110.00 ≠ 基本支出 80.00 + 项目支出 20.00 = 100.00"


def test_row_formula_mismatch_in_expense_table(make_workbook, minimal_data):
    """In the 支出决算表 the SUM-ROW message shows "≠ 基本支出 80.00 + 项目支出 20.00 + …"."""
    minimal_data["t03"] = [{"code": "2010101", "total": D("90"), "basic": D("80"), "project": D("20")}]
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "SUM-ROW")
    assert (f.severity, f.ref) == (ERROR, "支出决算表!C6")
    assert f.message.startswith("行政运行 的本年支出合计 90.00 ≠ 基本支出 80.00 + 项目支出 20.00 + ")
    assert f.message.endswith(" = 100.00")


# ---------------------------------------------------------------- amount unit

def _scaled(data, factor):
    if isinstance(data, Decimal):
        return data * factor
    if isinstance(data, dict):
        return {k: _scaled(v, factor) for k, v in data.items()}
    if isinstance(data, list):
        return [_scaled(v, factor) for v in data]
    return data


def test_amount_unit_yuan_divides_by_10000(make_workbook, minimal_data):
    """With 金额单位 = 元 every amount is read in 万元 (÷ 10000), giving the same accounts."""
    acc_wan, findings_wan = load(make_workbook(minimal_data, "万元.xlsx"))
    yuan = _scaled(minimal_data, 10000)
    yuan["unit"]["amount_unit"] = "元"
    acc, findings = load(make_workbook(yuan, "元.xlsx"))
    assert acc.tables["t03"].line("2010101").values["basic"] == D("80")
    assert acc.tables["t03"].total["total"] == D("100")
    assert acc.tables["t01"].income["gpb"] == D("100")
    assert acc.prior["total"] == D("90")
    assert acc.other["running_costs"] == D("20")
    assert acc.budget[1]["initial"] == D("25")
    assert [(f.rule, f.severity, f.ref) for f in findings] == [(f.rule, f.severity, f.ref) for f in findings_wan]
    assert narrate(acc).figures == narrate(acc_wan).figures


def test_amount_unit_yuan_small_amount_keeps_precision(make_workbook, minimal_data):
    """123.45 元 is read as 0.012345 万元, unrounded."""
    minimal_data["unit"]["amount_unit"] = "元"
    minimal_data["other"]["proc_goods"] = D("123.45")
    acc, _ = load(make_workbook(minimal_data))
    assert acc.other["proc_goods"] == D("0.012345")


# ---------------------------------------------------------------- codes and names

def _replace_code(data, old, new, name=None, tables=("t02", "t03", "t05", "t06")):
    for tid in tables:
        for row in data[tid]:
            if row.get("code") == old:
                row["code"] = new
                if name:
                    row["name"] = name
    for row in data["budget"]:
        if row["code"] == old:
            row["code"] = new


def test_unknown_code_with_name_is_warning_and_name_used(make_workbook, minimal_data):
    """An unknown 7-digit code with a name: 警告 CODE-UNKNOWN, the workbook's name is used."""
    _replace_code(minimal_data, "2010102", "2010188", "测试专项支出")
    acc, findings = load(make_workbook(minimal_data))
    unknown = by_rule(findings, "CODE-UNKNOWN")
    assert {(f.severity, f.ref) for f in unknown} == {
        (WARNING, "收入决算表!A7"), (WARNING, "支出决算表!A7"),
        (WARNING, "财政拨款支出决算明细表!A7"), (WARNING, "一般公共预算财政拨款支出决算表!A7")}
    assert {f.message for f in unknown} == {"科目编码 2010188 不在本程序的科目表中，使用表中名称“测试专项支出”；请核对编码"}
    line = acc.tables["t06"].line("2010188")
    assert (line.name, line.level, line.values["total"]) == ("测试专项支出", "项", D("20"))
    assert acc.tables["t06"].line("20101").name == "人大事务"
    assert "一般公共服务支出（类）人大事务（款）测试专项支出（项）" in report_text(acc)


def test_unknown_code_without_name_is_error(make_workbook, minimal_data):
    """An unknown code with no name is an 错误 asking for the name."""
    minimal_data["t03"][1]["code"] = "2010188"
    _, findings = load(make_workbook(minimal_data))
    (f,) = [f for f in by_rule(findings, "CODE-UNKNOWN") if f.ref == "支出决算表!A7"]
    assert f.severity == ERROR
    assert f.message == "科目编码 2010188 不在科目表中，请在“科目名称”列填写名称"


def test_outdated_name_is_warning_and_current_name_reported(make_workbook, minimal_data):
    """A known code typed with its retired name: 警告 CODE-NAME; the report uses the current name."""
    _replace_code(minimal_data, "2010102", "2080102", tables=("t02", "t03", "t05"))
    minimal_data["t06"][1].update(code="2080102", name="一般行政事务管理")
    acc, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "CODE-NAME")
    assert (f.severity, f.ref) == (WARNING, "一般公共预算财政拨款支出决算表!A7")
    assert f.message == ("科目 2080102 的名称“一般行政事务管理”是已停用的旧名称，现行名称为“一般行政管理事务”；报告使用现行名称")
    assert acc.tables["t06"].line("2080102").name == "一般行政管理事务"
    text = report_text(acc)
    assert "一般行政管理事务（项）" in text
    assert "一般行政事务管理" not in text


def test_wrong_name_is_warning_and_current_name_reported(make_workbook, minimal_data):
    """A known code typed with an unrelated name: 警告 CODE-NAME “与编码不符”; the report uses the list's name."""
    minimal_data["t06"][0]["name"] = "机关服务"
    acc, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "CODE-NAME")
    assert (f.severity, f.ref) == (WARNING, "一般公共预算财政拨款支出决算表!A6")
    assert f.message == "科目 2010101 的名称“机关服务”与编码不符，现行名称为“行政运行”；报告使用现行名称"
    assert acc.tables["t06"].line("2010101").name == "行政运行"
    assert "人大事务（款）行政运行（项）" in report_text(acc)


def test_name_with_spaces_is_not_a_mismatch(make_workbook, minimal_data):
    """The current name typed with stray spaces is accepted without a finding."""
    minimal_data["t06"][0]["name"] = " 行政 运行 "
    _, findings = load(make_workbook(minimal_data))
    assert by_rule(findings, "CODE-NAME") == []


# ---------------------------------------------------------------- amounts typed as text

def test_thousands_separator_text_reads_with_hint(make_workbook, minimal_data):
    """An amount typed "1,234.50" is read as 1234.50 with a 提示 at that cell."""
    minimal_data["other"]["proc_goods"] = "1,234.50"
    acc, findings = load(make_workbook(minimal_data))
    assert acc.other["proc_goods"] == D("1234.50")
    (f,) = by_rule(findings, "READ-AMOUNT")
    assert (f.severity, f.ref, f.message) == (HINT, "其他事项!B6", "文字“1,234.50”按数字 1234.50 读取")


def test_full_width_digits_read_with_hint(make_workbook, minimal_data):
    """Full-width "８０" in a table cell is read as 80 with a 提示; the totals are unchanged."""
    minimal_data["t03"][0]["basic"] = "８０"
    acc, findings = load(make_workbook(minimal_data))
    assert acc.tables["t03"].line("2010101").values["basic"] == D("80")
    assert acc.tables["t03"].total["total"] == D("100")
    (f,) = by_rule(findings, "READ-AMOUNT")
    assert (f.severity, f.ref, f.message) == (HINT, "支出决算表!D6", "文字“８０”按数字 80 读取")
    assert not [x for x in findings if x.severity == ERROR]


def test_amount_with_wan_suffix_is_error_at_cell(make_workbook, minimal_data):
    """"12万" in an amount cell is an 错误 READ-AMOUNT at exactly that cell."""
    minimal_data["t03"][1]["project"] = "12万"
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "READ-AMOUNT")
    assert (f.severity, f.ref) == (ERROR, "支出决算表!E7")
    assert f.message == "应填金额（数字），实为“12万”；请只填数字，不带单位、汉字或符号"


def test_amount_with_wan_suffix_in_form_is_error_at_cell(make_workbook, minimal_data):
    """"12万" in a form's money field is an 错误 at the value cell of that field."""
    minimal_data["prior"]["total"] = "12万"
    _, findings = load(make_workbook(minimal_data))
    (f,) = by_rule(findings, "READ-AMOUNT")
    assert (f.severity, f.ref) == (ERROR, "上年数!B4")


@pytest.mark.parametrize("typed", ["１，２３４．５０", "1，234.50"])
def test_full_width_thousands_separator(make_workbook, minimal_data, typed):
    """Full-width digits with a (full-width) thousands comma read as 1234.50."""
    minimal_data["other"]["proc_goods"] = typed
    acc, findings = load(make_workbook(minimal_data))
    assert acc.other["proc_goods"] == D("1234.50")
    assert [f.severity for f in by_rule(findings, "READ-AMOUNT")] == [HINT]
