"""The sample workbooks installed with the program (package generator.sample_workbooks, the repository's
sample_inputs/): `generate 示例` copies one so that a first run needs nothing but the install."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .errors import GeneratorError, OutputError
from .output import atomic_write, ensure_folder, os_error_message


def sample_files() -> list[Path]:
    """The bundled sample workbooks, by name (the installed package, else a source checkout's sample_inputs/)."""
    try:
        root = Path(str(resources.files("generator.sample_workbooks")))
    except ModuleNotFoundError:
        root = Path(__file__).resolve().parent.parent / "sample_inputs"
    return sorted(p for p in root.glob("*.xlsx") if not p.name.startswith("~$"))


def sample_for(profile_id: str) -> Path:
    """The first sample (by name) whose 单位信息 names this layout; read, not guessed from its name."""
    from .profiles import profile
    from .reader import read_workbook

    for path in sample_files():
        try:
            named = read_workbook(path).forms.get("unit", {}).get("profile")
            if profile(getattr(named, "value", named)).id == profile_id:
                return path
        except (GeneratorError, KeyError):
            continue
    raise GeneratorError(f"没有找到报告格式为“{profile_id}”的示例工作簿（安装可能不完整）")


def copy_sample(folder: Path, profile_id: str) -> Path:
    """Copy the sample of this layout into `folder` as 示例-<name>.xlsx (an existing copy is kept: the clerk may have edited it)."""
    source = sample_for(profile_id)
    target = ensure_folder(Path(folder)) / f"示例-{source.name}"
    if not target.exists():
        try:
            with atomic_write(target) as tmp:
                shutil.copyfile(source, tmp)
        except OSError as exc:
            raise OutputError(os_error_message(exc, target)) from exc
    return target
