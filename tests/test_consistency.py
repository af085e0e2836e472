"""The published report never contradicts itself: every figure a sentence quotes equals the
same quantity in every other sentence and in the 附表 — read back from the rendered .docx.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx_figures import mismatches, read

from generator.findings import ERROR, WARNING
from generator.pipeline import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.xlsx"))
PRINTED = next(p for p in SAMPLES if "按打印报表录入" in p.name)


@pytest.fixture(scope="module")
def rendered(sample_reports):
    return {p.name: sample_reports[p.name].written.report for p in SAMPLES}


@pytest.mark.parametrize("sample", [p.name for p in SAMPLES])
def test_every_quoted_figure_equals_its_table_and_other_sections(rendered, sample):
    """Sentences and 附表 print one figure per quantity (the samples, the printed-table copy included)."""
    assert mismatches(rendered[sample]) == []


def test_printed_copy_quotes_the_typed_totals(rendered):
    """Typed from printed tables, parts miss their totals by a cent; the text quotes the typed 合计."""
    paras, tables = read(rendered[PRINTED.name])
    text = "".join(paras)
    basic = next(r for r in tables[6] if r[1] == "合计")[3]
    assert basic == "301.43" and "一般公共预算财政拨款基本支出301.43万元" in text
    personnel = next(r for r in tables[8] if "人员经费合计" in r)[2]
    assert personnel == "272.37" and "人员经费272.37万元" in text  # 256.45 + 15.92 as printed
    gpb_class = next(r for r in tables[6] if r[0] == "208")[2]
    assert gpb_class == "408.45" and "社会保障和就业支出408.45万元" in text


def _double_column(path: Path, number: int, header: str) -> Path:
    doc = docx.Document(str(path))
    tables = iter(doc.tables)
    body = [t for t in tables]
    _, by_number = read(path)
    target = body[len(body) - 13 + number - 1]  # the 13 附表 close the document
    col = next(j for j, c in enumerate(target.rows[0].cells) if c.text.strip() == header)
    for row in target.rows[1:]:
        cell = row.cells[col]
        try:
            value = float(cell.text)
        except ValueError:
            continue
        cell.paragraphs[0].runs[0].text = f"{value * 2:.2f}"
    out = path.with_name("doubled.docx")
    doc.save(str(out))
    assert by_number[number][0][col] == header
    return out


@pytest.mark.parametrize("number, header", [(6, "合计"), (2, "本年收入合计"), (3, "本年支出合计")])
def test_a_doubled_table_column_is_caught(rendered, tmp_path, number, header):
    """The consistency reader is not blind: doubling one 附表 column makes it report the quantity."""
    report = shutil.copy(rendered[PRINTED.name], tmp_path / "report.docx")
    assert mismatches(_double_column(Path(report), number, header))


@pytest.mark.parametrize("sample", [p.name for p in SAMPLES])
def test_samples_are_clean(sample):
    """Every sample workbook checks with 0 错误 and 0 警告."""
    acc, findings = load(ROOT / "sample_inputs" / sample)
    assert [f.line() for f in findings if f.severity in (ERROR, WARNING)] == []
