"""Tests of the `generate` command: help, generate, init, check, and errors a user can cause."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main

D = Decimal
SAMPLES = Path(__file__).resolve().parent.parent / "sample_inputs"
SAMPLE_FILES = sorted(SAMPLES.glob("*.xlsx"))
YANJIANG = SAMPLES / "四川-雁江区社保局-2020年度部门决算.xlsx"
FORCE_NOTE = "注意：工作簿有错误，按 --force 要求仍然生成了报告，报告中的数字可能不一致。"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="generate")


def assert_user_error(result, message: str | None = None, startswith: str | None = None) -> None:
    """Exit 1, one Chinese line on stderr starting "错误：", and no traceback anywhere."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误："), lines[0]
    assert "Traceback" not in result.output
    if message is not None:
        assert lines[0] == message
    if startswith is not None:
        assert lines[0].startswith(startswith), lines[0]


def error_data(data):
    """The minimal data with a 支出决算表 合计 that disagrees with its rows (an 错误)."""
    data["t03"].append({"code": None, "basic": D("130")})
    return data


# ---------------------------------------------------------------- help

@pytest.mark.parametrize("args", [["--help"], ["-h"], ["run", "--help"], ["init", "--help"], ["check", "--help"], []])
def test_help_is_chinese(args):
    """--help (and a bare `generate`) prints Chinese headings: 用法 and 选项."""
    result = invoke(*args)
    assert result.exit_code == 0
    assert result.output.startswith("用法：generate")
    assert "选项" in result.output
    assert "Usage:" not in result.output and "Options:" not in result.output


def test_main_help_lists_subcommands():
    """The main help lists the three sub-commands under 子命令."""
    out = invoke("--help").output
    assert "子命令" in out
    for line in ("run    检查工作簿并生成决算说明（可直接写 generate 工作簿.xlsx）。", "init   生成待填写的空白工作簿。"):
        assert line in out


# ---------------------------------------------------------------- generate

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "报告"
    return out, CliRunner().invoke(main, [str(YANJIANG), "-o", str(out)], prog_name="generate")


def test_generate_sample_exits_0_and_names_report(generated):
    """`generate 样例.xlsx` exits 0 and prints "已写入 …docx" for the report it wrote."""
    out, result = generated
    assert result.exit_code == 0, result.output
    report = out / YANJIANG.stem / "资阳市雁江区社会保险事业管理局2020年度部门决算说明.docx"
    lines = result.stdout.splitlines()
    assert f"已写入 {report}" in lines
    assert report.is_file()
    assert zipfile.ZipFile(report).testzip() is None


def test_generate_lists_every_written_file(generated):
    """Every file listed as 已写入 exists: the report first, then its chart PNGs, then the figures JSON."""
    out, result = generated
    written = [Path(l.removeprefix("已写入 ")) for l in result.stdout.splitlines() if l.startswith("已写入 ")]
    assert all(p.is_file() for p in written)
    assert written[0].suffix == ".docx"
    assert written[-1].name.endswith(".数据.json")
    pngs = written[1:-1]
    assert pngs and all(p.suffix == ".png" and p.parent.name == "图表" for p in pngs)
    assert sorted(p for p in out.rglob("*") if p.is_file()) == sorted(written)
    assert "Traceback" not in result.output


def test_generate_explicit_run_subcommand(tmp_path):
    """`generate run X.xlsx` is the same as `generate X.xlsx` (checked here on a workbook with 错误)."""
    result = invoke("run", tmp_path / "无.xlsx", "-o", tmp_path / "out")
    assert_user_error(result, f"错误：找不到文件“{tmp_path / '无.xlsx'}”")


def test_generate_with_errors_writes_nothing(make_workbook, minimal_data, tmp_path):
    """`generate` on a workbook with an 错误 prints the findings, writes no report and exits 1."""
    path = make_workbook(error_data(minimal_data))
    out = tmp_path / "out"
    result = invoke(path, "-o", out)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "[SUM-TOTAL] 错误 支出决算表!D5：合计行的基本支出 130.00 ≠ 201 一般公共服务支出 80.00" in result.stdout.splitlines()
    n = sum(l.split("] ")[1].startswith("错误") for l in result.stdout.splitlines() if l.startswith("["))
    assert result.stderr.splitlines() == [
        f"错误：工作簿有 {n} 处错误，未生成报告；请按上面的提示修改后重试（或加 --force 强制生成）"]
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]
    assert "已写入" not in result.output


def test_generate_force_writes_and_says_so(make_workbook, minimal_data, tmp_path):
    """With --force a workbook with 错误 still gets its report, and the console says so."""
    path = make_workbook(error_data(minimal_data))
    out = tmp_path / "out"
    result = invoke(path, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert FORCE_NOTE in result.stderr.splitlines()
    assert "[SUM-TOTAL] 错误 支出决算表!D5：合计行的基本支出 130.00 ≠ 201 一般公共服务支出 80.00" in result.stdout.splitlines()
    report = out / "单位" / "测试单位2024年度单位决算说明.docx"
    assert f"已写入 {report}" in result.stdout.splitlines()
    assert report.is_file()


def test_generate_without_errors_has_no_force_note(make_workbook, minimal_data, tmp_path):
    """--force on a clean workbook generates normally and prints no warning note."""
    result = invoke(make_workbook(minimal_data), "-o", tmp_path / "out", "--force")
    assert result.exit_code == 0
    assert FORCE_NOTE not in result.output


def test_force_on_workbook_missing_year_is_a_user_error(tmp_path):
    """--force on a workbook whose 报告年度 is blank ends in one Chinese 错误 line, not a traceback."""
    blank = tmp_path / "空白.xlsx"
    assert invoke("init", blank).exit_code == 0
    result = invoke(blank, "-o", tmp_path / "out", "--force")
    assert_user_error(result)


# ---------------------------------------------------------------- init

def test_init_writes_workbook(tmp_path):
    """`generate init PATH` writes a workbook and says where."""
    path = tmp_path / "空白.xlsx"
    result = invoke("init", path)
    assert result.exit_code == 0
    assert result.stdout == f"已写入 {path}\n"
    assert "收入支出决算总表" in openpyxl.load_workbook(path).sheetnames


def test_init_adds_xlsx_suffix(tmp_path):
    """`generate init 空白` writes 空白.xlsx."""
    result = invoke("init", tmp_path / "空白")
    assert result.exit_code == 0
    assert (tmp_path / "空白.xlsx").is_file()


def test_init_refuses_to_overwrite(tmp_path):
    """`init` on an existing file exits 1 with a Chinese message and leaves the file as it was."""
    path = tmp_path / "已有.xlsx"
    path.write_bytes(b"clerk's work")
    result = invoke("init", path)
    assert_user_error(result, f"错误：“{path}”已存在；如需覆盖请加 --overwrite")
    assert path.read_bytes() == b"clerk's work"


def test_init_overwrite_replaces(tmp_path):
    """`init --overwrite` replaces an existing file with a blank workbook."""
    path = tmp_path / "已有.xlsx"
    path.write_bytes(b"old")
    result = invoke("init", path, "--overwrite")
    assert result.exit_code == 0
    assert path.read_bytes()[:2] == b"PK"


def test_init_into_a_file_as_folder_is_a_user_error(tmp_path):
    """`init` into a path whose folder is a file ends in one Chinese 错误 line."""
    (tmp_path / "afile").write_text("x")
    assert_user_error(invoke("init", tmp_path / "afile" / "x.xlsx"))


def test_output_below_a_file_is_a_user_error(make_workbook, minimal_data, tmp_path):
    """An output folder below a plain file ends in one Chinese 错误 line."""
    (tmp_path / "afile").write_text("x")
    assert_user_error(invoke(make_workbook(minimal_data), "-o", tmp_path / "afile" / "sub"))


# ---------------------------------------------------------------- check

@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_check_samples_exit_0(sample):
    """`generate check` exits 0 on every sample and ends with the count line."""
    result = invoke("check", sample)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("检查完成：错误 0 处，")


def test_check_clean_workbook_summary(make_workbook, minimal_data):
    """`check` prints one line per finding, then the exact count line."""
    from generator.pipeline import load

    path = make_workbook(minimal_data)
    _, findings = load(path)
    result = invoke("check", path)
    assert result.exit_code == 0
    n = {s: sum(f.severity == s for f in findings) for s in ("错误", "警告", "提示")}
    assert n["错误"] == 0
    assert result.stdout.splitlines() == [f.line() for f in findings] + [
        f"检查完成：错误 0 处，警告 {n['警告']} 处，提示 {n['提示']} 处。"]


def test_check_with_error_exits_1(make_workbook, minimal_data):
    """`generate check` exits 1 on a workbook with an 错误 and lists it first."""
    result = invoke("check", make_workbook(error_data(minimal_data)))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[") and "] 错误 " in lines[0]
    assert "[SUM-TOTAL] 错误 支出决算表!D5：合计行的基本支出 130.00 ≠ 201 一般公共服务支出 80.00" in lines
    assert lines[-1].startswith("检查完成：错误 ")
    assert result.stderr == ""


def test_check_json_is_parseable(make_workbook, minimal_data):
    """`check --format json` prints only a JSON list of {rule, severity, ref, message, also, shown} (also: the
    other cells of a disagreement; shown: figures the program derived at blank cells, [ref, value])."""
    result = invoke("check", make_workbook(error_data(minimal_data)), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and findings
    assert all(set(f) == {"rule", "severity", "ref", "message", "also", "shown"} for f in findings)
    assert {"rule": "SUM-TOTAL", "severity": "错误", "ref": "支出决算表!D5",
            "message": "合计行的基本支出 130.00 ≠ 201 一般公共服务支出 80.00", "also": [], "shown": []} in findings
    assert {f["severity"] for f in findings} <= {"错误", "警告", "提示"}


def test_check_json_clean_sample(tmp_path):
    """`check --format json` on a clean sample exits 0 with a JSON list."""
    result = invoke("check", SAMPLE_FILES[0], "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)


# ---------------------------------------------------------------- files that are not our workbook

def _docx(tmp_path):
    import docx

    p = tmp_path / "说明.docx"
    d = docx.Document()
    d.add_paragraph("不是工作簿")
    d.save(str(p))
    target = tmp_path / "改名.xlsx"
    p.rename(target)
    return target


def _random(tmp_path):
    p = tmp_path / "乱码.xlsx"
    p.write_bytes(bytes(range(256)) * 8)
    return p


def _empty(tmp_path):
    p = tmp_path / "空.xlsx"
    p.write_bytes(b"")
    return p


def _other_zip(tmp_path):
    p = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hello")
    return p


def _ole(tmp_path):
    p = tmp_path / "旧版.xlsx"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000)
    return p


def _missing(tmp_path):
    return tmp_path / "不存在.xlsx"


def _folder(tmp_path):
    p = tmp_path / "文件夹.xlsx"
    p.mkdir()
    return p


NOT_A_WORKBOOK = {
    "missing": (_missing, "错误：找不到文件“{path}”"),
    "docx-renamed": (_docx, "错误：“改名.xlsx”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）"),
    "random-bytes": (_random, "错误：“乱码.xlsx”不是 Excel 工作簿（.xlsx）文件；请在 Excel/WPS 中另存为 .xlsx 后重试"),
    "empty": (_empty, "错误：“空.xlsx”不是 Excel 工作簿（.xlsx）文件；请在 Excel/WPS 中另存为 .xlsx 后重试"),
    "other-zip": (_other_zip, "错误：“压缩包.xlsx”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）"),
    "xls-ole": (_ole, "错误：“旧版.xlsx”是旧版 .xls 文件或加密的工作簿；请在 Excel/WPS 中取消密码并另存为 .xlsx 后重试"),
    "folder": (_folder, "错误：“{path}”是文件夹，不是工作簿"),
}


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("case", list(NOT_A_WORKBOOK))
def test_not_a_workbook_is_one_chinese_line(case, command, tmp_path):
    """A file that is not an .xlsx workbook gives exit 1 and one line "错误：…", no traceback."""
    make, message = NOT_A_WORKBOOK[case]
    if case == "folder" and command == "run":  # a folder is a district for `generate`: empty → nothing to do
        message = "错误：在“{path}”中没有找到 .xlsx 工作簿"
    path = make(tmp_path)
    args = [path] if command == "run" else ["check", path]
    result = invoke(*args, "-o", tmp_path / "out") if command == "run" else invoke(*args)
    assert_user_error(result, message.format(path=path))
    assert not (tmp_path / "out").exists()


def test_missing_sheet_is_one_chinese_line(make_workbook, minimal_data, tmp_path):
    """A workbook missing a 附表 sheet: exit 1, "错误：缺少工作表“收入决算表”…"."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    del wb["收入决算表"]
    wb.save(path)
    for args in ([path, "-o", tmp_path / "out"], ["check", path]):
        assert_user_error(invoke(*args),
                          "错误：缺少工作表“收入决算表”；请用 generate init 生成的空白工作簿填写，不要改动表名")


def test_renamed_sheet_is_reported_by_name(make_workbook, minimal_data):
    """A renamed 附表 sheet is reported by its expected name."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    wb["支出决算表"].title = "支出表"
    wb.save(path)
    assert_user_error(invoke("check", path), startswith="错误：缺少工作表“支出决算表”")


def test_renamed_header_is_one_chinese_line(make_workbook, minimal_data, tmp_path):
    """A header cell renamed (基本支出 → 基本) names the sheet!cell, the expected and the found text."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    assert wb["支出决算表"]["D3"].value == "基本支出"
    wb["支出决算表"]["D3"] = "基本"
    wb.save(path)
    want = ("错误：支出决算表!D3：表头应为“基本支出”，实为“基本”；请不要改动表头，"
            "可用 generate init 重新生成空白工作簿对照")
    for args in ([path, "-o", tmp_path / "out"], ["check", path]):
        assert_user_error(invoke(*args), want)


def test_removed_form_label_is_one_chinese_line(make_workbook, minimal_data):
    """A form label overwritten (单位名称 cleared) names the missing item."""
    path = make_workbook(minimal_data)
    wb = openpyxl.load_workbook(path)
    wb["单位信息"]["A4"] = None
    wb.save(path)
    assert_user_error(invoke("check", path),
                      "错误：“单位信息”表：找不到项目“单位名称”；请不要改动或删除项目名称")


@pytest.mark.parametrize("args", [["check"], ["run"], ["--bogus", "x.xlsx"], ["check", "x.xlsx", "--format", "xml"]],
                         ids=["check-no-arg", "run-no-arg", "unknown-option", "bad-format"])
def test_usage_errors_are_chinese(args):
    """A usage mistake (missing argument, unknown option, bad choice) is one Chinese line with exit 1."""
    result = invoke(*args)
    assert result.exit_code == 1
    assert "Error:" not in result.output
    assert result.stderr.splitlines()[-1].startswith("错误：")


# ---------------------------------------------------------------- the installed command

def _installed() -> str | None:
    return shutil.which("generate", path=str(Path(sys.executable).parent)) or shutil.which("generate")


@pytest.mark.skipif(_installed() is None, reason="the `generate` console script is not installed")
def test_installed_command_runs(tmp_path):
    """The installed `generate` runs: help in Chinese, check exits 0, a missing file is one 错误 line."""
    exe = _installed()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    run = lambda *a: subprocess.run([exe, *map(str, a)], capture_output=True, text=True, encoding="utf-8",
                                    env=env, cwd=tmp_path, timeout=120)
    help_ = run("--help")
    assert help_.returncode == 0 and "用法" in help_.stdout and "选项" in help_.stdout
    ok = run("check", YANJIANG)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1].startswith("检查完成：错误 0 处")
    bad = run("不存在.xlsx")
    assert bad.returncode == 1
    assert bad.stderr == "错误：找不到文件“不存在.xlsx”\n"
    assert "Traceback" not in bad.stdout + bad.stderr
    assert not (tmp_path / "output").exists()


def test_failed_generate_lists_the_findings_of_its_own_check(make_workbook, minimal_data, tmp_path):
    """With --previous, a workbook with 错误 lists exactly what its check found, PRIOR-DIFF included."""
    from generator.workbook import write_workbook

    last = dict(minimal_data, unit=dict(minimal_data["unit"], code="U1", year=2023))
    last_path = write_workbook(tmp_path / "去年" / "去年.xlsx", last)
    minimal_data["unit"]["code"] = "U1"
    minimal_data["t03"][0]["total"] = D("90")  # SUM-ROW 错误
    path = make_workbook(minimal_data)
    result = invoke(path, "-o", tmp_path / "out", "--previous", last_path)
    assert result.exit_code == 1
    assert "[SUM-ROW] 错误 支出决算表!C6" in result.stdout
    assert "[PRIOR-DIFF] 警告 上年数!B4" in result.stdout
