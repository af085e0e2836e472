"""Compute the figures of the report and write its sentences.

Input: resolved `Accounts`. Output: a `Report` — the sections as plain strings, the chart
specifications (whose labels are the very strings of the sentences), the glossary, and
`figures`, the flat dict of every computed number (kept as JSON beside the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .accounts import Accounts, CodedTable
from .codes import function_codes, glossary
from .findings import HINT, Finding
from .money import ZERO, fmt_amount
from .performance import fmt_score
from .sentences import (compared, completion, count_items, quoted_list, reason_clause, share_items, share_list,
                        share_of, versus_budget, versus_prior, wan, whole_or_shares)

GENERAL_TERMS = ("income_fiscal", "income_superior", "income_business", "income_operating", "income_affiliated",
                 "income_other", "use_nonfiscal_balance", "opening_balance", "balance_distribution", "closing_balance",
                 "basic_expenditure", "personnel_costs", "public_costs", "project_expenditure", "remit_superior",
                 "operating_expenditure", "subsidy_affiliated", "three_public", "operating_costs")
FUNCTION_TABLES = ("t02", "t03", "t05", "t06", "t10", "t11", "t12")  # the tables keyed by 支出功能分类
ADMIN_TYPES = ("行政单位", "参照公务员法管理的事业单位")


@dataclass
class ChartSpec:
    """What to draw; every printed label is a string already used in the text."""

    key: str
    caption: str
    kind: str  # bar | pie
    categories: list[str] = field(default_factory=list)
    series: list[tuple[str, list[Decimal]]] = field(default_factory=list)
    value_labels: list[list[str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    values: list[Decimal] = field(default_factory=list)
    percent_labels: list[str] = field(default_factory=list)
    number: int = 0

    @property
    def alt_text(self) -> str:
        """The picture's description: its caption and all its data."""
        if self.kind == "bar":
            data = "；".join(
                f"{name}：" + "，".join(f"{c}{v}万元" for c, v in zip(self.categories, labels))
                for (name, _), labels in zip(self.series, self.value_labels))
        else:
            data = "；".join(f"{l}{p}" for l, p in zip(self.labels, self.percent_labels))
        return f"图{self.number}：{self.caption}。{data}。"


@dataclass
class Section:
    paras: list[str] = field(default_factory=list)
    chart: ChartSpec | None = None


@dataclass
class Report:
    context: dict[str, Any]
    charts: list[ChartSpec]
    figures: dict[str, str]
    findings: list[Finding]


FIGURE_LABELS = {
    "total": "收入支出总计", "income_year": "本年收入合计", "expense_year": "本年支出合计",
    "fiscal_total": "财政拨款收入支出总计", "gpb_expense": "一般公共预算财政拨款支出",
    "gpb_share_of_expense": "一般公共预算财政拨款支出占本年支出合计比重", "gpb_budget": "一般公共预算财政拨款支出预算数",
    "basic": "一般公共预算财政拨款基本支出", "personnel": "人员经费", "public": "公用经费",
    "fund_expense": "政府性基金预算财政拨款支出", "soe_expense": "国有资本经营预算财政拨款支出",
    "running_costs": "机关运行经费", "procurement_total": "政府采购支出总额",
    "sg.total": "“三公”经费决算合计", "sg.abroad": "因公出国（境）费决算", "sg.car": "公务用车购置及运行维护费决算",
    "sg.car_buy": "公务用车购置费决算", "sg.car_run": "公务用车运行维护费决算", "sg.reception": "公务接待费决算",
    "sg.domestic_amount": "国内公务接待支出", "unit.staff_quota": "编制人数", "unit.staff_actual": "实有在职人数",
    "unit.retired": "退休人数", "unit.retired_li": "离休人数",
}
FIGURE_PREFIXES = {
    "income_share.": "{}占本年收入合计比重", "expense_share.": "{}占本年支出合计比重",
    "gpb_class_share.": "{}占一般公共预算财政拨款支出比重", "sg_share.": "{}占“三公”经费比重",
    "gpb_item.": "一般公共预算财政拨款支出（科目{}）",
}


def figure_label(key: str) -> str:
    """The Chinese name of a computed figure (the keys of `Report.figures`), for people to read."""
    if key in FIGURE_LABELS:
        return FIGURE_LABELS[key]
    for prefix, text in FIGURE_PREFIXES.items():
        if key.startswith(prefix):
            return text.format(key[len(prefix):])
    return key


def path_name(line_code: str, scheme_codes) -> str:
    """"社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）"."""
    parts = []
    for n, lvl in ((3, "类"), (5, "款"), (7, "项")):
        if len(line_code) >= n:
            code = line_code[:n]
            parts.append(f"{scheme_codes[code]}（{lvl}）")
    return "".join(parts)


class Narrator:
    def __init__(self, acc: Accounts):
        self.acc = acc
        self.findings: list[Finding] = []
        self.figures: dict[str, str] = {}
        self.charts: list[ChartSpec] = []
        u = acc.unit
        self.year = int(u["year"])
        self.prior_year = self.year - 1
        self.subject = u["subject"] or "单位"
        self.name = u["name"] or ""
        self.short = u["short_name"] or self.name
        self.t = acc.tables

    # ------------------------------------------------------------ helpers

    def fig(self, key: str, value: Decimal | str | None) -> None:
        """Record a computed figure for the JSON beside the report."""
        if value is not None:
            self.figures[key] = fmt_amount(value) if isinstance(value, Decimal) else str(value)

    def chart(self, spec: ChartSpec) -> ChartSpec:
        self.charts.append(spec)
        spec.number = len(self.charts)
        return spec

    def bar_vs_prior(self, key: str, caption: str, categories: list[str], now: list[Decimal],
                     prior: list[Decimal | None]) -> ChartSpec | None:
        if any(p is None for p in prior):
            return None
        return self.chart(ChartSpec(
            key, caption, "bar", categories,
            [(f"{self.year}年", now), (f"{self.prior_year}年", prior)],  # type: ignore[list-item]
            [[fmt_amount(v) for v in now], [fmt_amount(v) for v in prior]]))  # type: ignore[arg-type]

    def code_names(self, *table_ids: str) -> dict[str, str]:
        """Function code → name: the code list, overlaid with the names rows carry in these tables
        (a code the list does not know keeps the workbook's name)."""
        names = {c: k.name for c, k in function_codes().items()}
        for tid in table_ids:
            names |= {l.code: l.name for l in self.t[tid].lines}
        return names

    def shares(self, prefix: str, pairs: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal, str]]:
        """The shares of one sentence (non-zero items, adding up to 100.00%), each kept as a figure."""
        items = share_items(pairs)
        for name, _, share in items:
            self.fig(f"{prefix}.{name}", share)
        return items

    def pie(self, key: str, caption: str, items: list[tuple[str, Decimal, str]]) -> ChartSpec | None:
        """A structure chart; none for a single item (the sentence says it is the whole)."""
        if len(items) < 2:
            return None
        return self.chart(ChartSpec(key, caption, "pie", labels=[n for n, _, _ in items],
                                    values=[v for _, v, _ in items], percent_labels=[s for _, _, s in items]))

    def reason(self, key: str) -> str | None:
        return self.acc.reasons.get(key)

    # ------------------------------------------------------------ 第一部分

    def overview(self) -> dict[str, Any]:
        u = self.acc.unit
        duties = [l.strip() for l in (u["duties"] or "").splitlines() if l.strip()]
        structure = [l.strip() for l in (u["structure"] or "").splitlines() if l.strip()]
        staff = []
        for key, text in (("staff_quota", "编制{}人"), ("staff_actual", "实有在职人员{}人"),
                          ("retired_li", "离休人员{}人"), ("retired", "退休人员{}人")):
            if u[key] is not None:
                staff.append(text.format(u[key]))
                self.fig(f"unit.{key}", str(u[key]))
        if staff:
            structure.append(f"截至{self.year}年12月31日，{self.short}" + "，".join(staff) + "。")
        return {"duties": duties, "structure": structure}

    # ------------------------------------------------------------ 第二部分 一–四

    def s1_totals(self) -> Section:
        t01 = self.t["t01"]
        total = t01.income_bottom["total"]
        year_in, year_out = t01.income_bottom["year_total"], t01.expense_bottom["year_total"]["amount"]
        p = self.acc.prior
        self.fig("total", total)
        self.fig("income_year", year_in)
        self.fig("expense_year", year_out)
        paras = [f"{self.year}年度收入、支出总计各{wan(total)}。"
                 + compared("收入、支出总计", total, p["total"], self.prior_year, self.reason("total"), each=True)]
        detail = []
        for label, now, prior in (("本年收入合计", year_in, p["income_year"]), ("本年支出合计", year_out, p["expense_year"])):
            versus = versus_prior(now, prior, self.prior_year)
            detail.append(f"{label}{wan(now)}" + (f"，{versus}" if versus else ""))
        paras.append("其中，" + "；".join(detail) + "。")
        if p["total"] is not None:
            chart = self.bar_vs_prior("total", "收入、支出决算总计变动情况", ["收入", "支出"], [total, total],
                                      [p["total"], p["total"]])
        else:  # no prior 总计: compare what the prior year does give, 本年收入/支出合计
            chart = self.bar_vs_prior("total", "收入、支出决算变动情况", ["本年收入合计", "本年支出合计"],
                                      [year_in, year_out], [p["income_year"], p["expense_year"]])
        return Section(paras, chart)

    def s2_income(self) -> Section:
        t01 = self.t["t01"]
        year_in = t01.income_bottom["year_total"]
        items = self.shares("income_share",
                            [(row.label.split("、", 1)[1], t01.income[row.key]) for row in t01.table.income])
        if not items:
            return Section([f"{self.year}年度本{self.subject}无本年收入。"])
        text = f"{self.year}年本年收入合计{wan(year_in)}，" + whole_or_shares(items) + "。"
        return Section([text], self.pie("income", "收入决算结构", items))

    def s3_expense(self) -> Section:
        t03: CodedTable = self.t["t03"]
        year_out = t03.total["total"]
        cols = [c for c in t03.table.columns if not c.formula]
        items = self.shares("expense_share", [(c.label, t03.total[c.key]) for c in cols])
        if not items:
            return Section([f"{self.year}年度本{self.subject}无本年支出。"])
        text = f"{self.year}年本年支出合计{wan(year_out)}，" + whole_or_shares(items) + "。"
        return Section([text], self.pie("expense", "支出决算结构", items))

    def s4_fiscal(self) -> Section:
        t04 = self.t["t04"]
        total = t04.income_bottom["total"]
        self.fig("fiscal_total", total)
        prior = self.acc.prior["fiscal_total"]
        text = (f"{self.year}年度财政拨款收入、支出总计各{wan(total)}。"
                + compared("财政拨款收入、支出总计", total, prior, self.prior_year, self.reason("fiscal_total"), each=True))
        chart = self.bar_vs_prior("fiscal_total", "财政拨款收入、支出决算总计变动情况", ["财政拨款收入", "财政拨款支出"],
                                  [total, total], [prior, prior])
        return Section([text], chart)

    # ------------------------------------------------------------ 五 一般公共预算

    def s5(self) -> dict[str, Section]:
        t06: CodedTable = self.t["t06"]
        gpb = t06.total["total"]
        year_out = self.t["t01"].expense_bottom["year_total"]["amount"]
        prior = self.acc.prior["gpb_expense"]
        self.fig("gpb_expense", gpb)
        share = share_of(gpb, year_out)
        self.fig("gpb_share_of_expense", share)
        first = f"{self.year}年一般公共预算财政拨款支出{wan(gpb)}"
        first += f"，占本年支出合计的{share}。" if share else "。"
        first += compared("一般公共预算财政拨款支出", gpb, prior, self.prior_year, self.reason("gpb_expense"))
        overall = Section([first], self.bar_vs_prior("gpb", "一般公共预算财政拨款支出决算变动情况",
                                                       ["一般公共预算财政拨款支出"], [gpb], [prior]))
        items = self.shares("gpb_class_share", [(l.name, l.values["total"]) for l in t06.level("类")])
        if items:
            used = ("主要用于以下方面：" + share_list(items)) if len(items) > 1 else f"全部用于{items[0][0]}"
            structure = Section([f"{self.year}年一般公共预算财政拨款支出{wan(gpb)}，{used}。"],
                                self.pie("gpb_structure", "一般公共预算财政拨款支出决算结构", items))
        else:
            structure = Section([f"{self.year}年度本{self.subject}无一般公共预算财政拨款支出。"])
        return {"overall": overall, "structure": structure, "detail": self.s5_detail(t06, gpb)}

    def s5_detail(self, t06: CodedTable, gpb: Decimal) -> Section:
        budgets = {}
        for rec in self.acc.budget:
            code = str(rec.get("code") or "").removesuffix(".0")
            if code:
                budget = rec["adjusted"] if rec["adjusted"] is not None else rec["initial"]
                budgets[code] = (budget, rec.get("reason"))
        names = self.code_names("t06")
        paras, total_budget, all_known = [], ZERO, True
        leaves = [l for l in t06.leaves() if l.values["total"] != 0 or budgets.get(l.code, (ZERO,))[0]]
        for i, line in enumerate(leaves, start=1):
            actual = line.values["total"]
            budget, why = budgets.get(line.code, (None, None))
            if budget is None:  # reported by the check (BUDGET-MISSING)
                all_known = False
            else:
                total_budget += budget
            parts = [f"支出决算为{wan(actual)}"]
            for clause in (completion(actual, budget), versus_budget(actual, budget) if budget else None):
                if clause:
                    parts.append(clause)
            text = f"{i}.{path_name(line.code, names)}：" + "，".join(parts)
            if budget is not None and budget != 0 and not ("等于" in parts[-1]):
                text += reason_clause(why, "主要原因是")
            paras.append(text + "。")
            self.fig(f"gpb_item.{line.code}", actual)
        head = f"{self.year}年一般公共预算财政拨款支出决算数为{wan(gpb)}"
        if all_known and leaves:
            clause = completion(gpb, total_budget)
            head += f"，{clause}" if clause else ""
            self.fig("gpb_budget", total_budget)
        head += "。其中：" if leaves else "。"
        return Section([head] + paras)

    # ------------------------------------------------------------ 六 基本支出

    def s6_basic(self) -> Section:
        groups = self.acc.basic_by_kind()
        personnel = self.acc.basic_total("人员经费")
        public = self.acc.basic_total("公用经费")
        basic = self.acc.basic_spending()  # the 合计 of 表8 as typed: may differ from the parts by rounding
        self.fig("basic", basic)
        self.fig("personnel", personnel)
        self.fig("public", public)
        if basic == 0:
            return Section([f"{self.year}年度本{self.subject}无一般公共预算财政拨款基本支出。"])
        parts = []
        for label, amount, lines in (("人员经费", personnel, groups["人员经费"]), ("公用经费", public, groups["公用经费"])):
            text = f"{label}{wan(amount)}"
            if lines:
                text += "，主要包括：" + "、".join(l.name for l in lines)
            parts.append(text)
        return Section([f"{self.year}年一般公共预算财政拨款基本支出{wan(basic)}，其中：" + "；".join(parts) + "。"])

    # ------------------------------------------------------------ 七 三公

    def s7(self) -> dict[str, Any]:
        g = self.t["t13"]
        p = self.acc.prior
        sg = self.acc.sg
        actual = {k: g.get(k, "actual") for k in ("total", "abroad", "car", "car_buy", "car_run", "reception")}
        budget = {k: g.get(k, "budget") for k in actual}
        for k, v in actual.items():
            self.fig(f"sg.{k}", v)
        total = actual["total"]

        def done(k):
            return completion(actual[k], budget[k])

        def yoy(k, label):
            """"<label>支出决算较2023年减少…，主要变动原因是…" ("" without a prior-year figure)."""
            versus = versus_prior(actual[k], p[f"sg_{k}"], self.prior_year)
            if not versus:
                return ""
            subject = label if p[f"sg_{k}"] == 0 and actual[k] != 0 else f"{label}支出决算"
            return subject + versus + reason_clause(self.reason(f"sg_{k}"))

        head = f"{self.year}年“三公”经费财政拨款支出决算为{wan(total)}"
        c = done("total")
        head += f"，{c}" if c else ""
        versus = versus_prior(total, p["sg_total"], self.prior_year)
        if versus:
            head += f"，{versus}" + reason_clause(self.reason("sg_total"))
        head += "。"
        if budget["total"]:
            head += versus_budget(total, budget["total"]) + reason_clause(self.reason("sg_budget"), "主要原因是") + "。"
        overall = Section([head])

        items = self.shares("sg_share", [("因公出国（境）费", actual["abroad"]),
                                         ("公务用车购置及运行维护费", actual["car"]), ("公务接待费", actual["reception"])])
        if items:
            shares = {n: sh for n, _, sh in items}
            parts = [f"{n}支出决算{wan(v)}" + (f"，占{shares[n]}" if n in shares and len(items) > 1 else "")
                     for n, v in (("因公出国（境）费", actual["abroad"]), ("公务用车购置及运行维护费", actual["car"]),
                                  ("公务接待费", actual["reception"]))]
            detail_head = f"{self.year}年“三公”经费财政拨款支出决算中，" + "；".join(parts) + "。"
            chart = self.pie("sg", "“三公”经费财政拨款支出结构", items)
        else:
            detail_head = f"{self.year}年度本{self.subject}无“三公”经费财政拨款支出，故不列示支出结构图。"
            chart = None

        def sentence(*parts):
            return "，".join(x for x in parts if x) + "。"

        abroad = sentence(f"1.因公出国（境）费支出{wan(actual['abroad'])}", done("abroad"),
                          yoy("abroad", "因公出国（境）费"))
        abroad += f"全年安排因公出国（境）团组{sg['abroad_groups'] or 0}个，出国（境）{sg['abroad_people'] or 0}人次。"
        car = sentence(f"2.公务用车购置及运行维护费支出{wan(actual['car'])}", done("car"),
                       yoy("car", "公务用车购置及运行维护费"))
        kinds = [("轿车", "sedan"), ("越野车", "suv"), ("载客汽车", "bus")]
        bought = [(n, sg[f"buy_{k}"] or 0) for n, k in kinds]
        amounts = [sg[f"buy_{k}_amount"] or ZERO for _, k in kinds]
        buy = sentence(f"其中：公务用车购置费支出{wan(actual['car_buy'])}", done("car_buy"))
        n_bought = sum(n for _, n in bought)
        if n_bought:
            buy += f"全年按规定更新购置公务用车{n_bought}辆，其中：" + count_items(bought, "辆", amounts) + "。"
        else:
            buy += "本年未购置公务用车。"
        stock = [(n, sg[f"stock_{k}"] or 0) for n, k in kinds]
        n_stock = sum(n for _, n in stock)
        buy += f"截至{self.year}年12月31日，本{self.subject}共有公务用车{n_stock}辆"
        buy += ("，其中：" + count_items(stock, "辆") + "。") if n_stock else "。"
        run = sentence(f"公务用车运行维护费支出{wan(actual['car_run'])}", done("car_run"))
        if actual["car_run"] != 0:
            use = (self.reason("car_run_use") or "").strip().rstrip("。")
            run += (f"主要用于{use}所需的" if use else "主要用于") + "公务用车燃料费、维修费、过路过桥费、保险费等支出。"
        rec = sentence(f"3.公务接待费支出{wan(actual['reception'])}", done("reception"),
                       yoy("reception", "公务接待费"))
        dom_amount = sg["domestic_amount"] or ZERO
        rec += (f"国内公务接待支出{wan(dom_amount)}，国内公务接待{sg['domestic_batches'] or 0}批次，"
                f"{sg['domestic_people'] or 0}人次")
        content = (self.reason("reception_content") or "").strip().rstrip("。")
        rec += f"，主要用于{content}。" if content and dom_amount else "。"
        rec += (f"外事接待支出{wan(sg['foreign_amount'] or ZERO)}，外事接待{sg['foreign_batches'] or 0}批次，"
                f"{sg['foreign_people'] or 0}人次。")
        self.fig("sg.domestic_amount", dom_amount)
        detail = Section([detail_head], chart)
        return {"overall": overall, "detail": detail, "items": [abroad, car, buy, run, rec]}

    # ------------------------------------------------------------ 八 九 funds

    def fund_section(self, table_id: str, spend_key: str, prior_key: str, label: str) -> Section:
        t: CodedTable = self.t[table_id]
        spent = t.total[spend_key]
        year_out = self.t["t01"].expense_bottom["year_total"]["amount"]
        prior = self.acc.prior[prior_key]
        self.fig(prior_key, spent)
        if spent == 0 and t.is_empty():
            text = f"{self.year}年度本{self.subject}无{label}收入和支出。"
            if prior:
                text += f"{self.prior_year}年该项支出为{wan(prior)}。"
            return Section([text])
        share = share_of(spent, year_out)
        text = f"{self.year}年{label}支出{wan(spent)}" + (f"，占本年支出合计的{share}。" if share else "。")
        text += compared(f"{label}支出", spent, prior, self.prior_year, self.reason(prior_key))
        names = self.code_names(table_id)
        items = [(path_name(l.code, names), l.values[spend_key]) for l in t.leaves() if l.values[spend_key] != 0]
        if items:
            text += "其中：" + "；".join(f"{n}{wan(v)}" for n, v in items) + "。"
        return Section([text])

    # ------------------------------------------------------------ 十 other matters

    def s10(self) -> dict[str, Section]:
        o = self.acc.other
        admin = self.acc.unit["unit_type"] in ADMIN_TYPES
        rc = o["running_costs"]
        if rc is None and admin:  # reported by the check (LINK-RUNNING); the 附表's figure meanwhile
            rc = o.get("admin_public_costs")
            rc = self.acc.basic_total("公用经费") if rc is None else rc
        if rc is not None:
            self.fig("running_costs", rc)
            text = f"{self.year}年，{self.short}机关运行经费支出{wan(rc)}"
            versus = versus_prior(rc, self.acc.prior["running_costs"], self.prior_year, lead="比")
            if versus:
                text += f"，{versus}" + reason_clause(self.reason("running_costs"), "变动的主要原因是")
            running = Section([text + "。"])
        else:
            running = Section([f"本{self.subject}不属于行政单位或参照公务员法管理的事业单位，不涉及机关运行经费。"])

        goods, works, services = (o[k] or ZERO for k in ("proc_goods", "proc_works", "proc_services"))
        proc_total = goods + works + services
        self.fig("procurement_total", proc_total)
        note = (self.reason("procurement") or "").strip()
        if proc_total == 0:
            text = f"{self.year}年，{self.short}未发生政府采购支出。"
        else:
            sme, small = o["proc_sme"] or ZERO, o["proc_small"] or ZERO
            text = (f"{self.year}年，{self.short}政府采购支出总额{wan(proc_total)}，其中：政府采购货物支出{wan(goods)}、"
                    f"政府采购工程支出{wan(works)}、政府采购服务支出{wan(services)}。"
                    f"授予中小企业合同金额{wan(sme)}，占政府采购支出总额的{share_of(sme, proc_total)}，"
                    f"其中：授予小微企业合同金额{wan(small)}，占政府采购支出总额的{share_of(small, proc_total)}。")
        if note:
            text += note if note.endswith("。") else note + "。"
        procurement = Section([text])

        vehicles = [("主要领导干部用车", "veh_leader"), ("机要通信用车", "veh_confidential"), ("应急保障用车", "veh_emergency"),
                    ("执法执勤用车", "veh_enforcement"), ("特种专业技术用车", "veh_special"),
                    ("离退休干部服务用车", "veh_retired"), ("其他用车", "veh_other")]
        counts = [(n, o[k] or 0) for n, k in vehicles]
        n_veh = sum(n for _, n in counts)
        text = f"截至{self.year}年12月31日，{self.short}共有车辆{n_veh}辆"
        text += ("，其中：" + count_items(counts, "辆") + "。") if n_veh else "。"
        text += f"单价50万元以上通用设备{o['equipment_general'] or 0}台（套），单价100万元以上设备{o['equipment_special'] or 0}台（套）。"
        assets = Section([text])
        return {"running": running, "procurement": procurement, "assets": assets, "performance": self.performance()}

    def performance(self) -> Section:
        recs = [dict(r) for r in self.acc.performance if r.get("name")]  # copies: scores are filled in below
        if not recs:  # the check warns (PERF-MISSING); the published text leaves the paragraph out
            return Section([])
        projects = [r for r in recs if r.get("scope") == "项目"]
        paras = []
        steps: list[tuple[list[str], list[str]]] = []  # (project names, what was done); equal lists merged
        for key, words in (("pre_assessed", "开展了预算事前绩效评估"), ("has_target", "编制了绩效目标"),
                           ("monitored", "开展了绩效监控")):
            names = [r["name"] for r in projects if r.get(key) == "是"]
            if names and steps and steps[-1][0] == names:
                steps[-1][1].append(words)
            elif names:
                steps.append((names, [words]))
        steps = [(f"对{quoted_list(names)}等{len(names)}个项目" if len(names) > 1 else f"对“{names[0]}”项目")
                 + _join_acts(acts) for names, acts in steps]
        if steps:
            paras.append(f"根据预算绩效管理要求，{self.short}" + "；".join(steps) + "。")
        ev = self.acc.evaluation
        for r in recs:  # scores computed from the self-evaluation tables win over typed ones
            project = ev.project(r["name"]) if ev else None
            if project is not None and project.indicators:
                r["score"] = project.score
            elif r.get("scope") == "整体" and ev is not None and ev.unit_total is not None:
                r["score"] = ev.unit_total
        scored = [r for r in recs if r.get("score") is not None]
        if scored:
            parts = []
            for r in scored:
                label = f"“{r['name']}”项目" if r.get("scope") == "项目" else r["name"]
                text = f"{label}绩效自评得分为{_score(r['score'])}分"
                summary = (r.get("summary") or "").strip().rstrip("。")
                if summary:
                    text += f"，绩效自评综述：{summary}"
                parts.append(text)
            paras.append(f"{self.short}组织对{self.year}年度预算执行情况开展绩效自评，其中：" + "；".join(parts) + "。")
        return Section(paras)

    # ------------------------------------------------------------ 第三部分 名词解释

    def glossary_entries(self) -> list[str]:
        terms = glossary()
        present = self.general_terms_present()
        entries = [f"{terms[k][0]}：{terms[k][1]}" for k in GENERAL_TERMS if k in terms and present.get(k, True)]
        used: set[str] = set()
        for tid in FUNCTION_TABLES:
            table: CodedTable = self.t[tid]
            for line in table.leaves():
                if any(v != 0 for v in line.values.values()):
                    used.add(line.code)
        names = self.code_names(*FUNCTION_TABLES)
        for code in sorted(used):
            if code in terms:
                entries.append(f"{path_name(code, names)}：{terms[code][1]}")
            else:
                self.findings.append(Finding("GLOSSARY-MISSING", HINT, "名词解释",
                                             f"科目 {code} {names.get(code, '')} 没有现成的名词解释，报告中未列出"))
        return entries

    def general_terms_present(self) -> dict[str, bool]:
        """Which general terms name an amount of this report that is not zero."""
        t01, t03, t13 = self.t["t01"], self.t["t03"].total, self.t["t13"]
        inc, bottom, out = t01.income, t01.income_bottom, t01.expense_bottom
        admin = self.acc.unit["unit_type"] in ADMIN_TYPES
        return {
            "income_fiscal": inc["gpb"] + inc["fund"] + inc["soe"] != 0,
            "income_superior": inc["superior"] != 0, "income_business": inc["business"] != 0,
            "income_operating": inc["operating"] != 0, "income_affiliated": inc["affiliated"] != 0,
            "income_other": inc["other"] != 0, "use_nonfiscal_balance": bottom["use_balance"] != 0,
            "opening_balance": bottom["opening"] != 0, "balance_distribution": out["distribution"]["amount"] != 0,
            "closing_balance": out["closing"]["amount"] != 0, "basic_expenditure": t03["basic"] != 0,
            "personnel_costs": self.acc.basic_total("人员经费") != 0, "public_costs": self.acc.basic_total("公用经费") != 0,
            "project_expenditure": t03["project"] != 0, "remit_superior": t03["remit"] != 0,
            "operating_expenditure": t03["operating"] != 0, "subsidy_affiliated": t03["affiliated"] != 0,
            "three_public": t13.get("total", "actual") != 0 or t13.get("total", "budget") != 0,
            "operating_costs": admin or self.acc.other.get("running_costs") is not None,
        }

    # ------------------------------------------------------------ all

    def build(self) -> Report:
        ctx: dict[str, Any] = {
            "unit_name": self.name, "short_name": self.short, "subject": self.subject,
            "year": self.year, "prior_year": self.prior_year,
        }
        ctx["overview"] = self.overview()
        ctx["s1"] = self.s1_totals()
        ctx["s2"] = self.s2_income()
        ctx["s3"] = self.s3_expense()
        ctx["s4"] = self.s4_fiscal()
        ctx["s5"] = self.s5()
        ctx["s6"] = self.s6_basic()
        ctx["s7"] = self.s7()
        ctx["s8"] = self.fund_section("t10", "spend", "fund_expense", "政府性基金预算财政拨款")
        soe_table = "t12" if not self.t["t12"].is_empty() else "t11"
        ctx["s9"] = self.fund_section(soe_table, "total" if soe_table == "t12" else "spend", "soe_expense",
                                      "国有资本经营预算财政拨款")
        ctx["s10"] = self.s10()
        ctx["glossary"] = self.glossary_entries()
        return Report(ctx, self.charts, self.figures, self.findings)


def _join_acts(acts: list[str]) -> str:
    """["开展了预算事前绩效评估", "编制了绩效目标", "开展了绩效监控"] → "…、编制了绩效目标并开展了绩效监控"."""
    return acts[0] if len(acts) == 1 else "、".join(acts[:-1]) + "并" + acts[-1]


def _score(value: Decimal) -> str:
    return fmt_score(value)


def narrate(acc: Accounts) -> Report:
    """All sections, charts and figures of the report for these accounts."""
    from .profiles import of_unit

    profile = of_unit(acc.unit)
    if profile.outline:  # a profile other than Sichuan 2024: arranged from its outline
        from .narrative_profiles import narrate_profile

        return narrate_profile(acc, profile)
    return Narrator(acc).build()
