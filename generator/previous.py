"""Prior-year figures taken from the unit's own workbook of last year (`--previous`).

Entered prior-year figures win; where both exist and disagree the check says so (警告).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .accounts import Accounts, resolve
from .errors import GeneratorError
from .findings import WARNING, Finding
from .money import fmt_amount, same_amount
from .reader import read_workbook


def prior_figures(acc: Accounts) -> dict[str, Decimal]:
    """Last year's accounts → the 上年数 fields of this year's workbook."""
    t = acc.tables
    sg = t["t13"]
    return {
        "total": t["t01"].income_bottom["total"],
        "income_year": t["t01"].income_bottom["year_total"],
        "expense_year": t["t01"].expense_bottom["year_total"]["amount"],
        "fiscal_total": t["t04"].income_bottom["total"],
        "gpb_expense": t["t06"].total["total"],
        "fund_expense": t["t10"].total["spend"],
        "soe_expense": acc.soe_spending(),
        "sg_total": sg.get("total", "actual"), "sg_abroad": sg.get("abroad", "actual"), "sg_car": sg.get("car", "actual"),
        "sg_car_buy": sg.get("car_buy", "actual"), "sg_car_run": sg.get("car_run", "actual"),
        "sg_reception": sg.get("reception", "actual"),
        "running_costs": (acc.other["running_costs"] if acc.other.get("running_costs") is not None
                          else acc.basic_total("公用经费")),
    }


def internal_flows(acc: Accounts) -> dict[str, Decimal]:
    """Last year's flows between a 部门's units, as one unit's workbook shows them (consolidate.py
    takes them out of the 部门's 上年数 as it takes this year's out of this year's)."""
    t = acc.tables
    return {"superior_in": t["t01"].income["superior"], "affiliated_in": t["t01"].income["affiliated"],
            "affiliated_out": t["t03"].total["affiliated"], "remit_out": t["t03"].total["remit"]}


def apply_previous(acc: Accounts, figures: dict[str, Decimal], source: str) -> None:
    """Fill blank 上年数 from last year's figures; a disagreement with an entered one is a 警告."""
    for key, value in figures.items():
        entered = acc.prior.get(key)
        if entered is None:
            acc.prior[key] = value
        elif not same_amount(entered, value):
            acc.findings.append(Finding("PRIOR-DIFF", WARNING, acc.refs[f"prior.{key}"],
                                        f"上年数 {fmt_amount(entered)} 与上年工作簿“{source}”中的 {fmt_amount(value)} 不一致；"
                                        "报告使用本表填写的数"))


class PreviousIndex:
    """Last year's workbooks, found by unit code first, then by unit name."""

    def __init__(self, paths: list[Path]):
        self.by_code: dict[str, tuple[Path, dict]] = {}
        self.by_name: dict[str, tuple[Path, dict]] = {}
        self.problems: list[str] = []
        self._flows: dict[Path, dict[str, Decimal]] = {}
        for path in paths:
            try:
                acc = resolve(read_workbook(path))
            except GeneratorError as exc:
                self.problems.append(f"{path.name}：{exc}")
                continue
            entry = (path, prior_figures(acc))
            self._flows[path] = internal_flows(acc)
            if acc.unit.get("code"):
                self.by_code[str(acc.unit["code"])] = entry
            if acc.unit.get("name"):
                self.by_name[str(acc.unit["name"])] = entry

    def find(self, code: str | None, name: str | None) -> tuple[Path, dict] | None:
        return self.by_code.get(str(code)) if code and str(code) in self.by_code else self.by_name.get(str(name or ""))

    def flows(self, code: str | None, name: str | None) -> dict[str, Decimal] | None:
        """The unit's internal flows of last year (`internal_flows`), when its workbook is known."""
        match = self.find(code, name)
        return self._flows.get(match[0]) if match else None
