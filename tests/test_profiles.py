"""Report profiles: the nine-table Shanghai 2024 report section by section, the Sichuan 2020
outline, blank workbooks per profile, and Sichuan 2024 untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import build_samples
import openpyxl
import pytest

from generator.accounts import resolve
from generator.batch import run_batch
from generator.layout import load_layout
from generator.narrative import narrate
from generator.pipeline import generate, load
from generator.profiles import profile
from generator.reader import read_workbook
from generator.workbook import write_workbook


@pytest.fixture(scope="module")
def shanghai_sections(tmp_path_factory):
    """Heading → paragraphs of the Shanghai sample's report (headings as printed)."""
    path = write_workbook(tmp_path_factory.mktemp("sh") / "sh.xlsx", build_samples.shanghai())
    report = narrate(resolve(read_workbook(path)))
    out, last = {}, None
    for block in report.context["outline"]:
        if block.heading:
            last = block.heading
            out[last] = list(block.paras)
        else:
            out[last] += block.paras
    return out


def test_shanghai_outline_follows_the_template(shanghai_sections):
    """Parts 概况 / 部门决算表 / 情况说明 / 名词解释 and sections 一 to 十一 in the template's order."""
    headings = list(shanghai_sections)
    assert headings[:3] == ["第一部分　概况", "一、主要职能", "二、部门决算单位构成"]
    assert headings[3] == "第二部分　部门决算表"
    assert headings[4] == "第三部分　2024年度部门决算情况说明"
    sections = [h for h in headings if h[1] == "、" or h[2] == "、"][2:]
    assert [s.split("、")[0] for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert "十、预算绩效管理情况" in headings and headings[-1] == "第四部分　名词解释"
    assert "（三）国有资产占用情况" in headings


def test_shanghai_totals_income_expense_fiscal(shanghai_sections):
    s = shanghai_sections
    assert s["一、收入支出决算总体情况说明"] == [
        "2024年度，上海市示范区统计局收入、支出总计均为1165.00万元。与2023年度相比，收入、支出总计增加65.00万元，"
        "增长5.91%。主要原因是第五次全国经济普查的入户登记工作集中在本年开展。"]
    assert s["二、收入决算情况说明"] == [
        "2024年度本年收入合计1145.00万元，其中：一般公共预算财政拨款收入1140.00万元，占99.56%；其他收入5.00万元，占0.44%。"]
    assert s["三、支出决算情况说明"] == [
        "2024年度本年支出合计1140.00万元，其中：基本支出990.00万元，占86.84%；项目支出150.00万元，占13.16%。"]
    assert s["四、财政拨款收入支出决算总体情况说明"][0].startswith("2024年度，上海市示范区统计局财政拨款收入、支出总计均为1140.00万元。")


def test_shanghai_gpb_items_state_initial_budget_and_completion(shanghai_sections):
    """五（三）: each 项 with its 年初预算, 决算 and 完成率; the reason only when they differ."""
    s = shanghai_sections
    assert s["（一）一般公共预算财政拨款支出决算总体情况"][0].startswith(
        "2024年度，区统计局一般公共预算财政拨款支出1140.00万元，占本年支出合计的100.00%。")
    detail = s["（三）一般公共预算财政拨款支出决算具体情况"]
    assert detail[0] == ("2024年度一般公共预算财政拨款支出年初预算为1159.00万元，支出决算为1140.00万元，"
                         "完成年初预算的98.36%。决算数小于年初预算数。各项级科目情况如下：")
    assert detail[2] == ("2.一般公共服务支出（类）统计信息事务（款）专项统计业务（项）：年初预算为160.00万元，支出决算为150.00万元，"
                         "完成年初预算的93.75%。决算数小于年初预算数。主要原因是普查数据处理采用政府采购服务，合同价低于预算。")
    assert detail[3].endswith("完成年初预算的100.00%。决算数与年初预算数持平。")
    assert "完成年初预算的102.27%。决算数大于年初预算数。主要原因是年中调入工作人员一名" in detail[6]


def test_shanghai_three_public_budget_and_completion(shanghai_sections):
    """七: the 三公 budget, its completion and the change; each item with budget and completion."""
    s = shanghai_sections
    assert s["（一）“三公”经费财政拨款支出决算总体情况"] == [
        "2024年度“三公”经费财政拨款年初预算为4.50万元，支出决算为4.00万元，完成年初预算的88.89%。决算数小于年初预算数。"
        "主要原因是公务用车运行维护和公务接待均有节约。与2023年度相比，“三公”经费财政拨款支出决算减少0.70万元，下降14.89%。"
        "主要原因是严格执行公务接待标准，接待批次减少。"]
    detail = s["（二）“三公”经费财政拨款支出决算具体情况"]
    assert detail[1].startswith("1.因公出国（境）费：年初未安排预算，支出决算为0.00万元。")
    assert detail[3].startswith("3.公务用车运行维护费：年初预算为3.50万元，支出决算为3.20万元，完成年初预算的91.43%。")
    assert detail[4].endswith("国内公务接待6批次、40人次，支出0.80万元。")


def test_shanghai_performance_counts_amounts_average_grades(shanghai_sections):
    assert shanghai_sections["十、预算绩效管理情况"] == [
        "2024年度，区统计局对3个项目编报了绩效目标，涉及金额150.00万元；对2个项目开展了绩效监控，涉及金额120.00万元。",
        "对3个项目开展了绩效自评，涉及金额150.00万元，平均得分84.33分；自评结果中“优”1个、“良”1个、“合格”1个。",
        "绩效自评发现问题3个，已整改2个，正在整改1个。",
        "上海市示范区统计局部门整体支出绩效自评得分93分。",
    ]


def test_shanghai_other_matters(shanghai_sections):
    """十一: 机关运行经费, 政府采购 (货物/工程/服务, 预留 and 中标成交), vehicles by category."""
    s = shanghai_sections
    assert s["（一）机关运行经费支出情况"][0].startswith("2024年度，区统计局机关运行经费支出150.00万元。与2023年度相比，")
    proc = s["（二）政府采购支出情况"][0]
    assert "政府采购货物支出60.00万元，政府采购工程支出0.00万元，政府采购服务支出90.00万元。" in proc
    assert "面向中小企业预留采购项目金额100.00万元，其中预留给小微企业60.00万元。" in proc
    assert "授予中小企业合同金额120.00万元，占政府采购支出总额的80.00%，其中授予小微企业合同金额80.00万元，占政府采购支出总额的53.33%。" in proc
    assert s["（三）国有资产占用情况"] == [
        "截至2024年12月31日，区统计局共有车辆3辆，其中：机要通信用车1辆、执法执勤用车2辆。单价100万元（含）以上设备0台（套）。"]
    glossary = s["第四部分　名词解释"]
    assert len(glossary) == 11 and glossary[-1].startswith("11.机关运行经费：")


def test_shanghai_blank_workbook_has_nine_tables(tmp_path):
    """init --profile writes the nine tables in published order and the profile's own sheets only."""
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "b.xlsx", profile_id="shanghai-2024"))
    tables = [n for n in wb.sheetnames if n.endswith("决算表") or n.endswith("决算总表")]
    assert tables == [load_layout().table(p.id).title for p in profile("shanghai-2024").tables]
    assert len(tables) == 9 and "财政拨款支出决算明细表" not in wb.sheetnames
    assert tables[6] == "财政拨款“三公”经费支出决算表" and "绩效管理汇总" in wb.sheetnames
    sichuan = openpyxl.load_workbook(write_workbook(tmp_path / "s.xlsx"))
    assert "财政拨款支出决算明细表" in sichuan.sheetnames and "绩效管理汇总" not in sichuan.sheetnames
    unit = {r[0].value: r[1].value for r in wb["单位信息"].iter_rows(min_row=4)}
    assert unit["报告格式"] == "上海2024（9张附表）"


def test_shanghai_docx_prints_nine_tables_before_the_text(tmp_path):
    path = write_workbook(tmp_path / "sh.xlsx", build_samples.shanghai())
    written = generate(path, tmp_path / "out").written
    assert written.report.name == "上海市示范区统计局2024年度部门决算.docx"
    xml = zipfile.ZipFile(written.report).read("word/document.xml").decode()
    titles = [f"附表{i}　" for i in range(1, 10)]
    assert all(t in xml for t in titles) and "附表10" not in xml
    assert xml.index("附表9　国有资本经营预算财政拨款收入支出决算表") < xml.index("收入支出决算总体情况说明")
    assert "财政拨款支出决算明细表" not in xml


def test_sichuan_2020_outline_and_eight_tables(tmp_path):
    """The 2020 layout: 十 预算绩效情况说明 before 十一 其他重要事项, 8 附表."""
    path = write_workbook(tmp_path / "y.xlsx", build_samples.yanjiang_2020())
    acc, findings = load(path)
    assert not [f for f in findings if f.severity != "提示"]
    headings = [b.heading for b in narrate(acc).context["outline"] if b.heading]
    assert "十、预算绩效情况说明" in headings and "十一、其他重要事项的情况说明" in headings
    assert headings.index("十、预算绩效情况说明") < headings.index("十一、其他重要事项的情况说明")
    assert headings[-1] == "第五部分　附表"
    written = generate(path, tmp_path / "out").written
    xml = zipfile.ZipFile(written.report).read("word/document.xml").decode()
    assert "附表8　政府性基金预算财政拨款收入支出决算表" in xml and "附表9" not in xml
    assert "附表7　一般公共预算财政拨款“三公”经费支出决算表" in xml


def test_mixed_profiles_in_one_batch(tmp_path):
    """A district folder with a Sichuan and a Shanghai workbook: each report in its own layout."""
    src = tmp_path / "in"
    src.mkdir()
    write_workbook(src / "sc.xlsx", build_samples.welfare())
    write_workbook(src / "sh.xlsx", build_samples.shanghai())
    result = run_batch([src], tmp_path / "out", jobs=1)
    assert result.ok
    docs = sorted(p.name for p in (tmp_path / "out").rglob("*.docx") if "自评" not in p.name)
    assert docs == ["上海市示范区统计局2024年度部门决算.docx", "示范区社会福利院2024年度单位决算说明.docx"]


def test_unknown_profile_is_a_clear_error(tmp_path):
    data = build_samples.shanghai()
    data["unit"]["profile"] = "北京2024"
    path = write_workbook(tmp_path / "x.xlsx", dict(data, unit=dict(data["unit"], profile=None)))
    wb = openpyxl.load_workbook(path)
    ws = wb["单位信息"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "报告格式")
    row[1].value = "北京2024"
    wb.save(path)
    from generator.errors import WorkbookError

    with pytest.raises(WorkbookError, match="报告格式"):
        read_workbook(Path(path))
