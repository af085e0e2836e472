"""Budget-performance self-evaluation: every computation, its edge cases, and the 2024 reference."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import performance_samples as ref
from generator.performance import (execution_rate, execution_score, fmt_rate, fmt_score, grade, indicator_score,
                                   parse_value)
from generator.pipeline import load
from generator.words import narrate

from conftest import SAMPLES


def test_execution_rate_zero_budget_is_undefined():
    """A zero budget has no 执行率 (shown "/"), never 0%."""
    assert execution_rate(D(0), D(0)) is None
    assert fmt_rate(execution_rate(D(0), D(0))) == "/"


def test_over_execution_score_is_capped_at_weight():
    """执行率 100.11% earns the full 10, not more."""
    rate = execution_rate(D("186.20"), D("186.00"))
    assert fmt_rate(rate) == "100.11%"
    assert execution_score(D(10), rate) == D(10)


def test_under_execution_scores_pro_rata():
    """114 of 120 executed: 95.00%, 9.5 of 10."""
    rate = execution_rate(D(114), D(120))
    assert fmt_rate(rate) == "95.00%" and fmt_score(execution_score(D(10), rate)) == "9.5"


def test_met_targets_score_full_weight():
    """≥ met, ＝ met and ≤ met each score the full weight."""
    assert indicator_score("≥", "180", "182", D(30), None) == (D(30), "met")
    assert indicator_score("＝", "100", "100%", D(20), None) == (D(20), "met")
    assert indicator_score("≤", "10", "9", D(20), None) == (D(20), "met")


def test_missed_at_least_target_is_pro_rata():
    """38 of a ≥40 target: 30 × 38/40 = 28.5."""
    score, how = indicator_score("≥", "40", "38", D(30), None)
    assert (fmt_score(score), how) == ("28.5", "pro-rata")


def test_missed_at_most_target_is_pro_rata():
    """11 months against ≤10: 20 × 10/11 = 18.18."""
    score, how = indicator_score("≤", "10", "11", D(20), None)
    assert (fmt_score(score), how) == ("18.18", "pro-rata")


def test_qualitative_takes_the_entered_score():
    """A 定性 indicator scores what the clerk entered; without one it cannot be scored."""
    assert indicator_score("定性", "明显提升", "有所提升", D(20), D(16)) == (D(16), "entered")
    assert indicator_score("定性", "明显提升", "有所提升", D(20), None) == (None, "entered")


def test_non_numeric_target_uses_entered_score_or_equality():
    """指标值 "应保尽保": the entered score; without one, full marks only if 完成值 says the same."""
    assert indicator_score("＝", "应保尽保", "100%", D(10), D(10)) == (D(10), "entered")
    assert indicator_score("＝", "应保尽保", "应保尽保", D(10), None) == (D(10), "met")


def test_parse_value_reads_one_number():
    """"96%" → 96, "14,246人" → 14246, "≥95" → 95; two numbers or none → None."""
    assert parse_value("96%") == D(96) and parse_value("14,246人") == D(14246) and parse_value("≥95") == D(95)
    assert parse_value("当年") is None and parse_value("1-2年") is None


def test_grade_default_and_custom_thresholds():
    """优/良/中/差 by 90/80/60 unless the workbook says otherwise."""
    assert [grade(D(x)) for x in (97, 85, 60, 59.9)] == ["优", "良", "中", "差"]
    assert grade(D(88), (("优", D(85)), ("良", D(75)), ("中", D(60)))) == "优"


# ---------------------------------------------------------------- the 2024 reference


@pytest.fixture(scope="module")
def anju():
    acc, findings = load(SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx")
    return acc, findings


@pytest.mark.parametrize("published", ref.PROJECTS, ids=[p["name"] for p in ref.PROJECTS])
def test_reference_projects_reproduce_published_rates_and_scores(anju, published):
    """Each 2024 project: 执行率, 预算执行 score, every indicator score and the total as published."""
    acc, _ = anju
    p = acc.evaluation.project(published["name"])
    assert fmt_rate(p.rate) == published["published_rate"]
    assert p.execution_score == published["published_execution_score"]
    expected = [i["score"] for i in ref.INDICATORS if i["project"] == published["name"]]
    assert [i.score for i in p.indicators] == expected
    assert p.score == published["published_total"]


def test_reference_unit_total_is_97(anju):
    """The unit-wide table adds up to the published 97 (优)."""
    acc, _ = anju
    assert acc.evaluation.unit_total == ref.UNIT_TOTAL_PUBLISHED == D(97)
    assert acc.evaluation.grade(acc.evaluation.unit_total) == "优"


def test_reference_project_money_is_flagged_against_the_tables(anju):
    """Σ 执行数 of the projects (4616.36) is not the 项目支出 of the tables (16.55): with the reason stated in
    说明文字 it is a 提示 quoting both figures and the reason (a 警告 without one, see test_check)."""
    _, findings = anju
    (f,) = [f for f in findings if f.rule == "PERF-EXEC"]
    assert f.severity == "提示" and "4616.36" in f.message and "16.55" in f.message and "基金专户" in f.message


def test_section_10_4_uses_computed_scores(anju):
    """十（四） states the computed scores: 97 for the unit, 100 for each project."""
    acc, _ = anju
    text = narrate(acc).text("performance")
    assert "部门整体（含部门预算项目）绩效自评得分为97分" in text
    assert text.count("项目绩效自评得分为100分") == 8
