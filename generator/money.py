"""Numbers as the published reports write them.

Every amount is a Decimal in 万元 from the moment it is read; it is rounded (half-up,
two decimals) only here, when it is written. Shares and changes are computed from the
unrounded values, so a sentence, its chart and its table can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Round half-up to two decimals (the only rounding the project does); never "-0.00"."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else abs(rounded)


def fmt_amount(value: Decimal) -> str:
    """1555.905 → "1555.91"; no thousands separator, always two decimals."""
    return f"{round2(value):.2f}"


def fmt_count(value: int) -> str:
    """Counts (人, 辆, 批次) are whole numbers."""
    return str(int(value))


def fmt_percent(value: Decimal) -> str:
    """A ratio in percent points (e.g. 88.015) written "88.02%" (the default layout's style; messages use it)."""
    return DEFAULT_STYLE.percent(value)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent points, unrounded; None when the whole is 0 (not applicable)."""
    if whole == 0:
        return None
    return part * HUNDRED / whole


def same_amount(a: Decimal, b: Decimal) -> bool:
    """Two amounts read the same once written (equal to the 0.01万元)."""
    return round2(a) == round2(b)


def shares(parts: list[Decimal]) -> list[Decimal]:
    """Percent shares (two decimals) of the parts that add up to exactly 100.00.

    Largest remainder, then the two display rules of the published reports: a non-zero part
    never shows 0.00 (it shows 0.01) and a part smaller than the whole never shows 100.00
    (it shows 99.99); the difference is taken from, or given to, the largest item.
    Zero parts get 0.00 (callers leave them out of the sentence).
    """
    total = sum(parts, ZERO)
    if total <= 0 or any(p < 0 for p in parts):
        raise ValueError("shares need non-negative parts and a positive total")
    exact = [p * 10000 / total for p in parts]  # in hundredths of a percent
    floors = [int(e) for e in exact]
    short = 10000 - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), -parts[i], i))
    for i in order[:short]:
        floors[i] += 1
    largest = max(range(len(parts)), key=lambda i: (parts[i], -i))
    for i, p in enumerate(parts):
        if p > 0 and floors[i] == 0 and i != largest:
            floors[i] = 1
            floors[largest] -= 1
        if p < total and floors[i] == 10000:
            floors[i] = 9999
            floors[largest if largest != i else _second(parts, i)] += 1
    return [Decimal(f) / 100 for f in floors]


def _second(parts: list[Decimal], skip: int) -> int:
    """Index of the largest part other than `skip` (the one that absorbs a correction)."""
    return max((i for i in range(len(parts)) if i != skip), key=lambda i: (parts[i], -i))


@dataclass(frozen=True)
class NumberStyle:
    """How a layout prints percentages (data of the layout, `[number_style]` in its profile.toml).

    `decimals`: digits after the point; `trim`: drop trailing zeros ("7.30%" → "7.3%",
    "100.00%" → "100%"); `shares`: "largest_remainder" (a list adds up to exactly 100%) or
    "each" (each share rounded on its own, as most published reports do: a list may add up
    to 100.01%). Both keep the display rules: a non-zero part never prints 0%, a part smaller
    than its whole never prints 100%.
    """

    decimals: int = 2
    trim: bool = False
    shares: str = "largest_remainder"

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimals)

    def round(self, value: Decimal) -> Decimal:
        rounded = value.quantize(self.quantum, rounding=ROUND_HALF_UP)
        return rounded if rounded != 0 else abs(rounded)

    def percent(self, value: Decimal) -> str:
        """A ratio in percent points written as this layout writes it."""
        text = f"{self.round(value):.{self.decimals}f}"
        if self.trim and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + "%"


DEFAULT_STYLE = NumberStyle()


def share_list_values(parts: list[Decimal], style: NumberStyle = DEFAULT_STYLE) -> list[Decimal]:
    """The shares of positive parts in percent points, rounded by the layout's rule."""
    if style.shares == "each":
        total = sum(parts, ZERO)
        return [_displayed(p * HUNDRED / total, p, total, style) for p in parts]
    if style.decimals == 2:
        return shares(parts)
    scaled = shares(parts)  # largest remainder at 0.01, then to the layout's digits
    return [style.round(s) for s in scaled]


def share_value(part: Decimal, whole: Decimal, style: NumberStyle = DEFAULT_STYLE) -> Decimal | None:
    """One part of a whole in percent points (None for a zero whole), with the display rules."""
    if whole == 0:
        return None
    if part < 0 or part > whole:
        return percent(part, whole)
    if part == whole:
        return HUNDRED
    if style.shares == "each":
        return _displayed(part * HUNDRED / whole, part, whole, style)
    return share_list_values([part, whole - part], style)[0]


def _displayed(value: Decimal, part: Decimal, whole: Decimal, style: NumberStyle) -> Decimal:
    """`value` rounded, but never 0 for a non-zero part nor 100 for a part below the whole."""
    rounded = style.round(value)
    if part > 0 and rounded == 0:
        return style.quantum
    if part < whole and rounded >= HUNDRED:
        return HUNDRED - style.quantum
    return rounded
