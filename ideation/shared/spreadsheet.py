"""CSV that spreadsheets open safely: every cell neutralised against formula
injection, every field quoted, UTF-8 with a byte-order mark for Excel."""

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# a leading apostrophe makes it text. Tab and carriage return start formulas too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that reads the file with another separator than ours (Excel in pt-BR
# and es splits at ";", its list separator) starts a new cell inside ours: after
# any separator, spaces or quotes, a formula character gets its apostrophe too.
FORMULA_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n][\s"]*)([=+\-@])')
# The byte-order mark tells Excel the file is UTF-8 (else ç, ã, ñ break).
BOM = "\ufeff"


def neutralise(cell) -> str:
    """A cell as text that no spreadsheet runs as a formula, whatever separator
    it splits the line at."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", text)


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A header row and rows as CSV text, every cell neutralised and quoted (a
    separator inside a field is never read as its end), with the byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(neutralise(cell) for cell in header)
    for row in rows:
        writer.writerow(neutralise(cell) for cell in row)
    return BOM + out.getvalue()


def csv_download(text: str, filename: str) -> Response:
    """CSV text (from csv_text, with its byte-order mark) as a download."""
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
