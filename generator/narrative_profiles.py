"""Reports written from a profile's outline (data/profiles/<id>/profile.toml).

`narrative.Narrator` computes the Sichuan sections; this module arranges computed sections
under the headings a profile declares, and holds the builders of profiles whose sentences
differ (Shanghai 2024: `ShanghaiNarrator`, wording in its `sentences.toml`). The figures
are taken from the same accounts through the same accessors and recorded under the same
keys, so the batch summary and the data JSON read alike whatever the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .accounts import Accounts, CodedTable
from .codes import glossary
from .money import ZERO, round2
from .narrative import ChartSpec, Narrator, Report, Section, path_name
from .performance import DEFAULT_GRADES, fmt_score, grade
from .profiles import Node, Profile, numbered
from .sentences import change, completion, count_items, share_list, share_of, wan

TABLES_MARK = "〔附表〕"  # replaced by the 附表 (render_profile)
ATTACHMENTS_MARK = "〔附件表〕"  # replaced by the 附件 tables


@dataclass
class Block:
    """One heading of the outline (or none) with its paragraphs, chart and renderer mark."""

    level: int  # 1 part, 2 section, 3 sub-section
    heading: str
    paras: list[str] = field(default_factory=list)
    chart: ChartSpec | None = None
    mark: str = ""


def _lookup(ctx: dict[str, Any], path: str) -> list[Section]:
    """The sections a `source` names: "s5.overall", "s7.detail+s7.items", "overview.duties"."""
    out = []
    for part in path.split("+"):
        node: Any = ctx
        for key in part.split("."):
            node = node[key]
        if isinstance(node, Section):
            out.append(node)
        elif isinstance(node, list):  # plain paragraphs
            out.append(Section([str(p) for p in node]))
        else:
            raise TypeError(f"{path}: not a section")
    return out


def arrange(profile: Profile, ctx: dict[str, Any], glossary_entries: list[str], attachments: list[str],
            has_attachment_tables: bool) -> list[Block]:
    """The outline of `profile` filled from the computed context, numbered as it prints."""
    fill = {k: ctx[k] for k in ("unit_name", "short_name", "subject", "year", "prior_year")}
    blocks: list[Block] = []

    def walk(nodes: tuple[Node, ...]) -> None:
        for i, node in enumerate(nodes, start=1):
            block = Block(node.level, numbered(node, i).format(**fill))
            blocks.append(block)
            if node.special == "glossary":
                block.paras = [f"{k}.{e}" for k, e in enumerate(glossary_entries, start=1)]
            elif node.special == "attachments":
                block.paras = list(attachments)
                block.mark = ATTACHMENTS_MARK if has_attachment_tables else ""
            elif node.special == "tables":
                block.mark = TABLES_MARK
            if node.source:
                sections = _lookup(ctx, node.source)
                for k, sec in enumerate(sections):
                    target = block if k == 0 else Block(0, "")
                    target.paras = list(sec.paras)
                    target.chart = sec.chart
                    if k:
                        blocks.append(target)
            walk(node.children)

    walk(profile.outline)
    return blocks


def narrate_profile(acc: Accounts, profile: Profile) -> Report:
    """The report of a profile with an outline: its narrator's sections under its headings."""
    from .attachments import attachment_tables
    from .render import _attachments

    narrator = ShanghaiNarrator(acc, profile) if profile.narrator == "shanghai" else Narrator(acc)
    report = narrator.build()
    ctx = report.context
    if profile.glossary:
        terms = glossary()
        entries = [f"{terms[k][0]}：{terms[k][1]}" for k in profile.glossary if k in terms]
    else:
        entries = ctx["glossary"]
    tables = attachment_tables(acc.evaluation, acc.unit.get("name") or "", acc.unit["year"])
    attachments = _attachments(acc, tables)
    blocks = arrange(profile, ctx, entries, attachments, bool(tables))
    keep = {k: ctx[k] for k in ("unit_name", "short_name", "subject", "year", "prior_year")}
    context = dict(keep, outline=blocks)
    return Report(context, report.charts, report.figures, report.findings)


# ---------------------------------------------------------------- Shanghai 2024

class ShanghaiNarrator(Narrator):
    """The nine-table 部门决算 in the Shanghai 2024 template's order and wording (S1).

    No charts: the Shanghai publications have none. Every pattern is a line of the profile's
    sentences.toml; the choice between patterns (持平, new item, no budget) is made here.
    """

    def __init__(self, acc: Accounts, profile: Profile):
        super().__init__(acc)
        self.profile = profile

    def say(self, key: str, **values) -> str:
        base = {"year": self.year, "prior_year": self.prior_year, "short": self.short, "name": self.name,
                "subject": self.subject}
        return self.profile.say(key, **(base | values))

    def yoy(self, subject: str, now: Decimal, prior: Decimal | None, reason: str | None) -> str:
        """"与上年度相比，…增加/减少/持平…" with its reason ("" without a prior-year figure)."""
        clause = change(now, prior)
        if clause is None:
            return ""
        if clause == "持平":
            return self.say("yoy_flat", what=subject)
        if round2(prior) == 0:  # type: ignore[arg-type]
            return self.say("yoy_new", what=subject, amount=wan(now)) + self.why(reason)
        return self.say("yoy", what=subject, change=clause) + self.why(reason)

    def why(self, reason: str | None) -> str:
        text = (reason or "").strip().rstrip("。；;，,")
        return self.say("reason", reason=text) if text else ""

    def vs_budget(self, actual: Decimal, budget: Decimal | None, reason: str | None) -> str:
        """年初预算 → 决算 → 完成率, and why they differ (no reason when equal)."""
        if budget is None:
            return self.say("actual_only", actual=wan(actual))
        if round2(budget) == 0:
            return self.say("no_budget", actual=wan(actual))
        text = self.say("budget_actual", budget=wan(budget), actual=wan(actual),
                        rate=(completion(actual, budget) or "").removeprefix("完成预算"))
        if round2(actual) == round2(budget):
            return text + self.say("budget_equal")
        return text + self.say("budget_more" if actual > budget else "budget_less") + self.why(reason)

    # -------------------------------------------------- 第一部分 概况

    def overview(self) -> dict[str, Any]:
        base = super().overview()
        units = [l.strip() for l in (self.acc.unit.get("composition") or "").splitlines() if l.strip()]
        if units:
            comp = [self.say("composition", n=len(units), units="、".join(units))]
        else:
            comp = base["structure"]
        return {"duties": base["duties"], "composition": comp}

    # -------------------------------------------------- 一–四

    def sh_totals(self) -> Section:
        t01 = self.t["t01"]
        total = t01.income_bottom["total"]
        self.fig("total", total)
        self.fig("income_year", t01.income_bottom["year_total"])
        self.fig("expense_year", t01.expense_bottom["year_total"]["amount"])
        text = self.say("totals", total=wan(total))
        text += self.yoy("收入、支出总计", total, self.acc.prior["total"], self.reason("total"))
        return Section([text])

    def sh_income(self) -> Section:
        t01 = self.t["t01"]
        year_in = t01.income_bottom["year_total"]
        items = self.shares("income_share", [(r.label.split("、", 1)[1], t01.income[r.key]) for r in t01.table.income])
        if not items:
            return Section([self.say("income_none")])
        return Section([self.say("income", total=wan(year_in), items=self.listing(items))])

    def sh_expense(self) -> Section:
        t03: CodedTable = self.t["t03"]
        cols = [c for c in t03.table.columns if not c.formula]
        items = self.shares("expense_share", [(c.label, t03.total[c.key]) for c in cols])
        if not items:
            return Section([self.say("expense_none")])
        return Section([self.say("expense", total=wan(t03.total["total"]), items=self.listing(items))])

    def listing(self, items: list[tuple[str, Decimal, str]]) -> str:
        if len(items) == 1:
            return self.say("all_of", what=items[0][0], amount=wan(items[0][1]))
        return self.say("of_which", items=share_list(items))

    def sh_fiscal(self) -> Section:
        total = self.t["t04"].income_bottom["total"]
        self.fig("fiscal_total", total)
        text = self.say("fiscal", total=wan(total))
        text += self.yoy("财政拨款收入、支出总计", total, self.acc.prior["fiscal_total"], self.reason("fiscal_total"))
        return Section([text])

    # -------------------------------------------------- 五 一般公共预算

    def sh_gpb(self) -> dict[str, Section]:
        t06: CodedTable = self.t["t06"]
        gpb = t06.total["total"]
        year_out = self.t["t01"].expense_bottom["year_total"]["amount"]
        self.fig("gpb_expense", gpb)
        share = share_of(gpb, year_out)
        self.fig("gpb_share_of_expense", share)
        if gpb == 0:
            empty = Section([self.say("gpb_none")])
            return {"overall": empty, "structure": Section([]), "detail": Section([])}
        text = self.say("gpb", amount=wan(gpb), share=share or "0.00%")
        text += self.yoy("一般公共预算财政拨款支出", gpb, self.acc.prior["gpb_expense"], self.reason("gpb_expense"))
        names = self.code_names("t06")
        items = self.shares("gpb_class_share",
                            [(f"{l.name}（类）", l.values["total"]) for l in t06.level("类")])
        structure = Section([self.say("gpb_structure", amount=wan(gpb), items=share_list(items))])
        budgets = {}
        for rec in self.acc.budget:
            code = str(rec.get("code") or "").removesuffix(".0")
            if code:
                budgets[code] = (rec["initial"], rec.get("reason"))
        leaves = [l for l in t06.leaves() if l.values["total"] != 0 or budgets.get(l.code, (ZERO,))[0]]
        known = [budgets[l.code][0] for l in leaves if budgets.get(l.code, (None,))[0] is not None]
        paras = []
        if leaves and len(known) == len(leaves):
            total_budget = sum(known, ZERO)
            self.fig("gpb_budget", total_budget)
            paras.append(self.say("gpb_detail_head", body=self.vs_budget(gpb, total_budget, None)))
        for i, line in enumerate(leaves, start=1):
            budget, why = budgets.get(line.code, (None, None))
            self.fig(f"gpb_item.{line.code}", line.values["total"])
            paras.append(self.say("gpb_item", n=i, item=path_name(line.code, names),
                                  body=self.vs_budget(line.values["total"], budget, why)))
        return {"overall": Section([text]), "structure": structure, "detail": Section(paras)}

    # -------------------------------------------------- 六 基本支出

    def sh_basic(self) -> Section:
        groups = self.acc.basic_by_kind()
        personnel, public = self.acc.basic_total("人员经费"), self.acc.basic_total("公用经费")
        basic = self.acc.basic_spending()
        self.fig("basic", basic)
        self.fig("personnel", personnel)
        self.fig("public", public)
        if basic == 0:
            return Section([self.say("basic_none")])
        parts = []
        for label, amount, lines in (("人员经费", personnel, groups["人员经费"]), ("公用经费", public, groups["公用经费"])):
            text = f"{label}{wan(amount)}"
            if lines:
                text += self.say("basic_items", items="、".join(l.name for l in lines))
            parts.append(text)
        return Section([self.say("basic", amount=wan(basic), parts="；".join(parts))])

    # -------------------------------------------------- 七 三公

    def sh_sg(self) -> dict[str, Section]:
        g, p, sg = self.t["t13"], self.acc.prior, self.acc.sg
        keys = ("total", "abroad", "car", "car_buy", "car_run", "reception")
        actual = {k: g.get(k, "actual") for k in keys}
        budget = {k: g.get(k, "budget") for k in keys}
        for k, v in actual.items():
            self.fig(f"sg.{k}", v)
        self.fig("sg.domestic_amount", sg["domestic_amount"] or ZERO)
        if actual["total"] == 0 and budget["total"] == 0:
            text = self.say("sg_none")
            text += self.yoy("“三公”经费财政拨款支出决算", actual["total"], p["sg_total"], self.reason("sg_total"))
            return {"overall": Section([text]), "detail": Section([])}
        head = self.say("sg_total", body=self.vs_budget(actual["total"], budget["total"], self.reason("sg_budget")))
        head += self.yoy("“三公”经费财政拨款支出决算", actual["total"], p["sg_total"], self.reason("sg_total"))
        items = self.shares("sg_share", [("因公出国（境）费", actual["abroad"]),
                                         ("公务用车购置及运行维护费", actual["car"]), ("公务接待费", actual["reception"])])
        paras = [self.say("sg_structure", items=share_list(items, fmt="{name}{amount}，占{share}"))] if items else []

        def item(n: int, label: str, key: str, why: str) -> str:
            return self.say("sg_item", n=n, item=label, body=self.vs_budget(actual[key], budget[key], None)) \
                + self.yoy(f"{label}支出决算", actual[key], p[f"sg_{key}"], self.reason(why))

        abroad = item(1, "因公出国（境）费", "abroad", "sg_abroad")
        abroad += self.say("sg_abroad", groups=sg["abroad_groups"] or 0, people=sg["abroad_people"] or 0)
        buy = item(2, "公务用车购置费", "car_buy", "sg_car")
        kinds = [("轿车", "sedan"), ("越野车", "suv"), ("载客汽车", "bus")]
        bought = [(n, sg[f"buy_{k}"] or 0) for n, k in kinds]
        n_bought = sum(n for _, n in bought)
        buy += self.say("sg_bought", n=n_bought, kinds=count_items(bought, "辆")) if n_bought else self.say("sg_not_bought")
        run = item(3, "公务用车运行维护费", "car_run", "sg_car")
        stock = [(n, sg[f"stock_{k}"] or 0) for n, k in kinds]
        use = (self.reason("car_run_use") or "").strip().rstrip("。")
        if actual["car_run"] != 0 and use:
            run += self.say("sg_run_use", use=use)
        run += self.say("sg_stock", n=sum(n for _, n in stock))
        rec = item(4, "公务接待费", "reception", "sg_reception")
        rec += self.say("sg_reception", batches=sg["domestic_batches"] or 0, people=sg["domestic_people"] or 0,
                        amount=wan(sg["domestic_amount"] or ZERO))
        if sg["foreign_batches"]:
            rec += self.say("sg_foreign", batches=sg["foreign_batches"], people=sg["foreign_people"] or 0,
                            amount=wan(sg["foreign_amount"] or ZERO))
        return {"overall": Section([head]), "detail": Section(paras + [abroad, buy, run, rec])}

    # -------------------------------------------------- 八 九

    def sh_fund(self, table_id: str, spend_key: str, prior_key: str, label: str) -> Section:
        t: CodedTable = self.t[table_id]
        spent = t.total[spend_key]
        self.fig(prior_key, spent)
        if spent == 0 and t.is_empty():
            return Section([self.say("fund_none", what=label)])
        share = share_of(spent, self.t["t01"].expense_bottom["year_total"]["amount"]) or "0.00%"
        text = self.say("fund", what=label, amount=wan(spent), share=share)
        return Section([text + self.yoy(f"{label}支出", spent, self.acc.prior[prior_key], self.reason(prior_key))])

    # -------------------------------------------------- 十 绩效

    def sh_performance(self) -> Section:
        recs = [r for r in self.acc.performance if r.get("name")]
        projects = [r for r in recs if r.get("scope") == "项目"]
        extra = self.acc.forms.get("perf_summary", {})
        ev = self.acc.evaluation
        paras = []
        targets = [r for r in projects if r.get("has_target") == "是"]
        monitored = [r for r in projects if r.get("monitored") == "是"]
        if targets or monitored:
            paras.append(self.say("perf_targets", n=len(targets), amount=wan(extra.get("target_amount") or ZERO),
                                  monitored=len(monitored), monitored_amount=wan(extra.get("monitor_amount") or ZERO)))
        scores = []
        for r in projects:
            project = ev.project(r["name"]) if ev else None
            score = project.score if project is not None and project.indicators else r.get("score")
            if score is not None:
                scores.append(score)
        if scores:
            names = dict(zip(("优", "良", "中", "差"), self.profile.sentences["grade_names"].split("、")))
            thresholds = ev.thresholds if ev is not None else DEFAULT_GRADES
            counts = {g: 0 for g in names}
            for s in scores:
                counts[grade(s, thresholds)] += 1
            average = round2(sum(scores, ZERO) / len(scores))
            self.fig("perf.average", average)
            grades = "、".join(f"“{names[g]}”{n}个" for g, n in counts.items() if n)
            paras.append(self.say("perf_self", n=len(scores), amount=wan(extra.get("selfeval_amount") or ZERO),
                                  average=fmt_score(average), grades=grades))
            found, fixed = extra.get("issues_found"), extra.get("issues_fixed")
            if found:
                fixed = min(fixed or 0, found)
                paras.append(self.say("perf_issues", found=found, fixed=fixed, fixing=found - fixed))
        whole = [r for r in recs if r.get("scope") == "整体"]
        for r in whole:
            score = ev.unit_total if ev is not None and ev.unit_total is not None else r.get("score")
            if score is not None:
                paras.append(self.say("perf_unit", what=r["name"], score=fmt_score(score)))
        return Section(paras)

    # -------------------------------------------------- 十一 其他重要事项

    def sh_other(self) -> dict[str, Section]:
        o = self.acc.other
        base = self.s10()  # the running-costs figure and its fallbacks, computed once there
        rc = self.figures.get("running_costs")
        if rc is not None:
            value = Decimal(rc)
            text = self.say("running", amount=wan(value))
            text += self.yoy("机关运行经费支出", value, self.acc.prior["running_costs"], self.reason("running_costs"))
            running = Section([text])
        else:
            running = base["running"]
        goods, works, services = (o[k] or ZERO for k in ("proc_goods", "proc_works", "proc_services"))
        total = goods + works + services
        if total == 0:
            procurement = Section([self.say("proc_none")])
        else:
            sme, small = o["proc_sme"] or ZERO, o["proc_small"] or ZERO
            text = self.say("proc", total=wan(total), goods=wan(goods), works=wan(works), services=wan(services))
            if o.get("proc_reserved") is not None:
                text += self.say("proc_reserved", amount=wan(o["proc_reserved"]),
                                 small=wan(o.get("proc_reserved_small") or ZERO))
            text += self.say("proc_awarded", sme=wan(sme), sme_share=share_of(sme, total),
                             small=wan(small), small_share=share_of(small, total))
            procurement = Section([text])
        vehicles = [("部级领导干部用车", "veh_minister"), ("主要领导干部用车", "veh_leader"),
                    ("机要通信用车", "veh_confidential"), ("应急保障用车", "veh_emergency"),
                    ("执法执勤用车", "veh_enforcement"), ("特种专业技术用车", "veh_special"),
                    ("离退休干部用车", "veh_retired"), ("其他用车", "veh_other")]
        counts = [(n, o.get(k) or 0) for n, k in vehicles]
        n_veh = sum(n for _, n in counts)
        text = self.say("assets", n=n_veh) + (self.say("assets_kinds", kinds=count_items(counts, "辆")) if n_veh else "。")
        text += self.say("assets_equipment", n=o["equipment_special"] or 0)
        return {"running": running, "procurement": procurement, "assets": Section([text])}

    # -------------------------------------------------- all

    def build(self) -> Report:
        ctx: dict[str, Any] = {"unit_name": self.name, "short_name": self.short, "subject": self.subject,
                               "year": self.year, "prior_year": self.prior_year}
        ctx["overview"] = self.overview()
        ctx["s1"] = self.sh_totals()
        ctx["s2"] = self.sh_income()
        ctx["s3"] = self.sh_expense()
        ctx["s4"] = self.sh_fiscal()
        ctx["s5"] = self.sh_gpb()
        ctx["s6"] = self.sh_basic()
        ctx["s7"] = self.sh_sg()
        ctx["s8"] = self.sh_fund("t10", "spend", "fund_expense", "政府性基金预算财政拨款")
        ctx["s9"] = self.sh_fund("t11", "spend", "soe_expense", "国有资本经营预算财政拨款")
        ctx["s10"] = self.sh_performance()
        ctx["s11"] = self.sh_other()
        ctx["glossary"] = []
        return Report(ctx, self.charts, self.figures, self.findings)
