"""第四部分 附件: the unit-wide and per-project self-evaluation tables (绩效自评表).

Laid out like the Sichuan 2024 tables: merged label cells, the 预算执行情况 block per fund
source, the indicator rows with 一级/二级 merged down, totals and 评价等次. Every figure
comes from performance.evaluate(); nothing is retyped.
"""

from __future__ import annotations

from decimal import Decimal

from .appendix import Cell, WordTable
from .money import fmt_amount
from .performance import EXECUTION_RULE, SOURCES, Evaluation, Project, execution_rate, fmt_rate, fmt_score

PROJECT_WIDTHS = [15, 13, 17, 14, 14, 12, 13, 9, 12, 17]  # 10 columns shared by the budget and indicator blocks
UNIT_WIDTHS = [12, 13, 20, 9, 30, 40, 9, 10]


def _merged_down(values: list[str]) -> list[str | None]:
    """"restart" where a run of equal values starts, "continue" below it, None for singles."""
    out: list[str | None] = []
    for i, v in enumerate(values):
        if i and v and values[i - 1] == v:
            out.append("continue")
            if out[i - 1] is None:
                out[i - 1] = "restart"
        else:
            out.append(None)
    return out


def _money(value: Decimal | None) -> str:
    return "/" if value is None else fmt_amount(value)


def project_table(p: Project, evaluation: Evaluation, year: int, number: int) -> WordTable:
    L = lambda text, span=1, **kw: Cell(text, span, align=kw.get("align", "center"), bold=kw.get("bold", False),
                                        vmerge=kw.get("vmerge"))  # noqa: E731
    label = f"{p.code}-{p.name}" if p.code else p.name
    rows = [
        [L("项目名称", bold=True), L(label, 9, align="left")],
        [L("主管部门", bold=True), L(p.department, 4, align="left"), L("实施单位", bold=True),
         L(p.implementer, 4, align="left")],
        [L("年度目标", bold=True), L(p.texts["goal"], 9, align="left")],
        [L("年度目标完成情况", bold=True), L(p.texts["goal_result"], 9, align="left")],
        [L("实施内容及过程概述", bold=True), L(p.texts["content"], 9, align="left")],
        [L(f"预算执行情况（{fmt_score(p.execution_weight)}分）", bold=True, vmerge="restart"), L("资金来源", bold=True),
         L("年初预算", bold=True), L("调整后预算", bold=True), L("执行数", bold=True), L("预算执行率", bold=True),
         L("权重", bold=True), L("得分", bold=True), L("评分规则", 2, bold=True)],
        [L("", vmerge="continue"), L("总额"), L(fmt_amount(p.total(0))), L(fmt_amount(p.total(1))),
         L(fmt_amount(p.total(2))), L(fmt_rate(p.rate)), L(fmt_score(p.execution_weight)),
         L(fmt_score(p.execution_score)), L(EXECUTION_RULE, 2, vmerge="restart", align="left")],
    ]
    for key, name in SOURCES:
        initial, adjusted, executed = p.sources[name]
        rate = execution_rate(executed, adjusted) if adjusted is not None and executed is not None else None
        rows.append([L("", vmerge="continue"), L(f"其中：{name}" if key == "fiscal" else name), L(_money(initial)),
                     L(_money(adjusted)), L(_money(executed)), L(fmt_rate(rate)), L("/"), L("/"),
                     L("", 2, vmerge="continue")])
    rows.append([L(h, bold=True) for h in ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值",
                                           "权重", "得分", "未完成原因分析")])
    level1 = _merged_down([i.level1 for i in p.indicators])
    level2 = _merged_down([f"{i.level1}/{i.level2}" for i in p.indicators])
    for k, ind in enumerate(p.indicators):
        rows.append([L(ind.level1 if level1[k] != "continue" else "", vmerge=level1[k]),
                     L(ind.level2 if level2[k] != "continue" else "", vmerge=level2[k]),
                     L(ind.level3, align="left"), L(ind.nature), L(ind.target), L(ind.unit), L(ind.actual or "未填写"),
                     L(fmt_score(ind.weight)), L(fmt_score(ind.score)), L(ind.reason, align="left")])
    total_weight = p.weights + p.execution_weight
    rows.append([L("合计", 7, bold=True), L(fmt_score(total_weight), bold=True), L(fmt_score(p.score), bold=True),
                 L(f"评价等次：{evaluation.grade(p.score)}", bold=True)])
    for key, name in (("conclusion", "评价结论"), ("problems", "存在问题"), ("measures", "改进措施")):
        rows.append([L(name, bold=True), L(p.texts[key], 9, align="left")])
    people = f"项目负责人：{p.texts['leader']}　　财务负责人：{p.texts['finance_leader']}"
    rows.append([L(people, 10, align="left")])
    return WordTable(f"附件{number}　部门预算项目支出绩效自评表（{year}年度）", rows, PROJECT_WIDTHS,
                     unit_line="单位：万元", subject=p.name)


def unit_table(evaluation: Evaluation, name: str, number: int) -> WordTable:
    L = lambda text, span=1, **kw: Cell(text, span, align=kw.get("align", "center"), bold=kw.get("bold", False),
                                        vmerge=kw.get("vmerge"))  # noqa: E731
    rows = [[L(h, bold=True) for h in ("一级指标", "二级指标", "三级指标", "指标分值", "指标解释", "评分说明", "自评得分",
                                       "备注")]]
    units = evaluation.unit_rows
    level1 = _merged_down([r.level1 for r in units])
    level2 = _merged_down([f"{r.level1}/{r.level2}" for r in units])
    for k, r in enumerate(units):
        rows.append([L(r.level1 if level1[k] != "continue" else "", vmerge=level1[k]),
                     L(r.level2 if level2[k] != "continue" else "", vmerge=level2[k]),
                     L(r.level3, align="left"), L(fmt_score(r.points) if r.points is not None else "-"),
                     L(r.explanation, align="left"), L(r.rule, align="left"),
                     L(fmt_score(r.score) if r.score is not None else ""), L(r.note)])
    total = evaluation.unit_total
    rows.append([L("合计", 3, bold=True), L(fmt_score(evaluation.unit_points), bold=True),
                 L(f"评价等次：{evaluation.grade(total)}", 2, bold=True), L(fmt_score(total), bold=True), L("")])
    return WordTable(f"附件{number}　{name}整体支出绩效自评表", rows, UNIT_WIDTHS, header_rows=1, unit_line="")


def attachment_tables(evaluation: Evaluation | None, unit_name: str, year: int) -> list[WordTable]:
    if evaluation is None:
        return []
    tables = []
    if evaluation.unit_rows:
        tables.append(unit_table(evaluation, unit_name, 1))
    for p in evaluation.projects:
        tables.append(project_table(p, evaluation, year, len(tables) + 1))
    return tables
