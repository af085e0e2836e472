"""Sentence builders: computed numbers in, one Chinese sentence (or clause) out.

Each builder is small and unit-tested; the conventions (two decimals, 持平 when equal to
the 0.01万元, no percentage against a zero base) live in `money.py` and here only.
"""

from __future__ import annotations

from decimal import Decimal

from .money import fmt_amount, fmt_percent, percent, round2, same_amount, shares


def wan(value: Decimal) -> str:
    return f"{fmt_amount(value)}万元"


def reason_clause(reason: str | None, lead: str = "主要变动原因是") -> str:
    """"，主要变动原因是…" or "" when the clerk gave no reason (the check warns)."""
    if not reason:
        return ""
    text = reason.strip().rstrip("。；;，,")
    return f"，{lead}{text}" if text else ""


def change(now: Decimal, prior: Decimal | None, each: bool = False) -> str | None:
    """Year-on-year clause: "增加X万元，增长Y%" / "减少…，下降…" / "持平" / new item.

    None when the prior-year figure is unknown. `each` writes "各增加" for paired totals.
    Computed from the two figures as written (0.01万元), so a reader who subtracts the
    printed numbers gets the printed difference and percentage.
    """
    if prior is None:
        return None
    now, prior = round2(now), round2(prior)
    if now == prior:
        return "持平"
    diff = now - prior
    word = "各" if each else ""
    if prior == 0:
        return f"上年无此项支出，本年新增{wan(diff)}"
    pct = percent(abs(diff), prior)
    if diff > 0:
        return f"{word}增加{wan(diff)}，增长{fmt_percent(pct)}"
    return f"{word}减少{wan(-diff)}，下降{fmt_percent(pct)}"


def compared(subject: str, now: Decimal, prior: Decimal | None, prior_year: int, reason: str | None = None,
             each: bool = False) -> str:
    """"与2023年相比，<subject>增加…，主要变动原因是…。" ("" without a prior-year figure)."""
    clause = change(now, prior, each)
    if clause is None:
        return ""
    if clause == "持平":
        return f"与{prior_year}年相比，{subject}持平{reason_clause(reason, '主要原因是')}。"
    if round2(prior) == 0:
        return f"{subject}{clause}{reason_clause(reason)}。"
    return f"与{prior_year}年相比，{subject}{clause}{reason_clause(reason)}。"


def versus_prior(now: Decimal, prior: Decimal | None, prior_year: int, lead: str = "较") -> str:
    """"较2023年增加…" / "与2023年持平" / "上年无此项支出，本年新增…" ("" without a prior figure).

    `lead` is "较" or "比" — the word the published sentence uses before the year.
    """
    clause = change(now, prior)
    if clause is None:
        return ""
    if clause == "持平":
        return f"与{prior_year}年持平"
    if round2(prior) == 0:
        return clause
    return f"{lead}{prior_year}年{clause}"


def share_items(items: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal, str]]:
    """(name, amount, "p%") of the non-zero items; the shares add up to exactly 100.00%.

    Zero items are left out ("不涉及的不列"). The sentence and its pie chart both take
    their percentages from this one result.
    """
    present = [(n, v) for n, v in items if v != 0]
    if not present:
        return []
    return [(n, v, fmt_percent(p)) for (n, v), p in zip(present, shares([v for _, v in present]))]


def share_list(items: list[tuple[str, Decimal, str]], joiner: str = "；", fmt: str = "{name}{amount}，占{share}") -> str:
    """"A X万元，占p%；B …" from `share_items`."""
    return joiner.join(fmt.format(name=n, amount=wan(v), share=s) for n, v, s in items)


def whole_or_shares(items: list[tuple[str, Decimal, str]]) -> str:
    """"其中：A …，占p%；B …" — or "全部为A" when one item is the whole (no one-slice pie)."""
    if len(items) == 1:
        return f"全部为{items[0][0]}"
    return "其中：" + share_list(items)


def share_of(part: Decimal, whole: Decimal) -> str | None:
    """One part of a whole in percent with the display rules of `shares` (None for a zero whole)."""
    if whole == 0:
        return None
    if part < 0 or part > whole:
        return fmt_percent(percent(part, whole))
    return fmt_percent(shares([part, whole - part])[0]) if part != whole else "100.00%"


def completion(actual: Decimal, budget: Decimal | None) -> str | None:
    """"完成预算X%" ; "未安排预算" for a zero budget; None when no budget was given."""
    if budget is None:
        return None
    actual, budget = round2(actual), round2(budget)  # the figures as written beside it
    if budget == 0:
        return "未安排预算" if actual == 0 else "年初未安排预算"
    return f"完成预算{fmt_percent(percent(actual, budget))}"


def versus_budget(actual: Decimal, budget: Decimal | None) -> str | None:
    """"决算数等于/大于/小于预算数" by the written (0.01万元) comparison."""
    if budget is None:
        return None
    if same_amount(actual, budget):
        return "决算数等于预算数"
    return "决算数大于预算数" if actual > budget else "决算数小于预算数"


def quoted_list(names: list[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def count_items(pairs: list[tuple[str, int]], unit: str, amounts: list[Decimal] | None = None) -> str:
    """"轿车1辆、越野车2辆" (non-zero counts only; with amounts: "轿车1辆、金额20.00万元")."""
    out = []
    for i, (name, n) in enumerate(pairs):
        if not n:
            continue
        text = f"{name}{n}{unit}"
        if amounts is not None:
            text += f"、金额{wan(amounts[i])}"
        out.append(text)
    return "，".join(out) if amounts is not None else "、".join(out)

