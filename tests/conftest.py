"""Shared test setup."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point HOME and MPLCONFIGDIR at temp dirs so no test touches the user's files."""
    home = tmp_path / "home"
    mpl = tmp_path / "mplconfig"
    home.mkdir()
    mpl.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MPLCONFIGDIR", str(mpl))


# ---------------------------------------------------------------- workbooks and reports

import contextlib  # noqa: E402
import copy  # noqa: E402
import sys  # noqa: E402
from decimal import Decimal as D  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inputs"
sys.path.insert(0, str(ROOT / "tools"))

import build_samples  # noqa: E402

from generator.workbook import write_workbook  # noqa: E402

MINIMAL = {
    "unit": {"name": "测试单位", "year": 2024, "unit_type": "行政单位", "duties": "负责测试工作。",
             "structure": "内设一个科室。"},
    "t01": {"income": {"gpb": D("100")}},
    "t03": [{"code": "2010101", "basic": D("80")}, {"code": "2010102", "project": D("20")}],
    "t02": [{"code": "2010101", "fiscal": D("80")}, {"code": "2010102", "fiscal": D("20")}],
    "t05": [{"code": "2010101", "gpb": D("80")}, {"code": "2010102", "gpb": D("20")}],
    "t06": [{"code": "2010101", "basic": D("80")}, {"code": "2010102", "project": D("20")}],
    "t07": [{"code": "30101", "basic": D("60")}, {"code": "30201", "basic": D("20")}, {"code": "30227", "project": D("20")}],
    "t08": [{"code": "30101", "amount": D("60")}, {"code": "30201", "amount": D("20")}],
    "t09": [{"code": "30227", "amount": D("20")}],
    "prior": {"total": D("90"), "fiscal_total": D("90"), "gpb_expense": D("90"), "sg_total": D("0"),
              "running_costs": D("19")},
    "reasons": {"total": "业务量增加", "fiscal_total": "业务量增加", "gpb_expense": "业务量增加"},
    "other": {"running_costs": D("20"), "equipment_general": 0, "equipment_special": 0},
    "sg": {"abroad_groups": 0, "abroad_people": 0, "domestic_batches": 0, "domestic_people": 0,
           "foreign_batches": 0, "foreign_people": 0},
    "budget": [{"code": "2010101", "initial": D("80")}, {"code": "2010102", "initial": D("25")}],
    "performance": [{"name": "测试单位整体", "scope": "整体", "score": D("95")}],
}


@pytest.fixture
def minimal_data():
    """A small, consistent workbook's data (edit a copy, then `make_workbook` it)."""
    return copy.deepcopy(MINIMAL)


_WRITTEN: dict[str, bytes] = {}  # repr of the data → the workbook's bytes, for this session


@pytest.fixture
def make_workbook(tmp_path):
    """Write a workbook from a data dict with the project's own writer; returns its path.

    The same data written earlier in the session is copied instead of written again (many
    cases start from the unchanged fixture and then edit cells)."""
    def make(data, name="单位.xlsx"):
        key = repr(data)
        path = tmp_path / name
        if key in _WRITTEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_WRITTEN[key])
            return path
        write_workbook(path, data)
        _WRITTEN[key] = path.read_bytes()
        return path
    return make


@pytest.fixture(scope="session")
def sample_data():
    """The data dicts behind the three sample workbooks."""
    return {"anju": build_samples.anju(), "yanjiang": build_samples.yanjiang(), "welfare": build_samples.welfare()}


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory):
    """Every sample workbook in sample_inputs/ generated once per session: file name → Outcome.

    Several test files read the same generated reports; read them only (a test that changes
    or regenerates a report uses its own folder)."""
    from generator.pipeline import generate

    out = tmp_path_factory.mktemp("sample-reports")
    with home_under(out):
        return {p.name: generate(p, out / "reports") for p in sorted(SAMPLES.glob("*.xlsx"))}


@contextlib.contextmanager
def home_under(base: Path):
    """For a session fixture: what the autouse `isolated_home` does for each test (HOME and
    MPLCONFIGDIR in fresh folders under `base`), for as long as the block runs."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("home", "mplconfig"):
            (base / name).mkdir()
        mp.setenv("HOME", str(base / "home"))
        mp.setenv("MPLCONFIGDIR", str(base / "mplconfig"))
        yield


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say why tests were skipped (the browser tests without chromium) even without `-rs`:
    a bare `pytest` run otherwise hides that part of the suite did not run."""
    if "s" in (config.option.reportchars or "") or "a" in (config.option.reportchars or ""):
        return  # pytest lists them itself
    reasons: dict[str, int] = {}
    for rep in terminalreporter.stats.get("skipped", []):
        longrepr = rep.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in reasons.items():
        terminalreporter.write_line(f"跳过 {n} 项：{reason}")


def inline_pool(sizes: list[int] | None = None):
    """A stand-in for batch's ProcessPoolExecutor that runs each job at once in this process
    (recording in `sizes` the number of workers each pool was asked for)."""
    from concurrent.futures import Future

    class InlinePool:
        def __init__(self, max_workers, initializer=None, initargs=()):
            if sizes is not None:
                sizes.append(max_workers)

        def submit(self, fn, *args):
            f = Future()
            f.set_result(fn(*args))
            return f

        def shutdown(self, *a, **k):
            pass

    return InlinePool
