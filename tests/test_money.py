"""Tests of generator.money: rounding, how amounts and percentages are written, shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.money import fmt_amount, fmt_count, fmt_percent, percent, round2, same_amount, shares

D = Decimal


# ---------------------------------------------------------------- round2

def test_round2_half_up_at_half_a_cent():
    """0.005万元 is written 0.01, not 0.00 (half-up, not banker's rounding)."""
    assert round2(D("0.005")) == D("0.01")


def test_round2_half_up_where_float_would_round_down():
    """2.675 becomes 2.68 (Decimal arithmetic; float 2.675 would give 2.67)."""
    assert round2(D("2.675")) == D("2.68")


def test_round2_half_up_even_digit_before_half():
    """0.125 becomes 0.13, not 0.12 (no round-half-even)."""
    assert round2(D("0.125")) == D("0.13")


def test_round2_keeps_exactly_two_decimals():
    """A whole number comes back with two decimal places."""
    assert str(round2(D("7"))) == "7.00"


def test_round2_rounds_below_half_down():
    """0.004 is written 0.00."""
    assert round2(D("0.004")) == D("0.00")


# ---------------------------------------------------------------- fmt_amount

def test_fmt_amount_rounds_to_two_decimals():
    """1555.905万元 reads "1555.91"."""
    assert fmt_amount(D("1555.905")) == "1555.91"


def test_fmt_amount_reference_total():
    """The 2024 report's total 1313.50 keeps its trailing zero."""
    assert fmt_amount(D("1313.5")) == "1313.50"


def test_fmt_amount_has_no_thousands_separator():
    """Large amounts are written without commas."""
    assert fmt_amount(D("1234567.891")) == "1234567.89"


def test_fmt_amount_zero():
    """Zero is written "0.00", never "0"."""
    assert fmt_amount(D("0")) == "0.00"


def test_fmt_amount_small_amount():
    """其他收入 0.05万元 is written "0.05"."""
    assert fmt_amount(D("0.05")) == "0.05"


def test_fmt_amount_exponent_form_is_written_plainly():
    """A Decimal in exponent form (1E+3) is written "1000.00", not "1E+3"."""
    assert fmt_amount(D("1E+3")) == "1000.00"


def test_fmt_amount_negative_amount():
    """A negative amount keeps its sign and two decimals."""
    assert fmt_amount(D("-12.345")) == "-12.35"


def test_fmt_amount_tiny_negative_is_plain_zero():
    """-0.004万元 reads "0.00", not "-0.00"."""
    assert fmt_amount(D("-0.004")) == "0.00"


def test_fmt_amount_negative_zero_is_plain_zero():
    """A negative zero reads "0.00"."""
    assert fmt_amount(D("-0")) == "0.00"


# ---------------------------------------------------------------- fmt_count

def test_fmt_count_is_whole_number():
    """Counts (人, 辆) are written without decimals."""
    assert fmt_count(11) == "11"


# ---------------------------------------------------------------- fmt_percent

def test_fmt_percent_rounds_half_up():
    """88.015 percent points read "88.02%"."""
    assert fmt_percent(D("88.015")) == "88.02%"


def test_fmt_percent_keeps_two_decimals_for_whole_numbers():
    """100 reads "100.00%", not "100%" as the hand-written reports did."""
    assert fmt_percent(D("100")) == "100.00%"


def test_fmt_percent_zero():
    """0 reads "0.00%"."""
    assert fmt_percent(D("0")) == "0.00%"


def test_fmt_percent_tiny_negative_is_plain_zero():
    """-0.001 percent points read "0.00%", not "-0.00%"."""
    assert fmt_percent(D("-0.001")) == "0.00%"


# ---------------------------------------------------------------- percent

def test_percent_is_none_for_zero_whole():
    """A ratio against 0 is not applicable (None), never 0%."""
    assert percent(D("5"), D("0")) is None


def test_percent_none_for_zero_over_zero():
    """0/0 is not applicable either (the "完成预算0%" defect of the references)."""
    assert percent(D("0"), D("0")) is None


def test_percent_is_unrounded():
    """percent() keeps full precision; rounding happens only when written."""
    assert percent(D("1"), D("3")) == D(1) * 100 / D(3)


def test_percent_reference_decrease():
    """414.08 of 1727.58 is written 23.97% (2024 report)."""
    assert fmt_percent(percent(D("414.08"), D("1727.58"))) == "23.97%"


def test_percent_of_whole_is_hundred():
    """A part equal to the whole is 100 percent points."""
    assert percent(D("1313.50"), D("1313.50")) == D("100")


# ---------------------------------------------------------------- same_amount

def test_same_amount_equal_after_rounding():
    """1.004 and 0.995 both read 1.00万元, so they are the same amount."""
    assert same_amount(D("1.004"), D("0.995")) is True


def test_same_amount_differs_by_a_written_cent():
    """1.005 (1.01) and 1.004 (1.00) read differently."""
    assert same_amount(D("1.005"), D("1.004")) is False


def test_same_amount_identical_figures():
    """Identical figures are the same amount."""
    assert same_amount(D("1313.50"), D("1313.5")) is True


# ---------------------------------------------------------------- shares: reference figures

def test_shares_basic_and_project_expense_2024():
    """基本支出 1296.95 / 项目支出 16.55 read 98.74% / 1.26% (2024 report)."""
    assert shares([D("1296.95"), D("16.55")]) == [D("98.74"), D("1.26")]


def test_shares_three_classes_2024():
    """1256.46 / 20.47 / 36.57 read 95.66% / 1.56% / 2.78% (2024 report)."""
    assert shares([D("1256.46"), D("20.47"), D("36.57")]) == [D("95.66"), D("1.56"), D("2.78")]


def test_shares_tiny_part_shows_one_hundredth():
    """其他收入 0.05 of 1555.91 shows 0.01%, and 1555.86 shows 99.99%."""
    assert shares([D("1555.86"), D("0.05")]) == [D("99.99"), D("0.01")]


def test_shares_tiny_part_first_in_list():
    """The 0.01% rule holds when the tiny part comes first in the list."""
    assert shares([D("0.05"), D("1555.86")]) == [D("0.01"), D("99.99")]


def test_shares_very_tiny_part_takes_from_largest():
    """0.01 of a million shows 0.01% and the million shows 99.99%."""
    assert shares([D("1000000"), D("0.01")]) == [D("99.99"), D("0.01")]


def test_shares_several_tiny_parts_take_from_largest():
    """Two tiny parts each show 0.01%; the largest gives up the difference."""
    assert shares([D("0.01"), D("0.01"), D("1000000")]) == [D("0.01"), D("0.01"), D("99.98")]


def test_shares_three_equal_parts_add_to_hundred():
    """Three equal parts read 33.34 / 33.33 / 33.33 and add up to exactly 100.00."""
    result = shares([D("1"), D("1"), D("1")])
    assert result == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(result) == D("100.00")


def test_shares_single_part_is_hundred():
    """A list with one item shows 100.00%."""
    assert shares([D("437.66")]) == [D("100.00")]


def test_shares_zero_parts_get_zero():
    """Zero classes get 0.00; 408.45 / 10.21 / 19.00 read 93.33 / 2.33 / 4.34 (2020 report)."""
    assert (shares([D("0"), D("408.45"), D("0"), D("10.21"), D("19.00")])
            == [D("0.00"), D("93.33"), D("0.00"), D("2.33"), D("4.34")])


def test_shares_all_but_one_zero():
    """A single non-zero item among zeros shows 100.00%."""
    assert shares([D("0"), D("0.37"), D("0")]) == [D("0.00"), D("100.00"), D("0.00")]


def test_shares_returns_decimals_with_two_places():
    """Each share is an exact Decimal in hundredths."""
    result = shares([D("2"), D("1")])
    assert all(isinstance(s, Decimal) and s == round2(s) for s in result)


# ---------------------------------------------------------------- shares: invalid input

def test_shares_zero_total_raises():
    """All-zero parts have no shares: ValueError."""
    with pytest.raises(ValueError):
        shares([D("0"), D("0")])


def test_shares_empty_list_raises():
    """No parts at all: ValueError."""
    with pytest.raises(ValueError):
        shares([])


def test_shares_negative_part_raises():
    """A negative part cannot have a share: ValueError."""
    with pytest.raises(ValueError):
        shares([D("10"), D("-1")])


# ---------------------------------------------------------------- shares: properties

AMOUNT_CENTS = st.one_of(
    st.just(0),
    st.integers(min_value=1, max_value=100),          # a few 0.01万元
    st.integers(min_value=0, max_value=10**11),        # up to 10亿万元
)
PARTS = (st.lists(AMOUNT_CENTS, min_size=1, max_size=40)
         .filter(lambda cents: sum(cents) > 0)
         .map(lambda cents: [D(c).scaleb(-2) for c in cents]))


@settings(max_examples=500, database=None, deadline=None)
@given(PARTS)
def test_shares_property_display_rules(parts):
    """Any list: shares add to exactly 100.00, non-zero parts show > 0.00, parts below the total never show 100.00."""
    total = sum(parts, D(0))
    result = shares(parts)
    assert len(result) == len(parts)
    assert sum(result, D(0)) == D("100.00")
    for part, share in zip(parts, result):
        assert share == round2(share)
        if part > 0:
            assert share > D("0.00")
        else:
            assert share == D("0.00")
        if part < total:
            assert share < D("100.00")
