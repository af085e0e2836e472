"""Reading the workbook file (sheets.py): what calamine leaves out comes from the sheet's XML."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator.pipeline import load
from generator.xlsxparts import column_letter, sheet_parts, split_ref


def _write_members(path: Path, members: dict[str, bytes]) -> None:
    """The workbook at `path` rewritten with these zip members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())


def _set_cells(path: Path, title: str, cells: dict[str, str]) -> None:
    """Replace cells of one sheet with raw XML (what Excel writes and our writer never does)."""
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
        part = next(p.path for p in sheet_parts(z) if p.title == title)
    xml = members[part].decode()
    for ref, cell in cells.items():
        xml, n = re.subn(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', cell, xml, count=1)
        assert n == 1, ref
    members[part] = xml.encode()
    _write_members(path, members)


def test_filled_down_formula_without_results_is_read_in_each_cell(make_workbook, minimal_data):
    """A shared formula (filled down in Excel) saved without results: a 提示 at each cell, quoting
    the formula as it reads in that cell, and the totals derived."""
    path = make_workbook(minimal_data)
    _set_cells(path, "支出决算表", {
        "C6": '<c r="C6"><f t="shared" ref="C6:C7" si="0">D6+E6</f></c>',
        "C7": '<c r="C7"><f t="shared" si="0"/></c>'})
    acc, findings = load(path)
    said = {f.ref: f.message for f in findings if f.rule == "READ-FORMULA"}
    assert said == {"支出决算表!C6": "公式“=D6+E6”没有计算结果，按空白处理，由程序计算",
                    "支出决算表!C7": "公式“=D7+E7”没有计算结果，按空白处理，由程序计算"}
    assert acc.tables["t03"].total["total"] == 100


def test_formula_with_an_error_result_is_an_error_at_its_cell(make_workbook, minimal_data):
    """#DIV/0! cached by Excel is not a blank (calamine reads error values as empty cells)."""
    path = make_workbook(minimal_data)
    _set_cells(path, "支出决算表", {"D6": '<c r="D6" t="e"><f>80/0</f><v>#DIV/0!</v></c>'})
    _, findings = load(path)
    errors = [(f.rule, f.ref, f.message) for f in findings if f.severity == "错误"]
    assert ("READ-AMOUNT", "支出决算表!D6", "是 Excel 错误值 #DIV/0!，请改正公式或直接填写数字") in errors


def test_formula_with_a_result_reads_the_result(make_workbook, minimal_data):
    """A formula Excel calculated counts with its result, and nothing is said about it."""
    path = make_workbook(minimal_data)
    _set_cells(path, "支出决算表", {"D6": '<c r="D6"><f>40*2</f><v>80</v></c>'})
    acc, findings = load(path)
    assert not findings
    assert acc.tables["t03"].line("2010101").values["basic"] == 80


def test_cell_references():
    assert [column_letter(n) for n in (1, 26, 27, 256)] == ["A", "Z", "AA", "IV"]
    assert split_ref("AB12") == (12, 28)


def _row_without_references(path: Path, title: str, row: int, cells: dict[str, str], pad: int = 0) -> None:
    """Row `row` of the sheet written as some tools write it: no `r` on the row or its cells (each
    cell stands right of the one before it); `cells` replace cells by column letter; `pad` bytes of
    whitespace make the part large."""
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
        part = next(p.path for p in sheet_parts(z) if p.title == title)
    xml = members[part].decode()
    old = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', xml)
    new = []
    for cell in re.findall(r"<c .*?(?:/>|</c>)", old.group(1)):
        letter = re.match(r'<c r="([A-Z]+)\d+"', cell).group(1)
        new.append(cells.get(letter) or re.sub(r' r="[A-Z]+\d+"', "", cell, count=1))
    xml = xml.replace(old.group(0), "<row>" + "".join(new) + "</row>")
    if pad:
        xml = xml.replace("<sheetData>", " " * pad + "<sheetData>", 1)
    members[part] = xml.encode()
    _write_members(path, members)


@pytest.mark.parametrize("pad", [0, 3 * 1024 * 1024], ids=["small-part", "part-read-as-a-stream"])
def test_cells_without_references_are_located_where_they_stand(make_workbook, minimal_data, pad):
    """An error value and a result-less formula in cells written without `r` (in a row without `r`):
    each said at its own cell, whether the part is read whole or as a stream."""
    path = make_workbook(minimal_data)
    _row_without_references(path, "支出决算表", 6, {"C": '<c s="11"><f>D6+E6</f></c>',
                                                    "D": '<c s="10" t="e"><f>80/0</f><v>#DIV/0!</v></c>'}, pad)
    _, findings = load(path)
    said = {(f.rule, f.ref): f.message for f in findings}
    assert said[("READ-AMOUNT", "支出决算表!D6")] == "是 Excel 错误值 #DIV/0!，请改正公式或直接填写数字"
    assert said[("READ-FORMULA", "支出决算表!C6")] == "公式“=D6+E6”没有计算结果，按空白处理，由程序计算"
    assert all(re.fullmatch(r"支出决算表![A-Z]+6", ref) for _, ref in said if ref.startswith("支出决算表!"))


def test_filled_down_formulas_in_a_large_part(make_workbook, minimal_data):
    """Filled-down formulas without results in a part read as a stream: each cell's own formula."""
    path = make_workbook(minimal_data)
    _set_cells(path, "支出决算表", {
        "C6": '<c r="C6"><f t="shared" ref="C6:C7" si="0">D6+E6</f></c>',
        "C7": '<c r="C7"><f t="shared" si="0"/></c>'})
    _row_without_references(path, "支出决算表", 8, {}, pad=3 * 1024 * 1024)
    _, findings = load(path)
    said = {f.ref: f.message for f in findings if f.rule == "READ-FORMULA"}
    assert said == {"支出决算表!C6": "公式“=D6+E6”没有计算结果，按空白处理，由程序计算",
                    "支出决算表!C7": "公式“=D7+E7”没有计算结果，按空白处理，由程序计算"}
