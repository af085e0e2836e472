"""绩效自评报告 (整体支出, 专项): score rules, checks, and the .docx a clerk receives."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from docx import Document

from generator.check import RULES
from generator.errors import CheckFailed
from generator.pipeline import generate, load
from generator.selfeval import Figure, Figures, apply, templates

from conftest import SAMPLES

WELFARE = SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx"
ANJU = SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx"


def spec(scope: str, level3: str):
    t = templates()[(scope, {"整体": "湖南2021", "专项": "湖南2020"}[scope])]
    return next(s for s in t.indicators if s.level3 == level3)


def doc_text(path) -> tuple[list[str], list[list[str]]]:
    """Paragraph texts and table rows (cell texts, merged cells once per row) of a .docx."""
    doc = Document(path)
    paras = [p.text for p in doc.paragraphs]
    rows = []
    for table in doc.tables:
        for row in table.rows:
            cells, seen = [], set()
            for c in row.cells:  # a horizontally merged cell is repeated by python-docx: once here
                if id(c._tc) not in seen:
                    seen.add(id(c._tc))
                    cells.append(c.text)
            rows.append(cells)
    return paras, rows


# ------------------------------------------------------------------ rules

@pytest.fixture
def hunan(monkeypatch):
    """A Hunan layout: the Hunan 评分表 are offered (no shipped layout offers them yet)."""
    from generator import selfeval

    monkeypatch.setattr(selfeval, "offered", lambda acc: ("湖南2021", "湖南2020"))


def test_templates_add_up_to_100_and_name_known_figures():
    """Each 评分表 data file names its province; one with its own indicators has 100 points, and
    every formula names a figure the program computes."""
    for t in templates().values():
        assert t.province, t.id
        if t.source:
            continue
        assert sum(s.points for s in t.indicators) == 100
        for s in t.indicators:
            if s.formula:
                assert hasattr(Figures, s.figure), (t.id, s.level3, s.figure)


def test_arrival_timeliness_scores_pro_rata_and_says_so():
    """到位及时率 60%: 3 of 5, with the rate and the rule (the reference printed 3 with no rate)."""
    score, rule = apply(spec("专项", "到位及时率"), Figure(D(60), "按时到位资金12.00万元÷计划投入资金20.00万元"))
    assert score == 3 and rule == "按比例计5分×60.00%，得3分"


def test_each_point_below_target_deducts():
    """质量达标率 98%: 5 − 2 × 0.1 = 4.8; 政府采购执行率 96.44%: 3 − 3.56 × 0.2 = 2.29."""
    assert apply(spec("专项", "质量达标率"), Figure(D(98)))[0] == D("4.8")
    score, rule = apply(spec("整体", "政府采购执行率"), Figure(D("96.44")))
    assert score == D("2.29") and "低于100%计3.56个百分点" in rule


def test_control_rate_over_limit_and_bands():
    """三公控制率 103% loses 3 of 6; 满意度 bands 95/85/75; 预算调整率 0 → 3, 12% → 1, 31% → 0."""
    assert apply(spec("整体", "“三公经费”控制率"), Figure(D(103)))[0] == 3
    sat = spec("整体", "社会公众或服务对象满意度")
    assert [apply(sat, Figure(D(v)))[0] for v in (95, "94.99", 85, 80, 74)] == [5, 3, 3, 1, 0]
    adj = spec("整体", "预算调整率")
    assert [apply(adj, Figure(D(v)))[0] for v in (0, 12, 31)] == [3, 1, 0]
    assert apply(adj, Figure(D(0)))[1] == "为0，得3分"


# ------------------------------------------------------------------ a small workbook

def selfeval_data(data, scores=None, performance=None):
    data["unit"] |= {"staff_quota": 10, "staff_actual": 9, "code": "T-01"}
    data["projects"] = [{"name": "测试项目", "initial_fiscal": D(20), "adjusted_fiscal": D(20), "executed_fiscal": D(20)}]
    data["performance"] = performance or []
    data["selfeval"] = {"project_template": "湖南2020", "finance_bureau": "测试区财政局"}
    data["selfeval_projects"] = [{"project": "测试项目", "title": "专项业务经费", "benefit": "服务对象权益得到保障。",
                                  "problems": "宣传不够深入。", "suggestions": "加强政策宣传。"}]
    # the Hunan 2020 reference's own scores: 18 + 30 + 19.6 + 29 = 96.6 (it printed 96)
    judged = {"项目立项规范性": 3, "绩效目标合理性": 4, "绩效指标明确性": 3, "制度执行有效性": 5, "项目质量可控性": 5,
              "资金使用合规性": 5, "财务监控有效性": 5, "经济效益": 7, "社会效益": 7, "可持续影响": 7, "公众满意度": 8}
    rows = [{"target": "测试项目", "level3": k, "score": D(v)} for k, v in judged.items()]
    rows += [{"target": "测试项目", "level2": l2, "level3": "管理制度健全性", "score": D(5)} for l2 in ("业务管理", "财务管理")]
    values = {"资金到位率": 20, "到位及时率": 12, "实际完成率": 100, "完成及时率": 100, "质量达标率": 98, "成本节约率": 98}
    rows += [{"target": "测试项目", "level3": k, "value": D(v)} for k, v in values.items()]
    data["selfeval_scores"] = rows + (scores or [])
    return data


def self_findings(path):
    _, findings = load(path)
    return [f for f in findings if f.rule.startswith("SELF-")]


def test_reference_scores_add_up_to_96_6(hunan, minimal_data, make_workbook, tmp_path):
    """The 专项 sheet totals its parts (96.6, 优秀) and its docx prints the rows, rates and total."""
    path = make_workbook(selfeval_data(minimal_data))
    assert self_findings(path) == []
    outcome = generate(path, tmp_path / "out")
    [report] = outcome.written.selfeval
    assert report.name == "测试单位2024年度专项业务经费专项绩效自评报告.docx"
    paras, rows = doc_text(report)
    assert "按专项资金绩效评价评分表自评，2024年专项业务经费总分为96.6分，绩效等级为：优秀。" in paras
    assert "收入情况：2024年计划投入资金（调整后预算数）20.00万元，实际到位资金20.00万元。" in paras
    assert "支出情况：2024年全年支出20.00万元，预算执行率100.00%。" in paras
    timely = next(r for r in rows if "到位及时率" in r)
    assert timely[-2:] == ["3", "到位及时率60.00%，按比例计5分×60.00%，得3分"]
    assert rows[-1][:2] == ["总分", "100"] and "96.6" in rows[-1] and "等级：优秀" in rows[-1]
    invest = next(r for r in rows if r[0] == "投入")
    assert invest[1] == "20" and invest[3] == "10"  # 一级 and 二级 points are sums of their rows


def test_typed_total_that_disagrees_blocks_the_report(hunan, minimal_data, make_workbook, tmp_path):
    """绩效管理 says 96 while the score sheet adds up to 96.6: an 错误; that report is not written
    (not even with --force), the 决算说明 is."""
    path = make_workbook(selfeval_data(minimal_data, performance=[{"name": "测试项目", "scope": "项目", "score": D(96)}]))
    [f] = self_findings(path)
    assert f.rule == "SELF-TOTAL" and f.severity == "错误" and "96.6" in f.message and " 96 分" in f.message
    for force in (False, True):
        outcome = generate(path, tmp_path / "out", force=force)
        assert outcome.written.selfeval == [] and "“测试项目”专项绩效自评报告的评分表有错误" in outcome.notes[0]
        assert outcome.written.report.exists()
    with pytest.raises(CheckFailed):
        generate(path, tmp_path / "out", only_selfeval=True)


def test_score_above_points_weights_and_missing_figures(hunan, minimal_data, make_workbook):
    """A score above 分值, an added indicator making 105 points, and a formula whose figure is missing."""
    data = selfeval_data(minimal_data, scores=[
        {"target": "测试项目", "level1": "效果", "level2": "项目效益", "level3": "群众知晓率", "points": D(5), "score": D(5)}])
    data["selfeval_scores"] = [r if r["level3"] != "经济效益" else r | {"score": D(8)} for r in data["selfeval_scores"]
                               if r["level3"] != "资金到位率"]
    found = {(f.rule, f.severity) for f in self_findings(make_workbook(data))}
    assert found == {("SELF-SCORE", "错误"), ("SELF-WEIGHT", "错误"), ("SELF-FIGURE", "错误")}
    messages = " ".join(f.message for f in self_findings(make_workbook(data)))
    assert "自评得分 8 超出 0 至分值 7" in messages and "分值合计为 105" in messages
    assert "“资金到位率”按公式计分，缺少自评评分表中“资金到位率”的实际值（实际到位资金）" in messages


def test_negative_points_are_refused_at_their_cell(hunan, minimal_data, make_workbook):
    """分值 −7: an 错误 at that cell (a score of −3 of −7 is no score)."""
    data = selfeval_data(minimal_data)
    data["selfeval_scores"] = [r | {"points": D(-7), "score": D(-3)} if r["level3"] == "经济效益" else r
                               for r in data["selfeval_scores"]]
    found = [f for f in self_findings(make_workbook(data)) if f.severity == "错误"]
    assert any(f.rule == "SELF-WEIGHT" and f.ref.startswith("自评评分表!E") and "分值 -7 为负数" in f.message for f in found)


def test_unknown_indicator_and_target(hunan, minimal_data, make_workbook):
    """A misspelt indicator and a 评价对象 that is not a listed project are named."""
    data = selfeval_data(minimal_data, scores=[{"target": "测试项目", "level3": "资金到位", "score": D(1)},
                                               {"target": "别的项目", "level3": "经济效益", "score": D(1)}])
    messages = [f.message for f in self_findings(make_workbook(data))]
    assert any("没有三级指标“资金到位”" in m for m in messages)
    assert any("评价对象“别的项目”既不是“整体”，也不在“专项自评”表中" in m for m in messages)


def test_workbook_without_selfeval_sheets_is_not_bothered(minimal_data, make_workbook, tmp_path):
    """No 评分表 chosen: no SELF finding, no extra file; generate 自评 says what to fill."""
    path = make_workbook(minimal_data)
    assert self_findings(path) == []
    assert generate(path, tmp_path / "out").written.selfeval == []
    with pytest.raises(CheckFailed, match="没有要求生成绩效自评报告"):
        generate(path, tmp_path / "out", only_selfeval=True)


def test_new_rules_are_listed():
    assert {"SELF-ITEM", "SELF-SCORE", "SELF-WEIGHT", "SELF-FIGURE", "SELF-TOTAL"} <= set(RULES)


# ------------------------------------------------------------------ the sample: both reports

@pytest.fixture(scope="module")
def welfare_out(sample_reports):
    return sample_reports[WELFARE.name]


def test_sample_writes_both_reports_beside_the_juesuan(welfare_out):
    names = sorted(p.name for p in welfare_out.written.selfeval)
    assert names == ["示范区社会福利院2024年度整体支出绩效自评报告.docx",
                     "示范区社会福利院2024年度特困老人集中供养服务经费专项绩效自评报告.docx"]
    assert all(p.parent == welfare_out.written.report.parent for p in welfare_out.written.selfeval)


def test_shared_figures_are_identical_in_both_documents(welfare_out):
    """基本/项目支出, 人员/公用经费 and 三公 by item read the same in the 决算说明 and the 整体 report."""
    juesuan = "\n".join(doc_text(welfare_out.written.report)[0])
    paras, rows = doc_text(welfare_out.written.selfeval[0])
    text = "\n".join(paras)
    for phrase in ("人员经费540.15万元", "公用经费72.20万元"):
        assert phrase in juesuan and phrase in text, phrase
    for item, amount in (("因公出国（境）费", "2.86"), ("公务接待费", "1.85"), ("公务用车运行维护费", "2.18")):
        assert f"{item}支出{amount}万元" in juesuan and f"{item}{amount}万元" in text, item
    assert "本年支出合计1129.93万元，其中：基本支出769.63万元、项目支出321.80万元、其他支出38.50万元。" in text
    income = rows[rows.index(next(r for r in rows if "收入合计" in r)) + 2]
    assert income == ["示范区社会福利院", "1137.09", "8.64", "762.35", "120.00", "0.00", "246.10"]
    sg = next(r for r in rows if r[0] == "示范区社会福利院" and r[1] == "6.89")
    assert sg[2:] == ["1.85", "2.18", "0.00", "2.86"]


def test_overall_sheet_is_the_juesuan_attachment(welfare_out):
    """A Sichuan unit's 整体 report prints the Sichuan 部门整体支出绩效自评表: the very rows, scores,
    deductions and 评价等次 of 附件1 in its 决算说明 (one score wherever it is printed)."""
    _, report_rows = doc_text(welfare_out.written.report)
    paras, rows = doc_text(welfare_out.written.selfeval[0])
    header = ["一级指标", "二级指标", "三级指标", "指标分值", "指标解释", "评分说明", "自评得分", "备注"]
    start = rows.index(header)
    table = rows[start:rows.index(next(r for r in rows[start:] if r[0] == "合计")) + 1]
    at = report_rows.index(header)
    assert report_rows[at:at + len(table)] == table
    total = table[-1]
    assert f"综合得分{total[-2]}分" in "".join(paras) and [f"{total[-2]}分"] == [r[-1] for r in rows
                                                                               if r[0] == "绩效自评综合得分"]


def test_selfeval_reports_are_byte_identical_on_regeneration(welfare_out, tmp_path):
    again = generate(WELFARE, tmp_path / "again")
    for a, b in zip(welfare_out.written.selfeval, again.written.selfeval):
        assert a.read_bytes() == b.read_bytes()


def test_no_selfeval_option_writes_only_the_juesuan(tmp_path):
    outcome = generate(ANJU, tmp_path / "out", selfeval=False)
    assert outcome.written.selfeval == [] and outcome.written.report.exists()


# ------------------------------------------------------------------ a province's own 评分表

ANJU_NAME = "遂宁市安居区社会保险事业管理局"


def test_unit_is_never_scored_with_another_provinces_table(tmp_path):
    """Blocking defect 1: 安居 (Sichuan) choosing the Hunan 整体/专项 评分表 gets an 错误 naming the
    tables its layout offers, and no 自评 report (before: a Hunan table with "建设湖南…" and 2021 items)."""
    import build_samples
    from generator.workbook import write_workbook

    data = build_samples.anju()
    data["selfeval"] = dict(data["selfeval"], overall_template="湖南2021", project_template="湖南2020")
    path = tmp_path / "安居.xlsx"
    write_workbook(path, data)
    found = [f for f in self_findings(path) if f.rule == "SELF-ITEM"]
    assert {f.ref for f in found} == {"绩效自评报告!B4", "绩效自评报告!B5"}
    assert all("湖南省" in f.message and "四川2024" in f.message and f.severity == "错误" for f in found)
    assert generate(path, tmp_path / "out").written.selfeval == []


def test_sichuan_reports_print_no_other_province_and_one_score(sample_reports):
    """安居's two 自评 reports: nothing of Hunan; the 整体 total is 附件1's 97 and the 专项 table is the
    project's 附件 table with the same score."""
    out = sample_reports[ANJU.name]
    juesuan_paras, juesuan_rows = doc_text(out.written.report)
    for report in out.written.selfeval:
        paras, rows = doc_text(report)
        text = "\n".join(paras) + "".join("".join(r) for r in rows)
        assert "湖南" not in text and "全面小康" not in text, report.name
    overall = next(p for p in out.written.selfeval if "整体" in p.name)
    paras, rows = doc_text(overall)
    assert ["合计", "100", "评价等次：优", "97", ""] in rows and ["合计", "100", "评价等次：优", "97", ""] in juesuan_rows
    project = next(p for p in out.written.selfeval if "专项" in p.name)
    _, rows = doc_text(project)
    assert rows[0][1].endswith("-基金风险防控项目")  # the report's name for the project, with its code
    assert any(r[0] == "合计" and r[-1] == "评价等次：优" for r in rows)


def test_score_sheet_prints_criteria_and_plain_notes_only(hunan, minimal_data, make_workbook, tmp_path):
    """Point 2: the 评分表 prints the official criterion and a plain note — never an instruction to
    the clerk ("实际值填…", "（按“预算数”表）") nor working ("|调整预算…－年初预算…|÷…", "填报…")."""
    data = selfeval_data(minimal_data)
    data["selfeval"]["overall_template"] = "湖南2021"
    data["unit"]["staff_quota"], data["unit"]["staff_actual"] = 10, 9
    judged = {s.level3: s.points for s in templates()[("整体", "湖南2021")].indicators if not s.formula}
    rows = [{"target": "整体", "level3": k, "score": v} for k, v in judged.items() if k != "管理制度健全性"]
    rows += [{"target": "整体", "level2": l2, "level3": "管理制度健全性", "score": D(3)} for l2 in ("预算管理", "资产管理")]
    rows += [{"target": "整体", "level3": k, "value": D(v)} for k, v in
             (("重点支出安排率", 18), ("公务卡刷卡率", 100), ("社会公众或服务对象满意度", 96), ("政府采购执行率", 0))]
    data["selfeval"] |= {"assets_in_use": D(9), "assets_other": D(1)}
    data["selfeval_scores"] += rows
    data["performance"] = []
    path = make_workbook(data)
    assert [f for f in self_findings(path) if f.severity == "错误"] == []
    outcome = generate(path, tmp_path / "out")
    printed, notes = [], []
    for report in outcome.written.selfeval:
        _, table = doc_text(report)
        printed += ["".join(r) for r in table]
        notes += [r[-1] for r in table if len(r) >= 7]  # 扣分原因和其他说明 / 备注
    text = "\n".join(printed)
    for instruction in ("实际值", "（按“", "取“", "填报公务卡"):
        assert instruction not in text, instruction
    for working in ("|", "÷", "＝"):
        assert not [n for n in notes if working in n], working
    assert "公务卡刷卡率100.00%，达到50%，得3分" in text
    assert "财政供养人员控制率90.00%，不超过100%，得5分" in text


def test_workbook_says_what_each_actual_value_is():
    """Where a figure comes from is said in the workbook: every formula indicator the clerk gives
    a 实际值 for names it in its template (`value`), and the check message uses it."""
    for t in templates().values():
        for s in t.indicators:
            if s.formula and s.figure in ("key_spending", "procurement", "entered_percent", "project_funds"):
                assert s.value, (t.id, s.level3)


def test_report_layout_reads_as_handed_in(sample_reports):
    """Point 4: the 专项 title breaks between units of meaning (unit / year and project / kind), no
    "项目项目", "为此建议：" opens its first suggestion, the 综述 under 五、 has no second 一、…五、,
    no citation of a 附表 the document lacks, and the 评价人员 table repeats its header."""
    out = sample_reports[ANJU.name]
    project = next(p for p in out.written.selfeval if "专项" in p.name)
    doc = Document(project)
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles == [ANJU_NAME, "2024年基金风险防控项目", "绩效评价自评报告"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "项目项目" not in text and "为此建议：" not in [p.text for p in doc.paragraphs]
    assert "为此建议：1." in text
    for report in (sample_reports[WELFARE.name].written.selfeval[0], next(p for p in out.written.selfeval
                                                                          if "整体" in p.name)):
        doc = Document(report)
        numbered = [p.text[:2] for p in doc.paragraphs if p.style.name.startswith("Heading")
                    and p.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
        assert numbered == ["一、", "二、", "三、", "四、", "五、"], numbered
        assert "附表8" not in "".join(c.text for t in doc.tables for r in t.rows for c in r.cells) + \
            "".join(p.text for p in doc.paragraphs)
        people = next(t for t in doc.tables if t.rows[0].cells[0].text == "姓　名")
        assert people.rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_attachment_1_as_the_official_form(sample_reports):
    """Point 5 (附件1): group labels carry their 分值, sub-items sit under their indicator's merged
    分值/解释/说明/得分, every 扣分项 shows its deduction, and the 一级/二级 labels restart at each
    expected page start (never a blank label at the top of a continuation page)."""
    from generator.attachments import unit_table
    from generator.pipeline import load

    acc, _ = load(ANJU)
    table = unit_table(acc.evaluation, "x", 1)
    body = table.rows[1:-1]
    assert body[0][0].text == "总体绩效\n（56分）" and body[0][1].text.endswith("分）")
    anchor = next(i for i, r in enumerate(body) if r[2].text == "基础养老金发放履职效果")
    assert body[anchor][3].vmerge == "restart" and body[anchor + 1][3].vmerge == "continue"
    assert body[anchor + 1][3].text == "" and body[anchor + 1][6].vmerge == "continue"
    deductions = [r for r in body if r[3].text == "-"]
    assert deductions and all(r[6].text for r in deductions)
    assert all(r[6].text or r[6].vmerge == "continue" for r in body)
    assert sum(1 for r in body if r[0].vmerge != "continue" and r[0].text) > 3  # restarted on later pages


# ------------------------------------------------------------------ scores within their bounds

def test_formula_scores_stay_within_zero_and_points_whatever_the_figures():
    """Every formula of every 评分表, fed rates far below and above any bound: a score in 0 … 分值,
    and `out_of_range` names each figure that cannot be right."""
    from generator.selfeval import out_of_range

    for t in templates().values():
        for s in t.indicators:
            if not s.formula:
                continue
            for rate in (D(-250), D(-5), D(0), D("99.99"), D(100), D(10) ** 6):
                for value in ((D(-3), D(1)), (D(3), D(1))) if s.formula == "surplus" else (rate, None):
                    fig = Figure(rate, "x", value=value)
                    score, _ = apply(s, fig)
                    assert 0 <= score <= s.points, (t.id, s.level3, rate, score)
                    negative = any(v < 0 for v in (value if isinstance(value, tuple) else (value,)) if v is not None)
                    raw_outside = s.formula == "ratio" and rate < 0  # the only rule that scales below 0
                    assert (out_of_range(s, fig) is not None) == (negative or raw_outside), (s.level3, rate, value)


def test_decrease_of_three_public_expenses_is_no_figure_out_of_range():
    """三公 down from 0.71 to 0: a change of −100%, full points, nothing said (the 安居 sample)."""
    from generator.selfeval import out_of_range

    s = spec("整体", "“三公经费”变动率")
    assert out_of_range(s, Figure(D(-100), "x")) is None and apply(s, Figure(D(-100), "x"))[0] == s.points


@pytest.mark.parametrize("level3", ["资金到位率", "实际完成率"])  # an amount, a rate
def test_negative_actual_value_stops_that_report_only(hunan, minimal_data, make_workbook, tmp_path, level3):
    """A negative 实际值 (an amount or a rate): an 错误 at its cell; that 自评 report is not written
    (it printed −5 of 5), the 决算说明 is, and no score below 0 reaches any sheet."""
    from generator.selfeval import evaluate_selfeval

    good = generate(make_workbook(selfeval_data(minimal_data)), tmp_path / "out").written.selfeval  # last run's
    data = selfeval_data(minimal_data)
    data["selfeval_scores"] = [r | {"value": D(-20)} if r["level3"] == level3 else r for r in data["selfeval_scores"]]
    path = make_workbook(data)
    acc, _ = load(path)
    [f] = [f for f in self_findings(path) if f.severity == "错误"]
    assert f.rule == "SELF-FIGURE" and f.ref.startswith("自评评分表!G") and "为负数" in f.message and level3 in f.message
    assert all(0 <= r.score <= r.points for sheet in evaluate_selfeval(acc).sheets() for r in sheet.rows if r.score is not None)
    outcome = generate(path, tmp_path / "out")
    assert outcome.written.report.exists() and outcome.written.selfeval == []
    assert outcome.notes == ["“测试项目”专项绩效自评报告的评分表有错误（见检查结果），未生成；上次生成的"
                             "“测试单位2024年度专项业务经费专项绩效自评报告.docx”已删除，以免与本次的决算说明混用"]
    assert not good[0].exists() and list(outcome.written.report.parent.glob("*自评*")) == []


@pytest.mark.parametrize("row, key, value, words", [
    ("经济效益", "score", "五分", "应填数字，实为“五分”"),
    ("资金到位率", "value", D("1e16"), "过大"),
    ("社会效益", "points", "七", "应填数字，实为“七”"),
    ("资金到位率", "value", "二十万", "应填数字，实为“二十万”"),
])
def test_unreadable_score_sheet_cell_stops_that_report_only(hunan, minimal_data, make_workbook, tmp_path, row, key, value, words):
    """Text or an absurd number in a cell of 自评评分表: one 错误 at that cell (no second message),
    the 决算说明 is written as README says, that 自评 report is not; `generate 自评` fails."""
    data = selfeval_data(minimal_data)
    data["selfeval_scores"] = [r | {key: value} if r["level3"] == row else r for r in data["selfeval_scores"]]
    path = make_workbook(data)
    _, findings = load(path)
    errors = [f for f in findings if f.severity == "错误"]
    assert len(errors) == 1 and errors[0].ref.startswith("自评评分表!") and words in errors[0].message, errors
    outcome = generate(path, tmp_path / "out")
    assert outcome.written.report.exists() and outcome.written.selfeval == [] and outcome.notes
    with pytest.raises(CheckFailed):
        generate(path, tmp_path / "out", only_selfeval=True)


def test_unreadable_cell_of_another_project_leaves_this_one_alone(hunan, minimal_data, make_workbook, tmp_path):
    """A bad cell in the rows of a 评价对象 no report is asked for stops no report."""
    data = selfeval_data(minimal_data, scores=[{"target": "别的项目", "level3": "经济效益", "score": "五分"}])
    outcome = generate(make_workbook(data), tmp_path / "out")
    assert outcome.written.report.exists()
    assert [f.rule for f in outcome.findings if f.severity == "错误"] == ["READ-NUMBER", "SELF-ITEM"]
    assert [p.name for p in outcome.written.selfeval] == ["测试单位2024年度专项业务经费专项绩效自评报告.docx"]
