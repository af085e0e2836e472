"""Writing files so that nothing is lost: a temporary name, then one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds.

    A failed or interrupted run leaves the previous file untouched. A target locked by
    another program (a report open in Word on Windows) gets a clear message.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法在“{path.parent}”中写入文件：{exc.strerror or exc}；请换一个输出文件夹") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise OutputError(f"无法写入“{path}”：文件可能正在被 Word、WPS 或 Excel 打开，请关闭后重试。") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
