"""Resolve the workbook into complete accounts: every value entered or derived, once.

A value the clerk left blank is derived from the values that determine it (a 类 from its
款, a 合计 from its parts, the 总表 class rows from the 支出决算表). A value the clerk
entered is kept and checked against what it must equal; the difference becomes a finding
(at most 0.01万元 per summed item is rounding: 提示; more is an 错误).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .codes import codes_for, economic_codes, function_classes, outdated_names, parent
from .findings import ERROR, HINT, WARNING, Finding
from .layout import Column, Table, load_layout
from .money import ZERO, fmt_amount
from .performance import evaluate
from .reader import RawBalance, RawCoded, RawGrid, RawWorkbook, Value

ROUNDING_PER_ITEM = Decimal("0.01")
PERSONNEL_CLASSES = ("301", "303")
CODE_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5)}
LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass
class Line:
    """A resolved row of a coded table."""

    code: str
    name: str
    level: str  # 类 / 款 / 项
    values: dict[str, Decimal]
    ref: str | None  # the code cell when the clerk entered the row


@dataclass
class CodedTable:
    table: Table
    total: dict[str, Decimal]
    lines: list[Line]  # depth-first code order: 类, its 款, their 项

    def line(self, code: str) -> Line | None:
        return next((l for l in self.lines if l.code == code), None)

    def level(self, level: str) -> list[Line]:
        return [l for l in self.lines if l.level == level]

    def leaves(self) -> list[Line]:
        """Rows with no child rows (the 项, or a 款/类 entered without detail)."""
        codes = {l.code for l in self.lines}
        return [l for l in self.lines if not any(c != l.code and c.startswith(l.code) for c in codes)]

    def is_empty(self) -> bool:
        return all(v == 0 for l in self.lines for v in l.values.values()) and all(v == 0 for v in self.total.values())


@dataclass
class Balance:
    table: Table
    income: dict[str, Decimal]
    income_bottom: dict[str, Decimal]
    classes: dict[str, dict[str, Decimal]]
    expense_bottom: dict[str, dict[str, Decimal]]


@dataclass
class Grid:
    table: Table
    values: dict[tuple[str, str], Decimal]

    def get(self, item: str, measure: str) -> Decimal:
        return self.values[(item, measure)]


@dataclass
class Accounts:
    """Everything the narrative, the charts and the 附表 are computed from."""

    unit: dict[str, Any]
    prior: dict[str, Decimal | None]
    reasons: dict[str, str | None]
    sg: dict[str, Any]
    other: dict[str, Any]
    budget: list[dict[str, Any]]
    performance: list[dict[str, Any]]
    tables: dict[str, Any]
    refs: dict[str, str]  # "form.key" → cell, for findings about form values
    findings: list[Finding] = field(default_factory=list)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # every list sheet by id
    evaluation: Any = None  # performance.Evaluation
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # every form sheet by id

    def basic_by_kind(self) -> dict[str, list[Line]]:
        """Non-zero rows of the 基本支出 table as 人员经费 and 公用经费 (the code list's kind;
        301/303 are 人员经费 for codes it does not know)."""
        econ = economic_codes()
        groups: dict[str, list[Line]] = {"人员经费": [], "公用经费": []}
        for line in self.tables["t08"].leaves():
            if line.values["amount"] != 0:
                known = econ.get(line.code)
                kind = known.kind if known and known.kind else (
                    "人员经费" if line.code[:3] in PERSONNEL_CLASSES else "公用经费")
                groups[kind].append(line)
        return groups

    def basic_total(self, kind: str) -> Decimal:
        return sum((l.values["amount"] for l in self.basic_by_kind()[kind]), ZERO)

    def soe_spending(self) -> Decimal:
        """国有资本经营预算财政拨款支出: its own table when filled, else the 收入支出 table's 本年支出."""
        t12 = self.tables["t12"]
        return t12.total["total"] if not t12.is_empty() else self.tables["t11"].total["spend"]


class Resolver:
    def __init__(self, findings: list[Finding]):
        self.findings = findings

    def compare(self, rule: str, ref: str, what: str, entered: Decimal, terms: list[tuple[str, Decimal]],
                derived: Decimal | None = None) -> None:
        """Entered value against the sum it must equal; rounding-sized gaps are a 提示."""
        derived = sum((v for _, v in terms), ZERO) if derived is None else derived
        gap = abs(entered - derived)
        if gap == 0:
            return
        parts = " + ".join(f"{label} {fmt_amount(v)}" for label, v in terms).replace("+ -", "- ")
        if len(terms) > 6 or not parts:
            parts = "各项之和"
        message = f"{what} {fmt_amount(entered)} ≠ {parts}"
        if len(terms) != 1:
            message += f" = {fmt_amount(derived)}"
        if gap <= ROUNDING_PER_ITEM * max(len(terms), 1):
            self.findings.append(Finding(rule, HINT, ref, message + "（相差不超过 0.01 万元/项，视为四舍五入差异）"))
        else:
            self.findings.append(Finding(rule, ERROR, ref, message))

    # ------------------------------------------------------------ coded tables

    def coded(self, raw: RawCoded) -> CodedTable:
        table = raw.table
        known = codes_for(table.codes)
        lengths = CODE_LENGTHS[table.codes]
        entered: dict[str, tuple[str, dict[str, Value], str]] = {}
        for row in raw.rows:
            code = row.code[:-2] if row.code.endswith(".0") else row.code
            if not code.isdigit() or len(code) not in lengths:
                want = "、".join(str(n) for n in lengths)
                self.findings.append(Finding("CODE-FORMAT", ERROR, row.ref, f"科目编码“{row.code}”应为 {want} 位数字"))
                continue
            if code in entered:
                self.findings.append(Finding("CODE-DUP", ERROR, row.ref, f"科目编码 {code} 重复出现，请合并为一行"))
                continue
            entered[code] = (self.code_name(code, row.name, row.ref, known), row.values, row.ref)
        # every 款 and 类 above an entered row exists, entered or derived
        nodes = dict(entered)
        for code in list(entered):
            p = parent(code)
            while p and p not in nodes:
                nodes[p] = (known[p].name if p in known else f"科目{p}", {}, None)
                if p not in known:
                    self.findings.append(Finding("CODE-UNKNOWN", WARNING, entered[code][2],
                                                 f"上级科目 {p} 不在科目表中，且表中没有这一行；请补填该科目的名称行"))
                p = parent(p)
        values: dict[str, dict[str, Decimal]] = {}
        for code in sorted(nodes, key=lambda c: (-len(c), c)):
            name, cells, ref = nodes[code]
            kids = [c for c in nodes if parent(c) == code]
            values[code] = self.resolve_row(table, cells, kids, values, name, {k: nodes[k][0] for k in kids})
        lines = [Line(c, nodes[c][0], LEVELS[len(c)], values[c], nodes[c][2]) for c in sorted(nodes)]
        tops = [c for c in nodes if len(c) == 3]
        total = {}
        for col in table.columns:
            v = raw.total[col.key]
            derived = sum((values[c][col.key] for c in tops), ZERO)
            if v.value is not None:
                self.compare("SUM-TOTAL", v.ref, f"合计行的{col.label}", v.value,
                             [(f"{c} {nodes[c][0]}", values[c][col.key]) for c in sorted(tops)], derived)
            total[col.key] = derived if v.value is None else v.value
        return CodedTable(table, total, lines)

    def code_name(self, code: str, name: str, ref: str, known) -> str:
        """The one name of a code; the workbook's own name only for codes we do not know."""
        if code in known:
            current = known[code].name
            if name and "".join(name.split()) != current:
                why = "是已停用的旧名称" if (code, name) in outdated_names() else "与编码不符"
                self.findings.append(Finding("CODE-NAME", WARNING, ref,
                                             f"科目 {code} 的名称“{name}”{why}，现行名称为“{current}”；报告使用现行名称"))
            return current
        if not name:
            self.findings.append(Finding("CODE-UNKNOWN", ERROR, ref, f"科目编码 {code} 不在科目表中，请在“科目名称”列填写名称"))
            return f"科目{code}"
        self.findings.append(Finding("CODE-UNKNOWN", WARNING, ref, f"科目编码 {code} 不在本程序的科目表中，使用表中名称“{name}”；请核对编码"))
        return name

    def resolve_row(self, table: Table, cells: dict[str, Value], kids: list[str],
                    done: dict[str, dict[str, Decimal]], name: str, kid_names: dict[str, str]) -> dict[str, Decimal]:
        """One row: plain columns first (entered, or Σ child rows), then formula columns."""
        out: dict[str, Decimal] = {}
        plain = [c for c in table.columns if not c.formula]
        for col in plain + [c for c in table.columns if c.formula]:
            cell = cells.get(col.key)
            entered = cell.value if cell is not None else None
            if col.formula:
                terms = [(self.label(table, t), out[t[1:]] * (1 if t[0] == "+" else -1)) for t in col.formula]
                derived = sum((v for _, v in terms), ZERO)
                if entered is not None:
                    self.compare("SUM-ROW", cell.ref, f"{name} 的{col.label}", entered, terms, derived)
                out[col.key] = derived if entered is None else entered
                continue
            if kids:
                derived = sum((done[k][col.key] for k in kids), ZERO)
                if entered is not None:
                    self.compare("SUM-TREE", cell.ref, f"{name} 的{col.label}", entered,
                                 [(f"{k} {kid_names[k]}", done[k][col.key]) for k in sorted(kids)], derived)
                out[col.key] = derived if entered is None else entered
            else:
                out[col.key] = ZERO if entered is None else entered
        return out

    @staticmethod
    def label(table: Table, signed: str) -> str:
        col = next((c for c in table.columns if c.key == signed[1:]), None)
        return col.label if col else signed[1:]

    # ------------------------------------------------------------ balance statements

    def side(self, rows: tuple[Column, ...], cells: dict[str, Value], known: dict[str, Decimal],
             extra: dict[str, Decimal]) -> dict[str, Decimal]:
        """Fixed rows in order; a formula row is the sum of its terms (entered → checked)."""
        out = dict(known)
        labels = {r.key: r.label for r in rows}
        for row in [r for r in rows if not r.formula] + [r for r in rows if r.formula]:
            cell = cells.get(row.key)
            entered = cell.value if cell is not None else None
            if row.formula:
                terms = [(labels.get(t[1:], "各类支出"), (out | extra)[t[1:]] * (1 if t[0] == "+" else -1))
                         for t in row.formula]
                derived = sum((v for _, v in terms), ZERO)
                if entered is not None:
                    self.compare("SUM-BALANCE", cell.ref, row.label, entered, terms, derived)
                out[row.key] = derived if entered is None else entered
            elif row.key not in out:
                out[row.key] = ZERO if entered is None else entered
        return out

    def balance(self, raw: RawBalance, class_source, income_source: dict[str, Decimal] | None) -> Balance:
        """`class_source(code, key)` gives the 支出 class value the detail tables determine."""
        table = raw.table
        keys = table.expense_keys
        formulas = {c.key: c for c in table.expense_columns if c.formula}
        income_known = {}
        for row in table.income:
            cell = raw.income[row.key]
            src = income_source.get(row.key) if income_source else None
            if cell.value is None:
                income_known[row.key] = src if src is not None else ZERO
            else:
                income_known[row.key] = cell.value
                if src is not None:
                    self.compare("LINK-INCOME", cell.ref, row.label, cell.value, [("收入支出决算总表", src)])
        income = self.side(table.income, raw.income, income_known, {})
        income_bottom = self.side(table.income_bottom, raw.income_bottom, {}, income)
        classes: dict[str, dict[str, Decimal]] = {}
        for cls in function_classes():
            cells = raw.classes.get(cls.code, {})
            row = {}
            for key in keys:
                if key in formulas:
                    continue
                derived = class_source(cls.code, key)
                cell = cells.get(key)
                if cell is not None and cell.value is not None:
                    row[key] = cell.value
                    self.compare("LINK-CLASS", cell.ref, f"{cls.name}", cell.value, [("明细表对应类", derived)])
                else:
                    row[key] = derived
            for key, col in formulas.items():
                row[key] = sum((row[t[1:]] for t in col.formula), ZERO)
                cell = cells.get(key)
                if cell is not None and cell.value is not None:
                    self.compare("SUM-ROW", cell.ref, cls.name, cell.value, [(t[1:], row[t[1:]]) for t in col.formula])
                    row[key] = cell.value
            classes[cls.code] = row
        expense_bottom: dict[str, dict[str, Decimal]] = {}
        for key in keys:
            sums = {"classes": sum((classes[c][key] for c in classes), ZERO)}
            cells = {k: v[key] for k, v in raw.expense_bottom.items()}
            known = {}
            if cells["closing"].value is None:  # 年末 = 总计（收入方）− 本年支出 − 结余分配
                known["closing"] = self.closing(table, key, income, income_bottom, sums["classes"],
                                                cells.get("distribution"))
            side = self.side(table.expense_bottom, cells, known, sums)
            for k, v in side.items():
                expense_bottom.setdefault(k, {})[key] = v
        total_in = income_bottom["total"]
        total_out = expense_bottom["total"][keys[0]]
        if total_in != total_out:
            ref = raw.income_bottom["total"].ref
            self.compare("BAL-TOTAL", ref, "收入总计", total_in, [("支出总计", total_out)])
        return Balance(table, income, income_bottom, classes, expense_bottom)

    @staticmethod
    def closing(table, key, income, income_bottom, spent, distribution) -> Decimal:
        if table.id == "t01":
            dist = distribution.value if distribution is not None and distribution.value is not None else ZERO
            return income_bottom["total"] - spent - dist
        if key == "total":
            return sum((Resolver.closing(table, k, income, income_bottom, ZERO, None) for k in ("gpb", "fund", "soe")),
                       ZERO) - spent
        return income_bottom[f"opening_{key}"] + income[key] - spent

    # ------------------------------------------------------------ the 三公 grid

    def grid(self, raw: RawGrid) -> Grid:
        table = raw.table
        out: dict[tuple[str, str], Decimal] = {}
        plain = [i for i in table.items if not i.formula]
        formula_items = [i for i in table.items if i.formula]
        labels = {i.key: (f"{i.group}{i.label}" if i.group else i.label) for i in table.items}
        for m in table.measures:
            for item in plain:
                out[(item.key, m.key)] = raw.cells[(item.key, m.key)].value or ZERO
            for item in reversed(formula_items):  # 小计 before 合计
                cell = raw.cells[(item.key, m.key)]
                terms = [(labels[t[1:]], out[(t[1:], m.key)]) for t in item.formula]
                derived = sum((v for _, v in terms), ZERO)
                if cell.value is not None:
                    self.compare("SUM-SG", cell.ref, f"{labels[item.key]}{m.label}", cell.value, terms, derived)
                out[(item.key, m.key)] = derived if cell.value is None else cell.value
        return Grid(table, out)


def _plain(values: dict[str, Value]) -> dict[str, Any]:
    return {k: v.value for k, v in values.items()}


def resolve(raw: RawWorkbook) -> Accounts:
    """The complete accounts of a workbook, with the findings of every derivation."""
    findings = list(raw.findings)
    rs = Resolver(findings)
    layout = load_layout()
    tables: dict[str, Any] = {}
    for t in layout.tables:
        if t.kind == "coded":
            tables[t.id] = rs.coded(raw.tables[t.id])
        elif t.kind == "grid":
            tables[t.id] = rs.grid(raw.tables[t.id])

    def class_value(table_id: str, key: str):
        def get(code: str, _key: str) -> Decimal:
            line = tables[table_id].line(code)
            return line.values[key] if line else ZERO
        return get

    t03 = class_value("t03", "total")
    tables["t01"] = rs.balance(raw.tables["t01"], lambda code, key: t03(code, key), None)
    sources = {"gpb": class_value("t06", "total"), "fund": class_value("t10", "spend"), "soe": class_value("t12", "total")}
    t01 = tables["t01"]
    tables["t04"] = rs.balance(raw.tables["t04"], lambda code, key: sources[key](code, key),
                               {k: t01.income[k] for k in ("gpb", "fund", "soe")})

    forms = {k: _plain(v) for k, v in raw.forms.items()}
    refs = {f"{fid}.{k}": v.ref for fid, vals in raw.forms.items() for k, v in vals.items()}
    prior = forms["prior"]
    for total, parts in (("sg_car", ("sg_car_buy", "sg_car_run")), ("sg_total", ("sg_abroad", "sg_car", "sg_reception"))):
        if prior[total] is None and any(prior[p] is not None for p in parts):
            prior[total] = sum((prior[p] or ZERO for p in parts), ZERO)
        elif prior[total] is not None and all(prior[p] is not None for p in parts):
            rs.compare("SUM-PRIOR", refs[f"prior.{total}"], layout.form("prior").field(total).label, prior[total],
                       [(layout.form("prior").field(p).label, prior[p]) for p in parts])
    sg = forms["sg"]
    if sg["domestic_amount"] is None:
        sg["domestic_amount"] = tables["t13"].get("reception", "actual") - (sg["foreign_amount"] or ZERO)
    lists = {k: [_plain(r) | {"_refs": {key: val.ref for key, val in r.items()}} for r in v] for k, v in raw.lists.items()}
    evaluation = evaluate(forms["unit"], lists.get("projects", []), lists.get("indicators", []),
                          lists.get("unit_indicators", []))
    findings.extend(evaluation.findings)
    return Accounts(unit=forms["unit"], prior=prior, reasons=forms["reasons"], sg=sg, other=forms["other"],
                    budget=lists["budget"], performance=lists["performance"], tables=tables, refs=refs,
                    findings=findings, lists=lists, evaluation=evaluation, forms=forms)
