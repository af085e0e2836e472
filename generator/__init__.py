"""Generate a complete 部门（单位）决算说明 from one filled workbook."""

__version__ = "0.1.0"
