"""Writing files so that nothing is lost: a temporary name, then one rename.

Every way the disk can refuse (full, read-only, no permission, a folder where a file should
go, a name too long) becomes one Chinese sentence naming the place, never a traceback; the
previous file stays untouched. Temporary files are named `.<stem>.<random><suffix>.tmp`, so
the litter of a killed run is recognisable and `remove_litter` deletes it at the next run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

TMP_SUFFIX = ".tmp"


def _file_mode() -> int:
    """The mode a plainly created file gets under the current umask (0644 with the usual 022).

    mkstemp creates 0600 whatever the umask; reports are meant to be read by colleagues.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()  # read once: os.umask is process-wide and not safe to call from threads


def os_error_message(exc: OSError, path: Path) -> str:
    """One sentence for an operating-system refusal to write at `path`."""
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return f"磁盘空间不足，无法写入“{path}”；请清理磁盘或换一个输出文件夹后重试"
    if code == errno.EROFS:
        return f"“{path}”所在的磁盘是只读的，无法写入；请换一个输出文件夹"
    if code == errno.ENAMETOOLONG:
        return f"文件名或路径过长，无法写入“{path}”；请换一个较短的输出文件夹路径"
    if isinstance(exc, IsADirectoryError):
        return f"“{path}”是一个文件夹，无法作为文件写入；请移走或改名该文件夹后重试"
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return f"无法创建文件夹“{path}”：同名的文件已存在；请移走或改名该文件后重试"
    if isinstance(exc, PermissionError):
        return f"没有在“{path}”写入的权限（文件夹只读，或文件正被 Word、WPS、Excel 打开）；请关闭文件或换一个输出文件夹"
    return f"无法写入“{path}”：{exc.strerror or exc}；请换一个输出文件夹后重试"


def _can_write(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def ensure_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) or say in one sentence why it cannot be."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(os_error_message(exc, folder)) from exc
    if not _can_write(folder):
        raise OutputError(os_error_message(PermissionError(errno.EACCES, "Permission denied"), folder))
    return Path(folder)


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds.

    A failed or interrupted run leaves the previous file untouched. A target locked by
    another program (a report open in Word on Windows) gets a clear message, and so does
    every refusal of the disk while writing (see `os_error_message`).
    """
    ensure_folder(path.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem[:60]}.", suffix=path.suffix + TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(os_error_message(exc, path.parent)) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise OutputError(os_error_message(exc, path)) from exc
        try:
            os.chmod(tmp, FILE_MODE)
            os.replace(tmp, path)
        except PermissionError as exc:
            raise OutputError(f"无法写入“{path}”：文件可能正在被 Word、WPS 或 Excel 打开，请关闭后重试。") from exc
        except OSError as exc:
            raise OutputError(os_error_message(exc, path)) from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()


def remove_litter(folder: Path, recursive: bool = False) -> int:
    """Delete the temporary files (`.*.tmp`) a killed run left in `folder`; how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for tmp in (folder.rglob if recursive else folder.glob)(".*" + TMP_SUFFIX):
        with contextlib.suppress(OSError):
            if tmp.is_file():
                tmp.unlink()
                removed += 1
    return removed


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: same input, same bytes


def stable_member(name: str) -> zipfile.ZipInfo:
    """A zip member of a .docx/.xlsx we write: fixed time and permissions, so that the file's
    bytes depend on its content only; pictures stored (they are compressed already)."""
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
