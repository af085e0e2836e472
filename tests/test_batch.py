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
