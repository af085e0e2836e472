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
    # figures the program derived at cells the clerk left blank ((ref, "1323.50"), …): the check
    # workbook writes them into those cells, so a marked cell shows its value, never empty pink
    shown: tuple[tuple[str, str], ...] = ()

    def line(self) -> str:
        return f"[{self.rule}] {self.severity} {self.ref}：{self.message}"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, item: "Finding | dict") -> "Finding":
        """A finding back from its dict (a batch result, a stored history) or as it is."""
        if isinstance(item, Finding):
            return item
        raw = dict(item)
        raw["also"] = tuple(raw.get("also") or ())
        raw["shown"] = tuple(tuple(pair) for pair in raw.get("shown") or ())
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})
