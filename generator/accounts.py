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
from .identities import Identity, Source
from .layout import Column, Table, load_layout
from .money import ZERO, fmt_amount
from .performance import evaluate
from .reader import RawBalance, RawCoded, RawGrid, RawWorkbook, Value

ROUNDING_PER_ITEM = Decimal("0.01")
PERSONNEL_CLASSES = ("301", "303")
CODE_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5)}
LEVELS = {3: "类", 5: "款", 7: "项"}


def basic_kind(code: str) -> str:
    """人员经费 or 公用经费 for an economic code of the 基本支出 table: the code list's kind;
    301/303 are 人员经费 for codes it does not know."""
    known = economic_codes().get(code)
    if known and known.kind:
        return known.kind
    return "人员经费" if code[:3] in PERSONNEL_CLASSES else "公用经费"


@dataclass
class Line:
    """A resolved row of a coded table."""

    code: str
    name: str
    level: str  # 类 / 款 / 项
    values: dict[str, Decimal]
    ref: str | None  # the code cell when the clerk entered the row
    refs: dict[str, str] = field(default_factory=dict)  # column key → its cell, for entered rows
    entered: frozenset[str] = frozenset()  # the columns the clerk typed (the others are derived)


@dataclass
class CodedTable:
    table: Table
    total: dict[str, Decimal]
    lines: list[Line]  # depth-first code order: 类, its 款, their 项
    total_refs: dict[str, str] = field(default_factory=dict)  # column key → the 合计 cell
    total_entered: frozenset[str] = frozenset()  # 合计 columns the clerk typed
    derived_from: tuple[str, ...] = ()  # table ids, when the whole table is a re-arrangement of others

    def line(self, code: str) -> Line | None:
        return next((l for l in self.lines if l.code == code), None)

    def level(self, level: str) -> list[Line]:
        return [l for l in self.lines if l.level == level]

    def leaves(self) -> list[Line]:
        """Rows with no child rows (the 项, or a 款/类 entered without detail).

        Kept once computed: the checks ask for them row by row (lines are never changed after
        a table is built; the key still notices a different list)."""
        key = (id(self.lines), len(self.lines))
        cached = self.__dict__.get("_leaves")
        if cached is None or cached[0] != key:
            parents = {l.code[:i] for l in self.lines for i in range(1, len(l.code))}  # every proper prefix
            cached = self.__dict__["_leaves"] = (key, [l for l in self.lines if l.code not in parents])
        return list(cached[1])

    def is_empty(self) -> bool:
        return all(v == 0 for l in self.lines for v in l.values.values()) and all(v == 0 for v in self.total.values())


@dataclass
class Balance:
    table: Table
    income: dict[str, Decimal]
    income_bottom: dict[str, Decimal]
    classes: dict[str, dict[str, Decimal]]
    expense_bottom: dict[str, dict[str, Decimal]]
    refs: dict[str, str] = field(default_factory=dict)  # "income.gpb", "expense_bottom.year_total.gpb" … → cell
    entered: frozenset[str] = frozenset()  # the same paths, for the cells the clerk typed
    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path → typed cells its value comes from


@dataclass
class Grid:
    table: Table
    values: dict[tuple[str, str], Decimal]
    refs: dict[tuple[str, str], str] = field(default_factory=dict)

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
    identities: list[Identity] = field(default_factory=list)  # judged by the check (identities.py)
    derived_balances: list[Source] = field(default_factory=list)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # every form sheet by id

    def basic_by_kind(self) -> dict[str, list[Line]]:
        """Non-zero rows of the 基本支出 table as 人员经费 and 公用经费 (the code list's kind;
        301/303 are 人员经费 for codes it does not know)."""
        groups: dict[str, list[Line]] = {"人员经费": [], "公用经费": []}
        for line in self.tables["t08"].leaves():
            if line.values["amount"] != 0:
                groups[basic_kind(line.code)].append(line)
        return groups

    def basic_total(self, kind: str) -> Decimal:
        """人员经费 or 公用经费: the sum of their 类 rows of the 基本支出 table as the clerk typed
        them (or as derived from their 款), so the text quotes what the 附表 prints."""
        return sum((l.values["amount"] for l in self.tables["t08"].level("类") if basic_kind(l.code) == kind), ZERO)

    def basic_spending(self) -> Decimal:
        """一般公共预算财政拨款基本支出: the 合计 of the 基本支出 table (entered wins)."""
        return self.tables["t08"].total["amount"]

    def soe_spending(self) -> Decimal:
        """国有资本经营预算财政拨款支出: its own table when filled, else the 收入支出 table's 本年支出."""
        t12 = self.tables["t12"]
        return t12.total["total"] if not t12.is_empty() else self.tables["t11"].total["spend"]


class Resolver:
    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self.identities: list[Identity] = []  # cross-cell equalities, judged together by the check
        self.derived_balances: list[Source] = []  # balances the program derived (must not be negative)

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
        children: dict[str, list[str]] = {}
        for c in nodes:
            children.setdefault(parent(c), []).append(c)
        for code in sorted(nodes, key=lambda c: (-len(c), c)):
            name, cells, ref = nodes[code]
            kids = children.get(code, [])
            values[code] = self.resolve_row(table, cells, kids, values, name, {k: nodes[k][0] for k in kids})
        lines = [Line(c, nodes[c][0], LEVELS[len(c)], values[c], nodes[c][2],
                      {k: v.ref for k, v in nodes[c][1].items()},
                      frozenset(k for k, v in nodes[c][1].items() if v.value is not None)) for c in sorted(nodes)]
        tops = [c for c in nodes if len(c) == 3]
        total = {}
        for col in table.columns:
            v = raw.total[col.key]
            derived = sum((values[c][col.key] for c in tops), ZERO)
            if v.value is not None:
                self.compare("SUM-TOTAL", v.ref, f"合计行的{col.label}", v.value,
                             [(f"{c} {nodes[c][0]}", values[c][col.key]) for c in sorted(tops)], derived)
            total[col.key] = derived if v.value is None else v.value
        return CodedTable(table, total, lines, {k: v.ref for k, v in raw.total.items()},
                          frozenset(k for k, v in raw.total.items() if v.value is not None))

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
             extra: dict[str, Decimal], where: str, inputs: dict[str, tuple[str, ...]],
             preferred: dict[str, Source] | None = None, extra_labels: dict[str, str] | None = None) -> dict[str, Decimal]:
        """Fixed rows in order; a formula row is the sum of its terms.

        A formula row the clerk typed is kept and checked; a blank one takes the same quantity
        typed in another table (`preferred`, e.g. the 支出决算表's 合计) so that every place
        prints one figure, and only then the sum of its terms. `inputs` collects, per row,
        the typed cells its value comes from (for locating typos).
        """
        out = dict(known)
        labels = (extra_labels or {}) | {r.key: r.label for r in rows}
        preferred = preferred or {}
        for row in [r for r in rows if not r.formula] + [r for r in rows if r.formula]:
            cell = cells.get(row.key)
            entered = cell.value if cell is not None else None
            ref = cell.ref if cell is not None else where
            if row.formula:
                terms = [(labels.get(t[1:], "各类支出"), (out | extra)[t[1:]] * (1 if t[0] == "+" else -1))
                         for t in row.formula]
                derived = sum((v for _, v in terms), ZERO)
                term_inputs = tuple(c for t in row.formula for c in inputs.get(t[1:], ()))
                sum_source = Source("各组成项之和（" + " + ".join(l for l, _ in terms).replace("+ -", "- ") + "）",
                                    derived, ref, False, term_inputs, len(terms))
                if entered is not None:
                    self.identities.append(Identity("SUM-BALANCE", f"{where}“{row.label}”",
                                                    (Source(row.label, entered, ref, True), sum_source)))
                    out[row.key] = entered
                    inputs[row.key] = (ref,)
                elif row.key in preferred:
                    other = preferred[row.key]
                    self.identities.append(Identity("SUM-BALANCE", f"{where}“{row.label}”", (other, sum_source)))
                    out[row.key] = other.value
                    inputs[row.key] = other.suspects()
                else:
                    out[row.key] = derived
                    inputs[row.key] = term_inputs
            elif row.key not in out:
                out[row.key] = ZERO if entered is None else entered
                inputs.setdefault(row.key, (ref,) if entered is not None else ())
        return out

    def balance(self, raw: RawBalance, class_source, income_source: dict[str, Source] | None,
                preferred: dict[str, Source] | None = None) -> Balance:
        """`class_source(code, key)` gives the 支出 class value the detail tables determine (a Source);
        `income_source` the 收入 rows another 总表 determines; `preferred` typed figures of other
        tables for blank total rows ("income_bottom.year_total", "expense_bottom.year_total.gpb" …)."""
        table = raw.table
        keys = table.expense_keys
        formulas = {c.key: c for c in table.expense_columns if c.formula}
        preferred = preferred or {}
        refs: dict[str, str] = {}
        entered: set[str] = set()

        def note(path: str, cell: Value | None) -> None:
            if cell is not None:
                refs[path] = cell.ref
                if cell.value is not None:
                    entered.add(path)

        for k, v in raw.income.items():
            note(f"income.{k}", v)
        for k, v in raw.income_bottom.items():
            note(f"income_bottom.{k}", v)
        for code, cells in raw.classes.items():
            for k, v in cells.items():
                note(f"classes.{code}.{k}", v)
        for row, cells in raw.expense_bottom.items():
            for k, v in cells.items():
                note(f"expense_bottom.{row}.{k}", v)

        income_known, in_inputs = {}, {}
        for row in table.income:
            cell = raw.income[row.key]
            src = income_source.get(row.key) if income_source else None
            if cell.value is None:
                income_known[row.key] = src.value if src is not None else ZERO
                in_inputs[row.key] = src.suspects() if src is not None else ()
            else:
                income_known[row.key] = cell.value
                in_inputs[row.key] = (cell.ref,)
                if src is not None:
                    self.identities.append(Identity("LINK-INCOME", row.label.split("、", 1)[-1],
                                                    (Source(f"{table.title} {row.label}", cell.value, cell.ref, True), src)))
        income = self.side(table.income, raw.income, income_known, {}, table.title, in_inputs)
        income_bottom = self.side(table.income_bottom, raw.income_bottom, {}, income, table.title, in_inputs,
                                  {k[len("income_bottom."):]: v for k, v in preferred.items()
                                   if k.startswith("income_bottom.")}, {r.key: r.label for r in table.income})
        classes: dict[str, dict[str, Decimal]] = {}
        class_inputs: dict[str, list[str]] = {k: [] for k in keys}
        for cls in function_classes():
            cells = raw.classes.get(cls.code, {})
            row = {}
            for key in keys:
                if key in formulas:
                    continue
                detail = class_source(cls.code, key)
                cell = cells.get(key)
                if cell is not None and cell.value is not None:
                    row[key] = cell.value
                    class_inputs[key].append(cell.ref)
                    self.identities.append(Identity("LINK-CLASS", f"{cls.name}（{table.title}）", (
                        Source(f"{table.title} {cls.name}", cell.value, cell.ref, True), detail)))
                else:
                    row[key] = detail.value
                    class_inputs[key].extend(detail.suspects())
            for key, col in formulas.items():
                row[key] = sum((row[t[1:]] for t in col.formula), ZERO)
                cell = cells.get(key)
                if cell is not None and cell.value is not None:
                    self.compare("SUM-ROW", cell.ref, cls.name, cell.value, [(t[1:], row[t[1:]]) for t in col.formula])
                    row[key] = cell.value
            classes[cls.code] = row
        for key, col in formulas.items():
            class_inputs[key] = [c for t in col.formula for c in class_inputs[t[1:]]]
        expense_bottom: dict[str, dict[str, Decimal]] = {}
        all_inputs: dict[str, tuple[str, ...]] = {}
        for key in keys:
            sums = {"classes": sum((classes[c][key] for c in classes), ZERO)}
            cells = {k: v[key] for k, v in raw.expense_bottom.items()}
            out_inputs: dict[str, tuple[str, ...]] = {"classes": tuple(class_inputs[key])}
            pref = {k.split(".")[1]: v for k, v in preferred.items()
                    if k.startswith("expense_bottom.") and k.split(".")[2] == key}
            year = cells["year_total"]
            if year.value is not None:
                spent = year.value
                spent_inputs = (year.ref,)
            elif "year_total" in pref:
                spent, spent_inputs = pref["year_total"].value, pref["year_total"].suspects()
            else:
                spent, spent_inputs = sums["classes"], out_inputs["classes"]
            known = {}
            if cells["closing"].value is None:  # 年末 = 总计（收入方）− 本年支出 − 结余分配
                known["closing"] = self.closing(table, key, income, income_bottom, spent, cells.get("distribution"))
                closing_inputs = tuple(dict.fromkeys(in_inputs.get("total", ()) + spent_inputs))
                out_inputs["closing"] = closing_inputs
                self.derived_balances.append(Source(f"{table.title} 年末结转和结余（{self.col_label(table, key)}）",
                                                    known["closing"], cells["closing"].ref, False, closing_inputs))
            side = self.side(table.expense_bottom, cells, known, sums, table.title, out_inputs, pref)
            for k, v in side.items():
                expense_bottom.setdefault(k, {})[key] = v
            all_inputs |= {f"expense_bottom.{k}.{key}": v for k, v in out_inputs.items()}
        total_in = income_bottom["total"]
        total_out = expense_bottom["total"][keys[0]]
        in_cell, out_cell = raw.income_bottom["total"], raw.expense_bottom["total"][keys[0]]
        self.identities.append(Identity("BAL-TOTAL", f"{table.title} 收入总计与支出总计", (
            Source("收入总计", total_in, in_cell.ref, in_cell.value is not None, in_inputs.get("total", ())),
            Source("支出总计", total_out, out_cell.ref, out_cell.value is not None,
                   all_inputs.get(f"expense_bottom.total.{keys[0]}", ())))))
        all_inputs |= {f"income.{k}": v for k, v in in_inputs.items() if k in income}
        all_inputs |= {f"income_bottom.{k}": v for k, v in in_inputs.items() if k in income_bottom}
        return Balance(table, income, income_bottom, classes, expense_bottom, refs, frozenset(entered), all_inputs)

    @staticmethod
    def col_label(table: Table, key: str) -> str:
        labels = dict(zip(table.expense_keys, table.expense_header[1:]))
        return labels.get(key, "决算数") if len(table.expense_keys) > 1 else "决算数"

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
        return Grid(table, out, {k: v.ref for k, v in raw.cells.items()})


# Tables that only re-arrange others: left blank, they are derived (table → (source, its column, column)).
REARRANGEMENTS = {
    "t05": (("t06", "total", "gpb"), ("t10", "spend", "fund"), ("t12", "total", "soe")),
    "t07": (("t08", "amount", "basic"), ("t09", "amount", "project")),
}


def _typed(raw: RawCoded) -> bool:
    """Whether the clerk typed any amount into a coded table (its 合计 row included)."""
    return (any(v.value is not None for v in raw.total.values())
            or any(v.value is not None for row in raw.rows for v in row.values.values()))


def rearranged(table: Table, parts: list[tuple[CodedTable, str, str]]) -> CodedTable:
    """A blank 表5 or 表7 built from the tables it re-arranges, rows and 合计 as those print them."""
    codes = sorted({l.code for src, _, _ in parts for l in src.lines
                    if any(v != 0 for v in l.values.values())})
    formula_cols = [c for c in table.columns if c.formula]
    lines = []
    for code in codes:
        values = {c.key: ZERO for c in table.columns}
        name = level = None
        for src, src_key, key in parts:
            line = src.line(code)
            if line is not None:
                values[key] = line.values[src_key]
                name, level = line.name, line.level
        for col in formula_cols:
            values[col.key] = sum((values[t[1:]] * (1 if t[0] == "+" else -1) for t in col.formula), ZERO)
        lines.append(Line(code, name, level, values, None))
    total = {c.key: ZERO for c in table.columns}
    for src, src_key, key in parts:
        total[key] = src.total[src_key]
    for col in formula_cols:
        total[col.key] = sum((total[t[1:]] * (1 if t[0] == "+" else -1) for t in col.formula), ZERO)
    return CodedTable(table, total, lines, derived_from=tuple(p[0].table.id for p in parts))


def _column_cells(t: CodedTable, key: str, lines: list[Line]) -> tuple[str, ...]:
    """The typed cells a derived value of column `key` is computed from (its terms' too)."""
    col = t.table.column(key)
    keys = [key] + ([f[1:] for f in col.formula] if col.formula else [])
    return tuple(l.refs[k] for l in lines for k in keys if k in l.entered and k in l.refs)


def total_source(t: CodedTable, key: str) -> Source:
    """The 合计 of one column of a coded table, as a source of its quantity."""
    label = f"{t.table.title}合计 {t.table.column(key).label}"
    ref = t.total_refs.get(key) or t.table.title
    if key in t.total_entered:
        return Source(label, t.total[key], ref, True)
    leaves = [l for l in t.leaves() if l.values.get(key, ZERO) != 0]
    return Source(label, t.total[key], ref, False, _column_cells(t, key, t.lines), max(len(leaves), 1))


def line_source(t: CodedTable, code: str, key: str) -> Source:
    """One row (a 类, usually) of a coded table, as a source of its quantity."""
    line = t.line(code)
    if line is None:
        return Source(f"{t.table.title} {code}", ZERO, t.table.title, False)
    label = f"{t.table.title} {code} {line.name}"
    ref = line.refs.get(key) or line.ref or t.table.title
    if key in line.entered:
        return Source(label, line.values[key], ref, True)
    below = [l for l in t.lines if l.code.startswith(code)]
    leaves = [l for l in t.leaves() if l.code.startswith(code) and l.values.get(key, ZERO) != 0]
    return Source(label, line.values[key], ref, False, _column_cells(t, key, below), max(len(leaves), 1))


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

    for tid, parts in REARRANGEMENTS.items():
        if not _typed(raw.tables[tid]):  # 表7's code rows come pre-filled: blank means no amount typed
            tables[tid] = rearranged(tables[tid].table, [(tables[src], src_key, key) for src, src_key, key in parts])

    def detail(table_id: str, key: str):
        return lambda code, _key: line_source(tables[table_id], code, key)

    def typed_total(table_id: str, key: str) -> Source | None:
        t = tables[table_id]
        return total_source(t, key) if key in t.total_entered else None

    def preferred(**paths: Source | None) -> dict[str, Source]:
        return {k.replace("__", "."): v for k, v in paths.items() if v is not None}

    tables["t01"] = rs.balance(raw.tables["t01"], detail("t03", "total"), None, preferred(
        income_bottom__year_total=typed_total("t02", "total"),
        expense_bottom__year_total__amount=typed_total("t03", "total")))
    t01 = tables["t01"]
    sources = {"gpb": detail("t06", "total"), "fund": detail("t10", "spend"), "soe": detail("t12", "total")}
    income_source = {k: Source(f"{t01.table.title} {t01.table.income[i].label}", t01.income[k], t01.refs[f"income.{k}"],
                               f"income.{k}" in t01.entered)
                     for i, k in enumerate(("gpb", "fund", "soe"))}
    tables["t04"] = rs.balance(raw.tables["t04"], lambda code, key: sources[key](code, key), income_source, preferred(
        income_bottom__year_total=typed_total("t02", "fiscal"),
        expense_bottom__year_total__gpb=typed_total("t06", "total"),
        expense_bottom__year_total__fund=typed_total("t10", "spend"),
        expense_bottom__year_total__soe=typed_total("t12", "total"),
        expense_bottom__year_total__total=typed_total("t05", "total")))

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
                    findings=findings, lists=lists, evaluation=evaluation, identities=rs.identities,
                    derived_balances=rs.derived_balances, forms=forms)
