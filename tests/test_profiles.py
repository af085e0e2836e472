"""Report profiles: the nine-table Shanghai 2024 report section by section, the Sichuan 2020
outline, blank workbooks per profile, and Sichuan 2024 untouched."""

from __future__ import annotations

import zipfile
from decimal import Decimal as D
from pathlib import Path

import build_samples
import openpyxl
import pytest

from generator.accounts import resolve
from generator.batch import run_batch
from generator.layout import load_layout
from generator.words import narrate
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
        if block.heading == "目　录":
            continue
        if block.heading:
            last = block.heading
            out[last] = list(block.paras)
        else:
            out[last] += block.paras
    return out


def test_shanghai_outline_follows_the_template(shanghai_sections):
    """Parts 概况 / 部门决算表 / 情况说明 / 名词解释 with the unit's name, sections 一 to 十一 in the
    template's order; a 部门 of one unit says 机构设置 (S1)."""
    headings = list(shanghai_sections)
    assert headings[:3] == ["第一部分　上海市示范区统计局概况", "一、主要职能", "二、机构设置"]
    assert headings[3] == "第二部分　上海市示范区统计局2024年度部门决算表"
    assert headings[4] == "第三部分　上海市示范区统计局2024年度部门决算情况说明"
    sections = [h for h in headings if h[1] == "、" or h[2] == "、"][2:]
    assert [s.split("、")[0] for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert "八、政府性基金预算财政拨款收入支出决算情况说明" in headings
    assert "十一、其他重要事项的情况说明" in headings and headings[-1] == "第四部分　名词解释"
    assert "（三）国有资产占有使用情况说明" in headings


def test_shanghai_totals_income_expense_fiscal(shanghai_sections):
    """一 to 四 as the template writes them: the figure first, 主要原因：…, 财政拨款收入 as one item."""
    s = shanghai_sections
    assert s["一、收入支出决算总体情况说明"] == [
        "上海市示范区统计局2024年度收入支出总计1165.00万元。与2023年度相比，收入支出总计增加65.00万元，"
        "增长5.91%。主要原因：第五次全国经济普查的入户登记工作集中在本年开展。"]
    assert s["二、收入决算情况说明"] == [
        "本年收入合计1145.00万元，其中：财政拨款收入1140.00万元，占99.56%；其他收入5.00万元，占0.44%。"]
    assert s["三、支出决算情况说明"] == [
        "本年支出合计1140.00万元，其中：基本支出990.00万元，占86.84%；项目支出150.00万元，占13.16%。"]
    assert s["四、财政拨款收入支出决算总体情况说明"] == [
        "上海市示范区统计局2024年度财政拨款收入支出总计1140.00万元。与2023年度相比，财政拨款收入支出总计增加90.00万元，"
        "增长8.57%。主要原因：经济普查专项经费增加。"]


def test_shanghai_gpb_items_state_budget_use_and_reason(shanghai_sections):
    """五: the share, 主要用于以下方面, and each 项 with 主要用于, 年初预算, 决算 and the reason when they differ."""
    s = shanghai_sections
    assert s["（一）一般公共预算财政拨款支出决算总体情况"][0].startswith(
        "一般公共预算财政拨款支出1140.00万元，占本年支出合计的100.00%。与2023年度相比，")
    assert s["（二）一般公共预算财政拨款支出决算结构情况"][0].startswith(
        "一般公共预算财政拨款支出1140.00万元，主要用于以下方面：一般公共服务支出（类）970.00万元，占85.09%；")
    detail = s["（三）一般公共预算财政拨款支出决算具体情况"]
    assert detail[0] == ("一般公共预算财政拨款支出年初预算为1159.00万元，支出决算为1140.00万元，完成年初预算的98.36%。"
                         "决算数小于预算数的主要原因：严格控制一般性支出，普查服务采购合同价低于预算。其中：")
    assert detail[2] == ("2、一般公共服务支出（类）统计信息事务（款）专项统计业务（项）。主要用于：第五次全国经济普查和统计数据发布。"
                         "年初预算为160.00万元，支出决算为150.00万元。决算数小于预算数的主要原因：普查数据处理采用政府采购服务，合同价低于预算。")
    assert detail[3].endswith("年初预算为60.00万元，支出决算为60.00万元。决算数与预算数持平。")


def test_shanghai_gpb_uses_the_adjusted_budget_when_the_initial_is_zero(tmp_path):
    """A 部门 whose 年初预算 is 0 and whose 调整预算数 is filled: 全年预算 and its completion, with the reasons."""
    data = build_samples.shanghai()
    data["budget"] = [dict(r, initial=D("0"), adjusted=r["initial"]) for r in data["budget"]]
    report = narrate(resolve(read_workbook(write_workbook(tmp_path / "a.xlsx", data))))
    detail = report.sections["gpb_detail"]
    assert detail[0].startswith("一般公共预算财政拨款支出全年预算为1159.00万元，支出决算为1140.00万元，完成全年预算的98.36%。")
    assert "全年预算为830.00万元，支出决算为820.00万元。决算数小于预算数的主要原因：严格控制一般性支出" in detail[1]
    assert not any("未安排预算" in p for p in detail)


def test_shanghai_three_public_each_item(shanghai_sections):
    """七（一）: budget, 决算 and 完成预算 for the total and each item, and the change for each;
    七（二）: three items, 公务用车 with 购置 and 运行维护 under it."""
    s = shanghai_sections
    overall = s["（一）“三公”经费财政拨款支出决算总体情况说明"]
    assert overall[0] == (
        "“三公”经费财政拨款支出年初预算为4.50万元，支出决算为4.00万元，完成预算的88.89%，其中：因公出国（境）费决算为"
        "0.00万元，未安排预算；公务用车购置及运行维护费支出决算为3.20万元，完成预算的91.43%；公务接待费支出决算为0.80万元，"
        "完成预算的80.00%。2024年度“三公”经费支出决算数小于预算数的主要原因：公务用车运行维护和公务接待均有节约。")
    assert overall[1] == (
        "2024年度“三公”经费财政拨款支出决算数比2023年度减少0.70万元，下降14.89%。其中：因公出国（境）费支出决算持平；"
        "公务用车购置及运行维护费支出决算减少0.30万元，下降8.57%；公务接待费支出决算减少0.40万元，下降33.33%。"
        "公务接待费支出减少的主要原因是严格执行公务接待标准，接待批次减少。")
    detail = s["（二）“三公”经费财政拨款支出决算具体情况说明"]
    assert [p[:2] for p in detail if p[1] == "、"] == ["1、", "2、", "3、"]
    assert detail[2] == "2、公务用车购置及运行维护费支出3.20万元。其中："
    assert detail[4].endswith("所属各预算单位开支财政拨款的公务用车保有量为3辆。")


def test_shanghai_three_public_none_is_said_under_its_heading(tmp_path):
    data = build_samples.shanghai()
    data["t13"] = {k: {"budget": D("0"), "actual": D("0")} for k in ("abroad", "car_buy", "car_run", "reception")}
    data["sg"] = dict(data["sg"], domestic_batches=0, domestic_people=0)
    report = narrate(resolve(read_workbook(write_workbook(tmp_path / "n.xlsx", data))))
    assert report.sections["sg_detail"] == ["上海市示范区统计局2024年度无“三公”经费财政拨款支出。"]


def test_shanghai_performance_lists_every_grade_and_the_issues(shanghai_sections):
    assert shanghai_sections["十、预算绩效管理情况"] == [
        "上海市示范区统计局2024年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度：《示范区统计局预算绩效管理实施办法》，"
        "建立了“事前评估、事中监控、事后评价”全过程的预算绩效管理工作机制；全过程绩效管理实施情况：编报绩效目标的2024年度项目3个，"
        "涉及预算金额150.00万元；绩效跟踪评价的2024年度项目2个，涉及预算金额120.00万元；绩效自评的2024年度项目3个，"
        "涉及预算金额150.00万元，平均得分84.33分（其中，绩效评级为“优”的项目1个；绩效评级为“良”的项目1个；"
        "绩效评级为“合格”的项目1个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题3个，已经完成整改的2个，正在整改的1个）。",
        "上海市示范区统计局部门整体支出绩效自评得分93分。",
    ]


def test_shanghai_other_matters(shanghai_sections):
    """十一: 机关运行经费, 政府采购 with the three 中标或成交 amounts, every vehicle category."""
    s = shanghai_sections
    assert s["（一）机关运行经费支出情况"] == [
        "机关运行经费支出150.00万元，比2023年度增加10.00万元，增长7.14%。主要原因是普查期间办公场所租赁和印刷支出增加。"]
    proc = s["（二）政府采购支出情况"]
    assert proc[0] == ("上海市示范区统计局2024年度政府采购金额（以合同签订为准）为150.00万元，其中：货物采购金额60.00万元、"
                       "工程采购金额0.00万元、服务采购金额90.00万元。")
    assert "由中小企业供应商中标或成交的，采购金额100.00万元；在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，" \
           "采购金额60.00万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额20.00万元。" in proc[1]
    assert s["（三）国有资产占有使用情况说明"] == [
        "截至2024年12月31日，上海市示范区统计局共有车辆3辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车1辆、"
        "应急保障用车0辆、执法执勤用车2辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆。单价100万元（含）以上设备（不含车辆）0台（套）。"]
    glossary = s["第四部分　名词解释"]
    assert len(glossary) == 11 and glossary[-1].startswith("十一、机关运行经费：")


def test_shanghai_composition_is_a_table_when_the_department_has_several_units(tmp_path):
    data = build_samples.shanghai()
    data["unit"] = dict(data["unit"], composition="上海市示范区统计局（本级）\n上海市示范区统计数据中心")
    report = narrate(resolve(read_workbook(write_workbook(tmp_path / "c.xlsx", data))))
    headings = [b.heading for b in report.outline if b.heading]
    assert headings[0] == "目　录" and headings[3] == "二、部门决算单位构成"
    table = next(b for b in report.outline if b.mark == "table")
    assert table.rows == [["序号", "单位名称", "备注"], ["1", "上海市示范区统计局（本级）", ""],
                          ["2", "上海市示范区统计数据中心", ""]]


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
    assert xml.index("附表9　国有资本经营预算财政拨款收入支出决算表") < xml.rindex("收入支出决算总体情况说明")
    assert xml.index("目　录") < xml.index("第一部分")  # the 目录 on the title page
    assert "财政拨款支出决算明细表" not in xml


def test_sichuan_2020_outline_and_eight_tables(tmp_path):
    """The 2020 layout: 十 预算绩效情况说明 before 十一 其他重要事项, 8 附表."""
    path = write_workbook(tmp_path / "y.xlsx", build_samples.yanjiang_2020())
    acc, findings = load(path)
    assert not [f for f in findings if f.severity != "提示"]
    headings = [b.heading for b in narrate(acc).context["outline"] if b.heading]
    assert "十、预算绩效情况说明" in headings and "十一、其他重要事项的情况说明" in headings
    assert headings.index("十、预算绩效情况说明") < headings.index("十一、其他重要事项的情况说明")
    assert headings[-1].endswith("部分　附表")
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


def test_a_text_the_layout_does_not_print_is_not_required(tmp_path):
    """Shanghai prints 决算单位构成 instead of 机构设置 for a 部门 of several units: 机构设置 may stay blank;
    a Sichuan workbook still needs it."""
    data = build_samples.shanghai()
    data["unit"] = dict(data["unit"], composition="上海市示范区统计局（本级）\n上海市示范区统计数据中心", structure=None)
    _, findings = load(write_workbook(tmp_path / "sh.xlsx", data))
    assert not [f for f in findings if f.rule == "UNIT-REQUIRED"]
    sichuan = build_samples.welfare()
    sichuan["unit"] = dict(sichuan["unit"], structure=None)
    _, findings = load(write_workbook(tmp_path / "sc.xlsx", sichuan))
    assert [f.message for f in findings if f.rule == "UNIT-REQUIRED"] == ["请填写“机构设置”"]


@pytest.mark.parametrize("layout", ["sichuan-2024", "shanghai-2024", "sichuan-2020"])
def test_instructions_list_exactly_the_sheets_of_the_workbook(tmp_path, layout):
    """填表说明: rules numbered 1, 2, 3 … without gaps; one line per sheet of this workbook, no other."""
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "b.xlsx", profile_id=layout))
    lines = [c.value for c in wb["填表说明"]["A"] if c.value]
    numbers = [int(l.split(".")[0]) for l in lines if l[0].isdigit() and "." in l[:3]]
    assert numbers == list(range(1, len(numbers) + 1))
    listed = [l.strip() for l in lines[lines.index("各表说明：") + 1:]]
    sheets = [l.split("  ", 1)[1].split("（报告中印作")[0] if l.startswith("附表") else l.split("：", 1)[0] for l in listed]
    assert sorted(sheets) == sorted(n for n in wb.sheetnames if n != "填表说明")
    if layout != "sichuan-2024":
        assert not any("重新排列" in l for l in lines)  # no word about the tables this layout lacks


def test_a_missing_performance_names_the_section_as_the_report_numbers_it(tmp_path):
    """PERF-MISSING names the layout's own heading, numbered as printed (the Shanghai 目录 takes no number)."""
    data = build_samples.shanghai()
    data["performance"] = []
    _, findings = load(write_workbook(tmp_path / "sh.xlsx", data))
    message = next(f.message for f in findings if f.rule == "PERF-MISSING")
    assert "“第三部分　上海市示范区统计局2024年度部门决算情况说明 十、预算绩效管理情况”" in message
