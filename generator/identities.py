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
MARKED_INPUTS = 6  # the typed cells of a derived side marked one by one in the check workbook (more: their range)


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
    by_cell: dict[str, list[tuple[Identity, int, Source, list[Source]]]] = {}
    seen: list[frozenset[str]] = []
    for ident, best, odd, suspects in broken:
        if frozenset(suspects) in seen:  # the same typed cells broke another identity: already told
            continue
        seen.append(frozenset(suspects))
        top = max((counts[c] for c in suspects), default=0)
        blamed = sorted(c for c in suspects if counts[c] == top)
        typed = [c for c in blamed if c in {s.ref for s in odd if s.entered}]
        blamed = typed or blamed  # equal evidence: the figure typed against a derived one
        if not blamed or len(blamed) > MAX_BLAMED:
            # a sum of many typed cells: point at those cells (the column they fill), not at the
            # grey cell the program fills, which the clerk never typed
            # (several derived sides equally suspect: the one summed from the fewest typed cells, those
            # cells; the other sides' typed cells are marked too, see `others` below)
            derived = [s for s in odd if not s.entered]
            small = min(derived, key=lambda s: len(s.inputs)) if len(derived) > 1 else None
            if len(derived) == 1:
                blamed, top = [typed_span(derived[0].inputs) or derived[0].ref], 1
            elif small is not None and top > 1 and 0 < len(small.inputs) <= MAX_BLAMED:  # cross-evidence only
                blamed = [c for c in small.inputs if counts[c] == top] or list(small.inputs)
            elif small is not None and all(typed_span(s.inputs) for s in derived):
                blamed, top = [typed_span(small.inputs)], 1  # no evidence either way: one side's typed cells, both named
            else:
                blamed, top = ([derived[0].ref] if derived else [s.ref for s in odd]), 1
        for cell in blamed:
            by_cell.setdefault(cell, []).append((ident, top, best, odd))
    for cell, items in by_cell.items():
        # a sum inside one table names the cell's own table: it leads when it blames the cell too
        items.sort(key=lambda it: it[0].rule not in LOCAL_RULES)
        ident = items[0][0]
        detail = "。".join(_disagreement(i, best, odd) for i, _, best, odd in items[:2])
        supported = _supported(items)
        lead = _summed_from(cell, items, supported)
        if not lead:
            lead = "本格参与的几项勾稽关系都不一致，请首先核对本格。" if max(it[1] for it in items) > 1 else ""
            if supported:
                detail += f"。{supported}"
            elif not lead and all(len(i.sources) == 2 for i, *_ in items):
                detail += "。这个数只在这两处出现，没有第三处可以对照：程序无法判断哪一处有误，两处都请核对"
        sources = [s for i, *_ in items for s in i.sources]
        spans = [c for _, _, _, odd in items for s in odd if not s.entered  # the other side's typed cells
                 for c in (s.inputs if len(s.inputs) <= MARKED_INPUTS else (typed_span(s.inputs),))]
        others = tuple(dict.fromkeys(r for r in [s.ref for s in sources] + spans if r and r != cell and "!" in r))
        shown = tuple(dict.fromkeys((s.ref, fmt_amount(s.value)) for s in sources if not s.entered and "!" in s.ref))
        out.append(Finding(ident.rule, ERROR, cell, lead + detail, others, shown))
    return out


def _summed_from(cell: str, items, supported: str) -> str:
    """The lead of a finding located at the typed cells a program-derived total is summed from:
    what that total is, how far it is from the other side, and what to check ("" otherwise)."""
    for ident, _, best, odd in items:
        for src in odd:
            if src.entered or typed_span(src.inputs) != cell or (":" not in cell and len(src.inputs) == 1):
                continue
            other = best if src is not best else next(s for s in ident.sources if s is not src)
            gap = round2(src.value) - round2(other.value)
            where = f"{cell} 中填写的数" if ":" in cell else cell
            text = (f"{src.label} {fmt_amount(src.value)} 由{where}推算，比{other.label} {fmt_amount(other.value)}"
                    f" {'多' if gap > 0 else '少'} {fmt_amount(abs(gap))} 万元")
            if supported:
                text += f"；{supported}。请逐行核对这些单元格（合计由程序推算，不用填写）"
            else:
                there = (typed_span(other.inputs) if not other.entered else other.ref) or other.ref
                text += (f"；这个数只在这两处出现，程序无法判断哪一处有误：请核对这些单元格，"
                         f"也核对{other.label}{'（由 ' + there + ' 推算）' if not other.entered else '（' + there + '）'}")
            return text + "。明细——"
    return ""


def _disagreement(ident: Identity, best: Source, odd: list[Source]) -> str:
    """"本年收入合计不一致：A 1323.50（…）；B 1313.50（…），相差 10.00 万元"."""
    text = f"{ident.what}不一致：" + "；".join(s.describe() for s in ident.sources)
    gaps = sorted({abs(round2(s.value) - round2(best.value)) for s in odd if s is not best})
    if len(gaps) == 1:
        text += f"，相差 {fmt_amount(gaps[0])} 万元"
    return text


def _supported(items) -> str:
    """Which figure the other tables support: a quantity printed in three or more places where
    two independent places agree tells which side of a two-place disagreement is likely right."""
    for ident, _, best, odd in items:
        agree = [s for s in ident.sources if s not in odd]
        if len(agree) >= 2 and any(_independent(a, b) and a is not b for a in agree for b in agree):
            names = "、".join(s.label for s in agree)
            return f"其他表支持 {fmt_amount(best.value)}（{names} 均为此数），{odd[0].label} 更可能有误"
    return ""


def typed_span(cells: tuple[str, ...]) -> str:
    """The typed cells of one sheet as one range ("收入决算表!D6:D9"); "" when they are spread over sheets."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string, get_column_letter

    if not cells:
        return ""
    sheets = {c.partition("!")[0] for c in cells}
    if len(sheets) != 1 or any("!" not in c for c in cells):
        return ""
    coords = [coordinate_from_string(c.partition("!")[2].split(":")[0]) for c in cells]
    cols = [column_index_from_string(col) for col, _ in coords]
    rows = [row for _, row in coords]
    first = f"{get_column_letter(min(cols))}{min(rows)}"
    last = f"{get_column_letter(max(cols))}{max(rows)}"
    sheet = sheets.pop()
    return f"{sheet}!{first}" if first == last else f"{sheet}!{first}:{last}"


def blamed_cells(findings: list[Finding]) -> set[str]:
    """Every cell a finding points at (to leave out consequences of a typo already reported)."""
    return {c for f in findings if f.severity == ERROR for c in (f.ref, *f.also)}
