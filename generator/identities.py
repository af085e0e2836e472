"""One quantity, several cells: find the cell a typo is in.

The same quantity appears in several places: 本年支出合计 in the 总表 and in the 支出决算表's
合计 row, 一般公共预算财政拨款收入 in two 总表, a 合计 and the sum of its parts. Each place is a
`Source`, typed by the clerk or derived by the program from typed cells. When the sources of
an `Identity` disagree, the majority is taken as right; the odd ones point at the cells that
may hold the typo. A cell suspected by several identities at once is the root cause, so one
typo gives one finding, at the cell typed, however many identities it breaks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from .findings import ERROR, HINT, Finding
from .money import CENT, fmt_amount, round2

LOCAL_RULES = ("SUM-BALANCE",)
MAX_BLAMED = 3  # more suspects than this without cross-evidence: point at the quantity instead


@dataclass(frozen=True)
class Source:
    label: str  # "收入支出决算总表 本年收入合计"
    value: Decimal
    ref: str  # the cell (typed), or where the derived value is printed
    entered: bool
    inputs: tuple[str, ...] = ()  # a derived value: the typed cells it was computed from
    parts: int = 1  # rounded figures summed into it (each may be 0.01 off)

    def describe(self) -> str:
        how = "填写" if self.entered else "由程序推算"
        return f"{self.label} {fmt_amount(self.value)}（{how}，{self.ref}）"

    def suspects(self) -> tuple[str, ...]:
        return (self.ref,) if self.entered else self.inputs


@dataclass(frozen=True)
class Identity:
    rule: str
    what: str  # the quantity, e.g. "本年收入合计"
    sources: tuple[Source, ...]


def _tolerance(a: Source, b: Source) -> Decimal:
    """Two typed copies of one printed figure are equal; a sum of n rounded parts may miss by n cents."""
    if a.entered and b.entered and a.parts == 1 and b.parts == 1:
        return Decimal(0)
    return CENT * max(a.parts, b.parts)


def _agree(a: Source, b: Source) -> bool:
    return abs(round2(a.value) - round2(b.value)) <= _tolerance(a, b)


def _independent(a: Source, b: Source) -> bool:
    """Two sources are two votes only if no typed cell feeds both (the 总表 row derived from the
    支出决算表 repeats the 支出决算表, it does not confirm it)."""
    return a is b or not set(a.suspects()) & set(b.suspects())


def _vote(ident: Identity) -> tuple[Source, list[Source]]:
    """(the majority's representative, the sources that disagree with it)."""
    srcs = ident.sources
    support = [sum(_agree(s, t) and _independent(s, t) for t in srcs) for s in srcs]
    best = max(range(len(srcs)), key=lambda i: (support[i], srcs[i].entered, -i))
    odd = [s for s in srcs if not _agree(s, srcs[best])]
    if odd and support[best] == 1:  # no two independent sources agree: every source is suspect
        return srcs[best], list(srcs)
    return srcs[best], odd


def identity_findings(identities: list[Identity]) -> list[Finding]:
    """One finding per root cause; rounding-sized gaps are a 提示 at the typed cell."""
    out: list[Finding] = []
    broken: list[tuple[Identity, Source, list[Source], set[str]]] = []
    for ident in identities:
        if len(ident.sources) < 2:
            continue
        best, odd = _vote(ident)
        if not odd:
            inexact = [s for s in ident.sources if round2(s.value) != round2(best.value)]
            if inexact:
                at = next((s for s in ident.sources if s.entered), best)
                out.append(Finding(ident.rule, HINT, at.ref,
                                   f"{ident.what}：" + "；".join(s.describe() for s in ident.sources)
                                   + "，相差不超过 0.01 万元/项，视为四舍五入差异；报告按填写的数列示"))
            continue
        suspects = {c for s in odd for c in s.suspects()}
        broken.append((ident, best, odd, suspects))
    counts = Counter(c for *_, suspects in broken for c in suspects)
    by_cell: dict[str, list[tuple[Identity, int]]] = {}
    seen: list[frozenset[str]] = []
    for ident, best, odd, suspects in broken:
        if frozenset(suspects) in seen:  # the same typed cells broke another identity: already told
            continue
        seen.append(frozenset(suspects))
        top = max((counts[c] for c in suspects), default=0)
        blamed = sorted(c for c in suspects if counts[c] == top)
        typed = [c for c in blamed if c in {s.ref for s in odd if s.entered}]
        blamed = typed or blamed  # equal evidence: the figure typed against a derived one
        if not blamed or len(blamed) > MAX_BLAMED:  # a sum of many cells: say where the sum is printed
            derived = [s.ref for s in odd if not s.entered]
            blamed, top = derived[:1] or [s.ref for s in odd], 1
        for cell in blamed:
            by_cell.setdefault(cell, []).append((ident, top))
    for cell, items in by_cell.items():
        # a sum inside one table names the cell's own table: it leads when it blames the cell too
        items.sort(key=lambda it: it[0].rule not in LOCAL_RULES)
        ident, top = items[0]
        lead = "本格参与的几项勾稽关系都不一致，请首先核对本格。" if max(t for _, t in items) > 1 else ""
        detail = "。".join(f"{i.what}不一致：" + "；".join(s.describe() for s in i.sources) for i, _ in items[:2])
        others = tuple(dict.fromkeys(s.ref for i, _ in items for s in i.sources if s.ref != cell and "!" in s.ref))
        out.append(Finding(ident.rule, ERROR, cell, lead + detail, others))
    return out


def blamed_cells(findings: list[Finding]) -> set[str]:
    """Every cell a finding points at (to leave out consequences of a typo already reported)."""
    return {c for f in findings if f.severity == ERROR for c in (f.ref, *f.also)}
