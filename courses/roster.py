"""Class rosters: a CSV file of students read into rows, every bad line reported. Pure: no ORM.

The file has a header naming its columns (any order, any case): `username` and `email` are
required, `name` and `section` optional; other columns (an LMS export's extras) are ignored.
Commas, semicolons and tabs are recognised as separators, so a spreadsheet's "Save as CSV"
works in any locale. Whether a username already exists is the service's question, not this
module's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("username", "email")
OPTIONAL = ("name", "section")
USERNAME_MAX, EMAIL_MAX, NAME_MAX, SECTION_MAX = 150, 254, 300, 50
_username_ok = UnicodeUsernameValidator()
_email_ok = EmailValidator()


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    email: str
    name: str = ""
    section: str = ""


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "Line 4: ..." in file order

    @property
    def ok(self) -> bool:
        return not self.problems


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the encoding charset detection is sure of."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("The file is not text. Save the roster as CSV (UTF-8) and try again.")
    return str(best)


class _Roster(csv.excel):
    """Excel's CSV rules (quotes doubled inside quoted cells), with the file's separator."""


def _dialect(text: str) -> type[csv.Dialect]:
    # The separator is the one the header line uses most. csv.Sniffer guesses the quoting
    # as well, and from a header without quotes it guesses that quotes are not doubled,
    # which misreads every quoted cell below.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    return type("_RosterDialect", (_Roster,), {"delimiter": delimiter})


def _check_row(line: int, row: RosterRow, seen: dict[str, int]) -> list[str]:
    problems = []
    if not row.username:
        problems.append(f"Line {line}: the username is empty.")
    elif len(row.username) > USERNAME_MAX:
        problems.append(f"Line {line}: the username is longer than {USERNAME_MAX} characters.")
    else:
        try:
            _username_ok(row.username)
        except ValidationError:
            problems.append(f"Line {line}: “{row.username}” is not a valid username (letters, "
                            "digits and @ . + - _ only).")
    if row.username.casefold() in seen:
        problems.append(f"Line {line}: “{row.username}” is already on line "
                        f"{seen[row.username.casefold()]}.")
    if not row.email:
        problems.append(f"Line {line}: the email address is empty.")
    else:
        try:
            if len(row.email) > EMAIL_MAX:
                raise ValidationError("too long")
            _email_ok(row.email)
        except ValidationError:
            problems.append(f"Line {line}: “{row.email}” is not a valid email address.")
    if len(row.name) > NAME_MAX:
        problems.append(f"Line {line}: the name is longer than {NAME_MAX} characters.")
    if len(row.section) > SECTION_MAX:
        problems.append(f"Line {line}: the section is longer than {SECTION_MAX} characters.")
    return problems


def roster_parse(data: bytes) -> Roster:
    """Every row of the roster and every problem, by line number (the header is line 1)."""
    roster = Roster()
    if len(data) > MAX_BYTES:
        roster.problems.append(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; "
                               "split the roster into smaller files.")
        return roster
    try:
        text = _decode(data)
    except ValueError as error:
        roster.problems.append(str(error))
        return roster
    if "\x00" in text:
        roster.problems.append("The file is not text. Save the roster as CSV and try again.")
        return roster
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader, None)
        if header is None:
            roster.problems.append("The file is empty. The first line must name the columns: "
                                   "username, email, name, section.")
            return roster
        columns = {name.strip().casefold(): i for i, name in enumerate(header)}
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            roster.problems.append(
                f"Line 1: the header must name the columns {', '.join(REQUIRED)} (and may "
                f"name {', '.join(OPTIONAL)}); missing: {', '.join(missing)}.")
            return roster
        seen: dict[str, int] = {}
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines, as spreadsheets leave at the end

            def cell(name: str, values=values) -> str:
                index = columns.get(name)
                return values[index].strip() if index is not None and index < len(values) \
                    else ""

            row = RosterRow(line, cell("username"), cell("email"), cell("name"),
                            cell("section"))
            problems = _check_row(line, row, seen)
            seen.setdefault(row.username.casefold(), line)
            roster.problems.extend(problems)
            if not problems:
                roster.rows.append(row)
            if len(roster.rows) + len(roster.problems) > MAX_ROWS:
                roster.problems.append(f"The roster has more than {MAX_ROWS} rows; split it.")
                break
    except csv.Error as error:
        roster.problems.append(f"Line {reader.line_num}: the CSV is malformed ({error}).")
    return roster
