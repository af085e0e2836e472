"""The two Sichuan reference reports, reconstructed: every figure of every sentence.

Figures equal the published ones where the published report is consistent, and differ
exactly where ../shared/reference/README.md shows the published one is wrong.
"""

from __future__ import annotations

import re

import pytest

from generator.accounts import resolve
from generator.words import narrate
from report_sections import paras as section
from generator.reader import read_workbook

from conftest import SAMPLES


def _report(name):
    return narrate(resolve(read_workbook(SAMPLES / name)))


@pytest.fixture(scope="module")
def anju():
    return _report("四川-安居区社保局-2024年度单位决算.xlsx")


@pytest.fixture(scope="module")
def yanjiang():
    return _report("四川-雁江区社保局-2020年度部门决算.xlsx")


def text(report, *path) -> str:
    """All paragraphs of one section, e.g. text(r, "s5", "structure")."""
    return "".join(section(report, *path))


def numbers(sentence: str) -> list[str]:
    """The figures of a sentence in order (amounts and percentages as written)."""
    return re.findall(r"\d+\.\d{2}%?", sentence)


def chart(report, key):
    return next((c for c in report.charts if c.key == key), None)


# ----------------------------------------------------------------------------- 2024 安居区


def test_anju_section1_totals_and_change(anju):
    """一: 收入、支出总计 1313.50, down 414.08 (23.97%) against 1727.58, as published."""
    s = text(anju, "s1")
    assert "2024年度收入、支出总计各1313.50万元" in s
    assert "收入、支出总计各减少414.08万元，下降23.97%" in s


def test_anju_section2_income_share(anju):
    """二: the only income, 一般公共预算财政拨款收入 1313.50, is the whole: a sentence, not a one-slice pie."""
    assert text(anju, "s2") == "2024年本年收入合计1313.50万元，全部为一般公共预算财政拨款收入。"
    assert chart(anju, "income") is None


def test_anju_section3_shares_and_chart_agree(anju):
    """三: 98.74% / 1.26% as the published text — and 图3 shows the same (the published chart said 90.24/9.76)."""
    s = text(anju, "s3")
    assert numbers(s) == ["1313.50", "1296.95", "98.74%", "16.55", "1.26%"]
    assert chart(anju, "expense").percent_labels == ["98.74%", "1.26%"]


def test_anju_section4_fiscal_totals(anju):
    """四: 财政拨款收入、支出总计 1313.50, down 414.08 (23.97%)."""
    assert numbers(text(anju, "s4")) == ["1313.50", "414.08", "23.97%"]


def test_anju_section5_overall_is_about_gpb_spending(anju):
    """五（一）: the 一般公共预算 sentence speaks of that spending, not a copy of 四 (a published defect)."""
    s = text(anju, "s5", "overall")
    assert "一般公共预算财政拨款支出1313.50万元，占本年支出合计的100.00%" in s
    assert "一般公共预算财政拨款支出减少414.08万元，下降23.97%" in s
    assert "财政拨款收入、支出总计" not in s


def test_anju_section5_structure(anju):
    """五（二）: 1256.46 (95.66%), 20.47 (1.56%), 36.57 (2.78%) — text and 图6 alike."""
    s = text(anju, "s5", "structure")
    assert numbers(s) == ["1313.50", "1256.46", "95.66%", "20.47", "1.56%", "36.57", "2.78%"]
    assert chart(anju, "gpb_structure").percent_labels == ["95.66%", "1.56%", "2.78%"]


def test_anju_section5_detail_items(anju):
    """五（三）: the ten 项 with their published amounts, each 完成预算100.00%."""
    paras = section(anju, "s5", "detail")
    assert numbers(paras[0]) == ["1313.50", "100.00%"]
    amounts = [numbers(p)[0] for p in paras[1:]]
    assert amounts == ["346.59", "118.81", "4.48", "48.88", "734.44", "3.26", "7.78", "8.50", "4.19", "36.57"]
    assert all("完成预算100.00%" in p and "决算数等于预算数" in p for p in paras[1:])


def test_anju_section6_basic_split(anju):
    """六: 基本支出 1296.95 = 人员经费 1245.62 + 公用经费 51.33."""
    assert numbers(text(anju, "s6")) == ["1296.95", "1245.62", "51.33"]


def test_anju_section7_three_public_change_is_consistent(anju):
    """七: 三公 fell by 0.71 both in total and in 公务接待费 (published: 0.7 vs 0.71)."""
    overall = text(anju, "s7", "overall")
    assert "较2023年减少0.71万元，下降100.00%" in overall
    reception = section(anju, "s7", "items")[4]
    assert "公务接待费支出决算较2023年减少0.71万元，下降100.00%" in reception


def test_anju_section7_zero_budget_is_not_100_percent(anju):
    """七: 0 spent against a 0 budget says 未安排预算, never 完成预算100% (published defect)."""
    s7 = text(anju, "s7", "overall") + "".join(section(anju, "s7", "items"))
    assert "未安排预算" in s7
    assert "完成预算100" not in s7
    assert "（具体工作）" not in s7 and "省、市领导" not in s7


def test_anju_no_three_public_chart_when_zero(anju):
    """七: no 三公 pie when 三公 is 0; the sentence says there was none (without talking about the report
    itself), and charts are 图1–图5 without gaps."""
    assert text(anju, "s7", "detail") == "2024年度本单位无“三公”经费财政拨款支出。"
    assert [c.number for c in anju.charts] == [1, 2, 3, 4, 5]


def test_anju_section10_running_costs(anju):
    """十（一）: 机关运行经费 51.33, up 2.78 (5.73%) against 48.55."""
    assert numbers(text(anju, "s10", "running")) == ["51.33", "2.78", "5.73%"]


def test_anju_funds_sections_without_zero_percent(anju):
    """八、九: no 基金/国资 money → one sentence, never "占本年支出合计的0%"."""
    for key in ("s8", "s9"):
        s = text(anju, key)
        assert "无" in s and "0%" not in s


def test_anju_glossary_lists_exactly_the_items_used(anju):
    """名词解释: the ten 项 of the tables, 20805 under its current name only."""
    entries = [e for e in section(anju, "glossary") if "（项）" in e]
    assert len(entries) == 10
    assert not any("行政事业单位离退休（款）" in e for e in section(anju, "glossary"))
    assert any(e.split(".", 1)[1].startswith("社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）")
               for e in entries)


def test_anju_bar_charts_match_published_chart_data(anju):
    """图1/图4/图5 carry 1313.50 against 1727.58, the published chart data."""
    for key in ("total", "fiscal_total", "gpb"):
        c = chart(anju, key)
        assert c.value_labels[0][0] == "1313.50" and c.value_labels[1][0] == "1727.58"


# ----------------------------------------------------------------------------- 2020 雁江区


def test_yanjiang_section1_year_totals(yanjiang):
    """一: 本年收入 384.11 (−8590.26, −95.72%) and 本年支出 437.66 (−8092.27, −94.87%) as published."""
    s = text(yanjiang, "s1")
    assert "本年收入合计384.11万元，较2019年减少8590.26万元，下降95.72%" in s
    assert "本年支出合计437.66万元，较2019年减少8092.27万元，下降94.87%" in s


def test_yanjiang_section2_leaves_out_zero_items(yanjiang):
    """二: only the non-zero income is listed; no "占0%" (published listed six zero items)."""
    s = text(yanjiang, "s2")
    assert s == "2020年本年收入合计384.11万元，全部为一般公共预算财政拨款收入。"


def test_yanjiang_section3_shares(yanjiang):
    """三: 基本 301.43 (68.87%), 项目 136.23 (31.13%), zero items left out."""
    assert numbers(text(yanjiang, "s3")) == ["437.66", "301.43", "68.87%", "136.23", "31.13%"]


def test_yanjiang_section4_years_in_order(yanjiang):
    """四: 447.66 against 9132.66 (−8685.00, −95.10%), compared "与2019年相比" (published swapped the years)."""
    s = text(yanjiang, "s4")
    assert numbers(s) == ["447.66", "8685.00", "95.10%"]
    assert "与2019年相比" in s and "与2020年相比" not in s


def test_yanjiang_section5(yanjiang):
    """五（一）（二）: 437.66 (100.00%), +11.33 (2.66%); classes 408.45/10.21/19.00 at 93.33/2.33/4.34%."""
    assert numbers(text(yanjiang, "s5", "overall")) == ["437.66", "100.00%", "11.33", "2.66%"]
    assert numbers(text(yanjiang, "s5", "structure")) == [
        "437.66", "408.45", "93.33%", "10.21", "2.33%", "19.00", "4.34%"]


def test_yanjiang_section5_detail_uses_unrounded_items(yanjiang):
    """五（三）: items as published (4.10, 0.28 written from 4.095, 0.275), no "完成预算0%", current class names."""
    paras = section(yanjiang, "s5", "detail")
    amounts = [numbers(p)[0] for p in paras[1:]]
    assert amounts == ["236.14", "136.23", "13.38", "2.04", "16.29", "4.10", "0.28", "0.62", "7.76", "1.83", "19.00"]
    joined = "".join(paras)
    assert "完成预算0%" not in joined and "医疗卫生与计划生育" not in joined


def test_yanjiang_section6_and_running_costs(yanjiang):
    """六 and 十（一）: 301.43 = 272.37 + 29.06; 机关运行经费 29.06, −7.41 (−20.32%)."""
    assert numbers(text(yanjiang, "s6")) == ["301.43", "272.37", "29.06"]
    assert numbers(text(yanjiang, "s10", "running")) == ["29.06", "7.41", "20.32%"]


def test_yanjiang_section7(yanjiang):
    """七: 0.37 spent (完成预算100.00%), −0.11 (−22.92%); 出国 has no budget → no "完成预算0%"."""
    assert numbers(text(yanjiang, "s7", "overall")) == ["0.37", "100.00%", "0.11", "22.92%"]
    items = section(yanjiang, "s7", "items")
    assert "未安排预算" in items[0] and "完成预算0" not in "".join(items)
    assert "国内公务接待5批次，48人次" in items[4]


def test_yanjiang_dates_and_staff_from_one_source(yanjiang):
    """截至 uses the report year (published wrote 2019 in the 2020 report); 退休人员 has one figure (10)."""
    structure = "".join(section(yanjiang, "overview", "structure"))
    assert "截至2020年12月31日" in structure and "退休人员10人" in structure
    s7 = "".join(section(yanjiang, "s7", "items"))
    assert "截至2020年12月31日" in s7 and "2019年12月" not in s7


def test_yanjiang_three_public_pie_follows_its_sentence(yanjiang):
    """七（二）: charts are numbered without gaps (published jumped from 图6 to 图8); 公务接待费 is the whole
    of 三公, so the sentence names all three items and there is no one-slice pie."""
    numbers_ = [c.number for c in yanjiang.charts]
    assert numbers_ == list(range(1, len(numbers_) + 1))
    assert chart(yanjiang, "sg") is None
    assert text(yanjiang, "s7", "detail") == ("2020年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0.00万元；"
                                             "公务用车购置及运行维护费支出决算0.00万元；公务接待费支出决算0.37万元。")


def test_yanjiang_figure1_compares_year_totals(yanjiang):
    """图1: without a prior 总计, the bar chart compares 本年收入/支出合计 with 2019, as the 2020 report did."""
    c = chart(yanjiang, "total")
    assert c.number == 1
    assert c.categories == ["本年收入合计", "本年支出合计"]
    assert c.value_labels == [["384.11", "437.66"], ["8974.37", "8529.93"]]
