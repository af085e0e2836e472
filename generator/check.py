"""Checks on the resolved accounts: table-to-table identities, required data, placeholders.

Within-table sums are checked while the accounts are resolved (accounts.py); this module
adds what links the tables and the narrative sheets. Every rule is declared in RULES with a
one-line Chinese description (the README's rule list is generated from it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from .accounts import Accounts, CodedTable, Grid, Resolver
from .findings import ERROR, HINT, SEVERITY_ORDER, WARNING, Finding
from .layout import load_layout
from .money import ZERO, fmt_amount, percent

RULES: dict[str, str] = {
    "READ-AMOUNT": "金额单元格必须是数字；带千分位、全角数字的按数字读取并提示",
    "READ-COUNT": "人数、车辆数、批次等必须是不小于 0 的整数",
    "READ-NUMBER": "得分等数值单元格必须是数字",
    "READ-CHOICE": "下拉选项只能填列表中的值",
    "READ-CODE": "填了金额的行必须有科目编码",
    "READ-CTRL": "文字中的不可见控制字符被删除",
    "PERF-PROJECT": "项目绩效指标所属的项目必须在“项目绩效自评”表中",
    "PERF-VALUE": "定量指标的完成值须能读出数字；定性指标（及指标值不是数字的指标）须填写得分",
    "PERF-SCORE": "得分不能超过权重（分值）；填写的定量指标得分与按完成值计算的不一致时提示",
    "PERF-WEIGHT": "每个项目的指标权重合计 90 加预算执行权重 10 为 100；整体指标分值合计为 100",
    "PERF-EXEC": "各项目执行数合计与附表的项目支出一致",
    "READ-OLD": "旧版空白工作簿缺少的说明类工作表或项目按空白处理（13 张附表和“单位信息”的必填项不可缺）",
    "CODE-FORMAT": "功能分类编码为 3、5、7 位数字，经济分类编码为 3、5 位数字",
    "CODE-DUP": "同一张表中科目编码不能重复",
    "CODE-UNKNOWN": "科目编码不在科目表中时使用表中名称并提示核对",
    "CODE-NAME": "科目名称与编码的现行名称不一致（含已停用的旧名称）",
    "SUM-ROW": "行内合计等于各组成列之和（如 本年支出合计 = 基本支出 + 项目支出 + …）",
    "SUM-TREE": "类 = 其下各款之和，款 = 其下各项之和",
    "SUM-TOTAL": "合计行 = 各类之和",
    "SUM-BALANCE": "总表中 本年收入/支出合计 与 总计 等于其组成项之和",
    "BAL-TOTAL": "收入总计 = 支出总计",
    "SUM-SG": "“三公”经费 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；小计 = 购置费 + 运行维护费（预算数、决算数分别核对）",
    "SUM-PRIOR": "上年数中的“三公”合计与各项之和一致",
    "LINK-CLASS": "总表各类支出与支出决算表（财政拨款总表与各明细表）的对应类一致",
    "LINK-INCOME": "财政拨款收入支出决算总表的收入与收入支出决算总表的财政拨款收入一致",
    "LINK-TABLES": "附表之间的勾稽关系（收入决算表、支出决算表与总表，一般公共预算表与财政拨款总表，基本支出表与人员经费、公用经费）",
    "LINK-RUNNING": "行政单位和参公事业单位的机关运行经费等于基本支出表的公用经费合计",
    "BUDGET-MISSING": "一般公共预算财政拨款支出的项级科目应填报预算数",
    "PRIOR-MISSING": "正文需要比较的上年数应填写",
    "PRIOR-DIFF": "填写的上年数与上年工作簿（--previous）中的数一致",
    "REASON-MISSING": "增减变动超过阈值（默认 10% 且 10 万元）时应填写变动原因",
    "UNIT-REQUIRED": "单位信息中的必填项目不能为空",
    "UNIT-YEAR": "报告年度应在 2000 至 2100 年之间；单位信息文字中的年末日期应为报告年度",
    "NEG-AMOUNT": "附表和其他表中的金额不应为负数（年初、年末结转结余等余额除外）",
    "READ-FORMULA": "公式单元格必须有计算结果；合计等可推算的格子中的无结果公式按空白处理",
    "READ-MERGED": "数据区域中不能有合并单元格",
    "TEXT-PLACEHOLDER": "文字中不能留有“XXX”“（具体工作）”等占位内容",
    "GLOSSARY-MISSING": "表中出现的科目没有现成的名词解释时提示",
    "READ-TEXT": "文字单元格（如单位名称）不能填 TRUE/FALSE 等逻辑值",
}



@dataclass(frozen=True)
class Settings:
    """Thresholds of the checks, from data/checks.toml (overridable per run)."""

    change_amount: Decimal
    change_percent: Decimal
    placeholder: re.Pattern
    may_be_negative: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> "Settings":
        raw = tomllib.loads(resources.files("generator").joinpath("data/checks.toml").read_text("utf-8"))
        return cls(Decimal(str(raw["change_amount"])), Decimal(str(raw["change_percent"])),
                   re.compile("|".join(f"(?:{p})" for p in raw["placeholders"]), re.I),
                   frozenset(raw["may_be_negative"]))


def _links(acc: Accounts, rs: Resolver) -> None:
    t = acc.tables
    t01, t02, t03, t04, t06 = t["t01"], t["t02"], t["t03"], t["t04"], t["t06"]
    title = {k: v.table.title for k, v in t.items()}
    pairs = [
        (f"{title['t02']}合计 本年收入合计", t02.total["total"], f"{title['t01']} 本年收入合计", t01.income_bottom["year_total"], "t02"),
        (f"{title['t03']}合计 本年支出合计", t03.total["total"], f"{title['t01']} 本年支出合计",
         t01.expense_bottom["year_total"]["amount"], "t03"),
        (f"{title['t02']}合计 财政拨款收入", t02.total["fiscal"], f"{title['t04']} 本年收入合计", t04.income_bottom["year_total"], "t02"),
        (f"{title['t06']}合计", t06.total["total"], f"{title['t04']} 一般公共预算财政拨款本年支出",
         t04.expense_bottom["year_total"]["gpb"], "t06"),
        (f"{title['t05']}合计", t["t05"].total["total"], f"{title['t04']} 本年支出合计",
         t04.expense_bottom["year_total"]["total"], "t05"),
        (f"{title['t05']} 一般公共预算财政拨款", t["t05"].total["gpb"], f"{title['t06']}合计", t06.total["total"], "t05"),
        (f"{title['t07']}合计", t["t07"].total["total"], f"{title['t06']}合计", t06.total["total"], "t07"),
        (f"{title['t07']} 基本支出", t["t07"].total["basic"], f"{title['t06']} 基本支出", t06.total["basic"], "t07"),
        (f"{title['t08']}合计（人员经费 + 公用经费）", t["t08"].total["amount"], f"{title['t06']} 基本支出", t06.total["basic"], "t08"),
        (f"{title['t09']}合计", t["t09"].total["amount"], f"{title['t06']} 项目支出", t06.total["project"], "t09"),
        (f"{title['t10']} 本年支出", t["t10"].total["spend"], f"{title['t04']} 政府性基金预算财政拨款本年支出",
         t04.expense_bottom["year_total"]["fund"], "t10"),
        (f"{title['t12']}合计", t["t12"].total["total"], f"{title['t11']} 本年支出", t["t11"].total["spend"], "t12"),
    ]
    for label_a, a, label_b, b, tid in pairs:
        if a != b:
            rs.compare("LINK-TABLES", title[tid], label_a, a, [(label_b, b)])
    for key, label in (("gpb", "一般公共预算财政拨款"), ("fund", "政府性基金预算财政拨款"), ("soe", "国有资本经营预算财政拨款")):
        if t01.income[key] != t04.income[key]:
            rs.compare("LINK-INCOME", title["t04"], f"{title['t04']} {label}", t04.income[key],
                       [(f"{title['t01']} {label}收入", t01.income[key])])
    fiscal = t01.income["gpb"] + t01.income["fund"] + t01.income["soe"]
    if t02.total["fiscal"] != fiscal and t02.total["fiscal"] != t04.income_bottom["year_total"]:
        rs.compare("LINK-TABLES", title["t02"], f"{title['t02']}合计 财政拨款收入", t02.total["fiscal"],
                   [(f"{title['t01']} 财政拨款收入（一 + 二 + 三）", fiscal)])


def _running_costs(acc: Accounts, rs: Resolver) -> None:
    if acc.unit.get("unit_type") not in ("行政单位", "参照公务员法管理的事业单位"):
        return
    rc = acc.other.get("running_costs")
    ref = acc.refs["other.running_costs"]
    public = acc.basic_total("公用经费")
    if rc is None:
        rs.findings.append(Finding("LINK-RUNNING", WARNING, ref,
                                   f"行政单位和参公事业单位应填写机关运行经费；报告暂按公用经费合计 {fmt_amount(public)} 万元列示"))
    elif rc != public:
        rs.compare("LINK-RUNNING", ref, "机关运行经费", rc, [("基本支出表公用经费合计", public)])


def _required(acc: Accounts, findings: list[Finding]) -> None:
    form = load_layout().form("unit")
    for f in form.fields:
        if f.required and acc.unit.get(f.key) in (None, ""):
            findings.append(Finding("UNIT-REQUIRED", ERROR, acc.refs[f"unit.{f.key}"], f"请填写“{f.label}”"))
    year = acc.unit.get("year")
    if year is not None and not 2000 <= year <= 2100:
        findings.append(Finding("UNIT-YEAR", ERROR, acc.refs["unit.year"], f"报告年度应在 2000 至 2100 年之间，实为“{year}”"))


def _placeholders(acc: Accounts, findings: list[Finding], pattern: re.Pattern) -> None:
    layout = load_layout()
    for form in layout.forms:
        if form.is_list:
            for rec in acc.lists.get(form.id, []):
                for f in form.fields:
                    _placeholder(rec.get(f.key), rec["_refs"][f.key], f.label, findings, pattern)
            continue
        values = {"unit": acc.unit, "prior": acc.prior, "reasons": acc.reasons, "sg": acc.sg, "other": acc.other}[form.id]
        for f in form.fields:
            _placeholder(values.get(f.key), acc.refs[f"{form.id}.{f.key}"], f.label, findings, pattern)


def _placeholder(value, ref: str, label: str, findings: list[Finding], pattern: re.Pattern) -> None:
    if isinstance(value, str):
        m = pattern.search(value)
        if m:
            findings.append(Finding("TEXT-PLACEHOLDER", ERROR, ref,
                                    f"“{label}”中有占位文字“{m.group(0)}”，请改为实际内容或删除"))


def _changes(acc: Accounts, findings: list[Finding], settings: Settings) -> None:
    """Missing prior-year figures, and big changes without a reason."""
    t = acc.tables
    now = {
        "total": t["t01"].income_bottom["total"],
        "fiscal_total": t["t04"].income_bottom["total"],
        "gpb_expense": t["t06"].total["total"],
        "fund_expense": t["t10"].total["spend"],
        "soe_expense": acc.soe_spending(),
        "sg_total": t["t13"].get("total", "actual"),
        "sg_abroad": t["t13"].get("abroad", "actual"),
        "sg_car": t["t13"].get("car", "actual"),
        "sg_reception": t["t13"].get("reception", "actual"),
    }
    if acc.other.get("running_costs") is not None:
        now["running_costs"] = acc.other["running_costs"]
    labels = {f.key: f.label for f in load_layout().form("prior").fields}
    for key, value in now.items():
        prior = acc.prior.get(key)
        if prior is None:
            if key in ("total", "fiscal_total", "gpb_expense", "sg_total") or value != 0:
                findings.append(Finding("PRIOR-MISSING", WARNING, acc.refs[f"prior.{key}"],
                                        f"未填写上年“{labels[key]}”，报告中不作同比比较"))
            continue
        diff = abs(value - prior)
        pct = percent(diff, prior) if prior else None
        big = diff >= settings.change_amount and (pct is None or pct >= settings.change_percent)
        if big and not acc.reasons.get(key):
            findings.append(Finding("REASON-MISSING", WARNING, acc.refs[f"reasons.{key}"],
                                    f"“{labels[key]}”由 {fmt_amount(prior)} 变为 {fmt_amount(value)} 万元，变动较大，请填写变动原因"))


def _negatives(acc: Accounts, findings: list[Finding], allowed: frozenset[str]) -> None:
    """Amounts the official tables cannot have below zero (balances excepted)."""
    for tid, table in sorted(acc.tables.items()):
        if isinstance(table, CodedTable):
            for line in table.lines:
                for key, value in line.values.items():
                    if value < 0 and key not in allowed:
                        label = table.table.column(key).label
                        findings.append(Finding("NEG-AMOUNT", ERROR, line.ref or table.table.title,
                                                f"{line.code} {line.name} 的{label}为负数 {fmt_amount(value)}，本表不应出现负数"))
        elif isinstance(table, Grid):
            for (item, measure), value in table.values.items():
                if value < 0:
                    findings.append(Finding("NEG-AMOUNT", ERROR, table.table.title,
                                            f"“三公”经费 {item} 的{measure == 'budget' and '预算数' or '决算数'}为负数 {fmt_amount(value)}"))
        else:
            for key, value in table.income.items():
                if value < 0:
                    findings.append(Finding("NEG-AMOUNT", ERROR, table.table.title,
                                            f"收入项目 {key} 为负数 {fmt_amount(value)}"))
    for form_id, values in (("prior", acc.prior), ("other", acc.other), ("sg", acc.sg)):
        for key, value in values.items():
            if isinstance(value, Decimal) and value < 0:
                findings.append(Finding("NEG-AMOUNT", ERROR, acc.refs[f"{form_id}.{key}"], f"金额不应为负数：{fmt_amount(value)}"))


YEAR_MENTION = re.compile(r"截至\s*(\d{4})\s*年|(\d{4})\s*年(?:末|底|12月31日)")


def _years(acc: Accounts, findings: list[Finding]) -> None:
    """A year-end date in the unit facts that is not the report year (e.g. 截至2019年 in a 2020 report)."""
    year = acc.unit.get("year")
    if not year:
        return
    for key in ("structure", "duties"):
        text = acc.unit.get(key) or ""
        for m in YEAR_MENTION.finditer(text):
            found = int(m.group(1) or m.group(2))
            if found != year:
                findings.append(Finding("UNIT-YEAR", WARNING, acc.refs[f"unit.{key}"],
                                        f"文字中的“{m.group(0)}”与报告年度 {year} 不一致"))


def _budgets(acc: Accounts, findings: list[Finding]) -> None:
    """Every 一般公共预算 item the report lists needs its budget for "完成预算"."""
    given = {str(r.get("code") or "").removesuffix(".0") for r in acc.budget
             if r.get("initial") is not None or r.get("adjusted") is not None}
    for line in acc.tables["t06"].leaves():
        if line.values["total"] != 0 and line.code not in given:
            findings.append(Finding("BUDGET-MISSING", WARNING, "预算数",
                                    f"科目 {line.code} {line.name} 没有填报预算数，报告中不写“完成预算”"))


def _project_execution(acc: Accounts, findings: list[Finding]) -> None:
    """Σ 执行数 of the self-evaluated projects against the 项目支出 of the 支出决算表."""
    projects = acc.evaluation.projects if acc.evaluation else []
    if not projects:
        return
    executed = sum((p.total(2) for p in projects), ZERO)
    project = acc.tables["t03"].total["project"]
    if round(executed, 2) != round(project, 2):
        findings.append(Finding("PERF-EXEC", WARNING, "项目绩效自评",
                                f"各项目执行数合计 {fmt_amount(executed)} 万元，支出决算表项目支出 {fmt_amount(project)} 万元，"
                                "两者不一致；请核对项目范围（如上解基金专户的资金不在本单位支出中）"))


def check(acc: Accounts, settings: Settings | None = None) -> list[Finding]:
    """All findings for these accounts (those of reading and resolving included), sorted."""
    settings = settings or Settings.default()
    rs = Resolver(list(acc.findings))
    _links(acc, rs)
    _running_costs(acc, rs)
    _required(acc, rs.findings)
    _years(acc, rs.findings)
    _negatives(acc, rs.findings, settings.may_be_negative)
    _placeholders(acc, rs.findings, settings.placeholder)
    _changes(acc, rs.findings, settings)
    _budgets(acc, rs.findings)
    _project_execution(acc, rs.findings)
    unique = list(dict.fromkeys(rs.findings))
    return sorted(unique, key=lambda f: SEVERITY_ORDER[f.severity])


def rules_markdown() -> str:
    """The rule list as a Markdown table (README's copy is generated from this; a test compares)."""
    lines = ["| 规则 | 检查内容 |", "|---|---|"]
    lines += [f"| `{rule}` | {text} |" for rule, text in RULES.items()]
    return "\n".join(lines)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


__all__ = ["RULES", "check", "has_errors", "HINT"]
