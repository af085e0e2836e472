"""A 部门's 决算 from its units: one folder of workbooks → one consolidated workbook.

The folder holds the 本级 workbook (the one whose 单位信息 公开主体 is 部门) and one workbook
per 所属单位 (公开主体 单位). Every unit is read and checked first: a unit with 错误 stops the
部门, naming the unit and the cell. The consolidated workbook is an ordinary workbook (written
by `workbook.write_workbook`, read by the normal pipeline) whose 附表 are the sums by code over
the units, less the internal flows, plus an audit sheet (汇总核对) showing each unit's share of
every table and every elimination.

Elimination rule (both sides, in full, stated in README and on the audit sheet):
  1. 本级 对附属单位补助支出 ↔ 所属单位 上级补助收入
  2. 所属单位 上缴上级支出 ↔ 本级 附属单位上缴收入
The two sides of each flow must be equal (otherwise the consolidated totals would not balance):
a difference is an 错误 naming both figures.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .accounts import Accounts, Balance, CodedTable, Grid
from .check import ADMIN_TYPES
from .errors import CheckFailed, GeneratorError, OutputError, WorkbookError
from .findings import ERROR, HINT, WARNING, Finding
from .layout import load_layout
from .inputs import AUDIT_SHEET, folder_workbooks, repeats
from .money import ZERO, fmt_amount

MAIN_SUBJECT = "部门"
RULES = (
    ("上级补助", "本级的“对附属单位补助支出”与所属单位的“上级补助收入”是同一笔资金在部门内部的拨付，"
                "汇总时两方全额抵销：本级支出决算表的对附属单位补助支出列、所属单位收入决算表的上级补助收入列"
                "及收入支出决算总表中对应的收入和支出均不计入部门合计。两方金额必须相等。"),
    ("上缴上级", "所属单位的“上缴上级支出”与本级的“附属单位上缴收入”是同一笔资金在部门内部的上缴，"
                "汇总时两方全额抵销：所属单位支出决算表的上缴上级支出列、本级收入决算表的附属单位上缴收入列"
                "及收入支出决算总表中对应的收入和支出均不计入部门合计。两方金额必须相等。"),
)
COMBINE_NOTE = ("其他数字：附表按科目编码逐格相加；编制人数、实有人数、离退休人数、“三公”经费实物量（团组、人次、车辆、批次）、"
                "政府采购、资产和上年数按单位相加；机关运行经费只取行政单位和参照公务员法管理的事业单位；"
                "主要职责、机构设置和说明文字取自本级工作簿（各单位的说明文字列在本表末尾，可供引用）；"
                "上年数为各单位上年数之和（有单位未填的项不汇总、不比较）；收入支出总计、本年收入合计和本年支出合计的上年数"
                "按各单位上年的工作簿抵销上年的内部往来，没有上年工作簿时不作比较；"
                "几个单位同名的项目在名称后注明单位。")

Key = tuple[str, str, str, str]  # table id, part, row (code / row key / item), column (or measure)


@dataclass
class Member:
    """One unit of the 部门, read, resolved and checked."""

    path: Path
    accounts: Accounts
    findings: list[Finding]
    main: bool  # the 本级

    @property
    def name(self) -> str:
        return self.accounts.unit.get("name") or self.path.stem


@dataclass
class Elimination:
    """One eliminated amount: which flow, whose side, where it sat."""

    flow: str  # 上级补助 / 上缴上级
    unit: str
    side: str  # 收入 / 支出
    item: str  # 上级补助收入 …
    table: str  # table title
    code: str  # 科目编码 ("" for the 合计)
    amount: Decimal


@dataclass
class Consolidation:
    folder: Path
    members: list[Member]  # the 本级 first
    data: dict[str, Any]  # the consolidated workbook, as write_workbook takes it
    eliminations: list[Elimination]
    cells: dict[Key, Decimal]  # consolidated values
    member_cells: list[dict[Key, Decimal]]
    deltas: dict[Key, Decimal] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)  # what the 部门 cannot say (a partial 上年数 …)
    origin: dict[str, list[tuple[Member, dict]]] = field(default_factory=dict)  # list rows → their unit's row
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) in the folder but not a workbook
    prior_flows: dict[str, Decimal] | None = None  # last year's internal flows taken out of the 上年数, when known

    @property
    def main(self) -> Member:
        return self.members[0]


class UnitFailed(CheckFailed):
    """A unit of the 部门 has 错误: the 部门 is not consolidated (`findings` are that unit's)."""


class ConsolidationError(GeneratorError):
    """The units cannot be consolidated as they stand (internal flows that do not match, two 本级…)."""


# ------------------------------------------------------------------ reading the units

def workbooks_in(folder: Path) -> list[Path]:
    """The workbooks of the folder itself (no sub-folders), by the batch's rule (inputs.py): .XLSX,
    .xlsm and a renamed workbook are units too; Office lock and hidden files are not."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WorkbookError(f"“{folder}”不是文件夹；部门汇总需要一个存放本级和所属单位工作簿的文件夹")
    return folder_workbooks(folder)[0]


def _profile_label(acc: Accounts) -> str:
    from .profiles import of_unit

    return of_unit(acc.unit).label


def read_members(folder: Path, previous: Any = None) -> list[Member]:
    """Read and check every workbook of the folder (with last year's figures from `previous`, as the
    units' own reports take them); the 本级 first, then the units by code/name.

    Refused, naming the files: a unit with 错误, two workbooks of one unit (the same 单位编码, or the
    same 单位名称 where one has no code), more or fewer than one 本级, units of different 报告年度
    or 报告格式 (their tables are not the same tables)."""
    from .check import has_errors
    from .pipeline import load

    paths = workbooks_in(folder)
    if not paths:
        raise WorkbookError(f"在“{folder}”中没有找到 .xlsx 工作簿")
    members = []
    for path in paths:
        try:
            acc, findings = load(path, previous=previous)
        except GeneratorError as exc:
            raise WorkbookError(f"工作簿“{path.name}”无法读取：{exc}") from exc
        if has_errors(findings):
            first = next(f for f in findings if f.severity == ERROR)
            n = sum(f.severity == ERROR for f in findings)
            exc = UnitFailed(f"单位“{acc.unit.get('name') or path.stem}”（{path.name}）有 {n} 处错误，"
                             f"首个在 {first.ref}：{first.message}；请改正该单位的工作簿后重新汇总，部门汇总未生成")
            # located in that unit's workbook: the 部门's list of findings holds several units' cells
            exc.findings = [Finding(f.rule, f.severity, f"{path.name} {f.ref}", f.message, tuple(f"{path.name} {a}" for a in f.also))
                            for f in findings]
            exc.accounts = acc
            raise exc
        members.append(Member(path, acc, findings, acc.unit.get("subject") == MAIN_SUBJECT))
    for r in repeats([(m.accounts.unit.get("code"), m.accounts.unit.get("name")) for m in members]):
        a, b = members[r.first], members[r.second]
        raise WorkbookError(f"“{a.path.name}”和“{b.path.name}”是同一个单位（{r.how}）；同一单位只能有一份工作簿，"
                            f"请删除多余的一份（或改正其单位编码、单位名称）后重新汇总，部门汇总未生成")
    mains = [m for m in members if m.main]
    if len(mains) != 1:
        which = "、".join(m.path.name for m in mains) if mains else "没有一份"
        raise WorkbookError(f"文件夹“{Path(folder).name}”中应有且只有一份本级工作簿（“单位信息”的公开主体填“部门”），"
                            f"实为：{which}；所属单位的工作簿公开主体填“单位”")
    if len(members) < 2:
        raise WorkbookError(f"文件夹“{Path(folder).name}”中只有本级工作簿，没有所属单位的工作簿；单独一份请直接用 generate 工作簿.xlsx")
    for what, value, key in (("报告年度", lambda a: a.unit.get("year"), "unit.year"),
                             ("报告格式", _profile_label, "unit.profile")):
        if len({value(m.accounts) for m in members}) != 1:
            main = mains[0]
            raise WorkbookError(f"各单位工作簿的{what}不一致，部门汇总未生成：" + "；".join(
                f"{m.name}（{m.path.name}，{m.accounts.refs.get(key) or '单位信息'}）为 {value(m.accounts)}"
                for m in members) + f"；请按本级“{main.name}”的{what}统一各单位的工作簿")
    units = sorted((m for m in members if not m.main),
                   key=lambda m: (m.accounts.unit.get("code") or "", m.name, m.path.name))
    return mains + units


# ------------------------------------------------------------------ summing

def cells_of(acc: Accounts) -> dict[Key, Decimal]:
    """Every resolved amount of the 13 附表, keyed by table, part, row and column."""
    out: dict[Key, Decimal] = {}
    for tid, t in acc.tables.items():
        if isinstance(t, CodedTable):
            for k, v in t.total.items():
                out[(tid, "total", "", k)] = v
            for line in t.lines:
                for k, v in line.values.items():
                    out[(tid, "line", line.code, k)] = v
        elif isinstance(t, Balance):
            for k, v in t.income.items():
                out[(tid, "income", k, "")] = v
            for k, v in t.income_bottom.items():
                out[(tid, "income_bottom", k, "")] = v
            for c, row in t.classes.items():
                for k, v in row.items():
                    out[(tid, "classes", c, k)] = v
            for r, cols in t.expense_bottom.items():
                for k, v in cols.items():
                    out[(tid, "expense_bottom", r, k)] = v
        elif isinstance(t, Grid):
            for (item, measure), v in t.values.items():
                out[(tid, "grid", item, measure)] = v
    return out


def _add(deltas: dict[Key, Decimal], key: Key, amount: Decimal) -> None:
    if amount:
        deltas[key] = deltas.get(key, ZERO) + amount


def _eliminate_expense(m: Member, column: str, flow: str, item: str, deltas: dict, out: list[Elimination]) -> Decimal:
    """Take one 支出决算表 column of a unit out of the 部门: its rows, its 合计, and the 总表."""
    t03: CodedTable = m.accounts.tables["t03"]
    for line in t03.lines:
        v = line.values[column]
        _add(deltas, ("t03", "line", line.code, column), -v)
        _add(deltas, ("t03", "line", line.code, "total"), -v)
    for line in t03.leaves():
        if line.values[column]:
            out.append(Elimination(flow, m.name, "支出", item, t03.table.title, line.code, line.values[column]))
    total = t03.total[column]
    _add(deltas, ("t03", "total", "", column), -total)
    _add(deltas, ("t03", "total", "", "total"), -total)
    for cls in m.accounts.tables["t01"].classes:
        line = t03.line(cls)
        if line is not None:
            _add(deltas, ("t01", "classes", cls, "amount"), -line.values[column])
    for row in ("year_total", "total"):
        _add(deltas, ("t01", "expense_bottom", row, "amount"), -total)
    return total


def _eliminate_income(m: Member, column: str, income_key: str, flow: str, item: str, deltas: dict,
                      out: list[Elimination]) -> Decimal:
    """Take one 收入决算表 column of a unit out of the 部门: its rows, its 合计, and the 总表's row."""
    t02: CodedTable = m.accounts.tables["t02"]
    for line in t02.lines:
        v = line.values[column]
        _add(deltas, ("t02", "line", line.code, column), -v)
        _add(deltas, ("t02", "line", line.code, "total"), -v)
    for line in t02.leaves():
        if line.values[column]:
            out.append(Elimination(flow, m.name, "收入", item, t02.table.title, line.code, line.values[column]))
    _add(deltas, ("t02", "total", "", column), -t02.total[column])
    _add(deltas, ("t02", "total", "", "total"), -t02.total[column])
    amount = m.accounts.tables["t01"].income[income_key]
    for key in (("t01", "income", income_key, ""), ("t01", "income_bottom", "year_total", ""),
                ("t01", "income_bottom", "total", "")):
        _add(deltas, key, -amount)
    return amount


def eliminations(members: list[Member]) -> tuple[dict[Key, Decimal], list[Elimination]]:
    """The deltas that take the internal flows out, both sides; unequal sides are an 错误."""
    main, units = members[0], members[1:]
    deltas: dict[Key, Decimal] = {}
    out: list[Elimination] = []
    paid = _eliminate_expense(main, "affiliated", "上级补助", "对附属单位补助支出", deltas, out)
    received = sum((_eliminate_income(u, "superior", "superior", "上级补助", "上级补助收入", deltas, out) for u in units),
                   ZERO)
    _require_equal("本级的对附属单位补助支出", main, paid, "所属单位的上级补助收入", units, received,
                   lambda u: u.accounts.tables["t01"].income["superior"])
    remitted = sum((_eliminate_expense(u, "remit", "上缴上级", "上缴上级支出", deltas, out) for u in units), ZERO)
    collected = _eliminate_income(main, "affiliated", "affiliated", "上缴上级", "附属单位上缴收入", deltas, out)
    _require_equal("本级的附属单位上缴收入", main, collected, "所属单位的上缴上级支出", units, remitted,
                   lambda u: u.accounts.tables["t03"].total["remit"])
    return deltas, out


def _require_equal(main_label: str, main: Member, main_amount: Decimal, unit_label: str, units: list[Member],
                   unit_amount: Decimal, per_unit) -> None:
    if main_amount == unit_amount:
        return
    parts = "、".join(f"{u.name} {fmt_amount(per_unit(u))}" for u in units if per_unit(u))
    raise ConsolidationError(f"部门内部往来对不上：{main_label} {fmt_amount(main_amount)} 万元（{main.path.name}），"
                      f"{unit_label}合计 {fmt_amount(unit_amount)} 万元" + (f"（{parts}）" if parts else "") +
                      "；两方应相等才能抵销，请核对本级和所属单位的工作簿，并确认文件夹中包含全部所属单位，部门汇总未生成")


# ------------------------------------------------------------------ the consolidated workbook data

def _sum(values) -> Any:
    present = [v for v in values if v is not None]
    return sum(present, type(present[0])(0)) if present else None


def _tables_data(cells: dict[Key, Decimal], members: list[Member]) -> dict[str, Any]:
    layout = load_layout()
    names: dict[tuple[str, str], str] = {}
    for m in members:
        for tid, t in m.accounts.tables.items():
            if isinstance(t, CodedTable):
                for line in t.lines:
                    names.setdefault((tid, line.code), line.name)
    data: dict[str, Any] = {}
    for table in layout.tables:
        tid = table.id
        if table.kind == "coded":
            keys = [c.key for c in table.columns]
            rows = [{"code": None, **{k: cells.get((tid, "total", "", k), ZERO) for k in keys}}]
            codes = sorted({k[2] for k in cells if k[0] == tid and k[1] == "line"})
            for code in codes:
                values = {k: cells.get((tid, "line", code, k), ZERO) for k in keys}
                if any(values.values()):
                    rows.append({"code": code, "name": names.get((tid, code)), **values})
            data[tid] = rows
        elif table.kind == "balance":
            part = lambda p: {k[2]: v for k, v in cells.items() if k[0] == tid and k[1] == p}  # noqa: E731
            classes: dict[str, dict[str, Decimal]] = {}
            bottom: dict[str, dict[str, Decimal]] = {}
            for (t, p, row, col), v in cells.items():
                if t == tid and p == "classes" and v:
                    classes.setdefault(row, {})[col] = v
                elif t == tid and p == "expense_bottom":
                    bottom.setdefault(row, {})[col] = v
            data[tid] = {"income": part("income"), "income_bottom": part("income_bottom"), "classes": classes,
                         "expense_bottom": bottom}
        else:
            grid: dict[str, dict[str, Decimal]] = {}
            for (t, p, item, measure), v in cells.items():
                if t == tid:
                    grid.setdefault(item, {})[measure] = v
            data[tid] = grid
    return data


def unit_composition(members: list[Member], name: str, year: int) -> str:
    """单位构成: how many units of each kind, and which (the 本级 first)."""
    order = ["行政单位", "参照公务员法管理的事业单位", "事业单位", "其他"]
    counts = {k: sum(m.accounts.unit.get("unit_type") == k for m in members) for k in order}
    kinds = "、".join(f"{k}{n}个" for k, n in counts.items() if n)
    listed = "、".join(m.name + ("（本级）" if m.main else "") for m in members)
    return f"纳入{name}{year}年度部门决算编制范围的单位共{len(members)}个，其中{kinds}，包括：{listed}。"


def _running_costs(members: list[Member]) -> tuple[Decimal | None, Decimal | None]:
    """(机关运行经费, 行政单位和参公单位的公用经费): only the 行政单位 and 参公 units count; the second
    is stated only when the 部门 also holds other units (the check then compares with it)."""
    admin = [m for m in members if m.accounts.unit.get("unit_type") in ADMIN_TYPES]
    if not admin:
        return None, None
    public = ZERO
    running = ZERO
    for m in admin:
        o = m.accounts.other
        part = o.get("admin_public_costs")
        part = m.accounts.basic_total("公用经费") if part is None else part
        public += part
        running += part if o.get("running_costs") is None else o["running_costs"]
    return running, (public if len(admin) < len(members) else None)


def _forms_data(members: list[Member], prior: dict[str, Any]) -> dict[str, Any]:
    layout = load_layout()
    main = members[0].accounts
    accs = [m.accounts for m in members]
    unit = {k: v for k, v in main.unit.items()}
    unit["subject"] = MAIN_SUBJECT
    unit["amount_unit"] = "万元"  # the accounts are in 万元 whatever each unit typed in
    for key in ("staff_quota", "staff_actual", "retired", "retired_li"):
        unit[key] = _sum(a.unit.get(key) for a in accs)
    structure = (main.unit.get("structure") or "").rstrip()
    unit["structure"] = (structure + "\n" if structure else "") + unit_composition(
        members, main.unit.get("name") or "", main.unit["year"])
    summed: dict[str, Any] = {"prior": prior}
    for fid in ("sg", "other"):
        form = layout.form(fid)
        out = {}
        for f in form.fields:
            values = [a.forms[fid].get(f.key) for a in accs]
            out[f.key] = _sum(values) if f.kind in ("money", "count") else main.forms[fid].get(f.key)
        summed[fid] = out
    summed["other"]["running_costs"], summed["other"]["admin_public_costs"] = _running_costs(members)
    return {"unit": unit, "reasons": dict(main.reasons), **summed}


def _plain(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "_refs"}


def _shared_names(members: list[Member]) -> set[str]:
    """Project names used by more than one unit (ordinary: each runs its own “信息化运维”)."""
    users: dict[str, set[int]] = {}
    for i, m in enumerate(members):
        recs = [r for r in m.accounts.performance if r.get("scope") == "项目"]
        for r in recs + list(m.accounts.lists.get("projects", [])):
            if r.get("name"):
                users.setdefault(str(r["name"]).strip(), set()).add(i)
    return {name for name, who in users.items() if len(who) > 1}


def _own(rec: dict, key: str, m: Member, shared: set[str]) -> dict:
    """A list row of unit `m` in the 部门: a project name other units use too gets the unit's name."""
    out = _plain(rec)
    name = str(out.get(key) or "").strip()
    if name in shared:
        out[key] = f"{name}（{m.name}）"
    return out


def _lists_data(members: list[Member]) -> tuple[dict[str, Any], dict[str, list[tuple[Member, dict]]]]:
    """预算数 summed by code; 绩效 rows: the 本级's 整体 rows and every unit's 项目 rows. Also, per
    list, where each row came from (its unit and that unit's cells), to point findings there."""
    main = members[0].accounts
    by_code: dict[str, list[dict]] = {}
    for m in members:
        for rec in m.accounts.budget:
            by_code.setdefault(str(rec.get("code") or ""), []).append(rec)
    budget_rows = []
    for code in sorted(by_code):
        recs = by_code[code]
        adjusted = None
        if any(r.get("adjusted") is not None for r in recs):  # a blank 调整预算数 is the 年初 one
            adjusted = _sum(r.get("adjusted") if r.get("adjusted") is not None else r.get("initial") for r in recs)
        budget_rows.append({"code": code, "name": recs[0].get("name"), "initial": _sum(r.get("initial") for r in recs),
                            "adjusted": adjusted, "reason": next((r["reason"] for r in recs if r.get("reason")), None)})
    shared = _shared_names(members)
    origin: dict[str, list[tuple[Member, dict]]] = {
        "performance": [(members[0], r) for r in main.performance]
        + [(m, r) for m in members[1:] for r in m.accounts.performance if r.get("scope") == "项目"],
        "projects": [(m, r) for m in members for r in m.accounts.lists.get("projects", [])],
        "indicators": [(m, r) for m in members for r in m.accounts.lists.get("indicators", [])],
        "unit_indicators": [(members[0], r) for r in main.lists.get("unit_indicators", [])],
    }
    lists = {"budget": budget_rows,
             "performance": [_own(r, "name", m, shared) if m is not members[0] or r.get("scope") == "项目" else _plain(r)
                             for m, r in origin["performance"]],
             "projects": [_own(r, "name", m, shared) for m, r in origin["projects"]],
             "indicators": [_own(r, "project", m, shared) for m, r in origin["indicators"]],
             "unit_indicators": [_plain(r) for _, r in origin["unit_indicators"]]}
    return lists, origin


# ------------------------------------------------------------------ the prior year, on the 部门's basis

FLOW_SIDES = {"total": "income", "income_year": "income", "expense_year": "expense"}  # 上年数 holding the flows


def _cell(m: Member, key: str) -> str:
    return f"{m.path.name} {m.accounts.refs.get(key) or key}"


def _prior_flows(members: list[Member], previous: Any) -> tuple[dict[str, Decimal] | None, str]:
    """Last year's internal flows of the 部门 from each unit's last-year workbook (`--previous`):
    ({"income": …, "expense": …}, "") or (None, why not)."""
    if previous is None:
        return None, "未提供各单位上年的工作簿"
    flows = []
    for m in members:
        found = previous.flows(m.accounts.unit.get("code"), m.accounts.unit.get("name"))
        if found is None:
            return None, f"上年的工作簿中没有“{m.name}”（{m.path.name}）"
        flows.append(found)
    main, units = flows[0], flows[1:]
    paid, received = main["affiliated_out"], sum((u["superior_in"] for u in units), ZERO)
    collected, remitted = main["affiliated_in"], sum((u["remit_out"] for u in units), ZERO)
    if paid != received or collected != remitted:
        return None, (f"上年的工作簿中本级对附属单位补助支出 {fmt_amount(paid)}、附属单位上缴收入 {fmt_amount(collected)} 万元，"
                      f"所属单位上级补助收入 {fmt_amount(received)}、上缴上级支出 {fmt_amount(remitted)} 万元，两方不等")
    return {"income": received + collected, "expense": paid + remitted}, ""


def prior_year(members: list[Member], previous: Any = None) -> tuple[dict[str, Any], list[Finding]]:
    """The 部门's 上年数 on this year's basis, and what the 部门 cannot compare (as findings naming the
    units and their cells).

    Each figure is the sum of every unit's 上年数 (as its own report takes it: entered, or from
    last year's workbook); a figure some units leave blank is not summed from the others (the
    comparison is left out). 收入支出总计, 本年收入合计 and 本年支出合计 also hold the internal flows:
    they are compared only when last year's flows are known (each unit's last-year workbook, as
    for this year) and taken out as this year's are."""
    form = load_layout().form("prior")
    main = members[0]
    flows, why = _prior_flows(members, previous)
    out: dict[str, Any] = {}
    notes: list[Finding] = []
    basis: list[str] = []
    for f in form.fields:
        if f.kind not in ("money", "count"):
            out[f.key] = main.accounts.forms["prior"].get(f.key)
            continue
        scope = ([m for m in members if m.accounts.unit.get("unit_type") in ADMIN_TYPES] if f.key == "running_costs"
                 else members)  # 机关运行经费: only the units the 部门's own figure counts
        values = [(m, m.accounts.prior.get(f.key)) for m in scope]
        given = [v for _, v in values if v is not None]
        blank = [m for m, v in values if v is None]
        out[f.key] = None
        if not given:
            continue
        if blank:
            notes.append(Finding("DEPT-PRIOR", WARNING, _cell(blank[0], f"prior.{f.key}"),
                                 "、".join(f"“{m.name}”（{_cell(m, f'prior.{f.key}')}）" for m in blank)
                                 + f"未填写上年“{f.label}”，其他单位填了；部门的上年数不能只加一部分单位，"
                                 f"部门决算说明不作该项同比比较。请补填（或指定上年的工作簿）后重新汇总",
                                 tuple(_cell(m, f"prior.{f.key}") for m in blank[1:])))
            continue
        total = sum(given, ZERO)
        if f.key in FLOW_SIDES:
            if flows is None:
                basis.append(f.label)
                continue
            total -= flows[FLOW_SIDES[f.key]]
        out[f.key] = total
    if basis:
        notes.append(Finding("DEPT-PRIOR", HINT, _cell(main, "prior.total"),
                             f"上年的部门内部往来（上级补助、上缴上级）不详（{why}），上年的“{'”“'.join(basis)}”"
                             "无法与本年一样抵销内部往来，部门决算说明对此不作同比比较；"
                             "用 --previous 指定各单位上年的工作簿即可按同一口径比较"))
    return out, notes


def consolidate(folder: Path, previous: Any = None) -> Consolidation:
    """Read, check and sum the folder's units; eliminate the internal flows (see the module docstring).
    `previous`: last year's workbooks (previous.PreviousIndex), for the units' and the 部门's 上年数."""
    members = read_members(folder, previous)
    member_cells = [cells_of(m.accounts) for m in members]
    deltas, elims = eliminations(members)
    cells: dict[Key, Decimal] = {}
    for mc in member_cells:
        for k, v in mc.items():
            cells[k] = cells.get(k, ZERO) + v
    for k, v in deltas.items():
        cells[k] = cells.get(k, ZERO) + v
    prior, notes = prior_year(members, previous)
    lists, origin = _lists_data(members)
    data = _tables_data(cells, members) | _forms_data(members, prior) | lists
    return Consolidation(Path(folder), members, data, elims, cells, member_cells, deltas, notes, origin,
                         folder_workbooks(folder)[1], _prior_flows(members, previous)[0])


# ------------------------------------------------------------------ the audit sheet

def _table_columns(table) -> list[tuple[str, Key, str]]:
    """(label, key template, part) of the figures the audit shows for one table."""
    tid = table.id
    if table.kind == "coded":
        return [(c.label, (tid, "total", "", c.key)) for c in table.columns]
    if table.kind == "balance":
        cols = [(r.label.split("、", 1)[-1], (tid, "income", r.key, "")) for r in table.income]
        cols += [(r.label, (tid, "income_bottom", r.key, "")) for r in table.income_bottom]
        first = table.expense_keys[0]
        cols += [(f"支出方 {r.label}", (tid, "expense_bottom", r.key, first)) for r in table.expense_bottom]
        return cols
    labels = {i.key: (f"{i.group}{i.label}" if i.group else i.label) for i in table.items}
    return [(f"{labels[i.key]}（{m.label}）", (tid, "grid", i.key, m.key)) for i in table.items for m in table.measures]


def write_audit_sheet(wb, cons: Consolidation) -> None:
    """汇总核对: the units, the rule, each elimination, and each table unit by unit."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(AUDIT_SHEET)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    elim_fill = PatternFill("solid", fgColor="FCE4D6")
    row = [1]

    def put(values, font=None, fill=None, money_from: int | None = None) -> None:
        for col, v in enumerate(values, start=1):
            cell = ws.cell(row[0], col, float(v) if isinstance(v, Decimal) else v)
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if isinstance(v, Decimal):
                cell.number_format = "#,##0.00"
        row[0] += 1

    main = cons.main.accounts
    put([f"{main.unit.get('name')}{main.unit['year']}年度部门决算汇总核对表（金额单位：万元）"], Font(bold=True, size=14))
    put(["本表由程序生成，列出汇总范围、内部往来的抵销和各附表逐单位的数字；部门的决算说明按本工作簿生成。"])
    row[0] += 1
    put(["一、汇总范围"], bold)
    put(["单位名称", "单位编码", "单位性质", "层级", "工作簿", "错误", "警告", "提示"], bold, head_fill)
    for m in cons.members:
        counts = [sum(f.severity == s for f in m.findings) for s in ("错误", "警告", "提示")]
        put([m.name, m.accounts.unit.get("code") or "", m.accounts.unit.get("unit_type") or "",
             "本级" if m.main else "所属单位", m.path.name, *counts])
    row[0] += 1
    put(["二、抵销规则"], bold)
    for flow, text in RULES:
        put([f"{flow}：{text}"])
    put([COMBINE_NOTE])
    row[0] += 1
    put(["三、抵销明细"], bold)
    put(["往来", "单位", "方向", "项目", "表", "科目编码", "抵销金额"], bold, head_fill)
    for e in cons.eliminations:
        put([e.flow, e.unit, e.side, e.item, e.table, e.code, -e.amount], fill=elim_fill)
    if not cons.eliminations:
        put(["本年度部门内部没有需要抵销的往来。"])
    row[0] += 1
    put(["四、各附表逐单位汇总"], bold)
    for table in load_layout().tables:
        cols = _table_columns(table)
        put([f"附表{table.number} {table.title}"], bold)
        put(["单位", *[label for label, _ in cols]], bold, head_fill)
        for m, mc in zip(cons.members, cons.member_cells):
            put([m.name, *[mc.get(key, ZERO) for _, key in cols]])
        if any(cons.deltas.get(key) for _, key in cols):
            put(["内部往来抵销", *[cons.deltas.get(key, ZERO) for _, key in cols]], fill=elim_fill)
        put(["部门合计", *[cons.cells.get(key, ZERO) for _, key in cols]], bold)
        row[0] += 1
    put(["五、上年数（同比比较的基数；部门一栏空白的项不作同比比较）"], bold)
    fields = [f for f in load_layout().form("prior").fields if f.kind == "money"]
    put(["单位", *[f.label for f in fields]], bold, head_fill)
    for m in cons.members:
        put([m.name, *[m.accounts.prior.get(f.key) for f in fields]])
    if cons.prior_flows is not None:
        put(["上年内部往来抵销", *[-cons.prior_flows[FLOW_SIDES[f.key]] if f.key in FLOW_SIDES else None for f in fields]],
            fill=elim_fill)
    put(["部门上年数", *[cons.data["prior"].get(f.key) for f in fields]], bold)
    for note in cons.notes:
        put([f"{note.severity}：{note.ref}：{note.message}"])
    row[0] += 1
    put(["六、各单位的说明文字（部门的说明文字取自本级工作簿，以下可供引用）"], bold)
    labels = {f.key: f.label for f in load_layout().form("reasons").fields}
    put(["单位", "项目", "内容"], bold, head_fill)
    for m in cons.members:
        for key, text in m.accounts.reasons.items():
            if text:
                put([m.name, labels.get(key, key), text])
    ws.column_dimensions["A"].width = 30
    for col in "BCDEFGHIJKLMNOP":
        ws.column_dimensions[col].width = 16
    for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=1):
        for cell in r:
            cell.alignment = Alignment(vertical="top")
    from .workbook import print_setup

    print_setup(ws, 0)


# ------------------------------------------------------------------ the whole job

@dataclass
class DepartmentOutcome:
    consolidation: Consolidation
    workbook: Path
    outcome: Any  # pipeline.Outcome of the consolidated workbook


def consolidated_name(cons: Consolidation) -> str:
    from .render import safe_name

    u = cons.main.accounts.unit
    return safe_name(f"{u.get('name')}-{u['year']}年度部门决算（汇总）") + ".xlsx"


def write_consolidated(cons: Consolidation, out_dir: Path) -> Path:
    """The consolidated workbook (with its audit sheet) in `out_dir`; same units, same bytes."""
    from .workbook import write_workbook

    return write_workbook(Path(out_dir) / consolidated_name(cons), cons.data,
                          extend=lambda wb: write_audit_sheet(wb, cons), stable=True)


def _ref_keys(acc: Accounts) -> dict[str, tuple]:
    """Every cell the workbook's findings can name → what it holds (the same key in every unit's
    workbook and in the consolidated one, whatever the row)."""
    out: dict[str, tuple] = {}
    for tid, t in acc.tables.items():
        if isinstance(t, CodedTable):
            for k, ref in t.total_refs.items():
                out.setdefault(ref, (tid, "total", k))
            for line in t.lines:
                if line.ref:
                    out.setdefault(line.ref, (tid, "code", line.code))
                for k, ref in line.refs.items():
                    out.setdefault(ref, (tid, "line", line.code, k))
        elif isinstance(t, (Balance, Grid)):
            for path, ref in t.refs.items():
                out.setdefault(ref, (tid, path))
    for path, ref in acc.refs.items():
        out.setdefault(ref, ("form", path))
    return out


def trace_findings(cons: Consolidation, acc: Accounts, findings: list[Finding], workbook: str) -> list[Finding]:
    """Findings of the consolidated workbook pointed at the units: the unit and its own cell (a row
    of a list: the unit that wrote it; a sum: every unit's cell that went into it). Only what no
    unit's cell holds keeps the consolidated workbook's cell, saying so."""
    keys = _ref_keys(acc)
    members = [(m, {k: ref for ref, k in _ref_keys(m.accounts).items()}) for m in cons.members]
    rows: dict[str, list[tuple[Member, str]]] = {}
    for list_id, recs in acc.lists.items():
        for rec, (m, src) in zip(recs, cons.origin.get(list_id, [])):
            for k, ref in rec.get("_refs", {}).items():
                if k in src.get("_refs", {}):
                    rows[ref] = [(m, src["_refs"][k])]
    for rec in acc.budget:  # 预算数 rows are summed by code: each unit's row of that code
        code = str(rec.get("code") or "")
        for k, ref in rec.get("_refs", {}).items():
            rows[ref] = [(m, own["_refs"][k]) for m in cons.members for own in m.accounts.budget
                         if str(own.get("code") or "") == code and k in own.get("_refs", {})]
    left_out = {f"prior.{k}" for k, v in cons.data["prior"].items()
                if v is None and any(m.accounts.prior.get(k) is not None for m in cons.members)}

    def sources(ref: str) -> list[tuple[Member, str]]:
        if rows.get(ref):
            return rows[ref]
        key = keys.get(ref)
        if key is None:
            return []
        if key[0] == "form" and not key[1].startswith(("prior.", "sg.", "other.")):
            return [(cons.main, cons.main.accounts.refs[key[1]])] if key[1] in cons.main.accounts.refs else []
        return [(m, own[key]) for m, own in members if key in own]

    out = []
    for f in findings:
        if f.rule == "PRIOR-MISSING" and keys.get(f.ref, ("", ""))[1] in left_out:
            continue  # the 部门's own note (DEPT-PRIOR) says why it leaves this 上年数 out
        found = sources(f.ref)
        if f.rule == "PRIOR-MISSING":
            key = keys.get(f.ref, ("", ""))[1]
            found = [(m, ref) for m, ref in found if m.accounts.prior.get(key.removeprefix("prior.")) is None]
        if not found:
            out.append(Finding(f.rule, f.severity, f"{workbook} {f.ref}", f"（部门汇总工作簿）{f.message}"))
            continue
        (m, ref), rest = found[0], found[1:]
        where = f"{m.path.name} {ref}"
        if rest:
            message = (f"部门：{f.message}（部门的这个数来自 " + "、".join(f"“{u.name}”{r}" for u, r in found)
                       + "，请核对这几个单位的工作簿）")
        else:
            message = f"“{m.name}”：{f.message}"
        out.append(Finding(f.rule, f.severity, where, message, tuple(f"{u.path.name} {r}" for u, r in rest)))
    return out


def generate_department(folder: Path, out_dir: Path, force: bool = False, previous: Any = None) -> DepartmentOutcome:
    """Consolidate the folder into `out_dir` and generate the 部门's 决算说明 there (the normal pipeline).
    Findings name the units' own cells (`trace_findings`), never only the generated workbook's."""
    from .pipeline import generate

    folder, out_dir = Path(folder), Path(out_dir)
    if out_dir.resolve() == folder.resolve() or folder.resolve() in out_dir.resolve().parents:
        raise OutputError(f"输出文件夹“{out_dir}”在部门文件夹“{folder}”之内；写在这里的部门汇总工作簿会在下次汇总时被当作单位读入。"
                          f"请用 -o 指定部门文件夹以外的文件夹（例如“{folder.parent / '输出'}”）")
    cons = consolidate(folder, previous)
    path = write_consolidated(cons, out_dir)
    try:
        outcome = generate(path, out_dir.parent, force=force, out_dir=out_dir, selfeval=False)
    except CheckFailed as exc:
        traced = trace_findings(cons, exc.accounts, exc.findings, path.name) if exc.accounts else exc.findings
        new = CheckFailed(f"部门汇总工作簿 {path.name} 检查有错误，未生成部门决算说明：{exc}")
        new.findings, new.accounts = cons.notes + traced, exc.accounts
        raise new from exc
    outcome.findings = cons.notes + trace_findings(cons, outcome.accounts, outcome.findings, path.name)
    _remove_superseded_workbooks(out_dir, path)
    return DepartmentOutcome(cons, path, outcome)


def _remove_superseded_workbooks(out_dir: Path, current: Path) -> None:
    """An earlier consolidated workbook of this folder (the 部门 renamed, or another year) goes."""
    for old in out_dir.glob("*（汇总）.xlsx"):
        if old.name != current.name:
            with contextlib.suppress(OSError):
                old.unlink()


def unit_warnings(cons: Consolidation) -> list[tuple[str, Finding]]:
    """The units' 警告, for the console (they do not stop the 部门)."""
    return [(m.name, f) for m in cons.members for f in m.findings if f.severity == WARNING]
