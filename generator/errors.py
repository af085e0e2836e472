"""One exception root for everything a user can cause; the CLI prints it as one sentence."""

from __future__ import annotations


class GeneratorError(Exception):
    """A problem the user can fix; the message is one Chinese sentence.

    When it happens after the workbook was read, `findings` and `accounts` are what the
    check found, so callers can list them without reading the workbook again.
    """

    findings: list | None = None
    accounts = None


class WorkbookError(GeneratorError):
    """The file cannot be read as our workbook (not .xlsx, a sheet missing, a header moved)."""

    def __init__(self, message: str, sheet: str | None = None, cell: str | None = None):
        self.sheet, self.cell = sheet, cell
        where = f"{sheet}!{cell}：" if sheet and cell else (f"“{sheet}”表：" if sheet else "")
        super().__init__(where + message)


class OutputError(GeneratorError):
    """An output file could not be written."""


class CheckFailed(GeneratorError):
    """The workbook has 错误 findings and --force was not given."""
