"""Benchmark of the district run (not a test): prints its figures.

    python bench/district.py                 # 200 units, every measurement
    python bench/district.py --units 40 --separate 10

Builds a synthetic district of workbooks of realistic variety (three kinds of unit at
different sizes, units with and without 三公 (the 安居 kind has none), 基金 and 国资 money, decreases against the
prior year, zero items, 元 and 万元 workbooks), then measures, each as a real `generate`
process: a cold bulk run, a no-change re-run, a re-run after one unit changed, a cold run
with --jobs 1, and separate `generate x.xlsx` invocations one after another. For each it
prints wall time, units per second, seconds per unit and the peak RSS of the whole process
tree (sampled every 20 ms from /proc).
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_samples  # noqa: E402

from generator.workbook import write_workbook  # noqa: E402

GENERATE = [str(Path(sys.executable).parent / "generate")]  # the installed command, as a user runs it


def scaled(data, factor: Decimal):
    """Every amount times `factor` (exact in Decimal, so every identity still holds)."""
    if isinstance(data, Decimal):
        return data * factor
    if isinstance(data, dict):
        return {k: scaled(v, factor) for k, v in data.items()}
    if isinstance(data, list):
        return [scaled(v, factor) for v in data]
    return data


def unit_data(i: int, rng: random.Random) -> dict:
    kind = rng.choice(["anju", "yanjiang", "welfare"])
    data = copy.deepcopy(getattr(build_samples, kind)())
    data = scaled(data, Decimal(rng.randint(2, 40)) / 8)
    data["unit"]["name"] = f"示范区第{i + 1:03d}号单位（{ {'anju': '社保', 'yanjiang': '人社', 'welfare': '福利'}[kind] }）"
    data["unit"]["code"] = f"U{i + 1:04d}"
    if rng.random() < 0.3:  # a decrease: last year was bigger
        data["prior"] = {k: (v * Decimal("1.25") if isinstance(v, Decimal) else v) for k, v in data["prior"].items()}
    return data


def build_district(folder: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        sub = folder / f"片区{i % 5 + 1}"
        paths.append(write_workbook(sub / f"单位{i + 1:03d}.xlsx", unit_data(i, rng)))
    return paths


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS of the process tree in MB, exit status) of one command."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sample():
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    wall = time.perf_counter() - start
    sampler.join()
    return wall, peak / 1024, proc.returncode


def line(name: str, units: int, wall: float, peak: float) -> str:
    rate = units / wall if wall else float("inf")
    return f"{name:<34} {units:>5} units  {wall:8.2f} s  {rate:7.2f} units/s  {wall / max(units, 1):6.3f} s/unit  peak {peak:7.1f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--separate", type=int, default=None, help="units for the separate-invocations run (default: all)")
    ap.add_argument("--jobs1", type=int, default=None, help="units for the --jobs 1 run (default: all)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the district here instead of a temp folder")
    ap.add_argument("--floor", type=int, default=3, metavar="N",
                    help="measure the floor (bench/floor.py) on N of the district's workbooks first (0: skip)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="district-"))
    district, out = work / "district", work / "out"
    shutil.rmtree(district, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    paths = build_district(district, a.units)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"built {len(paths)} workbooks in {time.perf_counter() - t:.1f} s under {district}")

    results = {}
    floor = start_floor = None
    if a.floor:
        sys.path.insert(0, str(ROOT / "bench"))
        import floor as floor_bench

        f = floor_bench.measure(paths[:a.floor], rounds=2)
        floor = f["floor"]
        start_floor = floor_bench.startup()
        print(f"start-up floor (fresh process importing the same libraries): {start_floor:.3f} s; "
              f"single-run floor = start-up + one unit = {start_floor + floor:.3f} s")
        print(f"floor per unit (warm, one core, {a.floor} workbooks): {floor:.3f} s; generate() warm: "
              f"{f['ours']:.3f} s without, {f['ours_selfeval']:.3f} s with 绩效自评报告 "
              f"= {f['ours'] / floor:.2f}x / {f['ours_selfeval'] / floor:.2f}x the floor")

    def vs_floor(per_unit: float, cores: int = 1) -> str:
        return "" if floor is None else f"  = {per_unit * cores / floor:.2f}x floor per core"

    jobs = min(os.cpu_count() or 1, 61)
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    results["cold"] = (wall, peak)
    print(line("cold bulk (default --jobs)", a.units, wall, peak), f"exit {rc}", vs_floor(wall / a.units, jobs))
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    print(line("no-change re-run", a.units, wall, peak), f"exit {rc}")
    from openpyxl import load_workbook

    wb = load_workbook(paths[0])
    wb["财政拨款“三公”经费支出决算表"]["L6"] = 0.5
    wb.save(paths[0])
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    print(line("one unit changed, re-run", a.units, wall, peak), f"exit {rc}")

    n1 = a.jobs1 or a.units
    sub = work / "district_jobs1"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    for p in paths[:n1]:
        shutil.copy(p, sub / p.name)
    wall, peak, rc = measure([*GENERATE, str(sub), "-o", str(work / "out_jobs1"), "--jobs", "1"])
    print(line("cold bulk --jobs 1", n1, wall, peak), f"exit {rc}", vs_floor(wall / n1))

    ns = a.separate or a.units
    start = time.perf_counter()
    peak_sep = 0.0
    single = []
    for p in paths[:ns]:
        w, pk, _ = measure([*GENERATE, str(p), "-o", str(work / "out_separate")])
        single.append(w)
        peak_sep = max(peak_sep, pk)
    wall = time.perf_counter() - start
    print(line("separate `generate x.xlsx` runs", ns, wall, peak_sep), vs_floor(wall / ns))
    help_times = [measure([*GENERATE, "--help"])[0] for _ in range(5)]
    print(f"`generate --help`: median {sorted(help_times)[2]:.2f} s")
    per_unit_separate = wall / ns
    cold_per_unit = results["cold"][0] / a.units
    median_single = sorted(single)[len(single) // 2]
    print(f"single `generate x.xlsx` from process start: median {median_single:.2f} s, max {max(single):.2f} s"
          + ("" if floor is None else f"  = {median_single / (start_floor + floor):.2f}x the single-run floor"))
    print(f"speed-up of the bulk run over separate invocations: {per_unit_separate / cold_per_unit:.1f}x"
          + ("" if ns == a.units else f" (separate runs measured on {ns} of the {a.units} units, per unit)"))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
