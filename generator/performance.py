"""Budget-performance self-evaluation: 预算执行率, indicator scores, totals and 评价等次.

Plain functions over plain values, so each rule is stated once and tested directly:
- 预算执行率 = 执行数 ÷ 调整后预算数; undefined (None) when the budget is 0, never 0%.
- 预算执行 score = 权重 × 执行率, at most 权重.
- a quantitative indicator scores its full weight when met; when missed, pro rata:
  ＝ and ≥ by 完成值 ÷ 指标值, ≤ by 指标值 ÷ 完成值; a qualitative (定性) indicator, or one
  whose 指标值 is not a number, takes the score the clerk entered.
- 评价等次 by thresholds (default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .money import HUNDRED, ZERO, round2

EXECUTION_RULE = "预算执行率 × 权重，最高不超过权重"
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
NATURES = {"=": "＝", "＝": "＝", ">=": "≥", "≥": "≥", "＞＝": "≥", "<=": "≤", "≤": "≤", "＜＝": "≤", "定性": "定性"}
DEFAULT_GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)))


def parse_value(text) -> Decimal | None:
    """The number in an indicator value: "96%" → 96, "14,246人" → 14246, "≥95" → 95; None if none."""
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Decimal(str(text))
    normal = unicodedata.normalize("NFKC", str(text)).replace(",", "").strip()
    found = NUMBER.findall(normal)
    return Decimal(found[0]) if len(found) == 1 else None


def nature_of(text) -> str | None:
    return NATURES.get(unicodedata.normalize("NFKC", str(text or "")).strip().replace(" ", ""), None) or \
        NATURES.get(str(text or "").strip())


def execution_rate(executed: Decimal, budget: Decimal) -> Decimal | None:
    """执行数 ÷ 调整后预算数 as a ratio (1 = 100%); None for a zero budget."""
    if budget == 0:
        return None
    return executed / budget


def execution_score(weight: Decimal, rate: Decimal | None) -> Decimal | None:
    """权重 × 执行率, capped at 权重 (over-execution earns no more than full marks)."""
    if rate is None:
        return None
    return min(weight, weight * rate)


def indicator_score(nature: str, target, actual, weight: Decimal, entered: Decimal | None) -> tuple[Decimal | None, str]:
    """(score, how it was obtained) for one indicator; None with a reason when it cannot be scored."""
    if nature == "定性":
        return entered, "entered"
    goal, done = parse_value(target), parse_value(actual)
    if goal is None:  # e.g. 指标值 "应保尽保": judged by the clerk like a qualitative one
        if entered is not None:
            return entered, "entered"
        same = str(target or "").strip() == str(actual or "").strip()
        return (weight if same else None), ("met" if same else "unparsed-target")
    if done is None:  # the clerk's score stands if there is one (the check warns)
        return (entered, "entered-unparsed") if entered is not None else (None, "unparsed-actual")
    if nature in ("＝", "≥"):
        met = done >= goal
        score = weight if met or goal == 0 else weight * done / goal
    elif nature == "≤":
        met = done <= goal
        score = weight if met else (weight * goal / done if done > 0 else ZERO)
    else:
        return None, "unknown-nature"
    return max(score, ZERO), "met" if met else "pro-rata"


def grade(total: Decimal, thresholds=DEFAULT_GRADES) -> str:
    for name, low in thresholds:
        if total >= low:
            return name
    return "差"


def fmt_score(value: Decimal | None) -> str:
    """Scores as the tables print them: 10, 9.5, 97.25 (two decimals at most, no trailing zeros)."""
    if value is None:
        return "/"
    text = f"{round2(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_rate(rate: Decimal | None) -> str:
    return "/" if rate is None else f"{round2(rate * HUNDRED):.2f}%"


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    nature: str
    target: str
    unit: str
    actual: str
    weight: Decimal
    score: Decimal | None
    how: str
    reason: str = ""
    ref: str = ""


@dataclass
class Project:
    code: str
    name: str
    department: str
    implementer: str
    sources: dict[str, tuple[Decimal | None, Decimal | None, Decimal | None]]  # 来源 → (年初, 调整后, 执行)
    execution_weight: Decimal
    indicators: list[Indicator] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    ref: str = ""

    def total(self, i: int) -> Decimal:
        return sum((v[i] or ZERO for v in self.sources.values()), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.total(2), self.total(1))

    @property
    def execution_score(self) -> Decimal | None:
        return execution_score(self.execution_weight, self.rate)

    @property
    def score(self) -> Decimal:
        return (self.execution_score or ZERO) + sum((i.score or ZERO for i in self.indicators), ZERO)

    @property
    def weights(self) -> Decimal:
        return sum((i.weight for i in self.indicators), ZERO)


@dataclass
class UnitRow:
    level1: str
    level2: str
    level3: str
    points: Decimal | None
    explanation: str
    rule: str
    score: Decimal | None
    note: str


@dataclass
class Evaluation:
    """Everything the report says about performance, computed once from the workbook."""

    projects: list[Project]
    unit_rows: list[UnitRow]
    thresholds: tuple[tuple[str, Decimal], ...]
    findings: list = field(default_factory=list)

    @property
    def unit_total(self) -> Decimal | None:
        scores = [r.score for r in self.unit_rows if r.score is not None]
        return sum(scores, ZERO) if scores else None

    @property
    def unit_points(self) -> Decimal:
        return sum((r.points or ZERO for r in self.unit_rows), ZERO)

    def grade(self, total: Decimal | None) -> str:
        return "" if total is None else grade(total, self.thresholds)

    def project(self, name: str) -> Project | None:
        return next((p for p in self.projects if p.name == name), None)


SOURCES = (("fiscal", "财政资金"), ("special", "财政专户管理资金"), ("unit", "单位资金"), ("other", "其他资金"))


def evaluate(unit: dict, projects: list[dict], indicators: list[dict], unit_rows: list[dict]) -> Evaluation:
    """Score every project and the unit-wide table; the findings say what could not be scored."""
    from .findings import ERROR, WARNING, Finding

    thresholds = tuple((name, Decimal(str(unit.get(key) if unit.get(key) is not None else default)))
                       for (name, default), key in zip(DEFAULT_GRADES, ("grade_excellent", "grade_good", "grade_pass")))
    findings: list[Finding] = []
    out: list[Project] = []
    for rec in projects:
        if not rec.get("name"):
            continue
        refs = rec.get("_refs", {})
        sources = {label: tuple(rec.get(f"{kind}_{key}") for kind in ("initial", "adjusted", "executed"))
                   for key, label in SOURCES}
        weight = rec.get("execution_weight")
        weight = Decimal(10) if weight is None else Decimal(weight)
        texts = {k: (rec.get(k) or "") for k in ("goal", "goal_result", "content", "conclusion", "problems",
                                                 "measures", "leader", "finance_leader")}
        out.append(Project(str(rec.get("code") or ""), rec["name"], rec.get("department") or "",
                           rec.get("implementer") or "", sources, weight, texts=texts, ref=refs.get("name", "")))
    by_name = {p.name: p for p in out}
    for rec in indicators:
        refs = rec.get("_refs", {})
        project = by_name.get(rec.get("project") or "")
        if project is None:
            findings.append(Finding("PERF-PROJECT", ERROR, refs.get("project", "项目绩效指标"),
                                    f"指标所属项目“{rec.get('project') or ''}”不在“项目绩效自评”表中"))
            continue
        nature = nature_of(rec.get("nature")) or "定性"
        weight = Decimal(rec.get("weight") or 0)
        entered = rec.get("score")
        score, how = indicator_score(nature, rec.get("target"), rec.get("actual"), weight, entered)
        label = rec.get("level3") or rec.get("level2") or ""
        if how == "unparsed-actual":
            findings.append(Finding("PERF-VALUE", ERROR, refs.get("actual", ""),
                                    f"定量指标“{label}”的完成值“{rec.get('actual') or ''}”中读不出一个数字，也没有填写得分"))
        elif how == "entered-unparsed":
            findings.append(Finding("PERF-VALUE", WARNING, refs.get("actual", ""),
                                    f"定量指标“{label}”的完成值“{rec.get('actual') or ''}”中读不出一个数字，按填写的得分 "
                                    f"{fmt_score(entered)} 计"))
        elif how == "unparsed-target":
            findings.append(Finding("PERF-VALUE", ERROR, refs.get("score", ""),
                                    f"指标“{label}”的指标值“{rec.get('target')}”不是数字，请填写得分"))
        elif how == "entered" and entered is None:
            findings.append(Finding("PERF-VALUE", ERROR, refs.get("score", ""), f"定性指标“{label}”请填写得分"))
        if score is not None and score > weight:
            findings.append(Finding("PERF-SCORE", ERROR, refs.get("score", ""),
                                    f"指标“{label}”的得分 {fmt_score(score)} 超过其权重 {fmt_score(weight)}"))
        elif how in ("met", "pro-rata") and entered is not None and round2(entered) != round2(score):
            findings.append(Finding("PERF-SCORE", WARNING, refs.get("score", ""),
                                    f"指标“{label}”填写的得分 {fmt_score(entered)} 与按完成值计算的 {fmt_score(score)} 不一致；报告使用计算结果"))
        project.indicators.append(Indicator(rec.get("level1") or "", rec.get("level2") or "", label, nature,
                                            str(rec.get("target") or ""), rec.get("unit") or "",
                                            str(rec.get("actual") or ""), weight, score, how, rec.get("reason") or "",
                                            refs.get("level3", "")))
    for p in out:
        if p.indicators and (p.weights + p.execution_weight != 100):
            findings.append(Finding("PERF-WEIGHT", WARNING, p.ref,
                                    f"项目“{p.name}”的指标权重合计 {fmt_score(p.weights)} 加预算执行权重 "
                                    f"{fmt_score(p.execution_weight)} 为 {fmt_score(p.weights + p.execution_weight)}，应为 100"))
    rows = []
    for rec in unit_rows:
        refs = rec.get("_refs", {})
        row = UnitRow(rec.get("level1") or "", rec.get("level2") or "", rec.get("level3") or "", rec.get("points"),
                      rec.get("explanation") or "", rec.get("rule") or "", rec.get("score"), rec.get("note") or "")
        if row.points is not None and row.score is not None and row.score > row.points:
            findings.append(Finding("PERF-SCORE", ERROR, refs.get("score", ""),
                                    f"整体指标“{row.level3}”的自评得分 {fmt_score(row.score)} 超过分值 {fmt_score(row.points)}"))
        rows.append(row)
    evaluation = Evaluation(out, rows, thresholds, findings)
    if rows and evaluation.unit_points != 100:
        findings.append(Finding("PERF-WEIGHT", WARNING, "整体绩效指标",
                                f"整体绩效指标的分值合计为 {fmt_score(evaluation.unit_points)}，应为 100"))
    return evaluation
