"""Property-based tests: random amounts and random cell contents never crash the reader or the
checks, and whatever the checks accept really holds in the report."""

from __future__ import annotations

import re
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.errors import GeneratorError
from generator.check import has_errors
from generator.words import narrate
from generator.pipeline import load
from generator.workbook import write_workbook

ITEMS = ["2010101", "2010102", "2080505", "2101101", "2210201"]
cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: D(c) / 100)
SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def consistent(basic: list[D], project: list[D]) -> dict:
    """A workbook's data where every table agrees, for the given 项 amounts."""
    rows = [(c, b, p) for c, b, p in zip(ITEMS, basic, project)]
    total = sum(basic) + sum(project)
    return {
        "unit": {"name": "性质测试单位", "year": 2024, "unit_type": "事业单位", "duties": "职责。", "structure": "机构。"},
        "t01": {"income": {"gpb": total}},
        "t02": [{"code": c, "fiscal": b + p} for c, b, p in rows],
        "t03": [{"code": c, "basic": b, "project": p} for c, b, p in rows],
        "t05": [{"code": c, "gpb": b + p} for c, b, p in rows],
        "t06": [{"code": c, "basic": b, "project": p} for c, b, p in rows],
        "t07": [{"code": "30101", "basic": sum(basic), "project": D(0)},
                {"code": "30227", "basic": D(0), "project": sum(project)}],
        "t08": [{"code": "30101", "amount": sum(basic)}],
        "t09": [{"code": "30227", "amount": sum(project)}],
        "budget": [{"code": c, "initial": b + p} for c, b, p in rows],
    }


def pct_sum(sentence: str) -> D:
    return sum((D(x) for x in re.findall(r"占(\d+\.\d{2})%", sentence)), D(0))


@SETTINGS
@given(basic=st.lists(cents, min_size=5, max_size=5), project=st.lists(cents, min_size=5, max_size=5))
def test_accepted_amounts_hold_in_the_report(tmp_path_factory, basic, project):
    """For random consistent amounts the check finds no 错误, and the report's totals and shares agree."""
    path = write_workbook(tmp_path_factory.mktemp("p") / "w.xlsx", consistent(basic, project))
    acc, findings = load(path)
    assert not has_errors(findings), [f.line() for f in findings]
    report = narrate(acc)
    t01 = acc.tables["t01"]
    assert t01.income_bottom["total"] == t01.expense_bottom["total"]["amount"] == sum(basic) + sum(project)
    s3 = report.text("expense")
    s5 = report.text("gpb_structure")
    if sum(basic) + sum(project) > 0:  # shares add to 100.00%, or a single item is said to be the whole
        for sentence in (s3, s5):
            assert pct_sum(sentence) == D("100.00") or ("全部" in sentence and "占" not in sentence), sentence
    for chart in report.charts:
        if chart.kind == "pie":
            assert sum(D(p.rstrip("%")) for p in chart.percent_labels) == D("100.00")


CELL_CONTENT = st.one_of(
    st.none(),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["1,234.50", "１２３", "12万", "—", "#REF!", "{{ x }}", "{% if %}", "<a&b>", "XXX", "  7 "]),
)
INPUT_CELLS = [("支出决算表", f"{col}{row}") for col in "ACDE" for row in (5, 6, 7)] + [
    ("收入支出决算总表", "B5"), ("收入支出决算总表", "D31"), ("单位信息", "B4"), ("单位信息", "B7"), ("单位信息", "B10"),
    ("上年数", "B4"), ("说明文字", "B4"), ("财政拨款“三公”经费支出决算表", "B6"), ("预算数", "A4"), ("预算数", "C4"),
    ("一般公共预算财政拨款基本支出决算表", "C7"), ("绩效管理", "B4"), ("三公经费明细", "B4")]


_BASE: list[bytes] = []


def _base_workbook(tmp_path_factory) -> bytes:
    """The consistent workbook every example changes, written once (each example gets a copy)."""
    if not _BASE:
        path = write_workbook(tmp_path_factory.mktemp("base") / "w.xlsx", consistent([D(1)] * 5, [D(0)] * 5))
        _BASE.append(path.read_bytes())
    return _BASE[0]


@SETTINGS
@given(changes=st.lists(st.tuples(st.sampled_from(INPUT_CELLS), CELL_CONTENT), min_size=1, max_size=6))
def test_random_cell_contents_never_crash(tmp_path_factory, changes):
    """Whatever a clerk types into input cells, reading and checking end in findings, never a traceback."""
    path = tmp_path_factory.mktemp("r") / "w.xlsx"
    path.write_bytes(_base_workbook(tmp_path_factory))
    wb = load_workbook(path)
    for (sheet, ref), value in changes:
        wb[sheet][ref] = value
    wb.save(path)
    try:
        acc, findings = load(path)
    except GeneratorError:
        return
    if not has_errors(findings):
        narrate(acc)
