"""Classification code lists (支出功能分类, 部门预算支出经济分类) and the glossary.

Data lives in `data/*.csv`; one name per code. Unknown codes are not an error: the
workbook's own name is used and the check reports it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    level: str  # 类 / 款 / 项
    kind: str = ""  # economic codes: 人员经费 / 公用经费


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("generator").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def function_codes() -> dict[str, Code]:
    return {r["code"]: Code(r["code"], r["name"], r["level"]) for r in _rows("function_codes.csv")}


@cache
def economic_codes() -> dict[str, Code]:
    return {r["code"]: Code(r["code"], r["name"], r["level"], r.get("kind", "")) for r in _rows("economic_codes.csv")}


@cache
def outdated_names() -> dict[tuple[str, str], str]:
    """(code, old name) → current name, for names clerks still type."""
    return {(r["code"], r["old_name"]): r["current_name"] for r in _rows("function_codes_outdated.csv")}


@cache
def glossary() -> dict[str, tuple[str, str]]:
    """key (an English id or a function code) → (term, definition)."""
    return {r["key"]: (r["term"], r["definition"]) for r in _rows("glossary.csv")}


def codes_for(scheme: str) -> dict[str, Code]:
    return function_codes() if scheme == "function" else economic_codes()


def function_classes() -> list[Code]:
    """The 类 rows of the 总表, in code order."""
    return sorted((c for c in function_codes().values() if c.level == "类"), key=lambda c: c.code)


def parent(code: str) -> str | None:
    """2080109 → 20801 → 208 → None (economic: 30101 → 301)."""
    return {7: code[:5], 5: code[:3]}.get(len(code))


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 26 → 二十六 (ordinals of the published tables)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def strip_ordinal(label: str) -> str:
    """"十二、农林水支出" → "农林水支出"; "（一）一般…" → "一般…"; spaces removed."""
    text = "".join(str(label).split())
    for sep in ("、", "）", ")"):
        head, found, tail = text.partition(sep)
        if found and head.strip("（(") and all(ch in CN_DIGITS + "十" for ch in head.strip("（(")):
            return tail
    return text
