"""A district in one run: statuses, skipping, corrections with change reports, interruption."""

from __future__ import annotations

import copy
import json
import os
import shutil
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator import batch
from generator.batch import run_batch
from generator.cli import main
from generator.workbook import write_workbook

from conftest import MINIMAL, SAMPLES, home_under


def _build_district(root, minimal_data):
    (root / "乡镇").mkdir(parents=True)
    shutil.copy(SAMPLES / "示范区社会福利院-2024年度单位决算.xlsx", root / "福利院.xlsx")
    shutil.copy(SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx", root / "安居.xlsx")  # clean, as every sample
    warned = copy.deepcopy(minimal_data)
    warned["t03"][0]["name"] = "行政运营"  # CODE-NAME 警告: the name differs from the code list's
    write_workbook(root / "乡镇" / "警告.xlsx", warned)
    minimal_data["t03"][0]["total"] = D("90")
    write_workbook(root / "乡镇" / "坏表.xlsx", minimal_data)
    (root / "~$安居.xlsx").write_bytes(b"lock")
    (root / ".隐藏.xlsx").write_bytes(b"hidden")
    return root


@pytest.fixture
def district(tmp_path, minimal_data):
    """A folder with good units, a unit with a warning, a broken one, a lock file and a hidden file."""
    return _build_district(tmp_path / "district", minimal_data)


@pytest.fixture(scope="session")
def first_run(tmp_path_factory):
    """The district and the output of one `run_batch(jobs=1)` over it, built once per session.

    Read it only; a test that goes on from there takes its own copy (`after_first_run`)."""
    base = tmp_path_factory.mktemp("batch-first-run")
    with home_under(base):
        root = _build_district(base / "district", copy.deepcopy(MINIMAL))
        result = run_batch([root], base / "out", jobs=1)
    return root, base / "out", result


@pytest.fixture
def after_first_run(first_run, tmp_path):
    """This test's own copy of the district and of its first run's output (the manifest's paths
    moved along), as if `run_batch([district], out, jobs=1)` had just run here."""
    root, out, _ = first_run
    district, mine = tmp_path / "district", tmp_path / "out"
    shutil.copytree(root, district)
    shutil.copytree(out, mine)
    manifest = mine / "manifest.json"
    text = manifest.read_text("utf-8")
    assert str(root) in text and str(out) in text
    manifest.write_text(text.replace(str(out), str(mine)).replace(str(root), str(district)), "utf-8")
    return district, mine


def by_name(result):
    return {r["relative"]: r for r in result.results}


def test_mixed_folder_statuses_and_summary(first_run):
    """Good, warning and broken units get 成功/警告/错误; lock and hidden files are ignored; one summary."""
    _, out, result = first_run
    statuses = {k: r["status"] for k, r in by_name(result).items()}
    assert statuses == {"福利院.xlsx": "成功", "安居.xlsx": "成功", "乡镇/警告.xlsx": "警告", "乡镇/坏表.xlsx": "错误"}
    assert not result.ok
    assert not (out / "乡镇" / "坏表").exists()
    summary = load_workbook(out / "汇总.xlsx")
    rows = list(summary["汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["乡镇/坏表.xlsx", "乡镇/警告.xlsx", "安居.xlsx", "福利院.xlsx", "全区合计"]
    assert rows[2][9] == 1313.5 and summary["汇总"].cell(4, 10).number_format == "#,##0.00"
    issues = [r for r in summary["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "乡镇/坏表.xlsx" and r[2] == "SUM-ROW" and r[4] == "支出决算表!C6" for r in issues)


def test_cli_exit_status_and_listing(district, tmp_path):
    """`generate FOLDER` exits 1 when a unit failed and lists that unit with its findings."""
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [str(district), "-o", str(out), "--jobs", "2"])
    assert res.exit_code == 1, res.output
    assert "错误  乡镇/坏表.xlsx" in res.output
    assert "[SUM-ROW] 错误 支出决算表!C6" in res.output
    assert "共 4 个单位：生成 3 个，未变动跳过 0 个，未生成（有错误）1 个；另有 1 个文件不是工作簿" in res.output
    assert "未处理  ~$安居.xlsx：Office 的临时文件" in res.output


def test_all_good_folder_exits_0(tmp_path):
    """A folder of good workbooks: exit 0."""
    folder = tmp_path / "good"
    folder.mkdir()
    shutil.copy(SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx", folder / "a.xlsx")
    res = CliRunner().invoke(main, [str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output


def test_rerun_skips_everything(after_first_run):
    """A second run over unchanged workbooks regenerates nothing and says how many were skipped."""
    district, out = after_first_run
    again = run_batch([district], out, jobs=1)
    assert again.skipped == 4
    assert all(r["skipped"] for r in again.results)


def test_resaved_workbook_with_same_content_is_skipped(after_first_run):
    """Only the content counts: a new file time or document properties do not regenerate a unit."""
    district, out = after_first_run
    path = district / "安居.xlsx"
    os.utime(path, (1, 1))
    assert run_batch([district], out, jobs=1).skipped == 4


def test_force_regenerates_all(after_first_run):
    """--force regenerates every unit."""
    district, out = after_first_run
    assert run_batch([district], out, jobs=1, force=True).skipped == 0


def test_one_cell_correction_regenerates_that_unit_with_change_report(after_first_run):
    """Correcting 公务接待费 in one workbook regenerates only it; its 修订说明 names the figure and sentences."""
    district, out = after_first_run
    path = district / "安居.xlsx"
    wb = load_workbook(path)
    wb["财政拨款“三公”经费支出决算表"]["L6"] = 0.3  # 公务接待费 决算数
    wb.save(path)
    result = run_batch([district], out, jobs=1)
    regenerated = [r["relative"] for r in result.results if not r["skipped"]]
    assert regenerated == ["乡镇/坏表.xlsx", "安居.xlsx"] or regenerated == ["安居.xlsx"]
    report = (out / "安居" / "修订说明.txt").read_text("utf-8-sig")
    assert "公务接待费决算：0.00 → 0.30" in report
    assert "原：3.公务接待费支出0.00万元" in report and "新：3.公务接待费支出0.30万元" in report
    changed = list(load_workbook(out / "汇总.xlsx")["本次修订"].iter_rows(min_row=2, values_only=True))
    assert changed[0][0] == "安居.xlsx" and "公务接待费决算" in changed[0][2]


def test_interrupted_run_resumes(district, tmp_path):
    """Ctrl-C after the first unit keeps the manifest consistent; the next run does only the rest."""
    out = tmp_path / "out"
    calls = []

    def progress(result, done, total):
        if result.get("status") in ("成功", "警告", "错误"):
            calls.append(result["relative"])
            raise KeyboardInterrupt

    first = run_batch([district], out, jobs=1, progress=progress)
    assert first.interrupted and len(calls) == 1
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert set(manifest["units"]) == set(calls)
    second = run_batch([district], out, jobs=1)
    assert second.skipped == 1 and len(second.results) == 4
    assert not list(out.rglob("*.tmp"))


def _die_on_anju(job):
    """Worker stand-in that kills its own process on one unit (as the OOM killer would)."""
    if job.relative.name == "安居.xlsx":
        os._exit(9)
    return _real_run_job(job)


_real_run_job = batch.run_job


def test_killed_worker_then_rerun_gives_complete_output(district, tmp_path, monkeypatch):
    """A worker killed mid-run fails only unfinished units; a re-run completes every report."""
    out = tmp_path / "out"
    monkeypatch.setattr(batch, "run_job", _die_on_anju)
    first = run_batch([district], out, jobs=2)
    assert by_name(first)["安居.xlsx"]["status"] == "错误"
    monkeypatch.setattr(batch, "run_job", _real_run_job)
    second = run_batch([district], out, jobs=2)
    statuses = {k: r["status"] for k, r in by_name(second).items()}
    assert statuses == {"福利院.xlsx": "成功", "安居.xlsx": "成功", "乡镇/警告.xlsx": "警告", "乡镇/坏表.xlsx": "错误"}
    assert len(list((out / "安居").glob("*决算说明.docx"))) == 1
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for entry in manifest["units"].values():
        assert all((out.parent / f).exists() or os.path.exists(f) for f in entry["result"]["files"])
    assert not list(out.rglob("*.tmp"))


def test_previous_year_workbook_supplies_prior_figures(tmp_path, minimal_data, make_workbook):
    """--previous: last year's workbook (matched by unit code) gives the 上年数 the clerk left blank."""
    last = dict(minimal_data, unit=dict(minimal_data["unit"], code="U1", year=2023))
    last["t01"] = {"income": {"gpb": D("100")}}
    last_path = write_workbook(tmp_path / "last" / "去年.xlsx", last)
    this = dict(minimal_data, unit=dict(minimal_data["unit"], code="U1"), prior={})
    this_path = write_workbook(tmp_path / "this" / "今年.xlsx", this)
    result = run_batch([this_path.parent], tmp_path / "out", jobs=1, previous=[last_path])
    (r,) = result.results
    assert r["status"] in ("成功", "警告")
    data = json.loads(next((tmp_path / "out").rglob("*.数据.json")).read_text("utf-8"))
    assert any("与2023年相比，收入、支出总计持平" in s for s in data["sentences"])


def test_previous_year_disagreement_is_a_warning(tmp_path, minimal_data, make_workbook):
    """An entered 上年数 that differs from last year's workbook is a 警告 (PRIOR-DIFF); the entered one wins."""
    from generator.pipeline import load
    from generator.previous import PreviousIndex

    last = dict(minimal_data, unit=dict(minimal_data["unit"], code="U1", year=2023))
    last_path = write_workbook(tmp_path / "去年.xlsx", last)
    this_path = make_workbook(dict(minimal_data, unit=dict(minimal_data["unit"], code="U1")))
    acc, findings = load(this_path, previous=PreviousIndex([last_path]))
    (f,) = [f for f in findings if f.rule == "PRIOR-DIFF" and f.ref == "上年数!B4"]
    assert f.severity == "警告" and "90.00" in f.message and "100.00" in f.message
    assert acc.prior["total"] == D("90")


def test_change_report_lists_every_printed_figure_that_changed(tmp_path):
    """上年数!B4 1727.58 → 1700.00 changes no figure of this year, but the report's change (414.08 → 386.50),
    its percentage and 图1's data: 修订说明 lists them, never “无”."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "四川-安居区社保局-2024年度单位决算.xlsx", folder / "安居.xlsx")
    run_batch([folder], tmp_path / "out", jobs=1, selfeval=False)
    wb = load_workbook(folder / "安居.xlsx")
    wb["上年数"]["B4"] = 1700
    wb.save(folder / "安居.xlsx")
    result = run_batch([folder], tmp_path / "out", jobs=1, selfeval=False)
    text = (tmp_path / "out" / "安居" / batch.CHANGES).read_text("utf-8-sig")
    figures = text.split("二、变动的句子")[0]
    assert "414.08 → 386.50" in figures and "23.97% → 22.74%" in figures
    assert "2023年收入：1727.58 → 1700.00" in figures
    assert "三、已改正的问题" in text and "四、新出现的问题" in text
    assert batch.has_changes(result.results[0]["changes"])
# ------------------------------------------------------------------ issue 19: each unit counted once

def _unit(minimal_data, name, code=None, year=2024, **changes):
    data = copy.deepcopy(minimal_data)
    data["unit"].update(name=name, code=code, year=year)
    data.update(changes)
    return data


def _summary_rows(out):
    ws = load_workbook(out / "汇总.xlsx")["汇总"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return {r[0]: r for r in rows[:-1]}, rows[-1]


@pytest.mark.parametrize("first, second, how", [
    ("福利院.xlsx", "福利院(1).xlsx", ("", "甲单位")),  # a copy beside it, no 单位编码
    ("一/甲.xlsx", "二（部门外）/甲单位-更正.xlsx", ("A1", "甲单位")),  # the same code in two folders
    ("甲.xlsx", "乡镇/甲 .XLSX", ("", " 甲 单位")),  # the name with spaces, another case of the suffix
])
def test_each_unit_is_counted_once_in_the_district_total(tmp_path, minimal_data, first, second, how):
    """The same unit twice in a district (same 单位编码, else same 单位名称): both reports are written, the
    repeat is a 警告 naming both files, and the 全区合计 adds the unit once and says how many it adds."""
    root = tmp_path / "district"
    code, name = how
    for rel, unit_name in ((first, "甲单位"), (second, name)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_workbook(root / rel, _unit(minimal_data, unit_name, code or None))
    write_workbook(root / "乙.xlsx", _unit(minimal_data, "乙单位"))
    out = tmp_path / "out"
    result = run_batch([root], out, jobs=1)
    assert result.ok
    again = next(r for r in result.results if r["relative"] == second)
    assert again["status"] == "警告" and f"与“{first}”是同一个单位" in again["message"]
    assert [f["rule"] for f in again["findings"]] == ["UNIT-REPEAT"]
    rows, total = _summary_rows(out)
    one = float(D(next(r for r in result.results if r["relative"] == first)["figures"]["收入总计"]))
    assert total[0] == "全区合计" and total[3] == "2个单位" and total[9] == pytest.approx(2 * one)
    assert "另有1个单位未计入" in total[8]
    assert "同一个单位" in rows[second][8]
    rerun = run_batch([root], out, jobs=1)  # skipped as unchanged: still said, still left out
    assert next(r for r in rerun.results if r["relative"] == second)["status"] == "警告"
    assert _summary_rows(out)[1][3] == "2个单位"


def test_a_repeat_with_other_figures_is_an_error(tmp_path, minimal_data):
    """Two workbooks of one unit that disagree: no total can be sure, so the run exits 1 naming both."""
    root = tmp_path / "district"
    root.mkdir()
    write_workbook(root / "甲.xlsx", _unit(minimal_data, "甲单位", "A1"))
    other = _unit(minimal_data, "甲单位（旧）", "A1")
    other["unit"]["staff_actual"] = 3
    other["t13"] = {}
    other["prior"] = dict(minimal_data["prior"], total=D("70"))  # 收入支出总计增减 30, not 10
    write_workbook(root / "甲-旧.xlsx", other)
    res = CliRunner().invoke(main, [str(root), "-o", str(tmp_path / "out"), "-j", "1"])
    assert res.exit_code == 1
    assert "错误  甲.xlsx：与“甲-旧.xlsx”是同一个单位（单位编码 A1）" in res.output or \
        "错误  甲-旧.xlsx：与“甲.xlsx”是同一个单位（单位编码 A1）" in res.output
    assert "两份的数字不同" in res.output


def test_units_of_another_year_are_left_out_of_the_district_total(tmp_path, minimal_data):
    """The district's year is the year most units report; a unit of another 报告年度 is listed with a 警告
    and not added (its figures, nor its changes against its own prior year)."""
    root = tmp_path / "district"
    root.mkdir()
    write_workbook(root / "甲.xlsx", _unit(minimal_data, "甲单位"))
    write_workbook(root / "乙.xlsx", _unit(minimal_data, "乙单位"))
    write_workbook(root / "丙-2020.xlsx", _unit(minimal_data, "丙单位", year=2020))
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [str(root), "-o", str(out), "-j", "1"])
    assert res.exit_code == 0, res.output
    assert "警告  丙-2020.xlsx：报告年度为 2020 年，不是本次汇总的 2024 年" in res.output
    assert "1 个单位重复或报告年度不同，未计入全区合计" in res.output
    rows, total = _summary_rows(out)
    assert total[3] == "2个单位" and total[8].startswith("2024年度；计入2个单位之和")
    assert total[9] == pytest.approx(rows["甲.xlsx"][9] + rows["乙.xlsx"][9])


def test_unit_folders_never_take_names_the_batch_writes(tmp_path, minimal_data):
    """Workbooks named after the batch's own files (汇总.xlsx, generate.log, manifest.json) or differing only
    in case each get their own folder; the run's files stay files."""
    root = tmp_path / "district"
    root.mkdir()
    names = ["汇总.xlsx.xlsx", "generate.log.xlsx", "manifest.json.xlsx", "A.xlsx", "a.xlsx"]
    for i, name in enumerate(names):
        write_workbook(root / name, _unit(minimal_data, f"单位{i}"))
    out = tmp_path / "out"
    result = run_batch([root], out, jobs=1)
    assert result.ok, [(r["relative"], r["message"]) for r in result.results]
    dirs = {r["out_dir"].casefold() for r in result.results}
    assert len(dirs) == len(names)
    assert (out / "generate.log").is_file() and (out / "manifest.json").is_file() and (out / "汇总.xlsx").is_file()


@pytest.mark.parametrize("change", [
    lambda unit: unit.update(name="测试单位（更名）"),  # 单位名称: another report name
    lambda unit: unit.update(profile="上海2024（9张附表）"),  # 报告格式: another title, no charts
    lambda unit: unit.update(year=2025),  # 报告年度
], ids=["name", "layout", "year"])
def test_superseded_files_of_a_unit_are_removed(tmp_path, minimal_data, make_workbook, change):
    """After the 单位名称, 报告格式 or 报告年度 changes, the unit's folder holds the new report, its data
    file and its charts only: no stale report (or chart) a clerk could upload by mistake."""
    from generator.pipeline import generate

    path = make_workbook(minimal_data)
    out = tmp_path / "out"
    first = generate(path, out)
    change(minimal_data["unit"])
    write_workbook(path, minimal_data)
    second = generate(path, out)
    folder = second.written.report.parent
    assert not first.written.report.exists() and not first.written.data.exists()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(
        [second.written.report.name, second.written.data.name])
    assert sorted((folder / "图表").iterdir()) == sorted(second.written.charts)


def test_failed_department_is_retried_once_the_cause_is_gone(tmp_path):
    """A 部门汇总 that failed because a file was in the way is not skipped as unchanged on the next run;
    a unit named like the 部门's own folder (部门汇总.xlsx) keeps its own folder."""
    import build_samples

    root = tmp_path / "district"
    folder = root / build_samples.DEPARTMENT_FOLDER
    folder.mkdir(parents=True)
    units = build_samples.DEPARTMENTS[build_samples.DEPARTMENT_FOLDER]
    for i, (name, make) in enumerate(units.items()):
        write_workbook(folder / ("部门汇总.xlsx" if i == 1 else name), make())
    out = tmp_path / "out"
    blocked = out / build_samples.DEPARTMENT_FOLDER / "部门汇总" / "示范区民政局2024年度部门决算说明.docx"
    blocked.mkdir(parents=True)
    first = run_batch([root], out, jobs=1)
    dept = next(r for r in first.results if r.get("level") == "部门")
    assert dept["status"] == "错误" and not first.ok
    blocked.rmdir()
    second = run_batch([root], out, jobs=1)
    dept = next(r for r in second.results if r.get("level") == "部门")
    assert not dept["skipped"] and dept["status"] == "成功" and second.ok
    assert blocked.is_file()
    unit = next(r for r in second.results if r["relative"].endswith("部门汇总.xlsx"))
    assert unit["out_dir"] != dept["out_dir"] and unit["status"] == "成功"


def test_a_self_evaluation_report_no_longer_asked_for_is_removed(tmp_path):
    """A 专项绩效自评报告 the workbook no longer asks for leaves the unit's folder with the next run; the
    决算说明 and the 整体 report stay."""
    import build_samples

    from generator.pipeline import generate

    data = build_samples.welfare()
    path = tmp_path / "福利院.xlsx"
    write_workbook(path, data)
    first = generate(path, tmp_path / "out")
    assert len(first.written.selfeval) == 2
    data["selfeval_projects"] = []
    write_workbook(path, data)
    second = generate(path, tmp_path / "out")
    (overall,) = second.written.selfeval
    docx = sorted(p.name for p in second.written.report.parent.glob("*.docx"))
    assert docx == sorted([second.written.report.name, overall.name])


def test_reports_of_a_removed_or_renamed_workbook_are_set_aside(tmp_path, minimal_data):
    """A workbook renamed (or deleted) between runs: its old report folder leaves the output's picture of the
    latest run (moved to 已移除的单位/<date>/, nothing deleted); a run over part of the district moves nothing."""
    root = tmp_path / "district"
    (root / "乡镇").mkdir(parents=True)
    write_workbook(root / "甲.xlsx", _unit(minimal_data, "甲单位"))
    write_workbook(root / "乡镇" / "乙.xlsx", _unit(minimal_data, "乙单位"))
    out = tmp_path / "out"
    run_batch([root], out, jobs=1)
    run_batch([root / "乡镇"], out, jobs=1)  # part of the district: 甲 still exists, its report stays
    assert (out / "甲").is_dir()
    (root / "甲.xlsx").rename(root / "甲-更正.xlsx")
    result = run_batch([root], out, jobs=1)
    assert sorted(r["relative"] for r in result.results) == ["乡镇/乙.xlsx", "甲-更正.xlsx"]
    assert not (out / "甲").exists()
    (moved,) = (out / batch.REMOVED).iterdir()
    assert list((moved / "甲").glob("*.docx"))
    assert "甲.xlsx" not in json.loads((out / "manifest.json").read_text("utf-8"))["units"]
    again = run_batch([root], out, jobs=1)  # the moved folder is not found as input, nor moved again
    assert again.skipped == 2 and len(list((out / batch.REMOVED).rglob("*.docx"))) == 1
