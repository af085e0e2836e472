"""Tests of the cell parsers of generator.reader: amounts, counts and text as the clerk typed them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.reader import CellProblem, clean_text, parse_amount, parse_count

D = Decimal


# ---------------------------------------------------------------- parse_amount: blanks

def test_amount_empty_cell_is_none():
    """An empty cell reads as no value, with no note."""
    assert parse_amount(None) == (None, None)


def test_amount_empty_string_is_none():
    """A cell holding "" reads as no value."""
    assert parse_amount("") == (None, None)


def test_amount_spaces_only_is_none():
    """A cell holding only spaces reads as no value, not an error."""
    assert parse_amount("   ") == (None, None)


# ---------------------------------------------------------------- parse_amount: numbers

def test_amount_int():
    """An integer cell reads exactly, with no note."""
    assert parse_amount(1313) == (D("1313"), None)


def test_amount_float_reads_as_written():
    """A float cell 1555.91 reads as Decimal 1555.91, not its binary expansion."""
    assert parse_amount(1555.91) == (D("1555.91"), None)


def test_amount_float_tenth():
    """0.1 reads as exactly 0.1."""
    assert parse_amount(0.1) == (D("0.1"), None)


def test_amount_zero():
    """0 reads as 0 (a filled zero, not a blank)."""
    assert parse_amount(0) == (D("0"), None)


def test_amount_negative_number():
    """A negative amount (e.g. a 结余 adjustment) is read, not rejected."""
    assert parse_amount(-5.5) == (D("-5.5"), None)


# ---------------------------------------------------------------- parse_amount: text that is a number

def test_amount_numeric_text_reads_with_note():
    """Text "1555.91" reads as 1555.91 and tells the clerk it was read from text."""
    assert parse_amount("1555.91") == (D("1555.91"), "文字“1555.91”按数字 1555.91 读取")


def test_amount_thousands_separator():
    """"1,234.50" reads as 1234.50."""
    assert parse_amount("1,234.50") == (D("1234.50"), "文字“1,234.50”按数字 1234.50 读取")


def test_amount_thousands_separator_millions():
    """"1,234,567.89" reads as 1234567.89."""
    assert parse_amount("1,234,567.89")[0] == D("1234567.89")


def test_amount_full_width_digits():
    """Full-width "１２３" reads as 123."""
    assert parse_amount("１２３") == (D("123"), "文字“１２３”按数字 123 读取")


def test_amount_full_width_with_comma_and_point():
    """Full-width "１，２３４．５０" reads as 1234.50."""
    assert parse_amount("１，２３４．５０")[0] == D("1234.50")


def test_amount_trailing_spaces():
    """"12.30  " reads as 12.30."""
    assert parse_amount("12.30  ")[0] == D("12.30")


def test_amount_leading_and_trailing_spaces():
    """" 7 " reads as 7."""
    assert parse_amount(" 7 ")[0] == D("7")


def test_amount_trailing_full_width_space():
    """A trailing full-width space (U+3000) is ignored."""
    assert parse_amount("88.5\u3000")[0] == D("88.5")


def test_amount_trailing_no_break_space():
    """A trailing no-break space (U+00A0, common in pasted data) is ignored."""
    assert parse_amount("88.5\u00a0")[0] == D("88.5")


def test_amount_negative_text():
    """Text "-5" reads as -5."""
    assert parse_amount("-5")[0] == D("-5")


# ---------------------------------------------------------------- parse_amount: rejected

@pytest.mark.parametrize("raw", ["12万", "12万元", "—", "-", "abc", "12.5%", "1,23", "1.2.3", "（12）"])
def test_amount_rejects_non_numbers(raw):
    """Units, dashes, words and malformed numbers are errors, never silently 0."""
    with pytest.raises(CellProblem):
        parse_amount(raw)


def test_amount_rejects_unit_with_message_for_clerk():
    """"12万" is rejected with a message quoting the cell and asking for digits only."""
    with pytest.raises(CellProblem) as exc:
        parse_amount("12万")
    assert str(exc.value) == "应填金额（数字），实为“12万”；请只填数字，不带单位、汉字或符号"


def test_amount_rejects_excel_error_value():
    """#REF! is reported as an Excel error value to correct."""
    with pytest.raises(CellProblem) as exc:
        parse_amount("#REF!")
    assert str(exc.value) == "是 Excel 错误值 #REF!，请改正公式或直接填写数字"


@pytest.mark.parametrize("raw", ["#DIV/0!", "#VALUE!", "#N/A", "#div/0!"])
def test_amount_rejects_other_excel_errors(raw):
    """Every Excel error value (any case) is rejected."""
    with pytest.raises(CellProblem, match="Excel 错误值"):
        parse_amount(raw)


@pytest.mark.parametrize("raw", [True, False])
def test_amount_rejects_booleans(raw):
    """TRUE/FALSE cells are not amounts (not read as 1/0)."""
    with pytest.raises(CellProblem):
        parse_amount(raw)


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf")])
def test_amount_rejects_non_finite_floats(raw):
    """NaN and infinities are rejected."""
    with pytest.raises(CellProblem):
        parse_amount(raw)


@pytest.mark.parametrize("raw", ["NaN", "nan", "Infinity", "inf", "sNaN"])
def test_amount_rejects_non_finite_text(raw):
    """Text "NaN"/"Infinity" is rejected."""
    with pytest.raises(CellProblem):
        parse_amount(raw)


def test_cell_problem_is_value_error():
    """CellProblem is a ValueError, so callers can catch either."""
    assert issubclass(CellProblem, ValueError)


# ---------------------------------------------------------------- parse_count

def test_count_empty_cell_is_none():
    """An empty count cell reads as no value."""
    assert parse_count(None) == (None, None)


def test_count_empty_string_is_none():
    """A count cell holding "" reads as no value."""
    assert parse_count("") == (None, None)


def test_count_int():
    """退休人员 11 reads as the int 11."""
    assert parse_count(11) == (11, None)


def test_count_returns_int_type():
    """A count is a Python int (written without decimals)."""
    value, _ = parse_count(5.0)
    assert type(value) is int


def test_count_whole_float():
    """5.0 (how Excel may store 5) reads as 5."""
    assert parse_count(5.0) == (5, None)


def test_count_zero():
    """0 批次 is a valid count."""
    assert parse_count(0) == (0, None)


def test_count_text_with_note():
    """Text "48" reads as 48 with a note."""
    assert parse_count("48") == (48, "文字“48”按数字 48 读取")


def test_count_full_width_digits():
    """Full-width "１２３" reads as 123."""
    assert parse_count("１２３")[0] == 123


def test_count_trailing_spaces():
    """"5 " reads as 5."""
    assert parse_count("5  ")[0] == 5


def test_count_text_whole_decimal():
    """Text "2.0" reads as 2."""
    assert parse_count("2.0")[0] == 2


@pytest.mark.parametrize("raw", [3.5, "3.5", 0.1])
def test_count_rejects_fractions(raw):
    """Half a person is an error: counts must be whole numbers."""
    with pytest.raises(CellProblem, match="整数"):
        parse_count(raw)


@pytest.mark.parametrize("raw", [-1, "-1", -2.0])
def test_count_rejects_negative(raw):
    """A negative count is an error."""
    with pytest.raises(CellProblem, match="不小于 0"):
        parse_count(raw)


@pytest.mark.parametrize("raw", ["12人", "5辆", "—", "#REF!", True, float("nan")])
def test_count_rejects_non_numbers(raw):
    """Units, dashes, Excel errors, booleans and NaN are not counts."""
    with pytest.raises(CellProblem):
        parse_count(raw)


def test_count_fraction_message_quotes_cell():
    """The message for 3.5 asks for a whole number and quotes what was found."""
    with pytest.raises(CellProblem) as exc:
        parse_count("3.5")
    assert str(exc.value) == "应填不小于 0 的整数，实为“3.5”"


# ---------------------------------------------------------------- clean_text

def test_clean_text_plain_text_unchanged():
    """Ordinary Chinese text passes through, flagged as unchanged."""
    assert clean_text("四川省遂宁市安居区社会保险事业管理局") == ("四川省遂宁市安居区社会保险事业管理局", False)


def test_clean_text_removes_nul_and_bell():
    """NUL and BEL characters (pasted from other systems) are removed and flagged."""
    assert clean_text("社保\x00局\x07") == ("社保局", True)


def test_clean_text_removes_vertical_tab_and_form_feed():
    """Vertical tab and form feed (not allowed in XML) are removed."""
    assert clean_text("甲\x0b乙\x0c丙") == ("甲乙丙", True)


def test_clean_text_removes_low_controls():
    """Every C0 control XML forbids (\\x01–\\x08, \\x0e–\\x1f) is removed."""
    forbidden = "".join(chr(c) for c in [*range(0x01, 0x09), *range(0x0E, 0x20)])
    assert clean_text(f"a{forbidden}b") == ("ab", True)


def test_clean_text_removes_non_characters():
    """U+FFFE and U+FFFF (not allowed in XML) are removed."""
    assert clean_text("a\ufffeb\uffff") == ("ab", True)


def test_clean_text_keeps_tab_and_newlines():
    """Tab, line feed and carriage return are allowed in XML and kept."""
    assert clean_text("a\tb\nc\rd") == ("a\tb\nc\rd", False)


def test_clean_text_strips_surrounding_spaces_without_flag():
    """Leading/trailing spaces are stripped but are not reported as control characters."""
    assert clean_text("  安居区社保局 ") == ("安居区社保局", False)


def test_clean_text_only_controls_gives_empty():
    """A cell of only control characters becomes empty text."""
    assert clean_text("\x00\x01") == ("", True)


def test_clean_text_number_becomes_text():
    """A number in a text field is read as its text."""
    assert clean_text(12) == ("12", False)



def test_clean_text_removes_excel_escaped_control_characters():
    """Excel writes a pasted control character as _x0007_; it never reaches the report."""
    assert clean_text("社保_x0007_局") == ("社保局", True)


def test_absurd_amount_is_refused_not_a_crash():
    """1.04e35 in an amount cell is "过大", not a Decimal overflow later (found by hypothesis)."""
    with pytest.raises(CellProblem, match="过大"):
        parse_amount(1.04e35)
