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

from .accounts import REARRANGEMENTS, ROUNDING_PER_ITEM, Accounts, CodedTable, Grid, Resolver, line_source, total_source
from .identities import Identity, Source, blamed_cells, identity_findings
from .codes import economic_codes
from .findings import ERROR, HINT, SEVERITY_ORDER, WARNING, Finding
from .layout import load_layout
from .money import ZERO, fmt_amount, fmt_percent, percent
from .profiles import of_unit
from .selfeval import is_selfeval, selfeval_findings

RULES: dict[str, str] = {
    "READ-AMOUNT": "金额单元格必须是数字；带千分位、全角数字的按数字读取并提示",
    "READ-COUNT": "人数、车辆数、批次等必须是不小于 0 的整数",
    "READ-NUMBER": "得分等数值单元格必须是数字",
    "READ-CHOICE": "下拉选项只能填列表中的值",
    "READ-CODE": "填了金额的行必须有科目编码",
    "READ-HIDDEN": "隐藏的工作表，以及隐藏行或表格填写区域之外的行中有金额时提示核对（这些内容计入报告）",
    "READ-SKIPPED": "报告不读取的工作表超过行数、列数或单元格数的上限时跳过（不读取），并提示",
    "READ-CTRL": "文字中的不可见控制字符被删除",
    "PERF-PROJECT": "项目绩效指标所属的项目必须在“项目绩效自评”表中",
    "PERF-VALUE": "定量指标的完成值须能读出数字；定性指标（及指标值不是数字的指标）须填写得分",
    "PERF-SCORE": "得分不能超过权重（分值）；填写的定量指标得分与按完成值计算的不一致时提示",
    "PERF-WEIGHT": "每个项目的指标权重合计 90 加预算执行权重 10 为 100；整体指标分值合计为 100",
    "PERF-EXEC": "各项目执行数合计与附表的项目支出一致（不一致的原因可在“说明文字”中说明）",
    "PERF-MISSING": "应填写绩效管理情况（报告中预算绩效管理一节据此生成）",
    "COUNT-MISSING": "报告中列示的实物量（团组、批次、人次、设备台数）应填写，没有的填 0",
    "READ-OLD": "旧版空白工作簿缺少的说明类工作表或项目按空白处理（13 张附表和“单位信息”的必填项不可缺）",
    "CODE-FORMAT": "功能分类编码为 3、5、7 位数字，经济分类编码为 3、5 位数字",
    "CODE-DUP": "同一张表中科目编码不能重复；预算数、绩效管理、项目绩效自评表中的编码或名称也不能重复",
    "CODE-UNKNOWN": "科目编码不在科目表中时使用表中名称并提示核对",
    "CODE-NAME": "科目名称与编码的现行名称不一致（含已停用的旧名称）",
    "SUM-ROW": "行内合计等于各组成列之和（如 本年支出合计 = 基本支出 + 项目支出 + …）",
    "SUM-TREE": "类 = 其下各款之和，款 = 其下各项之和",
    "SUM-TOTAL": "合计行 = 各类之和",
    "SUM-BALANCE": "总表中 本年收入/支出合计 与 总计 等于其组成项之和",
    "BAL-TOTAL": "收入总计 = 支出总计",
    "BAL-NEGATIVE": "由程序推算的年末结转和结余不能为负数（多为某项支出多填或收入少填）",
    "SUM-SG": "“三公”经费 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；小计 = 购置费 + 运行维护费（预算数、决算数分别核对）",
    "SUM-PRIOR": "上年数中的“三公”合计与各项之和一致",
    "LINK-CLASS": "总表各类支出与支出决算表（财政拨款总表与各明细表）的对应类一致",
    "LINK-INCOME": "财政拨款收入支出决算总表的收入与收入支出决算总表的财政拨款收入一致",
    "LINK-TABLES": "附表之间的勾稽关系（收入决算表、支出决算表与总表，一般公共预算表与财政拨款总表，基本支出表与人员经费、公用经费）；同一个数在几处不一致时，只在最可能填错的单元格报告一次",
    "LINK-RUNNING": "行政单位和参公事业单位的机关运行经费等于基本支出表的公用经费合计；部门含事业单位的，等于填写的行政单位和参公单位公用经费",
    "SG-ECONOMIC": "“三公”各项决算数与一般公共预算经济分类科目一致（30212 因公出国（境）费用、30217 公务接待费、30231 公务用车运行维护费、31013 公务用车购置）；有其他财政拨款支出时“三公”可以更多",
    "UNIT-AMOUNT": "按所选金额单位读出的金额大小应合乎常理（防止按元填写却选了万元）",
    "BUDGET-MISSING": "一般公共预算财政拨款支出的项级科目应填报预算数",
    "PRIOR-MISSING": "正文需要比较的上年数应填写",
    "PRIOR-DIFF": "填写的上年数与上年工作簿（--previous）中的数一致",
    "DEPT-PRIOR": "部门汇总：有单位未填的上年数不汇总、不比较；收入支出总计、本年收入合计和本年支出合计只在上年的内部往来已知（各单位上年的工作簿）时抵销后比较",
    "UNIT-REPEAT": "批量处理：单位编码相同（没有编码时单位名称相同）的两份工作簿是同一单位，全区合计只计一次；两份数字不同时为错误",
    "UNIT-OTHER-YEAR": "批量处理：报告年度不是多数单位的年度的单位不计入全区合计",
    "REASON-MISSING": "正文比较的每个合计（收入支出总计、本年收入合计、本年支出合计、财政拨款、“三公”经费及其决算与预算等）增减变动超过阈值（默认 10% 且 10 万元）时应填写变动原因",
    "UNIT-REQUIRED": "单位信息中的必填项目不能为空",
    "UNIT-YEAR": "报告年度应在 2000 至 2100 年之间；单位信息文字中的年末日期应为报告年度",
    "NEG-AMOUNT": "附表和其他表中的金额不应为负数（年初、年末结转结余等余额除外）",
    "READ-FORMULA": "公式单元格必须有计算结果；合计等可推算的格子中的无结果公式按空白处理",
    "READ-MERGED": "数据区域中不能有合并单元格",
    "TEXT-PLACEHOLDER": "文字中不能留有“XXX”“（具体工作）”等占位内容",
    "GLOSSARY-MISSING": "表中出现的科目没有现成的名词解释时提示",
    "SELF-ITEM": "绩效自评报告：评价对象须为“整体”或“专项自评”表中的项目，三级指标须在所选评分表中（新增指标须填一级指标和分值）",
    "SELF-SCORE": "绩效自评报告：人工评分的指标须填自评得分，且在 0 至分值之间；填写的得分与按公式计算的不一致时提示",
    "SELF-WEIGHT": "绩效自评报告：评分表各指标分值合计为 100",
    "SELF-FIGURE": "绩效自评报告：按公式计分的指标须有所需的数字（如编制人数、上年“三公”经费、实际值）",
    "SELF-TOTAL": "绩效自评报告：评分表合计与决算说明中同一评价对象的自评得分一致",
    "READ-TEXT": "文字单元格（如单位名称）不能填 TRUE/FALSE 等逻辑值；单位名称、项目名称等作标题的名称须含汉字或字母（不能只是 12345）",
}

# The short Chinese name of each rule, as the page and the check workbook show it (the code
# stays beside it in small print, for the README's rule list and for support).
RULE_NAMES: dict[str, str] = {
    "READ-AMOUNT": "金额格式", "READ-COUNT": "人数车辆数", "READ-NUMBER": "数值格式", "READ-CHOICE": "下拉选项",
    "READ-CODE": "缺科目编码", "READ-HIDDEN": "隐藏行有数", "READ-CTRL": "不可见字符", "PERF-PROJECT": "指标所属项目",
    "PERF-VALUE": "指标完成值", "PERF-SCORE": "指标得分", "PERF-WEIGHT": "指标权重", "PERF-EXEC": "项目执行数",
    "PERF-MISSING": "缺绩效情况", "COUNT-MISSING": "缺实物量", "READ-OLD": "旧版工作簿", "CODE-FORMAT": "编码位数",
    "CODE-DUP": "编码重复", "CODE-UNKNOWN": "未知科目", "CODE-NAME": "科目名称", "SUM-ROW": "行内合计",
    "SUM-TREE": "类款项合计", "SUM-TOTAL": "合计行", "SUM-BALANCE": "总表合计", "BAL-TOTAL": "收支总计相等",
    "BAL-NEGATIVE": "结余为负", "SUM-SG": "三公合计", "SUM-PRIOR": "上年三公合计", "LINK-CLASS": "总表分类支出",
    "LINK-INCOME": "财政拨款收入", "LINK-TABLES": "表间勾稽", "LINK-RUNNING": "机关运行经费",
    "SG-ECONOMIC": "三公与经济分类", "UNIT-AMOUNT": "金额单位", "BUDGET-MISSING": "缺预算数",
    "PRIOR-MISSING": "缺上年数", "PRIOR-DIFF": "上年数不符", "REASON-MISSING": "缺变动原因",
    "UNIT-REQUIRED": "单位信息必填", "UNIT-YEAR": "报告年度", "NEG-AMOUNT": "负数金额", "READ-FORMULA": "公式无结果",
    "READ-MERGED": "合并单元格", "TEXT-PLACEHOLDER": "占位文字", "GLOSSARY-MISSING": "缺名词解释",
    "SELF-ITEM": "自评指标", "SELF-SCORE": "自评得分", "SELF-WEIGHT": "自评分值", "SELF-FIGURE": "自评所需数字",
    "SELF-TOTAL": "自评总分", "READ-TEXT": "文字格式", "READ-SKIPPED": "跳过超大工作表", "DEPT-PRIOR": "部门上年数",
    "UNIT-REPEAT": "同一单位两份", "UNIT-OTHER-YEAR": "年度不同",
}


def rule_name(rule: str) -> str:
    """The Chinese name of a rule code ("LINK-TABLES" → "表间勾稽"); an unknown code as it is."""
    return RULE_NAMES.get(rule, rule)


ADMIN_TYPES = ("行政单位", "参照公务员法管理的事业单位")
IMPLAUSIBLE_WAN = Decimal(1_000_000)  # 100 亿元: no budget unit's 总计 in 万元 reaches it


@dataclass(frozen=True)
class Settings:
    """Thresholds of the checks, from data/checks.toml (overridable per run)."""

    change_amount: Decimal
    change_percent: Decimal
    placeholder: re.Pattern
    may_be_negative: frozenset[str]
    compared: tuple[dict, ...] = ()  # the totals the text compares (checks.toml)

    @classmethod
    @cache
    def default(cls) -> "Settings":
        raw = tomllib.loads(resources.files("generator").joinpath("data/checks.toml").read_text("utf-8"))
        return cls(Decimal(str(raw["change_amount"])), Decimal(str(raw["change_percent"])),
                   re.compile("|".join(f"(?:{p})" for p in raw["placeholders"]), re.I),
                   frozenset(raw["may_be_negative"]), tuple(raw["compared"]))


def _balance_source(b, path: str, label: str) -> Source:
    """A row of a 总表 ("income_bottom.year_total", "expense_bottom.year_total.gpb") as a source."""
    parts = path.split(".")
    value = getattr(b, parts[0])[parts[1]]
    if len(parts) == 3:
        value = value[parts[2]]
    entered = path in b.entered
    return Source(f"{b.table.title} {label}", value, b.refs.get(path, b.table.title), entered,
                  () if entered else b.inputs.get(path, ()))


def _identities(acc: Accounts) -> list[Identity]:
    """Each quantity the 附表 print more than once, with every place it is printed."""
    t = acc.tables
    t01, t04 = t["t01"], t["t04"]
    from .profiles import of_unit

    published = of_unit(acc.unit).publishes  # a table the profile does not publish prints nothing

    def total(tid: str, key: str) -> Source | None:
        table = t[tid]
        return None if table.derived_from or not published(tid) else total_source(table, key)

    def income_sum(b, keys: tuple[str, ...], label: str) -> Source:
        value = sum((b.income[k] for k in keys), ZERO)
        cells = tuple(b.refs[f"income.{k}"] for k in keys if f"income.{k}" in b.entered)
        return Source(f"{b.table.title} {label}", value, b.refs[f"income.{keys[0]}"], False, cells, len(keys))

    quantities = [
        ("本年收入合计", [total("t02", "total"), _balance_source(t01, "income_bottom.year_total", "本年收入合计")]),
        ("本年支出合计", [total("t03", "total"),
                      _balance_source(t01, "expense_bottom.year_total.amount", "本年支出合计")]),
        ("财政拨款收入", [total("t02", "fiscal"), _balance_source(t04, "income_bottom.year_total", "本年收入合计"),
                    income_sum(t01, ("gpb", "fund", "soe"), "财政拨款收入（一 + 二 + 三）")]),
        ("一般公共预算财政拨款支出", [total("t06", "total"), total("t05", "gpb"), total("t07", "total"),
                          _balance_source(t04, "expense_bottom.year_total.gpb", "一般公共预算财政拨款本年支出")]),
        ("财政拨款支出", [total("t05", "total"), _balance_source(t04, "expense_bottom.year_total.total", "本年支出合计")]),
        ("一般公共预算财政拨款基本支出", [total("t06", "basic"), total("t07", "basic"), total("t08", "amount")]),
        ("一般公共预算财政拨款项目支出", [total("t06", "project"), total("t07", "project"), total("t09", "amount")]),
        ("政府性基金预算财政拨款支出", [total("t10", "spend"), total("t05", "fund"),
                           _balance_source(t04, "expense_bottom.year_total.fund", "政府性基金预算财政拨款本年支出")]),
        ("国有资本经营预算财政拨款支出", [total("t11", "spend"), total("t05", "soe")]
         + ([total("t12", "total")] if not t["t12"].is_empty() else [])
         + [_balance_source(t04, "expense_bottom.year_total.soe", "国有资本经营预算财政拨款本年支出")]),
    ]
    out = [Identity("LINK-TABLES", what, tuple(s for s in srcs if s is not None)) for what, srcs in quantities]
    for tid, parts in REARRANGEMENTS.items():  # a typed 表5/表7, row by row against what it re-arranges
        table = t[tid]
        if table.derived_from:
            continue
        for src_id, src_key, key in parts:
            src = t[src_id]
            for code in sorted({l.code for l in table.leaves()} | {l.code for l in src.leaves()}):
                a, b = line_source(table, code, key), line_source(src, code, src_key)
                if a.value != 0 or b.value != 0:
                    out.append(Identity("LINK-TABLES", f"科目 {code} 的{table.table.column(key).label}", (a, b)))
    return out


def _links(acc: Accounts, rs: Resolver) -> None:
    """Every identity of the accounts judged together: one finding per typo, at its cell."""
    found = identity_findings(acc.identities + _identities(acc))
    rs.findings.extend(found)
    told = blamed_cells(found)
    seen: set[tuple[str, ...]] = set()
    for bal in acc.derived_balances:
        if bal.value < 0 and not told & set(bal.inputs) and bal.inputs not in seen:
            seen.add(bal.inputs)
            cells = "、".join(bal.inputs[:6]) + ("等" if len(bal.inputs) > 6 else "")
            rs.findings.append(Finding(
                "BAL-NEGATIVE", ERROR, bal.ref,
                f"{bal.label}由程序推算为 {fmt_amount(bal.value)}（总计减本年支出等），不能为负数；"
                f"通常是某项支出多填或收入少填，请核对参与计算的单元格：{cells or '各项收入和支出'}", bal.inputs[:6],
                ((bal.ref, fmt_amount(bal.value)),)))  # the grey cell shows the figure in the check workbook


def _running_costs(acc: Accounts, rs: Resolver) -> None:
    """机关运行经费 = the 公用经费 of the 行政单位/参公 parts: all of it, unless the workbook states
    that part separately (a 部门 that also holds 事业单位)."""
    admin_public = acc.other.get("admin_public_costs")
    if acc.unit.get("unit_type") not in ADMIN_TYPES and admin_public is None:
        return
    rc = acc.other.get("running_costs")
    ref = acc.refs["other.running_costs"]
    public = acc.basic_total("公用经费")
    if admin_public is not None and admin_public > public:
        rs.findings.append(Finding("LINK-RUNNING", ERROR, acc.refs["other.admin_public_costs"],
                                   f"行政单位和参公单位的公用经费 {fmt_amount(admin_public)} 万元超过基本支出表的公用经费合计 "
                                   f"{fmt_amount(public)} 万元"))
        return
    base, label = ((admin_public, "行政单位和参公单位的公用经费") if admin_public is not None
                   else (public, "基本支出表公用经费合计"))
    if rc is None:
        rs.findings.append(Finding("LINK-RUNNING", WARNING, ref,
                                   f"行政单位和参公事业单位应填写机关运行经费；报告暂按{label} {fmt_amount(base)} 万元列示"))
    elif rc != base:
        rs.compare("LINK-RUNNING", ref, "机关运行经费", rc, [(label, base)])


SG_ECONOMIC = (("abroad", "30212"), ("reception", "30217"), ("car_run", "30231"), ("car_buy", "31013"))


def _three_public(acc: Accounts, findings: list[Finding]) -> None:
    """三公 items against their economic lines of the 一般公共预算 tables. The 三公 table covers
    all 财政拨款, so it may exceed the 一般公共预算 line only when other 财政拨款 were spent."""
    t, g = acc.tables, acc.tables["t13"]
    t07 = t["t07"]
    year = t["t04"].expense_bottom["year_total"]
    from .profiles import of_unit

    # 三公 paid from other 财政拨款, or from 项目支出 where the profile publishes no 项目支出 table (表9)
    other_funds = year["fund"] + year["soe"] > 0 or not of_unit(acc.unit).publishes("t09")
    for item, code in SG_ECONOMIC:
        sg = g.get(item, "actual")
        src = line_source(t07, code, "total")
        line = t07.line(code)
        econ = line.values["total"] if line else ZERO
        sg_ref = g.refs.get((item, "actual"), g.table.title)
        label = next(i.label for i in g.table.items if i.key == item)
        name = line.name if line else economic_codes()[code].name
        where = f"{t07.table.title}（{code} {name}）"
        also = (src.ref,) if "!" in src.ref else ()
        if econ - sg > ROUNDING_PER_ITEM:
            findings.append(Finding("SG-ECONOMIC", ERROR, sg_ref,
                                    f"{label}决算数 {fmt_amount(sg)} 万元少于{where}的 {fmt_amount(econ)} 万元；"
                                    "“三公”经费包含全部一般公共预算财政拨款的该项支出", also))
        elif sg - econ > ROUNDING_PER_ITEM and not other_funds:
            findings.append(Finding("SG-ECONOMIC", WARNING, sg_ref,
                                    f"{label}决算数 {fmt_amount(sg)} 万元，而{where}只有 {fmt_amount(econ)} 万元；"
                                    "本单位没有其他财政拨款支出，两者应一致，请核对经济分类", also))


def _amount_unit(acc: Accounts, findings: list[Finding]) -> None:
    """A workbook filled in 元 but marked 万元 (or the reverse) gives absurd figures: say so."""
    unit = acc.unit.get("amount_unit") or "万元"  # the reader's reading of a blank unit
    total = acc.tables["t01"].income_bottom["total"]
    ref = acc.refs["unit.amount_unit"]
    if unit == "万元" and total >= IMPLAUSIBLE_WAN:
        findings.append(Finding("UNIT-AMOUNT", WARNING, ref,
                                f"按“万元”读取，收入支出总计为 {fmt_amount(total)} 万元，大得不合常理；金额是否按“元”填写？"))
    elif unit == "元" and 0 < total < 1:
        findings.append(Finding("UNIT-AMOUNT", WARNING, ref,
                                f"按“元”读取，收入支出总计只有 {fmt_amount(total)} 万元；金额是否按“万元”填写？"))


LIST_KEYS = {"budget": ("code", "科目编码"), "performance": ("name", "评价对象名称"), "projects": ("name", "项目名称")}


def _list_duplicates(acc: Accounts, findings: list[Finding]) -> None:
    """A code or name twice in a list sheet: the program would silently use only one of them."""
    for list_id, (key, label) in LIST_KEYS.items():
        first: dict[str, str] = {}
        for rec in acc.lists.get(list_id, []):
            value = str(rec.get(key) or "").strip().removesuffix(".0")
            if not value:
                continue
            ref = rec["_refs"][key]
            if value in first:
                findings.append(Finding("CODE-DUP", ERROR, ref,
                                        f"{label}“{value}”与 {first[value]} 重复，请合并为一行或删除多余的一行", (first[value],)))
            else:
                first[value] = ref


def _required(acc: Accounts, findings: list[Finding]) -> None:
    form = load_layout().form("unit")
    unread = {f.ref for f in acc.findings if f.severity == ERROR}  # filled but not readable: said by the reader
    printed = None
    for f in form.fields:
        if f.required and acc.unit.get(f.key) in (None, "") and acc.refs[f"unit.{f.key}"] not in unread:
            if f.kind == "longtext":  # a text the layout does not print here is not required
                if printed is None:
                    from .words import unit_fields_printed

                    try:
                        printed = unit_fields_printed(acc)
                    except Exception:  # noqa: BLE001 — the narrative will say what is wrong; ask for the field
                        printed = {f.key for f in form.fields}
                if f.key not in printed:
                    continue
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
        values = {"unit": acc.unit, "prior": acc.prior, "reasons": acc.reasons, "sg": acc.sg, "other": acc.other}.get(
            form.id, acc.forms.get(form.id, {}))
        for f in form.fields:
            _placeholder(values.get(f.key), acc.refs[f"{form.id}.{f.key}"], f.label, findings, pattern)


def _placeholder(value, ref: str, label: str, findings: list[Finding], pattern: re.Pattern) -> None:
    if isinstance(value, str):
        m = pattern.search(value)
        if m:
            findings.append(Finding("TEXT-PLACEHOLDER", ERROR, ref,
                                    f"“{label}”中有占位文字“{m.group(0)}”，请改为实际内容或删除"))


def _figures(acc: Accounts) -> dict[str, Decimal]:
    """The totals the report's text compares (checks.toml `compared` names them)."""
    t = acc.tables
    now = {
        "total": t["t01"].income_bottom["total"],
        "income_year": t["t01"].income_bottom["year_total"],
        "expense_year": t["t01"].expense_bottom["year_total"]["amount"],
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
    return now


def _changes(acc: Accounts, findings: list[Finding], settings: Settings) -> None:
    """Missing prior-year figures, and big changes the text prints without a reason."""
    now = _figures(acc)
    labels = {f.key: f.label for f in load_layout().form("prior").fields}
    for key, value in now.items():
        if key in ("income_year", "expense_year"):
            continue  # compared only when given (the report compares 收入支出总计 first)
        if acc.prior.get(key) is None:
            if key == "total" and acc.prior.get("income_year") is not None and acc.prior.get("expense_year") is not None:
                continue  # the report compares 本年收入合计 and 本年支出合计 instead
            if key in ("total", "fiscal_total", "gpb_expense", "sg_total") or value != 0:
                findings.append(Finding("PRIOR-MISSING", WARNING, acc.refs[f"prior.{key}"],
                                        f"未填写上年“{labels[key]}”，报告中不作同比比较"))
    budget_of = {"sg_total": acc.tables["t13"].get("total", "budget")}
    layout = of_unit(acc.unit).id
    asked = {f.key for f in load_layout().form("reasons").fields if f.used_by(layout)}
    for item in settings.compared:
        value = now.get(item["figure"])
        if value is None or acc.reasons.get(item["reason"]) or item["reason"] not in asked:
            continue  # the layout's text gives no reason here (its workbook has no such field)
        if item.get("against") == "budget":
            base, what = budget_of.get(item["figure"]), "预算数"
            if not base:
                continue  # the text says nothing about a budget of 0
        else:
            base, what = acc.prior.get(item["prior"]), "上年"
            if base is None:
                continue
        diff = abs(value - base)
        pct = percent(diff, base) if base else None
        if diff >= settings.change_amount and (pct is None or pct >= settings.change_percent):
            label = labels.get(item["figure"], item["figure"])
            change = f"{'增加' if value > base else '减少'}{fmt_amount(diff)}万元" + (
                f"（{'增长' if value > base else '下降'}{fmt_percent(percent(diff, base))}）" if base else "")
            findings.append(Finding("REASON-MISSING", WARNING, acc.refs[f"reasons.{item['reason']}"],
                                    f"{label}{fmt_amount(value)}万元，比{what}{fmt_amount(base)}万元{change}，变动较大，"
                                    f"报告须说明原因：请填写“{_reason_label(item['reason'])}”"))


@cache
def _reason_label(key: str) -> str:
    return next(f.label for f in load_layout().form("reasons").fields if f.key == key)


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
        why = acc.reasons.get("project_scope")
        if why:
            findings.append(Finding("PERF-EXEC", HINT, acc.refs["reasons.project_scope"],
                                    f"各项目执行数合计 {fmt_amount(executed)} 万元与支出决算表项目支出 {fmt_amount(project)} 万元不一致，"
                                    f"已说明原因：{why}"))
            return
        findings.append(Finding("PERF-EXEC", WARNING, "项目绩效自评",
                                f"各项目执行数合计 {fmt_amount(executed)} 万元，支出决算表项目支出 {fmt_amount(project)} 万元，"
                                "两者不一致；请核对项目范围（如上解基金专户的资金不在本单位支出中）"))


COUNTS_PRINTED = {  # counts the report states whatever their value ("团组0个")
    "sg": ("abroad_groups", "abroad_people", "domestic_batches", "domestic_people", "foreign_batches", "foreign_people"),
    "other": ("equipment_general", "equipment_special"),
}


def _counts(acc: Accounts, findings: list[Finding]) -> None:
    """A blank count the report prints would silently read 0: ask for the figure (0 if none)."""
    form_values = {"sg": acc.sg, "other": acc.other}
    layout = load_layout()
    for form_id, keys in COUNTS_PRINTED.items():
        form = layout.form(form_id)
        for key in keys:
            if form_values[form_id].get(key) is None:
                findings.append(Finding("COUNT-MISSING", WARNING, acc.refs[f"{form_id}.{key}"],
                                        f"未填写“{form.field(key).label}”，报告按 0 列示；没有的请填 0"))


def _performance_given(acc: Accounts, findings: list[Finding]) -> None:
    if not any(r.get("name") for r in acc.performance):
        from .words import heading_of

        try:
            place = heading_of(acc, "performance") or "预算绩效管理情况"
        except Exception:  # noqa: BLE001 — accounts too broken to number the outline: the plain name will do
            place = "预算绩效管理情况"
        findings.append(Finding("PERF-MISSING", WARNING, load_layout().form("performance").title,
                                f"未填写绩效管理情况，报告中“{place}”一节没有内容"))


def check(acc: Accounts, settings: Settings | None = None) -> list[Finding]:
    """All findings for these accounts (those of reading and resolving included), sorted."""
    settings = settings or Settings.default()
    rs = Resolver(list(acc.findings))
    _links(acc, rs)
    _running_costs(acc, rs)
    _three_public(acc, rs.findings)
    _amount_unit(acc, rs.findings)
    _list_duplicates(acc, rs.findings)
    _counts(acc, rs.findings)
    _performance_given(acc, rs.findings)
    _required(acc, rs.findings)
    _years(acc, rs.findings)
    _negatives(acc, rs.findings, settings.may_be_negative)
    _placeholders(acc, rs.findings, settings.placeholder)
    if acc.unit.get("amount_unit"):  # without the unit every change would be misread
        _changes(acc, rs.findings, settings)
    _budgets(acc, rs.findings)
    _project_execution(acc, rs.findings)
    # the 评分表 recomputes the 附表's figures: their errors come first (its own sheets' do not count here)
    if not has_errors([f for f in rs.findings if not is_selfeval(f)]):
        rs.findings.extend(selfeval_findings(acc))
    unique = list(dict.fromkeys(rs.findings))
    return sorted(unique, key=lambda f: SEVERITY_ORDER[f.severity])


def rules_markdown() -> str:
    """The rule list as a Markdown table (README's copy is generated from this; a test compares)."""
    lines = ["| 规则 | 名称 | 检查内容 |", "|---|---|---|"]
    lines += [f"| `{rule}` | {rule_name(rule)} | {text} |" for rule, text in RULES.items()]
    return "\n".join(lines)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


__all__ = ["RULES", "RULE_NAMES", "check", "has_errors", "rule_name", "HINT"]
