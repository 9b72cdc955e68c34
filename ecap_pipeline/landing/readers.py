"""Reading a landed file (CSV, JSON lines, Parquet) into a frame of text columns.

Every column comes back as `String`, whatever the format, so validation parses and checks all of
them the same way and a value that is not of its column's type fails one row, not the whole file.
A file that cannot be read at all (empty, not UTF-8, wrong delimiter, corrupt Parquet...) raises
`UnreadableFileError` with the reason; the landing zone moves it to `_rejected/`.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

CSV_SUFFIXES = frozenset({".csv"})
JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet"})
SUPPORTED_SUFFIXES = CSV_SUFFIXES | JSON_LINES_SUFFIXES | PARQUET_SUFFIXES

_OTHER_DELIMITERS = (";", "\t", "|")


class UnreadableFileError(ValueError):
    """A landed file that cannot be read as a whole; the message is the reason given to the user."""


def read_landed_file(path: Path, *, name: str) -> pl.DataFrame:
    """The rows of the landed file at `path` as text columns; `name` is how errors refer to it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        msg = (
            f"{name}: unsupported file type {suffix or '(none)'!r}; use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
        raise UnreadableFileError(msg)
    data = path.read_bytes()
    if not data.strip():
        msg = f"{name}: the file is empty"
        raise UnreadableFileError(msg)
    if suffix in PARQUET_SUFFIXES:
        frame = _read_parquet(data, name)
    else:
        text = _decode(data, name)
        frame = _read_csv(text, name) if suffix in CSV_SUFFIXES else _read_json_lines(text, name)
    if frame.height == 0:
        msg = f"{name}: the file has a header or schema but no data rows"
        raise UnreadableFileError(msg)
    return frame


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        msg = (
            f"{name}: line {line}, byte {column}: 0x{data[error.start]:02x} is not valid UTF-8 "
            "(landed text files must be UTF-8 encoded)"
        )
        raise UnreadableFileError(msg) from None


def _read_csv(text: str, name: str) -> pl.DataFrame:
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in header:
        for delimiter in _OTHER_DELIMITERS:
            if delimiter in header:
                msg = (
                    f"{name}: line 1 (header) has no comma but contains {delimiter!r}: the file looks "
                    f"{delimiter!r}-delimited; landed CSV files must be comma-separated"
                )
                raise UnreadableFileError(msg)
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        msg = f"{name}: not a readable CSV file: {_first_line(error)}"
        raise UnreadableFileError(msg) from None


def _read_json_lines(text: str, name: str) -> pl.DataFrame:
    try:
        names = pl.read_ndjson(io.StringIO(text), infer_schema_length=None).columns
        return pl.read_ndjson(io.StringIO(text), schema=dict.fromkeys(names, pl.String()))
    except pl.exceptions.PolarsError as error:
        msg = f"{name}: not a readable JSON-lines file (one JSON object per line): {_first_line(error)}"
        raise UnreadableFileError(msg) from None


def _read_parquet(data: bytes, name: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as error:
        msg = f"{name}: not a readable Parquet file (truncated or corrupt?): {_first_line(error)}"
        raise UnreadableFileError(msg) from None
    nested = [column for column, dtype in frame.schema.items() if dtype.is_nested()]
    if nested:
        msg = f"{name}: column {nested[0]!r} has the nested type {frame.schema[nested[0]]}; landed columns must be flat"
        raise UnreadableFileError(msg)
    return frame.select(pl.all().cast(pl.String))


def _first_line(error: Exception) -> str:
    return str(error).strip().split("\n", 1)[0]
