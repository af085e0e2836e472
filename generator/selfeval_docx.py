"""The two 绩效自评报告 as Word documents: 整体支出 (one per unit) and 专项 (one per project).

The figures they share with the 决算说明 (收入, 基本/项目支出, 人员/公用经费, 三公 by item,
编制) are read from the same Accounts and written by the same money functions, so both
documents print them identically. Scores come from selfeval.evaluate_selfeval(); a sheet
with an 错误 (points not adding up to 100, a score it cannot justify) is not written.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from .appendix import Cell, WordTable
from .attachments import fit_widths, project_table, unit_table
from .errors import CheckFailed
from .money import ZERO, fmt_amount, fmt_percent, percent
from .output import atomic_write
from .performance import fmt_score
from .render import PORTRAIT_WIDTH_MM, docx_bytes, _table_elements, jinja_env, landscape, safe_name
from .selfeval import OVERALL, SelfEvaluation, Sheet, evaluate_selfeval

MARKER = re.compile(r"^\[\[(\w+)\]\]$")
LANDSCAPE_WIDTH_MM = 247


def template_path(name: str) -> Path:
    return Path(str(resources.files("generator.templates").joinpath(name)))


def L(text, span: int = 1, align: str = "center", bold: bool = False, vmerge: str | None = None) -> Cell:
    return Cell("" if text is None else str(text), span, vmerge, align, bold)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _merged(values: list[str]) -> list[str | None]:
    out: list[str | None] = []
    for i, v in enumerate(values):
        if i and values[i - 1] == v:
            out.append("continue")
            if out[i - 1] is None:
                out[i - 1] = "restart"
        else:
            out.append(None)
    return out


# ------------------------------------------------------------------ figures shared with the 决算说明

@dataclass
class Money:
    """The 收支 figures of the 整体 report, each from the Accounts (parts add up to their totals)."""

    opening: Decimal
    gpb: Decimal
    fund: Decimal
    nontax: Decimal
    other_income: Decimal
    income_total: Decimal
    spent: Decimal
    basic: Decimal
    personnel: Decimal
    public: Decimal
    basic_other: Decimal  # 基本支出 not in the 一般公共预算 基本支出表 (other funds)
    project: Decimal
    other_spending: Decimal  # 上缴上级、经营、对附属单位补助
    year_balance: Decimal
    closing: Decimal


def money_of(acc) -> Money:
    t01, t03 = acc.tables["t01"], acc.tables["t03"]
    opening = t01.income_bottom["opening"] + t01.income_bottom["use_balance"]
    year_income = t01.income_bottom["year_total"]
    gpb, fund = t01.income["gpb"], t01.income["fund"]
    nontax = acc.forms.get("selfeval", {}).get("special_nontax") or ZERO
    spent = t01.expense_bottom["year_total"]["amount"]
    basic, project = t03.total["basic"], t03.total["project"]
    personnel, public = acc.basic_total("人员经费"), acc.basic_total("公用经费")
    return Money(opening, gpb, fund, nontax, year_income - gpb - fund - nontax, opening + year_income, spent, basic,
                 personnel, public, basic - personnel - public, project, spent - basic - project,
                 year_income - spent, t01.expense_bottom["closing"]["amount"])


# ------------------------------------------------------------------ the 整体 report's tables

def _form_table(rows: list[list[Cell]], widths: list[float]) -> WordTable:
    return WordTable("", rows, widths, unit_line="")


def basic_table(acc, form: dict) -> WordTable:
    u = acc.unit
    count = lambda v: "" if v is None else str(v)  # noqa: E731
    rows = [
        [L("联系人", bold=True), L(form.get("contact")), L("联络电话", bold=True), L(form.get("phone"))],
        [L("人员编制", bold=True), L(count(u.get("staff_quota"))), L("实有人数", bold=True),
         L(count(u.get("staff_actual")))],
        [L("职能职责概述", bold=True), L(u.get("duties"), 3, "left")],
        [L("年度主要工作内容", bold=True), L("\n".join(_lines(form.get("work_content"))), 3, "left")],
        [L("年度部门（单位）总体运行情况及取得的成绩", bold=True), L(form.get("operation"), 3, "left")],
    ]
    return _form_table(rows, [22, 28, 22, 28])


def income_table(acc, m: Money) -> WordTable:
    name = acc.unit.get("name") or ""
    labels = ["上年结转", "公共财政拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入"]
    values = [m.opening, m.gpb, m.fund, m.nontax, m.other_income]
    assert sum(values, ZERO) == m.income_total  # a total is the sum of its parts
    rows = [[L("机构名称", bold=True, vmerge="restart"), L("收入合计", bold=True, vmerge="restart"),
             L("其中：", len(labels), bold=True)],
            [L("", vmerge="continue"), L("", vmerge="continue")] + [L(t, bold=True) for t in labels],
            [L(name), L(fmt_amount(m.income_total))] + [L(fmt_amount(v)) for v in values]]
    return WordTable("年度收入情况", rows, [22, 13] + [13] * len(labels), header_rows=2)


def expense_table(acc, m: Money) -> WordTable:
    name = acc.unit.get("name") or ""
    sub = [("人员支出", m.personnel), ("公用支出", m.public)]
    if m.basic_other != 0:
        sub.append(("其他资金安排", m.basic_other))
    parts = [("项目支出", m.project)] + ([("其他支出", m.other_spending)] if m.other_spending != 0 else [])
    assert sum((v for _, v in sub), ZERO) == m.basic and m.basic + sum((v for _, v in parts), ZERO) == m.spent
    n = 1 + len(sub) + len(parts)
    R, C = "restart", "continue"
    rows = [
        [L("机构名称", bold=True, vmerge=R), L("支出合计", bold=True, vmerge=R), L("其中：", n, bold=True),
         L("结余", 2, bold=True)],
        [L("", vmerge=C), L("", vmerge=C), L("基本支出", 1 + len(sub), bold=True)]
        + [L(t, bold=True, vmerge=R) for t, _ in parts] + [L("当年结余", bold=True, vmerge=R),
                                                            L("累计结余", bold=True, vmerge=R)],
        [L("", vmerge=C), L("", vmerge=C), L("小计", bold=True)] + [L(f"其中：{t}" if i == 0 else t, bold=True)
                                                                  for i, (t, _) in enumerate(sub)]
        + [L("", vmerge=C) for _ in parts] + [L("", vmerge=C), L("", vmerge=C)],
        [L(name), L(fmt_amount(m.spent)), L(fmt_amount(m.basic))] + [L(fmt_amount(v)) for _, v in sub]
        + [L(fmt_amount(v)) for _, v in parts] + [L(fmt_amount(m.year_balance)), L(fmt_amount(m.closing))],
    ]
    note = ""
    if m.basic_other != 0:
        note = ("注：人员支出、公用支出为一般公共预算财政拨款基本支出（决算说明的一般公共预算财政拨款基本支出决算表）；"
                "“其他资金安排”为其他资金安排的基本支出。")
    return WordTable("年度支出和结余情况", rows, [20, 11, 11] + [11] * (len(sub) + len(parts) + 2), header_rows=3,
                     note=note)


def sg_table(acc) -> WordTable:
    t13 = acc.tables["t13"]
    # headings broken between words, never inside one ("“三公”经费合 / 计")
    items = [("公务接待费", "reception"), ("公务用车\n运行维护费", "car_run"), ("公务用车\n购置费", "car_buy"),
             ("因公出国\n（境）费", "abroad")]
    values = [t13.get(k, "actual") for _, k in items]
    total = t13.get("total", "actual")
    assert sum(values, ZERO) == total
    rows = [[L("机构名称", bold=True, vmerge="restart"), L("“三公”\n经费合计", bold=True, vmerge="restart"),
             L("其中：", 4, bold=True)],
            [L("", vmerge="continue"), L("", vmerge="continue")] + [L(t, bold=True) for t, _ in items],
            [L(acc.unit.get("name") or ""), L(fmt_amount(total))] + [L(fmt_amount(v)) for v in values]]
    # a heading such as "“三公”经费合计" or "因公出国（境）费" never breaks inside its words
    return WordTable("“三公”经费支出情况", rows, fit_widths(rows, 6, PORTRAIT_WIDTH_MM), header_rows=2)


def assets_table(acc, form: dict) -> WordTable:
    parts = [form.get(k) or ZERO for k in ("assets_in_use", "assets_rented", "assets_other")]
    rows = [[L("机构名称", bold=True, vmerge="restart"), L("固定资产合计", bold=True, vmerge="restart"),
             L("其中：", 3, bold=True)],
            [L("", vmerge="continue"), L("", vmerge="continue")] + [L(t, bold=True) for t in
                                                                   ("在用固定资产", "出租固定资产", "其他")],
            [L(acc.unit.get("name") or ""), L(fmt_amount(sum(parts, ZERO)))] + [L(fmt_amount(v)) for v in parts]]
    return WordTable("固定资产情况", rows, [22, 16, 16, 16, 16], header_rows=2)


def performance_table(sheet: Sheet, form: dict) -> WordTable:
    R, C = "restart", "continue"
    rows = [
        [L("整体支出绩效定性目标及实施计划完成情况", bold=True, vmerge=R), L("预期目标", 3, bold=True),
         L("实际完成", bold=True)],
        [L("", vmerge=C), L("\n".join(_lines(form.get("goal_expected"))), 3, "left"),
         L("\n".join(_lines(form.get("goal_actual"))), align="left")],
        [L("整体支出绩效定量目标及实施计划完成情况", bold=True, vmerge=R), L("评价内容", 2, bold=True),
         L("绩效目标", bold=True), L("完成情况", bold=True)],
    ]
    targets = sheet.template.targets
    merged = _merged([t["group"] for t in targets])
    for k, t in enumerate(targets):
        rows.append([L("", vmerge=C), L(t["group"] if merged[k] != C else "", vmerge=merged[k]), L(t["name"]),
                     L(t["meaning"], align="left"), L(form.get(t["key"]))])
    rows.append([L("绩效自评综合得分", 4, bold=True), L(f"{fmt_score(sheet.total)}分", bold=True)])
    rows.append([L("评价等次", 4, bold=True), L(sheet.grade, bold=True)])
    return _form_table(rows, [16, 16, 16, 32, 20])


def people_table(acc) -> WordTable:
    people = acc.lists.get("selfeval_people", [])
    rows = [[L(h, bold=True) for h in ("姓　名", "职务/职称", "单　位", "签　字")]]
    for person in people:
        rows.append([L(person.get("name")), L(person.get("title")), L(person.get("org")), L("")])
    for _ in range(max(0, 4 - len(people))):
        rows.append([L("") for _ in range(4)])
    # the header repeats and the list stays whole, with its heading (never a header alone at a page foot)
    return WordTable("", rows, [20, 25, 35, 20], header_rows=1, unit_line="", keep_tail=len(rows))


def opinions_table(sheet: Sheet) -> WordTable:
    blank = "\n\n"
    rows = [
        [L(f"评价组组长（签字）：{blank}评价等级为{sheet.grade}{blank}　　　　　　　　　　　　　　　　　　年　　月　　日", align="left")],
        [L(f"部门（单位）意见：{blank}{blank}　　　　　　　　　部门（单位）负责人（签章）：\n"
           "　　　　　　　　　　　　　　　　　　年　　月　　日", align="left")],
        [L(f"财政部门归口业务科室意见：{blank}{blank}　　　　　财政部门归口业务科室负责人（签章）：\n"
           "　　　　　　　　　　　　　　　　　　年　　月　　日", align="left")],
    ]
    return WordTable("", rows, [100], unit_line="", note="填报人（签名）：　　　　　　　　　　　　联系电话：")


def overall_scores_table(sheet: Sheet, acc) -> WordTable:
    t = sheet.template
    if t.source:  # the 决算说明's 附件1 itself: one table, one score
        return unit_table(acc.evaluation, acc.unit.get("name") or "", 1, title=t.title)  # under the heading 附件
    rows = [[L(h, bold=True) for h in t.columns]]
    l1 = _merged([r.level1 for r in sheet.rows])
    l2 = _merged([f"{r.level1}/{r.level2}" for r in sheet.rows])
    for k, r in enumerate(sheet.rows):
        rows.append([
            L(f"{r.level1}\n（{fmt_score(sheet.subtotal(r.level1))}分）" if l1[k] != "continue" else "", vmerge=l1[k]),
            L(f"{r.level2}\n（{fmt_score(sheet.subtotal(r.level1, r.level2))}分）" if l2[k] != "continue" else "",
              vmerge=l2[k]),
            L(r.level3), L(r.standard, align="left"), L(fmt_score(r.points)), L(fmt_score(r.score)),
            L(r.remark, align="left")])
    rows.append([L("总　分", 4, bold=True), L(fmt_score(sheet.points), bold=True), L(fmt_score(sheet.total), bold=True),
                 L(f"评价等次：{sheet.grade}", bold=True)])
    return WordTable(t.title, rows, [9, 10, 13, 36, 6, 7, 25], header_rows=1, unit_line="")


def project_scores_table(sheet: Sheet, acc) -> WordTable:
    t = sheet.template
    name = sheet.texts.get("title") or sheet.target
    if t.source:  # the 决算说明's 附件 for this project itself
        return project_table(sheet.project, acc.evaluation, acc.unit["year"], 0,
                             title=f"附件　{t.title}（{acc.unit['year']}年度）", name=name)
    rows = [[L(h, bold=True) for h in t.columns]]
    l1 = _merged([r.level1 for r in sheet.rows])
    l2 = _merged([f"{r.level1}/{r.level2}" for r in sheet.rows])
    for k, r in enumerate(sheet.rows):
        first1, first2 = l1[k] != "continue", l2[k] != "continue"
        rows.append([
            L(r.level1 if first1 else "", vmerge=l1[k]),
            L(fmt_score(sheet.subtotal(r.level1)) if first1 else "", vmerge=l1[k]),
            L(r.level2 if first2 else "", vmerge=l2[k]),
            L(fmt_score(sheet.subtotal(r.level1, r.level2)) if first2 else "", vmerge=l2[k]),
            L(r.level3), L(fmt_score(r.points)), L(r.explanation, align="left"), L(r.standard, align="left"),
            L(fmt_score(r.score)), L(r.remark, align="left")])
    total = fmt_score(sheet.points)
    rows.append([L("总分", bold=True), L(total, bold=True), L(""), L(total, bold=True), L(""), L(total, bold=True),
                 L(""), L(f"等级：{sheet.grade}", bold=True), L(fmt_score(sheet.total), bold=True), L("")])
    return WordTable(f"附件　{t.title}", rows, [6, 5, 8, 5, 11, 5, 27, 33, 6, 26], header_rows=1,
                     unit_line=f"项目名称：{name}", subject=name)


# ------------------------------------------------------------------ texts

def _p(text: str) -> dict:
    return {"heading": False, "text": text}


def _h(text: str) -> dict:
    """A heading inside 五、评价报告综述: （一）… (level 2) or 1.… (level 3), so the 综述 never
    repeats the report's own 一、… numbering."""
    return {"heading": 2 if text.startswith("（") else 3, "text": text}


def sg_sentence(acc) -> str:
    t13 = acc.tables["t13"]
    total, budget = t13.get("total", "actual"), t13.get("total", "budget")
    items = [("因公出国（境）费", "abroad"), ("公务用车购置费", "car_buy"), ("公务用车运行维护费", "car_run"),
             ("公务接待费", "reception")]
    text = f"“三公”经费财政拨款支出{fmt_amount(total)}万元，其中：" + "、".join(
        f"{label}{fmt_amount(t13.get(k, 'actual'))}万元" for label, k in items)
    if budget != 0:
        text += f"，完成预算的{fmt_percent(percent(total, budget))}"
    else:
        text += "，未安排“三公”经费预算"
    return text + "。"


def summary(acc, sheet: Sheet, form: dict, m: Money) -> list[dict]:
    u, year = acc.unit, acc.unit["year"]
    short = u.get("short_name") or u.get("name")
    out = [_h("（一）部门（单位）概况"), _h("1.部门（单位）基本情况")]
    out += [_p(t) for t in _lines(form.get("sum_overview"))]
    if u.get("staff_quota") is not None and u.get("staff_actual") is not None:
        out.append(_p(f"{year}年末核定编制{u['staff_quota']}人，实有在职{u['staff_actual']}人。"))
    out.append(_h("2.部门（单位）整体支出规模、使用方向和主要内容"))
    spend = f"{year}年{short}本年支出合计{fmt_amount(m.spent)}万元，其中：基本支出{fmt_amount(m.basic)}万元、项目支出{fmt_amount(m.project)}万元"
    if m.other_spending != 0:
        spend += f"、其他支出{fmt_amount(m.other_spending)}万元"
    out.append(_p(spend + "。"))
    out += [_h("（二）部门（单位）整体支出管理及使用情况"), _h("1.基本支出")]
    if m.basic_other == 0:
        out.append(_p(f"{year}年基本支出{fmt_amount(m.basic)}万元，其中：人员经费{fmt_amount(m.personnel)}万元、"
                      f"公用经费{fmt_amount(m.public)}万元。"))
    else:
        out.append(_p(f"{year}年基本支出{fmt_amount(m.basic)}万元；其中一般公共预算财政拨款基本支出中，人员经费"
                      f"{fmt_amount(m.personnel)}万元、公用经费{fmt_amount(m.public)}万元。"))
    out.append(_p(sg_sentence(acc)))
    out.append(_h("2.项目支出"))
    out.append(_p(f"{year}年项目支出{fmt_amount(m.project)}万元。"))
    out += [_p(t) for t in _lines(form.get("sum_spending"))]
    out.append(_h("（三）部门（单位）专项组织实施情况"))
    out += [_p(t) for t in _lines(form.get("sum_organization"))]
    out.append(_h("（四）部门（单位）整体支出绩效情况"))
    out += [_p(t) for t in _lines(form.get("sum_performance"))]
    out.append(_p(f"按{sheet.template.title}自评，综合得分{fmt_score(sheet.total)}分，评价等次为“{sheet.grade}”。"))
    out.append(_h("（五）存在的主要问题"))
    out += [_p(t) for t in _lines(form.get("sum_problems"))]
    out.append(_h("（六）改进措施和有关建议"))
    out += [_p(t) for t in _lines(form.get("sum_measures"))]
    return out


# ------------------------------------------------------------------ rendering

def _render(template: str, ctx: dict, tables: dict[str, WordTable], landscape: tuple[str, ...] = ()) -> bytes:
    tpl = DocxTemplate(template_path(template))
    tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    doc = tpl.docx
    for para in list(doc.paragraphs):
        m = MARKER.match(para.text.strip())
        if not m:
            continue
        name = m.group(1)
        if name in landscape:
            _landscape_before(doc, para)
        width = LANDSCAPE_WIDTH_MM if name in landscape else PORTRAIT_WIDTH_MM
        for el in _table_elements(doc, tables[name], width, new_page=False):
            para._p.addprevious(el)
        para._p.getparent().remove(para._p)
    return docx_bytes(doc)


def _landscape_before(doc, para) -> None:
    """End the portrait section before `para`; the rest of the document (a wide table) is landscape.

    A heading just above the table ("附件") goes with it to the landscape page, never left alone
    on a portrait one; the section break then starts its page."""
    body = doc.element.body
    above = para._p.getprevious()
    if above is not None and above.tag == qn("w:p") and above.pPr is not None and above.pPr.pStyle is not None \
            and doc.styles.get_by_id(above.pPr.pStyle.val, WD_STYLE_TYPE.PARAGRAPH).name.startswith("Heading"):
        for flag in above.pPr.findall(qn("w:pageBreakBefore")):
            above.pPr.remove(flag)
        para = Paragraph(above, para._parent)
    previous = para._p.getprevious()
    portrait = copy.deepcopy(body.sectPr)
    if previous is None or previous.tag != qn("w:p"):
        holder = doc.add_paragraph()._p
        para._p.addprevious(holder)
        previous = holder
    previous.get_or_add_pPr().append(portrait)
    sec = doc.sections[-1]
    landscape(sec)


def overall_docx(acc, sheet: Sheet) -> bytes:
    form = acc.forms.get("selfeval", {})
    m = money_of(acc)
    u = acc.unit
    ctx = {"year": u["year"], "unit_name": u.get("name") or "", "code": u.get("code") or "",
           "method": form.get("method") or "部门（单位）绩效自评", "evaluator": form.get("evaluator") or "部门（单位）评价组",
           "report_date": form.get("report_date") or "", "finance_bureau": form.get("finance_bureau") or "",
           "summary": summary(acc, sheet, form, m)}
    tables = {"basic": basic_table(acc, form), "income": income_table(acc, m), "expense": expense_table(acc, m),
              "sg": sg_table(acc), "assets": assets_table(acc, form), "performance": performance_table(sheet, form),
              "people": people_table(acc), "opinions": opinions_table(sheet), "scores": overall_scores_table(sheet, acc)}
    return _render("selfeval_overall.docx", ctx, tables, landscape=("scores",))


def project_texts(acc, sheet: Sheet) -> dict:
    u, p, texts = acc.unit, sheet.project, sheet.texts
    year, short = u["year"], u.get("short_name") or u.get("name")
    name = texts.get("title") or p.name
    plan, spent = p.total(1), p.total(2)
    income = f"收入情况：{year}年计划投入资金（调整后预算数）{fmt_amount(plan)}万元"
    arrived = next((r for r in sheet.rows if r.level3 == "资金到位率" and r.value is not None), None)
    if arrived is not None:
        income += f"，实际到位资金{fmt_amount(arrived.value)}万元"
    rate = percent(spent, plan)
    expense = f"支出情况：{year}年全年支出{fmt_amount(spent)}万元" + (
        f"，预算执行率{fmt_percent(rate)}。" if rate is not None else "。")
    problems = _lines(texts.get("problems"))
    suggestions = _lines(texts.get("suggestions"))
    if suggestions:  # "为此建议：" opens the first suggestion, so it never ends a page alone
        items = [f"{i}.{s.lstrip('0123456789.、．')}" for i, s in enumerate(suggestions, start=1)]
        problems += [f"为此建议：{items[0]}"] + items[1:]
    return {
        "year": year, "unit_name": u.get("name") or "", "report_name": name,
        "preface": texts.get("preface") or f"根据预算绩效管理的有关要求，{short}对{year}年{name}开展了绩效自评。现将自评情况报告如下：",
        "execution": _lines(texts.get("execution")) + [income + "。", expense],
        "benefit": _lines(texts.get("benefit")) or ["（未填写）"],
        "project": name if name.endswith("项目") else f"{name}项目",  # never "…项目项目"
        "conclusion": f"按{sheet.template.title}自评，{year}年{name}总分为{fmt_score(sheet.total)}分，"
                      f"绩效等级为：{sheet.grade}。",
        "problems": problems or ["（未填写）"],
    }


def project_docx(acc, sheet: Sheet) -> bytes:
    return _render("selfeval_project.docx", project_texts(acc, sheet), {"scores": project_scores_table(sheet, acc)},
                   landscape=("scores",))


# ------------------------------------------------------------------ files

def report_names(acc, se: SelfEvaluation) -> list[tuple[Sheet, str]]:
    u = acc.unit
    out = []
    for sheet in se.sheets():
        if sheet.target == OVERALL:
            out.append((sheet, safe_name(f"{u['name']}{u['year']}年度整体支出绩效自评报告") + ".docx"))
        else:
            title = sheet.texts.get("title") or sheet.target
            out.append((sheet, safe_name(f"{u['name']}{u['year']}年度{title}专项绩效自评报告") + ".docx"))
    return out


def write_selfeval(acc, out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write every self-evaluation report the workbook asks for that can be written.

    Returns (files written, one sentence per report left out because its score sheet has an 错误).
    """
    se = evaluate_selfeval(acc)
    written, skipped = [], []
    for sheet, name in report_names(acc, se):
        label = "整体支出绩效自评报告" if sheet.target == OVERALL else f"“{sheet.target}”专项绩效自评报告"
        path = Path(out_dir) / name
        if not sheet.ok:
            said = f"{label}的评分表有错误（见检查结果），未生成"
            if path.is_file():  # last run's, from figures this run's 决算说明 no longer has: not left beside it
                try:
                    path.unlink()
                    said += f"；上次生成的“{name}”已删除，以免与本次的决算说明混用"
                except OSError:
                    said += f"；上次生成的“{name}”无法删除，请勿使用"
            skipped.append(said)
            continue
        data = overall_docx(acc, sheet) if sheet.target == OVERALL else project_docx(acc, sheet)
        with atomic_write(path) as tmp:
            tmp.write_bytes(data)
        written.append(path)
    return written, skipped


def require_selfeval(acc) -> None:
    """`generate 自评` on a workbook that asks for no report: say so instead of writing nothing."""
    if not evaluate_selfeval(acc).sheets():
        raise CheckFailed("工作簿没有要求生成绩效自评报告：请在“绩效自评报告”表中选择整体支出评分表或专项评分表，"
                          "并在“专项自评”表中列出项目")
