"""The clauses of the Sichuan layout's sentences (macros in data/profiles/sichuan-2024/sentences.toml):
changes, comparisons, shares, budget completion and counts, on the figures of the published reports."""

from __future__ import annotations

from decimal import Decimal

from generator.figures import change as _change
from generator.figures import done as _done
from generator.money import DEFAULT_STYLE, share_list_values, share_value
from generator.profiles import profile
from generator.words import templates

_T = templates(profile("sichuan-2024"))


def _say(expr: str, **values) -> str:
    """One macro call of the layout, rendered as the report renders it."""
    return "".join(_T.paragraphs(f"test:{expr}", _T.bind(dict({"prior_year": 2023}, **values)), "{{ " + expr + " }}"))


def change(now, prior, each=False):
    c = _change(now, prior)
    return _say("clause(c, each)", c=c, each=each) if c.known else None


def compared(subject, now, prior, prior_year, reason=None, each=False):
    return _say("compared(subject, c, reason, each)", subject=subject, c=_change(now, prior), reason=reason,
                each=each, prior_year=prior_year)


def versus_prior(now, prior, prior_year, lead="较"):
    return _say("versus(c, lead)", c=_change(now, prior), lead=lead, prior_year=prior_year)


def reason_clause(reason, lead="主要变动原因是"):
    return _say("rc(reason, lead)", reason=reason, lead=lead)


def completion(actual, budget):
    return _say("completion(d)", d=_done(actual, budget)) or None


def versus_budget(actual, budget):
    return None if budget is None else _say("vs_budget(d)", d=_done(actual, budget))


def share_items(items):
    present = [(n, v) for n, v in items if v != 0]
    if not present:
        return []
    shares = share_list_values([v for _, v in present], DEFAULT_STYLE)
    return [(n, v, DEFAULT_STYLE.percent(s)) for (n, v), s in zip(present, shares)]


def share_list(items, joiner="；", fmt=None):
    if fmt is not None:  # the layout's own list pattern is a template; this keeps the old custom-format case
        return joiner.join(fmt.format(name=n, amount=f"{v:.2f}万元", share=s) for n, v, s in items)
    from generator.figures import Item
    parts = [Item(n, v, share_list_values([x for _, x, _ in items], DEFAULT_STYLE)[i]) for i, (n, v, _) in enumerate(items)]
    return _say("share_list(parts)", parts=parts)


def share_of(part, whole):
    value = share_value(part, whole, DEFAULT_STYLE)
    return None if value is None else DEFAULT_STYLE.percent(value)


def count_items(pairs, unit, amounts=None):
    if amounts is None:
        return _say("count_items(things, unit)", things=[{"name": n, "count": c} for n, c in pairs], unit=unit)
    return _say("count_amounts(things, unit)",
                things=[{"name": n, "count": c, "amount": a} for (n, c), a in zip(pairs, amounts)], unit=unit)


D = Decimal


# ---------------------------------------------------------------- change

def test_change_decrease_2024_total():
    """收入、支出总计 1313.50 vs 1727.58 reads 减少414.08万元，下降23.97% (2024 report)."""
    assert change(D("1313.50"), D("1727.58")) == "减少414.08万元，下降23.97%"


def test_change_decrease_reception_2020():
    """公务接待费 0.37 vs 0.48 reads 减少0.11万元，下降22.92% (2020 report)."""
    assert change(D("0.37"), D("0.48")) == "减少0.11万元，下降22.92%"


def test_change_decrease_public_costs_2020():
    """公用经费 29.06 vs 36.47 reads 减少7.41万元，下降20.32% (2020 report)."""
    assert change(D("29.06"), D("36.47")) == "减少7.41万元，下降20.32%"


def test_change_increase_2020():
    """437.66 vs 426.33 reads 增加11.33万元，增长2.66% (2020 report wrote 上升; 增长 is the convention)."""
    assert change(D("437.66"), D("426.33")) == "增加11.33万元，增长2.66%"


def test_change_each_for_paired_totals():
    """Paired totals read 各减少… (收入、支出总计各减少414.08万元)."""
    assert change(D("1313.50"), D("1727.58"), each=True) == "各减少414.08万元，下降23.97%"


def test_change_each_increase():
    """Paired totals that grew read 各增加…."""
    assert change(D("5"), D("4"), each=True) == "各增加1.00万元，增长25.00%"


def test_change_equal_is_flat():
    """Equal figures read 持平."""
    assert change(D("1313.50"), D("1313.50")) == "持平"


def test_change_equal_after_rounding_is_flat():
    """5.00 and 5.004 both read 5.00万元, so the clause is 持平, not a 0.00万元 change."""
    assert change(D("5"), D("5.004")) == "持平"


def test_change_both_zero_is_flat():
    """0 this year and 0 last year is 持平 (no 0/0 percentage)."""
    assert change(D("0"), D("0")) == "持平"


def test_change_one_cent_difference_is_a_change():
    """A difference of 0.01万元 is written, not called 持平."""
    assert change(D("1.01"), D("1.00")) == "增加0.01万元，增长1.00%"


def test_change_new_item_has_no_percentage():
    """Prior year 0 and this year 5 reads 上年无此项支出，本年新增5.00万元 (no percentage)."""
    assert change(D("5"), D("0")) == "上年无此项支出，本年新增5.00万元"


def test_change_dropped_item_is_minus_hundred_percent():
    """This year 0 and prior 0.70 (三公 2024) reads 减少0.70万元，下降100.00%."""
    assert change(D("0"), D("0.70")) == "减少0.70万元，下降100.00%"


def test_change_unknown_prior_is_none():
    """Without a prior-year figure there is no clause (None)."""
    assert change(D("5"), None) is None


def test_change_amount_keeps_trailing_zero():
    """0.7万元 is written 0.70万元, never 0.7万元 (the 2024 三公 defect)."""
    assert change(D("0"), D("0.7")) == "减少0.70万元，下降100.00%"


def test_change_agrees_with_written_figures():
    """The change reads as the difference of the figures as written (3.01 vs 2.00 → 增加1.01万元，增长50.50%)."""
    assert change(D("3.006"), D("2.004")) == "增加1.01万元，增长50.50%"


def test_change_prior_written_as_zero_has_no_percentage():
    """A prior year that reads 0.00万元 gets the new-item clause, not a huge percentage."""
    assert "%" not in change(D("5"), D("0.004"))


def test_change_now_written_as_zero_is_minus_hundred_percent():
    """This year reading 0.00万元 against 5.00 reads 下降100.00%."""
    assert change(D("0.004"), D("5")) == "减少5.00万元，下降100.00%"


# ---------------------------------------------------------------- compared

def test_compared_with_reason():
    """A change with a reason reads 与2019年相比，…，主要变动原因是…。 (trailing 。 of the reason dropped)."""
    assert (compared("公用经费", D("29.06"), D("36.47"), 2019, "厉行节约同时人员退休减少。")
            == "与2019年相比，公用经费减少7.41万元，下降20.32%，主要变动原因是厉行节约同时人员退休减少。")


def test_compared_each_for_paired_totals_2024():
    """The 2024 总计 sentence: 与2023年相比，收入、支出总计各减少414.08万元，下降23.97%，主要变动原因是…。"""
    assert (compared("收入、支出总计", D("1313.50"), D("1727.58"), 2023, "抚恤金减少", each=True)
            == "与2023年相比，收入、支出总计各减少414.08万元，下降23.97%，主要变动原因是抚恤金减少。")


def test_compared_without_reason():
    """Without a reason the sentence ends after the change."""
    assert compared("公用经费", D("29.06"), D("36.47"), 2019) == "与2019年相比，公用经费减少7.41万元，下降20.32%。"


def test_compared_flat():
    """Equal figures read 与2019年相比，公用经费持平。"""
    assert compared("公用经费", D("29.06"), D("29.06"), 2019) == "与2019年相比，公用经费持平。"


def test_compared_flat_with_reason():
    """A 持平 with a reason uses 主要原因是 (not 主要变动原因是)."""
    assert (compared("公务用车购置及运行维护费", D("0"), D("0"), 2023, "未发生此项支出")
            == "与2023年相比，公务用车购置及运行维护费持平，主要原因是未发生此项支出。")


def test_compared_without_prior_is_empty():
    """Without a prior-year figure the sentence is left out ("")."""
    assert compared("公用经费", D("29.06"), None, 2019) == ""


def test_compared_new_item():
    """A new item reads 培训费上年无此项支出，本年新增5.00万元。 (no 与2023年相比, no percentage)."""
    assert compared("培训费", D("5"), D("0"), 2023) == "培训费上年无此项支出，本年新增5.00万元。"


def test_compared_new_item_with_reason():
    """A new item keeps its reason clause."""
    assert (compared("培训费", D("5"), D("0"), 2023, "新增业务培训")
            == "培训费上年无此项支出，本年新增5.00万元，主要变动原因是新增业务培训。")


# ---------------------------------------------------------------- versus_prior

def test_versus_prior_decrease():
    """公务接待费 0.37 vs 0.48 reads 较2019年减少0.11万元，下降22.92%."""
    assert versus_prior(D("0.37"), D("0.48"), 2019) == "较2019年减少0.11万元，下降22.92%"


def test_versus_prior_other_lead():
    """The lead word can be 比 (比2019年减少7.41万元…)."""
    assert versus_prior(D("29.06"), D("36.47"), 2019, lead="比") == "比2019年减少7.41万元，下降20.32%"


def test_versus_prior_flat():
    """Equal figures read 与2023年持平."""
    assert versus_prior(D("0"), D("0"), 2023) == "与2023年持平"


def test_versus_prior_new_item():
    """A new item reads 上年无此项支出，本年新增… without 较2023年 in front."""
    assert versus_prior(D("5"), D("0"), 2023) == "上年无此项支出，本年新增5.00万元"


def test_versus_prior_without_prior_is_empty():
    """Without a prior-year figure the clause is left out ("")."""
    assert versus_prior(D("5"), None, 2023) == ""


# ---------------------------------------------------------------- share_items / share_list

def test_share_items_reference_expense_2024():
    """基本支出/项目支出 get 98.74%/1.26% with their amounts (2024 report)."""
    assert share_items([("基本支出", D("1296.95")), ("项目支出", D("16.55"))]) == [
        ("基本支出", D("1296.95"), "98.74%"), ("项目支出", D("16.55"), "1.26%")]


def test_share_items_leaves_out_zero_items():
    """Zero items (上缴上级支出 0) are not listed, so no "占0%" appears."""
    items = [("基本支出", D("301.43")), ("项目支出", D("136.23")), ("上缴上级支出", D("0")), ("经营支出", D("0"))]
    assert share_items(items) == [("基本支出", D("301.43"), "68.87%"), ("项目支出", D("136.23"), "31.13%")]


def test_share_items_all_zero_is_empty():
    """All-zero items give an empty list (no division by zero)."""
    assert share_items([("A", D("0")), ("B", D("0"))]) == []


def test_share_items_single_item_is_hundred():
    """One item reads 100.00%."""
    assert share_items([("一般公共预算财政拨款收入", D("1313.50"))]) == [
        ("一般公共预算财政拨款收入", D("1313.50"), "100.00%")]


def test_share_items_tiny_item_shows_one_hundredth():
    """其他收入 0.05 of 1555.91 shows 0.01%; 财政拨款收入 shows 99.99%."""
    assert share_items([("一般公共预算财政拨款收入", D("1555.86")), ("其他收入", D("0.05"))]) == [
        ("一般公共预算财政拨款收入", D("1555.86"), "99.99%"), ("其他收入", D("0.05"), "0.01%")]


def test_share_list_reference_sentence_2024():
    """The 2024 功能分类 sentence: 社会保障和就业支出1256.46万元，占95.66%；…"""
    items = share_items([("社会保障和就业支出", D("1256.46")), ("卫生健康支出", D("20.47")),
                         ("住房保障支出", D("36.57"))])
    assert share_list(items) == ("社会保障和就业支出1256.46万元，占95.66%；卫生健康支出20.47万元，占1.56%；"
                                 "住房保障支出36.57万元，占2.78%")


def test_share_list_custom_joiner_and_format():
    """The joiner and the item format can be changed."""
    items = share_items([("基本支出", D("1296.95")), ("项目支出", D("16.55"))])
    assert share_list(items, joiner="、", fmt="{name}占{share}") == "基本支出占98.74%、项目支出占1.26%"


def test_share_list_empty():
    """No items make an empty string."""
    assert share_list([]) == ""


# ---------------------------------------------------------------- share_of

def test_share_of_tiny_part_shows_one_hundredth():
    """其他收入 0.05 of 1555.91 reads 0.01%, not 0.00%."""
    assert share_of(D("0.05"), D("1555.91")) == "0.01%"


def test_share_of_large_part_never_hundred():
    """1555.86 of 1555.91 reads 99.99%, not 100.00%."""
    assert share_of(D("1555.86"), D("1555.91")) == "99.99%"


def test_share_of_whole_is_hundred():
    """一般公共预算财政拨款支出 equal to 本年支出合计 reads 100.00%."""
    assert share_of(D("1313.50"), D("1313.50")) == "100.00%"


def test_share_of_reference_figure():
    """项目支出 16.55 of 1313.50 reads 1.26%."""
    assert share_of(D("16.55"), D("1313.50")) == "1.26%"


def test_share_of_zero_part():
    """A zero part of a non-zero whole reads 0.00%."""
    assert share_of(D("0"), D("5")) == "0.00%"


def test_share_of_zero_whole_is_none():
    """A zero whole has no share (None), never 0%."""
    assert share_of(D("5"), D("0")) is None


def test_share_of_part_larger_than_whole():
    """A part larger than its whole is written as it is (120.00%) rather than hidden."""
    assert share_of(D("6"), D("5")) == "120.00%"


# ---------------------------------------------------------------- completion

def test_completion_full_budget():
    """决算 1313.50 of 预算 1313.50 reads 完成预算100.00%."""
    assert completion(D("1313.50"), D("1313.50")) == "完成预算100.00%"


def test_completion_partial_budget():
    """决算 0.37 of 预算 0.50 reads 完成预算74.00%."""
    assert completion(D("0.37"), D("0.50")) == "完成预算74.00%"


def test_completion_over_budget():
    """决算 above 预算 reads more than 100%."""
    assert completion(D("110"), D("100")) == "完成预算110.00%"


def test_completion_zero_budget_zero_actual():
    """Budget 0 and nothing spent: 未安排预算, never 完成预算0%."""
    assert completion(D("0"), D("0")) == "未安排预算"


def test_completion_zero_budget_with_spending():
    """Budget 0 but money spent: 年初未安排预算, no percentage."""
    assert completion(D("1"), D("0")) == "年初未安排预算"


def test_completion_without_budget_is_none():
    """Without a budget figure there is no clause (None)."""
    assert completion(D("1"), None) is None


def test_completion_agrees_with_versus_budget():
    """When 决算 and 预算 read the same (36.57), completion reads 100.00% like 决算数等于预算数."""
    assert completion(D("36.574"), D("36.566")) == "完成预算100.00%"


def test_completion_budget_written_as_zero_has_no_percentage():
    """A budget that reads 0.00万元 gets no percentage."""
    assert "%" not in completion(D("1"), D("0.004"))


# ---------------------------------------------------------------- versus_budget

def test_versus_budget_equal():
    """住房公积金 36.57 of 36.57 reads 决算数等于预算数 (2024 report)."""
    assert versus_budget(D("36.57"), D("36.57")) == "决算数等于预算数"


def test_versus_budget_equal_after_rounding():
    """36.574 vs 36.57 read the same, so 决算数等于预算数."""
    assert versus_budget(D("36.574"), D("36.57")) == "决算数等于预算数"


def test_versus_budget_greater():
    """决算 above 预算 reads 决算数大于预算数."""
    assert versus_budget(D("2"), D("1")) == "决算数大于预算数"


def test_versus_budget_less():
    """决算 below 预算 reads 决算数小于预算数."""
    assert versus_budget(D("1"), D("2")) == "决算数小于预算数"


def test_versus_budget_without_budget_is_none():
    """Without a budget figure there is no clause (None)."""
    assert versus_budget(D("1"), None) is None


# ---------------------------------------------------------------- reason_clause

def test_reason_clause_default_lead():
    """A reason reads ，主要变动原因是… with the trailing 。 dropped."""
    assert reason_clause("抚恤金减少。") == "，主要变动原因是抚恤金减少"


def test_reason_clause_custom_lead():
    """The lead can be changed (主要原因是)."""
    assert reason_clause("厉行节约", "主要原因是") == "，主要原因是厉行节约"


def test_reason_clause_strips_trailing_punctuation_and_spaces():
    """Trailing ；，; and spaces the clerk typed are dropped."""
    assert reason_clause("  厉行节约；， ") == "，主要变动原因是厉行节约"


def test_reason_clause_none_is_empty():
    """No reason gives an empty clause."""
    assert reason_clause(None) == ""


def test_reason_clause_blank_is_empty():
    """An empty reason gives an empty clause."""
    assert reason_clause("") == ""


def test_reason_clause_only_punctuation_is_empty():
    """A reason of only punctuation gives an empty clause, not "主要变动原因是"."""
    assert reason_clause(" 。") == ""


# ---------------------------------------------------------------- count_items

def test_count_items_skips_zero_counts():
    """Only non-zero counts are listed: 轿车1辆、客车2辆."""
    assert count_items([("轿车", 1), ("越野车", 0), ("客车", 2)], "辆") == "轿车1辆、客车2辆"


def test_count_items_with_amounts():
    """With amounts each item reads 轿车1辆、金额20.00万元, items joined by ，."""
    assert (count_items([("轿车", 1), ("越野车", 0), ("客车", 2)], "辆", [D("20"), D("0"), D("35.5")])
            == "轿车1辆、金额20.00万元，客车2辆、金额35.50万元")


def test_count_items_all_zero_is_empty():
    """All-zero counts give an empty string."""
    assert count_items([("轿车", 0), ("越野车", 0)], "辆") == ""


def test_count_items_reception_batches():
    """国内公务接待5批次 is written as a whole number."""
    assert count_items([("国内公务接待", 5)], "批次") == "国内公务接待5批次"
