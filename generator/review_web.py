"""The web page's 核对: one uploaded 决算说明 (and its workbook, if given) reviewed as `generate 核对` does.

Kept out of web.py (another stage's file): web.py only routes to `review_upload` and `marked_copy`.
The uploads and the marked copy live in the session's folder, under a random name per review.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path, PurePosixPath

from .errors import GeneratorError

SUFFIXES = (".docx", ".pdf")


def _stored(folder: Path, upload, suffixes: tuple[str, ...]) -> tuple[Path, str] | None:
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name if upload else ""
    if not name:
        return None
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in suffixes:
        raise GeneratorError(f"“{name}”不是 {'、'.join(suffixes)} 文件")
    path = folder / f"{len(list(folder.iterdir()))}{suffix}"
    upload.save(path)
    return path, name


def review_upload(session_folder: Path, report_upload, workbook_upload) -> dict:
    """What the page shows: the findings, the sentences not checked and the marked copy's id (or an error sentence)."""
    from .render import safe_name
    from .report_text import read_report
    from .review import review
    from .review_mark import write_marked

    token = secrets.token_urlsafe(8)
    folder = session_folder / "review" / token
    folder.mkdir(parents=True)
    try:
        report = _stored(folder, report_upload, SUFFIXES)
        if report is None:
            raise GeneratorError("请先选择要核对的决算说明（.docx 或 .pdf）。")
        path, name = report
        accounts = None
        book = _stored(folder, workbook_upload, (".xlsx", ".xlsm"))
        if book is not None:
            from .pipeline import load

            accounts, _ = load(book[0])
        text = read_report(path)
        text.name = name
        result = review(text, accounts)
        marked = write_marked(path, result, folder / "marked.docx") if text.kind == "docx" else None
    except GeneratorError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return {"error": str(exc)}
    return {"name": name, "workbook": book[1] if book else None, "review": result, "token": token if marked else None,
            "download": f"{safe_name(PurePosixPath(name).stem)}.核对.docx"}


def marked_copy(session_folder: Path, token: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", token):
        return None
    path = session_folder / "review" / token / "marked.docx"
    return path if path.is_file() else None
