"""A finding: what the check (or the reader) has to tell the clerk about one cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "错误"
WARNING = "警告"
HINT = "提示"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "T03-ROW"; the rule list is in check.py
    severity: str  # 错误 / 警告 / 提示
    ref: str  # "支出决算表!C7", or a sheet name when no single cell is at fault
    message: str
    also: tuple[str, ...] = ()  # other cells of the same disagreement (marked in the check workbook)

    def line(self) -> str:
        return f"[{self.rule}] {self.severity} {self.ref}：{self.message}"

    def as_dict(self) -> dict:
        return asdict(self)
