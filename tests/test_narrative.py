"""Sections of the report built from small workbooks: the edge cases a clerk will meet."""

from __future__ import annotations

from decimal import Decimal as D

from generator.words import narrate
from report_sections import chart, text
from generator.pipeline import load


def report(make_workbook, data):
    acc, _ = load(make_workbook(data))
    return narrate(acc)


def paras(r, *path):
    return text(r, *path)


def test_change_with_reason(make_workbook, minimal_data):
    """100 against 90 with a reason: 增加10.00万元，增长11.11%，主要变动原因是…。"""
    text = paras(report(make_workbook, minimal_data), "s1")
    assert "与2023年相比，收入、支出总计各增加10.00万元，增长11.11%，主要变动原因是业务量增加。" in text


def test_missing_reason_leaves_no_placeholder(make_workbook, minimal_data):
    """No reason given: the sentence ends after the figures; nothing like "……" or "XXX" appears."""
    minimal_data["reasons"]["total"] = None
    text = paras(report(make_workbook, minimal_data), "s1")
    assert "各增加10.00万元，增长11.11%。" in text and "原因" not in text.split("。")[1]


def test_missing_prior_year_gives_no_comparison_and_no_bar_chart(make_workbook, minimal_data):
    """Without last year's 总计 the sentence states this year only, and 图1 is not drawn."""
    minimal_data["prior"]["total"] = None
    r = report(make_workbook, minimal_data)
    assert paras(r, "s1").startswith("2024年度收入、支出总计各100.00万元。其中")
    assert "total" not in [c.key for c in r.charts]
    assert [c.number for c in r.charts] == list(range(1, len(r.charts) + 1))


def test_equal_to_prior_is_flat(make_workbook, minimal_data):
    """100.004 against 100: equal once written → 持平, no percentage."""
    minimal_data["prior"]["total"] = D("100.004")
    assert "与2023年相比，收入、支出总计持平" in paras(report(make_workbook, minimal_data), "s1")


def test_new_fund_spending_has_no_percentage(make_workbook, minimal_data):
    """Prior 0, this year 政府性基金 spending: "上年无此项支出，本年新增…", no percentage."""
    minimal_data["t01"]["income"]["fund"] = D("5")
    minimal_data["t10"] = [{"code": "2296002", "income": D("5"), "project": D("5")}]
    minimal_data["t03"].append({"code": "2296002", "project": D("5")})
    minimal_data["prior"]["fund_expense"] = D("0")
    text = paras(report(make_workbook, minimal_data), "s8")
    assert "政府性基金预算财政拨款支出上年无此项支出，本年新增5.00万元" in text and "%。" not in text.split("新增")[1]


def test_zero_budget_item_says_not_budgeted(make_workbook, minimal_data):
    """An item with a 0 budget: "年初未安排预算", never "完成预算0%" or a division by zero."""
    minimal_data["budget"][1]["initial"] = D("0")
    text = paras(report(make_workbook, minimal_data), "s5", "detail")
    assert "一般行政管理事务（项）：支出决算为20.00万元，年初未安排预算" in text
    assert "完成预算0" not in text


def test_budget_shortfall_names_its_reason(make_workbook, minimal_data):
    """20 spent of a 25 budget: 完成预算80.00%，决算数小于预算数，主要原因是…"""
    minimal_data["budget"][1]["reason"] = "部分培训改为线上"
    text = paras(report(make_workbook, minimal_data), "s5", "detail")
    assert "完成预算80.00%，决算数小于预算数，主要原因是部分培训改为线上。" in text


def test_shares_in_one_sentence_add_to_100(make_workbook, minimal_data):
    """三: 80 and 20 of 100 read 80.00% and 20.00%; 五（二）: one class is the whole, said in words, no pie."""
    r = report(make_workbook, minimal_data)
    assert "基本支出80.00万元，占80.00%；项目支出20.00万元，占20.00%" in paras(r, "s3")
    assert "一般公共预算财政拨款支出100.00万元，全部用于一般公共服务支出。" in paras(r, "s5", "structure")
    assert chart(r, "s5", "structure") is None


def test_basic_expenditure_lists_nonzero_items(make_workbook, minimal_data):
    """六: 人员经费 and 公用经费 name exactly the non-zero rows of the 基本支出 table."""
    text = paras(report(make_workbook, minimal_data), "s6")
    assert text == "2024年一般公共预算财政拨款基本支出80.00万元，其中：人员经费60.00万元，主要包括：基本工资；公用经费20.00万元，主要包括：办公费。"


def test_administrative_unit_running_costs(make_workbook, minimal_data):
    """十（一）: a 行政单位 states 机关运行经费 with its change against last year."""
    text = paras(report(make_workbook, minimal_data), "s10", "running")
    assert text == "2024年，测试单位机关运行经费支出20.00万元，比2023年增加1.00万元，增长5.26%。"


def test_department_wording_follows_the_workbook(make_workbook, minimal_data):
    """公开主体 = 部门: the sentences say 本部门."""
    minimal_data["unit"]["subject"] = "部门"
    r = report(make_workbook, minimal_data)
    assert "本部门无政府性基金预算财政拨款收入和支出" in paras(r, "s8")
