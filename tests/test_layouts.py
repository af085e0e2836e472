"""Layouts as data: a province added from files alone, number styles, and clear errors for a
broken layout folder. Nothing here touches a .py file of the program to add a layout."""

from __future__ import annotations


import build_samples
import docx
import pytest
from click.testing import CliRunner

from generator.accounts import resolve
from generator.cli import main
from generator.money import NumberStyle
from generator.pipeline import generate
from generator.profiles import LAYOUTS_ENV, LayoutError, profiles
from generator.reader import read_workbook
from generator.words import narrate
from generator.workbook import write_workbook

MINIMAL = """
id = "test-province-2024"
label = "测试省2024（6张附表）"
order = 9
template = "report_outline.docx"
doc_title = "{{ name }}{{ year }}年度{{ subject }}决算"
numbering = ["第{n}部分 ", "{n}、", "（{n}）"]
tables = [{ id = "t01" }, { id = "t03", title = "支出决算表（测试）" }, { id = "t04" }, { id = "t06" }, { id = "t08" }, { id = "t13" }]

[number_style]
decimals = 1
trim = true
shares = "each"

[charts.income]
kind = "pie"
caption = "收入结构"
items = "income.parts"

[[part]]
title = "{{ subject }}概况"
section = [{ title = "主要职能", text = "duties" }]

[[part]]
title = "{{ year }}年度{{ subject }}决算情况说明"
section = [
  { title = "收入支出决算总体情况说明", text = "totals", paragraph = "报表详见附件1。" },
  { title = "收入决算情况说明", text = "income", chart = "income" },
  { title = "一般公共预算财政拨款支出决算情况说明", text = "gpb" },
]

[[part]]
title = "附表"
special = "tables"
"""

SENTENCES = '''
duties = """
{% for line in unit.duties %}
{{ line }}
{% endfor %}
"""
totals = """
{{ year }}年度收入、支出总计{{ totals.total.now|wan }}。{% if totals.total.kind == "down" %}比上年减少{{ totals.total.diff|wan }}，下降{{ totals.total.pct|pct }}，主要原因是厉行节约。{% endif %}
"""
income = """
本年收入合计{{ income.total|wan }}，其中财政拨款收入{{ income.fiscal.amount|wan }}，占{{ income.fiscal.share|pct }}{% if income.fiscal_parts|length > 1 %}（其中：{% for p in income.fiscal_parts %}{{ p.name }}{{ p.amount|wan }}{{ "，" if not loop.last else "" }}{% endfor %}）{% endif %}。
"""
gpb = """
一般公共预算财政拨款支出{{ gpb.expense.now|wan }}，占本年支出合计的{{ gpb.share|pct }}。
"""
'''


@pytest.fixture()
def province(tmp_path, monkeypatch):
    """A layout folder outside the program, found through the environment (as --格式文件夹 sets it)."""
    folder = tmp_path / "layouts" / "test-province-2024"
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(MINIMAL, "utf-8")
    (folder / "sentences.toml").write_text(SENTENCES, "utf-8")
    monkeypatch.setenv(LAYOUTS_ENV, str(tmp_path / "layouts"))
    return folder


def test_a_layout_from_a_temporary_folder_generates_a_report(province, tmp_path):
    """Files only: the new layout is offered, its workbook has its tables, its report its words."""
    assert "test-province-2024" in [p.id for p in profiles()]
    data = build_samples.anju()
    data["unit"] = dict(data["unit"], profile="测试省2024（6张附表）")
    path = write_workbook(tmp_path / "unit.xlsx", data)
    outcome = generate(path, tmp_path / "out", selfeval=False, force=True)
    doc = docx.Document(str(outcome.written.report))
    text = [p.text for p in doc.paragraphs]
    assert outcome.written.report.name == "遂宁市安居区社会保险事业管理局2024年度单位决算.docx"
    assert "第二部分 2024年度单位决算情况说明" in text
    assert "报表详见附件1。" in text
    # 1313.50 against 1727.58: 下降23.97% printed with one decimal, and the pattern's own 。 is not doubled
    assert "2024年度收入、支出总计1313.50万元。比上年减少414.08万元，下降24%，主要原因是厉行节约。" in text
    assert any(t.startswith("一般公共预算财政拨款支出1313.50万元，占本年支出合计的100%。") for t in text)
    titles = [p.text for p in doc.paragraphs if p.text.startswith("附表")]
    assert [t.split("支出决算表（测试）")[0] for t in titles if "测试" in t] == ["附表2　"]
    assert len(titles) == 6


def test_number_style_is_layout_data():
    """Two decimals or trimmed; each share rounded alone (as published) or the list closed to 100%."""
    from decimal import Decimal as D

    from generator.money import share_list_values

    trimmed = NumberStyle(decimals=1, trim=True)
    assert (trimmed.percent(D("7.30")), trimmed.percent(D("100")), NumberStyle().percent(D("7.3"))) == \
        ("7.3%", "100%", "7.30%")
    thirds = [D(1), D(1), D(1)]
    assert share_list_values(thirds, NumberStyle(shares="each")) == [D("33.33")] * 3  # the reader's calculator
    assert share_list_values(thirds, NumberStyle(shares="largest_remainder")) == [D("33.34"), D("33.33"), D("33.33")]
    assert share_list_values([D("0.001"), D(1000)], NumberStyle(shares="each"))[0] == D("0.01")  # never 0%


def test_the_cli_finds_a_bureau_layout_folder(province, tmp_path, monkeypatch):
    """`generate --格式文件夹 DIR init --list` lists it; a `报告格式` folder beside the workbook is used too."""
    monkeypatch.delenv(LAYOUTS_ENV)
    result = CliRunner().invoke(main, ["--格式文件夹", str(province.parent), "init", "--list"])
    assert "test-province-2024\t测试省2024（6张附表）" in result.output
    monkeypatch.delenv(LAYOUTS_ENV)
    beside = tmp_path / "work"
    (beside / "报告格式").mkdir(parents=True)
    (beside / "报告格式" / "p").symlink_to(province, target_is_directory=True)
    result = CliRunner().invoke(main, ["init", str(beside / "空白.xlsx"), "--profile", "test-province-2024"])
    assert result.exit_code == 0, result.output
    assert (beside / "空白.xlsx").is_file()


@pytest.mark.parametrize("broken, says", [
    ('id = "x"\nlabel = "X"\ntables = [{ id = "t01" }]\n[[part]]\ntitle = "一"\ntext = "nothing"\n',
     "句子 nothing 在 sentences.toml 中没有定义"),
    ('id = "x"\nlabel = "X"\nextends = "no-such"\n', "extends = “no-such”，没有这个报告格式"),
    ('id = "x"\nlabel = "X\n', "无法读取"),
])
def test_a_broken_layout_is_one_chinese_sentence_naming_the_file(tmp_path, monkeypatch, broken, says):
    folder = tmp_path / "bad" / "x"
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(broken, "utf-8")
    monkeypatch.setenv(LAYOUTS_ENV, str(tmp_path / "bad"))
    with pytest.raises(LayoutError) as info:
        profiles()
    assert says in str(info.value) and "profile.toml" in str(info.value)


def test_a_sentence_with_an_unknown_figure_names_the_sentence(province, tmp_path):
    (province / "sentences.toml").write_text(SENTENCES.replace("totals.total.now", "totals.nothing.now"), "utf-8")
    data = build_samples.anju()
    data["unit"] = dict(data["unit"], profile="测试省2024（6张附表）")
    acc = resolve(read_workbook(write_workbook(tmp_path / "u.xlsx", data)))
    with pytest.raises(LayoutError, match="句子 totals 用了没有的数字"):
        narrate(acc)
