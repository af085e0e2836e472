"""The 绩效自评报告 score sheets (整体支出 and 专项): every score computed or entered, once.

A 评分表 is declared in a data file per template (data/selfeval_*.toml: indicators, points,
standards, and for formula items the formula kind and the figure it scores). The figures come
from the same Accounts as the 决算说明 (编制, 三公, 预算数, 结转结余, 政府采购, project budgets)
or, where the workbook has no such figure, from the clerk's 实际值 on 自评评分表. Scores are
rounded to 0.01 when computed, so the printed parts always add up to the printed total; a
sheet whose points do not add up to 100, or with a score it cannot justify, is an 错误 and
is not written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .findings import ERROR, WARNING, Finding
from .money import HUNDRED, ZERO, fmt_amount, fmt_percent, round2
from .performance import EXECUTION_RULE, fmt_score, grade
from .profiles import of_unit

OVERALL = "整体"
PROJECT = "专项"
FORM = "selfeval"
SCORES_SHEET = "自评评分表"


@cache
def selfeval_sheets() -> frozenset[str]:
    """The sheets only the 绩效自评报告 read (绩效自评报告, 评价人员, 专项自评, 自评评分表: the forms
    `selfeval` and `selfeval_…` of the layout)."""
    from .layout import load_layout

    return frozenset(f.title for f in load_layout().forms if f.id == FORM or f.id.startswith(FORM + "_"))


def is_selfeval(finding: Finding) -> bool:
    """A finding about the 绩效自评报告 alone: it stops those reports, never the 决算说明 (README)."""
    return finding.rule.startswith("SELF-") or finding.ref.split("!", 1)[0] in selfeval_sheets()


# ------------------------------------------------------------------ the templates (data files)

@dataclass(frozen=True)
class Spec:
    """One 三级 indicator as the template declares it."""

    level1: str
    level2: str
    level3: str
    points: Decimal
    explanation: str = ""
    standard: str = ""
    formula: str = ""  # "" = scored by the clerk
    figure: str = ""
    params: tuple = ()  # (name, value) pairs of the formula
    value: str = ""  # what the clerk enters as 实际值 (the workbook says so; the report never does)

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


@dataclass(frozen=True)
class Template:
    id: str
    scope: str  # 整体 | 专项
    title: str
    report_title: str
    columns: tuple[str, ...]
    grades: tuple[tuple[str, Decimal], ...]
    lowest: str
    indicators: tuple[Spec, ...]
    targets: tuple[dict, ...] = ()
    province: str = ""
    # "" — the indicators above; "unit_indicators" / "project_indicators" — the table the unit
    # filled for the 决算说明's 附件 (整体绩效指标 / 项目绩效指标), printed and scored as there
    source: str = ""

    def grade(self, total: Decimal) -> str:
        return grade(total, self.grades) if total >= self.grades[-1][1] else self.lowest


FORMULA_KEYS = ("limit", "deduct", "target", "bands", "scores", "numerator")


def _dec(value) -> Decimal:
    return Decimal(str(value))


@cache
def templates() -> dict[tuple[str, str], Template]:
    """Every 评分表 in data/, by (scope, id)."""
    out = {}
    for entry in sorted(resources.files("generator").joinpath("data").iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("selfeval_") and entry.name.endswith(".toml")):
            continue
        raw = tomllib.loads(entry.read_text("utf-8"))
        specs = []
        for i in raw.get("indicator", ()):
            params = []
            for key in FORMULA_KEYS:
                if key in i:
                    v = i[key]
                    params.append((key, tuple(tuple(_dec(x) for x in b) for b in v) if key == "bands"
                                   else tuple(_dec(x) for x in v) if key == "scores"
                                   else v if isinstance(v, str) else _dec(v)))
            specs.append(Spec(i["level1"], i["level2"], i["level3"], _dec(i["points"]), i.get("explanation", ""),
                              i.get("standard", ""), i.get("formula", ""), i.get("figure", ""), tuple(params),
                              i.get("value", "")))
        grades = tuple((name, _dec(low)) for name, low in raw["grades"])
        out[(raw["scope"], raw["id"])] = Template(raw["id"], raw["scope"], raw["title"], raw["report_title"],
                                                  tuple(raw["columns"]), grades, raw["lowest"], tuple(specs),
                                                  tuple(raw.get("target", ())), raw["province"], raw.get("source", ""))
    return out


def offered(acc) -> tuple[str, ...]:
    """The 评分表 the unit's layout offers (`selfeval` in its profile.toml, or in the layout it
    extends): a unit is never scored with another province's table."""
    return tuple(of_unit(acc.unit).selfeval or ())


# ------------------------------------------------------------------ figures from the workbook

@dataclass
class Figure:
    """A rate in percent points with the figures it was computed from (as the report prints them).

    `missing` names what the workbook lacks; `na` means the indicator does not apply (nothing
    to control: full points); `worst` means the rate is beyond any bound (e.g. a 三公 increase
    from a zero prior year).
    """

    rate: Decimal | None = None
    inputs: str = ""
    missing: str = ""
    na: bool = False
    worst: bool = False
    value: Any = None  # the entered figure, in 万元 for amounts

    @property
    def rate_text(self) -> str:
        return "" if self.rate is None else fmt_percent(self.rate)


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return part * HUNDRED / whole


class Figures:
    """The named rates of the templates (`figure = "…"`), computed from one workbook."""

    def __init__(self, acc, project=None):
        self.acc, self.project = acc, project
        self.divisor = Decimal(10000) if acc.unit.get("amount_unit") == "元" else Decimal(1)

    def get(self, name: str, spec: Spec, entered: Decimal | None) -> Figure:
        return getattr(self, name)(spec, entered)

    def amount(self, entered: Decimal | None) -> Decimal | None:
        return None if entered is None else entered / self.divisor

    def _value_needed(self, spec: Spec, what: str) -> Figure:
        return Figure(missing=f"{SCORES_SHEET}中“{spec.level3}”的实际值（{spec.value or what}）")

    def staff_control(self, spec, entered):
        u = self.acc.unit
        actual, quota = u.get("staff_actual"), u.get("staff_quota")
        if actual is None or not quota:
            return Figure(missing="单位信息的“编制人数”和“实有在职人数”")
        return Figure(_ratio(Decimal(actual), Decimal(quota)), f"实有在职{actual}人÷编制{quota}人")

    def _sg(self) -> tuple[Decimal, Decimal]:
        t13 = self.acc.tables["t13"]
        return t13.get("total", "actual"), t13.get("total", "budget")

    def sg_change(self, spec, entered):
        now, _ = self._sg()
        prior = self.acc.prior.get("sg_total")
        if prior is None:
            return Figure(missing="上年数的“三公”经费财政拨款支出合计")
        text = f"（本年{fmt_amount(now)}万元－上年{fmt_amount(prior)}万元）÷上年{fmt_amount(prior)}万元"
        if prior == 0:
            if now == 0:
                return Figure(ZERO, f"上年和本年“三公”经费均为{fmt_amount(now)}万元")
            return Figure(None, f"上年无“三公”经费，本年{fmt_amount(now)}万元", worst=True)
        return Figure(_ratio(now - prior, prior), text)

    def sg_control(self, spec, entered):
        actual, budget = self._sg()
        if budget == 0:
            if actual == 0:
                return Figure(None, "本年未安排也未发生“三公”经费", na=True)
            return Figure(None, f"未安排“三公”经费预算，决算{fmt_amount(actual)}万元", worst=True)
        return Figure(_ratio(actual, budget), f"决算{fmt_amount(actual)}万元÷预算{fmt_amount(budget)}万元")

    def key_spending(self, spec, entered):
        project = self.acc.tables["t03"].total["project"]
        key = self.amount(entered)
        if key is None:
            return self._value_needed(spec, "重点项目支出金额")
        if project == 0:
            return Figure(missing="支出决算表的项目支出（为0，无法计算安排率）")
        return Figure(_ratio(key, project), f"重点项目支出{fmt_amount(key)}万元÷项目支出{fmt_amount(project)}万元",
                      value=key)

    def budget_adjustment(self, spec, entered):
        rows = [r for r in self.acc.budget if r.get("initial") is not None]
        initial = sum((r["initial"] for r in rows), ZERO)
        adjusted = sum(((r["adjusted"] if r.get("adjusted") is not None else r["initial"]) for r in rows), ZERO)
        if not rows or initial == 0:
            return Figure(missing="“预算数”表的年初预算数")
        return Figure(_ratio(abs(adjusted - initial), initial),
                      f"|调整预算{fmt_amount(adjusted)}万元－年初预算{fmt_amount(initial)}万元|÷年初预算{fmt_amount(initial)}万元")

    def surplus(self, spec, entered):
        t01 = self.acc.tables["t01"]
        closing, opening = t01.expense_bottom["closing"]["amount"], t01.income_bottom["opening"]
        return Figure(None, f"年末结转和结余{fmt_amount(closing)}万元，年初结转和结余{fmt_amount(opening)}万元",
                      value=(closing, opening))

    def procurement(self, spec, entered):
        o = self.acc.other
        actual = sum((o.get(k) or ZERO for k in ("proc_goods", "proc_works", "proc_services")), ZERO)
        budget = self.amount(entered)
        if budget is None:
            if actual == 0:
                return Figure(None, "本年无政府采购预算和支出", na=True)
            return self._value_needed(spec, "政府采购预算金额")
        if budget == 0:
            return Figure(None, "未安排政府采购预算", na=actual == 0, worst=actual != 0)
        return Figure(_ratio(actual, budget), f"政府采购支出{fmt_amount(actual)}万元÷政府采购预算{fmt_amount(budget)}万元",
                      value=budget)

    def asset_use(self, spec, entered):
        f = self.acc.forms.get(FORM, {})
        parts = [f.get(k) for k in ("assets_in_use", "assets_rented", "assets_other")]
        total = sum((p or ZERO for p in parts), ZERO)
        if parts[0] is None or total == 0:
            return Figure(missing="“绩效自评报告”表的在用固定资产（及出租、其他固定资产）")
        return Figure(_ratio(parts[0], total), f"在用固定资产{fmt_amount(parts[0])}万元÷固定资产合计{fmt_amount(total)}万元")

    def entered_percent(self, spec, entered):
        if entered is None:
            return self._value_needed(spec, "百分数")
        return Figure(entered, f"填报{spec.level3}", value=entered)

    def project_funds(self, spec, entered):
        plan = self.project.total(1)
        got = self.amount(entered)
        if got is None:
            return self._value_needed(spec, "到位资金金额")
        if plan == 0:
            return Figure(missing=f"“项目绩效自评”表中“{self.project.name}”的调整后预算数（为0）")
        what = spec.param("numerator", "到位资金")
        return Figure(_ratio(got, plan), f"{what}{fmt_amount(got)}万元÷计划投入资金{fmt_amount(plan)}万元", value=got)


# ------------------------------------------------------------------ scoring rules

def apply(spec: Spec, fig: Figure) -> tuple[Decimal, str]:
    """(score, the rule as applied) for a formula indicator whose figure is known; never below 0
    nor above the points (`out_of_range` says when the figures would have put it there)."""
    score, rule = _apply(spec, fig)
    return min(max(score, ZERO), spec.points), rule


def out_of_range(spec: Spec, fig: Figure) -> str | None:
    """Why the figures of a formula indicator cannot be right (None: they can): a negative
    amount or rate, or a score the rule would put outside 0 … 分值."""
    if fig.na or fig.worst or spec.formula == "surplus":
        negative = [v for v in (fig.value if isinstance(fig.value, tuple) else (fig.value,))
                    if isinstance(v, Decimal) and v < 0]
        return f"所用的数 {fmt_amount(negative[0])} 为负数" if negative else None
    if isinstance(fig.value, Decimal) and fig.value < 0:
        return f"实际值 {fig.value.normalize():f} 为负数"
    score, _ = _apply(spec, fig)  # a rate may be negative (a decrease of 三公); a score may not
    if not ZERO <= score <= spec.points:
        return f"按公式计得 {fmt_score(score)} 分（{fig.inputs}＝{fig.rate_text}），超出 0 至分值 {fmt_score(spec.points)} 的范围"
    return None


def _apply(spec: Spec, fig: Figure) -> tuple[Decimal, str]:
    p, kind = spec.points, spec.formula
    full = fmt_score(p)
    if fig.na:
        return p, f"不适用，得{full}分"
    if kind == "surplus":
        closing, opening = fig.value
        scores = spec.param("scores")
        if closing == 0:
            return scores[0], f"年末无结转结余，得{fmt_score(scores[0])}分"
        if closing <= opening:
            return scores[1], f"有结转结余但不超过年初结转和结余，得{fmt_score(scores[1])}分"
        return scores[2], f"结转结余超过年初结转和结余，得{fmt_score(scores[2])}分"
    if fig.worst:
        return ZERO, "超出评分标准，得0分"
    rate = fig.rate
    if kind == "cap":
        limit, deduct = spec.param("limit"), spec.param("deduct")
        if rate <= limit:
            return p, f"{'不高于0' if limit == 0 else f'不超过{fmt_score(limit)}%'}，得{full}分"
        over = round2(rate - limit)
        score = max(ZERO, round2(p - over * deduct))
        return score, f"{'高于0' if limit == 0 else f'超过{fmt_score(limit)}%'}计{fmt_score(over)}个百分点，每个扣{fmt_score(deduct)}分，得{fmt_score(score)}分"
    if kind == "floor":
        target, deduct = spec.param("target"), spec.param("deduct")
        if rate >= target:
            return p, f"达到{fmt_score(target)}%，得{full}分"
        short = round2(target - rate)
        score = max(ZERO, round2(p - short * deduct))
        return score, f"低于{fmt_score(target)}%计{fmt_score(short)}个百分点，每个扣{fmt_score(deduct)}分，得{fmt_score(score)}分"
    if kind == "bands":
        for bound, score in spec.param("bands"):
            if rate >= bound:
                return score, f"不低于{fmt_score(bound)}%，得{fmt_score(score)}分"
        return ZERO, f"低于{fmt_score(spec.param('bands')[-1][0])}%，得0分"
    if kind == "bands_max":
        for bound, score in spec.param("bands"):
            if rate <= bound:
                return score, f"{'为0' if bound == 0 else f'不超过{fmt_score(bound)}%'}，得{fmt_score(score)}分"
        return ZERO, f"超过{fmt_score(spec.param('bands')[-1][0])}%，得0分"
    if kind == "ratio":
        if rate >= HUNDRED:
            return p, f"足额，得{full}分"
        score = round2(p * rate / HUNDRED)
        return score, f"按比例计{full}分×{fmt_percent(rate)}，得{fmt_score(score)}分"
    raise ValueError(f"unknown formula kind {kind!r}")


# ------------------------------------------------------------------ one score sheet

@dataclass
class Row:
    level1: str
    level2: str
    level3: str
    points: Decimal
    explanation: str
    standard: str
    score: Decimal | None
    computed: bool
    working: str  # for a computed score: figures = rate; rule → score (for the check's messages)
    note: str  # the clerk's 扣分原因和其他说明
    ref: str = ""
    value: Any = None  # the figure a computed score used (e.g. 实际到位资金, in 万元)
    plain: str = ""  # for a computed score, what the report prints: "公务卡刷卡率100.00%，达到50%，得3分"

    @property
    def remark(self) -> str:
        """The printed 扣分原因和其他说明: the plain result and the clerk's note, never the working."""
        return "；".join(t for t in (self.plain, self.note) if t)


@dataclass
class Sheet:
    """One 评分表 filled in: 整体 for the unit, or 专项 for one project."""

    template: Template
    target: str  # 整体, or the project's name
    rows: list[Row]
    project: Any = None  # performance.Project for a 专项 sheet
    texts: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((r.points for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((r.score or ZERO for r in self.rows), ZERO)

    @property
    def grade(self) -> str:
        return self.template.grade(self.total)

    def subtotal(self, level1: str, level2: str | None = None) -> Decimal:
        return sum((r.points for r in self.rows if r.level1 == level1 and (level2 is None or r.level2 == level2)), ZERO)

    def value_of(self, level3: str):
        """The figure the clerk entered for an indicator (e.g. 实际到位资金), in 万元 for amounts."""
        return next((r for r in self.rows if r.level3 == level3), None)

    @property
    def ok(self) -> bool:
        """Writable: no 错误 in its own findings (every score justified, points add up to 100)."""
        return not any(f.severity == ERROR for f in self.findings)


def _key(text) -> str:
    return "".join(str(text or "").split())


def _read_errors(acc) -> dict[str, Finding]:
    """The reader's 错误 on the self-evaluation sheets, by cell (a text in a 自评得分 cell, a 1e16 实际值)."""
    return {f.ref: f for f in acc.findings if f.severity == ERROR and is_selfeval(f)}


def _sheet(acc, template: Template, target: str, entries: list[dict], project=None) -> Sheet:
    findings: list[Finding] = []
    figures = Figures(acc, project)
    unread = _read_errors(acc)
    # a cell of this sheet's rows that could not be read stops this report (said once, by the reader)
    findings += [unread[ref] for e in entries for ref in e["_refs"].values() if ref in unread]
    label = "整体支出评分表" if template.scope == OVERALL else f"“{target}”专项评分表"
    by_key: dict[tuple[str, str], dict] = {}
    extra: list[dict] = []
    names3 = {_key(s.level3) for s in template.indicators}
    for e in entries:
        ref = e["_refs"].get("level3", SCORES_SHEET)
        k3, k2 = _key(e.get("level3")), _key(e.get("level2"))
        matches = [s for s in template.indicators if _key(s.level3) == k3 and (not k2 or _key(s.level2) == k2)]
        if len(matches) > 1:
            findings.append(Finding("SELF-ITEM", ERROR, e["_refs"].get("level2", ref),
                                    f"{label}中有多个三级指标“{e.get('level3')}”，请在“二级指标”列注明属于哪一个"))
            continue
        if not matches:
            if e.get("level1") and e.get("points") is not None and k3 not in names3:
                extra.append(e)
                continue
            findings.append(Finding("SELF-ITEM", ERROR, ref,
                                    f"{label}（{template.id}）中没有三级指标“{e.get('level3')}”；新增指标请填写一级指标和分值"))
            continue
        s = matches[0]
        if (s.level2, s.level3) in by_key:
            findings.append(Finding("SELF-ITEM", ERROR, ref, f"{label}的“{s.level3}”填了不止一行"))
            continue
        by_key[(s.level2, s.level3)] = e
    specs = list(template.indicators)
    for e in extra:  # an added indicator goes after the last one of its 一级 (and 二级) group
        s = Spec(e["level1"], e.get("level2") or e["level1"], e["level3"], e["points"], "", e.get("standard") or "")
        at = max((i for i, x in enumerate(specs) if x.level1 == s.level1 and x.level2 == s.level2), default=None)
        if at is None:
            at = max((i for i, x in enumerate(specs) if x.level1 == s.level1), default=len(specs) - 1)
        specs.insert(at + 1, s)
        by_key[(s.level2, s.level3)] = e
    rows = []
    for s in specs:
        e = by_key.get((s.level2, s.level3), {"_refs": {}})
        refs = e["_refs"]
        points = e.get("points") if e.get("points") is not None else s.points
        if points == 0:
            continue  # declared not applicable by the clerk
        if points < 0:
            findings.append(Finding("SELF-WEIGHT", ERROR, refs.get("points") or SCORES_SHEET,
                                    f"{label}的“{s.level3}”分值 {fmt_score(points)} 为负数；分值应大于 0（不适用的填 0）"))
        entered, note = e.get("score"), e.get("note") or ""
        where = refs.get("score") or SCORES_SHEET
        if s.formula and s.points == points:
            fig = figures.get(s.figure, s, e.get("value"))
            if fig.missing:
                if refs.get("value") not in unread:
                    findings.append(Finding("SELF-FIGURE", ERROR, refs.get("value") or SCORES_SHEET,
                                            f"{label}的“{s.level3}”按公式计分，缺少{fig.missing}"))
                rows.append(Row(s.level1, s.level2, s.level3, points, s.explanation, s.standard, None, True, "", note))
                continue
            wrong = out_of_range(s, fig)
            if wrong:
                findings.append(Finding("SELF-FIGURE", ERROR, refs.get("value") or where,
                                        f"{label}的“{s.level3}”按公式计分，{wrong}，超出合理范围；请核对"
                                        + ("实际值" if refs.get("value") else "所用的数字")))
            score, rule = apply(s, fig)
            shown = "＝".join(t for t in (fig.inputs, fig.rate_text) if t)
            working = f"{shown}；{rule}" if shown else rule
            if entered is not None and round2(entered) != score:
                findings.append(Finding("SELF-SCORE", WARNING, where,
                                        f"{label}的“{s.level3}”填写的得分 {fmt_score(entered)} 与按公式计算的 "
                                        f"{fmt_score(score)} 不一致；报告使用计算结果（{working}）"))
            if fig.rate is not None:
                plain = f"{s.level3}{fig.rate_text}，{rule}"
            else:  # a stated fact ("本年未安排也未发生“三公”经费") is plain; a formula is working
                plain = f"{fig.inputs}，{rule}" if fig.inputs and "÷" not in fig.inputs else rule
            rows.append(Row(s.level1, s.level2, s.level3, points, s.explanation, s.standard, score, True, working, note,
                            where, fig.value, plain))
            continue
        if entered is None:
            if where not in unread:
                findings.append(Finding("SELF-SCORE", ERROR, where,
                                        f"{label}的“{s.level3}”需人工评分，请在{SCORES_SHEET}中填写自评得分"))
        elif entered < 0 or entered > points:
            findings.append(Finding("SELF-SCORE", ERROR, where,
                                    f"{label}的“{s.level3}”自评得分 {fmt_score(entered)} 超出 0 至分值 {fmt_score(points)} 的范围"))
        elif round2(entered) != entered:
            findings.append(Finding("SELF-SCORE", ERROR, where,
                                    f"{label}的“{s.level3}”自评得分 {entered} 最多保留两位小数"))
        rows.append(Row(s.level1, s.level2, s.level3, points, s.explanation, s.standard, entered, False, "", note, where))
    sheet = Sheet(template, target, rows, project, findings=findings)
    if sheet.points != 100:
        findings.append(Finding("SELF-WEIGHT", ERROR, SCORES_SHEET,
                                f"{label}各指标分值合计为 {fmt_score(sheet.points)}，应为 100；请核对新增或改动分值的指标"))
    return sheet


def _attached_sheet(acc, template: Template, target: str, entries: list[dict], project=None) -> Sheet:
    """A 评分表 that is the 决算说明's own 附件 table (整体绩效指标, or a project's 项目绩效指标):
    the same rows, scores and notes, so the score is the one the 附件 prints."""
    ev = acc.evaluation
    label = "整体支出评分表" if template.scope == OVERALL else f"“{target}”专项评分表"
    sheet_name = "整体绩效指标" if template.scope == OVERALL else "项目绩效指标"
    findings = [Finding("SELF-ITEM", ERROR, e["_refs"].get("level3", SCORES_SHEET),
                        f"{label}（{template.id}）就是决算说明附件中的自评表：请在“{sheet_name}”表中评分，"
                        f"不在{SCORES_SHEET}中填写") for e in entries]
    rows = []
    if template.scope == OVERALL:
        for r in ev.unit_rows if ev else ():
            points = r.points if r.points is not None else ZERO  # a 扣分项 has no 分值 of its own
            rows.append(Row(r.level1, r.level2, r.level3, points, r.explanation, r.rule, r.score, False, "", r.note))
        if not rows:
            findings.append(Finding("SELF-FIGURE", ERROR, SCORES_SHEET,
                                    f"{label}（{template.id}）取自“整体绩效指标”表，该表没有指标"))
    else:
        rows.append(Row("预算执行", "预算执行", "预算执行率", project.execution_weight, "", EXECUTION_RULE,
                        project.execution_score, False, "", ""))
        for i in project.indicators:
            rows.append(Row(i.level1, i.level2, i.level3, i.weight, "", "", i.score, False, "", i.reason))
        if not project.indicators:
            findings.append(Finding("SELF-FIGURE", ERROR, project.ref or "项目绩效指标",
                                    f"{label}（{template.id}）取自“项目绩效指标”表，该表没有“{target}”的指标"))
    thresholds = ev.thresholds if ev else template.grades
    sheet = Sheet(replace(template, grades=thresholds), target, rows, project, findings=findings)
    if rows and sheet.points != 100:
        findings.append(Finding("SELF-WEIGHT", ERROR, sheet_name,
                                f"{label}各指标分值合计为 {fmt_score(sheet.points)}，应为 100"))
    return sheet


def _not_offered(acc, template: Template, field_key: str) -> Finding | None:
    """An 错误 when the unit's layout does not offer this 评分表 (another province's table)."""
    ids = offered(acc)
    if template.id in ids:
        return None
    layout = of_unit(acc.unit).label
    have = "、".join(ids) if ids else "没有"
    return Finding("SELF-ITEM", ERROR, acc.refs.get(f"{FORM}.{field_key}", "绩效自评报告"),
                   f"“{template.id}”是{template.province}省的{template.scope}评分表，本单位的报告格式（{layout}）"
                   f"提供的评分表：{have}；请改选，单位不能按其他省份的评分表自评")


# ------------------------------------------------------------------ all sheets of a workbook

@dataclass
class SelfEvaluation:
    overall: Sheet | None
    projects: list[Sheet]
    findings: list[Finding]

    def sheets(self) -> list[Sheet]:
        return ([self.overall] if self.overall else []) + self.projects


def _published_score(acc, target: str) -> tuple[Decimal | None, str]:
    """The score the 决算说明 prints for the same 评价对象 (十（四）), and where it comes from."""
    ev = acc.evaluation
    if target == OVERALL:
        if ev is not None and ev.unit_total is not None:
            return ev.unit_total, "整体绩效指标表的自评得分合计"
        rec = next((r for r in acc.performance if r.get("scope") == "整体" and r.get("score") is not None), None)
        return (rec["score"], "绩效管理表中整体的自评得分") if rec else (None, "")
    project = ev.project(target) if ev else None
    if project is not None and project.indicators:
        return project.score, "项目绩效自评表的得分"
    rec = next((r for r in acc.performance if r.get("name") == target and r.get("score") is not None), None)
    return (rec["score"], "绩效管理表中该项目的自评得分") if rec else (None, "")


def evaluate_selfeval(acc) -> SelfEvaluation:
    """The score sheets the workbook asks for (none when its 绩效自评报告 sheet names no 评分表)."""
    form = acc.forms.get(FORM, {})
    scores = acc.lists.get("selfeval_scores", [])
    wanted = acc.lists.get("selfeval_projects", [])
    findings: list[Finding] = []
    catalogue = templates()
    overall = None
    if form.get("overall_template"):
        entries = [e for e in scores if _key(e.get("target")) == OVERALL]
        template = catalogue[(OVERALL, form["overall_template"])]
        wrong = _not_offered(acc, template, "overall_template")
        overall = (_attached_sheet if template.source else _sheet)(acc, template, OVERALL, entries)
        if wrong:
            overall.findings.insert(0, wrong)
        people = acc.lists.get("selfeval_people", [])
        overall.findings += [f for ref, f in _read_errors(acc).items()
                             if any(ref in p["_refs"].values() for p in people) and f not in overall.findings]
        t01 = acc.tables["t01"]
        nontax = form.get("special_nontax") or ZERO
        room = t01.income_bottom["year_total"] - t01.income["gpb"] - t01.income["fund"]
        if nontax > room:
            overall.findings.append(Finding("SELF-FIGURE", ERROR, acc.refs.get(f"{FORM}.special_nontax", FORM),
                                            f"纳入专户管理的非税收入拨款 {fmt_amount(nontax)} 万元超过了财政拨款以外的本年收入 "
                                            f"{fmt_amount(room)} 万元（收入情况表的“其他收入”将为负数）"))
    sheets = []
    names = set()
    ref_project = acc.refs.get(f"{FORM}.project_template", "绩效自评报告")
    for rec in wanted:
        name = rec.get("project") or ""
        names.add(_key(name))
        project = acc.evaluation.project(name) if acc.evaluation else None
        where = rec["_refs"].get("project", "专项自评")
        if project is None:
            findings.append(Finding("SELF-ITEM", ERROR, where, f"专项自评的项目“{name}”不在“项目绩效自评”表中"))
            continue
        if not form.get("project_template"):
            findings.append(Finding("SELF-ITEM", ERROR, ref_project, f"“专项自评”表列了项目“{name}”，请选择专项评分表"))
            continue
        entries = [e for e in scores if _key(e.get("target")) == _key(name)]
        template = catalogue[(PROJECT, form["project_template"])]
        sheet = (_attached_sheet if template.source else _sheet)(acc, template, name, entries, project)
        wrong = _not_offered(acc, template, "project_template")
        if wrong:
            sheet.findings.insert(0, wrong)
        sheet.findings += [f for ref, f in _read_errors(acc).items() if ref in rec["_refs"].values()]
        sheet.texts = {k: rec.get(k) or "" for k in ("title", "preface", "execution", "benefit", "problems", "suggestions")}
        sheets.append(sheet)
    for e in scores:
        k = _key(e.get("target"))
        if k == OVERALL and overall is None:
            findings.append(Finding("SELF-ITEM", ERROR, e["_refs"].get("target", SCORES_SHEET),
                                    "自评评分表有“整体”的评分，请在“绩效自评报告”表中选择整体支出评分表"))
        elif k != OVERALL and k not in names:
            findings.append(Finding("SELF-ITEM", ERROR, e["_refs"].get("target", SCORES_SHEET),
                                    f"评价对象“{e.get('target')}”既不是“整体”，也不在“专项自评”表中"))
    from .layout import load_layout

    form_title = load_layout().form(FORM).title
    for sheet in ([overall] if overall else []) + sheets:  # the 绩效自评报告 sheet itself serves every report
        sheet.findings += [f for ref, f in _read_errors(acc).items()
                           if ref.split("!", 1)[0] == form_title and f not in sheet.findings]
        published, source = _published_score(acc, sheet.target)
        if published is not None and sheet.ok and round2(published) != sheet.total:
            what = "整体支出评分表" if sheet.target == OVERALL else f"“{sheet.target}”专项评分表"
            sheet.findings.append(Finding("SELF-TOTAL", ERROR, SCORES_SHEET,
                                          f"{what}各项得分之和为 {fmt_score(sheet.total)} 分，与决算说明所用的{source} "
                                          f"{fmt_score(published)} 分不一致；同一评价对象只能有一个得分"))
        findings.extend(sheet.findings)
    return SelfEvaluation(overall, sheets, findings)


def selfeval_findings(acc) -> list[Finding]:
    """What check.check() reports about the self-evaluation sheets."""
    return evaluate_selfeval(acc).findings
