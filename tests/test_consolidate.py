"""A 部门 from its units: sums by code, eliminations on both sides, the audit sheet, the report."""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import build_samples
import docx_figures
from conftest import SAMPLES
from generator.cli import main
from generator.consolidate import (AUDIT_SHEET, ConsolidationError, UnitFailed, consolidate, generate_department,
                                   write_consolidated)
from generator.pipeline import load
from generator.workbook import write_workbook

FOLDER = SAMPLES / build_samples.DEPARTMENT_FOLDER
UNITS = build_samples.DEPARTMENTS[build_samples.DEPARTMENT_FOLDER]
OFFICE, STATION, CENTER = UNITS  # file names: 本级, 救助管理站, 婚姻登记服务中心


def build(folder, **changed):
    """The sample 部门 written into `folder`, with some units' data replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in UNITS.items():
        write_workbook(folder / name, changed.get(name) or make())
    return folder


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    """The sample 部门 consolidated and its 决算说明 generated once for the module."""
    out = tmp_path_factory.mktemp("dept") / "示范区民政局"
    return generate_department(FOLDER, out)


def test_sample_folder_is_what_the_builder_writes(tmp_path):
    """sample_inputs/示范区民政局（部门）/ holds exactly the builder's three workbooks."""
    assert sorted(p.name for p in FOLDER.glob("*.xlsx")) == sorted(UNITS)


@pytest.mark.parametrize("name", sorted(UNITS))
def test_each_unit_sample_is_clean(name):
    """Every unit of the sample 部门 checks with 0 错误 and 0 警告."""
    _, findings = load(FOLDER / name)
    assert [f.line() for f in findings if f.severity in ("错误", "警告")] == []


def test_consolidated_workbook_is_clean_and_sums_by_hand(department):
    """The consolidated workbook reads back as an ordinary workbook, clean, with the hand-checked sums."""
    acc, findings = load(department.workbook)
    # without last year's workbooks the prior 总计 holds last year's internal flows: left blank, not compared
    assert [f.line() for f in findings if f.severity in ("错误", "警告")] == [
        "[PRIOR-MISSING] 警告 上年数!B4：未填写上年“收入支出总计”，报告中不作同比比较"]
    assert department.outcome.findings[0].rule == "DEPT-PRIOR"
    assert not [f for f in department.outcome.findings if f.rule == "PRIOR-MISSING"]
    t01, t02, t03 = acc.tables["t01"], acc.tables["t02"], acc.tables["t03"]
    # 870 + 210 + 120 received, less the 60 补助 and the 10 上缴 inside the 部门
    assert t01.income_bottom["year_total"] == D("1130")
    assert t01.income == {"gpb": D("1040"), "fund": 0, "soe": 0, "superior": 0, "business": D("30"),
                          "operating": 0, "affiliated": 0, "other": D("60")}
    assert t01.expense_bottom["year_total"]["amount"] == D("1120")  # 860 + 210 + 120 − 60 − 10
    assert t01.expense_bottom["closing"]["amount"] == D("10")
    assert t03.total == {"total": D("1120"), "basic": D("685"), "project": D("435"), "remit": 0, "operating": 0,
                         "affiliated": 0}
    assert t02.total["superior"] == 0 and t02.total["affiliated"] == 0
    assert t03.line("2082002").values["total"] == D("180")  # the station's 95 + 85; the 机关's 60 补助 gone
    assert acc.tables["t06"].total["total"] == D("1040")
    assert acc.basic_total("人员经费") == D("415") + D("65") + D("43")
    assert acc.basic_total("公用经费") == D("65") + D("17")
    assert acc.other["running_costs"] == D("65")  # only the 机关 (行政单位): not the 事业单位' 17
    assert acc.other["admin_public_costs"] == D("65")
    assert (acc.unit["staff_quota"], acc.unit["staff_actual"], acc.unit["retired"]) == (60, 57, 17)
    assert acc.tables["t13"].get("total", "actual") == D("10")
    assert acc.sg["domestic_batches"] == 4 and acc.sg["stock_suv"] == 1
    assert acc.unit["subject"] == "部门" and acc.unit["name"] == "示范区民政局"
    assert "共3个，其中行政单位1个、事业单位2个" in acc.unit["structure"]
    assert acc.reasons["car_run_use"] == "下乡开展社会救助核查和养老机构安全检查"  # texts from the 本级


def test_audit_sheet_shows_each_unit_and_each_elimination(department):
    """The audit sheet lists the rule, each eliminated amount, and per table each unit, the elimination and the sum."""
    ws = load_workbook(department.workbook)[AUDIT_SHEET]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    texts = [str(r[0] or "") for r in rows]
    assert any("对附属单位补助支出”与所属单位的“上级补助收入" in t for t in texts)
    elims = [r[:7] for r in rows if r[0] in ("上级补助", "上缴上级")]
    assert elims == [
        ("上级补助", "示范区民政局", "支出", "对附属单位补助支出", "支出决算表", "2082002", -60),
        ("上级补助", "示范区救助管理站", "收入", "上级补助收入", "收入决算表", "2082002", -60),
        ("上缴上级", "示范区婚姻登记服务中心", "支出", "上缴上级支出", "支出决算表", "2080299", -10),
        ("上缴上级", "示范区民政局", "收入", "附属单位上缴收入", "收入决算表", "2080299", -10),
    ]
    start = texts.index("附表3 支出决算表")
    head, office, station, center, elim, total = rows[start + 1:start + 7]
    assert head[:7] == ("单位", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
    assert office[:7] == ("示范区民政局", 860, 480, 320, 0, 0, 60)
    assert station[0] == "示范区救助管理站" and center[:7] == ("示范区婚姻登记服务中心", 120, 80, 30, 10, 0, 0)
    assert elim[:7] == ("内部往来抵销", -70, 0, 0, -10, 0, -60)
    assert total[:7] == ("部门合计", 1120, 685, 435, 0, 0, 0)
    start = texts.index("附表1 收入支出决算总表")
    assert rows[start + 1][1:5] == ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入")
    elim = next(r for r in rows[start:] if r[0] == "内部往来抵销")
    assert elim[4] == -60 and elim[7] == -10  # 上级补助收入, 附属单位上缴收入
    scope = rows[texts.index("一、汇总范围") + 2:texts.index("一、汇总范围") + 5]
    assert [(r[0], r[3]) for r in scope] == [("示范区民政局", "本级"), ("示范区救助管理站", "所属单位"),
                                             ("示范区婚姻登记服务中心", "所属单位")]


def test_report_quotes_the_consolidated_figures(department):
    """The 部门's 决算说明 (read back from the .docx) quotes the sums and agrees with its own 附表."""
    report = department.outcome.written.report
    assert report.name == "示范区民政局2024年度部门决算说明.docx"
    paras, tables = docx_figures.read(report)
    text = "\n".join(paras)
    assert "2024年度收入、支出总计各1130.00万元" in text
    assert "本年收入合计1130.00万元；本年支出合计1120.00万元" in text
    assert "一般公共预算财政拨款支出1040.00万元" in text
    assert "机关运行经费支出65.00万元" in text
    assert "纳入示范区民政局2024年度部门决算编制范围的单位共3个" in text
    income = next(p for p in paras if p.startswith("2024年本年收入合计"))
    assert income == ("2024年本年收入合计1130.00万元，其中：一般公共预算财政拨款收入1040.00万元，占92.04%；"
                      "事业收入30.00万元，占2.65%；其他收入60.00万元，占5.31%。")  # no 上级补助收入, 附属单位上缴收入
    assert docx_figures.mismatches(report) == []


def test_consolidation_is_byte_stable(department, tmp_path):
    """The same units give the same consolidated workbook, byte for byte."""
    again = write_consolidated(consolidate(FOLDER), tmp_path)
    assert again.read_bytes() == department.workbook.read_bytes()


def test_unit_with_an_error_stops_the_department(tmp_path):
    """A unit's 错误 stops the 部门 with the unit's name and the cell, and nothing is written."""
    bad = build_samples.rescue_station()
    bad["t03"][0]["total"] = D("170")  # 95 + 85 = 180
    folder = build(tmp_path / "dept", **{STATION: bad})
    out = tmp_path / "out"
    with pytest.raises(UnitFailed) as exc:
        generate_department(folder, out / "x")
    assert "示范区救助管理站" in str(exc.value) and "支出决算表!C6" in str(exc.value)
    res = CliRunner().invoke(main, ["部门", str(folder), "-o", str(out)])
    assert res.exit_code == 1
    assert "单位“示范区救助管理站”" in res.output and "支出决算表!C6" in res.output
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_internal_flows_that_do_not_match_are_an_error(tmp_path):
    """The 机关's 补助 and the units' 上级补助收入 must be equal to be eliminated: both figures are named."""
    station = build_samples.rescue_station()
    station["t01"]["income"]["superior"] = D("50")
    station["t02"][0]["superior"] = D("50")
    station["t03"][0]["basic"] = D("85")
    folder = build(tmp_path / "dept", **{STATION: station})
    with pytest.raises(ConsolidationError) as exc:
        consolidate(folder)
    message = str(exc.value)
    assert "对附属单位补助支出 60.00" in message and "上级补助收入合计 50.00" in message
    assert "示范区救助管理站 50.00" in message


def test_folder_needs_exactly_one_main_workbook(tmp_path):
    """No workbook marked 公开主体 部门: a clear message, no consolidation."""
    office = build_samples.civil_affairs_office()
    office["unit"]["subject"] = "单位"
    folder = build(tmp_path / "dept", **{OFFICE: office})
    with pytest.raises(Exception) as exc:
        consolidate(folder)
    assert "本级工作簿" in str(exc.value) and "公开主体填“部门”" in str(exc.value)


def test_cli_generates_the_department(tmp_path):
    """`generate 部门 FOLDER` writes the consolidated workbook and the 部门决算说明 and lists them."""
    folder = tmp_path / "示范区民政局（部门）"
    shutil.copytree(FOLDER, folder)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["部门", str(folder), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "汇总 3 个单位：示范区民政局、示范区救助管理站、示范区婚姻登记服务中心。" in res.output
    assert "抵销 上级补助：示范区民政局 对附属单位补助支出 2082002 60.00 万元" in res.output
    target = out / "示范区民政局（部门）"
    assert (target / "示范区民政局-2024年度部门决算（汇总）.xlsx").exists()
    assert (target / "示范区民政局2024年度部门决算说明.docx").exists()


def test_district_batch_generates_units_and_the_department_once_more(tmp_path):
    """Batch: units as 单位决算 (the 本级 as “…本级”), the 部门 consolidated once more, 汇总 without double
    counting; a correction in one unit regenerates exactly that unit and its 部门."""
    from generator.batch import run_batch

    root = tmp_path / "district"
    build(root / build_samples.DEPARTMENT_FOLDER)
    shutil.copy(SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx", root / "福利院.xlsx")
    out = tmp_path / "out"
    result = run_batch([root], out, jobs=1)
    assert result.ok, [(r["relative"], r["message"]) for r in result.results]
    dept_key = f"{build_samples.DEPARTMENT_FOLDER}/（部门汇总）"
    by_rel = {r["relative"]: r for r in result.results}
    assert set(by_rel) == {f"{build_samples.DEPARTMENT_FOLDER}/{n}" for n in UNITS} | {dept_key, "福利院.xlsx"}
    assert by_rel[dept_key]["figures"]["收入总计"] == "1130"
    office = by_rel[f"{build_samples.DEPARTMENT_FOLDER}/{OFFICE}"]
    assert any(f.endswith("示范区民政局本级2024年度单位决算说明.docx") for f in office["files"])
    assert any(f.endswith("示范区民政局2024年度部门决算说明.docx") for f in by_rel[dept_key]["files"])

    ws = load_workbook(out / "汇总.xlsx")["汇总"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    total = rows[-1]
    welfare = float(D(by_rel["福利院.xlsx"]["figures"]["收入总计"]))
    assert total[0] == "全区合计" and total[3] == "4个单位"
    assert total[9] == pytest.approx(870 + 210 + 120 + welfare)  # units only: the 部门 row is not added again
    dept_row = next(r for r in rows if r[0] == dept_key)
    assert dept_row[9] == 1130 and "不计入全区合计" in dept_row[8]
    issues = list(load_workbook(out / "汇总.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
    assert not [r for r in issues if r[3] == "错误"]  # the 部门's note is no 错误 (it was listed as FILE 错误)

    center = build_samples.marriage_center()
    center["unit"]["staff_actual"] = 7
    write_workbook(root / build_samples.DEPARTMENT_FOLDER / CENTER, center)
    again = run_batch([root], out, jobs=1)
    regenerated = {r["relative"] for r in again.results if not r["skipped"]}
    assert regenerated == {f"{build_samples.DEPARTMENT_FOLDER}/{CENTER}", dept_key}
    dept = next(r for r in again.results if r["relative"] == dept_key)
    assert ["unit.staff_actual", "57", "56"] in dept["changes"]["figures"]


# ------------------------------------------------------------------ issue 19: a 部门 that cannot miscount

from generator.consolidate import prior_year, read_members, trace_findings  # noqa: E402
from generator.errors import WorkbookError  # noqa: E402
from generator.findings import Finding  # noqa: E402
from generator.previous import PreviousIndex  # noqa: E402


@pytest.mark.parametrize("name, change", [
    ("副本.xlsx", lambda d: d["unit"].update(code=None)),  # a copy, 单位编码 blank: the same 单位名称
    ("救助站（1）.xlsx", lambda d: d["unit"].update(name="示范区救助管理站（二）")),  # same code, renamed
    ("救助站 copy.XLSX", lambda d: d["unit"].update(code=None, name=" 示范区救助管理站")),  # spaces, another case
    ("救助站.bak", lambda d: d["unit"].update(code="")),  # a renamed workbook, read by its content
])
def test_the_same_unit_twice_in_a_department_is_refused_naming_both_files(tmp_path, name, change):
    """Two workbooks of one unit (same 单位编码, or same 单位名称 where one has none) are never consolidated
    twice: the 部门 is refused with both file names, and nothing is written."""
    folder = build(tmp_path / "dept")
    copy = build_samples.rescue_station()
    change(copy)
    write_workbook(folder / name, copy)
    with pytest.raises(WorkbookError) as exc:
        generate_department(folder, tmp_path / "out" / "x")
    message = str(exc.value)
    assert STATION in message and name in message and "同一个单位" in message
    assert not (tmp_path / "out").exists()


def test_units_with_different_codes_and_one_name_are_two_units(tmp_path):
    """Two different 单位编码 are two units, whatever their names (the repeat rule does not merge them)."""
    from generator.inputs import repeats

    assert repeats([("A1", "某单位"), ("A2", "某单位")]) == []
    assert [(r.first, r.second) for r in repeats([("A1", "某单位"), (None, "某单位"), ("", "某 单位")])] == [(0, 1), (0, 2)]
    assert [r.how for r in repeats([("A1", "甲"), ("A1", "乙")])] == ["单位编码 A1"]


@pytest.mark.parametrize("name", ["救助站.XLSX", "救助站.xlsm", "救助站.xls", "救助站"])
def test_workbooks_named_any_way_are_consolidated(tmp_path, name):
    """A unit saved as .XLSX, .xlsm or under another name is a unit of its 部门 (the batch's rule), never
    left out of the sums without a word; lock files and other files are not units, and are listed."""
    folder = build(tmp_path / "dept")
    (folder / STATION).rename(folder / name)
    (folder / "~$救助站.xlsx").write_bytes(b"lock")
    (folder / "说明.txt").write_text("附件", "utf-8")
    cons = consolidate(folder)
    assert [m.path.name for m in cons.members] == [OFFICE, name, CENTER]
    assert cons.cells[("t01", "income_bottom", "year_total", "")] == D("1130")
    assert sorted(n for n, _ in cons.skipped) == ["~$救助站.xlsx", "说明.txt"]


def test_link_to_a_unit_of_the_same_folder_is_one_unit(tmp_path):
    """A link inside the 部门 folder to one of its workbooks is the same file: consolidated once."""
    folder = build(tmp_path / "dept")
    (folder / "快捷方式.xlsx").symlink_to(folder / STATION)
    cons = consolidate(folder)
    assert len(cons.members) == 3 and cons.cells[("t01", "income_bottom", "year_total", "")] == D("1130")


def test_units_of_another_layout_are_refused_naming_each_and_its_cell(tmp_path):
    """A 上海2024 unit in a 四川2024 部门: not summed into tables it does not have, and not a finding at a
    cell of the generated workbook: each unit, its file, its 报告格式 and the cell where it is chosen."""
    station = build_samples.rescue_station()
    station["unit"]["profile"] = "上海2024（9张附表）"
    folder = build(tmp_path / "dept", **{STATION: station})
    with pytest.raises(WorkbookError) as exc:
        consolidate(folder)
    message = str(exc.value)
    assert "报告格式不一致" in message
    assert f"示范区救助管理站（{STATION}，单位信息!B20）为 上海2024（9张附表）" in message
    assert f"示范区民政局（{OFFICE}，单位信息!B20）为 四川2024（13张附表）" in message


def test_same_project_name_in_two_units_is_ordinary(tmp_path):
    """Units each running “信息化运维” (the 本级 too) is no error: the 部门 lists each, named with its unit."""
    office, station, center = (build_samples.civil_affairs_office(), build_samples.rescue_station(),
                               build_samples.marriage_center())
    for data in (office, station, center):
        data["performance"][1]["name"] = "信息化运维"
    folder = build(tmp_path / "dept", **{OFFICE: office, STATION: station, CENTER: center})
    done = generate_department(folder, tmp_path / "out" / "x")
    assert not [f for f in done.outcome.findings if f.severity == "错误"]
    names = [r["name"] for r in done.consolidation.data["performance"]]
    assert {"信息化运维（示范区民政局）", "信息化运维（示范区救助管理站）", "信息化运维（示范区婚姻登记服务中心）"} <= set(names)


def test_an_error_of_the_consolidated_workbook_names_the_unit_and_its_cell(tmp_path, monkeypatch):
    """When the consolidated workbook's check stops the 部门, the 错误 points at the unit's own cell, not at
    the workbook the program generated."""
    from generator import pipeline

    real = pipeline.check

    def check(acc, settings=None):
        found = real(acc, settings)
        if "纳入示范区民政局" in (acc.unit.get("structure") or ""):  # the consolidated workbook only
            row = next(r for r in acc.performance if r["name"] == "流浪乞讨人员救助")
            found.append(Finding("TEST", "错误", row["_refs"]["score"], "得分超出分值"))
        return found

    monkeypatch.setattr(pipeline, "check", check)
    with pytest.raises(Exception) as exc:
        generate_department(build(tmp_path / "dept"), tmp_path / "out" / "x")
    (f,) = [f for f in exc.value.findings if f.rule == "TEST"]
    assert f.ref.startswith(f"{STATION} 绩效管理!") and f.message == "“示范区救助管理站”：得分超出分值"


def _members(tmp_path, previous=None, **changed):
    return read_members(build(tmp_path / "dept", **changed), previous)


def test_prior_year_without_last_years_flows_is_not_compared(tmp_path):
    """2024 has its 70万元 of internal flows removed; the sum of the units' 上年数 still holds last year's:
    the 部门 does not compare 总计, 本年收入合计, 本年支出合计 on two bases, and says why (a 提示)."""
    members = _members(tmp_path)
    prior, notes = prior_year(members)
    assert prior["total"] is None and prior["income_year"] is None and prior["expense_year"] is None
    assert prior["gpb_expense"] == D("780") + D("145") + D("86")  # no flow in it: compared
    assert prior["running_costs"] == D("63")  # the 行政单位's only, as this year's 机关运行经费
    (note,) = notes
    assert note.rule == "DEPT-PRIOR" and "上年的部门内部往来" in note.message and "收入支出总计" in note.message


def _last_year(data: dict, year: int = 2023) -> dict:
    data["unit"]["year"] = year
    data["prior"] = {}
    return data


def test_prior_year_from_last_years_workbooks_has_its_flows_removed(tmp_path):
    """With last year's workbooks (--previous), the units' 上年数 come from them, as in their own reports,
    and the 部门's prior 总计 has last year's internal flows removed: one basis for both years."""
    last = tmp_path / "last"
    last.mkdir()
    for name, make in UNITS.items():
        write_workbook(last / name, _last_year(make()))
    blank = {name: (lambda make: (lambda: {**make(), "prior": {}}))(make)() for name, make in UNITS.items()}
    folder = build(tmp_path / "dept", **blank)
    index = PreviousIndex(sorted(last.iterdir()))
    done = generate_department(folder, tmp_path / "out" / "x", previous=index)
    prior = done.consolidation.data["prior"]
    # last year as this year: 870 + 210 + 120 less the 60 补助 and the 10 上缴
    assert prior["total"] == D("1130") and prior["income_year"] == D("1130") and prior["expense_year"] == D("1120")
    assert not [f for f in done.outcome.findings if f.rule == "DEPT-PRIOR"]
    text = "\n".join(docx_figures.read(done.outcome.written.report)[0])
    assert "与2023年相比，收入、支出总计持平" in text


@pytest.mark.parametrize("key", ["total", "gpb_expense", "sg_abroad"])
def test_a_unit_without_a_prior_figure_makes_the_department_say_so(tmp_path, key):
    """One unit leaves a 上年数 blank: the 部门 never compares with the others' sum; a 警告 names that unit,
    its file and its cell."""
    station = build_samples.rescue_station()
    station["prior"].pop(key, None)
    if key == "sg_abroad":
        station["prior"].pop("sg_total", None)
    members = _members(tmp_path, **{STATION: station})
    prior, notes = prior_year(members)
    assert prior[key] is None
    (note,) = [n for n in notes if n.severity == "警告"]
    assert note.ref.startswith(f"{STATION} 上年数!") and "“示范区救助管理站”" in note.message


def test_findings_of_the_consolidated_workbook_name_the_units_cells(department):
    """A finding at a cell of the generated workbook is pointed at the units' own cells: a row of a list at
    the unit that wrote it, a sum at every unit's cell that went into it."""
    cons, acc = department.consolidation, department.outcome.accounts
    station_row = next(r for r in acc.performance if r["name"] == "流浪乞讨人员救助")
    f = Finding("TEST", "警告", station_row["_refs"]["score"], "得分有误")
    (traced,) = trace_findings(cons, acc, [f], department.workbook.name)
    own = next(r for r in cons.members[1].accounts.performance if r["name"] == "流浪乞讨人员救助")
    assert traced.ref == f"{STATION} {own['_refs']['score']}" and traced.message == "“示范区救助管理站”：得分有误"
    line = acc.tables["t03"].line("2082002")
    (summed,) = trace_findings(cons, acc, [Finding("TEST", "警告", line.refs["basic"], "数字有误")], "x.xlsx")
    assert "“示范区民政局”" in summed.message and "“示范区救助管理站”" in summed.message
    assert not summed.ref.startswith("x.xlsx")
    budget = next(r for r in acc.budget if r["code"] == "2080505")  # 预算数 summed by code
    (row,) = trace_findings(cons, acc, [Finding("TEST", "警告", budget["_refs"]["initial"], "预算数有误")], "x.xlsx")
    holders = [m.name for m in cons.members if any(r.get("code") == "2080505" for r in m.accounts.budget)]
    assert len(holders) > 1 and all(f"“{name}”预算数!" in row.message for name in holders)


@pytest.mark.parametrize("where", ["parent", "folder", "inside"])
def test_department_never_writes_into_its_own_folder(tmp_path, where):
    """`generate 部门 F -o <parent of F>` (or F, or below F) would put the consolidated workbook among the
    units (the next run then finds two 本级): refused, nothing written there."""
    folder = tmp_path / "示范区民政局（部门）"
    shutil.copytree(FOLDER, folder)
    out = {"parent": tmp_path, "folder": folder, "inside": folder / "输出"}[where]
    res = CliRunner().invoke(main, ["部门", str(folder), "-o", str(out)])
    assert res.exit_code == 1 and "部门文件夹" in res.output and "之内" in res.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(UNITS)


def test_renamed_department_leaves_no_superseded_files(tmp_path):
    """After the 部门 is renamed, its folder holds the new consolidated workbook and report only."""
    folder = build(tmp_path / "dept")
    out = tmp_path / "out" / "部门"
    generate_department(folder, out)
    office = build_samples.civil_affairs_office()
    office["unit"]["name"] = "示范区民政局（更名）"
    write_workbook(folder / OFFICE, office)
    done = generate_department(folder, out)
    left = sorted(p.name for p in out.iterdir() if p.is_file())
    assert left == sorted(p.name for p in [done.workbook, done.outcome.written.report, done.outcome.written.data])
    assert sorted((out / "图表").iterdir()) == sorted(done.outcome.written.charts)


def test_consolidated_workbook_copied_among_the_units_is_not_a_unit(department, tmp_path):
    """The program's own consolidated workbook put back into the 部门 folder (whatever its name) is not read
    as a second 本级: it is listed as not processed, and the 部门 is the same."""
    folder = build(tmp_path / "dept")
    shutil.copy(department.workbook, folder / "本级-新.xlsx")
    cons = consolidate(folder)
    assert len(cons.members) == 3 and cons.cells[("t01", "income_bottom", "year_total", "")] == D("1130")
    assert [n for n, why in cons.skipped if "程序生成的部门汇总工作簿" in why] == ["本级-新.xlsx"]
