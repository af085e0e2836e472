"""The figure registry: every number a report prints, computed once from the accounts.

Input: resolved `Accounts` and the layout's `NumberStyle` (shares depend on how the layout
rounds them). Output: `Figures`, a tree of plain values — amounts (Decimal), counts (int),
names (str), `Change`s against last year, `Done`s against the budget, `Item` lists with
their shares — the same for every layout. A layout's sentence templates read this tree;
`flat()` is the `.数据.json` dump that the batch summary and the revision notes compare.
Nothing here is a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .accounts import Accounts, CodedTable
from .codes import function_codes, glossary
from .findings import HINT, Finding
from .money import ZERO, NumberStyle, fmt_amount, percent, round2, share_list_values, share_value
from .performance import DEFAULT_GRADES, grade

ADMIN_TYPES = ("行政单位", "参照公务员法管理的事业单位")
GENERAL_TERMS = ("income_fiscal", "income_superior", "income_business", "income_operating", "income_affiliated",
                 "income_other", "use_nonfiscal_balance", "opening_balance", "balance_distribution", "closing_balance",
                 "basic_expenditure", "personnel_costs", "public_costs", "project_expenditure", "remit_superior",
                 "operating_expenditure", "subsidy_affiliated", "three_public", "operating_costs")
FUNCTION_TABLES = ("t02", "t03", "t05", "t06", "t10", "t11", "t12")  # the tables keyed by 支出功能分类
VEHICLE_KINDS = (("轿车", "sedan"), ("越野车", "suv"), ("载客汽车", "bus"))
VEHICLE_USES = (("部级领导干部用车", "veh_minister"), ("主要领导干部用车", "veh_leader"),
                ("机要通信用车", "veh_confidential"), ("应急保障用车", "veh_emergency"),
                ("执法执勤用车", "veh_enforcement"), ("特种专业技术用车", "veh_special"),
                ("离退休干部服务用车", "veh_retired"), ("其他用车", "veh_other"))


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


@dataclass(frozen=True)
class Change:
    """This year against last year, as the printed figures give it (both rounded to 0.01万元).

    `kind`: "unknown" (no prior figure), "flat", "up", "down", or "new" (prior 0, now not).
    `diff` is the absolute difference, `pct` its percentage of the prior figure (None when new).
    """

    now: Decimal
    prior: Decimal | None
    kind: str
    diff: Decimal = ZERO
    pct: Decimal | None = None

    @property
    def known(self) -> bool:
        return self.kind != "unknown"


def change(now: Decimal, prior: Decimal | None) -> Change:
    if prior is None:
        return Change(now, None, "unknown")
    a, b = round2(now), round2(prior)
    if a == b:
        return Change(now, prior, "flat")
    if b == 0:
        return Change(now, prior, "new", a - b)
    return Change(now, prior, "up" if a > b else "down", abs(a - b), percent(abs(a - b), b))


@dataclass(frozen=True)
class Done:
    """决算 against 预算: `kind` "none" (no budget given), "zero" (budget 0), "rated";
    `versus` "equal" / "more" / "less" (by the printed figures)."""

    actual: Decimal
    budget: Decimal | None
    kind: str
    pct: Decimal | None = None
    versus: str = ""


def done(actual: Decimal, budget: Decimal | None) -> Done:
    if budget is None:
        return Done(actual, None, "none")
    a, b = round2(actual), round2(budget)
    versus = "equal" if a == b else ("more" if a > b else "less")
    if b == 0:
        return Done(actual, budget, "zero", None, versus)
    return Done(actual, budget, "rated", percent(a, b), versus)


@dataclass(frozen=True)
class Item:
    """One named amount of a list, with its share of the list (None for a zero item)."""

    name: str
    amount: Decimal
    share: Decimal | None = None
    code: str = ""


@dataclass
class Figures:
    """The registry: `tree` for the templates, `flat` for the JSON beside the report."""

    tree: dict[str, Any]
    flat: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def path_name(line_code: str, scheme_codes) -> str:
    """"社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）"."""
    parts = []
    for n, lvl in ((3, "类"), (5, "款"), (7, "项")):
        if len(line_code) >= n:
            code = line_code[:n]
            parts.append(f"{scheme_codes[code]}（{lvl}）")
    return "".join(parts)


class _Registry:
    def __init__(self, acc: Accounts, style: NumberStyle):
        self.acc, self.style, self.t = acc, style, acc.tables
        self.flat: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.year_out = self.t["t01"].expense_bottom["year_total"]["amount"]

    def fig(self, key: str, value: Any) -> None:
        if value is not None:
            self.flat[key] = fmt_amount(value) if isinstance(value, Decimal) else str(value)

    def pct(self, value: Decimal | None) -> str | None:
        return None if value is None else self.style.percent(value)

    def items(self, prefix: str, pairs: list[tuple[str, Decimal]], codes: list[str] | None = None) -> list[Item]:
        """The non-zero items of a list with their shares (the layout's share rounding), each kept as a figure."""
        codes = codes or [""] * len(pairs)
        present = [(n, v, c) for (n, v), c in zip(pairs, codes) if v != 0]
        if not present:
            return []
        values = share_list_values([v for _, v, _ in present], self.style)
        out = [Item(n, v, s, c) for (n, v, c), s in zip(present, values)]
        for it in out:
            self.fig(f"{prefix}.{it.name}", self.pct(it.share))
        return out

    def share_of(self, part: Decimal, whole: Decimal) -> Decimal | None:
        return share_value(part, whole, self.style)

    def code_names(self, *table_ids: str) -> dict[str, str]:
        """Function code → name: the code list, overlaid with the names rows carry in these tables."""
        names = {c: k.name for c, k in function_codes().items()}
        for tid in table_ids:
            names |= {l.code: l.name for l in self.t[tid].lines}
        return names

    def reason(self, key: str) -> str:
        return (self.acc.reasons.get(key) or "").strip().rstrip("。；;，,")

    # ------------------------------------------------------------ the unit

    def unit(self) -> dict[str, Any]:
        u = self.acc.unit
        lines = lambda text: [l.strip() for l in (text or "").splitlines() if l.strip()]  # noqa: E731
        staff = {}
        for key in ("staff_quota", "staff_actual", "retired_li", "retired"):
            staff[key] = u.get(key)
            self.fig(f"unit.{key}", None if u.get(key) is None else str(u[key]))
        return {"name": u.get("name") or "", "short": u.get("short_name") or u.get("name") or "",
                "subject": u.get("subject") or "单位", "year": int(u["year"]), "prior_year": int(u["year"]) - 1,
                "type": u.get("unit_type") or "", "admin": u.get("unit_type") in ADMIN_TYPES,
                "duties": lines(u.get("duties")), "structure": lines(u.get("structure")),
                "composition": lines(u.get("composition")), "staff": staff}

    # ------------------------------------------------------------ 一 至 四

    def totals(self) -> dict[str, Any]:
        t01, p = self.t["t01"], self.acc.prior
        total = t01.income_bottom["total"]
        year_in = t01.income_bottom["year_total"]
        self.fig("total", total)
        self.fig("income_year", year_in)
        self.fig("expense_year", self.year_out)
        return {"total": change(total, p["total"]), "income_year": change(year_in, p["income_year"]),
                "expense_year": change(self.year_out, p["expense_year"]),
                "income_year_reason": self.reason("income_year"), "expense_year_reason": self.reason("expense_year")}

    def income(self) -> dict[str, Any]:
        t01 = self.t["t01"]
        rows = [(row.key, row.label.split("、", 1)[1], t01.income[row.key]) for row in t01.table.income]
        items = self.items("income_share", [(n, v) for _, n, v in rows])
        fiscal_keys = ("gpb", "fund", "soe")
        fiscal = sum((v for k, _, v in rows if k in fiscal_keys), ZERO)
        year_in = t01.income_bottom["year_total"]
        grouped = self.items("income_group_share", [("财政拨款收入", fiscal)]
                             + [(n, v) for k, n, v in rows if k not in fiscal_keys])
        return {"total": year_in, "parts": items, "grouped": grouped,
                "fiscal": Item("财政拨款收入", fiscal, self.share_of(fiscal, year_in) if fiscal else None),
                "fiscal_parts": [it for it in items if it.name in {n for k, n, _ in rows if k in fiscal_keys}],
                "other_parts": [it for it in items if it.name not in {n for k, n, _ in rows if k in fiscal_keys}]}

    def expense(self) -> dict[str, Any]:
        t03: CodedTable = self.t["t03"]
        cols = [c for c in t03.table.columns if not c.formula]
        classes = [Item(l.name, l.values["total"], code=l.code) for l in t03.level("类") if l.values["total"] != 0]
        return {"total": t03.total["total"], "classes": classes, "parts": self.items("expense_share", [(c.label, t03.total[c.key]) for c in cols])}

    def fiscal(self) -> dict[str, Any]:
        total = self.t["t04"].income_bottom["total"]
        self.fig("fiscal_total", total)
        return {"total": change(total, self.acc.prior["fiscal_total"])}

    # ------------------------------------------------------------ 五 一般公共预算

    def gpb(self) -> dict[str, Any]:
        t06: CodedTable = self.t["t06"]
        gpb = t06.total["total"]
        self.fig("gpb_expense", gpb)
        share = self.share_of(gpb, self.year_out)
        self.fig("gpb_share_of_expense", self.pct(share))
        classes = self.items("gpb_class_share", [(l.name, l.values["total"]) for l in t06.level("类")])
        budgets: dict[str, dict[str, Any]] = {}
        for rec in self.acc.budget:
            code = str(rec.get("code") or "").removesuffix(".0")
            if code:
                budgets[code] = rec
        names = self.code_names("t06")

        def budget_of(rec: dict | None, which: str) -> Decimal | None:
            if rec is None:
                return None
            if which == "final":  # 全年预算: the adjusted budget where given
                return rec["adjusted"] if rec["adjusted"] is not None else rec["initial"]
            return rec["initial"]

        which = "final"
        leaves = [l for l in t06.leaves()
                  if l.values["total"] != 0 or (budget_of(budgets.get(l.code), which) or ZERO)]
        out_leaves = []
        for line in leaves:
            rec = budgets.get(line.code)
            budget = budget_of(rec, which)
            self.fig(f"gpb_item.{line.code}", line.values["total"])
            out_leaves.append({"code": line.code, "name": line.name, "path": path_name(line.code, names),
                               "actual": line.values["total"], "budget": budget,
                               "initial": budget_of(rec, "initial"), "adjusted": rec["adjusted"] if rec else None,
                               "done": done(line.values["total"], budget),
                               "reason": ((rec or {}).get("reason") or "").strip().rstrip("。；;，,"),
                               "use": ((rec or {}).get("use") or "").strip().rstrip("。；;，,")})
        known = [l["budget"] for l in out_leaves if l["budget"] is not None]
        all_known = bool(out_leaves) and len(known) == len(out_leaves)
        total_budget = sum(known, ZERO) if all_known else None
        if all_known:
            self.fig("gpb_budget", total_budget)
        adjusted = any(l["adjusted"] is not None for l in out_leaves)
        return {"expense": change(gpb, self.acc.prior["gpb_expense"]), "share": share, "classes": classes,
                "adjusted": adjusted, "budget_reason": self.reason("gpb_budget"),
                "leaves": out_leaves, "budget": total_budget, "done": done(gpb, total_budget)}

    # ------------------------------------------------------------ 六 基本支出

    def basic(self) -> dict[str, Any]:
        groups = self.acc.basic_by_kind()
        personnel, public = self.acc.basic_total("人员经费"), self.acc.basic_total("公用经费")
        basic = self.acc.basic_spending()
        self.fig("basic", basic)
        self.fig("personnel", personnel)
        self.fig("public", public)
        return {"total": basic,
                "personnel": {"name": "人员经费", "amount": personnel, "names": [l.name for l in groups["人员经费"]]},
                "public": {"name": "公用经费", "amount": public, "names": [l.name for l in groups["公用经费"]]}}

    # ------------------------------------------------------------ 七 三公

    def sg(self) -> dict[str, Any]:
        g, p, sg = self.t["t13"], self.acc.prior, self.acc.sg
        keys = ("total", "abroad", "car", "car_buy", "car_run", "reception")
        names = {"total": "“三公”经费", "abroad": "因公出国（境）费", "car": "公务用车购置及运行维护费",
                 "car_buy": "公务用车购置费", "car_run": "公务用车运行维护费", "reception": "公务接待费"}
        reasons = {"total": "sg_total", "abroad": "sg_abroad", "car": "sg_car", "car_buy": "sg_car",
                   "car_run": "sg_car", "reception": "sg_reception"}
        out: dict[str, Any] = {}
        for k in keys:
            actual, budget = g.get(k, "actual"), g.get(k, "budget")
            self.fig(f"sg.{k}", actual)
            out[k] = {"name": names[k], "actual": actual, "budget": budget, "done": done(actual, budget),
                      "change": change(actual, p.get(f"sg_{k}")), "reason": self.reason(reasons[k])}
        out["budget_reason"] = self.reason("sg_budget")
        out["parts"] = self.items("sg_share", [(names[k], out[k]["actual"]) for k in ("abroad", "car", "reception")])
        out["abroad_groups"] = sg["abroad_groups"] or 0
        out["abroad_people"] = sg["abroad_people"] or 0
        out["bought"] = [{"name": n, "count": sg[f"buy_{k}"] or 0, "amount": sg[f"buy_{k}_amount"] or ZERO}
                         for n, k in VEHICLE_KINDS]
        out["bought_count"] = sum(b["count"] for b in out["bought"])
        out["stock"] = [{"name": n, "count": sg[f"stock_{k}"] or 0} for n, k in VEHICLE_KINDS]
        out["stock_count"] = sum(s["count"] for s in out["stock"])
        out["run_use"] = self.reason("car_run_use")
        out["buy_use"] = self.reason("car_buy_use")
        out["abroad_content"] = self.reason("abroad_content")
        dom = sg["domestic_amount"] or ZERO
        self.fig("sg.domestic_amount", dom)
        out["domestic"] = {"amount": dom, "batches": sg["domestic_batches"] or 0, "people": sg["domestic_people"] or 0,
                           "content": self.reason("reception_content")}
        out["foreign"] = {"amount": sg["foreign_amount"] or ZERO, "batches": sg["foreign_batches"] or 0,
                          "people": sg["foreign_people"] or 0}
        return out

    # ------------------------------------------------------------ 八 九

    def fund(self, table_id: str, spend_key: str, prior_key: str) -> dict[str, Any]:
        t: CodedTable = self.t[table_id]
        spent = t.total[spend_key]
        self.fig(prior_key, spent)
        names = self.code_names(table_id)
        leaves = [Item(path_name(l.code, names), l.values[spend_key], code=l.code)
                  for l in t.leaves() if l.values[spend_key] != 0]
        return {"spent": change(spent, self.acc.prior[prior_key]), "share": self.share_of(spent, self.year_out),
                "none": spent == 0 and t.is_empty(), "parts": leaves, "reason": self.reason(prior_key)}

    # ------------------------------------------------------------ 其他重要事项

    def running(self) -> dict[str, Any]:
        o = self.acc.other
        rc = o["running_costs"]
        if rc is None and self.acc.unit.get("unit_type") in ADMIN_TYPES:  # the check reports it (LINK-RUNNING)
            rc = o.get("admin_public_costs")
            rc = self.acc.basic_total("公用经费") if rc is None else rc
        self.fig("running_costs", rc)
        return {"applicable": rc is not None, "amount": change(rc if rc is not None else ZERO,
                                                               self.acc.prior["running_costs"]),
                "reason": self.reason("running_costs")}

    def procurement(self) -> dict[str, Any]:
        o = self.acc.other
        goods, works, services = (o[k] or ZERO for k in ("proc_goods", "proc_works", "proc_services"))
        total = goods + works + services
        self.fig("procurement_total", total)
        sme, small = o["proc_sme"] or ZERO, o["proc_small"] or ZERO
        return {"total": total, "goods": goods, "works": works, "services": services, "sme": sme, "small": small,
                "sme_share": self.share_of(sme, total), "small_share": self.share_of(small, total),
                "reserved": o.get("proc_reserved"), "reserved_small": o.get("proc_reserved_small") or ZERO,
                "awarded_sme_reserved": o.get("proc_awarded_sme_reserved") or ZERO,
                "awarded_small_reserved": o.get("proc_awarded_small_reserved") or ZERO,
                "awarded_sme_other": o.get("proc_awarded_sme_other") or ZERO,
                "note": (self.acc.reasons.get("procurement") or "").strip()}

    def assets(self) -> dict[str, Any]:
        o = self.acc.other
        vehicles = [{"name": n, "key": k, "count": o.get(k) or 0} for n, k in VEHICLE_USES]
        return {"vehicles": vehicles, "vehicle_count": sum(v["count"] for v in vehicles),
                "equipment_general": o.get("equipment_general") or 0,
                "equipment_special": o.get("equipment_special") or 0}

    # ------------------------------------------------------------ 绩效

    def performance(self) -> dict[str, Any]:
        recs = [dict(r) for r in self.acc.performance if r.get("name")]  # copies: scores are filled in below
        ev = self.acc.evaluation
        for r in recs:  # scores computed from the self-evaluation tables win over typed ones
            project = ev.project(r["name"]) if ev else None
            if project is not None and project.indicators:
                r["score"] = project.score
            elif r.get("scope") == "整体" and ev is not None and ev.unit_total is not None:
                r["score"] = ev.unit_total
            r["summary"] = (r.get("summary") or "").strip().rstrip("。")
        projects = [r for r in recs if r.get("scope") == "项目"]
        steps: list[dict[str, Any]] = []  # (project names, what was done); equal lists merged
        for key in ("pre_assessed", "has_target", "monitored"):
            names = [r["name"] for r in projects if r.get(key) == "是"]
            if names and steps and steps[-1]["names"] == names:
                steps[-1]["acts"].append(key)
            elif names:
                steps.append({"names": names, "acts": [key]})
        extra = self.acc.forms.get("perf_summary", {})
        thresholds = ev.thresholds if ev is not None else DEFAULT_GRADES
        scores = [r["score"] for r in projects if r.get("score") is not None]
        grades = {g: 0 for g in ("优", "良", "中", "差")}
        for s in scores:
            grades[grade(s, thresholds)] += 1
        average = round2(sum(scores, ZERO) / len(scores)) if scores else None
        self.fig("perf.average", average)
        found, fixed = extra.get("issues_found"), extra.get("issues_fixed")
        return {"records": recs, "projects": projects, "whole": [r for r in recs if r.get("scope") == "整体"],
                "scored": [r for r in recs if r.get("score") is not None], "steps": steps,
                "targets": [r for r in projects if r.get("has_target") == "是"],
                "monitored": [r for r in projects if r.get("monitored") == "是"],
                "target_amount": extra.get("target_amount") or ZERO, "monitor_amount": extra.get("monitor_amount") or ZERO,
                "selfeval_amount": extra.get("selfeval_amount") or ZERO, "project_scores": scores,
                "systems": (extra.get("systems") or "").strip().rstrip("。；;，,"),
                "mechanism": (extra.get("mechanism") or "").strip().rstrip("。；;，,"),
                "unit_score": ev.unit_total if ev is not None else None,
                "grades": grades, "average": average, "issues_found": found or 0,
                "issues_fixed": min(fixed or 0, found or 0)}

    # ------------------------------------------------------------ 名词解释

    def glossary(self) -> dict[str, Any]:
        """The general terms whose amount is not zero, and the function codes used (with their definitions)."""
        terms = glossary()
        present = self.terms_present()
        general = [{"key": k, "term": terms[k][0], "text": terms[k][1]}
                   for k in GENERAL_TERMS if k in terms and present.get(k, True)]
        used: set[str] = set()
        for tid in FUNCTION_TABLES:
            for line in self.t[tid].leaves():
                if any(v != 0 for v in line.values.values()):
                    used.add(line.code)
        names = self.code_names(*FUNCTION_TABLES)
        codes = []
        for code in sorted(used):
            if code in terms:
                codes.append({"key": code, "term": path_name(code, names), "text": terms[code][1]})
            else:
                self.findings.append(Finding("GLOSSARY-MISSING", HINT, "名词解释",
                                             f"科目 {code} {names.get(code, '')} 没有现成的名词解释，报告中未列出"))
        return {"general": general, "codes": codes, "all": {k: {"term": v[0], "text": v[1]} for k, v in terms.items()}}

    def terms_present(self) -> dict[str, bool]:
        t01, t03 = self.t["t01"], self.t["t03"].total
        inc, bottom, out = t01.income, t01.income_bottom, t01.expense_bottom
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
            "three_public": True,  # 七 and the 三公 附表 speak of it whatever the amounts
            "operating_costs": self.acc.unit.get("unit_type") in ADMIN_TYPES
            or self.acc.other.get("running_costs") is not None,
        }


def compute(acc: Accounts, style: NumberStyle) -> Figures:
    """Every figure of the report, for any layout (shares rounded as `style` says)."""
    r = _Registry(acc, style)
    tree: dict[str, Any] = {"unit": r.unit()}
    tree |= {"totals": r.totals(), "income": r.income(), "expense": r.expense(), "fiscal": r.fiscal(),
             "gpb": r.gpb(), "basic": r.basic(), "sg": r.sg(),
             "fund": r.fund("t10", "spend", "fund_expense")}
    soe_table = "t12" if not acc.tables["t12"].is_empty() else "t11"
    tree["soe"] = r.fund(soe_table, "total" if soe_table == "t12" else "spend", "soe_expense")
    tree |= {"running": r.running(), "procurement": r.procurement(), "assets": r.assets(),
             "performance": r.performance(), "glossary": r.glossary(), "reasons": dict(acc.reasons)}
    return Figures(tree, r.flat, r.findings)
